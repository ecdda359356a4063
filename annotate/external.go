package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// Defaults of an external annotator's settings in newsds.yaml.
const (
	DefaultExternalBatchSize   = 16
	DefaultExternalConcurrency = 2
	DefaultExternalTimeout     = 30 * time.Second
	DefaultExternalRetries     = 3
	// DefaultExternalBaseDelay is the first retry's backoff; each retry doubles it.
	DefaultExternalBaseDelay = 500 * time.Millisecond
	// DefaultExternalMaxRetryAfter bounds how long a Retry-After header may make us wait
	// before the retries are given up, so one slow server cannot stall a run for hours.
	DefaultExternalMaxRetryAfter = time.Minute
	// DefaultExternalMaxOutput bounds one call's answer; a batch of 16 articles' items is
	// far below it.
	DefaultExternalMaxOutput = 256 << 20
	// extMaxBackoff caps the exponential backoff itself.
	extMaxBackoff = 30 * time.Second
	// extMaxRedirects is how many same-origin redirects an http annotator follows.
	extMaxRedirects = 10
)

// ExternalOptions are the settings of an external annotator that are not in newsds.yaml.
// The zero value is usable.
type ExternalOptions struct {
	// Cache keeps validated results; nil disables caching.
	Cache Cache
	// Labels are the layer's declared labels. When set, every item must carry one of
	// them; when empty any label is accepted, but a label given as "" is still an error.
	Labels []string
	// Rand is the source of backoff jitter. nil uses a PCG seeded from the annotator's
	// name, so that runs are reproducible. It is used under a lock.
	Rand *rand.Rand
	// Sleep waits between retries; nil waits on a timer, returning early with ctx's error.
	// Tests record the delays instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
	// Client sends http requests; nil uses a client without its own timeout (the
	// per-request timeout comes from the context). Whichever is used, redirects to
	// another origin than the url's are refused and no Referer is sent.
	Client *http.Client
	// BaseDelay is the first backoff (default DefaultExternalBaseDelay).
	BaseDelay time.Duration
	// MaxRetryAfter bounds an honoured Retry-After (default DefaultExternalMaxRetryAfter).
	MaxRetryAfter time.Duration
	// MaxOutput bounds the bytes read from one call's answer, an http response body or
	// a command's stdout (default DefaultExternalMaxOutput): a runaway annotator must
	// not exhaust memory.
	MaxOutput int64
	// Dir is the working folder of a command annotator, so that relative paths in
	// newsds.yaml mean the same from anywhere (the CLI passes the corpus root); ""
	// keeps the current folder.
	Dir string
}

// External is a command or http annotator declared in newsds.yaml. Its wire formats:
//
// command — the program (argv, no shell) is started once per batch: a crash then costs
// one batch, and no state leaks between batches. It reads one JSON object per line on
// stdin, {"id","lang","title","text","params"}, and writes one line per document on
// stdout, {"id":...,"items":[{"start","end","label","score","attrs"}]} or
// {"id":...,"error":"..."}, in any order. Its stderr is quoted in errors.
//
// http — each batch is POSTed as {"annotator":NAME,"params":{...},"documents":[{"id",
// "lang","title","text"}]} with Content-Type application/json; the answer is
// {"results":[{"id","items"} | {"id","error"}]}.
//
// Both answers are read as they arrive and capped (ExternalOptions.MaxOutput). A command
// runs in its own process group, killed whole on timeout and when it ends. An http
// annotator follows redirects only within the url's origin and sends no Referer.
// Results are cached under the document and everything in the settings that can change
// them (url or command, layer, version, kind, params, labels).
//
// Offsets are code points into text (Python str indexes); start and end are both given
// (a span) or both omitted (a document-level item); score is in [0,1]; attrs values are
// strings (numbers and booleans are accepted and written in decimal).
type External struct {
	name string
	cfg  config.ExternalAnnotator
	info schema.Annotator
	// cacheID hashes everything that can change a cached result (see extCacheIdentity).
	cacheID string
	// where is the url without its query, userinfo and fragment, for error messages:
	// an API key in the query must not end up in logs and reports.
	where     string
	params    json.RawMessage
	opts      ExternalOptions
	sem       chan struct{}
	rngMu     sync.Mutex
	rng       *rand.Rand
	transport func(ctx context.Context, docs []*schema.Document) (map[string]extWireResult, error)
}

var _ BatchAnnotator = (*External)(nil)

// NewExternal returns the BatchAnnotator for an annotator declared in newsds.yaml under
// annotators.NAME, caching its results in cache (nil for none).
func NewExternal(name string, cfg config.ExternalAnnotator, cache Cache) (Annotator, error) {
	return NewExternalWithOptions(name, cfg, ExternalOptions{Cache: cache})
}

// NewExternalWithOptions is NewExternal with the settings that newsds.yaml does not hold.
func NewExternalWithOptions(name string, cfg config.ExternalAnnotator, opts ExternalOptions) (*External, error) {
	if name == "" {
		return nil, errors.New("external annotator: empty name")
	}
	where := "annotators." + name
	if cfg.Layer == "" {
		return nil, fmt.Errorf("%s.layer: empty", where)
	}
	if cfg.BatchSize < 0 || cfg.Concurrency < 0 || cfg.Timeout < 0 {
		return nil, fmt.Errorf("%s: batch_size, concurrency and timeout must not be negative", where)
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultExternalBatchSize
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = DefaultExternalConcurrency
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = config.Duration(DefaultExternalTimeout)
	}
	// retries: 0 means the default; a negative value turns retrying off.
	switch {
	case cfg.Retries == 0:
		cfg.Retries = DefaultExternalRetries
	case cfg.Retries < 0:
		cfg.Retries = 0
	}
	if cfg.Version == "" {
		cfg.Version = "0"
	}
	if cfg.Kind == "" {
		cfg.Kind = schema.KindModel
	}
	if !slices.Contains(schema.AnnotatorKinds, cfg.Kind) {
		return nil, fmt.Errorf("%s.kind: %q is not one of %s", where, cfg.Kind, strings.Join(schema.AnnotatorKinds, ", "))
	}
	params, hash, err := CanonicalParams(cfg.Params)
	if err != nil {
		return nil, fmt.Errorf("%s.%w", where, err)
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = DefaultExternalBaseDelay
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = DefaultExternalMaxRetryAfter
	}
	if opts.Sleep == nil {
		opts.Sleep = extSleep
	}
	if opts.MaxOutput <= 0 {
		opts.MaxOutput = DefaultExternalMaxOutput
	}
	rng := opts.Rand
	if rng == nil {
		h := fnv.New64a()
		h.Write([]byte(name))
		rng = rand.New(rand.NewPCG(h.Sum64(), 0))
	}
	cacheID, err := extCacheIdentity(cfg, hash, opts.Labels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	e := &External{
		name:    name,
		cfg:     cfg,
		info:    schema.Annotator{Name: name, Version: cfg.Version, Kind: cfg.Kind, ParamsHash: hash},
		cacheID: cacheID,
		params:  params,
		opts:    opts,
		sem:     make(chan struct{}, cfg.Concurrency),
		rng:     rng,
	}
	switch cfg.Type {
	case "command":
		if len(cfg.Command) == 0 || cfg.Command[0] == "" {
			return nil, fmt.Errorf("%s.command: empty", where)
		}
		e.transport = e.callCommand
	case "http":
		u, err := url.Parse(cfg.URL)
		if err != nil {
			// url.Error quotes the whole URL, query (API key) included; the cause is enough.
			var uerr *url.Error
			if errors.As(err, &uerr) {
				err = uerr.Err
			}
			return nil, fmt.Errorf("%s.url: %w", where, err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s.url: %q is not an http(s) URL", where, extRedact(u))
		}
		e.where = extRedact(u)
		e.opts.Client = extClient(opts.Client, extOrigin(u))
		e.transport = e.callHTTP
	default:
		return nil, fmt.Errorf("%s.type: %q is neither command nor http", where, cfg.Type)
	}
	return e, nil
}

// Info identifies the annotator: name, version (default "0"), kind (default model) and
// the sha256 of its canonical params.
func (e *External) Info() schema.Annotator { return e.info }

// Layer is the layer named in newsds.yaml.
func (e *External) Layer() string { return e.cfg.Layer }

// Annotate annotates one document (a batch of one).
func (e *External) Annotate(ctx context.Context, doc *schema.Document) ([]schema.Item, error) {
	r := e.AnnotateBatch(ctx, []*schema.Document{doc})[0]
	return r.Items, r.Err
}

// AnnotateBatch serves what it can from the cache, sends the rest in batches of
// batch_size with at most concurrency requests in flight for this annotator (shared
// with every other call), and returns one result per document, in order.
func (e *External) AnnotateBatch(ctx context.Context, docs []*schema.Document) []Result {
	results := make([]Result, len(docs))
	keys := make([]string, len(docs))
	var todo []int
	for i, d := range docs {
		if d == nil {
			results[i].Err = fmt.Errorf("annotator %s: document %d is nil", e.name, i)
			continue
		}
		keys[i] = extCacheKey(e.info.Key(), e.cacheID, d.Lang, d.Title, d.Text)
		if e.opts.Cache == nil {
			todo = append(todo, i)
			continue
		}
		b, ok, err := e.opts.Cache.CacheGet(ctx, keys[i])
		switch {
		case err != nil:
			results[i].Err = e.docErr(d.ID, fmt.Errorf("read cache: %w", err))
		case ok:
			var items []schema.Item
			if err := json.Unmarshal(b, &items); err != nil {
				// A corrupt entry is recomputed, not trusted.
				todo = append(todo, i)
				continue
			}
			results[i].Items = items
		default:
			todo = append(todo, i)
		}
	}
	var wg sync.WaitGroup
	for batch := range slices.Chunk(todo, e.cfg.BatchSize) {
		wg.Go(func() { e.runBatch(ctx, docs, batch, results) })
	}
	wg.Wait()
	if e.opts.Cache != nil {
		for _, i := range todo {
			if results[i].Err != nil {
				continue
			}
			b, err := json.Marshal(results[i].Items)
			if err == nil {
				err = e.opts.Cache.CachePut(ctx, keys[i], b)
			}
			if err != nil {
				results[i].Err = e.docErr(docs[i].ID, fmt.Errorf("write cache: %w", err))
			}
		}
	}
	return results
}

// runBatch sends docs[idx...] and fills their results, retrying only the documents still
// without an answer (a command that crashed halfway keeps the lines it wrote).
func (e *External) runBatch(ctx context.Context, docs []*schema.Document, idx []int, results []Result) {
	pending := idx
	for attempt := 0; ; attempt++ {
		sub := make([]*schema.Document, len(pending))
		for j, i := range pending {
			sub[j] = docs[i]
		}
		got, err := e.attempt(ctx, sub)
		var rest []int
		for _, i := range pending {
			if w, ok := got[docs[i].ID]; ok {
				results[i].Items, results[i].Err = e.finish(docs[i], w)
			} else {
				rest = append(rest, i)
			}
		}
		pending = rest
		if len(pending) == 0 {
			return
		}
		if err == nil {
			err = errors.New("the response has no result for this document")
		}
		delay, retry, err := e.retryDelay(err, attempt)
		if retry && ctx.Err() == nil {
			if serr := e.opts.Sleep(ctx, delay); serr == nil {
				continue
			}
		}
		if attempt > 0 {
			err = fmt.Errorf("%w (after %d attempts)", err, attempt+1)
		}
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", err, cerr)
		}
		for _, i := range pending {
			results[i].Err = e.docErr(docs[i].ID, err)
		}
		return
	}
}

// attempt makes one call under the concurrency limit and the per-request timeout.
func (e *External) attempt(ctx context.Context, docs []*schema.Document) (map[string]extWireResult, error) {
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-e.sem }()
	actx, cancel := context.WithTimeout(ctx, time.Duration(e.cfg.Timeout))
	defer cancel()
	got, err := e.transport(actx, docs)
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		err = &extRetryable{err: fmt.Errorf("timed out after %s: %w", time.Duration(e.cfg.Timeout), err)}
	}
	return got, err
}

// retryDelay says whether err is worth retrying after attempt (0-based) and how long to
// wait: exponential backoff with jitter in [d/2, d), or the server's Retry-After.
func (e *External) retryDelay(err error, attempt int) (time.Duration, bool, error) {
	var r *extRetryable
	if !errors.As(err, &r) || attempt >= e.cfg.Retries {
		return 0, false, err
	}
	if r.after > e.opts.MaxRetryAfter {
		return 0, false, fmt.Errorf("%w; the server asks to retry after %s, longer than the %s we wait", err, r.after, e.opts.MaxRetryAfter)
	}
	if r.after > 0 {
		return r.after, true, err
	}
	d := e.opts.BaseDelay << attempt
	if d <= 0 || d > extMaxBackoff {
		d = extMaxBackoff
	}
	e.rngMu.Lock()
	j := time.Duration(e.rng.Int64N(int64(d/2) + 1))
	e.rngMu.Unlock()
	return d/2 + j, true, err
}

// finish validates one document's answer and fills each span's text.
func (e *External) finish(doc *schema.Document, w extWireResult) ([]schema.Item, error) {
	if w.bad != nil {
		return nil, e.docErr(doc.ID, w.bad)
	}
	if w.Error != "" {
		return nil, e.docErr(doc.ID, fmt.Errorf("annotator reported: %s", w.Error))
	}
	n := schema.LenCP(doc.Text)
	items := make([]schema.Item, 0, len(w.Items))
	for k, raw := range w.Items {
		it, err := extItem(raw, doc.Text, n, e.opts.Labels)
		if err != nil {
			return nil, e.docErr(doc.ID, fmt.Errorf("item %d: %w", k, err))
		}
		items = append(items, it)
	}
	extSortItems(items)
	return items, nil
}

func (e *External) docErr(id string, err error) error {
	return &ExternalError{Annotator: e.name, DocID: id, Err: err}
}

// ExternalError is the failure of one document at an external annotator.
type ExternalError struct {
	Annotator string
	DocID     string
	Err       error
}

func (e *ExternalError) Error() string {
	return fmt.Sprintf("annotator %s: doc %s: %v", e.Annotator, e.DocID, e.Err)
}

func (e *ExternalError) Unwrap() error { return e.Err }

// extRetryable marks a failure worth retrying: a timeout, a connection error, a crashed
// command, an http 5xx or 429 (with the server's Retry-After, when given).
type extRetryable struct {
	err   error
	after time.Duration
}

func (r *extRetryable) Error() string { return r.err.Error() }
func (r *extRetryable) Unwrap() error { return r.err }

// extWireResult is one document's answer as sent; bad is set when it could not be read.
type extWireResult struct {
	Items []json.RawMessage
	Error string
	bad   error
}

// extWireDoc is a document as sent to an external annotator.
type extWireDoc struct {
	ID     string          `json:"id"`
	Lang   string          `json:"lang"`
	Title  string          `json:"title"`
	Text   string          `json:"text"`
	Params json.RawMessage `json:"params,omitempty"`
}

func extWire(d *schema.Document, params json.RawMessage) extWireDoc {
	return extWireDoc{ID: d.ID, Lang: d.Lang, Title: d.Title, Text: d.Text, Params: params}
}

// extDecodeResult reads one {"id","items"|"error"} object. The id is returned whenever
// it can be read, so that a malformed answer is charged to its own document.
func extDecodeResult(raw []byte) (string, extWireResult, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", extWireResult{}, fmt.Errorf("not a JSON object: %w", err)
	}
	return extResultFromObject(obj)
}

// extResultFromObject is extDecodeResult over an object already split into its members.
func extResultFromObject(obj map[string]json.RawMessage) (string, extWireResult, error) {
	var id string
	if err := json.Unmarshal(obj["id"], &id); err != nil || id == "" {
		return "", extWireResult{}, errors.New(`no string "id"`)
	}
	var w extWireResult
	if e, ok := obj["error"]; ok && string(e) != "null" {
		if err := json.Unmarshal(e, &w.Error); err != nil || w.Error == "" {
			w.bad = errors.New(`"error" is not a non-empty string`)
		}
		return id, w, nil
	}
	items, ok := obj["items"]
	if !ok {
		w.bad = errors.New(`the result has neither "items" nor "error"`)
		return id, w, nil
	}
	if string(items) != "null" {
		list, err := extSplitArray(items)
		if err != nil {
			w.bad = fmt.Errorf(`"items" is not a list: %w`, err)
		}
		w.Items = list
	}
	return id, w, nil
}

// extSplitArray returns the elements of the JSON array b as slices of b. b comes from
// encoding/json, so it is valid JSON; splitting it in place, rather than unmarshalling
// into []json.RawMessage, spares a copy of every item of a possibly large answer.
func extSplitArray(b []byte) ([]json.RawMessage, error) {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return nil, fmt.Errorf("%s is not a JSON array", extShorten(string(b), 40))
	}
	inner := b[1 : len(b)-1]
	out := []json.RawMessage{}
	depth, inString, escaped, start := 0, false, false, 0
	emit := func(end int) error {
		el := bytes.TrimSpace(inner[start:end])
		if len(el) == 0 {
			return errors.New("empty element in a JSON array")
		}
		out = append(out, json.RawMessage(el))
		return nil
	}
	for i, c := range inner {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			if err := emit(i); err != nil {
				return nil, err
			}
			start = i + 1
		}
	}
	if len(bytes.TrimSpace(inner)) == 0 {
		return out, nil
	}
	if err := emit(len(inner)); err != nil {
		return nil, err
	}
	return out, nil
}

// extItem validates one item against the document text of n code points.
func extItem(raw json.RawMessage, text string, n int, labels []string) (schema.Item, error) {
	var w struct {
		Start *int           `json:"start"`
		End   *int           `json:"end"`
		Label *string        `json:"label"`
		Score *float64       `json:"score"`
		Attrs map[string]any `json:"attrs"`
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&w); err != nil {
		return schema.Item{}, fmt.Errorf("malformed item: %w", err)
	}
	var it schema.Item
	switch {
	case w.Start == nil && w.End == nil:
	case w.Start == nil || w.End == nil:
		return it, errors.New("a span needs both start and end")
	default:
		if err := schema.CheckSpan(*w.Start, *w.End, n); err != nil {
			return it, err
		}
		s, err := schema.SliceCP(text, *w.Start, *w.End)
		if err != nil {
			return it, err
		}
		it.Start, it.End, it.Text = w.Start, w.End, s
	}
	if w.Label != nil {
		if *w.Label == "" {
			return it, errors.New("empty label")
		}
		it.Label = *w.Label
	}
	if len(labels) > 0 && !slices.Contains(labels, it.Label) {
		if it.Label == "" {
			return it, fmt.Errorf("no label (the layer's labels are %s)", strings.Join(labels, ", "))
		}
		return it, fmt.Errorf("label %q is not one of %s", it.Label, strings.Join(labels, ", "))
	}
	if w.Score != nil {
		if !(*w.Score >= 0 && *w.Score <= 1) {
			return it, fmt.Errorf("score %v is outside [0,1]", *w.Score)
		}
		it.Score = w.Score
	}
	if len(w.Attrs) > 0 {
		it.Attrs = make(map[string]string, len(w.Attrs))
		for k, v := range w.Attrs {
			switch x := v.(type) {
			case string:
				it.Attrs[k] = x
			case json.Number:
				it.Attrs[k] = x.String()
			case bool:
				it.Attrs[k] = strconv.FormatBool(x)
			default:
				return it, fmt.Errorf("attrs.%s: %s is not a string, number or boolean", k, extTypeName(v))
			}
		}
	}
	return it, nil
}

func extTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// extSortItems orders items as Annotator.Annotate promises: document-level items first,
// then by (start, end, label); the sort is stable so equal keys keep the sender's order.
func extSortItems(items []schema.Item) {
	pos := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	slices.SortStableFunc(items, func(a, b schema.Item) int {
		if c := pos(a.Start) - pos(b.Start); c != 0 {
			return c
		}
		if c := pos(a.End) - pos(b.End); c != 0 {
			return c
		}
		return strings.Compare(a.Label, b.Label)
	})
}

func extSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
