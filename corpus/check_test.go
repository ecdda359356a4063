package corpus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsds/newsds/internal/heappeak"
	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// checkStore is a real store to damage: the seed and three trafilatura pages, a JSONL
// record whose meta holds numbers JSON re-encoding would not reproduce, a stance
// annotation on every document, committed as v1; then one page edited (its old
// revision only in v1) and committed as v2.
func checkStore(t *testing.T) (st *Store, inputs []string, edited string) {
	t.Helper()
	ctx := context.Background()
	st = newTestStore(t, seedConfig)
	pages := testshared.Path(t, "data", "trafilatura", "pages")
	in := t.TempDir()
	for _, name := range []string{"anchor.ch.lanka.html", "amnesty.de-waffensysteme.html", "100noticias.com-millones.html"} {
		b, err := os.ReadFile(filepath.Join(pages, name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
	}
	jl := filepath.Join(in, "numbers.jsonl")
	os.WriteFile(jl, []byte(`{"url":"https://example.com/n","title":"Numbers","text":"The index rose to 1.50 points.","published":"2024-03-01T10:00:00Z","meta":{"views":1.50,"big":123456789012345678901234567890,"tag":"<a&b>"}}`+"\n"), 0o644)
	inputs = append(inputs, testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt"), jl)
	ingest(t, st, IngestOptions{}, inputs...)
	annotateAll := func() {
		for _, d := range staged(t, st) {
			a := schema.Annotation{DocID: d.ID, Layer: schema.LayerStance, Annotator: schema.Annotator{Name: "stance", Version: "1", Kind: schema.KindRule},
				Items: []schema.Item{{Label: "favor", Attrs: map[string]string{schema.AttrTarget: "Qatar"}}}}
			if _, err := st.PutAnnotation(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
	}
	annotateAll()
	if _, err := st.Commit(ctx, "first", ""); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(inputs[0])
	if err := os.WriteFile(inputs[0], []byte(strings.Replace(string(b), "<p>", "<p>Breaking update: this paragraph was edited. ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum := ingest(t, st, IngestOptions{}, inputs[0]); sum.Modified != 1 {
		t.Fatalf("edit: %+v", sum)
	}
	annotateAll()
	if _, err := st.Commit(ctx, "second", ""); err != nil {
		t.Fatal(err)
	}
	d, err := st.Diff(ctx, "v1", "v2")
	if err != nil || len(d.Modified) != 1 {
		t.Fatalf("diff v1 v2: %+v %v", d, err)
	}
	return st, inputs, d.Modified[0]
}

// mustCheck runs Check and returns its report.
func mustCheck(t *testing.T, st *Store) *CheckReport {
	t.Helper()
	rep, err := st.Check(context.Background(), CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// damage rewrites one column of rows matching where with edit, as a flipped byte
// would leave it.
func damage(t *testing.T, st *Store, table, col, where string, edit func([]byte) []byte, args ...any) {
	t.Helper()
	var rowid int64
	var b []byte
	if err := st.db.QueryRow(`SELECT rowid, `+col+` FROM `+table+` WHERE `+where+` LIMIT 1`, args...).Scan(&rowid, &b); err != nil {
		t.Fatalf("damage %s: %v", table, err)
	}
	nb := edit(slices.Clone(b))
	if string(nb) == string(b) {
		t.Fatal("damage changed nothing")
	}
	if _, err := st.db.Exec(`UPDATE `+table+` SET `+col+` = ? WHERE rowid = ?`, nb, rowid); err != nil {
		t.Fatal(err)
	}
}

// flipLetter flips the low bit of a lower-case ASCII letter of the "text" value: the
// JSON still decodes, only the text changed.
func flipLetter(b []byte) []byte {
	i := strings.Index(string(b), `"text":"`) + len(`"text":"`)
	for ; i < len(b); i++ {
		if b[i] >= 'a' && b[i] <= 'y' && b[i-1] != '\\' {
			b[i] ^= 1
			return b
		}
	}
	panic("no letter")
}

func recordsOf(t *testing.T, st *Store, version string) (ids []string, errs []error) {
	t.Helper()
	for rec, err := range st.Records(context.Background(), version) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, rec.ID)
	}
	return ids, errs
}

// A clean store checks clean, with everything read — including numbers in meta that
// decoding and re-encoding the JSON would change (1.50, a 30-digit integer): hashes are
// recomputed from the stored bytes.
func TestCheckCleanStore(t *testing.T) {
	st, _, _ := checkStore(t)
	rep := mustCheck(t, st)
	if !rep.OK() {
		t.Fatalf("clean store: %+v", rep.Problems)
	}
	c := rep.Checked
	if c.Versions != 2 || c.Revisions != 6 || c.StagedDocuments != 5 || c.VersionDocuments != 10 || c.RawBlobs != 6 || c.Signatures != 5 ||
		c.Annotations != 6 || c.StagedAnnotations != 5 || c.VersionAnnotations != 10 || c.RawBytes == 0 || c.Pages == 0 {
		t.Fatalf("checked %+v", c)
	}
	for _, v := range []string{"v1", "v2", "staged"} {
		if _, errs := recordsOf(t, st, v); errs != nil {
			t.Fatalf("%s: %v", v, errs)
		}
	}
	// Duplicates, and inputs stored again (skipped as unchanged), check clean too.
	dup := filepath.Join(t.TempDir(), "dup.jsonl")
	os.WriteFile(dup, []byte(`{"url":"https://example.com/copy","title":"Copy","text":"The index rose to 1.50 points.","published":"2024-03-02T10:00:00Z"}`+"\n"), 0o644)
	for range 2 {
		if sum := ingest(t, st, IngestOptions{}, dup); sum.Rejected != 0 {
			t.Fatalf("ingest: %+v", sum)
		}
	}
	dups := 0
	for _, d := range staged(t, st) {
		if d.DupOf() != "" {
			dups++
		}
	}
	if dups != 1 {
		t.Fatalf("%d documents marked duplicates, want the copy", dups)
	}
	if rep := mustCheck(t, st); !rep.OK() || rep.Checked.Inputs == 0 {
		t.Fatalf("after duplicates: %+v %v", rep.Checked, rep.Problems)
	}
}

// Every reader verifies what it returns: a damaged record is an ErrCorrupt naming the
// version, document, table and rowid, in its place in the stream, which goes on.
func TestReadersVerify(t *testing.T) {
	ctx := context.Background()
	st, _, edited := checkStore(t)
	want, _ := recordsOf(t, st, "v1")
	// The edited page's old revision is only in v1.
	damage(t, st, "revs", "doc", "id = ? AND rev = (SELECT rev FROM version_docs WHERE seq = 1 AND id = ?)", flipLetter, edited, edited)
	ids, errs := recordsOf(t, st, "v1")
	if len(errs) != 1 || !errors.Is(errs[0], ErrCorrupt) || len(ids) != len(want)-1 {
		t.Fatalf("v1 read %d records and errors %v, want %d and one corruption", len(ids), errs, len(want)-1)
	}
	var ce *CorruptError
	if !errors.As(errs[0], &ce) || ce.Table != "revs" || ce.RowID == 0 || ce.Version != "v1" || ce.DocID != edited ||
		!strings.Contains(ce.Reason, "content_hash") || !strings.Contains(ce.Fix, "restore from a release or re-ingest") {
		t.Fatalf("corruption %+v", ce)
	}
	if _, errs := recordsOf(t, st, "v2"); errs != nil {
		t.Fatalf("v2 does not hold the damaged revision: %v", errs)
	}
	if _, err := st.Record(ctx, "v1", edited); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Record: %v", err)
	}
	for _, err := range st.Documents(ctx, "v1") {
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Documents: %v", err)
		}
	}
	rep := mustCheck(t, st)
	if rep.Total != 2 || rep.Problems[0].Table != "revs" || rep.Problems[1].Version != "v1" {
		t.Fatalf("check: %+v", rep.Problems)
	}
	for _, p := range rep.Problems {
		t.Log(p)
	}
}

// Each kind of damage is found by Check, located, and refused by the readers.
func TestCheckFindsEachDamage(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		damage  func(t *testing.T, st *Store, edited string)
		table   string
		version string // a version whose read must fail, "" for none
	}{
		{"metadata", func(t *testing.T, st *Store, edited string) {
			damage(t, st, "revs", "doc", "id = ? ORDER BY rev DESC", func(b []byte) []byte {
				return []byte(strings.Replace(string(b), `"title":"`, `"title":"X`, 1))
			}, edited)
		}, "revs", "v2"},
		{"ingested_at made invalid", func(t *testing.T, st *Store, edited string) {
			damage(t, st, "revs", "doc", "id = ? ORDER BY rev DESC", func(b []byte) []byte {
				return []byte(strings.Replace(string(b), `"ingested_at":"20`, `"ingested_at":"2x`, 1))
			}, edited)
		}, "revs", "staged"},
		{"rev_hash column", func(t *testing.T, st *Store, edited string) {
			damage(t, st, "revs", "rev_hash", "id = ? ORDER BY rev DESC", func(b []byte) []byte { b[3] ^= 1; return b }, edited)
		}, "revs", "v2"},
		{"annotation label", func(t *testing.T, st *Store, edited string) {
			damage(t, st, "anns", "body", "doc_id = ?", func(b []byte) []byte {
				return []byte(strings.Replace(string(b), `"favor"`, `"again"`, 1))
			}, edited)
		}, "anns", "v1"},
		{"annotation content_hash column", func(t *testing.T, st *Store, edited string) {
			damage(t, st, "anns", "content_hash", "doc_id = ?", func(b []byte) []byte { b[0] ^= 1; return b }, edited)
		}, "anns", "v1"},
		{"raw copy", func(t *testing.T, st *Store, edited string) {
			damage(t, st, "raw", "data", "1 ORDER BY rowid", func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b })
		}, "raw", ""},
		{"near-duplicate signature", func(t *testing.T, st *Store, edited string) {
			damage(t, st, "dedup_sig", "sig", "id = ?", func(b []byte) []byte { b[100] ^= 0x04; return b }, edited)
		}, "dedup_sig", ""},
		{"recorded band keys", func(t *testing.T, st *Store, edited string) {
			damage(t, st, "dedup_sig", "bands", "id = ?", func(b []byte) []byte { b[3] ^= 0x10; return b }, edited)
		}, "dedup_sig", ""},
		{"band row key", func(t *testing.T, st *Store, edited string) {
			if _, err := st.db.Exec(`UPDATE dedup_band SET band_key = band_key + 1
				WHERE (band_key, doc) IN (SELECT b.band_key, b.doc FROM dedup_band b JOIN dedup_sig g ON g.doc = b.doc WHERE g.id = ? LIMIT 1)`, edited); err != nil {
				t.Fatal(err)
			}
		}, "dedup_band", ""},
		{"band row of no signature", func(t *testing.T, st *Store, edited string) {
			if _, err := st.db.Exec(`INSERT INTO dedup_band(band_key, doc) SELECT band_key, doc + 1000 FROM dedup_band LIMIT 1`); err != nil {
				t.Fatal(err)
			}
		}, "dedup_band", ""},
		{"input record", func(t *testing.T, st *Store, edited string) {
			if _, err := st.db.Exec(`UPDATE inputs SET raw_hash = '0' || substr(raw_hash, 2) WHERE id = ?`, edited); err != nil {
				t.Fatal(err)
			}
		}, "inputs", ""},
		{"version row", func(t *testing.T, st *Store, edited string) {
			if _, err := st.db.Exec(`UPDATE versions SET documents = documents + 1 WHERE seq = 1`); err != nil {
				t.Fatal(err)
			}
		}, "versions", "v1"},
		{"membership of an unknown version", func(t *testing.T, st *Store, edited string) {
			if _, err := st.db.Exec(`UPDATE version_docs SET seq = 7 WHERE seq = 2 AND id = ?`, edited); err != nil {
				t.Fatal(err)
			}
		}, "version_docs", "v2"},
		{"annotation of a document not in the version", func(t *testing.T, st *Store, edited string) {
			if _, err := st.db.Exec(`DELETE FROM staged WHERE id = ?`, edited); err != nil {
				t.Fatal(err)
			}
		}, "staged_anns", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _, edited := checkStore(t)
			tc.damage(t, st, edited)
			rep := mustCheck(t, st)
			if rep.OK() {
				t.Fatal("check found nothing")
			}
			found := false
			for _, p := range rep.Problems {
				found = found || p.Table == tc.table
				if p.Fix == "" || p.Reason == "" {
					t.Errorf("problem without reason or fix: %+v", p)
				}
			}
			if !found {
				t.Errorf("no problem in table %s: %v", tc.table, rep.Problems)
			}
			if tc.version != "" {
				if _, errs := recordsOf(t, st, tc.version); len(errs) == 0 || !errors.Is(errs[0], ErrCorrupt) {
					t.Errorf("reading %s: %v", tc.version, errs)
				}
			}
			if tc.table == "raw" {
				var hash string
				st.db.QueryRow(`SELECT hash FROM raw ORDER BY rowid LIMIT 1`).Scan(&hash)
				if _, err := st.Raw(ctx, hash); err == nil {
					t.Error("Raw returned a damaged copy")
				}
			}
		})
	}
}

// Storing the same input again repairs a damaged revision (for every version holding
// it) and a damaged raw copy; storing the same annotation again repairs it.
func TestStoreAgainRepairs(t *testing.T) {
	ctx := context.Background()
	st, inputs, _ := checkStore(t)
	want := map[string][]schema.Record{}
	for _, v := range []string{"v1", "v2", "staged"} {
		for rec, err := range st.Records(ctx, v) {
			if err != nil {
				t.Fatal(err)
			}
			want[v] = append(want[v], rec)
		}
	}
	seed := inputs[3]
	seedBytes, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	var seedID, rawHash string
	for _, d := range staged(t, st) {
		if d.RawHash == schema.SHA256Hex(seedBytes) {
			seedID, rawHash = d.ID, d.RawHash
		}
	}
	if seedID == "" {
		t.Fatal("the seed is not staged")
	}
	damage(t, st, "revs", "doc", "id = ?", func(b []byte) []byte {
		i := strings.Index(string(b), `"text":"`) + 20
		for b[i]&0xc0 != 0x80 || b[i] == 0xbf {
			i++
		}
		b[i] ^= 1 // another Arabic letter: the JSON and the UTF-8 stay valid
		return b
	}, seedID)
	damage(t, st, "raw", "data", "hash = ?", func(b []byte) []byte { b[len(b)-9] ^= 0x10; return b }, rawHash)
	damage(t, st, "anns", "body", "doc_id = ?", func(b []byte) []byte {
		return []byte(strings.Replace(string(b), `"favor"`, `"again"`, 1))
	}, seedID)
	if rep := mustCheck(t, st); rep.Total < 3 {
		t.Fatalf("check before the repair: %v", rep.Problems)
	}
	// The damaged text does not stop the same input from being stored again.
	sum := ingest(t, st, IngestOptions{}, seed)
	if sum.Rejected != 0 {
		t.Fatalf("re-ingest: %+v", sum)
	}
	a := schema.Annotation{DocID: seedID, Layer: schema.LayerStance, Annotator: schema.Annotator{Name: "stance", Version: "1", Kind: schema.KindRule},
		Items: []schema.Item{{Label: "favor", Attrs: map[string]string{schema.AttrTarget: "Qatar"}}}}
	if changed, err := st.PutAnnotation(ctx, a); err != nil || !changed {
		t.Fatalf("annotation stored again: changed %v, %v", changed, err)
	}
	if rep := mustCheck(t, st); !rep.OK() {
		t.Fatalf("check after the repair: %v", rep.Problems)
	}
	if _, err := st.Raw(ctx, rawHash); err != nil {
		t.Fatal(err)
	}
	for v, recs := range want {
		i := 0
		for rec, err := range st.Records(ctx, v) {
			if err != nil {
				t.Fatalf("%s after the repair: %v", v, err)
			}
			w := recs[i]
			for j := range w.Annotations {
				w.Annotations[j].CreatedAt, rec.Annotations[j].CreatedAt = "", ""
			}
			if g, _ := json.Marshal(rec); string(g) != string(mustJSON(t, w)) {
				t.Fatalf("%s: %s after the repair differs from before the damage", v, rec.ID)
			}
			i++
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hashWithout finds the top-level field, whatever its value holds, and refuses a body
// that lost it.
func TestHashWithout(t *testing.T) {
	type doc struct {
		ID   string         `json:"id"`
		At   string         `json:"ingested_at"`
		Meta map[string]any `json:"meta"`
	}
	blank, _ := json.Marshal(doc{ID: `a "ingested_at":"x`, Meta: map[string]any{"ingested_at": "y"}})
	for _, at := range []string{"2026-01-02T03:04:05Z", `odd "quoted" \ value`, ""} {
		b, _ := json.Marshal(doc{ID: `a "ingested_at":"x`, At: at, Meta: map[string]any{"ingested_at": "y"}})
		got, ok := hashWithout(b, `"ingested_at":`)
		if !ok || got != schema.SHA256Hex(blank) {
			t.Errorf("ingested_at %q: hash %s ok %v, want the blanked document's", at, got, ok)
		}
	}
	for _, bad := range []string{`{"id":"a"}`, `{"ingested_at":"unterminated`, `{"ingested_at":5}`} {
		if _, ok := hashWithout([]byte(bad), `"ingested_at":`); ok {
			t.Errorf("%s: ok", bad)
		}
	}
}

// benchStore fills a store with n news-sized generated documents (about 2.5 KB of
// text), each with two annotations, and commits them as v1.
func benchStore(tb testing.TB, n int) *Store {
	tb.Helper()
	ctx := context.Background()
	root := tb.TempDir()
	if err := Init(ctx, root); err != nil {
		tb.Fatal(err)
	}
	st, err := Open(ctx, root)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	words := strings.Fields("وقال المتحدث إن الحكومة ستواصل العمل مع الشركاء الإقليميين والدوليين " +
		"the spokesman said talks would continue next week as ministers met in Doha to discuss trade")
	for i := range n {
		var b strings.Builder
		x := uint32(i)*2654435761 + 1
		for b.Len() < 2500 {
			x = x*1664525 + 1013904223
			b.WriteString(words[int(x>>8)%len(words)])
			b.WriteByte(' ')
		}
		d := schema.Document{ID: fmt.Sprintf("gen-%06d", i), URL: fmt.Sprintf("https://example.com/%d", i), Source: "example",
			Title: "حوار", Lang: "ar", Text: b.String(), IngestedAt: "2026-01-02T03:04:05Z",
			Meta: map[string]any{"views": 12}}
		d.ContentHash = schema.ContentHash(d.Text)
		if _, err := st.PutDocument(ctx, d, nil, nil); err != nil {
			tb.Fatal(err)
		}
		for _, layer := range []string{schema.LayerSentiment, schema.LayerStance} {
			a := schema.Annotation{DocID: d.ID, Layer: layer, Annotator: schema.Annotator{Name: layer, Version: "1", Kind: schema.KindModel},
				Items: []schema.Item{{Label: "neutral", Score: schema.Float(0.5)}}}
			if _, err := st.PutAnnotation(ctx, a); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if _, err := st.Commit(ctx, "bench", ""); err != nil {
		tb.Fatal(err)
	}
	return st
}

// BenchmarkStoreRecords streams a committed version of 5,000 documents with their
// annotations, as export and release read it ("read", which verifies every record
// against its stored hashes), and beside it, over the same stored rows held in memory,
// JSON decoding alone (what reading did before verification), the verification work
// alone, and both: "verify-only" over "read" is what verify-on-read costs a reader.
//
//	go test ./corpus -run '^$' -bench StoreRecords -benchtime 5x
func BenchmarkStoreRecords(b *testing.B) {
	const n = 5000
	st := benchStore(b, n)
	ctx := context.Background()
	perDoc := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/doc")
		b.ReportMetric(0, "ns/op")
	}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			k := 0
			for _, err := range st.Records(ctx, "v1") {
				if err != nil {
					b.Fatal(err)
				}
				k++
			}
			if k != n {
				b.Fatalf("read %d records, want %d", k, n)
			}
		}
		perDoc(b)
	})
	// The whole check over the same store: documents/s and peak memory, which stays
	// that of one row at a time.
	b.Run("check", func(b *testing.B) {
		var peak heappeak.Peak
		for b.Loop() {
			probe := heappeak.Start()
			rep, err := st.Check(ctx, CheckOptions{})
			peak = peak.Max(probe.Stop())
			if err != nil || !rep.OK() {
				b.Fatalf("check: %v %v", err, rep.Problems)
			}
		}
		peak.Report(b)
		perDoc(b)
	})
	b.Run("verify", func(b *testing.B) {
		var revs []storedRevision
		var anns []storedAnnotation
		rows, err := st.db.QueryContext(ctx, `SELECT rev, id, rev_hash, content_hash, doc FROM revs`)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var r storedRevision
			if err := rows.Scan(&r.rev, &r.id, &r.revHash, &r.contentHash, &r.doc); err != nil {
				b.Fatal(err)
			}
			revs = append(revs, r)
		}
		rows.Close()
		rows, err = st.db.QueryContext(ctx, `SELECT aid, ann_hash, doc_id, layer, annotator, content_hash, body FROM anns`)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var a storedAnnotation
			if err := rows.Scan(&a.aid, &a.annHash, &a.docID, &a.layer, &a.annotator, &a.contentHash, &a.body); err != nil {
				b.Fatal(err)
			}
			anns = append(anns, a)
		}
		rows.Close()
		b.Run("decode", func(b *testing.B) {
			for b.Loop() {
				for i := range revs {
					var d schema.Document
					if err := json.Unmarshal(revs[i].doc, &d); err != nil {
						b.Fatal(err)
					}
				}
				for i := range anns {
					var a schema.Annotation
					if err := json.Unmarshal(anns[i].body, &a); err != nil {
						b.Fatal(err)
					}
				}
			}
			perDoc(b)
		})
		// What verification adds to decoding: the identity hashes recomputed from the
		// stored bytes and the ingest time parsed.
		b.Run("verify-only", func(b *testing.B) {
			for b.Loop() {
				for i := range revs {
					if sum, ok := hashWithout(revs[i].doc, `"ingested_at":`); !ok || sum != revs[i].revHash {
						b.Fatal("revision does not verify")
					}
					if _, err := time.Parse(time.RFC3339, "2026-01-02T03:04:05Z"); err != nil {
						b.Fatal(err)
					}
				}
				for i := range anns {
					if sum, ok := hashWithout(anns[i].body, `"created_at":`); !ok || sum != anns[i].annHash {
						b.Fatal("annotation does not verify")
					}
				}
			}
			perDoc(b)
		})
		b.Run("decode+verify", func(b *testing.B) {
			for b.Loop() {
				for i := range revs {
					if _, err := revs[i].verify(); err != nil {
						b.Fatal(err)
					}
				}
				for i := range anns {
					if _, err := anns[i].verify(); err != nil {
						b.Fatal(err)
					}
				}
			}
			perDoc(b)
		})
	})
}
