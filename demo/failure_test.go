package main

import (
	"math"
	"sync"
	"testing"
)

func TestFailureInjectorShare(t *testing.T) {
	tests := []struct {
		name     string
		share    float64
		requests int
		want     int
	}{
		{name: "a share of zero never fails", share: 0, requests: 1000, want: 0},
		{name: "a share of one always fails", share: 1, requests: 1000, want: 1000},
		{name: "a fifth fails exactly one request in five", share: 0.2, requests: 1000, want: 200},
		{name: "a third rounds down over a partial cycle", share: 1.0 / 3, requests: 10, want: 3},
		{name: "a small share fails once per hundred", share: 0.01, requests: 250, want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := newFailureInjector(tt.share)
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			for range tt.requests {
				if f.next() {
					got++
				}
			}
			if got != tt.want {
				t.Errorf("failed %d of %d requests, want %d", got, tt.requests, tt.want)
			}
		})
	}
}

func TestFailureInjectorSpreadsFailures(t *testing.T) {
	f, err := newFailureInjector(0.25)
	if err != nil {
		t.Fatal(err)
	}
	// Every window of four consecutive requests holds exactly one failure, so
	// the error rate does not come in bursts.
	var seq []bool
	for range 40 {
		seq = append(seq, f.next())
	}
	for i := 0; i+4 <= len(seq); i++ {
		n := 0
		for _, failed := range seq[i : i+4] {
			if failed {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("window %d..%d has %d failures, want 1: %v", i, i+3, n, seq)
		}
	}
}

func TestFailureInjectorConcurrent(t *testing.T) {
	f, err := newFailureInjector(0.1)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	failed := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				if f.next() {
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if failed != 400 {
		t.Errorf("failed %d of 4000 concurrent requests, want 400", failed)
	}
}

func TestNewFailureInjectorRejectsBadShares(t *testing.T) {
	for _, share := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := newFailureInjector(share); err == nil {
			t.Errorf("share %v accepted, want an error", share)
		}
	}
}
