package corpus

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// compactAgrees fails when the compact decoder accepts body and decodes anything else
// than encoding/json; it reports whether it accepted.
func compactAgrees[T any](t *testing.T, name string, body []byte, decode func([]byte, *T) bool) bool {
	t.Helper()
	var want, got T
	werr := json.Unmarshal(body, &want)
	if !decode(body, &got) {
		return false
	}
	if werr != nil {
		t.Fatalf("%s: compact decoder accepted what encoding/json rejects (%v): %q", name, werr, body)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: compact decoder gave\n%#v\nencoding/json\n%#v\nfrom %q", name, got, want, body)
	}
	return true
}

// fill sets every field reachable from v to a value encoding/json writes (strings with
// escapes and non-ASCII text, numbers, non-nil pointers, lists and maps of one entry),
// so that a field added to schema.Document or schema.Annotation without teaching the
// compact decoder its key fails TestCompactDecoderKnowsEveryField.
func fill(v reflect.Value, n int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("v\"\\\n<&>\u2028é ب " + strings.Repeat("x", n))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(n + 1))
	case reflect.Float64:
		v.SetFloat(0.25 + float64(n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n+i)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		val := reflect.New(v.Type().Elem()).Elem()
		if val.Kind() == reflect.Interface {
			val.Set(reflect.ValueOf("any"))
		} else {
			fill(val, n)
		}
		v.SetMapIndex(reflect.ValueOf("k\u00e9"), val)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n+i)
		}
	}
}

func TestCompactDecoderKnowsEveryField(t *testing.T) {
	var d schema.Document
	fill(reflect.ValueOf(&d).Elem(), 0)
	d.IngestedAt = "2026-01-02T03:04:05Z"
	body, err := marshalDoc(&d)
	if err != nil {
		t.Fatal(err)
	}
	if !compactAgrees(t, "document", body, decodeCompactDocument) {
		t.Fatalf("a document with every field set is declined: %s", body)
	}
	var a schema.Annotation
	fill(reflect.ValueOf(&a).Elem(), 0)
	a.Stale = false
	body, err = json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !compactAgrees(t, "annotation", body, decodeCompactAnnotation) {
		t.Fatalf("an annotation with every field set is declined: %s", body)
	}
	// And with every omitempty field empty and every pointer nil.
	for _, b := range []any{schema.Document{}, schema.Annotation{}, schema.Annotation{Items: []schema.Item{{}}}} {
		body, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var ok bool
		if _, isDoc := b.(schema.Document); isDoc {
			ok = compactAgrees(t, "empty document", body, decodeCompactDocument)
		} else {
			ok = compactAgrees(t, "empty annotation", body, decodeCompactAnnotation)
		}
		if !ok {
			t.Errorf("declined: %s", body)
		}
	}
}

// Real stored bodies take the compact path and agree with encoding/json.
func TestCompactDecoderStoredBodies(t *testing.T) {
	st := newTestStore(t, seedConfig)
	ingest(t, st, IngestOptions{}, testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt"))
	ingest(t, st, IngestOptions{Source: "rd", TimeZone: "UTC"}, testshared.Path(t, "data", "newspaper4k"))
	ctx := context.Background()
	docs := 0
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatal(err)
		}
		start, end := 0, 2
		text, err := schema.SliceCP(d.Text, start, end)
		if err != nil {
			t.Fatal(err)
		}
		a := schema.Annotation{DocID: d.ID, Layer: schema.LayerSentiment, Annotator: schema.Annotator{Name: "t", Version: "1", Kind: schema.KindModel},
			Items: []schema.Item{{Label: "positive", Score: schema.Float(0.5), Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}},
				{Start: &start, End: &end, Label: "neutral", Text: text, Attrs: map[string]string{schema.AttrScope: schema.ScopeParagraph, schema.AttrParagraph: "0"}}}}
		if _, err := st.PutAnnotation(ctx, a); err != nil {
			t.Fatal(err)
		}
		docs++
	}
	n := map[string]int{}
	for _, q := range []string{`SELECT doc FROM revs`, `SELECT body FROM anns`} {
		rows, err := st.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var body []byte
			if err := rows.Scan(&body); err != nil {
				t.Fatal(err)
			}
			var ok bool
			if strings.Contains(q, "revs") {
				ok = compactAgrees(t, "revision", body, decodeCompactDocument)
			} else {
				ok = compactAgrees(t, "annotation", body, decodeCompactAnnotation)
			}
			if !ok && !strings.Contains(string(body), `"meta":{"`) {
				t.Errorf("%s: declined: %.300s", q, body)
			}
			if ok {
				n[q]++
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if n[`SELECT doc FROM revs`] == 0 || n[`SELECT body FROM anns`] != docs {
		t.Fatalf("compact path taken on %v of %d documents", n, docs)
	}
}

// What encoding/json does not write, or writes only from damage, is declined, so that
// the general decoders (and their errors) decide.
func TestCompactDecoderDeclines(t *testing.T) {
	plain, err := marshalDoc(&schema.Document{ID: "i", Text: "a\nb", IngestedAt: "2026-01-02T03:04:05Z"})
	if err != nil {
		t.Fatal(err)
	}
	p := string(plain)
	for name, b := range map[string]string{
		"invalid utf-8":    strings.Replace(p, `"a\nb"`, "\"a\xffb\"", 1),
		"control byte":     strings.Replace(p, `"a\nb"`, "\"a\x01b\"", 1),
		"surrogate escape": strings.Replace(p, `"a\nb"`, `"a\ud83d\ude00b"`, 1),
		"bad escape":       strings.Replace(p, `"a\nb"`, `"a\qb"`, 1),
		"whitespace":       strings.Replace(p, `"id":"i"`, `"id": "i"`, 1),
		"unknown key":      strings.Replace(p, `{"id"`, `{"zz":1,"id"`, 1),
		"keys reordered":   strings.Replace(p, `"url":"","source":""`, `"source":"","url":""`, 1),
		"nested meta":      strings.Replace(p, `"meta":{}`, `"meta":{"a":[1]}`, 1),
		"huge number":      strings.Replace(p, `"meta":{}`, `"meta":{"a":1e400}`, 1),
		"leading zero":     strings.Replace(p, `"meta":{}`, `"meta":{"a":01}`, 1),
		"null string":      strings.Replace(p, `"url":""`, `"url":null`, 1),
		"trailing bytes":   p + " ",
		"truncated":        p[:len(p)-1],
		"unterminated":     p[:strings.Index(p, `\n`)],
	} {
		var d schema.Document
		if decodeCompactDocument([]byte(b), &d) {
			t.Errorf("%s: accepted %q", name, b)
		}
	}
	ann, err := json.Marshal(schema.Annotation{Items: []schema.Item{{Start: schema.Int(1), End: schema.Int(2)}}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(ann)
	for name, b := range map[string]string{
		"fractional offset": strings.Replace(s, `"start":1`, `"start":1.0`, 1),
		"exponent offset":   strings.Replace(s, `"start":1`, `"start":1e0`, 1),
		"overflow":          strings.Replace(s, `"start":1`, `"start":99999999999999999999`, 1),
		"null attr value":   strings.Replace(s, `"end":2}`, `"end":2,"attrs":{"a":null}}`, 1),
	} {
		var a schema.Annotation
		if decodeCompactAnnotation([]byte(b), &a) {
			t.Errorf("%s: accepted %q", name, b)
		}
	}
}

// Whatever the compact decoder accepts, encoding/json decodes to the same value.
func FuzzCompactDecoder(f *testing.F) {
	for _, d := range []schema.Document{
		{ID: "a", Byline: []string{"x"}, Text: "نص\n\n\"q\" \\ \u2028 <&>", Meta: map[string]any{"n": 1.5, "b": true, "z": nil, "s": "v"}},
		{Provenance: &schema.Provenance{Path: "p", WARCOffset: new(int64), Line: 3}},
	} {
		b, err := marshalDoc(&d)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	ann, err := json.Marshal(schema.Annotation{DocID: "d", MinScore: schema.Float(0.1), Meta: map[string]string{"k": "v"},
		Items: []schema.Item{{Start: schema.Int(0), End: schema.Int(3), Label: "x", Score: schema.Float(-1e-9), Text: "a\tb", Attrs: map[string]string{"t": "1"}}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ann)
	f.Fuzz(func(t *testing.T, body []byte) {
		compactAgrees(t, "document", body, decodeCompactDocument)
		compactAgrees(t, "annotation", body, decodeCompactAnnotation)
	})
}

// plainText is utf8.Valid and the absence of bytes below 0x20, on every cut of texts
// mixing ASCII runs, Arabic, three- and four-byte runes and invalid sequences
// (overlong forms, surrogates, stray and missing continuation bytes, controls).
func TestPlainText(t *testing.T) {
	oracle := func(b []byte) bool {
		for _, c := range b {
			if c < 0x20 {
				return false
			}
		}
		return utf8.Valid(b)
	}
	parts := []string{"plain ascii words ", "وقال المتحدث ", "€ 中文 ", "👍🏽", "\t", "\x1f", "\x7f", "\xc0\x80", "\xc1\xbf",
		"\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf8", "\x80", "\xd8", "\xe2\x82", "\xdf\xbf", "\xef\xbf\xbd"}
	for i, a := range parts {
		for _, b := range parts {
			for _, c := range parts[:i+1] {
				s := []byte(a + b + "abcdefgh" + c + a)
				for cut := 0; cut <= len(s); cut++ {
					if got, want := plainText(s[:cut]), oracle(s[:cut]); got != want {
						t.Fatalf("plainText(%q) = %v, want %v", s[:cut], got, want)
					}
				}
			}
		}
	}
}
