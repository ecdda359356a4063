package datasets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/atomicfile"
	"github.com/newsds/newsds/schema"
)

// Errors a caller of Release acts on.
var (
	// ErrExists: the release folder exists and ReleaseOptions.Force is not set.
	ErrExists = errors.New("release folder already exists (give --force to replace it)")
	// ErrStaged: the version to release is the uncommitted working set.
	ErrStaged = errors.New("cannot release staged work: commit it first and release the commit")
	// ErrUncommitted: the corpus has staged documents or annotations that are not
	// committed, so a release of a commit would silently leave them out. The error is an
	// *UncommittedError; ReleaseOptions.AllowStaged releases anyway.
	ErrUncommitted = errors.New("staged work is not committed")
)

// UncommittedError says what is staged but not committed.
type UncommittedError struct {
	// Documents counts staged documents added, removed, modified or updated;
	// Annotations staged annotations added, removed or changed, over all layers.
	Documents, Annotations int
	// Version is the committed version the release would be made from.
	Version string
}

func (e *UncommittedError) Error() string {
	return fmt.Sprintf("%d document and %d annotation changes are staged but not committed, and a release of %s would leave them out: "+
		"run `newsds commit` first, or give --allow-staged to release %s without them", e.Documents, e.Annotations, e.Version, e.Version)
}

// Is makes an UncommittedError match ErrUncommitted.
func (e *UncommittedError) Is(target error) bool { return target == ErrUncommitted }

// StatusSource is implemented by a RecordSource that has a staged working set
// (corpus.Store): Release refuses to leave uncommitted work out unless AllowStaged.
type StatusSource interface {
	// Status compares the staged working set with the last commit.
	Status(ctx context.Context) (*corpus.Diff, error)
}

// RecordSource is what Release reads from a corpus (corpus.Store satisfies it).
type RecordSource interface {
	// ResolveVersion resolves "v3", "3", a tag, "latest" or "staged" to a version.
	ResolveVersion(ctx context.Context, ref string) (corpus.Version, error)
	// Records streams the records of a version in id order.
	Records(ctx context.Context, version string) iter.Seq2[schema.Record, error]
}

// DefaultShardSize is the target size of one data file.
const DefaultShardSize = 256 << 20

// PreviousNone as ReleaseOptions.PreviousDir releases without comparing with a
// previous release (the release is then versioned as a first one).
const PreviousNone = "none"

// ReleaseOptions configures Release. The zero value of each field is its default.
type ReleaseOptions struct {
	// Out is the release folder to create. Required.
	Out string
	// Version is the release version X.Y.Z; empty proposes one (ProposeVersion). It
	// must be newer than the previous release's.
	Version string
	// CorpusVersion is the committed corpus version to release ("v3", "3", a tag);
	// empty is the latest commit. Staged work is refused (ErrStaged).
	CorpusVersion string
	// Formats are the data file formats: "parquet" (always written, under data/) and
	// "arrow" (Arrow IPC files under arrow/, for readers that map files into memory;
	// see layout.go).
	Formats []string
	// Split is the split spec (see SplitSpec), default DefaultSplit. SplitBy is the
	// same for a date spec, with or without its "date:" prefix; set one of the two.
	Split   string
	SplitBy string
	// ShardSize is the target size of a data file in bytes (see ParseSize), default
	// DefaultShardSize.
	ShardSize int64
	// KeepDuplicates releases documents marked as duplicates of another.
	KeepDuplicates bool
	// Config supplies the card facts (name, license, ...); nil is an empty config.
	Config *config.Config
	// PreviousDir is the release to compare with. Empty takes the newest release
	// recorded in History older than Version; PreviousNone compares with nothing.
	PreviousDir string
	// History is the folder where releases are recorded (<corpus>/.newsds/releases):
	// Release reads it to find the previous release and adds <version>.json to it. Empty
	// keeps no history.
	History string
	// Force replaces an existing Out, which must then be a newsds release holding only
	// its own files, and must not be or hold CorpusDir or History (see
	// ErrNotReplaceable). Anything else is refused.
	Force bool
	// AllowStaged releases even though the source (a StatusSource) has staged work that
	// is not committed; without it Release returns an *UncommittedError.
	AllowStaged bool
	// CorpusDir is the corpus the release is made from, which Force never replaces;
	// empty takes it from src when src has a Root() (a corpus.Store does).
	CorpusDir string
	// Allocator for Arrow buffers; nil is the Go allocator.
	Allocator memory.Allocator
}

// ParseSize parses a byte size: "256MB", "1GB", "512KB", "4096". KB, MB and GB (and
// KiB, MiB, GiB) are powers of 1024.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a positive number of bytes such as 256MB", s)
	}
	return n * mult, nil
}

// resolved are the checked options.
type resolved struct {
	ReleaseOptions
	split   SplitSpec
	formats []string
	cfg     *config.Config
}

func (o ReleaseOptions) resolve() (resolved, error) {
	r := resolved{ReleaseOptions: o}
	if o.Out == "" {
		return r, errors.New("release: no output folder")
	}
	if o.Version != "" {
		if _, err := parseSemver(o.Version); err != nil {
			return r, fmt.Errorf("release: %w", err)
		}
	}
	spec := o.Split
	if o.SplitBy != "" {
		if o.Split != "" {
			return r, errors.New("release: give a split or a split-by, not both")
		}
		spec = "date:" + strings.TrimPrefix(o.SplitBy, "date:")
	}
	var err error
	if r.split, err = ParseSplit(spec); err != nil {
		return r, fmt.Errorf("release: %w", err)
	}
	r.formats = []string{FormatParquet}
	for _, f := range o.Formats {
		switch f := strings.ToLower(strings.TrimSpace(f)); f {
		case FormatParquet:
		case FormatArrow:
			r.formats = []string{FormatParquet, FormatArrow}
		default:
			return r, fmt.Errorf("release: format %q is neither parquet nor arrow", f)
		}
	}
	if r.ShardSize == 0 {
		r.ShardSize = DefaultShardSize
	}
	if r.ShardSize < 0 {
		return r, fmt.Errorf("release: shard size %d is negative", r.ShardSize)
	}
	if r.Allocator == nil {
		r.Allocator = memory.DefaultAllocator
	}
	r.cfg = o.Config
	if r.cfg == nil {
		r.cfg = &config.Config{}
	}
	return r, nil
}

// historyEntry is <History>/<version>.json: where a release was written and its
// manifest.
type historyEntry struct {
	Dir      string    `json:"dir"`
	Manifest *Manifest `json:"manifest"`
}

// findPrevious returns the folder of the release to compare with, "" for none.
func findPrevious(o resolved) (string, error) {
	switch {
	case o.PreviousDir == PreviousNone:
		return "", nil
	case o.PreviousDir != "":
		return o.PreviousDir, nil
	case o.History == "":
		return "", nil
	}
	entries, err := os.ReadDir(o.History)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("release history: %w", err)
	}
	var limit *semver
	if o.Version != "" {
		v, _ := parseSemver(o.Version)
		limit = &v
	}
	var best *historyEntry
	var bestV semver
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		v, err := parseSemver(name)
		same := limit != nil && v.compare(*limit) == 0
		if err != nil || (limit != nil && v.compare(*limit) > 0) || (!same && best != nil && v.compare(bestV) <= 0) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(o.History, e.Name()))
		if err != nil {
			return "", fmt.Errorf("release history: %w", err)
		}
		var h historyEntry
		if err := json.Unmarshal(b, &h); err != nil {
			return "", fmt.Errorf("release history %s: %w", e.Name(), err)
		}
		if same {
			// Rebuilding a version is only done in place; elsewhere it is a mistake.
			if out, _ := filepath.Abs(o.Out); h.Dir != out {
				return "", fmt.Errorf("release %s was already written to %s", v, h.Dir)
			}
			continue
		}
		best, bestV = &h, v
	}
	if best == nil {
		return "", nil
	}
	if _, err := os.Stat(filepath.Join(best.Dir, ManifestFile)); err != nil {
		return "", fmt.Errorf("previous release %s was written to %s, which is no longer there: give the previous release folder, or %q to compare with nothing",
			bestV, best.Dir, PreviousNone)
	}
	return best.Dir, nil
}

// Release writes a release of a committed corpus version into opts.Out, atomically: it
// is built in a temp folder beside Out and renamed at the end, so a failed or killed
// release leaves no Out. The same corpus version and options give byte-identical files.
func Release(ctx context.Context, src RecordSource, opts ReleaseOptions) (_ *Manifest, err error) {
	o, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	ref := o.CorpusVersion
	if ref == "" {
		ref = "latest"
	}
	v, err := src.ResolveVersion(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("release: corpus version %q: %w", ref, err)
	}
	if v.Seq == 0 {
		return nil, fmt.Errorf("release: corpus version %q: %w", ref, ErrStaged)
	}
	if ss, ok := src.(StatusSource); ok && !o.AllowStaged {
		d, err := ss.Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("release: corpus status: %w", err)
		}
		docs := d.Counts.Added + d.Counts.Removed + d.Counts.Modified + d.Counts.Updated
		anns := 0
		for _, l := range d.Annotations {
			anns += l.Added + l.Removed + l.Changed
		}
		if docs+anns > 0 {
			return nil, fmt.Errorf("release: %w", &UncommittedError{Documents: docs, Annotations: anns, Version: v.Name})
		}
	}
	// Refused before any work: replacing is checked again just before the rename.
	var replaceable func(string) error
	if o.Force {
		protect := []protected{{"the corpus", o.CorpusDir}, {"the release history", o.History}}
		if r, ok := src.(interface{ Root() string }); ok && o.CorpusDir == "" {
			protect[0].dir = r.Root()
		}
		replaceable = func(out string) error { return checkReplaceable(out, protect) }
	}
	if _, err := os.Lstat(o.Out); err == nil {
		if replaceable == nil {
			return nil, fmt.Errorf("release: %s: %w", o.Out, ErrExists)
		}
		if err := replaceable(o.Out); err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
	}

	var prev *Dataset
	prevDir, err := findPrevious(o)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if prevDir != "" {
		if prev, err = Open(prevDir); err != nil {
			return nil, fmt.Errorf("release: previous release: %w", err)
		}
		if prev.Manifest() == nil {
			return nil, fmt.Errorf("release: previous release %s has no %s", prevDir, ManifestFile)
		}
	}

	if o.History != "" {
		if err := cleanPending(o.History); err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
	}
	tmp, err := makeTempDir(o.Out)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if o.History != "" {
		done, err := pending(o.History, tmp)
		if err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
		defer done()
	}

	m := &Manifest{
		FormatVersion: FormatVersion,
		Corpus: CorpusRef{Name: o.cfg.Name, Version: v.Name, Seq: v.Seq, CreatedAt: v.CreatedAt.UTC(),
			Message: v.Message, Tag: v.Tag},
		Options: ReleaseOptionsJSON{Split: o.split.String(), SplitNames: o.split.Names(), ShardSize: o.ShardSize,
			Formats: o.formats, KeepDuplicates: o.KeepDuplicates},
		Excluded: ExcludedInfo{Duplicates: IDList{IDs: []string{}}},
	}
	st := NewStats()
	// Without a previous release there is nothing to compare with, and no document
	// state is computed (nil differ).
	var d *differ
	if prev != nil {
		next, stop := previousStates(ctx, prev)
		defer stop()
		d = newDiffer(next)
	}
	if err := writeData(ctx, src, v.Name, o, tmp, m, st, d); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if prev != nil {
		ch, err := d.finish()
		if err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
		pm := prev.Manifest()
		ch.SplitOptionsChanged = pm.Options.Split != m.Options.Split
		ch.SerializationChanged = pm.FormatVersion != m.FormatVersion || pm.Options.ShardSize != m.Options.ShardSize ||
			!slices.Equal(pm.Options.Formats, m.Options.Formats)
		m.Previous = &PreviousRef{Version: pm.Version, Corpus: pm.Corpus}
		m.Changes = ch
	}
	if m.Version = o.Version; m.Version == "" {
		var pm *Manifest
		if prev != nil {
			pm = prev.Manifest()
		}
		if m.Version, err = ProposeVersion(pm, m.Changes); err != nil {
			return nil, fmt.Errorf("release: %w", err)
		}
	} else if m.Previous != nil {
		pv, err := parseSemver(m.Previous.Version)
		if err != nil {
			return nil, fmt.Errorf("release: previous release: %w", err)
		}
		if nv, _ := parseSemver(m.Version); nv.compare(pv) <= 0 {
			return nil, fmt.Errorf("release: version %s is not newer than the previous release %s", m.Version, pv)
		}
	}
	if err := writeDocs(tmp, o, m, st, prevDir); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if err := commitDir(tmp, o.Out, replaceable); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if o.History != "" {
		if err := recordHistory(o, m); err != nil {
			return m, fmt.Errorf("release written to %s, but not recorded in the history: %w", o.Out, err)
		}
	}
	return m, nil
}

// writeData streams the records into the shards of every config and split, and fills
// the manifest's configs and exclusions, the statistics and, when d is not nil, the diff.
func writeData(ctx context.Context, src RecordSource, version string, o resolved, tmp string, m *Manifest, st *Stats, d *differ) (err error) {
	layout := newShardLayout(o.ShardSize, slices.Contains(o.formats, FormatArrow))
	names := o.split.Names()
	var articles, turns []*splitWriter
	defer func() {
		for _, w := range slices.Concat(articles, turns) {
			w.release()
		}
	}()
	for _, split := range names {
		aw, err := newSplitWriter(tmp, ConfigArticles, split, layout, o.Allocator)
		if err != nil {
			return err
		}
		articles = append(articles, aw)
		tw, err := newSplitWriter(tmp, ConfigTurns, split, layout, o.Allocator)
		if err != nil {
			return err
		}
		turns = append(turns, tw)
	}
	stale := map[string]int64{}
	lastID := ""
	for rec, err := range src.Records(ctx, version) {
		if err != nil {
			return fmt.Errorf("read corpus %s: %w", version, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if rec.ID == "" {
			return fmt.Errorf("read corpus %s: a document without an id after %q", version, lastID)
		}
		if rec.ID <= lastID {
			return fmt.Errorf("read corpus %s: document %s comes after %s: records must arrive in id order, once each", version, rec.ID, lastID)
		}
		lastID = rec.ID
		if rec.DupOf() != "" && !o.KeepDuplicates {
			m.Excluded.Duplicates.add(rec.ID)
			continue
		}
		row, turnRows, err := schema.FromRecord(rec)
		if err != nil {
			return err
		}
		for _, a := range rec.Annotations {
			if a.Stale {
				stale[a.Layer]++
			}
		}
		si := o.split.Assign(&row)
		split := names[si]
		row.Split = split
		st.Add(rec, split)
		if d != nil {
			if err := d.add(stateOf(row, split)); err != nil {
				return err
			}
		}
		approx := int64(len(row.Text) + len(row.Title) + 256)
		if err := articles[si].add(func(b *array.RecordBuilder) { schema.AppendArticleRow(b, row) }, approx); err != nil {
			return err
		}
		for _, t := range turnRows {
			t.Split = split
			if err := turns[si].add(func(b *array.RecordBuilder) { schema.AppendTurnRow(b, t) }, int64(len(t.Question)+len(t.Answer)+128)); err != nil {
				return err
			}
		}
	}
	for _, layer := range slices.Sorted(maps.Keys(stale)) {
		m.Excluded.StaleAnnotations = append(m.Excluded.StaleAnnotations, LayerCount{Layer: layer, Count: stale[layer]})
	}
	if m.Excluded.StaleAnnotations == nil {
		m.Excluded.StaleAnnotations = []LayerCount{}
	}
	for _, c := range []struct {
		name    string
		writers []*splitWriter
	}{{ConfigArticles, articles}, {ConfigTurns, turns}} {
		feats, err := schema.FeaturesJSON(c.name)
		if err != nil {
			return err
		}
		ci := ConfigInfo{Name: c.name, Features: feats}
		for _, w := range c.writers {
			si, err := w.finish()
			if err != nil {
				return err
			}
			ci.Splits = append(ci.Splits, si)
		}
		m.Configs = append(m.Configs, ci)
	}
	return nil
}

// writeDocs writes the manifest, changelog, charts, card, Croissant and, last, the
// checksums of all of them.
func writeDocs(tmp string, o resolved, m *Manifest, st *Stats, prevDir string) error {
	mb, err := marshalManifest(m)
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(tmp, ManifestFile), mb); err != nil {
		return err
	}
	// The manifest marks the temp folder as ours from here on (see atomic.go), and the
	// marker must not end up in the checksums.
	if err := os.Remove(filepath.Join(tmp, tmpMarker)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", tmpMarker, err)
	}
	var prevLog, prevCard []byte
	if prevDir != "" {
		if prevLog, err = readOptional(filepath.Join(prevDir, ChangelogFile)); err != nil {
			return err
		}
		if prevCard, err = readOptional(filepath.Join(prevDir, "README.md")); err != nil {
			return err
		}
	}
	// A rebuild over an existing release keeps what a person wrote in its card.
	if o.Force {
		cur, err := readOptional(filepath.Join(o.Out, "README.md"))
		if err != nil {
			return err
		}
		if cur != nil {
			prevCard = cur
		}
	}
	if err := writeFile(filepath.Join(tmp, ChangelogFile), renderChangelog(m, prevLog)); err != nil {
		return err
	}
	if err := WriteCharts(tmp, m, st, o.cfg); err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	if err := WriteCard(tmp, m, st, o.cfg, prevCard); err != nil {
		return fmt.Errorf("card: %w", err)
	}
	if err := WriteCroissant(tmp, m, st, o.cfg); err != nil {
		return fmt.Errorf("croissant: %w", err)
	}
	known := map[string]string{}
	for _, c := range m.Configs {
		for _, s := range c.Splits {
			for _, f := range s.Files {
				known[f.Path] = f.SHA256
			}
		}
	}
	return writeChecksums(tmp, known)
}

func readOptional(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

func recordHistory(o resolved, m *Manifest) error {
	dir, err := filepath.Abs(o.Out)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(historyEntry{Dir: dir, Manifest: m}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.History, 0o755); err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(o.History, m.Version+".json"), append(b, '\n'), 0o644)
}
