package corpus

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"

	"github.com/newsds/newsds/internal/testshared"
)

// warcTestRecord describes one record for warcTestFile.
type warcTestRecord struct {
	typ    gowarc.RecordType
	uri    string
	date   time.Time
	block  []byte // HTTP message (response/request) or record content
	ctype  string // WARC Content-Type
	broken []byte // written verbatim instead of a built record
}

// warcTestResponse is an HTTP response message with the given status, headers and body.
func warcTestResponse(status string, headers []string, body []byte) []byte {
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 " + status + "\r\n")
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// warcTestEncode serialises records with gowarc's record builder and marshaler; with
// gz, each record is its own gzip member, as in .warc.gz files from crawlers.
func warcTestEncode(tb testing.TB, recs []warcTestRecord, gz bool) []byte {
	tb.Helper()
	var out bytes.Buffer
	m := gowarc.NewMarshaler()
	for i, r := range recs {
		var one bytes.Buffer
		if r.broken != nil {
			one.Write(r.broken)
		} else {
			id := fmt.Sprintf("<urn:uuid:00000000-0000-4000-8000-%012d>", i+1)
			b := gowarc.NewRecordBuilder(r.typ, gowarc.WithAddMissingDigest(true), gowarc.WithAddMissingContentLength(true))
			b.AddWarcHeader(gowarc.WarcRecordID, id)
			b.AddWarcHeaderTime(gowarc.WarcDate, r.date)
			if r.uri != "" {
				b.AddWarcHeader(gowarc.WarcTargetURI, r.uri)
			}
			b.AddWarcHeader(gowarc.ContentType, r.ctype)
			if _, err := b.Write(r.block); err != nil {
				tb.Fatal(err)
			}
			rec, _, err := b.Build()
			if err != nil {
				tb.Fatalf("build record %d: %v", i+1, err)
			}
			if _, _, err := m.Marshal(&one, rec, 0); err != nil {
				tb.Fatalf("marshal record %d: %v", i+1, err)
			}
			rec.Close()
		}
		if !gz {
			out.Write(one.Bytes())
			continue
		}
		zw := gzip.NewWriter(&out)
		zw.Write(one.Bytes())
		if err := zw.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return out.Bytes()
}

func warcTestRead(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// warcTestFixture builds records from real pages: three articles (one sent chunked
// and gzipped, one Arabic), a warcinfo, a request, an image, a 404 page and a broken
// record between two good ones.
func warcTestFixture(tb testing.TB) (recs []warcTestRecord, pages [][]byte) {
	tb.Helper()
	pageA := []byte(warcTestRead(tb, testshared.Path(tb, "data", "trafilatura", "pages", "drk.de-Glasgow.html")))
	pageB := []byte(warcTestRead(tb, testshared.Path(tb, "data", "trafilatura", "pages", "chip.de.beef.html")))
	pageC := []byte(warcTestRead(tb, testshared.Path(tb, "data", "newspaper4k", "html", "arabic_article.html")))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(pageB)
	zw.Close()
	var chunked bytes.Buffer
	cw := httputil.NewChunkedWriter(&chunked)
	for rest := gz.Bytes(); len(rest) > 0; {
		n := min(len(rest), 4000)
		cw.Write(rest[:n])
		rest = rest[n:]
	}
	cw.Close()
	chunked.WriteString("\r\n")

	day := time.Date(2021, 11, 5, 10, 30, 0, 0, time.UTC)
	httpResp := "application/http;msgtype=response"
	recs = []warcTestRecord{
		{typ: gowarc.Warcinfo, date: day, ctype: "application/warc-fields", block: []byte("software: newsds-test\r\nformat: WARC File Format 1.1\r\n")},
		{typ: gowarc.Request, uri: "https://www.drk.de/glasgow", date: day, ctype: "application/http;msgtype=request",
			block: []byte("GET /glasgow HTTP/1.1\r\nHost: www.drk.de\r\n\r\n")},
		{typ: gowarc.Response, uri: "https://www.drk.de/glasgow", date: day, ctype: httpResp,
			block: warcTestResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8", fmt.Sprintf("Content-Length: %d", len(pageA))}, pageA)},
		{typ: gowarc.Response, uri: "https://www.drk.de/logo.jpg", date: day, ctype: httpResp,
			block: warcTestResponse("200 OK", []string{"Content-Type: image/jpeg"}, []byte("\xff\xd8\xff\xe0 not really a jpeg"))},
		{typ: gowarc.Response, uri: "https://www.chip.de/beef", date: day.Add(time.Minute), ctype: httpResp,
			block: warcTestResponse("200 OK", []string{"Content-Type: application/xhtml+xml", "Transfer-Encoding: chunked", "Content-Encoding: gzip"}, chunked.Bytes())},
		{typ: gowarc.Response, uri: "https://www.chip.de/missing", date: day, ctype: httpResp,
			block: warcTestResponse("404 Not Found", []string{"Content-Type: text/html"}, []byte("<html><body>Not found</body></html>"))},
		// Broken: the header block is cut off, so the record has no end.
		{broken: []byte("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:bad>\r\nContent-Length: notanumber\r\nWARC-Date: 2021-11-05T10:30:00Z\r\n\x00\x01garbage\r\n\r\n")},
		{typ: gowarc.Response, uri: "http://arabic.cnn.com/2013/middle_east/8/15/syria.rebels", date: day.Add(2 * time.Minute), ctype: httpResp,
			block: warcTestResponse("200 OK", []string{"Content-Type: text/html; charset=UTF-8"}, pageC)},
	}
	return recs, [][]byte{pageA, pageB, pageC}
}

func TestInputsWARC(t *testing.T) {
	recs, pages := warcTestFixture(t)
	dir := t.TempDir()
	plain := filepath.Join(dir, "crawl.warc")
	perRecord := filepath.Join(dir, "crawl.warc.gz")
	var whole bytes.Buffer
	zw := gzip.NewWriter(&whole)
	zw.Write(warcTestEncode(t, recs, false))
	zw.Close()
	// A gzipped file without the .warc extension is recognised by its content.
	oneStream := filepath.Join(dir, "crawl-whole.bin.gz")
	for p, data := range map[string][]byte{plain: warcTestEncode(t, recs, false), perRecord: warcTestEncode(t, recs, true), oneStream: whole.Bytes()} {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantURL := []string{"https://www.drk.de/glasgow", "https://www.chip.de/beef", "http://arabic.cnn.com/2013/middle_east/8/15/syria.rebels"}
	wantRecord := []string{"record 3 (WARC-Record-ID urn:uuid:00000000-0000-4000-8000-000000000003)",
		"record 5 (WARC-Record-ID urn:uuid:00000000-0000-4000-8000-000000000005)",
		"record 8 (WARC-Record-ID urn:uuid:00000000-0000-4000-8000-000000000008)"}
	wantFetched := []time.Time{time.Date(2021, 11, 5, 10, 30, 0, 0, time.UTC), time.Date(2021, 11, 5, 10, 31, 0, 0, time.UTC), time.Date(2021, 11, 5, 10, 32, 0, 0, time.UTC)}
	for _, path := range []string{plain, perRecord, oneStream} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var stats ReadStats
			var got []Input
			var errs []error
			for in, err := range Inputs(context.Background(), []string{path}, ReadOptions{Stats: &stats}) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				got = append(got, in)
			}
			if len(got) != 3 {
				t.Fatalf("got %d inputs, want 3 (errors: %v)", len(got), errs)
			}
			for i, in := range got {
				if !bytes.Equal(in.Raw.Data, pages[i]) {
					t.Errorf("input %d: body differs from the page (%d vs %d bytes)", i, len(in.Raw.Data), len(pages[i]))
				}
				if in.Raw.Format != FormatHTML || in.Raw.URL != wantURL[i] || in.Raw.Record != wantRecord[i] || in.Raw.Path != path {
					t.Errorf("input %d: format %q url %q record %q path %q", i, in.Raw.Format, in.Raw.URL, in.Raw.Record, in.Raw.Path)
				}
				if !in.Raw.FetchedAt.Equal(wantFetched[i]) {
					t.Errorf("input %d: FetchedAt %v, want %v", i, in.Raw.FetchedAt, wantFetched[i])
				}
				if in.Raw.ModTime.IsZero() || in.Given != nil {
					t.Errorf("input %d: ModTime %v, Given %v", i, in.Raw.ModTime, in.Given)
				}
			}
			if got[0].Raw.ContentType != "text/html; charset=utf-8" || got[1].Raw.ContentType != "application/xhtml+xml" {
				t.Errorf("content types %q, %q", got[0].Raw.ContentType, got[1].Raw.ContentType)
			}
			if len(errs) != 1 {
				t.Fatalf("got errors %v, want one for the broken record", errs)
			}
			var rerr *RecordError
			if !errors.As(errs[0], &rerr) || rerr.Path != path || !strings.HasPrefix(rerr.Record, "record 7") {
				t.Errorf("broken record error = %#v (%v)", errs[0], errs[0])
			}
			if !strings.HasPrefix(errs[0].Error(), path+": record 7 (WARC-Record-ID urn:uuid:bad): broken response record") {
				t.Errorf("error text %q does not name file and record", errs[0])
			}
			// warcinfo, request, image, 404
			if s := stats.Skipped.Load(); s != 4 {
				t.Errorf("skipped %d records, want 4", s)
			}
			if stats.Inputs.Load() != 3 || stats.Errors.Load() != 1 || stats.Files.Load() != 1 || stats.Bytes.Load() == 0 {
				t.Errorf("stats: inputs %d errors %d files %d bytes %d", stats.Inputs.Load(), stats.Errors.Load(), stats.Files.Load(), stats.Bytes.Load())
			}
		})
	}
}

func TestWARCTruncatedRecord(t *testing.T) {
	recs, _ := warcTestFixture(t)
	data := warcTestEncode(t, recs[:3], false)
	path := filepath.Join(t.TempDir(), "cut.warc")
	// Cut the last record's page in half, as an interrupted download would.
	if err := os.WriteFile(path, data[:len(data)-20000], 0o644); err != nil {
		t.Fatal(err)
	}
	var errs []error
	n := 0
	for _, err := range Inputs(context.Background(), []string{path}, ReadOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if n != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "record 3 (WARC-Record-ID urn:uuid:00000000-0000-4000-8000-000000000003): truncated record") {
		t.Fatalf("truncated WARC: %d inputs, errors %v; want one error for record 3", n, errs)
	}
}

func TestDecodeHTTPBodyDeflate(t *testing.T) {
	page := []byte("<html><body><p>deflated</p></body></html>")
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.DefaultCompression)
	fw.Write(page)
	fw.Close()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(page)
	zw.Close()
	for name, enc := range map[string][]byte{"raw deflate": raw.Bytes(), "zlib": z.Bytes()} {
		r, err := decodeHTTPBody(bytes.NewReader(enc), map[string][]string{"Content-Encoding": {"deflate"}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, page) {
			t.Errorf("%s: got %q, %v", name, got, err)
		}
	}
	// Declared gzip but stored decoded (Common Crawl) passes through.
	r, err := decodeHTTPBody(bytes.NewReader(page), map[string][]string{"Content-Encoding": {"gzip"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); !bytes.Equal(got, page) {
		t.Errorf("decoded body with gzip header: got %q", got)
	}
	if _, err := decodeHTTPBody(bytes.NewReader(page), map[string][]string{"Content-Encoding": {"br"}}); err == nil {
		t.Error("brotli: want an unsupported-encoding error")
	}
}

// TestWARCStreams shows records are yielded as they are read: the writer waits for
// the first input before writing the rest, which would deadlock a reader that
// buffered the whole file.
func TestWARCStreams(t *testing.T) {
	recs, _ := warcTestFixture(t)
	// Plain WARC: a gzip reader looks ahead for the next member's header, which the
	// writer would only send after the first input.
	first := warcTestEncode(t, recs[2:3], false)
	rest := warcTestEncode(t, []warcTestRecord{recs[4], recs[7]}, false)
	pr, pw := io.Pipe()
	gotFirst := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		if _, err := pw.Write(first); err != nil {
			writerDone <- err
			return
		}
		select {
		case <-gotFirst:
		case <-time.After(20 * time.Second):
			pw.CloseWithError(errors.New("reader did not yield the first record before the rest was written"))
			writerDone <- nil
			return
		}
		for range 500 {
			if _, err := pw.Write(rest); err != nil {
				writerDone <- err
				return
			}
		}
		writerDone <- pw.Close()
	}()
	n := 0
	src := inputSource{path: "pipe.warc", maxBytes: DefaultMaxRecordBytes, stats: new(ReadStats)}
	readWARC(context.Background(), pr, src, func(in Input, err error) bool {
		if err != nil {
			t.Errorf("record: %v", err)
			return false
		}
		if n == 0 {
			close(gotFirst)
		}
		n++
		return true
	})
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
	if n != 1001 {
		t.Errorf("read %d records, want 1001", n)
	}
}

// BenchmarkInputsWARC reads a gzipped WARC of the trafilatura pages (per-record gzip,
// as crawlers write it): MB/s of page bytes delivered and allocations per page.
func BenchmarkInputsWARC(b *testing.B) {
	dir := testshared.Path(b, "data", "trafilatura", "pages")
	names, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(names) == 0 {
		b.Fatalf("no pages: %v", err)
	}
	var recs []warcTestRecord
	var size int64
	day := time.Date(2021, 11, 5, 10, 30, 0, 0, time.UTC)
	for _, n := range names {
		page := []byte(warcTestRead(b, n))
		size += int64(len(page))
		recs = append(recs, warcTestRecord{typ: gowarc.Response, uri: "https://example.org/" + filepath.Base(n), date: day,
			ctype: "application/http;msgtype=response", block: warcTestResponse("200 OK", []string{"Content-Type: text/html"}, page)})
	}
	path := filepath.Join(b.TempDir(), "pages.warc.gz")
	if err := os.WriteFile(path, warcTestEncode(b, recs, true), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range Inputs(context.Background(), []string{path}, ReadOptions{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != len(names) {
			b.Fatalf("read %d records, want %d", n, len(names))
		}
	}
	b.ReportMetric(float64(len(names))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// Issue 8 item 8: a response whose Content-Type holds bytes that are not UTF-8 made
// charset detection slice past the header and the panic ended the ingest; the records
// after it were never read. Now the page decodes by the charset after those bytes and
// the next record is ingested too.
func TestIngestWARCContentTypeInvalidBytes(t *testing.T) {
	arabic := []byte(warcTestRead(t, testshared.Path(t, "data", "encodings", "cnn_arabic_article.windows-1256.html")))
	after := []byte(warcTestRead(t, testshared.Path(t, "data", "trafilatura", "pages", "drk.de-Glasgow.html")))
	day := time.Date(2021, 11, 5, 10, 30, 0, 0, time.UTC)
	httpResp := "application/http;msgtype=response"
	recs := []warcTestRecord{
		{typ: gowarc.Response, uri: "http://arabic.cnn.com/syria", date: day, ctype: httpResp,
			block: warcTestResponse("200 OK", []string{"Content-Type: text/html; x=\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff; charset=windows-1256"}, arabic)},
		{typ: gowarc.Response, uri: "https://www.drk.de/glasgow", date: day, ctype: httpResp,
			block: warcTestResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8"}, after)},
	}
	path := filepath.Join(t.TempDir(), "crawl.warc")
	if err := os.WriteFile(path, warcTestEncode(t, recs, false), 0o644); err != nil {
		t.Fatal(err)
	}
	st := newTestStore(t, "")
	sum := ingest(t, st, IngestOptions{}, path)
	if sum.Ingested != 2 || sum.Rejected != 0 {
		t.Fatalf("summary %+v (rejections %+v), want both records ingested", sum, sum.Rejections)
	}
	titles := map[string]string{}
	for _, d := range staged(t, st) {
		titles[d.URL] = d.Title
	}
	if got := titles["http://arabic.cnn.com/syria"]; !strings.Contains(got, "معارضون يسيطرون على مخازن للصواريخ بريف دمشق") {
		t.Errorf("Arabic page title %q, want the windows-1256 headline decoded", got)
	}
}
