package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/datasets"
)

// A German document gets no sentiment from a model that never saw German: the
// annotate summary, `newsds stats` and the release card count it as skipped, per
// language, and the card states the confidence floor (issue 10, points 5 and 6).
func TestAnnotateSkipsUnsupportedLanguages(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "init", dir)
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	os.WriteFile(in, []byte(`{"url":"https://example.com/en","title":"Council","text":"The council approved the new budget after a long and difficult debate. Residents welcomed the decision and praised the mayor for the excellent work.","published":"2024-03-01T10:00:00Z"}
{"url":"https://example.de/de","title":"Rat","text":"Der Stadtrat hat den neuen Haushalt nach einer langen und schwierigen Debatte beschlossen. Die Bürger begrüßten die Entscheidung und lobten die Bürgermeisterin für ihre Arbeit.","published":"2024-03-01T11:00:00Z"}
`), 0o644)
	mustRun(t, "-C", dir, "ingest", in)
	out := mustRun(t, "-C", dir, "annotate", "--with", "sentiment", "--min-confidence", "sentiment=0.4")
	if !strings.Contains(out, "skipped (language not supported): de 1") {
		t.Fatalf("annotate summary does not count the German document as skipped:\n%s", out)
	}
	var rep datasets.StatsReport
	if err := json.Unmarshal([]byte(mustRun(t, "-C", dir, "stats", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Layers) != 1 {
		t.Fatalf("stats layers %+v", rep.Layers)
	}
	l := rep.Layers[0]
	var skipped int64
	for _, byLang := range l.SkippedLanguages {
		skipped += byLang["de"]
	}
	if skipped != 1 || len(l.MinConfidence) != 1 {
		t.Fatalf("stats: skipped %v, min confidence %v", l.SkippedLanguages, l.MinConfidence)
	}
	if rep.Coverage["sentiment"] != 1 {
		t.Errorf("coverage %v: the skipped document counts as covered", rep.Coverage)
	}
	mustRun(t, "-C", dir, "commit", "-m", "two")
	rel := filepath.Join(t.TempDir(), "rel")
	mustRun(t, "-C", dir, "release", "--version", "1.0.0", "--out", rel)
	card, err := os.ReadFile(filepath.Join(rel, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| de 1 | 0.4 |", "does not support the languages listed as skipped", "confidence below 0.4 were not kept"} {
		if !strings.Contains(string(card), want) {
			t.Errorf("card lacks %q", want)
		}
	}
	if code, _, errOut := runCLI(t, "-C", dir, "annotate", "--with", "sentiment", "--min-confidence", "sentiment=2"); code != exitUsage {
		t.Errorf("--min-confidence 2: exit %d (%s), want usage error", code, errOut)
	}
}
