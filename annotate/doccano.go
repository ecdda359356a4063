package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/newsds/newsds/schema"
)

// doccano keeps one kind of label per project: spans (sequence labelling, "label":
// [[start, end, "LABEL"]]) or document categories (text classification, "label":
// ["LABEL"]), offsets in UTF-16 code units (its frontend is JavaScript). It has no
// per-span attributes, but it keeps every other field of an imported line as the
// example's metadata, shows it beside the text, and writes it back on export. So a
// layer is cut into groups, one doccano project each, and the attributes that say what
// a span is about travel as line fields:
//
//   - qa_turns: one group "turns"; "speakers": [[start, end, "NAME"], ...] gives each
//     exported turn's speaker (a corrected turn takes the speaker of the exported turn
//     it overlaps most; speaker roles and turn numbers follow from labels and order);
//   - sentiment: groups "document" (classification), "paragraph" and "answer" (spans),
//     each line with "scope";
//   - stance: one group, one line per (document, target) with "target": an example is
//     the document read for that one target, so the three stance labels stay the
//     project's only labels;
//   - user layers: "spans" and "document".
//
// Every line of a layer has the same fields (doccano reads a file into a table, and a
// field missing from some lines comes back as NaN).

// Field names of the doccano lines newsds writes.
const (
	dcAnnotatedBy = "annotated_by"
	dcScope       = "scope"
	dcTarget      = "target"
	dcSpeakers    = "speakers"
)

// dcGroup is one doccano project of a layer.
type dcGroup struct {
	name  string
	doc   bool   // document categories, not spans
	scope string // sentiment scope of its items
}

func dcGroups(layer string) []dcGroup {
	switch layer {
	case schema.LayerQA:
		return []dcGroup{{name: "turns"}}
	case schema.LayerSentiment:
		return []dcGroup{{name: schema.ScopeDocument, doc: true, scope: schema.ScopeDocument},
			{name: schema.ScopeParagraph, scope: schema.ScopeParagraph}, {name: schema.ScopeAnswer, scope: schema.ScopeAnswer}}
	case schema.LayerStance:
		return []dcGroup{{name: "stance"}}
	}
	return []dcGroup{{name: "spans"}, {name: "document", doc: true}}
}

// dcGroupOf is the group an item belongs to.
func dcGroupOf(groups []dcGroup, it schema.Item) *dcGroup {
	for i := range groups {
		g := &groups[i]
		if g.doc != !it.IsSpan() {
			continue
		}
		if g.scope == "" || it.Attrs[schema.AttrScope] == g.scope || (it.Attrs[schema.AttrScope] == "" && g.scope != schema.ScopeAnswer) {
			return g
		}
	}
	return nil
}

type doccanoExporter struct {
	opts   ExportOptions
	groups []dcGroup
	res    *ExportResult
}

func newDoccanoExporter(opts ExportOptions, res *ExportResult) *doccanoExporter {
	return &doccanoExporter{opts: opts, groups: dcGroups(opts.Layer), res: res}
}

// dcLine is one line being built, in the order items arrive.
type dcLine struct {
	group  *dcGroup
	target string
	labels []any
	spk    []any
}

// write emits the lines of one document through emit(group, line).
func (x *doccanoExporter) write(rec *schema.Record, anns []schema.Annotation, emit func(group string, line map[string]any) error) error {
	if len(anns) == 0 {
		// Lines to be labelled: one per group (per declared target for stance); the
		// answer group only where newsds found answers.
		for i := range x.groups {
			g := &x.groups[i]
			if g.scope == schema.ScopeAnswer {
				continue
			}
			targets := []string{""}
			if x.opts.Layer == schema.LayerStance && len(x.opts.Targets) > 0 {
				targets = x.opts.Targets
			}
			for _, t := range targets {
				if err := emit(g.name, x.line(rec, "", &dcLine{group: g, target: t, labels: []any{}})); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var u16 *schema.UTF16Index // built on the first span, shared by the record's annotations
	for _, a := range anns {
		x.res.Annotations++
		x.res.Items += len(a.Items)
		var lines []*dcLine
		find := func(g *dcGroup, target string) *dcLine {
			for _, l := range lines {
				if l.group == g && l.target == target {
					return l
				}
			}
			l := &dcLine{group: g, target: target, labels: []any{}}
			lines = append(lines, l)
			return l
		}
		for k, it := range a.Items {
			g := dcGroupOf(x.groups, it)
			if g == nil {
				x.res.drop(rec.ID, a, k, "the "+x.opts.Layer+" layer has no doccano project for this item")
				continue
			}
			target := ""
			if x.opts.Layer == schema.LayerStance {
				target = it.Attrs[schema.AttrTarget]
			}
			l := find(g, target)
			if g.doc {
				l.labels = append(l.labels, it.Label)
				continue
			}
			if u16 == nil {
				u16 = schema.NewUTF16Index(rec.Text)
			}
			s, err1 := u16.FromCP(*it.Start)
			e, err2 := u16.FromCP(*it.End)
			if err := errors.Join(err1, err2); err != nil {
				return fmt.Errorf("annotator %s: item %d: %w", a.Annotator.Name, k, err)
			}
			l.labels = append(l.labels, []any{s, e, it.Label})
			if x.opts.Layer == schema.LayerQA {
				if sp := it.Attrs[schema.AttrSpeaker]; sp != "" {
					l.spk = append(l.spk, []any{s, e, sp})
				}
			}
		}
		for _, l := range lines {
			if err := emit(l.group.name, x.line(rec, annotatorLabel(a.Annotator), l)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (x *doccanoExporter) line(rec *schema.Record, by string, l *dcLine) map[string]any {
	m := map[string]any{x.opts.IDKey: rec.ID, "text": rec.Text, "label": l.labels, dcAnnotatedBy: by}
	switch x.opts.Layer {
	case schema.LayerSentiment:
		m[dcScope] = l.group.scope
	case schema.LayerStance:
		m[dcTarget] = l.target
	case schema.LayerQA:
		spk := l.spk
		if spk == nil {
			spk = []any{}
		}
		m[dcSpeakers] = spk
	}
	return m
}

// exportDoccanoDir writes one file per group of the layer.
func exportDoccanoDir(dir string, recs iter.Seq2[schema.Record, error], opts ExportOptions) (ExportResult, error) {
	var res ExportResult
	if opts.Layer == "" {
		return res, errors.New("export annotations: doccano needs a layer")
	}
	if opts.IDKey == "" {
		opts.IDKey = "doc_id"
	}
	x := newDoccanoExporter(opts, &res)
	type out struct {
		path string
		tmp  *os.File
		bw   *bufio.Writer
		enc  *json.Encoder
	}
	files := map[string]*out{}
	var order []string
	for _, g := range x.groups {
		name := opts.Layer + "." + g.name + ".jsonl"
		if len(x.groups) == 1 {
			name = opts.Layer + ".jsonl"
		}
		path := filepath.Join(dir, name)
		tmp, err := os.CreateTemp(dir, "."+name+".tmp*")
		if err != nil {
			return res, fmt.Errorf("export annotations: %w", err)
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		bw := bufio.NewWriter(tmp)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		files[g.name] = &out{path: path, tmp: tmp, bw: bw, enc: enc}
		order = append(order, g.name)
	}
	err := exportEach(recs, opts, &res, func(rec *schema.Record, anns []schema.Annotation) error {
		return x.write(rec, anns, func(group string, line map[string]any) error { return files[group].enc.Encode(line) })
	})
	if err != nil {
		return res, err
	}
	for _, g := range order {
		f := files[g]
		if err := errors.Join(f.bw.Flush(), f.tmp.Sync(), f.tmp.Close()); err != nil {
			return res, fmt.Errorf("export annotations: %s: %w", f.path, err)
		}
		if err := os.Rename(f.tmp.Name(), f.path); err != nil {
			return res, fmt.Errorf("export annotations: %w", err)
		}
		res.Files = append(res.Files, f.path)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() //nolint:errcheck // the renames are done; a folder that cannot sync loses nothing more
		d.Close()
	}
	return res, nil
}

// --- import ---

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

// doccanoItems reads the labels of a line in any of doccano's text shapes: "label"
// (spans as [start, end, label] triples or objects, or categories as strings),
// "entities" (objects or triples, relation and slot-filling projects) and "cats"
// (slot-filling categories), then applies the line's unit fields.
func (im *importer) doccanoItems(doc *schema.Document, rec map[string]any) ([]schema.Item, error) {
	items := []schema.Item{}
	spanItem := func(s, e any, l any) error {
		start, err := im.impUTF16(doc, s, "start")
		if err != nil {
			return err
		}
		end, err := im.impUTF16(doc, e, "end")
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
	docItem := func(x string) error {
		if err := im.label(x); err != nil {
			return err
		}
		items = append(items, schema.Item{Label: x})
		return nil
	}
	for _, field := range []string{"label", "entities", "cats"} {
		raw, ok := rec[field]
		if !ok || raw == nil {
			continue
		}
		list, ok := raw.([]any)
		if !ok {
			return nil, fmt.Errorf("%q is not a list", field)
		}
		for k, e := range list {
			var err error
			switch x := e.(type) {
			case string:
				if field == "entities" {
					err = errors.New("a category in the span list")
				} else {
					err = docItem(x)
				}
			case []any:
				if len(x) != 3 {
					err = fmt.Errorf("want [start, end, label], got %d elements", len(x))
				} else {
					err = spanItem(x[0], x[1], x[2])
				}
			case map[string]any:
				err = spanItem(x["start_offset"], x["end_offset"], x["label"])
			default:
				err = errors.New("neither [start, end, label] nor a label")
			}
			if err != nil {
				return nil, fmt.Errorf("%s %d: %w", strings.TrimSuffix(field, "s"), k, err)
			}
		}
	}
	if err := im.doccanoUnits(doc, rec, items); err != nil {
		return nil, err
	}
	return items, nil
}

// doccanoUnits sets the attributes the line's fields give (scope, target, speakers)
// and those derived from the text.
func (im *importer) doccanoUnits(doc *schema.Document, rec map[string]any, items []schema.Item) error {
	set := func(it *schema.Item, k, v string) {
		if it.Attrs == nil {
			it.Attrs = map[string]string{}
		}
		it.Attrs[k] = v
	}
	switch im.opts.Layer {
	case schema.LayerSentiment:
		scope, _ := rec[dcScope].(string)
		for i := range items {
			it := &items[i]
			switch {
			case !it.IsSpan():
				set(it, schema.AttrScope, schema.ScopeDocument)
			case scope == schema.ScopeParagraph || scope == schema.ScopeAnswer:
				set(it, schema.AttrScope, scope)
			default:
				return fmt.Errorf("sentiment spans need the line's %q field (paragraph or answer), got %q", dcScope, scope)
			}
		}
	case schema.LayerStance:
		target, _ := rec[dcTarget].(string)
		for i := range items {
			if target != "" {
				set(&items[i], schema.AttrTarget, target)
			}
		}
	case schema.LayerQA:
		spk, err := im.dcReadSpeakers(doc, rec[dcSpeakers])
		if err != nil {
			return err
		}
		for i := range items {
			it := &items[i]
			if !it.IsSpan() {
				continue
			}
			best, most := "", 0
			for _, s := range spk {
				if o := overlap(*it.Start, *it.End, s.start, s.end); o > most {
					best, most = s.name, o
				}
			}
			if best != "" {
				set(it, schema.AttrSpeaker, best)
			}
		}
	}
	return deriveAttrs(doc, im.opts.Layer, items)
}

type dcSpeaker struct {
	start, end int
	name       string
}

func (im *importer) dcReadSpeakers(doc *schema.Document, raw any) ([]dcSpeaker, error) {
	if raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("%q is not a list", dcSpeakers)
	}
	var out []dcSpeaker
	for k, e := range list {
		x, ok := e.([]any)
		if !ok || len(x) != 3 {
			return nil, fmt.Errorf("speaker %d: want [start, end, name]", k)
		}
		s, err1 := im.impUTF16(doc, x[0], "start")
		e, err2 := im.impUTF16(doc, x[1], "end")
		name, _ := x[2].(string)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("speaker %d: %w", k, err)
		}
		out = append(out, dcSpeaker{s, e, strings.TrimSpace(name)})
	}
	return out, nil
}

// impUTF16 reads a doccano offset (UTF-16 code units) and converts it to code points.
func (im *importer) impUTF16(doc *schema.Document, v any, what string) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%s %v is not an integer offset", what, v)
	}
	u, err := strconv.Atoi(n.String())
	if err != nil {
		return 0, fmt.Errorf("%s %s is not an integer offset", what, n)
	}
	cp, err := im.utf16ToCP(doc, u)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	return cp, nil
}
