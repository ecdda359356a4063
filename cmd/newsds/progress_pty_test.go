package main

import (
	"bytes"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/newsds/newsds/internal/testshared"
)

// underPTY runs newsds with stdout and stderr on a pseudo-terminal, or, with
// stderrPipe, stderr on a pipe, and returns what the terminal and the pipe got.
func underPTY(t *testing.T, stderrPipe bool, args ...string) (term, pipe string) {
	t.Helper()
	cmd := newsdsCmd(t, args...)
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	var errBuf bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if stderrPipe {
		cmd.Stderr = &errBuf
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&out, ptm) // ends with EIO once the child has exited
		close(done)
	}()
	err = cmd.Wait()
	<-done
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == exitPartial) {
		t.Fatalf("newsds %v: %v\n%s%s", args, err, out.String(), errBuf.String())
	}
	return out.String(), errBuf.String()
}

// ingest, annotate and validate draw a progress bar with the count of the total, the
// rate and the time left — on a terminal only: not when stderr is a pipe, not with -q.
func TestProgressBarOnTerminal(t *testing.T) {
	seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
	root := filepath.Join(t.TempDir(), "corpus")
	mustRun(t, "init", root)

	term, _ := underPTY(t, false, "-C", root, "ingest", "--source", "alsharq", seed)
	t.Logf("ingest on a terminal: %q", term)
	if !strings.Contains(term, "ingesting [") || !strings.Contains(term, "/s") || !strings.Contains(term, "ETA") || !strings.Contains(term, "1 record") {
		t.Errorf("ingest on a terminal drew no bar with total, rate and ETA:\n%q", term)
	}
	term, _ = underPTY(t, false, "-C", root, "annotate", "--with", "qa")
	if !strings.Contains(term, "annotating [") || !strings.Contains(term, "1/1 docs") || !strings.Contains(term, "docs/s") || !strings.Contains(term, "ETA") {
		t.Errorf("annotate on a terminal drew no bar with count of total, rate and ETA:\n%q", term)
	}
	term, _ = underPTY(t, false, "-C", root, "validate")
	t.Logf("validate on a terminal: %q", term)
	if !strings.Contains(term, "validating [") || !strings.Contains(term, "1/1 docs") {
		t.Errorf("validate on a terminal drew no bar:\n%q", term)
	}
	mustRun(t, "-C", root, "commit", "-m", "seed")
	term, _ = underPTY(t, false, "-C", root, "release", "--version", "1.0.0", "--out", filepath.Join(t.TempDir(), "rel"))
	if !strings.Contains(term, "releasing [") || !strings.Contains(term, "1/1 docs") {
		t.Errorf("release on a terminal drew no bar:\n%q", term)
	}

	term, _ = underPTY(t, false, "-q", "-C", root, "annotate", "--with", "qa", "--force")
	if strings.Contains(term, "annotating") {
		t.Errorf("-q on a terminal still drew a bar:\n%q", term)
	}
	_, pipe := underPTY(t, true, "-C", root, "annotate", "--with", "qa", "--force")
	if strings.Contains(pipe, "annotating") || strings.Contains(pipe, "\r") {
		t.Errorf("bar drawn into a pipe:\n%q", pipe)
	}
}
