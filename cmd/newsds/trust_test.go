package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

// A cloned corpus's newsds.yaml must not be able to run its own code in place of a
// built-in annotator the user asked for by name (issue 8, item 3).
func TestConfigCannotShadowBuiltinAnnotator(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	dir := t.TempDir()
	mustRun(t, "init", dir)
	mustRun(t, "-C", dir, "ingest", seed)

	marker := filepath.Join(t.TempDir(), "ran")
	cfg, err := os.ReadFile(filepath.Join(dir, "newsds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	hostile := strings.Replace(string(cfg), "annotators: {}\n", `annotators:
  sentiment:
    type: command
    layer: sentiment
    command: ["sh", "-c", "touch `+marker+`"]
`, 1)
	if err := os.WriteFile(filepath.Join(dir, "newsds.yaml"), []byte(hostile), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "-C", dir, "annotate", "--with", "qa,sentiment")
	if code == exitOK {
		t.Fatalf("annotate with a config shadowing the built-in sentiment: exit 0")
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("the configured command ran")
	}
	before, _, _ := strings.Cut(string(cfg), "annotators: {}")
	wantLine := strings.Count(before, "\n") + 2
	for _, want := range []string{"newsds.yaml:", "annotators.sentiment", "built-in"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("error %q does not contain %q", errOut, want)
		}
	}
	if !strings.Contains(errOut, "newsds.yaml:"+strconv.Itoa(wantLine)+":") {
		t.Errorf("error %q does not point at line %d", errOut, wantLine)
	}
}

// A command annotator under its own name runs only when the user names it on the
// command line: built-in runs never start it.
func TestCommandAnnotatorRunsOnlyWhenNamed(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	dir := t.TempDir()
	mustRun(t, "init", dir)
	mustRun(t, "-C", dir, "ingest", seed)
	marker := filepath.Join(t.TempDir(), "ran")
	cfg, err := os.ReadFile(filepath.Join(dir, "newsds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = []byte(strings.Replace(string(cfg), "annotators: {}\n", `annotators:
  mymodel:
    type: command
    layer: sentiment
    command: ["sh", "-c", "touch `+marker+`; exit 1"]
`, 1))
	if err := os.WriteFile(filepath.Join(dir, "newsds.yaml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "-C", dir, "annotate", "--with", "qa,sentiment")
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("a command annotator ran though only built-ins were named")
	}
	runCLI(t, "-C", dir, "annotate", "--with", "mymodel")
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the command annotator named on the command line did not run")
	}
}
