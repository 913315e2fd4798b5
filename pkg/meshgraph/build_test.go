package meshgraph

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

var (
	testTo   = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	testFrom = testTo.Add(-100 * time.Second)
)

// demoCP is a two-zone mesh: frontend and backend v1/v2 in zone-1, redis in
// zone-2, a builtin gateway and an idle service.
func demoCP() *fakeCP {
	return &fakeCP{
		mesh: kuma.Mesh{Name: "default"},
		insights: []kuma.Service{
			svc("frontend", kuma.ServiceInternal, 2, 0, "zone-1"),
			svc("backend-v1", kuma.ServiceInternal, 1, 0, "zone-1"),
			svc("backend-v2", kuma.ServiceInternal, 1, 1, "zone-1"),
			svc("redis", kuma.ServiceInternal, 1, 0, "zone-2"),
			svc("edge-gateway", kuma.ServiceGatewayBuiltin, 1, 0, "zone-1"),
			svc("idle", kuma.ServiceInternal, 0, 1, "zone-2"),
			svc("httpbin", kuma.ServiceExternal, 0, 0),
		},
		gateways: []kuma.MeshGateway{{Name: "edge", Services: []string{"edge-gateway"}}},
	}
}

func demoMetrics() *fakeMetrics {
	f := metricsFor(
		traffic{src: "edge-gateway", zone: "zone-1", cluster: "frontend", classes: [4]float64{1000}},
		traffic{src: "frontend", zone: "zone-1", cluster: "backend-v1", classes: [4]float64{800, 0, 100, 100},
			buckets: map[string]float64{"5": 500, "10": 900, "50": 1000, "+Inf": 1000}},
		traffic{src: "frontend", zone: "zone-1", cluster: "backend-v2-0123456789abcdef", classes: [4]float64{100},
			buckets: map[string]float64{"5": 0, "10": 50, "50": 100, "+Inf": 100}},
		traffic{src: "backend-v1", zone: "zone-1", cluster: "redis", cx: 20, tx: 1000, rx: 9000},
		traffic{src: "batch-job", zone: "zone-2", cluster: "redis", classes: [4]float64{50}},
		traffic{src: "frontend", zone: "zone-1", cluster: "legacy-db", classes: [4]float64{10}},
	)
	f.gateway = append(f.gateway,
		sample(900, "kuma_io_mesh_gateway", "edge", "kuma_io_zone", "zone-1", "envoy_http_conn_manager_prefix", "edge-gateway", "envoy_response_code_class", "2"),
		sample(100, "kuma_io_mesh_gateway", "edge", "kuma_io_zone", "zone-1", "envoy_http_conn_manager_prefix", "edge-gateway", "envoy_response_code_class", "4"),
	)
	return f
}

func build(t *testing.T, cp ControlPlane, m *fakeMetrics, opts Options) *Graph {
	t.Helper()
	opts.Mesh, opts.From, opts.To = "default", testFrom, testTo
	g, err := Build(context.Background(), cp, m, opts)
	require.NoError(t, err)
	return g
}

func nodeIDs(g *Graph) []string {
	out := []string{}
	for _, n := range g.Nodes {
		out = append(out, n.ID)
	}
	return out
}

func edgeIDs(g *Graph) []string {
	out := []string{}
	for _, e := range g.Edges {
		out = append(out, e.ID())
	}
	return out
}

func node(t *testing.T, g *Graph, id string) Node {
	t.Helper()
	for _, n := range g.Nodes {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("no node %q in %v", id, nodeIDs(g))
	return Node{}
}

func edge(t *testing.T, g *Graph, id string) Edge {
	t.Helper()
	for _, e := range g.Edges {
		if e.ID() == id {
			return e
		}
	}
	t.Fatalf("no edge %q in %v", id, edgeIDs(g))
	return Edge{}
}

func TestBuildJoinsServicesAndTraffic(t *testing.T) {
	m := demoMetrics()
	g := build(t, demoCP(), m, Options{})

	assert.Equal(t, []string{"backend-v1", "backend-v2", "batch-job", "edge-gateway", "frontend", "httpbin", "idle", "redis"}, nodeIDs(g))
	assert.Equal(t, []string{"backend-v1->redis", "batch-job->redis", "edge-gateway->frontend", "frontend->backend-v1", "frontend->backend-v2"}, edgeIDs(g))

	e := edge(t, g, "frontend->backend-v1")
	assert.Equal(t, Requests{ByClass: [4]float64{800, 0, 100, 100}, Total: 1000}, e.Requests)
	assert.InDelta(t, 10, e.RequestsPerSecond, 1e-9, "1000 requests over 100s")
	assert.InDelta(t, 90, e.Requests.SuccessPercent(), 1e-9)
	require.NotNil(t, e.P50Ms)
	assert.InDelta(t, 5, *e.P50Ms, 1e-9)
	assert.InDelta(t, 10+40*(990.0-900)/100, *e.P99Ms, 1e-9)

	tcp := edge(t, g, "backend-v1->redis")
	assert.Zero(t, tcp.RequestsPerSecond, "a TCP-only edge has no requests")
	assert.Equal(t, TCP{Connections: 20, Bytes: 10000}, tcp.TCP)
	assert.InDelta(t, 100, tcp.TCPBytesPerSecond, 1e-9)
	assert.Nil(t, tcp.P99Ms, "no histogram, no latency")

	frontend := node(t, g, "frontend")
	assert.Equal(t, 1000.0, frontend.Received.Total, "a node receives the sum of its incoming edges")
	assert.True(t, frontend.KnownToCP)
	redis := node(t, g, "redis")
	assert.Equal(t, 50.0, redis.Received.Total)
	assert.Equal(t, 10000.0, redis.ReceivedTCP.Bytes)

	gw := node(t, g, "edge-gateway")
	assert.Equal(t, Requests{ByClass: [4]float64{900, 0, 100, 0}, Total: 1000}, gw.Received, "a builtin gateway counts requests entering it")
	assert.Equal(t, "edge", gw.Gateway)

	batch := node(t, g, "batch-job")
	assert.False(t, batch.KnownToCP, "a source only seen in metrics is a node unknown to the CP")
	assert.Equal(t, KindUnknown, batch.Kind)
	assert.Equal(t, []string{"zone-2"}, batch.Zones)

	assert.False(t, node(t, g, "idle").Active, "idle services are shown")
	assert.Equal(t, UnmappedSeries{Count: 1, Examples: []string{"legacy-db"}}, g.Unmapped)

	assert.Len(t, m.queries, 5, "a fixed number of queries")
	assert.Equal(t, g.Queries, sortedCopy(m.queries))
	for _, at := range m.at {
		assert.Equal(t, testTo, at, "queries are evaluated at the end of the window")
	}
}

func sortedCopy(in []string) []string {
	out := append([]string(nil), in...)
	order := map[string]int{}
	for i, q := range newQueries("default", 100*time.Second, models.DefaultLabelNames, nil) {
		order[q] = i
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if order[out[j]] < order[out[i]] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestBuildZoneFilter(t *testing.T) {
	tests := []struct {
		name      string
		zone      string
		wantNodes []string
		wantEdges []string
	}{
		{
			name:      "zone-1 keeps its traffic and services, services without zones, and edge targets elsewhere",
			zone:      "^(?:zone-1)$",
			wantNodes: []string{"backend-v1", "backend-v2", "edge-gateway", "frontend", "httpbin", "redis"},
			wantEdges: []string{"backend-v1->redis", "edge-gateway->frontend", "frontend->backend-v1", "frontend->backend-v2"},
		},
		{
			name:      "zone-2 keeps only traffic from zone-2 proxies",
			zone:      "^(?:zone-2)$",
			wantNodes: []string{"batch-job", "httpbin", "idle", "redis"},
			wantEdges: []string{"batch-job->redis"},
		},
		{
			name:      "a multi-value variable arrives as an alternation",
			zone:      "^(?:(zone-1|zone-2))$",
			wantNodes: []string{"backend-v1", "backend-v2", "batch-job", "edge-gateway", "frontend", "httpbin", "idle", "redis"},
			wantEdges: []string{"backend-v1->redis", "batch-job->redis", "edge-gateway->frontend", "frontend->backend-v1", "frontend->backend-v2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(t, demoCP(), demoMetrics(), Options{Zone: regexp.MustCompile(tt.zone)})
			assert.Equal(t, tt.wantNodes, nodeIDs(g))
			assert.Equal(t, tt.wantEdges, edgeIDs(g))
		})
	}
	g := build(t, demoCP(), demoMetrics(), Options{Zone: regexp.MustCompile("^(?:zone-2)$")})
	assert.Equal(t, 50.0, node(t, g, "redis").Received.Total, "node stats count only traffic from the selected zones")
	assert.Zero(t, node(t, g, "redis").ReceivedTCP.Bytes)
}

func TestBuildRollup(t *testing.T) {
	g := build(t, demoCP(), demoMetrics(), Options{Rollup: regexp.MustCompile(`^(.*)-v[0-9]+$`)})
	assert.Equal(t, []string{"backend", "batch-job", "edge-gateway", "frontend", "httpbin", "idle", "redis"}, nodeIDs(g),
		"names that do not match stay as they are")
	assert.Equal(t, []string{"backend->redis", "batch-job->redis", "edge-gateway->frontend", "frontend->backend"}, edgeIDs(g))

	e := edge(t, g, "frontend->backend")
	assert.Equal(t, Requests{ByClass: [4]float64{900, 0, 100, 100}, Total: 1100}, e.Requests, "merged edges sum")
	// Merged buckets: le 5: 500, 10: 950, 50: 1100; p50 rank 550 is in (5, 10].
	require.NotNil(t, e.P50Ms)
	assert.InDelta(t, 5+5*(550.0-500)/450, *e.P50Ms, 1e-3, "latency comes from merged buckets")

	b := node(t, g, "backend")
	assert.Equal(t, 1100.0, b.Received.Total)
	assert.Equal(t, 2, b.Online)
	assert.Equal(t, 1, b.Offline)
	assert.Equal(t, "partially_degraded", b.Status)
}

func TestBuildHideIdle(t *testing.T) {
	g := build(t, demoCP(), demoMetrics(), Options{HideIdle: true})
	assert.Equal(t, []string{"backend-v1", "backend-v2", "batch-job", "edge-gateway", "frontend", "redis"}, nodeIDs(g))
}

func TestBuildEveryEdgeEndHasANode(t *testing.T) {
	for _, opts := range []Options{{}, {HideIdle: true}, {Zone: regexp.MustCompile("^zone-1$")}, {Rollup: regexp.MustCompile("(.*)-v")}} {
		g := build(t, demoCP(), demoMetrics(), opts)
		ids := map[string]bool{}
		for _, n := range g.Nodes {
			ids[n.ID] = true
		}
		for _, e := range g.Edges {
			assert.True(t, ids[e.Source] && ids[e.Target], e.ID())
		}
	}
}

func TestBuildErrors(t *testing.T) {
	cpErr := errors.New("cp down")
	promErr := errors.New("prometheus down")
	_, err := Build(context.Background(), &fakeCP{err: cpErr}, demoMetrics(), Options{Mesh: "default", To: testTo})
	assert.ErrorIs(t, err, cpErr)
	_, err = Build(context.Background(), demoCP(), &fakeMetrics{err: promErr}, Options{Mesh: "default", To: testTo})
	assert.ErrorIs(t, err, promErr)
	_, err = Build(context.Background(), &fakeCP{block: true}, &fakeMetrics{err: promErr}, Options{Mesh: "default", To: testTo})
	assert.ErrorIs(t, err, promErr, "the failure that canceled the slow control-plane call is reported, not the cancellation")
}

func TestBuildKeepsPrometheusWarnings(t *testing.T) {
	m := demoMetrics()
	m.warnings = []string{"query hit the series limit"}
	g := build(t, demoCP(), m, Options{})
	assert.Equal(t, []string{"query hit the series limit"}, g.Warnings, "warnings are de-duplicated across queries")
}

func TestBuildMeshServiceClusters(t *testing.T) {
	msvcs := []kuma.Service{
		{Name: "redis", Kind: kuma.ServiceMeshService, Zone: "zone-1", Namespace: "demo", Online: 1, Total: 1, Ports: []kuma.Port{{Name: "tcp", Port: 6379}}},
		{Name: "api", Kind: kuma.ServiceMeshService, Zone: "zone-1", Namespace: "demo", Online: 2, Total: 2, Ports: []kuma.Port{{Name: "http", Port: 80}}},
	}
	m := metricsFor(
		traffic{src: "api", zone: "zone-1", cluster: "kri_msvc_default_zone-1_demo_redis_tcp", cx: 5, tx: 10, rx: 20},
		traffic{src: "kong", zone: "zone-1", cluster: "default_api_demo__msvc_80", classes: [4]float64{100}},
	)
	tests := []struct {
		name      string
		exclusive bool
		wantNodes []string
	}{
		{"an Exclusive mesh shows every MeshService", true, []string{"api", "kong", "redis"}},
		{"other meshes show MeshServices that traffic reaches", false, []string{"api", "kong", "redis"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := &fakeCP{mesh: kuma.Mesh{Name: "default"}, msvcs: msvcs,
				insights: []kuma.Service{svc("kong", kuma.ServiceGatewayDelegated, 1, 0, "zone-1")}}
			if tt.exclusive {
				cp.mesh.MeshServicesMode = kuma.MeshServicesExclusive
			}
			g := build(t, cp, m, Options{})
			assert.Equal(t, tt.wantNodes, nodeIDs(g))
			assert.Equal(t, []string{"api->redis", "kong->api"}, edgeIDs(g))
			assert.True(t, node(t, g, "redis").KnownToCP)
			assert.Equal(t, kuma.ServiceMeshService, node(t, g, "api").Kind)
			assert.Zero(t, g.Unmapped.Count)
		})
	}
}
