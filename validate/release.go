package validate

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/datasets"
	"github.com/newsds/newsds/internal/saferead"
	"github.com/newsds/newsds/schema"
)

// Release file names: the release layout is the datasets package's (layout.go), so
// that what the writer writes, Open reads and validate checks are one definition.
const (
	releaseManifest  = datasets.ManifestFile
	releaseCard      = datasets.CardFile
	releaseChecksums = datasets.ChecksumsFile
	releaseCroissant = datasets.CroissantFile
	hfMetadataKey    = datasets.HFMetadataKey
)

const rebuildFix = "rebuild the release with `newsds release`"

// releaseFile is a file found under a release folder.
type releaseFile struct {
	rel    string // slash-separated, relative to the release folder
	size   int64
	sha256 string
	err    error // reading it failed
	// Data shards only.
	config, split string
	shard, of     int
	format        string
	// corrupt: its rows could not all be read, so its counts are partial.
	corrupt bool
	rows    int64
}

// numBytes is the num_bytes the writer recorded for a split.
func numBytes(m *datasets.Manifest, config, split string) (int64, bool) {
	if c := m.Config(config); c != nil {
		if s := c.Split(split); s != nil {
			return s.NumBytes, true
		}
	}
	return 0, false
}

// isDataFile reports whether a release-relative path is under a data folder of the
// layout (data/ or arrow/).
func isDataFile(rel string) bool {
	_, err := datasets.ParseShardPath(rel)
	return !errors.Is(err, datasets.ErrNotData)
}

// splitCount is what the shards of one config split hold.
type splitCount struct {
	rows, bytes int64
	shards      []*releaseFile
}

type releaseChecker struct {
	dir string
	// lookup, when the release is checked inside its corpus, finds a row's document in
	// the corpus version the release was built from.
	lookup func(ctx context.Context, id string) (schema.Document, bool, error)
	rc     *recordChecker
	s      *sink
	files  map[string]*releaseFile
	// counts by "config/split".
	counts   map[string]*splitCount
	manifest *datasets.Manifest
	// contentHashes finds exact duplicates that a release without --keep-duplicates
	// must not hold.
	contentHashes map[idKey]string
	// excluded is the manifest's excluded duplicates, as a set (made at the first row).
	excluded idSet
	// turns: the last article seen and its last pair index, for the numbering check.
	lastArticle string
	lastIndex   int64
	// articlesIncomplete: an articles shard could not be read, so a turn's article may
	// exist unseen.
	articlesIncomplete bool
}

func validateRelease(ctx context.Context, dir string, lookup func(context.Context, string) (schema.Document, bool, error), rc *recordChecker) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("read release: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("read release %s: not a folder", dir)
	}
	c := &releaseChecker{dir: dir, lookup: lookup, rc: rc, s: rc.s, files: map[string]*releaseFile{},
		counts: map[string]*splitCount{}, contentHashes: map[idKey]string{}}
	if err := c.scan(ctx); err != nil {
		return err
	}
	c.readManifest()
	crd := c.readCard()
	c.checkChecksums()
	c.checkCroissant()
	if err := c.checkShards(ctx); err != nil {
		return err
	}
	if crd != nil {
		c.checkCard(crd)
	}
	return nil
}

// scan lists and hashes every file of the release.
func (c *releaseChecker) scan(ctx context.Context) error {
	return filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == c.dir {
				return fmt.Errorf("read release: %w", err)
			}
			rel := c.rel(p)
			c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: rel}, Message: fmt.Sprintf("cannot list %s: %v", rel, err)})
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() && p != c.dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		rel := c.rel(p)
		f := &releaseFile{rel: rel}
		f.size, f.sha256, f.err = hashFile(p)
		c.s.report.Checked.Files++
		if f.err != nil {
			c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: rel}, Message: fmt.Sprintf("cannot read %s: %v", rel, f.err)})
		}
		c.classifyShard(f)
		c.files[rel] = f
		return nil
	})
}

func (c *releaseChecker) rel(p string) string {
	r, err := filepath.Rel(c.dir, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// classifyShard parses a data file's name with the layout; a file under a data folder
// off the layout is a finding.
func (c *releaseChecker) classifyShard(f *releaseFile) {
	n, err := datasets.ParseShardPath(f.rel)
	if errors.Is(err, datasets.ErrNotData) {
		return
	}
	if err != nil {
		c.s.emit(Finding{Rule: RuleCardDataFiles, Location: Location{File: f.rel}, Message: err.Error(), Fix: rebuildFix})
		return
	}
	f.config, f.split, f.format, f.shard, f.of = n.Config, n.Split, n.Format, n.Index, n.Of
	if !datasets.ValidSplitName(f.split) {
		c.s.emit(Finding{Rule: RuleSplitName, Location: Location{File: f.rel, Config: f.config, Split: f.split},
			Message: fmt.Sprintf("split name %q is not %s", f.split, datasets.SplitNameRule),
			Fix:     "name splits with letters, digits and underscores (train, validation, test)"})
	}
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return n, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

func (c *releaseChecker) readManifest() {
	f, ok := c.files[releaseManifest]
	if !ok || f.err != nil {
		return
	}
	b, err := os.ReadFile(filepath.Join(c.dir, releaseManifest))
	if err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseManifest}, Message: err.Error()})
		return
	}
	var m datasets.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseManifest},
			Message: fmt.Sprintf("%s is not valid JSON: %v", releaseManifest, err), Fix: rebuildFix})
		return
	}
	c.manifest = &m
	if m.FormatVersion != datasets.FormatVersion {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseManifest}, Fix: rebuildFix,
			Message: fmt.Sprintf("%s has format_version %d; this newsds writes and checks format %d (layout and columns differ)",
				releaseManifest, m.FormatVersion, datasets.FormatVersion)})
	}
}

func (c *releaseChecker) readCard() *card {
	f, ok := c.files[releaseCard]
	if !ok {
		c.s.emit(Finding{Rule: RuleCard, Location: Location{File: releaseCard}, Message: "the release has no dataset card README.md", Fix: rebuildFix})
		return nil
	}
	if f.err != nil {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(c.dir, releaseCard))
	if err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseCard}, Message: err.Error()})
		return nil
	}
	crd, err := parseCard(b)
	if err != nil {
		c.s.emit(Finding{Rule: RuleCard, Location: Location{File: releaseCard, Line: intPtr(1)},
			Message: fmt.Sprintf("dataset card: %v", err), Fix: rebuildFix})
		return nil
	}
	if len(crd.Configs) == 0 {
		c.s.emit(Finding{Rule: RuleCard, Location: Location{File: releaseCard, Line: intPtr(1)},
			Message: "the card's front matter has no configs, so the Hub cannot find the data files", Fix: rebuildFix})
	}
	if len(crd.DatasetInfo) == 0 {
		c.s.emit(Finding{Rule: RuleCard, Location: Location{File: releaseCard, Line: intPtr(1)},
			Message: "the card's front matter has no dataset_info with split sizes", Fix: rebuildFix})
	}
	return crd
}

// checkChecksums compares checksums.sha256 with the files: every listed file exists and
// matches, and every data file is listed.
func (c *releaseChecker) checkChecksums() {
	cf, ok := c.files[releaseChecksums]
	if !ok {
		c.s.emit(Finding{Rule: RuleChecksum, Location: Location{File: releaseChecksums}, Message: "the release has no checksums.sha256", Fix: rebuildFix})
		return
	}
	if cf.err != nil {
		return
	}
	fh, err := os.Open(filepath.Join(c.dir, releaseChecksums))
	if err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseChecksums}, Message: err.Error()})
		return
	}
	defer fh.Close()
	listed := map[string]bool{}
	sc := bufio.NewScanner(fh)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		loc := Location{File: releaseChecksums, Line: intPtr(n)}
		sum, name, ok := strings.Cut(line, " ")
		name = strings.TrimPrefix(strings.TrimPrefix(name, " "), "*")
		if !ok || len(sum) != 64 || name == "" {
			c.s.emit(Finding{Rule: RuleChecksum, Location: loc, Message: fmt.Sprintf("line %d is not \"<sha256>  <path>\"", n), Fix: rebuildFix})
			continue
		}
		name = strings.TrimPrefix(name, "./")
		listed[name] = true
		f, ok := c.files[name]
		switch {
		case !ok:
			c.s.emit(Finding{Rule: RuleChecksum, Location: loc, Message: fmt.Sprintf("%s is listed but missing from the release", name), Fix: rebuildFix})
		case f.err != nil:
		case !strings.EqualFold(f.sha256, sum):
			// The finding is about the file; the line is named in the message.
			loc = Location{File: name}
			c.s.emit(Finding{Rule: RuleChecksum, Location: loc,
				Message: fmt.Sprintf("%s has sha256 %s but checksums.sha256 line %d says %s: the file changed or is corrupt", name, short(f.sha256), n, short(sum)),
				Fix:     rebuildFix})
		}
	}
	if err := sc.Err(); err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseChecksums}, Message: err.Error()})
	}
	for _, name := range sortedKeys(c.files) {
		if isDataFile(name) && !listed[name] {
			c.s.emit(Finding{Rule: RuleChecksum, Location: Location{File: name},
				Message: fmt.Sprintf("%s is not listed in checksums.sha256", name), Fix: rebuildFix})
		}
	}
}

// checkCroissant compares each FileObject's sha256 and contentSize with the file, and
// checks that every data file is described by a FileObject or a FileSet.
func (c *releaseChecker) checkCroissant() {
	cf, ok := c.files[releaseCroissant]
	if !ok {
		c.s.emit(Finding{Rule: RuleCroissant, Location: Location{File: releaseCroissant}, Message: "the release has no croissant.json", Fix: rebuildFix})
		return
	}
	if cf.err != nil {
		return
	}
	b, err := os.ReadFile(filepath.Join(c.dir, releaseCroissant))
	if err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseCroissant}, Message: err.Error()})
		return
	}
	var doc struct {
		Distribution []map[string]any `json:"distribution"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseCroissant},
			Message: fmt.Sprintf("croissant.json is not valid JSON: %v", err), Fix: rebuildFix})
		return
	}
	described := map[string]bool{}
	var globs []string
	for i, d := range doc.Distribution {
		if inc, ok := d["includes"].(string); ok {
			globs = append(globs, inc)
			continue
		}
		url, _ := d["contentUrl"].(string)
		if url == "" {
			continue
		}
		name := strings.TrimPrefix(url, "./")
		described[name] = true
		loc := Location{File: releaseCroissant}
		f, ok := c.files[name]
		if !ok {
			if !strings.Contains(url, "://") {
				c.s.emit(Finding{Rule: RuleCroissant, Location: loc, Message: fmt.Sprintf("distribution[%d] %s is missing from the release", i, name), Fix: rebuildFix})
			}
			continue
		}
		if f.err != nil {
			continue
		}
		if sum, _ := d["sha256"].(string); sum == "" {
			c.s.emit(Finding{Rule: RuleCroissant, Location: loc, Message: fmt.Sprintf("distribution[%d] %s has no sha256", i, name), Fix: rebuildFix})
		} else if !strings.EqualFold(sum, f.sha256) {
			loc.File = name
			c.s.emit(Finding{Rule: RuleCroissant, Location: loc,
				Message: fmt.Sprintf("%s has sha256 %s but croissant.json says %s", name, short(f.sha256), short(sum)), Fix: rebuildFix})
		}
		if raw, ok := d["contentSize"]; ok {
			if size, ok := parseSize(raw); !ok {
				c.s.emit(Finding{Rule: RuleCroissant, Location: loc, Message: fmt.Sprintf("distribution[%d] %s contentSize %v is not a byte count", i, name, raw), Fix: rebuildFix})
			} else if size != f.size {
				c.s.emit(Finding{Rule: RuleCroissant, Location: Location{File: name},
					Message: fmt.Sprintf("%s is %d bytes but croissant.json says %d", name, f.size, size), Fix: rebuildFix})
			}
		}
	}
	for _, name := range sortedKeys(c.files) {
		if !isDataFile(name) || described[name] {
			continue
		}
		if slices.ContainsFunc(globs, func(g string) bool { ok, _ := path.Match(g, name); return ok }) {
			continue
		}
		c.s.emit(Finding{Rule: RuleCroissant, Location: Location{File: name},
			Message: fmt.Sprintf("%s is not described in croissant.json", name), Fix: rebuildFix})
	}
}

// checkShards reads every data shard: articles first, then turns, each by split and
// shard number.
func (c *releaseChecker) checkShards(ctx context.Context) error {
	var shards []*releaseFile
	for _, f := range c.files {
		if f.config != "" {
			shards = append(shards, f)
		}
	}
	configRank := func(name string) int {
		if i := slices.Index(datasets.Configs(), name); i >= 0 {
			return i
		}
		return len(datasets.Configs())
	}
	slices.SortFunc(shards, func(a, b *releaseFile) int {
		if d := configRank(a.config) - configRank(b.config); d != 0 {
			return d
		}
		return strings.Compare(a.rel, b.rel)
	})
	for _, f := range shards {
		key := f.config + "/" + f.split
		sc := c.counts[key]
		if sc == nil {
			sc = &splitCount{}
			c.counts[key] = sc
		}
		if f.format != datasets.FormatParquet {
			c.checkArrowFile(f)
			continue
		}
		sc.shards = append(sc.shards, f)
		if f.err != nil {
			c.articlesIncomplete = c.articlesIncomplete || f.config == "articles"
			continue
		}
		if err := c.checkParquet(ctx, f, sc); err != nil {
			return err
		}
		if f.corrupt && f.config == "articles" {
			c.articlesIncomplete = true
		}
	}
	// Shard numbering: a split written as N shards has shards 0..N-1.
	for _, key := range sortedKeys(c.counts) {
		sc := c.counts[key]
		if len(sc.shards) == 0 {
			continue
		}
		of := sc.shards[0].of
		have := map[int]bool{}
		for _, f := range sc.shards {
			have[f.shard] = true
			if f.of != of {
				c.s.emit(Finding{Rule: RuleCardDataFiles, Location: Location{File: f.rel},
					Message: fmt.Sprintf("%s says %d shards but %s says %d", f.rel, f.of, sc.shards[0].rel, of), Fix: rebuildFix})
			}
		}
		for i := range of {
			if !have[i] {
				cfg, split, _ := strings.Cut(key, "/")
				c.s.emit(Finding{Rule: RuleCardDataFiles, Location: Location{Config: cfg, Split: split,
					File: datasets.ShardName{Config: cfg, Split: split, Index: i, Of: of, Format: datasets.FormatParquet}.Path()},
					Message: fmt.Sprintf("shard %d of %d of %s/%s is missing", i, of, cfg, split), Fix: rebuildFix})
			}
		}
	}
	return nil
}

// arrowTrailer is the end of an Arrow IPC file: the footer's int32 length, then the magic.
const arrowTrailer = 4 + 6

// checkArrowFile checks an Arrow IPC file of the arrow/ tree. The file is "ARROW1" and
// padding to 8 bytes, the stream format, a footer indexing the record batches, the
// footer's length and "ARROW1" again. The embedded stream is read to its end with the
// safe message reader (so that a damaged record batch is found and not only a damaged
// schema; rows are counted, not decoded: the Parquet twin's are), then the footer is read
// under saferead and must index as many batches as the stream holds, since random-access
// readers (pyarrow.ipc.open_file, polars.read_ipc) go by the footer alone.
func (c *releaseChecker) checkArrowFile(f *releaseFile) {
	if f.err != nil {
		return
	}
	loc := Location{File: f.rel, Config: f.config, Split: f.split}
	corrupt := func(format string, a ...any) {
		f.corrupt = true
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: loc, Message: fmt.Sprintf(format, a...), Fix: rebuildFix})
	}
	fh, err := os.Open(filepath.Join(c.dir, filepath.FromSlash(f.rel)))
	if err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: loc, Message: err.Error()})
		return
	}
	defer fh.Close()
	head, tail := make([]byte, 8), make([]byte, arrowTrailer)
	if f.size < int64(len(head)+arrowTrailer) {
		corrupt("%s is %d bytes, too short for an Arrow IPC file", f.rel, f.size)
		return
	}
	if _, err := fh.ReadAt(head, 0); err != nil {
		corrupt("%s: %v", f.rel, err)
		return
	}
	if _, err := fh.ReadAt(tail, f.size-arrowTrailer); err != nil {
		corrupt("%s: %v", f.rel, err)
		return
	}
	if !bytes.HasPrefix(head, ipc.Magic) || !bytes.Equal(tail[4:], ipc.Magic) {
		corrupt("%s is not an Arrow IPC file (no %s magic at its start and end; an IPC stream is not a file)", f.rel, ipc.Magic)
		return
	}
	footer := int64(binary.LittleEndian.Uint32(tail[:4]))
	streamSize := f.size - int64(len(head)) - arrowTrailer - footer
	if footer <= 0 || streamSize < 0 {
		corrupt("%s: the footer length %d does not fit in the file", f.rel, footer)
		return
	}
	mem := saferead.Allocator(memory.DefaultAllocator, saferead.AllocLimit(f.size))
	stream := io.NewSectionReader(fh, int64(len(head)), streamSize)
	var r *ipc.Reader
	var sch *arrow.Schema
	err = saferead.Do(func() error {
		var err error
		r, err = ipc.NewReaderFromMessageReader(saferead.NewIPCMessageReader(stream, streamSize, mem), ipc.WithAllocator(mem))
		if err == nil {
			sch = r.Schema()
		}
		return err
	})
	if err != nil {
		corrupt("%s: the record batches are not a readable Arrow IPC stream: %v", f.rel, err)
		return
	}
	defer saferead.Release(r)
	if err := schema.CheckSchema(f.config, sch); err != nil {
		c.s.emit(Finding{Rule: RuleParquetSchema, Location: loc,
			Message: fmt.Sprintf("%s: %v", f.rel, err), Fix: rebuildFix})
		return
	}
	batches := 0
	err = saferead.Do(func() error {
		for r.Next() {
			f.rows += r.RecordBatch().NumRows()
			batches++
		}
		return r.Err()
	})
	if err != nil && !errors.Is(err, io.EOF) {
		corrupt("%s is corrupt after row %d: %v", f.rel, f.rows, err)
		return
	}
	fb := make([]byte, footer)
	if _, err := fh.ReadAt(fb, f.size-arrowTrailer-footer); err != nil {
		corrupt("%s: %v", f.rel, err)
		return
	}
	dicts, _, err := saferead.CheckIPCFooter(fb)
	switch {
	case err != nil:
		corrupt("%s: the Arrow IPC footer is damaged: %v", f.rel, err)
		return
	case dicts > 0:
		// newsds writes no dictionary batches; reading them would follow the footer's
		// offsets into the file unchecked.
		corrupt("%s: the Arrow IPC footer indexes %d dictionary batches, which a release never has", f.rel, dicts)
		return
	}
	var indexed int
	err = saferead.Do(func() error {
		fr, err := ipc.NewFileReader(fh, ipc.WithAllocator(mem))
		if err != nil {
			return err
		}
		defer func() { _ = fr.Close() }() // read-only
		indexed = fr.NumRecords()
		return schema.CheckSchema(f.config, fr.Schema())
	})
	switch {
	case err != nil:
		corrupt("%s: the Arrow IPC footer is unreadable: %v", f.rel, err)
	case indexed != batches:
		corrupt("%s: the Arrow IPC footer indexes %d record batches but the file holds %d", f.rel, indexed, batches)
	}
}

// checkParquet reads every row of a Parquet shard and checks it. The Parquet reader
// runs under saferead (capped allocations, recovered panics): a damaged shard is a
// finding naming it, and the other files are still checked.
func (c *releaseChecker) checkParquet(ctx context.Context, f *releaseFile, sc *splitCount) error {
	loc := Location{File: f.rel, Config: f.config, Split: f.split}
	unreadable := func(format string, a ...any) {
		f.corrupt = true
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: loc, Message: fmt.Sprintf(format, a...), Fix: rebuildFix})
	}
	pq, err := saferead.OpenParquet(filepath.Join(c.dir, filepath.FromSlash(f.rel)), memory.DefaultAllocator, datasets.ReadBatchRows)
	if err != nil {
		unreadable("%s is not a readable Parquet file: %v", f.rel, err)
		return nil
	}
	defer pq.Close()
	pf, fr := pq.File, pq.Arrow
	var sch *arrow.Schema
	if err := saferead.Do(func() (err error) { sch, err = fr.Schema(); return err }); err != nil {
		unreadable("%s: cannot map the Parquet schema to Arrow: %v", f.rel, err)
		return nil
	}
	if err := schema.CheckSchema(f.config, sch); err != nil {
		f.corrupt = true
		c.s.emit(Finding{Rule: RuleParquetSchema, Location: loc, Message: fmt.Sprintf("%s: %v", f.rel, err), Fix: rebuildFix})
		return nil // rows of another schema cannot be decoded
	}
	c.checkHFMetadata(f, pf, loc)
	var rr pqarrow.RecordReader
	if err := saferead.Do(func() (err error) { rr, err = fr.GetRecordReader(ctx, nil, nil); return err }); err != nil {
		unreadable("%s: cannot read rows: %v", f.rel, err)
		return nil
	}
	defer saferead.Release(rr)
	var row int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Decoding the batch into rows is reading too: the arrays of a damaged page may
		// hold offsets that only fail when a value is taken.
		var batch arrow.RecordBatch
		var size int64
		var articles []schema.ArticleRow
		var turns []schema.TurnRow
		var names error
		err := saferead.Do(func() error {
			if !rr.Next() {
				return nil
			}
			batch = rr.RecordBatch()
			size = schema.ArrowBytes(batch)
			var err error
			if f.config == datasets.ConfigArticles {
				articles, err = schema.ArticleRows(batch)
			} else {
				turns, err = schema.TurnRows(batch)
			}
			if err == nil {
				names = schema.CheckLabelNames(batch)
			}
			return err
		})
		if err != nil {
			unreadable("%s rows %d-: %v", f.rel, row, err)
			return nil
		}
		if batch == nil {
			break
		}
		sc.bytes += size
		sc.rows += batch.NumRows()
		f.rows += batch.NumRows()
		c.s.report.Checked.Rows += int(batch.NumRows())
		if ln := (*schema.LabelNameError)(nil); errors.As(names, &ln) {
			at := row + int64(ln.Row)
			l := loc
			l.Row = &at
			c.s.emit(Finding{Rule: RuleLabelUnknown, Location: l, Fix: rebuildFix,
				Message: fmt.Sprintf("%s%s is %q but %s is class id %d, whose label is %q: the name columns must repeat the label of the id",
					ln.Column, schema.LabelNameSuffix, ln.Got, ln.Column, ln.ID, ln.Want)})
		} else if names != nil {
			c.s.emit(Finding{Rule: RuleParquetSchema, Location: loc, Message: fmt.Sprintf("%s: %v", f.rel, names), Fix: rebuildFix})
		}
		for i := range articles {
			c.checkRowSplit(articles[i].Split, loc, row+int64(i))
			c.checkArticle(ctx, &articles[i], loc, row+int64(i))
		}
		for i := range turns {
			c.checkRowSplit(turns[i].Split, loc, row+int64(i))
			c.checkTurn(&turns[i], loc, row+int64(i))
		}
		row += batch.NumRows()
	}
	if err := saferead.Do(rr.Err); err != nil && !errors.Is(err, io.EOF) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		unreadable("%s is corrupt after row %d: %v", f.rel, row, err)
	}
	return nil
}

// checkRowSplit checks a row's split column against the split its file is in: a reader
// that loads several splits' files together tells them apart by that column.
func (c *releaseChecker) checkRowSplit(split string, loc Location, n int64) {
	if split == loc.Split {
		return
	}
	loc.Row = &n
	c.s.emit(Finding{Rule: RuleSplitLeak, Location: loc, Fix: rebuildFix,
		Message: fmt.Sprintf("the row's %s column says %q but its file is in split %s", schema.ColumnSplit, split, loc.Split)})
}

func (c *releaseChecker) checkHFMetadata(f *releaseFile, pf *file.Reader, loc Location) {
	v := pf.MetaData().KeyValueMetadata().FindValue(hfMetadataKey)
	if v == nil {
		c.s.emit(Finding{Rule: RuleHFFeatures, Location: loc,
			Message: fmt.Sprintf("%s has no %q schema metadata: datasets will not restore the ClassLabel features", f.rel, hfMetadataKey), Fix: rebuildFix})
		return
	}
	var got struct {
		Info struct {
			Features any `json:"features"`
		} `json:"info"`
	}
	if err := json.Unmarshal([]byte(*v), &got); err != nil {
		c.s.emit(Finding{Rule: RuleHFFeatures, Location: loc,
			Message: fmt.Sprintf("%s: the %q metadata is not valid JSON: %v", f.rel, hfMetadataKey, err), Fix: rebuildFix})
		return
	}
	wantJSON, err := schema.FeaturesJSON(f.config)
	if err != nil {
		return // CheckSchema has accepted the config
	}
	var want any
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		return
	}
	if p := firstDiff(f.config, want, got.Info.Features); p != "" {
		c.s.emit(Finding{Rule: RuleHFFeatures, Location: loc,
			Message: fmt.Sprintf("%s: the %q features differ from the %s schema at %s", f.rel, hfMetadataKey, f.config, p), Fix: rebuildFix})
	}
}

// firstDiff returns the path of the first difference between two decoded JSON values,
// or "".
func firstDiff(p string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return p
		}
		for _, k := range sortedKeys(w) {
			if d := firstDiff(p+"."+k, w[k], g[k]); d != "" {
				return d
			}
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				return p + "." + k + " (unexpected)"
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return p
		}
		for i := range w {
			if d := firstDiff(fmt.Sprintf("%s[%d]", p, i), w[i], g[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(want, got) {
		return fmt.Sprintf("%s (%v, want %v)", p, got, want)
	}
	return ""
}

// checkArticle turns an articles row back into a record and runs the record rules on it.
func (c *releaseChecker) checkArticle(ctx context.Context, row *schema.ArticleRow, loc Location, n int64) {
	loc.Row = &n
	// Row strings alias the batch's Arrow buffers: a kept finding, or a map entry,
	// holding one would keep the whole buffer.
	loc.DocID = strings.Clone(row.ID)
	rec := schema.ToRecord(*row)
	rctx := recordContext{release: true, split: loc.Split, fix: rebuildFix}
	if c.manifest != nil {
		rctx.keepDuplicates = c.manifest.Options.KeepDuplicates
		if c.excluded == nil {
			c.excluded = idSet{}
			for _, id := range c.manifest.Excluded.Duplicates.IDs {
				c.excluded.add(id)
			}
		}
		if _, ok := c.excluded[keyOf(row.ID)]; ok {
			rctx.excluded = map[string]bool{row.ID: true}
		}
	}
	if row.Published != nil && row.PublishedLocal != "" {
		if t, err := time.Parse(time.RFC3339, row.PublishedLocal); err == nil && !t.Equal(*row.Published) {
			c.s.emit(Finding{Rule: RuleDocPublished, Location: loc, Fix: rebuildFix,
				Message: fmt.Sprintf("published %s and published_local %s are different instants", row.Published.Format(time.RFC3339), row.PublishedLocal)})
		}
	}
	if !rctx.keepDuplicates && c.lookup != nil {
		if doc, ok, err := c.lookup(ctx, row.ID); err == nil && ok && doc.DupOf() != "" {
			c.s.emit(Finding{Rule: RuleExcludedDup, Location: loc, Fix: rebuildFix,
				Message: fmt.Sprintf("document %s is marked in the corpus as a duplicate of %s; duplicates are excluded from this release", row.ID, doc.DupOf())})
		}
	}
	if !rctx.keepDuplicates && row.ContentHash != "" && row.Text != "" {
		k := keyOf(row.ContentHash)
		if first, ok := c.contentHashes[k]; ok && first != row.ID {
			c.s.emit(Finding{Rule: RuleExcludedDup, Location: loc, Fix: rebuildFix,
				Message: fmt.Sprintf("document %s has the same text as %s; duplicates are excluded from this release", row.ID, first)})
		} else if !ok {
			c.contentHashes[k] = loc.DocID
		}
	}
	c.rc.check(&rec, loc, rctx)
}

// checkTurn checks a turns row on its own and against the article it comes from.
func (c *releaseChecker) checkTurn(t *schema.TurnRow, loc Location, n int64) {
	loc.Row = &n
	loc.DocID = strings.Clone(t.ArticleID)
	loc.Layer = "turns"
	emit := func(rule, format string, a ...any) {
		c.s.emit(Finding{Rule: rule, Location: loc, Message: fmt.Sprintf(format, a...), Fix: rebuildFix})
	}
	// With an articles shard unreadable (reported), the article may exist unseen.
	switch split, ok := c.rc.splits[keyOf(t.ArticleID)]; {
	case !ok && !c.articlesIncomplete:
		emit(RuleAnnotationDocMiss, "pair %d refers to article %s, which is not in the articles config", t.Index, t.ArticleID)
	case ok && split != loc.Split:
		emit(RuleSplitLeak, "pair %d of article %s is in split %s but its article is in split %s", t.Index, t.ArticleID, loc.Split, split)
	}
	want := int64(1)
	if t.ArticleID == c.lastArticle {
		want = c.lastIndex + 1
	}
	if t.Index != want {
		emit(RuleQAAlternation, "pair %d of article %s should be pair %d: pairs are numbered 1, 2, ... per article", t.Index, t.ArticleID, want)
	}
	c.lastArticle, c.lastIndex = loc.DocID, t.Index
	for _, s := range []struct {
		what       string
		start, end int64
		text       string
	}{{"question", t.QuestionStart, t.QuestionEnd, t.Question}, {"answer", t.AnswerStart, t.AnswerEnd, t.Answer}} {
		if s.start < 0 || s.end < 0 {
			emit(RuleSpanBounds, "pair %d %s has no span", t.Index, s.what)
			continue
		}
		if err := schema.CheckSpan(int(s.start), int(s.end), int(max(s.start, s.end))); err != nil {
			emit(RuleSpanBounds, "pair %d %s %v", t.Index, s.what, err)
			continue
		}
		if got := int64(schema.LenCP(s.text)); got != s.end-s.start {
			emit(RuleSpanText, "pair %d %s text has %d code points but its span [%d,%d) covers %d", t.Index, s.what, got, s.start, s.end, s.end-s.start)
		}
	}
	if t.QuestionEnd > t.AnswerStart && t.QuestionEnd >= 0 && t.AnswerStart >= 0 {
		emit(RuleSpanOverlap, "pair %d question [%d,%d) does not end before its answer [%d,%d) starts", t.Index, t.QuestionStart, t.QuestionEnd, t.AnswerStart, t.AnswerEnd)
	}
	if s := t.AnswerSentiment; s != nil {
		if s.Label < 0 || s.Label >= int64(len(schema.SentimentLabels)) {
			emit(RuleLabelUnknown, "pair %d answer sentiment class id %d is not one of the sentiment labels", t.Index, s.Label)
		}
		checkScore(c.s, loc, s.Score, fmt.Sprintf("pair %d answer sentiment", t.Index))
	}
	for i, s := range t.AnswerStance {
		if s.Label < 0 || s.Label >= int64(len(schema.StanceLabels)) {
			emit(RuleLabelUnknown, "pair %d answer stance %d class id %d is not one of the stance labels", t.Index, i, s.Label)
		}
		if c.rc.vocab.targets != nil && !c.rc.vocab.targets[s.Target] {
			emit(RuleStanceTarget, "pair %d answer stance %d target %q is not declared in the targets file", t.Index, i, s.Target)
		}
		checkScore(c.s, loc, s.Score, fmt.Sprintf("pair %d answer stance %d", t.Index, i))
	}
}

func checkScore(s *sink, loc Location, score *float64, what string) {
	if score != nil && (*score != *score || *score < 0 || *score > 1) {
		s.emit(Finding{Rule: RuleScoreRange, Location: loc, Message: fmt.Sprintf("%s score %v is outside [0,1]", what, *score), Fix: rebuildFix})
	}
}

// checkCard compares the card's configs and dataset_info with the shards.
func (c *releaseChecker) checkCard(crd *card) {
	matched := map[string]bool{}
	for _, cfg := range crd.Configs {
		for _, df := range cfg.DataFiles {
			loc := Location{File: releaseCard, Config: cfg.ConfigName, Split: df.Split}
			if !datasets.ValidSplitName(df.Split) {
				c.s.emit(Finding{Rule: RuleSplitName, Location: loc,
					Message: fmt.Sprintf("config %s split name %q is not %s", cfg.ConfigName, df.Split, datasets.SplitNameRule), Fix: rebuildFix})
			}
			for _, glob := range df.Path {
				n := 0
				for _, name := range sortedKeys(c.files) {
					if ok, _ := path.Match(glob, name); ok {
						n++
						matched[name] = true
						if f := c.files[name]; f.config != "" && (f.config != cfg.ConfigName || f.split != df.Split) {
							c.s.emit(Finding{Rule: RuleCardDataFiles, Location: loc,
								Message: fmt.Sprintf("config %s split %s glob %s matches %s, a shard of %s/%s", cfg.ConfigName, df.Split, glob, name, f.config, f.split), Fix: rebuildFix})
						}
					}
				}
				if n == 0 {
					c.s.emit(Finding{Rule: RuleCardDataFiles, Location: loc,
						Message: fmt.Sprintf("data_files glob %s matches no file", glob), Fix: rebuildFix})
				}
			}
		}
	}
	for _, name := range sortedKeys(c.files) {
		// The writer leaves an empty split out of the card but still writes its one
		// empty shard; an unlisted file with no rows loses nothing.
		if f := c.files[name]; f.config != "" && f.format == datasets.FormatParquet && !matched[name] && (f.rows > 0 || f.corrupt || f.err != nil) {
			c.s.emit(Finding{Rule: RuleCardDataFiles, Location: Location{File: name, Config: f.config, Split: f.split},
				Message: fmt.Sprintf("%s is not matched by any data_files glob in the card, so the Hub will not load it", name), Fix: rebuildFix})
		}
	}
	seen := map[string]bool{}
	for _, info := range crd.DatasetInfo {
		for _, sp := range info.Splits {
			key := info.ConfigName + "/" + sp.Name
			seen[key] = true
			sc := c.counts[key]
			if sc == nil {
				sc = &splitCount{}
			}
			if sp.NumExamples == nil {
				c.s.emit(Finding{Rule: RuleCardNumExamples, Location: Location{File: releaseCard, Config: info.ConfigName, Split: sp.Name},
					Message: "the card gives no num_examples", Fix: rebuildFix})
			} else if *sp.NumExamples != sc.rows && !c.unreadableShard(sc) {
				c.s.emit(Finding{Rule: RuleCardNumExamples,
					Location: Location{File: releaseCard, Line: crd.line(info.ConfigName, sp.Name, "num_examples"), Config: info.ConfigName, Split: sp.Name},
					Message:  fmt.Sprintf("the card says num_examples %d but the shards hold %d rows", *sp.NumExamples, sc.rows),
					Fix:      rebuildFix})
			}
			if sp.NumBytes == nil {
				c.s.emit(Finding{Rule: RuleCardNumBytes, Location: Location{File: releaseCard, Config: info.ConfigName, Split: sp.Name},
					Message: "the card gives no num_bytes", Fix: rebuildFix})
				continue
			}
			loc := Location{File: releaseCard, Line: crd.line(info.ConfigName, sp.Name, "num_bytes"), Config: info.ConfigName, Split: sp.Name}
			if c.manifest != nil {
				if want, ok := numBytes(c.manifest, info.ConfigName, sp.Name); ok && want != *sp.NumBytes {
					c.s.emit(Finding{Rule: RuleCardNumBytes, Location: loc, Fix: rebuildFix,
						Message: fmt.Sprintf("the card says num_bytes %d but the release wrote %d (newsds-release.json)", *sp.NumBytes, want)})
					continue
				}
			}
			if *sp.NumBytes != sc.bytes && !c.unreadableShard(sc) {
				c.s.emit(Finding{Rule: RuleCardNumBytes, Location: loc, Fix: rebuildFix,
					Message: fmt.Sprintf("the card says num_bytes %d but the shards hold %d bytes of Arrow data", *sp.NumBytes, sc.bytes)})
			}
		}
	}
	for _, key := range sortedKeys(c.counts) {
		if sc := c.counts[key]; !seen[key] && (sc.rows > 0 || c.unreadableShard(sc)) && len(crd.DatasetInfo) > 0 {
			cfg, split, _ := strings.Cut(key, "/")
			c.s.emit(Finding{Rule: RuleCardNumExamples, Location: Location{File: releaseCard, Config: cfg, Split: split},
				Message: fmt.Sprintf("config %s split %s has shards but no num_examples in the card's dataset_info", cfg, split), Fix: rebuildFix})
		}
	}
}

// unreadableShard reports whether a shard of the split could not be read, in which case
// its counts are unknown and comparing them would only repeat that finding.
func (c *releaseChecker) unreadableShard(sc *splitCount) bool {
	for _, f := range sc.shards {
		if f.err != nil || f.corrupt {
			return true
		}
	}
	return false
}
