// Package testshared finds the read-only test material in the shared folder beside the
// repository (../shared), or wherever NEWSDS_SHARED points.
package testshared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// EnvVar names the environment variable that overrides the shared folder's location.
const EnvVar = "NEWSDS_SHARED"

// Root returns the shared folder, or "" when it cannot be found.
func Root() string {
	if d := os.Getenv(EnvVar); d != "" {
		return d
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <repo>/internal/testshared/testshared.go; shared sits beside <repo>.
	repo := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	d := filepath.Join(filepath.Dir(repo), "shared")
	if st, err := os.Stat(d); err == nil && st.IsDir() {
		return d
	}
	return ""
}

// Path returns the path of rel inside the shared folder. When the folder is absent (a
// user's clone without it) the test is skipped with a message saying how to provide it;
// when the folder is there but rel is not, the test fails: CI always has it.
func Path(tb testing.TB, rel ...string) string {
	tb.Helper()
	root := Root()
	if root == "" {
		tb.Skipf("shared test data not found: set %s or place the shared folder beside the repository", EnvVar)
	}
	p := filepath.Join(append([]string{root}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("shared test data: %v", err)
	}
	return p
}
