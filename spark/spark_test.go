package spark

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/newsds/newsds/internal/testshared"
)

// ciStep is the .ci/run step that runs this test.
const ciStep = "NEWSDS_SPARK=1 go test ./spark/ -run TestSparkCluster -count=1 -timeout 40m -v"

// page is one HTML page of the crawl fixture.
type page struct {
	uri  string
	html []byte
}

// crawlFixture packs shared HTML pages into files .warc.gz files in dir, with exact
// copies of every 7th page under another URL and, for every 11th, a near copy with a
// sentence added, each in another file than its original. It returns the number of
// response records.
func crawlFixture(t testing.TB, dir string, files int) int {
	t.Helper()
	var srcs []string
	for _, pat := range []string{
		filepath.Join(testshared.Path(t, "data", "newspaper4k", "html"), "*.html"),
		filepath.Join(testshared.Path(t, "data", "htmldate", "pages"), "*.html"),
		filepath.Join(testshared.Path(t, "data", "readability", "pages"), "*", "source.html"),
	} {
		m, err := filepath.Glob(pat)
		if err != nil || len(m) == 0 {
			t.Fatalf("shared pages %s: %v", pat, err)
		}
		slices.Sort(m)
		srcs = append(srcs, m...)
	}
	var pages []page
	for i, p := range srcs {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > 200<<10 {
			continue // small inputs: the machine is shared
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		if name == "source" {
			name = filepath.Base(filepath.Dir(p))
		}
		uri := fmt.Sprintf("https://site%d.example/news/%s", i%3, name)
		pages = append(pages, page{uri: uri, html: b})
		if i%7 == 3 {
			pages = append(pages, page{uri: uri + "?copy=1", html: b})
		}
		if i%11 == 5 {
			near := bytes.Replace(b, []byte("</body>"), []byte("<p>This story was updated with a correction.</p></body>"), 1)
			pages = append(pages, page{uri: strings.Replace(uri, "/news/", "/world/", 1), html: near})
		}
	}
	buckets := make([][]page, files)
	for i, p := range pages {
		buckets[(i*5)%files] = append(buckets[(i*5)%files], p)
	}
	date := time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)
	m := gowarc.NewMarshaler()
	for f, ps := range buckets {
		var out bytes.Buffer
		for i, p := range ps {
			var http bytes.Buffer
			http.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
			http.Write(p.html)
			b := gowarc.NewRecordBuilder(gowarc.Response, gowarc.WithAddMissingDigest(true), gowarc.WithAddMissingContentLength(true))
			b.AddWarcHeader(gowarc.WarcRecordID, fmt.Sprintf("<urn:uuid:00000000-0000-4000-8000-%06d%06d>", f, i))
			b.AddWarcHeaderTime(gowarc.WarcDate, date.Add(time.Duration(i)*time.Minute))
			b.AddWarcHeader(gowarc.WarcTargetURI, p.uri)
			b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
			if _, err := b.Write(http.Bytes()); err != nil {
				t.Fatal(err)
			}
			rec, _, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			var one bytes.Buffer
			if _, _, err := m.Marshal(&one, rec, 0); err != nil {
				t.Fatal(err)
			}
			rec.Close()
			zw := gzip.NewWriter(&out)
			zw.Write(one.Bytes())
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("crawl-%02d.warc.gz", f)), out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return len(pages)
}

// lettersFixture writes two JSONL files of letters without URLs printed under one
// title on one day: different articles the job must keep apart as the local writer does
// (see corpus.SameArticle), with a revision of one, an exact re-read of another and a
// copy differing only in case and punctuation in the second file.
func lettersFixture(t testing.TB, dir string) {
	t.Helper()
	parking := "The council's new parking rules are a disaster for the small shops on the high street. " +
		"Customers who used to stop for ten minutes now drive to the retail park instead, and two cafés " +
		"have already cut their opening hours. I urge the council to reconsider before the winter trade begins."
	river := "Thank you to the volunteers who cleaned the river bank below the old mill last weekend. " +
		"They filled forty bags with bottles, tyres and plastic, and the footpath is open again. " +
		"My children walked it on Sunday and counted three herons and a kingfisher."
	bus := "The number 12 bus has been late every morning this month, and twice it did not come at all. " +
		"Pupils from the estate now miss the first lesson, and nobody at the depot answers the phone."
	water := "انقطعت المياه عن حيّنا ثلاثة أيام متتالية دون أي إشعار من الشركة، واضطر السكان إلى شراء " +
		"الصهاريج بأسعار مضاعفة. نطالب المسؤولين بجدول واضح للصيانة وبتعويض الأسر المتضررة."
	park := "نشكر البلدية على افتتاح الحديقة الجديدة قرب المدرسة، فقد صارت متنفساً للأطفال وكبار السن، " +
		"ونرجو أن تبقى أبوابها مفتوحة حتى المساء في أيام الصيف."
	line := func(title, text string) string {
		// Under "body", as another tool writes it: read through newsds.yaml's
		// ingest.fields, which the executors must follow as the local ingest does.
		b, err := json.Marshal(map[string]string{"title": title, "published": "2024-03-05", "body": text})
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	const en, ar = "Letters to the editor", "رسائل القراء"
	files := map[string]string{
		"letters-1.jsonl": line(en, parking) + line(en, river) + line(ar, water) + line(ar, park),
		"letters-2.jsonl": line(en, strings.Replace(parking, "ten minutes", "a quarter of an hour", 1)+" Yours, a shopkeeper.") +
			line(en, river) + line(en, strings.Replace(river, "Sunday", "sunday", 1)) + line(en, bus) + line(ar, park),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// mapBodyToText sets ingest.fields in a corpus's newsds.yaml to read the letters'
// "body" as their text.
func mapBodyToText(t testing.TB, root string) {
	t.Helper()
	path := filepath.Join(root, "newsds.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mapped := strings.Replace(string(b), "\n  fields: {}\n", "\n  fields:\n    text: body\n", 1)
	if mapped == string(b) {
		t.Fatal("newsds.yaml has no empty ingest.fields to set")
	}
	if err := os.WriteFile(path, []byte(mapped), 0o644); err != nil {
		t.Fatal(err)
	}
}

// env is what every process of the test runs with.
type env struct {
	t      testing.TB
	venv   string
	newsds string
	base   []string
}

func (e *env) cmd(dir, name string, args ...string) *exec.Cmd {
	c := exec.Command(name, args...)
	c.Dir = dir
	c.Env = append(os.Environ(), e.base...)
	return c
}

func (e *env) run(dir, name string, args ...string) string {
	e.t.Helper()
	return e.runCodes(dir, []int{0}, name, args...)
}

// runCodes runs a command that may exit with one of codes (ingest exits 3 when it
// rejected records, which the fixture's pages without an article make it do).
func (e *env) runCodes(dir string, codes []int, name string, args ...string) string {
	e.t.Helper()
	c := e.cmd(dir, name, args...)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil && !slices.Contains(codes, c.ProcessState.ExitCode()) {
		e.t.Fatalf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, out.String(), tail(errb.String(), 6000))
	}
	return out.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// cluster is a standalone master and its workers on 127.0.0.1, each in its own
// process group so that killing a worker takes its executor with it, as losing a
// machine does.
type cluster struct {
	master  string
	masterP *exec.Cmd
	workers []*exec.Cmd
}

func (e *env) startCluster(dir string, workers int) *cluster {
	e.t.Helper()
	port, ui := freePort(e.t), freePort(e.t)
	sparkClass := filepath.Join(e.venv, "bin", "spark-class")
	start := func(name string, args ...string) *exec.Cmd {
		c := e.cmd(dir, sparkClass, args...)
		log, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			e.t.Fatal(err)
		}
		c.Stdout, c.Stderr = log, log
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := c.Start(); err != nil {
			e.t.Fatalf("start %s: %v", name, err)
		}
		return c
	}
	cl := &cluster{master: fmt.Sprintf("spark://127.0.0.1:%d", port)}
	cl.masterP = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", fmt.Sprint(port), "--webui-port", fmt.Sprint(ui))
	e.t.Cleanup(func() { stop(cl.masterP) })
	waitFor(e.t, 90*time.Second, "the master", func() bool {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	for i := range workers {
		wdir := filepath.Join(dir, fmt.Sprintf("worker-%d", i))
		os.MkdirAll(wdir, 0o755)
		w := start(fmt.Sprintf("worker-%d", i), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
			"--cores", "1", "--memory", "1g", "--webui-port", fmt.Sprint(freePort(e.t)), "--work-dir", wdir, cl.master)
		cl.workers = append(cl.workers, w)
		e.t.Cleanup(func() { stop(w) })
	}
	waitFor(e.t, 90*time.Second, "the workers to register", func() bool {
		var st struct {
			Workers []struct{ State string } `json:"workers"`
		}
		if !getJSON(fmt.Sprintf("http://127.0.0.1:%d/json/", ui), &st) {
			return false
		}
		alive := 0
		for _, w := range st.Workers {
			if w.State == "ALIVE" {
				alive++
			}
		}
		return alive == workers
	})
	return cl
}

// stop ends a process group the test started, by its id.
func stop(c *exec.Cmd) {
	if c.Process == nil || c.ProcessState != nil {
		return
	}
	syscall.Kill(-c.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

func getJSON(url string, v any) bool {
	cl := http.Client{Timeout: 2 * time.Second}
	resp, err := cl.Get(url)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return err == nil && resp.StatusCode == 200 && json.Unmarshal(b, v) == nil
}

func waitFor(t testing.TB, d time.Duration, what string, ok func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if ok() {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// submit runs the job over in and writes the segment out. With kill, it kills the
// process group of one worker once the extraction stage has finished some of its tasks
// and not all, and fails when the job ended before that could happen.
func (e *env) submit(dir string, cl *cluster, in, out, config, annotate string, kill *exec.Cmd) string {
	e.t.Helper()
	ui := freePort(e.t)
	args := []string{"--master", cl.master,
		"--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
		"--conf", fmt.Sprintf("spark.ui.port=%d", ui), "--conf", "spark.port.maxRetries=64",
		"--conf", "spark.driver.memory=512m", "--conf", "spark.executor.memory=512m",
		"--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
		"--conf", "spark.pyspark.python=" + filepath.Join(e.venv, "bin", "python"),
		// One task per input file, so that the job has tasks to spread and retry.
		"--conf", "spark.sql.files.maxPartitionBytes=1m",
		"--conf", "spark.sql.shuffle.partitions=4",
		"--files", e.newsds + "," + config,
		filepath.Join(moduleDir(e.t), "spark", "newsds_spark.py"),
		"--input", in + "/*", "--root", in, "--out", out, "--newsds", "newsds",
		"--config", filepath.Base(config)}
	if annotate != "" {
		args = append(args, "--annotate", annotate)
	}
	c := e.cmd(dir, filepath.Join(e.venv, "bin", "spark-submit"), args...)
	var stdout, stderr bytes.Buffer
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Start(); err != nil {
		e.t.Fatal(err)
	}
	killed := kill == nil
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	var err error
	for waiting := true; waiting; {
		select {
		case err = <-done:
			waiting = false
		case <-time.After(200 * time.Millisecond):
			if !killed && extractionMidway(ui) {
				syscall.Kill(-kill.Process.Pid, syscall.SIGKILL)
				killed = true
				e.t.Logf("killed worker process group %d mid-job", kill.Process.Pid)
			}
		}
	}
	if err != nil {
		e.t.Fatalf("spark-submit: %v\n%s\n%s", err, stdout.String(), tail(stderr.String(), 8000))
	}
	if !killed {
		e.t.Fatalf("the job finished before a worker could be killed mid-job:\n%s", tail(stderr.String(), 3000))
	}
	return stdout.String()
}

// extractionMidway reports whether the driver's UI shows an active stage with some
// tasks done and some not.
func extractionMidway(ui int) bool {
	var apps []struct{ ID string }
	if !getJSON(fmt.Sprintf("http://127.0.0.1:%d/api/v1/applications", ui), &apps) || len(apps) == 0 {
		return false
	}
	var stages []struct {
		NumTasks         int `json:"numTasks"`
		NumCompleteTasks int `json:"numCompleteTasks"`
	}
	if !getJSON(fmt.Sprintf("http://127.0.0.1:%d/api/v1/applications/%s/stages?status=active", ui, apps[0].ID), &stages) {
		return false
	}
	for _, s := range stages {
		if s.NumTasks > 2 && s.NumCompleteTasks >= 1 && s.NumCompleteTasks < s.NumTasks-1 {
			return true
		}
	}
	return false
}

func moduleDir(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// corpusState is a corpus's staged documents and annotations as JSON lines, sorted,
// without the clock values (ingested_at, created_at) that differ between any two runs.
func (e *env) corpusState(root string) (docs, anns []string) {
	e.t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(e.run(root, e.newsds, "export")), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			e.t.Fatalf("export line %q: %v", line, err)
		}
		delete(rec, "ingested_at")
		if as, ok := rec["annotations"].([]any); ok {
			for _, a := range as {
				if m, ok := a.(map[string]any); ok {
					delete(m, "created_at")
				}
			}
			b, _ := json.Marshal(as)
			anns = append(anns, fmt.Sprint(rec["id"])+" "+string(b))
			delete(rec, "annotations")
		}
		b, _ := json.Marshal(rec)
		docs = append(docs, string(b))
	}
	slices.Sort(docs)
	slices.Sort(anns)
	return docs, anns
}

func (e *env) newCorpus(dir string) string {
	e.t.Helper()
	root := filepath.Join(dir)
	if err := os.MkdirAll(root, 0o755); err != nil {
		e.t.Fatal(err)
	}
	e.run(root, e.newsds, "init")
	return root
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d, local %d", what, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("%s: first difference at %d:\n spark %s\n local %s", what, i, tail(got[i], 1500), tail(want[i], 1500))
			return
		}
	}
}

// newEnv checks for the pinned pyspark and builds newsds into a temp folder.
func newEnv(t testing.TB) (*env, string) {
	t.Helper()
	venv := os.Getenv("NEWSDS_VENV")
	if venv == "" {
		venv = filepath.Join(moduleDir(t), ".venv")
	}
	if _, err := os.Stat(filepath.Join(venv, "bin", "spark-class")); err != nil {
		t.Fatalf("NEWSDS_SPARK=1 but the pinned pyspark is not in %s (pip install -r python/requirements.txt): %v", venv, err)
	}
	dir := t.TempDir()
	e := &env{t: t, venv: venv, newsds: filepath.Join(dir, "newsds"), base: []string{
		"SPARK_LOCAL_IP=127.0.0.1", "SPARK_LOCAL_HOSTNAME=127.0.0.1",
		"SPARK_LOG_DIR=" + filepath.Join(dir, "logs"), "SPARK_PID_DIR=" + dir,
		"SPARK_WORKER_DIR=" + filepath.Join(dir, "work"),
		"SPARK_DAEMON_MEMORY=256m", "SPARK_NO_DAEMONIZE=1",
		"PYSPARK_PYTHON=" + filepath.Join(venv, "bin", "python"),
		"PYSPARK_DRIVER_PYTHON=" + filepath.Join(venv, "bin", "python"),
	}}
	e.run(moduleDir(t), "go", "build", "-o", e.newsds, "./cmd/newsds")
	return e, dir
}

// Issue 16 item 4: the Spark job on a standalone cluster (a master and two workers on
// 127.0.0.1, the pinned pyspark's launcher) over shared pages packed into .warc.gz
// files with exact and near copies, landed with ingest --format segment, gives the
// corpus a local ingest + annotate of the same inputs gives: the same documents (ids,
// texts, metadata, provenance, duplicate marks and originals) and annotations. A
// second run, with one worker killed mid-job, lands the identical corpus.
func TestSparkCluster(t *testing.T) {
	if os.Getenv("NEWSDS_SPARK") != "1" {
		t.Skip("starts a Spark cluster (minutes); set NEWSDS_SPARK=1, as the .ci/run step does: " + ciStep)
	}
	e, dir := newEnv(t)
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	records := crawlFixture(t, in, 6)
	t.Logf("%d pages in 6 .warc.gz files", records)
	lettersFixture(t, in)

	local := e.newCorpus(filepath.Join(dir, "local"))
	mapBodyToText(t, local)
	e.runCodes(local, []int{0, 3}, e.newsds, "ingest", in)
	e.run(local, e.newsds, "annotate", "--with", "qa,sentiment")
	wantDocs, wantAnns := e.corpusState(local)
	dups := 0
	for _, d := range wantDocs {
		if strings.Contains(d, `"dup_of"`) {
			dups++
		}
	}
	letters := 0
	for _, d := range wantDocs {
		if strings.Contains(d, `"url":""`) {
			letters++
		}
	}
	if letters != 5 {
		t.Errorf("local corpus: %d letters, want the fixture's 5 articles (3 under one English title, 2 under one Arabic)", letters)
	}
	if len(wantDocs) < 50 || dups < 5 || len(wantAnns) == 0 {
		t.Fatalf("local corpus: %d documents, %d duplicates, %d annotated; the fixture should give more", len(wantDocs), dups, len(wantAnns))
	}
	config := filepath.Join(local, "newsds.yaml")

	cl := e.startCluster(dir, 2)
	for i, kill := range []*exec.Cmd{nil, cl.workers[1]} {
		seg := filepath.Join(dir, fmt.Sprintf("segment-%d", i))
		t.Logf("job: %s", strings.TrimSpace(e.submit(dir, cl, in, seg, config, "qa,sentiment", kill)))
		landed := e.newCorpus(filepath.Join(dir, fmt.Sprintf("landed-%d", i)))
		e.runCodes(landed, []int{0, 3}, e.newsds, "ingest", "--format", "segment", seg)
		gotDocs, gotAnns := e.corpusState(landed)
		sameLines(t, fmt.Sprintf("run %d: documents", i), gotDocs, wantDocs)
		sameLines(t, fmt.Sprintf("run %d: annotations", i), gotAnns, wantAnns)
		// The job's own dedup (components over band candidates) must agree with the
		// store's, which landing applies again.
		sameLines(t, fmt.Sprintf("run %d: the job's duplicate marks", i), e.segmentMarks(seg), e.localMarks(local))
	}
}

// segmentMarks is "id dup_of" for every document of a segment, as the job decided.
func (e *env) segmentMarks(seg string) []string {
	e.t.Helper()
	script := `import sys, pyarrow.parquet as pq, glob
for f in sorted(glob.glob(sys.argv[1] + "/documents/*.parquet")):
    t = pq.read_table(f, columns=["id", "dup_of"])
    for i, d in zip(t.column("id").to_pylist(), t.column("dup_of").to_pylist()):
        print(i, d or "")
`
	out := e.run(seg, filepath.Join(e.venv, "bin", "python"), "-c", script, seg)
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	slices.Sort(lines)
	return lines
}

func (e *env) localMarks(root string) []string {
	e.t.Helper()
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(e.run(root, e.newsds, "export", "--no-annotations")), "\n") {
		var rec struct {
			ID   string         `json:"id"`
			Meta map[string]any `json:"meta"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			e.t.Fatal(err)
		}
		d, _ := rec.Meta["dup_of"].(string)
		out = append(out, strings.TrimSpace(rec.ID+" "+d))
	}
	slices.Sort(out)
	return out
}
