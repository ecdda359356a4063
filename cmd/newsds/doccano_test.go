package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDoccanoOwnCode loads the doccano files of every built-in layer with doccano's own
// import code (python/labelling/doccano_check.py, in the venv .ci/labelstudio names in
// NEWSDS_DOCCANO): each file goes into a doccano project of its type with no parse
// error and every label stored; doccano's own exporter writes the projects back, and
// import-annotations reads those files to exactly the items that were exported, with
// targets, scopes and speakers.
func TestDoccanoOwnCode(t *testing.T) {
	venv := os.Getenv("NEWSDS_DOCCANO")
	if venv == "" {
		t.Skip("NEWSDS_DOCCANO is not set: .ci/labelstudio installs doccano into a cached venv and runs this test")
	}
	python := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(python); err != nil {
		t.Fatalf("NEWSDS_DOCCANO=%s has no bin/python: %v", venv, err)
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "python", "labelling", "doccano_check.py"))
	if err != nil {
		t.Fatal(err)
	}
	root, _ := demoCorpus(t)
	mixed, _ := filepath.Abs(filepath.Join("testdata", "labelling", "mixed.jsonl"))
	mustRun(t, "-C", root, "ingest", mixed)
	mustRun(t, "-C", root, "annotate", "--with", "qa,sentiment,stance")

	exported := t.TempDir()
	var files []string
	for _, layer := range []string{"qa_turns", "sentiment", "stance"} {
		mustRun(t, "-C", root, "export-annotations", "--format", "doccano", "--layer", layer, "--out", exported)
	}
	ents, _ := os.ReadDir(exported)
	for _, e := range ents {
		files = append(files, filepath.Join(exported, e.Name()))
	}
	back := t.TempDir()
	cmd := exec.Command(python, append([]string{script, back}, files...)...)
	cmd.Env = append(os.Environ(), "COLLECT_ANALYTICS=false")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("doccano's import of our files: %v\n%s", err, lastBytes(string(out), 4000))
	}
	oks := strings.Count(string(out), `"ok": true`)
	if oks != len(files) {
		t.Fatalf("doccano took %d of %d files:\n%s", oks, len(files), lastBytes(string(out), 4000))
	}
	t.Logf("doccano:\n%s", grepLines(string(out), `"file"`))

	for _, layer := range []string{"qa_turns", "sentiment", "stance"} {
		var userFiles []string
		for _, f := range files {
			base := strings.TrimSuffix(filepath.Base(f), ".jsonl")
			if base == layer || strings.HasPrefix(base, layer+".") {
				userFiles = append(userFiles, filepath.Join(back, base, "newsds.jsonl"))
			}
		}
		args := append([]string{"-C", root, "import-annotations", "--format", "doccano", "--layer", layer, "--annotator", "doccano:newsds"}, userFiles...)
		if out := mustRun(t, args...); !strings.Contains(out, " 0 rejected") {
			t.Fatalf("%s: import of doccano's export: %s", layer, out)
		}
		machine, human := layerItems(t, root, layer)
		if len(human) == 0 {
			t.Fatalf("%s: nothing came back", layer)
		}
		for id, want := range machine {
			if !slices.Equal(human[id], want) {
				t.Errorf("%s doc %s came back from doccano as\n  %s\nwant\n  %s", layer, id, strings.Join(human[id], "\n  "), strings.Join(want, "\n  "))
			}
		}
	}
	if code, out, errOut := runCLI(t, "-C", root, "validate"); code != 0 {
		t.Fatalf("validate after the doccano imports: exit %d\n%s\n%s", code, out, errOut)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// layerItems renders the machine and the doccano:newsds items of layer per document,
// with the attributes that identify a unit.
func layerItems(t *testing.T, root, layer string) (machine, human map[string][]string) {
	t.Helper()
	machine, human = map[string][]string{}, map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(mustRun(t, "-C", root, "export")), "\n") {
		var rec struct {
			ID          string `json:"id"`
			Annotations []struct {
				Layer     string `json:"layer"`
				Annotator struct {
					Name string `json:"name"`
					Kind string `json:"kind"`
				} `json:"annotator"`
				Items []struct {
					Start *int              `json:"start"`
					End   *int              `json:"end"`
					Label string            `json:"label"`
					Attrs map[string]string `json:"attrs"`
				} `json:"items"`
			} `json:"annotations"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		for _, a := range rec.Annotations {
			if a.Layer != layer || len(a.Items) == 0 {
				continue
			}
			var lines []string
			for _, it := range a.Items {
				span := "doc"
				if it.Start != nil {
					span = fmt.Sprintf("[%d,%d)", *it.Start, *it.End)
				}
				var attrs []string
				for _, k := range []string{"scope", "paragraph", "turn", "target", "speaker", "speaker_role"} {
					if v := it.Attrs[k]; v != "" {
						attrs = append(attrs, k+"="+v)
					}
				}
				lines = append(lines, span+" "+it.Label+" "+strings.Join(attrs, " "))
			}
			slices.Sort(lines)
			switch {
			case a.Annotator.Name == "doccano:newsds":
				human[rec.ID] = lines
			case a.Annotator.Kind != "human":
				machine[rec.ID] = lines
			}
		}
	}
	return machine, human
}
