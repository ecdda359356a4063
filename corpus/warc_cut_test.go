package corpus

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/newsds/newsds/internal/testshared"
)

// warcCutRecords are two responses carrying real pages, for the cut-point tests.
func warcCutRecords(tb testing.TB) []warcTestRecord {
	tb.Helper()
	pageA := []byte(warcTestRead(tb, testshared.Path(tb, "data", "trafilatura", "pages", "drk.de-Glasgow.html")))
	pageB := []byte(warcTestRead(tb, testshared.Path(tb, "data", "newspaper4k", "html", "arabic_article.html")))
	day := time.Date(2021, 11, 5, 10, 30, 0, 0, time.UTC)
	resp := func(uri string, page []byte) warcTestRecord {
		return warcTestRecord{typ: gowarc.Response, uri: uri, date: day, ctype: "application/http;msgtype=response",
			block: warcTestResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8"}, page)}
	}
	return []warcTestRecord{resp("https://www.drk.de/glasgow", pageA), resp("http://arabic.cnn.com/syria", pageB)}
}

// warcCollect reads one file and returns the URLs of its inputs and its errors.
func warcCollect(t *testing.T, path string) (urls []string, errs []error) {
	t.Helper()
	for in, err := range Inputs(context.Background(), []string{path}, ReadOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		urls = append(urls, in.Raw.URL)
	}
	return urls, errs
}

// Issue 14.3: a WARC file cut inside the last record lost that record with no word
// (cut in its header block), and every cut point must be a located rejection while the
// records before the cut are kept. One case per place a download can stop.
func TestWARCCutPoints(t *testing.T) {
	recs := warcCutRecords(t)
	first := warcTestEncode(t, recs[:1], false)
	whole := warcTestEncode(t, recs, false)
	second := whole[len(first):]
	headerEnd := bytes.Index(second, []byte("\r\n\r\n"))
	bodyStart := headerEnd + 4
	cuts := []struct {
		name string
		at   int // bytes of the second record kept
	}{
		{"inside the version line", len("WARC/1")},
		{"after the version line", len("WARC/1.1\r\n")},
		{"inside the headers", headerEnd / 2},
		{"at the end of the headers", headerEnd + 2},
		{"inside the HTTP header of the block", bodyStart + 20},
		{"inside the body", bodyStart + (len(second)-bodyStart)/2},
		{"before the record's closing CRLFs", len(second) - 3},
	}
	dir := t.TempDir()
	for _, gz := range []bool{false, true} {
		for _, c := range cuts {
			name := c.name
			data := append(bytes.Clone(first), second[:c.at]...)
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".warc")
			if gz {
				// Per-record members, the second one cut at the same place of its content:
				// the cut falls inside a gzip member.
				name += ", gzipped per record"
				data = append(readTestGzip(first), readTestGzip(second)[:0]...)
				member := readTestGzip(second[:c.at])
				data = append(data, member[:len(member)-8]...) // no gzip trailer: cut inside the member
				path += ".gz"
			}
			t.Run(name, func(t *testing.T) {
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				urls, errs := warcCollect(t, path)
				if len(urls) != 1 || urls[0] != "https://www.drk.de/glasgow" {
					t.Errorf("inputs %v, want the first record kept", urls)
				}
				if len(errs) != 1 {
					t.Fatalf("errors %v, want one located rejection for the cut record", errs)
				}
				var rerr *RecordError
				if !errors.As(errs[0], &rerr) || rerr.Path != path || !strings.HasPrefix(rerr.Record, "record 2") {
					t.Errorf("error %v, want it located at %s record 2", errs[0], path)
				}
			})
		}
	}
}

// Issue 14.3: a bad record before a good one is reported, and the good one kept, for
// each way a record can be bad in its header.
func TestWARCBadRecordBeforeGood(t *testing.T) {
	recs := warcCutRecords(t)
	good := warcTestEncode(t, recs[1:], false)
	bad := map[string]string{
		"bad length":     "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:bad>\r\nContent-Length: notanumber\r\nWARC-Date: 2021-11-05T10:30:00Z\r\n\r\n\r\n\r\n",
		"garbage header": "WARC/1.1\r\nWARC-Type: response\r\n\x00\x01garbage\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n",
		"short block":    "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:short>\r\nWARC-Date: 2021-11-05T10:30:00Z\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: 10\r\n\r\nHTTP/1.1 2\r\n\r\n",
		"bad version":    "WARC/9.9\r\nWARC-Type: response\r\nContent-Length: 0\r\n\r\n\r\n\r\n",
		"no type":        "WARC/1.1\r\nWARC-Record-ID: <urn:uuid:notype>\r\nWARC-Date: 2021-11-05T10:30:00Z\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n",
		"length short":   "WARC/1.1\r\nWARC-Type: metadata\r\nWARC-Record-ID: <urn:uuid:lshort>\r\nWARC-Date: 2021-11-05T10:30:00Z\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nhello world\r\n\r\n",
		"length long":    "WARC/1.1\r\nWARC-Type: metadata\r\nWARC-Record-ID: <urn:uuid:llong>\r\nWARC-Date: 2021-11-05T10:30:00Z\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\nhello\r\n\r\n",
	}
	dir := t.TempDir()
	for name, rec := range bad {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".warc")
			if err := os.WriteFile(path, append([]byte(rec), good...), 0o644); err != nil {
				t.Fatal(err)
			}
			urls, errs := warcCollect(t, path)
			if name == "length long" {
				// Known limit: a Content-Length that runs into the next record swallows
				// its version line, and gowarc cannot go back to find it. The loss is
				// reported (below), the record is not recovered.
				if len(urls) != 0 {
					t.Errorf("inputs %v: the good record was recovered; make this case expect it", urls)
				}
			} else if len(urls) != 1 || urls[0] != "http://arabic.cnn.com/syria" {
				t.Errorf("inputs %v, want the good record after the bad one", urls)
			}
			if len(errs) == 0 {
				t.Fatalf("no error for the bad record")
			}
			for _, err := range errs {
				var rerr *RecordError
				if !errors.As(err, &rerr) || rerr.Record == "" {
					t.Errorf("error %v is not located at a record", err)
				}
			}
		})
	}
}

// Issue 14.3: content sniffing applies inside WARC files too: a PNG served as
// text/html is a located rejection, and the page after it is read.
func TestWARCBinaryBehindHTMLHeader(t *testing.T) {
	png, err := os.ReadFile(filepath.Join(hostileDir, "image-named.html"))
	if err != nil {
		t.Fatal(err)
	}
	recs := warcCutRecords(t)
	recs[0].block = warcTestResponse("200 OK", []string{"Content-Type: text/html; charset=utf-8"}, png)
	path := filepath.Join(t.TempDir(), "png.warc")
	if err := os.WriteFile(path, warcTestEncode(t, recs, false), 0o644); err != nil {
		t.Fatal(err)
	}
	urls, errs := warcCollect(t, path)
	if len(urls) != 1 || len(errs) != 1 || !errors.Is(errs[0], ErrBinary) || !strings.Contains(errs[0].Error(), "record 1") {
		t.Fatalf("inputs %v errors %v, want record 1 rejected as image/png and record 2 read", urls, errs)
	}
}

// A whole file with trailing blank lines after its last record is not a cut.
func TestWARCTrailingNewlinesNotACut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trailing.warc")
	if err := os.WriteFile(path, append(warcTestEncode(t, warcCutRecords(t), false), "\r\n\r\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if urls, errs := warcCollect(t, path); len(urls) != 2 || len(errs) != 0 {
		t.Fatalf("inputs %v errors %v, want both records and no error", urls, errs)
	}
}

// Issue 14.3, as a campaign: the second of two records cut at every byte of its
// headers and at every 4,099th byte of its block, plain and gzipped per record. Every
// cut keeps the first record and is one rejection located at the second: no cut is
// silent.
func TestWARCCutAnywhere(t *testing.T) {
	recs := warcCutRecords(t)
	recs[0], recs[1] = recs[1], recs[0] // the short page first: each trial reads it whole
	first := warcTestEncode(t, recs[:1], false)
	second := warcTestEncode(t, recs, false)[len(first):]
	headerEnd := bytes.Index(second, []byte("\r\n\r\n")) + 4
	var cuts []int
	for at := 1; at < headerEnd+300; at += 1 + at/64*6 { // every byte of the first 64, then every 7th
		cuts = append(cuts, at)
	}
	for at := headerEnd + 300; at < len(second); at += 4099 {
		cuts = append(cuts, at)
	}
	cuts = append(cuts, len(second)-1)
	dir := t.TempDir()
	trials, failures := 0, 0
	for _, gz := range []bool{false, true} {
		for _, at := range cuts {
			data := append(bytes.Clone(first), second[:at]...)
			path := filepath.Join(dir, "cut.warc")
			if gz {
				member := readTestGzip(second[:at])
				data = append(readTestGzip(first), member[:len(member)-8]...)
				path += ".gz"
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			trials++
			urls, errs := warcCollect(t, path)
			var rerr *RecordError
			if len(urls) != 1 || len(errs) != 1 || !errors.As(errs[0], &rerr) || !strings.HasPrefix(rerr.Record, "record 2") {
				failures++
				if failures <= 10 {
					t.Errorf("gzip %v, cut at byte %d of record 2: inputs %v errors %v", gz, at, urls, errs)
				}
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d cuts not reported as one rejection at record 2", failures, trials)
	}
	t.Logf("%d cuts, %d failures", trials, failures)
}
