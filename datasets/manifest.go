// Package datasets writes versioned dataset releases (Parquet and Arrow shards, dataset
// card, Croissant, changelog, checksums) from a corpus version and reads them back.
package datasets

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsds/newsds/schema"
)

// FormatVersion is the version of the release layout and of newsds-release.json. Open
// refuses manifests with another version. Version 2: Arrow IPC files (not streams) under
// arrow/, label-name and split columns.
const FormatVersion = 2

// ManifestFile is the name of the manifest in a release folder.
const ManifestFile = schema.ReleaseManifest

// MaxListedIDs caps every id list in a manifest so that it stays small for any corpus;
// the counts are always complete.
const MaxListedIDs = 100

// Config names of a release.
const (
	ConfigArticles = "articles"
	ConfigTurns    = "turns"
)

// Manifest describes a release; written as newsds-release.json in the release folder and
// passed to the card, Croissant and chart writers.
type Manifest struct {
	FormatVersion int `json:"format_version"`
	// Version is the release version, X.Y.Z.
	Version string    `json:"version"`
	Corpus  CorpusRef `json:"corpus"`
	// Options are the release options that decide what is released and where.
	Options ReleaseOptionsJSON `json:"options"`
	// Configs are "articles" then "turns".
	Configs []ConfigInfo `json:"configs"`
	// Previous is the release this one was compared with, nil for a first release.
	Previous *PreviousRef `json:"previous,omitempty"`
	// Changes against Previous; nil when there is no previous release.
	Changes  *Changes     `json:"changes,omitempty"`
	Excluded ExcludedInfo `json:"excluded"`
}

// CorpusRef names the committed corpus version a release was built from.
type CorpusRef struct {
	Name string `json:"name"`
	// Version is the version name, "v3".
	Version string `json:"version"`
	Seq     int    `json:"seq"`
	// CreatedAt is the commit time of the version (UTC): the only timestamp a release
	// uses, so that rebuilding gives the same bytes.
	CreatedAt time.Time `json:"created_at"`
	Message   string    `json:"message"`
	Tag       string    `json:"tag,omitempty"`
}

// ReleaseOptionsJSON records the options that change what a release contains.
type ReleaseOptionsJSON struct {
	// Split is the canonical split spec: "train=0.8,validation=0.1,test=0.1" (by a hash
	// of the document id) or "date:2024-01-01,2024-07-01" (by publication date, UTC).
	Split string `json:"split"`
	// SplitNames are the split names in order.
	SplitNames []string `json:"split_names"`
	// ShardSize is the target size of one data file in bytes.
	ShardSize int64 `json:"shard_size"`
	// Formats are "parquet" and optionally "arrow".
	Formats        []string `json:"formats"`
	KeepDuplicates bool     `json:"keep_duplicates"`
}

// ConfigInfo describes one config (Hugging Face subset) of a release.
type ConfigInfo struct {
	Name string `json:"name"`
	// Features is the Hugging Face features object ({"id": {"dtype": ..., "_type":
	// "Value"}, ...}) in column order, as in the huggingface key of every shard.
	Features json.RawMessage `json:"features"`
	Splits   []SplitInfo     `json:"splits"`
}

// SplitInfo describes one split of a config.
type SplitInfo struct {
	Name        string `json:"name"`
	NumExamples int64  `json:"num_examples"`
	// NumBytes is the in-memory Arrow size of the split's values (schema.ArrowBytes): what
	// datasets calls num_bytes, not a file size, counted so that it does not depend on
	// how rows were batched — a reader of the shards gets exactly this number.
	NumBytes int64      `json:"num_bytes"`
	Files    []FileInfo `json:"files"`
}

// FileInfo describes one data file.
type FileInfo struct {
	// Path is relative to the release folder, with forward slashes.
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Rows   int64  `json:"rows"`
	// Format is "parquet" (under data/) or "arrow" (Arrow IPC file, under arrow/).
	Format string `json:"format"`
}

// PreviousRef names the release a release was compared with.
type PreviousRef struct {
	Version string    `json:"version"`
	Corpus  CorpusRef `json:"corpus"`
}

// Changes is the difference between a release and the previous one, by document id.
type Changes struct {
	Added   IDList `json:"added"`
	Removed IDList `json:"removed"`
	// Modified are documents whose text (content hash) changed.
	Modified IDList `json:"modified"`
	// MovedSplit are documents in both releases whose split differs.
	MovedSplit IDList `json:"moved_split"`
	// Annotations counts, per layer, documents (present in both releases) whose released
	// annotations of that layer were added, removed or modified.
	Annotations []LayerChange `json:"annotations"`
	// SplitOptionsChanged is true when the split spec differs from the previous release's.
	SplitOptionsChanged bool `json:"split_options_changed"`
	// SerializationChanged is true when only the way records are written changed
	// (format version, shard size, formats).
	SerializationChanged bool `json:"serialization_changed"`
}

// LayerChange counts annotation changes of one layer.
type LayerChange struct {
	Layer    string `json:"layer"`
	Added    int64  `json:"added"`
	Removed  int64  `json:"removed"`
	Modified int64  `json:"modified"`
}

// IDList is a count with the first MaxListedIDs ids in id order.
type IDList struct {
	Count int64    `json:"count"`
	IDs   []string `json:"ids"`
}

// ExcludedInfo reports what was left out of a release.
type ExcludedInfo struct {
	// Duplicates are documents marked as duplicates of another (not released unless
	// KeepDuplicates).
	Duplicates IDList `json:"duplicates"`
	// StaleAnnotations counts, per layer, annotations dropped because the text changed
	// after they were made.
	StaleAnnotations []LayerCount `json:"stale_annotations"`
}

// LayerCount is a count for one annotation layer.
type LayerCount struct {
	Layer string `json:"layer"`
	Count int64  `json:"count"`
}

// Config returns the config named name, or nil.
func (m *Manifest) Config(name string) *ConfigInfo {
	for i := range m.Configs {
		if m.Configs[i].Name == name {
			return &m.Configs[i]
		}
	}
	return nil
}

// Split returns the split named name, or nil.
func (c *ConfigInfo) Split(name string) *SplitInfo {
	for i := range c.Splits {
		if c.Splits[i].Name == name {
			return &c.Splits[i]
		}
	}
	return nil
}

// NumExamples is the number of rows of the config over all splits.
func (c *ConfigInfo) NumExamples() int64 {
	var n int64
	for _, s := range c.Splits {
		n += s.NumExamples
	}
	return n
}

// DatasetSize is the card's dataset_size: the sum of the splits' NumBytes.
func (c *ConfigInfo) DatasetSize() int64 {
	var n int64
	for _, s := range c.Splits {
		n += s.NumBytes
	}
	return n
}

// DownloadSize is the card's download_size: the size of the config's Parquet files.
func (c *ConfigInfo) DownloadSize() int64 {
	var n int64
	for _, s := range c.Splits {
		for _, f := range s.Files {
			if f.Format == FormatParquet {
				n += f.Size
			}
		}
	}
	return n
}

// Data file formats.
const (
	FormatParquet = "parquet"
	FormatArrow   = "arrow"
)

// ReadManifest reads dir/newsds-release.json and checks its format version.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("%s: format_version %d is not supported (this newsds reads %d)", path, m.FormatVersion, FormatVersion)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// check refuses a manifest that would send a reader outside the release or make it
// misread the shards: the manifest comes from the release folder, which may come from
// anywhere, and Open follows its file paths.
func (m *Manifest) check() error {
	configs := map[string]bool{}
	for ci, c := range m.Configs {
		if c.Name == "" || configs[c.Name] {
			return fmt.Errorf("configs[%d]: name %q is empty or repeated", ci, c.Name)
		}
		configs[c.Name] = true
		splits := map[string]bool{}
		for si, s := range c.Splits {
			if s.Name == "" || splits[s.Name] {
				return fmt.Errorf("config %s splits[%d]: name %q is empty or repeated", c.Name, si, s.Name)
			}
			splits[s.Name] = true
			if s.NumExamples < 0 || s.NumBytes < 0 {
				return fmt.Errorf("config %s split %s: negative num_examples or num_bytes", c.Name, s.Name)
			}
			for fi, f := range s.Files {
				where := fmt.Sprintf("config %s split %s files[%d] %q", c.Name, s.Name, fi, f.Path)
				if f.Path == "" || strings.Contains(f.Path, "\\") || !filepath.IsLocal(filepath.FromSlash(f.Path)) {
					return fmt.Errorf("%s: the path is not a relative path inside the release", where)
				}
				if f.Format != FormatParquet && f.Format != FormatArrow {
					return fmt.Errorf("%s: format %q is neither %s nor %s", where, f.Format, FormatParquet, FormatArrow)
				}
				// The layout is the one the writer builds (layout.go): a path elsewhere, or
				// naming another config, split or format, is not a file of this split.
				n, err := ParseShardPath(f.Path)
				if err != nil {
					return fmt.Errorf("%s: %w", where, err)
				}
				if n.Config != c.Name || n.Split != s.Name || n.Format != f.Format {
					return fmt.Errorf("%s: the path names config %s split %s format %s", where, n.Config, n.Split, n.Format)
				}
				if f.Size < 0 || f.Rows < 0 {
					return fmt.Errorf("%s: negative size or rows", where)
				}
			}
		}
	}
	return nil
}

// manifestHead is what makes a folder a newsds release, in any format version.
type manifestHead struct {
	FormatVersion int    `json:"format_version"`
	Version       string `json:"version"`
}

// maxManifestSize bounds what readManifestHead reads: id lists are capped
// (MaxListedIDs), so a real manifest is a few kilobytes per config.
const maxManifestSize = 16 << 20

// readManifestHead reads dir's manifest as far as needed to know that dir is a release
// written by newsds: a regular file holding a JSON object with a format version and a
// release version.
func readManifestHead(dir string) (manifestHead, error) {
	var h manifestHead
	path := filepath.Join(dir, ManifestFile)
	st, err := os.Lstat(path)
	if err != nil {
		return h, err
	}
	if !st.Mode().IsRegular() || st.Size() > maxManifestSize {
		return h, fmt.Errorf("%s is not a regular file of at most %d bytes", path, maxManifestSize)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return h, err
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return h, fmt.Errorf("%s: %w", path, err)
	}
	if h.FormatVersion < 1 || h.Version == "" {
		return h, fmt.Errorf("%s has no format_version and version", path)
	}
	return h, nil
}

// marshalManifest is the byte form written to the release: indented, trailing newline.
func marshalManifest(m *Manifest) ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return append(b, '\n'), nil
}
