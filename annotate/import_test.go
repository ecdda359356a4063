package annotate

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/schema"
)

// The stored texts of the import fixtures (testdata/import). ar1 has Arabic with a
// haraka (dammatan, U+064C) and a flag (two regional indicators outside the BMP); em1 has
// an emoji with a skin-tone modifier, a decomposed é (e + U+0301) and a precomposed í.
const (
	impAr1 = "قال الوزير: قطرٌ تدعم الحوار 🇶🇦 اليوم."
	impEm1 = "Fans 👍🏽 cheered Jose\u0301 Mart\u00ed in Doha."
)

type impDocs map[string]string

func (m impDocs) Document(_ context.Context, id string) (schema.Document, error) {
	t, ok := m[id]
	if !ok {
		return schema.Document{}, errors.New("not found")
	}
	return schema.Document{ID: id, Text: t, ContentHash: schema.ContentHash(t)}, nil
}

var impCorpus = impDocs{"ar1": impAr1, "em1": impEm1}

var impNow = func() time.Time { return time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC) }

// TestFixtureOffsets pins the spans the fixtures use in all three units, worked out by
// hand: Arabic letters are one code point, one UTF-16 unit and two bytes; each emoji or
// regional indicator is one code point, two units and four bytes; U+0301 is one code
// point, one unit and two bytes.
func TestFixtureOffsets(t *testing.T) {
	for _, tc := range []struct {
		text, span           string
		cp, u16, byteOffsets [2]int
	}{
		{impAr1, "قطرٌ", [2]int{12, 16}, [2]int{12, 16}, [2]int{21, 29}},
		{impAr1, "🇶🇦", [2]int{29, 31}, [2]int{29, 33}, [2]int{52, 60}},
		{impEm1, "Jose\u0301", [2]int{16, 21}, [2]int{18, 23}, [2]int{22, 28}},
		{impEm1, "Doha", [2]int{31, 35}, [2]int{33, 37}, [2]int{39, 43}},
	} {
		got, err := schema.SliceCP(tc.text, tc.cp[0], tc.cp[1])
		if err != nil || got != tc.span {
			t.Errorf("%q: code points %v give %q (%v)", tc.span, tc.cp, got, err)
		}
		for k := range 2 {
			u, err1 := schema.CPToUTF16(tc.text, tc.cp[k])
			b, err2 := schema.ByteOffset(tc.text, tc.cp[k])
			back, err3 := schema.UTF16ToCP(tc.text, tc.u16[k])
			if u != tc.u16[k] || b != tc.byteOffsets[k] || back != tc.cp[k] || errors.Join(err1, err2, err3) != nil {
				t.Errorf("%q[%d]: utf16 %d bytes %d back %d, want %d %d %d (%v %v %v)", tc.span, k, u, b, back, tc.u16[k], tc.byteOffsets[k], tc.cp[k], err1, err2, err3)
			}
		}
		if tc.text[tc.byteOffsets[0]:tc.byteOffsets[1]] != tc.span {
			t.Errorf("%q: bytes %v give %q", tc.span, tc.byteOffsets, tc.text[tc.byteOffsets[0]:tc.byteOffsets[1]])
		}
	}
	// "Fans " is five units; 👍 takes units 5 and 6, so 6 is inside its surrogate pair.
	if _, err := schema.UTF16ToCP(impEm1, 6); err == nil {
		t.Error("UTF-16 offset 6 inside 👍 accepted")
	}
}

func importFile(t *testing.T, name string, opts ImportOptions) (ImportResult, error) {
	t.Helper()
	path := filepath.Join("testdata", "import", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if opts.Docs == nil {
		opts.Docs = impCorpus
	}
	if opts.Now == nil {
		opts.Now = impNow
	}
	return Import(context.Background(), f, path, opts)
}

// impSummary renders annotations as "doc annotator: [s,e) label "text"; ..." lines.
func impSummary(anns []schema.Annotation) []string {
	var out []string
	for _, a := range anns {
		var parts []string
		for _, it := range a.Items {
			if it.IsSpan() {
				parts = append(parts, "["+strconv.Itoa(*it.Start)+","+strconv.Itoa(*it.End)+") "+it.Label+" "+it.Text)
			} else {
				parts = append(parts, "doc "+it.Label)
			}
		}
		out = append(out, a.DocID+" "+a.Layer+" "+a.Annotator.Name+"@"+a.Annotator.Version+" "+a.Annotator.Kind+": "+strings.Join(parts, "; "))
	}
	return out
}

func impErrors(res ImportResult) []string {
	var out []string
	for _, e := range res.Errors {
		out = append(out, e.Error())
	}
	return out
}

func checkLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestImportLabelStudio(t *testing.T) {
	res, err := importFile(t, "labelstudio.json", ImportOptions{Format: FormatLabelStudio, Layer: "entities"})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "annotations", impSummary(res.Annotations), []string{
		"ar1 entities labelstudio:3@0 human: [12,16) LOC قطرٌ; [29,31) FLAG 🇶🇦",
		"em1 entities labelstudio:5@0 human: doc positive; [16,21) PER Jose\u0301; [31,35) LOC Doha",
	})
	p := "testdata/import/labelstudio.json: "
	checkLines(t, "errors", impErrors(res), []string{
		p + `task 12 (doc ar1): annotation 0 (labelstudio:7): result 0: span [12,16) is "قطرٌ" in the corpus but "قطرٍ" in the file`,
		p + `task 13 (doc em1): annotation 0 (labelstudio:8): result 0: span [18,23) is "se` + "\u0301" + ` M" in the corpus but "Jose` + "\u0301" + `" in the file (the offsets fit as UTF-16 code units: the file was written by a tool counting UTF-16)`,
		p + `task 14 (doc nope): doc nope: not found`,
		p + `task 15 (doc em1): the record's text differs from the stored text of doc em1 (first at code point 5: 'c' in the file, '👍' in the corpus): the offsets refer to another text`,
		p + `task 16 (doc em1): annotation 0 (labelstudio:10): result 0: span [30,99) ends past the text (36 code points)`,
		p + `task 17 (doc em1): annotation 0 (labelstudio:11): result 0: start "/p[1]/text()[1]" is not an integer offset`,
	})
	if res.Records != 8 || res.Skipped != 2 {
		t.Errorf("records %d skipped %d, want 8 and 2 (one prediction, one cancelled)", res.Records, res.Skipped)
	}
	a := res.Annotations[0]
	if a.ContentHash != schema.ContentHash(impAr1) || a.CreatedAt != "2025-03-04T05:06:07Z" || a.Annotator.ParamsHash != "" {
		t.Errorf("annotation header %+v", a)
	}
	var re *RecordError
	if !errors.As(error(&res.Errors[0]), &re) || re.DocID != "ar1" || re.File != "testdata/import/labelstudio.json" {
		t.Errorf("record error %+v", res.Errors[0])
	}

	// With predictions: the model's annotation comes in as kind model, name@version split.
	res, err = importFile(t, "labelstudio.json", ImportOptions{Format: FormatLabelStudio, Layer: "entities", Predictions: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := impSummary(res.Annotations); len(got) != 3 || got[1] != "ar1 entities ner@2 model: [12,16) LOC قطرٌ" {
		t.Errorf("with predictions: %q", got)
	}
	if s := res.Annotations[1].Items[0].Score; s == nil || *s != 0.8 {
		t.Errorf("prediction score %v", s)
	}

	// Declared labels reject FLAG, and with it the whole ar1 annotation of user 3.
	res, err = importFile(t, "labelstudio.json", ImportOptions{Format: FormatLabelStudio, Layer: "entities", Labels: []string{"LOC", "PER", "positive"}})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "with labels", impSummary(res.Annotations), []string{
		"em1 entities labelstudio:5@0 human: doc positive; [16,21) PER Jose\u0301; [31,35) LOC Doha",
	})
	if e := impErrors(res)[0]; !strings.HasSuffix(e, `task 1 (doc ar1): annotation 0 (labelstudio:3): result 1: label "FLAG" is not one of LOC, PER, positive`) {
		t.Errorf("first error %s", e)
	}
}

func TestImportRejectedRecordDropsWholeAnnotation(t *testing.T) {
	// Two tasks for the same document and annotator: the second one is bad, so the
	// first one's items must not be imported as if they were the whole annotation.
	file := `[{"id":1,"data":{"doc_id":"ar1"},"annotations":[{"completed_by":3,"result":[{"type":"labels","value":{"start":12,"end":16,"text":"قطرٌ","labels":["LOC"]}}]}]},
	{"id":2,"data":{"doc_id":"ar1"},"annotations":[{"completed_by":3,"result":[{"type":"labels","value":{"start":16,"end":12,"labels":["LOC"]}}]},{"completed_by":4,"result":[]}]}]`
	res, err := Import(context.Background(), strings.NewReader(file), "f.json", ImportOptions{Format: FormatLabelStudio, Layer: "entities", Docs: impCorpus})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "annotations", impSummary(res.Annotations), []string{"ar1 entities labelstudio:4@0 human: "})
	checkLines(t, "errors", impErrors(res), []string{"f.json: task 2 (doc ar1): annotation 0 (labelstudio:3): result 0: span [16,12) ends before it starts"})
}

func TestImportLabelStudioMalformed(t *testing.T) {
	_, err := importFile(t, "labelstudio_malformed.json", ImportOptions{Format: FormatLabelStudio, Layer: "entities"})
	if err == nil || !strings.HasPrefix(err.Error(), "testdata/import/labelstudio_malformed.json: task at index 1 (byte ") {
		t.Errorf("err = %v", err)
	}
	for _, tc := range []struct{ file, want string }{
		{`"tasks"`, "f.json: not a Label Studio JSON export: expected a list of tasks"},
		{``, "f.json: not Label Studio JSON: EOF"},
		{`[{"data": "text"}]`, ""},
	} {
		res, err := Import(context.Background(), strings.NewReader(tc.file), "f.json", ImportOptions{Format: FormatLabelStudio, Layer: "x", Docs: impCorpus})
		if tc.want == "" {
			if err != nil || len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), "f.json: task at index 0: malformed task:") {
				t.Errorf("%s: %v %v", tc.file, err, impErrors(res))
			}
			continue
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: err = %v, want %s", tc.file, err, tc.want)
		}
	}
}

func TestImportDoccano(t *testing.T) {
	res, err := importFile(t, "doccano.jsonl", ImportOptions{Format: FormatDoccano, Layer: "entities"})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "annotations", impSummary(res.Annotations), []string{
		"ar1 entities amina@0 human: [12,16) LOC قطرٌ; [29,31) FLAG 🇶🇦",
		"em1 entities doccano@0 human: doc positive; [16,21) PER Jose\u0301; [31,35) LOC Doha",
	})
	p := "testdata/import/doccano.jsonl: "
	checkLines(t, "errors", impErrors(res), []string{
		p + "line 3 (doc em1): label 0: start: UTF-16 offset 6 splits a surrogate pair",
		p + "line 4: malformed JSON: unexpected EOF",
		p + "line 5 (doc ghost): doc ghost: not found",
		p + "line 6 (doc ar1): the record's text differs from the stored text of doc ar1 (first at code point 0: 'غ' in the file, 'ق' in the corpus): the offsets refer to another text",
		p + "line 7 (doc ar1): label 0: end: UTF-16 offset 99 is past the text (40 units)",
	})
	if res.Records != 7 {
		t.Errorf("records %d, want 7", res.Records)
	}
}

func TestImportJSONL(t *testing.T) {
	good := `{"doc_id":"em1","layer":"entities","annotator":{"name":"alice","version":"2","kind":"human","params_hash":""},"content_hash":"` + schema.ContentHash(impEm1) + `","created_at":"2024-01-01T00:00:00Z","stale":false,"items":[{"start":31,"end":35,"label":"LOC","text":"Doha","attrs":{"note":"city"}},{"start":null,"end":null,"label":"positive"}]}`
	file := strings.Join([]string{
		good,
		`{"doc_id":"ar1","annotator":{"name":"bob"},"items":[{"start":12,"end":16,"label":"LOC"}]}`,
		`{"doc_id":"ar1","annotator":{"name":"carol"},"content_hash":"abcdef0123456789","items":[]}`,
		`{"doc_id":"ar1","annotator":{"name":"dave"},"items":[{"start":12,"end":16,"label":"LOC","text":"قطر"}]}`,
		`{"doc_id":"ar1","layer":"sentiment","annotator":{"name":"erin"},"items":[]}`,
		`{"doc_id":"ar1","annotator":{"name":"fay"},"items":[{"start":12,"label":"LOC"}]}`,
		`{"doc_id":"ar1","annotator":{"name":"gus"},"items":[{"label":"LOC","score":2}]}`,
		`{"doc_id":"ar1","annotator":{"name":"hal"},"itemz":[]}`,
		``,
	}, "\n")
	res, err := Import(context.Background(), strings.NewReader(file), "a.jsonl", ImportOptions{Format: FormatJSONL, Layer: "entities", Docs: impCorpus, Now: impNow})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "annotations", impSummary(res.Annotations), []string{
		"ar1 entities bob@0 human: [12,16) LOC قطرٌ",
		"em1 entities alice@2 human: doc positive; [31,35) LOC Doha",
	})
	checkLines(t, "errors", impErrors(res), []string{
		"a.jsonl: line 3 (doc ar1): content_hash abcdef012345… is not the stored text's " + schema.ContentHash(impAr1)[:12] + "…: the offsets refer to another text",
		`a.jsonl: line 4 (doc ar1): item 0: span [12,16) is "قطرٌ" in the corpus but "قطر" in the file`,
		`a.jsonl: line 5 (doc ar1): layer "sentiment", but the import is into "entities"`,
		"a.jsonl: line 6 (doc ar1): item 0: a span needs both start and end",
		"a.jsonl: line 7 (doc ar1): item 0: score 2 is outside [0,1]",
		`a.jsonl: line 8: malformed annotation: json: unknown field "itemz"`,
	})
	if a := res.Annotations[1]; a.CreatedAt != "2024-01-01T00:00:00Z" || a.Items[1].Attrs["note"] != "city" {
		t.Errorf("alice's annotation lost fields: %+v", a)
	}
	if a := res.Annotations[0]; a.CreatedAt != "2025-03-04T05:06:07Z" || a.ContentHash != schema.ContentHash(impAr1) || a.Items[0].Text != "قطرٌ" {
		t.Errorf("bob's annotation not completed: %+v", a)
	}
}

func TestImportOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		opts ImportOptions
		want string
	}{
		{ImportOptions{Format: FormatDoccano, Layer: "x"}, "import annotations: no document lookup"},
		{ImportOptions{Format: FormatDoccano, Docs: impCorpus}, "import annotations: doccano needs a layer"},
		{ImportOptions{Format: "conll", Layer: "x", Docs: impCorpus}, `import annotations: format "conll" is not one of labelstudio, doccano, jsonl`},
		{ImportOptions{Format: FormatJSONL, Docs: impCorpus, Kind: "oracle"}, `import annotations: kind "oracle" is not one of rule, model, human`},
	} {
		_, err := Import(context.Background(), strings.NewReader(""), "f", tc.opts)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v: err = %v, want %s", tc.opts, err, tc.want)
		}
	}
}

// impSummaryAttrs is impSummary with the attributes that say what an item is about.
func impSummaryAttrs(anns []schema.Annotation) []string {
	var out []string
	for _, a := range anns {
		var parts []string
		for _, it := range a.Items {
			p := "doc " + it.Label
			if it.IsSpan() {
				p = "[" + strconv.Itoa(*it.Start) + "," + strconv.Itoa(*it.End) + ") " + it.Label + " " + it.Text
			}
			for _, k := range []string{schema.AttrScope, schema.AttrParagraph, schema.AttrTurn, schema.AttrTarget, schema.AttrSpeaker, schema.AttrSpeakerRole} {
				if v, ok := it.Attrs[k]; ok {
					p += " " + k + "=" + v
				}
			}
			parts = append(parts, p)
		}
		out = append(out, a.DocID+" "+a.Layer+" "+a.Annotator.Name+"@"+a.Annotator.Version+" "+a.Annotator.Kind+": "+strings.Join(parts, "; "))
	}
	return out
}

var ls123Want = []string{
	"ar1 stance labelstudio:1@0 human: [12,16) favor قطرٌ target=قطر; [17,21) against تدعم target=الحوار",
	"ar1 stance labelstudio:3@0 human: [12,16) neutral قطرٌ target=قطر",
}

// Label Studio 1.23 writes prediction ids ("predictions": [1]) in its JSON export; a
// task with them used to be rejected whole. Targets come from the per-region choices,
// identity from completed_by, and the lead time and ids are kept.
func TestImportLabelStudio123Export(t *testing.T) {
	res, err := importFile(t, "labelstudio_1.23.json", ImportOptions{Format: FormatLabelStudio, Layer: schema.LayerStance, Labels: schema.StanceLabels})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "annotations", impSummaryAttrs(res.Annotations), ls123Want)
	checkLines(t, "errors", impErrors(res), []string{
		`testdata/import/labelstudio_1.23.json: task 2 (doc em1): annotation 0 (labelstudio:1): stance region [31,35) "Doha" has no target: choose one in the region's "target" choices`,
	})
	if res.Records != 2 || res.Skipped != 2 {
		t.Errorf("records %d skipped %d, want 2 tasks and 2 prediction ids", res.Records, res.Skipped)
	}
	a := res.Annotations[0]
	wantMeta := map[string]string{"labelstudio_task": "1", "labelstudio_annotation": "1", "labelstudio_user": "1", "lead_time": "42.5"}
	if !maps.Equal(a.Meta, wantMeta) || a.CreatedAt != "2026-12-01T23:47:28Z" {
		t.Errorf("provenance %v %s, want %v and Label Studio's created_at", a.Meta, a.CreatedAt, wantMeta)
	}
}

// JSON_MIN records carry the task's data at the top level and "id" is the task id; it
// used to fail every record with "no document id".
func TestImportLabelStudioJSONMin(t *testing.T) {
	res, err := importFile(t, "labelstudio_1.23_min.json", ImportOptions{Format: FormatLabelStudio, Layer: schema.LayerStance, Labels: schema.StanceLabels})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "annotations", impSummaryAttrs(res.Annotations), ls123Want)
	checkLines(t, "errors", impErrors(res), []string{
		`testdata/import/labelstudio_1.23_min.json: task 2 (doc em1): annotation 3 (labelstudio:1): stance region [31,35) "Doha" has no target: choose one in the region's "target" choices`,
	})
	if res.Skipped != 1 {
		t.Errorf("skipped %d, want 1 (the task nobody annotated)", res.Skipped)
	}
	if m := res.Annotations[0].Meta; m["lead_time"] != "42.5" || m["labelstudio_annotation"] != "1" || m["labelstudio_task"] != "1" {
		t.Errorf("meta %v", m)
	}
	// JSON_MIN drops which region a per-region value belongs to: with a different
	// number of values and regions the pairing is unknown, so the record is rejected.
	file := `[{"text":"` + impAr1 + `","doc_id":"ar1","id":5,"stance":[{"start":12,"end":16,"text":"قطرٌ","labels":["favor"]},{"start":17,"end":21,"text":"تدعم","labels":["favor"]}],"target":"قطر","annotator":2,"annotation_id":9,"lead_time":1}]`
	res, err = Import(context.Background(), strings.NewReader(file), "min.json", ImportOptions{Format: FormatLabelStudio, Layer: schema.LayerStance, Docs: impCorpus})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "ambiguous", impErrors(res), []string{"min.json: task 5 (doc ar1): annotation 9 (labelstudio:2): JSON_MIN lists 1 target values for 2 regions and does not say which belongs to which: export this project as JSON instead"})
}

// The per-annotation files a local target storage writes (named by annotation id,
// the task under "task", completed_by expanded with an e-mail) import from the folder,
// in numeric order, and no e-mail address becomes a name.
func TestImportLabelStudioStorageFolder(t *testing.T) {
	res, err := ImportFiles(context.Background(), []string{filepath.Join("testdata", "import", "labelstudio_storage")},
		ImportOptions{Format: FormatLabelStudio, Layer: schema.LayerStance, Docs: impCorpus, Now: impNow})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "annotations", impSummaryAttrs(res.Annotations), ls123Want)
	if len(res.Errors) > 0 || res.Records != 2 {
		t.Errorf("records %d errors %v", res.Records, impErrors(res))
	}
	for _, tc := range []struct{ in, want string }{
		{" t@example.org, 1", "labelstudio:1"},
		{"amina", "amina"},
		{"Amina@Example.org", "labelstudio:" + "c9d9b1f8"},
	} {
		got := lsUserName(tc.in)
		if tc.in == "Amina@Example.org" {
			if strings.Contains(got, "@") || !strings.HasPrefix(got, "labelstudio:") || got != lsUserName("amina@example.org") {
				t.Errorf("lsUserName(%q) = %q", tc.in, got)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("lsUserName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if naturalCompare("2", "10") >= 0 || naturalCompare("a10", "a9") <= 0 || naturalCompare("b", "a") <= 0 {
		t.Error("naturalCompare order")
	}
}

// An import into a layer whose spans must not overlap rejects a person's work whose spans
// overlap, as validate's span-overlap rule would (ingest and import accept only what
// validate accepts); the same file into a layer that allows overlap imports.
func TestImportRejectsOverlapWhereTheLayerForbidsIt(t *testing.T) {
	file := strings.Join([]string{
		`{"doc_id":"em1","annotator":{"name":"alice"},"items":[{"start":10,"end":20,"label":"LOC"}]}`,
		`{"doc_id":"em1","annotator":{"name":"alice"},"items":[{"start":15,"end":25,"label":"LOC"}]}`,
		`{"doc_id":"em1","annotator":{"name":"bob"},"items":[{"start":10,"end":20,"label":"LOC"},{"start":21,"end":30,"label":"LOC"}]}`,
	}, "\n")
	forbid := func(layer string) bool { return schema.SpansMustNotOverlap(layer, true, false) }
	res, err := Import(context.Background(), strings.NewReader(file), "o.jsonl", ImportOptions{Format: FormatJSONL, Layer: "entities", Docs: impCorpus, Now: impNow, NoOverlap: forbid})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Annotations) != 1 || res.Annotations[0].Annotator.Name != "bob" {
		t.Errorf("annotations %v, want bob's alone", impSummary(res.Annotations))
	}
	if errs := impErrors(res); len(errs) != 1 || !strings.Contains(errs[0], "o.jsonl: doc em1, annotator alice: layer entities does not allow overlapping spans") {
		t.Errorf("errors %q", errs)
	}
	allow := func(layer string) bool { return schema.SpansMustNotOverlap(layer, true, true) }
	res, err = Import(context.Background(), strings.NewReader(file), "o.jsonl", ImportOptions{Format: FormatJSONL, Layer: "entities", Docs: impCorpus, Now: impNow, NoOverlap: allow})
	if err != nil || len(res.Annotations) != 2 || len(res.Errors) != 0 {
		t.Errorf("overlap allowed: %v, %v, %v", err, impSummary(res.Annotations), impErrors(res))
	}
}
