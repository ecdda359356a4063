package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/newsds/newsds/internal/testshared"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json from the commands' output")

// --version names the version, the commit, the Go version and the extractor modules.
func TestVersionFlag(t *testing.T) {
	out := mustRun(t, "--version")
	for _, want := range []string{"newsds ", "commit ", runtime.Version(), "extractor:", "github.com/markusmobius/go-trafilatura v", "github.com/markusmobius/go-htmldate v"} {
		if !strings.Contains(out, want) {
			t.Errorf("--version lacks %q:\n%s", want, out)
		}
	}
}

// allCommands walks the command tree below root.
func allCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" || c.Hidden {
			continue
		}
		out = append(out, c)
		out = append(out, allCommands(c)...)
	}
	return out
}

// noJSON are the commands whose output is not a report: export writes JSON lines
// already, extract an Arrow stream, export-annotations the files of another tool; demo
// is a tour and eval only groups its subcommands.
var noJSON = []string{"export", "extract", "export-annotations", "demo", "eval"}

// Every command takes -q/--quiet and -v/--verbose, and every command that prints data
// takes --json.
func TestGlobalFlagsOnEveryCommand(t *testing.T) {
	io, _, _ := testIO()
	root := newRootCmd(io)
	for _, c := range allCommands(root) {
		for _, name := range []string{"quiet", "verbose"} {
			if c.Flag(name) == nil {
				t.Errorf("%s has no --%s", c.CommandPath(), name)
			}
		}
		if c.Flag("verbose").Shorthand != "v" || c.Flag("quiet").Shorthand != "q" {
			t.Errorf("%s: -q/-v are not the shorthands", c.CommandPath())
		}
		if !slices.Contains(noJSON, c.Name()) && c.LocalFlags().Lookup("json") == nil {
			t.Errorf("%s prints data but has no --json", c.CommandPath())
		}
	}
}

// -q leaves out informational messages and -v adds details; together they are a usage
// error.
func TestQuietVerbose(t *testing.T) {
	dir := t.TempDir()
	_, _, errOut := runCLI(t, "init", filepath.Join(dir, "a"))
	if !strings.Contains(errOut, "Edit ") {
		t.Fatalf("init without -q: no hint on stderr: %q", errOut)
	}
	code, out, errOut := runCLI(t, "-q", "init", filepath.Join(dir, "b"))
	if code != 0 || errOut != "" || !strings.Contains(out, "Initialised") {
		t.Fatalf("init -q: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "-C", filepath.Join(dir, "b"), "status", "-v")
	if code != 0 || !strings.Contains(errOut, "newsds: corpus "+filepath.Join(dir, "b")) || !strings.Contains(errOut, "newsds status took") {
		t.Fatalf("status -v: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "-q", "-v", "status"); code != exitUsage || !strings.Contains(errOut, "--quiet and --verbose") {
		t.Fatalf("-q -v: exit %d, %q", code, errOut)
	}
}

// A mistyped flag gets the flag it was probably meant to be, as typed on the command
// line.
func TestFlagSuggestion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"status", "--jsno"}, "unknown flag: --jsno (did you mean --json?)"},
		{[]string{"annotate", "--froce"}, "(did you mean --force?)"},
		{[]string{"log", "--verbos"}, "(did you mean --verbose?)"},
		{[]string{"ingest", "--workrs=2", "x"}, "(did you mean --workers?)"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
	// Nothing close: no suggestion.
	if _, _, errOut := runCLI(t, "status", "--zzzzzz"); strings.Contains(errOut, "did you mean") {
		t.Errorf("suggested for a far flag: %q", errOut)
	}
}

// A wrong argument count says what the command takes, shows its usage line, and points a
// version typed as a positional to --version.
func TestArgCountMessages(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
		not  string
	}{
		{[]string{"export", "v1"}, []string{"newsds export takes no arguments, got 1", "--version: newsds export --version v1", "usage: newsds export [--version V]"}, ""},
		{[]string{"release", "v1"}, []string{"--corpus-version: newsds release --corpus-version v1"}, ""},
		{[]string{"release", "1.2.0"}, []string{"--version: newsds release --version 1.2.0"}, "--corpus-version:"},
		{[]string{"show"}, []string{"newsds show takes 1 argument, got 0", "usage: newsds show ID"}, "--version"},
		{[]string{"diff", "v1"}, []string{"newsds diff takes 2 arguments, got 1", "usage: newsds diff A B"}, "--version"},
		{[]string{"log", "a", "b"}, []string{"newsds log takes no arguments, got 2"}, "--version:"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr %q, want %q", tc.args, errOut, w)
			}
		}
		if tc.not != "" && strings.Contains(errOut, tc.not) {
			t.Errorf("%v: stderr %q has %q", tc.args, errOut, tc.not)
		}
	}
}

var (
	timeRE     = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"`)
	reportRE   = regexp.MustCompile(`ingest-\d{8}T\d{6}\.\d{3}Z\.jsonl`)
	durationRE = regexp.MustCompile(`"(elapsed|duration)[a-z_]*": [0-9.e+-]+`)
)

// normalize takes out what differs between runs: the temp folder and the clock.
func normalize(s, root string) string {
	s = strings.ReplaceAll(s, root, "$CORPUS")
	s = timeRE.ReplaceAllString(s, `"TIME"`)
	s = reportRE.ReplaceAllString(s, "ingest-TIME.jsonl")
	return durationRE.ReplaceAllString(s, `"$1": 0`)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestJSONGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s --json differs from %s (go test -run TestJSONGolden -update rewrites it):\n got:\n%s\nwant:\n%s", name, path, got, want)
	}
}

// Each command's --json output is pinned by a golden file, over one corpus made from
// the seed article and the rule-based qa annotator (a retrained model must not rewrite
// the CLI's goldens): init, ingest, annotate, status, commit, log, diff, stats,
// import-annotations, rm, validate.
func TestJSONGolden(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	root := filepath.Join(t.TempDir(), "corpus")
	jsonOut := func(name string, args ...string) {
		t.Helper()
		code, out, errOut := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		if !json.Valid([]byte(out)) {
			t.Fatalf("%s --json is not JSON: %q", name, out)
		}
		if name == "validate" {
			// The list of rules grows with every new rule and is pinned by validate's
			// own tests; the golden file pins the report's shape.
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatal(err)
			}
			delete(m, "rules")
			b, err := json.MarshalIndent(m, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			out = string(b) + "\n"
		}
		golden(t, name, normalize(out, root))
	}
	jsonOut("init", "init", "--json", root)
	jsonOut("ingest", "-C", root, "ingest", "--json", "--source", "alsharq", "--tz", "Asia/Qatar", seed)
	jsonOut("annotate", "-C", root, "annotate", "--json", "--with", "qa")
	jsonOut("status", "-C", root, "status", "--json")
	jsonOut("commit", "-C", root, "commit", "--json", "-m", "seed", "--tag", "first")
	jsonOut("log", "-C", root, "log", "--json")
	jsonOut("stats", "-C", root, "stats", "--json", "--version", "v1")
	jsonOut("validate", "-C", root, "validate", "--json", "--version", "v1")
	file := filepath.Join(t.TempDir(), "qa.jsonl")
	exported := mustRun(t, "-C", root, "export-annotations", "--format", "jsonl", "--layer", "qa_turns")
	if err := os.WriteFile(file, []byte(exported), 0o644); err != nil {
		t.Fatal(err)
	}
	jsonOut("import-annotations", "-C", root, "import-annotations", "--json", "--format", "jsonl", "--layer", "qa_turns", "--annotator", "reviewer", file)
	jsonOut("diff", "-C", root, "diff", "--json", "v1", "staged")
	var log []struct{ Name string }
	_ = json.Unmarshal([]byte(mustRun(t, "-C", root, "log", "--json")), &log)
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(mustRun(t, "-C", root, "export", "--no-annotations")), "\n") {
		var d struct{ ID string }
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	jsonOut("show", "-C", root, "show", "--json", ids[0])
	jsonOut("check", "-C", root, "check", "--json")
	jsonOut("review-queue", "-C", root, "review-queue", "--json", "--layer", "qa_turns", "--min-confidence", "1")
	jsonOut("release", "-C", root, "release", "--json", "--allow-staged", "--corpus-version", "v1", "--version", "1.0.0", "--out", root+"-release")
	jsonOut("eval-qa", "eval", "qa", "--json", "--gold", filepath.Dir(testshared.Path(t, "seed", "gold", "000_f78eaf531e9c49cc.json")))
	jsonOut("rm", append([]string{"-C", root, "rm", "--json"}, ids...)...)
}

// complete runs cobra's hidden __complete command as a shell does on TAB and returns
// the offered values (descriptions cut off).
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	io, out, errOut := testIO()
	if code := run(context.Background(), append([]string{"__complete"}, args...), io); code != 0 {
		t.Fatalf("__complete %v: exit %d: %s", args, code, errOut)
	}
	var vals []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.HasPrefix(line, ":") {
			continue // the directive
		}
		v, _, _ := strings.Cut(line, "\t")
		vals = append(vals, v)
	}
	return vals
}

// Completion offers what the corpus holds: versions and tags, document ids, layers and
// annotator names.
func TestDynamicCompletion(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	root := filepath.Join(t.TempDir(), "corpus")
	mustRun(t, "init", root)
	cfg := filepath.Join(root, "newsds.yaml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte("\nlayers: {}\n"), []byte("\nlayers:\n  topic:\n    labels: [politics, sport]\n"), 1)
	b = bytes.Replace(b, []byte("\nannotators: {}\n"), []byte("\nannotators:\n  mymodel:\n    type: command\n    layer: topic\n    command: [cat]\n"), 1)
	if err := os.WriteFile(cfg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "-C", root, "ingest", "--source", "alsharq", seed)
	mustRun(t, "-C", root, "commit", "-m", "seed", "--tag", "spring")
	var d struct{ ID string }
	if err := json.Unmarshal(bytes.SplitN([]byte(mustRun(t, "-C", root, "export", "--no-annotations")), []byte("\n"), 2)[0], &d); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-C", root, "show", ""}, []string{d.ID}},
		{[]string{"-C", root, "show", d.ID[:3]}, []string{d.ID}},
		{[]string{"-C", root, "show", d.ID, ""}, nil}, // show takes one id
		{[]string{"-C", root, "rm", d.ID, ""}, []string{d.ID}},
		{[]string{"-C", root, "diff", ""}, []string{"v1", "spring", "latest", "staged"}},
		{[]string{"-C", root, "export", "--version", "s"}, []string{"spring", "staged"}},
		{[]string{"-C", root, "release", "--corpus-version", ""}, []string{"v1", "spring", "latest"}},
		{[]string{"-C", root, "release", "--version", ""}, nil}, // a new X.Y.Z: nothing to offer
		{[]string{"-C", root, "export-annotations", "--layer", ""}, []string{"qa_turns", "sentiment", "stance", "topic"}},
		{[]string{"-C", root, "annotate", "--with", "qa,"}, []string{"qa,mymodel", "qa,qa", "qa,sentiment", "qa,stance"}},
		{[]string{"-C", root, "annotate", "--with", "my"}, []string{"mymodel"}},
		{[]string{"-C", root, "annotate", "--docs", ""}, []string{d.ID}},
	} {
		got := complete(t, tc.args...)
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if !slices.Equal(got, want) {
			t.Errorf("complete %v = %q, want %q", tc.args[2:], got, want)
		}
	}
	// Outside a corpus, completion offers nothing and fails nothing.
	if got := complete(t, "-C", t.TempDir(), "show", ""); len(got) != 0 {
		t.Errorf("outside a corpus: %q", got)
	}
}

// Messages name flags as the user types them: "--force", never "use force".
func TestMessagesNameFlagsAsTyped(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	root := filepath.Join(t.TempDir(), "corpus")
	mustRun(t, "init", root)
	mustRun(t, "-C", root, "ingest", "--source", "alsharq", seed)
	mustRun(t, "-C", root, "commit", "-m", "seed")
	out := filepath.Join(t.TempDir(), "rel")
	mustRun(t, "-C", root, "release", "--version", "1.0.0", "--out", out)
	code, _, errOut := runCLI(t, "-C", root, "release", "--version", "1.0.1", "--out", out)
	if code != exitError || !strings.Contains(errOut, "--force") || strings.Contains(errOut, "use force") {
		t.Errorf("release into an existing folder: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "-C", root, "validate", "--version", "v9")
	if code != exitUsage || !strings.HasPrefix(errOut, "newsds: --version v9: ") {
		t.Errorf("validate --version v9: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "-C", root, "validate", "--json", "--format", "junit")
	if code != exitUsage || !strings.Contains(errOut, "--json and --format junit") {
		t.Errorf("validate --json --format junit: exit %d, %q", code, errOut)
	}
}

// train reads a file whose columns the defaults do not know when they are named, says
// which flag names them when they are not, and prints its held-out figures as a table.
func TestTrainColumns(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("words,mood\n")
	for i := range 40 {
		for _, row := range []string{"a wonderful kind gift,positive", "an awful cruel loss,negative", "the meeting is on tuesday,neutral"} {
			fmt.Fprintf(&b, "%s %d,%s\n", strings.Split(row, ",")[0], i, strings.Split(row, ",")[1])
		}
	}
	data := filepath.Join(dir, "mood.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m.json")
	code, _, errOut := runCLI(t, "train", "sentiment", "--file", data, "--out", out)
	if code == 0 || !strings.Contains(errOut, "no text column found (columns: words, mood); name it with --text-column") {
		t.Fatalf("unnamed columns: exit %d, stderr %q", code, errOut)
	}
	code, stdout, errOut := runCLI(t, "train", "sentiment", "--file", data, "--text-column", "words", "--label-column", "mood", "--out", out)
	if code != 0 {
		t.Fatalf("named columns: exit %d, stderr %q", code, errOut)
	}
	// Every row is trained on or held out.
	trained := regexp.MustCompile(`trained sentiment on (\d+) examples`).FindStringSubmatch(stdout)
	held := regexp.MustCompile(`(?m)^mood\.csv\s+(\d+)\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}`).FindStringSubmatch(stdout)
	if trained == nil || held == nil || atoi(t, trained[1])+atoi(t, held[1]) != 120 || atoi(t, held[1]) == 0 {
		t.Errorf("report:\n%s", stdout)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("model not written: %v", err)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A duplicate whose original changed into another story, or was removed, is an original
// again, and ingest and rm say how many came back.
func TestReleasedDuplicatesReported(t *testing.T) {
	root := filepath.Join(t.TempDir(), "c")
	if code, _, errOut := runCLI(t, "-q", "init", root); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	story := "The harbour reopened on Friday, three weeks after a winter storm tore away part of the northern breakwater and left two piers unsafe for the boats of the fleet."
	other := "The council voted on Tuesday to close the old library and to move its books to the school, after a long debate about the cost of heating the building in winter."
	write := func(name string, lines ...string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rec := func(url, published, text string) string {
		b, _ := json.Marshal(map[string]string{"url": url, "title": "Harbour", "published": published, "text": text})
		return string(b)
	}
	first := write("first.jsonl", rec("https://a.example/1", "2025-06-01T08:00:00Z", story), rec("https://b.example/1", "2025-06-02T08:00:00Z", story))
	if code, out, errOut := runCLI(t, "-C", root, "ingest", first); code != 0 || !strings.Contains(out, "duplicates 1") {
		t.Fatalf("first ingest: exit %d\n%s%s", code, out, errOut)
	}
	rewritten := write("rewritten.jsonl", rec("https://a.example/1", "2025-06-01T08:00:00Z", other))
	code, out, errOut := runCLI(t, "-C", root, "ingest", rewritten)
	if code != 0 || !strings.Contains(out, "modified 1") || !strings.Contains(out, "1 duplicate is an original again") {
		t.Fatalf("rewrite: exit %d\n%s%s", code, out, errOut)
	}
	third := write("third.jsonl", rec("https://c.example/1", "2025-06-03T08:00:00Z", story))
	if code, out, errOut := runCLI(t, "-C", root, "ingest", third); code != 0 || !strings.Contains(out, "duplicates 1") {
		t.Fatalf("third ingest: exit %d\n%s%s", code, out, errOut)
	}
	id := documentIDByURL(t, root, "https://b.example/1")
	code, out, errOut = runCLI(t, "-C", root, "rm", "--json", id)
	var res struct{ Removed, Released int }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Removed != 1 || res.Released != 1 {
		t.Fatalf("rm: exit %d, %q %s", code, out, errOut)
	}
	// An id prefix names a document for annotate, show and rm alike.
	c := documentIDByURL(t, root, "https://c.example/1")
	if code, out, errOut := runCLI(t, "-C", root, "annotate", "--with", "qa", "--docs", c[:8]); code != 0 || !strings.HasPrefix(out, "1 document") {
		t.Errorf("annotate --docs %s: exit %d\n%s%s", c[:8], code, out, errOut)
	}
	if code, out, _ := runCLI(t, "-C", root, "show", c[:6]); code != 0 || !strings.Contains(out, c) {
		t.Errorf("show %s: exit %d\n%s", c[:6], code, out)
	}
}

func documentIDByURL(t *testing.T, root, url string) string {
	t.Helper()
	code, out, errOut := runCLI(t, "-C", root, "export", "--no-annotations")
	if code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	for line := range strings.Lines(out) {
		var d struct{ ID, URL string }
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		if d.URL == url {
			return d.ID
		}
	}
	t.Fatalf("no document with URL %s", url)
	return ""
}

// TestShowListsItems: `show` lists what each layer says, one line per item — where it
// is, its label and score, its attributes and the start of its text — not only how
// many items it holds.
func TestShowListsItems(t *testing.T) {
	root := t.TempDir()
	mustRun(t, "init", root)
	in := filepath.Join(t.TempDir(), "interview.jsonl")
	body := "Marta Ruiz has run the port authority since 2019.\n\n" +
		"Q: How bad was the damage when you first saw it?\n\n" +
		"A: It was worse than anything we had planned for, and two of the cranes were down along the whole of the main quay.\n\n" +
		"Q: What did you do first?\n\n" +
		"A: We got the fishing fleet back in."
	rec, err := json.Marshal(map[string]string{"url": "https://harbour.example/ruiz", "title": "Marta Ruiz: the port will be back next year",
		"byline": "Daniel Okafor", "published": "2024-03-05T09:30:00+01:00", "text": body})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, append(rec, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "-C", root, "ingest", in)
	mustRun(t, "-C", root, "annotate", "--with", "qa,sentiment")
	out := mustRun(t, "-C", root, "show", documentIDByURL(t, root, "https://harbour.example/ruiz"))
	for _, want := range []string{
		"layer qa_turns by qa",
		`question  speaker="Daniel Okafor"  speaker_role=interviewer  turn=1  «Q: How bad was the damage when you first saw it?»`,
		`answer  speaker="Marta Ruiz"  speaker_role=interviewee  turn=2  «A: It was worse than anything we had planned for, and two of…»`,
		"document  ",
		"scope=document",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}
