package validate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// BenchmarkImportScale is issue 14's import at scale: `newsds import-annotations` and
// `newsds validate FILE`, run as the CLI (a child process, so that its peak RSS is its
// own), on one document of ../shared (an Arabic interview) with 20,000 and 200,000
// valid JSONL records, one span each. Two shapes: "annotators", where every record is
// another annotator's work (each record one annotation: 200,000 staged), and "merged",
// where all records are one person's (one annotation of 200,000 items, which memory
// must hold whole: it is stored as one body).
// It reports records/s and the peak RSS of each command (NEWSDS_BENCH_IMPORT_RECORDS=N
// runs one size instead). Not part of the default run:
//
//	go test ./validate -run '^$' -bench BenchmarkImportScale -benchtime 1x -count 3 -timeout 60m
func BenchmarkImportScale(b *testing.B) {
	text := strings.TrimSpace(strings.ToValidUTF8(string(readShared(b, "data/interviews/ar/ar-snn-aawsat-2015-07-21-45.txt")), ""))
	bin := filepath.Join(b.TempDir(), "newsds")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/newsds").CombinedOutput(); err != nil {
		b.Fatalf("build newsds: %v\n%s", err, out)
	}
	sizes := []int{20000, 200000}
	if v := os.Getenv("NEWSDS_BENCH_IMPORT_RECORDS"); v != "" {
		// A quick trial: one size.
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("NEWSDS_BENCH_IMPORT_RECORDS: %v", err)
		}
		sizes = []int{n}
	}
	for _, shape := range []string{"annotators", "merged"} {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/records=%d", shape, n), func(b *testing.B) {
				dir := b.TempDir()
				var rss, secs [2]float64
				var size int64
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					root := filepath.Join(dir, fmt.Sprint("corpus", i))
					id, stored := benchCorpus(b, bin, root, text)
					file, format, layer := writeImportFile(b, root, shape, id, stored, n)
					st, _ := os.Stat(file)
					size = st.Size()
					b.StartTimer()
					secs[0], rss[0] = runCLI(b, bin, root, "import-annotations", "--format", format, "--layer", layer, file)
					secs[1], rss[1] = runCLI(b, bin, root, "validate", "--layer", layer, file)
				}
				b.ReportMetric(float64(n)/secs[0], "import-records/s")
				b.ReportMetric(rss[0], "import-peak-RSS-MB")
				b.ReportMetric(float64(n)/secs[1], "validate-records/s")
				b.ReportMetric(rss[1], "validate-peak-RSS-MB")
				b.ReportMetric(float64(size)/(1<<20), "file-MB")
			})
		}
	}
}

func readShared(b *testing.B, rel string) []byte {
	data, err := os.ReadFile(testshared.Path(b, rel))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// benchCorpus makes a corpus holding text as its one document and returns its id and
// stored text (extraction takes the headline out).
func benchCorpus(b *testing.B, bin, root, text string) (string, string) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		b.Fatal(err)
	}
	in := filepath.Join(root, "interview.txt")
	if err := os.WriteFile(in, []byte(text), 0o644); err != nil {
		b.Fatal(err)
	}
	runCLI(b, bin, root, "init")
	runCLI(b, bin, root, "ingest", in)
	ctx := context.Background()
	st, err := corpus.Open(ctx, root)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for rec, err := range st.Records(ctx, "staged") {
		if err != nil {
			b.Fatal(err)
		}
		return rec.ID, rec.Text
	}
	b.Fatal("ingest stored no document")
	return "", ""
}

// writeImportFile writes n valid records over text: spans of its words, in turn.
func writeImportFile(b *testing.B, root, shape, id, text string, n int) (path, format, layer string) {
	type span struct{ start, end int }
	var spans []span
	cp, start := 0, -1
	for _, r := range text + " " {
		if r == ' ' || r == '\n' {
			if start >= 0 && cp-start > 1 {
				spans = append(spans, span{start, cp})
			}
			start = -1
		} else if start < 0 {
			start = cp
		}
		cp++
	}
	format, layer = "jsonl", "topics"
	path = filepath.Join(root, "labels.jsonl")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i := range n {
		sp := spans[i%len(spans)]
		item, _ := schema.Span(text, sp.start, sp.end)
		item.Label = "topic"
		who := "annotator-" + strconv.Itoa(i)
		if shape == "merged" {
			who = "amina"
		}
		rec := schema.Annotation{DocID: id, Layer: layer, Annotator: schema.Annotator{Name: who, Version: "1", Kind: schema.KindHuman},
			CreatedAt: "2025-01-01T00:00:00Z", Items: []schema.Item{item}}
		if err := enc.Encode(rec); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path, format, layer
}

// runCLI runs newsds in root and returns its wall time in seconds and peak RSS in MiB.
func runCLI(b *testing.B, bin, root string, args ...string) (float64, float64) {
	cmd := exec.Command(bin, append([]string{"-C", root, "-q"}, args...)...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	secs := time.Since(t0).Seconds()
	if err != nil {
		b.Fatalf("newsds %s: %v\n%.2000s", strings.Join(args, " "), err, out.String())
	}
	var rss float64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && runtime.GOOS == "linux" {
		rss = float64(ru.Maxrss) / (1 << 10)
	}
	return secs, rss
}
