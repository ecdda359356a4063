package validate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsds/newsds/datasets"
)

// Fuzz targets of the files validate reads from outside: rules files (with their CEL
// expressions) and a release's manifest and card. Run one with
// `go test ./validate -run '^$' -fuzz FuzzReleaseCard -fuzztime 10m`; without -fuzz
// they replay their seeds and the crashers kept in testdata/fuzz.

// FuzzParseRulesFile: any bytes give rules or an error naming the file, and rules
// that parse compile or fail with an error (CEL is the second parser).
func FuzzParseRulesFile(f *testing.F) {
	f.Add([]byte("rules: {score-range: info}"))
	f.Add([]byte("agreement: {layer: sentiment, min_kappa: 0.6}"))
	f.Add([]byte("coverage: {layer: sentiment, min: 1}\nlabel_share: {layer: sentiment, max: 0.9}\ncustom:\n" +
		"  - id: lang-ar-or-en\n    on: document\n    expr: doc.lang == 'ar' || doc.lang == 'en'\n    message: is neither Arabic nor English\n" +
		"  - id: sentiment-confident\n    on: item\n    expr: item.layer != 'sentiment' || item.score >= 0.2\n"))
	if b, err := os.ReadFile(filepath.Join("..", "docs", "validate.md")); err == nil {
		if _, rest, ok := strings.Cut(string(b), "## Rules file"); ok {
			if _, y, ok := strings.Cut(rest, "```yaml\n"); ok {
				y, _, _ = strings.Cut(y, "```")
				f.Add([]byte(y))
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rf, err := ParseRulesFile("rules.yaml", b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "rules.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		compileCustom(rf) // an error is a fine answer; a panic is not
	})
}

// fuzzRelease builds one small release per fuzz worker: each execution replaces one
// file of it and validates the folder. Returns the folder and the file's clean bytes.
func fuzzRelease(f *testing.F, name string) (string, []byte) {
	dir := buildRelease(f, f.TempDir(), releaseRecords(f, 12), datasets.ReleaseOptions{})
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		f.Fatal(err)
	}
	return dir, b
}

// fuzzValidateFile writes data as the release's file name and validates: the answer is
// a report (findings are expected), never a panic or an error for a readable folder.
func fuzzValidateFile(t *testing.T, dir, name string, data []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Validate(context.Background(), Target{Kind: KindRelease, Path: dir}, Options{})
	if err != nil {
		t.Fatalf("validate failed instead of reporting %s: %v", name, err)
	}
	if r.ExitCode == ExitClean && r.Errors > 0 {
		t.Fatalf("exit clean with %d errors", r.Errors)
	}
}

// FuzzReleaseManifest is validate reading newsds-release.json.
func FuzzReleaseManifest(f *testing.F) {
	dir, clean := fuzzRelease(f, releaseManifest)
	f.Add(clean)
	f.Add([]byte(`{"format_version": 1, "configs": [{"name": "articles", "splits": [{"name": "train", "num_bytes": -1}]}]}`))
	f.Add([]byte(`{"configs": null, "excluded": {"duplicates": {"ids": [""]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzValidateFile(t, dir, releaseManifest, data) })
}

// FuzzReleaseCard is validate reading the dataset card README.md (front matter and
// body).
func FuzzReleaseCard(f *testing.F) {
	dir, clean := fuzzRelease(f, releaseCard)
	f.Add(clean)
	f.Add([]byte("---\nconfigs: &a [*a]\n---\n"))
	f.Add([]byte("---\ndataset_info:\n  splits: {train: {num_bytes: x}}\n---\n# card\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzValidateFile(t, dir, releaseCard, data) })
}
