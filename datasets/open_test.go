package datasets

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestOpenWithoutManifest(t *testing.T) {
	src := corpusOf(t, 20)
	out := filepath.Join(t.TempDir(), "rel")
	m := release(t, src, ReleaseOptions{Out: out, Formats: []string{"arrow"}, ShardSize: 4 << 10})
	withManifest, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if withManifest.Manifest() == nil || withManifest.Manifest().Version != m.Version {
		t.Fatal("manifest not read")
	}
	if err := os.Remove(filepath.Join(out, ManifestFile)); err != nil {
		t.Fatal(err)
	}
	d, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if d.Manifest() != nil {
		t.Error("a manifest appeared")
	}
	if !slices.Equal(d.Configs(), []string{"articles", "turns"}) {
		t.Errorf("configs = %v", d.Configs())
	}
	ctx := context.Background()
	for _, c := range m.Configs {
		// Without a manifest only splits with files can be found.
		var withFiles []string
		for _, s := range c.Splits {
			if len(s.Files) > 0 {
				withFiles = append(withFiles, s.Name)
			}
		}
		if got := d.Splits(c.Name); !slices.Equal(got, withFiles) {
			t.Errorf("%s splits = %v, want %v", c.Name, got, withFiles)
		}
		for _, s := range c.Splits {
			if len(s.Files) == 0 {
				continue
			}
			var paths, want []string
			for _, f := range d.Files(c.Name, s.Name) {
				paths = append(paths, f.Path)
			}
			for _, f := range s.Files {
				want = append(want, f.Path)
			}
			if !slices.Equal(paths, want) {
				t.Errorf("%s/%s files = %v, want %v", c.Name, s.Name, paths, want)
			}
			var rows int64
			for b, err := range d.Batches(ctx, c.Name, s.Name) {
				if err != nil {
					t.Fatal(err)
				}
				rows += b.NumRows()
				b.Release()
			}
			if rows != s.NumExamples {
				t.Errorf("%s/%s: %d rows, want %d", c.Name, s.Name, rows, s.NumExamples)
			}
		}
	}
	n := 0
	for _, err := range d.Articles(ctx, "train") {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break // stopping early must not leak or panic
	}
	if n != 1 {
		t.Error("no train article")
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.TempDir()); err == nil {
		t.Error("an empty folder opened")
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, ManifestFile), []byte(`{"format_version": 99}`), 0o644)
	if _, err := Open(bad); err == nil {
		t.Error("format_version 99 accepted")
	}
	out := filepath.Join(t.TempDir(), "rel")
	release(t, corpusOf(t, 5), ReleaseOptions{Out: out})
	d, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range d.Articles(context.Background(), "nope") {
		if err == nil {
			t.Error("unknown split gave rows")
		}
	}
	// A corrupt shard is reported with its path.
	f := d.Files(ConfigArticles, "train")[0]
	p := filepath.Join(out, filepath.FromSlash(f.Path))
	if err := os.WriteFile(p, []byte("not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}
	gotErr := false
	for _, err := range d.Articles(context.Background(), "train") {
		if err != nil {
			gotErr = true
		}
	}
	if !gotErr {
		t.Error("corrupt shard read without error")
	}
}
