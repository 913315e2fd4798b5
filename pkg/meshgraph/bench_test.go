package meshgraph

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

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

// BenchmarkBuild measures the join and frame building, without I/O, for a
// mesh the size the issue names (5,000 services, 50,000 edges) and for a
// typical one (500 services, 5,000 edges).
func BenchmarkBuild(b *testing.B) {
	for _, size := range []struct{ services, edges int }{{500, 5000}, {5000, 50000}} {
		b.Run(fmt.Sprintf("services=%d/edges=%d", size.services, size.edges), func(b *testing.B) {
			benchmarkBuild(b, size.services, size.edges)
		})
	}
}

func benchmarkBuild(b *testing.B, services, edges int) {
	cp, m := syntheticMesh(services, edges)
	to := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	opts := Options{Mesh: "default", From: to.Add(-time.Hour), To: to}
	var series int
	for _, v := range []model.Vector{m.classes, m.total, m.latency, m.tcp} {
		series += len(v)
	}
	b.ReportMetric(float64(series), "series")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g, err := Build(context.Background(), cp, m, opts)
		if err != nil {
			b.Fatal(err)
		}
		frames := g.Frames(FrameOptions{Mesh: "default"})
		if frames[0].Rows() != services || frames[1].Rows() != edges {
			b.Fatalf("got %d nodes and %d edges", frames[0].Rows(), frames[1].Rows())
		}
	}
}
