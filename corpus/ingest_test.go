package corpus

import (
	"context"
	"encoding/json"
	"iter"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/schema"
)

// reportLines decodes a JSONL ingest report.
func reportLines(t *testing.T, report string) []Rejection {
	t.Helper()
	var out []Rejection
	for _, line := range strings.Split(strings.TrimSpace(report), "\n") {
		if line == "" {
			continue
		}
		var r Rejection
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("report line %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

// Issue 8 item 8: a panic while extracting one record aborted the whole ingest. It is
// now that record's rejection, located, with the stack in the report, and the records
// after it are stored.
func TestIngestRecoversPanicPerRecord(t *testing.T) {
	st := newTestStore(t, "")
	path := filepath.Join(t.TempDir(), "batch.jsonl")
	if err := os.WriteFile(path, []byte(`{"url":"https://example.com/1","title":"One","text":"First article body text."}
{"url":"https://example.com/2","title":"Two","text":"Second article body text."}
{"url":"https://example.com/3","title":"Three","text":"Third article body text."}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	prepare := func(in Input, opts IngestOptions, zone *time.Location) (schema.Document, error) {
		if in.Raw.Record == "line 2" {
			var spans []int
			_ = spans[len(in.Raw.Record)] // index out of range, as a real extractor bug
		}
		return st.prepare(in, opts, zone)
	}
	var report strings.Builder
	sum, err := st.ingest(context.Background(), []string{path}, IngestOptions{Workers: 2, Report: &report},
		pipeline{inputs: Inputs, prepare: prepare})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 2 || sum.Rejected != 1 {
		t.Fatalf("summary %+v, want 2 ingested and the panicking record rejected", sum)
	}
	r := sum.Rejections[0]
	if r.File != path || r.Record != "line 2" || !strings.Contains(r.Reason, "index out of range") || r.Stack != "" {
		t.Errorf("listed rejection %+v, want batch.jsonl line 2 with the panic and no stack", r)
	}
	lines := reportLines(t, report.String())
	if len(lines) != 1 || lines[0].Record != "line 2" || !strings.Contains(lines[0].Stack, "TestIngestRecoversPanicPerRecord") {
		t.Errorf("report %+v, want line 2 with the stack of the panic", lines)
	}
	urls := map[string]bool{}
	for _, d := range staged(t, st) {
		urls[d.URL] = true
	}
	if !urls["https://example.com/1"] || !urls["https://example.com/3"] {
		t.Errorf("staged %v, want the records around the panic", urls)
	}
}

// A panic inside a reader cannot be resumed: what was read is stored, the panic is a
// rejection saying that later inputs were not read, and the process survives.
func TestIngestRecoversReaderPanic(t *testing.T) {
	st := newTestStore(t, "")
	inputs := func(ctx context.Context, paths []string, ro ReadOptions) iter.Seq2[Input, error] {
		return func(yield func(Input, error) bool) {
			for in, err := range Inputs(ctx, paths, ro) {
				if !yield(in, err) {
					return
				}
				panic("reader bug")
			}
		}
	}
	path := filepath.Join(t.TempDir(), "batch.jsonl")
	if err := os.WriteFile(path, []byte(`{"url":"https://example.com/1","title":"One","text":"First article body text."}
{"url":"https://example.com/2","title":"Two","text":"Second article body text."}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	sum, err := st.ingest(context.Background(), []string{path}, IngestOptions{Report: &report},
		pipeline{inputs: inputs, prepare: st.prepare})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 1 || sum.Rejected != 1 {
		t.Fatalf("summary %+v, want 1 ingested and 1 rejection", sum)
	}
	r := sum.Rejections[0]
	if r.File != path || r.Record != "after line 1" || !strings.Contains(r.Reason, "not read") || !strings.Contains(r.Reason, "reader bug") {
		t.Errorf("rejection %+v", r)
	}
	if lines := reportLines(t, report.String()); len(lines) != 1 || lines[0].Stack == "" {
		t.Errorf("report %+v, want the stack", lines)
	}
}

// The legacy page that crashed charset sniffing, among good pages: every page is
// ingested (the crash is fixed), in one batch.
func TestIngestUndeclaredLegacyPageAmongOthers(t *testing.T) {
	dir := t.TempDir()
	page := legacyArabicPage(t)
	var paths []string
	for i, content := range [][]byte{[]byte("<html><head><title>A</title></head><body><p>A first page with an article body long enough to keep.</p></body></html>"), page,
		[]byte("<html><head><title>C</title></head><body><p>A third page with another article body long enough to keep.</p></body></html>")} {
		p := filepath.Join(dir, string(rune('a'+i))+".html")
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	st := newTestStore(t, "")
	sum := ingest(t, st, IngestOptions{Workers: 2}, paths...)
	if sum.Ingested != 3 || sum.Rejected != 0 {
		t.Fatalf("summary %+v (rejections %+v), want 3 ingested", sum, sum.Rejections)
	}
	found := false
	for _, d := range staged(t, st) {
		found = found || (d.Title == legacyTitle && strings.Contains(d.Text, legacyBody))
	}
	if !found {
		t.Error("the legacy page's Arabic title and text were not decoded")
	}
}

// givenText keeps text that cleaning leaves alone without copying it; whatever a text
// without single line breaks, it must give what joinParagraphs gives.
func TestGivenTextIsJoinParagraphs(t *testing.T) {
	for _, text := range []string{
		"one\n\ntwo",
		"one\r\n\r\ntwo",
		"  padded  \n\n\n\nafter blank",
		"\n\nleading and trailing\n\n",
		"soft\u00adhyphen\n\nzero\u200bwidth",
		"tabs\tand   spaces\n\n\u00a0\n\nend",
		"",
		"\n\n",
		"single paragraph, clean",
		"مرحبا بالعالم\n\nHello world",
	} {
		want := joinParagraphs(strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n"))
		if got := givenText(text); got != want {
			t.Errorf("givenText(%q) = %q, want %q", text, got, want)
		}
	}
}

// A line break in a given text ends a paragraph as in a plain-text scrape (a scrape's
// interview: each question and answer a line), so the Q&A annotator finds its turns,
// also where a blank line sets off a header (SaudiNewsNet's shape); a hard-wrapped
// block is one paragraph.
func TestGivenTextLinePerParagraph(t *testing.T) {
	wrapped := "The harbour authority said on Tuesday that the new quay would open in the\n" +
		"spring, two years later than planned, because the dredging took longer than"
	for text, want := range map[string]string{
		"Harbour chief: we will finish\nBy Jane Roe\n\nThe harbour chief spoke to us.\nWhen will the quay open?\n- In spring.\n": "Harbour chief: we will finish\n\nBy Jane Roe\n\nThe harbour chief spoke to us.\n\nWhen will the quay open?\n\n- In spring.",
		"حوار ـ سارة العلي \n\nقال المدير إن العمل يسير.\nمتى يكتمل المشروع؟\nـ خلال عامين.":                                     "حوار ـ سارة العلي\n\nقال المدير إن العمل يسير.\n\nمتى يكتمل المشروع؟\n\nـ خلال عامين.",
		wrapped + "\n\nNext paragraph.": strings.ReplaceAll(wrapped, "\n", " ") + "\n\nNext paragraph.",
		"one\r\n\r\ntwo\r\nline":        "one\n\ntwo\n\nline",
		"one\n\n\ntwo":                  "one\n\ntwo",
		"Q: How has the harbour changed?\nA: It has doubled in size.\n": "Q: How has the harbour changed?\n\nA: It has doubled in size.",
		"كيف ترين المسرح اليوم؟\r\nالمسرح يعيش أزهى عصوره.":             "كيف ترين المسرح اليوم؟\n\nالمسرح يعيش أزهى عصوره.",
		"first line\n\n  \nsecond\nthird":                               "first line\n\nsecond\n\nthird",
		"one line only\n":                                               "one line only",
	} {
		if got := givenText(text); got != want {
			t.Errorf("givenText(%q) = %q, want %q", text, got, want)
		}
	}
}

// A line may hold html when it has an "html" key, written plainly or with \u escapes;
// the word in a text or a URL does not make it one.
func TestMayHoldHTML(t *testing.T) {
	for line, want := range map[string]bool{
		`{"text":"plain words"}`:                              false,
		`{"url":"https://example.com/a.html","text":"html5"}`: false,
		`{"html":"<p>x</p>"}`:                                 true,
		`{"meta":{"html":"nested"}}`:                          true,
		`{"\u0068tml":"<p>x</p>"}`:                            true,
		`{"text":"caf\u00e9"}`:                                true,
	} {
		if got := mayHoldHTML([]byte(line)); got != want {
			t.Errorf("mayHoldHTML(%s) = %v, want %v", line, got, want)
		}
	}
}

// A given byline is read as an extracted one: its label or dateline, the paper's dash and outlet,
// a job title and HTML entities go; a list's entries stay whole; a byline cleaning
// would empty is kept as given.
func TestGivenByline(t *testing.T) {
	for _, tt := range []struct {
		in, want []string
	}{
		{[]string{"حاوره : عبدالعزيز العصيمي - سبق :&nbsp;"}, []string{"عبدالعزيز العصيمي"}},
		{[]string{"حوار ـ محمد المرحبي"}, []string{"محمد المرحبي"}},
		{[]string{"By Tom Baker"}, []string{"Tom Baker"}},
		{[]string{"جدة: أسماء الغابري"}, []string{"أسماء الغابري"}}, // a dateline
		{[]string{"Autorin: Eva Roth"}, []string{"Eva Roth"}},       // a label no list holds
		{[]string{"Maria: Santos"}, []string{"Maria: Santos"}},      // no name of two words after it
		{[]string{"Jane Doe, Staff Writer", "Omar Haddad"}, []string{"Jane Doe", "Omar Haddad"}},
		{[]string{"O&#39;Brien, Pat"}, []string{"O'Brien, Pat"}},
		{[]string{"Example News"}, []string{"Example News"}}, // the publisher alone
		{[]string{"2024-03-05"}, []string{"2024-03-05"}},     // no name left: kept as given
	} {
		if got := givenByline(tt.in, siteKeys("Example News", "https://example.com/a")); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("givenByline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
