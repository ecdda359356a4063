package corpus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/newsds/newsds/schema"
)

// JSONL input: one JSON object per line. The document fields are
//
//	id, url, source, site_name, title, byline (a list of names or one string),
//	published, section, lang, text, meta (an object), html
//
// each optional, but a line needs text or html. With html the record is extracted
// like a page (Raw.Format "html", Raw.Data the html) and the given fields override
// what extraction finds. Without html nothing is extracted: Raw.Format is "" and
// Raw.Data is the line itself, and the document is built from Given (a line break in
// the text ends a paragraph as in a plain-text scrape, see givenText). A field mapping
// (ReadOptions.Fields) reads these fields from other keys. Other top-level
// keys go into Given.Meta, except the ones `newsds export` computes (content_hash,
// raw_hash, ingested_at, dup_of, provenance: the line read is the new provenance), so
// an export can be ingested again. Blank lines are skipped; a bad line is a
// RecordError naming it ("line 12") and reading goes on.

// jsonlComputedKeys are export fields that ingest recomputes rather than keeps.
var jsonlComputedKeys = map[string]bool{"content_hash": true, "raw_hash": true, "ingested_at": true, "dup_of": true, "provenance": true}

// readJSONL yields one Input per non-blank line of r.
func readJSONL(ctx context.Context, r *bufio.Reader, src inputSource, yield func(Input, error) bool) bool {
	blank := true // every line so far was blank
	for n := 1; ; n++ {
		if ctx.Err() != nil {
			return false
		}
		line, err := readJSONLLine(r, src.maxBytes)
		record := "line " + strconv.Itoa(n)
		if errors.Is(err, ErrTooLarge) {
			if !yield(Input{}, &RecordError{Path: src.path, Record: record, Err: err}) {
				return false
			}
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return yield(Input{}, &RecordError{Path: src.path, Record: record, Err: err})
		}
		if len(bytes.TrimSpace(line)) > 0 {
			blank = false
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if trimmed := bytes.TrimSpace(line); n == 1 && (string(trimmed) == "{" || string(trimmed) == "[") {
			// Every further line would be rejected on its own, with no word on the cause.
			return yield(Input{}, &RecordError{Path: src.path, Err: errors.New(
				"read as JSON lines, but the first line is a lone " + strconv.Quote(string(trimmed)) +
					": this is one pretty-printed JSON document (name it .json or use --format json)")})
		} else if len(trimmed) > 0 && src.deferJSONL {
			in := Input{Raw: Raw{Data: bytes.Clone(trimmed), Path: src.path, Record: record, ModTime: src.modTime},
				Provenance: src.prov, Unparsed: true}
			in.Provenance.Line = int64(n)
			if !yield(in, nil) {
				return false
			}
		} else if len(trimmed) > 0 {
			in, perr := parseJSONLRecord(trimmed, src.keys)
			if perr != nil {
				if !yield(Input{}, &RecordError{Path: src.path, Record: record, Err: perr}) {
					return false
				}
			} else {
				in.Raw.Path, in.Raw.Record, in.Raw.ModTime = src.path, record, src.modTime
				in.Provenance = src.prov
				in.Provenance.Line = int64(n)
				if !yield(in, nil) {
					return false
				}
			}
		}
		if err != nil { // io.EOF after the last line
			if blank {
				return yield(Input{}, &RecordError{Path: src.path, Err: fmt.Errorf("%w: the file holds only blank lines, no JSON records", ErrEmpty)})
			}
			return true
		}
	}
}

// parseDeferred parses a line that readJSONL yielded unparsed, into the Input it would
// have yielded under the same field mapping (a bad line is the same RecordError).
func parseDeferred(in Input, keys recordKeys) (Input, error) {
	// The line is already a copy readJSONL made for this input alone: the record keeps
	// it rather than copying it again.
	out, err := parseJSONLRecordOwned(in.Raw.Data, keys, true)
	if err != nil {
		return Input{}, &RecordError{Path: in.Raw.Path, Record: in.Raw.Record, Err: err}
	}
	out.Raw.Path, out.Raw.Record, out.Raw.ModTime = in.Raw.Path, in.Raw.Record, in.Raw.ModTime
	out.Provenance = in.Provenance
	return out, nil
}

// readJSONLLine returns the next line without its terminator, reading lines of any length
// up to max bytes. A longer line is consumed and reported as ErrTooLarge. At the end
// of input it returns the last (possibly empty) line with io.EOF. The line may be r's
// own buffer, valid until the next read: a line that fits it is not copied, since
// every caller copies what it keeps.
func readJSONLLine(r *bufio.Reader, max int64) ([]byte, error) {
	var line []byte
	tooLarge := false
	for first := true; ; first = false {
		chunk, err := r.ReadSlice('\n')
		if first && !errors.Is(err, bufio.ErrBufferFull) && int64(len(chunk)) <= max+1 {
			line = chunk
		} else if !tooLarge {
			if int64(len(line)+len(chunk)) > max+1 { // +1: the '\n' is not content
				tooLarge, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if tooLarge {
			if err == nil || errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%w: line longer than %d bytes", ErrTooLarge, max)
			}
			return nil, err
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if int64(len(line)) > max {
			return nil, fmt.Errorf("%w: line longer than %d bytes", ErrTooLarge, max)
		}
		return line, err
	}
}

// noBodyError is a record with neither a text nor an html field, under the keys the
// field mapping reads them from.
type noBodyError struct{ textKey, htmlKey string }

func (e noBodyError) Error() string {
	return fmt.Sprintf("record has neither %q nor %q", e.textKey, e.htmlKey)
}

// missingBodyError says a record has no body; where another of its fields holds text
// ("body", "content"), it names it and how to read it, since such fields go to meta
// unread.
func missingBodyError(keys recordKeys, hadText bool, textFields []string) error {
	noBody := noBodyError{keys.of("text"), keys.of("html")}
	if hadText {
		return fmt.Errorf("field %q is empty and there is no %q", noBody.textKey, noBody.htmlKey)
	}
	quoted := make([]string, len(textFields))
	for i, k := range slices.Sorted(slices.Values(textFields)) {
		quoted[i] = strconv.Quote(k)
	}
	switch len(quoted) {
	case 0:
		return noBody
	case 1:
		return fmt.Errorf("%w; did you mean %s? (read it as the text with --field text=%s, or text: %s under ingest.fields in newsds.yaml; html=KEY for a page; other fields are kept as meta)",
			noBody, quoted[0], textFields[0], textFields[0])
	}
	return fmt.Errorf("%w; did you mean one of %s? (read the one holding the article as its text with --field text=KEY, or under ingest.fields in newsds.yaml; html=KEY for a page; other fields are kept as meta)",
		noBody, strings.Join(quoted, ", "))
}

// withArticle puts "a" or "an" before a JSON kind ("an array", "a string").
func withArticle(kind string) string {
	if kind == "array" {
		return "an array"
	}
	return "a " + kind
}

// parseJSONLRecord decodes one line into an Input, reading each field from its key
// under keys.
//
// JSON text must be UTF-8 (RFC 8259 section 8.1), and encoding/json would turn each
// invalid byte into U+FFFD without a word: a line with invalid UTF-8 is rejected,
// located at its first bad byte, so nothing is silently changed.
func parseJSONLRecord(line []byte, keys recordKeys) (Input, error) {
	return parseJSONLRecordOwned(line, keys, false)
}

func hasKey(obj map[string]json.RawMessage, key string) bool {
	_, ok := obj[key]
	return ok
}

// recordKeys maps article fields to the record keys that hold them (config
// Ingest.Fields); a field it does not name is read from its own key. nil reads every
// field from its own key.
type recordKeys map[string]string

func (k recordKeys) of(field string) string {
	if key, ok := k[field]; ok {
		return key
	}
	return field
}

// parseJSONLRecordOwned is parseJSONLRecord; owned says line belongs to the record
// (nothing else writes or reuses it), so Raw.Data may be line itself.
func parseJSONLRecordOwned(line []byte, keys recordKeys, owned bool) (Input, error) {
	if !utf8.Valid(line) {
		return Input{}, fmt.Errorf("invalid UTF-8 at byte %d of the record: JSON must be UTF-8; re-encode the file (e.g. iconv -f CHARSET -t UTF-8)", invalidUTF8Offset(line))
	}
	obj, ok := splitJSONObject(line)
	if !ok {
		obj = nil
		if err := json.Unmarshal(line, &obj); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				return Input{}, fmt.Errorf("invalid record: want a JSON object, got %s", withArticle(jsonValueKind(bytes.TrimSpace(line))))
			}
			return Input{}, fmt.Errorf("invalid JSON: %w", err)
		}
	}
	if obj == nil {
		return Input{}, errors.New("invalid record: want a JSON object, got null")
	}
	g := &GivenFields{}
	var html string
	_, hadText := obj[keys.of("text")]
	strField := func(field string, dst *string) error {
		key := keys.of(field)
		v, ok := obj[key]
		if !ok {
			return nil
		}
		delete(obj, key)
		if s, ok := fastJSONString(v); ok {
			*dst = s
			return nil
		}
		s, err := jsonString(v)
		if err != nil {
			// Exports from databases and APIs give the time as a Unix timestamp; its
			// decimal text goes to the date parser like any written date.
			var num json.Number
			if field == "published" && json.Unmarshal(v, &num) == nil {
				*dst = num.String()
				return nil
			}
			return fmt.Errorf("field %q: %w", key, err)
		}
		*dst = s
		return nil
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"url", &g.URL}, {"source", &g.Source}, {"site_name", &g.SiteName}, {"title", &g.Title},
		{"published", &g.Published}, {"section", &g.Section}, {"lang", &g.Lang}, {"text", &g.Text},
		{"html", &html},
	} {
		if err := strField(f.key, f.dst); err != nil {
			return Input{}, err
		}
	}
	if key := keys.of("id"); hasKey(obj, key) {
		v := obj[key]
		delete(obj, key)
		// Numeric ids from other tools are kept as their decimal text.
		var num json.Number
		if err := json.Unmarshal(v, &num); err == nil {
			g.ID = num.String()
		} else if g.ID, err = jsonString(v); err != nil {
			return Input{}, fmt.Errorf("field %q: want a string or number", key)
		}
	}
	if key := keys.of("byline"); hasKey(obj, key) {
		v := obj[key]
		delete(obj, key)
		var err error
		if g.Byline, err = jsonByline(v); err != nil {
			return Input{}, fmt.Errorf("field %q: %w", key, err)
		}
	}
	if key := keys.of("meta"); hasKey(obj, key) {
		v := obj[key]
		delete(obj, key)
		if !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			m, err := decodeJSONValue(v)
			if err != nil {
				return Input{}, fmt.Errorf("field %q: %w", key, err)
			}
			mm, ok := m.(map[string]any)
			if !ok {
				return Input{}, fmt.Errorf("field %q: want an object", key)
			}
			g.Meta = mm
		}
	}
	var textFields []string // unknown top-level fields holding text, for missingBodyError
	for k, v := range obj {
		if jsonlComputedKeys[k] {
			continue
		}
		val, err := decodeJSONValue(v)
		if err != nil {
			return Input{}, fmt.Errorf("field %q: %w", k, err)
		}
		if s, ok := val.(string); ok && strings.TrimSpace(s) != "" {
			textFields = append(textFields, k)
		}
		if g.Meta == nil {
			g.Meta = map[string]any{}
		}
		if _, taken := g.Meta[k]; !taken {
			g.Meta[k] = val
		}
	}
	if strings.TrimSpace(html) != "" {
		g.HasHTML = true
		// The html was a JSON string, so it is UTF-8 whatever its <meta charset> says.
		return Input{Raw: Raw{Data: []byte(html), Format: FormatHTML, URL: g.URL, ContentType: "text/html; charset=utf-8"}, Given: g}, nil
	}
	if strings.TrimSpace(g.Text) == "" {
		return Input{}, missingBodyError(keys, hadText, textFields)
	}
	data := line
	if !owned {
		data = bytes.Clone(line)
	}
	return Input{Raw: Raw{Data: data, URL: g.URL}, Given: g}, nil
}

// fieldAliases are the keys other tools give document fields ("author", "date"). A record
// that has one and lacks the field keeps it as meta, unread; ingest says how to read it
// (IngestSummary.UnreadFields) rather than guess: "date" may be the crawl's.
var fieldAliases = map[string]string{
	"author": "byline", "authors": "byline", "author_name": "byline", "author_names": "byline",
	"writer": "byline", "writers": "byline", "creator": "byline", "reporter": "byline",
	"date": "published", "pubdate": "published", "pub_date": "published", "published_at": "published",
	"publish_date": "published", "published_date": "published", "publication_date": "published",
	"date_published": "published", "datepublished": "published", "publishedat": "published",
	"headline": "title", "heading": "title",
	"link": "url", "href": "url", "permalink": "url", "article_url": "url", "canonical_url": "url", "source_url": "url",
	"category": "section", "rubric": "section", "desk": "section",
	"site": "site_name", "publisher": "site_name", "publication": "site_name", "outlet": "site_name",
}

// UnreadField is a key of JSON records that looks like a document field those records
// did not give, kept as meta: --field FIELD=KEY reads it.
type UnreadField struct {
	Key     string `json:"key"`
	Field   string `json:"field"`
	Records int    `json:"records"`
}

// unreadFields lists the meta keys of a document read from a JSON record that name a
// field the document lacks.
func unreadFields(doc schema.Document) []UnreadField {
	var out []UnreadField
	for k, v := range doc.Meta {
		field, ok := fieldAliases[strings.ToLower(k)]
		if !ok || v == nil || v == "" {
			continue
		}
		missing := false
		switch field {
		case "byline":
			missing = len(doc.Byline) == 0
		case "published":
			missing = doc.Published == ""
		case "title":
			missing = doc.Title == ""
		case "url":
			missing = doc.URL == ""
		case "section":
			missing = doc.Section == ""
		case "site_name":
			missing = doc.SiteName == ""
		}
		if missing {
			out = append(out, UnreadField{Key: k, Field: field, Records: 1})
		}
	}
	return out
}

// addUnreadFields counts fields into the sorted list into.
func addUnreadFields(into []UnreadField, fields []UnreadField) []UnreadField {
	for _, f := range fields {
		i, found := slices.BinarySearchFunc(into, f, func(a, b UnreadField) int {
			return strings.Compare(a.Key+"\x00"+a.Field, b.Key+"\x00"+b.Field)
		})
		if found {
			into[i].Records += f.Records
		} else {
			into = slices.Insert(into, i, f)
		}
	}
	return into
}

// jsonString decodes a JSON string; null gives "".
func jsonString(v json.RawMessage) (string, error) {
	var s *string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", errors.New("want a string")
	}
	if s == nil {
		return "", nil
	}
	return *s, nil
}

// jsonByline accepts a list of names, one string, or null.
func jsonByline(v json.RawMessage) ([]string, error) {
	var list []*string
	if err := json.Unmarshal(v, &list); err == nil {
		var names []string
		for _, s := range list {
			if s != nil && strings.TrimSpace(*s) != "" {
				names = append(names, *s)
			}
		}
		return names, nil
	}
	s, err := jsonString(v)
	if err != nil {
		return nil, errors.New("want a list of strings or a string")
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	return []string{s}, nil
}

// decodeJSONValue decodes any JSON value, keeping numbers exact (json.Number) so view
// counts and ids survive unchanged.
func decodeJSONValue(v json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// JSON input (.json, or content that opens with "[" or a lone "{" line): one JSON
// document, either one article object (the fields of a JSONL line) or an array of them.
// Array elements are records "item 1", "item 2", ...; a bad element is rejected like a
// bad JSONL line. Anything else (a string, a number, an object that is no article, such
// as a gold.json index, broken JSON) is one RecordError for the whole file that says so.

// readJSONDocument yields the articles of one JSON document.
func readJSONDocument(ctx context.Context, r io.Reader, src inputSource, yield func(Input, error) bool) bool {
	fail := func(format string, a ...any) bool {
		return yield(Input{}, &RecordError{Path: src.path, Err: fmt.Errorf("json document: "+format, a...)})
	}
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3) // the three bytes just peeked
	}
	first, err := firstByte(br)
	switch {
	case errors.Is(err, io.EOF):
		return fail("the file is empty; want an article object or an array of them")
	case err != nil:
		return fail("read: %v", err)
	}
	dec := json.NewDecoder(br)
	switch first {
	case '{':
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail("invalid JSON: %v", err)
		}
		if int64(len(raw)) > src.maxBytes {
			return yield(Input{}, &RecordError{Path: src.path, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, src.maxBytes)})
		}
		if err := trailing(dec); err != nil {
			return fail("%v", err)
		}
		in, perr := parseJSONLRecord(raw, src.keys)
		if perr != nil {
			return fail("%s", notAnArticle(raw, perr))
		}
		in.Raw.Path, in.Raw.ModTime = src.path, src.modTime
		in.Provenance = src.prov
		return yield(in, nil)
	case '[':
		if _, err := dec.Token(); err != nil {
			return fail("invalid JSON: %v", err)
		}
	default:
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return fail("invalid JSON: %v", err)
		}
		return fail("the file holds a JSON %s; want an article object or an array of them", jsonValueKind(v))
	}
	for n := 1; dec.More(); n++ {
		if ctx.Err() != nil {
			return false
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail("item %d: invalid JSON: %v", n, err)
		}
		record := "item " + strconv.Itoa(n)
		if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
			return fail("item %d is a JSON %s; want an array of article objects", n, jsonValueKind(t))
		}
		if int64(len(raw)) > src.maxBytes {
			if !yield(Input{}, &RecordError{Path: src.path, Record: record, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, src.maxBytes)}) {
				return false
			}
			continue
		}
		in, perr := parseJSONLRecord(raw, src.keys)
		if perr != nil {
			if !yield(Input{}, &RecordError{Path: src.path, Record: record, Err: perr}) {
				return false
			}
			continue
		}
		in.Raw.Path, in.Raw.Record, in.Raw.ModTime = src.path, record, src.modTime
		in.Provenance = src.prov
		in.Provenance.Item = int64(n)
		if !yield(in, nil) {
			return false
		}
	}
	if _, err := dec.Token(); err != nil {
		return fail("invalid JSON: %v", err)
	}
	if err := trailing(dec); err != nil {
		return fail("%v", err)
	}
	return true
}

// firstByte returns the first byte of r that is not JSON white space, unread.
func firstByte(r *bufio.Reader) (byte, error) {
	for {
		b, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' {
			return b, r.UnreadByte()
		}
	}
}

// trailing reports data after the document's one value.
func trailing(dec *json.Decoder) error {
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("more data after the JSON document; one JSON value per line is JSON lines (name the file .jsonl or use --format jsonl)")
	}
	return nil
}

// notAnArticle explains why an object is not an article, naming a few of its keys: a
// gold.json or a config file read as input is the usual case.
func notAnArticle(raw []byte, err error) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil || len(obj) == 0 {
		return err.Error()
	}
	var noBody noBodyError
	if errors.As(err, &noBody) {
		err = noBody // the keys are listed below: no field to suggest
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	more := ""
	if len(keys) > 3 {
		keys, more = keys[:3], fmt.Sprintf(" and %d more", len(obj)-3)
	}
	return fmt.Sprintf("the object is not an article (%v; its keys are %s%s); want an article object with text or html (--field text=KEY reads another key as the text), or an array of them",
		err, strings.Join(keys, ", "), more)
}

func jsonValueKind(b []byte) string {
	if len(b) == 0 {
		return "value"
	}
	switch b[0] {
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// invalidUTF8Offset is the offset of the first byte of b that is not UTF-8, len(b) if none.
func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}
