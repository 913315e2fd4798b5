package kuma

import "context"

type apiDataplaneOverview struct {
	meta
	Dataplane struct {
		Networking struct {
			Address string `json:"address"`
			Inbound []struct {
				Tags   map[string]string `json:"tags"`
				State  string            `json:"state"` // Ready | NotReady | Ignored (2.x)
				Health *struct {
					Ready bool `json:"ready"`
				} `json:"health"`
			} `json:"inbound"`
			Gateway *struct {
				Type string            `json:"type"` // BUILTIN, or absent for DELEGATED (enum zero)
				Tags map[string]string `json:"tags"`
			} `json:"gateway"`
		} `json:"networking"`
	} `json:"dataplane"`
	// DataplaneInsight is absent for a proxy that never connected.
	DataplaneInsight *struct {
		Subscriptions []struct {
			subscription
			Version struct {
				KumaDP struct {
					Version string `json:"version"`
				} `json:"kumaDp"`
				Envoy struct {
					Version string `json:"version"`
				} `json:"envoy"`
			} `json:"version"`
		} `json:"subscriptions"`
	} `json:"dataplaneInsight"`
}

// Dataplanes lists the data plane proxies of a mesh with their insights,
// from /dataplanes+insights, which every version serves.
func (c *Client) Dataplanes(ctx context.Context, mesh string) ([]Dataplane, error) {
	seg, err := segment(mesh)
	if err != nil {
		return nil, err
	}
	items, err := list[apiDataplaneOverview](ctx, c, "/meshes/"+seg+"/dataplanes+insights")
	if err != nil {
		return nil, err
	}
	out := make([]Dataplane, 0, len(items))
	for _, it := range items {
		out = append(out, it.toDataplane())
	}
	return out, nil
}

func (a apiDataplaneOverview) toDataplane() Dataplane {
	n := a.Dataplane.Networking
	d := Dataplane{
		Mesh: a.Mesh, Name: a.Name, DisplayName: a.Labels[displayNameLabel],
		Address: n.Address, Zone: a.Labels[zoneTag],
	}
	var services []string
	tagZone := ""
	notReady := 0
	for _, in := range n.Inbound {
		if svc := in.Tags[serviceTag]; svc != "" {
			services = append(services, svc)
		}
		if tagZone == "" {
			tagZone = in.Tags[zoneTag]
		}
		if in.Health != nil && !in.Health.Ready || in.State == "NotReady" {
			notReady++
		}
	}
	if g := n.Gateway; g != nil {
		d.Gateway = "delegated"
		if g.Type == "BUILTIN" {
			d.Gateway = "builtin"
		}
		if svc := g.Tags[serviceTag]; svc != "" {
			services = append(services, svc)
		}
		if tagZone == "" {
			tagZone = g.Tags[zoneTag]
		}
	}
	d.Services = uniqueSorted(services)
	if d.Zone == "" {
		d.Zone = tagZone // 2.2–2.5 resources have no labels
	}
	if ins := a.DataplaneInsight; ins != nil {
		for _, s := range ins.Subscriptions {
			d.Online = d.Online || s.connected()
		}
		if k := len(ins.Subscriptions); k > 0 {
			d.KumaDPVersion = ins.Subscriptions[k-1].Version.KumaDP.Version
			d.EnvoyVersion = ins.Subscriptions[k-1].Version.Envoy.Version
		}
	}
	d.Status = dataplaneStatus(d.Online, d.Gateway != "", notReady, len(n.Inbound))
	return d
}

// dataplaneStatus follows DataplaneOverviewResource.Status(): gateways are
// online or offline; a sidecar is offline when disconnected or when no
// inbound is ready, and partially degraded when some are not.
func dataplaneStatus(online, gateway bool, notReady, inbounds int) string {
	switch {
	case !online:
		return "offline"
	case gateway:
		return "online"
	case notReady == inbounds:
		return "offline"
	case notReady > 0:
		return "partially_degraded"
	}
	return "online"
}
