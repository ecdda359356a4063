package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/testshared"
)

// writeGzipBomb writes a .warc.gz whose one response record claims, and holds once
// decompressed, size bytes of zeros: a WARC header and HTTP header in a first gzip
// member, then the same member of zeros repeated. It is generated here, streamed, so
// that no bomb is stored in testdata; 10 GiB of zeros take about 10 MB.
func writeGzipBomb(tb testing.TB, path string, size int64) int64 {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	const chunk = 64 << 20
	httpHead := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n", size)
	warcHead := fmt.Sprintf("WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-00000000b0b0>\r\n"+
		"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: https://example.com/bomb\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n",
		int64(len(httpHead))+size)
	if _, err := f.Write(readTestGzip([]byte(warcHead + httpHead))); err != nil {
		tb.Fatal(err)
	}
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, chunk))
	zw.Close()
	for written := int64(0); written < size; written += chunk {
		if _, err := f.Write(member.Bytes()); err != nil {
			tb.Fatal(err)
		}
	}
	st, err := f.Stat()
	if err != nil {
		tb.Fatal(err)
	}
	return st.Size()
}

// Issue 14.3: a 10 MB .warc.gz of 10 GiB of zeros kept ingest busy for 8 minutes. The
// ratio limit rejects it, located, after a few MiB of output.
func TestIngestGzipBombRejectedFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.warc.gz")
	stored := writeGzipBomb(t, path, 10<<30)
	if stored > 16<<20 {
		t.Fatalf("bomb is %d bytes on disk, want about 10 MB", stored)
	}
	st := newTestStore(t, "")
	start := time.Now()
	sum, err := st.Ingest(context.Background(), []string{path}, IngestOptions{Workers: 1})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took > 10*time.Second {
		t.Errorf("bomb took %v to reject, want seconds", took)
	}
	if sum.Rejected != 1 || sum.Ingested != 0 || len(sum.Rejections) != 1 {
		t.Fatalf("summary %+v, want the bomb rejected once", sum)
	}
	r := sum.Rejections[0]
	if r.File != path || !strings.HasPrefix(r.Record, "record 1") || !strings.Contains(r.Reason, "ingest.max_ratio") {
		t.Errorf("rejection %+v, want bomb.warc.gz record 1 naming ingest.max_ratio", r)
	}
	t.Logf("%d-byte bomb of 10 GiB rejected in %v: %s", stored, took, r.Reason)
}

// The limits come from newsds.yaml's ingest section: a file limit below a real page's
// size rejects it, and the same page passes under the defaults.
func TestIngestLimitsFromConfig(t *testing.T) {
	page, err := os.ReadFile(testshared.Path(t, "data", "trafilatura", "pages", "drk.de-Glasgow.html"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html := filepath.Join(dir, "page.html")
	gz := filepath.Join(dir, "page.html.gz")
	os.WriteFile(html, page, 0o644)
	os.WriteFile(gz, readTestGzip(page), 0o644)

	small := newTestStore(t, "ingest:\n  max_record_bytes: 10000\n  max_file_bytes: 20000\n")
	sum, err := small.Ingest(context.Background(), []string{html, gz}, IngestOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 2 || sum.Ingested != 0 {
		t.Fatalf("summary %+v, want both copies of a %d-byte page rejected by the limits", sum, len(page))
	}
	for _, r := range sum.Rejections {
		if !strings.Contains(r.Reason, "max_") && !strings.Contains(r.Reason, "too large") {
			t.Errorf("rejection %+v does not name the limit", r)
		}
	}
	sum, err = newTestStore(t, "").Ingest(context.Background(), []string{html, gz}, IngestOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 0 || sum.Ingested+sum.Unchanged+sum.Duplicates < 1 {
		t.Fatalf("summary %+v under the default limits, want the page ingested", sum)
	}
}

// The ratio limit applies to the HTTP body of a record too (Content-Encoding gzip),
// without waiting for max_record_bytes.
func TestWARCBodyBombRejected(t *testing.T) {
	var body bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&body, gzip.BestCompression)
	zw.Write([]byte("<html><body><p>"))
	zw.Write(make([]byte, 20<<20))
	zw.Close()
	recs := warcCutRecords(t)
	recs[0].block = warcTestResponse("200 OK", []string{"Content-Type: text/html", "Content-Encoding: gzip"}, body.Bytes())
	path := filepath.Join(t.TempDir(), "body-bomb.warc")
	os.WriteFile(path, warcTestEncode(t, recs, false), 0o644)
	urls, errs := warcCollect(t, path)
	if len(urls) != 1 || len(errs) != 1 || !errors.Is(errs[0], ErrLimit) || !strings.Contains(errs[0].Error(), "record 1") {
		t.Fatalf("inputs %v errors %v, want the bomb record rejected by the ratio limit and the next record read", urls, errs)
	}
}

// budgetReader: the ratio is not applied to the first MiB, and a plain file is held to
// the size limit only.
func TestBudgetReader(t *testing.T) {
	zeros := func(n int) io.Reader { return bytes.NewReader(make([]byte, n)) }
	read := func(b *budgetReader) error { _, err := io.Copy(io.Discard, b); return err }
	if err := read(&budgetReader{r: zeros(ratioSlack), in: func() int64 { return 1 }, ratio: 2}); err != nil {
		t.Errorf("within the slack: %v", err)
	}
	if err := read(&budgetReader{r: zeros(ratioSlack + 10), in: func() int64 { return 1 }, ratio: 2}); !errors.Is(err, ErrLimit) {
		t.Errorf("past the slack at ratio 2: %v, want ErrLimit", err)
	}
	if err := read(&budgetReader{r: zeros(100), max: 99}); !errors.Is(err, ErrLimit) {
		t.Errorf("past max: %v", err)
	}
	if err := read(&budgetReader{r: zeros(5 << 20), max: config.DefaultMaxFileBytes}); err != nil {
		t.Errorf("plain file: %v", err)
	}
}
