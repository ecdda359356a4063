package datasets

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/schema"
)

// fakeSource is an in-memory corpus with one committed version, v3.
type fakeSource struct {
	recs []schema.Record
	// failAfter > 0 makes Records fail after that many records.
	failAfter int
	// blockAfter > 0 makes Records block forever after that many records (for the
	// killed-release test).
	blockAfter int
}

var fixedTime = time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)

func (f *fakeSource) ResolveVersion(_ context.Context, ref string) (corpus.Version, error) {
	switch ref {
	case "latest", "v3", "3":
		return corpus.Version{Seq: 3, Name: "v3", Message: "third batch", CreatedAt: fixedTime, Documents: len(f.recs)}, nil
	case "staged":
		return corpus.Version{Name: "staged"}, nil
	}
	return corpus.Version{}, fmt.Errorf("no version %q", ref)
}

func (f *fakeSource) Records(ctx context.Context, version string) iter.Seq2[schema.Record, error] {
	return func(yield func(schema.Record, error) bool) {
		for i, r := range f.recs {
			if f.failAfter > 0 && i == f.failAfter {
				yield(schema.Record{}, errors.New("disk on fire"))
				return
			}
			if f.blockAfter > 0 && i == f.blockAfter {
				select {}
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

var texts = []string{
	"قال وزير الخارجية إن المحادثات كانت إيجابية 👍 وإن الاتفاق قريب.\n\nوأضاف أن قطر تدعم الحل السلمي.",
	"The minister said the talks were productive.\n\nCritics called the plan a failure 😞.",
	"أعلنت الشركة عن أرباح قياسية في الربع الثالث.\n\nوارتفعت الأسهم بنسبة ٥٪.",
	"Floods hit the coast 🌊 overnight; thousands were evacuated.\n\nAid groups warned of shortages.",
}

const interviewText = "حوار مع السفير 🎙️\n\nس: كيف ترون العلاقات؟\n\nج: العلاقات ممتازة 🤝 ونطمح للمزيد.\n\nس: وماذا عن الاقتصاد؟\n\nج: الاقتصاد ينمو بثبات."

// spanItem is an item over the first occurrence of sub in text.
func spanItem(t testing.TB, text, sub, label string, attrs map[string]string) schema.Item {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	s := schema.LenCP(text[:i])
	it, err := schema.Span(text, s, s+schema.LenCP(sub))
	if err != nil {
		t.Fatal(err)
	}
	it.Label, it.Attrs = label, attrs
	return it
}

func makeRecord(t testing.TB, i int) schema.Record {
	t.Helper()
	text := texts[i%len(texts)] + fmt.Sprintf("\n\nرقم %d / item %d.", i, i)
	if i%5 == 0 {
		text = interviewText + fmt.Sprintf("\n\nالحلقة %d.", i)
	}
	lang := "ar"
	if i%len(texts) == 1 || i%len(texts) == 3 {
		lang = "en"
	}
	doc := schema.Document{
		ID: fmt.Sprintf("doc-%03d", i), URL: fmt.Sprintf("https://news.example/%d", i), Source: []string{"sharq", "wire"}[i%2],
		SiteName: "Example", Title: fmt.Sprintf("عنوان %d", i), Byline: []string{"عواطف بن علي"},
		Published: time.Date(2024, time.Month(1+i%12), 1+i%27, 9, 30, 0, 0, time.FixedZone("", 3*3600)).Format(time.RFC3339),
		Section:   "news", Lang: lang, Text: text, ContentHash: schema.ContentHash(text),
	}
	if i%3 == 0 {
		doc.Byline = nil
	}
	rec := schema.Record{Document: doc}
	ann := func(layer, name, kind string, items ...schema.Item) schema.Annotation {
		return schema.Annotation{DocID: doc.ID, Layer: layer, Annotator: schema.Annotator{Name: name, Version: "1.0.0", Kind: kind},
			ContentHash: doc.ContentHash, CreatedAt: "2024-07-01T00:00:00Z", Items: items}
	}
	paras := schema.SplitParagraphs(text)
	p0 := spanItem(t, text, paras[0].Text, []string{"negative", "neutral", "positive"}[i%3],
		map[string]string{schema.AttrScope: schema.ScopeParagraph, schema.AttrParagraph: "0"})
	p0.Score = schema.Float(0.5 + float64(i%5)/10)
	sent := []schema.Item{
		{Label: []string{"positive", "negative", "neutral"}[i%3], Score: schema.Float(0.9), Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}},
		p0,
	}
	if i%5 == 0 {
		qa := []schema.Item{
			spanItem(t, text, "س: كيف ترون العلاقات؟", "question", map[string]string{schema.AttrTurn: "1", schema.AttrSpeakerRole: "interviewer", schema.AttrSpeaker: "عواطف بن علي"}),
			spanItem(t, text, "ج: العلاقات ممتازة 🤝 ونطمح للمزيد.", "answer", map[string]string{schema.AttrTurn: "2", schema.AttrSpeakerRole: "interviewee", schema.AttrSpeaker: "السفير"}),
			spanItem(t, text, "س: وماذا عن الاقتصاد؟", "question", map[string]string{schema.AttrTurn: "3", schema.AttrSpeakerRole: "interviewer"}),
			spanItem(t, text, "ج: الاقتصاد ينمو بثبات.", "answer", map[string]string{schema.AttrTurn: "4", schema.AttrSpeakerRole: "interviewee"}),
		}
		rec.Annotations = append(rec.Annotations, ann(schema.LayerQA, "qa", schema.KindRule, qa...))
		sent = append(sent, schema.Item{Label: "positive", Score: schema.Float(0.7),
			Attrs: map[string]string{schema.AttrScope: schema.ScopeAnswer, schema.AttrTurn: "2"}})
		st := spanItem(t, text, "العلاقات ممتازة", "favor", map[string]string{schema.AttrTarget: "العلاقات"})
		st.Score = schema.Float(0.8)
		rec.Annotations = append(rec.Annotations, ann(schema.LayerStance, "stance", schema.KindModel, st))
	}
	rec.Annotations = append(rec.Annotations, ann(schema.LayerSentiment, "lexicon", schema.KindRule, sent...))
	if i == 7 {
		// A stale annotation: made on an older text; never released.
		old := ann(schema.LayerSentiment, "human", schema.KindHuman, schema.Item{Label: "negative"})
		old.ContentHash, old.Stale = schema.ContentHash("older text"), true
		rec.Annotations = append(rec.Annotations, old)
	}
	if i == 11 {
		rec.Meta = map[string]any{schema.MetaDupOf: "doc-010"}
	}
	return rec
}

func corpusOf(t testing.TB, n int) *fakeSource {
	src := &fakeSource{}
	for i := range n {
		src.recs = append(src.recs, makeRecord(t, i))
	}
	return src
}

func testConfig() *config.Config {
	return &config.Config{Name: "test-news", Card: config.Card{PrettyName: "Test News", License: "cc-by-4.0"}}
}

func release(t *testing.T, src RecordSource, opts ReleaseOptions) *Manifest {
	t.Helper()
	if opts.Config == nil {
		opts.Config = testConfig()
	}
	m, err := Release(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	mustValidate(t, opts.Out)
	return m
}

func TestReleaseReadBack(t *testing.T) {
	src := corpusOf(t, 20)
	out := filepath.Join(t.TempDir(), "rel")
	m := release(t, src, ReleaseOptions{Out: out, Formats: []string{"parquet", "arrow"}, ShardSize: 4 << 10})
	if m.Version != "1.0.0" || m.Corpus.Version != "v3" || !m.Corpus.CreatedAt.Equal(fixedTime) {
		t.Errorf("manifest: version %s corpus %+v", m.Version, m.Corpus)
	}
	if m.Excluded.Duplicates.Count != 1 || m.Excluded.Duplicates.IDs[0] != "doc-011" {
		t.Errorf("duplicates = %+v", m.Excluded.Duplicates)
	}
	if !slices.Equal(m.Excluded.StaleAnnotations, []LayerCount{{schema.LayerSentiment, 1}}) {
		t.Errorf("stale = %+v", m.Excluded.StaleAnnotations)
	}

	d, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Configs(), []string{"articles", "turns"}) || !slices.Equal(d.Splits("articles"), []string{"train", "validation", "test"}) {
		t.Fatalf("configs %v splits %v", d.Configs(), d.Splits("articles"))
	}
	byID := map[string]schema.Record{}
	for _, r := range src.recs {
		byID[r.ID] = r
	}
	ctx := context.Background()
	seen, turns, spans := 0, 0, 0
	multiShard := false
	for _, split := range d.Splits("articles") {
		if n := len(d.Files("articles", split)); n > 2 {
			multiShard = true
		}
		for a, err := range d.Articles(ctx, split) {
			if err != nil {
				t.Fatal(err)
			}
			seen++
			rec, ok := byID[a.ID]
			if !ok || a.Text != rec.Text || a.ContentHash != rec.ContentHash || a.PublishedLocal != rec.Published {
				t.Fatalf("article %s does not match its record", a.ID)
			}
			spans += checkSpans(t, a, rec)
		}
		for tr, err := range d.Turns(ctx, split) {
			if err != nil {
				t.Fatal(err)
			}
			turns++
			text := byID[tr.ArticleID].Text
			q, _ := schema.SliceCP(text, int(tr.QuestionStart), int(tr.QuestionEnd))
			a, _ := schema.SliceCP(text, int(tr.AnswerStart), int(tr.AnswerEnd))
			if q != tr.Question || a != tr.Answer {
				t.Errorf("turn %s/%d: offsets do not give its text", tr.ArticleID, tr.Index)
			}
		}
	}
	if seen != 19 {
		t.Errorf("read %d articles, want 19 (20 minus a duplicate)", seen)
	}
	if turns != 8 || spans < 19+4*4 {
		t.Errorf("turn rows %d (want 8), spans checked %d", turns, spans)
	}
	if !multiShard {
		t.Error("a 4KB shard size should give several shards in some split")
	}
	checkRawFiles(t, out, m)
	checkChecksums(t, out)
}

// checkSpans proves text[start:end] (code points) is the span text of the source item
// for every span of an article row, and returns how many it checked.
func checkSpans(t *testing.T, a Article, rec schema.Record) int {
	t.Helper()
	want := map[[2]int64]string{}
	for _, an := range rec.Annotations {
		for _, it := range an.Items {
			if it.IsSpan() && !an.Stale {
				want[[2]int64{int64(*it.Start), int64(*it.End)}] = it.Text
			}
		}
	}
	n := 0
	check := func(what string, s, e int64) {
		got, err := schema.SliceCP(a.Text, int(s), int(e))
		w, ok := want[[2]int64{s, e}]
		if err != nil || !ok || got != w {
			t.Errorf("%s %s [%d,%d): text gives %q, annotation says %q (%v)", a.ID, what, s, e, got, w, err)
		}
		n++
	}
	for _, q := range a.QATurns {
		check("qa_turn", q.Start, q.End)
	}
	for _, p := range a.ParagraphSentiment {
		check("paragraph_sentiment", p.Start, p.End)
	}
	for _, s := range a.Stance {
		check("stance", s.Start, s.End)
	}
	return n
}

// checkRawFiles reads every shard with the Parquet and IPC readers directly.
func checkRawFiles(t *testing.T, out string, m *Manifest) {
	t.Helper()
	for _, c := range m.Configs {
		hf, _ := schema.HFFeatures(c.Name)
		for _, s := range c.Splits {
			var pqRows, ipcRows int64
			for _, f := range s.Files {
				p := filepath.Join(out, filepath.FromSlash(f.Path))
				// Written out here rather than taken from layout.go, so that a change of the
				// layout breaks this test.
				dir := map[string]string{FormatParquet: "data", FormatArrow: "arrow"}[f.Format]
				if want := fmt.Sprintf("%s/%s/%s-", dir, c.Name, s.Name); !strings.HasPrefix(f.Path, want) || !strings.HasSuffix(f.Path, "."+f.Format) {
					t.Errorf("file %s not under %s", f.Path, want)
				}
				switch f.Format {
				case FormatParquet:
					pf, err := file.OpenParquetFile(p, false)
					if err != nil {
						t.Fatal(err)
					}
					md := pf.MetaData()
					if md.GetCreatedBy() != CreatedBy {
						t.Errorf("%s: created_by %q", f.Path, md.GetCreatedBy())
					}
					if v := md.KeyValueMetadata().FindValue("huggingface"); v == nil || *v != string(hf) {
						t.Errorf("%s: huggingface metadata missing or different", f.Path)
					}
					for rg := 0; rg < pf.NumRowGroups(); rg++ {
						rgm := md.RowGroup(rg)
						if rgm.NumRows() == 0 {
							t.Errorf("%s: empty row group %d", f.Path, rg)
						}
						col, err := rgm.ColumnChunk(0)
						if err != nil {
							t.Fatal(err)
						}
						if col.Compression() != compress.Codecs.Zstd {
							t.Errorf("%s: compression %v", f.Path, col.Compression())
						}
						if ok, _ := col.StatsSet(); !ok {
							t.Errorf("%s: no statistics", f.Path)
						}
					}
					if md.NumRows != f.Rows {
						t.Errorf("%s: %d rows, manifest says %d", f.Path, md.NumRows, f.Rows)
					}
					pqRows += md.NumRows
					pf.Close()
				case FormatArrow:
					fh, err := os.Open(p)
					if err != nil {
						t.Fatal(err)
					}
					// The IPC file format: random access through the footer.
					r, err := ipc.NewFileReader(fh)
					if err != nil {
						t.Fatalf("%s is not an Arrow IPC file: %v", f.Path, err)
					}
					if v, ok := r.Schema().Metadata().GetValue("huggingface"); !ok || v != string(hf) {
						t.Errorf("%s: huggingface metadata missing", f.Path)
					}
					for i := range r.NumRecords() {
						b, err := r.RecordBatch(i)
						if err != nil {
							t.Fatalf("%s batch %d: %v", f.Path, i, err)
						}
						ipcRows += b.NumRows()
					}
					r.Close()
					fh.Close()
				}
			}
			if pqRows != s.NumExamples || ipcRows != s.NumExamples {
				t.Errorf("%s/%s: parquet %d rows, arrow %d, manifest %d", c.Name, s.Name, pqRows, ipcRows, s.NumExamples)
			}
		}
	}
}

// checkChecksums verifies checksums.sha256 the way sha256sum -c does and that it
// lists every file but itself.
func checkChecksums(t *testing.T, out string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, ChecksumsFile))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	var paths []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		sum, p, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("bad checksum line %q", sc.Text())
		}
		got, err := fileSHA256(filepath.Join(out, p))
		if err != nil || got != sum {
			t.Errorf("%s: checksum mismatch", p)
		}
		listed[p] = true
		paths = append(paths, p)
	}
	if !slices.IsSorted(paths) {
		t.Error("checksums not sorted by path")
	}
	for _, p := range allFiles(t, out) {
		if p != ChecksumsFile && !listed[p] {
			t.Errorf("%s not in %s", p, ChecksumsFile)
		}
	}
	for _, want := range []string{ManifestFile, ChangelogFile, "README.md"} {
		if !listed[want] {
			t.Errorf("%s not listed", want)
		}
	}
}

func allFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReleaseDeterministic(t *testing.T) {
	src := corpusOf(t, 20)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	release(t, src, ReleaseOptions{Out: a, Formats: []string{"arrow"}, ShardSize: 4 << 10})
	release(t, src, ReleaseOptions{Out: b, Formats: []string{"arrow"}, ShardSize: 4 << 10})
	fa, fb := allFiles(t, a), allFiles(t, b)
	if !slices.Equal(fa, fb) {
		t.Fatalf("file lists differ:\n%v\n%v", fa, fb)
	}
	for _, p := range fa {
		x, _ := os.ReadFile(filepath.Join(a, p))
		y, _ := os.ReadFile(filepath.Join(b, p))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two releases of the same version", p)
		}
	}
}

func TestReleaseRefusals(t *testing.T) {
	src := corpusOf(t, 6)
	out := filepath.Join(t.TempDir(), "rel")
	ctx := context.Background()
	if _, err := Release(ctx, src, ReleaseOptions{Out: out, CorpusVersion: "staged"}); !errors.Is(err, ErrStaged) {
		t.Errorf("staged: %v", err)
	}
	release(t, src, ReleaseOptions{Out: out})
	if _, err := Release(ctx, src, ReleaseOptions{Out: out, Config: testConfig()}); !errors.Is(err, ErrExists) {
		t.Errorf("existing folder: %v", err)
	}
	m := release(t, src, ReleaseOptions{Out: out, Force: true, Version: "2.0.0", PreviousDir: PreviousNone})
	if got, _ := ReadManifest(out); got == nil || got.Version != m.Version {
		t.Errorf("force did not replace the release: %+v", got)
	}
	for name, opts := range map[string]ReleaseOptions{
		"bad version": {Out: out + "2", Version: "1.0"},
		"bad split":   {Out: out + "2", Split: "train=0.5,test=0.4"},
		"both splits": {Out: out + "2", Split: DefaultSplit, SplitBy: "2024-01-01"},
		"bad format":  {Out: out + "2", Formats: []string{"csv"}},
	} {
		if _, err := Release(ctx, src, opts); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	bad := corpusOf(t, 3)
	bad.recs[1], bad.recs[2] = bad.recs[2], bad.recs[1]
	if _, err := Release(ctx, bad, ReleaseOptions{Out: out + "3"}); err == nil || !strings.Contains(err.Error(), "id order") {
		t.Errorf("out of order records: %v", err)
	}
	assertNoLitter(t, filepath.Dir(out), "rel3")
}

// assertNoLitter fails when base or a temp folder of it is left in parent.
func assertNoLitter(t *testing.T, parent, base string) {
	t.Helper()
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() == base || strings.HasPrefix(e.Name(), base+tmpInfix) {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestReleaseFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "rel")
	src := corpusOf(t, 20)
	src.failAfter = 15
	if _, err := Release(context.Background(), src, ReleaseOptions{Out: out, ShardSize: 2 << 10}); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("error = %v", err)
	}
	assertNoLitter(t, dir, "rel")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Release(ctx, corpusOf(t, 20), ReleaseOptions{Out: out}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	assertNoLitter(t, dir, "rel")
}

// TestReleaseKilled runs a release in a child process (this test binary), kills it
// with SIGKILL while it writes shards, and checks that no release folder appeared and
// that the next release is not tripped by the litter and removes it.
func TestReleaseKilled(t *testing.T) {
	if out := os.Getenv("NEWSDS_TEST_RELEASE_CHILD"); out != "" {
		src := corpusOf(t, 20)
		src.blockAfter = 12
		Release(context.Background(), src, ReleaseOptions{Out: out, ShardSize: 1 << 10, Config: testConfig()})
		t.Fatal("the blocked release returned")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "rel")
	cmd := exec.Command(os.Args[0], "-test.run=^TestReleaseKilled$")
	cmd.Env = append(os.Environ(), "NEWSDS_TEST_RELEASE_CHILD="+out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the child has written a shard into its temp folder.
	deadline := time.Now().Add(30 * time.Second)
	for {
		shards, _ := filepath.Glob(filepath.Join(dir, "rel"+tmpInfix+"*", "data", "articles", "*.parquet"))
		if len(shards) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child wrote no shard")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("killed release left %s: %v", out, err)
	}
	litter, _ := filepath.Glob(filepath.Join(dir, "rel"+tmpInfix+"*"))
	if len(litter) != 1 {
		t.Fatalf("want the killed run's temp folder, found %v", litter)
	}
	release(t, corpusOf(t, 20), ReleaseOptions{Out: out})
	if _, err := os.Stat(litter[0]); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the next release left the dead run's temp folder %s", litter[0])
	}
	if _, err := Open(out); err != nil {
		t.Error(err)
	}
}

func TestReleaseHistoryAndDiff(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "history")
	first := corpusOf(t, 20)
	m1 := release(t, first, ReleaseOptions{Out: filepath.Join(dir, "r1"), History: hist})
	splitOf := func(out string) map[string]string {
		d, err := Open(out)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, s := range d.Splits(ConfigArticles) {
			for a, err := range d.Articles(context.Background(), s) {
				if err != nil {
					t.Fatal(err)
				}
				got[a.ID] = s
			}
		}
		return got
	}

	// Records only added: MINOR, and no document moves.
	grown := corpusOf(t, 30)
	m2 := release(t, grown, ReleaseOptions{Out: filepath.Join(dir, "r2"), History: hist})
	if m2.Version != "1.1.0" || m2.Previous == nil || m2.Previous.Version != m1.Version {
		t.Fatalf("second release %s (previous %+v)", m2.Version, m2.Previous)
	}
	if m2.Changes.Added.Count != 10 || m2.Changes.Removed.Count+m2.Changes.Modified.Count+m2.Changes.MovedSplit.Count != 0 {
		t.Errorf("changes = %+v", m2.Changes)
	}
	s1, s2 := splitOf(filepath.Join(dir, "r1")), splitOf(filepath.Join(dir, "r2"))
	for id, s := range s1 {
		if s2[id] != s {
			t.Errorf("%s moved from %s to %s when records were added", id, s, s2[id])
		}
	}

	// A text edit and a removed document: MAJOR.
	edited := corpusOf(t, 30)
	edited.recs = slices.Delete(edited.recs, 3, 4)
	r := &edited.recs[0]
	r.Text += " تصحيح"
	r.ContentHash = schema.ContentHash(r.Text)
	for i := range r.Annotations {
		r.Annotations[i].ContentHash = r.ContentHash
	}
	m3 := release(t, edited, ReleaseOptions{Out: filepath.Join(dir, "r3"), History: hist})
	if m3.Version != "2.0.0" || m3.Changes.Removed.Count != 1 || m3.Changes.Modified.Count != 1 || m3.Changes.Removed.IDs[0] != "doc-003" {
		t.Errorf("third release %s changes %+v", m3.Version, m3.Changes)
	}
	log, err := os.ReadFile(filepath.Join(dir, "r3", ChangelogFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## 2.0.0", "## 1.1.0", "## 1.0.0", "`doc-003`"} {
		if !bytes.Contains(log, []byte(want)) {
			t.Errorf("changelog lacks %q:\n%s", want, log)
		}
	}

	// Changing the split options is a MAJOR change and is flagged.
	m4 := release(t, edited, ReleaseOptions{Out: filepath.Join(dir, "r4"), History: hist, SplitBy: "2024-06-01"})
	if m4.Version != "3.0.0" || !m4.Changes.SplitOptionsChanged {
		t.Errorf("split change: %s %+v", m4.Version, m4.Changes)
	}
	// An explicit version must be newer than the previous one.
	if _, err := Release(context.Background(), edited, ReleaseOptions{Out: filepath.Join(dir, "r5"), History: hist, Version: "3.0.0", Config: testConfig()}); err == nil {
		t.Error("a version older than the history's newest was accepted")
	}
}
