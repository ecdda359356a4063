package validate

import (
	"context"
	"fmt"

	"github.com/newsds/newsds/schema"
)

// ImportedRecord is one annotation read from an import file.
type ImportedRecord struct {
	Annotation schema.Annotation
	// Text is the document text the record carries (Label Studio data.text, doccano
	// text), "" when the format carries none.
	Text string
	// Line is the 1-based line of a JSONL record, 0 for a JSON array; Index is the
	// 0-based record number.
	Line  int
	Index int
}

// ImportProblem is a record the importer rejected.
type ImportProblem struct {
	Line  int
	Index int
	DocID string
	Err   error
}

// ImportParser reads an annotation import file of the given format (FormatLabelStudio,
// FormatDoccano, FormatJSONL) for layer ("" lets the format say) into the records it can
// import and the ones it rejects. An error means the file cannot be read at all.
type ImportParser func(ctx context.Context, path, format, layer string) ([]ImportedRecord, []ImportProblem, error)

func validateImport(ctx context.Context, target Target, opts *Options, rc *recordChecker) error {
	if opts.ParseImport == nil {
		return fmt.Errorf("validate %s: no import parser", target.Path)
	}
	format, err := SniffImportFormat(target.Path)
	if err != nil {
		return err
	}
	recs, problems, err := opts.ParseImport(ctx, target.Path, format, opts.ImportLayer)
	if err != nil {
		return fmt.Errorf("read %s: %w", target.Path, err)
	}
	rc.s.report.Checked.Files++
	for _, p := range problems {
		loc := importLocation(target.Path, p.Line, p.Index)
		loc.DocID = p.DocID
		rc.s.emit(Finding{Rule: RuleImportRecord, Location: loc, Message: p.Err.Error(),
			Fix: "fix the record in the annotation tool and export again"})
	}
	// Records of one document (several annotators of one Label Studio task) are checked
	// together so that agreement between them is measured.
	for i := 0; i < len(recs); {
		j := i + 1
		for j < len(recs) && recs[j].Annotation.DocID == recs[i].Annotation.DocID {
			j++
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := rc.checkImported(ctx, target, recs[i:j]); err != nil {
			return err
		}
		i = j
	}
	return ctx.Err()
}

func importLocation(path string, line, index int) Location {
	loc := Location{File: path}
	if line > 0 {
		loc.Line = intPtr(line)
	} else {
		loc.Record = intPtr(index)
	}
	return loc
}

// checkImported checks the annotations of one document read from an import file,
// against the corpus text when the target can look documents up, else against the text
// the records carry.
func (rc *recordChecker) checkImported(ctx context.Context, target Target, recs []ImportedRecord) error {
	id := recs[0].Annotation.DocID
	loc := importLocation(target.Path, recs[0].Line, recs[0].Index)
	loc.DocID = id
	rec := schema.Record{Document: schema.Document{ID: id}}
	textKnown := false
	if target.Lookup != nil {
		doc, ok, err := target.Lookup(ctx, id)
		if err != nil {
			return fmt.Errorf("look up document %s: %w", id, err)
		}
		if !ok {
			rc.emit(RuleAnnotationDocMiss, loc, "ingest the document first, or drop the record",
				"document %s is not in the corpus", id)
		} else {
			rec.Document, textKnown = doc, true
		}
	}
	if !textKnown && recs[0].Text != "" {
		rec.Text = recs[0].Text
		rec.ContentHash = schema.ContentHash(rec.Text)
		textKnown = true
	}
	for _, r := range recs {
		rec.Annotations = append(rec.Annotations, r.Annotation)
	}
	rc.check(&rec, loc, recordContext{annotationsOnly: true, textUnknown: !textKnown})
	return nil
}
