package corpus

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Version is an immutable, committed state of the corpus: the documents (id and
// revision) and annotations staged when it was made.
type Version struct {
	Seq         int       `json:"seq"`
	Name        string    `json:"name"`
	Tag         string    `json:"tag,omitempty"`
	Message     string    `json:"message"`
	CreatedAt   time.Time `json:"created_at"`
	Documents   int       `json:"documents"`
	Annotations int       `json:"annotations"`
}

// Diff lists what changed from one version to another.
type Diff struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Added, Removed and Modified (same id, new content hash) hold document ids, sorted.
	Added    []string `json:"added"`
	Removed  []string `json:"removed"`
	Modified []string `json:"modified"`
	// Updated holds ids whose text is the same but whose metadata changed.
	Updated     []string    `json:"updated"`
	Annotations []LayerDiff `json:"annotations"`
	Counts      DiffCounts  `json:"counts"`
}

// LayerDiff counts annotation changes on one layer, per (document, annotator).
type LayerDiff struct {
	Layer   string `json:"layer"`
	Added   int    `json:"added"`
	Removed int    `json:"removed"`
	Changed int    `json:"changed"`
}

// DiffCounts summarises a Diff.
type DiffCounts struct {
	Added    int `json:"added"`
	Removed  int `json:"removed"`
	Modified int `json:"modified"`
	Updated  int `json:"updated"`
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.Added)+len(d.Removed)+len(d.Modified)+len(d.Updated)+len(d.Annotations) == 0
}

// docSet and annSet are SQL fragments selecting a version's membership; seq 0 is the
// staged working set.
func docSet(seq int) string {
	if seq == 0 {
		return `SELECT id, rev FROM staged`
	}
	return `SELECT id, rev FROM version_docs WHERE seq = ` + strconv.Itoa(seq)
}

func annSet(seq int) string {
	if seq == 0 {
		return `SELECT doc_id, layer, annotator, aid FROM staged_anns`
	}
	return `SELECT doc_id, layer, annotator, aid FROM version_anns WHERE seq = ` + strconv.Itoa(seq)
}

// Diff compares two versions (see ResolveVersion for the references accepted).
func (s *Store) Diff(ctx context.Context, from, to string) (*Diff, error) {
	a, err := s.ResolveVersion(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	b, err := s.ResolveVersion(ctx, to)
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	return s.diff(ctx, s.db, a, b)
}

// Status compares the staged working set with the last version (or with nothing
// before the first commit).
func (s *Store) Status(ctx context.Context) (*Diff, error) {
	last, err := s.ResolveVersion(ctx, "latest")
	if err != nil {
		last = Version{Seq: -1, Name: "(none)"}
	}
	staged, err := s.ResolveVersion(ctx, "staged")
	if err != nil {
		return nil, err
	}
	return s.diff(ctx, s.db, last, staged)
}

func (s *Store) diff(ctx context.Context, q queryer, a, b Version) (*Diff, error) {
	d := &Diff{From: a.Name, To: b.Name, Added: []string{}, Removed: []string{}, Modified: []string{}, Updated: []string{}, Annotations: []LayerDiff{}}
	aDocs, aAnns := docSet(a.Seq), annSet(a.Seq)
	if a.Seq < 0 { // before the first commit everything staged is new
		aDocs = `SELECT id, rev FROM staged WHERE 0`
		aAnns = `SELECT doc_id, layer, annotator, aid FROM staged_anns WHERE 0`
	}
	bDocs, bAnns := docSet(b.Seq), annSet(b.Seq)
	query := `WITH a AS (` + aDocs + `), b AS (` + bDocs + `)
	SELECT 'added', b.id FROM b LEFT JOIN a USING(id) WHERE a.id IS NULL
	UNION ALL SELECT 'removed', a.id FROM a LEFT JOIN b USING(id) WHERE b.id IS NULL
	UNION ALL SELECT CASE WHEN ra.content_hash != rb.content_hash THEN 'modified' ELSE 'updated' END, a.id
		FROM a JOIN b USING(id) JOIN revs ra ON ra.rev = a.rev JOIN revs rb ON rb.rev = b.rev WHERE a.rev != b.rev
	ORDER BY 2`
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("diff %s %s: %w", a.Name, b.Name, err)
	}
	for rows.Next() {
		var kind, id string
		if err := rows.Scan(&kind, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("diff: %w", err)
		}
		switch kind {
		case "added":
			d.Added = append(d.Added, id)
		case "removed":
			d.Removed = append(d.Removed, id)
		case "modified":
			d.Modified = append(d.Modified, id)
		case "updated":
			d.Updated = append(d.Updated, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	annQuery := `WITH a AS (` + aAnns + `), b AS (` + bAnns + `),
	changes AS (
		SELECT b.layer AS layer, 'added' AS kind FROM b LEFT JOIN a USING(doc_id, layer, annotator) WHERE a.aid IS NULL
		UNION ALL SELECT a.layer, 'removed' FROM a LEFT JOIN b USING(doc_id, layer, annotator) WHERE b.aid IS NULL
		UNION ALL SELECT a.layer, 'changed' FROM a JOIN b USING(doc_id, layer, annotator) WHERE a.aid != b.aid)
	SELECT layer, sum(kind = 'added'), sum(kind = 'removed'), sum(kind = 'changed') FROM changes GROUP BY layer ORDER BY layer`
	arows, err := q.QueryContext(ctx, annQuery)
	if err != nil {
		return nil, fmt.Errorf("diff annotations: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var l LayerDiff
		if err := arows.Scan(&l.Layer, &l.Added, &l.Removed, &l.Changed); err != nil {
			return nil, fmt.Errorf("diff annotations: %w", err)
		}
		d.Annotations = append(d.Annotations, l)
	}
	d.Counts = DiffCounts{Added: len(d.Added), Removed: len(d.Removed), Modified: len(d.Modified), Updated: len(d.Updated)}
	return d, arows.Err()
}

var tagPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]*$`)

// Commit makes the staged documents and annotations an immutable version. The version
// row is written last in the same transaction: it is the commit point.
func (s *Store) Commit(ctx context.Context, message, tag string) (Version, error) {
	if message == "" {
		return Version{}, fmt.Errorf("commit: a message is required")
	}
	if tag != "" {
		if !tagPattern.MatchString(tag) || regexp.MustCompile(`^v?\d+$`).MatchString(tag) {
			return Version{}, fmt.Errorf("commit: tag %q must start with a letter, use letters, digits, '.', '_' or '-', and not look like a version number", tag)
		}
		if tag == "latest" || tag == "staged" || tag == "HEAD" {
			return Version{}, fmt.Errorf("commit: tag %q is reserved", tag)
		}
	}
	var v Version
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var lastSeq int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(seq), 0) FROM versions`).Scan(&lastSeq); err != nil {
			return err
		}
		prev := Version{Seq: lastSeq, Name: "v" + strconv.Itoa(lastSeq)}
		if lastSeq == 0 {
			prev = Version{Seq: -1, Name: "(none)"}
		}
		d, err := s.diff(ctx, tx, prev, Version{Seq: 0, Name: "staged"})
		if err != nil {
			return err
		}
		if d.Empty() {
			return ErrNothingToCommit
		}
		if tag != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM versions WHERE tag = ?`, tag).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("tag %q already names a version", tag)
			}
		}
		v = Version{Seq: lastSeq + 1, Name: "v" + strconv.Itoa(lastSeq+1), Tag: tag, Message: message, CreatedAt: s.now().UTC().Truncate(time.Second)}
		if _, err := tx.ExecContext(ctx, `INSERT INTO version_docs(seq, id, rev) SELECT ?, id, rev FROM staged`, v.Seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO version_anns(seq, doc_id, layer, annotator, aid) SELECT ?, doc_id, layer, annotator, aid FROM staged_anns`, v.Seq); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM staged), (SELECT count(*) FROM staged_anns)`).Scan(&v.Documents, &v.Annotations); err != nil {
			return err
		}
		var tagArg any
		if tag != "" {
			tagArg = tag
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO versions(seq, name, tag, message, created_at, documents, annotations) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			v.Seq, v.Name, tagArg, message, v.CreatedAt.Format(time.RFC3339Nano), v.Documents, v.Annotations)
		return err
	})
	if err != nil {
		return Version{}, fmt.Errorf("commit: %w", err)
	}
	return v, nil
}
