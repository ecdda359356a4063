package datasets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsds/newsds/schema"
)

// ChangelogFile is the release's changelog, newest release first.
const ChangelogFile = "CHANGELOG.md"

// diffLayers are the annotation layers compared between releases, in report order.
// Answer sentiments live only in the turns config and are not compared.
var diffLayers = []string{schema.LayerQA, schema.LayerSentiment, schema.LayerStance}

// docState is what the diff compares of one released document: hashes of its fields
// (text and metadata), of each annotation layer ("" when it has none), and its split.
type docState struct {
	id     string
	split  string
	fields string
	layers [3]string
}

func shortHash(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Unreachable: rows are plain data and FromRecord refuses non-finite scores.
		b = []byte("unencodable: " + err.Error())
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

func stateOf(row schema.ArticleRow, split string) docState {
	st := docState{id: row.ID, split: split}
	if len(row.QATurns) > 0 {
		st.layers[0] = shortHash(row.QATurns)
	}
	if row.Sentiment != nil || len(row.ParagraphSentiment) > 0 {
		st.layers[1] = shortHash([]any{row.Sentiment, row.ParagraphSentiment})
	}
	if len(row.Stance) > 0 {
		st.layers[2] = shortHash(row.Stance)
	}
	row.QATurns, row.Sentiment, row.ParagraphSentiment, row.Stance = nil, nil, nil, nil
	if len(row.Byline) == 0 {
		row.Byline = nil
	}
	st.fields = shortHash(row)
	return st
}

// differ compares the released documents, arriving in id order, with those of the
// previous release, read in id order too: a merge join that holds one document of each
// side, so memory does not grow with the corpus.
type differ struct {
	next func() (docState, bool, error)
	head *docState
	ch   Changes
}

func newDiffer(prev func() (docState, bool, error)) *differ {
	d := &differ{next: prev}
	for _, l := range []*IDList{&d.ch.Added, &d.ch.Removed, &d.ch.Modified, &d.ch.MovedSplit} {
		l.IDs = []string{}
	}
	for _, l := range diffLayers {
		d.ch.Annotations = append(d.ch.Annotations, LayerChange{Layer: l})
	}
	return d
}

func (l *IDList) add(id string) {
	l.Count++
	if len(l.IDs) < MaxListedIDs {
		l.IDs = append(l.IDs, id)
	}
}

func (d *differ) fill() error {
	if d.head != nil {
		return nil
	}
	st, ok, err := d.next()
	if err != nil {
		return fmt.Errorf("read previous release: %w", err)
	}
	if ok {
		d.head = &st
	}
	return nil
}

func (d *differ) add(cur docState) error {
	for {
		if err := d.fill(); err != nil {
			return err
		}
		switch {
		case d.head == nil || d.head.id > cur.id:
			d.ch.Added.add(cur.id)
			return nil
		case d.head.id < cur.id:
			d.ch.Removed.add(d.head.id)
			d.head = nil
		default:
			prev := d.head
			d.head = nil
			if prev.fields != cur.fields {
				d.ch.Modified.add(cur.id)
			}
			if prev.split != cur.split {
				d.ch.MovedSplit.add(cur.id)
			}
			for i := range diffLayers {
				lc := &d.ch.Annotations[i]
				switch a, b := prev.layers[i], cur.layers[i]; {
				case a == b:
				case a == "":
					lc.Added++
				case b == "":
					lc.Removed++
				default:
					lc.Modified++
				}
			}
			return nil
		}
	}
}

// finish counts the previous documents not seen as removed.
func (d *differ) finish() (*Changes, error) {
	for {
		if err := d.fill(); err != nil {
			return nil, err
		}
		if d.head == nil {
			return &d.ch, nil
		}
		d.ch.Removed.add(d.head.id)
		d.head = nil
	}
}

// previousStates streams the articles of a release in id order: each split is in id
// order, so a merge over the splits is.
func previousStates(ctx context.Context, d *Dataset) (func() (docState, bool, error), func()) {
	type cursor struct {
		split string
		next  func() (schema.ArticleRow, error, bool)
		stop  func()
		row   *schema.ArticleRow
	}
	var cursors []*cursor
	for _, split := range d.Splits(ConfigArticles) {
		next, stop := iter.Pull2(d.Articles(ctx, split))
		cursors = append(cursors, &cursor{split: split, next: next, stop: stop})
	}
	stopAll := func() {
		for _, c := range cursors {
			c.stop()
		}
	}
	next := func() (docState, bool, error) {
		var best *cursor
		for _, c := range cursors {
			if c.row == nil && c.next != nil {
				row, err, ok := c.next()
				if err != nil {
					return docState{}, false, err
				}
				if !ok {
					c.next = nil
					continue
				}
				c.row = &row
			}
			if c.row != nil && (best == nil || c.row.ID < best.row.ID) {
				best = c
			}
		}
		if best == nil {
			return docState{}, false, nil
		}
		st := stateOf(*best.row, best.split)
		best.row = nil
		return st, true, nil
	}
	return next, stopAll
}

// semver is a parsed X.Y.Z.
type semver [3]int

func parseSemver(v string) (semver, error) {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return semver{}, fmt.Errorf("version %q is not X.Y.Z", v)
	}
	var s semver
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (len(p) > 1 && p[0] == '0') {
			return semver{}, fmt.Errorf("version %q is not X.Y.Z", v)
		}
		s[i] = n
	}
	return s, nil
}

func (s semver) String() string { return fmt.Sprintf("%d.%d.%d", s[0], s[1], s[2]) }

func (s semver) compare(o semver) int { return slices.Compare(s[:], o[:]) }

// ProposeVersion proposes the version of a release from its changes against the
// previous one, by Croissant's rules: MAJOR when records change, leave or move split
// (annotations are part of a record); MINOR when records are only added; PATCH when only
// the serialization changes (or nothing does). A first release is 1.0.0.
func ProposeVersion(prev *Manifest, ch *Changes) (string, error) {
	if prev == nil {
		return "1.0.0", nil
	}
	v, err := parseSemver(prev.Version)
	if err != nil {
		return "", fmt.Errorf("previous release: %w", err)
	}
	if ch == nil {
		return "", fmt.Errorf("previous release %s given without changes", prev.Version)
	}
	annotated := false
	for _, l := range ch.Annotations {
		annotated = annotated || l.Added+l.Removed+l.Modified > 0
	}
	switch {
	case ch.Removed.Count+ch.Modified.Count+ch.MovedSplit.Count > 0 || annotated || ch.SplitOptionsChanged:
		v = semver{v[0] + 1, 0, 0}
	case ch.Added.Count > 0:
		v = semver{v[0], v[1] + 1, 0}
	default:
		v = semver{v[0], v[1], v[2] + 1}
	}
	return v.String(), nil
}

// renderChangelog writes CHANGELOG.md: the entry of this release, then the entries of
// the previous release's changelog (its text after its title), so the file holds the
// whole history.
func renderChangelog(m *Manifest, previous []byte) []byte {
	var b bytes.Buffer
	name := m.Corpus.Name
	if name == "" {
		name = "this dataset"
	}
	fmt.Fprintf(&b, "# Changelog\n\nReleases of %s, newest first. Versions follow Croissant's rules: MAJOR when records\nchange, leave or move split; MINOR when records are only added; PATCH when only the\nserialization changes.\n\n", name)
	fmt.Fprintf(&b, "## %s\n\n", m.Version)
	fmt.Fprintf(&b, "Built from corpus version %s", m.Corpus.Version)
	if m.Corpus.Tag != "" {
		fmt.Fprintf(&b, " (tag %s)", m.Corpus.Tag)
	}
	fmt.Fprintf(&b, ", committed %s", m.Corpus.CreatedAt.UTC().Format(time.RFC3339))
	if m.Corpus.Message != "" {
		fmt.Fprintf(&b, ": %q", m.Corpus.Message)
	}
	b.WriteString(".\n\n")
	for _, c := range m.Configs {
		fmt.Fprintf(&b, "- `%s`: %d rows", c.Name, c.NumExamples())
		for i, s := range c.Splits {
			sep := ", "
			if i == 0 {
				sep = " ("
			}
			fmt.Fprintf(&b, "%s%s %d", sep, s.Name, s.NumExamples)
		}
		if len(c.Splits) > 0 {
			b.WriteString(")")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "- Splits: `%s`.\n", m.Options.Split)
	if n := m.Excluded.Duplicates.Count; n > 0 {
		fmt.Fprintf(&b, "- Duplicates excluded: %d.\n", n)
	}
	for _, s := range m.Excluded.StaleAnnotations {
		fmt.Fprintf(&b, "- Stale %s annotations not released (the text changed after them): %d.\n", s.Layer, s.Count)
	}
	b.WriteString("\n")
	if m.Previous == nil || m.Changes == nil {
		b.WriteString("First release.\n")
		return b.Bytes()
	}
	ch := m.Changes
	fmt.Fprintf(&b, "Compared with release %s (corpus version %s):\n\n", m.Previous.Version, m.Previous.Corpus.Version)
	b.WriteString("| documents | count |\n|---|---:|\n")
	fmt.Fprintf(&b, "| added | %d |\n| removed | %d |\n| modified | %d |\n| moved to another split | %d |\n\n",
		ch.Added.Count, ch.Removed.Count, ch.Modified.Count, ch.MovedSplit.Count)
	b.WriteString("| annotation layer | added | removed | modified |\n|---|---:|---:|---:|\n")
	for _, l := range ch.Annotations {
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", l.Layer, l.Added, l.Removed, l.Modified)
	}
	b.WriteString("\n")
	if ch.SplitOptionsChanged {
		fmt.Fprintf(&b, "**The split options changed** (now `%s`): documents may have moved between splits.\n\n", m.Options.Split)
	}
	if ch.SerializationChanged {
		b.WriteString("The serialization changed (format version, shard size or file formats).\n\n")
	}
	for _, l := range []struct {
		what string
		ids  IDList
	}{{"Added", ch.Added}, {"Removed", ch.Removed}, {"Modified", ch.Modified}, {"Moved split", ch.MovedSplit}} {
		if l.ids.Count == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s", l.what)
		if int64(len(l.ids.IDs)) < l.ids.Count {
			fmt.Fprintf(&b, " (first %d of %d)", len(l.ids.IDs), l.ids.Count)
		}
		b.WriteString(":")
		for _, id := range l.ids.IDs {
			fmt.Fprintf(&b, " `%s`", id)
		}
		b.WriteString("\n\n")
	}
	if _, rest, ok := bytes.Cut(previous, []byte("\n## ")); ok {
		b.WriteString("## ")
		b.Write(rest)
	}
	out := bytes.TrimRight(b.Bytes(), "\n")
	return append(out, '\n')
}
