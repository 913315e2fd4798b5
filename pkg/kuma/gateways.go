package kuma

import (
	"context"
	"sort"
)

type apiMeshGateway struct {
	meta
	Selectors []struct {
		Match map[string]string `json:"match"`
	} `json:"selectors"`
	Conf struct {
		Listeners []struct {
			Hostname string `json:"hostname"`
			Port     int    `json:"port"`
			Protocol string `json:"protocol"`
		} `json:"listeners"`
	} `json:"conf"`
}

// MeshGateways lists the builtin gateways (MeshGateway resources) of a mesh.
func (c *Client) MeshGateways(ctx context.Context, mesh string) ([]MeshGateway, error) {
	seg, err := segment(mesh)
	if err != nil {
		return nil, err
	}
	items, err := list[apiMeshGateway](ctx, c, "/meshes/"+seg+"/meshgateways")
	if err != nil {
		return nil, err
	}
	out := make([]MeshGateway, 0, len(items))
	for _, it := range items {
		g := MeshGateway{Mesh: it.Mesh, Name: it.Name, Zone: it.Labels[zoneTag]}
		var services []string
		for _, s := range it.Selectors {
			if svc := s.Match[serviceTag]; svc != "" {
				services = append(services, svc)
			}
		}
		g.Services = uniqueSorted(services)
		for _, l := range it.Conf.Listeners {
			g.Listeners = append(g.Listeners, Listener{Hostname: l.Hostname, Port: l.Port, Protocol: l.Protocol})
		}
		out = append(out, g)
	}
	return out, nil
}

const (
	serviceTag       = "kuma.io/service"
	zoneTag          = "kuma.io/zone"
	displayNameLabel = "kuma.io/display-name"
	namespaceLabel   = "k8s.kuma.io/namespace"
)

func uniqueSorted(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	sort.Strings(in)
	out := in[:1]
	for _, s := range in[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}
