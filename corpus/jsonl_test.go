package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/newsds/newsds/internal/testshared"
)

func jsonlTestCollect(tb testing.TB, paths []string, opts ReadOptions) (ins []Input, errs []error) {
	tb.Helper()
	for in, err := range Inputs(context.Background(), paths, opts) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ins = append(ins, in)
	}
	return ins, errs
}

func TestInputsJSONLFixture(t *testing.T) {
	path := filepath.Join("testdata", "read", "articles.jsonl")
	ins, errs := jsonlTestCollect(t, []string{path}, ReadOptions{})
	if len(ins) != 3 {
		t.Fatalf("got %d inputs, want 3; errors: %v", len(ins), errs)
	}

	ar := ins[0]
	wantAr := &GivenFields{
		ID: "qa-001", URL: "https://al-sharq.com/article/12/01/2022/kazakh", Source: "alsharq", SiteName: "الشرق",
		Title: "السفير الكازاخي لـ الشرق: نقدر دعم قطر لاستقرار كازاخستان", Byline: []string{"عواطف بن علي"},
		Published: "2022-01-12T07:00:00+03:00", Section: "عربي ودولي", Lang: "ar",
		Text: "ثمن سعادة السيد إرمان الدعم القطري.\n\nوأكد أن العلاقات متينة.",
		Meta: map[string]any{"tags": []any{"قطر", "كازاخستان"}, "views": json.Number("1234")},
	}
	if !reflect.DeepEqual(ar.Given, wantAr) {
		t.Errorf("line 1 given:\n got %#v\nwant %#v", ar.Given, wantAr)
	}
	if ar.Raw.Format != "" || ar.Raw.Record != "line 1" || ar.Raw.Path != path || ar.Raw.URL != wantAr.URL || ar.Raw.ModTime.IsZero() {
		t.Errorf("line 1 raw: format %q record %q path %q url %q modtime %v", ar.Raw.Format, ar.Raw.Record, ar.Raw.Path, ar.Raw.URL, ar.Raw.ModTime)
	}
	// Without html, Raw.Data is the line itself (no CR), the bytes the raw hash covers.
	if !bytes.HasPrefix(ar.Raw.Data, []byte(`{"id": "qa-001"`)) || !bytes.HasSuffix(ar.Raw.Data, []byte("}}")) {
		t.Errorf("line 1 raw data: %q", ar.Raw.Data)
	}

	en := ins[1]
	wantEn := &GivenFields{
		ID: "42", URL: "https://example.com/news/budget", Title: "Council approves budget", Byline: []string{"Jane Doe"},
		Published: "2023-03-01", Text: "The council approved the budget on Tuesday.",
		Meta: map[string]any{"category": "politics"},
	}
	if !reflect.DeepEqual(en.Given, wantEn) || en.Raw.Record != "line 3" {
		t.Errorf("line 3: record %q given\n got %#v\nwant %#v", en.Raw.Record, en.Given, wantEn)
	}

	h := ins[2]
	if h.Raw.Format != FormatHTML || !h.Given.HasHTML || h.Raw.Record != "line 6" || h.Given.Section != "World" || h.Given.Byline != nil {
		t.Errorf("line 6: format %q given %#v record %q", h.Raw.Format, h.Given, h.Raw.Record)
	}
	if !bytes.HasPrefix(h.Raw.Data, []byte(`<html><head><meta charset="windows-1256">`)) {
		t.Errorf("line 6 data: %q", h.Raw.Data)
	}
	// The html came out of a JSON string: UTF-8 whatever the page declares.
	if h.Raw.ContentType != "text/html; charset=utf-8" {
		t.Errorf("line 6 content type %q", h.Raw.ContentType)
	}

	wantErrs := []string{
		path + ": line 4: invalid JSON",
		path + `: line 5: record has neither "text" nor "html"`,
		path + `: line 7: field "byline": want a list of strings or a string`,
		path + ": line 8: invalid record: want a JSON object, got an array",
	}
	if len(errs) != len(wantErrs) {
		t.Fatalf("errors %v, want %d", errs, len(wantErrs))
	}
	for i, err := range errs {
		var rerr *RecordError
		if !errors.As(err, &rerr) || !strings.HasPrefix(err.Error(), wantErrs[i]) {
			t.Errorf("error %d = %v, want prefix %q", i, err, wantErrs[i])
		}
	}
}

// TestInputsJSONLRealPages embeds real pages as html in a gzipped JSONL file, with a
// line longer than the 64 KiB read buffer.
func TestInputsJSONLRealPages(t *testing.T) {
	names := []string{"drk.de-Glasgow.html", "chip.de.beef.html", "infobae.com-ucrania.html"}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	var pages []string
	for _, n := range names {
		page, err := os.ReadFile(testshared.Path(t, "data", "trafilatura", "pages", n))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(page))
		line, err := json.Marshal(map[string]any{"url": "https://example.org/" + n, "html": string(page), "title": n})
		if err != nil {
			t.Fatal(err)
		}
		zw.Write(append(line, '\n'))
	}
	zw.Close()
	path := filepath.Join(t.TempDir(), "pages.ndjson.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ins, errs := jsonlTestCollect(t, []string{path}, ReadOptions{})
	if len(errs) > 0 || len(ins) != len(names) {
		t.Fatalf("got %d inputs, errors %v", len(ins), errs)
	}
	longest := 0
	for i, in := range ins {
		longest = max(longest, len(in.Raw.Data))
		if string(in.Raw.Data) != pages[i] || in.Given.Title != names[i] || in.Raw.URL != "https://example.org/"+names[i] {
			t.Errorf("record %d: %d bytes, title %q, url %q", i, len(in.Raw.Data), in.Given.Title, in.Raw.URL)
		}
	}
	if longest <= 64<<10 {
		t.Errorf("longest page %d bytes does not exercise lines beyond the read buffer", longest)
	}
}

func TestInputsJSONLTooLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "long.jsonl")
	long := `{"text": "` + strings.Repeat("word ", 50000) + `"}`
	data := `{"id": "a", "text": "first"}` + "\n" + long + "\n" + `{"id": "c", "text": "third"}`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	ins, errs := jsonlTestCollect(t, []string{path}, ReadOptions{MaxRecordBytes: 100 << 10})
	if len(ins) != 2 || ins[0].Given.ID != "a" || ins[1].Given.ID != "c" || ins[1].Raw.Record != "line 3" {
		t.Fatalf("inputs %+v", ins)
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrTooLarge) || !strings.Contains(errs[0].Error(), "line 2") {
		t.Errorf("errors %v, want one ErrTooLarge for line 2", errs)
	}
	// The same file within the default limit reads whole.
	if ins, errs := jsonlTestCollect(t, []string{path}, ReadOptions{}); len(ins) != 3 || len(errs) != 0 {
		t.Errorf("default limit: %d inputs, errors %v", len(ins), errs)
	}
}

// A record without a body says which of its fields holds the text the user may have
// meant, and a record that is not an object says what it is instead of a Go type.
func TestJSONLRecordMessages(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{`{"url":"https://ex.com/a","title":"A","body":"The article text."}`, `record has neither "text" nor "html"; did you mean "body"?`},
		{`{"title":"A","content":"One.","summary":"Two."}`, `did you mean one of "content", "summary"?`},
		{`{"url":"https://ex.com/a","views":3}`, `record has neither "text" nor "html"`},
		{`{"url":"https://ex.com/a","meta":{"note":"checked"}}`, `record has neither "text" nor "html"`},
		{`{"url":"https://ex.com/a","text":"  "}`, `field "text" is empty and there is no "html"`},
		{`[1,2]`, "invalid record: want a JSON object, got an array"},
		{`"text"`, "invalid record: want a JSON object, got a string"},
		{`null`, "invalid record: want a JSON object, got null"},
	} {
		_, err := parseJSONLRecord([]byte(tt.line), nil)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.line, err, tt.want)
		}
	}
	for _, line := range []string{`{"url":"https://ex.com/a","views":3}`, `{"url":"https://ex.com/a","meta":{"note":"checked"}}`} {
		if _, err := parseJSONLRecord([]byte(line), nil); err != nil && strings.Contains(err.Error(), "did you mean") {
			t.Errorf("%s: suggested a field that is no candidate: %v", line, err)
		}
	}
}

// A JSONL "published" may be a Unix timestamp, a number or its text, in seconds or
// milliseconds (database and API exports); before, a number was "want a string" and the
// record was rejected. A number that is no time of this web still is.
func TestJSONLUnixPublished(t *testing.T) {
	st := newTestStore(t, "")
	path := filepath.Join(t.TempDir(), "epoch.jsonl")
	var lines []string
	for i, p := range []string{`1709631000`, `"1709631000"`, `1709631000123`, `1709631000.5`, `42`, `"5 March 2024"`} {
		lines = append(lines, fmt.Sprintf(`{"url":"https://example.com/%d","title":"Doc %d","text":"Article %d about the harbour, long enough to stand as a body of its own.","published":%s}`, i, i, i, p))
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := st.Ingest(context.Background(), []string{path}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 5 || sum.Rejected != 1 || !strings.Contains(sum.Rejections[0].Reason, `published "42" is not a date`) || !strings.Contains(sum.Rejections[0].Reason, "Unix seconds") {
		t.Fatalf("summary %+v, want 5 ingested and the record of 42 rejected, naming the forms", sum)
	}
	got := map[string]string{}
	for d, err := range st.Documents(context.Background(), "staged") {
		if err != nil {
			t.Fatal(err)
		}
		got[d.URL] = d.Published
	}
	for i, want := range []string{"2024-03-05T09:30:00Z", "2024-03-05T09:30:00Z", "2024-03-05T09:30:00Z", "2024-03-05T09:30:00Z", "", "2024-03-05T00:00:00Z"} {
		if url := fmt.Sprintf("https://example.com/%d", i); want != "" && got[url] != want {
			t.Errorf("%s: published %q, want %q", url, got[url], want)
		}
	}
}

func TestUnixTime(t *testing.T) {
	for in, want := range map[string]string{
		"1709631000": "2024-03-05T09:30:00Z", "1709631000123": "2024-03-05T09:30:00.123Z", "1709631000.25": "2024-03-05T09:30:00.25Z",
		"123": "", "123456789": "", "9999999999999": "", "99999999999999": "", "170963100x": "", "-1709631000": "", "": "",
	} {
		got := ""
		if tm, ok := unixTime(in); ok {
			got = tm.Format(time.RFC3339Nano)
		}
		if got != want {
			t.Errorf("unixTime(%q) = %q, want %q", in, got, want)
		}
	}
}
