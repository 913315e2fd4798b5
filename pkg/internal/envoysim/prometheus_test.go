//go:build integration

package envoysim

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/promtest"
)

func TestMain(m *testing.M) { promtest.Main(m) }

// promQuery runs an instant query at the end of the test window and
// returns the single value of the result (NaN-free, one sample expected).
func promQuery(t *testing.T, s *promtest.Server, q string) float64 {
	t.Helper()
	c, err := api.NewClient(api.Config{Address: s.URL})
	require.NoError(t, err)
	res, _, _, err := v1.NewAPI(c).Query(context.Background(), q, testEnd)
	require.NoError(t, err, q)
	vec, ok := res.(model.Vector)
	require.True(t, ok, "query %s returned %s", q, res.Type())
	require.Len(t, vec, 1, "query %s returned %v", q, vec)
	return float64(vec[0].Value)
}

func demoServer(t *testing.T) *promtest.Server {
	return promtest.StartOnce(t, "demo", func() []byte {
		start := time.Now()
		b := Demo(testStart, testEnd).OpenMetrics()
		t.Logf("envoysim: %d bytes in %s", len(b), time.Since(start))
		return b
	})
}

// TestRealPrometheusSeesTheTruth loads the demo scenario into a real
// Prometheus and checks that the PromQL the service map uses gives back
// the generated numbers.
func TestRealPrometheusSeesTheTruth(t *testing.T) {
	srv := demoServer(t)
	t.Logf("Prometheus ready after %s (block creation included)", srv.Startup)

	for key, e := range Demo(testStart, testEnd).Expected() {
		sel := fmt.Sprintf(`mesh="default",kuma_io_service=%q,envoy_cluster_name=~%q,kuma_io_mesh_traffic="true"`,
			key[0], strings.Join(e.ClusterNames, "|"))
		t.Run(key[0]+" to "+key[1], func(t *testing.T) {
			if e.TCP {
				got := promQuery(t, srv, `sum(increase(envoy_cluster_upstream_cx_tx_bytes_total{`+sel+`}[1h]))`)
				assert.InEpsilon(t, e.TxBytes, got, 0.02)
				got = promQuery(t, srv, `sum(rate(envoy_cluster_upstream_cx_rx_bytes_total{`+sel+`}[5m]))`)
				assert.InEpsilon(t, e.RxBytesPerSec, got, 0.02)
				return
			}
			got := promQuery(t, srv, `sum(increase(envoy_cluster_upstream_rq_total{`+sel+`}[1h]))`)
			assert.InEpsilon(t, e.Requests, got, 0.02)
			got = promQuery(t, srv, `sum(rate(envoy_cluster_upstream_rq_total{`+sel+`}[5m]))`)
			assert.InEpsilon(t, e.Rps, got, 0.02)
			got = promQuery(t, srv, `100 * sum(increase(envoy_cluster_upstream_rq_xx{`+sel+`,envoy_response_code_class!="5"}[1h]))`+
				` / sum(increase(envoy_cluster_upstream_rq_xx{`+sel+`}[1h]))`)
			assert.InEpsilon(t, e.SuccessPct, got, 0.02)
			for q, want := range map[float64]float64{0.5: e.P50, 0.99: e.P99} {
				got := promQuery(t, srv, fmt.Sprintf(`histogram_quantile(%g, sum by (le) (increase(envoy_cluster_upstream_rq_time_bucket{%s}[1h])))`, q, sel))
				lo, hi := BucketOf(want)
				assert.Greater(t, got, lo, "p%g", q*100)
				assert.LessOrEqual(t, got, hi, "p%g", q*100)
				assert.InEpsilon(t, want, got, 0.02, "p%g", q*100)
			}
		})
	}
}

func TestRealPrometheusSeesServerAndGatewaySides(t *testing.T) {
	srv := demoServer(t)
	truth := Demo(testStart, testEnd).Expected()
	tests := []struct {
		name  string
		query string
		want  float64
	}{
		{
			name:  "backend's inbound HCM counts every request sent to backend",
			query: `sum(increase(envoy_http_downstream_rq_total{kuma_io_service="backend",envoy_http_conn_manager_prefix=~"localhost_.*"}[1h]))`,
			want:  truth[[2]string{"frontend", "backend"}].Requests,
		},
		{
			name:  "backend's inbound clusters count the same requests",
			query: `sum(increase(envoy_cluster_upstream_rq_total{kuma_io_services=~".*,backend,.*",envoy_cluster_name=~"localhost_.*"}[1h]))`,
			want:  truth[[2]string{"frontend", "backend"}].Requests,
		},
		{
			name:  "traffic entering the builtin gateway is counted by its HCM",
			query: `sum(increase(envoy_http_downstream_rq_xx{kuma_io_mesh_gateway="edge-gateway",envoy_http_conn_manager_prefix="edge-gateway"}[1h]))`,
			want:  truth[[2]string{"edge-gateway", "frontend"}].Requests,
		},
		{
			name:  "redis receives backend's bytes",
			query: `sum(increase(envoy_cluster_upstream_cx_rx_bytes_total{kuma_io_service="redis",envoy_cluster_name="localhost_6379"}[1h]))`,
			want:  truth[[2]string{"backend", "redis"}].TxBytes,
		},
		{name: "every proxy is live", query: `count(envoy_server_live == 1)`, want: 11},
		{name: "the control plane reports its version", query: `count(cp_info{job="kuma-cp",version="2.14.3"})`, want: 1},
		{
			name:  "xDS generation is observed in milliseconds (median 2 ms)",
			query: `histogram_quantile(0.5, sum by (le) (rate(xds_generation_bucket{job="kuma-cp"}[5m])))`,
			want:  2,
		},
		{name: "every proxy's snapshot hits the CLA cache 0.9 times a second", query: `sum(rate(cla_cache{result="hit"}[5m]))`, want: 0.9 * 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InEpsilon(t, tt.want, promQuery(t, srv, tt.query), 0.02)
		})
	}
}
