package corpus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// JSONL input: one JSON object per line. The document fields are
//
//	id, url, source, site_name, title, byline (a list of names or one string),
//	published, section, lang, text, meta (an object), html
//
// each optional, but a line needs text or html. With html the record is extracted
// like a page (Raw.Format "html", Raw.Data the html) and the given fields override
// what extraction finds. Without html nothing is extracted: Raw.Format is "" and
// Raw.Data is the line itself, and the document is built from Given. Other top-level
// keys go into Given.Meta, except the ones `newsds export` computes (content_hash,
// raw_hash, ingested_at, dup_of), so an export can be ingested again. Blank lines are
// skipped; a bad line is a RecordError naming it ("line 12") and reading goes on.

// jsonlComputedKeys are export fields that ingest recomputes rather than keeps.
var jsonlComputedKeys = map[string]bool{"content_hash": true, "raw_hash": true, "ingested_at": true, "dup_of": true}

// readJSONL yields one Input per non-blank line of r.
func readJSONL(ctx context.Context, r *bufio.Reader, src inputSource, yield func(Input, error) bool) bool {
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
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			in, perr := parseJSONLRecord(trimmed)
			if perr != nil {
				if !yield(Input{}, &RecordError{Path: src.path, Record: record, Err: perr}) {
					return false
				}
			} else {
				in.Raw.Path, in.Raw.Record, in.Raw.ModTime = src.path, record, src.modTime
				if !yield(in, nil) {
					return false
				}
			}
		}
		if err != nil { // io.EOF after the last line
			return true
		}
	}
}

// readJSONLLine returns the next line without its terminator, reading lines of any length
// up to max bytes. A longer line is consumed and reported as ErrTooLarge. At the end
// of input it returns the last (possibly empty) line with io.EOF.
func readJSONLLine(r *bufio.Reader, max int64) ([]byte, error) {
	var line []byte
	tooLarge := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLarge {
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

// parseJSONLRecord decodes one line into an Input.
func parseJSONLRecord(line []byte) (Input, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(line, &obj); err != nil {
		return Input{}, fmt.Errorf("invalid JSON: %w", err)
	}
	if obj == nil {
		return Input{}, errors.New("invalid JSON: want an object, got null")
	}
	g := &GivenFields{}
	var html string
	strField := func(key string, dst *string) error {
		v, ok := obj[key]
		if !ok {
			return nil
		}
		delete(obj, key)
		s, err := jsonString(v)
		if err != nil {
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
	if v, ok := obj["id"]; ok {
		delete(obj, "id")
		// Numeric ids from other tools are kept as their decimal text.
		var num json.Number
		if err := json.Unmarshal(v, &num); err == nil {
			g.ID = num.String()
		} else if g.ID, err = jsonString(v); err != nil {
			return Input{}, fmt.Errorf("field \"id\": want a string or number")
		}
	}
	if v, ok := obj["byline"]; ok {
		delete(obj, "byline")
		var err error
		if g.Byline, err = jsonByline(v); err != nil {
			return Input{}, fmt.Errorf("field \"byline\": %w", err)
		}
	}
	if v, ok := obj["meta"]; ok {
		delete(obj, "meta")
		if !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			m, err := decodeJSONValue(v)
			if err != nil {
				return Input{}, fmt.Errorf("field \"meta\": %w", err)
			}
			mm, ok := m.(map[string]any)
			if !ok {
				return Input{}, errors.New("field \"meta\": want an object")
			}
			g.Meta = mm
		}
	}
	for k, v := range obj {
		if jsonlComputedKeys[k] {
			continue
		}
		val, err := decodeJSONValue(v)
		if err != nil {
			return Input{}, fmt.Errorf("field %q: %w", k, err)
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
		return Input{}, errors.New("record has neither text nor html")
	}
	return Input{Raw: Raw{Data: bytes.Clone(line), URL: g.URL}, Given: g}, nil
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
