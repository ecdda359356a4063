package corpus

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httputil"
	"slices"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/nlnwa/gowarc/v3"
)

// WARC input is read with github.com/nlnwa/gowarc/v3 (National Library of Norway,
// maintained, WARC 1.0 and 1.1): it parses one record at a time from a stream, buffers
// a record's block in memory up to 1 MiB and on disk beyond, reports broken records as
// errors without losing its place, and exposes the HTTP status, headers and payload of
// response records. internetarchive/gowarc is mostly a writer for crawlers and would
// add a second WARC dependency. readInputFile has already undone any gzip (per-record
// members as in .warc.gz, or one stream), so the library always sees plain WARC.

// readWARC yields one Input per HTML response record with status 200. Other records
// are counted as skipped; a broken record is a RecordError and reading goes on with
// the next record the library can find.
func readWARC(ctx context.Context, r io.Reader, src inputSource, yield func(Input, error) bool) bool {
	tail := &tailReader{r: r}
	wr, err := gowarc.NewWarcFileReaderFromStream(tail, 0,
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn),
		// Spec checks must not be off: they make the library buffer the block, which is
		// what lets us read the payload after Next returns.
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
	)
	if err != nil {
		return yield(Input{}, &RecordError{Path: src.path, Err: fmt.Errorf("warc: %w", err)})
	}
	defer wr.Close()
	lastEnd := int64(-1)
	for n := 1; ; n++ {
		if ctx.Err() != nil {
			return false
		}
		rec, err := wr.Next()
		if errors.Is(err, io.EOF) && rec.WarcRecord == nil {
			if lim := src.budget.tripped(); lim != nil {
				return yield(Input{}, &RecordError{Path: src.path, Record: "record " + strconv.Itoa(n), Err: lim})
			}
			if rec.Size > 0 || tail.partial(max(lastEnd, 0)) {
				// Bytes of a record that end before its version line does.
				return yield(Input{}, &RecordError{Path: src.path, Record: "record " + strconv.Itoa(n),
					Err: fmt.Errorf("truncated record: the file ends %d bytes into the record, inside its version line", rec.Size)})
			}
			if n == 1 {
				return yield(Input{}, &RecordError{Path: src.path, Err: fmt.Errorf("%w: the file holds no WARC records", ErrEmpty)})
			}
			return true
		}
		end := rec.Offset + rec.Size
		if err != nil {
			rec.Close()
			record := "record " + strconv.Itoa(n)
			if lim := src.budget.tripped(); lim != nil {
				// The file's budget is spent: nothing after this point is read.
				return yield(Input{}, &RecordError{Path: src.path, Record: record, Err: lim})
			}
			if !yield(Input{}, &RecordError{Path: src.path, Record: record, Err: fmt.Errorf("warc: %w", err)}) {
				return false
			}
			if end <= lastEnd || errors.Is(err, io.ErrUnexpectedEOF) {
				// No progress, or the data ended mid-record: nothing more to find.
				return true
			}
			lastEnd = end
			continue
		}
		if lastEnd >= 0 && rec.Offset > lastEnd && n > 1 {
			// The library skipped bytes to find this record: the one before it ended
			// early (a Content-Length too short) or the bytes between are damaged.
			if !yield(Input{}, &RecordError{Path: src.path, Record: "record " + strconv.Itoa(n-1),
				Err: fmt.Errorf("%d bytes after the record are not a WARC record (its Content-Length is too short, or the file is damaged there); what the record holds is not what was written", rec.Offset-lastEnd)}) {
				rec.Close()
				return false
			}
		}
		lastEnd = end
		if cut := cutShort(rec.Validation); cut != nil {
			// Whatever its type: a record the file ends inside is lost and said so, and
			// nothing follows it.
			rec.Close()
			return yield(Input{}, &RecordError{Path: src.path, Record: fmt.Sprintf("record %d (WARC-Record-ID %s)", n, rec.WarcRecord.RecordId()),
				Err: fmt.Errorf("truncated record: the file ends inside it (%w)", cut)})
		}
		if bad := unreadable(rec.Validation); bad != "" && rec.WarcRecord.Type() != gowarc.Response {
			// A record of another type is never kept, but one that cannot be read may be
			// a page whose header is damaged: said, not skipped. (Responses are judged
			// by warcInput, which reads their blocks.)
			rec.Close()
			if !yield(Input{}, &RecordError{Path: src.path, Record: fmt.Sprintf("record %d (WARC-Record-ID %s)", n, rec.WarcRecord.RecordId()),
				Err: fmt.Errorf("unreadable record: %s", bad)}) {
				return false
			}
			continue
		}
		in, keep, err := warcInput(rec.WarcRecord, rec.Validation, src.maxBytes, src.maxRatio)
		rec.Close()
		if err != nil {
			record := fmt.Sprintf("record %d (WARC-Record-ID %s)", n, rec.WarcRecord.RecordId())
			if !yield(Input{}, &RecordError{Path: src.path, Record: record, Err: err}) {
				return false
			}
			continue
		}
		if !keep {
			src.stats.Skipped.Add(1)
			continue
		}
		in.Raw.Path, in.Raw.ModTime = src.path, src.modTime
		in.Raw.Record = fmt.Sprintf("record %d (WARC-Record-ID %s)", n, rec.WarcRecord.RecordId())
		in.Provenance = src.prov
		in.Provenance.WARCRecordID = rec.WarcRecord.WarcHeader().Get(gowarc.WarcRecordID)
		offset := rec.Offset
		in.Provenance.WARCOffset = &offset
		if !yield(in, nil) {
			return false
		}
	}
}

// tailReader remembers how many bytes it passed on and the last of them, so that a
// file ending in a few bytes of a record the library does not even take for a record
// start ("WAR") is found out.
type tailReader struct {
	r    io.Reader
	n    int64
	last [64]byte
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n >= len(t.last) {
		copy(t.last[:], p[n-len(t.last):n])
	} else if n > 0 {
		copy(t.last[:], t.last[n:])
		copy(t.last[len(t.last)-n:], p[:n])
	}
	t.n += int64(n)
	return n, err
}

// partial reports whether, at the end of the stream, bytes other than line ends follow
// offset end (where the last whole record ended).
func (t *tailReader) partial(end int64) bool {
	rest := t.n - end
	if rest <= 0 {
		return false
	}
	if rest > int64(len(t.last)) {
		return true
	}
	return len(bytes.Trim(t.last[int64(len(t.last))-rest:], "\r\n")) > 0
}

// cutShort returns the validation finding that says the record was cut off by the end
// of the file (its block shorter than its Content-Length, its end-of-record marker
// missing), or nil. Other spec violations are left to warcInput, which looks only at
// the records it keeps.
func cutShort(validation []error) error {
	for _, v := range validation {
		var cl *gowarc.ContentLengthError
		if errors.As(v, &cl) && cl.Actual < cl.Expected {
			return v
		}
		if msg := v.Error(); strings.Contains(msg, "too few bytes in end of record marker") || strings.Contains(msg, "unexpected end of record") {
			return v
		}
	}
	return nil
}

// unreadable describes the validation findings that mean a record cannot be read as
// written, "" if there are none: a header syntax error, no WARC-Type, a block whose
// length is not its Content-Length, a missing end-of-record marker. Other spec
// violations (a missing WARC-Date on a warcinfo) do not make a record unreadable.
func unreadable(validation []error) string {
	var msgs []string
	for _, v := range validation {
		var syn *gowarc.SyntaxError
		var cl *gowarc.ContentLengthError
		msg := v.Error()
		if errors.As(v, &syn) || errors.As(v, &cl) || strings.Contains(msg, "WARC-Type") || strings.Contains(msg, "end of record") {
			msgs = append(msgs, msg)
		}
	}
	return strings.Join(msgs, "; ")
}

// warcInput turns a record into an Input; keep is false for records that are not
// HTML responses with status 200.
func warcInput(rec gowarc.WarcRecord, validation []error, maxBytes int64, maxRatio float64) (in Input, keep bool, err error) {
	if rec.Type() != gowarc.Response {
		return Input{}, false, nil
	}
	for _, v := range validation {
		var cl *gowarc.ContentLengthError
		if errors.As(v, &cl) && cl.Actual < cl.Expected {
			return Input{}, false, fmt.Errorf("truncated record: %w", v)
		}
	}
	block, ok := rec.Block().(gowarc.HttpResponseBlock)
	if !ok {
		if len(validation) > 0 {
			msgs := make([]string, len(validation))
			for i, v := range validation {
				msgs[i] = v.Error()
			}
			return Input{}, false, fmt.Errorf("broken response record: %s", strings.Join(msgs, "; "))
		}
		// A clean response record for another protocol (dns:, ftp:) carries no page.
		return Input{}, false, nil
	}
	// Parsed here rather than taken from the library, which drops Transfer-Encoding
	// (net/http moves it out of the header) and hides header syntax errors.
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(block.ProtocolHeaderBytes())), nil)
	if err != nil {
		return Input{}, false, fmt.Errorf("HTTP header: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Input{}, false, nil
	}
	hdr := resp.Header
	if slices.Contains(resp.TransferEncoding, "chunked") {
		hdr.Set("Transfer-Encoding", "chunked")
	}
	payload, err := block.PayloadBytes()
	if err != nil {
		return Input{}, false, fmt.Errorf("payload: %w", err)
	}
	coded := &countReader{r: payload}
	body, err := decodeHTTPBody(coded, hdr)
	if err != nil {
		return Input{}, false, err
	}
	budget := &budgetReader{r: body, max: maxBytes, ratio: maxRatio, what: "HTTP body", in: func() int64 { return coded.n }}
	data, err := readLimited(budget, maxBytes)
	if err != nil {
		return Input{}, false, fmt.Errorf("payload: %w", err)
	}
	contentType := hdr.Get("Content-Type")
	if !isHTMLType(contentType, data) {
		return Input{}, false, nil
	}
	if kind := binaryKind(data[:min(len(data), sniffLen)]); kind != "" {
		// Served as a page, but it is not one (an image behind a text/html header).
		return Input{}, false, binaryError(kind, "HTML (Content-Type "+contentType+")")
	}
	date, err := rec.Date()
	if err != nil {
		return Input{}, false, fmt.Errorf("WARC-Date: %w", err)
	}
	uri := strings.Trim(rec.WarcHeader().Get(gowarc.WarcTargetURI), "<>")
	return Input{Raw: Raw{Data: data, Format: FormatHTML, URL: uri, ContentType: contentType, FetchedAt: date}}, true, nil
}

// isHTMLType reports whether a response is a web page: by its Content-Type, or when
// the server sent none, by sniffing the body as browsers do.
func isHTMLType(contentType string, body []byte) bool {
	if strings.TrimSpace(contentType) == "" {
		contentType = http.DetectContentType(body)
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		// Broken parameters ("text/html; charset"): the type before them still counts.
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// decodeHTTPBody undoes the transfer and content codings a crawler may have stored
// verbatim. Common Crawl stores bodies decoded and renames the headers, so a declared
// gzip body without the gzip magic number is taken as already decoded.
func decodeHTTPBody(payload io.Reader, hdr http.Header) (io.Reader, error) {
	body := payload
	for _, te := range hdr.Values("Transfer-Encoding") {
		if strings.EqualFold(strings.TrimSpace(te), "chunked") {
			body = httputil.NewChunkedReader(bufio.NewReader(body))
		}
	}
	enc := strings.ToLower(strings.TrimSpace(hdr.Get("Content-Encoding")))
	switch enc {
	case "", "identity", "none", "utf-8", "utf8":
		return body, nil
	case "gzip", "x-gzip", "deflate":
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	br := bufio.NewReader(body)
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("payload: %w", err)
	}
	if enc != "deflate" {
		if !bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
			return br, nil
		}
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("Content-Encoding gzip: %w", err)
		}
		return zr, nil
	}
	// "deflate" is zlib-wrapped by the standard but raw deflate from some servers; a
	// zlib header is a multiple of 31 when read as a big-endian 16-bit number.
	if len(head) == 2 && head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("Content-Encoding deflate: %w", err)
		}
		return zr, nil
	}
	return flate.NewReader(br), nil
}
