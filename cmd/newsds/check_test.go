package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/newsds/newsds/config"
	"github.com/newsds/newsds/corpus"
	"github.com/newsds/newsds/internal/testshared"
)

// checkCorpus builds a real corpus to damage: the seed, the Arabic interviews and two
// trafilatura pages, annotated by qa and committed as v1; one page edited (its old
// revision is then only in v1), annotated and committed as v2 (tag "two"); a third
// page staged on top. It returns the corpus root and the id of the edited page.
func checkCorpus(t *testing.T) (root, edited string) {
	t.Helper()
	pages := testshared.Path(t, "data", "trafilatura", "pages")
	var picked []string
	for _, name := range []string{"anchor.ch.lanka.html", "amnesty.de-waffensysteme.html", "100noticias.com-millones.html"} {
		picked = append(picked, filepath.Join(pages, name))
	}
	in := t.TempDir()
	page, err := os.ReadFile(picked[0])
	if err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(in, "page.html")
	if err := os.WriteFile(local, page, 0o644); err != nil {
		t.Fatal(err)
	}
	root = t.TempDir()
	mustRun(t, "init", root)
	mustRun(t, "-C", root, "ingest", "--source", "alsharq", "--tz", "Asia/Qatar", testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt"))
	mustRun(t, "-C", root, "ingest", filepath.Join(testshared.Path(t, "data", "interviews", "ar"), "*.txt"), local, picked[1])
	mustRun(t, "-C", root, "annotate", "--with", "qa")
	mustRun(t, "-C", root, "commit", "-m", "first")

	changed := strings.Replace(string(page), "<p>", "<p>Breaking update: this paragraph was edited by the newsroom. ", 1)
	if changed == string(page) {
		t.Fatal("fixture page has no <p> to edit")
	}
	if err := os.WriteFile(local, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "-C", root, "ingest", local); !strings.Contains(out, "modified 1") {
		t.Fatalf("edited page not a modification: %s", out)
	}
	mustRun(t, "-C", root, "annotate", "--with", "qa")
	mustRun(t, "-C", root, "commit", "-m", "second", "--tag", "two")
	mustRun(t, "-C", root, "ingest", picked[2])

	var d corpus.Diff
	if err := json.Unmarshal([]byte(mustRun(t, "-C", root, "diff", "v1", "v2", "--json")), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Modified) != 1 {
		t.Fatalf("v1..v2 modified %v, want the edited page", d.Modified)
	}
	checkpoint(t, root)
	return root, d.Modified[0]
}

// checkpoint folds the WAL into store.db, so that the file alone is the store.
func checkpoint(t *testing.T, root string) {
	t.Helper()
	db := openRaw(t, root)
	defer db.Close()
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
}

func openRaw(t *testing.T, root string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(root, corpus.StoreDir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	return db
}

// copyCorpus copies a corpus's newsds.yaml and store.db (no WAL: see checkpoint).
func copyCorpus(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	if err := os.MkdirAll(filepath.Join(to, corpus.StoreDir), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{config.FileName, filepath.Join(corpus.StoreDir, "store.db")} {
		b, err := os.ReadFile(filepath.Join(from, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// damageRevision rewrites the stored JSON of one revision of id (the one in version,
// "staged" or a version name) with edit, as a flipped bit in SQLite would leave it:
// the row is intact as far as SQLite knows, only its content changed.
func damageRevision(t *testing.T, root, version, id string, edit func([]byte) []byte) {
	t.Helper()
	db := openRaw(t, root)
	defer db.Close()
	q := `SELECT r.rev, r.doc FROM staged s JOIN revs r USING(rev) WHERE s.id = ?`
	args := []any{id}
	if version != "staged" {
		q = `SELECT r.rev, r.doc FROM version_docs v JOIN versions x USING(seq) JOIN revs r ON r.rev = v.rev WHERE x.name = ? AND v.id = ?`
		args = []any{version, id}
	}
	var rev int64
	var doc []byte
	if err := db.QueryRow(q, args...).Scan(&rev, &doc); err != nil {
		t.Fatalf("find %s in %s: %v", id, version, err)
	}
	damaged := edit(slices.Clone(doc))
	if string(damaged) == string(doc) {
		t.Fatal("edit changed nothing")
	}
	if _, err := db.Exec(`UPDATE revs SET doc = ? WHERE rev = ?`, damaged, rev); err != nil {
		t.Fatal(err)
	}
}

// replaceOnce replaces the first old with new in a stored JSON.
func replaceOnce(old, new string) func([]byte) []byte {
	return func(b []byte) []byte { return []byte(strings.Replace(string(b), old, new, 1)) }
}

// flipTextByte changes one letter inside the "text" value, keeping the JSON and the
// UTF-8 valid (the damage that decodes is the one a reader could miss): the low bit of
// a lower-case ASCII letter or of the last byte of a two-byte character.
func flipTextByte(b []byte) []byte {
	i := strings.Index(string(b), `"text":"`) + len(`"text":"`) + 40
	for ; i < len(b); i++ {
		ascii := b[i] >= 'a' && b[i] <= 'y' && b[i-1] != '\\'
		cont := b[i] >= 0x80 && b[i] < 0xbe && b[i-1] >= 0xc2 && b[i-1] < 0xe0
		if ascii || cont {
			b[i] ^= 0x01
			return b
		}
	}
	panic("no letter to flip")
}

// check and the readers on a clean corpus: exit 0 with a summary of what was read,
// JSON with the same counts.
func TestCheckClean(t *testing.T) {
	root, _ := checkCorpus(t)
	out := mustRun(t, "-C", root, "check")
	if !strings.Contains(out, "no problems") || !strings.Contains(out, "2 versions") {
		t.Fatalf("check output:\n%s", out)
	}
	var rep corpus.CheckReport
	if err := json.Unmarshal([]byte(mustRun(t, "-C", root, "check", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	c := rep.Checked
	if !rep.OK() || c.Versions != 2 || c.RawBlobs == 0 || c.Revisions <= c.StagedDocuments || c.Annotations == 0 ||
		c.VersionDocuments == 0 || c.VersionAnnotations == 0 || c.StagedAnnotations == 0 || c.Pages == 0 {
		t.Fatalf("clean check report %+v", rep)
	}
	if code, _, _ := runCLI(t, "-C", root, "check", "extra"); code != exitUsage {
		t.Fatalf("check with an argument: exit %d", code)
	}
	if code, _, _ := runCLI(t, "-C", root, "validate"); code != 0 {
		t.Fatalf("validate of the clean corpus: exit %d", code)
	}
}

// A damaged text is corruption, reported by every reader with the fix "restore from a
// release or re-ingest", never a stale annotation to re-annotate; a document only in
// an old version is covered too; re-ingesting the input repairs it.
func TestDamagedTextIsCorruption(t *testing.T) {
	base, edited := checkCorpus(t)
	const fix = "restore from a release or re-ingest"
	// The old revision of the edited page is only in v1.
	t.Run("old version only", func(t *testing.T) {
		root := copyCorpus(t, base)
		damageRevision(t, root, "v1", edited, flipTextByte)
		code, out, _ := runCLI(t, "-C", root, "check")
		if code != exitError || !strings.Contains(out, "document "+edited) || !strings.Contains(out, "version v1") ||
			!strings.Contains(out, "table revs rowid") || !strings.Contains(out, "content_hash") || !strings.Contains(out, fix) {
			t.Fatalf("check: exit %d\n%s", code, out)
		}
		if strings.Contains(out, "version v2") || strings.Contains(out, "version staged") {
			t.Fatalf("check blames versions that do not hold the damaged revision:\n%s", out)
		}
		code, stdout, stderr := runCLI(t, "-C", root, "export", "--version", "v1")
		if code != exitError || !strings.Contains(stderr, fix) || !strings.Contains(stderr, edited) {
			t.Fatalf("export of v1: exit %d\n%s", code, stderr)
		}
		for _, rec := range exportedRecords(t, stdout) {
			if rec.ID == edited {
				t.Fatal("export printed the damaged document")
			}
		}
		mustRun(t, "-C", root, "export", "--version", "v2")
		code, stdout, _ = runCLI(t, "-C", root, "validate", "--version", "v1", "--format", "json")
		if code != exitError || !strings.Contains(stdout, `"rule": "store-corrupt"`) || !strings.Contains(stdout, fix) ||
			strings.Contains(stdout, `"rule": "stale-annotation"`) {
			t.Fatalf("validate v1: exit %d\n%s", code, stdout)
		}
		if code, _, stderr := runCLI(t, "-C", root, "show", "--version", "v1", edited); code != exitError || !strings.Contains(stderr, fix) {
			t.Fatalf("show: exit %d %s", code, stderr)
		}
		rel := filepath.Join(t.TempDir(), "rel")
		// --allow-staged: the staged set differs from v1, and the refusal of uncommitted
		// work would come before the damage this checks.
		if code, _, stderr := runCLI(t, "-C", root, "release", "--corpus-version", "v1", "--version", "1.0.0", "--out", rel, "--allow-staged"); code != exitError || !strings.Contains(stderr, fix) {
			t.Fatalf("release of v1: exit %d %s", code, stderr)
		}
	})
	// The staged text of an annotated document: validate used to call its annotations
	// stale; re-ingesting the input repairs the revision, for every version holding it.
	t.Run("staged, then re-ingested", func(t *testing.T) {
		root := copyCorpus(t, base)
		seed := testshared.Path(t, "seed", "000_f78eaf531e9c49cc.txt")
		b, err := os.ReadFile(seed)
		if err != nil {
			t.Fatal(err)
		}
		var id string
		for _, rec := range exportedRecords(t, mustRun(t, "-C", root, "export")) {
			if sum := sha256.Sum256(b); rec.RawHash == hex.EncodeToString(sum[:]) && len(rec.Annotations) > 0 {
				id = rec.ID
			}
		}
		if id == "" {
			t.Fatal("the seed is not staged with annotations")
		}
		damageRevision(t, root, "staged", id, flipTextByte)
		code, stdout, _ := runCLI(t, "-C", root, "validate", "--format", "json")
		var rep struct {
			Findings []struct {
				Rule     string `json:"rule"`
				Location struct {
					DocID string `json:"doc_id"`
				} `json:"location"`
				Fix string `json:"fix"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != exitError {
			t.Fatalf("validate: exit %d, %v\n%s", code, err, stdout)
		}
		var rules []string
		for _, f := range rep.Findings {
			if f.Location.DocID == id {
				rules = append(rules, f.Rule)
				if !strings.Contains(f.Fix, fix) || strings.Contains(f.Fix, "annotate --with") {
					t.Errorf("finding %s on the damaged document has the fix %q", f.Rule, f.Fix)
				}
			}
		}
		if !slices.Equal(rules, []string{"store-corrupt"}) {
			t.Fatalf("findings on the damaged document: %v, want one store-corrupt", rules)
		}
		if code, _, _ := runCLI(t, "-C", root, "annotate", "--with", "qa", "--force"); code == 0 {
			t.Fatal("annotate ran over a damaged text")
		}
		mustRun(t, "-C", root, "ingest", "--source", "alsharq", "--tz", "Asia/Qatar", seed)
		if out := mustRun(t, "-C", root, "check"); !strings.Contains(out, "no problems") {
			t.Fatalf("check after re-ingest:\n%s", out)
		}
		for _, v := range []string{"v1", "v2", "staged"} {
			got := mustRun(t, "-C", root, "export", "--version", v)
			want := mustRun(t, "-C", base, "export", "--version", v)
			if got != want {
				t.Fatalf("export of %s after the repair differs from before the damage", v)
			}
		}
	})
}

// exported is what a test needs of an exported record.
type exported struct {
	ID          string            `json:"id"`
	RawHash     string            `json:"raw_hash"`
	Annotations []json.RawMessage `json:"annotations"`
}

// exportedRecords parses the complete lines export printed (a failed export may end
// in the middle of one: its output is buffered).
func exportedRecords(t *testing.T, stdout string) []exported {
	t.Helper()
	var out []exported
	lines := strings.Split(stdout, "\n")
	for _, line := range lines[:len(lines)-1] {
		var r exported
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

// Damage to metadata, annotations, raw copies and version membership is found by
// check, located, and never exported with exit 0.
func TestCheckFindsDamage(t *testing.T) {
	base, edited := checkCorpus(t)
	exports := map[string]string{}
	for _, v := range []string{"v1", "v2", "staged"} {
		exports[v] = mustRun(t, "-C", base, "export", "--version", v)
	}
	sqlDamage := func(stmt string, args ...any) func(t *testing.T, root string) {
		return func(t *testing.T, root string) {
			db := openRaw(t, root)
			defer db.Close()
			r, err := db.Exec(stmt, args...)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := r.RowsAffected(); n == 0 {
				t.Fatalf("%s changed no row", stmt)
			}
		}
	}
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, root string)
		want   []string // in check's output
	}{
		{"title", func(t *testing.T, root string) {
			damageRevision(t, root, "v2", edited, replaceOnce(`"title":"`, `"title":"X`))
		},
			[]string{"table revs", "rev_hash", "document " + edited}},
		{"ingested_at", func(t *testing.T, root string) {
			damageRevision(t, root, "v2", edited, replaceOnce(`"ingested_at":"20`, `"ingested_at":"2?`))
		}, []string{"table revs", "ingested_at", "document " + edited}},
		{"annotation body", sqlDamage(`UPDATE anns SET body = CAST(replace(CAST(body AS TEXT), '"answer"', '"question"') AS BLOB) WHERE aid = (SELECT min(aid) FROM anns WHERE CAST(body AS TEXT) LIKE '%"answer"%')`),
			[]string{"table anns", "ann_hash"}},
		{"raw copy", sqlDamage(`UPDATE raw SET data = substr(data, 1, 20) || X'00' || substr(data, 22) WHERE rowid = (SELECT min(rowid) FROM raw)`),
			[]string{"table raw", "raw "}},
		{"membership to a missing revision", sqlDamage(`UPDATE version_docs SET rev = 999999 WHERE seq = 1 AND id = (SELECT min(id) FROM version_docs WHERE seq = 1)`),
			[]string{"table version_docs", "version v1", "not stored"}},
		{"membership to another document", sqlDamage(`UPDATE staged SET rev = (SELECT rev FROM staged WHERE id = (SELECT max(id) FROM staged)) WHERE id = (SELECT min(id) FROM staged)`),
			[]string{"table staged", "version staged", "a revision of"}},
		{"annotation membership lost", sqlDamage(`DELETE FROM version_anns WHERE seq = 2 AND doc_id = (SELECT min(doc_id) FROM version_anns WHERE seq = 2)`),
			[]string{"table versions", "version v2", "committed with"}},
		{"annotation of another document", sqlDamage(`UPDATE staged_anns SET aid = (SELECT max(aid) FROM anns) WHERE doc_id = (SELECT min(doc_id) FROM staged_anns)`),
			[]string{"table staged_anns", "which is"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := copyCorpus(t, base)
			tc.damage(t, root)
			code, out, _ := runCLI(t, "-C", root, "check")
			if code != exitError {
				t.Fatalf("check: exit %d\n%s", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("check output lacks %q:\n%s", w, out)
				}
			}
			var rep corpus.CheckReport
			if _, js, _ := runCLI(t, "-C", root, "check", "--json"); json.Unmarshal([]byte(js), &rep) != nil || rep.OK() || len(rep.Problems) == 0 || rep.Problems[0].Fix == "" {
				t.Errorf("check --json: %s", js)
			}
			for v, want := range exports {
				code, got, stderr := runCLI(t, "-C", root, "export", "--version", v)
				if code == 0 && got != want {
					t.Errorf("export of %s printed changed content with exit 0", v)
				}
				if code != 0 && !strings.Contains(stderr, "store corrupt") {
					t.Errorf("export of %s: exit %d without naming corruption: %s", v, code, stderr)
				}
			}
		})
	}
}

// The campaign's size and seed; larger runs explore (go test -run StoreByteFlips
// -flips 1000 -flip-seed 7), the default is what CI keeps.
var (
	flipCount = flag.Int("flips", 100, "TestStoreByteFlips: bytes to flip")
	flipSeed  = flag.Uint64("flip-seed", 14, "TestStoreByteFlips: seed of the flipped offsets and values")
)

// flipOutcome is what one flipped byte did.
type flipOutcome struct {
	offset int64
	where  string
	class  string // caught, harmless, missed
	detail string
}

// TestStoreByteFlips flips 100 random bytes (seeded) of a real store, one at a time on a
// fresh copy. Every flip must be reported by `newsds check` (exit 1) or be shown
// harmless: the store's logical content — every row of every table and the schema,
// dumped through SQLite — is byte-identical to the original's, which is what SQLite
// would return to any reader, or it is after a command repaired it on open (the
// format_version migration). Whatever check says, export must never print content that
// differs from the original's with exit 0. The flipped offset is mapped to its page
// (page size from the header, owner from dbstat) to say where each flip landed.
func TestStoreByteFlips(t *testing.T) {
	if testing.Short() {
		t.Skip("flips 100 bytes of a store")
	}
	flips, seed := *flipCount, *flipSeed
	base, _ := checkCorpus(t)
	if out := mustRun(t, "-C", base, "check"); !strings.Contains(out, "no problems") {
		t.Fatalf("base store not clean:\n%s", out)
	}
	versions := []string{"v1", "v2", "staged"}
	exports := map[string]string{}
	for _, v := range versions {
		exports[v] = mustRun(t, "-C", base, "export", "--version", v)
	}
	dbPath := filepath.Join(base, corpus.StoreDir, "store.db")
	orig, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	wantDump := logicalDump(t, orig)
	pages := pageMap(t, base)
	pageSize := int64(orig[16])<<8 | int64(orig[17])
	if pageSize == 1 {
		pageSize = 65536
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	var outcomes []flipOutcome
	for range flips {
		off := rng.Int64N(int64(len(orig)))
		xor := byte(rng.IntN(255) + 1)
		o := flipOutcome{offset: off, where: pages.describe(off, pageSize)}
		flipped := slices.Clone(orig)
		flipped[off] ^= xor
		dumpBefore := logicalDump(t, flipped)

		root := copyCorpus(t, base)
		if err := os.WriteFile(filepath.Join(root, corpus.StoreDir, "store.db"), flipped, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCLI(t, "-C", root, "check")
		caught := code == exitError && (strings.Contains(out, "fix: ") || strings.Contains(errOut, "newsds: "))
		for _, v := range versions {
			ecode, got, eerr := runCLI(t, "-C", root, "export", "--version", v)
			if ecode == 0 && got != exports[v] {
				t.Errorf("offset %d (%s), xor %#02x: export --version %s printed changed content with exit 0 (check exit %d)", off, o.where, xor, v, code)
			}
			if ecode != 0 && eerr == "" {
				t.Errorf("offset %d: export --version %s failed silently", off, v)
			}
		}
		after, err := os.ReadFile(filepath.Join(root, corpus.StoreDir, "store.db"))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case caught:
			o.class, o.detail = "caught", firstLine(out+errOut)
		case code != 0:
			o.class, o.detail = "missed", fmt.Sprintf("check exit %d without a finding: %s", code, firstLine(out+errOut))
		case dumpBefore == wantDump:
			o.class, o.detail = "harmless", "logical content identical"
		case logicalDump(t, after) == wantDump:
			o.class, o.detail = "harmless", "repaired on open: logical content identical after the commands ran"
		default:
			o.class, o.detail = "missed", "check exit 0 but the logical content changed"
		}
		if o.class == "missed" {
			t.Errorf("offset %d (%s), xor %#02x: %s", off, o.where, xor, o.detail)
		}
		outcomes = append(outcomes, o)
	}
	counts := map[string]int{}
	for _, o := range outcomes {
		counts[o.class]++
		t.Logf("%7d  %-34s %-8s %s", o.offset, o.where, o.class, o.detail)
	}
	t.Logf("%d flips over %d bytes (%d pages of %d): caught %d, harmless %d, missed %d",
		flips, len(orig), int64(len(orig))/pageSize, pageSize, counts["caught"], counts["harmless"], counts["missed"])
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// pages maps page numbers to their owner in the original store.
type pages map[int64]string

// pageMap reads which table or index owns each page (dbstat); pages it does not list
// are on the freelist.
func pageMap(t *testing.T, root string) pages {
	t.Helper()
	db := openRaw(t, root)
	defer db.Close()
	rows, err := db.Query(`SELECT pageno, name, pagetype FROM dbstat`)
	if err != nil {
		t.Fatalf("dbstat: %v", err)
	}
	defer rows.Close()
	p := pages{}
	for rows.Next() {
		var n int64
		var name, typ string
		if err := rows.Scan(&n, &name, &typ); err != nil {
			t.Fatal(err)
		}
		p[n] = name + " " + typ
	}
	return p
}

func (p pages) describe(off, pageSize int64) string {
	n := off/pageSize + 1
	switch owner, ok := p[n]; {
	case off < 100:
		return fmt.Sprintf("file header byte %d", off)
	case ok:
		return fmt.Sprintf("page %d (%s)", n, owner)
	default:
		return fmt.Sprintf("page %d (free)", n)
	}
}

// logicalDump is a digest of everything SQLite returns from a store file: the schema
// and every row of every table, or the first error met reading them.
func logicalDump(t *testing.T, file []byte) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "store.db")
	if err := os.WriteFile(p, file, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	h := sha256.New()
	dump := func(q string) error {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%T:%v\x00", v, v)
			}
			h.Write([]byte{'\n'})
		}
		return rows.Err()
	}
	if err := dump(`SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name`); err != nil {
		return "error: " + err.Error()
	}
	for _, table := range []string{"meta", "raw", "revs", "staged", "versions", "version_docs", "anns", "staged_anns", "version_anns",
		"dedup_exact", "dedup_sig", "dedup_band", "cache", "inputs"} {
		fmt.Fprintf(h, "table %s\n", table)
		if err := dump(`SELECT * FROM "` + table + `"`); err != nil && !strings.Contains(err.Error(), "no such table") {
			return "error: " + err.Error()
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
