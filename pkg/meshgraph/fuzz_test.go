package meshgraph

import (
	"bytes"
	"context"
	"io"
	"math"
	"net/http"
	"regexp"
	"testing"

	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// The seed corpora of these targets are in testdata/fuzz/<target>/, so
// plain `go test` replays them; scripts/fuzz.sh fuzzes each for a while.

// FuzzClusterNameMapping feeds arbitrary source labels, zones and
// envoy_cluster_name values to the naming of a mesh: it must never panic,
// must answer the same twice, and must map only to a name.
func FuzzClusterNameMapping(f *testing.F) {
	f.Add("frontend", "zone-1", "backend-v2-0123456789abcdef")
	f.Add("frontend", "zone-1", "default_backend_kuma-demo_zone-1_msvc_8080")
	f.Add("batch-job", "", "kri_msvc_default_zone-1_kuma-demo_backend_http")
	naming, err := NewNaming(context.Background(), demoCP(), Options{Mesh: "default", Zone: regexp.MustCompile(`^(?:zone-1|)$`)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, source, zone, cluster string) {
		src, dst, ok := naming.Edge(source, zone, cluster, "", "")
		src2, dst2, ok2 := naming.Edge(source, zone, cluster, "", "")
		if src != src2 || dst != dst2 || ok != ok2 {
			t.Fatalf("not deterministic: %q %q %v then %q %q %v", src, dst, ok, src2, dst2, ok2)
		}
		if ok && (src == "" && source != "" || dst == "") {
			t.Fatalf("mapped %q %q to %q -> %q", source, cluster, src, dst)
		}
	})
}

// bodyTransport answers every request with body, as a Prometheus (or a
// proxy in front of it) might; no socket is involved.
type bodyTransport struct{ body []byte }

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(b.body)), Request: r,
	}, nil
}

// FuzzPrometheusDecodingAndJoin answers all the graph's queries with the
// same arbitrary body, through the real Prometheus client (decoding, body
// cap) and the join. It must never panic, and a graph it returns must
// hold only finite, non-negative numbers.
func FuzzPrometheusDecodingAndJoin(f *testing.F) {
	f.Add([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"kuma_io_service":"frontend","kuma_io_zone":"zone-1","envoy_cluster_name":"backend-v1","envoy_response_code_class":"2","le":"5"},"value":[1700000000,"10"]}]}}`))
	f.Add([]byte(`{"status":"success","data":null}`))
	f.Add([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"kuma_io_service":"frontend","envoy_cluster_name":"backend-v1","le":"-1"},"value":[1700000000,"+Inf"]}]}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		prom, err := prometheus.NewClient(prometheus.Config{
			Address: "http://prometheus.invalid:9090", Client: &http.Client{Transport: bodyTransport{body}}, MaxResponseBytes: 1 << 20,
		})
		if err != nil {
			t.Fatal(err)
		}
		g, err := Build(context.Background(), demoCP(), prom, Options{Mesh: "default", From: testFrom, To: testTo})
		if err != nil {
			return
		}
		finite := func(what string, v float64) {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Fatalf("%s is %v", what, v)
			}
		}
		for _, e := range g.Edges {
			finite("edge req/s", e.RequestsPerSecond)
			finite("edge bytes/s", e.TCPBytesPerSecond)
			if p := e.Requests.SuccessPercent(); p < 0 || p > 100 {
				t.Fatalf("success %v%%", p)
			}
			for _, q := range []*float64{e.P50Ms, e.P99Ms} {
				if q != nil {
					finite("latency", *q)
				}
			}
		}
		for _, n := range g.Nodes {
			finite("node req/s", n.RequestsPerSecond)
		}
		_ = g.Frames(FrameOptions{Mesh: "default"})
	})
}
