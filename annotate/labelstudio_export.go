package annotate

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/newsds/newsds/schema"
)

// Label Studio tasks as Export writes them. Machine work (rule and model annotators) is
// a prediction named "NAME@VERSION" with its mean score, which Label Studio shows as
// the pre-annotation and sorts tasks by; human work is an annotation.

type lsExportTask struct {
	Data        map[string]string `json:"data"`
	Annotations []lsExportAnn     `json:"annotations"`
	Predictions []lsExportAnn     `json:"predictions"`
}

type lsExportAnn struct {
	CreatedUsername string           `json:"created_username,omitempty"`
	ModelVersion    string           `json:"model_version,omitempty"`
	Score           *float64         `json:"score,omitempty"`
	Result          []lsExportResult `json:"result"`
}

type lsExportResult struct {
	ID       string         `json:"id"`
	FromName string         `json:"from_name"`
	ToName   string         `json:"to_name"`
	Type     string         `json:"type"`
	Value    map[string]any `json:"value"`
	Score    *float64       `json:"score,omitempty"`
}

// lsExporter turns records into tasks and collects what the config must offer.
type lsExporter struct {
	opts    ExportOptions
	scheme  lsScheme
	labels  map[string]bool
	targets map[string]bool
	rtl     int
	ltr     int
	res     *ExportResult
}

func newLSExporter(opts ExportOptions, res *ExportResult) *lsExporter {
	return &lsExporter{opts: opts, scheme: lsSchemeFor(opts.Layer, opts.Labels, opts.Targets),
		labels: map[string]bool{}, targets: map[string]bool{}, res: res}
}

func (x *lsExporter) task(rec *schema.Record, anns []schema.Annotation) lsExportTask {
	if isRTL(rec.Text) {
		x.rtl++
	} else {
		x.ltr++
	}
	t := lsExportTask{
		Data:        map[string]string{x.opts.TextKey: rec.Text, x.opts.IDKey: rec.ID, "title": rec.Title},
		Annotations: []lsExportAnn{},
		Predictions: []lsExportAnn{},
	}
	if rec.Lang != "" {
		t.Data["lang"] = rec.Lang
	}
	for _, a := range anns {
		results := []lsExportResult{}
		var sum float64
		scored := 0
		for k, it := range a.Items {
			c := x.scheme.controlFor(it)
			if c == nil {
				x.res.drop(rec.ID, a, k, "a document-level item, and the "+x.opts.Layer+" config labels spans only")
				continue
			}
			x.labels[it.Label] = true
			if it.Score != nil {
				sum += *it.Score
				scored++
			}
			results = append(results, x.results(rec, c, k, it)...)
		}
		x.res.Items += len(a.Items)
		x.res.Annotations++
		if a.Annotator.Kind == schema.KindHuman {
			t.Annotations = append(t.Annotations, lsExportAnn{CreatedUsername: a.Annotator.Name, Result: results})
			continue
		}
		p := lsExportAnn{ModelVersion: a.Annotator.Name + "@" + a.Annotator.Version, Result: results}
		if scored > 0 {
			p.Score = schema.Float(round4(sum / float64(scored)))
		}
		t.Predictions = append(t.Predictions, p)
	}
	return t
}

// results are the results of one item: its label under control c and, for a span, one
// per-region result for each attribute the scheme has a control for, sharing the id.
func (x *lsExporter) results(rec *schema.Record, c *lsControl, k int, it schema.Item) []lsExportResult {
	id := "r" + strconv.Itoa(k)
	labels := []string{}
	if it.Label != "" {
		labels = []string{it.Label}
	}
	if !it.IsSpan() {
		return []lsExportResult{{ID: id, FromName: c.name, ToName: lsObjectName, Type: "choices", Value: map[string]any{"choices": labels}, Score: it.Score}}
	}
	text := it.Text
	if text == "" {
		text, _ = schema.SliceCP(rec.Text, *it.Start, *it.End)
	}
	out := []lsExportResult{{ID: id, FromName: c.name, ToName: lsObjectName, Type: "labels",
		Value: map[string]any{"start": *it.Start, "end": *it.End, "text": text, "labels": labels}, Score: it.Score}}
	for _, r := range x.scheme.region {
		v := it.Attrs[r.name]
		if v == "" {
			continue
		}
		if r.name == schema.AttrTarget {
			x.targets[v] = true
		}
		res := lsExportResult{ID: id, FromName: r.name, ToName: lsObjectName, Value: map[string]any{"start": *it.Start, "end": *it.End}}
		switch r.tag {
		case "TextArea":
			res.Type = "textarea"
			res.Value["text"] = []string{v}
		default:
			res.Type = "choices"
			res.Value["text"] = text
			res.Value["choices"] = []string{v}
		}
		out = append(out, res)
	}
	return out
}

// config is the labelling config for what was exported: the declared labels and
// targets plus any the annotations used, laid out right to left when most documents
// are (or as opts.Direction says).
func (x *lsExporter) config() string {
	rtl := x.rtl > x.ltr
	switch x.opts.Direction {
	case "rtl":
		rtl = true
	case "ltr":
		rtl = false
	}
	x.res.RTL = rtl
	if x.rtl > 0 && x.ltr > 0 && x.opts.Direction == "" {
		x.res.Warnings = append(x.res.Warnings, fmt.Sprintf("%d documents are right-to-left and %d left-to-right; the config lays every task out %s (set --direction, or export the languages apart)",
			x.rtl, x.ltr, map[bool]string{true: "right to left", false: "left to right"}[rtl]))
	}
	labels := x.opts.Labels
	if b := schema.LabelSet(x.opts.Layer); b != nil {
		labels = b
	}
	unknown := map[string]bool{}
	for l := range x.labels {
		if !contains(labels, l) {
			unknown[l] = true
		}
	}
	if len(unknown) > 0 && schema.LabelSet(x.opts.Layer) != nil {
		x.res.Warnings = append(x.res.Warnings, fmt.Sprintf("labels %v are not %s labels; the config does not offer them", mergeSorted(nil, unknown), x.opts.Layer))
		unknown = nil
	}
	return LabelConfig(x.opts.Layer, LabelConfigOptions{Labels: mergeSorted(labels, unknown), Targets: mergeSorted(x.opts.Targets, x.targets), RTL: rtl})
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func (x *lsExporter) write(enc *json.Encoder, rec *schema.Record, anns []schema.Annotation) error {
	return enc.Encode(x.task(rec, anns))
}
