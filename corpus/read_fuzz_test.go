package corpus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"

	"github.com/newsds/newsds/internal/testshared"
)

// The reader fuzz targets write the input to a file and read it with Inputs, the way
// ingest does, so the gzip sniffing, the record limit and the format's own reader are
// all under test. Their property: reading ends (no panic, no endless loop), every error
// is a *RecordError naming the file, and what is yielded is bounded by the input.

// fuzzRecordLimit keeps a fuzzed record's cost small; the readers enforce it.
const fuzzRecordLimit = 1 << 20

func fuzzRead(t *testing.T, name string, data []byte, format string) []Input {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out []Input
	for in, err := range Inputs(context.Background(), []string{path}, ReadOptions{Format: format, MaxRecordBytes: fuzzRecordLimit}) {
		if err != nil {
			var re *RecordError
			if !errors.As(err, &re) || re.Path != path {
				t.Fatalf("error that does not locate the file: %T %v", err, err)
			}
			continue
		}
		if int64(len(in.Raw.Data)) > fuzzRecordLimit {
			t.Fatalf("%s: a record of %d bytes passed the %d-byte limit", in.Raw.Record, len(in.Raw.Data), fuzzRecordLimit)
		}
		out = append(out, in)
		if len(out) > len(data)+1 {
			t.Fatalf("%d inputs from %d bytes", len(out), len(data))
		}
	}
	return out
}

// jsonlSeed makes a JSONL line of a shared article: its record file when it has one,
// else its text.
func jsonlSeed(text []byte) []byte {
	b, _ := json.Marshal(map[string]any{"url": "https://example.com/a", "title": "T", "published": "2024-03-12", "text": string(text)})
	return append(b, '\n')
}

// FuzzReadJSONL is the JSONL reader.
func FuzzReadJSONL(f *testing.F) {
	for _, b := range testshared.Seeds(f, "data/interviews/ar/*.record.json", 2, 1<<20) {
		var v map[string]any
		if json.Unmarshal(b, &v) == nil {
			line, _ := json.Marshal(v)
			f.Add(append(line, '\n'))
		}
	}
	for _, b := range testshared.Seeds(f, "data/newspaper4k/txt/*.txt", 3, 4<<10) {
		f.Add(jsonlSeed(b))
	}
	for _, b := range testshared.Seeds(f, "data/trafilatura/pages/*.html", 1, 4<<10) {
		line, _ := json.Marshal(map[string]string{"url": "https://example.com/p", "html": string(b)})
		f.Add(append(line, '\n'))
	}
	f.Add([]byte("\xef\xbb\xbf{\"text\":\"a\"}\n\n{\"text\":\"b\",\"byline\":[\"x\"],\"meta\":{\"k\":1}}\n{bad\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range fuzzRead(t, "in.jsonl", data, FormatJSONL) {
			if in.Given != nil && !utf8.ValidString(in.Given.Text) {
				// Invalid UTF-8 is reported per file (issue 14.3), so it may pass as
				// replacement characters, but never as broken bytes.
				t.Errorf("%s: text is not UTF-8", in.Raw.Record)
			}
		}
	})
}

// warcRecord is a WARC/1.0 response record holding an HTTP 200 response with body.
func warcRecord(uri string, body []byte) []byte {
	http := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n", len(body))
	block := append([]byte(http), body...)
	var b bytes.Buffer
	fmt.Fprintf(&b, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:%08d-0000-4000-8000-000000000000>\r\n"+
		"WARC-Date: 2024-03-12T10:00:00Z\r\nWARC-Target-URI: %s\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n",
		len(uri), uri, len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// FuzzReadWARC is the WARC reader (plain and gzip members), seeded with records of
// shared pages.
func FuzzReadWARC(f *testing.F) {
	var all []byte
	for i, b := range testshared.Seeds(f, "data/trafilatura/pages/*.html", 3, 4<<10) {
		rec := warcRecord(fmt.Sprintf("https://example.com/%d", i), b)
		f.Add(rec)
		all = append(all, rec...)
	}
	if len(all) > 0 {
		f.Add(all)
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(all) // into a bytes.Buffer
		zw.Close()
		f.Add(gz.Bytes())
	}
	f.Add(warcRecord("https://example.com/x", []byte("<html><body><p>x</p></body></html>")))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range fuzzRead(t, "in.warc", data, FormatWARC) {
			if in.Raw.URL != "" && strings.ContainsAny(in.Raw.URL, "\r\n") {
				t.Errorf("%s: URL with a line break: %q", in.Raw.Record, in.Raw.URL)
			}
		}
	})
}
