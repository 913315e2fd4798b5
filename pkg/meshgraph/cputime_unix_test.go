//go:build unix

package meshgraph

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used, user plus system,
// and the system part alone: on a shared machine both vary far less than
// wall-clock time.
func processCPU() (total, system time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), time.Duration(ru.Stime.Nano())
}

// pageFaults is the number of page faults the test process has taken:
// most of its system time when the heap grows into new memory.
func pageFaults() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Minflt + ru.Majflt
}
