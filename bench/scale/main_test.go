package main

import (
	"io"
	"strings"
	"testing"
)

// A misspelt -steps name must fail at once, not after building corpora for an hour
// and measuring nothing.
func TestUnknownStepIsRefused(t *testing.T) {
	err := run([]string{"-steps", "ingest,ingest 1 percent changed"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `unknown step "ingest 1 percent changed"`) {
		t.Fatalf("run with an unknown step: %v", err)
	}
}

func TestRoundsRefusesZero(t *testing.T) {
	if err := run([]string{"-rounds", "0"}, io.Discard); err == nil || !strings.Contains(err.Error(), "-rounds 0") {
		t.Fatalf("run -rounds 0: %v", err)
	}
}

// Each figure of a step is the median of the rounds on its own, and the ratio table
// shows every round's CPU/doc ratio beside the ratio of the medians.
func TestMediansOfRounds(t *testing.T) {
	round := func(smallCPU, largeCPU, rss float64) []Size {
		return []Size{
			{Docs: 10, Steps: []Step{{Name: "ingest", Docs: 10, Wall: smallCPU / 2, CPU: smallCPU, RSSMiB: rss}}},
			{Docs: 100, Steps: []Step{{Name: "ingest", Docs: 100, Wall: largeCPU / 2, CPU: largeCPU, RSSMiB: rss}}},
		}
	}
	rounds := [][]Size{round(1, 12, 50), round(3, 13, 70), round(2, 40, 60)}
	got := medians(rounds)
	small, large := got[0].Steps[0], got[1].Steps[0]
	if small.CPU != 2 || large.CPU != 13 || small.RSSMiB != 60 || large.Wall != 6.5 {
		t.Fatalf("medians: small %+v, large %+v", small, large)
	}
	if r := cpuRatio(got, 0); r != 0.65 {
		t.Fatalf("CPU/doc ratio of the medians %v, want 0.65", r)
	}
	var b strings.Builder
	writeTable(&b, Report{Rounds: 3, Sizes: got, PerRound: rounds})
	for _, want := range []string{"medians of 3 rounds", "| ingest | 0.65 | 0.65 | 1.20 0.43 2.00 | 1.00 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
