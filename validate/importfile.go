package validate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/schema"
)

// ImportProblem is a record an importer rejected.
type ImportProblem struct {
	// Line is the 1-based line of a JSONL record, 0 when the format has no lines.
	Line int
	// Record names the record as the importer does ("task 12 (doc abc)").
	Record string
	DocID  string
	Err    error
}

// ImportParser reads an annotation import file of the given format (FormatLabelStudio,
// FormatDoccano, FormatJSONL) for layer into the annotations it can import and the
// records it rejects. An error means the file cannot be read at all.
type ImportParser func(ctx context.Context, path, format, layer string) ([]schema.Annotation, []ImportProblem, error)

// AnnotateImporter is the ImportParser of `newsds import-annotations`: annotate.Import,
// checking every record against the documents docs returns.
func AnnotateImporter(docs annotate.DocumentLookup) ImportParser {
	return func(ctx context.Context, path, format, layer string) ([]schema.Annotation, []ImportProblem, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		res, err := annotate.Import(ctx, f, path, annotate.ImportOptions{Format: format, Layer: layer, Docs: docs})
		if err != nil {
			return nil, nil, err
		}
		problems := make([]ImportProblem, 0, len(res.Errors))
		for _, e := range res.Errors {
			p := ImportProblem{Record: e.Record, DocID: e.DocID, Err: e.Err}
			if m := lineRecord.FindStringSubmatch(e.Record); m != nil {
				// The line number says it all; the doc id has its own field.
				p.Line, _ = strconv.Atoi(m[1])
				p.Record = ""
			}
			problems = append(problems, p)
		}
		return res.Annotations, problems, nil
	}
}

var lineRecord = regexp.MustCompile(`^line (\d+)\b`)

// ErrImportLayer is returned for a Label Studio or doccano file validated without a
// layer: those formats do not say which layer their labels belong to.
var ErrImportLayer = errors.New("give the layer the file's annotations are for (--layer)")

func validateImport(ctx context.Context, target Target, opts *Options, rc *recordChecker) error {
	if opts.ParseImport == nil {
		return fmt.Errorf("validate %s: no import parser", target.Path)
	}
	format, err := SniffImportFormat(target.Path)
	if err != nil {
		return err
	}
	if format != FormatJSONL && opts.ImportLayer == "" {
		return fmt.Errorf("validate %s (%s): %w", target.Path, format, ErrImportLayer)
	}
	anns, problems, err := opts.ParseImport(ctx, target.Path, format, opts.ImportLayer)
	if err != nil {
		return fmt.Errorf("read %s: %w", target.Path, err)
	}
	rc.s.report.Checked.Files++
	for _, p := range problems {
		loc := Location{File: target.Path, Record: p.Record, DocID: p.DocID}
		if p.Line > 0 {
			loc.Line = intPtr(p.Line)
		}
		rc.s.emit(Finding{Rule: RuleImportRecord, Location: loc, Message: p.Err.Error(),
			Fix: "fix the record (or relabel it in the annotation tool) and export again"})
	}
	// Annotations of one document (several annotators of one task) are checked together
	// so that agreement between them is measured.
	for i := 0; i < len(anns); {
		j := i + 1
		for j < len(anns) && anns[j].DocID == anns[i].DocID {
			j++
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := rc.checkImported(ctx, target, anns[i:j]); err != nil {
			return err
		}
		i = j
	}
	return ctx.Err()
}

// checkImported checks the annotations of one document read from an import file,
// against the corpus text when the target can look documents up.
func (rc *recordChecker) checkImported(ctx context.Context, target Target, anns []schema.Annotation) error {
	id := anns[0].DocID
	loc := Location{File: target.Path, DocID: id}
	rec := schema.Record{Document: schema.Document{ID: id}, Annotations: anns}
	textKnown := false
	if target.Lookup != nil {
		doc, ok, err := target.Lookup(ctx, id)
		if err != nil {
			return fmt.Errorf("look up document %s: %w", id, err)
		}
		if !ok {
			rc.emit(RuleAnnotationDocMiss, loc, "ingest the document first, or drop its records", "document %s is not in the corpus", id)
		} else {
			rec.Document, textKnown = doc, true
		}
	}
	rc.check(&rec, loc, recordContext{annotationsOnly: true, textUnknown: !textKnown})
	return nil
}
