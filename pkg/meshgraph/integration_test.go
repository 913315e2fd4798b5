//go:build integration

package meshgraph

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/vmtest"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

var (
	itEnd   = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	itStart = itEnd.Add(-time.Hour)
	// tolerance is the relative error allowed against the generated truth:
	// increase() extrapolates a little at the window's edges.
	tolerance = 0.02
)

func TestMain(m *testing.M) {
	serveAnswersIfAsked()
	code := m.Run()
	promtest.StopAll()
	vmtest.StopAll()
	os.Exit(code)
}

// engine is a Prometheus-compatible server the real-data tests run on.
type engine struct {
	name string
	// start returns the base URL of a server loaded with the data set key.
	start func(t *testing.T, key string, openMetrics func() []byte) string
}

var (
	realPrometheus = engine{name: "Prometheus", start: func(t *testing.T, key string, om func() []byte) string {
		return promtest.StartOnce(t, key, om).URL
	}}
	realVictoriaMetrics = engine{name: "VictoriaMetrics", start: func(t *testing.T, key string, om func() []byte) string {
		return vmtest.StartOnce(t, key, om).URL
	}}
)

// realSources returns a real engine loaded with the demo scenario and the
// real clients, the CP one against the recorded control plane.
func realSources(t *testing.T, on engine, version string) (ControlPlane, Metrics) {
	t.Helper()
	url := on.start(t, "meshgraph-demo", func() []byte { return envoysim.Demo(itStart, itEnd).OpenMetrics() })
	prom, err := prometheus.NewClient(prometheus.Config{Address: url})
	require.NoError(t, err)
	cp, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, version).URL})
	require.NoError(t, err)
	return cp, prom
}

func buildReal(t *testing.T, version string, opts Options) *Graph {
	t.Helper()
	return buildOn(t, realPrometheus, version, opts)
}

func buildOn(t *testing.T, on engine, version string, opts Options) *Graph {
	t.Helper()
	cp, prom := realSources(t, on, version)
	opts.Mesh, opts.From, opts.To = "default", itStart, itEnd
	g, err := Build(context.Background(), cp, prom, opts)
	require.NoError(t, err)
	return g
}

func TestRealPrometheusEdgesMatchTheTruth(t *testing.T) {
	for _, version := range []string{"2.14.3", "2.2.9"} {
		t.Run(version, func(t *testing.T) { assertDemoMatchesTheTruth(t, buildReal(t, version, Options{})) })
	}
}

// assertDemoMatchesTheTruth checks every edge and node of the demo graph
// against the generated truth.
func assertDemoMatchesTheTruth(t *testing.T, g *Graph) {
	t.Helper()
	truth := envoysim.Demo(itStart, itEnd).Expected()
	mapped := 0
	for key, want := range truth {
		if key[1] == "mystery-svc" {
			continue
		}
		mapped++
		t.Run(key[0]+"->"+key[1], func(t *testing.T) {
			got := edge(t, g, key[0]+"->"+key[1])
			assertEdgeMatches(t, want, got)
		})
	}
	assert.Len(t, g.Edges, mapped, "one edge per mapped pair, no more")
	assert.Equal(t, UnmappedSeries{Count: 1, Examples: []string{"mystery-svc"}}, g.Unmapped)
	notices := g.Frames(FrameOptions{Mesh: "default"})[0].Meta.Notices
	require.NotEmpty(t, notices)
	assert.Contains(t, notices[0].Text, "mystery-svc")
	assertNodesSumIncomingEdges(t, g)

	gw := node(t, g, "edge-gateway")
	into := truth[[2]string{"edge-gateway", "frontend"}]
	assert.InEpsilon(t, into.Requests, gw.Received.Total, tolerance, "requests entering the builtin gateway")
	assert.Empty(t, g.Warnings)
	assert.Len(t, g.Queries, 5)
}

func assertEdgeMatches(t *testing.T, want envoysim.EdgeTruth, got Edge) {
	t.Helper()
	if want.TCP {
		assert.Zero(t, got.Requests.Total)
		assert.InEpsilon(t, want.Connections, got.TCP.Connections, tolerance)
		assert.InEpsilon(t, want.TxBytes+want.RxBytes, got.TCP.Bytes, tolerance)
		assert.InEpsilon(t, want.TxBytesPerSec+want.RxBytesPerSec, got.TCPBytesPerSecond, tolerance)
		return
	}
	assert.InEpsilon(t, want.Rps, got.RequestsPerSecond, tolerance, "req/s")
	assert.InDelta(t, want.SuccessPct, got.Requests.SuccessPercent(), 0.1, "success %")
	for i := range Classes {
		if w := want.RequestsByClass[i+2]; w > 0 {
			assert.InEpsilon(t, w, got.Requests.ByClass[i], tolerance, Classes[i])
		} else {
			assert.Zero(t, got.Requests.ByClass[i], Classes[i])
		}
	}
	require.NotNil(t, got.P99Ms)
	lower, upper := envoysim.BucketOf(want.P99)
	assert.True(t, *got.P99Ms > lower && *got.P99Ms <= upper, "p99 %v ms not in (%v, %v] of the truth %v", *got.P99Ms, lower, upper, want.P99)
	assert.InEpsilon(t, want.P50, *got.P50Ms, 0.05, "p50")
}

// assertNodesSumIncomingEdges checks the node stats of every node but a
// builtin gateway, whose requests come from its listeners.
func assertNodesSumIncomingEdges(t *testing.T, g *Graph) {
	t.Helper()
	for _, n := range g.Nodes {
		if n.Kind == kuma.ServiceGatewayBuiltin {
			continue
		}
		var sum Requests
		var tcp TCP
		for _, e := range g.Edges {
			if e.Target == n.ID {
				sum.add(e.Requests)
				tcp.Bytes += e.TCP.Bytes
			}
		}
		assert.InDelta(t, sum.Total, n.Received.Total, 1e-6, n.ID)
		assert.InDelta(t, sum.ByClass[3], n.Received.ByClass[3], 1e-6, n.ID)
		assert.InDelta(t, tcp.Bytes, n.ReceivedTCP.Bytes, 1e-3, n.ID)
	}
}

func TestRealPrometheusZoneFilter(t *testing.T) { testZoneFilter(t, realPrometheus) }

func testZoneFilter(t *testing.T, on engine) {
	g := buildOn(t, on, "2.14.3", Options{Zone: regexp.MustCompile(`^(?:zone-2)$`)})
	want := envoysim.Demo(itStart, itEnd).ExpectedFor("default", "zone-2")
	require.Len(t, want, 1)
	require.Len(t, g.Edges, 1)
	assertEdgeMatches(t, want[[2]string{"frontend", "backend"}], g.Edges[0])
	// Services of zone "default" without zone-2 traffic are hidden; an
	// external service has no zones and stays.
	assert.Equal(t, []string{"backend", "frontend", "httpbin"}, nodeIDs(g))
	assert.Zero(t, g.Unmapped.Count, "mystery-svc is called from zone default only")
}

func TestRealPrometheusRollup(t *testing.T) { testRollup(t, realPrometheus) }

func testRollup(t *testing.T, on engine) {
	g := buildOn(t, on, "2.14.3", Options{Rollup: regexp.MustCompile(`^.*-(gateway)$`), HideIdle: true})
	truth := envoysim.Demo(itStart, itEnd).Expected()
	edgeGW, kong := truth[[2]string{"edge-gateway", "frontend"}], truth[[2]string{"kong-gateway", "frontend"}]

	got := edge(t, g, "gateway->frontend")
	assert.InEpsilon(t, edgeGW.Requests+kong.Requests, got.Requests.Total, tolerance, "merged edges sum")
	buckets := make([]float64, len(envoysim.EnvoyBucketsMs))
	for i := range buckets {
		buckets[i] = edgeGW.LatencyBuckets[i] + kong.LatencyBuckets[i]
	}
	p99 := envoysim.BucketQuantile(0.99, envoysim.EnvoyBucketsMs, buckets)
	lower, upper := envoysim.BucketOf(p99)
	require.NotNil(t, got.P99Ms)
	assert.True(t, *got.P99Ms > lower && *got.P99Ms <= upper, "p99 of merged buckets %v not in (%v, %v]", *got.P99Ms, lower, upper)
	assert.Equal(t, []string{"backend", "frontend", "gateway", "httpbin", "redis"}, nodeIDs(g))
}

// TestRealPrometheusMeshMetricPolicyPath checks proxies whose metrics come
// through the MeshMetric policy, which adds no kuma_io_mesh_traffic label and
// does not merge split clusters: their traffic is drawn all the same.
func TestRealPrometheusMeshMetricPolicyPath(t *testing.T) {
	s := envoysim.Scenario{
		Mesh: "default", Start: itStart, End: itEnd,
		Proxies: []envoysim.Proxy{
			{Name: "frontend-1", Service: "frontend", Zone: "default", MeshMetric: true},
			{Name: "backend-1", Service: "backend", Zone: "default", MeshMetric: true},
		},
		Calls: []envoysim.Call{{
			From: "frontend-1", ClusterName: "backend-0123456789abcdef", To: "backend",
			Requests: map[int]float64{2: 3000, 5: 600},
		}},
	}
	srv := promtest.StartOnce(t, "meshgraph-meshmetric", s.OpenMetrics)
	prom, err := prometheus.NewClient(prometheus.Config{Address: srv.URL})
	require.NoError(t, err)
	cp, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, "2.14.3").URL})
	require.NoError(t, err)

	g, err := Build(context.Background(), cp, prom, Options{Mesh: "default", From: itStart, To: itEnd})
	require.NoError(t, err)
	want := s.Expected()[[2]string{"frontend", "backend"}]
	require.NotZero(t, want.Requests)
	assertEdgeMatches(t, want, edge(t, g, "frontend->backend"))
	assert.Len(t, g.Edges, 1, "system clusters stay out without the mesh-traffic label too")
}

// TestRealPrometheusLimits runs the graph against a Prometheus started with
// tiny query limits: the error names the query, the limit and the remedies.
func TestRealPrometheusLimits(t *testing.T) {
	tests := []struct {
		name, flag string
		remedies   []string
	}{
		{name: "too many samples", flag: FlagMaxSamples + "=100", remedies: []string{"filter by zone", "raise " + FlagMaxSamples, "whatever the time range"}},
		// A timeout of 0 is a deadline already past when the query starts,
		// so every query times out however fast the machine; 1ms let a
		// small query through on an idle one.
		{name: "a query timeout", flag: FlagTimeout + "=0s", remedies: []string{"shorten the time range", "filter by zone", "raise " + FlagTimeout}},
	}
	data := envoysim.Demo(itStart, itEnd).OpenMetrics()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := promtest.Start(t, data, tt.flag)
			prom, err := prometheus.NewClient(prometheus.Config{Address: srv.URL})
			require.NoError(t, err)
			cp, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, "2.14.3").URL})
			require.NoError(t, err)
			_, err = Build(context.Background(), cp, prom, Options{Mesh: "default", From: itStart, To: itEnd})
			require.Error(t, err)
			var limit *LimitError
			require.ErrorAs(t, err, &limit, err.Error())
			assert.Equal(t, strings.SplitN(tt.flag, "=", 2)[0], limit.Flag)
			assert.Contains(t, queryNames[:], limit.Query)
			assert.Contains(t, err.Error(), "the service map's "+limit.Query+" query")
			for _, r := range tt.remedies {
				assert.Contains(t, err.Error(), r)
			}
			assert.True(t, backend.IsDownstreamError(err), "a Prometheus limit is downstream")
		})
	}
}

// TestRealPrometheusLegacyKubernetesTag: in a legacy mesh (no MeshService)
// a Kubernetes-style kuma.io/service tag <svc>_<ns>_svc_<port> is the
// node's name and its cluster's, as the recorded 2.14.3 CP lists it in mesh
// "payments"; the call into it matches the truth.
func TestRealPrometheusLegacyKubernetesTag(t *testing.T) {
	cp, prom := realSources(t, realPrometheus, "2.14.3")
	g, err := Build(context.Background(), cp, prom, Options{Mesh: "payments", From: itStart, To: itEnd})
	require.NoError(t, err)
	truth := envoysim.Demo(itStart, itEnd).ExpectedFor("payments")
	require.Len(t, truth, 1)
	want := truth[[2]string{"checkout", "ledger_payments_svc_9000"}]
	assertEdgeMatches(t, want, edge(t, g, "checkout->ledger_payments_svc_9000"))
	assert.Len(t, g.Edges, 1)
	ledger := node(t, g, "ledger_payments_svc_9000")
	assert.True(t, ledger.KnownToCP)
	assert.Empty(t, ledger.Service, "dashboards know it by its ID, the tag itself")
	assert.Zero(t, g.Unmapped.Count)
	assertNodesSumIncomingEdges(t, g)
}
