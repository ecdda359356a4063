package annotate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// Issue 14: the import holds no more than a bounded spool. A spool that spills every
// record to its own run must give exactly what the in-memory one gives: same pairs,
// order, merged items, joined meta, and rejected pairs left out.
func TestImportSpilledEqualsInMemory(t *testing.T) {
	for _, tc := range []struct {
		file, format, layer string
	}{
		{"doccano.jsonl", FormatDoccano, "entities"},
		{"labelstudio.json", FormatLabelStudio, "entities"},
		{"labelstudio_1.23.json", FormatLabelStudio, "entities"},
		{"labelstudio_1.23_min.json", FormatLabelStudio, "entities"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			mem, err := importFile(t, tc.file, ImportOptions{Format: tc.format, Layer: tc.layer})
			if err != nil {
				t.Fatal(err)
			}
			if len(mem.Annotations) == 0 {
				t.Fatal("fixture imports nothing: the comparison would prove nothing")
			}
			spilled, err := importFile(t, tc.file, ImportOptions{Format: tc.format, Layer: tc.layer, spoolLimit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(mem, spilled) {
				t.Errorf("spilled import differs:\nmemory:  %s\nspilled: %s", impSummary(mem.Annotations), impSummary(spilled.Annotations))
			}
		})
	}
}

// countingDocs counts the lookups an import makes.
type countingDocs struct {
	impDocs
	n int
}

func (c *countingDocs) Document(ctx context.Context, id string) (schema.Document, error) {
	c.n++
	return c.impDocs.Document(ctx, id)
}

// writeJSONLRecords writes n JSONL records on em1 ("Doha"), record i by annotator
// who(i), and every k-th record (k > 0) with a span past the text.
func writeJSONLRecords(t *testing.T, n, k int, who func(int) string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "anns.jsonl")
	var b strings.Builder
	for i := range n {
		start, end := 31, 35
		if k > 0 && i%k == k-1 {
			end = 99
		}
		line, _ := json.Marshal(map[string]any{"doc_id": "em1", "layer": "ner", "annotator": map[string]string{"name": who(i)},
			"items": []map[string]any{{"start": start, "end": end, "label": fmt.Sprint("L", i%7)}}})
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A record used to cost a store lookup of its document (with every annotation the
// document has): 200,000 records of one document made 200,000 queries. The importer
// looks a document up once.
func TestImportLooksUpEachDocumentOnce(t *testing.T) {
	docs := &countingDocs{impDocs: impCorpus}
	p := writeJSONLRecords(t, 300, 0, func(i int) string { return fmt.Sprint("p", i) })
	res, err := ImportFiles(context.Background(), []string{p}, ImportOptions{Format: FormatJSONL, Docs: docs, Now: impNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Annotations) != 300 || docs.n != 1 {
		t.Errorf("%d annotations, %d lookups; want 300 and 1", len(res.Annotations), docs.n)
	}
}

// ImportEach hands over in bounded batches what ImportFiles returns, in the same order,
// through a spool that spills; a pair with a rejected record is left out either way.
func TestImportEachStreamsInBatches(t *testing.T) {
	// 1,500 records of 1,200 people: some people have two records (merged), every
	// 50th record is bad (its pair is dropped).
	p := writeJSONLRecords(t, 1500, 50, func(i int) string { return fmt.Sprint("p", i%1200) })
	opts := ImportOptions{Format: FormatJSONL, Docs: impCorpus, Now: impNow}
	all, err := ImportFiles(context.Background(), []string{p}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Errors) != 30 || len(all.Annotations) == 0 || all.Imported != len(all.Annotations) {
		t.Fatalf("%d errors, %d annotations, imported %d", len(all.Errors), len(all.Annotations), all.Imported)
	}
	opts.spoolLimit = 4 << 10
	var got []schema.Annotation
	batches := 0
	res, err := ImportEach(context.Background(), []string{p}, opts, func(batch []schema.Annotation) error {
		if len(batch) > importBatchAnnotations {
			t.Errorf("a batch of %d annotations", len(batch))
		}
		batches++
		got = append(got, batch...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if batches < 2 || len(res.Annotations) != 0 || res.Imported != len(got) {
		t.Errorf("%d batches, %d annotations kept in the result, imported %d of %d", batches, len(res.Annotations), res.Imported, len(got))
	}
	if !reflect.DeepEqual(got, all.Annotations) || !reflect.DeepEqual(res.Errors, all.Errors) {
		t.Errorf("streamed import differs from ImportFiles: %d vs %d annotations", len(got), len(all.Annotations))
	}
	// An error from put stops the import.
	stop := fmt.Errorf("disk full")
	if _, err := ImportEach(context.Background(), []string{p}, opts, func([]schema.Annotation) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("put's error: got %v", err)
	}
}
