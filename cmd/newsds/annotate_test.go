package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/internal/testshared"
)

// demoCorpus builds the demo in a temp folder and returns its corpus root.
func demoCorpus(t *testing.T) (root, out string) {
	t.Helper()
	base := filepath.Join(t.TempDir(), "demo")
	out = mustRun(t, "demo", "--keep", base)
	return filepath.Join(base, "corpus"), out
}

// The demo annotates the sample: 8 questions by the interviewer and 8 answers by the
// interviewee, each answer with a sentiment, and stance items for the targets.
func TestDemoAnnotates(t *testing.T) {
	root, out := demoCorpus(t)
	if !strings.Contains(out, "Q&A turns (16)") {
		t.Fatalf("demo output lacks the 16 turns:\n%s", out)
	}
	line := strings.Split(strings.TrimSpace(mustRun(t, "-C", root, "export", "--version", "annotated")), "\n")[0]
	var rec struct {
		Text        string `json:"text"`
		Annotations []struct {
			Layer string `json:"layer"`
			Items []struct {
				Start *int              `json:"start"`
				End   *int              `json:"end"`
				Label string            `json:"label"`
				Text  string            `json:"text"`
				Attrs map[string]string `json:"attrs"`
			} `json:"items"`
		} `json:"annotations"`
	}
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatal(err)
	}
	text := []rune(rec.Text)
	var questions, answers, answerSentiments, stances int
	for _, a := range rec.Annotations {
		for _, it := range a.Items {
			if it.Start != nil && string(text[*it.Start:*it.End]) != it.Text {
				t.Fatalf("%s item [%d,%d) text does not match the document", a.Layer, *it.Start, *it.End)
			}
			switch {
			case a.Layer == "qa_turns" && it.Label == "question":
				questions++
				if it.Attrs["speaker"] != "عواطف بن علي" || it.Attrs["speaker_role"] != "interviewer" {
					t.Errorf("question by %q (%s)", it.Attrs["speaker"], it.Attrs["speaker_role"])
				}
			case a.Layer == "qa_turns" && it.Label == "answer":
				answers++
				if it.Attrs["speaker"] != "إرمان إيساغالييف" || it.Attrs["speaker_role"] != "interviewee" {
					t.Errorf("answer by %q (%s)", it.Attrs["speaker"], it.Attrs["speaker_role"])
				}
			case a.Layer == "sentiment" && it.Attrs["scope"] == "answer":
				answerSentiments++
			case a.Layer == "stance":
				stances++
			}
		}
	}
	if questions != 8 || answers != 8 || answerSentiments != 8 || stances == 0 {
		t.Fatalf("questions %d answers %d answer sentiments %d stance items %d", questions, answers, answerSentiments, stances)
	}
	// Re-running the same annotators over the same text is a no-op.
	out = mustRun(t, "-C", root, "annotate", "--with", "qa,sentiment,stance")
	if strings.Count(out, "annotated 0, unchanged 1") != 3 {
		t.Fatalf("second annotate run did work:\n%s", out)
	}
	if code, _, _ := runCLI(t, "-C", root, "annotate", "--with", "nosuch"); code != exitUsage {
		t.Fatalf("unknown annotator: exit %d", code)
	}
}

// A relabelling round: export a layer for doccano, import it back as a second
// annotator, and stats reports perfect agreement between the two.
func TestRelabelRoundTripAndStats(t *testing.T) {
	root, _ := demoCorpus(t)
	for _, format := range []string{"doccano", "labelstudio", "jsonl"} {
		exported := mustRun(t, "-C", root, "export-annotations", "--format", format, "--layer", "qa_turns")
		file := filepath.Join(t.TempDir(), "qa."+format)
		if err := os.WriteFile(file, []byte(exported), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"-C", root, "import-annotations", "--format", format, "--layer", "qa_turns", file}
		if format != "jsonl" {
			args = append(args, "--annotator", "alice-"+format)
		}
		out := mustRun(t, args...)
		if !strings.Contains(out, "0 rejected") {
			t.Fatalf("%s import: %s", format, out)
		}
	}
	var st datasets.StatsReport
	if err := json.Unmarshal([]byte(mustRun(t, "-C", root, "stats", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	for _, l := range st.Layers {
		if l.Layer != "qa_turns" {
			continue
		}
		if !slices.Contains(l.Annotators, "alice-doccano") || l.Alpha == nil || *l.Alpha < 0.999 {
			t.Fatalf("qa_turns agreement %+v", l)
		}
		return
	}
	t.Fatal("stats lacks qa_turns")

}

// Without --format, import-annotations tells the format from the files: each of the
// three as export-annotations writes it, a folder by its first file; files in two formats,
// or no annotations file, are a usage error that says to give --format.
func TestImportTellsFormat(t *testing.T) {
	root, _ := demoCorpus(t)
	files := map[string]string{}
	for _, format := range []string{"doccano", "labelstudio", "jsonl"} {
		dir := filepath.Join(t.TempDir(), format)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		files[format] = filepath.Join(dir, "qa.json")
		if err := os.WriteFile(files[format], []byte(mustRun(t, "-C", root, "export-annotations", "--format", format, "--layer", "qa_turns")), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, target := range []string{files[format], dir} {
			out := mustRun(t, "-C", root, "-v", "import-annotations", "--dry-run", "--layer", "qa_turns", "--annotator", "alice", target)
			if !strings.Contains(out, "0 rejected") {
				t.Errorf("%s %s: %s", format, target, out)
			}
		}
	}
	code, _, errOut := runCLI(t, "-C", root, "import-annotations", "--layer", "qa_turns", files["doccano"], files["labelstudio"])
	if code != exitUsage || !strings.Contains(errOut, "one import reads one format") || !strings.Contains(errOut, "--format") {
		t.Errorf("mixed formats: exit %d, stderr %s", code, errOut)
	}
	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("labels to do\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "-C", root, "import-annotations", "--layer", "qa_turns", notes); code != exitUsage || !strings.Contains(errOut, "notes.txt") {
		t.Errorf("not an annotations file: exit %d, stderr %s", code, errOut)
	}
}

// A mismatching span in an import file is rejected with its record located, and the
// run exits 3.
func TestImportRejectsMismatch(t *testing.T) {
	root, _ := demoCorpus(t)
	exported := mustRun(t, "-C", root, "export-annotations", "--format", "doccano", "--layer", "qa_turns")
	var line map[string]any
	if err := json.Unmarshal([]byte(strings.Split(exported, "\n")[0]), &line); err != nil {
		t.Fatal(err)
	}
	line["text"] = "some other text entirely"
	b, _ := json.Marshal(line)
	file := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(file, append(b, '\n'), 0o644)
	code, _, errOut := runCLI(t, "-C", root, "import-annotations", "--format", "doccano", "--layer", "qa_turns", "--annotator", "bob", file)
	if code != exitPartial || !strings.Contains(errOut, "bad.jsonl") || !strings.Contains(errOut, "line 1") {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
}

// eval --json prints exactly the keys the issues name.
func TestEvalJSONKeys(t *testing.T) {
	gold := testshared.Path(t, "seed", "gold")
	ajgt := testshared.Path(t, "data", "sentiment_ar", "ajgt", "ajgt_shared.csv")
	for _, tc := range []struct {
		args []string
		keys []string
	}{
		{[]string{"eval", "qa", "--gold", gold, "--json"}, []string{"turns", "precision", "recall", "f1", "role_accuracy", "speaker_accuracy"}},
		{[]string{"eval", "sentiment", "--gold", ajgt, "--json"}, []string{"n", "accuracy", "macro_f1", "baseline_accuracy", "baseline_macro_f1"}},
		{[]string{"eval", "extract", "--gold", testshared.Path(t, "data", "newspaper4k"), "--json"}, []string{"pages", "precision", "recall", "f1", "accuracy", "title_accuracy", "byline_accuracy", "date_accuracy"}},
	} {
		var obj map[string]any
		if err := json.Unmarshal([]byte(mustRun(t, tc.args...)), &obj); err != nil {
			t.Fatal(err)
		}
		for _, k := range tc.keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("%v: key %q missing", tc.args[:2], k)
			}
		}
	}
	gotQA := map[string]float64{}
	json.Unmarshal([]byte(mustRun(t, "eval", "qa", "--gold", gold, "--json")), &gotQA)
	if gotQA["f1"] != 1 || gotQA["speaker_accuracy"] != 1 {
		t.Errorf("seed qa eval %v", gotQA)
	}
}

// eval extract --failures names each page that failed a check, with what was extracted
// beside the gold, and leaves out the pages that passed.
func TestEvalExtractFailures(t *testing.T) {
	dir := t.TempDir()
	body := strings.Repeat("The harbour reopened on Monday after engineers checked the northern breakwater. ", 6)
	page := func(title, byline string) string {
		return `<html><head><title>` + title + `</title></head><body><article><h1>` + title +
			`</h1><p class="byline">By ` + byline + `</p><p>` + body + `</p></article></body></html>`
	}
	os.MkdirAll(filepath.Join(dir, "pages"), 0o755)
	os.WriteFile(filepath.Join(dir, "pages", "good.html"), []byte(page("Harbour reopens after the storm", "Jane Smith")), 0o644)
	os.WriteFile(filepath.Join(dir, "pages", "bad.html"), []byte(page("Harbour reopens after the storm", "Omar Haddad")), 0o644)
	gold := `{"pages/good.html": {"title": "Harbour reopens after the storm", "byline": "Jane Smith", "with": ["engineers checked the northern breakwater"]},
"pages/bad.html": {"title": "Harbour reopens after the storm", "byline": "Jane Smith", "with": ["a sentence the page does not hold"]}}`
	os.WriteFile(filepath.Join(dir, "gold.json"), []byte(gold), 0o644)

	out := mustRun(t, "eval", "extract", "--gold", dir, "--failures")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		"pages/bad.html\tmissed\tgot \"\"\twant \"a sentence the page does not hold\"",
		"pages/bad.html\tbyline\tgot \"Omar Haddad\"\twant \"Jane Smith\"",
	}
	if len(lines) != 1+len(want) || !slices.Equal(lines[1:], want) {
		t.Errorf("--failures printed:\n%s\nwant the summary line and\n%s", out, strings.Join(want, "\n"))
	}
	var rep struct {
		TitleAccuracy float64 `json:"title_accuracy"`
		Failures      []struct{ Page, Check, Got, Want string }
	}
	if err := json.Unmarshal([]byte(mustRun(t, "eval", "extract", "--gold", dir, "--failures", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.TitleAccuracy != 1 || len(rep.Failures) != 2 || rep.Failures[1].Check != "byline" || rep.Failures[1].Got != "Omar Haddad" {
		t.Errorf("--failures --json: %+v", rep)
	}
}
