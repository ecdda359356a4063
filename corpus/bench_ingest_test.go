package corpus

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/newsds/newsds/internal/heappeak"
	"github.com/newsds/newsds/internal/testshared"
)

// BenchmarkIngest runs the whole ingest — read, extract, dedup, store in SQLite — over
// the shared HTML pages (trafilatura and readability gold sets) into a fresh corpus per
// iteration, and beside it the extractor alone over the same pages with the same number
// of workers, as the reference. It reports pages/s, MB/s of input and the peak live
// heap; "x4" ingests four copies of the pages (as new documents) to show that memory
// does not grow with the number of input files.
//
//	go test ./corpus -run '^$' -bench BenchmarkIngest -benchtime 3x
func BenchmarkIngest(b *testing.B) {
	var files []string
	for _, set := range []string{"trafilatura", "readability"} {
		dir := testshared.Path(b, "data", set)
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".html" && filepath.Base(p) != "expected.html" {
				files = append(files, p)
			}
			return nil
		})
	}
	slices.Sort(files)
	var size int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	report := func(b *testing.B, pages int, bytes int64, peak heappeak.Peak) {
		sec := b.Elapsed().Seconds()
		b.ReportMetric(float64(pages*b.N)/sec, "pages/s")
		b.ReportMetric(float64(bytes*int64(b.N))/1e6/sec, "MB/s")
		peak.Report(b)
	}
	ingestCopies := func(b *testing.B, copies int) {
		// Copies get their own folders (and so their own paths), so each page is a new
		// input; their ids collide with the first copy's, as a re-crawl's would.
		in := b.TempDir()
		var paths []string
		for c := range copies {
			dir := filepath.Join(in, string(rune('a'+c)))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			for i, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					b.Fatal(err)
				}
				// A per-copy comment changes the raw bytes, not the text.
				data = append(data, []byte("<!-- copy "+string(rune('a'+c))+" -->")...)
				p := filepath.Join(dir, filepath.Base(filepath.Dir(f))+"-"+filepath.Base(f)+"-"+string(rune('0'+i%10))+".html")
				if err := os.WriteFile(p, data, 0o644); err != nil {
					b.Fatal(err)
				}
			}
			paths = append(paths, dir)
		}
		var peak heappeak.Peak
		b.ResetTimer()
		for b.Loop() {
			b.StopTimer()
			root := b.TempDir()
			ctx := context.Background()
			if err := Init(ctx, root); err != nil {
				b.Fatal(err)
			}
			st, err := Open(ctx, root)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			p := heappeak.Of(func() {
				sum, err := st.Ingest(ctx, paths, IngestOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if sum.Records != len(files)*copies {
					b.Fatalf("ingested %d records, want %d", sum.Records, len(files)*copies)
				}
			})
			peak = peak.Max(p)
			b.StopTimer()
			st.Close()
			b.StartTimer()
		}
		report(b, len(files)*copies, size*int64(copies), peak)
	}
	b.Run("ingest", func(b *testing.B) { ingestCopies(b, 1) })
	b.Run("ingest-x4", func(b *testing.B) { ingestCopies(b, 4) })
	b.Run("extract-only", func(b *testing.B) {
		var peak heappeak.Peak
		workers := runtime.NumCPU()
		for b.Loop() {
			p := heappeak.Of(func() {
				jobs := make(chan string)
				var wg sync.WaitGroup
				for range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for f := range jobs {
							data, err := os.ReadFile(f)
							if err != nil {
								b.Error(err)
								continue
							}
							// As the pipeline does: the file's mtime bounds the dates.
							st, err := os.Stat(f)
							if err != nil {
								b.Error(err)
								continue
							}
							Extract(Raw{Data: data, Format: FormatHTML, Path: f, ModTime: st.ModTime()}, ExtractOptions{})
						}
					}()
				}
				for _, f := range files {
					jobs <- f
				}
				close(jobs)
				wg.Wait()
			})
			peak = peak.Max(p)
		}
		report(b, len(files), size, peak)
	})
}
