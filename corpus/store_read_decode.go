package corpus

import (
	"bytes"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/newsds/newsds/schema"
)

// compactDecoder decodes a stored revision or annotation body in the exact form
// encoding/json writes it (marshalDoc, PutAnnotation): no whitespace, the struct's keys
// in field order, omitempty fields left out when empty, strings in valid UTF-8 with
// encoding/json's escapes. Anything else — another key order, an unknown field, nested
// meta values, a surrogate escape, invalid UTF-8, a number a float64 cannot hold —
// makes it decline (ok false) without a guess, and decodeVerified takes the general
// decoders; on what it accepts it gives what encoding/json gives (TestCompactDecoder*).
//
// Why: on a release of 20,000 news documents, goccy/go-json decoding the stored bodies
// was ~0.7 CPU-s, most of it scanning long strings byte by byte; the texts (and a
// sentiment annotation repeats every paragraph's text) make up nearly all the bytes, and
// here they are found with bytes.IndexByte and copied in one piece.
//
// All strings of one body are views of one buffer the decoder fills (as goccy's strings
// are views of its copy of the body), so a body costs one allocation for its strings;
// the labels and attribute names of the built-in layers are the package's constants.
type compactDecoder struct {
	in []byte
	i  int
	// arena holds the decoded bytes of every string; it is allocated with the capacity
	// of the body, which no sum of unescaped strings can exceed, so it never moves.
	arena []byte
	// ints and floats are slabs for the *int and *float64 fields of items.
	ints   []int
	floats []float64
}

func newCompactDecoder(in []byte) *compactDecoder {
	return &compactDecoder{in: in, arena: make([]byte, 0, len(in))}
}

// lit consumes s when the input continues with it.
func (d *compactDecoder) lit(s string) bool {
	if len(d.in)-d.i >= len(s) && string(d.in[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

func (d *compactDecoder) peek() byte {
	if d.i < len(d.in) {
		return d.in[d.i]
	}
	return 0
}

// plainText reports whether b is valid UTF-8 without a byte below 0x20 (which JSON
// strings cannot hold unescaped): utf8.Valid and a control scan in one pass, eight ASCII
// bytes at a time, with the two-byte sequences of Arabic and other alphabets checked
// inline; the rest goes through utf8.DecodeRune.
func plainText(b []byte) bool {
	const lo, hi = 0x2020202020202020, 0x8080808080808080
	i := 0
	for i < len(b) {
		for i+8 <= len(b) {
			x := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
				uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
			// No top bit set: ASCII; a byte below 0x20 then borrows when 0x20 is taken
			// from it.
			if x&hi != 0 {
				break
			}
			if (x-lo)&^x&hi != 0 {
				return false
			}
			i += 8
		}
		// Up to the next run of ASCII: a word, or a few bytes of the tail.
		for i < len(b) {
			c := b[i]
			if c < utf8.RuneSelf {
				if c < 0x20 {
					return false
				}
				i++
				if c == ' ' {
					break
				}
				continue
			}
			if c >= 0xc2 && c <= 0xdf {
				if i+1 >= len(b) || b[i+1]&0xc0 != 0x80 {
					return false
				}
				i += 2
				continue
			}
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 {
				return false
			}
			i += n
		}
	}
	return true
}

// rawString decodes a string into the arena and returns its bytes there.
func (d *compactDecoder) rawString() ([]byte, bool) {
	if d.peek() != '"' {
		return nil, false
	}
	p := d.i + 1
	from := len(d.arena)
	quote := -1 // absolute position of the next '"' at or after p, once found
	for {
		if quote < p {
			q := bytes.IndexByte(d.in[p:], '"')
			if q < 0 {
				return nil, false
			}
			quote = p + q
		}
		chunk := d.in[p:quote]
		esc := bytes.IndexByte(chunk, '\\')
		if esc >= 0 {
			chunk = chunk[:esc]
		}
		// Escapes are ASCII, so a chunk cut at one never splits a UTF-8 sequence.
		if !plainText(chunk) || len(d.arena)+len(chunk) > cap(d.arena) {
			return nil, false
		}
		d.arena = append(d.arena, chunk...)
		p += len(chunk)
		if esc < 0 {
			d.i = quote + 1
			return d.arena[from:len(d.arena):len(d.arena)], true
		}
		n, ok := d.escape(p)
		if !ok {
			return nil, false
		}
		p += n
	}
}

// escape decodes the escape at d.in[p] into the arena and returns its length.
func (d *compactDecoder) escape(p int) (int, bool) {
	if len(d.arena)+utf8.UTFMax > cap(d.arena) {
		return 0, false
	}
	var n int
	var ok bool
	d.arena, n, ok = appendEscape(d.arena, d.in[p:])
	return n, ok
}

// str decodes a string value, null excluded.
func (d *compactDecoder) str() (string, bool) {
	b, ok := d.rawString()
	if !ok {
		return "", false
	}
	return d.view(b), true
}

// view is b as a string, the package's constant for the words of the built-in layers.
func (d *compactDecoder) view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	switch string(b) {
	case schema.AttrScope:
		return schema.AttrScope
	case schema.AttrParagraph: // also ScopeParagraph
		return schema.AttrParagraph
	case schema.AttrTurn:
		return schema.AttrTurn
	case schema.AttrSpeaker:
		return schema.AttrSpeaker
	case schema.AttrSpeakerRole:
		return schema.AttrSpeakerRole
	case schema.AttrTarget:
		return schema.AttrTarget
	case schema.ScopeDocument:
		return schema.ScopeDocument
	case schema.ScopeAnswer: // also the QA role
		return schema.ScopeAnswer
	case "question":
		return "question"
	case "interviewer":
		return "interviewer"
	case "interviewee":
		return "interviewee"
	case "negative":
		return "negative"
	case "neutral":
		return "neutral"
	case "positive":
		return "positive"
	case "against":
		return "against"
	case "favor":
		return "favor"
	}
	return unsafe.String(&b[0], len(b))
}

// number returns the bytes of a JSON number, checked against the JSON grammar.
func (d *compactDecoder) number() ([]byte, bool) {
	in, j := d.in, d.i
	digits := func() bool {
		k := j
		for j < len(in) && in[j] >= '0' && in[j] <= '9' {
			j++
		}
		return j > k
	}
	if j < len(in) && in[j] == '-' {
		j++
	}
	if j < len(in) && in[j] == '0' {
		j++
	} else if !digits() {
		return nil, false
	}
	if j < len(in) && in[j] == '.' {
		j++
		if !digits() {
			return nil, false
		}
	}
	if j < len(in) && (in[j] == 'e' || in[j] == 'E') {
		j++
		if j < len(in) && (in[j] == '+' || in[j] == '-') {
			j++
		}
		if !digits() {
			return nil, false
		}
	}
	b := in[d.i:j]
	d.i = j
	return b, true
}

func (d *compactDecoder) float() (float64, bool) {
	b, ok := d.number()
	if !ok {
		return 0, false
	}
	// encoding/json's own conversion; out of range is its error, so a decline here.
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	return f, err == nil
}

func (d *compactDecoder) int64() (int64, bool) {
	b, ok := d.number()
	if !ok {
		return 0, false
	}
	// A fraction or exponent is an error for encoding/json's integers; ParseInt
	// refuses both, and what overflows an int64.
	v, err := strconv.ParseInt(unsafe.String(unsafe.SliceData(b), len(b)), 10, 64)
	return v, err == nil
}

// optInt decodes null or an integer into a *int from the slab.
func (d *compactDecoder) optInt() (*int, bool) {
	if d.lit("null") {
		return nil, true
	}
	v, ok := d.int64()
	if !ok || int64(int(v)) != v {
		return nil, false
	}
	if len(d.ints) == cap(d.ints) {
		d.ints = make([]int, 0, 32)
	}
	d.ints = append(d.ints, int(v))
	return &d.ints[len(d.ints)-1], true
}

// optFloat decodes null or a number into a *float64 from the slab.
func (d *compactDecoder) optFloat() (*float64, bool) {
	if d.lit("null") {
		return nil, true
	}
	v, ok := d.float()
	if !ok {
		return nil, false
	}
	if len(d.floats) == cap(d.floats) {
		d.floats = make([]float64, 0, 16)
	}
	d.floats = append(d.floats, v)
	return &d.floats[len(d.floats)-1], true
}

func (d *compactDecoder) boolean() (bool, bool) {
	if d.lit("true") {
		return true, true
	}
	return false, d.lit("false")
}

// members decodes an object's members, d at its '{', letting value read the value of
// each key.
func (d *compactDecoder) members(value func(key string) bool) bool {
	if !d.lit("{") {
		return false
	}
	if d.lit("}") {
		return true
	}
	for {
		k, ok := d.str()
		if !ok || !d.lit(":") || !value(k) {
			return false
		}
		if d.lit("}") {
			return true
		}
		if !d.lit(",") {
			return false
		}
	}
}

// stringMap decodes null or an object of string values.
func (d *compactDecoder) stringMap() (map[string]string, bool) {
	if d.lit("null") {
		return nil, true
	}
	m := map[string]string{}
	if !d.members(func(k string) bool {
		v, ok := d.str()
		m[k] = v
		return ok
	}) {
		return nil, false
	}
	return m, true
}

// anyMap decodes null or an object whose values are strings, numbers, booleans or
// null, as encoding/json decodes them into an any (float64 for numbers).
func (d *compactDecoder) anyMap() (map[string]any, bool) {
	if d.lit("null") {
		return nil, true
	}
	m := map[string]any{}
	if !d.members(func(k string) bool {
		v, ok := d.scalar()
		m[k] = v
		return ok
	}) {
		return nil, false
	}
	return m, true
}

// scalar decodes a string, a number (as a float64), a boolean or null.
func (d *compactDecoder) scalar() (any, bool) {
	switch c := d.peek(); {
	case c == '"':
		return d.str()
	case c == 't' || c == 'f':
		return d.boolean()
	case c == 'n':
		return nil, d.lit("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.float()
	default:
		return nil, false
	}
}

// stringList decodes null or an array of strings.
func (d *compactDecoder) stringList() ([]string, bool) {
	if d.lit("null") {
		return nil, true
	}
	if !d.lit("[") {
		return nil, false
	}
	out := []string{}
	if d.lit("]") {
		return out, true
	}
	for {
		s, ok := d.str()
		if !ok {
			return nil, false
		}
		out = append(out, s)
		if d.lit("]") {
			return out, true
		}
		if !d.lit(",") {
			return nil, false
		}
	}
}

// end reports whether the whole input was consumed.
func (d *compactDecoder) end() bool { return d.i == len(d.in) }

// decodeCompactDocument decodes a revision body (schema.Document).
func decodeCompactDocument(body []byte, doc *schema.Document) bool {
	d := newCompactDecoder(body)
	var v schema.Document
	ok := d.lit(`{"id":`)
	ok = ok && d.field(&v.ID, `,"url":`) && d.field(&v.URL, `,"source":`) && d.field(&v.Source, `,"site_name":`) &&
		d.field(&v.SiteName, `,"title":`) && d.field(&v.Title, `,"byline":`)
	if ok {
		v.Byline, ok = d.stringList()
	}
	ok = ok && d.lit(`,"published":`) && d.field(&v.Published, `,"section":`) && d.field(&v.Section, `,"lang":`) &&
		d.field(&v.Lang, `,"text":`) && d.field(&v.Text, `,"content_hash":`) && d.field(&v.ContentHash, `,"raw_hash":`) &&
		d.field(&v.RawHash, `,"ingested_at":`) && d.field(&v.IngestedAt, `,"meta":`)
	if ok {
		v.Meta, ok = d.anyMap()
	}
	if ok && d.lit(`,"provenance":`) {
		v.Provenance, ok = d.provenance()
	}
	if !ok || !d.lit("}") || !d.end() {
		return false
	}
	*doc = v
	return true
}

// field decodes a string value into s and consumes next, the key that follows it.
func (d *compactDecoder) field(s *string, next string) bool {
	v, ok := d.str()
	*s = v
	return ok && d.lit(next)
}

// provenance decodes a schema.Provenance, whose fields are all omitempty.
func (d *compactDecoder) provenance() (*schema.Provenance, bool) {
	if d.lit("null") {
		return nil, true
	}
	if !d.lit("{") {
		return nil, false
	}
	p := &schema.Provenance{}
	sep := ""
	ok := true
	key := func(name string) bool {
		if ok && d.lit(sep+`"`+name+`":`) {
			sep = ","
			return true
		}
		return false
	}
	if key("path") {
		p.Path, ok = d.str()
	}
	if key("format") {
		p.Format, ok = d.str()
	}
	if key("warc_record_id") {
		p.WARCRecordID, ok = d.str()
	}
	if key("warc_offset") {
		if d.lit("null") {
			p.WARCOffset = nil
		} else {
			var v int64
			v, ok = d.int64()
			p.WARCOffset = &v
		}
	}
	if key("line") {
		p.Line, ok = d.int64()
	}
	if key("item") {
		p.Item, ok = d.int64()
	}
	return p, ok && d.lit("}")
}

// decodeCompactAnnotation decodes an annotation body (schema.Annotation).
func decodeCompactAnnotation(body []byte, a *schema.Annotation) bool {
	d := newCompactDecoder(body)
	var v schema.Annotation
	ok := d.lit(`{"doc_id":`) && d.field(&v.DocID, `,"layer":`) && d.field(&v.Layer, `,"annotator":{"name":`) &&
		d.field(&v.Annotator.Name, `,"version":`) && d.field(&v.Annotator.Version, `,"kind":`) &&
		d.field(&v.Annotator.Kind, `,"params_hash":`) && d.field(&v.Annotator.ParamsHash, `},"content_hash":`) &&
		d.field(&v.ContentHash, `,"created_at":`) && d.field(&v.CreatedAt, `,"stale":`)
	if ok {
		v.Stale, ok = d.boolean()
	}
	ok = ok && d.lit(`,"items":`)
	if ok {
		v.Items, ok = d.items()
	}
	if ok && d.lit(`,"skipped":`) {
		v.Skipped, ok = d.str()
	}
	if ok && d.lit(`,"min_score":`) {
		v.MinScore, ok = d.optFloat()
	}
	if ok && d.lit(`,"meta":`) {
		v.Meta, ok = d.stringMap()
	}
	if !ok || !d.lit("}") || !d.end() {
		return false
	}
	*a = v
	return true
}

// items decodes null or an array of schema.Item.
func (d *compactDecoder) items() ([]schema.Item, bool) {
	if d.lit("null") {
		return nil, true
	}
	if !d.lit("[") {
		return nil, false
	}
	out := []schema.Item{}
	if d.lit("]") {
		return out, true
	}
	for {
		var it schema.Item
		ok := d.lit(`{"start":`)
		if ok {
			it.Start, ok = d.optInt()
		}
		ok = ok && d.lit(`,"end":`)
		if ok {
			it.End, ok = d.optInt()
		}
		if ok && d.lit(`,"label":`) {
			it.Label, ok = d.str()
		}
		if ok && d.lit(`,"score":`) {
			it.Score, ok = d.optFloat()
		}
		if ok && d.lit(`,"text":`) {
			it.Text, ok = d.str()
		}
		if ok && d.lit(`,"attrs":`) {
			it.Attrs, ok = d.stringMap()
		}
		if !ok || !d.lit("}") {
			return nil, false
		}
		out = append(out, it)
		if d.lit("]") {
			return out, true
		}
		if !d.lit(",") {
			return nil, false
		}
	}
}
