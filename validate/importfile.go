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

// ImportParser reads an annotation import file of the given format (annotate.FormatLabelStudio,
// annotate.FormatDoccano, annotate.FormatJSONL) for layer: it hands each annotation it can import to each,
// sorted by document id (the annotations of one document one after another), and
// returns the records it rejects. An error means the file cannot be read at all, or
// each failed.
type ImportParser func(ctx context.Context, path, format, layer string, each func(schema.Annotation) error) ([]ImportProblem, error)

// AnnotateImporter is the ImportParser of `newsds import-annotations`: annotate.ImportEach,
// checking every record against the documents docs returns. It streams, so a file of
// any size is validated in bounded memory.
func AnnotateImporter(docs annotate.DocumentLookup) ImportParser {
	return func(ctx context.Context, path, format, layer string, each func(schema.Annotation) error) ([]ImportProblem, error) {
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			return nil, fmt.Errorf("%s is a folder; validate checks one import file", path)
		}
		res, err := annotate.ImportEach(ctx, []string{path}, annotate.ImportOptions{Format: format, Layer: layer, Docs: docs},
			func(batch []schema.Annotation) error {
				for _, a := range batch {
					if err := each(a); err != nil {
						return err
					}
				}
				return nil
			})
		if err != nil {
			return nil, err
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
		return problems, nil
	}
}

// importCheckChunk bounds the annotations of one document checked together: the
// annotators of a task are a handful, but an import file may hold any number for one
// document, and holding them all would make memory grow with the file. Agreement
// between annotators is measured within a chunk.
const importCheckChunk = 4096

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
	if format != annotate.FormatJSONL && opts.ImportLayer == "" {
		return fmt.Errorf("validate %s (%s): %w", target.Path, format, ErrImportLayer)
	}
	// Annotations of one document (several annotators of one task) are checked together
	// so that agreement between them is measured.
	var cur []schema.Annotation
	var doc importDoc
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		err := rc.checkImported(ctx, target, &doc, cur)
		cur = nil
		return err
	}
	problems, err := opts.ParseImport(ctx, target.Path, format, opts.ImportLayer, func(a schema.Annotation) error {
		if len(cur) > 0 && (a.DocID != cur[0].DocID || len(cur) >= importCheckChunk) {
			if err := flush(); err != nil {
				return err
			}
		}
		cur = append(cur, a)
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
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
	return ctx.Err()
}

// importDoc is the document of the annotations being checked, looked up once however
// many chunks its annotations come in.
type importDoc struct {
	id        string
	doc       schema.Document
	textKnown bool
}

// checkImported checks the annotations of one document read from an import file,
// against the corpus text when the target can look documents up.
func (rc *recordChecker) checkImported(ctx context.Context, target Target, cur *importDoc, anns []schema.Annotation) error {
	id := anns[0].DocID
	loc := Location{File: target.Path, DocID: id}
	if cur.id != id || id == "" {
		*cur = importDoc{id: id, doc: schema.Document{ID: id}}
		if target.Lookup != nil {
			doc, ok, err := target.Lookup(ctx, id)
			if err != nil {
				return fmt.Errorf("look up document %s: %w", id, err)
			}
			if !ok {
				rc.emit(RuleAnnotationDocMiss, loc, "ingest the document first, or drop its records", "document %s is not in the corpus", id)
			} else {
				cur.doc, cur.textKnown = doc, true
			}
		}
	}
	rec := schema.Record{Document: cur.doc, Annotations: anns}
	rc.check(&rec, loc, recordContext{annotationsOnly: true, textUnknown: !cur.textKnown})
	return nil
}
