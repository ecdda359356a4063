package validate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/datasets"
)

// ErrUnknownTarget is returned by Detect for a path that is none of the known kinds.
var ErrUnknownTarget = errors.New("not a corpus, a release folder or an annotations file")

// Detect says what path holds: a corpus (a folder with .newsds/ or newsds.yaml), a
// release (a folder with newsds-release.json, or README.md and data/), or an annotation
// import file (Label Studio JSON, doccano JSONL or newsds JSONL; see SniffImportFormat).
// An unreadable path is an error.
func Detect(path string) (Kind, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("detect %s: %w", path, err)
	}
	if !st.IsDir() {
		if _, err := SniffImportFormat(path); err != nil {
			return "", err
		}
		return KindImport, nil
	}
	if exists(filepath.Join(path, corpus.StoreDir)) || exists(filepath.Join(path, config.FileName)) {
		return KindCorpus, nil
	}
	if exists(filepath.Join(path, datasets.ManifestFile)) ||
		(exists(filepath.Join(path, "README.md")) && exists(filepath.Join(path, "data"))) {
		return KindRelease, nil
	}
	return "", fmt.Errorf("detect %s: %w", path, ErrUnknownTarget)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// SniffImportFormat is annotate.SniffFormat, whose failure Detect reports as
// ErrUnknownTarget.
func SniffImportFormat(path string) (string, error) {
	format, err := annotate.SniffFormat(path)
	if errors.Is(err, annotate.ErrUnknownFormat) {
		return "", fmt.Errorf("%w: %w", err, ErrUnknownTarget)
	}
	return format, err
}
