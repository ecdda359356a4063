//go:build !unix

package annotate

import "time"

func agrCPUTime() (time.Duration, bool) { return 0, false }
