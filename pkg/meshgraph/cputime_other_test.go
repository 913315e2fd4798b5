//go:build !unix

package meshgraph

import "time"

// processCPU is not measured here; benchmarks then report 0 cpu-ms/op.
func processCPU() (total, system time.Duration) { return 0, 0 }

// pageFaults is not measured here either.
func pageFaults() int64 { return 0 }
