//go:build unix

package cputime

import (
	"syscall"
	"time"
)

// Self is the user plus system CPU time of this process so far; ok is false where the
// system cannot say.
func Self() (d time.Duration, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
