package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/bench/scale/synth"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/testshared"
)

// TestMain lets a test re-run this binary as the real newsds (the os/exec helper
// pattern), so that tests can kill a running command.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSDS_TEST_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], systemIO()))
	}
	os.Exit(m.Run())
}

// newsdsCmd returns the test binary set up to run as newsds with args.
func newsdsCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "NEWSDS_TEST_MAIN=1")
	return cmd
}

// runCLI runs newsds in-process with buffer streams (a pipe, not a terminal).
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	io, out, errOut := testIO()
	code = run(context.Background(), args, io)
	if code == 0 {
		validateWrittenRelease(t, args)
	}
	return code, out.String(), errOut.String()
}

// validateWrittenRelease runs `newsds validate` on the folder a successful `release`
// wrote, so that no release the test suite makes holds a value our validator rejects
// (issue 12): a finding at error level fails the test that made it.
func validateWrittenRelease(t *testing.T, args []string) {
	t.Helper()
	var dir, out string
	isRelease := false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-C" && i+1 < len(args):
			dir = args[i+1]
			i++
		case a == "--out" && i+1 < len(args):
			out = args[i+1]
			i++
		case strings.HasPrefix(a, "--out="):
			out = strings.TrimPrefix(a, "--out=")
		case a == "release":
			isRelease = true
		}
	}
	if !isRelease || out == "" {
		return
	}
	if !filepath.IsAbs(out) && dir != "" {
		out = filepath.Join(dir, out)
	}
	io, vout, verr := testIO()
	if code := run(context.Background(), []string{"validate", out}, io); code != 0 {
		t.Errorf("the release newsds %s wrote does not validate (exit %d):\n%s%s", strings.Join(args, " "), code, vout.String(), verr.String())
	}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("newsds %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// The corpus commands work together from the command line: -C, init, ingest with
// --source and --tz, status, commit, log, diff, export and show, with the exit codes
// the help documents.
func TestCorpusWorkflow(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	dir := t.TempDir()
	mustRun(t, "init", dir)
	if code, _, errOut := runCLI(t, "init", dir); code != exitError || !strings.Contains(errOut, "already holds a corpus") {
		t.Fatalf("second init: exit %d, %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "-C", filepath.Join(dir, "missing"), "status"); code != exitUsage {
		t.Fatalf("-C to a missing folder: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCLI(t, "-C", dir, "ingest", "--format", "pdf", seed); code != exitUsage {
		t.Fatalf("bad --format: exit %d, want %d", code, exitUsage)
	}
	out := mustRun(t, "-C", dir, "ingest", "--source", "alsharq", "--tz", "Asia/Qatar", seed)
	if !strings.Contains(out, "ingested 1,") {
		t.Fatalf("ingest output: %s", out)
	}
	// The corpus is found from a sub-folder upwards.
	sub := filepath.Join(dir, "notes", "deep")
	os.MkdirAll(sub, 0o755)
	if out := mustRun(t, "-C", sub, "status"); !strings.Contains(out, "1 added") {
		t.Fatalf("status from a sub-folder: %s", out)
	}
	mustRun(t, "-C", dir, "commit", "-m", "seed", "--tag", "seed")
	if code, _, errOut := runCLI(t, "-C", dir, "commit", "-m", "again"); code != exitError || !strings.Contains(errOut, "nothing to commit") {
		t.Fatalf("empty commit: exit %d %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "-C", dir, "commit"); code != exitUsage {
		t.Fatalf("commit without -m: exit %d", code)
	}

	var log []corpus.Version
	if err := json.Unmarshal([]byte(mustRun(t, "-C", dir, "log", "--json")), &log); err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Name != "v1" || log[0].Tag != "seed" || log[0].Documents != 1 {
		t.Fatalf("log = %+v", log)
	}

	// export: one object per line with exactly the contract's keys.
	lines := strings.Split(strings.TrimSpace(mustRun(t, "-C", dir, "export", "--version", "v1")), "\n")
	if len(lines) != 1 {
		t.Fatalf("export wrote %d lines", len(lines))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(lines[0]), &obj); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"annotations", "byline", "content_hash", "id", "ingested_at", "lang", "meta", "provenance", "published", "raw_hash", "section", "site_name", "source", "text", "title", "url"}
	if !slices.Equal(keys, want) {
		t.Fatalf("export keys %v, want %v", keys, want)
	}
	var doc struct {
		ID        string `json:"id"`
		Published string `json:"published"`
	}
	json.Unmarshal([]byte(lines[0]), &doc)
	if doc.Published != "2022-01-12T07:00:00+03:00" {
		t.Errorf("published = %s", doc.Published)
	}
	if out := mustRun(t, "-C", dir, "show", doc.ID); !strings.Contains(out, "عربي ودولي") {
		t.Errorf("show: %s", out)
	}
	if code, _, _ := runCLI(t, "-C", dir, "show", "nope"); code != exitError {
		t.Errorf("show of a missing id: exit %d", code)
	}

	// A second document, a diff by tag and version name.
	extra := filepath.Join(t.TempDir(), "extra.jsonl")
	os.WriteFile(extra, []byte(`{"url":"https://example.com/x","title":"X","text":"An English article about markets.","published":"2024-03-01T10:00:00Z"}`+"\n"), 0o644)
	mustRun(t, "-C", dir, "ingest", extra)
	mustRun(t, "-C", dir, "commit", "-m", "extra")
	var d corpus.Diff
	if err := json.Unmarshal([]byte(mustRun(t, "-C", dir, "diff", "seed", "v2", "--json")), &d); err != nil {
		t.Fatal(err)
	}
	if d.Counts != (corpus.DiffCounts{Added: 1}) {
		t.Fatalf("diff counts %+v", d.Counts)
	}

	// A rejected record finishes the batch with exit code 3 and a report file.
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{not json\n"), 0o644)
	code, _, errOut := runCLI(t, "-C", dir, "ingest", bad)
	if code != exitPartial || !strings.Contains(errOut, "bad.jsonl: line 1") || !strings.Contains(errOut, "rejections written to") {
		t.Fatalf("ingest of a bad file: exit %d\n%s", code, errOut)
	}
}

// Killing an ingest mid-way leaves the store openable with the last version intact,
// and a later ingest completes the work.
func TestInterruptedIngest(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	pool, err := synth.LoadPool(testshared.Root())
	if err != nil {
		t.Fatal(err)
	}
	// Articles made from the shared pages' text, more than two group-commit batches'
	// worth, so that the kill lands between commits.
	const total = 10000
	input := filepath.Join(t.TempDir(), "articles.jsonl")
	if err := pool.WriteJSONLFile(input, 0, total, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mustRun(t, "init", dir)
	mustRun(t, "-C", dir, "ingest", "--source", "alsharq", "--tz", "Asia/Qatar", seed)
	mustRun(t, "-C", dir, "commit", "-m", "before the crash")

	cmd := newsdsCmd(t, "-C", dir, "ingest", "--workers", "1", input)
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := corpus.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Kill once some pages are stored but before all are.
	deadline := time.Now().Add(60 * time.Second)
	for {
		v, err := st.ResolveVersion(ctx, "staged")
		if err != nil {
			t.Fatal(err)
		}
		if v.Documents >= 5 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("ingest stored nothing within 60s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	st.Close()

	st, err = corpus.Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer st.Close()
	v, err := st.ResolveVersion(ctx, "latest")
	if err != nil || v.Name != "v1" || v.Documents != 1 {
		t.Fatalf("last version after kill: %+v, %v", v, err)
	}
	n := 0
	for d, err := range st.Documents(ctx, "v1") {
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(d.Text, "ثمن سعادة") {
			t.Fatalf("v1 document damaged: %q", d.Title)
		}
		n++
	}
	if n != 1 {
		t.Fatalf("v1 has %d documents", n)
	}
	staged, _ := st.ResolveVersion(ctx, "staged")
	if staged.Documents <= 1 || staged.Documents > total {
		t.Fatalf("staged %d of %d articles at the kill", staged.Documents, total)
	}
	// The interrupted work is resumable: a rerun finishes it and stores each article once.
	cmd = newsdsCmd(t, "-C", dir, "ingest", input)
	out, _ := cmd.Output()
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Scan()
	if !strings.Contains(sc.Text(), "unchanged") {
		t.Fatalf("rerun output %q", out)
	}
	after, _ := st.ResolveVersion(ctx, "staged")
	if after.Documents <= staged.Documents {
		t.Fatalf("rerun did not add the remaining pages: %d then %d", staged.Documents, after.Documents)
	}
}
