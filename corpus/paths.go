package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The folders newsds keeps under a corpus's StoreDir besides the database. They are
// named here only, so that the CLI, the release history and the docs agree.
const (
	reportsDir  = "reports"
	releasesDir = "releases"
)

// ReportsDir is the folder of a corpus's ingest reports (one JSONL file of rejected
// records per ingest).
func ReportsDir(root string) string { return filepath.Join(root, StoreDir, reportsDir) }

// ReleasesDir is the folder where a corpus's releases are recorded (one <version>.json
// per release; datasets.ReleaseOptions.History).
func ReleasesDir(root string) string { return filepath.Join(root, StoreDir, releasesDir) }

// CreateIngestReport creates the report file of one ingest started at now under
// ReportsDir(root), named by the time so that reports sort in the order they were made.
// The caller closes the file.
func CreateIngestReport(root string, now time.Time) (*os.File, error) {
	dir := ReportsDir(root)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("ingest report folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, "ingest-"+now.UTC().Format("20060102T150405.000Z")+".jsonl")
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("ingest report: %w", err)
	}
	return f, nil
}
