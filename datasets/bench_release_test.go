package datasets

import (
	"context"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/cputime"
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

// BenchmarkRelease measures a whole release (records → rows → Parquet shards of both
// configs, stats, card, Croissant, checksums) against raw pqarrow writing the same
// article rows into one file in the same run, at two corpus sizes: rows/s over wall
// time and, since the machine is shared, rows per CPU second (rows/cpu-s, the figure to
// compare), MB/s of article rows (their Arrow size, as the manifest's num_bytes counts
// it), and the peak heap (heappeak), which should stay flat as the corpus grows tenfold.
// The references write the same rows (articles and turns) in the same row groups (see
// rawWrite): "pqarrow" with pqarrow's defaults (dictionary for every column) and zstd,
// "pqarrow-sameprops" with the shards' own writer properties (no dictionary for mostly
// distinct columns, see distinctColumns), whose ratio is newsds's own cost around the
// writer: statistics, splits, checksums, card, Croissant.
//
//	go test ./datasets -run '^$' -bench Release -benchtime 1x
func BenchmarkRelease(b *testing.B) {
	const shardSize = 16 << 20
	for _, n := range []int{2000, 20000} {
		src := genSource{tb: b, n: n}
		b.Run(fmt.Sprintf("newsds/docs=%d", n), func(b *testing.B) {
			var size int64
			var peak heappeak.Peak
			var cpu time.Duration
			for i := 0; b.Loop(); i++ {
				out := filepath.Join(b.TempDir(), fmt.Sprint("rel", i))
				probe := heappeak.Start()
				c0 := cputime.ForTest(b)
				m, err := Release(context.Background(), src, ReleaseOptions{Out: out, Config: testConfig(), ShardSize: shardSize})
				if err != nil {
					b.Fatal(err)
				}
				cpu += cputime.ForTest(b) - c0
				peak = peak.Max(probe.Stop())
				size = m.Config(ConfigArticles).DatasetSize()
			}
			report(b, n, size, cpu, peak)
		})
		for _, ref := range []struct {
			name  string
			props func(arrow.RecordBatch) *parquet.WriterProperties
		}{
			{"pqarrow", defaultProps},
			{"pqarrow-sameprops", func(first arrow.RecordBatch) *parquet.WriterProperties {
				return parquetProps(memory.DefaultAllocator, first)
			}},
		} {
			b.Run(fmt.Sprintf("%s/docs=%d", ref.name, n), func(b *testing.B) {
				var size int64
				var peak heappeak.Peak
				var cpu time.Duration
				for i := 0; b.Loop(); i++ {
					p := filepath.Join(b.TempDir(), fmt.Sprint("raw", i, ".parquet"))
					probe := heappeak.Start()
					c0 := cputime.ForTest(b)
					n, err := rawWrite(src, p, newShardLayout(shardSize, false), ref.props)
					if err != nil {
						b.Fatal(err)
					}
					cpu += cputime.ForTest(b) - c0
					peak = peak.Max(probe.Stop())
					size = n
				}
				report(b, n, size, cpu, peak)
			})
		}
	}
}

// defaultProps are pqarrow's defaults with zstd and statistics, as the shards have them,
// and the shards' page size (pqarrow's default, named).
func defaultProps(arrow.RecordBatch) *parquet.WriterProperties {
	return parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithStats(true),
		parquet.WithDataPageSize(dataPageSize))
}

func report(b *testing.B, rows int, size int64, cpu time.Duration, peak heappeak.Peak) {
	per := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(rows)/per, "rows/s")
	b.ReportMetric(float64(rows)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
	b.ReportMetric(float64(size)/per/1e6, "MB/s")
	peak.Report(b)
	b.ReportMetric(0, "ns/op")
}

// rawWrite is the reference: the same rows as a release writes, article rows into one
// pqarrow file and turn rows into another, in batches cut as a split writer cuts them
// (batchRows rows or layout.batchBytes estimated bytes), each batch one row group, with
// the writer properties props gives for the first batch. It returns the Arrow bytes of
// the article rows.
func rawWrite(src genSource, path string, layout shardLayout, props func(arrow.RecordBatch) *parquet.WriterProperties) (int64, error) {
	articles := &rawFile{path: path, schema: schema.ArticlesSchema(), layout: layout, props: props}
	turns := &rawFile{path: path + ".turns", schema: schema.TurnsSchema(), layout: layout, props: props}
	defer articles.abandon()
	defer turns.abandon()
	for i := range src.n {
		row, turnRows, err := schema.FromRecord(src.record(i))
		if err != nil {
			return 0, err
		}
		if err := articles.add(func(b *array.RecordBuilder) { schema.AppendArticleRow(b, row) }, int64(len(row.Text)+len(row.Title)+256)); err != nil {
			return 0, err
		}
		for _, t := range turnRows {
			if err := turns.add(func(b *array.RecordBuilder) { schema.AppendTurnRow(b, t) }, int64(len(t.Question)+len(t.Answer)+128)); err != nil {
				return 0, err
			}
		}
	}
	if err := articles.close(); err != nil {
		return 0, err
	}
	return articles.arrowBytes, turns.close()
}

// rawFile is one file of rawWrite.
type rawFile struct {
	path   string
	schema *arrow.Schema
	layout shardLayout
	props  func(arrow.RecordBatch) *parquet.WriterProperties

	f                     *os.File
	fw                    *pqarrow.FileWriter
	b                     *array.RecordBuilder
	pending, pendingBytes int64
	arrowBytes            int64
}

func (r *rawFile) add(fill func(*array.RecordBuilder), approx int64) error {
	if r.b == nil {
		r.b = array.NewRecordBuilder(memory.DefaultAllocator, r.schema)
	}
	fill(r.b)
	r.pending++
	r.pendingBytes += approx
	if r.pending >= batchRows || r.pendingBytes >= r.layout.batchBytes {
		return r.flush()
	}
	return nil
}

func (r *rawFile) flush() error {
	if r.pending == 0 {
		return nil
	}
	r.pending, r.pendingBytes = 0, 0
	batch := r.b.NewRecordBatch()
	defer batch.Release()
	r.arrowBytes += schema.ArrowBytes(batch)
	if r.fw == nil {
		f, err := os.Create(r.path)
		if err != nil {
			return err
		}
		r.f = f
		r.fw, err = pqarrow.NewFileWriter(r.schema, f, r.props(batch), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
		if err != nil {
			return err
		}
	}
	return r.fw.Write(batch)
}

func (r *rawFile) close() error {
	if err := r.flush(); err != nil {
		return err
	}
	if r.fw == nil {
		return nil
	}
	err := r.fw.Close()
	r.fw, r.f = nil, nil
	return err
}

func (r *rawFile) abandon() {
	if r.b != nil {
		r.b.Release()
	}
	if r.fw != nil {
		_ = r.fw.Close()
	}
}
