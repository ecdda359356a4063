package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// An http annotator declared in newsds.yaml runs from `newsds annotate --with NAME`
// against a loopback model server; a rerun costs no request, and a malformed
// response for one document is a located failure that leaves the others annotated.
func TestExternalHTTPAnnotatorFromConfig(t *testing.T) {
	var requests atomic.Int32
	srv := annotatorServer(t, &requests, func(text string) string {
		if strings.Contains(text, "broken") {
			return `[{"start":5,"end":2,"label":"positive"}]`
		}
		return `[{"start":null,"end":null,"label":"positive","score":0.9}]`
	})

	dir := t.TempDir()
	cfg := fmt.Sprintf("annotators:\n  mymodel:\n    type: http\n    url: %s\n    layer: sentiment\n    version: \"2\"\n    batch_size: 2\n", srv.URL)
	os.WriteFile(filepath.Join(dir, "newsds.yaml"), []byte(cfg), 0o644)
	mustRun(t, "init", dir)
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	os.WriteFile(in, []byte(`{"url":"https://example.com/1","title":"One","text":"Good news for everyone today."}
{"url":"https://example.com/2","title":"Two","text":"Another good story."}
{"url":"https://example.com/3","title":"Three","text":"A broken response comes back for this one."}
`), 0o644)
	mustRun(t, "-C", dir, "ingest", in)

	code, out, errOut := runCLI(t, "-C", dir, "annotate", "--with", "mymodel")
	if code != exitPartial || !strings.Contains(out, "annotated 2, unchanged 0, failed 1") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "span [5,2) ends before it starts") {
		t.Fatalf("failure not located: %s", errOut)
	}
	first := requests.Load()
	code, out, _ = runCLI(t, "-C", dir, "annotate", "--with", "mymodel")
	if !strings.Contains(out, "unchanged 2") {
		t.Fatalf("rerun: exit %d %s", code, out)
	}
	// Only the failed document goes back to the server.
	if got := requests.Load() - first; got != 1 {
		t.Fatalf("rerun made %d requests, want 1 (the failed document only)", got)
	}
}

// A command annotator — a small Python script, path relative to the corpus root —
// reads documents as JSON lines and answers with items; a document it reports an error
// for fails alone.
func TestExternalCommandAnnotatorScript(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not on PATH")
	}
	dir := t.TempDir()
	script := `import json, sys
for line in sys.stdin:
    doc = json.loads(line)
    text = doc["text"]
    if "fail" in text:
        print(json.dumps({"id": doc["id"], "error": "cannot read this one"}))
        continue
    i = text.find("Qatar")
    items = [{"start": len(text[:i]), "end": len(text[:i]) + 5, "label": "place"}] if i >= 0 else []
    print(json.dumps({"id": doc["id"], "items": items}))
`
	os.WriteFile(filepath.Join(dir, "places.py"), []byte(script), 0o644)
	cfg := "annotators:\n  places:\n    type: command\n    command: [python3, places.py]\n    layer: places\nlayers:\n  places:\n    labels: [place]\n"
	os.WriteFile(filepath.Join(dir, "newsds.yaml"), []byte(cfg), 0o644)
	mustRun(t, "init", dir)
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	os.WriteFile(in, []byte(`{"url":"https://example.com/1","title":"One","text":"مرحبا — talks in Qatar ended 👍 today."}
{"url":"https://example.com/2","title":"Two","text":"This one will fail."}
`), 0o644)
	mustRun(t, "-C", dir, "ingest", in)
	sub := filepath.Join(dir, "elsewhere")
	os.MkdirAll(sub, 0o755)
	code, out, errOut := runCLI(t, "-C", sub, "annotate", "--with", "places")
	if code != exitPartial || !strings.Contains(out, "annotated 1, unchanged 0, failed 1") || !strings.Contains(errOut, "cannot read this one") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	export := mustRun(t, "-C", dir, "export")
	if !strings.Contains(export, `"text":"Qatar"`) {
		t.Fatalf("span text not the document's: %s", export)
	}
}

// Pointing an http annotator at another server (same name, version and params) and
// re-running with --force asks the new server: the cache is keyed on the endpoint too,
// so the old server's answers are not served as the new one's.
func TestExternalCacheFollowsURLChange(t *testing.T) {
	var oldN, newN atomic.Int32
	oldSrv, newSrv := labelServer(t, func() string { return "up" }, &oldN), labelServer(t, func() string { return "down" }, &newN)
	dir := t.TempDir()
	config := func(url string) {
		cfg := fmt.Sprintf("annotators:\n  tone-model:\n    type: http\n    url: %s\n    layer: tone\n    version: \"1\"\n    params: {model: m}\nlayers:\n  tone:\n    labels: [up, down]\n", url)
		if err := os.WriteFile(filepath.Join(dir, "newsds.yaml"), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	config(oldSrv.URL + "/v1?key=a")
	mustRun(t, "init", dir)
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	os.WriteFile(in, []byte(`{"url":"https://example.com/1","title":"One","text":"Markets rose today."}
{"url":"https://example.com/2","title":"Two","text":"Markets fell today."}
`), 0o644)
	mustRun(t, "-C", dir, "ingest", in)
	mustRun(t, "-C", dir, "annotate", "--with", "tone-model")
	if oldN.Load() == 0 {
		t.Fatal("the first server was never asked")
	}
	config(newSrv.URL + "/v1?key=a")
	code, out, errOut := runCLI(t, "-C", dir, "annotate", "--with", "tone-model", "--force")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if newN.Load() == 0 {
		t.Errorf("after changing url: the new server got no request; the old server's answers were served from the cache")
	}
	export := mustRun(t, "-C", dir, "export")
	if strings.Contains(export, `"label":"up"`) || !strings.Contains(export, `"label":"down"`) {
		t.Errorf("export after changing url keeps the old server's labels:\n%s", export)
	}
}

// annotatorServer is an http annotator that answers each document with the items
// items(text) returns (a JSON array), counting the requests it answers.
func annotatorServer(t *testing.T, requests *atomic.Int32, items func(text string) string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		var req struct {
			Documents []struct {
				ID   string `json:"id"`
				Text string `json:"text"`
			} `json:"documents"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var results []string
		for _, d := range req.Documents {
			results = append(results, fmt.Sprintf(`{"id":%q,"items":%s}`, d.ID, items(d.Text)))
		}
		fmt.Fprintf(w, `{"results":[%s]}`, strings.Join(results, ","))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// labelServer is an annotatorServer that gives every document one item labelled label().
func labelServer(t *testing.T, label func() string, requests *atomic.Int32) *httptest.Server {
	t.Helper()
	return annotatorServer(t, requests, func(string) string { return fmt.Sprintf(`[{"label":%q}]`, label()) })
}

// A model served behind the same url, version and parameters can change (new weights,
// a fixed bug). `annotate --force` re-ran the annotator, but its cache answered every
// document as before, so nothing reached the model; now it calls again and replaces
// what was cached.
func TestForceCallsExternalAgain(t *testing.T) {
	var requests atomic.Int32
	var label atomic.Value
	label.Store("up")
	srv := labelServer(t, func() string { return label.Load().(string) }, &requests)
	dir := t.TempDir()
	cfg := fmt.Sprintf("annotators:\n  tone-model:\n    type: http\n    url: %s\n    layer: tone\n    version: \"1\"\nlayers:\n  tone:\n    labels: [up, down]\n", srv.URL)
	if err := os.WriteFile(filepath.Join(dir, "newsds.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "init", dir)
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(in, []byte(`{"url":"https://example.com/1","title":"One","text":"Markets rose today."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "-C", dir, "ingest", in)
	mustRun(t, "-C", dir, "annotate", "--with", "tone-model")
	first := requests.Load()
	if first == 0 {
		t.Fatal("the server was never asked")
	}
	label.Store("down")
	mustRun(t, "-C", dir, "annotate", "--with", "tone-model", "--force")
	if requests.Load() == first {
		t.Fatal("annotate --force asked the server nothing: the cache answered")
	}
	if export := mustRun(t, "-C", dir, "export"); !strings.Contains(export, `"label":"down"`) {
		t.Errorf("export after --force keeps the cached label:\n%s", export)
	}
	// Without --force the refreshed cache answers: no new request.
	label.Store("up")
	after := requests.Load()
	mustRun(t, "-C", dir, "annotate", "--with", "tone-model")
	if requests.Load() != after {
		t.Errorf("a plain re-run after --force asked the server again")
	}
}
