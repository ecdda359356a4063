package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

func jsonFixture(name string) string { return filepath.Join("testdata", "read", "json", name) }

// A pretty-printed .json file was read as JSON lines: one rejection per line, none
// naming the cause.
func TestInputsJSONDocument(t *testing.T) {
	ins, errs := jsonlTestCollect(t, []string{jsonFixture("one-article.json")}, ReadOptions{})
	if len(ins) != 1 || len(errs) != 0 || ins[0].Given.Title != "Harbour reopens" || ins[0].Given.URL != "https://example.com/news/harbour" ||
		ins[0].Raw.Record != "" {
		t.Fatalf("one article: %+v, errors %v", ins, errs)
	}

	ins, errs = jsonlTestCollect(t, []string{jsonFixture("articles.json")}, ReadOptions{})
	if len(ins) != 2 || ins[0].Raw.Record != "item 1" || ins[1].Raw.Record != "item 3" || ins[1].Raw.Format != FormatHTML {
		t.Fatalf("array: %+v", ins)
	}
	var rerr *RecordError
	if len(errs) != 1 || !errors.As(errs[0], &rerr) || rerr.Record != "item 2" || !strings.Contains(rerr.Error(), `neither "text" nor "html"`) {
		t.Fatalf("array errors: %v", errs)
	}
}

// What is not an article, or an array of them, is one rejection for the file, saying why.
func TestInputsJSONDocumentRejectedWhole(t *testing.T) {
	for _, tt := range []struct{ file, msg string }{
		{"gold-index.json", "its keys are pages/a.html, pages/b.html, pages/c.html and 1 more"},
		{"string.json", "holds a JSON string"},
		{"strings.json", "item 1 is a JSON string"},
		{"lines.json", "more data after the JSON document"},
		{"pretty.jsonl", "one pretty-printed JSON document"},
	} {
		ins, errs := jsonlTestCollect(t, []string{jsonFixture(tt.file)}, ReadOptions{})
		if len(ins) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.msg) {
			t.Errorf("%s: %d inputs, errors %v; want one error with %q", tt.file, len(ins), errs, tt.msg)
		}
	}
	// --format still decides: JSON lines in a .json file read as JSONL, a pretty-printed
	// document without its extension as JSON.
	if ins, errs := jsonlTestCollect(t, []string{jsonFixture("lines.json")}, ReadOptions{Format: FormatJSONL}); len(ins) != 2 || len(errs) != 0 {
		t.Errorf("--format jsonl: %d inputs, errors %v", len(ins), errs)
	}
	if ins, errs := jsonlTestCollect(t, []string{jsonFixture("pretty.jsonl")}, ReadOptions{Format: FormatJSON}); len(ins) != 1 || len(errs) != 0 {
		t.Errorf("--format json: %d inputs, errors %v", len(ins), errs)
	}
}

// A folder like every shared gold set (pages plus a pretty-printed gold.json) gives one
// rejection for gold.json, not one per line of it.
func TestInputsGoldFolderOneRejection(t *testing.T) {
	dir := testshared.Path(t, "data", "newspaper4k")
	ins, errs := jsonlTestCollect(t, []string{dir}, ReadOptions{})
	var gold []error
	for _, err := range errs {
		if strings.Contains(err.Error(), "gold.json") {
			gold = append(gold, err)
		}
	}
	if len(gold) != 1 || !strings.Contains(gold[0].Error(), "not an article") {
		t.Errorf("gold.json rejections: %v", gold)
	}
	if len(ins) < 13 {
		t.Errorf("%d inputs, want the 13 pages at least", len(ins))
	}
}

func TestSniffJSON(t *testing.T) {
	for in, want := range map[string]string{
		"[\n  {\"text\": \"x\"}\n]":  FormatJSON,
		"[]":                         FormatJSON,
		"{\n  \"text\": \"x\"\n}":    FormatJSON,
		"{\"text\": \"x\"}\n{}":      FormatJSONL,
		"[Updated] Storm hits coast": FormatText,
	} {
		if got := sniffFormat([]byte(in)); got != want {
			t.Errorf("sniffFormat(%q) = %q, want %q", in, got, want)
		}
	}
}

// A missing path counted as a rejected record (exit 3) after the other inputs were
// ingested; CheckInputs makes it an error before any work.
func TestCheckInputs(t *testing.T) {
	dir := readTestTree(t, map[string][]byte{"a/page.html": []byte("<p>x</p>"), "b/c.txt": []byte("x")})
	ok := [][]string{
		{filepath.Join(dir, "a")}, {filepath.Join(dir, "a", "page.html")}, {filepath.Join(dir, "*", "*.txt")},
		{filepath.Join(dir, "**", "*.html")},
	}
	for _, paths := range ok {
		if err := CheckInputs(paths); err != nil {
			t.Errorf("CheckInputs(%v) = %v", paths, err)
		}
	}
	for _, paths := range [][]string{
		{filepath.Join(dir, "a"), filepath.Join(dir, "missing")},
		{filepath.Join(dir, "*.nothing")},
		{filepath.Join(dir, "gone", "**", "*.html")},
	} {
		if err := CheckInputs(paths); !errors.Is(err, ErrNoMatch) || !strings.Contains(err.Error(), paths[len(paths)-1]) {
			t.Errorf("CheckInputs(%v) = %v, want ErrNoMatch naming the path", paths, err)
		}
	}
	if os.Geteuid() != 0 { // root reads any folder
		locked := filepath.Join(dir, "b")
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(locked, 0o755)
		if err := CheckInputs([]string{locked}); err == nil || !strings.Contains(err.Error(), "cannot be read") {
			t.Errorf("unreadable folder: %v", err)
		}
	}
}

// An object that is no article lists its keys; suggesting one of them as the text (as a
// JSON lines record does) would only repeat the list.
func TestNotAnArticleListsKeysOnly(t *testing.T) {
	raw := []byte(`{"title":"Gold","notes":"checked by hand","turns":[]}`)
	_, err := parseJSONLRecord(raw, nil)
	if err == nil || !strings.Contains(err.Error(), "did you mean") {
		t.Fatalf("record error %v, want a suggestion", err)
	}
	msg := notAnArticle(raw, err)
	if strings.Contains(msg, "did you mean") || !strings.Contains(msg, `neither "text" nor "html"; its keys are notes, title, turns`) {
		t.Errorf("message %q", msg)
	}
}
