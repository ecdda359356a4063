package corpus

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// checkDecodeAgrees fails when decodeVerified takes its fast path on body and decodes
// anything else than encoding/json would. It reports whether the fast path was taken.
func checkDecodeAgrees[T any](t *testing.T, name string, body []byte, field string) bool {
	t.Helper()
	var want, got T
	werr := json.Unmarshal(body, &want)
	if !decodeField(body, field, &got) {
		return false
	}
	if werr != nil {
		t.Fatalf("%s: fast decoder accepted what encoding/json rejects (%v): %q", name, werr, body)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: fast decoder gave\n%#v\nencoding/json\n%#v\nfrom %q", name, got, want, body)
	}
	return true
}

// checkStoredBodies compares both decoders on every revision and annotation of the
// store behind db, and returns how many rows took the fast path.
func checkStoredBodies(t *testing.T, db *sql.DB) (revs, anns int) {
	t.Helper()
	for _, q := range []struct {
		sql, field string
		n          *int
	}{
		{`SELECT rev, doc FROM revs`, `"ingested_at":`, &revs},
		{`SELECT aid, body FROM anns`, `"created_at":`, &anns},
	} {
		rows, err := db.Query(q.sql)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var body []byte
			if err := rows.Scan(&id, &body); err != nil {
				t.Fatal(err)
			}
			var ok bool
			if q.field == `"ingested_at":` {
				ok = checkDecodeAgrees[schema.Document](t, "rev", body, q.field)
			} else {
				ok = checkDecodeAgrees[schema.Annotation](t, "ann", body, q.field)
			}
			if !ok {
				t.Errorf("row %d: intact stored bytes did not take the fast path: %.200q", id, body)
			}
			*q.n++
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return revs, anns
}

// The fast decoder of the read path decodes real stored records exactly as
// encoding/json does: every field, byline, meta with numbers, provenance, items.
func TestDecodeVerifiedAgrees(t *testing.T) {
	st := newTestStore(t, seedConfig)
	ingest(t, st, IngestOptions{}, testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt"))
	ingest(t, st, IngestOptions{Source: "enc", TimeZone: "UTC"}, testshared.Path(t, "data", "encodings"))
	ingest(t, st, IngestOptions{Source: "rd", TimeZone: "UTC"}, testshared.Path(t, "data", "newspaper4k"))
	ctx := context.Background()
	n := 0
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatal(err)
		}
		a := schema.Annotation{DocID: d.ID, Layer: "sentiment", Annotator: schema.Annotator{Name: "t", Version: "1", Kind: "rule"},
			Items:    []schema.Item{{Label: "pos", Score: schema.Float(0.1 + float64(n)/3)}, {Label: "q\u2028\"<&>", Attrs: map[string]string{"a": "\\x"}}},
			MinScore: schema.Float(1e-7), Meta: map[string]string{"k": "v"}}
		if n%2 == 0 {
			start, end := 0, 3
			a.Items = append(a.Items, schema.Item{Start: &start, End: &end, Text: "abc"})
			a.Skipped = schema.SkippedLanguage
		}
		if _, err := st.PutAnnotation(ctx, a); err != nil {
			t.Fatal(err)
		}
		n++
	}
	revs, anns := checkStoredBodies(t, st.db)
	if revs < 10 || anns != n {
		t.Fatalf("%d revisions, %d annotations checked (%d documents)", revs, anns, n)
	}
	// A bigger corpus when one is named (read only), e.g. the scale benchmark's.
	if root := os.Getenv("NEWSDS_READ_CORPUS"); root != "" {
		big, err := Open(ctx, root)
		if err != nil {
			t.Fatal(err)
		}
		defer big.Close()
		revs, anns := checkStoredBodies(t, big.db)
		t.Logf("%s: %d revisions, %d annotations agree", root, revs, anns)
	}
}

// Edge cases of encoding/json's own output, which is what a verified body is, and
// bodies the fast path must leave to encoding/json.
func TestDecodeVerifiedEdgeCases(t *testing.T) {
	base := schema.Document{ID: "i", URL: "u", Source: "s", Title: "t", Lang: "ar", ContentHash: "c", RawHash: "r",
		IngestedAt: "2026-01-02T03:04:05Z"}
	metas := []map[string]any{
		{"n": json.Number("12345678901234567890"), "f": json.Number("1.50"), "e": json.Number("-0.5e+3"), "z": json.Number("-0")},
		{"tiny": json.Number("4.9e-324"), "big": json.Number("1.7976931348623157e308"), "i": 3, "fl": 0.1},
		{"nested": map[string]any{"a": []any{nil, true, false, "x", 1.5, map[string]any{}}}, "empty": []any{}, "null": nil},
		{"esc": "\"\\/\b\f\n\r\t\u0001\u001f<>&\u2028\u2029\u00e9\U0001F600", "": "empty key", "ключ": "значение"},
		{"dup_of": "x", "tags": []string{"a", "b"}, "canonical_url": "https://x/y?a=1&b=2"},
	}
	for i, m := range metas {
		d := base
		d.Meta = m
		d.Text = "نص\n\nعربي \u200f\u200e \ufeff\x00 <script>&amp;"
		d.Byline = []string{"a", "", "ب"}
		if i%2 == 1 {
			off := int64(1 << 40)
			d.Provenance = &schema.Provenance{Path: "a/b.warc.gz", Format: "warc", WARCRecordID: "<urn:uuid:x>", WARCOffset: &off}
		}
		body, err := marshalDoc(&d)
		if err != nil {
			t.Fatal(err)
		}
		if !checkDecodeAgrees[schema.Document](t, "meta case", body, `"ingested_at":`) {
			t.Errorf("case %d: encoding/json output did not take the fast path: %s", i, body)
		}
	}
	// A number encoding/json cannot hold in a float64 fails its decode; the fast
	// decoder must not turn it into a value.
	d := base
	d.Meta = map[string]any{"huge": json.Number("1e400")}
	body, err := marshalDoc(&d)
	if err != nil {
		t.Fatal(err)
	}
	checkDecodeAgrees[schema.Document](t, "1e400", body, `"ingested_at":`)

	plain, err := marshalDoc(&base)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]string{
		// Fields the struct does not have (a newer writer) are skipped by both.
		"unknown fields": strings.Replace(string(plain), `{"id"`, `{"zz":{"a":[1,"}"]},"id"`, 1),
		"null byline":    strings.Replace(string(plain), `"byline":[]`, `"byline":null`, 1),
		"null meta":      strings.Replace(string(plain), `"meta":{}`, `"meta":null`, 1),
	} {
		if !checkDecodeAgrees[schema.Document](t, name, []byte(b), `"ingested_at":`) {
			t.Errorf("%s: not taken: %s", name, b)
		}
	}
	// What only damage makes: left to encoding/json, whose error or value stands.
	for name, b := range map[string]string{
		"invalid utf-8 in text":    strings.Replace(string(plain), `"title":"t"`, "\"title\":\"t\xff\"", 1),
		"control in ingested_at":   strings.Replace(string(plain), `03:04:05Z`, "03:04\x01:05Z", 1),
		"escape in ingested_at":    strings.Replace(string(plain), `03:04:05Z`, `03:04\u0041:05Z`, 1),
		"non-ascii in ingested_at": strings.Replace(string(plain), `03:04:05Z`, "03:04é:05Z", 1),
		"no ingested_at":           strings.Replace(string(plain), `"ingested_at":`, `"ingested_xx":`, 1),
		"truncated":                string(plain[:len(plain)/2]),
	} {
		var got schema.Document
		if decodeField([]byte(b), `"ingested_at":`, &got) {
			t.Errorf("%s: fast path taken on %q", name, b)
		}
	}
}

// decodeField is decodeVerified on the value of field, as verify calls it.
func decodeField(body []byte, field string, v any) bool {
	start, end, ok := stringField(body, field)
	return ok && decodeVerified(body, start, end, v)
}
