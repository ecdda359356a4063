package corpus

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/zstd"

	"github.com/newsds/newsds/schema"
)

// storedSum is the checksum kept beside a stored body (revs.doc_sum, raw.data_sum). It
// lets an unchanged re-ingest tell a stored revision and raw copy intact by one fast
// pass over their bytes: proving them by their sha256 names meant hashing the revision
// and decompressing and hashing the raw copy, half the CPU of skipping an input. A
// body whose sum does not match (a repair rewrote it, a row of an older store has
// none) is proved the long way; only damage that also matched the 64-bit sum would
// pass unseen.
func storedSum(b []byte) int64 { return int64(xxhash.Sum64(b)) }

// seenInputSQL finds an input's document when it is still the staged revision, with
// what proves that revision and its raw copy intact (see lookupSeenInput).
const seenInputSQL = `SELECT i.id, i.rev, i.dup_of, i.raw_hash, r.id, r.rev_hash, r.content_hash, r.doc, r.doc_sum, w.data, w.data_sum
	FROM inputs i JOIN staged s ON s.id = i.id AND s.rev = i.rev JOIN revs r ON r.rev = i.rev
	LEFT JOIN raw w ON w.hash = i.raw_hash
	WHERE i.input_key = ?`

// lookupSeenInput reports whether an input's key names the staged revision of its
// document, with that revision and its raw copy intact, so that storing the input again
// would change nothing. It reads the committed store outside the writer's transaction,
// so its yes is only a hint that the writer confirms (docBatch.stillUnchanged); a
// damaged row gives no, so that the full ingest path replaces it.
func (s *Store) lookupSeenInput(ctx context.Context, key string, dec *zstd.Decoder) (*seenInput, error) {
	// The bodies are read in place (sql.RawBytes, valid until the rows close): only
	// their sums are wanted.
	rows, err := s.db.QueryContext(ctx, seenInputSQL, key)
	if err != nil {
		return nil, fmt.Errorf("look up input: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("look up input: %w", err)
		}
		return nil, nil
	}
	var in seenInput
	var rawHash string
	var sr storedRevision
	var doc, raw sql.RawBytes
	var docSum, rawSum sql.NullInt64
	if err := rows.Scan(&in.id, &in.rev, &in.dupOf, &rawHash, &sr.id, &sr.revHash, &sr.contentHash, &doc, &docSum, &raw, &rawSum); err != nil {
		return nil, fmt.Errorf("look up input: %w", err)
	}
	if !docSum.Valid || docSum.Int64 != storedSum(doc) {
		// The long proof is the one every read makes: rev_hash alone does not cover
		// ingested_at, and a revision whose ingested_at was damaged must be repaired,
		// not skipped.
		sr.rev, sr.doc = in.rev, doc
		if _, err := sr.verify(); err != nil {
			return nil, nil
		}
	}
	if rawHash != "" && (!rawSum.Valid || rawSum.Int64 != storedSum(raw)) {
		data, err := dec.DecodeAll(raw, nil)
		if err != nil || schema.SHA256Hex(data) != rawHash {
			return nil, nil // a damaged copy is not a skip: the input is extracted again
		}
	}
	return &in, nil
}
