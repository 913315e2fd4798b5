//go:build integration

package traffic

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
	"github.com/kumahq/kuma-grafana-datasource/pkg/meshgraph"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

func TestMain(m *testing.M) { promtest.Main(m) }

// tolerance is the relative error allowed against the truth: rate()
// extrapolates a little at the edges of its window.
const tolerance = 0.02

// realPrometheus is a client of the shared real Prometheus holding the demo.
func realPrometheus(t *testing.T) *prometheus.Client {
	t.Helper()
	return sharedPrometheus(t, "traffic-demo", func() []byte { return envoysim.Demo(start, end).OpenMetrics() })
}

// sharedPrometheus is a client of the real Prometheus shared under key,
// which holds openMetrics (read only when the server first starts).
func sharedPrometheus(t *testing.T, key string, openMetrics func() []byte) *prometheus.Client {
	t.Helper()
	srv := promtest.StartOnce(t, key, openMetrics)
	prom, err := prometheus.NewClient(prometheus.Config{Address: srv.URL})
	require.NoError(t, err)
	return prom
}

// TestRealPrometheusEdgeSeriesAgreeWithTheServiceMap runs the graph and the
// traffic query over the same window against a real Prometheus: numbers
// equal the graph's edges, and the time series stay at the edges' rates
// (the demo's counters grow linearly).
func TestRealPrometheusEdgeSeriesAgreeWithTheServiceMap(t *testing.T) {
	prom, cp := realPrometheus(t), recordedCP(t)
	g, err := meshgraph.Build(context.Background(), cp, prom, meshgraph.Options{Mesh: "default", From: start, To: end})
	require.NoError(t, err)
	require.NotEmpty(t, g.Edges)

	metrics := []models.TrafficMetric{models.MetricRequests, models.MetricSuccess, models.MetricP99, models.MetricTCPBytes}
	numbers, err := Run(context.Background(), cp, prom, Options{Mesh: "default", From: start, To: end, GroupBy: models.GroupByEdge, Metrics: metrics})
	require.NoError(t, err)
	// The last 30 minutes, so every rate window lies inside the data.
	series, err := Run(context.Background(), cp, prom, Options{Mesh: "default", From: end.Add(-30 * time.Minute), To: end, Step: time.Minute, GroupBy: models.GroupByEdge, Metrics: metrics})
	require.NoError(t, err)
	assert.Len(t, numbers.Series, len(g.Edges), "one series per edge of the map")
	assert.Len(t, series.Series, len(g.Edges))
	assert.Len(t, series.Times, 31)

	for _, e := range g.Edges {
		name := e.Source + "->" + e.Target
		t.Run(name, func(t *testing.T) {
			if e.Requests.Total == 0 {
				assert.InEpsilon(t, e.TCPBytesPerSecond, *value(t, numbers, name, models.MetricTCPBytes, 0), 1e-6)
				for i := range series.Times {
					assert.InEpsilon(t, e.TCPBytesPerSecond, *value(t, series, name, models.MetricTCPBytes, i), tolerance)
				}
				return
			}
			assert.InEpsilon(t, e.RequestsPerSecond, *value(t, numbers, name, models.MetricRequests, 0), 1e-6, "same window, same numbers")
			assert.InDelta(t, e.Requests.SuccessPercent(), *value(t, numbers, name, models.MetricSuccess, 0), 1e-6)
			assert.InDelta(t, *e.P99Ms, *value(t, numbers, name, models.MetricP99, 0), 0.001)
			for i := range series.Times {
				assert.InEpsilon(t, e.RequestsPerSecond, *value(t, series, name, models.MetricRequests, i), tolerance, "point %d", i)
				assert.InDelta(t, e.Requests.SuccessPercent(), *value(t, series, name, models.MetricSuccess, i), 0.1, "point %d", i)
			}
		})
	}
}

// TestRealPrometheusServiceNumbersAreTheMapsNodes checks groupBy service
// against the map's nodes over the same window: the same services, and
// each one's requests and success rate, builtin gateways included.
func TestRealPrometheusServiceNumbersAreTheMapsNodes(t *testing.T) {
	prom, cp := realPrometheus(t), recordedCP(t)
	g, err := meshgraph.Build(context.Background(), cp, prom, meshgraph.Options{Mesh: "default", From: start, To: end})
	require.NoError(t, err)
	r, err := Run(context.Background(), cp, prom, Options{Mesh: "default", From: start, To: end, GroupBy: models.GroupByService,
		Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricSuccess, models.MetricTCPBytes}})
	require.NoError(t, err)
	var nodes []string
	for _, n := range g.Nodes {
		nodes = append(nodes, n.ID)
		assert.InDelta(t, n.RequestsPerSecond, *value(t, r, n.ID, models.MetricRequests, 0), 1e-6*max(1, n.RequestsPerSecond), n.ID)
		assert.InDelta(t, n.Received.SuccessPercent(), *value(t, r, n.ID, models.MetricSuccess, 0), 1e-6, n.ID)
		assert.InDelta(t, n.TCPBytesPerSecond, *value(t, r, n.ID, models.MetricTCPBytes, 0), 1e-6*max(1, n.TCPBytesPerSecond), n.ID)
	}
	assert.Equal(t, nodes, names(r))
}

func TestRealPrometheusServicesAndGatewaysMatchTheTruth(t *testing.T) {
	prom, cp := realPrometheus(t), recordedCP(t)
	truth := envoysim.Demo(start, end).Expected()
	svc, err := Run(context.Background(), cp, prom, Options{Mesh: "default", From: start, To: end, GroupBy: models.GroupByService, Metrics: []models.TrafficMetric{models.MetricRequests}})
	require.NoError(t, err)
	var intoBackend float64
	for _, e := range truth {
		if e.Destination == "backend" {
			intoBackend += e.Rps
		}
	}
	assert.InEpsilon(t, intoBackend, *value(t, svc, "backend", models.MetricRequests, 0), tolerance)

	gw, err := Run(context.Background(), cp, prom, Options{Mesh: "default", From: end.Add(-10 * time.Minute), To: end, Step: 30 * time.Second, GroupBy: models.GroupByGateway, Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricP50}})
	require.NoError(t, err)
	want := truth[[2]string{"edge-gateway", "frontend"}]
	for i := range gw.Times {
		assert.InEpsilon(t, want.Rps, *value(t, gw, "edge-gateway", models.MetricRequests, i), tolerance)
		// p50, not p99: the demo's p99 sits on a bucket bound, where a
		// rate over a minute tips it into the next, empty bucket.
		p50 := value(t, gw, "edge-gateway", models.MetricP50, i)
		require.NotNil(t, p50)
		assert.InEpsilon(t, want.P50, *p50, 0.05)
	}
}

// TestRealPrometheusWorkloadCallersAreNamedAsInTheMap: on the MeshMetric
// path with unified naming, callers carry kuma_workload and zone but no
// kuma_io_service; traffic names them through the dataplanes, as the map
// does, so its edges are the truth's and the map's, none unresolved.
func TestRealPrometheusWorkloadCallersAreNamedAsInTheMap(t *testing.T) {
	scenario := envoysim.UnifiedMeshMetric(start, end)
	prom, cp := sharedPrometheus(t, "traffic-unified", scenario.OpenMetrics), replayedCP(t, "2.14.3-k8s-built")

	r, err := Run(context.Background(), cp, prom, Options{Mesh: "default", From: start, To: end, GroupBy: models.GroupByEdge,
		Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricSuccess, models.MetricTCPBytes}})
	require.NoError(t, err)
	assertEdgesAreTheTruth(t, r, scenario.Expected(), "one series per edge, callers named by their MeshService")

	g, err := meshgraph.Build(context.Background(), cp, prom, meshgraph.Options{Mesh: "default", From: start, To: end})
	require.NoError(t, err)
	for _, e := range g.Edges {
		if e.Requests.Total > 0 {
			assert.InEpsilon(t, e.RequestsPerSecond, *value(t, r, e.ID(), models.MetricRequests, 0), 1e-6, e.ID())
		}
	}
}

// TestRealPrometheusZoneProxiesAreNamedAsInTheMap: in the recorded
// multizone Exclusive world, a zone ingress on the MeshMetric path is
// labelled only with kuma_proxy_role and zone, and a gateway calls another
// mesh through backend_default; traffic's edges are the truth's and the
// map's, with the map's numbers, and no cluster is unmapped.
func TestRealPrometheusZoneProxiesAreNamedAsInTheMap(t *testing.T) {
	scenario := envoysim.ExclusiveMultizone(start, end)
	prom, cp := sharedPrometheus(t, "traffic-multizone", scenario.OpenMetrics), replayedCP(t, "2.14.3-exclusive")

	r, err := Run(context.Background(), cp, prom, Options{Mesh: "modern", From: start, To: end, GroupBy: models.GroupByEdge,
		Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricSuccess, models.MetricP50, models.MetricTCPBytes}})
	require.NoError(t, err)
	assert.Zero(t, r.Unmapped.Count, "every cluster maps: %v", r.Unmapped.Examples)
	assertEdgesAreTheTruth(t, r, scenario.Expected(), "one series per edge, zone proxies and the other mesh's service named as map nodes")

	g, err := meshgraph.Build(context.Background(), cp, prom, meshgraph.Options{Mesh: "modern", From: start, To: end})
	require.NoError(t, err)
	assert.Len(t, g.Edges, len(r.Series))
	for _, e := range g.Edges {
		if e.Requests.Total > 0 {
			assert.InEpsilon(t, e.RequestsPerSecond, *value(t, r, e.ID(), models.MetricRequests, 0), 1e-6, e.ID())
			assert.InDelta(t, *e.P50Ms, *value(t, r, e.ID(), models.MetricP50, 0), 0.001, e.ID())
		} else {
			assert.InEpsilon(t, e.TCPBytesPerSecond, *value(t, r, e.ID(), models.MetricTCPBytes, 0), 1e-6, e.ID())
		}
	}
}

// assertEdgesAreTheTruth checks r, grouped by edge over the whole window,
// against truth within what rate() allows: one series per edge (msg says
// how they are named), with the truth's requests, success rate and TCP
// bytes, and its p50 when r holds it.
func assertEdgesAreTheTruth(t *testing.T, r *Result, truth map[[2]string]envoysim.EdgeTruth, msg string) {
	t.Helper()
	var want []string
	for key, e := range truth {
		name := key[0] + "->" + key[1]
		want = append(want, name)
		if e.TCP {
			assert.InEpsilon(t, e.TxBytesPerSec+e.RxBytesPerSec, *value(t, r, name, models.MetricTCPBytes, 0), tolerance, name)
			continue
		}
		assert.InEpsilon(t, e.Rps, *value(t, r, name, models.MetricRequests, 0), tolerance, name)
		assert.InDelta(t, e.SuccessPct, *value(t, r, name, models.MetricSuccess, 0), 0.1, name)
		if slices.Contains(r.Metrics, models.MetricP50) {
			assert.InEpsilon(t, e.P50, *value(t, r, name, models.MetricP50, 0), 0.05, name)
		}
	}
	sort.Strings(want)
	assert.Equal(t, want, names(r), msg)
}

// TestRealPrometheusLimits runs the traffic query, as numbers and as time
// series, against a Prometheus started with tiny query limits: the error
// names the query, the limit and the remedies, as the service map's does.
func TestRealPrometheusLimits(t *testing.T) {
	tests := []struct {
		name, flag string
		step       time.Duration
		remedies   []string
	}{
		{name: "too many samples, numbers", flag: meshgraph.FlagMaxSamples + "=100",
			remedies: []string{"filter by zone", "raise " + meshgraph.FlagMaxSamples, "whatever the time range"}},
		{name: "too many samples, time series", flag: meshgraph.FlagMaxSamples + "=100", step: time.Minute,
			remedies: []string{"shorten the time range", "raise the step (Min interval)", "filter by zone", "raise " + meshgraph.FlagMaxSamples}},
		// A timeout of 0 is a deadline already past when the query starts.
		{name: "a query timeout", flag: meshgraph.FlagTimeout + "=0s", step: time.Minute,
			remedies: []string{"shorten the time range", "filter by zone", "raise " + meshgraph.FlagTimeout}},
	}
	data := envoysim.Demo(start, end).OpenMetrics()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := promtest.Start(t, data, tt.flag)
			prom, err := prometheus.NewClient(prometheus.Config{Address: srv.URL})
			require.NoError(t, err)
			_, err = Run(context.Background(), recordedCP(t), prom, Options{Mesh: "default", From: start, To: end, Step: tt.step,
				GroupBy: models.GroupByEdge, Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricP99}})
			require.Error(t, err)
			var limit *meshgraph.LimitError
			require.ErrorAs(t, err, &limit, err.Error())
			assert.Equal(t, strings.SplitN(tt.flag, "=", 2)[0], limit.Flag)
			assert.Contains(t, kindNames[:], limit.Query)
			assert.Contains(t, err.Error(), "Prometheus: the traffic query's "+limit.Query+" query")
			for _, r := range tt.remedies {
				assert.Contains(t, err.Error(), r)
			}
			assert.True(t, backend.IsDownstreamError(err), "a Prometheus limit is downstream")
		})
	}
}
