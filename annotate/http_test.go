package annotate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// extRequest is what the test server decodes from a POST.
type extRequest struct {
	Annotator string            `json:"annotator"`
	Params    map[string]any    `json:"params"`
	Documents []json.RawMessage `json:"documents"`
}

// extServer is a loopback annotator server. Its handler gets the decoded request and
// the 1-based number of the request; it answers with a status and a body.
type extServer struct {
	t        *testing.T
	srv      *httptest.Server
	requests atomic.Int32
	inFlight atomic.Int32
	maxIn    atomic.Int32
	mu       sync.Mutex
	batches  [][]string // doc ids per request, in arrival order
}

func newExtServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, req extRequest, n int)) *extServer {
	s := &extServer{t: t}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.requests.Add(1))
		in := s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		for {
			m := s.maxIn.Load()
			if in <= m || s.maxIn.CompareAndSwap(m, in) {
				break
			}
		}
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %d: %s with Content-Type %q", n, r.Method, r.Header.Get("Content-Type"))
		}
		var req extRequest
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &req); err != nil {
			t.Errorf("request %d: %v: %s", n, err, b)
		}
		var ids []string
		for _, d := range req.Documents {
			var doc struct {
				ID     string          `json:"id"`
				Params json.RawMessage `json:"params"`
			}
			json.Unmarshal(d, &doc)
			if doc.Params != nil {
				t.Errorf("request %d: params sent per document in a batch", n)
			}
			ids = append(ids, doc.ID)
		}
		s.mu.Lock()
		s.batches = append(s.batches, ids)
		s.mu.Unlock()
		handle(w, r, req, n)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// extAnswer answers every document with one span over its first word, labelled WORD.
func extAnswer(t *testing.T, req extRequest) map[string]any {
	var results []any
	for _, raw := range req.Documents {
		var d extWireDoc
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Error(err)
		}
		first := strings.Fields(d.Text)[0]
		s, e := extCP(t, d.Text, first)
		results = append(results, map[string]any{"id": d.ID, "items": []any{
			map[string]any{"start": s, "end": e, "label": "WORD", "score": 0.9, "attrs": map[string]any{"lang": d.Lang}},
			map[string]any{"label": "DOC"},
		}})
	}
	return map[string]any{"results": results}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func newHTTPExternal(t *testing.T, url string, cfg config.ExternalAnnotator, opts ExternalOptions) *External {
	t.Helper()
	cfg.Type, cfg.URL = "http", url
	if cfg.Layer == "" {
		cfg.Layer = "words"
	}
	e, err := NewExternalWithOptions("wordy", cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestHTTPAnnotatorSuccessBatchingAndConcurrency(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		if req.Annotator != "wordy" || req.Params["model"] != "m1" {
			t.Errorf("request %d: annotator %q params %v", n, req.Annotator, req.Params)
		}
		// Long enough that unlimited requests would overlap.
		time.Sleep(30 * time.Millisecond)
		writeJSON(w, 200, extAnswer(t, req))
	})
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{BatchSize: 2, Concurrency: 1, Params: map[string]any{"model": "m1"}}, ExternalOptions{})
	docs := extDocs()
	res := e.AnnotateBatch(context.Background(), docs)
	if got := s.requests.Load(); got != 3 {
		t.Errorf("%d requests for 5 documents in batches of 2, want 3", got)
	}
	if m := s.maxIn.Load(); m != 1 {
		t.Errorf("%d requests in flight with concurrency 1", m)
	}
	for _, b := range s.batches {
		if len(b) > 2 {
			t.Errorf("batch %v larger than 2", b)
		}
	}
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("doc %s: %v", docs[i].ID, r.Err)
		}
		if len(r.Items) != 2 || r.Items[0].IsSpan() || r.Items[0].Label != "DOC" {
			t.Fatalf("doc %s: items %+v (want the document-level item first)", docs[i].ID, r.Items)
		}
		sp := r.Items[1]
		want := strings.Fields(docs[i].Text)[0]
		if sp.Text != want || sp.Label != "WORD" || *sp.Score != 0.9 || sp.Attrs["lang"] != docs[i].Lang {
			t.Errorf("doc %s: span %+v, want text %q", docs[i].ID, sp, want)
		}
		if got, _ := schema.SliceCP(docs[i].Text, *sp.Start, *sp.End); got != want {
			t.Errorf("doc %s: offsets [%d,%d) give %q", docs[i].ID, *sp.Start, *sp.End, got)
		}
	}
	// One document through Annotate.
	items, err := e.Annotate(context.Background(), docs[0])
	if err != nil || len(items) != 2 || items[1].Text != "قطرٌ" {
		t.Errorf("Annotate = %+v, %v", items, err)
	}
}

func TestHTTPAnnotatorConcurrencyLimitIsShared(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		time.Sleep(20 * time.Millisecond)
		writeJSON(w, 200, extAnswer(t, req))
	})
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{BatchSize: 1, Concurrency: 2}, ExternalOptions{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, r := range e.AnnotateBatch(context.Background(), extDocs()) {
				if r.Err != nil {
					t.Error(r.Err)
				}
			}
		})
	}
	wg.Wait()
	if got := s.requests.Load(); got != 20 {
		t.Errorf("%d requests, want 20", got)
	}
	if m := s.maxIn.Load(); m > 2 {
		t.Errorf("%d requests in flight across calls with concurrency 2", m)
	}
}

func TestHTTPAnnotatorRetries500(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		if n == 1 {
			http.Error(w, "model warming up", http.StatusInternalServerError)
			return
		}
		writeJSON(w, 200, extAnswer(t, req))
	})
	var sl extSleeps
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{}, ExternalOptions{Sleep: sl.sleep, BaseDelay: 40 * time.Millisecond})
	res := e.AnnotateBatch(context.Background(), extDocs()[:2])
	for _, r := range res {
		if r.Err != nil || len(r.Items) != 2 {
			t.Errorf("result %+v", r)
		}
	}
	if got := s.requests.Load(); got != 2 {
		t.Errorf("%d requests, want 2 (a 500 then a success)", got)
	}
	d := sl.all()
	if len(d) != 1 || d[0] < 20*time.Millisecond || d[0] > 40*time.Millisecond {
		t.Errorf("backoff delays %v, want one in [20ms, 40ms]", d)
	}
}

func TestHTTPAnnotatorHonoursRetryAfter(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		if n <= 2 {
			w.Header().Set("Retry-After", "7")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		writeJSON(w, 200, extAnswer(t, req))
	})
	var sl extSleeps
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{}, ExternalOptions{Sleep: sl.sleep})
	if r := e.AnnotateBatch(context.Background(), extDocs()[:1])[0]; r.Err != nil {
		t.Fatal(r.Err)
	}
	if d := sl.all(); len(d) != 2 || d[0] != 7*time.Second || d[1] != 7*time.Second {
		t.Errorf("delays %v, want [7s 7s] from Retry-After", d)
	}
	// A server asking for more than MaxRetryAfter gets no more requests.
	s2 := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "come back later", http.StatusTooManyRequests)
	})
	e2 := newHTTPExternal(t, s2.srv.URL, config.ExternalAnnotator{}, ExternalOptions{Sleep: sl.sleep})
	r := e2.AnnotateBatch(context.Background(), extDocs()[:1])[0]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "retry after 1h0m0s, longer than the 1m0s we wait") || s2.requests.Load() != 1 {
		t.Errorf("err = %v after %d requests", r.Err, s2.requests.Load())
	}
}

func TestHTTPAnnotatorTimeout(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	var sl extSleeps
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{Timeout: config.Duration(50 * time.Millisecond), Retries: 1},
		ExternalOptions{Sleep: sl.sleep})
	res := e.AnnotateBatch(context.Background(), extDocs()[:2])
	for _, r := range res {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "timed out after 50ms") || !strings.Contains(r.Err.Error(), "after 2 attempts") {
			t.Errorf("err = %v", r.Err)
		}
		var xe *ExternalError
		if !errors.As(r.Err, &xe) || xe.Annotator != "wordy" {
			t.Errorf("err %v is not an ExternalError", r.Err)
		}
	}
	if got := s.requests.Load(); got != 2 {
		t.Errorf("%d requests, want 2 (one retry)", got)
	}
}

func TestHTTPAnnotatorPermanentErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"malformed JSON", 200, `{"results": [`, "response is not the expected JSON"},
		{"400", 400, `{"error":"bad params"}`, `400 Bad Request: "{\"error\":\"bad params\"}"`},
		{"result without id", 200, `{"results":[{"items":[]}]}`, `results[0]: no string "id"`},
		{"missing result", 200, `{"results":[]}`, "the response has no result for this document"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			var sl extSleeps
			e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{}, ExternalOptions{Sleep: sl.sleep})
			docs := extDocs()[:2]
			for i, r := range e.AnnotateBatch(context.Background(), docs) {
				prefix := fmt.Sprintf("annotator wordy: doc %s: ", docs[i].ID)
				if r.Err == nil || !strings.HasPrefix(r.Err.Error(), prefix) || !strings.Contains(r.Err.Error(), tc.want) {
					t.Errorf("err = %v, want %q ... %q", r.Err, prefix, tc.want)
				}
			}
			if got := s.requests.Load(); got != 1 || len(sl.all()) != 0 {
				t.Errorf("%d requests, %d sleeps: a permanent error was retried", got, len(sl.all()))
			}
		})
	}
}

func TestHTTPAnnotatorBadDocumentLeavesOthers(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		ans := extAnswer(t, req)
		results := ans["results"].([]any)
		for i, r := range results {
			m := r.(map[string]any)
			switch m["id"] {
			case "b":
				items := m["items"].([]any)
				items = append(items, map[string]any{"start": 3, "end": 5}, map[string]any{"start": 120, "end": 90, "label": "X"})
				m["items"] = items
			case "c":
				results[i] = map[string]any{"id": "c", "error": "model cannot read Arabic"}
			case "d":
				m["items"] = "nope"
			}
		}
		writeJSON(w, 200, ans)
	})
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{}, ExternalOptions{})
	docs := extDocs()
	res := e.AnnotateBatch(context.Background(), docs)
	want := map[string]string{
		"b": "annotator wordy: doc b: item 3: span [120,90) ends before it starts",
		"c": "annotator wordy: doc c: annotator reported: model cannot read Arabic",
		"d": `annotator wordy: doc d: "items" is not a list`,
	}
	for i, r := range res {
		w, bad := want[docs[i].ID]
		switch {
		case bad && (r.Err == nil || !strings.HasPrefix(r.Err.Error(), w)):
			t.Errorf("doc %s: err = %v, want %q", docs[i].ID, r.Err, w)
		case bad && r.Items != nil:
			t.Errorf("doc %s: items %+v kept next to an error", docs[i].ID, r.Items)
		case !bad && (r.Err != nil || len(r.Items) != 2):
			t.Errorf("doc %s: %+v", docs[i].ID, r)
		}
	}
	if got := s.requests.Load(); got != 1 {
		t.Errorf("%d requests: a per-document error was retried", got)
	}
}

func TestHTTPAnnotatorCacheMakesRerunFree(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		ans := extAnswer(t, req)
		for _, r := range ans["results"].([]any) {
			if m := r.(map[string]any); m["id"] == "e" {
				m["items"] = []any{map[string]any{"start": 0, "end": 99}}
			}
		}
		writeJSON(w, 200, ans)
	})
	cache := NewMemCache()
	cfg := config.ExternalAnnotator{Params: map[string]any{"k": 1}}
	e := newHTTPExternal(t, s.srv.URL, cfg, ExternalOptions{Cache: cache})
	docs := extDocs()
	first := e.AnnotateBatch(context.Background(), docs)
	n1 := s.requests.Load()
	if first[4].Err == nil {
		t.Fatal("bad span for doc e not reported")
	}
	// Failures are not cached: doc e is asked again, the four others are not.
	second := e.AnnotateBatch(context.Background(), docs[:4])
	if s.requests.Load() != n1 {
		t.Errorf("rerun made %d requests, want 0", s.requests.Load()-n1)
	}
	for i := range second {
		a, _ := json.Marshal(first[i].Items)
		b, _ := json.Marshal(second[i].Items)
		if string(a) != string(b) || second[i].Err != nil {
			t.Errorf("doc %s: cached %s, first %s (%v)", docs[i].ID, b, a, second[i].Err)
		}
	}
	if len(cache.Keys()) != 4 {
		t.Errorf("cache holds %d entries, want 4", len(cache.Keys()))
	}
	e.AnnotateBatch(context.Background(), docs[4:])
	if s.requests.Load() != n1+1 {
		t.Errorf("failed document not asked again")
	}
	// New text, new version or new params: a miss.
	changed := *docs[0]
	changed.Text += "!"
	e.AnnotateBatch(context.Background(), []*schema.Document{&changed})
	cfg.Params = map[string]any{"k": 2}
	e2 := newHTTPExternal(t, s.srv.URL, cfg, ExternalOptions{Cache: cache})
	e2.AnnotateBatch(context.Background(), docs[:1])
	cfg.Params, cfg.Version = map[string]any{"k": 1}, "2"
	e3 := newHTTPExternal(t, s.srv.URL, cfg, ExternalOptions{Cache: cache})
	e3.AnnotateBatch(context.Background(), docs[:1])
	if got := s.requests.Load(); got != n1+4 {
		t.Errorf("%d requests after changing text, params and version, want %d", got, n1+4)
	}
}

func TestHTTPAnnotatorConnectionErrorIsRetried(t *testing.T) {
	s := httptest.NewServer(http.NotFoundHandler())
	url := s.URL
	s.Close()
	var sl extSleeps
	e := newHTTPExternal(t, url, config.ExternalAnnotator{Retries: 2}, ExternalOptions{Sleep: sl.sleep})
	r := e.AnnotateBatch(context.Background(), extDocs()[:1])[0]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "after 3 attempts") || len(sl.all()) != 2 {
		t.Errorf("err = %v, sleeps %v", r.Err, sl.all())
	}
}

func TestHTTPAnnotatorCancelled(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	ctx, cancel := context.WithCancel(context.Background())
	// The first backoff is interrupted by the cancellation: no second request is made.
	sleep := func(ctx context.Context, d time.Duration) error { cancel(); return extSleep(ctx, d) }
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{}, ExternalOptions{Sleep: sleep})
	r := e.AnnotateBatch(ctx, extDocs()[:1])[0]
	if !errors.Is(r.Err, context.Canceled) || !strings.Contains(r.Err.Error(), "503 Service Unavailable") || s.requests.Load() != 1 {
		t.Errorf("err = %v after %d requests", r.Err, s.requests.Load())
	}
}

// A redirect to another origin (another port of 127.0.0.1 is another origin) is not
// followed: the documents are not POSTed there and the query of the configured URL,
// where API keys live, does not travel. The error says why and is not retried.
func TestHTTPAnnotatorRefusesCrossOriginRedirect(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var other atomic.Int32
			elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				other.Add(1)
				t.Errorf("the other origin got %s %s (Referer %q)", r.Method, r.URL, r.Referer())
				http.Error(w, "no", http.StatusTeapot)
			}))
			t.Cleanup(elsewhere.Close)
			s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
				http.Redirect(w, r, elsewhere.URL+"/collect", status)
			})
			var sl extSleeps
			e := newHTTPExternal(t, s.srv.URL+"/annotate?api_key=s3cret", config.ExternalAnnotator{}, ExternalOptions{Sleep: sl.sleep})
			r := e.AnnotateBatch(context.Background(), extDocs()[:1])[0]
			if r.Err == nil || !strings.Contains(r.Err.Error(), "redirected to another origin ("+elsewhere.URL+")") {
				t.Errorf("err = %v, want a refused redirect", r.Err)
			}
			if r.Err != nil && strings.Contains(r.Err.Error(), "s3cret") {
				t.Errorf("err %q quotes the URL's query", r.Err)
			}
			if other.Load() != 0 || s.requests.Load() != 1 || len(sl.all()) != 0 {
				t.Errorf("%d requests elsewhere, %d here, %d sleeps; want 0, 1, 0", other.Load(), s.requests.Load(), len(sl.all()))
			}
		})
	}
}

// A redirect within the origin is followed, re-POSTing the documents, without a Referer
// (which would carry the configured URL with its query).
func TestHTTPAnnotatorSameOriginRedirectSendsNoReferer(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		if ref := r.Header.Get("Referer"); ref != "" {
			t.Errorf("request %d to %s has Referer %q", n, r.URL, ref)
		}
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusPermanentRedirect)
			return
		}
		writeJSON(w, 200, extAnswer(t, req))
	})
	e := newHTTPExternal(t, s.srv.URL+"/old?api_key=s3cret", config.ExternalAnnotator{}, ExternalOptions{})
	for _, r := range e.AnnotateBatch(context.Background(), extDocs()[:2]) {
		if r.Err != nil || len(r.Items) != 2 {
			t.Errorf("result %+v", r)
		}
	}
	if got := s.requests.Load(); got != 2 {
		t.Errorf("%d requests, want 2 (the redirect, then the POST to /new)", got)
	}
}

// Changing the url (here: another server) misses the cache, even though name, version
// and params are the same: the new endpoint is asked, not the old one's answers served.
func TestHTTPAnnotatorCacheKeyedOnEndpoint(t *testing.T) {
	answer := func(label string) func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		return func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
			var results []any
			for _, raw := range req.Documents {
				var d extWireDoc
				json.Unmarshal(raw, &d)
				results = append(results, map[string]any{"id": d.ID, "items": []any{map[string]any{"label": label}}})
			}
			writeJSON(w, 200, map[string]any{"results": results})
		}
	}
	oldSrv, newSrv := newExtServer(t, answer("OLD")), newExtServer(t, answer("NEW"))
	cache := NewMemCache()
	docs := extDocs()[:2]
	cfg := config.ExternalAnnotator{Version: "1", Params: map[string]any{"model": "m"}}
	newHTTPExternal(t, oldSrv.srv.URL, cfg, ExternalOptions{Cache: cache}).AnnotateBatch(context.Background(), docs)
	res := newHTTPExternal(t, newSrv.srv.URL, cfg, ExternalOptions{Cache: cache}).AnnotateBatch(context.Background(), docs)
	for i, r := range res {
		if r.Err != nil || len(r.Items) != 1 || r.Items[0].Label != "NEW" {
			t.Errorf("doc %s after changing url: %+v, want the new server's label", docs[i].ID, r)
		}
	}
	if got := newSrv.requests.Load(); got != 1 {
		t.Errorf("the new url got %d requests, want 1", got)
	}
	// Whatever else changes what is asked or accepted misses too: the layer, the labels.
	cfg.Layer = "other"
	newHTTPExternal(t, newSrv.srv.URL, cfg, ExternalOptions{Cache: cache}).AnnotateBatch(context.Background(), docs)
	newHTTPExternal(t, newSrv.srv.URL, cfg, ExternalOptions{Cache: cache, Labels: []string{"NEW"}}).AnnotateBatch(context.Background(), docs)
	if got := newSrv.requests.Load(); got != 3 {
		t.Errorf("%d requests after changing the layer and the labels, want 3", got)
	}
	// What only changes how it is asked (batching, timeouts) still hits.
	cfg.BatchSize, cfg.Timeout = 1, config.Duration(time.Minute)
	newHTTPExternal(t, newSrv.srv.URL, cfg, ExternalOptions{Cache: cache, Labels: []string{"NEW"}}).AnnotateBatch(context.Background(), docs)
	if got := newSrv.requests.Load(); got != 3 {
		t.Errorf("%d requests after changing batch_size and timeout, want 3 (a hit)", got)
	}
}

// A response over the cap fails with an error naming the cap, and is not retried.
func TestHTTPAnnotatorResponseCap(t *testing.T) {
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) {
		ans := extAnswer(t, req)
		ans["padding"] = strings.Repeat("x", 128<<10)
		writeJSON(w, 200, ans)
	})
	var sl extSleeps
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{}, ExternalOptions{Sleep: sl.sleep, MaxOutput: 64 << 10})
	r := e.AnnotateBatch(context.Background(), extDocs()[:1])[0]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "response larger than 65536 bytes") {
		t.Errorf("err = %v, want the cap named", r.Err)
	}
	if s.requests.Load() != 1 || len(sl.all()) != 0 {
		t.Errorf("%d requests, %d sleeps: a response over the cap was retried", s.requests.Load(), len(sl.all()))
	}
	// An answer of exactly the cap is read.
	body, _ := json.Marshal(map[string]any{"results": []any{map[string]any{"id": "a", "items": []any{}}}})
	exact := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) { w.Write(body) })
	e = newHTTPExternal(t, exact.srv.URL, config.ExternalAnnotator{}, ExternalOptions{MaxOutput: int64(len(body))})
	if r := e.AnnotateBatch(context.Background(), extDocs()[:1])[0]; r.Err != nil {
		t.Errorf("answer of exactly the cap: %v", r.Err)
	}
}

// Reading a response allocates about its size once: it is decoded as it streams in,
// not read whole into a growing buffer and then copied result by result (which let two
// concurrent requests under a 256 MiB cap take 1.26 GB).
func TestHTTPAnnotatorStreamsResponse(t *testing.T) {
	var results []any
	for i := range 2000 {
		results = append(results, map[string]any{"id": fmt.Sprintf("d%d", i),
			"items": []any{map[string]any{"label": "X", "attrs": map[string]any{"note": strings.Repeat("n", 2048)}}}})
	}
	body, err := json.Marshal(map[string]any{"results": results})
	if err != nil {
		t.Fatal(err)
	}
	s := newExtServer(t, func(w http.ResponseWriter, r *http.Request, req extRequest, n int) { w.Write(body) })
	e := newHTTPExternal(t, s.srv.URL, config.ExternalAnnotator{}, ExternalOptions{})
	docs := extDocs()[:1]
	measure := func() uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		got, err := e.callHTTP(context.Background(), docs)
		runtime.ReadMemStats(&after)
		if err != nil || len(got) != len(results) {
			t.Fatalf("%d results, %v", len(got), err)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	measure() // warm the connection and the client
	alloc := measure()
	ratio := float64(alloc) / float64(len(body))
	t.Logf("%d bytes allocated for a %d-byte response (%.2fx)", alloc, len(body), ratio)
	if ratio > 3 {
		t.Errorf("reading a %d-byte response allocated %d bytes (%.2fx); want at most 3x", len(body), alloc, ratio)
	}
}
