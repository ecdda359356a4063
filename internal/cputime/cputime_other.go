//go:build !unix

package cputime

import "time"

// Self reports no CPU time where getrusage does not exist.
func Self() (time.Duration, bool) { return 0, false }
