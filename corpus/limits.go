package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/newsds/newsds/config"
)

// Bounded cost per input. Every byte a reader takes from a file, and every byte a
// WARC record's HTTP codings expand to, passes through a budget: a file may hold
// config.Ingest.MaxFileBytes once decompressed, and decompressed data may not outgrow
// MaxRatio times the compressed bytes read (after a first MiB of slack, so a small
// file of repeated markup is never refused). A gzip bomb is therefore stopped after a
// few MiB, whatever it would expand to, and reported as one located rejection.

// ErrLimit is wrapped by every rejection for exceeding an ingest limit.
var ErrLimit = errors.New("ingest limit exceeded")

// ErrBinary is wrapped by the rejection of binary content (an image, an archive, a
// PDF) read as HTML or text.
var ErrBinary = errors.New("binary content")

// ErrEmpty is wrapped by the rejection of an input file with nothing in it.
var ErrEmpty = errors.New("empty input")

// ratioSlack is how many decompressed bytes are allowed before the ratio applies.
const ratioSlack = 1 << 20

// withLimits fills the reading limits from newsds.yaml's ingest section; zero fields
// keep ReadOptions' own defaults.
func (o ReadOptions) withLimits(l config.Ingest) ReadOptions {
	if l.MaxFileBytes > 0 {
		o.MaxFileBytes = l.MaxFileBytes
	}
	if l.MaxRecordBytes > 0 {
		o.MaxRecordBytes = l.MaxRecordBytes
	}
	if l.MaxRatio > 0 {
		o.MaxRatio = l.MaxRatio
	}
	return o
}

// budgetReader counts what it passes on and fails, for good, once the output exceeds
// max bytes or ratio times what in reports as read from the compressed source. The
// error is sticky so that a reader built on top (gowarc, bufio) that retries gets it
// again, and readers can tell a limit from damage by asking tripped.
type budgetReader struct {
	r     io.Reader
	in    func() int64 // compressed bytes read so far; nil when r is not decompressing
	max   int64
	ratio float64
	what  string // "file" or "HTTP body", for the message
	out   int64
	err   error
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	b.out += int64(n)
	switch {
	case b.max > 0 && b.out > b.max:
		b.err = fmt.Errorf("%w: the %s decompresses to more than %d bytes (ingest.max_file_bytes or ingest.max_record_bytes in newsds.yaml)",
			ErrLimit, b.what, b.max)
	case b.in != nil && b.ratio > 0 && b.out > ratioSlack && float64(b.out) > b.ratio*float64(b.in()):
		b.err = fmt.Errorf("%w: the %s expands more than %g times (%d bytes from %d compressed): a decompression bomb or a damaged stream (ingest.max_ratio in newsds.yaml)",
			ErrLimit, b.what, b.ratio, b.out, b.in())
	}
	if b.err != nil {
		return 0, b.err
	}
	return n, err
}

// tripped is the limit error once the budget is spent, else nil.
func (b *budgetReader) tripped() error {
	if b == nil {
		return nil
	}
	return b.err
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// binarySignatures are leading bytes of formats that are never a page or a text,
// checked beside net/http.DetectContentType, which knows only some of them.
var binarySignatures = []struct {
	magic, kind string
}{
	{"\x89PNG\r\n\x1a\n", "image/png"},
	{"\xff\xd8\xff", "image/jpeg"},
	{"GIF87a", "image/gif"},
	{"GIF89a", "image/gif"},
	{"II*\x00", "image/tiff"},
	{"MM\x00*", "image/tiff"},
	{"\x00\x00\x01\x00", "image/x-icon"},
	{"%PDF-", "application/pdf"},
	{"PK\x03\x04", "application/zip"},
	{"PK\x05\x06", "application/zip"},
	{"\x1f\x8b", "application/gzip"},
	{"BZh", "application/x-bzip2"},
	{"\xfd7zXZ\x00", "application/x-xz"},
	{"\x28\xb5\x2f\xfd", "application/zstd"},
	{"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"},
	{"Rar!\x1a\x07", "application/vnd.rar"},
	{"\x7fELF", "application/x-elf"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"},
	{"SQLite format 3\x00", "application/vnd.sqlite3"},
	{"PAR1", "application/vnd.apache.parquet"},
	{"ARROW1", "application/vnd.apache.arrow.file"},
	{"\x00asm", "application/wasm"},
	{"OggS", "audio/ogg"},
	{"ID3", "audio/mpeg"},
	{"fLaC", "audio/flac"},
	{"wOFF", "font/woff"},
	{"wOF2", "font/woff2"},
}

// binaryKind names the binary type of content that opens with head, "" when it may be
// text. Known signatures decide first; then WHATWG MIME sniffing as browsers do it
// (net/http.DetectContentType over the first 512 bytes), for which a control byte
// other than white space and ESC in those bytes means binary. A UTF-16 or UTF-8 byte
// order mark is text.
func binaryKind(head []byte) string {
	for _, s := range binarySignatures {
		if bytes.HasPrefix(head, []byte(s.magic)) {
			return s.kind
		}
	}
	if len(head) >= 8 && string(head[4:8]) == "ftyp" {
		return "video/mp4"
	}
	if len(head) >= 12 && string(head[:4]) == "RIFF" {
		return "RIFF " + strings.TrimSpace(string(head[8:12]))
	}
	if len(head) >= 262 && string(head[257:262]) == "ustar" {
		return "application/x-tar"
	}
	ct := http.DetectContentType(head)
	mt, _, _ := strings.Cut(ct, ";")
	switch {
	case strings.HasPrefix(mt, "text/"), mt == "application/json", mt == "application/xml":
		return ""
	case mt == "application/octet-stream":
		return "binary data (control bytes in the first 512 bytes)"
	}
	return mt
}

// binaryError is the rejection of content of kind read as format.
func binaryError(kind, format string) error {
	return fmt.Errorf("%w (%s) read as %s: not a page or a text; rejected", ErrBinary, kind, format)
}
