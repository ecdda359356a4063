package corpus

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/testshared"
)

// The fuzz targets of extraction and dates run only with -fuzz (`go test ./corpus
// -run '^$' -fuzz FuzzExtractHTML -fuzztime 10m`); without it they replay their seeds
// and the crashers kept in testdata/fuzz. Their property is the contract Extract states
// for any input: it returns (never panics, never hangs on a small input), and a document
// it returns has UTF-8 text that is not empty.

// fuzzSeedBytes caps each seed: the smallest real pages, cut, keep executions fast.
const fuzzSeedBytes = 16 << 10

func checkExtracted(t *testing.T, data []byte, format string) {
	doc, err := Extract(Raw{Data: data, Format: format, Path: "fuzz." + format}, ExtractOptions{
		Now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)})
	if err != nil {
		if !strings.Contains(err.Error(), "fuzz."+format) {
			t.Errorf("error does not name the input: %v", err)
		}
		return
	}
	if doc.Text == "" {
		t.Error("a document without text")
	}
	for name, s := range map[string]string{"text": doc.Text, "title": doc.Title, "byline": strings.Join(doc.Byline, "|"), "published": doc.Published} {
		if !utf8.ValidString(s) {
			t.Errorf("%s is not UTF-8: %q", name, s)
		}
	}
	if doc.Published != "" {
		if _, err := time.Parse(time.RFC3339, doc.Published); err != nil {
			t.Errorf("published %q is not RFC 3339", doc.Published)
		}
	}
}

// FuzzExtractHTML is the HTML extraction entry: Extract with Format html.
func FuzzExtractHTML(f *testing.F) {
	for _, dir := range []string{"data/trafilatura/pages", "data/readability/pages", "data/htmldate/pages", "data/newspaper4k/html", "data/encodings"} {
		for _, b := range testshared.Seeds(f, dir+"/*.html", 4, fuzzSeedBytes) {
			f.Add(b)
		}
	}
	f.Add([]byte("<html><head><title>T</title></head><body><article><p>Body text of the article.</p></article></body></html>"))
	f.Fuzz(func(t *testing.T, data []byte) { checkExtracted(t, data, rawHTML) })
}

// FuzzExtractText is the plain-text scrape parser: Extract with Format text.
func FuzzExtractText(f *testing.F) {
	for _, pat := range []string{"data/newspaper4k/txt/*.txt", "data/interviews/ar/*.txt"} {
		for _, b := range testshared.Seeds(f, pat, 6, fuzzSeedBytes) {
			f.Add(b)
		}
	}
	f.Add([]byte("Section\n\nTitle of the story\n\nBy A Writer\n\n12 March 2024\n\nFirst paragraph.\n\nSecond paragraph."))
	f.Fuzz(func(t *testing.T, data []byte) { checkExtracted(t, data, rawText) })
}

// FuzzParseDate: any string and crawl time give an answer, and a date found is one the
// document can carry: it formats as RFC 3339 (years 0-9999) and parses back. Seeds: the
// dates of the htmldate gold set.
func FuzzParseDate(f *testing.F) {
	for _, b := range testshared.Seeds(f, "data/htmldate/gold.json", 1, 1<<20) {
		for _, line := range strings.Split(string(b), "\n") {
			if _, v, ok := strings.Cut(line, `"date": "`); ok {
				f.Add(strings.TrimSuffix(strings.TrimSpace(v), `",`), int64(1700000000))
			}
		}
	}
	for _, s := range []string{"منذ 3 ساعات", "yesterday", "12/03/2024", "٢٠٢٤-٠٣-١٢", "March 12", "2024-03-12T10:00:00+03:00", "Tue, 12 Mar 2024 10:00:00 GMT"} {
		f.Add(s, int64(1710000000))
		f.Add(s, int64(0))
	}
	riyadh := time.FixedZone("AST", 3*3600)
	f.Fuzz(func(t *testing.T, s string, upper int64) {
		var up time.Time
		if upper != 0 {
			up = time.Unix(upper%(1<<40), 0)
		}
		got, ok := ParseDate(s, riyadh, up)
		if !ok {
			return
		}
		b, err := got.MarshalText()
		if err != nil {
			t.Fatalf("ParseDate(%q) = %v: not a printable time: %v", s, got, err)
		}
		var back time.Time
		if err := back.UnmarshalText(b); err != nil || !back.Equal(got) {
			t.Fatalf("ParseDate(%q) = %s does not parse back (%v)", s, b, err)
		}
	})
}
