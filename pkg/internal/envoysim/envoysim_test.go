package envoysim

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// window is the one-hour window the tests generate, ending at a fixed past
// time so outputs are comparable across runs.
var (
	testEnd   = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	testStart = testEnd.Add(-time.Hour)
)

func TestOpenMetricsIsDeterministicAndComplete(t *testing.T) {
	// Ten minutes keep the double rendering fast under -race; the hour-long
	// rendering is timed in TestRealPrometheusSeesTheTruth.
	start := testEnd.Add(-10 * time.Minute)
	a := Demo(start, testEnd).OpenMetrics()
	b := Demo(start, testEnd).OpenMetrics()
	require.True(t, bytes.Equal(a, b), "two renderings of one scenario differ")
	text := string(a)
	assert.True(t, strings.HasSuffix(text, "\n# EOF\n"))

	tests := []struct {
		name string
		want string
	}{
		{name: "counters named _total form a counter family", want: "# TYPE envoy_cluster_upstream_rq counter\n"},
		{name: "Envoy counters without _total are typed unknown", want: "# TYPE envoy_cluster_upstream_rq_xx unknown\n"},
		{name: "latency is a histogram", want: "# TYPE envoy_cluster_upstream_rq_time histogram\n"},
		{name: "a builtin gateway's upstream carries the gateway label",
			want: `envoy_cluster_upstream_rq_total{dataplane="edge-gateway-1",envoy_cluster_name="frontend",instance="edge-gateway-1",job="kuma-dataplanes",kuma_io_mesh_gateway="edge-gateway",kuma_io_mesh_traffic="true",kuma_io_service="edge-gateway",kuma_io_services=",edge-gateway,",kuma_io_zone="default",mesh="default"}`},
		{name: "a multi-service proxy is labelled with its first service and all services",
			want: `kuma_io_service="ledger-admin",kuma_io_services=",ledger-admin,ledger_payments_svc_9000,"`},
		{name: "bootstrap clusters are not mesh traffic",
			want: `envoy_cluster_upstream_cx_active{dataplane="backend-1",envoy_cluster_name="ads_cluster",instance="backend-1",job="kuma-dataplanes",kuma_io_service="backend"`},
		{name: "the server side is on the callee's localhost cluster", want: `envoy_cluster_name="localhost_3001"`},
		{name: "the control plane is its own job", want: `cp_info{build_date=`},
		// kuma-cp 2.14 names and labels, checked against kumahq/kuma.
		{name: "kuma-cp labels every series with its zone", want: `leader{instance="kuma-control-plane:5680",job="kuma-cp",zone="default"} 1 `},
		{name: "cp_info carries the 7-character commit", want: `git_commit="0000000"`},
		{name: "xds_generation is a histogram over client_golang's default buckets", want: "# TYPE xds_generation histogram\n" +
			`xds_generation_bucket{instance="kuma-control-plane:5680",job="kuma-cp",le="0.005",proxy_type="dataplane",result="changed",zone="default"}`},
		{name: "ACKs and NACKs carry error_type", want: `xds_requests_received{confirmation="NACK",error_type="other",`},
		{name: "the caches count by operation and result", want: `cla_cache{instance="kuma-control-plane:5680",job="kuma-cp",operation="get",result="hit-wait",zone="default"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, text, tt.want)
		})
	}
}

func TestOpenMetricsSamplesEveryStep(t *testing.T) {
	s := Scenario{
		Mesh: "m", Start: testStart, End: testStart.Add(time.Minute), Step: 30 * time.Second,
		Proxies: []Proxy{{Name: "a-1", Service: "a", Zone: "z"}},
		Calls:   []Call{{From: "a-1", ClusterName: "b", Requests: map[int]float64{2: 60}}},
	}
	text := string(s.OpenMetrics())
	prefix := `envoy_cluster_upstream_rq_total{dataplane="a-1",envoy_cluster_name="b",`
	var lines []string
	for l := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			lines = append(lines, l[strings.Index(l, "} ")+2:])
		}
	}
	start := testStart.Unix()
	// The counter starts at the window's total and grows by it.
	assert.Equal(t, []string{
		"60 " + itoa(start), "90 " + itoa(start+30), "120 " + itoa(start+60),
	}, lines)
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestValidateRejectsBrokenScenarios(t *testing.T) {
	ok := Scenario{Start: testStart, End: testEnd, Proxies: []Proxy{{Name: "a-1", Service: "a"}}}
	tests := []struct {
		name   string
		modify func(*Scenario)
		want   string
	}{
		{name: "an empty window", modify: func(s *Scenario) { s.End = s.Start }, want: "not after"},
		{name: "a duplicate proxy", modify: func(s *Scenario) { s.Proxies = append(s.Proxies, s.Proxies[0]) }, want: "duplicate"},
		{name: "a proxy without service", modify: func(s *Scenario) { s.Proxies = []Proxy{{Name: "x"}} }, want: "service"},
		{name: "a call from nowhere", modify: func(s *Scenario) { s.Calls = []Call{{From: "nope", ClusterName: "b"}} }, want: "unknown proxy"},
	}
	require.NoError(t, ok.Validate())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			s.Proxies = append([]Proxy(nil), ok.Proxies...)
			tt.modify(&s)
			assert.ErrorContains(t, s.Validate(), tt.want)
		})
	}
}

func TestBucketQuantile(t *testing.T) {
	bounds := []float64{10, 100, math.Inf(1)}
	tests := []struct {
		name string
		q    float64
		cum  []float64
		want float64
	}{
		{name: "interpolates from zero in the first bucket", q: 0.5, cum: []float64{100, 100, 100}, want: 5},
		{name: "interpolates inside a later bucket", q: 0.75, cum: []float64{50, 100, 100}, want: 55},
		{name: "a rank in +Inf gives the highest finite bound", q: 0.99, cum: []float64{0, 50, 100}, want: 100},
		{name: "no observations give NaN", q: 0.5, cum: []float64{0, 0, 0}, want: math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BucketQuantile(tt.q, bounds, tt.cum)
			if math.IsNaN(tt.want) {
				assert.True(t, math.IsNaN(got))
				return
			}
			assert.InDelta(t, tt.want, got, 1e-9)
		})
	}
}

func TestExpectedIsComputedFromTheScenario(t *testing.T) {
	s := Demo(testStart, testEnd)
	w := 3600.0
	all := s.Expected()
	fb := all[[2]string{"frontend", "backend"}]
	assert.Equal(t, []string{"backend", "backend-0123456789abcdef"}, fb.ClusterNames)
	assert.InDelta(t, (6+0.3+0.6+5+0.5+2)*w, fb.Requests, 1e-6)
	assert.InDelta(t, 6+0.3+0.6+5+0.5+2, fb.Rps, 1e-9)
	assert.InDelta(t, 100*(1-1.1/14.4), fb.SuccessPct, 1e-9)
	lo, hi := BucketOf(fb.P99)
	assert.Equal(t, [2]float64{500, 1000}, [2]float64{lo, hi}, "1% of requests at 20× the median")

	redis := all[[2]string{"backend", "redis"}]
	assert.True(t, redis.TCP)
	assert.Zero(t, redis.Requests)
	assert.InDelta(t, 3000*w, redis.TxBytes, 1e-6)
	assert.Contains(t, all, [2]string{"backend", "mystery-svc"}, "unmapped clusters are keyed by cluster name")
	assert.NotContains(t, all, [2]string{"checkout", "ledger_payments_svc_9000"}, "other meshes are separate")

	zone2 := s.ExpectedFor("default", "zone-2")
	require.Len(t, zone2, 1)
	assert.InDelta(t, 2*w, zone2[[2]string{"frontend", "backend"}].Requests, 1e-6)
	assert.Len(t, s.ExpectedFor("payments"), 1)
}
