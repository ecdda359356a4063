package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

// A release written from every shared HTML page validates clean: issue 12 found relative
// canonical URLs ("/news/...", "//host/...") stored as document URLs, which our own
// validate then rejected (doc-url, 4 errors). Pages without text are rejected at ingest
// (exit 3); everything that is stored must pass.
func TestReleaseOfSharedPagesValidates(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests every shared HTML page")
	}
	data := testshared.Path(t, "data")
	dir := t.TempDir()
	mustRun(t, "init", dir)
	code, _, errOut := runCLI(t, "-C", dir, "ingest",
		filepath.Join(data, "trafilatura", "pages"), filepath.Join(data, "htmldate", "pages"),
		filepath.Join(data, "newspaper4k", "html"), filepath.Join(data, "readability", "pages", "**", "source.html"),
		filepath.Join(data, "encodings"))
	if code != 0 && code != exitPartial {
		t.Fatalf("ingest: exit %d\n%s", code, errOut)
	}
	mustRun(t, "-C", dir, "commit", "-m", "shared pages")
	out := filepath.Join(t.TempDir(), "rel")
	mustRun(t, "-C", dir, "release", "--version", "1.0.0", "--out", out)
	code, stdout, _ := runCLI(t, "-C", dir, "validate", "--format", "json", out)
	var rep struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Location struct {
				DocID string `json:"doc_id"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("validate --format json: %v\n%s", err, stdout)
	}
	for _, f := range rep.Findings {
		if f.Severity == "error" {
			t.Errorf("%s %s: %s", f.Rule, f.Location.DocID, f.Message)
		}
	}
	if code != 0 {
		t.Errorf("validate: exit %d", code)
	}
}

// A missing input path was counted as a rejected record (exit 3), after the other paths
// had been ingested; it is an error (exit 1) before anything is read or stored.
func TestIngestMissingPathIsAnError(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "init", dir)
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(in, []byte(`{"url":"https://example.com/a","title":"A","text":"The council approved the new budget."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "no-such-folder")
	code, out, errOut := runCLI(t, "-C", dir, "ingest", in, missing)
	if code != exitError || !strings.Contains(errOut, "no-such-folder") || !strings.Contains(errOut, "no such file") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if status := mustRun(t, "-C", dir, "status"); !strings.Contains(status, "documents: 0 added") {
		t.Errorf("something was ingested:\n%s", status)
	}
}

// A folder holding a pretty-printed .json (as every shared gold folder does) gives one
// rejection for that file, with its reason, not one per line.
func TestIngestJSONDocumentFolder(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "init", dir)
	code, _, errOut := runCLI(t, "-C", dir, "ingest", testshared.Path(t, "data", "newspaper4k"))
	n := strings.Count(errOut, "rejected ")
	if code != exitPartial || !strings.Contains(errOut, "gold.json: json document: the object is not an article") || n > 5 {
		t.Fatalf("exit %d, %d rejections\n%s", code, n, errOut)
	}
}
