package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"iter"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

const expPlain = "No annotations here."

var expCorpus = impDocs{"ar1": impAr1, "em1": impEm1, "plain": expPlain}

func expSpan(t *testing.T, text string, s, e int, label string) schema.Item {
	t.Helper()
	it, err := schema.Span(text, s, e)
	if err != nil {
		t.Fatal(err)
	}
	it.Label = label
	return it
}

// expRecords is a small corpus: humans and a model on "entities", a stale annotation
// and another layer that must not be exported, and a document nobody annotated.
func expRecords(t *testing.T) []schema.Record {
	alice := schema.Annotator{Name: "alice", Version: "1", Kind: schema.KindHuman}
	ner := schema.Annotator{Name: "ner", Version: "3", Kind: schema.KindModel, ParamsHash: "abc"}
	doc := func(id string) schema.Document {
		return schema.Document{ID: id, Title: "title " + id, Text: expCorpus[id], ContentHash: schema.ContentHash(expCorpus[id])}
	}
	ann := func(d schema.Document, layer string, who schema.Annotator, items ...schema.Item) schema.Annotation {
		return schema.Annotation{DocID: d.ID, Layer: layer, Annotator: who, ContentHash: d.ContentHash, CreatedAt: "2025-01-01T00:00:00Z", Items: items}
	}
	ar1, em1 := doc("ar1"), doc("em1")
	doha := expSpan(t, impEm1, 31, 35, "LOC")
	doha.Score = schema.Float(0.7)
	stale := ann(em1, "entities", schema.Annotator{Name: "old", Version: "1", Kind: schema.KindHuman}, expSpan(t, impEm1, 0, 4, "X"))
	stale.ContentHash, stale.Stale = schema.ContentHash("an older text"), true
	return []schema.Record{
		{Document: ar1, Annotations: []schema.Annotation{
			ann(ar1, "entities", alice, expSpan(t, impAr1, 12, 16, "LOC"), expSpan(t, impAr1, 29, 31, "FLAG")),
		}},
		{Document: em1, Annotations: []schema.Annotation{
			ann(em1, "entities", alice, schema.Item{Label: "positive"}, expSpan(t, impEm1, 16, 21, "PER"), expSpan(t, impEm1, 31, 35, "LOC")),
			ann(em1, "entities", ner, doha),
			stale,
			ann(em1, "sentiment", alice, schema.Item{Label: "neutral"}),
		}},
		{Document: doc("plain")},
	}
}

func expSeq(recs []schema.Record, err error) iter.Seq2[schema.Record, error] {
	return func(yield func(schema.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
		if err != nil {
			yield(schema.Record{}, err)
		}
	}
}

// expItems renders the items of annotations as "doc name: items" lines, ignoring the
// annotator version and kind, which Label Studio annotations do not carry.
func expItems(anns []schema.Annotation) []string {
	lines := impSummary(anns)
	for i, l := range lines {
		head, rest, _ := strings.Cut(l, ": ")
		f := strings.Fields(head)
		name, _, _ := strings.Cut(f[2], "@")
		lines[i] = f[0] + " " + f[1] + " " + name + ": " + rest
	}
	return lines
}

func exportString(t *testing.T, format string, opts ExportOptions, recs []schema.Record) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Export(&buf, format, expSeq(recs, nil), opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func roundTrip(t *testing.T, format, out string, opts ImportOptions) ImportResult {
	t.Helper()
	opts.Format, opts.Docs = format, expCorpus
	if opts.Layer == "" {
		opts.Layer = "entities"
	}
	res, err := Import(context.Background(), strings.NewReader(out), "export."+format, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("re-import errors: %v", impErrors(res))
	}
	return res
}

var expWant = []string{
	"ar1 entities alice: [12,16) LOC قطرٌ; [29,31) FLAG 🇶🇦",
	"em1 entities alice: doc positive; [16,21) PER Jose\u0301; [31,35) LOC Doha",
	"em1 entities ner: [31,35) LOC Doha",
}

func TestExportLabelStudioRoundTrip(t *testing.T) {
	recs := expRecords(t)
	out := exportString(t, FormatLabelStudio, ExportOptions{Layer: "entities"}, recs)
	if again := exportString(t, FormatLabelStudio, ExportOptions{Layer: "entities"}, recs); again != out {
		t.Error("two exports differ")
	}
	var tasks []lsExportTask
	if err := json.Unmarshal([]byte(out), &tasks); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(tasks) != 3 || tasks[2].Data["doc_id"] != "plain" || len(tasks[2].Annotations) != 0 {
		t.Fatalf("tasks: %+v", tasks)
	}
	em := tasks[1]
	if len(em.Annotations) != 1 || em.Annotations[0].CreatedUsername != "alice" || len(em.Predictions) != 1 || em.Predictions[0].ModelVersion != "ner@3" {
		t.Errorf("em1 task: %+v", em)
	}
	if v := em.Annotations[0].Result[1].Value; v["start"] != float64(16) || v["end"] != float64(21) || v["text"] != "Jose\u0301" {
		t.Errorf("José exported as %v..%v %q, want code points 16..21", v["start"], v["end"], v["text"])
	}
	if !strings.Contains(out, `"text":"قال الوزير`) {
		t.Error("text escaped instead of written as UTF-8")
	}
	res := roundTrip(t, FormatLabelStudio, out, ImportOptions{Predictions: true})
	checkLines(t, "round trip", expItems(res.Annotations), expWant)
	if s := res.Annotations[2].Items[0].Score; s == nil || *s != 0.7 {
		t.Errorf("prediction score %v", s)
	}
	if a := res.Annotations[2].Annotator; a.Version != "3" || a.Kind != schema.KindModel {
		t.Errorf("prediction annotator %+v", a)
	}
	// Only alice, by name.
	out = exportString(t, FormatLabelStudio, ExportOptions{Layer: "entities", Annotators: []string{"alice"}}, recs)
	if strings.Contains(out, "ner@3") {
		t.Error("annotator filter ignored")
	}
	if got := exportString(t, FormatLabelStudio, ExportOptions{Layer: "entities"}, nil); got != "[]\n" {
		t.Errorf("empty export = %q", got)
	}
}

func TestExportDoccanoRoundTrip(t *testing.T) {
	recs := expRecords(t)
	out := exportString(t, FormatDoccano, ExportOptions{Layer: "entities"}, recs)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// A user layer is two doccano projects, spans and document categories: ar1 alice
	// (spans), em1 alice (category, spans), em1 ner (spans), plain (one line for each).
	if len(lines) != 6 {
		t.Fatalf("%d lines, want 6:\n%s", len(lines), out)
	}
	// em1 alice: José at UTF-16 [18,23) and Doha at [33,37), two units past the code
	// points for each of 👍 and 🏽.
	var em struct {
		DocID string `json:"doc_id"`
		By    string `json:"annotated_by"`
		Label []any  `json:"label"`
	}
	if err := json.Unmarshal([]byte(lines[2]), &em); err != nil {
		t.Fatal(err)
	}
	want := `[[18,23,"PER"],[33,37,"LOC"]]`
	if b, _ := json.Marshal(em.Label); string(b) != want || em.DocID != "em1" || em.By != "alice" {
		t.Errorf("em1 line = %s, want labels %s", lines[2], want)
	}
	if !strings.Contains(lines[0], `[29,33,"FLAG"]`) || !strings.Contains(lines[1], `"label":["positive"]`) || lines[5] != `{"annotated_by":"","doc_id":"plain","label":[],"text":"No annotations here."}` {
		t.Errorf("lines:\n%s", out)
	}
	// Every line is the work of the doccano user who checked it (--annotator names
	// them); the exported annotator is only shown to them.
	res := roundTrip(t, FormatDoccano, out, ImportOptions{Annotator: "amina"})
	checkLines(t, "round trip", expItems(res.Annotations), []string{
		"ar1 entities amina: [12,16) LOC قطرٌ; [29,31) FLAG 🇶🇦",
		"em1 entities amina: doc positive; [16,21) PER Jose\u0301; [31,35) LOC Doha",
	})
	if res.Skipped != 2 {
		t.Errorf("skipped %d lines, want 2 (the unlabelled document)", res.Skipped)
	}
}

func TestExportJSONLRoundTrip(t *testing.T) {
	recs := expRecords(t)
	out := exportString(t, FormatJSONL, ExportOptions{}, recs)
	if n := strings.Count(out, "\n"); n != 4 {
		t.Errorf("%d annotations exported, want 4 (every layer, stale one left out):\n%s", n, out)
	}
	out = exportString(t, FormatJSONL, ExportOptions{Layer: "entities"}, recs)
	res := roundTrip(t, FormatJSONL, out, ImportOptions{})
	if len(res.Annotations) != 3 {
		t.Fatalf("%d annotations", len(res.Annotations))
	}
	// jsonl keeps everything: compare whole annotations.
	want := []schema.Annotation{recs[0].Annotations[0], recs[1].Annotations[0], recs[1].Annotations[1]}
	for i := range want {
		a, _ := json.Marshal(want[i])
		b, _ := json.Marshal(res.Annotations[i])
		if !bytes.Equal(a, b) {
			t.Errorf("annotation %d:\n got %s\nwant %s", i, b, a)
		}
	}
}

func TestExportErrors(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Export(&buf, FormatDoccano, expSeq(nil, nil), ExportOptions{}); err == nil || err.Error() != "export annotations: doccano needs a layer" {
		t.Errorf("no layer: %v", err)
	}
	if _, err := Export(&buf, "csv", expSeq(nil, nil), ExportOptions{Layer: "x"}); err == nil || !strings.Contains(err.Error(), `format "csv" is not one of`) {
		t.Errorf("bad format: %v", err)
	}
	boom := errors.New("store closed")
	if _, err := Export(&buf, FormatJSONL, expSeq(expRecords(t), boom), ExportOptions{}); !errors.Is(err, boom) {
		t.Errorf("stream error: %v", err)
	}
	// A span past the text cannot be converted to UTF-16 units.
	recs := expRecords(t)
	recs[0].Annotations[0].Items[0].End = schema.Int(99)
	if _, err := Export(&buf, FormatDoccano, expSeq(recs, nil), ExportOptions{Layer: "entities"}); err == nil || !strings.Contains(err.Error(), "doc ar1: annotator alice: item 0: offset 99 is past the text") {
		t.Errorf("bad span: %v", err)
	}
}

// builtinRecords has machine and human work on every built-in layer, over Arabic,
// emoji and combining marks.
func builtinRecords(t *testing.T) []schema.Record {
	t.Helper()
	model := func(name string) schema.Annotator {
		return schema.Annotator{Name: name, Version: "1", Kind: schema.KindModel}
	}
	amina := schema.Annotator{Name: "amina", Version: "0", Kind: schema.KindHuman}
	attrs := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	item := func(text string, s, e int, label string, score float64, kv ...string) schema.Item {
		it := expSpan(t, text, s, e, label)
		if score > 0 {
			it.Score = schema.Float(score)
		}
		it.Attrs = attrs(kv...)
		return it
	}
	ar := schema.Document{ID: "ar1", Title: "ar", Lang: "ar", Text: impAr1, ContentHash: schema.ContentHash(impAr1)}
	em := schema.Document{ID: "em1", Title: "em", Lang: "en", Text: impEm1, ContentHash: schema.ContentHash(impEm1)}
	ann := func(d schema.Document, layer string, who schema.Annotator, items ...schema.Item) schema.Annotation {
		return schema.Annotation{DocID: d.ID, Layer: layer, Annotator: who, ContentHash: d.ContentHash, Items: items}
	}
	return []schema.Record{
		{Document: ar, Annotations: []schema.Annotation{
			ann(ar, schema.LayerQA, schema.Annotator{Name: "qa", Version: "2", Kind: schema.KindRule},
				item(impAr1, 0, 11, "question", 0, "turn", "1", "speaker_role", "interviewer", "speaker", "الشرق"),
				item(impAr1, 12, 38, "answer", 0, "turn", "2", "speaker_role", "interviewee", "speaker", "الوزير")),
			ann(ar, schema.LayerSentiment, model("sentiment"),
				schema.Item{Label: "positive", Score: schema.Float(0.9), Attrs: attrs("scope", "document")},
				item(impAr1, 0, 38, "neutral", 0.55, "scope", "paragraph", "paragraph", "0")),
			ann(ar, schema.LayerStance, model("stance"),
				item(impAr1, 12, 16, "favor", 0.8, "target", "قطر"),
				item(impAr1, 12, 16, "neutral", 0.4, "target", "الحوار")),
			ann(ar, schema.LayerStance, amina, item(impAr1, 12, 21, "against", 0, "target", "قطر")),
		}},
		{Document: em, Annotations: []schema.Annotation{
			ann(em, schema.LayerSentiment, amina,
				schema.Item{Label: "negative", Attrs: attrs("scope", "document")},
				item(impEm1, 16, 21, "positive", 0, "scope", "paragraph", "paragraph", "0")),
		}},
	}
}

// lsConfigControls parses a labelling config into control name -> tag, and the names
// of per-region controls.
func lsConfigControls(t *testing.T, cfg string) (tags map[string]string, perRegion map[string]bool, rtl bool) {
	t.Helper()
	tags, perRegion = map[string]string{}, map[string]bool{}
	dec := xml.NewDecoder(strings.NewReader(cfg))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := map[string]string{}
		for _, a := range el.Attr {
			attr[a.Name.Local] = a.Value
		}
		switch el.Name.Local {
		case "Labels", "Choices", "TextArea":
			if attr["toName"] != "text" {
				t.Errorf("control %s points at %q", attr["name"], attr["toName"])
			}
			tags[attr["name"]] = strings.ToLower(el.Name.Local)
			perRegion[attr["name"]] = attr["perRegion"] == "true"
		case "View":
			rtl = rtl || strings.Contains(attr["style"], "direction: rtl")
		}
	}
	return tags, perRegion, rtl
}

// Every result of an exported task fits a control of the config written with it: the
// right name, type and region scope. The sentiment export used one from_name for
// document choices and paragraph labels, which no config allows, and no config was
// written at all.
func TestLabelConfigMatchesExport(t *testing.T) {
	recs := builtinRecords(t)
	for _, layer := range []string{schema.LayerQA, schema.LayerSentiment, schema.LayerStance} {
		var buf bytes.Buffer
		res, err := Export(&buf, FormatLabelStudio, expSeq(recs, nil), ExportOptions{Layer: layer, Targets: []string{"قطر"}})
		if err != nil {
			t.Fatal(err)
		}
		tags, perRegion, rtl := lsConfigControls(t, res.Config)
		if rtl || res.RTL || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "1 documents are right-to-left and 1 left-to-right") {
			t.Errorf("%s: one Arabic and one English document: left to right with a warning, got rtl=%v %v", layer, rtl, res.Warnings)
		}
		if res, _ := Export(io.Discard, FormatLabelStudio, expSeq(recs[:1], nil), ExportOptions{Layer: layer}); !res.RTL || !strings.Contains(res.Config, "direction: rtl") {
			t.Errorf("%s: an Arabic document is not laid out right to left:\n%s", layer, res.Config)
		}
		var tasks []lsExportTask
		if err := json.Unmarshal(buf.Bytes(), &tasks); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, task := range tasks {
			for _, a := range append(task.Annotations, task.Predictions...) {
				for _, r := range a.Result {
					n++
					_, hasStart := r.Value["start"]
					regionValue := r.Type != "labels" && hasStart
					switch {
					case tags[r.FromName] == "":
						t.Errorf("%s: from_name %q is not in the config:\n%s", layer, r.FromName, res.Config)
					case tags[r.FromName] != r.Type:
						t.Errorf("%s: result type %s under a %s control %s", layer, r.Type, tags[r.FromName], r.FromName)
					case perRegion[r.FromName] != regionValue:
						t.Errorf("%s: result %s of %s: per-region control %v, region value %v", layer, r.ID, r.FromName, perRegion[r.FromName], regionValue)
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: nothing exported", layer)
		}
	}
	cfg := LabelConfig(schema.LayerStance, LabelConfigOptions{Targets: []string{`Qatar "the state" & <co>`}, RTL: true})
	if !strings.Contains(cfg, `<Choice value="Qatar &#34;the state&#34; &amp; &lt;co&gt;"/>`) || !strings.Contains(cfg, "direction: rtl") {
		t.Errorf("config escaping or direction:\n%s", cfg)
	}
	if _, _, rtl := lsConfigControls(t, LabelConfig("entities", LabelConfigOptions{Labels: []string{"PER"}})); rtl {
		t.Error("ltr config laid out right to left")
	}
}

// Stance targets and Q&A speakers were lost on export (a re-import then failed
// validate with "no target attribute"). Every built-in layer now comes back with the
// attributes that identify its units, from Label Studio and from doccano.
func TestExportBuiltinLayersRoundTrip(t *testing.T) {
	recs := builtinRecords(t)
	want := map[string][]string{
		schema.LayerQA: {
			"ar1 qa_turns qa@2 model: [0,11) question قال الوزير: turn=1 speaker=الشرق speaker_role=interviewer; [12,38) answer " + impAr1[len("قال الوزير: "):] + " turn=2 speaker=الوزير speaker_role=interviewee",
		},
		schema.LayerSentiment: {
			"ar1 sentiment sentiment@1 model: doc positive scope=document; [0,38) neutral " + impAr1 + " scope=paragraph paragraph=0",
			"em1 sentiment amina@0 human: doc negative scope=document; [16,21) positive Jose\u0301 scope=paragraph paragraph=0",
		},
		schema.LayerStance: {
			"ar1 stance amina@0 human: [12,21) against قطرٌ تدعم target=قطر",
			"ar1 stance stance@1 model: [12,16) favor قطرٌ target=قطر; [12,16) neutral قطرٌ target=الحوار",
		},
	}
	docs := impDocs{"ar1": impAr1, "em1": impEm1}
	for layer, w := range want {
		for _, format := range []string{FormatLabelStudio, FormatDoccano} {
			var buf bytes.Buffer
			if _, err := Export(&buf, format, expSeq(recs, nil), ExportOptions{Layer: layer}); err != nil {
				t.Fatal(err)
			}
			res, err := Import(context.Background(), bytes.NewReader(buf.Bytes()), format, ImportOptions{Format: format, Layer: layer, Docs: docs, Predictions: true, Labels: schema.LabelSet(layer)})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Errors) > 0 {
				t.Fatalf("%s %s: %v\n%s", format, layer, impErrors(res), buf.String())
			}
			got := impSummaryAttrs(res.Annotations)
			if format == FormatDoccano {
				// doccano has no machine/human distinction: every line is the work of
				// the doccano user who checked it.
				w2 := make([]string, len(w))
				for i, l := range w {
					head, rest, _ := strings.Cut(l, ": ")
					f := strings.Fields(head)
					w2[i] = f[0] + " " + f[1] + " doccano@0 human: " + rest
				}
				got = mergeByDoc(got)
				checkLines(t, format+" "+layer, got, mergeByDoc(w2))
				continue
			}
			// Label Studio predictions carry no annotator kind: rule work comes back as
			// model work of the same name and version.
			checkLines(t, format+" "+layer, got, w)
		}
	}
}

// mergeByDoc joins summary lines of one document and annotator (doccano merges the
// lines of a document), sorting their items.
func mergeByDoc(lines []string) []string {
	byKey := map[string][]string{}
	var keys []string
	for _, l := range lines {
		head, rest, _ := strings.Cut(l, ": ")
		if _, ok := byKey[head]; !ok {
			keys = append(keys, head)
		}
		byKey[head] = append(byKey[head], strings.Split(rest, "; ")...)
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		items := byKey[k]
		slices.Sort(items)
		out = append(out, k+": "+strings.Join(items, "; "))
	}
	return out
}

// doccano keeps one kind of label per project: the sentiment export mixed a category
// into the span list. Each line is now all categories (text classification) or all
// [start, end, label] spans (sequence labelling), and every line of a layer has the
// same fields, since doccano reads a file into a table.
func TestExportDoccanoShapes(t *testing.T) {
	recs := builtinRecords(t)
	for _, layer := range []string{schema.LayerQA, schema.LayerSentiment, schema.LayerStance} {
		dir := t.TempDir()
		res, err := ExportDir(dir, FormatDoccano, expSeq(recs, nil), ExportOptions{Layer: layer, Targets: []string{"قطر"}})
		if err != nil {
			t.Fatal(err)
		}
		if layer == schema.LayerSentiment && len(res.Files) != 3 {
			t.Errorf("sentiment files %v, want document, paragraph and answer", res.Files)
		}
		for _, f := range res.Files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var keys string
			for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if line == "" {
					continue
				}
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatal(err)
				}
				k := strings.Join(slices.Sorted(maps.Keys(m)), ",")
				if i == 0 {
					keys = k
				} else if k != keys {
					t.Errorf("%s line %d has fields %s, line 1 %s", f, i+1, k, keys)
				}
				cats, spans := 0, 0
				for _, l := range m["label"].([]any) {
					switch l.(type) {
					case string:
						cats++
					case []any:
						spans++
					}
				}
				if cats > 0 && spans > 0 {
					t.Errorf("%s line %d mixes categories and spans: %s", f, i+1, line)
				}
				if strings.HasSuffix(f, ".document.jsonl") != (spans == 0) && cats+spans > 0 {
					t.Errorf("%s line %d: %d categories, %d spans", f, i+1, cats, spans)
				}
			}
		}
	}
}

// A document-level item of a layer whose config labels spans only is reported, not
// written under a control that cannot hold it.
func TestExportDropsWhatTheConfigCannotHold(t *testing.T) {
	recs := builtinRecords(t)
	recs[0].Annotations[2].Items = append(recs[0].Annotations[2].Items, schema.Item{Label: "favor", Attrs: map[string]string{"target": "قطر"}})
	var buf bytes.Buffer
	res, err := Export(&buf, FormatLabelStudio, expSeq(recs, nil), ExportOptions{Layer: schema.LayerStance})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Dropped) != 1 || !strings.Contains(res.Dropped[0], "doc ar1 annotator stance item 2") {
		t.Errorf("dropped %v", res.Dropped)
	}
}
