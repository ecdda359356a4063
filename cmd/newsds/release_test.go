package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dupCorpus is a committed corpus of three documents, one an exact duplicate.
func dupCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	mustRun(t, "init", dir)
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	os.WriteFile(in, []byte(`{"url":"https://example.com/a","title":"A","text":"The council approved the new budget after a long debate.","published":"2024-03-01T10:00:00Z"}
{"url":"https://example.com/b","title":"B","text":"The council approved the new budget after a long debate.","published":"2024-03-01T11:00:00Z"}
{"url":"https://example.com/c","title":"C","text":"Rain is expected across the north on Friday.","published":"2024-03-02T09:00:00Z"}
`), 0o644)
	mustRun(t, "-C", dir, "ingest", in)
	mustRun(t, "-C", dir, "commit", "-m", "three")
	return dir
}

// A release leaves duplicates out by default and validates clean; one whose manifest
// claims duplicates are excluded while a row is a duplicate the corpus marked is caught
// by validate run inside the corpus, with the document named.
func TestReleaseDuplicatesAndValidate(t *testing.T) {
	dir := dupCorpus(t)
	out := filepath.Join(t.TempDir(), "rel")
	mustRun(t, "-C", dir, "release", "--version", "1.0.0", "--out", out)
	var m struct {
		Configs []struct {
			Name   string `json:"name"`
			Splits []struct {
				NumExamples int `json:"num_examples"`
			} `json:"splits"`
		} `json:"configs"`
	}
	b, err := os.ReadFile(filepath.Join(out, "newsds-release.json"))
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(b, &m)
	n := 0
	for _, s := range m.Configs[0].Splits {
		n += s.NumExamples
	}
	if n != 2 {
		t.Fatalf("released %d articles, want 2 (the duplicate left out)", n)
	}
	if code, stdout, _ := runCLI(t, "-C", dir, "validate", out); code != 0 {
		t.Fatalf("clean release: exit %d\n%s", code, stdout)
	}

	kept := filepath.Join(t.TempDir(), "kept")
	mustRun(t, "-C", dir, "release", "--version", "1.0.1", "--out", kept, "--keep-duplicates", "--previous", "none")
	if code, stdout, _ := runCLI(t, "-C", dir, "validate", kept); code != 0 {
		t.Fatalf("release with --keep-duplicates: exit %d\n%s", code, stdout)
	}
	// Plant the writer bug: the manifest says duplicates are excluded.
	mp := filepath.Join(kept, "newsds-release.json")
	b, _ = os.ReadFile(mp)
	os.WriteFile(mp, []byte(strings.Replace(string(b), `"keep_duplicates": true`, `"keep_duplicates": false`, 1)), 0o644)
	code, stdout, _ := runCLI(t, "-C", dir, "validate", "--format", "json", kept)
	if code != exitError {
		t.Fatalf("exit %d, want %d\n%s", code, exitError, stdout)
	}
	var rep struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Message  string `json:"message"`
			Location struct {
				DocID string `json:"doc_id"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Rule == "excluded-duplicate" && strings.Contains(f.Message, "marked in the corpus as a duplicate") && f.Location.DocID != "" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no excluded-duplicate finding from the corpus:\n%s", stdout)
	}
}

// `newsds -C corpus release --out corpus --force` exited 0 and removed store.db and
// newsds.yaml with the rest of the corpus; a folder of user files went the same way.
// --force now refuses anything but a newsds release of only its own files that neither
// is nor holds the corpus, with an error naming the folder, and the folder is untouched.
func TestReleaseForceNeverRemovesTheCorpus(t *testing.T) {
	dir := dupCorpus(t)
	store := filepath.Join(dir, ".newsds", "store.db")
	mine := filepath.Join(t.TempDir(), "mine")
	if err := os.MkdirAll(mine, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{dir, filepath.Dir(dir), ".", mine} {
		code, stdout, stderr := runCLI(t, "-C", dir, "release", "--version", "1.0.1", "--out", out, "--force")
		if code != exitError || !strings.Contains(stderr, "refusing to replace") {
			t.Errorf("--out %s --force: exit %d\nstdout:\n%s\nstderr:\n%s", out, code, stdout, stderr)
		}
		for _, p := range []string{store, filepath.Join(dir, "newsds.yaml"), filepath.Join(mine, "notes.txt")} {
			if _, err := os.Stat(p); err != nil {
				t.Fatalf("--out %s --force removed %s", out, p)
			}
		}
	}
	// A release is still replaced, and validate still reads the corpus.
	rel := filepath.Join(t.TempDir(), "rel")
	mustRun(t, "-C", dir, "release", "--version", "1.0.0", "--out", rel)
	mustRun(t, "-C", dir, "release", "--version", "1.0.0", "--out", rel, "--force")
	mustRun(t, "-C", dir, "validate", rel)
	mustRun(t, "-C", dir, "status")
}

// A release taken while annotations or documents are staged but not committed used to
// leave them out silently (exit 0, an empty turns config); it now refuses with exit 1
// and a message naming --allow-staged, which releases the commit anyway.
func TestReleaseRefusesUncommittedWork(t *testing.T) {
	dir := dupCorpus(t)
	mustRun(t, "-C", dir, "annotate", "--with", "sentiment")
	out := filepath.Join(t.TempDir(), "rel")
	code, stdout, stderr := runCLI(t, "-C", dir, "release", "--version", "1.0.0", "--out", out)
	if code != 1 || !strings.Contains(stderr, "--allow-staged") || !strings.Contains(stderr, "not committed") {
		t.Fatalf("release with staged annotations: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused release left %s: %v", out, err)
	}
	mustRun(t, "-C", dir, "release", "--version", "1.0.0", "--out", out, "--allow-staged")
	if _, err := os.Stat(filepath.Join(out, "newsds-release.json")); err != nil {
		t.Fatalf("--allow-staged: %v", err)
	}

	mustRun(t, "-C", dir, "commit", "-m", "sentiment")
	in := filepath.Join(t.TempDir(), "more.jsonl")
	os.WriteFile(in, []byte(`{"url":"https://example.com/d","title":"D","text":"Schools reopen on Monday after the storm.","published":"2024-03-03T09:00:00Z"}
`), 0o644)
	mustRun(t, "-C", dir, "ingest", in)
	code, _, stderr = runCLI(t, "-C", dir, "release", "--version", "1.1.0", "--out", filepath.Join(t.TempDir(), "rel2"))
	if code != 1 || !strings.Contains(stderr, "1 document") || !strings.Contains(stderr, "--allow-staged") {
		t.Fatalf("release with a staged document: exit %d\n%s", code, stderr)
	}
	mustRun(t, "-C", dir, "commit", "-m", "one more")
	mustRun(t, "-C", dir, "release", "--version", "1.1.0", "--out", filepath.Join(t.TempDir(), "rel3"))
}
