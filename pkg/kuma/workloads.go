package kuma

import "context"

// workloadLabel is the Dataplane label kuma-dp reports as the MeshMetric
// attribute kuma.workload (docs/kuma-naming.md).
const workloadLabel = "kuma.io/workload"

// DataplaneIdentity is what tells which services a proxy belongs to.
type DataplaneIdentity struct {
	Name string
	// DisplayName is kuma.io/display-name, set on copies synced to global.
	DisplayName string
	Zone        string
	// Workload is the kuma.io/workload label, "" without one.
	Workload string
	// InboundTags are the tags of each inbound (and of a gateway).
	InboundTags []map[string]string
}

type apiDataplane struct {
	meta
	Networking struct {
		Inbound []struct {
			Tags map[string]string `json:"tags"`
		} `json:"inbound"`
		Gateway *struct {
			Tags map[string]string `json:"tags"`
		} `json:"gateway"`
	} `json:"networking"`
}

// DataplaneIdentities lists the proxies of a mesh with their labels and
// inbound tags, from the plain /dataplanes list (no insights).
func (c *Client) DataplaneIdentities(ctx context.Context, mesh string) ([]DataplaneIdentity, error) {
	seg, err := segment(mesh)
	if err != nil {
		return nil, err
	}
	items, err := list[apiDataplane](ctx, c, "/meshes/"+seg+"/dataplanes")
	if err != nil {
		return nil, err
	}
	out := make([]DataplaneIdentity, 0, len(items))
	for _, it := range items {
		d := DataplaneIdentity{
			Name: it.Name, DisplayName: it.Labels[displayNameLabel], Zone: it.Labels[zoneTag], Workload: it.Labels[workloadLabel],
		}
		for _, in := range it.Networking.Inbound {
			d.InboundTags = append(d.InboundTags, in.Tags)
			if d.Zone == "" {
				d.Zone = in.Tags[zoneTag]
			}
		}
		if g := it.Networking.Gateway; g != nil {
			d.InboundTags = append(d.InboundTags, g.Tags)
		}
		out = append(out, d)
	}
	return out, nil
}
