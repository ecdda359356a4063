package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// export-annotations --out writes the tasks with the labelling config they need
// (--config for a stdout export), and review-queue ranks documents and exports them.
func TestLabellingCommands(t *testing.T) {
	root, _ := demoCorpus(t)
	dir := t.TempDir()
	_, _, errOut := runCLI(t, "-C", root, "export-annotations", "--format", "labelstudio", "--layer", "stance", "--out", dir)
	cfg, err := os.ReadFile(filepath.Join(dir, "config.xml"))
	if err != nil {
		t.Fatalf("no config.xml beside the tasks: %v\n%s", err, errOut)
	}
	for _, want := range []string{`<Labels name="stance"`, `<Choices name="target" toName="text" perRegion="true"`, `<Choice value="منظمة معاهدة الأمن الجماعي"/>`, "direction: rtl"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config lacks %s:\n%s", want, cfg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tasks.json")); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(t.TempDir(), "sentiment.xml")
	tasks := mustRun(t, "-C", root, "export-annotations", "--format", "labelstudio", "--layer", "sentiment", "--config", cfgFile)
	if b, err := os.ReadFile(cfgFile); err != nil || !strings.Contains(string(b), `name="doc_sentiment"`) || !strings.Contains(tasks, `"from_name":"doc_sentiment"`) {
		t.Fatalf("--config: %v\n%s", err, b)
	}
	if code, _, _ := runCLI(t, "-C", root, "export-annotations", "--format", "doccano", "--layer", "stance", "--config", cfgFile); code != exitUsage {
		t.Errorf("--config with doccano: exit %d", code)
	}

	// A second annotator who disagrees puts the document first in the queue.
	exported := mustRun(t, "-C", root, "export-annotations", "--format", "jsonl", "--layer", "sentiment")
	var a map[string]any
	if err := json.Unmarshal([]byte(strings.Split(exported, "\n")[0]), &a); err != nil {
		t.Fatal(err)
	}
	a["annotator"] = map[string]any{"name": "amina", "version": "0", "kind": "human", "params_hash": ""}
	items := a["items"].([]any)
	first := items[0].(map[string]any)
	first["label"] = map[string]string{"negative": "positive", "neutral": "negative", "positive": "neutral"}[first["label"].(string)]
	delete(first, "score")
	b, _ := json.Marshal(a)
	file := filepath.Join(t.TempDir(), "amina.jsonl")
	os.WriteFile(file, append(b, '\n'), 0o644)
	mustRun(t, "-C", root, "import-annotations", "--format", "jsonl", file)
	var queue []struct {
		DocID         string   `json:"doc_id"`
		Disagreements int      `json:"disagreements"`
		Reasons       []string `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "-C", root, "review-queue", "--layer", "sentiment", "--json")), &queue); err != nil {
		t.Fatal(err)
	}
	if len(queue) == 0 || queue[0].Disagreements == 0 || queue[0].DocID != a["doc_id"] {
		t.Fatalf("queue %+v", queue)
	}
	out := t.TempDir()
	text := mustRun(t, "-C", root, "review-queue", "--layer", "sentiment", "--format", "labelstudio", "--out", out)
	if !strings.Contains(text, "labelled differently by amina, sentiment") {
		t.Errorf("review-queue output:\n%s", text)
	}
	if _, err := os.Stat(filepath.Join(out, "config.xml")); err != nil {
		t.Error(err)
	}
	if code, _, _ := runCLI(t, "-C", root, "review-queue"); code != exitUsage {
		t.Errorf("review-queue without --layer: exit %d", code)
	}
}
