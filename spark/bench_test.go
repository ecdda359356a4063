package spark

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkSparkJob is issue 16's throughput figure: pages/s of the Spark job (extract
// and dedup, no annotators) on a loopback standalone cluster with one and with two
// one-core workers, against a local `newsds ingest` of the same pages in the same run.
// Each figure includes its fixed costs (JVM start-up, scheduling), which dominate on
// inputs this small; it needs NEWSDS_SPARK=1:
//
//	NEWSDS_SPARK=1 go test ./spark/ -run '^$' -bench BenchmarkSparkJob -benchtime 1x -timeout 60m
func BenchmarkSparkJob(b *testing.B) {
	if os.Getenv("NEWSDS_SPARK") != "1" {
		b.Skip("starts Spark clusters; set NEWSDS_SPARK=1")
	}
	e, dir := newEnv(b)
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	pages := crawlFixture(b, in, 6)
	local := e.newCorpus(filepath.Join(dir, "local"))
	config := filepath.Join(local, "newsds.yaml")
	b.ResetTimer()
	start := time.Now()
	e.runCodes(local, []int{0, 3}, e.newsds, "ingest", in)
	b.ReportMetric(float64(pages)/time.Since(start).Seconds(), "local-pages/s")
	for _, workers := range []int{1, 2} {
		cdir := filepath.Join(dir, fmt.Sprintf("cluster-%d", workers))
		os.MkdirAll(cdir, 0o755)
		cl := e.startCluster(cdir, workers)
		start := time.Now()
		e.submit(cdir, cl, in, filepath.Join(cdir, "segment"), config, "", nil)
		b.ReportMetric(float64(pages)/time.Since(start).Seconds(), fmt.Sprintf("spark-%dw-pages/s", workers))
		for _, w := range cl.workers {
			stop(w)
		}
		stop(cl.masterP)
	}
}
