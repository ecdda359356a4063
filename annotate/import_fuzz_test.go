package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// Fuzz targets of the three import formats: any bytes give an ImportResult or a
// file-level error, never a panic, and every imported span is the stored text's
// [start, end) in code points. Run one with
// `go test ./annotate -run '^$' -fuzz FuzzImportDoccano -fuzztime 10m`.

// fuzzDocs are the fixtures' texts and an Arabic interview of ../shared (its first
// paragraphs), under the id "sh1".
func fuzzDocs(f *testing.F) (impDocs, string) {
	docs := impDocs{"ar1": impAr1, "em1": impEm1}
	text := "حوار مع الوزير.\n\nس: ما رأيك؟\n\nج: نحن نقدر ذلك."
	if b := testshared.Seeds(f, "data/interviews/ar/*.txt", 1, 2<<10); len(b) == 1 {
		t := strings.ToValidUTF8(string(b[0]), "")
		if i := strings.LastIndex(t, "\n"); i > 0 {
			t = t[:i]
		}
		text = strings.TrimSpace(t)
	}
	docs["sh1"] = text
	return docs, text
}

// fuzzSpans are the first paragraphs of text as code-point spans.
func fuzzSpans(text string) [][2]int {
	var out [][2]int
	for _, p := range schema.SplitParagraphs(text) {
		out = append(out, [2]int{p.Start, p.End})
		if len(out) == 3 {
			break
		}
	}
	return out
}

func addFixture(f *testing.F, name string) {
	if b, err := os.ReadFile(filepath.Join("testdata", "import", name)); err == nil {
		f.Add(b)
	}
}

func fuzzImport(t *testing.T, docs impDocs, format, layer string, data []byte) {
	res, err := Import(context.Background(), bytes.NewReader(data), "fuzz."+format, ImportOptions{
		Format: format, Layer: layer, Docs: docs, Predictions: true, Now: impNow})
	if err != nil {
		if !strings.Contains(err.Error(), "fuzz."+format) && !errors.Is(err, context.Canceled) {
			t.Errorf("file error does not name the file: %v", err)
		}
		return
	}
	for _, e := range res.Errors {
		if e.File != "fuzz."+format || e.Record == "" || e.Err == nil {
			t.Errorf("rejection not located: %+v", e)
		}
	}
	for _, a := range res.Annotations {
		text, ok := docs[a.DocID]
		if !ok {
			t.Fatalf("annotation of unknown document %q", a.DocID)
		}
		for k, it := range a.Items {
			if !it.IsSpan() {
				continue
			}
			got, err := schema.SliceCP(text, *it.Start, *it.End)
			if err != nil || got != it.Text {
				t.Fatalf("%s item %d: span [%d,%d) %q is not the stored text's %q (%v)", a.DocID, k, *it.Start, *it.End, it.Text, got, err)
			}
			if !utf8.ValidString(it.Label) {
				t.Fatalf("%s item %d: label is not UTF-8", a.DocID, k)
			}
		}
	}
}

// FuzzImportJSONL is newsds's own JSONL import.
func FuzzImportJSONL(f *testing.F) {
	docs, text := fuzzDocs(f)
	var lines []string
	for _, sp := range fuzzSpans(text) {
		b, _ := json.Marshal(map[string]any{"doc_id": "sh1", "layer": "ner", "annotator": map[string]string{"name": "amina", "kind": "human"},
			"items": []map[string]any{{"start": sp[0], "end": sp[1], "label": "X", "text": mustSlice(text, sp)}, {"label": "doc"}}})
		lines = append(lines, string(b))
	}
	f.Add([]byte(strings.Join(lines, "\n") + "\n"))
	f.Add([]byte(`{"doc_id":"em1","layer":"ner","items":[{"start":31,"end":35,"text":"Doha","label":"LOC","score":0.5}]}` + "\n{bad\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzImport(t, docs, FormatJSONL, "", data) })
}

// FuzzImportDoccano is doccano's JSONL (UTF-16 offsets) into a span layer and into the
// Q&A layer, whose speakers and turns are derived from the spans.
func FuzzImportDoccano(f *testing.F) {
	docs, text := fuzzDocs(f)
	addFixture(f, "doccano.jsonl")
	var label [][]any
	for _, sp := range fuzzSpans(text) {
		s, _ := schema.CPToUTF16(text, sp[0])
		e, _ := schema.CPToUTF16(text, sp[1])
		label = append(label, []any{s, e, "answer"})
	}
	b, _ := json.Marshal(map[string]any{"doc_id": "sh1", "text": text, "label": label, "speakers": [][]any{{0, 5, "الوزير"}}})
	f.Add(append(b, '\n'))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzImport(t, docs, FormatDoccano, "ner", data)
		fuzzImport(t, docs, FormatDoccano, schema.LayerQA, data)
	})
}

// FuzzImportLabelStudio is Label Studio's JSON, JSON_MIN and storage files, into a
// span layer and into sentiment (per-region attributes, paragraph derivation).
func FuzzImportLabelStudio(f *testing.F) {
	docs, text := fuzzDocs(f)
	for _, n := range []string{"labelstudio.json", "labelstudio_1.23.json", "labelstudio_1.23_min.json", "labelstudio_malformed.json"} {
		addFixture(f, n)
	}
	var results []map[string]any
	for i, sp := range fuzzSpans(text) {
		results = append(results, map[string]any{"id": fmt.Sprint("r", i), "from_name": "label", "to_name": "text", "type": "labels",
			"value": map[string]any{"start": sp[0], "end": sp[1], "text": mustSlice(text, sp), "labels": []string{"answer"}}})
	}
	b, _ := json.Marshal([]map[string]any{{"id": 7, "data": map[string]any{"doc_id": "sh1", "text": text},
		"annotations": []map[string]any{{"id": 70, "completed_by": 3, "lead_time": 12.5, "result": results}}}})
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzImport(t, docs, FormatLabelStudio, "ner", data)
		fuzzImport(t, docs, FormatLabelStudio, schema.LayerSentiment, data)
	})
}

func mustSlice(text string, sp [2]int) string {
	s, _ := schema.SliceCP(text, sp[0], sp[1])
	return s
}
