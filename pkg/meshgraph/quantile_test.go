package meshgraph

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHistogramQuantile(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name   string
		h      histogram
		q      float64
		want   float64
		wantOK bool
	}{
		{"the median interpolates inside its bucket", histogram{{1, 0}, {5, 50}, {10, 100}, {inf, 100}}, 0.5, 5, true},
		{"p99 interpolates linearly", histogram{{1, 0}, {5, 50}, {10, 100}, {inf, 100}}, 0.99, 9.9, true},
		{"buckets may come in any order", histogram{{inf, 100}, {10, 100}, {1, 0}, {5, 50}}, 0.5, 5, true},
		{"the first bucket starts at zero", histogram{{10, 100}, {20, 100}, {inf, 100}}, 0.5, 5, true},
		{"a rank in +Inf returns the highest finite bound", histogram{{1, 10}, {5, 20}, {inf, 100}}, 0.99, 5, true},
		{"non-monotonic buckets are repaired as PromQL does", histogram{{1, 0}, {5, 60}, {10, 50}, {20, 100}, {inf, 100}}, 0.7, 12.5, true},
		{"no +Inf bucket gives no answer", histogram{{1, 10}, {5, 20}}, 0.5, 0, false},
		{"no observations give no answer", histogram{{1, 0}, {inf, 0}}, 0.5, 0, false},
		{"an empty histogram gives no answer", histogram{}, 0.5, 0, false},
		{"a quantile above 1 gives no answer", histogram{{1, 1}, {inf, 1}}, 1.5, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.h.quantile(tt.q)
			assert.Equal(t, tt.wantOK, ok)
			assert.InDelta(t, tt.want, got, 1e-9)
		})
	}
}
