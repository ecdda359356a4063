package datasets

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/internal/bitflip"
)

// readAll reads every article of a split; a panic is returned as an error naming it, so
// that the test can say which flip caused it.
func readAll(d *Dataset, split string) (n int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("PANIC: %v", p)
		}
	}()
	for _, err := range d.Articles(context.Background(), split) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// TestOpenDamagedShard flips one byte at 150 seeded positions of a shard, two thirds of them
// in page headers and the footer (bitflip). Reading the split panicked before (nil
// DictionaryPageHeader in the page reader, or a panic on pqarrow's own goroutines that
// no caller can recover); now every flip reads or gives an error naming the shard.
func TestOpenDamagedShard(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rel")
	release(t, corpusOf(t, 40), ReleaseOptions{Out: out})
	d, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	f := d.Files(ConfigArticles, "train")[0]
	path := filepath.Join(out, filepath.FromSlash(f.Path))
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := readAll(d, "train")
	if err != nil || want == 0 {
		t.Fatalf("clean shard: %d rows, %v", want, err)
	}
	flips, err := bitflip.Flips(orig, true, 150, 20240801)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for i, fl := range flips {
		if err := os.WriteFile(path, fl.Apply(orig), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := readAll(d, "train")
		if err == nil {
			continue
		}
		failed++
		if strings.HasPrefix(err.Error(), "PANIC") {
			t.Fatalf("flip %d (%v): %v", i, fl, err)
		}
		if !strings.Contains(err.Error(), f.Path) {
			t.Errorf("flip %d (%v): the error does not name the shard: %v", i, fl, err)
		}
	}
	if failed == 0 {
		t.Error("no flip made the shard unreadable: the test does not reach the reader")
	}
}

// Open refuses a manifest that lists a missing or truncated shard, or a path outside
// the release, instead of failing (or reading another file) in the middle of an
// iteration.
func TestOpenChecksManifestFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rel")
	release(t, corpusOf(t, 20), ReleaseOptions{Out: out})
	m, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	shard := m.Configs[0].Splits[0].Files[0].Path
	mp := filepath.Join(out, ManifestFile)
	clean, err := os.ReadFile(mp)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, old, new, want string
	}{
		{"outside", `"path": "` + shard + `"`, `"path": "../../../etc/passwd"`, "not a relative path inside the release"},
		{"absolute", `"path": "` + shard + `"`, `"path": "/etc/passwd"`, "not a relative path inside the release"},
		{"missing", `"path": "` + shard + `"`, `"path": "data/articles/train-00007-of-00009.parquet"`, "no such file"},
		{"format", `"format": "parquet"`, `"format": "csv"`, "neither parquet nor arrow"},
		{"repeated config", `"name": "turns"`, `"name": "articles"`, "repeated"},
	} {
		if !bytes.Contains(clean, []byte(c.old)) {
			t.Fatalf("%s: %q not in the manifest", c.name, c.old)
		}
		if err := os.WriteFile(mp, bytes.Replace(clean, []byte(c.old), []byte(c.new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(out); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	if err := os.WriteFile(mp, clean, 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(out, filepath.FromSlash(shard))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b[:len(b)-100], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(out); err == nil || !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), shard) {
		t.Errorf("truncated shard: err = %v", err)
	}
}
