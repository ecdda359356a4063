package corpus_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/validate"
)

// Issue 14.4: a corpus that ingest accepts validates clean. Every shared page and text
// (../shared/data: .html and .txt) and every hostile fixture of testdata/hostile is
// ingested, then the staged corpus is validated: no error-level finding. Before the
// rules were shared, the hostile fixtures alone gave doc-id, doc-lang and doc-url
// errors.
func TestIngestedCorpusValidatesClean(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests every shared page")
	}
	var inputs []string
	root := testshared.Path(t, "data")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".txt")) {
			inputs = append(inputs, p)
		}
		return nil
	})
	hostile, _ := filepath.Abs("testdata/hostile")
	inputs = append(inputs, hostile)

	dir := t.TempDir()
	ctx := context.Background()
	if err := corpus.Init(ctx, dir); err != nil {
		t.Fatal(err)
	}
	st, err := corpus.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sum, err := st.Ingest(ctx, inputs, corpus.IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested < 300 {
		t.Fatalf("ingested %d documents of %d inputs, want the shared pages in", sum.Ingested, len(inputs))
	}
	rep, err := validate.Validate(ctx, validate.Target{Kind: validate.KindCorpus, Path: dir, Records: st.Records(ctx, "staged")}, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Severity == validate.SeverityError {
			t.Errorf("%s: %s: %s", f.Rule, f.Location, f.Message)
		}
	}
	t.Logf("%d inputs: %d ingested, %d rejected; validate: %d errors, %d warnings over %d documents",
		len(inputs), sum.Ingested, sum.Rejected, rep.Errors, rep.Warnings, rep.Checked.Documents)
}
