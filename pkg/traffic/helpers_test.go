package traffic

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/cpreplay"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/kuma"
)

var (
	end   = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	start = end.Add(-time.Hour)
)

// simMetrics answers the traffic queries from an envoysim scenario as
// Prometheus would for its linear counters: every rate is total/window, at
// every step. It returns the un-summed series; the sums are the plugin's.
type simMetrics struct {
	s      envoysim.Scenario
	mu     sync.Mutex
	ranges []v1.Range
	texts  []string
}

func (f *simMetrics) Query(_ context.Context, q string, ts time.Time) (model.Vector, []string, error) {
	m := f.answer(q, []time.Time{ts})
	out := model.Vector{}
	for _, s := range m {
		out = append(out, &model.Sample{Metric: s.Metric, Value: s.Values[0].Value, Timestamp: s.Values[0].Timestamp})
	}
	return out, nil, nil
}

func (f *simMetrics) QueryRange(_ context.Context, q string, r v1.Range) (model.Matrix, []string, error) {
	f.mu.Lock()
	f.ranges = append(f.ranges, r)
	f.mu.Unlock()
	var times []time.Time
	for t := r.Start; !t.After(r.End); t = t.Add(r.Step) {
		times = append(times, t)
	}
	return f.answer(q, times), nil, nil
}

func (f *simMetrics) answer(q string, times []time.Time) model.Matrix {
	f.mu.Lock()
	f.texts = append(f.texts, q)
	f.mu.Unlock()
	w := f.s.End.Sub(f.s.Start).Seconds()
	var out model.Matrix
	// Prometheus keeps a histogram's empty buckets: they bound the next
	// one from below.
	var bucket bool
	emit := func(l map[string]string, v float64, kv ...string) {
		if (v == 0 && !bucket) || l["mesh"] != f.s.Mesh {
			return
		}
		m := model.Metric{}
		for k, val := range l {
			m[model.LabelName(k)] = model.LabelValue(val)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[model.LabelName(kv[i])] = model.LabelValue(kv[i+1])
		}
		ss := &model.SampleStream{Metric: m}
		for _, t := range times {
			ss.Values = append(ss.Values, model.SamplePair{Timestamp: model.TimeFromUnixNano(t.UnixNano()), Value: model.SampleValue(v / w)})
		}
		out = append(out, ss)
	}
	series := f.s.ClientSeries()
	if strings.Contains(q, "envoy_http_downstream") {
		series = f.s.GatewaySeries()
	}
	for _, s := range series {
		var total float64
		for _, n := range s.RequestsByClass {
			total += n
		}
		switch {
		case strings.Contains(q, "_rq_xx"):
			for class, n := range s.RequestsByClass {
				emit(s.Labels, n, "envoy_response_code_class", fmt.Sprint(class))
			}
		case strings.Contains(q, "_rq_total"):
			emit(s.Labels, total)
		case strings.Contains(q, "_rq_time_bucket"):
			bucket = total > 0
			for i, n := range s.LatencyBuckets {
				emit(s.Labels, n, "le", fmt.Sprint(envoysim.EnvoyBucketsMs[i]))
			}
		case strings.Contains(q, "cx_total"):
			emit(s.Labels, s.Connections, tcpStatLabel, "cx")
			emit(s.Labels, s.TxBytes, tcpStatLabel, "tx")
			emit(s.Labels, s.RxBytes, tcpStatLabel, "rx")
		}
	}
	return out
}

// recordedCP is the real client against the recorded 2.14.3 control plane.
func recordedCP(t *testing.T) *kuma.Client {
	t.Helper()
	return replayedCP(t, "2.14.3")
}

// replayedCP is the real client against a replay of the recorded control
// plane fixture.
func replayedCP(t *testing.T, fixture string) *kuma.Client {
	t.Helper()
	c, err := kuma.NewClient(kuma.Config{Address: cpreplay.Start(t, fixture).URL})
	require.NoError(t, err)
	return c
}
