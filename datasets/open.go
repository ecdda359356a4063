package datasets

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/internal/saferead"
	"github.com/newsds/newsds/schema"
)

// Article is one row of the articles config.
type Article = schema.ArticleRow

// Turn is one row of the turns config.
type Turn = schema.TurnRow

// Dataset is a release folder opened for reading.
type Dataset struct {
	dir      string
	manifest *Manifest
	configs  []ConfigInfo
	mem      memory.Allocator
}

// ReadBatchRows is how many rows of a shard are decoded at once, by Open's readers
// and by validate. A batch holds its rows' texts several times over (the column
// readers' pages, the Arrow arrays, the decoded rows), so it is the largest thing a
// reader holds, and a release after the first reads every split of the previous one
// at once. With 1,024 rows of 3–8 KB articles memory grew with the release: validating
// took 216 MiB at 10k documents and 285 MiB at 40k, and the second release of a corpus
// 538 MiB at 20k and 680 at 50k (282 and 304 for its first). With 128 rows validating
// took 188 and 203 MiB, and a second release 371–400 MiB at both sizes, for 5–8% more
// CPU (issue 15; TestValidateReleaseMemoryFlat, TestReleaseReadingPreviousMemory).
const ReadBatchRows = 128

// Open opens a release folder. It reads newsds-release.json, or, when the folder has
// none (a release from elsewhere in the same layout), finds the configs, splits and
// shards from the file names of the layout (layout.go):
// data/<config>/<split>-NNNNN-of-NNNNN.parquet and their arrow/ twins.
func Open(dir string) (*Dataset, error) {
	m, err := ReadManifest(dir)
	switch {
	case err == nil:
		if err := checkFiles(dir, m.Configs); err != nil {
			return nil, fmt.Errorf("open release %s: %w", dir, err)
		}
		return &Dataset{dir: dir, manifest: m, configs: m.Configs, mem: memory.DefaultAllocator}, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open release %s: %w", dir, err)
	}
	configs, err := scanData(dir)
	if err != nil {
		return nil, fmt.Errorf("open release %s: %w", dir, err)
	}
	return &Dataset{dir: dir, configs: configs, mem: memory.DefaultAllocator}, nil
}

// checkFiles checks that every data file the manifest lists is a regular file of the
// listed size, so that a missing or truncated shard is an error of Open, not of the
// n-th row of an iteration.
func checkFiles(dir string, configs []ConfigInfo) error {
	for _, c := range configs {
		for _, s := range c.Splits {
			for _, f := range s.Files {
				p := filepath.Join(dir, filepath.FromSlash(f.Path))
				st, err := os.Stat(p)
				if err != nil {
					return fmt.Errorf("%s/%s: %w", c.Name, s.Name, err)
				}
				if !st.Mode().IsRegular() {
					return fmt.Errorf("%s/%s: %s is not a regular file", c.Name, s.Name, f.Path)
				}
				if st.Size() != f.Size {
					return fmt.Errorf("%s/%s: %s is %d bytes but %s says %d: the file is truncated or was replaced", c.Name, s.Name, f.Path, st.Size(), ManifestFile, f.Size)
				}
			}
		}
	}
	return nil
}

// splitOrder puts the usual splits first, then the others by name.
func splitOrder(a, b string) int {
	rank := func(s string) int {
		if i := slices.Index([]string{"train", "validation", "test"}, s); i >= 0 {
			return i
		}
		return 3
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
}

// scanData finds the configs, splits and shards of a release without a manifest from
// the names of its files (ParseShardPath): the Parquet files under data/ make the
// configs, and the Arrow files under arrow/ are added to the splits they name. Files off
// the layout are not data and are left out.
func scanData(dir string) ([]ConfigInfo, error) {
	var configs []ConfigInfo
	for _, format := range []string{FormatParquet, FormatArrow} {
		top := FormatDir(format)
		entries, err := os.ReadDir(filepath.Join(dir, top))
		if errors.Is(err, fs.ErrNotExist) && format == FormatArrow {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			files, err := os.ReadDir(filepath.Join(dir, top, e.Name()))
			if err != nil {
				return nil, err
			}
			for _, f := range files {
				n, err := ParseShardPath(top + "/" + e.Name() + "/" + f.Name())
				if err != nil || !ValidSplitName(n.Split) || !f.Type().IsRegular() {
					continue
				}
				ci := slices.IndexFunc(configs, func(c ConfigInfo) bool { return c.Name == n.Config })
				if ci < 0 {
					if format == FormatArrow {
						continue // an Arrow twin of no Parquet config
					}
					configs = append(configs, ConfigInfo{Name: n.Config})
					ci = len(configs) - 1
				}
				c := &configs[ci]
				s := c.Split(n.Split)
				if s == nil {
					c.Splits = append(c.Splits, SplitInfo{Name: n.Split})
					s = &c.Splits[len(c.Splits)-1]
				}
				s.Files = append(s.Files, FileInfo{Path: n.Path(), Format: n.Format})
			}
		}
	}
	for _, c := range configs {
		for _, s := range c.Splits {
			// Shard order, Parquet before its Arrow twin, as in a manifest.
			slices.SortFunc(s.Files, func(a, b FileInfo) int {
				na, _ := ParseShardPath(a.Path)
				nb, _ := ParseShardPath(b.Path)
				return cmp.Or(cmp.Compare(na.Index, nb.Index), cmp.Compare(formatRank(a.Format), formatRank(b.Format)))
			})
		}
		slices.SortFunc(c.Splits, func(a, b SplitInfo) int { return splitOrder(a.Name, b.Name) })
	}
	slices.SortFunc(configs, func(a, b ConfigInfo) int { return cmp.Compare(a.Name, b.Name) })
	if len(configs) == 0 {
		return nil, fmt.Errorf("no %s and no %s files", ManifestFile, ShardName{Config: "<config>", Split: "<split>", Format: FormatParquet}.Path())
	}
	return configs, nil
}

func formatRank(f string) int {
	if f == FormatParquet {
		return 0
	}
	return 1
}

// Dir is the release folder.
func (d *Dataset) Dir() string { return d.dir }

// Manifest is the release manifest, nil when the folder has none.
func (d *Dataset) Manifest() *Manifest { return d.manifest }

// Configs lists the config names.
func (d *Dataset) Configs() []string {
	out := make([]string, len(d.configs))
	for i, c := range d.configs {
		out[i] = c.Name
	}
	return out
}

func (d *Dataset) config(name string) *ConfigInfo {
	for i := range d.configs {
		if d.configs[i].Name == name {
			return &d.configs[i]
		}
	}
	return nil
}

// Splits lists the split names of a config, nil for an unknown config.
func (d *Dataset) Splits(config string) []string {
	c := d.config(config)
	if c == nil {
		return nil
	}
	out := make([]string, len(c.Splits))
	for i, s := range c.Splits {
		out[i] = s.Name
	}
	return out
}

// Files lists the data files of a split (Parquet and, when written, Arrow IPC) in shard
// order.
func (d *Dataset) Files(config, split string) []FileInfo {
	c := d.config(config)
	if c == nil {
		return nil
	}
	s := c.Split(split)
	if s == nil {
		return nil
	}
	return slices.Clone(s.Files)
}

// Batches streams the Parquet shards of a split as Arrow record batches, in row order.
// The caller releases each batch.
func (d *Dataset) Batches(ctx context.Context, config, split string) iter.Seq2[arrow.RecordBatch, error] {
	return func(yield func(arrow.RecordBatch, error) bool) {
		d.batches(ctx, config, split, func(b arrow.RecordBatch, _ string, err error) bool { return yield(b, err) })
	}
}

// batches is Batches, also giving the path of the file each batch comes from.
func (d *Dataset) batches(ctx context.Context, config, split string, yield func(arrow.RecordBatch, string, error) bool) {
	c := d.config(config)
	if c == nil || c.Split(split) == nil {
		yield(nil, "", fmt.Errorf("release %s: no split %s/%s", d.dir, config, split))
		return
	}
	for _, f := range c.Split(split).Files {
		if f.Format != FormatParquet {
			continue
		}
		path := filepath.Join(d.dir, filepath.FromSlash(f.Path))
		if !d.fileBatches(ctx, path, func(b arrow.RecordBatch, err error) bool { return yield(b, path, err) }) {
			return
		}
	}
}

// fileBatches yields the batches of one Parquet file; false means stop. The shard may
// come from anywhere, so the Parquet reader runs under saferead: a damaged file is an
// error naming it, never a crash.
func (d *Dataset) fileBatches(ctx context.Context, path string, yield func(arrow.RecordBatch, error) bool) bool {
	pq, err := saferead.OpenParquet(path, d.mem, ReadBatchRows)
	if err != nil {
		return yield(nil, fmt.Errorf("open %s: %w", path, err))
	}
	defer pq.Close()
	var rr pqarrow.RecordReader
	if err := saferead.Do(func() (err error) { rr, err = pq.Arrow.GetRecordReader(ctx, nil, nil); return err }); err != nil {
		return yield(nil, fmt.Errorf("read %s: %w", path, err))
	}
	defer saferead.Release(rr)
	for {
		var rec arrow.RecordBatch
		err := saferead.Do(func() error {
			if rr.Next() {
				rec = rr.RecordBatch()
				rec.Retain()
			}
			return nil
		})
		if err != nil {
			return yield(nil, fmt.Errorf("read %s: %w", path, err))
		}
		if rec == nil {
			break
		}
		if !yield(rec, nil) {
			return false
		}
	}
	if err := saferead.Do(rr.Err); err != nil && !errors.Is(err, io.EOF) {
		return yield(nil, fmt.Errorf("read %s: %w", path, err))
	}
	return true
}

// rows streams the typed rows of a split through decode.
func rows[T any](ctx context.Context, d *Dataset, config, split string, decode func(arrow.RecordBatch) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		d.batches(ctx, config, split, func(batch arrow.RecordBatch, path string, err error) bool {
			if err != nil {
				yield(zero, err)
				return false
			}
			// Values of a damaged page can pass the Parquet reader and fail only when
			// taken (an offset past the data), so decoding is reading too.
			var rs []T
			err = saferead.Do(func() (err error) { rs, err = decode(batch); return err })
			batch.Release()
			if err != nil {
				yield(zero, fmt.Errorf("release %s: %s/%s: %s: %w", d.dir, config, split, path, err))
				return false
			}
			for _, r := range rs {
				if !yield(r, nil) {
					return false
				}
			}
			return true
		})
	}
}

// Articles streams the rows of a split of the articles config.
func (d *Dataset) Articles(ctx context.Context, split string) iter.Seq2[Article, error] {
	return rows(ctx, d, ConfigArticles, split, schema.ArticleRows)
}

// Turns streams the rows of a split of the turns config.
func (d *Dataset) Turns(ctx context.Context, split string) iter.Seq2[Turn, error] {
	return rows(ctx, d, ConfigTurns, split, schema.TurnRows)
}
