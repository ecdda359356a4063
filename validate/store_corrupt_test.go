package validate

import (
	"context"
	"iter"
	"strings"
	"testing"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

// A text that no longer matches its own content_hash is corruption: one
// doc-content-hash finding whose fix gets the text back, and its annotations — made on
// the text the hash records — are neither stale nor checked against the damaged text,
// so nothing asks for a re-annotation that would bless the damage.
func TestDamagedTextIsNotStale(t *testing.T) {
	rec := benchRecord(0)
	i := strings.Index(rec.Text, "قطر")
	rec.Text = rec.Text[:i] + "ق" + "ط" + "ل" + rec.Text[i+len("قطر"):] // one letter changed, hash kept
	for ai := range rec.Annotations {
		rec.Annotations[ai].Stale = false
	}
	r, err := ValidateRecords(context.Background(), "corpus", func(yield func(schema.Record, error) bool) { yield(rec, nil) },
		Options{Targets: []string{"قطر"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].Rule != RuleDocContentHash {
		t.Fatalf("findings, want one %s:%s", RuleDocContentHash, describe(r))
	}
	f := r.Findings[0]
	if !strings.Contains(f.Fix, "restore from a release or re-ingest") || strings.Contains(f.Fix, "annotate") ||
		!strings.Contains(f.Message, "damaged") {
		t.Fatalf("finding %+v", f)
	}
	// An annotation made on another text than the recorded one is still stale.
	rec.Annotations[0].ContentHash = schema.ContentHash("an older text")
	r, _ = ValidateRecords(context.Background(), "corpus", func(yield func(schema.Record, error) bool) { yield(rec, nil) },
		Options{Targets: []string{"قطر"}})
	if r.ByRule[RuleStale].Warnings != 1 {
		t.Fatalf("annotation on an older text not stale:%s", describe(r))
	}
}

// A record the corpus store refused as damaged is a located store-corrupt finding with
// the store's fix, and validation goes on with the next record.
func TestStoreCorruptFinding(t *testing.T) {
	damaged := &corpus.CorruptError{Table: "revs", RowID: 7, Version: "v1", DocID: "doc-0000001", Reason: "the text no longer matches its content_hash",
		Fix: corpus.FixCorruptDocument}
	var recs iter.Seq2[schema.Record, error] = func(yield func(schema.Record, error) bool) {
		if !yield(benchRecord(0), nil) || !yield(schema.Record{Document: schema.Document{ID: "doc-0000001"}}, damaged) {
			return
		}
		yield(benchRecord(2), nil)
	}
	r, err := ValidateRecords(context.Background(), "corpus", recs, Options{Targets: []string{"قطر"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Checked.Documents != 2 || len(r.Findings) != 1 {
		t.Fatalf("checked %d documents, findings:%s", r.Checked.Documents, describe(r))
	}
	f := r.Findings[0]
	if f.Rule != RuleStoreCorrupt || f.Severity != SeverityError || f.Location.DocID != "doc-0000001" || f.Fix != corpus.FixCorruptDocument ||
		!strings.Contains(f.Message, "table revs rowid 7") || !strings.Contains(f.Message, "version v1") {
		t.Fatalf("finding %+v", f)
	}
}
