package traffic

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/envoysim"
	"github.com/kumahq/kuma-grafana-datasource/pkg/models"
)

// plantedMetrics answers as simMetrics does, plus one series per query
// whose values cannot be counts (+Inf, NaN, negative) and, for the latency
// query, a bucket with a negative bound, all on the edge frontend → backend.
type plantedMetrics struct{ *simMetrics }

func (p plantedMetrics) QueryRange(ctx context.Context, q string, r v1.Range) (model.Matrix, []string, error) {
	m, w, err := p.simMetrics.QueryRange(ctx, q, r)
	return plant(m), w, err
}

func (p plantedMetrics) Query(ctx context.Context, q string, ts time.Time) (model.Vector, []string, error) {
	v, w, err := p.simMetrics.Query(ctx, q, ts)
	var m model.Matrix
	for _, s := range v {
		m = append(m, &model.SampleStream{Metric: s.Metric, Values: []model.SamplePair{{Timestamp: s.Timestamp, Value: s.Value}}})
	}
	v = v[:0]
	for _, s := range plant(m) {
		v = append(v, &model.Sample{Metric: s.Metric, Timestamp: s.Values[0].Timestamp, Value: s.Values[0].Value})
	}
	return v, w, err
}

func plant(m model.Matrix) model.Matrix {
	var edge *model.SampleStream
	for _, s := range m {
		if s.Metric["kuma_io_service"] == "frontend" && strings.HasPrefix(string(s.Metric["envoy_cluster_name"]), "backend") {
			edge = s
			break
		}
	}
	if edge == nil {
		return m
	}
	bad := []float64{math.Inf(1), math.NaN(), -5}
	for i, v := range bad {
		s := &model.SampleStream{Metric: edge.Metric.Clone()}
		if _, ok := s.Metric[model.BucketLabel]; ok {
			s.Metric[model.BucketLabel] = model.LabelValue([]string{"+Inf", "1e9", "2e9"}[i])
		}
		for _, pt := range edge.Values {
			s.Values = append(s.Values, model.SamplePair{Timestamp: pt.Timestamp, Value: model.SampleValue(v)})
		}
		m = append(m, s)
	}
	if _, ok := edge.Metric[model.BucketLabel]; ok {
		s := &model.SampleStream{Metric: edge.Metric.Clone(), Values: edge.Values}
		s.Metric[model.BucketLabel] = "-1"
		m = append(m, s)
	}
	return m
}

func TestValuesThatCannotBeCountsAreDroppedWithANotice(t *testing.T) {
	for _, step := range []time.Duration{0, time.Minute} {
		t.Run(fmt.Sprintf("step %v", step), func(t *testing.T) { dropsPlantedSamples(t, step) })
	}
}

func dropsPlantedSamples(t *testing.T, step time.Duration) {
	truth := envoysim.Demo(start, end).Expected()
	sim := &simMetrics{s: envoysim.Demo(start, end)}
	opts := Options{Mesh: "default", From: start, To: end, Step: step, GroupBy: models.GroupByEdge, Metrics: allMetrics}
	r, err := Run(context.Background(), recordedCP(t), plantedMetrics{sim}, opts)
	require.NoError(t, err)

	assert.Positive(t, r.InvalidSamples)
	for _, s := range r.Series {
		for mi, vs := range s.Values {
			for _, v := range vs {
				if v != nil {
					assert.False(t, math.IsInf(*v, 0) || math.IsNaN(*v) || *v < 0,
						"%s → %s %s = %v", s.Source, s.Destination, r.Metrics[mi], *v)
				}
			}
		}
	}
	// What is left is the generated truth, as if nothing had been planted.
	for _, want := range truth {
		if want.Source == "frontend" && want.Destination == "backend" {
			for i := range r.Times {
				assertEdge(t, r, want, i)
			}
		}
	}
	frames := r.Frames(FrameOptions{Mesh: "default"})
	var texts []string
	for _, n := range frames[0].Meta.Notices {
		texts = append(texts, n.Text)
	}
	assert.Contains(t, strings.Join(texts, "\n"), "cannot be a count")
}
