package annotate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsds/newsds/schema"
)

// Annotation file formats read by Import and written by Export.
const (
	// FormatLabelStudio is Label Studio's JSON export: a list of tasks, each with "data"
	// (the text and our document id), "annotations" and "predictions".
	FormatLabelStudio = "labelstudio"
	// FormatDoccano is doccano's JSONL export: one document per line with "text" and
	// "label" ([[start, end, "LABEL"], ...] for spans, ["LABEL"] for the document) or
	// "entities" ([{"start_offset","end_offset","label"}]), offsets in UTF-16 code units.
	FormatDoccano = "doccano"
	// FormatJSONL is newsds's own: one schema.Annotation per line.
	FormatJSONL = "jsonl"
)

// AnnotationFormats lists the formats of Import and Export.
var AnnotationFormats = []string{FormatLabelStudio, FormatDoccano, FormatJSONL}

// DocumentLookup fetches a stored document by id; the corpus store implements it.
type DocumentLookup interface {
	Document(ctx context.Context, id string) (schema.Document, error)
}

// ImportOptions configure Import. The zero value of each field is its default.
type ImportOptions struct {
	// Format is labelstudio, doccano or jsonl.
	Format string
	// Layer receives the annotations (the --layer flag). Required for labelstudio and
	// doccano; for jsonl it fills records without a layer and rejects other layers.
	Layer string
	// Annotator names the annotator when the file does not (default: the format name).
	Annotator string
	// Version is the version given to the imported annotators (default "0").
	Version string
	// Kind of the imported annotators (default human). Label Studio predictions, when
	// imported, are always kind model.
	Kind string
	// Labels are the layer's declared labels; when set every item needs one of them.
	Labels []string
	// Docs gives the stored text every record is checked against. Required.
	Docs DocumentLookup
	// IDKey is the key holding our document id: inside "data" for Label Studio, at the
	// top level for doccano. Default: "doc_id", else "id".
	IDKey string
	// TextKey is the Label Studio "data" key holding the text (default "text").
	TextKey string
	// Predictions also imports Label Studio predictions (kind model, named by their
	// model_version "NAME@VERSION"); by default they are skipped, since they usually
	// are the pre-annotations newsds exported.
	Predictions bool
	// Now stamps CreatedAt (default time.Now); jsonl records keep their own.
	Now func() time.Time
}

// ImportResult is what Import read.
type ImportResult struct {
	// Annotations holds one annotation per (document, layer, annotator), sorted by
	// document id, layer and annotator name. A pair with any rejected record is left out
	// entirely, so a partly read human annotation never passes for a complete one.
	Annotations []schema.Annotation
	// Errors are the rejected records, in file order.
	Errors []RecordError
	// Records is the number of records read (tasks or lines).
	Records int
	// Skipped counts annotations deliberately not imported: cancelled Label Studio
	// annotations, predictions (without Predictions), and doccano lines with no labels.
	Skipped int
}

// RecordError is one rejected record of an import file.
type RecordError struct {
	File string
	// Record locates the record: "task 12 (doc abc)", "line 3 (doc abc)". Task numbers
	// are Label Studio's task ids; lines count from 1; result and item indexes in Err
	// count from 0, as in the JSON arrays.
	Record string
	DocID  string
	Err    error
}

func (e *RecordError) Error() string { return e.File + ": " + e.Record + ": " + e.Err.Error() }
func (e *RecordError) Unwrap() error { return e.Err }

// Import reads an annotation file in opts.Format from r (path only names it in errors),
// converts offsets to code points, and checks every record against the stored text:
// the record's text, when given, must equal it, and every span's text must equal
// text[start:end]. Bad records are reported in ImportResult.Errors and never stop the
// others; the error return is for a file that cannot be read at all.
func Import(ctx context.Context, r io.Reader, path string, opts ImportOptions) (ImportResult, error) {
	if opts.Docs == nil {
		return ImportResult{}, errors.New("import annotations: no document lookup")
	}
	if opts.Layer == "" && opts.Format != FormatJSONL {
		return ImportResult{}, fmt.Errorf("import annotations: %s needs a layer", opts.Format)
	}
	if opts.Kind == "" {
		opts.Kind = schema.KindHuman
	}
	if !slices.Contains(schema.AnnotatorKinds, opts.Kind) {
		return ImportResult{}, fmt.Errorf("import annotations: kind %q is not one of %s", opts.Kind, strings.Join(schema.AnnotatorKinds, ", "))
	}
	if opts.Version == "" {
		opts.Version = "0"
	}
	if opts.Annotator == "" {
		opts.Annotator = opts.Format
	}
	if opts.TextKey == "" {
		opts.TextKey = "text"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	im := &importer{ctx: ctx, path: path, opts: opts, now: opts.Now().UTC().Format(time.RFC3339),
		groups: map[impKey]*schema.Annotation{}, rejected: map[impKey]bool{}}
	var err error
	switch opts.Format {
	case FormatLabelStudio:
		err = im.labelStudio(r)
	case FormatDoccano:
		err = im.lines(r, im.doccanoLine)
	case FormatJSONL:
		err = im.lines(r, im.jsonlLine)
	default:
		return ImportResult{}, fmt.Errorf("import annotations: format %q is not one of %s", opts.Format, strings.Join(AnnotationFormats, ", "))
	}
	if err != nil {
		return ImportResult{}, err
	}
	return im.result(), nil
}

type impKey struct{ doc, layer, annotator string }

type importer struct {
	ctx      context.Context
	path     string
	opts     ImportOptions
	now      string
	res      ImportResult
	groups   map[impKey]*schema.Annotation
	rejected map[impKey]bool
}

func (im *importer) reject(record, docID string, err error, keys ...impKey) {
	im.res.Errors = append(im.res.Errors, RecordError{File: im.path, Record: record, DocID: docID, Err: err})
	for _, k := range keys {
		im.rejected[k] = true
	}
}

// add merges items into the (doc, layer, annotator) annotation.
func (im *importer) add(doc *schema.Document, layer string, who schema.Annotator, createdAt string, items []schema.Item) {
	k := impKey{doc.ID, layer, who.Name}
	a := im.groups[k]
	if a == nil {
		a = &schema.Annotation{DocID: doc.ID, Layer: layer, Annotator: who, ContentHash: impHash(doc), CreatedAt: createdAt, Items: []schema.Item{}}
		im.groups[k] = a
	}
	a.Items = append(a.Items, items...)
}

func (im *importer) result() ImportResult {
	keys := make([]impKey, 0, len(im.groups))
	for k := range im.groups {
		if !im.rejected[k] {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b impKey) int {
		return impCompare(a.doc, b.doc, a.layer, b.layer, a.annotator, b.annotator)
	})
	for _, k := range keys {
		a := im.groups[k]
		extSortItems(a.Items)
		im.res.Annotations = append(im.res.Annotations, *a)
	}
	return im.res
}

// impCompare compares pairs in order: (a1, b1), then (a2, b2), ...
func impCompare(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

func impHash(d *schema.Document) string {
	if d.ContentHash != "" {
		return d.ContentHash
	}
	return schema.ContentHash(d.Text)
}

// lookup fetches the stored document and checks that the record's text (if any) is it.
func (im *importer) lookup(id string, text *string) (*schema.Document, error) {
	if id == "" {
		return nil, errors.New("no document id")
	}
	d, err := im.opts.Docs.Document(im.ctx, id)
	if err != nil {
		return nil, fmt.Errorf("doc %s: %w", id, err)
	}
	if text != nil && *text != d.Text {
		return nil, fmt.Errorf("the record's text differs from the stored text of doc %s %s: the offsets refer to another text", id, impFirstDiff(*text, d.Text))
	}
	return &d, nil
}

// impFirstDiff describes where two texts first differ, in code points.
func impFirstDiff(a, b string) string {
	cp := 0
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return fmt.Sprintf("(first at code point %d: %q in the file, %q in the corpus)", cp, ra, rb)
		}
		a, b, cp = a[na:], b[nb:], cp+1
	}
	return fmt.Sprintf("(one is a prefix of the other; they differ from code point %d)", cp)
}

// span checks a code-point span against the stored text and the text the file gives
// for it (nil when it gives none), and builds the item.
func (im *importer) span(doc *schema.Document, start, end int, fileText *string, utf16Hint bool) (schema.Item, error) {
	it, err := im.cpSpan(doc.Text, start, end, fileText)
	if err != nil && utf16Hint && fileText != nil {
		// Label Studio counts code points; a file written by a tool counting UTF-16
		// units drifts after every emoji. Say so when that reading fits.
		s, e1 := schema.UTF16ToCP(doc.Text, start)
		e, e2 := schema.UTF16ToCP(doc.Text, end)
		if e1 == nil && e2 == nil {
			if _, err16 := im.cpSpan(doc.Text, s, e, fileText); err16 == nil {
				err = fmt.Errorf("%w (the offsets fit as UTF-16 code units: the file was written by a tool counting UTF-16)", err)
			}
		}
	}
	return it, err
}

func (im *importer) cpSpan(text string, start, end int, fileText *string) (schema.Item, error) {
	if err := schema.CheckSpan(start, end, schema.LenCP(text)); err != nil {
		return schema.Item{}, err
	}
	it, err := schema.Span(text, start, end)
	if err != nil {
		return schema.Item{}, err
	}
	if fileText != nil && *fileText != it.Text {
		return schema.Item{}, fmt.Errorf("span [%d,%d) is %q in the corpus but %q in the file", start, end, it.Text, *fileText)
	}
	return it, nil
}

// label checks a label against the declared labels ("" means no label).
func (im *importer) label(l string) error {
	if len(im.opts.Labels) == 0 || slices.Contains(im.opts.Labels, l) {
		return nil
	}
	if l == "" {
		return fmt.Errorf("no label (the layer's labels are %s)", strings.Join(im.opts.Labels, ", "))
	}
	return fmt.Errorf("label %q is not one of %s", l, strings.Join(im.opts.Labels, ", "))
}

// --- Label Studio ---

// Label Studio offsets are code points. Its export format documents value.start/end of
// a text region as character offsets into task.data.text, and its backend, converters
// and ML-backend examples (all Python) slice the data with text[start:end]; since 1.x
// the frontend converts the browser's UTF-16 DOM offsets to code points so that emoji do
// not shift later regions. The span text stored in value.text is checked against
// text[start:end] for every region, so a file counting otherwise is rejected, never
// imported misaligned (and the error says when UTF-16 units would fit).

type lsTask struct {
	ID          json.RawMessage `json:"id"`
	Data        map[string]any  `json:"data"`
	Annotations []lsAnnotation  `json:"annotations"`
	Predictions []lsAnnotation  `json:"predictions"`
}

type lsAnnotation struct {
	CompletedBy     json.RawMessage `json:"completed_by"`
	CreatedUsername string          `json:"created_username"`
	ModelVersion    string          `json:"model_version"`
	WasCancelled    bool            `json:"was_cancelled"`
	Result          []lsResult      `json:"result"`
}

type lsResult struct {
	ID       string   `json:"id,omitempty"`
	FromName string   `json:"from_name"`
	ToName   string   `json:"to_name"`
	Type     string   `json:"type"`
	Value    lsValue  `json:"value"`
	Score    *float64 `json:"score,omitempty"`
}

type lsValue struct {
	Start   json.RawMessage `json:"start,omitempty"`
	End     json.RawMessage `json:"end,omitempty"`
	Text    *string         `json:"text,omitempty"`
	Labels  []string        `json:"labels,omitempty"`
	Choices []string        `json:"choices,omitempty"`
}

func (im *importer) labelStudio(r io.Reader) error {
	dec := json.NewDecoder(bufio.NewReader(r))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%s: not Label Studio JSON: %w", im.path, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%s: not a Label Studio JSON export: expected a list of tasks", im.path)
	}
	for i := 0; dec.More(); i++ {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%s: task at index %d (byte %d): %w", im.path, i, dec.InputOffset(), err)
		}
		im.res.Records++
		im.lsTask(i, raw)
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%s: after %d tasks: %w", im.path, im.res.Records, err)
	}
	return nil
}

func (im *importer) lsTask(index int, raw json.RawMessage) {
	where := fmt.Sprintf("task at index %d", index)
	var t lsTask
	if err := json.Unmarshal(raw, &t); err != nil {
		im.reject(where, "", fmt.Errorf("malformed task: %w", err))
		return
	}
	if len(t.ID) > 0 && string(t.ID) != "null" {
		where = "task " + strings.Trim(string(t.ID), `"`)
	}
	id := impDocID(t.Data, im.opts.IDKey)
	if id != "" {
		where += " (doc " + id + ")"
	}
	var text *string
	if s, ok := t.Data[im.opts.TextKey].(string); ok {
		text = &s
	}
	doc, err := im.lookup(id, text)
	if err != nil {
		var keys []impKey
		for _, a := range t.Annotations {
			keys = append(keys, impKey{id, im.opts.Layer, im.lsWho(a, false).Name})
		}
		im.reject(where, id, err, keys...)
		return
	}
	for _, set := range []struct {
		name  string
		anns  []lsAnnotation
		model bool
	}{{"annotation", t.Annotations, false}, {"prediction", t.Predictions, true}} {
		for j, a := range set.anns {
			if a.WasCancelled || (set.model && !im.opts.Predictions) {
				im.res.Skipped++
				continue
			}
			who := im.lsWho(a, set.model)
			items, err := im.lsResults(doc, a.Result)
			if err != nil {
				im.reject(where, id, fmt.Errorf("%s %d (%s): %w", set.name, j, who.Name, err), impKey{id, im.opts.Layer, who.Name})
				continue
			}
			im.add(doc, im.opts.Layer, who, im.now, items)
		}
	}
}

// lsWho names the annotator of a Label Studio annotation. completed_by is a user id
// (an object in old exports); it is preferred to created_username, which carries an
// e-mail address that does not belong in a released dataset.
func (im *importer) lsWho(a lsAnnotation, model bool) schema.Annotator {
	if model {
		name, version := a.ModelVersion, im.opts.Version
		if i := strings.LastIndex(name, "@"); i > 0 {
			name, version = name[:i], name[i+1:]
		}
		if name == "" {
			name = im.opts.Annotator
		}
		return schema.Annotator{Name: name, Version: version, Kind: schema.KindModel}
	}
	who := schema.Annotator{Name: im.opts.Annotator, Version: im.opts.Version, Kind: im.opts.Kind}
	var v any
	if json.Unmarshal(a.CompletedBy, &v) == nil {
		switch x := v.(type) {
		case float64:
			who.Name = "labelstudio:" + strconv.FormatFloat(x, 'f', -1, 64)
			return who
		case map[string]any:
			if id, ok := x["id"].(float64); ok {
				who.Name = "labelstudio:" + strconv.FormatFloat(id, 'f', -1, 64)
				return who
			}
		case string:
			if x != "" {
				who.Name = x
				return who
			}
		}
	}
	if a.CreatedUsername != "" {
		who.Name = a.CreatedUsername
	}
	return who
}

func (im *importer) lsResults(doc *schema.Document, results []lsResult) ([]schema.Item, error) {
	items := []schema.Item{}
	for k, res := range results {
		got, err := im.lsResult(doc, res)
		if err != nil {
			return nil, fmt.Errorf("result %d: %w", k, err)
		}
		items = append(items, got...)
	}
	return items, nil
}

func (im *importer) lsResult(doc *schema.Document, res lsResult) ([]schema.Item, error) {
	v := res.Value
	if res.Score != nil && !(*res.Score >= 0 && *res.Score <= 1) {
		return nil, fmt.Errorf("score %v is outside [0,1]", *res.Score)
	}
	var base schema.Item
	switch {
	case v.Start != nil || v.End != nil:
		start, err := impInt(v.Start, "start")
		if err != nil {
			return nil, err
		}
		end, err := impInt(v.End, "end")
		if err != nil {
			return nil, err
		}
		base, err = im.span(doc, start, end, v.Text, true)
		if err != nil {
			return nil, err
		}
	case v.Choices != nil:
	default:
		return nil, fmt.Errorf("type %q has neither start/end nor choices", res.Type)
	}
	labels := v.Labels
	if base.Start == nil {
		labels = v.Choices
	}
	if len(labels) == 0 {
		labels = []string{""}
	}
	out := make([]schema.Item, 0, len(labels))
	for _, l := range labels {
		if err := im.label(l); err != nil {
			return nil, err
		}
		it := base
		it.Label, it.Score = l, res.Score
		out = append(out, it)
	}
	return out, nil
}

// impInt reads a JSON integer offset.
func impInt(raw json.RawMessage, what string) (int, error) {
	if raw == nil || string(raw) == "null" {
		return 0, fmt.Errorf("no %s", what)
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0, fmt.Errorf("%s %s is not an integer offset", what, raw)
	}
	return n, nil
}

// impDocID reads our document id from m: key, or "doc_id" then "id" by default.
func impDocID(m map[string]any, key string) string {
	keys := []string{"doc_id", "id"}
	if key != "" {
		keys = []string{key}
	}
	for _, k := range keys {
		switch v := m[k].(type) {
		case string:
			if v != "" {
				return v
			}
		case json.Number:
			return v.String()
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

// --- line formats ---

func (im *importer) lines(r io.Reader, handle func(line int, b []byte)) error {
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		if err := im.ctx.Err(); err != nil {
			return err
		}
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			im.res.Records++
			handle(line, bytes.TrimSpace(b))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", im.path, line, err)
		}
	}
}

func (im *importer) doccanoLine(line int, b []byte) {
	where := fmt.Sprintf("line %d", line)
	var rec map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&rec); err != nil {
		im.reject(where, "", fmt.Errorf("malformed JSON: %w", err))
		return
	}
	id := impDocID(rec, im.opts.IDKey)
	if id != "" {
		where += " (doc " + id + ")"
	}
	who := schema.Annotator{Name: im.opts.Annotator, Version: im.opts.Version, Kind: im.opts.Kind}
	if s, ok := rec["annotator"].(string); ok && s != "" {
		who.Name = s
	}
	key := impKey{id, im.opts.Layer, who.Name}
	var text *string
	if s, ok := rec["text"].(string); ok {
		text = &s
	}
	doc, err := im.lookup(id, text)
	if err != nil {
		im.reject(where, id, err, key)
		return
	}
	items, err := im.doccanoItems(doc, rec)
	if err != nil {
		im.reject(where, id, err, key)
		return
	}
	if len(items) == 0 {
		// doccano writes the same empty list for "nothing to label" and "not labelled
		// yet" (and Export writes it for documents to be labelled), so it is no answer.
		im.res.Skipped++
		return
	}
	im.add(doc, im.opts.Layer, who, im.now, items)
}

func (im *importer) doccanoItems(doc *schema.Document, rec map[string]any) ([]schema.Item, error) {
	items := []schema.Item{}
	spanItem := func(s, e any, l any) error {
		start, err := impUTF16(doc.Text, s, "start")
		if err != nil {
			return err
		}
		end, err := impUTF16(doc.Text, e, "end")
		if err != nil {
			return err
		}
		label, ok := l.(string)
		if !ok {
			return fmt.Errorf("label %v is not a string", l)
		}
		if err := im.label(label); err != nil {
			return err
		}
		it, err := im.span(doc, start, end, nil, false)
		if err != nil {
			return err
		}
		it.Label = label
		items = append(items, it)
		return nil
	}
	if raw, ok := rec["label"]; ok && raw != nil {
		list, ok := raw.([]any)
		if !ok {
			return nil, errors.New(`"label" is not a list`)
		}
		for k, e := range list {
			switch x := e.(type) {
			case string:
				if err := im.label(x); err != nil {
					return nil, fmt.Errorf("label %d: %w", k, err)
				}
				items = append(items, schema.Item{Label: x})
			case []any:
				if len(x) != 3 {
					return nil, fmt.Errorf("label %d: want [start, end, label], got %d elements", k, len(x))
				}
				if err := spanItem(x[0], x[1], x[2]); err != nil {
					return nil, fmt.Errorf("label %d: %w", k, err)
				}
			default:
				return nil, fmt.Errorf("label %d: neither [start, end, label] nor a label", k)
			}
		}
	}
	if raw, ok := rec["entities"]; ok && raw != nil {
		list, ok := raw.([]any)
		if !ok {
			return nil, errors.New(`"entities" is not a list`)
		}
		for k, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("entity %d: not an object", k)
			}
			if err := spanItem(m["start_offset"], m["end_offset"], m["label"]); err != nil {
				return nil, fmt.Errorf("entity %d: %w", k, err)
			}
		}
	}
	return items, nil
}

// impUTF16 reads a doccano offset (UTF-16 code units) and converts it to code points.
func impUTF16(text string, v any, what string) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%s %v is not an integer offset", what, v)
	}
	u, err := strconv.Atoi(n.String())
	if err != nil {
		return 0, fmt.Errorf("%s %s is not an integer offset", what, n)
	}
	cp, err := schema.UTF16ToCP(text, u)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return cp, nil
}

func (im *importer) jsonlLine(line int, b []byte) {
	where := fmt.Sprintf("line %d", line)
	var a schema.Annotation
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		im.reject(where, "", fmt.Errorf("malformed annotation: %w", err))
		return
	}
	if a.DocID != "" {
		where += " (doc " + a.DocID + ")"
	}
	if a.Annotator.Name == "" {
		a.Annotator.Name = im.opts.Annotator
	}
	if a.Annotator.Version == "" {
		a.Annotator.Version = im.opts.Version
	}
	if a.Annotator.Kind == "" {
		a.Annotator.Kind = im.opts.Kind
	}
	layer := a.Layer
	if layer == "" {
		layer = im.opts.Layer
	}
	key := impKey{a.DocID, layer, a.Annotator.Name}
	fail := func(err error) { im.reject(where, a.DocID, err, key) }
	switch {
	case layer == "":
		fail(errors.New("no layer: give one with the layer option"))
		return
	case im.opts.Layer != "" && layer != im.opts.Layer:
		fail(fmt.Errorf("layer %q, but the import is into %q", layer, im.opts.Layer))
		return
	case !slices.Contains(schema.AnnotatorKinds, a.Annotator.Kind):
		fail(fmt.Errorf("annotator kind %q is not one of %s", a.Annotator.Kind, strings.Join(schema.AnnotatorKinds, ", ")))
		return
	}
	doc, err := im.lookup(a.DocID, nil)
	if err != nil {
		fail(err)
		return
	}
	if a.ContentHash != "" && a.ContentHash != impHash(doc) {
		fail(fmt.Errorf("content_hash %.12s… is not the stored text's %.12s…: the offsets refer to another text", a.ContentHash, impHash(doc)))
		return
	}
	items := make([]schema.Item, 0, len(a.Items))
	for k, it := range a.Items {
		got, err := im.jsonlItem(doc, it)
		if err != nil {
			fail(fmt.Errorf("item %d: %w", k, err))
			return
		}
		items = append(items, got)
	}
	createdAt := a.CreatedAt
	if createdAt == "" {
		createdAt = im.now
	}
	im.add(doc, layer, a.Annotator, createdAt, items)
}

func (im *importer) jsonlItem(doc *schema.Document, it schema.Item) (schema.Item, error) {
	switch {
	case it.Start == nil && it.End == nil:
		if it.Text != "" {
			return it, errors.New("a document-level item has text")
		}
	case it.Start == nil || it.End == nil:
		return it, errors.New("a span needs both start and end")
	default:
		var text *string
		if it.Text != "" {
			text = &it.Text
		}
		sp, err := im.span(doc, *it.Start, *it.End, text, false)
		if err != nil {
			return it, err
		}
		it.Text = sp.Text
	}
	if err := im.label(it.Label); err != nil {
		return it, err
	}
	if it.Score != nil && !(*it.Score >= 0 && *it.Score <= 1) {
		return it, fmt.Errorf("score %v is outside [0,1]", *it.Score)
	}
	return it, nil
}
