package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsds/newsds/schema"
)

// extMaxResponse bounds an http annotator's answer; a batch of 16 articles' items is far
// below it, and a runaway server must not exhaust memory.
const extMaxResponse = 256 << 20

// callHTTP POSTs docs as one batch. Connection errors, 5xx and 429 are retried; any other
// non-2xx status and a body that is not the expected JSON are not.
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
		return nil, fmt.Errorf("request: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	resp, err := e.opts.Client.Do(hreq)
	if err != nil {
		return nil, &extRetryable{err: fmt.Errorf("POST %s: %w", e.cfg.URL, err)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, extMaxResponse+1))
	if err != nil {
		return nil, &extRetryable{err: fmt.Errorf("POST %s: read response: %w", e.cfg.URL, err)}
	}
	if len(b) > extMaxResponse {
		return nil, fmt.Errorf("POST %s: response larger than %d bytes", e.cfg.URL, extMaxResponse)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		err := fmt.Errorf("POST %s: %s: %q", e.cfg.URL, resp.Status, extShorten(strings.TrimSpace(string(b)), 200))
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return nil, &extRetryable{err: err, after: extRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
		}
		return nil, err
	}
	var out struct {
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("POST %s: response is not the expected JSON: %w", e.cfg.URL, err)
	}
	got := make(map[string]extWireResult, len(out.Results))
	for i, raw := range out.Results {
		id, w, err := extDecodeResult(raw)
		if err != nil {
			return got, fmt.Errorf("POST %s: results[%d]: %w", e.cfg.URL, i, err)
		}
		got[id] = w
	}
	return got, nil
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
