package annotate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/schema"
)

// extHelperEnv selects the behaviour of the test binary when it runs as an external
// annotator command (the os/exec re-exec pattern): no other language is needed.
const extHelperEnv = "NEWSDS_TEST_EXTERNAL_HELPER"

// extHelperPIDFile names the file where the "orphan" helper writes its grandchild's pid.
const extHelperPIDFile = "NEWSDS_TEST_EXTERNAL_PIDFILE"

// TestExternalHelperProcess is not a test: it is the command the command-annotator tests
// run. It reads JSON lines and answers according to $NEWSDS_TEST_EXTERNAL_HELPER.
func TestExternalHelperProcess(t *testing.T) {
	mode := os.Getenv(extHelperEnv)
	if mode == "" {
		return
	}
	out := bufio.NewWriter(os.Stdout)
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var d extWireDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			fmt.Fprintln(os.Stderr, "bad input:", err)
			os.Exit(2)
		}
		n++
		switch {
		case mode == "garbage":
			fmt.Fprintln(out, "loading model weights...")
			continue
		case mode == "crash" && n == 2:
			out.Flush()
			fmt.Fprintln(os.Stderr, "segmentation fault (simulated)")
			os.Exit(3)
		case mode == "slow":
			time.Sleep(10 * time.Second)
		case mode == "flood":
			// Far more output than the test's cap, then a pause that only a kill shortens.
			line := strings.Repeat("x", 1023) + "\n"
			for range 4096 {
				out.WriteString(line)
			}
			out.Flush()
			time.Sleep(10 * time.Second)
		case mode == "orphan" || mode == "orphan-exit":
			// A grandchild that outlives us unless our whole process group is killed.
			sl := exec.Command("sleep", "30")
			if mode == "orphan" {
				sl.Stdout = os.Stdout
			}
			if err := sl.Start(); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			os.WriteFile(os.Getenv(extHelperPIDFile), []byte(strconv.Itoa(sl.Process.Pid)), 0o644)
			if mode == "orphan" {
				time.Sleep(30 * time.Second)
			}
		case mode == "error" && d.ID == "b":
			fmt.Fprintf(out, `{"id":%q,"error":"cannot parse"}`+"\n", d.ID)
			continue
		}
		// One span over the first word; the params echoed as an attribute.
		first := strings.Fields(d.Text)[0]
		end := len([]rune(first))
		var params map[string]any
		json.Unmarshal(d.Params, &params)
		line, _ := json.Marshal(map[string]any{"id": d.ID, "items": []any{
			map[string]any{"start": 0, "end": end, "label": "FIRST", "attrs": map[string]any{"model": params["model"], "title": d.Title}},
		}})
		fmt.Fprintf(out, "%s\n", line)
	}
	out.Flush()
	os.Exit(0)
}

func newCommandExternal(t *testing.T, mode string, cfg config.ExternalAnnotator, opts ExternalOptions) *External {
	t.Helper()
	t.Setenv(extHelperEnv, mode)
	cfg.Type, cfg.Layer = "command", "first"
	cfg.Command = []string{os.Args[0], "-test.run=^TestExternalHelperProcess$"}
	if cfg.Params == nil {
		cfg.Params = map[string]any{"model": "tiny"}
	}
	e, err := NewExternalWithOptions("firstword", cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestCommandAnnotator(t *testing.T) {
	cache := NewMemCache()
	e := newCommandExternal(t, "ok", config.ExternalAnnotator{BatchSize: 2}, ExternalOptions{Cache: cache})
	docs := extDocs()
	res := e.AnnotateBatch(context.Background(), docs)
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("doc %s: %v", docs[i].ID, r.Err)
		}
		want := strings.Fields(docs[i].Text)[0]
		if len(r.Items) != 1 || r.Items[0].Text != want || r.Items[0].Attrs["model"] != "tiny" || r.Items[0].Attrs["title"] != docs[i].Title {
			t.Errorf("doc %s: items %+v, want %q", docs[i].ID, r.Items, want)
		}
	}
	if len(cache.Keys()) != len(docs) {
		t.Errorf("%d cache entries, want %d", len(cache.Keys()), len(docs))
	}
	// The rerun is served from the cache: a command that would now fail is never run.
	t.Setenv(extHelperEnv, "garbage")
	again := e.AnnotateBatch(context.Background(), docs)
	for i := range again {
		if again[i].Err != nil || again[i].Items[0].Text != res[i].Items[0].Text {
			t.Errorf("doc %s: rerun %+v", docs[i].ID, again[i])
		}
	}
}

func TestCommandAnnotatorPerDocumentError(t *testing.T) {
	e := newCommandExternal(t, "error", config.ExternalAnnotator{}, ExternalOptions{})
	docs := extDocs()[:3]
	res := e.AnnotateBatch(context.Background(), docs)
	if res[1].Err == nil || res[1].Err.Error() != "annotator firstword: doc b: annotator reported: cannot parse" {
		t.Errorf("doc b: %v", res[1].Err)
	}
	if res[0].Err != nil || res[2].Err != nil || len(res[0].Items) != 1 || len(res[2].Items) != 1 {
		t.Errorf("others: %+v %+v", res[0], res[2])
	}
}

func TestCommandAnnotatorGarbage(t *testing.T) {
	var sl extSleeps
	e := newCommandExternal(t, "garbage", config.ExternalAnnotator{}, ExternalOptions{Sleep: sl.sleep})
	for _, r := range e.AnnotateBatch(context.Background(), extDocs()[:2]) {
		if r.Err == nil || !strings.Contains(r.Err.Error(), `output line 1 is not a result: not a JSON object`) ||
			!strings.Contains(r.Err.Error(), `"loading model weights..."`) {
			t.Errorf("err = %v", r.Err)
		}
	}
	if len(sl.all()) != 0 {
		t.Errorf("garbage output was retried")
	}
}

func TestCommandAnnotatorCrash(t *testing.T) {
	var sl extSleeps
	e := newCommandExternal(t, "crash", config.ExternalAnnotator{Retries: 1}, ExternalOptions{Sleep: sl.sleep})
	docs := extDocs()[:3]
	res := e.AnnotateBatch(context.Background(), docs)
	// The first line is kept; the retry starts over with b and c, crashing on c.
	if res[0].Err != nil || len(res[0].Items) != 1 {
		t.Errorf("doc a, answered before the crash: %+v", res[0])
	}
	if res[1].Err != nil || len(res[1].Items) != 1 {
		t.Errorf("doc b, answered by the retry: %+v", res[1])
	}
	want := []string{"annotator firstword: doc c: command ", "exit status 3", "stderr: segmentation fault (simulated)", "after 2 attempts"}
	for _, w := range want {
		if res[2].Err == nil || !strings.Contains(res[2].Err.Error(), w) {
			t.Errorf("doc c: err = %v, want it to contain %q", res[2].Err, w)
		}
	}
	if len(sl.all()) != 1 {
		t.Errorf("sleeps %v, want one retry", sl.all())
	}
}

func TestCommandAnnotatorTimeoutAndMissingProgram(t *testing.T) {
	var sl extSleeps
	e := newCommandExternal(t, "slow", config.ExternalAnnotator{Timeout: config.Duration(100 * time.Millisecond), Retries: -1}, ExternalOptions{Sleep: sl.sleep})
	r := e.AnnotateBatch(context.Background(), extDocs()[:1])[0]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "timed out after 100ms") || len(sl.all()) != 0 {
		t.Errorf("err = %v, sleeps %v (retries off)", r.Err, sl.all())
	}
	cfg := config.ExternalAnnotator{Type: "command", Layer: "x", Command: []string{"/nonexistent/annotator"}, Retries: -1}
	m, err := NewExternal("ghost", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Annotate(context.Background(), &schema.Document{ID: "a", Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "annotator ghost: doc a: command /nonexistent/annotator") {
		t.Errorf("err = %v", err)
	}
}

// A command printing more than the cap is stopped at the cap with an error that says
// so, instead of its output being buffered whole; it is not retried (it would print
// the same again), and the kill at the cap does not wait for the command to end.
func TestCommandAnnotatorOutputCap(t *testing.T) {
	var sl extSleeps
	e := newCommandExternal(t, "flood", config.ExternalAnnotator{Timeout: config.Duration(time.Minute)},
		ExternalOptions{Sleep: sl.sleep, MaxOutput: 64 << 10})
	start := time.Now()
	res := e.AnnotateBatch(context.Background(), extDocs()[:1])
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s: the command was not stopped at the cap", took)
	}
	if r := res[0]; r.Err == nil || !strings.Contains(r.Err.Error(), "output larger than 65536 bytes") {
		t.Errorf("err = %v, want the cap named", r.Err)
	}
	if len(sl.all()) != 0 {
		t.Errorf("output over the cap was retried %d times", len(sl.all()))
	}
}
