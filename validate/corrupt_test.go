package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/internal/bitflip"
)

// readSplit reads the rows of one config split the way a user of the release does.
func readSplit(dir, config, split string) (rows []any, err error) {
	d, err := datasets.Open(dir)
	if err != nil {
		return nil, err
	}
	if config == datasets.ConfigArticles {
		for a, err := range d.Articles(context.Background(), split) {
			if err != nil {
				return rows, err
			}
			rows = append(rows, a)
		}
		return rows, nil
	}
	for tr, err := range d.Turns(context.Background(), split) {
		if err != nil {
			return rows, err
		}
		rows = append(rows, tr)
	}
	return rows, nil
}

// validateFlipped runs Validate on a release with one damaged file. A panic fails the
// test with the position, so that the failing flip can be replayed.
func validateFlipped(t *testing.T, dir, what string) (r *Report) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("%s: validate panicked: %v", what, p)
		}
	}()
	r, err := Validate(context.Background(), Target{Kind: KindRelease, Path: dir}, Options{})
	if err != nil {
		t.Fatalf("%s: validate failed instead of reporting the file: %v", what, err)
	}
	return r
}

func findingsOn(r *Report, rel, rule string) int {
	n := 0
	for _, f := range r.Findings {
		if f.Location.File == rel && (rule == "" || f.Rule == rule) {
			n++
		}
	}
	return n
}

// TestValidateFlippedShards flips one byte at seeded positions of the shards of a real
// release (Parquet of both configs and an Arrow IPC twin), aimed mostly at their
// structure (bitflip). Before the fix a flip could
// panic in the Parquet page reader (nil DictionaryPageHeader) or kill the process with an
// out-of-memory error in the Arrow IPC schema decoder, and the run printed nothing. Now
// every flip gives a report; the flipped file has a finding located on it (its sha256 no
// longer matches, at least); a flip that makes the rows unreadable for datasets.Open is
// a file-unreadable (or parquet-schema) finding on that file; and the JSON report is
// never empty.
func TestValidateFlippedShards(t *testing.T) {
	dir := buildRelease(t, t.TempDir(), releaseRecords(t, 40), datasets.ReleaseOptions{Formats: []string{"arrow"}})
	for _, c := range []struct {
		rel           string
		config, split string
		flips         int
	}{
		{"data/articles/train-00000-of-00001.parquet", datasets.ConfigArticles, "train", 100},
		{"data/turns/train-00000-of-00001.parquet", datasets.ConfigTurns, "train", 30},
		{"arrow/articles/train-00000-of-00001.arrow", "", "", 100},
	} {
		path := filepath.Join(dir, filepath.FromSlash(c.rel))
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var want []any
		if c.config != "" {
			if want, err = readSplit(dir, c.config, c.split); err != nil || len(want) == 0 {
				t.Fatalf("%s: clean rows %d, %v", c.rel, len(want), err)
			}
		}
		flips, err := bitflip.Flips(orig, strings.HasSuffix(c.rel, ".parquet"), c.flips, 20240801)
		if err != nil {
			t.Fatal(err)
		}
		unreadable, changed := 0, 0
		for i, fl := range flips {
			what := fmt.Sprintf("%s flip %d (%v)", c.rel, i, fl)
			b := fl.Apply(orig)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			r := validateFlipped(t, dir, what)
			if findingsOn(r, c.rel, "") == 0 {
				t.Errorf("%s: no finding on the file:%s", what, describe(r))
			}
			if c.config != "" {
				got, readErr := readSplit(dir, c.config, c.split)
				switch {
				case readErr != nil:
					unreadable++
					// A flip in a column name leaves a readable file of another schema.
					if findingsOn(r, c.rel, RuleFileUnreadable)+findingsOn(r, c.rel, RuleParquetSchema) == 0 {
						t.Errorf("%s: datasets cannot read it (%v) but validate has no %s or %s finding on it:%s",
							what, readErr, RuleFileUnreadable, RuleParquetSchema, describe(r))
					}
				case !reflect.DeepEqual(got, want):
					changed++
				}
			}
			var out bytes.Buffer
			if err := Write(&out, r, FormatJSON, WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			var rep struct {
				Findings []json.RawMessage `json:"findings"`
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil || len(rep.Findings) == 0 {
				t.Errorf("%s: JSON report has no findings (%v):\n%s", what, err, out.String())
			}
		}
		if err := os.WriteFile(path, orig, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d flips, %d unreadable, %d read back changed", c.rel, c.flips, unreadable, changed)
		if c.config != "" && unreadable == 0 {
			t.Errorf("%s: no flip made the shard unreadable: the test does not reach the reader", c.rel)
		}
	}
}

// A truncated shard, a shard replaced by garbage and a card whose front matter is not
// YAML are each reported on their file, and the other files are still checked.
func TestValidateUnreadableFilesAreLocated(t *testing.T) {
	dir := buildRelease(t, t.TempDir(), releaseRecords(t, 40), datasets.ReleaseOptions{Formats: []string{"arrow"}})
	trunc := "data/articles/train-00000-of-00001.parquet"
	b, err := os.ReadFile(filepath.Join(dir, trunc))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, trunc), string(b[:len(b)/2]))
	garbage := "arrow/turns/train-00000-of-00001.arrow"
	writeFile(t, filepath.Join(dir, garbage), strings.Repeat("\xff\xff\xff\xff\x7f\xff\xff\xff", 64))
	editFile(t, filepath.Join(dir, "README.md"), func(s string) string {
		return strings.Replace(s, "configs:", "configs: [: {", 1)
	})
	r := validateFlipped(t, dir, "damaged release")
	for _, rel := range []string{trunc, garbage} {
		if findingsOn(r, rel, RuleFileUnreadable) == 0 {
			t.Errorf("no %s finding on %s:%s", RuleFileUnreadable, rel, describe(r))
		}
	}
	if findingsOn(r, "README.md", RuleCard) == 0 {
		t.Errorf("no card finding:%s", describe(r))
	}
	// The test split's shard is intact and still read.
	if r.Checked.Rows == 0 {
		t.Error("no row of the intact shards was checked")
	}
}

// A card whose front matter is a few hundred bytes of nested aliases (a billion-laughs
// card) expanded to a million data_files globs: validate spent minutes in the YAML
// decoder and then matched every glob against every file. It is now a card finding,
// made at once.
func TestValidateCardAliasBomb(t *testing.T) {
	dir := buildRelease(t, t.TempDir(), releaseRecords(t, 10), datasets.ReleaseOptions{})
	const n = 100
	list := func(alias string) string { return strings.TrimSuffix(strings.Repeat(alias+",", n), ",") }
	writeFile(t, filepath.Join(dir, "README.md"), "---\np: &p data/*/*.parquet\n"+
		"d: &d {split: train, path: ["+list("*p")+"]}\n"+
		"c: &c {config_name: articles, data_files: ["+list("*d")+"]}\n"+
		"configs: ["+list("*c")+"]\n---\n# card\n")
	done := make(chan *Report, 1)
	go func() { done <- validateFlipped(t, dir, "alias bomb") }()
	select {
	case r := <-done:
		found := false
		for _, f := range r.Findings {
			found = found || (f.Rule == RuleCard && f.Location.File == "README.md" && strings.Contains(f.Message, "aliases expand"))
		}
		if !found {
			t.Errorf("no card finding about the aliases:%s", describe(r))
		}
	case <-time.After(20 * time.Second):
		t.Fatal("validate is still expanding the card's aliases after 20s")
	}
}
