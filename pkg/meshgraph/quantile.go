package meshgraph

import (
	"math"
	"sort"
)

// bucket is one cumulative histogram bucket: the count of observations <= le.
type bucket struct {
	le    float64
	count float64
}

// histogram holds cumulative buckets keyed by their upper bound. Buckets of
// merged series are summed per le before a quantile is taken, which is what
// sum by (le) does in PromQL.
type histogram map[float64]float64

// quantile returns the q-quantile of h by linear interpolation within the
// bucket, as PromQL's histogram_quantile does for classic histograms. It
// returns false when h has no +Inf bucket or no observations.
func (h histogram) quantile(q float64) (float64, bool) {
	if len(h) == 0 || math.IsNaN(q) || q < 0 || q > 1 {
		return 0, false
	}
	bs := make([]bucket, 0, len(h))
	for le, c := range h {
		bs = append(bs, bucket{le, c})
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].le < bs[j].le })
	if !math.IsInf(bs[len(bs)-1].le, +1) || len(bs) < 2 {
		return 0, false
	}
	// Counters of buckets scraped at slightly different times can break
	// monotonicity; PromQL fixes that the same way.
	for i := 1; i < len(bs); i++ {
		if bs[i].count < bs[i-1].count {
			bs[i].count = bs[i-1].count
		}
	}
	total := bs[len(bs)-1].count
	if total <= 0 {
		return 0, false
	}
	rank := q * total
	b := sort.Search(len(bs)-1, func(i int) bool { return bs[i].count >= rank })
	switch {
	case b == len(bs)-1:
		// The rank is in the +Inf bucket: the best answer is the highest
		// finite bound.
		return bs[len(bs)-2].le, true
	case b == 0 && bs[0].le <= 0:
		return bs[0].le, true
	}
	start, end, count := 0.0, bs[b].le, bs[b].count
	if b > 0 {
		start = bs[b-1].le
		count -= bs[b-1].count
		rank -= bs[b-1].count
	}
	if count == 0 {
		return end, true
	}
	return start + (end-start)*(rank/count), true
}

// quantileMs is quantile rounded to a microsecond (Envoy's buckets are in
// milliseconds), or nil without data.
func (h histogram) quantileMs(q float64) *float64 {
	v, ok := h.quantile(q)
	if !ok {
		return nil
	}
	v = math.Round(v*1000) / 1000
	return &v
}
