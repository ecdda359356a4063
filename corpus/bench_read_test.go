package corpus

import (
	"context"
	"os"
	"testing"
)

// BenchmarkRecords iterates every record of the last committed version of the corpus at
// $NEWSDS_READ_CORPUS (a copy: opening may migrate it), the read that export and release
// start from. Skipped when the variable is unset.
func BenchmarkRecords(b *testing.B) {
	root := os.Getenv("NEWSDS_READ_CORPUS")
	if root == "" {
		b.Skip("NEWSDS_READ_CORPUS unset")
	}
	ctx := context.Background()
	s, err := Open(ctx, root)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	version := os.Getenv("NEWSDS_READ_VERSION")
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, err := range s.Records(ctx, version) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		b.ReportMetric(float64(n), "records")
	}
}
