//go:build integration

package meshgraph

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// modernMode is one MeshService mode: a control plane (recorded, or built
// from Kuma's source for Kubernetes) and the traffic its proxies send.
type modernMode struct {
	name, fixture, mesh string
	scenario            envoysim.Scenario
	nodes               []string
	// fromMetrics are the nodes the control plane does not list (zone
	// proxies); every other node must be known to it.
	fromMetrics []string
	// data names the Prometheus data set; default the fixture.
	data string
	// cpRequests is the fixed number of control-plane requests per graph.
	cpRequests int
	// byWorkload builds the map grouped by workload.
	byWorkload bool
}

func modernModes() []modernMode {
	return []modernMode{
		{
			name: "Exclusive universal on a global CP (recorded)", fixture: "2.14.3-exclusive", mesh: "modern",
			scenario: envoysim.Exclusive(itStart, itEnd),
			nodes:    []string{"api (zone-1)", "api (zone-2)", "api-mz", "db", "payments-ext", "web"},
			// mesh, service-insights, the three MeshService lists and meshgateways.
			cpRequests: 6,
		},
		{
			name: "Exclusive Kubernetes on a global CP (built)", fixture: "2.14.3-k8s-built", mesh: "default",
			scenario: envoysim.Kubernetes(itStart, itEnd),
			nodes:    []string{"backend (zone-1)", "backend (zone-2)", "frontend", "redis"},
			// The same six, plus the dataplanes list: a proxy on the MeshMetric
			// path is known by its kuma_workload only.
			cpRequests: 7,
		},
		{
			name: "Unified naming on the MeshMetric path, Kubernetes (built)", fixture: "2.14.3-k8s-built", mesh: "default",
			data:     "unified",
			scenario: envoysim.UnifiedMeshMetric(itStart, itEnd),
			nodes:    []string{"backend (zone-1)", "backend (zone-2)", "frontend", "redis"},
			// Every caller is known by its kuma_workload: the dataplanes list too.
			cpRequests: 7,
		},
		{
			name: "Multizone with MeshMultiZoneService, zone proxies and cross-mesh (recorded)", fixture: "2.14.3-exclusive", mesh: "modern",
			data:     "multizone",
			scenario: envoysim.ExclusiveMultizone(itStart, itEnd),
			nodes: []string{"api (zone-1)", "api (zone-2)", "api-mz", "backend (mesh default)", "db", "payments-ext", "web",
				"zone-egress", "zone-ingress"},
			// Zone proxies and the other mesh's service are not this mesh's
			// services; they are nodes all the same, never unmapped.
			fromMetrics: []string{"backend (mesh default)", "zone-egress", "zone-ingress"},
			// The six, plus the mesh list: backend_default may end in a mesh name.
			cpRequests: 7,
		},
		{
			name: "Grouped by workload on the MeshMetric path, Kubernetes (built)", fixture: "2.14.3-k8s-built", mesh: "default",
			data:       "workloads",
			scenario:   envoysim.Workloads(itStart, itEnd),
			byWorkload: true,
			// backend (zone-1) has two workloads, backend (zone-2) one.
			nodes: []string{"backend", "backend (zone-1)", "backend-canary", "frontend", "redis"},
			// The six, plus the dataplanes list for the workloads.
			cpRequests: 7,
		},
	}
}

// buildModern builds the graph of a mode against the real Prometheus and the
// replayed control plane, and returns the replay server too.
func buildModern(t *testing.T, m modernMode, opts Options) (*Graph, *cpreplay.Server) {
	t.Helper()
	return buildModernOn(t, realPrometheus, m, opts)
}

func buildModernOn(t *testing.T, on engine, m modernMode, opts Options) (*Graph, *cpreplay.Server) {
	t.Helper()
	data := m.data
	if data == "" {
		data = m.fixture
	}
	url := on.start(t, "meshgraph-"+data, m.scenario.OpenMetrics)
	prom, err := prometheus.NewClient(prometheus.Config{Address: url})
	require.NoError(t, err)
	replay := cpreplay.Start(t, m.fixture)
	cp, err := kuma.NewClient(kuma.Config{Address: replay.URL})
	require.NoError(t, err)
	opts.Mesh, opts.From, opts.To = m.mesh, itStart, itEnd
	g, err := Build(context.Background(), cp, prom, opts)
	require.NoError(t, err)
	return g, replay
}

func TestRealPrometheusMeshServiceModesMatchTheTruth(t *testing.T) {
	testMeshServiceModes(t, realPrometheus)
}

func testMeshServiceModes(t *testing.T, on engine) {
	for _, m := range modernModes() {
		t.Run(m.name, func(t *testing.T) {
			g, replay := buildModernOn(t, on, m, Options{ByWorkload: m.byWorkload})
			truth := m.scenario.Expected()
			require.NotEmpty(t, truth)
			for key, want := range truth {
				t.Run(key[0]+"->"+key[1], func(t *testing.T) {
					assertEdgeMatches(t, want, edge(t, g, key[0]+"->"+key[1]))
				})
			}
			assert.Len(t, g.Edges, len(truth), "one edge per pair, no phantom callers")
			assert.Equal(t, m.nodes, nodeIDs(g))
			for _, n := range g.Nodes {
				assert.Equal(t, !slices.Contains(m.fromMetrics, n.ID), n.KnownToCP, "%s is known to the control plane", n.ID)
			}
			assert.Zero(t, g.Unmapped.Count, "every cluster maps: %v", g.Unmapped.Examples)
			assertNodesSumIncomingEdges(t, g)
			assert.Empty(t, g.Warnings)
			assert.Len(t, g.Queries, 5)
			assert.Len(t, replay.Requests(), m.cpRequests, "one page per list, whatever the traffic")
		})
	}
}

func TestRealPrometheusExclusiveNodeAndEdgeDetails(t *testing.T) {
	g, _ := buildModern(t, modernModes()[0], Options{})

	api1 := node(t, g, "api (zone-1)")
	assert.Equal(t, "api", api1.Service, "dashboards know the copy by its display name")
	assert.Equal(t, "kri_msvc_modern_zone-1__api_", api1.KRI)
	assert.Equal(t, []string{"zone-1"}, api1.Zones)
	assert.Equal(t, 1, api1.Online)

	mz := node(t, g, "api-mz")
	assert.Equal(t, kuma.ServiceMeshMultiZoneService, mz.Kind)
	assert.Equal(t, []string{"zone-1", "zone-2"}, mz.Zones, "a MeshMultiZoneService spans the zones of its MeshServices")
	assert.Equal(t, 2, mz.Total)
	assert.Equal(t, "online", mz.Status)

	cross := edge(t, g, "web->api (zone-2)")
	assert.Equal(t, []string{"zone-1"}, cross.SourceZones)
	assert.Equal(t, []string{"zone-2"}, cross.DestinationZones, "a cross-zone edge names the zone it reaches")
	local := edge(t, g, "web->api (zone-1)")
	assert.Equal(t, []string{"zone-1"}, local.DestinationZones)
	db := edge(t, g, "api (zone-2)->db")
	assert.Equal(t, []string{"zone-2"}, db.SourceZones)
	assert.Equal(t, []string{"zone-1"}, db.DestinationZones)
}

func TestRealPrometheusExclusiveZoneFilterAndRollup(t *testing.T) {
	m := modernModes()[0]
	g, _ := buildModern(t, m, Options{Zone: regexp.MustCompile(`^(?:zone-2)$`), HideIdle: true})
	want := m.scenario.ExpectedFor("modern", "zone-2")
	require.Len(t, want, 1)
	assertEdgeMatches(t, want[[2]string{"api (zone-2)", "db"}], edge(t, g, "api (zone-2)->db"))
	assert.Len(t, g.Edges, 1)

	// A rollup that drops the zone merges the copies again.
	g, _ = buildModern(t, m, Options{Rollup: regexp.MustCompile(`^(api) \(.*\)$`)})
	truth := m.scenario.Expected()
	merged := truth[[2]string{"web", "api (zone-1)"}].Requests + truth[[2]string{"web", "api (zone-2)"}].Requests
	assert.InEpsilon(t, merged, edge(t, g, "web->api").Requests.Total, tolerance)
	assert.Equal(t, "api", node(t, g, "api").Service)
}

// TestRealPrometheusKubernetesLinksUseTheServiceTag: dashboards filter on
// kuma_io_service, which on Kubernetes is <svc>_<ns>_svc_<port>, so node and
// edge links pass that tag rather than the MeshService's display name.
func TestRealPrometheusKubernetesLinksUseTheServiceTag(t *testing.T) {
	g, _ := buildModern(t, modernModes()[1], Options{})
	assert.Equal(t, "backend_kuma-demo_svc_3001", node(t, g, "backend (zone-1)").Service)
	assert.Equal(t, "kri_msvc_default_zone-1_kuma-demo_backend_", node(t, g, "backend (zone-1)").KRI)
	assert.Equal(t, "frontend_kuma-demo_svc_8080", node(t, g, "frontend").Service)
	edges := g.Frames(FrameOptions{Mesh: "default"})[1]
	src, _ := edges.FieldByName("source_service")
	require.NotNil(t, src)
	for i := 0; i < src.Len(); i++ {
		assert.Contains(t, src.At(i).(string), "_kuma-demo_svc_", "row %d", i)
	}
}

// TestRealPrometheusMultizoneNodeKinds: the cross-zone, multizone and
// cross-mesh destinations keep what tells them apart.
func TestRealPrometheusMultizoneNodeKinds(t *testing.T) {
	g, _ := buildModern(t, modernModes()[3], Options{})
	assert.Equal(t, KindCrossMesh, node(t, g, "backend (mesh default)").Kind)
	assert.Equal(t, "backend", node(t, g, "backend (mesh default)").Service)
	assert.Equal(t, kuma.ServiceMeshMultiZoneService, node(t, g, "api-mz").Kind)
	assert.Equal(t, []string{"zone-1", "zone-2"}, node(t, g, "api-mz").Zones)
	assert.Equal(t, []string{"zone-2"}, edge(t, g, "zone-ingress->db").SourceZones)
	assert.Equal(t, []string{"zone-2"}, edge(t, g, "web->api (zone-2)").DestinationZones)
}

// TestRealPrometheusWorkloadNodes: in the map grouped by workload, a
// workload node spans the zones of its proxies, and the MeshService backed
// by two workloads keeps its KRI and zone.
func TestRealPrometheusWorkloadNodes(t *testing.T) {
	m := modernModes()[4]
	require.True(t, m.byWorkload)
	g, _ := buildModern(t, m, Options{ByWorkload: true})
	backend := node(t, g, "backend")
	assert.Equal(t, KindWorkload, backend.Kind)
	assert.Equal(t, []string{"zone-1", "zone-2"}, backend.Zones)
	assert.Equal(t, 2, backend.Total, "two proxies carry kuma.io/workload backend")
	assert.Equal(t, "backend_kuma-demo_svc_3001", backend.Service, "links open the service the workload backs")
	assert.Equal(t, []string{"zone-1", "zone-2"}, edge(t, g, "backend->redis").SourceZones)
	msvc := node(t, g, "backend (zone-1)")
	assert.Equal(t, kuma.ServiceMeshService, msvc.Kind)
	assert.Equal(t, "kri_msvc_default_zone-1_kuma-demo_backend_", msvc.KRI)
	assert.Equal(t, []string{"zone-2"}, edge(t, g, "frontend->backend").DestinationZones)
	assert.Equal(t, "backend (zone-2)", backend.Destination, "links into the workload node pass the copy it alone backs")
	assert.Empty(t, node(t, g, "backend-canary").Destination, "it shares backend (zone-1) with workload backend")
	assert.Empty(t, g.WithoutWorkload)

	// The same metrics by service: the canary is part of backend (zone-1).
	g, _ = buildModern(t, m, Options{})
	assert.Equal(t, []string{"backend (zone-1)", "backend (zone-2)", "frontend", "redis"}, nodeIDs(g))
}

// TestRealPrometheusZoneFilterOnTheMeshMetricPath: callers labelled only
// with zone (no kuma_io_zone) are filtered by it, in the query (each zone
// matcher keeps series without its label) and in the join.
func TestRealPrometheusZoneFilterOnTheMeshMetricPath(t *testing.T) {
	m := modernModes()[2]
	require.Equal(t, "unified", m.data)
	g, _ := buildModern(t, m, Options{Zone: regexp.MustCompile(`^(?:zone-2)$`), HideIdle: true})
	want := m.scenario.ExpectedFor("default", "zone-2")
	require.Len(t, want, 1)
	for key, w := range want {
		assertEdgeMatches(t, w, edge(t, g, key[0]+"->"+key[1]))
	}
	assert.Len(t, g.Edges, len(want), "zone-1's callers are left out")
	assert.Contains(t, g.Queries[1], `kuma_io_zone=~"zone-2|",zone=~"zone-2|"`, "the plain zone list is pushed down for both zone labels")
}
