package annotate

import (
	"bufio"
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
// output that is not JSON is not, since the same program would print it again.
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
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = &in
	cmd.Dir = e.opts.Dir
	var out bytes.Buffer
	stderr := &extTailBuffer{max: extStderrTail}
	cmd.Stdout = &out
	cmd.Stderr = stderr
	// A command whose children keep the pipes open must not hang the run past its kill.
	cmd.WaitDelay = time.Second
	runErr := cmd.Run()

	got := map[string]extWireResult{}
	var garbage error
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 0, 64*1024), 256<<20)
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		id, w, err := extDecodeResult(b)
		if err != nil {
			if garbage == nil {
				garbage = fmt.Errorf("output line %d is not a result: %w: %q", line, err, extShorten(string(b), 80))
			}
			continue
		}
		got[id] = w
	}
	if err := sc.Err(); err != nil && garbage == nil {
		garbage = fmt.Errorf("read output: %w", err)
	}
	if runErr != nil {
		msg := fmt.Sprintf("command %s: %v", argv[0], runErr)
		if tail := strings.TrimSpace(stderr.String()); tail != "" {
			msg += ": stderr: " + tail
		}
		return got, &extRetryable{err: fmt.Errorf("%s", msg)}
	}
	return got, garbage
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
