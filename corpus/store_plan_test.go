package corpus

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/newsds/newsds/bench/scale/synth"
	"github.com/newsds/newsds/internal/testshared"
	"github.com/newsds/newsds/schema"
)

// smallTables hold a row per version or setting, not per document: scanning them does
// not make per-document work grow with the corpus.
var smallTables = map[string]bool{"meta": true, "versions": true}

// planDocs is the workload's corpus size; a statement run at least planDocs/4 times is
// one the store runs per document.
const planDocs = 120

// Issue 15: per-document statements scanned whole tables (PutAnnotation's DELETE
// scanned anns, dropping a changed document's dedup entries scanned dedup_exact and
// dedup_band), so annotating and re-ingesting grew with the square of the corpus.
// Every statement that an ingest, an unchanged re-ingest, an ingest of changed
// documents, two annotation runs, a removal and a full read repeat per document is
// found by observing the store's connections, and its plan may not scan a table that
// grows with the corpus.
func TestHotStatementPlans(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	runs := map[string]int{}
	st, err := openDBObserved(ctx, root, false, func(q string) {
		mu.Lock()
		runs[q]++
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	pool, err := synth.LoadPool(testshared.Path(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	input, changed := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "changed.jsonl")
	writeJSONL(t, pool, input, nil)
	writeJSONL(t, pool, changed, func(i int) bool { return i%3 == 0 })
	for _, p := range []string{input, input, changed} {
		if _, err := st.Ingest(ctx, []string{p}, IngestOptions{Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	for d, err := range st.Documents(ctx, "staged") {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	if len(ids) != planDocs {
		t.Fatalf("%d documents staged, want %d", len(ids), planDocs)
	}
	for _, version := range []string{"1", "2"} {
		a := schema.Annotator{Name: "plan", Version: version, ParamsHash: "p"}
		for _, id := range ids {
			if _, err := st.HasAnnotation(ctx, id, "sentiment", a, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := st.PutAnnotation(ctx, schema.Annotation{DocID: id, Layer: "sentiment", Annotator: a,
				Items: []schema.Item{{Label: "neutral"}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.Commit(ctx, "plan", ""); err != nil {
		t.Fatal(err)
	}
	for _, err := range st.Records(ctx, "latest") {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Remove(ctx, ids[:planDocs/2]); err != nil {
		t.Fatal(err)
	}

	var hot []string
	for q, n := range runs {
		if n >= planDocs/4 && cacheable(q) {
			hot = append(hot, q)
		}
	}
	slices.Sort(hot)
	// The statements the defects were in must be among those checked, or the test
	// would pass by not seeing them.
	bands := NewDeduper(st.cfg.Dedup).bands
	// bandCandidatesSQL joins the band rows to dedup_sig by number (format 6).
	for _, q := range []string{replaceAnnotatorSQL, bandDeleteSQL(bands), bandCandidatesSQL(bands), `DELETE FROM dedup_exact WHERE id = ?`, seenInputSQL} {
		if !slices.Contains(hot, q) {
			t.Errorf("the workload did not run %q per document", q)
		}
	}
	for _, q := range hot {
		plan := planDetails(queryPlan(t, st, q, make([]any, placeholders(q))...))
		for _, step := range plan {
			if table, scans := scannedTable(step); scans && !smallTables[table] {
				t.Errorf("run %d times, %q\nscans %s: %s", runs[q], oneLine(q), table, strings.Join(plan, "; "))
			}
		}
	}
	if testing.Verbose() {
		for _, q := range hot {
			t.Logf("%5d× %s", runs[q], oneLine(q))
		}
	}
}

// planStep is one row of EXPLAIN QUERY PLAN.
type planStep struct {
	id, parent int
	detail     string
}

// queryPlan is SQLite's plan for q.
func queryPlan(t *testing.T, st *Store, q string, args ...any) []planStep {
	t.Helper()
	rows, err := st.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %q: %v", oneLine(q), err)
	}
	defer rows.Close()
	var plan []planStep
	for rows.Next() {
		var s planStep
		var unused int
		if err := rows.Scan(&s.id, &s.parent, &unused, &s.detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// planDetails are the plan's step descriptions.
func planDetails(plan []planStep) []string {
	out := make([]string, len(plan))
	for i, s := range plan {
		out[i] = s.detail
	}
	return out
}

var scanRE = regexp.MustCompile(`^SCAN (\S+)`)

var constantScanRE = regexp.MustCompile(`^SCAN (CONSTANT ROW|\d+-ROW VALUES CLAUSE)`)

// scannedTable reports the table a plan step reads in full ("SCAN t", "SCAN t USING
// COVERING INDEX i"); a scan of a constant row or of a VALUES list is none.
func scannedTable(step string) (string, bool) {
	m := scanRE.FindStringSubmatch(step)
	if m == nil || constantScanRE.MatchString(step) {
		return "", false
	}
	return m[1], true
}

var numberedParam = regexp.MustCompile(`\?(\d+)`)

// placeholders is the number of parameters of q: its ?NNN maximum, or its ? count.
func placeholders(q string) int {
	n := 0
	for _, m := range numberedParam.FindAllStringSubmatch(q, -1) {
		k, _ := strconv.Atoi(m[1])
		n = max(n, k)
	}
	if n > 0 {
		return n
	}
	return strings.Count(q, "?")
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }

// writeJSONL writes planDocs synthetic documents, those for which edit says so in
// their changed form.
func writeJSONL(t *testing.T, pool *synth.Pool, path string, edit func(int) bool) {
	t.Helper()
	if err := pool.WriteJSONLFile(path, 0, planDocs, edit); err != nil {
		t.Fatal(err)
	}
}

// Diff, status and commit compare whole memberships: each plan may walk one membership
// but must look the other up by primary key (a full scan only as the outer loop of a
// query arm, or in a subquery run once), and hold no copy of either (nothing
// materialised, no automatic index; a temporary b-tree only sorts or groups what
// changed), so that their time is O(n log n) and their memory does not grow with the
// corpus.
func TestDiffPlansHoldNoCopy(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	if err := Init(ctx, root); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	st, err := openDBObserved(ctx, root, false, func(q string) {
		mu.Lock()
		seen = append(seen, q)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 5, articleText))
	if _, err := st.Commit(ctx, "one", ""); err != nil {
		t.Fatal(err)
	}
	ingest(t, st, IngestOptions{}, jsonlDocs(t, 7, func(i int) string { return articleText(i) + " Updated." }))
	mu.Lock()
	seen = nil
	mu.Unlock()
	if _, err := st.Status(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(ctx, "two", ""); err != nil {
		t.Fatal(err)
	}
	if d, err := st.Diff(ctx, "v1", "v2"); err != nil || len(d.Added) != 2 || len(d.Modified) != 5 {
		t.Fatalf("diff v1 v2: %+v, %v", d, err)
	}
	checked := 0
	for _, q := range seen {
		if !strings.Contains(q, "UNION ALL") && !strings.Contains(q, "INSERT INTO version_") {
			continue // the comparisons and the copies; the rest are lookups
		}
		checked++
		plan := queryPlan(t, st, q, make([]any, placeholders(q))...)
		byID := map[int]planStep{}
		accessed := map[int]bool{} // parents whose first table access has been seen
		for _, s := range plan {
			byID[s.id] = s
			d := s.detail
			sorts := strings.Contains(d, "TEMP B-TREE FOR ORDER BY") || strings.Contains(d, "TEMP B-TREE FOR GROUP BY")
			if strings.Contains(d, "AUTOMATIC") || strings.Contains(d, "MATERIALIZE") || (strings.Contains(d, "TEMP B-TREE") && !sorts) {
				t.Errorf("holds a copy: %s\n%s", d, oneLine(q))
			}
			if !strings.HasPrefix(d, "SCAN ") && !strings.HasPrefix(d, "SEARCH ") {
				continue
			}
			inner := accessed[s.parent] || strings.HasPrefix(byID[s.parent].detail, "CORRELATED")
			accessed[s.parent] = true
			if _, scans := scannedTable(d); scans && inner {
				t.Errorf("scans in an inner loop: %s\n%s", d, oneLine(q))
			}
		}
	}
	// Status, commit and diff each compare documents and annotations; commit copies both.
	if checked < 8 {
		t.Errorf("checked %d statements, want the comparisons of status, commit and diff and commit's copies", checked)
	}
}
