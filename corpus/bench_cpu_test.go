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

// BenchmarkIngestJSONLCPU is BenchmarkIngestJSONL's first ingest measured in CPU time
// (user + system, getrusage) rather than wall time, which on a shared machine measures
// the load: it reports docs per CPU-second of the ingest alone, building the input and
// the empty store excluded. $NEWSDS_BENCH_DOCS sets the size (default 2000):
//
//	GOMAXPROCS=1 go test ./corpus -run '^$' -bench BenchmarkIngestJSONLCPU -benchtime 1x
func BenchmarkIngestJSONLCPU(b *testing.B) {
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
	input := filepath.Join(b.TempDir(), "input.jsonl")
	f, err := os.Create(input)
	if err != nil {
		b.Fatal(err)
	}
	if err := pool.WriteJSONL(f, 0, n, nil); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		root := b.TempDir()
		if err := Init(ctx, root); err != nil {
			b.Fatal(err)
		}
		st, err := Open(ctx, root)
		if err != nil {
			b.Fatal(err)
		}
		before := cpuTime(b)
		b.StartTimer()
		sum, err := st.Ingest(ctx, []string{input}, IngestOptions{Workers: 1})
		b.StopTimer()
		cpu += cpuTime(b) - before
		if err != nil {
			b.Fatal(err)
		}
		if sum.Ingested != n {
			b.Fatalf("summary %+v", sum)
		}
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "docs/cpu-s")
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// cpuTime is the process's user plus system time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
