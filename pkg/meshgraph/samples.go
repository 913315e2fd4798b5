package meshgraph

import (
	"math"
	"strconv"
)

// ValidSample reports whether v can be a count over the window: increase()
// of a counter is finite and not negative. +Inf, NaN and negative values
// (a broken exporter, a proxy rewriting answers) would draw infinite or
// negative req/s and latency, so every decoder drops them here, where
// samples enter the join, and the graph says how many it dropped.
func ValidSample(v float64) bool {
	return v >= 0 && !math.IsInf(v, 1) // NaN fails v >= 0
}

// ValidBucketBound parses a histogram bucket's le label: a number that is
// not negative and not NaN, or +Inf.
func ValidBucketBound(le string) (float64, bool) {
	f, err := strconv.ParseFloat(le, 64)
	if err != nil || math.IsNaN(f) || f < 0 {
		return 0, false
	}
	return f, true
}
