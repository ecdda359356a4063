package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsds/newsds/schema"
)

// extStatusQuote is how much of a failed response's body an error quotes.
const extStatusQuote = 4 << 10

// callHTTP POSTs docs as one batch. Connection errors, 5xx and 429 are retried; any other
// non-2xx status, a refused redirect and a body that is not the expected JSON are not.
func (e *External) callHTTP(ctx context.Context, docs []*schema.Document) (map[string]extWireResult, error) {
	req := struct {
		Annotator string          `json:"annotator"`
		Params    json.RawMessage `json:"params"`
		Documents []extWireDoc    `json:"documents"`
	}{Annotator: e.name, Params: e.params, Documents: make([]extWireDoc, len(docs))}
	for i, d := range docs {
		req.Documents[i] = extWire(d, nil)
	}
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(req); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, e.cfg.URL, &body)
	if err != nil {
		return nil, fmt.Errorf("POST %s: request: %w", e.where, err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	resp, err := e.opts.Client.Do(hreq)
	if err != nil {
		var refused *extRedirectError
		if errors.As(err, &refused) {
			return nil, fmt.Errorf("POST %s: %w", e.where, refused)
		}
		// url.Error quotes the whole URL, query included; the cause is enough.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, &extRetryable{err: fmt.Errorf("POST %s: %w", e.where, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, extStatusQuote))
		err := fmt.Errorf("POST %s: %s: %q", e.where, resp.Status, extShorten(strings.TrimSpace(strings.ToValidUTF8(string(b), "")), 200))
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return nil, &extRetryable{err: err, after: extRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
		}
		return nil, err
	}
	src := &extReadErrs{r: resp.Body}
	got, err := extDecodeResponse(&extCapReader{r: src, left: e.opts.MaxOutput, limit: e.opts.MaxOutput})
	var tooLarge *extTooLarge
	switch {
	case err == nil:
		return got, nil
	case errors.As(err, &tooLarge):
		return got, fmt.Errorf("POST %s: response %w", e.where, tooLarge)
	case src.err != nil:
		// The connection failed mid-body: worth another try, unlike bad JSON.
		return got, &extRetryable{err: fmt.Errorf("POST %s: read response: %w", e.where, src.err)}
	}
	return got, fmt.Errorf("POST %s: %w", e.where, err)
}

// extDecodeResponse reads {"results":[...]} one result at a time, so that memory holds
// the results decoded so far and one more, never the whole body again on top of them.
// The results read before an error are returned with it.
func extDecodeResponse(r io.Reader) (map[string]extWireResult, error) {
	got := map[string]extWireResult{}
	dec := json.NewDecoder(r)
	bad := func(err error) (map[string]extWireResult, error) {
		var tooLarge *extTooLarge
		if errors.As(err, &tooLarge) {
			return got, err
		}
		return got, fmt.Errorf("response is not the expected JSON: %w", err)
	}
	if err := extExpectDelim(dec, '{'); err != nil {
		return bad(err)
	}
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad(err)
		}
		if tok != "results" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return bad(err)
			}
			continue
		}
		tok, err = dec.Token()
		switch {
		case err != nil:
			return bad(err)
		case tok == nil: // "results": null, no results
			continue
		case tok != json.Delim('['):
			return bad(fmt.Errorf(`"results" is not a list`))
		}
		for ; dec.More(); n++ {
			// Decoding straight into the members copies each result once.
			var obj map[string]json.RawMessage
			if err := dec.Decode(&obj); err != nil {
				var typeErr *json.UnmarshalTypeError
				if errors.As(err, &typeErr) {
					// The value was read whole; only its type is wrong.
					return got, fmt.Errorf("results[%d]: not a JSON object: %w", n, err)
				}
				return bad(err)
			}
			id, w, err := extResultFromObject(obj)
			if err != nil {
				return got, fmt.Errorf("results[%d]: %w", n, err)
			}
			got[id] = w
		}
		if err := extExpectDelim(dec, ']'); err != nil {
			return bad(err)
		}
	}
	if err := extExpectDelim(dec, '}'); err != nil {
		return bad(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			err = errors.New("data after the JSON object")
		}
		return bad(err)
	}
	return got, nil
}

func extExpectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("%v where %v was expected", tok, want)
	}
	return nil
}

// extReadErrs remembers the first read error other than io.EOF, telling a dropped
// connection from a body that is complete but wrong.
type extReadErrs struct {
	r   io.Reader
	err error
}

func (x *extReadErrs) Read(p []byte) (int, error) {
	n, err := x.r.Read(p)
	if err != nil && err != io.EOF && x.err == nil {
		x.err = err
	}
	return n, err
}

// extTooLarge is the error of an answer longer than the cap.
type extTooLarge struct{ limit int64 }

func (t *extTooLarge) Error() string {
	return fmt.Sprintf("larger than %d bytes; stopped reading", t.limit)
}

// extCapReader passes at most limit bytes of r and then fails with extTooLarge, unless
// r ends exactly there.
type extCapReader struct {
	r           io.Reader
	left, limit int64
}

func (c *extCapReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if c.left <= 0 {
		// One byte more tells an answer of exactly limit bytes from a longer one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, &extTooLarge{limit: c.limit}
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// extRedirectError is a redirect an http annotator refused to follow.
type extRedirectError struct{ to string }

func (r *extRedirectError) Error() string {
	return fmt.Sprintf("redirected to another origin (%s); not followed, so that the documents and the URL go nowhere but the configured server", r.to)
}

// extClient returns a copy of c (nil: a fresh client) that follows redirects only within
// origin and never sends a Referer. A cross-origin redirect would re-POST the documents
// (307, 308) or send the request (302) to a server nobody configured, and Go's client
// puts the previous URL, query and API key included, in the Referer of every hop.
func extClient(c *http.Client, origin string) *http.Client {
	out := &http.Client{}
	if c != nil {
		cp := *c
		out = &cp
	}
	next := out.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		// net/http sets the Referer before asking this function, so deleting it here
		// removes it from the request that is sent.
		req.Header.Del("Referer")
		if to := extOrigin(req.URL); to != origin {
			return &extRedirectError{to: to}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= extMaxRedirects {
			return fmt.Errorf("stopped after %d redirects", extMaxRedirects)
		}
		return nil
	}
	return out
}

// extOrigin is u's scheme://host[:port], lowercased and without the scheme's default port.
func extOrigin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// extRedact is u without userinfo, query and fragment, where secrets are put.
func extRedact(u *url.URL) string {
	r := *u
	r.User, r.RawQuery, r.ForceQuery, r.Fragment, r.RawFragment = nil, "", false, "", ""
	return r.String()
}

// extRetryAfter reads a Retry-After header: delay-seconds or an HTTP date. It returns 0
// when the header is absent or unreadable, which means "use the backoff".
func extRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
