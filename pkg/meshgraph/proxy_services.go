package meshgraph

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// ProxyServices returns, sorted, the kuma.io/service values that the proxies
// of the MeshServices matching match carry, which is what Envoy's
// kuma_io_service label holds for them. match is asked about each
// MeshService's display name, node id ("backend (zone-1)") and KRI.
//
// Only Exclusive meshes need this: their services are MeshServices, whose
// names differ from the proxies' tags on Kubernetes (MeshService backend,
// tag backend_kuma-demo_svc_3001, docs/kuma-naming.md). Elsewhere, and for
// names no MeshService has, it returns nothing: the name is the tag.
//
// A proxy belongs to a MeshService of its zone when its inbound tags hold
// the selector's dataplaneTags; the Kubernetes tag of the MeshService's
// first port is added too, for control planes that do not list proxies.
func ProxyServices(ctx context.Context, cp ControlPlane, mesh string, match func(string) bool) ([]string, error) {
	m, err := cp.Mesh(ctx, mesh)
	if err != nil {
		return nil, fmt.Errorf("reading mesh %q: %w", mesh, err)
	}
	if !m.Exclusive() {
		return nil, nil
	}
	msvcs, err := cp.MeshServices(ctx, mesh)
	if err != nil {
		return nil, fmt.Errorf("reading the mesh services of mesh %q: %w", mesh, err)
	}
	chosen := chooseMeshServices(msvcs, match)
	if len(chosen) == 0 {
		return nil, nil
	}
	tags := map[string]bool{}
	for _, s := range chosen {
		tags[serviceTagOf(s)] = true
	}
	if dl, ok := cp.(DataplaneLister); ok {
		dps, err := dl.DataplaneIdentities(ctx, mesh)
		if err != nil {
			return nil, fmt.Errorf("reading the dataplanes of mesh %q: %w", mesh, err)
		}
		addSelectedTags(tags, chosen, dps)
	}
	out := make([]string, 0, len(tags))
	for t := range tags {
		if t != "" {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out, nil
}

// addSelectedTags adds the kuma.io/service of every inbound that a chosen
// MeshService of the proxy's zone selects.
func addSelectedTags(tags map[string]bool, chosen []kuma.Service, dps []kuma.DataplaneIdentity) {
	for _, dp := range dps {
		for _, in := range dp.InboundTags {
			if selects(chosen, dp.Zone, in) {
				tags[in[serviceTag]] = true
			}
		}
	}
}

// chooseMeshServices returns the MeshServices whose display name, node id
// ("backend (zone-1)") or KRI match matches, and those a matching
// MeshMultiZoneService selects by labels: its proxies are theirs.
func chooseMeshServices(msvcs []kuma.Service, match func(string) bool) []kuma.Service {
	ids := meshServiceIDs(msvcs, true)
	matches := func(i int) bool {
		s := msvcs[i]
		return match(s.Name) || match(ids[i]) || (s.KRI != "" && match(s.KRI))
	}
	var selectors []map[string]string
	for i, s := range msvcs {
		if s.Kind == kuma.ServiceMeshMultiZoneService && len(s.MeshServiceLabels) > 0 && matches(i) {
			selectors = append(selectors, s.MeshServiceLabels)
		}
	}
	var chosen []kuma.Service
	for i, s := range msvcs {
		if s.Kind != kuma.ServiceMeshService {
			continue
		}
		if matches(i) || slices.ContainsFunc(selectors, func(l map[string]string) bool { return matchesLabels(s.Labels, l) }) {
			chosen = append(chosen, s)
		}
	}
	return chosen
}

// ProxyWorkloads returns, sorted, the kuma.io/workload labels of the proxies
// of the services matching match: proxies with an inbound whose
// kuma.io/service match matches, and on Exclusive meshes those a chosen
// MeshService of their zone selects (as for ProxyServices). On the
// MeshMetric path with unified naming kuma-dp labels a proxy's metrics with
// this workload (kuma_workload) instead of its services
// (docs/kuma-naming.md), so dashboards select those proxies by it. It reads
// the mesh's dataplane list; a control plane that cannot list dataplanes
// gives none.
func ProxyWorkloads(ctx context.Context, cp ControlPlane, mesh string, match func(string) bool) ([]string, error) {
	dl, ok := cp.(DataplaneLister)
	if !ok {
		return nil, nil
	}
	m, err := cp.Mesh(ctx, mesh)
	if err != nil {
		return nil, fmt.Errorf("reading mesh %q: %w", mesh, err)
	}
	var chosen []kuma.Service
	if m.Exclusive() {
		msvcs, err := cp.MeshServices(ctx, mesh)
		if err != nil {
			return nil, fmt.Errorf("reading the mesh services of mesh %q: %w", mesh, err)
		}
		chosen = chooseMeshServices(msvcs, match)
	}
	dps, err := dl.DataplaneIdentities(ctx, mesh)
	if err != nil {
		return nil, fmt.Errorf("reading the dataplanes of mesh %q: %w", mesh, err)
	}
	set := map[string]bool{}
	for _, dp := range dps {
		if dp.Workload == "" {
			continue
		}
		for _, in := range dp.InboundTags {
			if match(in[serviceTag]) || selects(chosen, dp.Zone, in) {
				set[dp.Workload] = true
			}
		}
	}
	return sortedKeys(set), nil
}

// selects reports whether a MeshService of chosen in zone (or of no zone)
// selects an inbound with these tags.
func selects(chosen []kuma.Service, zone string, tags map[string]string) bool {
	for _, s := range chosen {
		if (s.Zone == "" || s.Zone == zone) && len(s.SelectorTags) > 0 && matchesLabels(tags, s.SelectorTags) {
			return true
		}
	}
	return false
}
