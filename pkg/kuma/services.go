package kuma

import (
	"context"
	"errors"
	"slices"
)

type apiServiceInsight struct {
	meta
	Status      string   `json:"status"`
	ServiceType string   `json:"serviceType"` // omitted for internal (enum zero)
	AddressPort string   `json:"addressPort"`
	Zones       []string `json:"zones"`
	Dataplanes  struct {
		// Zero counters are omitted (protojson).
		Total   int `json:"total"`
		Online  int `json:"online"`
		Offline int `json:"offline"`
	} `json:"dataplanes"`
}

// ServiceInsights lists the services of a mesh from its service insights.
// Kuma 2.7+ answers a missing mesh with an *Error whose MeshNotFound is true;
// older versions answer with an empty list.
func (c *Client) ServiceInsights(ctx context.Context, mesh string) ([]Service, error) {
	seg, err := segment(mesh)
	if err != nil {
		return nil, err
	}
	items, err := list[apiServiceInsight](ctx, c, "/meshes/"+seg+"/service-insights")
	if err != nil {
		return nil, err
	}
	out := make([]Service, 0, len(items))
	for _, it := range items {
		kind := ServiceKind(it.ServiceType)
		if kind == "" {
			kind = ServiceInternal
		}
		out = append(out, Service{
			Mesh: it.Mesh, Name: it.Name, ResourceName: it.Name, Kind: kind, Status: it.Status,
			Online: it.Dataplanes.Online, Offline: it.Dataplanes.Offline, Total: it.Dataplanes.Total,
			Zones: it.Zones, AddressPort: it.AddressPort,
		})
	}
	return out, nil
}

// apiMeshServiceLike covers MeshService, MeshExternalService and
// MeshMultiZoneService: new-style resources with spec and status.
type apiMeshServiceLike struct {
	meta
	KRI  string `json:"kri"` // 2.13+
	Spec struct {
		State    string    `json:"state"` // MeshService: Available | Unavailable
		Ports    []apiPort `json:"ports"`
		Selector struct {
			DataplaneTags map[string]string `json:"dataplaneTags"` // MeshService
			MeshService   struct {
				MatchLabels map[string]string `json:"matchLabels"`
			} `json:"meshService"` // MeshMultiZoneService
		} `json:"selector"`
		Identities []struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"identities"` // MeshService, 2.12+
		Match struct {
			Port int `json:"port"` // MeshExternalService
		} `json:"match"`
	} `json:"spec"`
	Status struct {
		DataplaneProxies struct {
			Connected int `json:"connected"`
			Healthy   int `json:"healthy"`
			Total     int `json:"total"`
		} `json:"dataplaneProxies"`
	} `json:"status"`
}

type apiPort struct {
	Name string `json:"name"`
	Port int    `json:"port"`
}

// MeshServices lists the MeshService, MeshExternalService and
// MeshMultiZoneService resources of a mesh, in that order. A CP older than
// these APIs answers with a plain-text 404, which counts as none.
func (c *Client) MeshServices(ctx context.Context, mesh string) ([]Service, error) {
	seg, err := segment(mesh)
	if err != nil {
		return nil, err
	}
	var out []Service
	for _, r := range []struct {
		path string
		kind ServiceKind
	}{
		{"meshservices", ServiceMeshService},
		{"meshexternalservices", ServiceMeshExternalService},
		{"meshmultizoneservices", ServiceMeshMultiZoneService},
	} {
		items, err := list[apiMeshServiceLike](ctx, c, "/meshes/"+seg+"/"+r.path)
		var kerr *Error
		if errors.As(err, &kerr) && kerr.routeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out = append(out, it.toService(r.kind))
		}
	}
	aggregateMultiZone(out)
	return out, nil
}

// aggregateMultiZone gives each MeshMultiZoneService the zones, dataplane
// counts and status of the MeshServices its selector matches: Kuma leaves
// its status empty on a global CP (testdata/kuma-cp-2.14.3-exclusive).
func aggregateMultiZone(services []Service) {
	for i := range services {
		mz := &services[i]
		if mz.Kind != ServiceMeshMultiZoneService || len(mz.MeshServiceLabels) == 0 || mz.Total > 0 {
			continue
		}
		status := ""
		for _, s := range services {
			if s.Kind != ServiceMeshService || !hasLabels(s.Labels, mz.MeshServiceLabels) {
				continue
			}
			mz.Online += s.Online
			mz.Offline += s.Offline
			mz.Total += s.Total
			if s.Zone != "" && !slices.Contains(mz.Zones, s.Zone) {
				mz.Zones = append(mz.Zones, s.Zone)
			}
			switch {
			case status == "":
				status = s.Status
			case s.Status != status:
				status = "partially_degraded"
			}
		}
		slices.Sort(mz.Zones)
		if mz.Status == "" {
			mz.Status = status
		}
	}
}

// hasLabels reports whether labels hold every key and value of want.
func hasLabels(labels, want map[string]string) bool {
	for k, v := range want {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func (a apiMeshServiceLike) toService(kind ServiceKind) Service {
	s := Service{
		Mesh: a.Mesh, Name: a.Name, ResourceName: a.Name, Kind: kind,
		Zone: a.Labels[zoneTag], Namespace: a.Labels[namespaceLabel],
		KRI: a.KRI, Labels: a.Labels,
		SelectorTags:      a.Spec.Selector.DataplaneTags,
		MeshServiceLabels: a.Spec.Selector.MeshService.MatchLabels,
	}
	if s.Zone != "" {
		s.Zones = []string{s.Zone}
	}
	for _, id := range a.Spec.Identities {
		if id.Type == "ServiceTag" && id.Value != "" {
			s.ServiceTags = append(s.ServiceTags, id.Value)
		}
	}
	if dn := a.Labels[displayNameLabel]; dn != "" {
		s.Name = dn
	}
	for _, p := range a.Spec.Ports {
		s.Ports = append(s.Ports, Port(p))
	}
	if kind == ServiceMeshExternalService {
		if a.Spec.Match.Port != 0 {
			s.Ports = append(s.Ports, Port{Port: a.Spec.Match.Port})
		}
		s.Status = "not_available" // as ServiceInsights report external services
		return s
	}
	dp := a.Status.DataplaneProxies
	s.Total, s.Online, s.Offline = dp.Total, dp.Healthy, dp.Total-dp.Healthy
	s.Status = meshServiceStatus(a.Spec.State, dp.Healthy, dp.Total)
	return s
}

// meshServiceStatus maps proxy counts to the ServiceInsight status words,
// falling back to spec.state when no proxies are counted.
func meshServiceStatus(state string, healthy, total int) string {
	switch {
	case total > 0 && healthy == 0:
		return "offline"
	case total > 0 && healthy < total:
		return "partially_degraded"
	case total > 0:
		return "online"
	case state == "Available":
		return "online"
	case state == "Unavailable":
		return "offline"
	}
	return ""
}
