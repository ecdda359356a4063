package datasets

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/cputime"
	"github.com/newsds/newsds/internal/heappeak"
)

// BenchmarkReleaseCorpus releases real corpora, read from their SQLite store as `newsds
// release` does, so that a profile (-cpuprofile, -memprofile) shows the whole command
// and the peak heap of two corpus sizes can be compared. It needs corpora made
// beforehand (e.g. by `go run ./bench/scale -keep -work DIR`), named by
// NEWSDS_RELEASE_CORPORA as a list of corpus folders separated by the path list
// separator, and is skipped without it:
//
//	NEWSDS_RELEASE_CORPORA=DIR/10000/corpus:DIR/40000/corpus go test ./datasets -run '^$' -bench ReleaseCorpus -benchtime 1x
func BenchmarkReleaseCorpus(b *testing.B) {
	list := os.Getenv("NEWSDS_RELEASE_CORPORA")
	if list == "" {
		b.Skip("NEWSDS_RELEASE_CORPORA names no corpus")
	}
	for _, root := range filepath.SplitList(list) {
		b.Run(filepath.Base(filepath.Dir(root)), func(b *testing.B) {
			ctx := context.Background()
			st, err := corpus.Open(ctx, root)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			var peak heappeak.Peak
			var cpu time.Duration
			var rows int64
			for i := 0; b.Loop(); i++ {
				out := filepath.Join(b.TempDir(), fmt.Sprint("rel", i))
				probe := heappeak.Start()
				stopSnap := peakHeapProfile(b, os.Getenv("NEWSDS_PEAK_HEAP_PROFILE"))
				c0 := cputime.ForTest(b)
				m, err := Release(ctx, st, ReleaseOptions{Out: out, Config: st.Config(), PreviousDir: PreviousNone})
				if err != nil {
					b.Fatal(err)
				}
				cpu += cputime.ForTest(b) - c0
				stopSnap()
				peak = peak.Max(probe.Stop())
				rows = 0
				for _, s := range m.Config(ConfigArticles).Splits {
					rows += s.NumExamples
				}
			}
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(rows)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
			peak.Report(b)
		})
	}
}

// peakHeapProfile, when path is set, writes there the heap profile taken when the live
// heap was at its highest, so that it shows what the peak is made of (the usual
// -memprofile shows what is left at the end).
func peakHeapProfile(tb testing.TB, path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var best uint64
		var snap bytes.Buffer
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var gcs uint32
		for {
			select {
			case <-done:
				if err := os.WriteFile(path, snap.Bytes(), 0o644); err != nil {
					tb.Error(err)
				}
				return
			case <-t.C:
			}
			var ms runtime.MemStats
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > best {
				runtime.ReadMemStats(&ms)
				if ms.NumGC != gcs {
					gcs, best = ms.NumGC, v
					snap.Reset()
					_ = pprof.Lookup("heap").WriteTo(&snap, 0)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}
