package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsds/newsds/datasets"
)

// TestLabelStudioServer runs the labelling round trip against a real Label Studio: the
// server .ci/labelstudio installs (pinned) into a cached virtual environment and names
// in NEWSDS_LABEL_STUDIO. For each built-in layer it creates a project from the config
// newsds writes, imports the tasks (machine work as predictions), has Label Studio's
// SDK validate every prediction against the config, adds a human annotation through
// the HTTP API that changes labels, targets, speakers and span boundaries (on Arabic,
// emoji and combining marks), exports JSON, JSON_MIN and per-annotation files from a
// local target storage, and checks that import-annotations brings back exactly those
// changes from each, that stats reports kappa between model and human, and that
// validate passes.
func TestLabelStudioServer(t *testing.T) {
	venv := os.Getenv("NEWSDS_LABEL_STUDIO")
	if venv == "" {
		t.Skip("NEWSDS_LABEL_STUDIO is not set: .ci/labelstudio installs Label Studio into a cached venv and runs this test")
	}
	for _, bin := range []string{"label-studio", "python"} {
		if _, err := os.Stat(filepath.Join(venv, "bin", bin)); err != nil {
			t.Fatalf("NEWSDS_LABEL_STUDIO=%s has no bin/%s: %v", venv, bin, err)
		}
	}
	root, _ := demoCorpus(t)
	mixed, err := filepath.Abs(filepath.Join("testdata", "labelling", "mixed.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	mustRun(t, "-C", root, "ingest", mixed)
	mustRun(t, "-C", root, "annotate", "--with", "qa,sentiment,stance")

	ls := startLabelStudio(t, venv)
	for _, tc := range []struct {
		layer string
		edit  func(t *testing.T, text string, results []map[string]any) []map[string]any
	}{
		{"qa_turns", editQA},
		{"sentiment", editSentiment},
		{"stance", editStance},
	} {
		t.Run(tc.layer, func(t *testing.T) { lsRoundTrip(t, ls, venv, root, tc.layer, tc.edit) })
	}
	if code, out, errOut := runCLI(t, "-C", root, "validate"); code != 0 {
		t.Fatalf("validate after the imports: exit %d\n%s\n%s", code, out, errOut)
	}
}

type lsServer struct {
	base, token, files string
}

func startLabelStudio(t *testing.T, venv string) *lsServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	data, files := t.TempDir(), t.TempDir()
	s := &lsServer{base: "http://127.0.0.1:" + strconv.Itoa(port), token: "5f3c2a1b0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a", files: files}
	cmd := exec.Command(filepath.Join(venv, "bin", "label-studio"), "start", "--no-browser",
		"--internal-host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--username", "labeller@example.org", "--password", "newsds-test-pass", "--user-token", s.token)
	// No network: no telemetry, update checks or error reporting.
	cmd.Env = append(os.Environ(), "LABEL_STUDIO_BASE_DATA_DIR="+data, "COLLECT_ANALYTICS=false", "collect_analytics=false",
		"LATEST_VERSION_CHECK=false", "SENTRY_DSN=", "FRONTEND_SENTRY_DSN=", "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true",
		"LOCAL_FILES_SERVING_ENABLED=true", "LOCAL_FILES_DOCUMENT_ROOT="+files, "DJANGO_DB=sqlite", "HOST=", "PYTHONUNBUFFERED=1")
	var logBuf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logBuf, &logBuf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	})
	// The first start migrates a new database, which takes minutes on a small machine.
	deadline := time.Now().Add(10 * time.Minute)
	for {
		select {
		case err := <-done:
			t.Fatalf("label-studio exited before it served: %v\n%s", err, lastBytes(logBuf.String(), 3000))
		default:
		}
		resp, err := http.Get(s.base + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("label-studio did not answer /health in 10 minutes:\n%s", lastBytes(logBuf.String(), 3000))
		}
		time.Sleep(2 * time.Second)
	}
	// /health answers before the user and token exist.
	for i := 0; ; i++ {
		code, _, err := s.call("GET", "/api/projects", nil, nil)
		if err == nil && code == 200 {
			return s
		}
		if i > 60 {
			t.Fatalf("Label Studio API not ready: %d %v\n%s", code, err, lastBytes(logBuf.String(), 3000))
		}
		time.Sleep(2 * time.Second)
	}
}

func lastBytes(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// call sends body as JSON and decodes the answer into out; it returns the status.
func (s *lsServer) call(method, path string, body, out any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Token "+s.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, b, fmt.Errorf("%s %s: %w: %.300s", method, path, err, b)
		}
	}
	return resp.StatusCode, b, nil
}

func (s *lsServer) must(t *testing.T, method, path string, body, out any) []byte {
	t.Helper()
	code, b, err := s.call(method, path, body, out)
	if err != nil || code >= 300 {
		t.Fatalf("%s %s: %d %v\n%.2000s", method, path, code, err, b)
	}
	return b
}

type lsTestTask struct {
	ID          int               `json:"id"`
	Data        map[string]string `json:"data"`
	Predictions []struct {
		ModelVersion string           `json:"model_version"`
		Result       []map[string]any `json:"result"`
	} `json:"predictions"`
}

func lsRoundTrip(t *testing.T, ls *lsServer, venv, root, layer string, edit func(*testing.T, string, []map[string]any) []map[string]any) {
	dir := t.TempDir()
	mustRun(t, "-C", root, "export-annotations", "--format", "labelstudio", "--layer", layer, "--out", dir)
	config, err := os.ReadFile(filepath.Join(dir, "config.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(config), "direction: rtl") {
		t.Errorf("config of an Arabic corpus is not right to left:\n%s", config)
	}
	tasksFile := filepath.Join(dir, "tasks.json")
	// Label Studio's own SDK checks every prediction against the config.
	check := `import json, sys
from label_studio_sdk.label_interface import LabelInterface
li = LabelInterface(open(sys.argv[1], encoding="utf-8").read())
n = bad = 0
for t in json.load(open(sys.argv[2], encoding="utf-8")):
    for p in t["predictions"]:
        n += 1
        errs = li.validate_prediction(p, return_errors=True)
        if errs:
            bad += 1
            print(t["data"]["doc_id"], errs)
print("checked", n, "bad", bad)
`
	out, err := exec.Command(filepath.Join(venv, "bin", "python"), "-c", check, filepath.Join(dir, "config.xml"), tasksFile).CombinedOutput()
	if err != nil || !strings.Contains(string(out), " bad 0") || strings.Contains(string(out), "checked 0 ") {
		t.Fatalf("Label Studio SDK on our predictions: %v\n%s", err, out)
	}

	var project struct {
		ID int `json:"id"`
	}
	ls.must(t, "POST", "/api/projects", map[string]any{"title": "newsds " + layer, "label_config": string(config)}, &project)
	tasksJSON, err := os.ReadFile(tasksFile)
	if err != nil {
		t.Fatal(err)
	}
	var exported []json.RawMessage
	if err := json.Unmarshal(tasksJSON, &exported); err != nil {
		t.Fatal(err)
	}
	var imported struct {
		TaskCount       int `json:"task_count"`
		PredictionCount int `json:"prediction_count"`
	}
	ls.must(t, "POST", fmt.Sprintf("/api/projects/%d/import", project.ID), json.RawMessage(tasksJSON), &imported)
	if imported.TaskCount != len(exported) || imported.PredictionCount == 0 {
		t.Fatalf("Label Studio imported %+v of %d tasks", imported, len(exported))
	}
	var tasks []lsTestTask
	ls.must(t, "GET", fmt.Sprintf("/api/tasks?project=%d&page_size=1000&fields=all", project.ID), nil, &struct {
		Tasks *[]lsTestTask `json:"tasks"`
	}{&tasks})

	// One human annotation per task with predictions, edited from the prediction.
	want := map[string][]string{}
	edited := 0
	for _, task := range tasks {
		if len(task.Predictions) == 0 {
			continue
		}
		text := task.Data["text"]
		results := edit(t, text, clone(t, task.Predictions[0].Result))
		if results == nil {
			continue
		}
		edited++
		ls.must(t, "POST", fmt.Sprintf("/api/tasks/%d/annotations", task.ID), map[string]any{"result": results, "lead_time": 42.5, "task": task.ID, "project": project.ID}, nil)
		want[task.Data["doc_id"]] = summarize(t, layer, text, results)
	}
	if edited == 0 {
		t.Fatal("no task had predictions to edit")
	}

	exports := map[string]string{}
	for _, kind := range []string{"JSON", "JSON_MIN"} {
		b := ls.must(t, "GET", fmt.Sprintf("/api/projects/%d/export?exportType=%s", project.ID, kind), nil, nil)
		path := filepath.Join(dir, strings.ToLower(kind)+".json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		exports[kind] = path
	}
	if kind := "JSON"; !bytes.Contains(mustRead(t, exports[kind]), []byte(`"predictions":[`)) {
		t.Errorf("%s export has no predictions list", kind)
	}
	// Per-annotation files, as a local target storage writes them.
	storeDir := filepath.Join(ls.files, layer)
	if err := os.MkdirAll(storeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var storage struct {
		ID int `json:"id"`
	}
	ls.must(t, "POST", "/api/storages/export/localfiles", map[string]any{"project": project.ID, "path": storeDir, "title": "newsds files", "use_blob_urls": false}, &storage)
	ls.must(t, "POST", fmt.Sprintf("/api/storages/export/localfiles/%d/sync", storage.ID), map[string]any{}, nil)
	for i := 0; ; i++ {
		ents, _ := os.ReadDir(storeDir)
		if len(ents) >= edited {
			break
		}
		if i > 60 {
			t.Fatalf("target storage wrote %d files, want %d", len(ents), edited)
		}
		time.Sleep(time.Second)
	}
	exports["files"] = storeDir

	for _, kind := range []string{"JSON", "JSON_MIN", "files"} {
		out := mustRun(t, "-C", root, "import-annotations", "--format", "labelstudio", "--layer", layer, exports[kind])
		if !strings.Contains(out, " 0 rejected") {
			t.Fatalf("%s import: %s", kind, out)
		}
		got := humanItems(t, root, layer)
		for id, w := range want {
			if !slices.Equal(got[id], w) {
				t.Errorf("%s: doc %s came back as\n  %s\nwant\n  %s", kind, id, strings.Join(got[id], "\n  "), strings.Join(w, "\n  "))
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: human annotations on %d documents, want %d", kind, len(got), len(want))
		}
	}
	var st datasets.StatsReport
	if err := json.Unmarshal([]byte(mustRun(t, "-C", root, "stats", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	for _, l := range st.Layers {
		if l.Layer != layer {
			continue
		}
		if l.Kappa == nil || l.Units == 0 || !slices.Contains(l.Annotators, "labelstudio:1") {
			t.Fatalf("%s agreement: kappa %v over %d units, annotators %v", layer, l.Kappa, l.Units, l.Annotators)
		}
		t.Logf("%s: kappa model vs human %.3f over %d units", layer, *l.Kappa, l.Units)
		return
	}
	t.Fatalf("stats has no layer %s", layer)
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func clone(t *testing.T, v []map[string]any) []map[string]any {
	b, _ := json.Marshal(v)
	var out []map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// summarize renders the regions and choices of results as the items they must import
// as: "[start,end) label key=value" with the attributes a person set.
func summarize(t *testing.T, layer, text string, results []map[string]any) []string {
	t.Helper()
	type region struct {
		start, end int
		label      string
		attrs      []string
	}
	regions := map[string]*region{}
	var order []string
	var out []string
	for _, r := range results {
		v := r["value"].(map[string]any)
		id := r["id"].(string)
		switch r["type"] {
		case "labels":
			regions[id] = &region{start: int(v["start"].(float64)), end: int(v["end"].(float64)), label: v["labels"].([]any)[0].(string)}
			if got := cpSlice(text, regions[id].start, regions[id].end); got != v["text"] {
				t.Fatalf("test edit: region text %q is not text[%d:%d] = %q", v["text"], regions[id].start, regions[id].end, got)
			}
			order = append(order, id)
		case "choices":
			if _, ok := v["start"]; !ok {
				out = append(out, "doc "+v["choices"].([]any)[0].(string))
			}
		}
	}
	for _, r := range results {
		v := r["value"].(map[string]any)
		reg := regions[r["id"].(string)]
		switch {
		case reg == nil:
		case r["type"] == "textarea":
			reg.attrs = append(reg.attrs, r["from_name"].(string)+"="+v["text"].([]any)[0].(string))
		case r["type"] == "choices":
			reg.attrs = append(reg.attrs, r["from_name"].(string)+"="+v["choices"].([]any)[0].(string))
		}
	}
	for _, id := range order {
		reg := regions[id]
		out = append(out, fmt.Sprintf("[%d,%d) %s %s", reg.start, reg.end, reg.label, strings.Join(reg.attrs, " ")))
	}
	slices.Sort(out)
	return out
}

// humanItems reads back the human annotations of layer, rendered like summarize.
func humanItems(t *testing.T, root, layer string) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(mustRun(t, "-C", root, "export")), "\n") {
		var rec struct {
			ID          string `json:"id"`
			Annotations []struct {
				Layer     string `json:"layer"`
				Annotator struct {
					Name string `json:"name"`
					Kind string `json:"kind"`
				} `json:"annotator"`
				Meta  map[string]string `json:"meta"`
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
			if a.Layer != layer || a.Annotator.Kind != "human" {
				continue
			}
			if a.Annotator.Name != "labelstudio:1" || a.Meta["lead_time"] != "42.5" || a.Meta["labelstudio_task"] == "" {
				t.Errorf("doc %s: annotator %q meta %v, want labelstudio:1 with lead_time 42.5 and the task id", rec.ID, a.Annotator.Name, a.Meta)
			}
			var lines []string
			for _, it := range a.Items {
				if it.Start == nil {
					lines = append(lines, "doc "+it.Label)
					continue
				}
				var attrs []string
				for _, k := range []string{"speaker", "target"} {
					if v := it.Attrs[k]; v != "" {
						attrs = append(attrs, k+"="+v)
					}
				}
				lines = append(lines, fmt.Sprintf("[%d,%d) %s %s", *it.Start, *it.End, it.Label, strings.Join(attrs, " ")))
			}
			slices.Sort(lines)
			got[rec.ID] = lines
		}
	}
	return got
}

func cpSlice(s string, start, end int) string {
	r := []rune(s)
	if start < 0 || end > len(r) || start > end {
		return ""
	}
	return string(r[start:end])
}

func setSpan(text string, v map[string]any, start, end int) {
	v["start"], v["end"] = float64(start), float64(end)
	if _, ok := v["text"].(string); ok {
		v["text"] = cpSlice(text, start, end)
	}
}

// moveRegion moves every result of region id to [start, end).
func moveRegion(text string, results []map[string]any, id string, start, end int) {
	for _, r := range results {
		if r["id"] == id {
			setSpan(text, r["value"].(map[string]any), start, end)
		}
	}
}

func other(labels []string, l string) string {
	for _, x := range labels {
		if x != l {
			return x
		}
	}
	return l
}

// editQA shortens the last turn by its final character, renames the speaker of the
// first named turn and names the speaker of every turn without one. Results stay
// grouped by region, as Label Studio's editor writes them (JSON_MIN pairs per-region
// values with regions by that order).
func editQA(t *testing.T, text string, results []map[string]any) []map[string]any {
	var lastID string
	lastStart, lastEnd := -1, 0
	renamed := false
	byRegion := map[string][]map[string]any{}
	var order []string
	for _, r := range results {
		id := r["id"].(string)
		if byRegion[id] == nil {
			order = append(order, id)
		}
		byRegion[id] = append(byRegion[id], r)
		v := r["value"].(map[string]any)
		switch r["type"] {
		case "labels":
			if s := int(v["start"].(float64)); s > lastStart {
				lastID, lastStart, lastEnd = id, s, int(v["end"].(float64))
			}
		case "textarea":
			if !renamed {
				v["text"] = []any{"السفير " + v["text"].([]any)[0].(string)}
				renamed = true
			}
		}
	}
	if lastID == "" {
		return nil
	}
	var out []map[string]any
	for _, id := range order {
		rs := byRegion[id]
		out = append(out, rs...)
		if len(rs) == 1 && rs[0]["type"] == "labels" {
			v := rs[0]["value"].(map[string]any)
			out = append(out, map[string]any{"id": id, "from_name": "speaker", "to_name": "text", "type": "textarea",
				"value": map[string]any{"start": v["start"], "end": v["end"], "text": []any{"محرر الشرق"}}})
		}
	}
	moveRegion(text, out, lastID, lastStart, lastEnd-1)
	return out
}

// editSentiment flips the document sentiment and the label of the first paragraph,
// and moves the first paragraph's end to just after the first emoji or combining mark
// sequence of the text.
func editSentiment(t *testing.T, text string, results []map[string]any) []map[string]any {
	labels := []string{"negative", "neutral", "positive"}
	first := ""
	for _, r := range results {
		v := r["value"].(map[string]any)
		switch {
		case r["type"] == "choices":
			v["choices"] = []any{other(labels, v["choices"].([]any)[0].(string))}
		case r["type"] == "labels" && first == "" && r["from_name"] == "paragraph_sentiment":
			first = r["id"].(string)
			v["labels"] = []any{other(labels, v["labels"].([]any)[0].(string))}
			start, end := int(v["start"].(float64)), int(v["end"].(float64))
			if cut := afterSpecial(text, start, end); cut > 0 {
				end = cut
			}
			moveRegion(text, results, first, start, end)
		}
	}
	return results
}

// afterSpecial is the code-point offset just past the first emoji, flag or combining
// mark sequence in [start, end), or 0.
func afterSpecial(text string, start, end int) int {
	r := []rune(text)
	for i := start; i < end && i < len(r); i++ {
		c := r[i]
		if c >= 0x1F000 || (c >= 0x0300 && c <= 0x036F) || (c >= 0x064B && c <= 0x065F) {
			j := i + 1
			for j < end && (r[j] >= 0x1F000 || (r[j] >= 0x0300 && r[j] <= 0x036F) || (r[j] >= 0x064B && r[j] <= 0x065F)) {
				j++
			}
			return j
		}
	}
	return 0
}

// editStance flips the first stance's label and moves its start past the first emoji
// or combining mark in it, and changes a target: the last stance gets a target the
// document has no stance toward, or, when every target is taken, the last two swap.
func editStance(t *testing.T, text string, results []map[string]any) []map[string]any {
	labels := []string{"against", "neutral", "favor"}
	targets := []string{"قطر", "منظمة معاهدة الأمن الجماعي", "وسائل الإعلام الأجنبية"}
	var regions []string
	target := map[string]map[string]any{}
	for _, r := range results {
		id := r["id"].(string)
		switch {
		case r["type"] == "labels":
			regions = append(regions, id)
			if len(regions) == 1 {
				v := r["value"].(map[string]any)
				v["labels"] = []any{other(labels, v["labels"].([]any)[0].(string))}
			}
		case r["from_name"] == "target":
			target[id] = r["value"].(map[string]any)
		}
	}
	if len(regions) == 0 {
		return nil
	}
	for _, r := range results {
		if r["id"] == regions[0] && r["type"] == "labels" {
			v := r["value"].(map[string]any)
			start, end := int(v["start"].(float64)), int(v["end"].(float64))
			if cut := afterSpecial(text, start, end); cut > 0 && cut < end {
				moveRegion(text, results, regions[0], cut, end)
			}
			break
		}
	}
	used := map[string]bool{}
	for _, v := range target {
		used[v["choices"].([]any)[0].(string)] = true
	}
	last := target[regions[len(regions)-1]]
	for _, tg := range targets {
		if !used[tg] {
			last["choices"] = []any{tg}
			return results
		}
	}
	if len(regions) >= 2 {
		prev := target[regions[len(regions)-2]]
		prev["choices"], last["choices"] = last["choices"], prev["choices"]
	}
	return results
}
