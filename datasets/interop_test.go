package datasets

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/newsds/newsds/internal/testshared"
)

// checkerFiles are what the interop checker needs beside its wrapper.
var checkerFiles = []string{"check-release", "check-release.mjs", "package.json", "package-lock.json", ".npmrc"}

// interopHome copies the checker into a writable cache folder and returns the copy of
// its wrapper. The wrapper installs its npm dependencies beside itself when it can
// write there, and a root user can write even into the read-only shared folder: the
// copy keeps node_modules out of it.
func interopHome(t *testing.T) string {
	t.Helper()
	src := testshared.Path(t, "tools", "interop")
	home := os.Getenv("CHECK_RELEASE_HOME")
	if home == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			t.Skipf("no cache folder for the interop checker's npm dependencies (set CHECK_RELEASE_HOME): %v", err)
		}
		home = filepath.Join(cache, "release-interop-check")
	}
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range checkerFiles {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(home, name)
		if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, b) {
			continue
		}
		if err := os.WriteFile(dst, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(home, "check-release")
}

var interopSummary = regexp.MustCompile(`(?m)^interop: (\d+) passed, (\d+) failed$`)

// TestInteropChecker runs the independent checker (DuckDB and apache-arrow JS, no code
// shared with newsds) on a release: card counts and features against the files,
// Croissant checksums, every shard read.
func TestInteropChecker(t *testing.T) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: the interop checker needs Node.js and npm", tool)
		}
	}
	checker := interopHome(t)
	dir := clientRelease(t)
	cmd := exec.Command(checker, "--quiet", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	m := interopSummary.FindSubmatch(stdout.Bytes())
	if err != nil || m == nil || string(m[2]) != "0" || string(m[1]) == "0" {
		t.Fatalf("check-release %s: %v\nstdout:\n%s\nstderr:\n%s", dir, err, stdout.String(), stderr.String())
	}
	t.Logf("%s", m[0])
}
