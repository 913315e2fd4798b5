package traffic

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// benchCP is a control plane of n services named svc-<i>.
type benchCP struct{ services []kuma.Service }

func (c benchCP) Mesh(context.Context, string) (kuma.Mesh, error) {
	return kuma.Mesh{Name: "default"}, nil
}
func (c benchCP) ServiceInsights(context.Context, string) ([]kuma.Service, error) {
	return c.services, nil
}
func (benchCP) MeshServices(context.Context, string) ([]kuma.Service, error)     { return nil, nil }
func (benchCP) MeshGateways(context.Context, string) ([]kuma.MeshGateway, error) { return nil, nil }

// benchMetrics answers every query with precomputed matrices: each edge
// i → (i+1..i+k) % n with two response classes, a total, Envoy's 20
// latency buckets and three TCP counters, at every point of the range.
type benchMetrics struct{ byKind map[string]model.Matrix }

func newBenchMetrics(services, perService, points int) *benchMetrics {
	values := make([]model.SamplePair, points)
	for i := range values {
		values[i] = model.SamplePair{Timestamp: model.TimeFromUnixNano(end.Add(time.Duration(i-points+1) * time.Minute).UnixNano()), Value: 1}
	}
	b := &benchMetrics{byKind: map[string]model.Matrix{}}
	add := func(kind string, m model.Metric) {
		b.byKind[kind] = append(b.byKind[kind], &model.SampleStream{Metric: m, Values: values})
	}
	for i := range services {
		for k := 1; k <= perService; k++ {
			base := model.Metric{"kuma_io_service": model.LabelValue(fmt.Sprintf("svc-%d", i)), "kuma_io_zone": "zone-1",
				"envoy_cluster_name": model.LabelValue(fmt.Sprintf("svc-%d", (i+k)%services))}
			with := func(name, value string) model.Metric {
				m := base.Clone()
				m[model.LabelName(name)] = model.LabelValue(value)
				return m
			}
			add("_rq_xx", with("envoy_response_code_class", "2"))
			add("_rq_xx", with("envoy_response_code_class", "5"))
			add("_rq_total", base)
			for _, le := range envoysim.EnvoyBucketsMs {
				add("_rq_time_bucket", with("le", fmt.Sprint(le)))
			}
			for _, stat := range []string{"cx", "tx", "rx"} {
				add("cx_total", with(tcpStatLabel, stat))
			}
		}
	}
	return b
}

func (b *benchMetrics) Query(context.Context, string, time.Time) (model.Vector, []string, error) {
	return nil, nil, nil
}

func (b *benchMetrics) QueryRange(_ context.Context, q string, _ v1.Range) (model.Matrix, []string, error) {
	for kind, m := range b.byKind {
		if strings.Contains(q, kind) {
			return m, nil, nil
		}
	}
	return nil, nil, nil
}

// BenchmarkRun measures the naming, sums and quantiles of a range traffic
// query by edge with every metric, Prometheus answered from memory.
func BenchmarkRun(b *testing.B) {
	for _, size := range []struct{ services, perService, points int }{{500, 10, 61}, {50, 10, 361}} {
		b.Run(fmt.Sprintf("%d edges x %d points", size.services*size.perService, size.points), func(b *testing.B) {
			cp := benchCP{}
			for i := 0; i < size.services; i++ {
				cp.services = append(cp.services, kuma.Service{Name: fmt.Sprintf("svc-%d", i), Kind: kuma.ServiceInternal})
			}
			m := newBenchMetrics(size.services, size.perService, size.points)
			opts := Options{
				Mesh: "default", From: end.Add(-time.Duration(size.points-1) * time.Minute), To: end, Step: time.Minute,
				GroupBy: models.GroupByEdge, Metrics: models.TrafficMetrics, MaxSeries: 1 << 20,
			}
			b.ReportAllocs()
			for b.Loop() {
				res, err := Run(context.Background(), cp, m, opts)
				if err != nil {
					b.Fatal(err)
				}
				_ = res.Frames(FrameOptions{Mesh: "default"})
			}
		})
	}
}
