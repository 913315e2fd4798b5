package meshgraph

import (
	"math"
	"strconv"
)

// maxCount is the largest increase an Envoy counter (a uint64) can show;
// it keeps sums of many samples finite.
const maxCount = float64(math.MaxUint64)

// ValidSample reports whether v can be a count over the window: increase()
// of a counter is finite, not negative and within a uint64. +Inf, NaN,
// negative and absurd values (a broken exporter, a proxy rewriting
// answers) would draw infinite or negative req/s and latency, so every
// decoder drops them here, where samples enter the join, and the graph
// says how many it dropped.
func ValidSample(v float64) bool {
	return v >= 0 && v <= maxCount // NaN fails both
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
