package meshgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// BenchmarkQueryToFrames measures one graph from the bytes Prometheus sends
// to the frames: the five HTTP answers (served in-process, formatted as
// Prometheus formats them), their decoding, the join and the frames. Ten
// edges per service.
func BenchmarkQueryToFrames(b *testing.B) {
	for _, services := range []int{1000, 5000, 10000} {
		b.Run(fmt.Sprintf("services=%d", services), func(b *testing.B) {
			benchmarkQueryToFrames(b, services, 10*services)
		})
	}
}

func benchmarkQueryToFrames(b *testing.B, services, edges int) {
	cp, m := syntheticMesh(services, edges)
	srv, bytesPerGraph := servePrometheus(b, m)
	prom, err := prometheus.NewClient(prometheus.Config{Address: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	to := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	opts := Options{Mesh: "default", From: to.Add(-time.Hour), To: to}
	b.ReportAllocs()
	runtime.GC() // the setup's garbage is not the graph's
	b.ResetTimer()
	cpu, sys := processCPU()
	for b.Loop() {
		g, err := Build(context.Background(), cp, prom, opts)
		if err != nil {
			b.Fatal(err)
		}
		frames := g.Frames(FrameOptions{Mesh: "default"})
		if frames[0].Rows() != services || frames[1].Rows() != edges {
			b.Fatalf("got %d nodes and %d edges", frames[0].Rows(), frames[1].Rows())
		}
	}
	// CPU time of the whole process (server, decoding, join, frames, GC)
	// per graph: on a shared machine wall-clock ns/op also counts waiting.
	// The system part is mostly the kernel copying the answers over
	// loopback and waking goroutines: it grows with the bytes and with
	// waiting for the shared cores, not with the plugin's own work.
	cpu2, sys2 := processCPU()
	b.ReportMetric(float64(cpu2-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(sys2-sys)/float64(time.Millisecond)/float64(b.N), "sys-ms/op")
	b.ReportMetric(float64(bytesPerGraph)/(1<<20), "MiB-answers")
}

// servePrometheus serves m's vectors from /api/v1/query as Prometheus'
// JSON, rendered once up front, and returns the server and the size of one
// graph's answers. The vectors are dropped once rendered.
func servePrometheus(b *testing.B, m *fakeMetrics) (*httptest.Server, int) {
	b.Helper()
	bodies := map[string][]byte{}
	size := 0
	for _, metric := range []string{
		"envoy_http_downstream_rq_xx", "envoy_cluster_upstream_rq_xx", "envoy_cluster_upstream_rq_total",
		"envoy_cluster_upstream_rq_time_bucket", "envoy_cluster_upstream_cx_total",
	} {
		v, _, _ := m.Query(context.Background(), metric, time.Time{})
		bodies[metric] = prometheusVectorBody(b, v, 1767268800)
		size += len(bodies[metric])
	}
	*m = fakeMetrics{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.URL.Path != "/api/v1/query" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		q := r.Form.Get("query")
		for metric, body := range bodies {
			if bytes.Contains([]byte(q), []byte(metric+"{")) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(body)
				return
			}
		}
		http.Error(w, "unknown query "+q, http.StatusBadRequest)
	}))
	b.Cleanup(srv.Close)
	return srv, size
}

// prometheusVectorBody renders v as Prometheus' /api/v1/query answer:
// label names sorted, the timestamp in seconds, the value as a string.
func prometheusVectorBody(tb testing.TB, v model.Vector, ts model.Time) []byte {
	tb.Helper()
	for _, s := range v {
		s.Timestamp = ts
	}
	if v == nil {
		v = model.Vector{}
	}
	result, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString(`{"status":"success","data":{"resultType":"vector","result":`)
	buf.Write(result)
	buf.WriteString(`}}`)
	return buf.Bytes()
}

// syntheticMesh has services services and edges edges: every service calls
// edges/services others; one call in ten is TCP-only, the rest HTTP with two
// classes, a total and eight latency buckets, over two zones.
func syntheticMesh(services, edges int) (*fakeCP, *fakeMetrics) {
	cp := &fakeCP{mesh: kuma.Mesh{Name: "default"}}
	for i := range services {
		zone := fmt.Sprintf("zone-%d", i%2+1)
		cp.insights = append(cp.insights, svc(fmt.Sprintf("svc-%04d_app_svc_8080", i), kuma.ServiceInternal, 2, 1, zone))
	}
	m := &fakeMetrics{}
	les := []string{"1", "5", "10", "25", "50", "100", "500", "+Inf"}
	perSource := edges / services
	for e := range edges {
		src, dst := e/perSource, (e/perSource+1+e%perSource*7)%services
		srcName, dst16 := cp.insights[src].Name, cp.insights[dst].Name
		base := []string{"kuma_io_service", srcName, "kuma_io_zone", fmt.Sprintf("zone-%d", src%2+1), "envoy_cluster_name", dst16}
		if e%10 == 0 {
			m.tcp = append(m.tcp,
				sample(100, append(base, tcpStatLabel, tcpStatConnections)...),
				sample(1e6, append(base, tcpStatLabel, tcpStatTx)...),
				sample(4e6, append(base, tcpStatLabel, tcpStatRx)...))
			continue
		}
		m.classes = append(m.classes,
			sample(990, append(base, "envoy_response_code_class", "2")...),
			sample(10, append(base, "envoy_response_code_class", "5")...))
		m.total = append(m.total, sample(1000, base...))
		for i, le := range les {
			m.latency = append(m.latency, sample(float64(min(1000, 150*(i+1))), append(base, "le", le)...))
		}
	}
	return cp, m
}
