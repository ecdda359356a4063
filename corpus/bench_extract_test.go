package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/markusmobius/go-trafilatura"

	"github.com/newsds/newsds/internal/testshared"
)

// BenchmarkExtract runs Extract over the shared trafilatura HTML pages, one page per
// iteration in a fixed rotation, and reports pages/s and MB/s of input. The "trafilatura"
// sub-benchmark runs bare go-trafilatura (fallback on every page, its own date search) on
// the same pages as the reference: the difference is charset decoding, metadata fallbacks,
// our date search and text normalisation, and the fallback Extract runs only where the
// main text is short (mainText). BenchmarkIngestHTMLCPU sets the whole ingest beside bare
// go-trafilatura with its default options, in CPU seconds.
//
//	go test ./corpus -run '^$' -bench BenchmarkExtract -benchtime 200x
func BenchmarkExtract(b *testing.B) {
	dir := testshared.Path(b, "data", "trafilatura", "pages")
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(names) == 0 {
		b.Fatalf("no pages in %s: %v", dir, err)
	}
	slices.Sort(names)
	pages := make([][]byte, len(names))
	for i, n := range names {
		if pages[i], err = os.ReadFile(n); err != nil {
			b.Fatal(err)
		}
	}
	run := func(b *testing.B, extract func([]byte) error) {
		var bytesIn int64
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			p := pages[i%len(pages)]
			bytesIn += int64(len(p))
			if err := extract(p); err != nil {
				b.Logf("page %s: %v", names[i%len(names)], err)
			}
		}
		sec := b.Elapsed().Seconds()
		b.ReportMetric(float64(b.N)/sec, "pages/s")
		b.ReportMetric(float64(bytesIn)/1e6/sec, "MB/s")
	}
	b.Run("newsds", func(b *testing.B) {
		run(b, func(p []byte) error {
			_, err := Extract(Raw{Data: p, Format: "html"}, ExtractOptions{})
			return err
		})
	})
	b.Run("trafilatura", func(b *testing.B) {
		run(b, func(p []byte) error {
			_, err := trafilatura.Extract(bytes.NewReader(p), trafilatura.Options{EnableFallback: true, ExcludeComments: true})
			return err
		})
	})
}
