package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// hostileDir holds the hostile inputs of issue 14: binary files named as pages or
// texts, control characters, invalid UTF-8, empty files, fields validate rejects, and
// markup nested deeper than the HTML parser takes.
const hostileDir = "testdata/hostile"

// ingestHostile ingests the hostile fixtures and returns the summary, the rejections by
// file name and the staged documents by URL.
func ingestHostile(t *testing.T) (*IngestSummary, map[string][]Rejection, map[string]schema.Document) {
	t.Helper()
	st := newTestStore(t, "")
	sum, err := st.Ingest(context.Background(), []string{hostileDir}, IngestOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	rej := map[string][]Rejection{}
	for _, r := range sum.Rejections {
		rej[filepath.Base(r.File)] = append(rej[filepath.Base(r.File)], r)
	}
	docs := map[string]schema.Document{}
	for _, d := range staged(t, st) {
		docs[d.URL] = d
		if d.URL == "" {
			docs[d.Title] = d
		}
	}
	return sum, rej, docs
}

// Issue 14.3: a PNG named .html was ingested as an article of mojibake, and so on for
// every binary type. Each is one located rejection that names the type.
func TestIngestRejectsBinaryNamedAsText(t *testing.T) {
	_, rej, _ := ingestHostile(t)
	for file, kind := range map[string]string{
		"image-named.html":    "image/png",
		"image-named.html.gz": "image/png",
		"document-named.txt":  "application/pdf",
		"archive-named.jsonl": "application/zip",
	} {
		rs := rej[file]
		if len(rs) != 1 || !strings.Contains(rs[0].Reason, "binary content") || !strings.Contains(rs[0].Reason, kind) {
			t.Errorf("%s: rejections %+v, want one naming %s", file, rs, kind)
		}
	}
}

// binaryKind on what it must let through: every shared page and text.
func TestBinaryKindPassesSharedText(t *testing.T) {
	n := 0
	for _, f := range sharedInputFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if kind := binaryKind(b[:min(len(b), sniffLen)]); kind != "" {
			t.Errorf("%s sniffed as %s", f, kind)
		}
		n++
	}
	if n < 300 {
		t.Fatalf("checked %d shared files, want the pages of ../shared/data", n)
	}
}

// sharedInputFiles lists the shared pages and texts (.html, .txt).
func sharedInputFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	root := testshared.Path(t, "data")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".txt")) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// Issue 14.3: text with NUL bytes became an article with the NULs in it. NUL and the
// other control characters are stripped from stored text, and the text is NFC again.
func TestIngestStripsControlCharacters(t *testing.T) {
	_, rej, docs := ingestHostile(t)
	for _, f := range []string{"controls.txt", "controls.jsonl"} {
		if len(rej[f]) != 0 {
			t.Errorf("%s rejected: %+v", f, rej[f])
		}
	}
	var found int
	seen := map[string]bool{}
	for _, d := range docs {
		if seen[d.ID] {
			continue // listed under its URL and its title
		}
		seen[d.ID] = true
		fields := append([]string{d.Text, d.Title, d.Section, d.SiteName}, d.Byline...)
		for _, s := range fields {
			if i := strings.IndexFunc(s, func(r rune) bool { return isStrippedControl(r, true) }); i >= 0 {
				t.Errorf("document %s (%s) stores control character %U in %q", d.ID, d.URL, []rune(s[i:])[0], s)
			}
		}
		if !norm.NFC.IsNormalString(d.Text) {
			t.Errorf("document %s: text not NFC after stripping: %q", d.ID, d.Text)
		}
		if strings.Contains(d.Text, "seven to two") || d.URL == "https://example.com/ctl" {
			found++
		}
	}
	if found != 2 {
		t.Fatalf("found %d of the two control-character documents", found)
	}
	if d := docs["https://example.com/ctl"]; !strings.Contains(d.Text, "\u00e9 with a control") || d.Title != "Control characters in the title" {
		t.Errorf("stripped document: title %q text %q", d.Title, d.Text)
	}
}

// Issue 14.3: invalid UTF-8 in JSONL became U+FFFD silently. The rule: a record whose
// bytes must be UTF-8 (any JSON record; a page behind a UTF-8 byte order mark) and are
// not is rejected, located at the byte; the other lines of the file are kept.
func TestIngestRejectsInvalidUTF8(t *testing.T) {
	_, rej, docs := ingestHostile(t)
	rs := rej["invalid-utf8.jsonl"]
	if len(rs) != 1 || rs[0].Record != "line 2" || !strings.Contains(rs[0].Reason, "invalid UTF-8 at byte") {
		t.Errorf("invalid-utf8.jsonl: rejections %+v, want line 2 located", rs)
	}
	for _, u := range []string{"https://example.com/u1", "https://example.com/u3"} {
		if _, ok := docs[u]; !ok {
			t.Errorf("%s not ingested around the bad line", u)
		}
	}
	if rs := rej["bom-invalid-utf8.html"]; len(rs) != 1 || !strings.Contains(rs[0].Reason, "invalid UTF-8 at byte") {
		t.Errorf("bom-invalid-utf8.html: rejections %+v", rs)
	}
	for _, d := range docs {
		if strings.ContainsRune(d.Text, utf8.RuneError) {
			t.Errorf("document %s holds U+FFFD: %q", d.URL, d.Text)
		}
	}
}

// Issue 14.3: empty .jsonl and .warc inputs said nothing. Every empty input is one
// rejection that says it is empty.
func TestIngestEmptyInputsSaySo(t *testing.T) {
	_, rej, _ := ingestHostile(t)
	for _, f := range []string{"empty.jsonl", "empty.warc", "empty.html", "empty.txt", "empty.warc.gz", "blank-lines.jsonl", "whitespace.html"} {
		rs := rej[f]
		if len(rs) != 1 || !strings.Contains(rs[0].Reason, "empty input") {
			t.Errorf("%s: rejections %+v, want one saying the input is empty", f, rs)
		}
	}
}

// Issue 14.3: HTML nested deeper than 512 elements lost the whole page. It is
// flattened below the limit, every paragraph kept, with a note in meta.
func TestExtractDeepHTMLKeptWithNote(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(hostileDir, "deep.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Extract(Raw{Data: data, Format: FormatHTML, URL: "https://example.com/deep"}, ExtractOptions{})
	if err != nil {
		t.Fatalf("deep page: %v", err)
	}
	for _, want := range []string{"opening paragraph", "deepest paragraph", "closing paragraph"} {
		if !strings.Contains(doc.Text, want) {
			t.Errorf("text %q lacks the %s", doc.Text, want)
		}
	}
	if note, _ := doc.Meta[MetaHTMLNote].(string); !strings.Contains(note, "512") {
		t.Errorf("meta %s = %q, want a note on the flattening", MetaHTMLNote, note)
	}
	// A page within the limit is parsed as it is, with no note.
	doc, err = Extract(Raw{Data: []byte(strings.Replace(string(data), strings.Repeat("<div>", 700), strings.Repeat("<div>", 100), 1)), Format: FormatHTML}, ExtractOptions{})
	if err != nil || doc.Meta[MetaHTMLNote] != nil {
		t.Errorf("shallow page: err %v note %v", err, doc.Meta[MetaHTMLNote])
	}
}

// Issue 14.4: ingest accepted ids with control characters, lang values that are not
// languages and javascript: URLs, all of which validate rejects. A record that states
// such a field is rejected with validate's message; a field newsds found in a page is
// dropped instead (lang detected, URL noted).
func TestIngestEnforcesValidateFieldRules(t *testing.T) {
	_, rej, docs := ingestHostile(t)
	want := map[string]string{
		"line 1": "contains spaces, control characters",
		"line 2": "contains spaces, control characters",
		"line 3": "not an ISO 639-1 language code",
		"line 4": "withdrawn ISO 639-1 code; use he",
		"line 5": "not a two-letter",
		"line 6": "not an absolute http(s) URL",
		"line 7": "not an absolute http(s) URL",
		"line 8": "has no host",
	}
	got := map[string]string{}
	for _, r := range rej["bad-fields.jsonl"] {
		got[r.Record] = r.Reason
	}
	for rec, msg := range want {
		if !strings.Contains(got[rec], msg) {
			t.Errorf("bad-fields.jsonl %s: rejection %q, want %q", rec, got[rec], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("bad-fields.jsonl rejections %v, want only lines 1-8", got)
	}
	if d, ok := docs["https://example.com/f9"]; !ok || d.ID != "fine-id" {
		t.Errorf("the good record of bad-fields.jsonl: %+v", d)
	}
	page, ok := docs["Page with a bad lang"]
	if !ok {
		t.Fatalf("bad-page-fields.html not ingested: %+v", rej["bad-page-fields.html"])
	}
	if page.Lang != "en" || page.URL != "" {
		t.Errorf("page fields: lang %q url %q, want lang detected (en) and no URL", page.Lang, page.URL)
	}
}
