package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Texts that share no headline-independent wording: letters printed under one title on
// one day, as newspapers without article URLs in their scrapes do.
var (
	letterParking = "The council's new parking rules are a disaster for the small shops on the high street. " +
		"Customers who used to stop for ten minutes now drive to the retail park instead, and two cafés " +
		"have already cut their opening hours. I urge the council to reconsider before the winter trade begins."
	letterRiver = "Thank you to the volunteers who cleaned the river bank below the old mill last weekend. " +
		"They filled forty bags with bottles, tyres and plastic, and the footpath is open again. " +
		"My children walked it on Sunday and counted three herons and a kingfisher."
	letterLibrary = "Closing the branch library on Tuesdays and Thursdays will hurt the pensioners and students " +
		"who depend on its computers and its warm reading room. A town that can afford a new roundabout " +
		"can afford a librarian for two more days a week."
)

func letterLine(text string) string {
	b, _ := json.Marshal(map[string]string{"title": "Letters to the editor", "published": "2026-11-01", "text": text})
	return string(b) + "\n"
}

func ingestLines(t *testing.T, st *Store, lines ...string) *IngestSummary {
	t.Helper()
	path := filepath.Join(t.TempDir(), "letters.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := st.Ingest(context.Background(), []string{path}, IngestOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func stagedTexts(t *testing.T, st *Store) map[string]string {
	t.Helper()
	texts := map[string]string{}
	for _, d := range staged(t, st) {
		texts[d.ID] = d.Text
	}
	return texts
}

// Two articles under one title and day are two documents, not one modified twice: the
// first keeps the title-and-day id, the second takes the id of its text, and both are
// found again when the same input comes back.
func TestSameTitleAndDayKeepsDifferentArticles(t *testing.T) {
	st := newTestStore(t, "")
	sum := ingestLines(t, st, letterLine(letterParking), letterLine(letterRiver), letterLine(letterLibrary))
	if sum.Ingested != 3 || sum.Modified != 0 {
		t.Fatalf("summary %+v, want 3 ingested and none modified", sum)
	}
	texts := stagedTexts(t, st)
	if len(texts) != 3 {
		t.Fatalf("staged %d documents, want the 3 letters", len(texts))
	}
	titled, ok := documentID(staged(t, st)[0])
	if !ok {
		t.Fatal("a document without URL but with a title and date has no title-and-day id")
	}
	if texts[titled] != letterParking {
		t.Errorf("the title-and-day id holds %.30q, want the first letter ingested", texts[titled])
	}
	if want := textArticleID(titled, ExactKey(letterRiver)); texts[want] != letterRiver {
		t.Errorf("the second letter is not under its text's id %s: %v", want, texts)
	}
	again := ingestLines(t, st, letterLine(letterParking), letterLine(letterRiver), letterLine(letterLibrary))
	if again.Unchanged != 3 {
		t.Errorf("re-ingest %+v, want 3 unchanged", again)
	}
	// Another order numbers them another way, but keeps the same three texts.
	other := newTestStore(t, "")
	ingestLines(t, other, letterLine(letterLibrary), letterLine(letterParking), letterLine(letterRiver))
	got := slices.Sorted(mapValues(stagedTexts(t, other)))
	if want := slices.Sorted(mapValues(texts)); !slices.Equal(got, want) {
		t.Errorf("reversed order kept %d texts, want the same 3", len(got))
	}
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// A revision of an article (a sentence added, a typo fixed) under its title and day is
// still that article: modified, in place, with the other article untouched.
func TestRevisionUnderTitleAndDayIsModified(t *testing.T) {
	st := newTestStore(t, "")
	ingestLines(t, st, letterLine(letterParking), letterLine(letterRiver))
	revised := strings.Replace(letterParking, "ten minutes", "a quarter of an hour", 1) + " Yours, a shopkeeper."
	sum := ingestLines(t, st, letterLine(revised))
	if sum.Modified != 1 || sum.Ingested != 0 {
		t.Fatalf("summary %+v, want the revision to modify the first letter", sum)
	}
	texts := stagedTexts(t, st)
	if len(texts) != 2 || !slices.Contains(slices.Collect(mapValues(texts)), revised) || !slices.Contains(slices.Collect(mapValues(texts)), letterRiver) {
		t.Errorf("staged %v, want the revised first letter and the second", texts)
	}
	// The second article's own revision with the same exact key (case, punctuation)
	// stays under its text's id.
	sum = ingestLines(t, st, letterLine(strings.Replace(strings.Replace(letterRiver, "Sunday", "sunday", 1), "tyres and", "tyres, and", 1)))
	if sum.Modified != 1 || len(stagedTexts(t, st)) != 2 {
		t.Errorf("summary %+v, staged %d, want the second letter modified in place", sum, len(stagedTexts(t, st)))
	}
}

// Without near-duplicate signatures only the exact key tells two texts under one title
// apart: a different article is still never stored over another.
func TestSameTitleAndDayWithoutNearDedup(t *testing.T) {
	st := newTestStore(t, "dedup:\n  threshold: -1\n")
	sum := ingestLines(t, st, letterLine(letterParking), letterLine(letterRiver))
	if sum.Ingested != 2 || len(stagedTexts(t, st)) != 2 {
		t.Fatalf("summary %+v, want both letters stored", sum)
	}
}

func TestSameArticle(t *testing.T) {
	h := NewMinHasher(dedupHashes, 5, DefaultMinHashSeed)
	revised := letterParking + " Yours, a shopkeeper on Bridge Street."
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{letterParking, letterParking, true},
		{letterParking, strings.ToLower(letterParking), true}, // one exact key
		{letterParking, revised, true},
		{letterParking, letterRiver, false},
		{letterRiver, letterLibrary, false},
	} {
		if got := SameArticle(ExactKey(c.a), h.Signature(c.a), ExactKey(c.b), h.Signature(c.b)); got != c.same {
			t.Errorf("SameArticle(%.25q, %.25q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
	if SameArticle(ExactKey(letterParking), nil, ExactKey(revised), nil) {
		t.Error("without signatures, different exact keys make one article")
	}
}

// `newsds extract` gives the Spark driver the id a second article takes, so that it
// resolves records sharing a title and day as the local writer does; URL ids have none.
func TestExtractedTextID(t *testing.T) {
	x, err := NewExtractor(newTestStore(t, "").cfg, IngestOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	titled := x.One(Input{Raw: Raw{Path: "l.jsonl", Record: "line 1"}, Given: &GivenFields{Title: "Letters to the editor", Published: "2026-11-01", Text: letterRiver}})
	byURL := x.One(Input{Raw: Raw{Path: "u.jsonl", Record: "line 1"}, Given: &GivenFields{URL: "https://example.com/letters", Title: "Letters", Text: letterRiver}})
	if titled.Err != nil || byURL.Err != nil {
		t.Fatal(titled.Err, byURL.Err)
	}
	if want := textArticleID(titled.Doc.ID, titled.ExactKey); titled.TextID != want {
		t.Errorf("text id %q, want %q", titled.TextID, want)
	}
	other := titled.Doc
	other.ID = titled.TextID
	if titled.TextRank != DedupRank(other) || titled.TextRank == titled.Rank {
		t.Errorf("text rank %q is not the rank under the text id", titled.TextRank)
	}
	if byURL.TextID != "" || byURL.TextRank != "" {
		t.Errorf("a URL id has text id %q", byURL.TextID)
	}
	var buf bytes.Buffer
	w := NewExtractWriter(&buf, 0)
	for _, e := range []Extracted{titled, byURL} {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := ReadExtracted(&buf, func(e Extracted) error { got = append(got, e.TextID, e.TextRank); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{titled.TextID, titled.TextRank, "", ""}) {
		t.Errorf("read back text ids and ranks %q", got)
	}
}
