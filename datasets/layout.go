package datasets

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// The release layout: the one definition of where each file of a release lives and how
// shards are named. The writer builds names with it, and Open and validate parse them
// with it, so that what one writes the others read.
//
//	newsds-release.json  README.md  croissant.json  CHANGELOG.md  checksums.sha256  charts/
//	(ManifestFile, CardFile, CroissantFile, ChangelogFile, ChecksumsFile)
//	data/<config>/<split>-NNNNN-of-NNNNN.parquet    (always; the Hugging Face Hub layout)
//	arrow/<config>/<split>-NNNNN-of-NNNNN.arrow     (with --format parquet,arrow)
//
// The Arrow files are in the Arrow IPC file format (random access; what
// pyarrow.ipc.open_file, polars.read_ipc and Feather v2 readers open) and live in a tree
// of their own, so that a folder of Parquet files holds nothing else: pandas, polars,
// pyarrow.dataset, Spark and DuckDB read data/<config>/ as a whole (docs/release.md).

// Top-level folders of the data files, by format.
const (
	ParquetDir = "data"
	ArrowDir   = "arrow"
)

// HFMetadataKey is the schema metadata key (Parquet and Arrow) that holds the Hugging
// Face features, from which datasets restores the ClassLabels.
const HFMetadataKey = "huggingface"

// Configs are the release configs in the order they are written and checked: articles
// first, so that turn rows can be matched to their article's split.
func Configs() []string { return []string{ConfigArticles, ConfigTurns} }

// splitNamePattern is the one rule for split names: what ParseSplit accepts, Open
// recognises and validate requires. It is a subset of the Hub's ^\w+(\.\w+)*$ that is
// also safe inside a data_files glob and a file name.
var splitNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// SplitNameRule says in words what ValidSplitName accepts, for messages.
const SplitNameRule = "a letter followed by letters, digits or _ (train, validation, test)"

// ValidSplitName reports whether name may name a split.
func ValidSplitName(name string) bool { return splitNamePattern.MatchString(name) }

// shardPattern matches a final shard file name: <split>-NNNNN-of-NNNNN.<ext>. The split
// part is anything, so that a bad split name can be reported as such.
var shardPattern = regexp.MustCompile(`^(.+)-(\d{5})-of-(\d{5})\.([a-z]+)$`)

// ShardName identifies one data file of a release.
type ShardName struct {
	Config, Split string
	// Index is the 0-based shard number, Of the number of shards of the split.
	Index, Of int
	// Format is FormatParquet or FormatArrow.
	Format string
}

// FormatDir is the top-level folder of the files of a format, "" for an unknown one.
func FormatDir(format string) string {
	switch format {
	case FormatParquet:
		return ParquetDir
	case FormatArrow:
		return ArrowDir
	}
	return ""
}

// formatOfDir is FormatDir's inverse.
func formatOfDir(dir string) string {
	switch dir {
	case ParquetDir:
		return FormatParquet
	case ArrowDir:
		return FormatArrow
	}
	return ""
}

// Path is the release-relative path of the shard, with forward slashes.
func (n ShardName) Path() string {
	return path.Join(FormatDir(n.Format), n.Config, fmt.Sprintf("%s-%05d-of-%05d.%s", n.Split, n.Index, n.Of, n.Format))
}

// provisionalPath is the release-relative path of shard index while the number of
// shards of its split is not known yet; it never matches ParseShardPath.
func provisionalPath(config, split string, index int, format string) string {
	return path.Join(FormatDir(format), config, fmt.Sprintf("%s.part-%05d.%s", split, index, format))
}

// ConfigGlob matches every file of a config in one format, "data/articles/*.parquet".
func ConfigGlob(config, format string) string {
	return path.Join(FormatDir(format), config, "*."+format)
}

// SplitGlob matches the files of one split in one format, "data/articles/train-*.parquet";
// it may also match the files of a split whose name begins with split and a hyphen,
// which ValidSplitName excludes.
func SplitGlob(config, split, format string) string {
	return path.Join(FormatDir(format), config, split+"-*."+format)
}

// ErrNotData means a path is not under a data folder at all (ParseShardPath).
var ErrNotData = errors.New("not a data file")

// ParseShardPath parses a release-relative path (forward slashes) as a shard name. A
// path outside data/ and arrow/ is ErrNotData; a path inside them that is not a shard
// name of the layout is an error saying what is wrong. The split name is returned as
// found: check it with ValidSplitName.
func ParseShardPath(rel string) (ShardName, error) {
	parts := strings.Split(rel, "/")
	format := formatOfDir(parts[0])
	if format == "" || len(parts) < 2 {
		return ShardName{}, fmt.Errorf("%s: %w", rel, ErrNotData)
	}
	if len(parts) != 3 || parts[1] == "" {
		return ShardName{}, fmt.Errorf("%s is not at %s", rel, path.Join(parts[0], "<config>", "<split>-NNNNN-of-NNNNN."+format))
	}
	m := shardPattern.FindStringSubmatch(parts[2])
	if m == nil {
		return ShardName{}, fmt.Errorf("%s is not named <split>-NNNNN-of-NNNNN.%s", rel, format)
	}
	if m[4] != format {
		if FormatDir(m[4]) == "" {
			return ShardName{}, fmt.Errorf("%s: the %s folder holds only .%s files", rel, parts[0], format)
		}
		return ShardName{}, fmt.Errorf("%s: a .%s file belongs under %s/, not %s/", rel, m[4], FormatDir(m[4]), parts[0])
	}
	i, _ := strconv.Atoi(m[2])
	of, _ := strconv.Atoi(m[3])
	if i >= of {
		return ShardName{}, fmt.Errorf("%s: shard %d of %d does not exist (shards are numbered from 0)", rel, i, of)
	}
	return ShardName{Config: parts[1], Split: m[1], Index: i, Of: of, Format: format}, nil
}
