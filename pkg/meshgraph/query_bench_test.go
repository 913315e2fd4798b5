package meshgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/prometheus/common/model"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// BenchmarkQueryToFrames measures one graph from the bytes Prometheus sends
// to the frames: the five HTTP answers (formatted and compressed as
// Prometheus does), their decoding, the join and the frames. Ten edges per
// service.
//
// With the integration tag the answers come from a child process (this test
// binary run again), so the benchmark's own CPU time is the plugin's alone:
// receiving, inflating, decoding, the join, the frames and garbage
// collection; the server's is reported beside it. Without the tag, so that
// the unit tier starts no process, the server runs in this process and the
// CPU time is the two together.
func BenchmarkQueryToFrames(b *testing.B) {
	for _, services := range []int{1000, 5000, 10000} {
		b.Run(fmt.Sprintf("services=%d", services), func(b *testing.B) {
			benchmarkQueryToFrames(b, services, 10*services)
		})
	}
}

func benchmarkQueryToFrames(b *testing.B, services, edges int) {
	cp := syntheticCP(services)
	srv := startAnswerServer(b, services, edges)
	prom, err := prometheus.NewClient(prometheus.Config{Address: srv.url})
	if err != nil {
		b.Fatal(err)
	}
	to := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	opts := Options{Mesh: "default", From: to.Add(-time.Hour), To: to}
	b.ReportAllocs()
	runtime.GC() // the setup's garbage is not the graph's
	b.ResetTimer()
	faults := pageFaults()
	cpu, sys := processCPU()
	var serverCPU time.Duration
	if srv.cpu != nil {
		serverCPU = srv.cpu(b)
	}
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
	b.StopTimer()
	// CPU time per graph: on a shared machine wall-clock ns/op also counts
	// waiting for the cores. The system part is mostly page faults of the
	// heap growing into fresh memory, then receiving the answers and waking
	// goroutines.
	cpu2, sys2 := processCPU()
	perGraph := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(b.N) }
	prefix := "plugin-"
	if srv.cpu == nil {
		prefix = "process-"
	} else {
		b.ReportMetric(perGraph(srv.cpu(b)-serverCPU), "server-cpu-ms/op")
	}
	b.ReportMetric(perGraph(cpu2-cpu), prefix+"cpu-ms/op")
	b.ReportMetric(perGraph(sys2-sys), prefix+"sys-ms/op")
	b.ReportMetric(float64(pageFaults()-faults)/float64(b.N), prefix+"page-faults/op")
	b.ReportMetric(float64(srv.size)/(1<<20), "MiB-answers")
	b.ReportMetric(float64(srv.sent)/(1<<20), "MiB-sent")
}

// answerServer serves one graph's answers.
type answerServer struct {
	url string
	// size is the size of one graph's answers, sent the size of what goes
	// over the wire (gzip, as Prometheus sends it to a client that asks).
	size, sent int
	// cpu is the server's CPU time so far, nil when it runs in this
	// process.
	cpu func(b *testing.B) time.Duration
}

// answers are the bodies of one graph's answers, by the metric each query
// reads, as Prometheus formats them and gzipped as it compresses them.
type answers struct {
	plain, gzipped map[string][]byte
	size, sent     int
}

// renderAnswers renders the answers of the synthetic mesh.
func renderAnswers(services, edges int) (answers, error) {
	_, m := syntheticMesh(services, edges)
	a := answers{plain: map[string][]byte{}, gzipped: map[string][]byte{}}
	for _, metric := range []string{
		"envoy_http_downstream_rq_xx", "envoy_cluster_upstream_rq_xx", "envoy_cluster_upstream_rq_total",
		"envoy_cluster_upstream_rq_time_bucket", "envoy_cluster_upstream_cx_total",
	} {
		v, _, _ := m.Query(context.Background(), metric, time.Time{})
		body, err := prometheusVectorBody(v, 1767268800)
		if err != nil {
			return a, err
		}
		// Prometheus compresses with klauspost/compress at its default
		// level (util/httputil.CompressionHandler).
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		if _, err := w.Write(body); err != nil {
			return a, err
		}
		if err := w.Close(); err != nil {
			return a, err
		}
		a.plain[metric], a.gzipped[metric] = body, gz.Bytes()
		a.size += len(body)
		a.sent += gz.Len()
	}
	return a, nil
}

// ServeHTTP answers /api/v1/query as Prometheus does: gzipped when the
// client accepts gzip (Go's HTTP client asks for it by default), chunked.
func (a answers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.URL.Path != "/api/v1/query" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	q := r.Form.Get("query")
	for metric, body := range a.plain {
		if !strings.Contains(q, metric+"{") {
			continue
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			w.Header().Set("Content-Encoding", "gzip")
			body = a.gzipped[metric]
		}
		_, _ = w.Write(body)
		return
	}
	http.Error(w, "unknown query "+q, http.StatusBadRequest)
}

// acceptsGzip is Prometheus' choice of encoding, less deflate, which Go's
// client does not ask for.
func acceptsGzip(r *http.Request) bool {
	for enc := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		if strings.TrimSpace(enc) == "gzip" {
			return true
		}
	}
	return false
}

// prometheusVectorBody renders v as Prometheus' /api/v1/query answer:
// label names sorted, the timestamp in seconds, the value as a string.
func prometheusVectorBody(v model.Vector, ts model.Time) ([]byte, error) {
	for _, s := range v {
		s.Timestamp = ts
	}
	if v == nil {
		v = model.Vector{}
	}
	result, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString(`{"status":"success","data":{"resultType":"vector","result":`)
	buf.Write(result)
	buf.WriteString(`}}`)
	return buf.Bytes(), nil
}

// syntheticMesh has services services and edges edges: every service calls
// edges/services others; one call in ten is TCP-only, the rest HTTP with two
// classes, a total and eight latency buckets, over two zones.
func syntheticMesh(services, edges int) (*fakeCP, *fakeMetrics) {
	cp := syntheticCP(services)
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

// syntheticCP is the control plane of syntheticMesh.
func syntheticCP(services int) *fakeCP {
	cp := &fakeCP{mesh: kuma.Mesh{Name: "default"}}
	for i := range services {
		zone := fmt.Sprintf("zone-%d", i%2+1)
		cp.insights = append(cp.insights, svc(fmt.Sprintf("svc-%04d_app_svc_8080", i), kuma.ServiceInternal, 2, 1, zone))
	}
	return cp
}
