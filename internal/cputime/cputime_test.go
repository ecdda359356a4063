package cputime

import (
	"runtime"
	"testing"
)

func TestSelfGrowsWithWork(t *testing.T) {
	before, ok := Self()
	if !ok {
		t.Skipf("no CPU time on %s", runtime.GOOS)
	}
	x := 0
	for i := range 50_000_000 {
		x ^= i * i
	}
	after, _ := Self()
	if after <= before {
		t.Fatalf("CPU time did not grow over a busy loop (%v → %v, %d)", before, after, x)
	}
}
