package meshgraph

import (
	"context"
	"fmt"
	"sort"

	"golang.org/x/sync/errgroup"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/recovery"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// catalog is what the control plane knows about the services of a mesh, and
// the lookups that map Envoy names to them.
type catalog struct {
	mesh string
	// nodes are the services that are nodes whether or not they have traffic.
	nodes map[string]*Node
	// onDemand are MeshService-family services of meshes that are not
	// Exclusive: their clusters appear when routes target MeshServices, and
	// they become nodes only when traffic reaches them.
	onDemand map[string]*Node
	// gatewayServices maps a MeshGateway name to its first service.
	gatewayServices map[string]string
	names           *resolver
	// exclusive, msvcs and msvcIDs are kept to resolve workloads later.
	exclusive bool
	msvcs     []kuma.Service
	msvcIDs   []string
	// otherMeshes are the sanitized names of the other meshes, read only
	// when a cluster may be a cross-mesh gateway's X_<mesh>.
	otherMeshes map[string]bool
	// workloads is filled from the dataplane list, read only when the map
	// is grouped by workload or callers are known by their workload alone.
	workloads *workloadIndex
}

// fetchCatalog reads the mesh, its services and gateways concurrently. The
// first failure cancels the other reads and is the one reported.
func fetchCatalog(ctx context.Context, cp ControlPlane, mesh string) (*catalog, error) {
	var (
		m        kuma.Mesh
		insights []kuma.Service
		msvcs    []kuma.Service
		gws      []kuma.MeshGateway
	)
	g, gctx := errgroup.WithContext(ctx)
	read := func(what string, fn func(context.Context) error) {
		recovery.Go(g, "reading the control plane", func() error {
			if err := fn(gctx); err != nil {
				return fmt.Errorf("reading the %s of mesh %q: %w", what, mesh, err)
			}
			return nil
		})
	}
	read("mesh", func(ctx context.Context) (err error) { m, err = cp.Mesh(ctx, mesh); return err })
	read("services", func(ctx context.Context) (err error) { insights, err = cp.ServiceInsights(ctx, mesh); return err })
	read("mesh services", func(ctx context.Context) (err error) { msvcs, err = cp.MeshServices(ctx, mesh); return err })
	read("mesh gateways", func(ctx context.Context) (err error) { gws, err = cp.MeshGateways(ctx, mesh); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return newCatalog(mesh, m.Exclusive(), insights, msvcs, gws), nil
}

// newCatalog builds the node list and lookups. In Exclusive meshes services
// exist only as MeshService-family resources and service-insights list only
// delegated gateways (docs/kuma-api.md §5).
func newCatalog(mesh string, exclusive bool, insights, msvcs []kuma.Service, gws []kuma.MeshGateway) *catalog {
	c := &catalog{
		mesh:            mesh,
		nodes:           map[string]*Node{},
		onDemand:        map[string]*Node{},
		gatewayServices: map[string]string{},
		names:           newResolver(),
		workloads:       newWorkloadIndex(),
	}
	gatewayOf := map[string]string{}
	for _, gw := range gws {
		for _, s := range gw.Services {
			if _, ok := gatewayOf[s]; !ok {
				gatewayOf[s] = gw.Name
			}
		}
		if len(gw.Services) > 0 {
			c.gatewayServices[gw.Name] = gw.Services[0]
		}
	}
	for _, s := range insights {
		n := addService(c.nodes, s.Name, s)
		switch s.Kind {
		case kuma.ServiceGatewayBuiltin:
			n.Gateway = gatewayOf[s.Name]
		case kuma.ServiceGatewayDelegated:
			n.Gateway = s.Name
		}
		c.names.addService(s.Name, s.Name)
	}
	// Builtin gateways whose services the insights skipped (Exclusive meshes).
	for svc, gw := range gatewayOf {
		if _, ok := c.nodes[svc]; !ok {
			c.nodes[svc] = &Node{ID: svc, Kind: kuma.ServiceGatewayBuiltin, KnownToCP: true, Gateway: gw, Service: svc}
			c.names.addService(svc, svc)
		}
	}
	// Outside Exclusive meshes a MeshService usually shares its name with
	// the kuma.io/service it selects, and then maps to that node. In
	// Exclusive meshes each copy of a MeshService is a node of its own.
	ids := meshServiceIDs(msvcs, exclusive)
	c.exclusive, c.msvcs, c.msvcIDs = exclusive, msvcs, ids
	for i, s := range msvcs {
		id := ids[i]
		if exclusive {
			n := addService(c.nodes, id, s)
			n.KRI, n.Service, n.ListName, n.Namespace = s.KRI, serviceTagOf(s), s.Name, s.Namespace
			c.names.addCaller(s, id)
		} else if _, ok := c.nodes[s.Name]; !ok {
			addService(c.onDemand, id, s)
		}
		c.names.addMeshService(mesh, s, id, id == s.Name)
	}
	c.names.finish()
	return c
}

// addService adds s to nodes as node id, merging services that share an id
// (copies of a MeshService outside Exclusive meshes).
func addService(nodes map[string]*Node, id string, s kuma.Service) *Node {
	n, ok := nodes[id]
	if !ok {
		kind := s.Kind
		if kind == "" {
			kind = kuma.ServiceInternal
		}
		n = &Node{ID: id, Kind: kind, Status: s.Status, KnownToCP: true}
		nodes[id] = n
	} else {
		n.Status = mergeStatus(n.Status, s.Status)
	}
	n.Online += s.Online
	n.Offline += s.Offline
	n.Total += s.Total
	n.Zones = unionSorted(n.Zones, s.Zones)
	if s.Zone != "" {
		n.Zones = unionSorted(n.Zones, []string{s.Zone})
	}
	return n
}

// lookup returns the node the CP knows by name, including on-demand ones.
func (c *catalog) lookup(name string) (*Node, bool) {
	if n, ok := c.nodes[name]; ok {
		return n, true
	}
	n, ok := c.onDemand[name]
	return n, ok
}

// zoneOf returns the zone of a node that lives in one zone: a MeshService
// copy of an Exclusive mesh. It is "" for every other node.
func (c *catalog) zoneOf(name string) string {
	n, ok := c.nodes[name]
	if !ok || n.Kind != kuma.ServiceMeshService || len(n.Zones) != 1 {
		return ""
	}
	return n.Zones[0]
}

// gatewayService maps the HTTP connection manager stat prefix of a builtin
// gateway's listener (the sanitized gateway service) or, failing that, its
// MeshGateway label to the gateway's service.
func (c *catalog) gatewayService(prefix, gateway string) (string, bool) {
	if svc, ok := c.names.bySanitized[prefix]; ok {
		return svc, true
	}
	svc, ok := c.gatewayServices[gateway]
	return svc, ok
}

// mergeStatus combines the statuses of two parts of one node.
func mergeStatus(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || a == b:
		return a
	}
	return "partially_degraded"
}

// unionSorted returns the sorted union of a and b without duplicates.
func unionSorted(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	set := make(map[string]struct{}, len(a)+len(b))
	for _, s := range a {
		set[s] = struct{}{}
	}
	for _, s := range b {
		set[s] = struct{}{}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// resolveWorkloads reads the mesh's proxies, when the control plane can
// list them, to map kuma_workload labels to nodes.
func (c *catalog) resolveWorkloads(ctx context.Context, cp ControlPlane, mesh string) error {
	dl, ok := cp.(DataplaneLister)
	if !ok {
		return nil
	}
	dps, err := dl.DataplaneIdentities(ctx, mesh)
	if err != nil {
		return fmt.Errorf("reading the dataplanes of mesh %q: %w", mesh, err)
	}
	c.addWorkloads(dps)
	return nil
}

// needsWorkloads reports whether any caller series has a kuma_workload but
// no service label.
func needsWorkloads(results [queryCount]*prometheus.Vector) bool {
	for _, q := range []queryKind{queryTotal, queryTCP} {
		v := results[q]
		if v == nil {
			continue
		}
		for i := range v.Len() {
			if v.ID(i, workloadLabelAt) != 0 && v.ID(i, srcLabel) == 0 && v.Value(i) != 0 {
				return true
			}
		}
	}
	return false
}
