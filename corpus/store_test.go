package corpus

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// newTestStore creates a corpus in a temp folder with cfg as its newsds.yaml.
func newTestStore(t testing.TB, cfg string) *Store {
	t.Helper()
	root := t.TempDir()
	if cfg != "" {
		if err := os.WriteFile(filepath.Join(root, config.FileName), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	st.SetClock(func() time.Time { clock = clock.Add(time.Second); return clock })
	return st
}

func ingest(t *testing.T, st *Store, opts IngestOptions, paths ...string) *IngestSummary {
	t.Helper()
	sum, err := st.Ingest(context.Background(), paths, opts)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return sum
}

func staged(t *testing.T, st *Store) []schema.Document {
	t.Helper()
	var out []schema.Document
	for d, err := range st.Documents(context.Background(), "staged") {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

const seedConfig = `
sources:
  alsharq:
    site_name: الشرق
    time_zone: Asia/Qatar
default_source: alsharq
`

// The seed ingests to exactly one document with the metadata the issue names.
func TestIngestSeed(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	for _, tc := range []struct {
		name, cfg string
		opts      IngestOptions
	}{
		{"configured source", seedConfig, IngestOptions{}},
		{"--tz flag", "", IngestOptions{Source: "alsharq", TimeZone: "Asia/Qatar"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newTestStore(t, tc.cfg)
			sum := ingest(t, st, tc.opts, seed)
			if sum.Ingested != 1 || sum.Rejected != 0 {
				t.Fatalf("summary = %+v, want 1 ingested", sum)
			}
			docs := staged(t, st)
			if len(docs) != 1 {
				t.Fatalf("%d documents, want 1", len(docs))
			}
			d := docs[0]
			checks := []struct{ field, got, want string }{
				{"title", d.Title, "السفير الكازاخي لـ الشرق: نقدر دعم قطر لاستقرار كازاخستان"},
				{"published", d.Published, "2022-01-12T07:00:00+03:00"},
				{"section", d.Section, "عربي ودولي"},
				{"lang", d.Lang, "ar"},
				{"source", d.Source, "alsharq"},
				{"content_hash", d.ContentHash, schema.ContentHash(d.Text)},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
				}
			}
			if !slices.Equal(d.Byline, []string{"عواطف بن علي"}) {
				t.Errorf("byline = %q", d.Byline)
			}
			if !strings.HasPrefix(d.Text, "ثمن سعادة السيد إرمان") || !strings.HasSuffix(d.Text, "والإجرامية.") {
				t.Errorf("text begins %q ... ends %q", truncateRunes(d.Text, 30), d.Text[len(d.Text)-40:])
			}
			for _, bad := range []string{"مساحة إعلانية", "اقرأ المزيد", "رئيس التحرير", "alsharq", "الفاشر", "2263"} {
				if strings.Contains(d.Text, bad) {
					t.Errorf("text contains boilerplate %q", bad)
				}
			}
			raw, err := st.Raw(context.Background(), d.RawHash)
			if err != nil {
				t.Fatal(err)
			}
			orig, _ := os.ReadFile(seed)
			if string(raw) != string(orig) {
				t.Error("kept raw bytes differ from the input file")
			}
		})
	}
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// Committing, re-ingesting identical input, changing a page, adding and removing
// documents show up in status, commit and diff as the issue describes.
func TestCommitDiffReingest(t *testing.T) {
	ctx := context.Background()
	pages := testshared.Path(t, "data", "trafilatura", "pages")
	entries, err := os.ReadDir(pages)
	if err != nil {
		t.Fatal(err)
	}
	var htmlFiles []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".html") && len(htmlFiles) < 4 {
			htmlFiles = append(htmlFiles, filepath.Join(pages, e.Name()))
		}
	}
	st := newTestStore(t, "")
	in := t.TempDir()
	var local []string
	for i, f := range htmlFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(in, filepath.Base(f))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if i < 3 {
			local = append(local, p)
		}
	}
	sum := ingest(t, st, IngestOptions{}, local...)
	if sum.Ingested != 3 {
		t.Fatalf("first ingest %+v, want 3 ingested", sum)
	}
	v1, err := st.Commit(ctx, "three pages", "first")
	if err != nil {
		t.Fatal(err)
	}
	if v1.Name != "v1" || v1.Documents != 3 || v1.Tag != "first" {
		t.Fatalf("v1 = %+v", v1)
	}

	// Identical input changes nothing.
	sum = ingest(t, st, IngestOptions{}, local...)
	if sum.Unchanged != 3 || sum.Ingested+sum.Modified+sum.Updated != 0 {
		t.Fatalf("re-ingest %+v, want 3 unchanged", sum)
	}
	if d, _ := st.Status(ctx); !d.Empty() {
		t.Fatalf("status after identical re-ingest not empty: %+v", d)
	}
	if _, err := st.Commit(ctx, "again", ""); !errors.Is(err, ErrNothingToCommit) {
		t.Fatalf("commit of nothing: %v", err)
	}

	// A changed page (same file, one paragraph edited) becomes a modification; a new
	// page is added; one is removed.
	before := staged(t, st)
	b, _ := os.ReadFile(local[0])
	changed := strings.Replace(string(b), "<p>", "<p>Breaking update: this paragraph was edited by the newsroom. ", 1)
	if changed == string(b) {
		t.Fatal("fixture page has no <p> to edit")
	}
	if err := os.WriteFile(local[0], []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	p4 := filepath.Join(in, filepath.Base(htmlFiles[3]))
	sum = ingest(t, st, IngestOptions{}, local[0], p4)
	if sum.Modified != 1 || sum.Ingested != 1 {
		t.Fatalf("ingest of changed + new page: %+v, want 1 modified 1 ingested", sum)
	}
	afterChange := staged(t, st)
	var modifiedID string
	for _, d := range afterChange {
		for _, o := range before {
			if d.ID == o.ID && d.ContentHash != o.ContentHash {
				modifiedID = d.ID
			}
		}
	}
	if modifiedID == "" {
		t.Fatal("no document changed its content hash")
	}
	removeID := ""
	for _, d := range before {
		if d.ID != modifiedID {
			removeID = d.ID
			break
		}
	}
	if _, err := st.Remove(ctx, []string{removeID}); err != nil {
		t.Fatal(err)
	}
	v2, err := st.Commit(ctx, "edits", "")
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.Diff(ctx, "first", v2.Name)
	if err != nil {
		t.Fatal(err)
	}
	if d.Counts != (DiffCounts{Added: 1, Removed: 1, Modified: 1}) {
		t.Fatalf("diff counts %+v, want 1 added, 1 removed, 1 modified", d.Counts)
	}
	if d.Modified[0] != modifiedID || d.Removed[0] != removeID {
		t.Fatalf("diff %+v", d)
	}
	// Versions are immutable: v1 still reads the old text.
	old, err := st.Document(ctx, "v1", modifiedID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range before {
		if o.ID == modifiedID && o.ContentHash != old.ContentHash {
			t.Fatal("v1 changed after a later commit")
		}
	}
	if vs, _ := st.Versions(ctx); len(vs) != 2 {
		t.Fatalf("%d versions, want 2", len(vs))
	}
}

// Exact and near duplicates are recorded with dup_of, never deleted; the first stored
// stays the original.
func TestDedup(t *testing.T) {
	st := newTestStore(t, "")
	in := t.TempDir()
	body := readSharedText(t)
	write := func(name, content string) string {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.jsonl", `{"url":"https://example.com/a","title":"Original","text":`+jsonQuote(body)+"}\n")
	b := write("b.jsonl", `{"url":"https://example.com/b","title":"Copy","text":`+jsonQuote(strings.ReplaceAll(body, "\n\n", "\n\n "))+"}\n")
	words := strings.Fields(body)
	for i := 7; i < len(words); i += 60 {
		words[i] = "changed"
	}
	c := write("c.jsonl", `{"url":"https://example.com/c","title":"Near","text":`+jsonQuote(strings.Join(words, " "))+"}\n")
	other := write("d.jsonl", `{"url":"https://example.com/d","title":"Other","text":"A completely different short story about the weather in the mountains this week."}`+"\n")
	sum := ingest(t, st, IngestOptions{Workers: 3}, a, b, c, other)
	if sum.Ingested != 4 || sum.Duplicates != 2 {
		t.Fatalf("summary %+v, want 4 ingested of which 2 duplicates", sum)
	}
	byURL := map[string]schema.Document{}
	for _, d := range staged(t, st) {
		byURL[d.URL] = d
	}
	orig := byURL["https://example.com/a"]
	if orig.DupOf() != "" {
		t.Fatalf("original marked dup_of %s", orig.DupOf())
	}
	for _, u := range []string{"https://example.com/b", "https://example.com/c"} {
		if got := byURL[u].DupOf(); got != orig.ID {
			t.Errorf("%s dup_of = %q, want %s", u, got, orig.ID)
		}
	}
	if byURL["https://example.com/d"].DupOf() != "" {
		t.Error("unrelated document marked duplicate")
	}
}

func readSharedText(t *testing.T) string {
	t.Helper()
	st := newTestStore(t, "")
	ingest(t, st, IngestOptions{Source: "x", TimeZone: "Asia/Qatar"}, testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt"))
	return staged(t, st)[0].Text
}

func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// A bad file is rejected with its name and reason; the rest of the batch is stored.
func TestIngestRejectsAndContinues(t *testing.T) {
	st := newTestStore(t, "")
	in := t.TempDir()
	good := filepath.Join(in, "good.jsonl")
	os.WriteFile(good, []byte(`{"url":"https://example.com/1","title":"One","text":"First article body text."}
{"url": broken json
{"url":"https://example.com/2","title":"Two","text":""}
{"url":"https://example.com/3","title":"Three","text":"Third article body text.","published":"not a date at all"}
{"url":"https://example.com/4","title":"Four","text":"Fourth article body.","published":"12 يناير 2022 , 07:00ص"}
`), 0o644)
	empty := filepath.Join(in, "empty.html")
	os.WriteFile(empty, []byte("<html><head><title>Empty</title></head><body></body></html>"), 0o644)
	var report strings.Builder
	sum, err := st.Ingest(context.Background(), []string{good, empty}, IngestOptions{Report: &report, TimeZone: "Asia/Qatar"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 2 || sum.Rejected != 4 {
		t.Fatalf("summary %+v, want 2 ingested, 4 rejected", sum)
	}
	want := []struct{ file, record, reason string }{
		{"good.jsonl", "line 2", ""},
		{"good.jsonl", "line 3", `field "text" is empty`},
		{"good.jsonl", "line 4", "not a date"},
		{"empty.html", "", ""},
	}
	for i, w := range want {
		r := sum.Rejections[i]
		if filepath.Base(r.File) != w.file || !strings.Contains(r.Record, w.record) || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("rejection %d = %+v, want %+v", i, r, w)
		}
	}
	if got := strings.Count(report.String(), "\n"); got != 4 {
		t.Errorf("report has %d lines, want 4:\n%s", got, report.String())
	}
	for _, d := range staged(t, st) {
		if d.URL == "https://example.com/4" && d.Published != "2022-01-12T07:00:00+03:00" {
			t.Errorf("JSONL Arabic date = %q", d.Published)
		}
	}
}

// Annotations: identical work is a no-op, a text change makes them stale, and diff
// counts annotation changes per layer.
func TestAnnotationsStaleAndDiff(t *testing.T) {
	ctx := context.Background()
	st := newTestStore(t, "")
	in := t.TempDir()
	p := filepath.Join(in, "a.jsonl")
	os.WriteFile(p, []byte(`{"url":"https://example.com/a","title":"A","text":"Qatar welcomed the talks.\n\nThe minister spoke."}`+"\n"), 0o644)
	ingest(t, st, IngestOptions{}, p)
	doc := staged(t, st)[0]
	item, err := schema.Span(doc.Text, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	item.Label = "favor"
	item.Attrs = map[string]string{schema.AttrTarget: "Qatar"}
	ann := schema.Annotation{DocID: doc.ID, Layer: schema.LayerStance, Annotator: schema.Annotator{Name: "stance", Version: "1", Kind: schema.KindRule}, Items: []schema.Item{item}}
	if changed, err := st.PutAnnotation(ctx, ann); err != nil || !changed {
		t.Fatalf("first put: changed=%v err=%v", changed, err)
	}
	if changed, err := st.PutAnnotation(ctx, ann); err != nil || changed {
		t.Fatalf("identical put: changed=%v err=%v", changed, err)
	}
	if has, _ := st.HasAnnotation(ctx, doc.ID, schema.LayerStance, ann.Annotator, doc.ContentHash); !has {
		t.Fatal("HasAnnotation = false after put")
	}
	if _, err := st.Commit(ctx, "annotated", ""); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, []byte(`{"url":"https://example.com/a","title":"A","text":"Breaking: Qatar welcomed the talks.\n\nThe minister spoke."}`+"\n"), 0o644)
	sum := ingest(t, st, IngestOptions{}, p)
	if sum.Modified != 1 || sum.StaleAnnotations != 1 {
		t.Fatalf("summary %+v, want 1 modified with 1 stale annotation", sum)
	}
	rec, err := st.Record(ctx, "staged", doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Annotations) != 1 || !rec.Annotations[0].Stale {
		t.Fatalf("annotation after text change: %+v, want one stale", rec.Annotations)
	}
	if got, _ := schema.SliceCP(rec.Text, 0, 5); got == rec.Annotations[0].Items[0].Text {
		t.Fatal("fixture did not move the span text")
	}
	old, _ := st.Record(ctx, "v1", doc.ID)
	if old.Annotations[0].Stale {
		t.Fatal("v1's annotation is stale in v1")
	}
	// Re-annotating the new text replaces the stale work.
	item2, _ := schema.Span(rec.Text, 10, 15)
	item2.Label = "favor"
	ann.Items = []schema.Item{item2}
	ann.ContentHash = ""
	if _, err := st.PutAnnotation(ctx, ann); err != nil {
		t.Fatal(err)
	}
	d, err := st.Diff(ctx, "v1", "staged")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Annotations) != 1 || d.Annotations[0] != (LayerDiff{Layer: "stance", Changed: 1}) {
		t.Fatalf("annotation diff %+v", d.Annotations)
	}
}

// A WARC crawl goes through the whole pipeline: each HTML response is one document
// with the record's URL and the crawl date as the bound for its dates; non-HTML and
// error responses are skipped; the broken record is rejected with its location; and
// the gzip'd copy of the same crawl is the same documents again.
func TestIngestWARC(t *testing.T) {
	recs, _ := warcTestFixture(t)
	dir := t.TempDir()
	plain := filepath.Join(dir, "crawl.warc")
	gz := filepath.Join(dir, "crawl.warc.gz")
	if err := os.WriteFile(plain, warcTestEncode(t, recs, false), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gz, warcTestEncode(t, recs, true), 0o644); err != nil {
		t.Fatal(err)
	}
	st := newTestStore(t, "sources:\n  cnn:\n    domains: [cnn.com]\n    time_zone: Asia/Riyadh\n")
	sum, err := st.Ingest(context.Background(), []string{plain}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 3 || sum.Rejected != 1 {
		t.Fatalf("summary %+v, want 3 ingested and the broken record rejected", sum)
	}
	if r := sum.Rejections[0]; filepath.Base(r.File) != "crawl.warc" || !strings.Contains(r.Record, "record") {
		t.Errorf("rejection %+v does not locate the record", r)
	}
	byURL := map[string]schema.Document{}
	for _, d := range staged(t, st) {
		byURL[d.URL] = d
	}
	ar, ok := byURL["http://arabic.cnn.com/2013/middle_east/8/15/syria.rebels"]
	if !ok {
		t.Fatalf("Arabic page missing; have %v", slices.Collect(maps.Keys(byURL)))
	}
	if ar.Source != "cnn" || ar.Lang != "ar" || ar.Title == "" {
		t.Errorf("Arabic page: source %q lang %q title %q", ar.Source, ar.Lang, ar.Title)
	}
	if _, ok := byURL["https://www.chip.de/beef"]; !ok {
		t.Error("chunked, gzip-encoded XHTML response missing")
	}
	sum, err = st.Ingest(context.Background(), []string{gz}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != 3 || sum.Ingested != 0 {
		t.Fatalf("the gzip'd crawl: %+v, want the same 3 documents unchanged", sum)
	}
}

// A corpus in a folder whose name holds a URI's special characters opens like any
// other: the store's path reached SQLite as a URI, cut at "#" or "?".
func TestStoreInFolderWithURICharacters(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"C# notes", "what?", "100% done", "a%23b", "قسم #٢"} {
		root := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(root, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := Init(ctx, root); err != nil {
			t.Fatalf("%q: init: %v", name, err)
		}
		st, err := Open(ctx, root)
		if err != nil {
			t.Fatalf("%q: open: %v", name, err)
		}
		if _, err := st.PutDocument(ctx, schema.Document{ID: "d", Text: "text", ContentHash: schema.ContentHash("text"), IngestedAt: "2026-01-01T00:00:00Z"}, nil, nil); err != nil {
			t.Fatalf("%q: put: %v", name, err)
		}
		st.Close()
		if _, err := os.Stat(filepath.Join(root, StoreDir, "store.db")); err != nil {
			t.Errorf("%q: the store is not where the corpus is: %v", name, err)
		}
		if st, err = Open(ctx, root); err != nil {
			t.Fatalf("%q: reopen: %v", name, err)
		}
		if got := staged(t, st); len(got) != 1 {
			t.Errorf("%q: reopened with %d documents, want 1", name, len(got))
		}
		st.Close()
	}
}

// A document is found by the start of its id, as git finds a commit, when no other id
// starts the same way; a full id is found as it is.
func TestResolveDocID(t *testing.T) {
	st := newTestStore(t, "")
	ctx := context.Background()
	ids := []string{"aaaa1111", "aaaa2222", "abcd0000"}
	for _, id := range ids {
		text := "Text of " + id + " about the harbour and the storm."
		doc := schema.Document{ID: id, Text: text, ContentHash: schema.ContentHash(text), IngestedAt: "2026-01-01T00:00:00Z"}
		if _, err := st.PutDocument(ctx, doc, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	for ref, want := range map[string]string{"aaaa1111": "aaaa1111", "aaaa2": "aaaa2222", "abcd": "abcd0000"} {
		if got, err := st.ResolveDocID(ctx, "staged", ref); err != nil || got != want {
			t.Errorf("ResolveDocID(%q) = %q, %v; want %q", ref, got, err, want)
		}
	}
	if _, err := st.ResolveDocID(ctx, "staged", "aaaa"); !errors.Is(err, ErrAmbiguousID) || !strings.Contains(err.Error(), "aaaa1111, aaaa2222") {
		t.Errorf("ambiguous prefix: %v", err)
	}
	for _, ref := range []string{"abc", "zzzz", ""} {
		if _, err := st.ResolveDocID(ctx, "staged", ref); !errors.Is(err, ErrNotFound) {
			t.Errorf("ResolveDocID(%q): %v, want not found", ref, err)
		}
	}
	// In a committed version, after the document left the staged set.
	if _, err := st.Commit(ctx, "v1", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Remove(ctx, []string{"abcd0000"}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.ResolveDocID(ctx, "v1", "abcd"); err != nil || got != "abcd0000" {
		t.Errorf("in v1: %q, %v", got, err)
	}
	if _, err := st.ResolveDocID(ctx, "staged", "abcd"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed from staged: %v", err)
	}
}
