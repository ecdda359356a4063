package corpus

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsds/newsds/config"
)

// newsPleaseFields reads news-please's export keys (maintext, authors, date_publish,
// language, source_domain) as the article fields.
var newsPleaseFields = map[string]string{"text": "maintext", "byline": "authors", "published": "date_publish", "lang": "language", "site_name": "source_domain"}

// With a field mapping, a record written by another tool is read as it is: each mapped
// field from its key, and a key of a mapped field's own name ("text" here, a teaser)
// kept in meta rather than read.
func TestInputsJSONLFieldMapping(t *testing.T) {
	path := filepath.Join("testdata", "read", "fields", "newsplease.jsonl")
	ins, errs := jsonlTestCollect(t, []string{path}, ReadOptions{Fields: newsPleaseFields})
	if len(ins) != 2 || len(errs) != 0 {
		t.Fatalf("got %d inputs, errors %v; want 2 inputs", len(ins), errs)
	}
	want := &GivenFields{
		URL: "https://news.example.com/tram", SiteName: "news.example.com", Title: "City council approves new tram line",
		Byline: []string{"Jane Doe", "Omar Haddad"}, Published: "2024-03-05 09:30:00", Lang: "en",
		Text: "The city council approved a new tram line on Tuesday.\n\nConstruction is due to start next spring, the mayor said.",
		Meta: map[string]any{"text": "teaser: trams are coming"},
	}
	if !reflect.DeepEqual(ins[0].Given, want) {
		t.Errorf("line 1:\n got %#v\nwant %#v", ins[0].Given, want)
	}
	if g := ins[1].Given; g.Lang != "ar" || !strings.HasPrefix(g.Text, "أقر مجلس المدينة") || len(g.Meta) != 0 {
		t.Errorf("line 2: lang %q text %q meta %v", g.Lang, g.Text, g.Meta)
	}

	// Without the mapping the line with no "text" is rejected, saying how to read it
	// (the other reads as an article whose text is its teaser).
	_, errs = jsonlTestCollect(t, []string{path}, ReadOptions{})
	if len(errs) != 1 {
		t.Fatalf("unmapped: %d errors, want 1", len(errs))
	}
	for _, err := range errs {
		if msg := err.Error(); !strings.Contains(msg, `"maintext"`) || !strings.Contains(msg, "--field text=KEY") {
			t.Errorf("unmapped: %v", err)
		}
	}
}

// Every article field a record may give can be read from another key, and then is
// not kept in meta: config.RecordFields and the reader agree.
func TestJSONLFieldMappingEveryField(t *testing.T) {
	values := map[string]any{
		"id": "7", "url": "https://e.example/a", "source": "wire", "site_name": "Wire", "title": "T", "byline": []string{"B"},
		"published": "2024-01-01", "section": "World", "lang": "en", "text": "Body.", "meta": map[string]any{"k": "v"},
		"html": "<html><body><p>Page.</p></body></html>",
	}
	for _, field := range config.RecordFields() {
		t.Run(field, func(t *testing.T) {
			v, ok := values[field]
			if !ok {
				t.Fatalf("no test value for the record field %q", field)
			}
			rec := map[string]any{"x_" + field: v}
			if field != "text" && field != "html" {
				rec["text"] = "Body."
			}
			line, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			in, err := parseJSONLRecord(line, recordKeys{field: "x_" + field})
			if err != nil {
				t.Fatal(err)
			}
			g := in.Given
			got := map[string]any{
				"id": g.ID, "url": g.URL, "source": g.Source, "site_name": g.SiteName, "title": g.Title, "byline": g.Byline,
				"published": g.Published, "section": g.Section, "lang": g.Lang, "text": g.Text, "html": string(in.Raw.Data),
			}
			switch field {
			case "meta":
				if !reflect.DeepEqual(g.Meta, v) {
					t.Errorf("meta %v, want %v", g.Meta, v)
				}
			case "html":
				if !g.HasHTML || got["html"] != v {
					t.Errorf("html not read: has %v, raw %q", g.HasHTML, in.Raw.Data)
				}
			default:
				if !reflect.DeepEqual(got[field], v) {
					t.Errorf("%s = %#v, want %#v", field, got[field], v)
				}
			}
			if _, kept := g.Meta["x_"+field]; kept && field != "meta" {
				t.Errorf("the mapped key is also kept in meta: %v", g.Meta)
			}
		})
	}
}

// Errors name the record's own keys: the mapped text key, and a mapped key that holds
// the wrong kind of value.
func TestJSONLFieldMappingMessages(t *testing.T) {
	keys := recordKeys{"text": "body", "byline": "writers"}
	for _, tt := range []struct{ line, want string }{
		{`{"title":"A","content":"One."}`, `record has neither "body" nor "html"; did you mean "content"? (read it as the text with --field text=content`},
		{`{"title":"A","body":" "}`, `field "body" is empty and there is no "html"`},
		{`{"body":"One.","writers":{"a":1}}`, `field "writers": `},
	} {
		_, err := parseJSONLRecord([]byte(tt.line), keys)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.line, err, tt.want)
		}
	}
}

// Ingest reads JSON and JSONL with newsds.yaml's ingest.fields, --field over it (the
// deferred JSONL path parses on the workers with the same mapping), and a new mapping
// is new work: an input ingested under another mapping is not counted unchanged.
func TestIngestFieldMapping(t *testing.T) {
	st := newTestStore(t, "ingest:\n  fields:\n    text: maintext\n    byline: authors\n    published: date_publish\n    lang: language\n")
	jsonl := filepath.Join("testdata", "read", "fields", "newsplease.jsonl")
	sum := ingest(t, st, IngestOptions{}, jsonl)
	if sum.Ingested != 2 || sum.Rejected != 0 {
		t.Fatalf("ingest: %+v", sum)
	}
	docs := staged(t, st)
	byURL := map[string]int{}
	for i, d := range docs {
		byURL[d.URL] = i
	}
	en := docs[byURL["https://news.example.com/tram"]]
	if !strings.HasPrefix(en.Text, "The city council approved") || !reflect.DeepEqual(en.Byline, []string{"Jane Doe", "Omar Haddad"}) ||
		en.Lang != "en" || !strings.HasPrefix(en.Published, "2024-03-05T09:30:00") {
		t.Errorf("en document: text %q byline %v lang %q published %+v", en.Text, en.Byline, en.Lang, en.Published)
	}
	if again := ingest(t, st, IngestOptions{}, jsonl); again.Unchanged != 2 {
		t.Errorf("same mapping again: %+v, want 2 unchanged", again)
	}
	// --field title=text reads the teaser as the title (and the line without one has
	// none): both documents change, their texts do not.
	retitled := ingest(t, st, IngestOptions{Fields: map[string]string{"title": "text"}}, jsonl)
	if retitled.Unchanged != 0 || retitled.Updated != 2 || retitled.Modified != 0 {
		t.Errorf("another mapping: %+v, want both updated, none unchanged", retitled)
	}
	for _, d := range staged(t, st) {
		if want := map[string]string{"https://news.example.com/tram": "teaser: trams are coming"}[d.URL]; d.Title != want {
			t.Errorf("%s: title %q, want %q", d.URL, d.Title, want)
		}
	}
	if _, err := st.Ingest(context.Background(), []string{jsonl}, IngestOptions{Fields: map[string]string{"title": "authors"}}); err == nil ||
		!strings.Contains(err.Error(), `--field title: "authors" is already the key of the field byline`) {
		t.Errorf("a --field clashing with ingest.fields: %v", err)
	}

	one := filepath.Join("testdata", "read", "fields", "scrape.record.json")
	sum = ingest(t, st, IngestOptions{Fields: map[string]string{"text": "content", "byline": "author"}}, one)
	if sum.Ingested != 1 || sum.Rejected != 0 {
		t.Fatalf("record.json: %+v", sum)
	}
}

// The Spark job's extract step reads with the same mapping, from newsds.yaml and from
// its options.
func TestExtractorFieldMapping(t *testing.T) {
	cfg, err := config.Parse(config.FileName, []byte("ingest:\n  fields:\n    text: maintext\n"))
	if err != nil {
		t.Fatal(err)
	}
	jsonl := filepath.Join("testdata", "read", "fields", "newsplease.jsonl")
	for _, opts := range []IngestOptions{{}, {Fields: map[string]string{"byline": "authors"}}} {
		ex, err := NewExtractor(cfg, opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []Extracted
		for x := range ex.Inputs(context.Background(), []string{jsonl}) {
			got = append(got, x)
		}
		if len(got) != 2 || got[0].Err != nil || got[1].Err != nil {
			t.Fatalf("options %+v: %+v", opts, got)
		}
		if d := got[1].Doc; !strings.HasPrefix(d.Text, "أقر مجلس المدينة") || (opts.Fields != nil) != (len(d.Byline) == 1) {
			t.Errorf("options %+v: text %q byline %v", opts, d.Text, d.Byline)
		}
	}
}

// Keys that other tools give document fields ("author", "date") are kept as meta when
// the record lacks the field, and the summary counts them per key so ingest can say how
// to read them; a record that gives the field, or a mapping that reads the key, has none.
func TestIngestUnreadFields(t *testing.T) {
	st := newTestStore(t, "")
	path := filepath.Join(t.TempDir(), "other-tool.jsonl")
	body := `"text":"The town harbour reopened on Friday after three weeks of repairs to the quay."`
	lines := []string{
		`{"url":"https://example.com/1","author":"Jane Smith","date":"March 3, 2025",` + body + `}`,
		`{"url":"https://example.com/2","author":"Omar Haddad","headline":"Harbour reopens",` + body + `}`,
		`{"url":"https://example.com/3","author":"Omar Haddad","byline":"Omar Haddad","title":"Given",` + body + `}`,
		`{"url":"https://example.com/4","author":"",` + body + `}`,
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := st.Ingest(context.Background(), []string{path}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []UnreadField{{Key: "author", Field: "byline", Records: 2}, {Key: "date", Field: "published", Records: 1}, {Key: "headline", Field: "title", Records: 1}}
	if !reflect.DeepEqual(sum.UnreadFields, want) {
		t.Errorf("unread fields %+v, want %+v", sum.UnreadFields, want)
	}
	sum = ingest(t, st, IngestOptions{Fields: map[string]string{"byline": "author", "published": "date", "title": "headline"}}, path)
	if len(sum.UnreadFields) != 0 {
		t.Errorf("mapped: unread fields %+v, want none", sum.UnreadFields)
	}
}
