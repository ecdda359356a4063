package annotate

import (
	"context"
	"iter"
	"maps"
	"slices"
	"testing"

	"github.com/newsds/newsds/schema"
)

// memStore is the runner's Store over a map: enough to watch what Run stages.
type memStore struct {
	docs []schema.Document
	anns map[string]schema.Annotation // doc id + layer + annotator name
}

func (m *memStore) Documents(ctx context.Context, version string) iter.Seq2[schema.Document, error] {
	return func(yield func(schema.Document, error) bool) {
		for _, d := range m.docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

func (m *memStore) Document(ctx context.Context, version, id string) (schema.Document, error) {
	for _, d := range m.docs {
		if d.ID == id {
			return d, nil
		}
	}
	return schema.Document{}, nil
}

func (m *memStore) HasAnnotation(ctx context.Context, docID, layer string, a schema.Annotator, contentHash string) (bool, error) {
	got, ok := m.anns[docID+"/"+layer+"/"+a.Name]
	return ok && got.Annotator.Key() == a.Key() && got.ContentHash == contentHash, nil
}

func (m *memStore) PutAnnotation(ctx context.Context, a schema.Annotation) (bool, error) {
	key := a.DocID + "/" + a.Layer + "/" + a.Annotator.Name
	old, ok := m.anns[key]
	m.anns[key] = a
	return !ok || old.Annotator.Key() != a.Annotator.Key() || len(old.Items) != len(a.Items), nil
}

func languageDocs() []schema.Document {
	texts := map[string]string{
		"ar": "شكرا جزيلا لقطر على هذا الدعم الكبير. نحن سعداء جدا بهذه العلاقة الممتازة.",
		"en": "We are grateful for the excellent support. This is a wonderful partnership.\n\nThe attack killed many people; it was a terrible, cruel crime.\n\nThe meeting is on Tuesday at the ministry.",
		"de": "Wir sind sehr dankbar für die hervorragende Unterstützung und die gute Zusammenarbeit.",
		"":   "12345 67890",
	}
	var docs []schema.Document
	for _, lang := range slices.Sorted(maps.Keys(texts)) {
		docs = append(docs, schema.Document{ID: "doc-" + lang, Lang: lang, Text: texts[lang], ContentHash: "h-" + lang})
	}
	return docs
}

// A document in a language the annotator does not support gets no items, is marked
// skipped, and is counted per language (issue 10, point 5).
func TestRunSkipsUnsupportedLanguages(t *testing.T) {
	sent, err := NewSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := &memStore{docs: languageDocs(), anns: map[string]schema.Annotation{}}
	sum, err := Run(context.Background(), st, RunOptions{Annotators: []Annotator{sent}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := sum.Annotators[0].SkippedLanguages
	if want := map[string]int{"de": 1, "unknown": 1}; !maps.Equal(got, want) {
		t.Fatalf("skipped languages %v, want %v", got, want)
	}
	for _, lang := range []string{"de", ""} {
		a := st.anns["doc-"+lang+"/sentiment/sentiment"]
		if a.Skipped != schema.SkippedLanguage || len(a.Items) != 0 {
			t.Errorf("%q document: skipped %q with %d items, want skipped %q with none", lang, a.Skipped, len(a.Items), schema.SkippedLanguage)
		}
	}
	for _, lang := range []string{"ar", "en"} {
		if a := st.anns["doc-"+lang+"/sentiment/sentiment"]; a.Skipped != "" || len(a.Items) == 0 {
			t.Errorf("%s document: skipped %q with %d items, want items", lang, a.Skipped, len(a.Items))
		}
	}
	// A rerun is a no-op for the skipped documents as for the others.
	sum, err = Run(context.Background(), st, RunOptions{Annotators: []Annotator{sent}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s := sum.Annotators[0]; s.Unchanged != 4 || len(s.SkippedLanguages) != 0 {
		t.Fatalf("rerun: unchanged %d, skipped %v; want 4 unchanged, none skipped", s.Unchanged, s.SkippedLanguages)
	}
}

// A confidence floor drops the items below it, is recorded on the annotation, and is
// part of the annotator's identity: another floor is other work, not a no-op.
func TestRunMinScore(t *testing.T) {
	sent, err := NewSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docs := slices.DeleteFunc(languageDocs(), func(d schema.Document) bool { return d.Lang != "ar" && d.Lang != "en" })
	st := &memStore{docs: docs, anns: map[string]schema.Annotation{}}
	if _, err := Run(context.Background(), st, RunOptions{Annotators: []Annotator{sent}, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	all := st.anns["doc-en/sentiment/sentiment"]
	scores := []float64{}
	for _, it := range all.Items {
		scores = append(scores, *it.Score)
	}
	slices.Sort(scores)
	if scores[0] == scores[len(scores)-1] {
		t.Fatalf("all %d items scored %v: the fixture cannot show a floor", len(scores), scores[0])
	}
	floor := (scores[0] + scores[len(scores)-1]) / 2
	sum, err := Run(context.Background(), st, RunOptions{Annotators: []Annotator{sent}, Workers: 1, MinScore: map[string]float64{schema.LayerSentiment: floor}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Annotators[0].Annotated == 0 {
		t.Fatalf("a new confidence floor was treated as the same work: %+v", sum.Annotators[0])
	}
	cut := st.anns["doc-en/sentiment/sentiment"]
	if cut.MinScore == nil || *cut.MinScore != floor {
		t.Fatalf("annotation min_score %v, want %v", cut.MinScore, floor)
	}
	if len(cut.Items) == 0 || len(cut.Items) >= len(all.Items) {
		t.Fatalf("%d items kept of %d at floor %v", len(cut.Items), len(all.Items), floor)
	}
	for _, it := range cut.Items {
		if *it.Score < floor {
			t.Errorf("item scored %v kept below the floor %v", *it.Score, floor)
		}
	}
	if cut.Annotator.ParamsHash == all.Annotator.ParamsHash {
		t.Errorf("the floor is not part of the annotator's identity")
	}
}

// batchMemStore is a memStore that also takes a batch of annotations at once, as the
// corpus store does in one transaction.
type batchMemStore struct {
	memStore
	batches, single int
}

func (m *batchMemStore) PutAnnotation(ctx context.Context, a schema.Annotation) (bool, error) {
	m.single++
	return m.memStore.PutAnnotation(ctx, a)
}

func (m *batchMemStore) PutAnnotations(ctx context.Context, anns []schema.Annotation) ([]bool, error) {
	m.batches++
	changed := make([]bool, len(anns))
	for i, a := range anns {
		changed[i], _ = m.memStore.PutAnnotation(ctx, a)
	}
	return changed, nil
}

// A store that takes batches gets one call per batch of documents (one transaction in
// the corpus store, instead of one per document), and the summary counts the same as
// with one call per annotation.
func TestRunStoresABatchAtOnce(t *testing.T) {
	sent, err := NewSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []schema.Document
	for i := range 5 {
		for _, d := range languageDocs() {
			d.ID = d.ID + "-" + string(rune('a'+i))
			docs = append(docs, d)
		}
	}
	plain := &memStore{docs: docs, anns: map[string]schema.Annotation{}}
	want, err := Run(context.Background(), plain, RunOptions{Annotators: []Annotator{sent}, Workers: 1, BatchSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	batched := &batchMemStore{memStore: memStore{docs: docs, anns: map[string]schema.Annotation{}}}
	got, err := Run(context.Background(), batched, RunOptions{Annotators: []Annotator{sent}, Workers: 1, BatchSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	if batched.batches != 3 || batched.single != 0 {
		t.Errorf("%d batch calls and %d single ones for 20 documents in batches of 8, want 3 and 0", batched.batches, batched.single)
	}
	w, g := want.Annotators[0], got.Annotators[0]
	if w.Annotated != g.Annotated || w.Items != g.Items || w.Empty != g.Empty || !maps.Equal(w.SkippedLanguages, g.SkippedLanguages) || g.Annotated != 10 {
		t.Errorf("batched summary %+v, one-by-one %+v", g, w)
	}
}

// Duplicates are passed over unless asked for, and the summary says how many, so its
// document count adds up to the staged total.
func TestRunCountsPassedOverDuplicates(t *testing.T) {
	sent, err := NewSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docs := languageDocs()
	copyDoc := docs[1]
	copyDoc.ID = "copy-of-" + copyDoc.ID
	copyDoc.Meta = map[string]any{schema.MetaDupOf: docs[1].ID}
	docs = append(docs, copyDoc)
	for _, include := range []bool{false, true} {
		st := &memStore{docs: docs, anns: map[string]schema.Annotation{}}
		sum, err := Run(context.Background(), st, RunOptions{Annotators: []Annotator{sent}, Workers: 1, IncludeDuplicates: include})
		if err != nil {
			t.Fatal(err)
		}
		wantDocs, wantDups := len(docs)-1, 1
		if include {
			wantDocs, wantDups = len(docs), 0
		}
		if sum.Documents != wantDocs || sum.Duplicates != wantDups {
			t.Errorf("include duplicates %v: %d documents, %d duplicates; want %d, %d", include, sum.Documents, sum.Duplicates, wantDocs, wantDups)
		}
		if _, annotated := st.anns[copyDoc.ID+"/sentiment/sentiment"]; annotated != include {
			t.Errorf("include duplicates %v: duplicate annotated %v", include, annotated)
		}
	}
}
