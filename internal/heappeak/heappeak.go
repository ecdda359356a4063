// Package heappeak measures the peak memory of a piece of work, for the benchmarks that
// report memory next to speed (ingest, release, validate): one method, so the figures
// compare.
package heappeak

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// sampleEvery is short enough to catch the peak of a batch-sized allocation.
const sampleEvery = 2 * time.Millisecond

// The two figures: live is what the last collection found reachable (what the work
// retains, the figure that must not grow with the input); heap adds the garbage not
// yet collected (what the process holds, which depends on GOGC).
const (
	liveMetric = "/gc/heap/live:bytes"
	heapMetric = "/memory/classes/heap/objects:bytes"
)

// Peak is the highest memory seen while the work ran, in bytes.
type Peak struct {
	Live, Heap uint64
}

// Max is the larger of two peaks, figure by figure.
func (p Peak) Max(q Peak) Peak { return Peak{Live: max(p.Live, q.Live), Heap: max(p.Heap, q.Heap)} }

// Report adds peak-live-MB and peak-heap-MB to a benchmark's results.
func (p Peak) Report(b *testing.B) {
	b.ReportMetric(float64(p.Live)/(1<<20), "peak-live-MB")
	b.ReportMetric(float64(p.Heap)/(1<<20), "peak-heap-MB")
}

// Probe samples memory in the background until Stop.
type Probe struct {
	stop chan struct{}
	wg   sync.WaitGroup
	peak Peak
}

// Start collects garbage (so that earlier work does not count) and starts sampling.
func Start() *Probe {
	runtime.GC()
	p := &Probe{stop: make(chan struct{})}
	samples := []metrics.Sample{{Name: liveMetric}, {Name: heapMetric}}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			metrics.Read(samples)
			p.peak = p.peak.Max(Peak{Live: samples[0].Value.Uint64(), Heap: samples[1].Value.Uint64()})
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// Stop ends sampling and returns the peaks.
func (p *Probe) Stop() Peak {
	close(p.stop)
	p.wg.Wait()
	return p.peak
}

// Of runs fn and returns the peaks while it ran.
func Of(fn func()) Peak {
	p := Start()
	fn()
	return p.Stop()
}
