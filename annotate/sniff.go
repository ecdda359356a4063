package annotate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrUnknownFormat is returned by SniffFormat for a file in none of the import formats.
var ErrUnknownFormat = errors.New("not an annotations file")

// SniffFormat tells the import format from a file's first value: a JSON array is
// a Label Studio export, and so is one object with "data" (a task) or with "result" and
// "task" (an annotation), the per-task files of its target storage; JSON lines whose first object has "text" with "label" or
// "entities" are doccano; JSON lines with "doc_id" and "items" (or "layer") are newsds's
// own annotation JSONL.
func SniffFormat(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("sniff %s: %w", path, err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	first, err := firstNonSpace(r)
	if err != nil {
		return "", fmt.Errorf("sniff %s: empty file: %w", path, ErrUnknownFormat)
	}
	switch first {
	case '[':
		return FormatLabelStudio, nil
	case '{':
		// The first value, not the first line: a Label Studio per-task file of a target
		// storage is one pretty-printed object whose first line is a lone "{".
		var obj map[string]json.RawMessage
		if err := json.NewDecoder(r).Decode(&obj); err != nil {
			return "", fmt.Errorf("sniff %s: the first value is not a JSON object (%w): %w", path, err, ErrUnknownFormat)
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
		return "", fmt.Errorf("sniff %s: the first object has neither doccano (text, label), newsds (doc_id, items) nor Label Studio (data or result+task) fields: %w", path, ErrUnknownFormat)
	}
	return "", fmt.Errorf("sniff %s: starts with %q, not JSON: %w", path, first, ErrUnknownFormat)
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

// SniffFormats tells the format of an import given as files and folders: each file's
// by SniffFormat, a folder's by its first .json, .jsonl or extensionless file in name
// order (a Label Studio target storage names its files by task id). All must agree.
func SniffFormats(paths []string) (string, error) {
	format := ""
	for _, p := range paths {
		file := p
		if st, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("sniff %s: %w", p, err)
		} else if st.IsDir() {
			entries, err := os.ReadDir(p)
			if err != nil {
				return "", fmt.Errorf("sniff %s: %w", p, err)
			}
			file = ""
			for _, e := range entries { // ReadDir sorts by name
				if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".json" || ext == ".jsonl" || ext == "") {
					file = filepath.Join(p, e.Name())
					break
				}
			}
			if file == "" {
				return "", fmt.Errorf("sniff %s: no .json, .jsonl or extensionless file in the folder: %w", p, ErrUnknownFormat)
			}
		}
		f, err := SniffFormat(file)
		if err != nil {
			return "", err
		}
		if format != "" && f != format {
			return "", fmt.Errorf("sniff %s: %s, but %s holds %s: %w", file, f, paths[0], format, ErrMixedFormats)
		}
		format = f
	}
	return format, nil
}

// ErrMixedFormats is returned by SniffFormats for an import whose files are in different
// formats.
var ErrMixedFormats = errors.New("one import reads one format")
