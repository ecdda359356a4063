// Package cputime reads the CPU time a process has used, the measure the benchmarks
// report beside wall time: the machines they run on are shared, and wall time measures
// the neighbours as much as the code.
package cputime

import (
	"testing"
	"time"
)

// ForTest is Self for a benchmark: it skips tb where the system keeps no CPU time, since
// a rate over a zero duration would be a lie.
func ForTest(tb testing.TB) time.Duration {
	tb.Helper()
	d, ok := Self()
	if !ok {
		tb.Skip("this system reports no CPU time (getrusage)")
	}
	return d
}
