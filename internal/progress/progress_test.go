package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The line gives the count of the total, the rate and the time left, computed from the
// clock; redraws are throttled; Finish erases what was drawn.
func TestBarLine(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var out bytes.Buffer
	b := New(&out, Options{Description: "annotating", Unit: "docs", Total: 100, Now: clock})
	now = now.Add(10 * time.Second)
	b.Set(25)
	if got, want := b.Line(), "annotating [=====               ]  25% 25/100 docs, 2.5 docs/s, ETA 30s"; got != want {
		t.Fatalf("line:\n got %q\nwant %q", got, want)
	}
	drawn := out.Len()
	now = now.Add(10 * time.Millisecond)
	b.Set(26)
	if out.Len() != drawn {
		t.Errorf("redrawn within the interval: %q", out.String())
	}
	now = now.Add(time.Second)
	b.Update(200, 400) // a larger total arrives
	if got := b.Line(); !strings.Contains(got, "200/400 docs") || !strings.Contains(got, "ETA 11s") {
		t.Errorf("after Update: %q", got)
	}
	b.Finish()
	if !strings.HasSuffix(out.String(), "\r") || strings.Count(out.String(), "\r") < 3 {
		t.Errorf("finish did not erase the line: %q", out.String())
	}
}

func TestBarBytesAndOverflow(t *testing.T) {
	now := time.Unix(0, 0)
	b := New(&bytes.Buffer{}, Options{Description: "ingesting", Bytes: true, Total: 2e6, Now: func() time.Time { return now }})
	now = now.Add(2 * time.Second)
	b.Note("7 records")
	b.Set(3e6) // more than announced: a gzipped input counts its content
	if got, want := b.Line(), "ingesting [====================] 100% 3.0 MB/3.0 MB, 1.5 MB/s, ETA 0s, 7 records"; got != want {
		t.Fatalf("line:\n got %q\nwant %q", got, want)
	}
}

// A nil bar (no terminal, or -q) accepts every call.
func TestNilBar(t *testing.T) {
	var b *Bar
	b.Set(1)
	b.Update(1, 2)
	b.SetTotal(3)
	b.Note("x")
	b.Finish()
	if b.Func() != nil || b.Line() != "" {
		t.Fatal("nil bar is not inert")
	}
}
