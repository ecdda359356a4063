package annotate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/newsds/newsds/schema"
)

// extStderrTail is how much of a command's stderr an error quotes.
const extStderrTail = 2048

// callCommand runs the command once over docs: JSON lines in, JSON lines out. Lines it
// could read are returned even when the command fails, so that documents it finished
// before crashing keep their answers. A crash is retried (like a dropped connection);
// output that is not JSON or is longer than the cap is not, since the same program
// would print it again. The command runs in its own process group, killed whole on a
// timeout, at the cap and when the command ends: nothing it started outlives its batch.
func (e *External) callCommand(ctx context.Context, docs []*schema.Document) (map[string]extWireResult, error) {
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	enc.SetEscapeHTML(false)
	for _, d := range docs {
		if err := enc.Encode(extWire(d, e.params)); err != nil {
			return nil, fmt.Errorf("encode document %s: %w", d.ID, err)
		}
	}
	argv := e.cfg.Command
	cctx, stop := context.WithCancel(ctx)
	defer stop()
	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	cmd.Stdin = &in
	cmd.Dir = e.opts.Dir
	out := &extLineWriter{left: e.opts.MaxOutput, limit: e.opts.MaxOutput, stop: stop, got: map[string]extWireResult{}}
	stderr := &extTailBuffer{max: extStderrTail}
	cmd.Stdout = out
	cmd.Stderr = stderr
	extOwnGroup(cmd)
	// A command whose children keep the pipes open must not hang the run past its kill.
	cmd.WaitDelay = time.Second
	runErr := cmd.Run()
	if cmd.Process != nil {
		extKillGroup(cmd.Process.Pid)
	}
	// Run has waited for the goroutine that writes to out: it is ours alone now.
	out.flush()

	if out.tooLarge != nil {
		return out.got, fmt.Errorf("command %s: output %w", argv[0], out.tooLarge)
	}
	if runErr != nil {
		msg := fmt.Sprintf("command %s: %v", argv[0], runErr)
		if tail := strings.TrimSpace(stderr.String()); tail != "" {
			msg += ": stderr: " + tail
		}
		return out.got, &extRetryable{err: fmt.Errorf("%s", msg)}
	}
	return out.got, out.garbage
}

// extLineWriter decodes a command's stdout line by line as it arrives, so that memory
// holds the results and one partial line, not the whole output. Past limit bytes it
// refuses more, stops the command and keeps only the complete lines before the cap.
type extLineWriter struct {
	left, limit int64
	stop        func()
	partial     []byte
	line        int
	got         map[string]extWireResult
	garbage     error
	tooLarge    *extTooLarge
}

func (w *extLineWriter) Write(p []byte) (int, error) {
	if w.tooLarge != nil {
		return 0, w.tooLarge
	}
	if int64(len(p)) > w.left {
		n := int(w.left)
		w.feed(p[:n])
		w.partial = nil // a line cut by the cap is not an answer
		w.tooLarge = &extTooLarge{limit: w.limit}
		w.stop()
		return n, w.tooLarge
	}
	w.left -= int64(len(p))
	w.feed(p)
	return len(p), nil
}

// feed handles the complete lines in p and keeps the rest for the next write.
func (w *extLineWriter) feed(p []byte) {
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			return
		}
		line := p[:i]
		if len(w.partial) > 0 {
			w.partial = append(w.partial, line...)
			line = w.partial
		}
		w.handle(line)
		w.partial = w.partial[:0]
		p = p[i+1:]
	}
}

// flush handles a last line without a newline.
func (w *extLineWriter) flush() {
	if w.tooLarge == nil && len(w.partial) > 0 {
		w.handle(w.partial)
	}
	w.partial = nil
}

func (w *extLineWriter) handle(line []byte) {
	w.line++
	b := bytes.TrimSpace(line)
	if len(b) == 0 {
		return
	}
	id, r, err := extDecodeResult(b)
	if err != nil {
		if w.garbage == nil {
			w.garbage = fmt.Errorf("output line %d is not a result: %w: %q", w.line, err, extShorten(strings.ToValidUTF8(string(b), ""), 80))
		}
		return
	}
	w.got[id] = r
}

// extTailBuffer keeps the last max bytes written to it.
type extTailBuffer struct {
	max int
	b   []byte
}

func (t *extTailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *extTailBuffer) String() string { return strings.ToValidUTF8(string(t.b), "") }

// extShorten cuts s to at most n runes for quoting in an error.
func extShorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
