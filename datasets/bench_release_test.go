package datasets

import (
	"context"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/heappeak"
	"github.com/newsds/newsds/schema"
)

// genSource generates n records on the fly, so that the corpus itself takes no memory
// and the peak heap measures the writer alone.
type genSource struct {
	tb testing.TB
	n  int
}

// vocabulary feeds the filler that makes texts news-sized (about 2.5 KB) and about as
// compressible as prose, while the fixture's spans stay valid.
var vocabulary = strings.Fields("وقال المتحدث إن الحكومة ستواصل العمل مع الشركاء الإقليميين والدوليين " +
	"وأضاف أن الاقتصاد ينمو رغم التحديات في المنطقة خلال العام الماضي بنسبة كبيرة " +
	"the spokesman said talks would continue next week as ministers met in Doha to discuss trade " +
	"energy prices markets security water climate schools hospitals elections parliament")

func (g genSource) record(i int) schema.Record {
	rec := makeRecord(g.tb, i)
	rec.ID = fmt.Sprintf("gen-%07d", i)
	var b strings.Builder
	x := uint32(i)*2654435761 + 1
	for b.Len() < 2400 {
		x = x*1664525 + 1013904223
		b.WriteString(vocabulary[int(x>>8)%len(vocabulary)])
		b.WriteByte(' ')
	}
	rec.Text += "\n\n" + b.String()
	rec.ContentHash = schema.ContentHash(rec.Text)
	for j := range rec.Annotations {
		rec.Annotations[j].DocID = rec.ID
		if !rec.Annotations[j].Stale {
			rec.Annotations[j].ContentHash = rec.ContentHash
		}
	}
	return rec
}

func (g genSource) ResolveVersion(context.Context, string) (corpus.Version, error) {
	return corpus.Version{Seq: 1, Name: "v1", CreatedAt: fixedTime}, nil
}

func (g genSource) Records(ctx context.Context, _ string) iter.Seq2[schema.Record, error] {
	return func(yield func(schema.Record, error) bool) {
		for i := range g.n {
			if !yield(g.record(i), nil) {
				return
			}
		}
	}
}

// BenchmarkRelease measures a whole release (records → rows → Parquet shards, stats,
// card, Croissant, checksums) against raw pqarrow writing the same article rows into
// one file in the same run, at two corpus sizes: rows/s, MB/s of article rows (their
// Arrow size, as the manifest's num_bytes counts it), and the peak heap (heappeak), which
// should stay flat as the corpus grows tenfold.
//
//	go test ./datasets -run '^$' -bench Release -benchtime 1x
func BenchmarkRelease(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		src := genSource{tb: b, n: n}
		b.Run(fmt.Sprintf("newsds/docs=%d", n), func(b *testing.B) {
			var size int64
			var peak heappeak.Peak
			for i := 0; b.Loop(); i++ {
				out := filepath.Join(b.TempDir(), fmt.Sprint("rel", i))
				probe := heappeak.Start()
				m, err := Release(context.Background(), src, ReleaseOptions{Out: out, Config: testConfig(), ShardSize: 16 << 20})
				if err != nil {
					b.Fatal(err)
				}
				peak = peak.Max(probe.Stop())
				size = m.Config(ConfigArticles).DatasetSize()
			}
			report(b, n, size, peak)
		})
		b.Run(fmt.Sprintf("pqarrow/docs=%d", n), func(b *testing.B) {
			var size int64
			var peak heappeak.Peak
			for i := 0; b.Loop(); i++ {
				p := filepath.Join(b.TempDir(), fmt.Sprint("raw", i, ".parquet"))
				probe := heappeak.Start()
				n, err := rawWrite(src, p)
				if err != nil {
					b.Fatal(err)
				}
				peak = peak.Max(probe.Stop())
				size = n
			}
			report(b, n, size, peak)
		})
	}
}

func report(b *testing.B, rows int, size int64, peak heappeak.Peak) {
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(rows)/per, "rows/s")
	b.ReportMetric(float64(size)/per/1e6, "MB/s")
	peak.Report(b)
	b.ReportMetric(0, "ns/op")
}

// rawWrite is the reference: the same article rows in batches of batchRows, each
// written as one row group of one pqarrow file, zstd. It returns the Arrow bytes
// written.
func rawWrite(src genSource, path string) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithStats(true))
	fw, err := pqarrow.NewFileWriter(schema.ArticlesSchema(), f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return 0, err
	}
	bld := array.NewRecordBuilder(memory.DefaultAllocator, schema.ArticlesSchema())
	defer bld.Release()
	var n int64
	flush := func() error {
		batch := bld.NewRecordBatch()
		defer batch.Release()
		n += schema.ArrowBytes(batch)
		return fw.Write(batch)
	}
	for i := range src.n {
		row, _, err := schema.FromRecord(src.record(i))
		if err != nil {
			return 0, err
		}
		schema.AppendArticleRow(bld, row)
		if (i+1)%batchRows == 0 {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := flush(); err != nil {
		return 0, err
	}
	return n, fw.Close()
}
