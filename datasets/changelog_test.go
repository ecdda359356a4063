package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestProposeVersion(t *testing.T) {
	prev := &Manifest{Version: "1.4.2"}
	layers := func(added, removed, modified int64) []LayerChange {
		return []LayerChange{{Layer: "qa_turns"}, {Layer: "sentiment", Added: added, Removed: removed, Modified: modified}}
	}
	ids := func(n int64) IDList { return IDList{Count: n} }
	for _, c := range []struct {
		name string
		prev *Manifest
		ch   *Changes
		want string
	}{
		{"first release", nil, nil, "1.0.0"},
		{"nothing changed", prev, &Changes{Annotations: layers(0, 0, 0)}, "1.4.3"},
		{"serialization only", prev, &Changes{SerializationChanged: true}, "1.4.3"},
		{"only added", prev, &Changes{Added: ids(3)}, "1.5.0"},
		{"removed", prev, &Changes{Added: ids(3), Removed: ids(1)}, "2.0.0"},
		{"modified", prev, &Changes{Modified: ids(1)}, "2.0.0"},
		{"moved split", prev, &Changes{MovedSplit: ids(2)}, "2.0.0"},
		{"annotation added", prev, &Changes{Annotations: layers(1, 0, 0)}, "2.0.0"},
		{"annotation modified", prev, &Changes{Added: ids(5), Annotations: layers(0, 0, 4)}, "2.0.0"},
		{"split options", prev, &Changes{SplitOptionsChanged: true}, "2.0.0"},
	} {
		got, err := ProposeVersion(c.prev, c.ch)
		if err != nil || got != c.want {
			t.Errorf("%s: %s, %v; want %s", c.name, got, err, c.want)
		}
	}
	if _, err := ProposeVersion(&Manifest{Version: "v1"}, &Changes{}); err == nil {
		t.Error("bad previous version accepted")
	}
	for _, bad := range []string{"1.0", "1.0.0.0", "01.0.0", "a.b.c", "-1.0.0", ""} {
		if _, err := parseSemver(bad); err == nil {
			t.Errorf("%q parsed as a version", bad)
		}
	}
}

func goldenManifest() *Manifest {
	created := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	return &Manifest{
		FormatVersion: FormatVersion,
		Version:       "2.0.0",
		Corpus:        CorpusRef{Name: "gulf-news", Version: "v7", Seq: 7, CreatedAt: created, Message: "August batch", Tag: "aug"},
		Options:       ReleaseOptionsJSON{Split: "date:2024-06-01", SplitNames: []string{"train", "test"}, ShardSize: DefaultShardSize, Formats: []string{"parquet"}},
		Configs: []ConfigInfo{
			{Name: "articles", Splits: []SplitInfo{{Name: "train", NumExamples: 120}, {Name: "test", NumExamples: 30}}},
			{Name: "turns", Splits: []SplitInfo{{Name: "train", NumExamples: 14}, {Name: "test", NumExamples: 0}}},
		},
		Previous: &PreviousRef{Version: "1.1.0", Corpus: CorpusRef{Name: "gulf-news", Version: "v5"}},
		Changes: &Changes{
			Added:      IDList{Count: 2, IDs: []string{"a-1", "a-2"}},
			Removed:    IDList{Count: 150, IDs: []string{"r-1", "r-2"}},
			Modified:   IDList{Count: 1, IDs: []string{"m-1"}},
			MovedSplit: IDList{IDs: []string{}},
			Annotations: []LayerChange{{Layer: "qa_turns", Added: 2}, {Layer: "sentiment", Modified: 5},
				{Layer: "stance", Removed: 1}},
			SplitOptionsChanged: true,
		},
		Excluded: ExcludedInfo{Duplicates: IDList{Count: 4}, StaleAnnotations: []LayerCount{{Layer: "sentiment", Count: 3}}},
	}
}

// TestChangelogGolden renders the changelog of a release following an earlier one
// and compares it with testdata/changelog.golden (go test -run Changelog -update
// rewrites it; the flag is declared in card_test.go). The second pass proves that rendering over the new changelog keeps
// the history once.
func TestChangelogGolden(t *testing.T) {
	prevLog := []byte("# Changelog\n\nintro\n\n## 1.1.0\n\nolder entry\n\n## 1.0.0\n\nFirst release.\n")
	got := renderChangelog(goldenManifest(), prevLog)
	golden := filepath.Join("testdata", "changelog.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("changelog differs from %s (run with -update after checking):\n%s", golden, got)
	}
	next := goldenManifest()
	next.Version = "2.0.1"
	again := renderChangelog(next, got)
	if bytes.Count(again, []byte("\n## 1.1.0\n")) != 1 || bytes.Count(again, []byte("\n## 2.0.0\n")) != 1 ||
		bytes.Count(again, []byte("# Changelog")) != 1 {
		t.Errorf("history not carried once:\n%s", again)
	}
	first := goldenManifest()
	first.Previous, first.Changes = nil, nil
	if !bytes.Contains(renderChangelog(first, nil), []byte("First release.")) {
		t.Error("first release not said")
	}
}
