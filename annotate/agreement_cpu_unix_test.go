//go:build unix

package annotate

import (
	"syscall"
	"time"
)

// agrCPUTime is the process's user+system CPU time: on a shared machine wall time
// measures the neighbours, not the code.
func agrCPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
