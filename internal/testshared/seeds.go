package testshared

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Seeds returns the contents of up to n files of the shared folder matching pattern
// (a filepath.Glob pattern relative to the folder), smallest first, each cut to at most
// maxBytes: fuzz seeds taken from real inputs. Small seeds keep each fuzz execution
// fast, and the smallest files of a set are as real as the largest. Without the shared
// folder it returns nil: a fuzz target then runs on its own seeds, and `go test`
// without -fuzz still runs them.
func Seeds(tb testing.TB, pattern string, n, maxBytes int) [][]byte {
	tb.Helper()
	root := Root()
	if root == "" {
		return nil
	}
	paths, err := filepath.Glob(filepath.Join(root, pattern))
	if err != nil {
		tb.Fatalf("shared seeds %q: %v", pattern, err)
	}
	type file struct {
		path string
		size int64
	}
	var files []file
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			files = append(files, file{p, st.Size()})
		}
	}
	slices.SortFunc(files, func(a, b file) int {
		return cmp.Or(cmp.Compare(a.size, b.size), cmp.Compare(a.path, b.path))
	})
	var out [][]byte
	for _, f := range files[:min(n, len(files))] {
		b, err := os.ReadFile(f.path)
		if err != nil {
			tb.Fatalf("shared seeds: %v", err)
		}
		out = append(out, b[:min(len(b), maxBytes)])
	}
	return out
}
