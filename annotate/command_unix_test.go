//go:build unix

package annotate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsds/newsds/config"
)

// A command that times out is killed with everything it started: the grandchild
// `sleep` it spawned does not survive the run.
func TestCommandAnnotatorTimeoutKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "grandchild.pid")
	t.Setenv(extHelperPIDFile, pidFile)
	// The timeout leaves room for a test binary started under -race on a busy machine to
	// reach the point where it has spawned the grandchild.
	e := newCommandExternal(t, "orphan", config.ExternalAnnotator{Timeout: config.Duration(5 * time.Second), Retries: -1}, ExternalOptions{})
	r := e.AnnotateBatch(context.Background(), extDocs()[:1])[0]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "timed out after 5s") {
		t.Errorf("err = %v, want a timeout", r.Err)
	}
	checkGrandchildGone(t, pidFile)
}

// A command that answers and exits but leaves a background process behind does not
// leave it running: the batch is over, and no state may leak into the next one.
func TestCommandAnnotatorExitKillsLeftovers(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "grandchild.pid")
	t.Setenv(extHelperPIDFile, pidFile)
	e := newCommandExternal(t, "orphan-exit", config.ExternalAnnotator{Retries: -1}, ExternalOptions{})
	if r := e.AnnotateBatch(context.Background(), extDocs()[:1])[0]; r.Err != nil || len(r.Items) != 1 {
		t.Errorf("result %+v", r)
	}
	checkGrandchildGone(t, pidFile)
}

// checkGrandchildGone fails unless the process whose pid the helper wrote has ended.
func checkGrandchildGone(t *testing.T, pidFile string) {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the helper did not start its grandchild: %v", err)
	}
	pid, err := strconv.Atoi(string(b))
	if err != nil || pid <= 1 {
		t.Fatalf("pid file holds %q", b)
	}
	// Killing is asynchronous: give the kernel a moment before calling it a survivor.
	deadline := time.Now().Add(5 * time.Second)
	for processAlive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL) // ours: the sleep this test's helper started
			t.Fatalf("grandchild %d survived the command", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// processAlive says whether pid runs. A zombie counts as dead: whether it is reaped
// depends on the container's init, not on us.
func processAlive(pid int) bool {
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		// pid (comm) STATE ...: comm may hold spaces, so read after the last ')'.
		s := string(b)
		if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
			return s[i+2] != 'Z'
		}
		return true
	} else if errors.Is(err, os.ErrNotExist) {
		if _, statErr := os.Stat("/proc/self/stat"); statErr == nil {
			return false
		}
	}
	return syscall.Kill(pid, 0) == nil
}
