package annotate

import (
	"context"
	"errors"
	"iter"
	"maps"
	"testing"

	"github.com/newsds/newsds/schema"
)

// groupMemStore is a batchMemStore that also offers a group writer, as the corpus store
// does (one transaction for many batches).
type groupMemStore struct {
	batchMemStore
	groups, puts, closes int
	closeErr             error
	// failAfter, when > 0, makes the document stream fail after that many documents.
	failAfter int
}

type memGroup struct{ m *groupMemStore }

func (g memGroup) PutAnnotations(ctx context.Context, anns []schema.Annotation) ([]bool, error) {
	g.m.puts++
	changed := make([]bool, len(anns))
	for i, a := range anns {
		changed[i], _ = g.m.memStore.PutAnnotation(ctx, a)
	}
	return changed, nil
}

func (g memGroup) Close() error {
	g.m.closes++
	return g.m.closeErr
}

func (m *groupMemStore) AnnotationGroup(context.Context) AnnotationGroup {
	m.groups++
	return memGroup{m}
}

func (m *groupMemStore) Documents(ctx context.Context, version string) iter.Seq2[schema.Document, error] {
	return func(yield func(schema.Document, error) bool) {
		for i, d := range m.docs {
			if m.failAfter > 0 && i == m.failAfter {
				yield(schema.Document{}, errors.New("stream broke"))
				return
			}
			if !yield(d, nil) {
				return
			}
		}
	}
}

func groupDocs() []schema.Document {
	var docs []schema.Document
	for i := range 5 {
		for _, d := range languageDocs() {
			d.ID = d.ID + "-" + string(rune('a'+i))
			docs = append(docs, d)
		}
	}
	return docs
}

// A store with a group writer gets the whole run through one group, closed (committed)
// once at the end, and the summary counts as with a transaction per batch.
func TestRunGroupCommitsOnce(t *testing.T) {
	sent, err := NewSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opts := RunOptions{Annotators: []Annotator{sent}, Workers: 1, BatchSize: 8}
	batched := &batchMemStore{memStore: memStore{docs: groupDocs(), anns: map[string]schema.Annotation{}}}
	want, err := Run(context.Background(), batched, opts)
	if err != nil {
		t.Fatal(err)
	}
	grouped := &groupMemStore{batchMemStore: batchMemStore{memStore: memStore{docs: groupDocs(), anns: map[string]schema.Annotation{}}}}
	got, err := Run(context.Background(), grouped, opts)
	if err != nil {
		t.Fatal(err)
	}
	if grouped.groups != 1 || grouped.closes != 1 || grouped.puts != 3 || grouped.batches != 0 || grouped.single != 0 {
		t.Errorf("%d groups, %d closes, %d group puts, %d batch and %d single calls; want 1, 1, 3, 0, 0",
			grouped.groups, grouped.closes, grouped.puts, grouped.batches, grouped.single)
	}
	w, g := want.Annotators[0], got.Annotators[0]
	if w.Annotated != g.Annotated || w.Items != g.Items || w.Empty != g.Empty || !maps.Equal(w.SkippedLanguages, g.SkippedLanguages) || g.Annotated != 10 {
		t.Errorf("grouped summary %+v, batched %+v", g, w)
	}
}

// A run that stops on an error still closes its group, so that the work it finished
// is committed; a group that cannot commit fails the run.
func TestRunGroupClosedOnError(t *testing.T) {
	sent, err := NewSentiment(SentimentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opts := RunOptions{Annotators: []Annotator{sent}, Workers: 1, BatchSize: 4}
	broken := &groupMemStore{batchMemStore: batchMemStore{memStore: memStore{docs: groupDocs(), anns: map[string]schema.Annotation{}}}, failAfter: 9}
	if _, err := Run(context.Background(), broken, opts); err == nil {
		t.Fatal("a broken document stream: no error")
	}
	if broken.closes != 1 || broken.puts != 2 {
		t.Errorf("after a broken stream: %d closes and %d puts, want 1 and 2 (the two full batches before it)", broken.closes, broken.puts)
	}
	failing := &groupMemStore{batchMemStore: batchMemStore{memStore: memStore{docs: groupDocs(), anns: map[string]schema.Annotation{}}}, closeErr: errors.New("disk full")}
	if _, err := Run(context.Background(), failing, opts); err == nil || !errors.Is(err, failing.closeErr) {
		t.Fatalf("a group that cannot commit: %v, want its error", err)
	}
}
