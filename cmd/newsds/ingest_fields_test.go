package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

// The SaudiNewsNet records beside the shared interview scrapes are JSON with the text
// under "content" and the byline under "author": with --field they are ingested as
// they are, and the qa annotator finds the gold's turns and speakers in them as it does
// in the plain-text scrapes (before, "not an article"; then, with the text read, two of
// five got no turns: its paragraphs were blocks of lines).
func TestIngestMappedInterviewRecords(t *testing.T) {
	dir := testshared.Path(t, "data", "interviews")
	records, err := filepath.Glob(filepath.Join(dir, "ar", "*.record.json"))
	if err != nil || len(records) == 0 {
		t.Fatalf("no records in %s: %v", dir, err)
	}
	root := t.TempDir()
	mustRun(t, "-q", "init", root)
	if code, _, errOut := runCLI(t, append([]string{"-C", root, "ingest"}, records...)...); code != exitPartial || !strings.Contains(errOut, "--field text=KEY") {
		t.Errorf("unmapped: exit %d, want %d and the --field that reads them:\n%s", code, exitPartial, errOut)
	}
	mustRun(t, append([]string{"-C", root, "ingest", "--field", "text=content,byline=author"}, records...)...)
	mustRun(t, "-C", root, "annotate", "--with", "qa")
	type item struct {
		Label string            `json:"label"`
		Attrs map[string]string `json:"attrs"`
	}
	type exported struct {
		URL         string `json:"url"`
		Annotations []struct {
			Items []item `json:"items"`
		} `json:"annotations"`
	}
	byURL := map[string]exported{}
	for line := range strings.SplitSeq(strings.TrimSpace(mustRun(t, "-C", root, "export")), "\n") {
		var d exported
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		byURL[d.URL] = d
	}
	parenthesised := regexp.MustCompile(`\s*\([^)]*\)`)
	golds, err := filepath.Glob(filepath.Join(dir, "gold", "*.json"))
	if err != nil || len(golds) != len(records) {
		t.Fatalf("%d gold files for %d records: %v", len(golds), len(records), err)
	}
	for _, gf := range golds {
		b, err := os.ReadFile(gf)
		if err != nil {
			t.Fatal(err)
		}
		var g struct {
			URL          string   `json:"url"`
			NTurns       int      `json:"n_turns"`
			Interviewer  string   `json:"interviewer"`
			Interviewees []string `json:"interviewees"`
		}
		if err := json.Unmarshal(b, &g); err != nil {
			t.Fatal(err)
		}
		d, ok := byURL[g.URL]
		if !ok || len(d.Annotations) == 0 {
			t.Errorf("%s: no document or no qa layer for %s", filepath.Base(gf), g.URL)
			continue
		}
		items := d.Annotations[0].Items
		if len(items) < g.NTurns {
			t.Errorf("%s: %d turns, gold has %d", filepath.Base(gf), len(items), g.NTurns)
		}
		want := map[string]string{"question": parenthesised.ReplaceAllString(g.Interviewer, ""), "answer": g.Interviewees[0]}
		wrong := 0
		for _, it := range items {
			if it.Attrs["speaker"] != want[it.Label] {
				wrong++
			}
		}
		if wrong > 0 {
			t.Errorf("%s: %d of %d turns with another speaker than %v (first: %v)", filepath.Base(gf), wrong, len(items), want, items[0].Attrs)
		}
	}
}
