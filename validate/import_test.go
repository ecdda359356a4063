package validate

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/schema"
)

// memDocs is a corpus of documents by id for the importer and the span checks.
type memDocs map[string]schema.Document

var errNoDoc = errors.New("not found")

func (m memDocs) Document(_ context.Context, id string) (schema.Document, error) {
	if d, ok := m[id]; ok {
		return d, nil
	}
	return schema.Document{}, errNoDoc
}

func (m memDocs) lookup(_ context.Context, id string) (schema.Document, bool, error) {
	d, ok := m[id]
	return d, ok, nil
}

// TestPlantedImportErrors validates a newsds JSONL import file with one planted error
// per rule that applies to imports, each on its own line, beside clean lines.
func TestPlantedImportErrors(t *testing.T) {
	rec := interviewRecord(t)
	docs := memDocs{rec.ID: rec.Document}
	line := func(a schema.Annotation) string {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	human := func(a schema.Annotation, name string) schema.Annotation {
		a.Annotator = schema.Annotator{Name: name, Version: "1", Kind: schema.KindHuman}
		a.Items = clone([]schema.Record{{Annotations: []schema.Annotation{a}}})[0].Annotations[0].Items
		return a
	}
	cleanQA := human(rec.Annotations[0], "amal")
	overlap := human(rec.Annotations[0], "bilal")
	*overlap.Items[1].Start -= 5
	overlap.Items[1].Text, _ = schema.SliceCP(rec.Text, *overlap.Items[1].Start, *overlap.Items[1].End)
	badScore := human(rec.Annotations[2], "carim")
	badScore.Items[0].Score = schema.Float(3)
	badTarget := human(rec.Annotations[2], "dina")
	badTarget.Items[0].Attrs[schema.AttrTarget] = "مصر"
	badText := human(rec.Annotations[2], "emad")
	badText.Items[0].Text = "نص آخر"
	unknownDoc := human(rec.Annotations[1], "fadi")
	unknownDoc.DocID = "no-such-doc"
	content := line(cleanQA) + line(overlap) + line(badScore) + line(badTarget) + line(badText) + line(unknownDoc)
	path := filepath.Join(t.TempDir(), "labels.jsonl")
	writeFile(t, path, content)
	if f, err := SniffImportFormat(path); err != nil || f != annotate.FormatJSONL {
		t.Fatalf("sniff = %q, %v", f, err)
	}
	opts := fixtureOptions()
	opts.ParseImport = AnnotateImporter(docs)
	r, err := Validate(context.Background(), Target{Kind: KindImport, Path: path, Lookup: docs.lookup}, opts)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		rule, annotator string
		line            int
		item            int
		msg             string
	}
	wants := []want{
		{RuleSpanOverlap, "bilal", 0, 1, "overlaps turn 1"},
		{RuleImportRecord, "", 3, -1, "score 3 is outside [0,1]"},
		{RuleStanceTarget, "dina", 0, 0, `"مصر"`},
		{RuleImportRecord, "", 5, -1, "in the corpus but"},
		{RuleImportRecord, "", 6, -1, "no-such-doc"},
	}
	if len(r.Findings) != len(wants) {
		t.Fatalf("want %d findings, got:%s", len(wants), describe(r))
	}
	for _, w := range wants {
		found := false
		for _, f := range r.Findings {
			l := f.Location
			if f.Rule == w.rule && l.Annotator == w.annotator && strings.Contains(f.Message, w.msg) && l.File == path &&
				(w.line == 0 || (l.Line != nil && *l.Line == w.line)) && (w.item < 0 || (l.Item != nil && *l.Item == w.item)) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s finding for %q line %d item %d with %q:%s", w.rule, w.annotator, w.line, w.item, w.msg, describe(r))
		}
	}
	// The clean line alone gives no finding.
	writeFile(t, path, line(cleanQA))
	r, err = Validate(context.Background(), Target{Kind: KindImport, Path: path, Lookup: docs.lookup}, opts)
	if err != nil || len(r.Findings) != 0 {
		t.Fatalf("clean import: %v%s", err, describe(r))
	}
}

func TestSniffImportFormat(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ content, want string }{
		{"\ufeff [{\"data\": {\"text\": \"x\"}}]", annotate.FormatLabelStudio},
		{`{"text": "x", "label": [[0, 1, "positive"]]}` + "\n", annotate.FormatDoccano},
		{`{"doc_id": "a", "layer": "sentiment", "items": []}`, annotate.FormatJSONL},
		{"{\n  \"id\": 7,\n  \"data\": {\"text\": \"x\"},\n  \"annotations\": []\n}\n", annotate.FormatLabelStudio},
		{"{\n  \"result\": [],\n  \"task\": {\"id\": 7, \"data\": {\"text\": \"x\"}}\n}", annotate.FormatLabelStudio},
		{"{\n  \"text\": \"x\",\n  \"label\": []\n}", annotate.FormatDoccano},
		{"id,text\n", ""},
		{`{"foo": 1}`, ""},
		{"", ""},
	} {
		p := filepath.Join(dir, "f")
		writeFile(t, p, tc.content)
		got, err := SniffImportFormat(p)
		if got != tc.want || (tc.want == "" && !errors.Is(err, ErrUnknownTarget)) {
			t.Errorf("%q: %q, %v; want %q", tc.content, got, err, tc.want)
		}
	}
	if _, err := Detect(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing path was detected")
	}
	if k, err := Detect(dir); k != "" || !errors.Is(err, ErrUnknownTarget) {
		t.Errorf("empty folder: %q, %v", k, err)
	}
	os.Mkdir(filepath.Join(dir, ".newsds"), 0o755)
	if k, _ := Detect(dir); k != KindCorpus {
		t.Errorf("corpus folder detected as %q", k)
	}
}

// TestDocsRulesFile keeps the rules file of docs/validate.md working: it parses, and
// both CEL examples compile.
func TestDocsRulesFile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "validate.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Rules file.*?```yaml\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("no rules file example in docs/validate.md")
	}
	rf, err := ParseRulesFile("docs/validate.md", m[1])
	if err != nil {
		t.Fatal(err)
	}
	cr, err := compileCustom(rf)
	if err != nil || len(cr.doc) != 1 || len(cr.item) != 1 {
		t.Fatalf("custom rules: %v", err)
	}
	if !strings.Contains(string(b), ".github/workflows/validate.yml") || !strings.Contains(string(b), "--format github") {
		t.Error("docs/validate.md lost its CI workflow")
	}
}
