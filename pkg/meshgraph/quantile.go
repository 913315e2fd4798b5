package meshgraph

import (
	"cmp"
	"math"
	"slices"
)

// bucket is one cumulative histogram bucket: the count of observations <= le.
type bucket struct {
	le    float64
	count float64
}

// histogram holds the cumulative buckets of one edge. Buckets of merged
// series are summed per le before a quantile is taken, which is what
// sum by (le) does in PromQL. A slice beats a map here: an edge has a
// dozen or two buckets, and there are tens of thousands of edges.
type histogram []bucket

// add adds count to the bucket le.
func (h *histogram) add(le, count float64) {
	for i := range *h {
		if (*h)[i].le == le {
			(*h)[i].count += count
			return
		}
	}
	if *h == nil {
		*h = make(histogram, 0, envoyBuckets)
	}
	*h = append(*h, bucket{le, count})
}

// envoyBuckets is the number of buckets of Envoy's default histogram
// (0.5 ms to 1 h plus +Inf), so that one allocation holds an edge's buckets.
const envoyBuckets = 20

// quantile returns the q-quantile of h by linear interpolation within the
// bucket, as PromQL's histogram_quantile does for classic histograms. It
// returns false when h has no +Inf bucket or no observations. It sorts h.
func (h histogram) quantile(q float64) (float64, bool) {
	if len(h) < 2 || math.IsNaN(q) || q < 0 || q > 1 {
		return 0, false
	}
	slices.SortFunc(h, func(a, b bucket) int { return cmp.Compare(a.le, b.le) })
	if !math.IsInf(h[len(h)-1].le, +1) {
		return 0, false
	}
	// Counters of buckets scraped at slightly different times can break
	// monotonicity; PromQL repairs it the same way.
	for i := 1; i < len(h); i++ {
		if h[i].count < h[i-1].count {
			h[i].count = h[i-1].count
		}
	}
	total := h[len(h)-1].count
	if total <= 0 {
		return 0, false
	}
	rank := q * total
	b, _ := slices.BinarySearchFunc(h[:len(h)-1], rank, func(x bucket, r float64) int {
		if x.count >= r {
			return 1
		}
		return -1
	})
	switch {
	case b == len(h)-1:
		// The rank is in the +Inf bucket: the best answer is the highest
		// finite bound.
		return h[len(h)-2].le, true
	case b == 0 && h[0].le <= 0:
		return h[0].le, true
	}
	start, end, count := 0.0, h[b].le, h[b].count
	if b > 0 {
		start = h[b-1].le
		count -= h[b-1].count
		rank -= h[b-1].count
	}
	if count == 0 {
		return end, true
	}
	return start + (end-start)*(rank/count), true
}
