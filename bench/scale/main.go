// Command scale measures every store-bound step of newsds at two or more corpus sizes:
// it builds synthetic JSONL corpora (bench/scale/synth: Arabic and English articles of
// 3–8 KB from the shared pages' text), runs each step as a subprocess of a freshly
// built newsds binary, and reports wall time, CPU time (user+system, getrusage) and
// peak RSS per step, per size, with the per-document cost ratio between the largest
// and the smallest size. It is not part of `go test`: a run at 100k documents takes
// tens of minutes.
//
//	go run ./bench/scale                       # 10k and 100k documents
//	go run ./bench/scale -sizes 2000 -json out.json
//	go run ./bench/scale -steps 'ingest,ingest 1% changed'   # stops after the last one named
//	NEWSDS_SCALE_SIZES=10000 go run ./bench/scale
//	go run ./bench/scale -rounds 3 -steps ingest   # medians of 3 rounds, sizes alternating
//
// Run it from the repository root (it builds ./cmd/newsds and reads
// examples/targets.yaml). The steps, in order: ingest; unchanged re-ingest; commit v1;
// ingest of 1% changed documents (a file of only those); annotate with each built-in
// (qa, sentiment, stance); commit v2; diff v1 v2; export; release; validate corpus;
// validate release; release again (a second version, which reads the first for its
// changelog).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsds/newsds/bench/scale/synth"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// Step is one measured newsds command.
type Step struct {
	Name string `json:"name"`
	// Docs is the number of documents the step works on, the divisor of per-doc costs.
	Docs   int     `json:"docs"`
	Wall   float64 `json:"wall_s"`
	CPU    float64 `json:"cpu_s"`
	User   float64 `json:"user_s"`
	Sys    float64 `json:"sys_s"`
	RSSMiB float64 `json:"peak_rss_mib"`
	// Output is the command's first line of output, as a check of what it did.
	Output string `json:"output"`
}

// Size is the measurement of one corpus size.
type Size struct {
	Docs  int    `json:"docs"`
	Steps []Step `json:"steps"`
}

// Report is a whole run.
type Report struct {
	Date    string   `json:"date"`
	Host    string   `json:"host"`
	CPUs    int      `json:"cpus"`
	Load    []string `json:"loadavg_before_after"`
	Go      string   `json:"go"`
	Workers int      `json:"workers"`
	// Changed is the -changed flag: 0 when the changed ingest edits 1% of each size.
	Changed int `json:"changed_docs"`
	// Rounds is how many times each size was measured; Sizes holds each step's medians
	// and, with more than one round, PerRound every round's own figures.
	Rounds   int      `json:"rounds"`
	Sizes    []Size   `json:"sizes"`
	PerRound [][]Size `json:"per_round,omitempty"`
}

type options struct {
	sizes   []int
	work    string
	keep    bool
	shared  string
	newsds  string
	jsonOut string
	workers int
	targets string
	// steps, when not empty, are the names of the only steps to measure: a step the
	// others depend on (the first ingest before a re-ingest, say) still runs, unmeasured.
	steps map[string]bool
	// changed is how many documents the "changed" ingest edits; 0 is 1% of the corpus.
	changed int
	// rounds is how many times every size is measured, the sizes alternating.
	rounds int
}

func run(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("scale", flag.ContinueOnError)
	sizes := fl.String("sizes", envOr("NEWSDS_SCALE_SIZES", "10000,100000"), "comma-separated corpus sizes (env NEWSDS_SCALE_SIZES)")
	var o options
	fl.StringVar(&o.work, "work", "", "working folder (default: a temporary one, removed at the end)")
	fl.BoolVar(&o.keep, "keep", false, "keep the working folder")
	fl.StringVar(&o.shared, "shared", "", "shared folder (default: $NEWSDS_SHARED or ../shared)")
	fl.StringVar(&o.newsds, "newsds", "", "newsds binary to measure (default: go build ./cmd/newsds)")
	fl.StringVar(&o.jsonOut, "json", "", "also write the report as JSON to this file")
	fl.IntVar(&o.workers, "workers", 0, "--workers for ingest and annotate (0: newsds's default, one per core)")
	fl.StringVar(&o.targets, "targets", filepath.Join("examples", "targets.yaml"), "stance targets file")
	fl.IntVar(&o.changed, "changed", 0, "documents the \"ingest 1% changed\" step edits (default 0: 1% of each size); a fixed number tells growth with the corpus from growth with the command's own size")
	fl.IntVar(&o.rounds, "rounds", 1, "measure every size this many times, the sizes alternating within a round, and report each step's medians (a small corpus's steps last seconds, and one run of them swings with the machine's load)")
	steps := fl.String("steps", "", "comma-separated names of the steps to report (default: all); the steps before the last one named still run, the ones after it do not")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if o.rounds < 1 {
		return fmt.Errorf("-rounds %d: want at least 1", o.rounds)
	}
	if o.changed < 0 {
		return fmt.Errorf("-changed %d: want a number of documents, or 0 for 1%%", o.changed)
	}
	if *steps != "" {
		o.steps = map[string]bool{}
		for _, name := range strings.Split(*steps, ",") {
			name = strings.TrimSpace(name)
			if !knownStep(name) {
				return fmt.Errorf("-steps: unknown step %q (want some of: %s)", name, strings.Join(stepNames, ", "))
			}
			o.steps[name] = true
		}
	}
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 100 {
			return fmt.Errorf("-sizes %q: want comma-separated sizes of at least 100", *sizes)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.shared == "" {
		var err error
		if o.shared, err = synth.FindShared(); err != nil {
			return err
		}
	}
	targets, err := filepath.Abs(o.targets)
	if err != nil {
		return err
	}
	if _, err := os.Stat(targets); err != nil {
		return fmt.Errorf("stance targets: %w (run from the repository root or pass -targets)", err)
	}
	o.targets = targets
	if o.work == "" {
		if o.work, err = os.MkdirTemp("", "newsds-scale-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(o.work)
		}
	}
	if o.newsds == "" {
		o.newsds = filepath.Join(o.work, "newsds")
		build := exec.Command("go", "build", "-o", o.newsds, "./cmd/newsds")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build newsds (run from the repository root): %w", err)
		}
	}
	pool, err := synth.LoadPool(o.shared)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	rep := Report{Date: time.Now().UTC().Format(time.RFC3339), Host: host, CPUs: runtime.NumCPU(), Go: runtime.Version(),
		Workers: o.workers, Changed: o.changed, Rounds: o.rounds}
	rep.Load = append(rep.Load, loadavg())
	for r := range o.rounds {
		var round []Size
		for _, n := range o.sizes {
			fmt.Fprintf(os.Stderr, "scale: round %d of %d: %d documents\n", r+1, o.rounds, n)
			sz, err := measure(o, pool, n)
			if err != nil {
				return fmt.Errorf("%d documents: %w", n, err)
			}
			round = append(round, sz)
		}
		rep.PerRound = append(rep.PerRound, round)
	}
	rep.Load = append(rep.Load, loadavg())
	rep.Sizes = medians(rep.PerRound)
	if o.rounds == 1 {
		rep.PerRound = nil
	}
	writeTable(out, rep)
	if o.jsonOut != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// changedEvery picks the 1% of documents the "changed" ingest edits by default.
const changedEvery = 100

func measure(o options, pool *synth.Pool, n int) (Size, error) {
	dir := filepath.Join(o.work, strconv.Itoa(n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Size{}, err
	}
	input := filepath.Join(dir, "input.jsonl")
	changed := filepath.Join(dir, "changed.jsonl")
	every := changedEvery
	if o.changed > 0 {
		every = max(n/o.changed, 1)
	}
	isChanged := func(i int) bool { return i%every == every/2 }
	if err := pool.WriteJSONLFile(input, 0, n, nil); err != nil {
		return Size{}, err
	}
	nChanged := 0
	err := writeFile(changed, func(w io.Writer) error {
		for i := range n {
			if isChanged(i) {
				nChanged++
				if err := pool.WriteJSONL(w, i, i+1, isChanged); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return Size{}, err
	}
	root := filepath.Join(dir, "corpus")
	release := filepath.Join(dir, "release")
	// A release after the first also reads the previous one, for its changelog.
	releaseAgain := filepath.Join(dir, "release-1.0.1")
	exported := filepath.Join(dir, "export.jsonl")
	os.RemoveAll(root)
	os.RemoveAll(release)
	os.RemoveAll(releaseAgain)
	if _, err := newsds(o, "", nil, "init", root); err != nil {
		return Size{}, err
	}
	var workers []string
	if o.workers > 0 {
		workers = []string{"--workers", strconv.Itoa(o.workers)}
	}
	steps := []struct {
		name string
		docs int
		out  string
		args []string
	}{ // in the order of stepNames
		{"ingest", n, "", append([]string{"ingest", input}, workers...)},
		{"re-ingest unchanged", n, "", append([]string{"ingest", input}, workers...)},
		{"commit v1", n, "", []string{"commit", "-m", "bench v1"}},
		{"ingest 1% changed", nChanged, "", append([]string{"ingest", changed}, workers...)},
		{"annotate qa", n, "", append([]string{"annotate", "--with", "qa"}, workers...)},
		{"annotate sentiment", n, "", append([]string{"annotate", "--with", "sentiment"}, workers...)},
		{"annotate stance", n, "", append([]string{"annotate", "--with", "stance", "--targets", o.targets}, workers...)},
		{"commit v2", n, "", []string{"commit", "-m", "bench v2"}},
		{"diff v1 v2", n, "", []string{"diff", "v1", "v2"}},
		{"export", n, exported, []string{"export", "--version", "v2"}},
		{"release", n, "", []string{"release", "--version", "1.0.0", "--out", release}},
		{"validate corpus", n, "", []string{"validate"}},
		{"validate release", n, "", []string{"validate", release}},
		{"release again", n, "", []string{"release", "--version", "1.0.1", "--out", releaseAgain}},
	}
	sz := Size{Docs: n}
	remaining := len(o.steps)
	for i, s := range steps {
		if s.name != stepNames[i] {
			return sz, fmt.Errorf("step %d is %q, stepNames has %q", i, s.name, stepNames[i])
		}
		if o.steps != nil && remaining == 0 {
			break
		}
		fmt.Fprintf(os.Stderr, "scale: %d: %s\n", n, s.name)
		st, err := newsds(o, root, outFile(s.out), s.args...)
		if err != nil {
			return sz, fmt.Errorf("%s: %w", s.name, err)
		}
		if o.steps != nil && !o.steps[s.name] {
			continue
		}
		remaining--
		st.Name, st.Docs = s.name, s.docs
		fmt.Fprintf(os.Stderr, "scale: %d: %s: %.1fs wall, %.1fs CPU, %.0f MiB: %s\n", n, s.name, st.Wall, st.CPU, st.RSSMiB, st.Output)
		sz.Steps = append(sz.Steps, st)
	}
	return sz, nil
}

// stepNames are the steps measure runs, in order.
var stepNames = []string{
	"ingest", "re-ingest unchanged", "commit v1", "ingest 1% changed", "annotate qa", "annotate sentiment",
	"annotate stance", "commit v2", "diff v1 v2", "export", "release", "validate corpus", "validate release",
	"release again",
}

func knownStep(name string) bool { return slices.Contains(stepNames, name) }

// outFile is where a step's stdout goes: a file for export, else captured.
func outFile(path string) func() (io.WriteCloser, error) {
	if path == "" {
		return nil
	}
	return func() (io.WriteCloser, error) { return os.Create(path) }
}

// exitFindings is validate's exit code for findings: a measured validate may find
// something in a synthetic corpus (a short Arabic text's language, say) without the
// step having failed.
const exitFindings = 1

// newsds runs one command and measures it; stdout is kept to its first line unless
// out redirects it.
func newsds(o options, root string, out func() (io.WriteCloser, error), args ...string) (_ Step, err error) {
	if root != "" {
		args = append([]string{"-C", root}, args...)
	}
	cmd := exec.Command(o.newsds, args...)
	var buf strings.Builder
	cmd.Stdout = &limited{w: &buf, n: 64 << 10}
	if out != nil {
		f, oerr := out()
		if oerr != nil {
			return Step{}, oerr
		}
		defer func() {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("%s: close output: %w", args[0], cerr)
			}
		}()
		cmd.Stdout = f
	}
	var stderr strings.Builder
	cmd.Stderr = &limited{w: &stderr, n: 64 << 10}
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && isValidate(args) && exit.ExitCode() == exitFindings) {
		return Step{}, fmt.Errorf("newsds %s: %w\n%s%s", strings.Join(args, " "), err, buf.String(), stderr.String())
	}
	ps := cmd.ProcessState
	st := Step{
		Wall:   wall.Seconds(),
		User:   ps.UserTime().Seconds(),
		Sys:    ps.SystemTime().Seconds(),
		RSSMiB: peakRSSMiB(ps),
	}
	st.CPU = st.User + st.Sys
	first, _, _ := strings.Cut(strings.TrimSpace(buf.String()), "\n")
	if first == "" {
		first, _, _ = strings.Cut(strings.TrimSpace(stderr.String()), "\n")
	}
	st.Output = first
	return st, nil
}

func isValidate(args []string) bool {
	for _, a := range args {
		if a == "validate" {
			return true
		}
	}
	return false
}

// limited keeps the first n bytes written and discards the rest, so a chatty command
// cannot fill memory.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		_, _ = l.w.Write(p[:k]) // a strings.Builder: never fails
		l.n -= k
	}
	return len(p), nil
}

func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// medians gives, per size and step, the median of each figure over the rounds (each
// figure on its own: the median wall time and the median CPU time may come from
// different rounds). A step's output is the first round's.
func medians(rounds [][]Size) []Size {
	out := make([]Size, len(rounds[0]))
	for i, first := range rounds[0] {
		out[i] = Size{Docs: first.Docs}
		for j, st := range first.Steps {
			of := func(f func(Step) float64) float64 {
				var v []float64
				for _, round := range rounds {
					v = append(v, f(round[i].Steps[j]))
				}
				return median(v)
			}
			st.Wall = of(func(s Step) float64 { return s.Wall })
			st.CPU = of(func(s Step) float64 { return s.CPU })
			st.User = of(func(s Step) float64 { return s.User })
			st.Sys = of(func(s Step) float64 { return s.Sys })
			st.RSSMiB = of(func(s Step) float64 { return s.RSSMiB })
			out[i].Steps = append(out[i].Steps, st)
		}
	}
	return out
}

func median(v []float64) float64 {
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// cpuRatio is the per-document CPU of step i at the largest size over the smallest's.
func cpuRatio(sizes []Size, i int) float64 {
	small, large := sizes[0].Steps[i], sizes[len(sizes)-1].Steps[i]
	return (large.CPU / float64(large.Docs)) / (small.CPU / float64(small.Docs))
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// writeTable prints one Markdown table per size and, with two sizes or more, the
// largest size's per-document cost and peak RSS as multiples of the smallest's.
func writeTable(w io.Writer, rep Report) {
	changed := "1%"
	if rep.Changed > 0 {
		changed = strconv.Itoa(rep.Changed)
	}
	rounds := ""
	if rep.Rounds > 1 {
		rounds = fmt.Sprintf(", medians of %d rounds", rep.Rounds)
	}
	fmt.Fprintf(w, "Scale benchmark, %s, %s, %d CPUs, load %s, %s, ingest/annotate workers %s, changed documents %s%s\n\n",
		rep.Date, rep.Host, rep.CPUs, strings.Join(rep.Load, " → "), rep.Go, workersText(rep.Workers), changed, rounds)
	for _, sz := range rep.Sizes {
		fmt.Fprintf(w, "%d documents\n\n", sz.Docs)
		fmt.Fprintln(w, "| step | docs | wall s | CPU s | docs/s | docs/CPU-s | ms CPU/doc | peak RSS MiB |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
		for _, s := range sz.Steps {
			fmt.Fprintf(w, "| %s | %d | %.2f | %.2f | %s | %s | %.3f | %.0f |\n",
				s.Name, s.Docs, s.Wall, s.CPU, rate(s.Docs, s.Wall), rate(s.Docs, s.CPU), 1000*s.CPU/float64(s.Docs), s.RSSMiB)
		}
		fmt.Fprintln(w)
	}
	if len(rep.Sizes) < 2 {
		return
	}
	small, large := rep.Sizes[0], rep.Sizes[len(rep.Sizes)-1]
	fmt.Fprintf(w, "%d vs %d documents: per-document cost and peak RSS ratios (1.0 = flat)\n\n", large.Docs, small.Docs)
	perRound := len(rep.PerRound) > 1
	if perRound {
		fmt.Fprintln(w, "| step | wall/doc | CPU/doc | CPU/doc, each round | peak RSS |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	} else {
		fmt.Fprintln(w, "| step | wall/doc | CPU/doc | peak RSS |")
		fmt.Fprintln(w, "|---|---:|---:|---:|")
	}
	for i, s := range large.Steps {
		if i >= len(small.Steps) {
			break
		}
		b := small.Steps[i]
		wall := (s.Wall / float64(s.Docs)) / (b.Wall / float64(b.Docs))
		if !perRound {
			fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2f |\n", s.Name, wall, cpuRatio(rep.Sizes, i), s.RSSMiB/b.RSSMiB)
			continue
		}
		var each []string
		for _, round := range rep.PerRound {
			each = append(each, strconv.FormatFloat(cpuRatio(round, i), 'f', 2, 64))
		}
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %s | %.2f |\n", s.Name, wall, cpuRatio(rep.Sizes, i), strings.Join(each, " "), s.RSSMiB/b.RSSMiB)
	}
	fmt.Fprintln(w)
}

func workersText(n int) string {
	if n == 0 {
		return "default"
	}
	return strconv.Itoa(n)
}

func rate(n int, sec float64) string {
	if sec <= 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(n)/sec, 'f', 0, 64)
}
