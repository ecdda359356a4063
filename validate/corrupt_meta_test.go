package validate

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/newsds/newsds/datasets"
)

// A release's metadata files are as guarded as its shards: 100 seeded single-byte flips
// spread over the card, croissant.json, the manifest and checksums.sha256, one at a time,
// each give validate an error finding (a checksum that no longer matches, or a file that
// no longer parses), and none panics (issue 14, point 1).
func TestValidateFlippedMetadata(t *testing.T) {
	dir := buildRelease(t, t.TempDir(), releaseRecords(t, 10), datasets.ReleaseOptions{Formats: []string{"arrow"}})
	files := []string{datasets.CardFile, datasets.CroissantFile, datasets.ManifestFile, datasets.ChecksumsFile}
	orig := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		orig[f] = b
	}
	if r := validateFlipped(t, dir, "clean release"); r.Errors != 0 {
		t.Fatalf("the clean release has %d errors:%s", r.Errors, describe(r))
	}
	rng := rand.New(rand.NewPCG(20241202, 14))
	for i := range 100 {
		f := files[i%len(files)]
		b := append([]byte(nil), orig[f]...)
		at := rng.IntN(len(b))
		b[at] ^= byte(1 + rng.IntN(255))
		path := filepath.Join(dir, f)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("%s flip %d at byte %d", f, i, at)
		if r := validateFlipped(t, dir, what); r.Errors == 0 {
			t.Errorf("%s: no error finding:%s", what, describe(r))
		}
		if err := os.WriteFile(path, orig[f], 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
