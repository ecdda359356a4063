package datasets

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// VenvEnv names the virtual environment with the Python clients of python/requirements.txt
// (.ci/run creates it and sets the variable); VenvDatasets3Env the one with
// python/requirements-datasets3.txt, the previous major version of datasets.
const (
	VenvEnv          = "NEWSDS_VENV"
	VenvDatasets3Env = "NEWSDS_VENV_DATASETS3"
)

// venvPython returns the python of the venv the environment variable env names,
// skipping the test when the variable is not set. A variable that names no venv fails
// the test: it was set to run these tests, and skipping them hid a venv that had gone.
func venvPython(t *testing.T, env string) string {
	t.Helper()
	venv := os.Getenv(env)
	if venv == "" {
		t.Skipf("%s is not set: run .ci/run, which creates the venvs of python/requirements*.txt and sets %s", env, env)
	}
	if !filepath.IsAbs(venv) {
		// A relative path is taken from the repository root, where .ci/run sets it.
		venv = filepath.Join("..", venv)
	}
	py := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("%s=%s has no bin/python (run .ci/run, which creates it): %v", env, venv, err)
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
	runPytest(t, venvPython(t, VenvEnv), clientRelease(t), filepath.Join("python", "tests"))
}

// TestPythonDatasets3 loads the same release with datasets 3.x: the features use the
// forms both major versions read (ClassLabel, Sequence, lists of structs as JSON lists).
func TestPythonDatasets3(t *testing.T) {
	py := venvPython(t, VenvDatasets3Env)
	runPytest(t, py, clientRelease(t), filepath.Join("python", "tests", "test_hf_datasets.py"), filepath.Join("python", "tests", "test_pyarrow.py"))
}

// runPytest runs pytest on paths (relative to the repository root) against the release
// in dir, offline.
func runPytest(t *testing.T, py, dir string, paths ...string) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-m", "pytest", "-q", "-p", "no:cacheprovider"}
	for _, p := range paths {
		args = append(args, filepath.Join(root, p))
	}
	cmd := exec.Command(py, append(args, "--release", dir)...)
	cmd.Dir = root
	cache := t.TempDir()
	cmd.Env = append(os.Environ(),
		"HF_HUB_OFFLINE=1", "HF_DATASETS_OFFLINE=1", "HF_HOME="+filepath.Join(cache, "hf"),
		"MPLBACKEND=Agg", "MPLCONFIGDIR="+filepath.Join(cache, "mpl"), "NEWSDS_RELEASE="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pytest %v --release %s: %v\n%s", paths, dir, err, out)
	}
	t.Logf("%s", out)
}
