package traffic

import (
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/sseread"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

var allMetrics = models.TrafficMetrics

func run(t *testing.T, opts Options) (*Result, *simMetrics) {
	t.Helper()
	sim := &simMetrics{s: envoysim.Demo(start, end)}
	opts.Mesh, opts.From, opts.To = "default", start, end
	res, err := Run(context.Background(), recordedCP(t), sim, opts)
	require.NoError(t, err)
	return res, sim
}

// value returns metric mt of the series named name (or src → dst) at time i.
func value(t *testing.T, r *Result, name string, mt models.TrafficMetric, i int) *float64 {
	t.Helper()
	mi := -1
	for j, m := range r.Metrics {
		if m == mt {
			mi = j
		}
	}
	require.GreaterOrEqual(t, mi, 0, "metric %s", mt)
	for _, s := range r.Series {
		if s.Name == name || s.Source+"->"+s.Destination == name {
			return s.Values[mi][i]
		}
	}
	t.Fatalf("no series %q in %v", name, names(r))
	return nil
}

func names(r *Result) []string {
	var out []string
	for _, s := range r.Series {
		if s.Source != "" {
			out = append(out, s.Source+"->"+s.Destination)
		} else {
			out = append(out, s.Name)
		}
	}
	return out
}

func assertEdge(t *testing.T, r *Result, want envoysim.EdgeTruth, i int) {
	t.Helper()
	name := want.Source + "->" + want.Destination
	if want.TCP {
		assert.InEpsilon(t, want.TxBytesPerSec+want.RxBytesPerSec, *value(t, r, name, models.MetricTCPBytes, i), 1e-9, name)
		assert.InEpsilon(t, want.Connections/end.Sub(start).Seconds(), *value(t, r, name, models.MetricTCPConnections, i), 1e-9, name)
		assert.Zero(t, *value(t, r, name, models.MetricRequests, i), name)
		assert.Nil(t, value(t, r, name, models.MetricP99, i), "no latency without requests")
		return
	}
	assert.InEpsilon(t, want.Rps, *value(t, r, name, models.MetricRequests, i), 1e-9, name)
	assert.InDelta(t, want.RequestsByClass[5]/end.Sub(start).Seconds(), *value(t, r, name, models.MetricErrors, i), 1e-9, name)
	assert.InDelta(t, want.SuccessPct, *value(t, r, name, models.MetricSuccess, i), 1e-9, name)
	assert.InDelta(t, want.P50, *value(t, r, name, models.MetricP50, i), 0.001, name)
	assert.InDelta(t, envoysim.BucketQuantile(0.9, envoysim.EnvoyBucketsMs, want.LatencyBuckets), *value(t, r, name, models.MetricP90, i), 0.001, name)
	assert.InDelta(t, want.P99, *value(t, r, name, models.MetricP99, i), 0.001, name)
}

func TestEdgesMatchTheTruth(t *testing.T) {
	truth := envoysim.Demo(start, end).Expected()
	for _, tt := range []struct {
		name string
		step time.Duration
	}{{"numbers over the range", 0}, {"time series", time.Minute}} {
		t.Run(tt.name, func(t *testing.T) {
			r, sim := run(t, Options{GroupBy: models.GroupByEdge, Metrics: allMetrics, Step: tt.step})
			assert.Equal(t, tt.step == 0, r.Numeric)
			assert.Len(t, r.Queries, 4, "classes, total, latency and TCP, whatever the mesh size")
			assert.Len(t, r.Series, len(truth)-1, "every edge but the one to mystery-svc")
			assert.Equal(t, 1, r.Unmapped.Count)
			for _, want := range truth {
				if want.Destination == "mystery-svc" {
					continue
				}
				for i := range r.Times {
					assertEdge(t, r, want, i)
				}
			}
			if tt.step > 0 {
				assert.Len(t, r.Times, 61, "one point a minute over the hour, both ends included")
				for _, rg := range sim.ranges {
					assert.Equal(t, time.Minute, rg.Step)
				}
			}
		})
	}
}

func TestServicesReceiveTheirIncomingEdges(t *testing.T) {
	truth := envoysim.Demo(start, end).Expected()
	r, _ := run(t, Options{GroupBy: models.GroupByService, Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricSuccess, models.MetricP99}})
	into := map[string]float64{}
	for _, e := range truth {
		into[e.Destination] += e.Rps
	}
	assert.InEpsilon(t, into["frontend"], *value(t, r, "frontend", models.MetricRequests, 0), 1e-9)
	assert.InEpsilon(t, into["backend"], *value(t, r, "backend", models.MetricRequests, 0), 1e-9)
	// Services without incoming traffic are there with zero, as on the map.
	assert.Zero(t, *value(t, r, "kong-gateway", models.MetricRequests, 0))
	assert.Equal(t, 100.0, *value(t, r, "kong-gateway", models.MetricSuccess, 0))
	assert.Nil(t, value(t, r, "kong-gateway", models.MetricP99, 0))
	assert.NotContains(t, names(r), "mystery-svc")
	// A builtin gateway counts what enters its listeners, as its node does.
	gw := envoysim.Demo(start, end).Expected()[[2]string{"edge-gateway", "frontend"}]
	assert.InEpsilon(t, gw.Rps, *value(t, r, "edge-gateway", models.MetricRequests, 0), 1e-9)
	assert.InDelta(t, gw.P99, *value(t, r, "edge-gateway", models.MetricP99, 0), 0.001)
	assert.Len(t, r.Queries, 5, "classes, totals and latency, and the gateways' listener classes and latency")

	hidden, _ := run(t, Options{GroupBy: models.GroupByService, Metrics: []models.TrafficMetric{models.MetricRequests}, HideIdle: true})
	assert.Equal(t, []string{"backend", "edge-gateway", "frontend", "httpbin", "kong-gateway", "redis"}, names(r))
	// Activity is judged by the metrics asked for: redis has TCP traffic only.
	assert.Equal(t, []string{"backend", "edge-gateway", "frontend", "httpbin", "kong-gateway"}, names(hidden))
}

func TestGatewaysCountRequestsEnteringThem(t *testing.T) {
	want := envoysim.Demo(start, end).Expected()[[2]string{"edge-gateway", "frontend"}]
	r, _ := run(t, Options{GroupBy: models.GroupByGateway, Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricSuccess, models.MetricP99}})
	assert.Equal(t, []string{"edge-gateway"}, names(r), "builtin gateways only")
	assert.InEpsilon(t, want.Rps, *value(t, r, "edge-gateway", models.MetricRequests, 0), 1e-9)
	assert.InDelta(t, want.SuccessPct, *value(t, r, "edge-gateway", models.MetricSuccess, 0), 1e-9)
	assert.InDelta(t, want.P99, *value(t, r, "edge-gateway", models.MetricP99, 0), 0.001)
	assert.Len(t, r.Queries, 2)
}

func TestRollupMergesEdgesAndTheirHistograms(t *testing.T) {
	truth := envoysim.Demo(start, end).Expected()
	edgeGW, kong := truth[[2]string{"edge-gateway", "frontend"}], truth[[2]string{"kong-gateway", "frontend"}]
	r, _ := run(t, Options{GroupBy: models.GroupByEdge, Metrics: allMetrics, Rollup: regexp.MustCompile(`^.*-(gateway)$`)})
	assert.InEpsilon(t, edgeGW.Rps+kong.Rps, *value(t, r, "gateway->frontend", models.MetricRequests, 0), 1e-9)
	buckets := make([]float64, len(envoysim.EnvoyBucketsMs))
	for i := range buckets {
		buckets[i] = edgeGW.LatencyBuckets[i] + kong.LatencyBuckets[i]
	}
	assert.InDelta(t, envoysim.BucketQuantile(0.99, envoysim.EnvoyBucketsMs, buckets), *value(t, r, "gateway->frontend", models.MetricP99, 0), 0.001)
	assert.NotContains(t, names(r), "edge-gateway->frontend")
}

func TestZoneFilterKeepsTrafficFromMatchingZones(t *testing.T) {
	want := envoysim.Demo(start, end).ExpectedFor("default", "zone-2")
	require.Len(t, want, 1)
	r, _ := run(t, Options{GroupBy: models.GroupByEdge, Metrics: allMetrics, Zone: regexp.MustCompile(`^(?:zone-2)$`)})
	assert.Equal(t, []string{"frontend->backend"}, names(r))
	assertEdge(t, r, want[[2]string{"frontend", "backend"}], 0)
}

func TestServiceFilterKeepsEdgesIntoMatchingServices(t *testing.T) {
	r, _ := run(t, Options{GroupBy: models.GroupByEdge, Metrics: []models.TrafficMetric{models.MetricSuccess}, Service: regexp.MustCompile(`^(?:backend)$`)})
	assert.Equal(t, []string{"frontend->backend"}, names(r))
}

// TestServiceFilterTakesTheNamesTheListsGive: the editors' service picker
// and $service list a MeshService copy by its display name, so "api" keeps
// the edges into both of api's copies, and a node id one copy.
func TestServiceFilterTakesTheNamesTheListsGive(t *testing.T) {
	scenario := envoysim.Exclusive(start, end)
	cp, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, "2.14.3-exclusive").URL})
	require.NoError(t, err)
	for filter, want := range map[string][]string{
		`^(?:api)$`:            {"web->api (zone-1)", "web->api (zone-2)"},
		`^(?:api \(zone-2\))$`: {"web->api (zone-2)"},
		`^(?:api|api-mz)$`:     {"web->api (zone-1)", "web->api (zone-2)", "web->api-mz"},
	} {
		r, err := Run(context.Background(), cp, &simMetrics{s: scenario}, Options{Mesh: "modern", From: start, To: end,
			GroupBy: models.GroupByEdge, Metrics: []models.TrafficMetric{models.MetricRequests}, Service: regexp.MustCompile(filter)})
		require.NoError(t, err)
		assert.Equal(t, want, names(r), filter)
	}
}

func TestBadInput(t *testing.T) {
	sim := &simMetrics{s: envoysim.Demo(start, end)}
	base := Options{Mesh: "default", From: start, To: end, GroupBy: models.GroupByEdge, Metrics: allMetrics}
	tests := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"an unknown metric", func(o *Options) { o.Metrics = []models.TrafficMetric{"rps"} }, `unknown metric "rps"`},
		{"TCP metrics of gateways", func(o *Options) {
			o.GroupBy, o.Metrics = models.GroupByGateway, []models.TrafficMetric{models.MetricTCPBytes}
		}, "not available with groupBy gateway"},
		{"an unknown grouping", func(o *Options) { o.GroupBy = "zone" }, `unknown groupBy "zone"`},
		{"an empty range", func(o *Options) { o.To = o.From }, "time range is empty"},
		{"more series than the limit", func(o *Options) { o.MaxSeries = 10 }, "exceed the limit of 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := base
			tt.edit(&opts)
			_, err := Run(context.Background(), recordedCP(t), sim, opts)
			require.ErrorIs(t, err, models.ErrInvalidTrafficQuery)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestMeshNameIsEscaped(t *testing.T) {
	q := newQueries(Options{Mesh: `x"} or vector(1) #`, GroupBy: models.GroupByEdge, Metrics: allMetrics, Labels: models.DefaultLabelNames}, time.Minute)
	for _, qq := range q {
		assert.Contains(t, qq.text, `mesh="x\"} or vector(1) #"`)
	}
}

func TestLongRangesKeepUnderPrometheusPointLimit(t *testing.T) {
	g := newGrid(Options{From: start.Add(-30 * 24 * time.Hour), To: end, Step: time.Second})
	assert.Less(t, len(g.times()), maxPoints)
	assert.Equal(t, g.start, g.start.Truncate(g.step), "steps are aligned, so a refresh reuses Prometheus's cache")
}

func TestFramesFollowTheDataPlaneContract(t *testing.T) {
	r, _ := run(t, Options{GroupBy: models.GroupByEdge, Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricP99}, Step: time.Minute})
	frames := r.Frames(FrameOptions{Mesh: "default", Zone: "default", RefID: "A"})
	require.Len(t, frames, 2*len(r.Series))
	f := frames[0]
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, f.Meta.Type)
	assert.Equal(t, TypeVersion, f.Meta.TypeVersion)
	assert.Equal(t, data.Labels{"mesh": "default", "zone": "default", "source": r.Series[0].Source, "destination": r.Series[0].Destination}, f.Fields[1].Labels)
	assert.Equal(t, "reqps", f.Fields[1].Config.Unit)
	assert.Equal(t, "ms", frames[1].Fields[1].Config.Unit)
	assert.NotEmpty(t, f.Meta.Notices, "unmapped clusters are reported")
	series, err := sseread.Read(frames)
	require.NoError(t, err)
	assert.Len(t, series, len(frames))

	n, _ := run(t, Options{GroupBy: models.GroupByService, Metrics: []models.TrafficMetric{models.MetricSuccess}})
	nf := n.Frames(FrameOptions{Mesh: "default"})
	assert.Equal(t, data.FrameTypeNumericMulti, nf[0].Meta.Type)
	require.Len(t, nf[0].Fields, 1)
	assert.Equal(t, "percent", nf[0].Fields[0].Config.Unit)
	assert.Contains(t, nf[0].Fields[0].Labels, "service")
	numbers, err := sseread.Read(nf)
	require.NoError(t, err)
	assert.NoError(t, sseread.UniqueForAlerting(numbers))

	empty := (&Result{Numeric: true}).Frames(FrameOptions{RefID: "A"})
	require.Len(t, empty, 1)
	assert.Empty(t, empty[0].Fields, "the contract's no-data frame")
	assert.Equal(t, data.FrameTypeNumericMulti, empty[0].Meta.Type)
}

// TestZoneProxiesAndCrossMeshClustersAreNamedAsInTheMap: in the recorded
// multizone Exclusive world, a zone ingress on the MeshMetric path carries
// only kuma_proxy_role and zone, and a gateway calls another mesh through
// backend_default; traffic names both as the map's nodes (zone-ingress,
// "backend (mesh default)"), so every edge is the truth's and none is
// unmapped or has an empty caller.
func TestZoneProxiesAndCrossMeshClustersAreNamedAsInTheMap(t *testing.T) {
	scenario := envoysim.ExclusiveMultizone(start, end)
	cp, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, "2.14.3-exclusive").URL})
	require.NoError(t, err)
	r, err := Run(context.Background(), cp, &simMetrics{s: scenario}, Options{Mesh: "modern", From: start, To: end,
		GroupBy: models.GroupByEdge, Metrics: allMetrics})
	require.NoError(t, err)
	truth := scenario.Expected()
	var want []string
	for _, e := range truth {
		name := e.Source + "->" + e.Destination
		want = append(want, name)
		if e.TCP {
			assert.InEpsilon(t, e.TxBytesPerSec+e.RxBytesPerSec, *value(t, r, name, models.MetricTCPBytes, 0), 1e-9, name)
			continue
		}
		assert.InEpsilon(t, e.Rps, *value(t, r, name, models.MetricRequests, 0), 1e-9, name)
		assert.InDelta(t, e.SuccessPct, *value(t, r, name, models.MetricSuccess, 0), 1e-9, name)
		// Not p90 or p99: several of this world's sit on a bucket bound,
		// which a rounding of the rate tips into the next bucket.
		assert.InDelta(t, e.P50, *value(t, r, name, models.MetricP50, 0), 0.001, name)
	}
	slices.Sort(want)
	assert.Equal(t, want, names(r), "one series per edge of the truth")
	assert.Zero(t, r.Unmapped.Count, "every cluster maps: %v", r.Unmapped.Examples)
	assert.Contains(t, names(r), "zone-ingress->db", "the role-only zone ingress joins the labelled one")
}

// TestZoneProxyClustersOfAServiceWithCopiesInSeveralZones: api has a
// MeshService copy in zone-1 and zone-2, which <mesh>_<service> (modern_api)
// cannot tell apart; as on the map, a zone ingress of zone-2 (here known by
// its role alone) forwards to its own zone's copy, a zone egress of zone-1
// to the one copy outside its zone.
func TestZoneProxyClustersOfAServiceWithCopiesInSeveralZones(t *testing.T) {
	s := envoysim.ExclusiveMultizone(start, end)
	s.Calls = []envoysim.Call{
		{From: "zone-ingress-u2", ClusterName: "modern_api", To: "api", ToZone: "zone-2", Node: "api (zone-2)",
			Requests: map[int]float64{2: 3600}},
		{From: "zone-egress-1", ClusterName: "modern_api", To: "api", ToZone: "zone-2", Node: "api (zone-2)",
			Requests: map[int]float64{2: 7200, 5: 720}},
	}
	cp, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, "2.14.3-exclusive").URL})
	require.NoError(t, err)
	r, err := Run(context.Background(), cp, &simMetrics{s: s}, Options{Mesh: "modern", From: start, To: end,
		GroupBy: models.GroupByEdge, Metrics: []models.TrafficMetric{models.MetricRequests, models.MetricErrors}})
	require.NoError(t, err)
	assert.Equal(t, []string{"zone-egress->api (zone-2)", "zone-ingress->api (zone-2)"}, names(r))
	assert.InDelta(t, 1.0, *value(t, r, "zone-ingress->api (zone-2)", models.MetricRequests, 0), 1e-9)
	assert.InDelta(t, 2.2, *value(t, r, "zone-egress->api (zone-2)", models.MetricRequests, 0), 1e-9)
	assert.InDelta(t, 0.2, *value(t, r, "zone-egress->api (zone-2)", models.MetricErrors, 0), 1e-9)
	assert.Zero(t, r.Unmapped.Count)
}
