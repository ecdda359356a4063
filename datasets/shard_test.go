package datasets

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// Memory of a release must be bounded by the batch, not by the corpus: a shard whose
// row groups spanned several batches kept every compressed page of the open row group in
// memory until it was cut (at 32 MiB compressed), so that peak memory grew with the
// corpus up to that size (issue 15: 323 MiB at 10k documents, 543 MiB at 100k). Each
// batch is now a row group of its own, written through at once.
func TestShardRowGroupIsOneBatch(t *testing.T) {
	const n = 2500 // two train batches and more at 1,000 rows each
	out := filepath.Join(t.TempDir(), "rel")
	m, err := Release(context.Background(), genSource{tb: t, n: n}, ReleaseOptions{Out: out, Config: testConfig()})
	if err != nil {
		t.Fatal(err)
	}
	train := m.Config(ConfigArticles).Split("train")
	if train == nil || len(train.Files) != 1 || train.NumExamples <= batchRows {
		t.Fatalf("train split %+v: want one file of more than %d rows", train, batchRows)
	}
	pf, err := file.OpenParquetFile(filepath.Join(out, filepath.FromSlash(train.Files[0].Path)), false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	var rows []int64
	for g := range pf.NumRowGroups() {
		rows = append(rows, pf.MetaData().RowGroup(g).NumRows())
	}
	if want := int((train.NumExamples + batchRows - 1) / batchRows); len(rows) != want {
		t.Errorf("row groups of %d rows: %v, want %d groups of at most %d rows", train.NumExamples, rows, want, batchRows)
	}
	if slices.Max(rows) > batchRows {
		t.Errorf("row group rows %v: a row group holds more than one batch (%d rows)", rows, batchRows)
	}
}

// Mostly distinct string columns (text, title, ids, hashes) are written without a
// dictionary, which only cost the hashing of every value before the writer fell back to
// plain; columns of few values (lang, source, split) keep theirs. A small first batch
// keeps the defaults.
func TestShardDictionaryOnlyWhereItPays(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rel")
	m, err := Release(context.Background(), genSource{tb: t, n: 400}, ReleaseOptions{Out: out, Config: testConfig()})
	if err != nil {
		t.Fatal(err)
	}
	encodings := func(path string) map[string][]parquet.Encoding {
		t.Helper()
		pf, err := file.OpenParquetFile(filepath.Join(out, filepath.FromSlash(path)), false)
		if err != nil {
			t.Fatal(err)
		}
		defer pf.Close()
		rg := pf.MetaData().RowGroup(0)
		enc := map[string][]parquet.Encoding{}
		for c := range rg.NumColumns() {
			col, err := rg.ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			enc[col.PathInSchema().String()] = col.Encodings()
		}
		return enc
	}
	hasDict := func(e []parquet.Encoding) bool {
		return slices.Contains(e, parquet.Encodings.RLEDict) || slices.Contains(e, parquet.Encodings.PlainDict)
	}
	arts := m.Config(ConfigArticles)
	big := encodings(arts.Split("train").Files[0].Path)
	for _, col := range []string{"id", "text", "content_hash"} {
		if e, ok := big[col]; !ok || hasDict(e) {
			t.Errorf("train %s: encodings %v, want no dictionary", col, e)
		}
	}
	for _, col := range []string{"lang", "source", "split"} {
		if e, ok := big[col]; !ok || !hasDict(e) {
			t.Errorf("train %s: encodings %v, want a dictionary", col, e)
		}
	}
	// The test split of 400 documents has fewer than minDictSample rows.
	small := arts.Split("test")
	if small.NumExamples >= minDictSample {
		t.Fatalf("test split has %d rows, want fewer than %d", small.NumExamples, minDictSample)
	}
	if e := encodings(small.Files[0].Path)["text"]; !hasDict(e) {
		t.Errorf("test text (%d rows): encodings %v, want the default dictionary", small.NumExamples, e)
	}
}
