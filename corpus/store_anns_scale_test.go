package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// Issue 14: staging an annotation unstaged the annotator's earlier work by reading the
// name out of the body of every annotation staged on the document's layer, so an import
// of many annotators' work on one document was quadratic (21 → 12 records/s). The
// statement must look the annotator up by the staged_anns key itself: its plan searches
// the primary key on all three columns.
func TestReplaceAnnotatorSearchesWholeKey(t *testing.T) {
	st := newTestStore(t, "")
	plan := planDetails(queryPlan(t, st, replaceAnnotatorSQL, "d", "l", "a"))
	found := false
	for _, step := range plan {
		if strings.Contains(step, "staged_anns") && strings.Contains(step, "annotator>") {
			found = true
		}
		if strings.Contains(step, "staged_anns") && strings.Contains(step, "(doc_id=? AND layer=?)") {
			t.Errorf("a step reads every annotation of the layer: %s", step)
		}
	}
	if !found {
		t.Errorf("no step searches staged_anns by annotator: %s", strings.Join(plan, "; "))
	}
}

// The key search must still replace exactly the annotator's own work: names that are a
// prefix of one another, or contain the separators of the key, stay apart.
func TestReplaceAnnotatorByNameOnly(t *testing.T) {
	ctx := context.Background()
	st := newTestStore(t, "")
	p := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(p, []byte(`{"url":"https://example.com/a","title":"A","text":"Qatar welcomed the talks."}`+"\n"), 0o644)
	ingest(t, st, IngestOptions{}, p)
	doc := staged(t, st)[0]
	put := func(name, version, label string) {
		t.Helper()
		ann := schema.Annotation{DocID: doc.ID, Layer: "topics", Annotator: schema.Annotator{Name: name, Version: version, Kind: schema.KindHuman},
			Items: []schema.Item{{Label: label}}}
		if _, err := st.PutAnnotation(ctx, ann); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"x", "x@y", "x@", "x#1", "xA", "y"}
	for _, n := range names {
		put(n, "1", "first")
	}
	put("x", "2", "second") // replaces x@1 only
	rec, err := st.Record(ctx, "staged", doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range rec.Annotations {
		if _, dup := got[a.Annotator.Name]; dup {
			t.Errorf("annotator %q staged twice", a.Annotator.Name)
		}
		got[a.Annotator.Name] = a.Annotator.Version + ":" + a.Items[0].Label
	}
	want := map[string]string{"x": "2:second", "x@y": "1:first", "x@": "1:first", "x#1": "1:first", "xA": "1:first", "y": "1:first"}
	if len(got) != len(want) {
		t.Errorf("staged %v, want %v", got, want)
	}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("annotator %q: %q, want %q", n, got[n], w)
		}
	}
}

// PutAnnotations read and verified the staged document again for every annotation of a
// batch: 200,000 annotators' work on one document decoded its revision 200,000 times.
// Within a batch a document is read once.
func TestPutAnnotationsReadsEachDocumentOnce(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	reads := 0
	st, err := openDBObserved(ctx, root, false, func(q string) {
		if strings.Contains(q, "FROM staged s LEFT JOIN revs r USING(rev) WHERE s.id = ?") {
			reads++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(p, []byte(`{"url":"https://example.com/a","title":"A","text":"Qatar welcomed the talks."}`+"\n"), 0o644)
	ingest(t, st, IngestOptions{}, p)
	doc := staged(t, st)[0]
	var anns []schema.Annotation
	for i := range 50 {
		anns = append(anns, schema.Annotation{DocID: doc.ID, Layer: "topics", Items: []schema.Item{{Label: "a"}},
			Annotator: schema.Annotator{Name: "person-" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Version: "1", Kind: schema.KindHuman}})
	}
	reads = 0
	if _, err := st.PutAnnotations(ctx, anns); err != nil {
		t.Fatal(err)
	}
	if reads != 1 {
		t.Errorf("PutAnnotations of %d annotations on one document read it %d times, want 1", len(anns), reads)
	}
}

// Document read the document's annotations too (it was Record without them), so the
// importer's and validate's lookups of a document carrying 200,000 annotations held
// them all: validate FILE's peak RSS doubled from 20,000 to 200,000 records. A
// document lookup reads no annotation.
func TestDocumentReadsNoAnnotations(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	annReads := 0
	st, err := openDBObserved(ctx, root, false, func(q string) {
		if strings.Contains(q, "staged_anns") || strings.Contains(q, "version_anns") {
			annReads++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := filepath.Join(t.TempDir(), "a.jsonl")
	os.WriteFile(p, []byte(`{"url":"https://example.com/a","title":"A","text":"Qatar welcomed the talks."}`+"\n"), 0o644)
	ingest(t, st, IngestOptions{}, p)
	doc := staged(t, st)[0]
	if _, err := st.PutAnnotation(ctx, schema.Annotation{DocID: doc.ID, Layer: "topics", Items: []schema.Item{{Label: "a"}},
		Annotator: schema.Annotator{Name: "amina", Version: "1", Kind: schema.KindHuman}}); err != nil {
		t.Fatal(err)
	}
	annReads = 0
	got, err := st.Document(ctx, "staged", doc.ID)
	if err != nil || got.Text != doc.Text {
		t.Fatalf("Document: %v (text %q)", err, got.Text)
	}
	if annReads != 0 {
		t.Errorf("Document ran %d annotation queries", annReads)
	}
}
