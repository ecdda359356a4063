package corpus

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/markusmobius/go-trafilatura"

	"github.com/newsds/newsds/internal/testshared"
)

// BenchmarkIngestHTMLCPU sets the whole HTML ingest (read, extract, dedup, SQLite) beside
// bare go-trafilatura Extract with its default options on the same shared gold pages, in
// the same process and round, on one core: GOMAXPROCS=1 and one ingest worker, so that
// neither side gets a second core the other does not. Each iteration runs both, in
// alternating order, and bills each the process CPU time (getrusage user+sys) it took,
// after a GC so that neither pays for the other's garbage. It reports ingest-cpu-s and
// trafilatura-cpu-s per iteration and their ratio (target: at most 0.83); extract-cpu-s is
// corpus.Extract alone, to tell extraction from the store's share.
//
//	go test ./corpus -run '^$' -bench BenchmarkIngestHTMLCPU -benchtime 3x -count 3
func BenchmarkIngestHTMLCPU(b *testing.B) {
	files := goldHTMLPages(b)
	pages := make([][]byte, len(files))
	for i, f := range files {
		var err error
		if pages[i], err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ctx := context.Background()

	ingest := func() time.Duration {
		root := b.TempDir()
		if err := Init(ctx, root); err != nil {
			b.Fatal(err)
		}
		st, err := Open(ctx, root)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		runtime.GC()
		t0 := cpuTime(b)
		sum, err := st.Ingest(ctx, files, IngestOptions{Workers: 1})
		took := cpuTime(b) - t0
		if err != nil {
			b.Fatal(err)
		}
		if sum.Records != len(files) {
			b.Fatalf("ingested %d records, want %d", sum.Records, len(files))
		}
		return took
	}
	// Bare go-trafilatura reads the same files: the ingest side reads them too.
	bare := func() time.Duration {
		runtime.GC()
		t0 := cpuTime(b)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			trafilatura.Extract(bytes.NewReader(data), trafilatura.Options{})
		}
		return cpuTime(b) - t0
	}
	extract := func() time.Duration {
		runtime.GC()
		t0 := cpuTime(b)
		for _, p := range pages {
			Extract(Raw{Data: p, Format: FormatHTML}, ExtractOptions{})
		}
		return cpuTime(b) - t0
	}

	var ing, traf, ext time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			ing += ingest()
			traf += bare()
		} else {
			traf += bare()
			ing += ingest()
		}
		ext += extract()
	}
	n := float64(b.N)
	b.ReportMetric(ing.Seconds()/n, "ingest-cpu-s")
	b.ReportMetric(traf.Seconds()/n, "trafilatura-cpu-s")
	b.ReportMetric(ext.Seconds()/n, "extract-cpu-s")
	b.ReportMetric(ing.Seconds()/traf.Seconds(), "ingest/trafilatura")
	b.ReportMetric(float64(len(files)), "pages")
}

// goldHTMLPages lists the HTML pages of the shared extraction gold sets, sorted (each
// set's expected outputs left out).
func goldHTMLPages(b *testing.B) []string {
	var files []string
	for _, set := range []string{"trafilatura", "readability", "newspaper4k", "htmldate"} {
		dir := testshared.Path(b, "data", set)
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".html" && filepath.Base(p) != "expected.html" {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) == 0 {
		b.Fatal("no shared gold HTML pages")
	}
	slices.Sort(files)
	return files
}
