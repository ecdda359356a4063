package annotate

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsds/newsds/schema"
)

// Annotation file formats read by Import and written by Export.
const (
	// FormatLabelStudio is Label Studio: its JSON export (tasks with "data",
	// "annotations", "predictions" as ids or objects), its JSON_MIN export, and the
	// per-task files of its target storages (see labelstudio_import.go). Export writes
	// tasks under the controls of LabelConfig.
	FormatLabelStudio = "labelstudio"
	// FormatDoccano is doccano's JSONL: one example per line with "text" and "label"
	// ([[start, end, "LABEL"], ...] for spans, ["LABEL"] for the document), "entities"
	// or "cats"; offsets in UTF-16 code units (see doccano.go).
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
	// NoOverlap, when set, says of a layer whether its spans must not overlap
	// (schema.SpansMustNotOverlap: Q&A turns, and user layers declared without
	// overlap: true); an annotation breaking it is rejected, as validate would.
	NoOverlap func(layer string) bool
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
	// spoolLimit overrides defaultSpoolLimit (tests make every record spill).
	spoolLimit int
}

// ImportResult is what Import read.
type ImportResult struct {
	// Annotations holds one annotation per (document, layer, annotator), sorted by
	// document id, layer and annotator name. A pair with any rejected record is left out
	// entirely, so a partly read human annotation never passes for a complete one.
	// ImportEach hands them to its callback instead and leaves this empty.
	Annotations []schema.Annotation
	// Imported is the number of annotations made (in Annotations or handed over).
	Imported int
	// Errors are the rejected records, in file order.
	Errors []RecordError
	// Records is the number of records read (tasks or lines).
	Records int
	// Skipped counts annotations deliberately not imported: cancelled Label Studio
	// annotations, predictions (without Predictions, and always when the export lists
	// only their ids), JSON_MIN records of tasks nobody annotated, and doccano lines
	// with no labels.
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
	im, err := newImporter(ctx, opts)
	if err != nil {
		return ImportResult{}, err
	}
	defer im.spool.close()
	if err := im.read(r, path); err != nil {
		return ImportResult{}, err
	}
	return im.collect()
}

// ImportFiles is Import over several files read as one (the per-task files of a Label
// Studio target storage, one doccano file per project of a layer): a person's work on
// a document spread over files becomes one annotation. A path that is a folder stands
// for the files in it, in name order (numbers by value, as storages name them).
func ImportFiles(ctx context.Context, paths []string, opts ImportOptions) (ImportResult, error) {
	im, err := newImporter(ctx, opts)
	if err != nil {
		return ImportResult{}, err
	}
	defer im.spool.close()
	if err := im.readFiles(paths); err != nil {
		return ImportResult{}, err
	}
	return im.collect()
}

// ImportBatch is the most annotations (or items) ImportEach hands over at once: a
// store transaction's worth.
const (
	importBatchAnnotations = 512
	importBatchItems       = 64 << 10
)

// ImportEach is ImportFiles for imports of any size: the annotations are handed to put
// in batches, in the order ImportResult.Annotations would hold them, as soon as they are
// complete, and ImportResult.Annotations stays empty. Its memory does not grow with the
// files (see import_spool.go): what it holds is a bounded buffer and the largest single
// annotation. An error from put stops the import and is returned.
func ImportEach(ctx context.Context, paths []string, opts ImportOptions, put func([]schema.Annotation) error) (ImportResult, error) {
	im, err := newImporter(ctx, opts)
	if err != nil {
		return ImportResult{}, err
	}
	defer im.spool.close()
	if err := im.readFiles(paths); err != nil {
		return ImportResult{}, err
	}
	var batch []schema.Annotation
	items := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := put(batch)
		batch, items = nil, 0
		return err
	}
	err = im.finish(func(a schema.Annotation) error {
		batch = append(batch, a)
		items += len(a.Items)
		if len(batch) >= importBatchAnnotations || items >= importBatchItems {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return ImportResult{}, err
	}
	return im.res, nil
}

func (im *importer) readFiles(paths []string) error {
	files, err := expandPaths(paths)
	if err != nil {
		return err
	}
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("import annotations: %w", err)
		}
		err = im.read(f, p)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// expandPaths replaces folders by their regular, non-hidden files, sorted by name with
// digit runs compared as numbers.
func expandPaths(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("import annotations: %w", err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("import annotations: %w", err)
		}
		var names []string
		for _, e := range ents {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
		slices.SortFunc(names, naturalCompare)
		if len(names) == 0 {
			return nil, fmt.Errorf("import annotations: folder %s has no files", p)
		}
		for _, n := range names {
			out = append(out, filepath.Join(p, n))
		}
	}
	return out, nil
}

// naturalCompare orders "2" before "10".
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitsPrefix(a), digitsPrefix(b)
		if da != "" && db != "" {
			na, nb := strings.TrimLeft(da, "0"), strings.TrimLeft(db, "0")
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digitsPrefix(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

func newImporter(ctx context.Context, opts ImportOptions) (*importer, error) {
	if opts.Docs == nil {
		return nil, errors.New("import annotations: no document lookup")
	}
	if opts.Layer == "" && opts.Format != FormatJSONL {
		return nil, fmt.Errorf("import annotations: %s needs a layer", opts.Format)
	}
	if !slices.Contains(AnnotationFormats, opts.Format) {
		return nil, fmt.Errorf("import annotations: format %q is not one of %s", opts.Format, strings.Join(AnnotationFormats, ", "))
	}
	if opts.Kind == "" {
		opts.Kind = schema.KindHuman
	}
	if !slices.Contains(schema.AnnotatorKinds, opts.Kind) {
		return nil, fmt.Errorf("import annotations: kind %q is not one of %s", opts.Kind, strings.Join(schema.AnnotatorKinds, ", "))
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
	limit := opts.spoolLimit
	if limit <= 0 {
		limit = defaultSpoolLimit
	}
	return &importer{ctx: ctx, opts: opts, now: opts.Now().UTC().Format(time.RFC3339),
		spool: &spool{limit: limit}, docs: newDocCache()}, nil
}

func (im *importer) read(r io.Reader, path string) error {
	im.path = path
	switch im.opts.Format {
	case FormatLabelStudio:
		return im.labelStudio(r)
	case FormatDoccano:
		return im.lines(r, im.doccanoLine)
	default:
		return im.lines(r, im.jsonlLine)
	}
}

type impKey struct{ doc, layer, annotator string }

type importer struct {
	ctx   context.Context
	path  string
	opts  ImportOptions
	now   string
	res   ImportResult
	spool *spool
	docs  *docCache
	// err is the first spool failure (a full disk): the import stops with it.
	err error
}

func (im *importer) reject(record, docID string, err error, keys ...impKey) {
	im.res.Errors = append(im.res.Errors, RecordError{File: im.path, Record: record, DocID: docID, Err: err})
	for _, k := range keys {
		im.spoolAdd(k, &fragment{Reject: true})
	}
}

func (im *importer) spoolAdd(k impKey, f *fragment) {
	if im.err == nil {
		im.err = im.spool.add(k, f)
	}
}

// add merges items into the (doc, layer, annotator) annotation.
func (im *importer) add(doc *schema.Document, layer string, who schema.Annotator, createdAt string, items []schema.Item) {
	im.addMeta(doc, layer, who, createdAt, items, nil)
}

// addMeta is add with the labelling tool's provenance of the items. When one person's
// work on a document comes in several records (the same document in two tasks), their
// ids are joined and their lead times added up.
func (im *importer) addMeta(doc *schema.Document, layer string, who schema.Annotator, createdAt string, items []schema.Item, meta map[string]string) {
	im.spoolAdd(impKey{doc.ID, layer, who.Name}, &fragment{Who: who, Hash: impHash(doc), CreatedAt: createdAt, Items: items, Meta: meta})
}

// merge adds a later record's fragment to the annotation of its pair.
func merge(a *schema.Annotation, f *fragment) {
	a.Items = append(a.Items, f.Items...)
	for key, v := range f.Meta {
		if a.Meta == nil {
			a.Meta = map[string]string{}
		}
		old, ok := a.Meta[key]
		switch {
		case !ok || old == v:
			a.Meta[key] = v
		case key == "lead_time":
			x, err1 := strconv.ParseFloat(old, 64)
			y, err2 := strconv.ParseFloat(v, 64)
			if err1 == nil && err2 == nil {
				a.Meta[key] = strconv.FormatFloat(x+y, 'f', -1, 64)
			}
		default:
			a.Meta[key] = old + "," + v
		}
	}
}

// collect is finish into ImportResult.Annotations.
func (im *importer) collect() (ImportResult, error) {
	var anns []schema.Annotation
	if err := im.finish(func(a schema.Annotation) error { anns = append(anns, a); return nil }); err != nil {
		return ImportResult{}, err
	}
	im.res.Annotations = anns
	return im.res, nil
}

// finish builds the annotation of every pair without a rejected record, in pair order,
// and hands each to emit.
func (im *importer) finish(emit func(schema.Annotation) error) error {
	if im.err != nil {
		return im.err
	}
	return im.spool.groups(func(k impKey, bodies [][]byte) error {
		frags := make([]fragment, len(bodies))
		for i, b := range bodies {
			if err := json.Unmarshal(b, &frags[i]); err != nil {
				return fmt.Errorf("import spool: doc %s: %w", k.doc, err)
			}
			if frags[i].Reject {
				return nil
			}
		}
		f0 := &frags[0]
		a := schema.Annotation{DocID: k.doc, Layer: k.layer, Annotator: f0.Who, ContentHash: f0.Hash, CreatedAt: f0.CreatedAt, Items: []schema.Item{}}
		for i := range frags {
			merge(&a, &frags[i])
		}
		if a.Layer == schema.LayerQA && im.opts.Format != FormatJSONL {
			// Turns of one person's work read from several records are numbered as one.
			numberTurns(a.Items)
		}
		extSortItems(a.Items)
		if im.opts.Format != FormatJSONL {
			// The same document in two tasks or lines labelled alike by one person is
			// one judgement, not two.
			a.Items = slices.CompactFunc(a.Items, sameItem)
		}
		if im.opts.NoOverlap != nil && im.opts.NoOverlap(a.Layer) {
			// Spans were checked against the text record by record; only their overlap
			// is left, and it shows once a person's records are merged.
			if o := schema.SpanOverlaps(a.Items, math.MaxInt); len(o) > 0 {
				it, prev := a.Items[o[0].Item], a.Items[o[0].Prev]
				im.res.Errors = append(im.res.Errors, RecordError{File: im.path, Record: "doc " + a.DocID + ", annotator " + a.Annotator.Name, DocID: a.DocID,
					Err: fmt.Errorf("layer %s does not allow overlapping spans (declare overlap: true in newsds.yaml to allow them): [%d,%d) overlaps [%d,%d); %d overlap(s) in all",
						a.Layer, *it.Start, *it.End, *prev.Start, *prev.End, len(o))})
				return nil
			}
		}
		im.res.Imported++
		return emit(a)
	})
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
	e := im.docs.get(im.ctx, im.opts.Docs, id)
	if e.err != nil {
		return nil, fmt.Errorf("doc %s: %w", id, e.err)
	}
	d := &e.doc
	if text != nil && *text != d.Text {
		return nil, fmt.Errorf("the record's text differs from the stored text of doc %s %s: the offsets refer to another text", id, impFirstDiff(*text, d.Text))
	}
	return d, nil
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
	it, err := im.cpSpan(im.index(doc), start, end, fileText)
	if err != nil && utf16Hint && fileText != nil {
		// Label Studio counts code points; a file written by a tool counting UTF-16
		// units drifts after every emoji. Say so when that reading fits.
		s, e1 := schema.UTF16ToCP(doc.Text, start)
		e, e2 := schema.UTF16ToCP(doc.Text, end)
		if e1 == nil && e2 == nil {
			if _, err16 := im.cpSpan(im.index(doc), s, e, fileText); err16 == nil {
				err = fmt.Errorf("%w (the offsets fit as UTF-16 code units: the file was written by a tool counting UTF-16)", err)
			}
		}
	}
	return it, err
}

func (im *importer) cpSpan(ti *schema.TextIndex, start, end int, fileText *string) (schema.Item, error) {
	if err := schema.CheckSpan(start, end, ti.Len()); err != nil {
		return schema.Item{}, err
	}
	text, err := ti.Slice(start, end)
	if err != nil {
		return schema.Item{}, err
	}
	it := schema.Item{Start: &start, End: &end, Text: text}
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
		if im.err != nil {
			return im.err
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

// sameItem reports whether two items are the same judgement: equal in every field, as
// their JSON would be (the float bits, so that 0 and -0 differ as they print).
func sameItem(a, b schema.Item) bool {
	eqInt := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqF := func(x, y *float64) bool {
		return (x == nil) == (y == nil) && (x == nil || math.Float64bits(*x) == math.Float64bits(*y))
	}
	return eqInt(a.Start, b.Start) && eqInt(a.End, b.End) && a.Label == b.Label && a.Text == b.Text &&
		eqF(a.Score, b.Score) && len(a.Attrs) == len(b.Attrs) && maps.Equal(a.Attrs, b.Attrs)
}
