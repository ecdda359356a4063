//go:build !unix

package main

import "os"

// peakRSSMiB is unknown where getrusage is not available.
func peakRSSMiB(*os.ProcessState) float64 { return 0 }
