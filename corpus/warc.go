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
	wr, err := gowarc.NewWarcFileReaderFromStream(r, 0,
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
			return true
		}
		end := rec.Offset + rec.Size
		if err != nil {
			rec.Close()
			record := "record " + strconv.Itoa(n)
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
		lastEnd = end
		in, keep, err := warcInput(rec.WarcRecord, rec.Validation, src.maxBytes)
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

// warcInput turns a record into an Input; keep is false for records that are not
// HTML responses with status 200.
func warcInput(rec gowarc.WarcRecord, validation []error, maxBytes int64) (in Input, keep bool, err error) {
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
	body, err := decodeHTTPBody(payload, hdr)
	if err != nil {
		return Input{}, false, err
	}
	data, err := readLimited(body, maxBytes)
	if err != nil {
		return Input{}, false, fmt.Errorf("payload: %w", err)
	}
	contentType := hdr.Get("Content-Type")
	if !isHTMLType(contentType, data) {
		return Input{}, false, nil
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
