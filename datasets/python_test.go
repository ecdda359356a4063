package datasets

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// VenvEnv names the virtual environment with the Python clients of python/requirements.txt
// (.ci/run creates it and sets the variable).
const VenvEnv = "NEWSDS_VENV"

// venvPython returns the venv's python, skipping the test when there is none.
func venvPython(t *testing.T) string {
	t.Helper()
	venv := os.Getenv(VenvEnv)
	if venv == "" {
		t.Skipf("%s is not set: create a venv (python3 -m venv .venv && .venv/bin/pip install -r python/requirements.txt) and set %s=.venv to run the Python clients", VenvEnv, VenvEnv)
	}
	if !filepath.IsAbs(venv) {
		// A relative path is taken from the repository root, where .ci/run sets it.
		venv = filepath.Join("..", venv)
	}
	py := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(py); err != nil {
		t.Skipf("%s=%s has no bin/python: %v", VenvEnv, venv, err)
	}
	abs, err := filepath.Abs(py)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// clientRelease writes a release of the shared test corpus (Arabic and English articles
// with interviews, sentiment, stance, a stale annotation and a duplicate) in Parquet
// and Arrow, large enough that every split of both configs has rows.
func clientRelease(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "release")
	m := release(t, corpusOf(t, 60), ReleaseOptions{Out: out, Version: "1.0.0", Formats: []string{FormatParquet, FormatArrow}, PreviousDir: PreviousNone})
	for _, c := range m.Configs {
		for _, s := range c.Splits {
			if s.NumExamples == 0 {
				t.Fatalf("config %s split %s is empty: the fixture corpus no longer covers every split", c.Name, s.Name)
			}
		}
	}
	return out
}

// TestPythonClients checks a release with the libraries researchers load it with:
// pyarrow, Hugging Face datasets and huggingface_hub, mlcroissant, DuckDB, and the
// example notebook (python/tests).
func TestPythonClients(t *testing.T) {
	py := venvPython(t)
	dir := clientRelease(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", filepath.Join(root, "python", "tests"), "--release", dir)
	cmd.Dir = root
	cache := t.TempDir()
	cmd.Env = append(os.Environ(),
		"HF_HUB_OFFLINE=1", "HF_DATASETS_OFFLINE=1", "HF_HOME="+filepath.Join(cache, "hf"),
		"MPLBACKEND=Agg", "MPLCONFIGDIR="+filepath.Join(cache, "mpl"), "NEWSDS_RELEASE="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pytest python/tests --release %s: %v\n%s", dir, err, out)
	}
	t.Logf("%s", out)
}
