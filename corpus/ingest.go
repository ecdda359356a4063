package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"html"
	"io"
	"iter"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/internal/byline"
	"github.com/newsds/newsds/schema"
)

// IngestOptions configure Ingest. The zero value reads any supported format with one
// worker per core.
type IngestOptions struct {
	// Source is the source key for every input; empty: by URL host (sources.*.domains),
	// then default_source, then "default".
	Source string
	// TimeZone overrides the source's time zone for dates written without an offset.
	TimeZone string
	// Format is auto (default), html, warc, jsonl or text; segment lands the folders of
	// a Spark job's segment instead (see ingestSegment).
	Format string
	// Fields maps article fields to record keys for JSON and JSONL input, over
	// newsds.yaml's ingest.fields field by field (see config.Ingest.Fields).
	Fields map[string]string
	// Workers is the number of extraction workers; 0 means one per core.
	Workers int
	// Progress, when set, is called after each record with the running totals.
	Progress func(IngestSummary)
	// Report, when set, receives one JSON line per rejected record.
	Report io.Writer
}

// Rejection is a record that could not be ingested.
type Rejection struct {
	File   string `json:"file"`
	Record string `json:"record,omitempty"`
	Reason string `json:"reason"`
	// Stack is where newsds panicked on this record (a bug to report); only the
	// report file carries it, the summary's list leaves it out.
	Stack string `json:"stack,omitempty"`
}

// PanicError is a panic raised while extracting one record: that record is rejected
// with it and the batch goes on.
type PanicError struct {
	Value any
	Stack string
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error (newsds panicked; the stack is in the ingest report): %v", e.Value)
}

// guardRecord runs the extraction of one record. A panic in it (a bug on an input
// nobody foresaw) becomes that record's located rejection instead of ending the
// process, and with it every record after this one.
func guardRecord(raw Raw, fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &RecordError{Path: raw.Path, Record: raw.Record, Err: &PanicError{Value: v, Stack: string(debug.Stack())}}
		}
	}()
	return fn()
}

// pipeline is where an ingest's records come from and how each is turned into a
// document: Inputs and Store.prepare, replaced only by tests that need a reader or an
// extractor to fail in ways no real input does yet.
type pipeline struct {
	inputs  func(context.Context, []string, ReadOptions) iter.Seq2[Input, error]
	prepare func(Input, IngestOptions, *time.Location) (schema.Document, error)
}

// IngestSummary counts what an ingest did.
type IngestSummary struct {
	Records    int `json:"records"`
	Ingested   int `json:"ingested"`
	Unchanged  int `json:"unchanged"`
	Modified   int `json:"modified"`
	Updated    int `json:"updated"`
	Duplicates int `json:"duplicates"`
	// Released counts duplicates that are originals again: their original's text
	// changed into another story, or it left their cluster (see Store.PutDocument).
	Released int `json:"released"`
	Rejected int `json:"rejected"`
	// StaleAnnotations counts annotations whose document text changed under them.
	StaleAnnotations int `json:"stale_annotations"`
	// Rejections lists the first maxListedRejections rejections; the report has all.
	Rejections []Rejection `json:"rejections"`
	Bytes      int64       `json:"bytes"`
	// UnreadFields are keys of JSON records that look like document fields the records
	// did not give ("author" without "byline"), kept as meta, by key.
	UnreadFields []UnreadField `json:"unread_fields,omitempty"`
}

const maxListedRejections = 1000

// work is one input travelling through the pipeline; seq keeps the store's write order
// equal to the input order, so which of two duplicates is the original never depends
// on worker scheduling.
type work struct {
	seq  int
	in   Input
	err  error
	doc  schema.Document
	dd   *dedupInput
	raw  *rawBlob
	size int
	// key identifies the input (see inputKey); seen is set when the inputs table says
	// it produced the staged revision, and then nothing was extracted.
	key  string
	seen *seenInput
}

// Ingest reads inputs (files, folders, globs), extracts and stages their articles.
// Reading, extraction and storing run concurrently; memory is bounded by the number of
// records in flight, not by the number of inputs. Documents are stored in one
// group transaction of many documents (see ingestBatchDocs), so an interrupted ingest keeps
// what it stored but the open batch, and never touches committed versions. An input
// already ingested with the same options by the same newsds build, whose document is
// still staged as it produced it, is counted unchanged without being extracted again.
// A bad record is rejected with its location and the batch goes on.
func (s *Store) Ingest(ctx context.Context, paths []string, opts IngestOptions) (*IngestSummary, error) {
	if opts.Format == FormatSegment {
		return s.ingestSegment(ctx, paths, opts)
	}
	return s.ingest(ctx, paths, opts, pipeline{inputs: Inputs, prepare: s.prepare})
}

func (s *Store) ingest(ctx context.Context, paths []string, opts IngestOptions, p pipeline) (*IngestSummary, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	zone, err := ingestZone(opts)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	fields, err := recordFields(s.cfg.Ingest, opts)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	inflight := opts.Workers * 4
	fingerprint, err := s.ingestFingerprint(opts, fields)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	defer dec.Close()
	// The per-document step is the one `newsds extract` runs (see docStep). Its
	// deduper is built on the first input that is not skipped: its tables (~20 ms)
	// cost as much CPU as skipping several hundred unchanged inputs.
	step := sync.OnceValue(func() docStep {
		return docStep{prepare: p.prepare, dedup: NewDeduper(s.cfg.Dedup), opts: opts, zone: zone, keys: fields}
	})
	// Each goroutine that prepares documents (the workers, the writer) has its own,
	// for its own compression buffer.
	newPrepare := func() func(w *work) error {
		var scratch []byte
		return func(w *work) error {
			in, doc, dd, err := step().run(w.in)
			w.in = in
			if err != nil {
				return err
			}
			w.doc, w.dd, w.raw = doc, dd, s.blobInto(w.in.Raw.Data, &scratch)
			return nil
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan *work, inflight)
	done := make(chan *work, inflight)
	slots := make(chan struct{}, inflight)

	go func() {
		defer close(todo)
		seq := 0
		var last Raw
		defer func() {
			// A panic inside a reader leaves the input stream unusable: what it had read
			// is stored, the panic becomes a rejection at the place it stopped, and the
			// inputs after it are not read (the reason says so).
			v := recover()
			if v == nil {
				return
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			where, record := last.Path, ""
			if where == "" {
				where = "(inputs)"
			}
			if last.Record != "" {
				record = "after " + last.Record
			}
			err := &RecordError{Path: where, Record: record,
				Err: fmt.Errorf("reading stopped here, the inputs after this point were not read: %w", &PanicError{Value: v, Stack: string(debug.Stack())})}
			todo <- &work{seq: seq, err: err}
		}()
		// JSONL lines are parsed on the workers, in parallel, and a line already
		// ingested is not parsed at all.
		for in, err := range p.inputs(ctx, paths, ReadOptions{Format: opts.Format, DeferJSONL: true, Fields: fields}.withLimits(s.cfg.Ingest)) {
			if err == nil {
				last = Raw{Path: in.Raw.Path, Record: in.Raw.Record}
			}
			if ctx.Err() != nil {
				return
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			var rerr *RecordError
			if err != nil && !errors.As(err, &rerr) {
				// Not a record problem: an unreadable argument. Still reported per input.
				err = &RecordError{Path: "(inputs)", Err: err}
			}
			todo <- &work{seq: seq, in: in, err: err}
			seq++
		}
	}()

	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prepare := newPrepare()
			for w := range todo {
				if w.err == nil {
					w.key = inputKey(fingerprint, w.in)
					// A failed look-up only means the input is ingested in full, which
					// the writer would report if the store itself were failing.
					w.seen, _ = s.lookupSeenInput(ctx, w.key, dec)
					if w.seen == nil {
						w.err = prepare(w)
					}
				}
				w.size = len(w.in.Raw.Data)
				done <- w
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	sum := &IngestSummary{Rejections: []Rejection{}}
	pending := map[int]*work{}
	next := 0
	var storeErr error
	batch := s.newDocBatch(ctx)
	defer batch.close()
	prepare := newPrepare()
	fail := func(err error) {
		if storeErr == nil {
			storeErr = err
			cancel()
		}
	}
	// The ticker commits a batch that a slow stretch of input keeps open, so what a
	// kill can lose stays about ingestBatchAge of work.
	tick := time.NewTicker(ingestBatchAge / 4)
	defer tick.Stop()
	for open := true; open; {
		var w *work
		select {
		case w, open = <-done:
		case now := <-tick.C:
			if batch.due(now) {
				if err := batch.flush(); err != nil {
					fail(err)
				}
			}
		}
		if w == nil {
			continue
		}
		pending[w.seq] = w
		for {
			w, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-slots
			if storeErr != nil || ctx.Err() != nil {
				continue
			}
			if err := s.storeOne(batch, w, sum, opts, prepare); err != nil {
				fail(err)
				continue
			}
			if batch.due(time.Now()) {
				if err := batch.flush(); err != nil {
					fail(err)
				}
			}
			if opts.Progress != nil {
				opts.Progress(*sum)
			}
		}
	}
	// What was stored before an interruption or a failing document is kept.
	if err := batch.flush(); err != nil && storeErr == nil {
		storeErr = err
	}
	if storeErr != nil {
		return sum, fmt.Errorf("ingest: %w", storeErr)
	}
	if err := ctx.Err(); err != nil {
		return sum, fmt.Errorf("ingest interrupted after %d records: %w", sum.Records, err)
	}
	return sum, nil
}

func (s *Store) storeOne(batch *docBatch, w *work, sum *IngestSummary, opts IngestOptions, prepare func(*work) error) error {
	sum.Records++
	sum.Bytes += int64(w.size)
	if w.seen != nil {
		same, err := batch.stillUnchanged(w.seen)
		if err != nil {
			return err
		}
		if same {
			sum.Unchanged++
			return nil
		}
		// The hint is stale: extract here, in the writer, which is rare enough.
		w.seen = nil
		w.err = prepare(w)
	}
	if w.err != nil {
		rej := rejection(w)
		sum.Rejected++
		if len(sum.Rejections) < maxListedRejections {
			listed := rej
			listed.Stack = ""
			sum.Rejections = append(sum.Rejections, listed)
		}
		if opts.Report != nil {
			line, _ := json.Marshal(rej)
			if _, err := opts.Report.Write(append(line, '\n')); err != nil {
				return fmt.Errorf("write report: %w", err)
			}
		}
		return nil
	}
	res, err := batch.put(w.doc, w.raw, w.dd, w.key)
	if err != nil {
		return err
	}
	if w.in.Given != nil || w.in.Unparsed {
		sum.UnreadFields = addUnreadFields(sum.UnreadFields, unreadFields(w.doc))
	}
	switch res.Outcome {
	case Added:
		sum.Ingested++
	case Unchanged:
		sum.Unchanged++
	case Modified:
		sum.Modified++
	case Updated:
		sum.Updated++
	}
	if res.DupOf != "" && res.Outcome != Unchanged {
		sum.Duplicates++
	}
	sum.Duplicates += res.Demoted
	sum.Released += res.Released
	sum.StaleAnnotations += res.StaleAnnotations
	return nil
}

func rejection(w *work) Rejection {
	rej := Rejection{File: w.in.Raw.Path, Record: w.in.Raw.Record, Reason: w.err.Error()}
	var rerr *RecordError
	var xerr *ExtractError
	switch {
	case errors.As(w.err, &rerr):
		rej = Rejection{File: rerr.Path, Record: rerr.Record, Reason: rerr.Err.Error()}
	case errors.As(w.err, &xerr):
		rej = Rejection{File: xerr.Path, Record: xerr.Record, Reason: xerr.Err.Error()}
	}
	if perr, ok := errors.AsType[*PanicError](w.err); ok {
		rej.Stack = perr.Stack
	}
	return rej
}

func (s *Store) prepare(in Input, opts IngestOptions, zone *time.Location) (schema.Document, error) {
	return docPreparer{cfg: s.cfg, now: s.now}.prepare(in, opts, zone)
}

// prepare turns an input into a document ready to store: extracted (or taken from the
// JSONL fields), normalised, identified and hashed.
func (s docPreparer) prepare(in Input, opts IngestOptions, zone *time.Location) (schema.Document, error) {
	raw := in.Raw
	given := in.Given
	url := raw.URL
	if given != nil && given.URL != "" {
		url = given.URL
	}
	sourceKey := s.sourceFor(opts.Source, given, url)
	src := s.cfg.Sources[sourceKey]
	loc := zone
	if loc == nil {
		loc = s.cfg.Location(sourceKey)
	}
	var doc schema.Document
	if raw.Format != "" {
		raw.URL = url
		d, err := Extract(raw, ExtractOptions{Source: src, SourceKey: sourceKey, Location: loc})
		if err != nil && (given == nil || given.Text == "") {
			return schema.Document{}, err
		}
		doc = d
	}
	if given != nil {
		if err := applyGiven(&doc, given, loc); err != nil {
			return schema.Document{}, &RecordError{Path: raw.Path, Record: raw.Record, Err: err}
		}
	}
	// A page whose only "body" is its headline has no article in it (an index page, a
	// stub, a paywall): storing the title as text would make a fake document.
	if doc.Text == "" || (given == nil && doc.Text == doc.Title) {
		return schema.Document{}, &RecordError{Path: raw.Path, Record: raw.Record, Err: ErrNoText}
	}
	if doc.URL == "" {
		doc.URL = url
	}
	doc.Source = sourceKey
	if doc.SiteName == "" {
		doc.SiteName = src.SiteName
	}
	// Extract has already run language id on its own title and text: running it again
	// on them could only give the same answer. Given fields may have replaced them.
	if doc.Lang == "" && (raw.Format == "" || given != nil) {
		doc.Lang = detectLangTitled(doc.Title, doc.Text)
	}
	if doc.Byline == nil {
		doc.Byline = []string{}
	}
	if doc.Meta == nil {
		doc.Meta = map[string]any{}
	}
	if err := admitDocument(&doc, given); err != nil {
		return schema.Document{}, &RecordError{Path: raw.Path, Record: raw.Record, Err: err}
	}
	if doc.ID == "" {
		doc.ID = DocumentID(doc)
	}
	// schema.ContentHash without its copy of the text.
	doc.ContentHash = schema.SHA256Hex(stringBytes(doc.Text))
	doc.RawHash = schema.SHA256Hex(raw.Data)
	doc.IngestedAt = s.now().UTC().Format(time.RFC3339)
	doc.Provenance = in.provenance()
	return doc, nil
}

// applyGiven lays the fields of a JSONL record over what extraction found: given
// fields win, missing ones keep the extracted values.
func applyGiven(doc *schema.Document, g *GivenFields, loc *time.Location) error {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&doc.ID, g.ID)
	set(&doc.URL, g.URL)
	set(&doc.SiteName, g.SiteName)
	set(&doc.Title, cleanLine(g.Title))
	set(&doc.Section, cleanLine(g.Section))
	set(&doc.Lang, langCode(g.Lang))
	if g.Text != "" {
		doc.Text = givenText(g.Text)
	}
	if len(g.Byline) > 0 {
		doc.Byline = givenByline(g.Byline, siteKeys(doc.SiteName, doc.URL))
		if creditsInterview(g.Byline, byline.InField) {
			if doc.Meta == nil {
				doc.Meta = map[string]any{}
			}
			doc.Meta[schema.MetaInterviewCredit] = true
		}
	}
	if g.Published != "" {
		t, ok := ParseDate(g.Published, loc, time.Time{})
		if !ok {
			t, ok = unixTime(g.Published)
		}
		if !ok {
			return fmt.Errorf("published %q is not a date (want RFC 3339, a written date such as \"March 3, 2024 10:15\", or Unix seconds or milliseconds)", g.Published)
		}
		doc.Published = formatPublished(t)
	}
	if len(g.Meta) > 0 {
		if doc.Meta == nil {
			doc.Meta = map[string]any{}
		}
		keys := make([]string, 0, len(g.Meta))
		for k := range g.Meta {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			doc.Meta[k] = g.Meta[k]
		}
	}
	return nil
}

// givenByline is a record's byline read as an extracted one is (cleanByline): scrapers
// and exports write it as the page showed it, with its label ("By", "حاوره :"), the
// paper's dash and outlet ("محمد - سبق"), a job title, HTML entities left in
// ("&nbsp;"). Each entry stays one entry, since a list may write "Doe, Jane". Where
// cleaning leaves no name, the byline is kept as given: a stated byline is never lost.
func givenByline(names []string, site map[string]bool) []string {
	unescaped := make([]string, len(names))
	for i, n := range names {
		unescaped[i] = html.UnescapeString(n)
	}
	if clean := cleanNames(cleanByline(unescaped, site)); len(clean) > 0 {
		return clean
	}
	return cleanNames(unescaped)
}

// givenText is the text field of a JSONL record, cleaned. A blank line ends a
// paragraph; within a block, single line breaks follow the plain-text scrape reader's
// rule (joinBlock): a paragraph per line, as scrapes and news datasets write them
// (SaudiNewsNet's content has a blank line after its header and one paragraph a line
// after it), unless the block is hard-wrapped. Kept as one paragraph, an interview's
// questions and answers would be one turn. Text with no single line break that
// cleaning leaves as it is (what newsds itself exports) is kept without a copy.
func givenText(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !hasSingleBreak(text) {
		same := true
		for p := range strings.SplitSeq(text, "\n\n") {
			if same = cleanParagraph(p) == p && p != ""; !same {
				break
			}
		}
		if same {
			return text
		}
	}
	text = strings.ReplaceAll(text, "\r", "\n")
	var paras, block []string
	flush := func() {
		paras = append(paras, joinBlock(block)...)
		block = block[:0]
	}
	for l := range strings.SplitSeq(text, "\n") {
		if l = cleanLine(l); l == "" {
			flush()
			continue
		}
		block = append(block, l)
	}
	flush()
	return strings.Join(paras, "\n\n")
}

// hasSingleBreak reports a line break that is not half of a blank line between two
// paragraphs.
func hasSingleBreak(text string) bool {
	for i := 0; i < len(text); i++ {
		if text[i] != '\n' {
			continue
		}
		if i+1 >= len(text) || text[i+1] != '\n' {
			return true
		}
		i++ // the pair "\n\n"; a third '\n' right after it is a single break
	}
	return false
}

// sourceFor picks the source key: the flag, the JSONL field, a domain match, the
// configured default, or "default".
func (s docPreparer) sourceFor(flag string, given *GivenFields, rawURL string) string {
	if flag != "" {
		return flag
	}
	if given != nil && given.Source != "" {
		return given.Source
	}
	if u, err := url.Parse(rawURL); err == nil && u.Hostname() != "" {
		host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		keys := make([]string, 0, len(s.cfg.Sources))
		for k := range s.cfg.Sources {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, d := range s.cfg.Sources[k].Domains {
				d = strings.TrimPrefix(strings.ToLower(d), "www.")
				if host == d || strings.HasSuffix(host, "."+d) {
					return k
				}
			}
		}
	}
	if s.cfg.DefaultSource != "" {
		return s.cfg.DefaultSource
	}
	return "default"
}

// DocumentID derives a stable id: from the canonical URL when known (meta
// canonical_url, else url), else from source + title + published date. The same
// article fetched twice gets the same id, so a changed page is a modification. Two
// different articles can share a title and a day (letters, live pages, briefs): the
// store gives the later one articleID's other id (see Store.articleID).
func DocumentID(d schema.Document) string {
	id, _ := documentID(d)
	return id
}

// documentID is DocumentID, and whether the id is the title-and-day one that
// different articles can share.
func documentID(d schema.Document) (id string, titled bool) {
	canonical, _ := d.Meta["canonical_url"].(string)
	if canonical == "" {
		canonical = d.URL
	}
	if c := CanonicalURL(canonical); c != "" {
		return schema.SHA256Hex([]byte("url\x00" + c))[:32], false
	}
	day := d.Published
	if len(day) >= 10 {
		day = day[:10]
	}
	if d.Title == "" && day == "" {
		return schema.SHA256Hex([]byte("text\x00" + d.Source + "\x00" + d.Text))[:32], false
	}
	return schema.SHA256Hex([]byte("doc\x00" + d.Source + "\x00" + d.Title + "\x00" + day))[:32], true
}

// textArticleID is the id of an article whose title-and-day id (titled) already
// names a different article: the title-and-day id and the article's exact dedup key,
// so the same text is found again under it whatever order the inputs come in.
func textArticleID(titled, exactKey string) string {
	return schema.SHA256Hex([]byte("doc\x00" + titled + "\x00" + exactKey))[:32]
}

// SameArticleSimilarity is the estimated Jaccard similarity of two MinHash signatures
// at and above which two texts under one title-and-day id are one article (a revision:
// edits, a re-extraction, an added paragraph) rather than two. Different articles that
// share a headline share almost no 5-word shingles; a revision keeps most of them.
// Below the near-duplicate threshold on purpose: calling a revision a new article
// keeps both texts, calling a new article a revision would replace one.
const SameArticleSimilarity = 0.5

// SameArticle tells whether two texts under one title-and-day id are one article:
// the same exact dedup key, or signatures at least SameArticleSimilarity alike. With
// near-duplicate detection off (no signatures) only the exact key tells.
func SameArticle(keyA string, sigA []uint64, keyB string, sigB []uint64) bool {
	if keyA == keyB {
		return true
	}
	return len(sigA) > 0 && len(sigB) > 0 && EstimateJaccard(sigA, sigB) >= SameArticleSimilarity
}

// CanonicalURL normalises a URL for identity: lower-case scheme and host, no default
// port, fragment or tracking parameters, sorted query, no trailing slash. "" when s is
// not an absolute http(s) URL.
func CanonicalURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	u.Scheme = "https" // http and https copies of a page are one article
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	u.Host = host
	u.Fragment = ""
	u.RawFragment = ""
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" || lk == "ref" || lk == "ocid" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String()
}

// ingestFingerprint covers everything besides an input's own bytes that decides the
// document ingesting it stores: the ingest options, the configuration that extraction
// and dedup read, and the newsds build (another build may extract differently, so its
// first ingest of an input does the work again). fields is the field mapping in force
// (recordFields).
func (s *Store) ingestFingerprint(opts IngestOptions, fields map[string]string) ([]byte, error) {
	cfg, err := json.Marshal(struct {
		Sources       map[string]config.Source
		DefaultSource string
		Dedup         config.Dedup
		Fields        map[string]string `json:",omitempty"`
	}{s.cfg.Sources, s.cfg.DefaultSource, s.cfg.Dedup, fields})
	if err != nil {
		return nil, fmt.Errorf("fingerprint the configuration: %w", err)
	}
	h := sha256.New()
	for _, f := range []string{string(cfg), opts.Source, opts.TimeZone, opts.Format, buildFingerprint()} {
		writeField(h, f)
	}
	return h.Sum(nil), nil
}

// buildFingerprint names the running newsds build: its module versions and VCS stamp,
// and the executable's size and modification time, which change with every rebuild of
// a work tree that the VCS stamp alone would not tell apart.
func buildFingerprint() string {
	var b strings.Builder
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(bi.String())
	}
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			fmt.Fprintf(&b, "\n%s %d %d", exe, st.Size(), st.ModTime().UnixNano())
		}
	}
	return b.String()
}

// inputKey identifies what ingesting in can produce under fingerprint: the input bytes,
// every field the container or the JSONL record gave beside them, and (for inputs that
// are extracted, or may be: an unparsed JSONL line that may hold html) the times that
// bound their dates. The file name and record number are left out: the same article in
// a renamed file is the same input.
func inputKey(fingerprint []byte, in Input) string {
	h := sha256.New()
	h.Write(fingerprint)
	r := in.Raw
	writeField(h, strconv.FormatBool(in.Unparsed))
	writeField(h, r.Format)
	writeField(h, r.URL)
	writeField(h, r.ContentType)
	if r.Format != "" || (in.Unparsed && mayHoldHTML(r.Data)) {
		writeField(h, r.FetchedAt.UTC().Format(time.RFC3339Nano))
		writeField(h, r.ModTime.UTC().Format(time.RFC3339Nano))
	}
	if g := in.Given; g != nil {
		for _, f := range []string{g.ID, g.URL, g.Source, g.SiteName, g.Title, g.Published, g.Section, g.Lang, g.Text} {
			writeField(h, f)
		}
		writeField(h, strings.Join(g.Byline, "\x00"))
		meta, _ := json.Marshal(g.Meta) // map keys are sorted; values are decoded JSON
		writeField(h, string(meta))
		writeField(h, strconv.FormatBool(g.HasHTML))
	}
	writeFieldBytes(h, r.Data)
	return hex.EncodeToString(h.Sum(nil))
}

// mayHoldHTML reports whether a JSONL line can have an "html" field, which is
// extracted with the file's modification time as a bound for its dates: a line of text
// fields does not depend on it, so rewriting the file (appending records, editing one)
// does not make its other lines new inputs. A key is written in quotes, so the word
// html in a text or a URL does not count (and a search led by the quote, rarer in
// text than the letter h, is the faster one); a key written with escapes
// could spell "html" in other bytes, and only \u escapes can spell a letter, so a line
// with any counts as one that may.
func mayHoldHTML(line []byte) bool {
	return bytes.Contains(line, []byte(`"html"`)) || bytes.Contains(line, []byte(`\u`))
}

// writeField writes s length-prefixed, so that no two field lists hash alike.
func writeField(h hash.Hash, s string) {
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
	_, _ = io.WriteString(h, s) // a hash.Hash never fails to write
}

// writeFieldBytes is writeField for bytes, without copying them into a string first.
func writeFieldBytes(h hash.Hash, b []byte) {
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
	h.Write(b)
}
