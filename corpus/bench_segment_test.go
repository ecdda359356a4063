package corpus

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/newsds/newsds/bench/scale/synth"
	"github.com/newsds/newsds/internal/heappeak"
	"github.com/newsds/newsds/internal/testshared"
)

// BenchmarkLandSegment lands a segment of synthetic documents (bench/scale's pool, as
// JSONL records extracted by the Extractor) into an empty corpus and reports
// documents/s and the peak Go heap while landing. $NEWSDS_BENCH_SEGMENT_DOCS is the
// comma-separated sizes (default 10000,100000):
//
//	go test ./corpus -run '^$' -bench BenchmarkLandSegment -benchtime 1x
func BenchmarkLandSegment(b *testing.B) {
	sizes := []int{10000, 100000}
	if v := os.Getenv("NEWSDS_BENCH_SEGMENT_DOCS"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("NEWSDS_BENCH_SEGMENT_DOCS=%q: want sizes like 10000,100000", v)
			}
			sizes = append(sizes, n)
		}
	}
	pool, err := synth.LoadPool(testshared.Path(b))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, n := range sizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			input := filepath.Join(dir, "input.jsonl")
			f, err := os.Create(input)
			if err != nil {
				b.Fatal(err)
			}
			if err := pool.WriteJSONL(f, 0, n, nil); err != nil {
				b.Fatal(err)
			}
			f.Close()
			root := b.TempDir()
			if err := Init(ctx, root); err != nil {
				b.Fatal(err)
			}
			st, err := Open(ctx, root)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			x, err := NewExtractor(st.Config(), IngestOptions{}, nil)
			if err != nil {
				b.Fatal(err)
			}
			seg := filepath.Join(dir, "segment")
			m := SegmentManifest{Format: SegmentFormat, Documents: int64(n)}
			m.Dedup.Threshold, m.Dedup.Shingle = st.Config().Dedup.Threshold, st.Config().Dedup.Shingle
			var part []Extracted
			flush := func() {
				if len(part) > 0 {
					m.Files = append(m.Files, writeSegmentPart(b, seg, fmt.Sprintf("documents/part-%05d.parquet", len(m.Files)), part))
					part = part[:0]
				}
			}
			for e := range x.Inputs(ctx, []string{input}) {
				if e.Err != nil {
					b.Fatalf("rejected: %s", e.Err.Reason)
				}
				if part = append(part, e); len(part) == 5000 {
					flush()
				}
			}
			flush()
			writeSegmentManifest(b, seg, m)
			b.ResetTimer()
			var sum *IngestSummary
			var landErr error
			start := time.Now()
			peak := heappeak.Of(func() { sum, landErr = st.Ingest(ctx, []string{seg}, IngestOptions{Format: FormatSegment}) })
			elapsed := time.Since(start)
			if landErr != nil || sum.Ingested+sum.Unchanged != n {
				b.Fatalf("landing: %v %+v", landErr, sum)
			}
			b.ReportMetric(float64(n)/elapsed.Seconds(), "docs/s")
			b.ReportMetric(float64(peak.Live)/(1<<20), "peak-live-MiB")
			b.ReportMetric(float64(peak.Heap)/(1<<20), "peak-heap-MiB")
		})
	}
}

// BenchmarkExtractPipe is the per-page cost of the Arrow pipe of `newsds extract
// --stdin`: the same pages extracted directly (Extractor.One on inputs read from disk)
// and through the pipe (an Arrow stream of files in, ReadFiles, FileInputs with its
// temp copy, ExtractWriter out, read back). The difference of the two ns/page is the
// pipe's overhead:
//
//	go test ./corpus -run '^$' -bench BenchmarkExtractPipe -benchtime 3x
func BenchmarkExtractPipe(b *testing.B) {
	var pages []string
	for _, d := range []string{"newspaper4k/html", "htmldate/pages"} {
		m, err := filepath.Glob(filepath.Join(testshared.Path(b, "data", filepath.FromSlash(d)), "*.html"))
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, m...)
	}
	slices.Sort(pages)
	ctx := context.Background()
	st, err := Open(ctx, func() string {
		root := b.TempDir()
		if err := Init(ctx, root); err != nil {
			b.Fatal(err)
		}
		return root
	}())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	x, err := NewExtractor(st.Config(), IngestOptions{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var inputs []Input
	for in, err := range Inputs(ctx, pages, ReadOptions{}) {
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, in)
	}
	stream := pagesStream(b, pages)
	perPage := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
	}
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			for _, in := range inputs {
				x.One(in)
			}
		}
		perPage(b)
	})
	b.Run("pipe", func(b *testing.B) {
		tmp := b.TempDir()
		for b.Loop() {
			var out bytes.Buffer
			w := NewExtractWriter(&out, 0)
			err := ReadFiles(bytes.NewReader(stream), func(f File) error {
				for e := range x.FileInputs(ctx, f, "", tmp) {
					if err := w.Write(e); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			rows := 0
			if err := ReadExtracted(&out, func(Extracted) error { rows++; return nil }); err != nil || rows != len(pages) {
				b.Fatalf("%d rows back, want %d: %v", rows, len(pages), err)
			}
		}
		perPage(b)
	})
}

// pagesStream is the files as one Arrow stream of (path, content) batches of 16.
func pagesStream(tb testing.TB, files []string) []byte {
	tb.Helper()
	sch := arrow.NewSchema([]arrow.Field{
		{Name: "path", Type: arrow.BinaryTypes.String},
		{Name: "content", Type: arrow.BinaryTypes.Binary},
	}, nil)
	var buf bytes.Buffer
	mem := memory.NewGoAllocator()
	w := ipc.NewWriter(&buf, ipc.WithSchema(sch), ipc.WithAllocator(mem))
	b := array.NewRecordBuilder(mem, sch)
	defer b.Release()
	for i, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		b.Field(0).(*array.StringBuilder).Append("file:" + p)
		b.Field(1).(*array.BinaryBuilder).Append(data)
		if (i+1)%16 == 0 || i == len(files)-1 {
			rec := b.NewRecordBatch()
			if err := w.Write(rec); err != nil {
				tb.Fatal(err)
			}
			rec.Release()
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
