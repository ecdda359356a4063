package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/internal/bitflip"
	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
	"github.com/newsds/newsds/validate"
)

// runValidateCLI runs `newsds -C dir validate args...` with pipe streams and maps the
// error to its exit code as main does.
func runValidateCLI(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	io, out, errOut := testIO()
	cmd := newValidateCmd(&globalOptions{IO: io, Dir: dir})
	cmd.SetArgs(args)
	cmd.SetOut(io.Out)
	cmd.SetErr(io.ErrOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	code := exitOK
	var ce *exitCodeError
	switch {
	case errors.As(err, &ce):
		code = ce.code
	case err != nil && isCobraUsageError(err):
		code = exitUsage
	case err != nil:
		code = exitError
	}
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return code, out.String(), errOut.String()
}

// ghCommand is the workflow command syntax GitHub documents:
// ::error file={name},line={line},title={title}::{message}
var ghCommand = regexp.MustCompile(`^::(error|warning|notice)( (file=[^,:]+(,line=\d+)?,)?title=[^,:]+)?::[^\r\n]*$`)

func TestValidateCommand(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	dir := t.TempDir()
	mustRun(t, "init", dir)
	mustRun(t, "-C", dir, "ingest", "--source", "alsharq", "--tz", "Asia/Qatar", seed)
	mustRun(t, "-C", dir, "annotate", "--with", "qa")

	// The freshly annotated seed corpus is clean; PATH defaults to the corpus around -C.
	code, out, errOut := runValidateCLI(t, dir)
	if code != exitOK || !strings.Contains(out, "0 errors") {
		t.Fatalf("clean corpus: exit %d\n%s%s", code, out, errOut)
	}

	// Plant a bad stance item through the store: score outside [0,1] and an undeclared
	// target (the corpus declares none, so only the score is an error).
	ctx := context.Background()
	st, err := corpus.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatal(err)
		}
		id = d.ID
	}
	doc, err := st.Document(ctx, "staged", id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutAnnotation(ctx, schema.Annotation{DocID: id, Layer: schema.LayerStance, ContentHash: doc.ContentHash,
		Annotator: schema.Annotator{Name: "stance", Version: "1", Kind: schema.KindModel},
		Items:     []schema.Item{{Label: "favor", Score: schema.Float(1.5), Attrs: map[string]string{schema.AttrTarget: "قطر"}}}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, _ = runValidateCLI(t, dir, "--format", "json")
	var rep validate.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	if code != exitError || rep.FormatVersion != validate.FormatVersion || rep.Errors != 1 || len(rep.Findings) != 1 ||
		rep.Findings[0].Rule != validate.RuleScoreRange || rep.Findings[0].Location.DocID != id {
		t.Fatalf("planted score: exit %d\n%s", code, out)
	}

}

func mustStore(t *testing.T, dir string) *corpus.Store {
	t.Helper()
	st, err := corpus.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestValidateCommandRelease(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	dir := t.TempDir()
	mustRun(t, "init", dir)
	mustRun(t, "-C", dir, "ingest", "--source", "alsharq", seed)
	mustRun(t, "-C", dir, "annotate", "--with", "qa")
	mustRun(t, "-C", dir, "commit", "-m", "seed")
	rel := filepath.Join(dir, "release")
	if _, err := datasets.Release(context.Background(), mustStore(t, dir), datasets.ReleaseOptions{Out: rel, Version: "1.0.0", PreviousDir: datasets.PreviousNone}); err != nil {
		t.Fatal(err)
	}
	for _, format := range validate.Formats {
		if code, out, errOut := runValidateCLI(t, dir, "release", "--format", format); code != exitOK {
			t.Fatalf("clean release, %s: exit %d\n%s%s", format, code, out, errOut)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(rel, "data", "articles", "*.parquet"))
	if len(shards) == 0 {
		t.Fatal("no shard")
	}
	b, _ := os.ReadFile(shards[0])
	b[len(b)/3] ^= 0xff
	if err := os.WriteFile(shards[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	shardRel, _ := filepath.Rel(dir, shards[0])

	code, out, _ := runValidateCLI(t, dir, "release", "--format", "github")
	if code != exitError {
		t.Fatalf("flipped byte: exit %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	sawShard := false
	for _, l := range lines[:len(lines)-1] {
		if !ghCommand.MatchString(l) {
			t.Errorf("not a workflow command: %q", l)
		}
		if strings.HasPrefix(l, "::error file="+filepath.ToSlash(shardRel)+",title=checksum::") {
			sawShard = true
		}
	}
	if !sawShard {
		t.Errorf("no checksum error on %s:\n%s", shardRel, out)
	}

	code, out, _ = runValidateCLI(t, dir, "release", "--format", "junit")
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suite    []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); err != nil || code != exitError {
		t.Fatalf("junit: exit %d err %v\n%s", code, err, out)
	}
	failed := map[string]bool{}
	for _, c := range suites.Suite[0].Cases {
		if c.Failure != nil {
			failed[c.Name] = true
		}
	}
	if !failed[validate.RuleChecksum] || suites.Failures != len(failed) || suites.Tests != len(suites.Suite[0].Cases) {
		t.Errorf("junit counts: tests %d failures %d failed %v", suites.Tests, suites.Failures, failed)
	}

	code, out, _ = runValidateCLI(t, dir, "release", "--max-errors", "1")
	if code != exitError || !strings.Contains(out, "stopped at --max-errors") {
		t.Errorf("--max-errors: exit %d\n%s", code, out)
	}
}

func TestValidateCommandUsage(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "init", dir)
	writeRules := func(s string) string {
		p := filepath.Join(dir, "rules.yaml")
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name string
		dir  string
		args []string
	}{
		{"missing path", dir, []string{"no/such/release"}},
		{"bad format", dir, []string{"--format", "xml"}},
		{"negative max errors", dir, []string{"--max-errors", "-1"}},
		{"bad rules file", dir, []string{"--rules", writeRules("rules: {nope: off}")}},
		{"no corpus around", t.TempDir(), nil},
		{"two paths", dir, []string{"a", "b"}},
	} {
		if code, out, errOut := runValidateCLI(t, tc.dir, tc.args...); code != exitUsage {
			t.Errorf("%s: exit %d, want 2\n%s%s", tc.name, code, out, errOut)
		}
	}
	// An empty corpus is clean.
	if code, out, _ := runValidateCLI(t, dir, "--rules", writeRules("rules: {doc-nfc: warning}")); code != exitOK {
		t.Errorf("empty corpus: exit %d\n%s", code, out)
	}
	code, out, _ := runValidateCLI(t, dir, "--list-rules")
	if code != exitOK || !strings.Contains(out, validate.RuleSpanBounds) {
		t.Errorf("--list-rules: exit %d\n%s", code, out)
	}
}

func TestValidateImportFile(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	dir := t.TempDir()
	mustRun(t, "init", dir)
	mustRun(t, "-C", dir, "ingest", "--source", "alsharq", seed)
	st := mustStore(t, dir)
	var doc schema.Document
	for d, err := range st.Documents(context.Background(), "staged") {
		if err != nil {
			t.Fatal(err)
		}
		doc = d
	}
	st.Close()
	good, err := schema.Span(doc.Text, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	good.Label = "positive"
	bad := good
	bad.Text = "not the text"
	line := func(a schema.Annotation) string { b, _ := json.Marshal(a); return string(b) + "\n" }
	mk := func(name string, it schema.Item) schema.Annotation {
		return schema.Annotation{DocID: doc.ID, Layer: schema.LayerSentiment, Annotator: schema.Annotator{Name: name, Kind: schema.KindHuman}, Items: []schema.Item{it}}
	}
	happy := good
	happy.Label = "happy"
	p := filepath.Join(dir, "labels.jsonl")
	if err := os.WriteFile(p, []byte(line(mk("amal", good))+line(mk("bilal", bad))+line(mk("carim", happy))), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runValidateCLI(t, dir, "labels.jsonl", "--format", "json")
	var rep validate.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	rules := map[string]validate.Finding{}
	for _, f := range rep.Findings {
		rules[f.Rule] = f
	}
	imp, lab := rules[validate.RuleImportRecord], rules[validate.RuleLabelUnknown]
	if code != exitError || rep.Kind != validate.KindImport || len(rep.Findings) != 2 ||
		imp.Location.Line == nil || *imp.Location.Line != 2 || lab.Location.Annotator != "carim" {
		t.Fatalf("import file: exit %d\n%s", code, out)
	}
}

// `newsds validate RELEASE` panicked in the Parquet page reader on a shard with one
// flipped byte and printed nothing, so CI got an empty JSON or JUnit report. Every flip
// of a shard (seeded, aimed at its structure) now exits 1 with a report that locates a
// finding on the shard, in JSON and in JUnit.
func TestValidateCommandDamagedShard(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	dir := t.TempDir()
	mustRun(t, "init", dir)
	mustRun(t, "-C", dir, "ingest", "--source", "alsharq", seed)
	mustRun(t, "-C", dir, "annotate", "--with", "qa")
	mustRun(t, "-C", dir, "commit", "-m", "seed")
	mustRun(t, "-C", dir, "release", "--version", "1.0.0", "--out", "release", "--format", "parquet,arrow")
	shards, _ := filepath.Glob(filepath.Join(dir, "release", "data", "articles", "*.parquet"))
	if len(shards) == 0 {
		t.Fatal("no shard")
	}
	orig, err := os.ReadFile(shards[0])
	if err != nil {
		t.Fatal(err)
	}
	shardRel, _ := filepath.Rel(filepath.Join(dir, "release"), shards[0])
	flips, err := bitflip.Flips(orig, true, 60, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, fl := range flips {
		if err := os.WriteFile(shards[0], fl.Apply(orig), 0o644); err != nil {
			t.Fatal(err)
		}
		format := "json"
		if i%10 == 0 {
			format = "junit"
		}
		code, out, errOut := runValidateCLI(t, dir, "release", "--format", format)
		if code != exitError || out == "" {
			t.Fatalf("flip %d (%v), %s: exit %d\nstdout:\n%s\nstderr:\n%s", i, fl, format, code, out, errOut)
		}
		if format == "junit" {
			if !strings.Contains(out, "<testsuites") || !strings.Contains(out, filepath.ToSlash(shardRel)) {
				t.Errorf("flip %d (%v): the JUnit report does not name the shard:\n%s", i, fl, out)
			}
			continue
		}
		var rep struct {
			Findings []struct {
				Location struct {
					File string `json:"file"`
				} `json:"location"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("flip %d (%v): %v\n%s", i, fl, err, out)
		}
		onShard := false
		for _, f := range rep.Findings {
			onShard = onShard || f.Location.File == filepath.ToSlash(shardRel)
		}
		if !onShard {
			t.Errorf("flip %d (%v): no finding on %s:\n%s", i, fl, shardRel, out)
		}
	}
}
