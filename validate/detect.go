package validate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/datasets"
)

// Import file formats, as `newsds import-annotations --format` names them.
const (
	FormatLabelStudio = "labelstudio"
	FormatDoccano     = "doccano"
	FormatJSONL       = "jsonl"
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

// SniffImportFormat tells the import format from a file's first value: a JSON array is
// a Label Studio export, and so is one object with "data" (a task) or with "result" and
// "task" (an annotation), the per-task files of its target storage; JSON lines whose first object has "text" with "label" or
// "entities" are doccano; JSON lines with "doc_id" and "items" (or "layer") are newsds's
// own annotation JSONL.
func SniffImportFormat(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("sniff %s: %w", path, err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	first, err := firstNonSpace(r)
	if err != nil {
		return "", fmt.Errorf("sniff %s: empty file: %w", path, ErrUnknownTarget)
	}
	switch first {
	case '[':
		return FormatLabelStudio, nil
	case '{':
		// The first value, not the first line: a Label Studio per-task file of a target
		// storage is one pretty-printed object whose first line is a lone "{".
		var obj map[string]json.RawMessage
		if err := json.NewDecoder(r).Decode(&obj); err != nil {
			return "", fmt.Errorf("sniff %s: the first value is not a JSON object (%w): %w", path, err, ErrUnknownTarget)
		}
		_, hasText := obj["text"]
		_, hasLabel := obj["label"]
		_, hasEntities := obj["entities"]
		_, hasDocID := obj["doc_id"]
		_, hasItems := obj["items"]
		_, hasLayer := obj["layer"]
		_, hasData := obj["data"]
		_, hasResult := obj["result"]
		_, hasTask := obj["task"]
		switch {
		case hasDocID && (hasItems || hasLayer):
			return FormatJSONL, nil
		case hasText && (hasLabel || hasEntities):
			return FormatDoccano, nil
		case hasData || (hasResult && hasTask):
			// One task (data, annotations) or one annotation with its task, as Label
			// Studio's target storage writes them: one file per task.
			return FormatLabelStudio, nil
		}
		return "", fmt.Errorf("sniff %s: the first object has neither doccano (text, label), newsds (doc_id, items) nor Label Studio (data or result+task) fields: %w", path, ErrUnknownTarget)
	}
	return "", fmt.Errorf("sniff %s: starts with %q, not JSON: %w", path, first, ErrUnknownTarget)
}

func firstNonSpace(r *bufio.Reader) (byte, error) {
	// A UTF-8 byte order mark is allowed before the JSON.
	if b, err := r.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = r.Discard(3)
	}
	for {
		c, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c, r.UnreadByte()
	}
}
