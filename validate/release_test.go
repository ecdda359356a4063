package validate

import (
	"context"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/schema"
)

// memSource is a committed corpus version held in memory, for datasets.Release.
type memSource struct{ recs []schema.Record }

func (m memSource) ResolveVersion(context.Context, string) (corpus.Version, error) {
	return corpus.Version{Seq: 1, Name: "v1", Message: "fixture", CreatedAt: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}, nil
}

func (m memSource) Records(context.Context, string) iter.Seq2[schema.Record, error] {
	return seqOf(m.recs)
}

// releaseRecords are the clean records plus enough English articles that every split
// of the default 80/10/10 spec gets rows, in id order as the store gives them.
func releaseRecords(t testing.TB, n int) []schema.Record {
	recs := []schema.Record{interviewRecord(t)}
	for i := range n {
		rec := englishRecord(t)
		rec.ID = "en-" + strings.Repeat("0", 4-len(itoa(i))) + itoa(i)
		rec.URL = "https://example.com/en/" + itoa(i)
		rec.Text = englishText + "\n\nStory number " + itoa(i) + "."
		rec.ContentHash = schema.ContentHash(rec.Text)
		rec.Annotations[0].DocID = rec.ID
		rec.Annotations[0].ContentHash = rec.ContentHash
		recs = append(recs, rec)
	}
	return recs
}

func itoa(i int) string { return strconv.Itoa(i) }

func buildRelease(t testing.TB, dir string, recs []schema.Record, opts datasets.ReleaseOptions) string {
	t.Helper()
	out := filepath.Join(dir, "release")
	opts.Out = out
	opts.Version = "1.0.0"
	opts.PreviousDir = datasets.PreviousNone
	if _, err := datasets.Release(context.Background(), memSource{recs}, opts); err != nil {
		t.Fatal(err)
	}
	return out
}

func validateDir(t *testing.T, dir string, opts Options) *Report {
	t.Helper()
	r, err := Validate(context.Background(), Target{Kind: KindRelease, Path: dir}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCleanReleaseHasNoFindings(t *testing.T) {
	dir := buildRelease(t, t.TempDir(), releaseRecords(t, 40), datasets.ReleaseOptions{})
	if k, err := Detect(dir); err != nil || k != KindRelease {
		t.Fatalf("Detect = %v, %v", k, err)
	}
	r := validateDir(t, dir, fixtureOptions())
	if len(r.Findings) != 0 || r.ExitCode != ExitClean {
		t.Fatalf("clean release: exit %d, findings:%s", r.ExitCode, describe(r))
	}
	if r.Checked.Documents != 41 || r.Checked.Rows < 41 {
		t.Errorf("checked = %+v", r.Checked)
	}
}

// shardRows reads every articles row of a shard.
func shardRows(t *testing.T, path string) ([]schema.ArticleRow, string) {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	hf := *pf.MetaData().KeyValueMetadata().FindValue(hfMetadataKey)
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 20}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var out []schema.ArticleRow
	for rr.Next() {
		rows, err := schema.ArticleRows(rr.RecordBatch())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rows...)
	}
	return out, hf
}

// writeArticles writes rows as an articles shard with the given huggingface metadata.
func writeArticles(t *testing.T, path string, rows []schema.ArticleRow, hf string) {
	t.Helper()
	md := arrow.NewMetadata([]string{hfMetadataKey}, []string{hf})
	sch := arrow.NewSchema(schema.ArticlesSchema().Fields(), &md)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	for _, r := range rows {
		schema.AppendArticleRow(b, r)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(sch, f, nil, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil { // closes f too
		t.Fatal(err)
	}
}

// shardOf finds the articles shard holding doc id.
func shardOf(t *testing.T, dir, id string) string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "data", "articles", "*.parquet"))
	for _, p := range paths {
		rows, _ := shardRows(t, p)
		for _, r := range rows {
			if r.ID == id {
				return p
			}
		}
	}
	t.Fatalf("no shard holds %s", id)
	return ""
}

func editRows(t *testing.T, dir, id string, edit func(rows []schema.ArticleRow, i int) []schema.ArticleRow) string {
	t.Helper()
	p := shardOf(t, dir, id)
	rows, hf := shardRows(t, p)
	for i := range rows {
		if rows[i].ID == id {
			rows = edit(rows, i)
			break
		}
	}
	writeArticles(t, p, rows, hf)
	rel, _ := filepath.Rel(dir, p)
	return filepath.ToSlash(rel)
}

func editFile(t *testing.T, path string, edit func(string) string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := edit(string(b))
	if out == string(b) {
		t.Fatalf("edit of %s changed nothing", path)
	}
	writeFile(t, path, out)
}

// releasePlant is one error planted in a copy of the clean release. The finding must be
// reported with its rule and location; collateral lists rules the same change
// necessarily also trips (a rewritten shard no longer matches its checksums).
type releasePlant struct {
	name       string
	plant      func(t *testing.T, dir string) (file string)
	rule       string
	line       bool // the finding carries a line number
	row        bool // the finding carries a row
	msg        string
	collateral []string
}

var rewrittenShard = []string{RuleChecksum, RuleCroissant}

func TestPlantedReleaseErrors(t *testing.T) {
	base := t.TempDir()
	clean := buildRelease(t, base, releaseRecords(t, 40), datasets.ReleaseOptions{})
	plants := []releasePlant{
		{name: "flipped byte in a shard", rule: RuleChecksum, msg: "the file changed or is corrupt",
			collateral: []string{RuleCroissant, RuleFileUnreadable},
			plant: func(t *testing.T, dir string) string {
				p := shardOf(t, dir, "en-0001")
				b, _ := os.ReadFile(p)
				b[len(b)/2] ^= 0x01
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				rel, _ := filepath.Rel(dir, p)
				return filepath.ToSlash(rel)
			}},
		{name: "truncated shard", rule: RuleFileUnreadable, msg: "not a readable Parquet file",
			collateral: []string{RuleChecksum, RuleCroissant},
			plant: func(t *testing.T, dir string) string {
				p := shardOf(t, dir, "en-0001")
				b, _ := os.ReadFile(p)
				if err := os.WriteFile(p, b[:len(b)-20], 0o644); err != nil {
					t.Fatal(err)
				}
				rel, _ := filepath.Rel(dir, p)
				return filepath.ToSlash(rel)
			}},
		{name: "edited num_examples", rule: RuleCardNumExamples, line: true, msg: "the card says num_examples 999",
			plant: func(t *testing.T, dir string) string {
				editFile(t, filepath.Join(dir, "README.md"), func(s string) string {
					i := strings.Index(s, "num_examples: ")
					j := i + strings.IndexByte(s[i:], '\n')
					return s[:i] + "num_examples: 999" + s[j:]
				})
				return "README.md"
			}, collateral: []string{RuleChecksum, RuleCroissant}},
		{name: "edited num_bytes", rule: RuleCardNumBytes, line: true, msg: "the card says num_bytes 12345",
			plant: func(t *testing.T, dir string) string {
				editFile(t, filepath.Join(dir, "README.md"), func(s string) string {
					i := strings.Index(s, "num_bytes: ")
					j := i + strings.IndexByte(s[i:], '\n')
					return s[:i] + "num_bytes: 12345" + s[j:]
				})
				return "README.md"
			}, collateral: []string{RuleChecksum, RuleCroissant}},
		{name: "glob matching nothing", rule: RuleCardDataFiles, msg: "matches no file",
			plant: func(t *testing.T, dir string) string {
				editFile(t, filepath.Join(dir, "README.md"), func(s string) string {
					return strings.Replace(s, "data/articles/test-*", "data/articles/tests-*", 1)
				})
				return "README.md"
			}, collateral: []string{RuleChecksum, RuleCroissant}},
		{name: "invalid split name", rule: RuleSplitName, msg: `"test set"`,
			plant: func(t *testing.T, dir string) string {
				editFile(t, filepath.Join(dir, "README.md"), func(s string) string {
					return strings.Replace(s, "split: test\n", "split: 'test set'\n", 1)
				})
				return "README.md"
			}, collateral: []string{RuleChecksum, RuleCroissant, RuleCardDataFiles}},
		{name: "wrong checksum line", rule: RuleChecksum, msg: "checksums.sha256 line",
			plant: func(t *testing.T, dir string) string {
				editFile(t, filepath.Join(dir, "checksums.sha256"), func(s string) string {
					return "0000000000000000000000000000000000000000000000000000000000000000" + s[64:]
				})
				return ""
			}},
		{name: "wrong croissant size", rule: RuleCroissant, msg: "croissant.json says 7",
			plant: func(t *testing.T, dir string) string {
				editFile(t, filepath.Join(dir, "croissant.json"), func(s string) string {
					i := strings.Index(s, `"contentSize": "`) + len(`"contentSize": "`)
					j := i + strings.IndexByte(s[i:], '"')
					return s[:i] + "7 B" + s[j:]
				})
				return ""
			}, collateral: []string{RuleChecksum}},
		{name: "missing shard", rule: RuleChecksum, msg: "listed but missing",
			plant: func(t *testing.T, dir string) string {
				p := shardOf(t, dir, "en-0001")
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
				return ""
			}, collateral: []string{RuleCroissant, RuleCardDataFiles, RuleCardNumExamples, RuleCardNumBytes, RuleAnnotationDocMiss}},
		{name: "shard of another schema", rule: RuleParquetSchema, msg: "column",
			plant: func(t *testing.T, dir string) string {
				p := shardOf(t, dir, "en-0001")
				fields := schema.ArticlesSchema().Fields()
				fields[1].Name = "link"
				sch := arrow.NewSchema(fields, nil)
				b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
				defer b.Release()
				rec := b.NewRecordBatch()
				defer rec.Release()
				f, _ := os.Create(p)
				w, err := pqarrow.NewFileWriter(sch, f, nil, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Write(rec); err != nil {
					t.Fatal(err)
				}
				w.Close()
				rel, _ := filepath.Rel(dir, p)
				return filepath.ToSlash(rel)
			}, collateral: []string{RuleChecksum, RuleCroissant, RuleAnnotationDocMiss}},
		{name: "huggingface features edited", rule: RuleHFFeatures, msg: "qa_turns",
			plant: func(t *testing.T, dir string) string {
				p := shardOf(t, dir, "en-0001")
				rows, hf := shardRows(t, p)
				writeArticles(t, p, rows, strings.Replace(hf, `"question", "answer"`, `"q", "a"`, 1))
				rel, _ := filepath.Rel(dir, p)
				return filepath.ToSlash(rel)
			}, collateral: rewrittenShard},
		{name: "turn out of the text", rule: RuleSpanBounds, row: true, msg: "turn 2 span",
			plant: func(t *testing.T, dir string) string {
				return editRows(t, dir, "ar-interview-1", func(rows []schema.ArticleRow, i int) []schema.ArticleRow {
					rows[i].QATurns[1].End = 100000
					return rows
				})
			}, collateral: rewrittenShard},
		{name: "class id outside the label set", rule: RuleLabelUnknown, row: true, msg: "class id 7",
			plant: func(t *testing.T, dir string) string {
				return editRows(t, dir, "en-0002", func(rows []schema.ArticleRow, i int) []schema.ArticleRow {
					rows[i].Sentiment.Label = 7
					return rows
				})
				// The writer names no label for id 7, so the label-name column and with it
				// the Arrow size change too.
			}, collateral: append(rewrittenShard, RuleCardNumBytes)},
		{name: "unknown language in a row", rule: RuleDocLang, row: true, msg: `"zz"`,
			plant: func(t *testing.T, dir string) string {
				return editRows(t, dir, "en-0003", func(rows []schema.ArticleRow, i int) []schema.ArticleRow {
					rows[i].Lang = "zz"
					return rows
				})
			}, collateral: rewrittenShard},
		{name: "document in two splits", rule: RuleSplitLeak, row: true, msg: "is in split",
			plant: func(t *testing.T, dir string) string {
				src := shardOf(t, dir, "en-0004")
				rows, _ := shardRows(t, src)
				var moved schema.ArticleRow
				for _, r := range rows {
					if r.ID == "en-0004" {
						moved = r
					}
				}
				other := filepath.Join(dir, "data", "articles", "test-00000-of-00001.parquet")
				if other == src {
					other = filepath.Join(dir, "data", "articles", "train-00000-of-00001.parquet")
				}
				orows, hf := shardRows(t, other)
				writeArticles(t, other, append(orows, moved), hf)
				rel, _ := filepath.Rel(dir, other)
				return filepath.ToSlash(rel)
			}, collateral: []string{RuleChecksum, RuleCroissant, RuleCardNumExamples, RuleCardNumBytes}},
		{name: "row whose split column is another split", rule: RuleSplitLeak, row: true, msg: `column says "elsewhere"`,
			plant: func(t *testing.T, dir string) string {
				return editRows(t, dir, "en-0006", func(rows []schema.ArticleRow, i int) []schema.ArticleRow {
					rows[i].Split = "elsewhere"
					return rows
				})
			}, collateral: append(rewrittenShard, RuleCardNumBytes)},
		{name: "duplicate sneaking in", rule: RuleExcludedDup, row: true, msg: "same text as",
			plant: func(t *testing.T, dir string) string {
				return editRows(t, dir, "en-0005", func(rows []schema.ArticleRow, i int) []schema.ArticleRow {
					dup := rows[i]
					dup.ID = "en-0005-copy"
					return append(rows, dup)
				})
			}, collateral: []string{RuleChecksum, RuleCroissant, RuleCardNumExamples, RuleCardNumBytes}},
	}
	for k, p := range plants {
		t.Run(p.name, func(t *testing.T) {
			dir := filepath.Join(base, "plant-"+itoa(k))
			if err := os.CopyFS(dir, os.DirFS(clean)); err != nil {
				t.Fatal(err)
			}
			file := p.plant(t, dir)
			r := validateDir(t, dir, fixtureOptions())
			found := false
			for _, f := range r.Findings {
				if f.Rule == p.rule && strings.Contains(f.Message, p.msg) &&
					(file == "" || f.Location.File == file) && (!p.line || f.Location.Line != nil) && (!p.row || f.Location.Row != nil) {
					found = true
				}
				if f.Rule != p.rule && !slices.Contains(p.collateral, f.Rule) {
					t.Errorf("unexpected finding: %s [%s] %s", f.Rule, f.Location, f.Message)
				}
			}
			if !found || r.ExitCode != ExitFindings {
				t.Fatalf("want %s in %q containing %q (exit 1), got exit %d:%s", p.rule, file, p.msg, r.ExitCode, describe(r))
			}
		})
	}
}
