package validate

import (
	"bufio"
	"context"
	"crypto/sha256"
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
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/newsds/newsds/internal/saferead"
	"github.com/newsds/newsds/schema"
)

// Release file names (the layout is issue 4's; see docs/release.md).
const (
	releaseManifest  = "newsds-release.json"
	releaseCard      = "README.md"
	releaseChecksums = "checksums.sha256"
	releaseCroissant = "croissant.json"
	hfMetadataKey    = "huggingface"
)

// Release configs, in the order they are checked: articles first, so that turn rows can
// be matched to their article's split.
var releaseConfigs = []string{"articles", "turns"}

var (
	splitNamePattern = regexp.MustCompile(`^\w+(\.\w+)*$`)
	shardNamePattern = regexp.MustCompile(`^(.+)-(\d{5})-of-(\d{5})\.(parquet|arrow)$`)
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

// manifestView is the part of newsds-release.json validation reads.
type manifestView struct {
	FormatVersion int `json:"format_version"`
	Options       struct {
		KeepDuplicates bool `json:"keep_duplicates"`
	} `json:"options"`
	Excluded struct {
		Duplicates struct {
			IDs []string `json:"ids"`
		} `json:"duplicates"`
	} `json:"excluded"`
	Configs []struct {
		Name   string `json:"name"`
		Splits []struct {
			Name     string `json:"name"`
			NumBytes int64  `json:"num_bytes"`
		} `json:"splits"`
	} `json:"configs"`
}

// numBytes is the num_bytes the writer recorded for a split.
func (m *manifestView) numBytes(config, split string) (int64, bool) {
	for _, c := range m.Configs {
		if c.Name != config {
			continue
		}
		for _, s := range c.Splits {
			if s.Name == split {
				return s.NumBytes, true
			}
		}
	}
	return 0, false
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
	manifest *manifestView
	// contentHashes finds exact duplicates that a release without --keep-duplicates
	// must not hold.
	contentHashes map[idKey]string
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
		if parts := strings.Split(rel, "/"); len(parts) == 3 && parts[0] == "data" {
			c.classifyShard(f, parts[1], parts[2])
		} else if len(parts) > 1 && parts[0] == "data" {
			c.s.emit(Finding{Rule: RuleCardDataFiles, Location: Location{File: rel},
				Message: fmt.Sprintf("%s is not at data/<config>/<split>-NNNNN-of-NNNNN.parquet", rel), Fix: rebuildFix})
		}
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

func (c *releaseChecker) classifyShard(f *releaseFile, config, name string) {
	m := shardNamePattern.FindStringSubmatch(name)
	if m == nil {
		c.s.emit(Finding{Rule: RuleCardDataFiles, Location: Location{File: f.rel, Config: config},
			Message: fmt.Sprintf("%s is not named <split>-NNNNN-of-NNNNN.parquet", f.rel), Fix: rebuildFix})
		return
	}
	f.config, f.split, f.format = config, m[1], m[4]
	f.shard, _ = strconv.Atoi(m[2])
	f.of, _ = strconv.Atoi(m[3])
	if !splitNamePattern.MatchString(f.split) {
		c.s.emit(Finding{Rule: RuleSplitName, Location: Location{File: f.rel, Config: config, Split: f.split},
			Message: fmt.Sprintf("split name %q does not match the Hub's pattern ^\\w+(\\.\\w+)*$", f.split),
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
	var m manifestView
	if err := json.Unmarshal(b, &m); err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: Location{File: releaseManifest},
			Message: fmt.Sprintf("%s is not valid JSON: %v", releaseManifest, err), Fix: rebuildFix})
		return
	}
	c.manifest = &m
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
		if strings.HasPrefix(name, "data/") && !listed[name] {
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
		if !strings.HasPrefix(name, "data/") || described[name] {
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
		if i := slices.Index(releaseConfigs, name); i >= 0 {
			return i
		}
		return len(releaseConfigs)
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
		if f.format != "parquet" {
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
					File: fmt.Sprintf("data/%s/%s-%05d-of-%05d.parquet", cfg, split, i, of)},
					Message: fmt.Sprintf("shard %d of %d of %s/%s is missing", i, of, cfg, split), Fix: rebuildFix})
			}
		}
	}
	return nil
}

// checkArrowFile checks the schema of an Arrow IPC stream file written beside the
// Parquet shards.
func (c *releaseChecker) checkArrowFile(f *releaseFile) {
	if f.err != nil {
		return
	}
	loc := Location{File: f.rel, Config: f.config, Split: f.split}
	fh, err := os.Open(filepath.Join(c.dir, filepath.FromSlash(f.rel)))
	if err != nil {
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: loc, Message: err.Error()})
		return
	}
	defer fh.Close()
	// The stream is read to its end, so that a damaged record batch is found and not
	// only a damaged schema; rows are counted, not decoded (the Parquet twin's are).
	mem := saferead.Allocator(memory.DefaultAllocator, saferead.AllocLimit(f.size))
	var r *ipc.Reader
	var sch *arrow.Schema
	err = saferead.Do(func() error {
		var err error
		r, err = ipc.NewReaderFromMessageReader(saferead.NewIPCMessageReader(fh, f.size, mem), ipc.WithAllocator(mem))
		if err == nil {
			sch = r.Schema()
		}
		return err
	})
	if err != nil {
		f.corrupt = true
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: loc,
			Message: fmt.Sprintf("%s is not a readable Arrow IPC stream: %v", f.rel, err), Fix: rebuildFix})
		return
	}
	defer saferead.Do(func() error { r.Release(); return nil })
	if err := schema.CheckSchema(f.config, sch); err != nil {
		c.s.emit(Finding{Rule: RuleParquetSchema, Location: loc,
			Message: fmt.Sprintf("%s: %v", f.rel, err), Fix: rebuildFix})
		return
	}
	err = saferead.Do(func() error {
		for r.Next() {
			f.rows += r.RecordBatch().NumRows()
		}
		return r.Err()
	})
	if err != nil && !errors.Is(err, io.EOF) {
		f.corrupt = true
		c.s.emit(Finding{Rule: RuleFileUnreadable, Location: loc,
			Message: fmt.Sprintf("%s is corrupt after row %d: %v", f.rel, f.rows, err), Fix: rebuildFix})
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
	pq, err := saferead.OpenParquet(filepath.Join(c.dir, filepath.FromSlash(f.rel)), memory.DefaultAllocator, 1024)
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
	defer saferead.Do(func() error { rr.Release(); return nil })
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
		err := saferead.Do(func() error {
			if !rr.Next() {
				return nil
			}
			batch = rr.RecordBatch()
			size = schema.ArrowBytes(batch)
			var err error
			if f.config == "articles" {
				articles, err = schema.ArticleRows(batch)
			} else {
				turns, err = schema.TurnRows(batch)
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
		for i := range articles {
			c.checkArticle(ctx, &articles[i], loc, row+int64(i))
		}
		for i := range turns {
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
	loc.DocID = row.ID
	rec := articleRecord(row)
	rctx := recordContext{release: true, split: loc.Split, fix: rebuildFix}
	if c.manifest != nil {
		rctx.keepDuplicates = c.manifest.Options.KeepDuplicates
		if ids := c.manifest.Excluded.Duplicates.IDs; len(ids) > 0 && slices.Contains(ids, row.ID) {
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
			c.contentHashes[k] = row.ID
		}
	}
	c.rc.check(&rec, loc, rctx)
}

// articleRecord rebuilds the record an articles row was made from, as far as the row
// says: spans without their text (the row does not repeat it), one annotation per
// layer and annotator.
func articleRecord(row *schema.ArticleRow) schema.Record {
	rec := schema.Record{Document: schema.Document{
		ID: row.ID, URL: row.URL, Source: row.Source, SiteName: row.SiteName, Title: row.Title,
		Byline: row.Byline, Published: row.PublishedLocal, Section: row.Section, Lang: row.Lang,
		Text: row.Text, ContentHash: row.ContentHash,
	}}
	if rec.Published == "" && row.Published != nil {
		rec.Published = row.Published.Format(time.RFC3339)
	}
	anns := map[string]*schema.Annotation{}
	var order []string
	add := func(layer, annotator string, it schema.Item) {
		key := layer + "\x00" + annotator
		a := anns[key]
		if a == nil {
			name, version, _ := strings.Cut(annotator, "@")
			a = &schema.Annotation{DocID: row.ID, Layer: layer, ContentHash: row.ContentHash,
				Annotator: schema.Annotator{Name: name, Version: version}}
			anns[key] = a
			order = append(order, key)
		}
		a.Items = append(a.Items, it)
	}
	for _, t := range row.QATurns {
		it := schema.Item{Label: className(schema.QARoles, t.Role), Attrs: map[string]string{schema.AttrTurn: strconv.FormatInt(t.Index, 10)}}
		setSpan(&it, t.Start, t.End)
		if t.Speaker != "" {
			it.Attrs[schema.AttrSpeaker] = t.Speaker
		}
		if t.SpeakerRole >= 0 {
			it.Attrs[schema.AttrSpeakerRole] = className(schema.SpeakerRoles, t.SpeakerRole)
		}
		add(schema.LayerQA, t.Annotator, it)
	}
	if s := row.Sentiment; s != nil {
		add(schema.LayerSentiment, s.Annotator, schema.Item{Label: className(schema.SentimentLabels, s.Label), Score: s.Score,
			Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}})
	}
	for _, p := range row.ParagraphSentiment {
		it := schema.Item{Label: className(schema.SentimentLabels, p.Label), Score: p.Score,
			Attrs: map[string]string{schema.AttrScope: schema.ScopeParagraph}}
		if p.Paragraph >= 0 {
			it.Attrs[schema.AttrParagraph] = strconv.FormatInt(p.Paragraph, 10)
		}
		setSpan(&it, p.Start, p.End)
		add(schema.LayerSentiment, p.Annotator, it)
	}
	for _, s := range row.Stance {
		it := schema.Item{Label: className(schema.StanceLabels, s.Label), Score: s.Score,
			Attrs: map[string]string{schema.AttrTarget: s.Target}}
		setSpan(&it, s.Start, s.End)
		add(schema.LayerStance, s.Annotator, it)
	}
	for _, k := range order {
		rec.Annotations = append(rec.Annotations, *anns[k])
	}
	return rec
}

// setSpan sets a span from a row's offsets, where -1 (null) means none.
func setSpan(it *schema.Item, start, end int64) {
	if start >= 0 {
		it.Start = intPtr(int(start))
	}
	if end >= 0 {
		it.End = intPtr(int(end))
	}
}

// className maps a class id back to its label; an id outside the set keeps its number
// so that label-unknown reports it.
func className(labels []string, id int64) string {
	if id >= 0 && id < int64(len(labels)) {
		return labels[id]
	}
	return fmt.Sprintf("class id %d", id)
}

// checkTurn checks a turns row on its own and against the article it comes from.
func (c *releaseChecker) checkTurn(t *schema.TurnRow, loc Location, n int64) {
	loc.Row = &n
	loc.DocID = t.ArticleID
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
	c.lastArticle, c.lastIndex = t.ArticleID, t.Index
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
			if !splitNamePattern.MatchString(df.Split) {
				c.s.emit(Finding{Rule: RuleSplitName, Location: loc,
					Message: fmt.Sprintf("config %s split name %q does not match the Hub's pattern ^\\w+(\\.\\w+)*$", cfg.ConfigName, df.Split), Fix: rebuildFix})
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
		if f := c.files[name]; f.config != "" && f.format == "parquet" && !matched[name] && (f.rows > 0 || f.corrupt || f.err != nil) {
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
				if want, ok := c.manifest.numBytes(info.ConfigName, sp.Name); ok && want != *sp.NumBytes {
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
