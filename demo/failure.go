package main

import (
	"fmt"
	"math"
	"sync/atomic"
)

// failureInjector decides which requests fail. It spreads failures evenly
// instead of drawing random numbers, so a share of 0.2 fails exactly every
// fifth request and the error rate on the dashboards is steady from the first
// scrape on.
type failureInjector struct {
	share float64
	count atomic.Uint64
}

// newFailureInjector accepts a share between 0 (never fail) and 1 (always).
func newFailureInjector(share float64) (*failureInjector, error) {
	if math.IsNaN(share) || share < 0 || share > 1 {
		return nil, fmt.Errorf("failure share must be between 0 and 1, got %v", share)
	}
	return &failureInjector{share: share}, nil
}

// next reports whether the next request should fail. It is safe for
// concurrent use.
func (f *failureInjector) next() bool {
	n := f.count.Add(1)
	// The n-th request fails when the running total of failures that the share
	// asks for, floor(n*share), grows by one at n.
	return math.Floor(float64(n)*f.share) > math.Floor(float64(n-1)*f.share)
}
