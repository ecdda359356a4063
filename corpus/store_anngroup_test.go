package corpus

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// groupAnns is n annotations over docs, each by an annotator of its own, so that every
// one is a staged row of its own.
func groupAnns(docs []schema.Document, from, n int) []schema.Annotation {
	out := make([]schema.Annotation, 0, n)
	for i := from; i < from+n; i++ {
		d := docs[i%len(docs)]
		out = append(out, schema.Annotation{DocID: d.ID, Layer: "sentiment", ContentHash: d.ContentHash,
			Annotator: schema.Annotator{Name: fmt.Sprintf("group-%d", i), Version: "1"}, Items: []schema.Item{{Label: "neutral"}}})
	}
	return out
}

func stagedAnnCount(t *testing.T, st *Store) int {
	t.Helper()
	var n int
	if err := st.db.QueryRowContext(context.Background(), `SELECT count(*) FROM staged_anns`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The annotation group stages as PutAnnotations does (changed the first time, not the
// second; a new version replaces the old), a failing call is undone alone, and what
// the group holds is committed by Close.
func TestAnnotationGroupBatch(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 3, articleText))
	docs := staged(t, st)
	anns := groupAnns(docs, 0, 3)
	g := st.AnnotationGroup(ctx)
	changed, err := g.PutAnnotations(ctx, anns)
	if err != nil || len(changed) != 3 || !changed[0] || !changed[1] || !changed[2] {
		t.Fatalf("first put: %v, %v", changed, err)
	}
	if changed, err = g.PutAnnotations(ctx, anns); err != nil || changed[0] || changed[1] || changed[2] {
		t.Fatalf("same work again in the same group: %v, %v", changed, err)
	}
	bad := groupAnns(docs, 3, 2)
	bad = append(bad, schema.Annotation{DocID: "not-staged", Layer: "sentiment", ContentHash: "x", Annotator: schema.Annotator{Name: "group-9", Version: "1"}})
	if _, err := g.PutAnnotations(ctx, bad); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a call with an unknown document: %v, want ErrNotFound", err)
	}
	v2 := groupAnns(docs, 0, 1)
	v2[0].Annotator.Version = "2"
	if changed, err = g.PutAnnotations(ctx, v2); err != nil || !changed[0] {
		t.Fatalf("new version: %v, %v", changed, err)
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if n := stagedAnnCount(t, st); n != 3 {
		t.Fatalf("%d staged annotations after the group, want 3 (the failed call's undone)", n)
	}
	got, err := st.Annotations(ctx, "staged", docs[0].ID)
	if err != nil || len(got) != 1 || got[0].Annotator.Version != "2" {
		t.Fatalf("%s has %+v (%v), want version 2 of group-0 alone", docs[0].ID, got, err)
	}
	// The same work through the pool's path changes nothing: the group stored what
	// PutAnnotations stores.
	if changed, err := st.PutAnnotations(ctx, anns[1:]); err != nil || changed[0] || changed[1] {
		t.Fatalf("the group's work again through PutAnnotations: %v, %v", changed, err)
	}
}

// groupKillEnv names the corpus the child of TestAnnotationGroupKill annotates.
const groupKillEnv = "NEWSDS_TEST_ANNGROUP_ROOT"

// A run killed mid-way loses at most its open group: the groups committed before the
// kill stay staged, the store opens and is intact.
func TestAnnotationGroupKill(t *testing.T) {
	if root := os.Getenv(groupKillEnv); root != "" {
		annotationGroupChild(root)
		return
	}
	st := newTestStore(t, "")
	ctx := context.Background()
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 4, articleText))
	root := st.Root()
	st.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestAnnotationGroupKill$")
	cmd.Env = append(os.Environ(), groupKillEnv+"="+root)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "open group") {
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // killed
	if !strings.HasPrefix(sc.Text(), "open group") {
		t.Fatalf("the child never reached its open group (last line %q)", sc.Text())
	}
	st, err = Open(ctx, root)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer st.Close()
	var check string
	if err := st.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity after kill: %q, %v", check, err)
	}
	if n := stagedAnnCount(t, st); n != batchDocs {
		t.Fatalf("%d staged annotations after the kill, want the committed group's %d and none of the open one's", n, batchDocs)
	}
	for rec, err := range st.Records(ctx, "staged") {
		if err != nil {
			t.Fatalf("records after kill: %v", err)
		}
		_ = rec
	}
}

// annotationGroupChild stages one full group (committed when it reaches batchDocs),
// then part of another, says so and waits to be killed.
func annotationGroupChild(root string) {
	ctx := context.Background()
	st, err := Open(ctx, root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var docs []schema.Document
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		docs = append(docs, d)
	}
	g := st.AnnotationGroup(ctx)
	for i := 0; i < batchDocs; i += 64 {
		if _, err := g.PutAnnotations(ctx, groupAnns(docs, i, 64)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if _, err := g.PutAnnotations(ctx, groupAnns(docs, batchDocs, 10)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("open group")
	select {}
}
