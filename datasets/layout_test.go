package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestShardNameRoundTrip pins the layout: the names the writer builds are the names Open
// and validate parse, Parquet under data/ and Arrow under arrow/.
func TestShardNameRoundTrip(t *testing.T) {
	for _, n := range []ShardName{
		{Config: "articles", Split: "train", Index: 0, Of: 3, Format: FormatParquet},
		{Config: "turns", Split: "test_2024", Index: 2, Of: 3, Format: FormatArrow},
	} {
		p := n.Path()
		got, err := ParseShardPath(p)
		if err != nil || got != n {
			t.Errorf("ParseShardPath(%q) = %+v, %v; want %+v", p, got, err, n)
		}
	}
	if got := (ShardName{Config: "articles", Split: "train", Of: 1, Format: FormatParquet}).Path(); got != "data/articles/train-00000-of-00001.parquet" {
		t.Errorf("parquet path = %s", got)
	}
	if got := (ShardName{Config: "articles", Split: "train", Of: 1, Format: FormatArrow}).Path(); got != "arrow/articles/train-00000-of-00001.arrow" {
		t.Errorf("arrow path = %s", got)
	}
	if _, err := ParseShardPath(provisionalPath("articles", "train", 0, FormatParquet)); err == nil {
		t.Error("a provisional name parsed as a final shard name")
	}
	if g := ConfigGlob("articles", FormatParquet); g != "data/articles/*.parquet" {
		t.Errorf("ConfigGlob = %s", g)
	}
}

// TestParseShardPathRefuses: files under a data folder that are off the layout are
// errors that say why, and files elsewhere are not data.
func TestParseShardPathRefuses(t *testing.T) {
	for p, want := range map[string]string{
		"data/articles/train-00000-of-00001.arrow":     "belongs under arrow/",
		"arrow/articles/train-00000-of-00001.parquet":  "belongs under data/",
		"data/articles/train.parquet":                  "is not named",
		"data/train-00000-of-00001.parquet":            "is not at",
		"data/articles/x/train-00000-of-00001.parquet": "is not at",
		"data/articles/train-00001-of-00001.parquet":   "does not exist",
		"data/articles/train-00000-of-00001.csv":       "holds only .parquet",
	} {
		_, err := ParseShardPath(p)
		if err == nil || errors.Is(err, ErrNotData) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseShardPath(%q) = %v, want an error with %q", p, err, want)
		}
	}
	for _, p := range []string{"README.md", "charts/months.svg", "dataset/x.parquet"} {
		if _, err := ParseShardPath(p); !errors.Is(err, ErrNotData) {
			t.Errorf("ParseShardPath(%q) = %v, want ErrNotData", p, err)
		}
	}
}

// TestSplitNameRule pins one split-name rule for the writer, Open and validate (which
// used to be three: the writer's, Open's, and the Hub's pattern in validate, which
// accepted "test.2024" that the writer refuses and Open skips).
func TestSplitNameRule(t *testing.T) {
	for name, ok := range map[string]bool{"train": true, "test_2024": true, "T1": true,
		"test.2024": false, "2024": false, "test-2024": false, "": false, "تدريب": false} {
		if ValidSplitName(name) != ok {
			t.Errorf("ValidSplitName(%q) = %v", name, !ok)
		}
		_, err := ParseSplit(name + "=1")
		if (err == nil) != ok {
			t.Errorf("ParseSplit(%q=1) = %v, want accepted %v", name, err, ok)
		}
	}
}

// TestOpenWithoutManifestFindsBothTrees: a release folder without its manifest (copied
// from elsewhere) is read from the file names alone, Arrow twins included.
func TestOpenWithoutManifestFindsBothTrees(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rel")
	m := release(t, corpusOf(t, 12), ReleaseOptions{Out: out, Formats: []string{FormatParquet, FormatArrow}, PreviousDir: PreviousNone})
	if err := os.Remove(filepath.Join(out, ManifestFile)); err != nil {
		t.Fatal(err)
	}
	// A stray file in each tree is not data.
	for _, p := range []string{"data/articles/notes.txt", "arrow/articles/train.part-00000.arrow"} {
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(p)), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Configs(), []string{ConfigArticles, ConfigTurns}) {
		t.Errorf("configs = %v", d.Configs())
	}
	for _, c := range m.Configs {
		for _, s := range c.Splits {
			var want, got []string
			for _, f := range s.Files {
				want = append(want, f.Path)
			}
			for _, f := range d.Files(c.Name, s.Name) {
				got = append(got, f.Path)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s/%s files = %v, want %v", c.Name, s.Name, got, want)
			}
		}
	}
}

// TestReleaseFollowsUmask: a release folder and its files get the modes os.Mkdir and
// os.Create give (0777/0666 less the umask); the release used to be 0700 whatever the
// umask, because its temp folder came from os.MkdirTemp. The umask is process-wide, so
// this test is not parallel and puts it back.
func TestReleaseFollowsUmask(t *testing.T) {
	for _, c := range []struct {
		umask     int
		dir, file os.FileMode
	}{{0o022, 0o755, 0o644}, {0o027, 0o750, 0o640}} {
		old := syscall.Umask(c.umask)
		out := filepath.Join(t.TempDir(), "rel")
		_, err := Release(t.Context(), corpusOf(t, 8), ReleaseOptions{Out: out, Config: testConfig(),
			Formats: []string{FormatParquet, FormatArrow}, PreviousDir: PreviousNone})
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		err = filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
			if err != nil {
				return err
			}
			want := c.file
			if info.IsDir() {
				want = c.dir
			}
			if info.Mode().Perm() != want {
				t.Errorf("umask %03o: %s is %v, want %v", c.umask, p, info.Mode().Perm(), want)
			}
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n < 10 {
			t.Errorf("only %d entries checked", n)
		}
	}
}

// TestManifestPathsFollowTheLayout: a manifest that lists a file off the layout, or one
// naming another config, split or format, is refused by Open rather than read as if it
// were that split's.
func TestManifestPathsFollowTheLayout(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rel")
	release(t, corpusOf(t, 8), ReleaseOptions{Out: out, PreviousDir: PreviousNone})
	b, err := os.ReadFile(filepath.Join(out, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`"data/articles/train-`, `"data/turns/train-`, "names config turns"},
		{`"data/articles/train-`, `"other/articles/train-`, "not a data file"},
	} {
		edited := strings.Replace(string(b), c.from, c.to, 1)
		if edited == string(b) {
			t.Fatalf("%s not in the manifest", c.from)
		}
		if err := os.WriteFile(filepath.Join(out, ManifestFile), []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(out); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open with %s → %s: %v, want an error with %q", c.from, c.to, err, c.want)
		}
	}
}
