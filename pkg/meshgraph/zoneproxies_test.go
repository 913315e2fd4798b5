package meshgraph

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

// meshListingCP is a fakeCP that also lists meshes, as *kuma.Client does.
type meshListingCP struct {
	fakeCP
	meshes []kuma.Mesh
	calls  int
}

func (f *meshListingCP) Meshes(context.Context) ([]kuma.Mesh, error) {
	f.calls++
	return f.meshes, f.err
}

func TestZoneProxyAndCrossMeshClustersBecomeNodes(t *testing.T) {
	cp := &meshListingCP{
		fakeCP: fakeCP{
			mesh:     kuma.Mesh{Name: "default"},
			insights: []kuma.Service{svc("backend", kuma.ServiceInternal, 1, 0), svc("edge-gateway", kuma.ServiceGatewayBuiltin, 1, 0)},
		},
		meshes: []kuma.Mesh{{Name: "default"}, {Name: "payments"}},
	}
	m := metricsFor(
		// A zone ingress forwards to backend through <mesh>_<service>.
		traffic{src: "zone-ingress", zone: "zone-2", cluster: "default_backend", classes: [4]float64{360}},
		// A gateway of mesh default calls ledger of mesh payments.
		traffic{src: "edge-gateway", zone: "zone-1", cluster: "ledger_payments", classes: [4]float64{72, 0, 0, 8}},
		traffic{src: "edge-gateway", zone: "zone-1", cluster: "nowhere_at-all", classes: [4]float64{1}},
	)
	to := time.Date(2026, 11, 29, 21, 0, 0, 0, time.UTC)
	g, err := Build(context.Background(), cp, m, Options{Mesh: "default", From: to.Add(-time.Hour), To: to})
	require.NoError(t, err)

	assert.Equal(t, float64(360), edge(t, g, "zone-ingress->backend").Requests.Total)
	cross := edge(t, g, "edge-gateway->ledger (mesh payments)")
	assert.Equal(t, float64(80), cross.Requests.Total)
	ledger := node(t, g, "ledger (mesh payments)")
	assert.Equal(t, KindCrossMesh, ledger.Kind)
	assert.Equal(t, "ledger", ledger.Service)
	assert.Equal(t, UnmappedSeries{Count: 1, Examples: []string{"nowhere_at-all"}}, g.Unmapped)
	assert.Equal(t, 1, cp.calls, "the mesh list is read once")

	// Without a cluster that could be cross-mesh, the list is not read.
	cp.calls = 0
	_, err = Build(context.Background(), cp, metricsFor(traffic{src: "edge-gateway", zone: "zone-1", cluster: "backend", classes: [4]float64{1}}),
		Options{Mesh: "default", From: to.Add(-time.Hour), To: to})
	require.NoError(t, err)
	assert.Zero(t, cp.calls)
}

// TestZoneProxiesOnTheMeshMetricPathAreKnownByTheirRole: with unified
// naming a zone proxy's series carry kuma_proxy_role and zone only (no
// kuma_io_service, no kuma_workload); they join the zone proxy's node as
// on the legacy path, while a sidecar with neither label is not taken for one.
func TestZoneProxiesOnTheMeshMetricPathAreKnownByTheirRole(t *testing.T) {
	cp := &fakeCP{mesh: kuma.Mesh{Name: "default"}, insights: []kuma.Service{svc("backend", kuma.ServiceInternal, 1, 0, "zone-2")}}
	m := metricsFor(traffic{src: "zone-ingress", zone: "zone-2", cluster: "default_backend", classes: [4]float64{100}})
	for role, n := range map[string]float64{"zone-ingress": 20, "zone-egress": 7, "sidecar": 3} {
		kv := []string{"kuma_proxy_role", role, "zone", "zone-2", "envoy_cluster_name", "default_backend"}
		m.total = append(m.total, sample(n, kv...))
		m.classes = append(m.classes, sample(n, append(kv, "envoy_response_code_class", "2")...))
	}
	g := build(t, cp, m, Options{Zone: regexp.MustCompile("^(?:zone-2)$")})
	assert.InDelta(t, 120, edge(t, g, "zone-ingress->backend").Requests.Total, 1e-9, "both paths' zone ingresses are one node")
	assert.InDelta(t, 7, edge(t, g, "zone-egress->backend").Requests.Total, 1e-9)
	assert.Equal(t, []string{"zone-2"}, node(t, g, "zone-egress").Zones)
	assert.NotContains(t, nodeIDs(g), "sidecar")
}

// TestZoneProxyClustersOfAServiceWithCopiesInTwoZones: <mesh>_api does not
// say which zone's copy of api it reaches; a zone ingress forwards to its
// own zone's copy and a zone egress to the other zone's, so both map, while
// another caller's <mesh>_api stays unmapped.
func TestZoneProxyClustersOfAServiceWithCopiesInTwoZones(t *testing.T) {
	cp := &fakeCP{mesh: kuma.Mesh{Name: "default", MeshServicesMode: kuma.MeshServicesExclusive}, msvcs: []kuma.Service{
		{Name: "api", Kind: kuma.ServiceMeshService, Zone: "zone-1", Online: 1, Total: 1, Ports: []kuma.Port{{Port: 8080}}},
		{Name: "api", Kind: kuma.ServiceMeshService, Zone: "zone-2", Online: 1, Total: 1, Ports: []kuma.Port{{Port: 8080}}},
		{Name: "web", Kind: kuma.ServiceMeshService, Zone: "zone-1", Online: 1, Total: 1, Ports: []kuma.Port{{Port: 8080}}},
	}}
	m := metricsFor(
		traffic{src: "zone-ingress", zone: "zone-2", cluster: "default_api", classes: [4]float64{40}},
		traffic{src: "zone-egress", zone: "zone-1", cluster: "default_api", classes: [4]float64{30}},
		traffic{src: "web", zone: "zone-1", cluster: "default_api", classes: [4]float64{5}},
	)
	g := build(t, cp, m, Options{})
	in := edge(t, g, "zone-ingress->api (zone-2)")
	assert.InDelta(t, 40, in.Requests.Total, 1e-9)
	assert.Equal(t, []string{"zone-2"}, in.DestinationZones)
	assert.InDelta(t, 30, edge(t, g, "zone-egress->api (zone-2)").Requests.Total, 1e-9)
	assert.Equal(t, UnmappedSeries{Count: 1, Examples: []string{"default_api"}}, g.Unmapped, "a sidecar never uses <mesh>_<service>")
}
