package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/newsds/newsds/bench/scale/synth"
	"github.com/newsds/newsds/internal/testshared"
)

// BenchmarkIngestJSONL ingests the scale benchmark's synthetic JSONL (bench/scale) in
// process, for profiling the per-document cost of ingest without extraction: "first"
// into an empty corpus, "unchanged" the same file again, "changed" 1% of the documents
// edited. $NEWSDS_BENCH_DOCS sets the size (default 2000). Run with one worker and one
// core to read docs/s as the single-core figure:
//
//	GOMAXPROCS=1 go test ./corpus -run '^$' -bench BenchmarkIngestJSONL -benchtime 1x -cpuprofile cpu.out
func BenchmarkIngestJSONL(b *testing.B) {
	n := 2000
	if v := os.Getenv("NEWSDS_BENCH_DOCS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 100 {
			b.Fatalf("NEWSDS_BENCH_DOCS=%q: want a number of at least 100", v)
		}
	}
	pool, err := synth.LoadPool(testshared.Path(b))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	input := filepath.Join(dir, "input.jsonl")
	changed := filepath.Join(dir, "changed.jsonl")
	write := func(path string, edit func(int) bool) {
		if err := pool.WriteJSONLFile(path, 0, n, edit); err != nil {
			b.Fatal(err)
		}
	}
	write(input, nil)
	write(changed, func(i int) bool { return i%100 == 50 })
	ctx := context.Background()
	fresh := func(b *testing.B) *Store {
		root := b.TempDir()
		if err := Init(ctx, root); err != nil {
			b.Fatal(err)
		}
		st, err := Open(ctx, root)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	ingest := func(b *testing.B, st *Store, path string, want func(*IngestSummary) bool) {
		sum, err := st.Ingest(ctx, []string{path}, IngestOptions{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		if !want(sum) {
			b.Fatalf("summary %+v", sum)
		}
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
	}
	b.Run("first", func(b *testing.B) {
		// CPU time of the ingest alone (user + system, getrusage) beside wall time,
		// which on a shared machine measures the load.
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			st := fresh(b)
			before := cpuTime(b)
			b.StartTimer()
			ingest(b, st, input, func(s *IngestSummary) bool { return s.Ingested == n })
			b.StopTimer()
			cpu += cpuTime(b) - before
			b.StartTimer()
		}
		report(b)
		b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "docs/cpu-s")
	})
	b.Run("unchanged", func(b *testing.B) {
		st := fresh(b)
		ingest(b, st, input, func(s *IngestSummary) bool { return s.Ingested == n })
		var cpu time.Duration
		b.ResetTimer()
		for b.Loop() {
			before := cpuTime(b)
			ingest(b, st, input, func(s *IngestSummary) bool { return s.Unchanged == n })
			cpu += cpuTime(b) - before
		}
		report(b)
		b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "docs/cpu-s")
	})
	b.Run("changed", func(b *testing.B) {
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			st := fresh(b)
			ingest(b, st, input, func(s *IngestSummary) bool { return s.Ingested == n })
			before := cpuTime(b)
			b.StartTimer()
			ingest(b, st, changed, func(s *IngestSummary) bool { return s.Modified == n/100 })
			b.StopTimer()
			cpu += cpuTime(b) - before
			b.StartTimer()
		}
		report(b)
		b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "docs/cpu-s")
	})
}

// cpuTime is the process's user plus system time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
