package meshgraph

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/common/model"

	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
	"github.com/kumahq/kuma-grafana-datasource/pkg/prometheus"
)

// fakeCP is a ControlPlane over fixed lists.
type fakeCP struct {
	mesh     kuma.Mesh
	insights []kuma.Service
	msvcs    []kuma.Service
	gateways []kuma.MeshGateway
	err      error
	// block makes Mesh wait for cancellation, like a slow control plane.
	block bool
}

func (f *fakeCP) Mesh(ctx context.Context, _ string) (kuma.Mesh, error) {
	if f.block {
		<-ctx.Done()
		return kuma.Mesh{}, ctx.Err()
	}
	return f.mesh, f.err
}
func (f *fakeCP) ServiceInsights(context.Context, string) ([]kuma.Service, error) {
	return f.insights, f.err
}
func (f *fakeCP) MeshServices(context.Context, string) ([]kuma.Service, error) { return f.msvcs, f.err }
func (f *fakeCP) MeshGateways(context.Context, string) ([]kuma.MeshGateway, error) {
	return f.gateways, f.err
}

// fakeMetrics answers each of the fixed queries with a vector, chosen by the
// metric name the query reads, and records the queries.
type fakeMetrics struct {
	classes, total, latency, tcp, gateway model.Vector
	warnings                              []string
	err                                   error

	mu      sync.Mutex
	queries []string
	at      []time.Time
}

// QueryVector answers with the vector Query picks, reduced to labels.
func (f *fakeMetrics) QueryVector(ctx context.Context, q string, ts time.Time, labels []string) (*prometheus.Vector, []string, error) {
	v, w, err := f.Query(ctx, q, ts)
	if err != nil {
		return nil, w, err
	}
	return vectorOf(v, labels), w, nil
}

// vectorOf converts a model.Vector to the decoder's form.
func vectorOf(v model.Vector, labels []string) *prometheus.Vector {
	out := prometheus.NewVector(labels...)
	values := make([]string, len(labels))
	for _, s := range v {
		for k, name := range labels {
			values[k] = string(s.Metric[model.LabelName(name)])
		}
		out.Append(float64(s.Value), values...)
	}
	return out
}

func (f *fakeMetrics) Query(_ context.Context, q string, ts time.Time) (model.Vector, []string, error) {
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.at = append(f.at, ts)
	f.mu.Unlock()
	if f.err != nil {
		return nil, nil, f.err
	}
	switch {
	case strings.Contains(q, "envoy_http_downstream_rq_xx"):
		return f.gateway, f.warnings, nil
	case strings.Contains(q, "envoy_cluster_upstream_rq_xx"):
		return f.classes, f.warnings, nil
	case strings.Contains(q, "envoy_cluster_upstream_rq_total"):
		return f.total, f.warnings, nil
	case strings.Contains(q, "envoy_cluster_upstream_rq_time_bucket"):
		return f.latency, f.warnings, nil
	case strings.Contains(q, "envoy_cluster_upstream_cx_total"):
		return f.tcp, f.warnings, nil
	}
	return nil, nil, nil
}

// sample builds a sample from label name/value pairs.
func sample(v float64, kv ...string) *model.Sample {
	m := model.Metric{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[model.LabelName(kv[i])] = model.LabelValue(kv[i+1])
	}
	return &model.Sample{Metric: m, Value: model.SampleValue(v)}
}

// traffic describes one client-side call for fakeMetrics: requests per
// class (2xx…5xx), latency buckets and TCP counters.
type traffic struct {
	src, zone, cluster string
	classes            [4]float64
	buckets            map[string]float64 // le → cumulative count
	cx, tx, rx         float64
}

// metricsFor renders calls as the fixed queries' result vectors.
func metricsFor(calls ...traffic) *fakeMetrics {
	f := &fakeMetrics{}
	for _, c := range calls {
		base := []string{"kuma_io_service", c.src, "kuma_io_zone", c.zone, "envoy_cluster_name", c.cluster}
		var total float64
		for i, v := range c.classes {
			if v > 0 {
				f.classes = append(f.classes, sample(v, append(base, "envoy_response_code_class", string(rune('2'+i)))...))
				total += v
			}
		}
		if total > 0 {
			f.total = append(f.total, sample(total, base...))
		}
		for le, v := range c.buckets {
			f.latency = append(f.latency, sample(v, append(base, "le", le)...))
		}
		for stat, v := range map[string]float64{tcpStatConnections: c.cx, tcpStatTx: c.tx, tcpStatRx: c.rx} {
			if v > 0 {
				f.tcp = append(f.tcp, sample(v, append(base, tcpStatLabel, stat)...))
			}
		}
	}
	return f
}

func svc(name string, kind kuma.ServiceKind, online, offline int, zones ...string) kuma.Service {
	status := "offline"
	switch {
	case kind == kuma.ServiceExternal:
		status = "not_available"
	case offline == 0 && online > 0:
		status = "online"
	case online > 0:
		status = "partially_degraded"
	}
	return kuma.Service{Mesh: "default", Name: name, Kind: kind, Status: status,
		Online: online, Offline: offline, Total: online + offline, Zones: zones}
}
