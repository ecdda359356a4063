package annotate

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsds/newsds/schema"
)

// Label Studio offsets are code points. Its export format documents value.start/end of
// a text region as character offsets into task.data.text, and its backend, converters
// and ML-backend examples (all Python) slice the data with text[start:end]; since 1.x
// the frontend converts the browser's UTF-16 DOM offsets to code points so that emoji do
// not shift later regions. The span text stored in value.text is checked against
// text[start:end] for every region, so a file counting otherwise is rejected, never
// imported misaligned (and the error says when UTF-16 units would fit).
//
// Label Studio writes the same work in several shapes, all read here:
//   - JSON export: a list of tasks {"id","data","annotations":[...],"predictions":[...]},
//     where predictions are ids (1.x exports) or objects (our own files, old exports);
//   - JSON_MIN export: a list of flat records, one per annotation: the task's data keys,
//     "id" (the task id), one key per control (a region list for Labels, the value for a
//     single Choices or TextArea result, a list of values otherwise), "annotator",
//     "annotation_id", "created_at", "lead_time";
//   - per-task files of a target storage: one task object per file, or (the default
//     storage format) one annotation object per file with its task under "task".

type lsAnn struct {
	ID              json.RawMessage `json:"id"`
	CompletedBy     json.RawMessage `json:"completed_by"`
	CreatedUsername string          `json:"created_username"`
	ModelVersion    string          `json:"model_version"`
	WasCancelled    bool            `json:"was_cancelled"`
	LeadTime        *float64        `json:"lead_time"`
	CreatedAt       string          `json:"created_at"`
	Result          []lsResult      `json:"result"`
}

type lsResult struct {
	ID       json.RawMessage            `json:"id"`
	FromName string                     `json:"from_name"`
	ToName   string                     `json:"to_name"`
	Type     string                     `json:"type"`
	Value    map[string]json.RawMessage `json:"value"`
	Score    *float64                   `json:"score"`
}

// lsRegion is one labelled region of an annotation.
type lsRegion struct {
	id      string
	control string
	start   int
	end     int
	text    *string
	labels  []string
	score   *float64
	attrs   map[string]string
	results []int // result indexes, for messages
}

// lsAttr is one per-region value (a target, a speaker) to attach to its region.
type lsAttr struct {
	id         string
	name       string
	start, end int
	hasSpan    bool
	value      string
	result     int
}

// lsWork is one annotation read from any shape: what Import turns into items.
type lsWork struct {
	regions []*lsRegion
	attrs   []lsAttr
	docs    []lsRegion // document-level choices (start/end unused)
}

func (im *importer) labelStudio(r io.Reader) error {
	br := bufio.NewReader(r)
	first, err := peekNonSpace(br)
	if err != nil {
		return fmt.Errorf("%s: not Label Studio JSON: %w", im.path, err)
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	if first == '{' {
		// A per-task (or per-annotation) file of a target storage.
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%s: not Label Studio JSON: %w", im.path, err)
		}
		im.res.Records++
		im.lsElement(0, raw)
		return nil
	}
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
		if im.err != nil {
			return im.err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%s: task at index %d (byte %d): %w", im.path, i, dec.InputOffset(), err)
		}
		im.res.Records++
		im.lsElement(i, raw)
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%s: after %d tasks: %w", im.path, im.res.Records, err)
	}
	return nil
}

func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case 0xEF: // a UTF-8 byte order mark
			if next, _ := br.Peek(2); bytes.Equal(next, []byte{0xBB, 0xBF}) {
				br.Discard(2) //nolint:errcheck // just peeked
				continue
			}
		}
		return b, br.UnreadByte()
	}
}

// lsElement reads one element of an export: a task, a JSON_MIN record, or an
// annotation with its task.
func (im *importer) lsElement(index int, raw json.RawMessage) {
	where := fmt.Sprintf("task at index %d", index)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		im.reject(where, "", fmt.Errorf("malformed task: %w", err))
		return
	}
	_, hasData := m["data"]
	_, hasResult := m["result"]
	_, hasTask := m["task"]
	switch {
	case hasData:
		im.lsTask(where, raw)
	case hasResult && hasTask:
		im.lsAnnotationFile(where, m, raw)
	default:
		im.lsMinRecord(where, raw)
	}
}

type lsTaskJSON struct {
	ID          json.RawMessage   `json:"id"`
	Data        map[string]any    `json:"data"`
	Annotations []lsAnn           `json:"annotations"`
	Predictions []json.RawMessage `json:"predictions"`
}

func lsID(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	return strings.Trim(string(raw), `"`)
}

func (im *importer) lsTask(where string, raw json.RawMessage) {
	var t lsTaskJSON
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&t); err != nil {
		im.reject(where, "", fmt.Errorf("malformed task: %w", err))
		return
	}
	taskID := lsID(t.ID)
	var preds []lsAnn
	for j, p := range t.Predictions {
		if len(bytes.TrimSpace(p)) > 0 && p[0] != '{' {
			// Label Studio 1.x exports list prediction ids: the pre-annotations it
			// holds, whose content is not in the file.
			im.res.Skipped++
			continue
		}
		var a lsAnn
		if err := json.Unmarshal(p, &a); err != nil {
			im.reject(im.lsWhere(taskID, where, t.Data), impDocID(t.Data, im.opts.IDKey), fmt.Errorf("prediction %d: malformed: %w", j, err))
			continue
		}
		preds = append(preds, a)
	}
	im.lsTaskAnns(taskID, where, t.Data, t.Annotations, preds)
}

func (im *importer) lsWhere(taskID, where string, data map[string]any) string {
	if taskID != "" {
		where = "task " + taskID
	}
	if id := impDocID(data, im.opts.IDKey); id != "" {
		where += " (doc " + id + ")"
	}
	return where
}

// lsTaskAnns imports the annotations (and, when asked, predictions) of one task.
func (im *importer) lsTaskAnns(taskID, where string, data map[string]any, anns, preds []lsAnn) {
	where = im.lsWhere(taskID, where, data)
	id := impDocID(data, im.opts.IDKey)
	var text *string
	if s, ok := data[im.opts.TextKey].(string); ok {
		text = &s
	}
	doc, err := im.lookup(id, text)
	if err != nil {
		var keys []impKey
		for _, a := range anns {
			keys = append(keys, impKey{id, im.opts.Layer, im.lsWho(a, false).Name})
		}
		im.reject(where, id, err, keys...)
		return
	}
	for _, set := range []struct {
		name  string
		anns  []lsAnn
		model bool
	}{{"annotation", anns, false}, {"prediction", preds, true}} {
		for j, a := range set.anns {
			if a.WasCancelled || (set.model && !im.opts.Predictions) {
				im.res.Skipped++
				continue
			}
			who := im.lsWho(a, set.model)
			fail := func(err error) {
				im.reject(where, id, fmt.Errorf("%s %d (%s): %w", set.name, j, who.Name, err), impKey{id, im.opts.Layer, who.Name})
			}
			w, err := im.lsWorkFromResults(a.Result)
			if err != nil {
				fail(err)
				continue
			}
			items, err := im.lsItems(doc, w)
			if err != nil {
				fail(err)
				continue
			}
			meta := lsMeta(taskID, lsID(a.ID), a.CompletedBy, a.LeadTime)
			im.addMeta(doc, im.opts.Layer, who, lsTime(a.CreatedAt, im.now), items, meta)
		}
	}
}

// lsAnnotationFile reads the default per-annotation file of a target storage: the
// annotation's fields with its task under "task".
func (im *importer) lsAnnotationFile(where string, m map[string]json.RawMessage, raw json.RawMessage) {
	var a lsAnn
	if err := json.Unmarshal(raw, &a); err != nil {
		im.reject(where, "", fmt.Errorf("malformed annotation: %w", err))
		return
	}
	var t lsTaskJSON
	dec := json.NewDecoder(bytes.NewReader(m["task"]))
	dec.UseNumber()
	if err := dec.Decode(&t); err != nil {
		im.reject(where, "", fmt.Errorf("malformed task of the annotation: %w", err))
		return
	}
	im.lsTaskAnns(lsID(t.ID), where, t.Data, []lsAnn{a}, nil)
}

// lsMeta is the provenance of one Label Studio annotation.
func lsMeta(taskID, annID string, completedBy json.RawMessage, leadTime *float64) map[string]string {
	m := map[string]string{}
	if taskID != "" {
		m["labelstudio_task"] = taskID
	}
	if annID != "" {
		m["labelstudio_annotation"] = annID
	}
	if u := lsUserID(completedBy); u != "" {
		m["labelstudio_user"] = u
	}
	if leadTime != nil {
		m["lead_time"] = strconv.FormatFloat(*leadTime, 'f', -1, 64)
	}
	return m
}

// lsTime is Label Studio's created_at as RFC 3339 UTC seconds, or def.
func lsTime(s, def string) string {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Format(time.RFC3339)
	}
	return def
}

// lsUserID reads completed_by: a user id, or an object with one (expanded exports).
func lsUserID(raw json.RawMessage) string {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if len(raw) == 0 || d.Decode(&v) != nil {
		return ""
	}
	switch x := v.(type) {
	case json.Number:
		return x.String()
	case map[string]any:
		if id, ok := x["id"].(json.Number); ok {
			return id.String()
		}
	}
	return ""
}

// lsWho names the annotator of a Label Studio annotation. completed_by is a user id
// (an object in expanded exports); it is preferred to created_username, which carries
// an e-mail address that does not belong in a released dataset.
func (im *importer) lsWho(a lsAnn, model bool) schema.Annotator {
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
	if u := lsUserID(a.CompletedBy); u != "" {
		who.Name = "labelstudio:" + u
		return who
	}
	var s string
	if json.Unmarshal(a.CompletedBy, &s) == nil && s != "" {
		who.Name = lsUserName(s)
		return who
	}
	if a.CreatedUsername != "" {
		who.Name = lsUserName(a.CreatedUsername)
	}
	return who
}

// lsUserName keeps a name, but never an e-mail address: Label Studio's
// created_username is "EMAIL, ID", and JSON_MIN names expanded users by e-mail.
func lsUserName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, ", "); i >= 0 && strings.Contains(s[:i], "@") {
		if _, err := strconv.Atoi(s[i+2:]); err == nil {
			return "labelstudio:" + s[i+2:]
		}
	}
	if strings.Contains(s, "@") {
		h := sha256.Sum256([]byte(strings.ToLower(s)))
		return "labelstudio:" + hex.EncodeToString(h[:4])
	}
	return s
}

// --- results to items ---

func rawString(raw json.RawMessage) (string, bool) {
	var s string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func rawStrings(raw json.RawMessage) ([]string, error) {
	if raw == nil || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("%s is not a list of strings", raw)
	}
	return list, nil
}

// lsWorkFromResults sorts the results of a JSON annotation into regions, per-region
// values and document labels.
func (im *importer) lsWorkFromResults(results []lsResult) (*lsWork, error) {
	s := im.lsScheme()
	w := &lsWork{}
	for k, res := range results {
		if err := im.lsResultInto(s, w, k, res); err != nil {
			return nil, fmt.Errorf("result %d: %w", k, err)
		}
	}
	return w, nil
}

func (im *importer) lsScheme() lsScheme { return lsSchemeFor(im.opts.Layer, im.opts.Labels, nil) }

func (im *importer) lsResultInto(s lsScheme, w *lsWork, k int, res lsResult) error {
	v := res.Value
	if res.Score != nil && !(*res.Score >= 0 && *res.Score <= 1) {
		return fmt.Errorf("score %v is outside [0,1]", *res.Score)
	}
	_, hasStart := v["start"]
	_, hasEnd := v["end"]
	span := hasStart || hasEnd
	var start, end int
	if span {
		var err error
		if start, err = impInt(v["start"], "start"); err != nil {
			return err
		}
		if end, err = impInt(v["end"], "end"); err != nil {
			return err
		}
	}
	id := lsID(res.ID)
	typ := strings.ToLower(res.Type)
	attr := s.regionAttr(res.FromName)
	switch {
	case attr != nil || typ == "textarea" || (typ == "choices" && span):
		// A per-region value: its control's name is the attribute it sets.
		var vals []string
		var err error
		if typ == "textarea" {
			vals, err = rawStrings(v["text"])
		} else {
			vals, err = rawStrings(v["choices"])
		}
		if err != nil {
			return fmt.Errorf("%s: %w", res.FromName, err)
		}
		if len(vals) > 1 {
			return fmt.Errorf("%s has %d values (%s); a region has one", res.FromName, len(vals), strings.Join(vals, ", "))
		}
		if len(vals) == 1 && strings.TrimSpace(vals[0]) != "" {
			w.attrs = append(w.attrs, lsAttr{id: id, name: res.FromName, start: start, end: end, hasSpan: span, value: strings.TrimSpace(vals[0]), result: k})
		}
	case span:
		labels, err := rawStrings(v["labels"])
		if err != nil {
			return fmt.Errorf("labels: %w", err)
		}
		if c := s.spanControl(res.FromName); c == nil && schema.LabelSet(s.layer) != nil {
			return fmt.Errorf("from_name %q is not a span control of the %s config (%s)", res.FromName, s.layer, lsNames(s.spans))
		}
		reg := &lsRegion{id: id, control: res.FromName, start: start, end: end, labels: labels, score: res.Score, results: []int{k}}
		if t, ok := rawString(v["text"]); ok {
			reg.text = &t
		}
		w.regions = append(w.regions, reg)
	case typ == "choices" || v["choices"] != nil:
		choices, err := rawStrings(v["choices"])
		if err != nil {
			return fmt.Errorf("choices: %w", err)
		}
		if err := im.lsDocControl(s, res.FromName); err != nil {
			return err
		}
		w.docs = append(w.docs, lsRegion{id: id, control: res.FromName, labels: choices, score: res.Score, results: []int{k}})
	default:
		return fmt.Errorf("type %q has neither start/end nor choices", res.Type)
	}
	return nil
}

func (im *importer) lsDocControl(s lsScheme, name string) error {
	if schema.LabelSet(s.layer) == nil {
		return nil
	}
	if s.doc == nil {
		return fmt.Errorf("document-level choices %q: the %s layer labels spans only", name, s.layer)
	}
	if name != s.doc.name {
		return fmt.Errorf("from_name %q is not the document control of the %s config (%s)", name, s.layer, s.doc.name)
	}
	return nil
}

func lsNames(cs []lsControl) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// lsItems attaches per-region values to their regions and makes the items, with the
// attributes of their controls and those derived from the text.
func (im *importer) lsItems(doc *schema.Document, w *lsWork) ([]schema.Item, error) {
	s := im.lsScheme()
	for _, a := range w.attrs {
		var target []*lsRegion
		if a.id != "" {
			for _, r := range w.regions {
				if r.id == a.id {
					target = append(target, r)
				}
			}
		}
		if len(target) == 0 && a.hasSpan {
			for _, r := range w.regions {
				if r.start == a.start && r.end == a.end && r.attrs[a.name] == "" {
					target = []*lsRegion{r}
					break
				}
			}
		}
		if len(target) == 0 {
			return nil, fmt.Errorf("result %d: %s %q belongs to no labelled region", a.result, a.name, a.value)
		}
		for _, r := range target {
			if r.attrs == nil {
				r.attrs = map[string]string{}
			}
			r.attrs[a.name] = a.value
		}
	}
	items := []schema.Item{}
	for _, d := range w.docs {
		c := s.doc
		labels := d.labels
		if len(labels) == 0 {
			labels = []string{""}
		}
		for _, l := range labels {
			if err := im.label(l); err != nil {
				return nil, fmt.Errorf("result %d: %w", d.results[0], err)
			}
			it := schema.Item{Label: l, Score: d.score}
			if c != nil && len(c.attrs) > 0 {
				it.Attrs = cloneAttrs(c.attrs)
			}
			items = append(items, it)
		}
	}
	for _, r := range w.regions {
		base, err := im.span(doc, r.start, r.end, r.text, true)
		if err != nil {
			return nil, fmt.Errorf("result %d: %w", r.results[0], err)
		}
		labels := r.labels
		if len(labels) == 0 {
			labels = []string{""}
		}
		for _, l := range labels {
			if err := im.label(l); err != nil {
				return nil, fmt.Errorf("result %d: %w", r.results[0], err)
			}
			it := base
			it.Label, it.Score = l, r.score
			attrs := map[string]string{}
			if c := s.spanControl(r.control); c != nil {
				for k, v := range c.attrs {
					attrs[k] = v
				}
			}
			for k, v := range r.attrs {
				attrs[k] = v
			}
			if len(attrs) > 0 {
				it.Attrs = attrs
			}
			items = append(items, it)
		}
	}
	if err := deriveAttrs(doc, im.opts.Layer, items); err != nil {
		return nil, err
	}
	return items, nil
}

func cloneAttrs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// deriveAttrs sets the attributes of the built-in layers that follow from the text and
// the label, so that what a person changed in a labelling tool stays consistent: Q&A
// turns are numbered in text order and get the speaker role of their label; paragraph
// sentiment gets the paragraph it covers; answer sentiment the answer turn it covers.
// A stance span without a target is an error: its unit is unknown.
func deriveAttrs(doc *schema.Document, layer string, items []schema.Item) error {
	switch layer {
	case schema.LayerQA:
		numberTurns(items)
	case schema.LayerSentiment:
		var paras []schema.Paragraph
		var turns []qaTurn
		for i := range items {
			it := &items[i]
			if !it.IsSpan() {
				continue
			}
			switch it.Attrs[schema.AttrScope] {
			case schema.ScopeParagraph:
				if paras == nil {
					paras = doc.Paragraphs()
				}
				best, most := -1, 0
				for k, p := range paras {
					if o := overlap(*it.Start, *it.End, p.Start, p.End); o > most {
						best, most = k, o
					}
				}
				if best < 0 {
					return fmt.Errorf("paragraph sentiment [%d,%d) covers no paragraph", *it.Start, *it.End)
				}
				it.Attrs[schema.AttrParagraph] = strconv.Itoa(best)
			case schema.ScopeAnswer:
				if turns == nil {
					turns = findTurns(doc)
				}
				best, most := -1, 0
				for k, t := range turns {
					if o := overlap(*it.Start, *it.End, t.Start, t.End); t.Label == "answer" && o > most {
						best, most = k, o
					}
				}
				if best < 0 {
					return fmt.Errorf("answer sentiment [%d,%d) covers no interview answer newsds found in the document; label it as paragraph sentiment", *it.Start, *it.End)
				}
				it.Attrs[schema.AttrTurn] = strconv.Itoa(best + 1)
			}
		}
	case schema.LayerStance:
		for _, it := range items {
			if it.Attrs[schema.AttrTarget] == "" {
				where := "the document-level stance"
				if it.IsSpan() {
					where = fmt.Sprintf("stance region [%d,%d) %q", *it.Start, *it.End, excerptCP(it.Text, 30))
				}
				return fmt.Errorf("%s has no target: choose one in the region's %q choices", where, lsTarget)
			}
		}
	}
	return nil
}

// numberTurns numbers Q&A turns 1, 2, ... in text order and gives each the speaker
// role of its label.
func numberTurns(items []schema.Item) {
	var idx []int
	for i := range items {
		if items[i].IsSpan() {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if d := *items[a].Start - *items[b].Start; d != 0 {
			return d
		}
		return *items[a].End - *items[b].End
	})
	for n, i := range idx {
		it := &items[i]
		if it.Attrs == nil {
			it.Attrs = map[string]string{}
		}
		it.Attrs[schema.AttrTurn] = strconv.Itoa(n + 1)
		switch it.Label {
		case "question":
			it.Attrs[schema.AttrSpeakerRole] = "interviewer"
		case "answer":
			it.Attrs[schema.AttrSpeakerRole] = "interviewee"
		}
	}
}

func overlap(s1, e1, s2, e2 int) int { return max(0, min(e1, e2)-max(s1, s2)) }

func excerptCP(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// --- JSON_MIN ---

// lsMinReserved are the keys of a JSON_MIN record that are neither data nor controls.
var lsMinReserved = []string{"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "agreement", "history", "drafts"}

func (im *importer) lsMinRecord(where string, raw json.RawMessage) {
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rec); err != nil {
		im.reject(where, "", fmt.Errorf("malformed record: %w", err))
		return
	}
	data := map[string]any{}
	for k, v := range rec {
		if s, ok := rawString(v); ok {
			data[k] = s
		}
	}
	// "id" of a JSON_MIN record is the task id (a number), never our document id.
	taskID := lsID(rec["id"])
	where = im.lsWhere(taskID, where, data)
	docID := impDocID(data, im.opts.IDKey)
	annotator := rec["annotator"]
	if annotator == nil || string(annotator) == "null" {
		// A task nobody annotated: JSON_MIN writes its data alone.
		im.res.Skipped++
		return
	}
	var a lsAnn
	a.ID = rec["annotation_id"]
	a.CompletedBy = annotator
	if lt, ok := rec["lead_time"]; ok {
		var f float64
		if json.Unmarshal(lt, &f) == nil {
			a.LeadTime = &f
		}
	}
	a.CreatedAt, _ = rawString(rec["created_at"])
	who := im.lsWho(a, false)
	key := impKey{docID, im.opts.Layer, who.Name}
	var text *string
	if s, ok := data[im.opts.TextKey].(string); ok {
		text = &s
	}
	doc, err := im.lookup(docID, text)
	if err != nil {
		im.reject(where, docID, err, key)
		return
	}
	w, err := im.lsMinWork(rec)
	if err != nil {
		im.reject(where, docID, fmt.Errorf("annotation %s (%s): %w", lsID(a.ID), who.Name, err), key)
		return
	}
	items, err := im.lsItems(doc, w)
	if err != nil {
		im.reject(where, docID, fmt.Errorf("annotation %s (%s): %w", lsID(a.ID), who.Name, err), key)
		return
	}
	im.addMeta(doc, im.opts.Layer, who, lsTime(a.CreatedAt, im.now), items, lsMeta(taskID, lsID(a.ID), a.CompletedBy, a.LeadTime))
}

// lsMinWork reads the control keys of a JSON_MIN record. JSON_MIN drops result ids, so
// a per-region value is matched to its region by offsets when it kept them, and
// otherwise by order: the k-th value of a control belongs to the k-th region of the
// Labels controls it is shown for. When the counts differ the pairing is unknown and
// the record is rejected (the JSON export keeps it).
func (im *importer) lsMinWork(rec map[string]json.RawMessage) (*lsWork, error) {
	s := im.lsScheme()
	w := &lsWork{}
	var keys []string
	for k := range rec {
		if !slices.Contains(lsMinReserved, k) && k != im.opts.TextKey {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	type pending struct {
		name   string
		values []string
	}
	var loose []pending
	res := 0
	for _, k := range keys {
		raw := rec[k]
		c := s.spanControl(k)
		attr := s.regionAttr(k)
		isDoc := s.doc != nil && s.doc.name == k
		var list []json.RawMessage
		if len(raw) > 0 && raw[0] == '[' {
			if err := json.Unmarshal(raw, &list); err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
		} else {
			list = []json.RawMessage{raw}
		}
		user := schema.LabelSet(s.layer) == nil
		switch {
		case attr != nil:
			p := pending{name: k}
			for _, e := range list {
				if v, ok := rawString(e); ok {
					p.values = append(p.values, v)
					continue
				}
				var obj struct {
					Start   json.RawMessage `json:"start"`
					End     json.RawMessage `json:"end"`
					Choices []string        `json:"choices"`
					Text    json.RawMessage `json:"text"`
				}
				if err := json.Unmarshal(e, &obj); err != nil {
					return nil, fmt.Errorf("%s: %s is neither a value nor a region", k, e)
				}
				vals := obj.Choices
				if attr.tag == "TextArea" {
					vals, _ = rawStrings(obj.Text)
				}
				if len(vals) != 1 {
					return nil, fmt.Errorf("%s: a region has one value, got %d", k, len(vals))
				}
				st, e1 := impInt(obj.Start, "start")
				en, e2 := impInt(obj.End, "end")
				if err := errors.Join(e1, e2); err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
				w.attrs = append(w.attrs, lsAttr{name: k, start: st, end: en, hasSpan: true, value: strings.TrimSpace(vals[0]), result: res})
				res++
			}
			if len(p.values) > 0 {
				loose = append(loose, p)
			}
		case c != nil || (user && lsMinIsRegions(list)):
			for _, e := range list {
				var obj struct {
					Start  json.RawMessage `json:"start"`
					End    json.RawMessage `json:"end"`
					Text   *string         `json:"text"`
					Labels []string        `json:"labels"`
				}
				if err := json.Unmarshal(e, &obj); err != nil {
					return nil, fmt.Errorf("%s: %s is not a region", k, e)
				}
				st, e1 := impInt(obj.Start, "start")
				en, e2 := impInt(obj.End, "end")
				if err := errors.Join(e1, e2); err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
				w.regions = append(w.regions, &lsRegion{control: k, start: st, end: en, text: obj.Text, labels: obj.Labels, results: []int{res}})
				res++
			}
		case isDoc || (user && k == lsDocLabel):
			var labels []string
			for _, e := range list {
				if v, ok := rawString(e); ok {
					labels = append(labels, v)
					continue
				}
				var obj struct {
					Choices []string `json:"choices"`
				}
				if err := json.Unmarshal(e, &obj); err != nil {
					return nil, fmt.Errorf("%s: %s is not a choice", k, e)
				}
				labels = append(labels, obj.Choices...)
			}
			w.docs = append(w.docs, lsRegion{control: k, labels: labels, results: []int{res}})
			res++
		}
	}
	for _, p := range loose {
		attr := s.regionAttr(p.name)
		var regs []*lsRegion
		for _, r := range w.regions {
			if slices.Contains(attr.forTags, r.control) {
				regs = append(regs, r)
			}
		}
		if len(regs) != len(p.values) {
			return nil, fmt.Errorf("JSON_MIN lists %d %s values for %d regions and does not say which belongs to which: export this project as JSON instead", len(p.values), p.name, len(regs))
		}
		for i, r := range regs {
			w.attrs = append(w.attrs, lsAttr{name: p.name, start: r.start, end: r.end, hasSpan: true, value: strings.TrimSpace(p.values[i]), result: r.results[0]})
		}
	}
	return w, nil
}

// lsMinIsRegions reports whether a JSON_MIN value is a list of text regions.
func lsMinIsRegions(list []json.RawMessage) bool {
	for _, e := range list {
		var obj map[string]json.RawMessage
		if json.Unmarshal(e, &obj) != nil {
			return false
		}
		if _, ok := obj["start"]; !ok {
			return false
		}
		if _, ok := obj["labels"]; !ok {
			return false
		}
	}
	return len(list) > 0
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
