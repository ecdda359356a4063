// Package progress draws a one-line progress bar on a terminal: count of total, rate
// and time left. The CLI creates one only when stderr is a terminal and -q is not
// given; a nil *Bar does nothing, so callers need no checks.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Options describe a bar.
type Options struct {
	// Description leads the line ("ingesting").
	Description string
	// Unit names what is counted ("docs"); with Bytes the counts are shown as sizes.
	Unit  string
	Bytes bool
	// Total is the count at which the work is done; 0 when not known yet (SetTotal).
	Total int64
	// Width is the number of cells of the bar itself (default 20).
	Width int
	// Interval is the least time between two redraws (default 100ms): a redraw per
	// document would cost more than the work on a fast pipeline.
	Interval time.Duration
	// Now is the clock; nil is the wall clock.
	Now func() time.Time
}

// Bar is a progress bar. Its methods may be called from several goroutines.
type Bar struct {
	w    io.Writer
	o    Options
	mu   sync.Mutex
	n    int64
	note string
	// start is when the bar was made; drawn is when it was last drawn, lastLen the
	// length of that line (so that a shorter line clears it).
	start, drawn time.Time
	lastLen      int
}

// New returns a bar drawing on w.
func New(w io.Writer, o Options) *Bar {
	if o.Width <= 0 {
		o.Width = 20
	}
	if o.Interval <= 0 {
		o.Interval = 100 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Bar{w: w, o: o, start: o.Now()}
}

// SetTotal sets the count at which the work is done.
func (b *Bar) SetTotal(total int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.o.Total = total
	b.mu.Unlock()
}

// Set records that n units are done and redraws if the interval has passed.
func (b *Bar) Set(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n = n
	b.drawLocked(false)
}

// Update is Set with a new total (ignored when not positive), in the shape of the
// package callbacks.
func (b *Bar) Update(done, total int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if total > 0 {
		b.o.Total = total
	}
	b.n = done
	b.drawLocked(false)
}

// Note sets a short text shown after the figures (e.g. a record count while bytes are
// counted).
func (b *Bar) Note(s string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.note = s
	b.mu.Unlock()
}

// Func returns b.Update, or nil for a nil bar, for options whose nil means no
// progress wanted.
func (b *Bar) Func() func(done, total int64) {
	if b == nil {
		return nil
	}
	return b.Update
}

// Finish erases the line: the command's own output follows on a clean line.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.lastLen > 0 {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", b.lastLen))
		b.lastLen = 0
	}
}

// Line is the text the bar shows now.
func (b *Bar) Line() string {
	if b == nil {
		return ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lineLocked(b.o.Now())
}

func (b *Bar) drawLocked(force bool) {
	now := b.o.Now()
	if !force && !b.drawn.IsZero() && now.Sub(b.drawn) < b.o.Interval {
		return
	}
	b.drawn = now
	line := b.lineLocked(now)
	pad := ""
	if n := b.lastLen - len([]rune(line)); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(b.w, "\r%s%s", line, pad)
	b.lastLen = len([]rune(line))
}

func (b *Bar) lineLocked(now time.Time) string {
	total := b.o.Total
	if total > 0 && b.n > total {
		// Inputs larger than announced (a gzipped file counts its content): the bar
		// stays full rather than overflowing.
		total = b.n
	}
	var sb strings.Builder
	sb.WriteString(b.o.Description)
	elapsed := now.Sub(b.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(b.n) / elapsed
	}
	if total > 0 {
		frac := float64(b.n) / float64(total)
		full := int(frac * float64(b.o.Width))
		fmt.Fprintf(&sb, " [%s%s] %3d%%", strings.Repeat("=", full), strings.Repeat(" ", b.o.Width-full), int(frac*100))
		fmt.Fprintf(&sb, " %s/%s", b.count(b.n), b.count(total))
	} else {
		fmt.Fprintf(&sb, " %s", b.count(b.n))
	}
	if !b.o.Bytes && b.o.Unit != "" {
		sb.WriteString(" " + b.o.Unit)
	}
	fmt.Fprintf(&sb, ", %s/s", b.rateString(rate))
	if total > 0 {
		if rate > 0 {
			eta := time.Duration(float64(total-b.n) / rate * float64(time.Second))
			fmt.Fprintf(&sb, ", ETA %s", formatDuration(eta))
		} else {
			sb.WriteString(", ETA --")
		}
	}
	if b.note != "" {
		sb.WriteString(", " + b.note)
	}
	return sb.String()
}

func (b *Bar) count(n int64) string {
	if b.o.Bytes {
		return formatBytes(float64(n))
	}
	return fmt.Sprint(n)
}

func (b *Bar) rateString(r float64) string {
	if b.o.Bytes {
		return formatBytes(r)
	}
	unit := b.o.Unit
	if unit != "" {
		unit = " " + unit
	}
	if r >= 100 {
		return fmt.Sprintf("%.0f%s", r, unit)
	}
	return fmt.Sprintf("%.1f%s", r, unit)
}

func formatBytes(n float64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", n/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", n/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", n/1e3)
	}
	return fmt.Sprintf("%.0f B", n)
}

// formatDuration rounds to the second: 1m05s, 42s, 1h02m.
func formatDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}
