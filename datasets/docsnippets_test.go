package datasets

import (
	"path/filepath"
	"testing"
)

// TestPythonDocSnippetsDatasets3 runs the Python blocks of README.md and
// docs/release.md with datasets 3.x (TestPythonClients runs them with the current major,
// as part of python/tests). That venv has no DuckDB or mlcroissant, so their blocks are
// left out there; every datasets block must run on both majors.
func TestPythonDocSnippetsDatasets3(t *testing.T) {
	py := venvPython(t, VenvDatasets3Env)
	t.Setenv("NEWSDS_DOC_SNIPPETS_OPTIONAL", "duckdb,mlcroissant")
	runPytest(t, py, clientRelease(t), filepath.Join("python", "tests", "test_doc_snippets.py"))
}
