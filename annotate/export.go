package annotate

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/newsds/newsds/schema"
)

// ExportOptions configure Export. The zero value of each field is its default.
type ExportOptions struct {
	// Layer selects the layer to write. Required for labelstudio and doccano (one task
	// or line carries one layer); for jsonl "" writes every layer.
	Layer string
	// Annotators keeps only the annotations by these annotator names; empty keeps all.
	Annotators []string
	// IDKey is the key our document id is written under: inside "data" for Label
	// Studio, at the top level for doccano (default "doc_id"; Import reads it back).
	IDKey string
	// TextKey is the Label Studio "data" key of the text (default "text").
	TextKey string
	// FromName and ToName are the Label Studio control and object tag names of the
	// labelling config (default "label" and "text").
	FromName, ToName string
}

// Export writes the annotations of recs in format, for a relabelling round: Import
// reads the file back to the same items (span, label, text; Label Studio keeps scores,
// and only jsonl keeps attributes). Stale annotations are never written, since their
// offsets point into a text that is gone.
//
// labelstudio: a JSON list of tasks {"data":{"text","doc_id","title"},"annotations":
// [...],"predictions":[...]}; human annotations are "annotations" (named by
// created_username), rule and model ones "predictions" (model_version "NAME@VERSION");
// spans are "labels" results with code-point offsets, document-level items "choices".
// Every document is written, annotated or not, so that new ones can be labelled.
//
// doccano: one line per (document, annotator), {"doc_id","text","label":[[start,end,
// "LABEL"],...,"DOC-LABEL"],"annotator"}, offsets in UTF-16 code units; a document
// without annotations gets one line with an empty label list.
//
// jsonl: one schema.Annotation per line.
func Export(w io.Writer, format string, recs iter.Seq2[schema.Record, error], opts ExportOptions) error {
	if opts.Layer == "" && format != FormatJSONL {
		return fmt.Errorf("export annotations: %s needs a layer", format)
	}
	if opts.IDKey == "" {
		opts.IDKey = "doc_id"
	}
	if opts.TextKey == "" {
		opts.TextKey = "text"
	}
	if opts.FromName == "" {
		opts.FromName = "label"
	}
	if opts.ToName == "" {
		opts.ToName = "text"
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var write func(rec *schema.Record, anns []schema.Annotation) error
	tasks := 0
	switch format {
	case FormatLabelStudio:
		bw.WriteString("[")
		write = func(rec *schema.Record, anns []schema.Annotation) error {
			if tasks > 0 {
				bw.WriteString(",")
			}
			tasks++
			bw.WriteString("\n")
			return enc.Encode(expLabelStudioTask(rec, anns, opts))
		}
	case FormatDoccano:
		write = func(rec *schema.Record, anns []schema.Annotation) error {
			return expDoccano(enc, rec, anns, opts)
		}
	case FormatJSONL:
		write = func(_ *schema.Record, anns []schema.Annotation) error {
			for _, a := range anns {
				if err := enc.Encode(a); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		return fmt.Errorf("export annotations: format %q is not one of %s", format, strings.Join(AnnotationFormats, ", "))
	}
	for rec, err := range recs {
		if err != nil {
			return fmt.Errorf("export annotations: %w", err)
		}
		var anns []schema.Annotation
		for _, a := range rec.Annotations {
			if expKeep(&rec, a, opts) {
				anns = append(anns, a)
			}
		}
		if err := write(&rec, anns); err != nil {
			return fmt.Errorf("export annotations: doc %s: %w", rec.ID, err)
		}
	}
	if format == FormatLabelStudio {
		if tasks > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString("]\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export annotations: %w", err)
	}
	return nil
}

func expKeep(rec *schema.Record, a schema.Annotation, opts ExportOptions) bool {
	hash := rec.ContentHash
	if hash == "" {
		hash = schema.ContentHash(rec.Text)
	}
	switch {
	case a.Stale || (a.ContentHash != "" && a.ContentHash != hash):
		return false
	case opts.Layer != "" && a.Layer != opts.Layer:
		return false
	case len(opts.Annotators) > 0 && !slices.Contains(opts.Annotators, a.Annotator.Name):
		return false
	}
	return true
}

type lsExportTask struct {
	Data        map[string]string `json:"data"`
	Annotations []lsExportAnn     `json:"annotations"`
	Predictions []lsExportAnn     `json:"predictions"`
}

type lsExportAnn struct {
	CreatedUsername string     `json:"created_username,omitempty"`
	ModelVersion    string     `json:"model_version,omitempty"`
	Result          []lsResult `json:"result"`
}

func expLabelStudioTask(rec *schema.Record, anns []schema.Annotation, opts ExportOptions) lsExportTask {
	t := lsExportTask{
		Data:        map[string]string{opts.TextKey: rec.Text, opts.IDKey: rec.ID, "title": rec.Title},
		Annotations: []lsExportAnn{},
		Predictions: []lsExportAnn{},
	}
	for _, a := range anns {
		results := make([]lsResult, 0, len(a.Items))
		for k, it := range a.Items {
			r := lsResult{ID: "r" + strconv.Itoa(k), FromName: opts.FromName, ToName: opts.ToName, Score: it.Score}
			if it.IsSpan() {
				text := it.Text
				r.Type = "labels"
				r.Value = lsValue{Start: json.RawMessage(strconv.Itoa(*it.Start)), End: json.RawMessage(strconv.Itoa(*it.End)), Text: &text, Labels: expLabels(it.Label)}
				if r.Value.Labels == nil {
					r.Value.Labels = []string{}
				}
			} else {
				r.Type = "choices"
				r.Value = lsValue{Choices: expLabels(it.Label)}
				if r.Value.Choices == nil {
					r.Value.Choices = []string{}
				}
			}
			results = append(results, r)
		}
		if a.Annotator.Kind == schema.KindHuman {
			t.Annotations = append(t.Annotations, lsExportAnn{CreatedUsername: a.Annotator.Name, Result: results})
		} else {
			t.Predictions = append(t.Predictions, lsExportAnn{ModelVersion: a.Annotator.Name + "@" + a.Annotator.Version, Result: results})
		}
	}
	return t
}

func expLabels(l string) []string {
	if l == "" {
		return nil
	}
	return []string{l}
}

func expDoccano(enc *json.Encoder, rec *schema.Record, anns []schema.Annotation, opts ExportOptions) error {
	line := func(name string, labels []any) error {
		m := map[string]any{opts.IDKey: rec.ID, "text": rec.Text, "label": labels}
		if name != "" {
			m["annotator"] = name
		}
		return enc.Encode(m)
	}
	if len(anns) == 0 {
		return line("", []any{})
	}
	for _, a := range anns {
		labels := make([]any, 0, len(a.Items))
		for k, it := range a.Items {
			if !it.IsSpan() {
				labels = append(labels, it.Label)
				continue
			}
			s, err1 := schema.CPToUTF16(rec.Text, *it.Start)
			e, err2 := schema.CPToUTF16(rec.Text, *it.End)
			if err := errors.Join(err1, err2); err != nil {
				return fmt.Errorf("annotator %s: item %d: %w", a.Annotator.Name, k, err)
			}
			labels = append(labels, []any{s, e, it.Label})
		}
		if err := line(a.Annotator.Name, labels); err != nil {
			return err
		}
	}
	return nil
}
