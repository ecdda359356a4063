package annotate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsds/newsds/internal/atomicfile"
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
	// Labels are a user layer's declared labels (newsds.yaml); the built-in layers have
	// fixed ones. The Label Studio config offers them plus any the annotations use.
	Labels []string
	// Targets are the declared stance targets (the targets file), offered by the Label
	// Studio config and written for documents without a stance yet.
	Targets []string
	// Direction of the Label Studio text: "rtl", "ltr", or "" for the direction of most
	// exported documents.
	Direction string
}

// ExportResult says what Export wrote.
type ExportResult struct {
	// Documents, Annotations and Items count what was written.
	Documents, Annotations, Items int
	// Dropped lists the items the format cannot carry ("doc X annotator Y item 3: why").
	Dropped []string
	// Config is the Label Studio labelling config matching the tasks ("" for other
	// formats).
	Config string
	// RTL says the config lays the text out right to left.
	RTL bool
	// Warnings are things a person should know about the export.
	Warnings []string
	// Files are the files ExportDir wrote, in order.
	Files []string
}

func (r *ExportResult) drop(docID string, a schema.Annotation, k int, why string) {
	r.Dropped = append(r.Dropped, fmt.Sprintf("doc %s annotator %s item %d: %s", docID, a.Annotator.Name, k, why))
}

// Export writes the annotations of recs in format, for a relabelling round: Import
// reads the file back to the same items. Stale annotations are never written, since
// their offsets point into a text that is gone.
//
// labelstudio: a JSON list of tasks {"data":{"text","doc_id","title","lang"},
// "annotations":[...],"predictions":[...]} under the controls of LabelConfig (the
// result's Config): human annotations are "annotations", rule and model ones
// "predictions" (model_version "NAME@VERSION", score the mean item score); spans are
// "labels" results with code-point offsets and per-region results for their speaker or
// target, document-level items "choices". Every document is written, annotated or not,
// so that new ones can be labelled.
//
// doccano: JSONL, one line per (document, annotation, group): span groups in doccano's
// sequence-labelling form {"text","label":[[start,end,"LABEL"],...]}, document labels
// in its text-classification form {"text","label":["LABEL"]}, offsets in UTF-16 code
// units, plus the fields doccano keeps as metadata and exports back: doc_id, the
// annotator the labels came from, and the layer's unit fields (scope for sentiment, one
// line per target with "target" for stance, "speakers" for Q&A turns). A layer with
// several groups (sentiment) needs one doccano project per group: ExportDir writes one
// file each.
//
// jsonl: one schema.Annotation per line.
func Export(w io.Writer, format string, recs iter.Seq2[schema.Record, error], opts ExportOptions) (ExportResult, error) {
	var res ExportResult
	if opts.Layer == "" && format != FormatJSONL {
		return res, fmt.Errorf("export annotations: %s needs a layer", format)
	}
	if opts.Direction != "" && opts.Direction != "rtl" && opts.Direction != "ltr" {
		return res, fmt.Errorf("export annotations: direction %q is not rtl or ltr", opts.Direction)
	}
	if opts.IDKey == "" {
		opts.IDKey = "doc_id"
	}
	if opts.TextKey == "" {
		opts.TextKey = "text"
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var write func(rec *schema.Record, anns []schema.Annotation) error
	var ls *lsExporter
	switch format {
	case FormatLabelStudio:
		ls = newLSExporter(opts, &res)
		bw.WriteString("[")
		write = func(rec *schema.Record, anns []schema.Annotation) error {
			if res.Documents > 1 {
				bw.WriteString(",")
			}
			bw.WriteString("\n")
			return ls.write(enc, rec, anns)
		}
	case FormatDoccano:
		dc := newDoccanoExporter(opts, &res)
		write = func(rec *schema.Record, anns []schema.Annotation) error {
			return dc.write(rec, anns, func(_ string, line map[string]any) error { return enc.Encode(line) })
		}
	case FormatJSONL:
		write = func(_ *schema.Record, anns []schema.Annotation) error {
			for _, a := range anns {
				res.Annotations++
				res.Items += len(a.Items)
				if err := enc.Encode(a); err != nil {
					return err
				}
			}
			return nil
		}
	default:
		return res, fmt.Errorf("export annotations: format %q is not one of %s", format, strings.Join(AnnotationFormats, ", "))
	}
	if err := exportEach(recs, opts, &res, write); err != nil {
		return res, err
	}
	if ls != nil {
		if res.Documents > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString("]\n")
		res.Config = ls.config()
	}
	if err := bw.Flush(); err != nil {
		return res, fmt.Errorf("export annotations: %w", err)
	}
	return res, nil
}

func exportEach(recs iter.Seq2[schema.Record, error], opts ExportOptions, res *ExportResult, write func(*schema.Record, []schema.Annotation) error) error {
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
		res.Documents++
		if err := write(&rec, anns); err != nil {
			return fmt.Errorf("export annotations: doc %s: %w", rec.ID, err)
		}
	}
	return nil
}

// ExportDir writes an export into the folder dir (created if missing), every file
// atomically: labelstudio writes tasks.json and the matching config.xml; doccano one
// LAYER.GROUP.jsonl per doccano project (LAYER.jsonl for a layer with one group);
// jsonl annotations.jsonl.
func ExportDir(dir, format string, recs iter.Seq2[schema.Record, error], opts ExportOptions) (ExportResult, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ExportResult{}, fmt.Errorf("export annotations: %w", err)
	}
	switch format {
	case FormatLabelStudio, FormatJSONL:
		name := "tasks.json"
		if format == FormatJSONL {
			name = "annotations.jsonl"
		}
		var res ExportResult
		path := filepath.Join(dir, name)
		err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
			var err error
			res, err = Export(w, format, recs, opts)
			return err
		})
		if err != nil {
			return res, err
		}
		res.Files = append(res.Files, path)
		if format == FormatLabelStudio {
			cfg := filepath.Join(dir, "config.xml")
			if err := atomicfile.WriteBytes(cfg, []byte(res.Config), 0o644); err != nil {
				return res, fmt.Errorf("export annotations: %w", err)
			}
			res.Files = append(res.Files, cfg)
		}
		return res, nil
	case FormatDoccano:
		return exportDoccanoDir(dir, recs, opts)
	}
	return ExportResult{}, fmt.Errorf("export annotations: format %q is not one of %s", format, strings.Join(AnnotationFormats, ", "))
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

// annotatorLabel is how exports name who made an annotation: "NAME@VERSION" for rule
// and model annotators, the name for people.
func annotatorLabel(a schema.Annotator) string {
	if a.Kind == schema.KindHuman {
		return a.Name
	}
	return a.Name + "@" + a.Version
}
