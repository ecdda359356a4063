package corpus

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// A JSONL record is one flat object of a few string fields, one of them a long text.
// encoding/json reads it three times (validation, the object into raw values, each raw
// value again into a string), which cost more than a sixth of a JSONL ingest. The
// scanner below reads it once. It accepts only what encoding/json accepts and gives
// the same values; anything it does not handle itself (an invalid line, an escaped key,
// a surrogate escape) makes it say no, and the caller takes encoding/json's path, whose
// errors are the ones reported.

// splitJSONObject splits the top-level object of line into its keys and raw values,
// validating all of it. Later duplicates win, as with encoding/json. ok is false when
// line is not a valid object or uses a form left to encoding/json. line must be UTF-8.
func splitJSONObject(line []byte) (obj map[string]json.RawMessage, ok bool) {
	s := jsonScanner{b: line}
	s.space()
	if !s.byte('{') {
		return nil, false
	}
	obj = make(map[string]json.RawMessage, 12)
	s.space()
	if s.byte('}') {
		s.space()
		return obj, s.i == len(s.b)
	}
	for {
		s.space()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return nil, false
		}
		start := s.i
		if !s.skipString() {
			return nil, false
		}
		key, ok := plainJSONString(s.b[start:s.i])
		if !ok {
			return nil, false
		}
		s.space()
		if !s.byte(':') {
			return nil, false
		}
		s.space()
		vstart := s.i
		if !s.skipValue(0) {
			return nil, false
		}
		obj[key] = json.RawMessage(s.b[vstart:s.i])
		s.space()
		if s.byte(',') {
			continue
		}
		if !s.byte('}') {
			return nil, false
		}
		s.space()
		return obj, s.i == len(s.b)
	}
}

// plainJSONString returns the contents of a quoted JSON string without escapes.
func plainJSONString(q []byte) (string, bool) {
	if len(q) < 2 {
		return "", false
	}
	body := q[1 : len(q)-1]
	for _, c := range body {
		if c == '\\' {
			return "", false
		}
	}
	return string(body), true
}

// fastJSONString decodes a raw JSON value that is a string or null as jsonString does;
// ok is false for anything else, and for escapes it leaves to encoding/json (\u
// surrogates, which it replaces by U+FFFD when unpaired). raw is a value
// splitJSONObject validated.
func fastJSONString(raw json.RawMessage) (string, bool) {
	if string(raw) == "null" {
		return "", true
	}
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	esc := -1
	for i, c := range body {
		if c == '\\' {
			esc = i
			break
		}
	}
	if esc < 0 {
		return string(body), true
	}
	var b strings.Builder
	b.Grow(len(body))
	b.Write(body[:esc])
	for i := esc; i < len(body); {
		c := body[i]
		if c != '\\' {
			// Copy the run up to the next escape at once.
			j := i + 1
			for j < len(body) && body[j] != '\\' {
				j++
			}
			b.Write(body[i:j])
			i = j
			continue
		}
		var tmp [utf8.UTFMax]byte
		r, n, ok := appendEscape(tmp[:0], body[i:])
		if !ok {
			return "", false
		}
		b.Write(r)
		i += n
	}
	return b.String(), true
}

// appendEscape appends what the JSON escape at the start of b (a '\\') stands for and
// returns its length in b; ok is false for what is not an escape and for a \u
// surrogate half, whose pairing (or replacement by U+FFFD) is left to encoding/json.
func appendEscape(dst, b []byte) (out []byte, n int, ok bool) {
	if len(b) < 2 {
		return dst, 0, false
	}
	switch e := b[1]; e {
	case '"', '\\', '/':
		return append(dst, e), 2, true
	case 'b':
		return append(dst, '\b'), 2, true
	case 'f':
		return append(dst, '\f'), 2, true
	case 'n':
		return append(dst, '\n'), 2, true
	case 'r':
		return append(dst, '\r'), 2, true
	case 't':
		return append(dst, '\t'), 2, true
	case 'u':
		if len(b) < 6 {
			return dst, 0, false
		}
		var r rune
		for _, c := range b[2:6] {
			v := hexVal(c)
			if v < 0 {
				return dst, 0, false
			}
			r = r<<4 | rune(v)
		}
		if 0xd800 <= r && r < 0xe000 {
			return dst, 0, false
		}
		return utf8.AppendRune(dst, r), 6, true
	}
	return dst, 0, false
}

// hexVal is the value of a hex digit, -1 for another byte.
func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	default:
		return -1
	}
}

// jsonScanner validates JSON (RFC 8259) byte by byte.
type jsonScanner struct {
	b []byte
	i int
}

// maxJSONDepth bounds nesting like encoding/json's own limit, so that a hostile line
// cannot exhaust the stack; deeper values go to encoding/json, which rejects them.
const maxJSONDepth = 10000

func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonScanner) byte(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *jsonScanner) lit(word string) bool {
	if len(s.b)-s.i >= len(word) && string(s.b[s.i:s.i+len(word)]) == word {
		s.i += len(word)
		return true
	}
	return false
}

// skipString moves past a string starting at s.i (a '"').
func (s *jsonScanner) skipString() bool {
	s.i++
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			return true
		case c == '\\':
			if s.i+1 >= len(s.b) {
				return false
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i += 2
			case 'u':
				if s.i+6 > len(s.b) {
					return false
				}
				for _, h := range s.b[s.i+2 : s.i+6] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return false
					}
				}
				s.i += 6
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			s.i++
		}
	}
	return false
}

func (s *jsonScanner) skipValue(depth int) bool {
	if s.i >= len(s.b) || depth > maxJSONDepth {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		return s.skipString()
	case c == '{':
		s.i++
		s.space()
		if s.byte('}') {
			return true
		}
		for {
			s.space()
			if s.i >= len(s.b) || s.b[s.i] != '"' || !s.skipString() {
				return false
			}
			s.space()
			if !s.byte(':') {
				return false
			}
			s.space()
			if !s.skipValue(depth + 1) {
				return false
			}
			s.space()
			if s.byte(',') {
				continue
			}
			return s.byte('}')
		}
	case c == '[':
		s.i++
		s.space()
		if s.byte(']') {
			return true
		}
		for {
			s.space()
			if !s.skipValue(depth + 1) {
				return false
			}
			s.space()
			if s.byte(',') {
				continue
			}
			return s.byte(']')
		}
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.lit("null")
	case c == '-' || ('0' <= c && c <= '9'):
		return s.skipNumber()
	}
	return false
}

// skipNumber follows the JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *jsonScanner) skipNumber() bool {
	s.byte('-')
	digits := func() int {
		n := 0
		for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	if s.byte('0') {
		// no more integer digits after a leading zero
	} else if digits() == 0 {
		return false
	}
	if s.byte('.') && digits() == 0 {
		return false
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if !s.byte('+') {
			s.byte('-')
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}
