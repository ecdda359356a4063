package datasets

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mustExist fails unless every path exists with the content written by plant.
func mustExist(t *testing.T, what string, files map[string]string) {
	t.Helper()
	for p, want := range files {
		b, err := os.ReadFile(p)
		if err != nil || string(b) != want {
			t.Errorf("%s: %s is gone or changed (%v)", what, p, err)
		}
	}
}

func plant(t *testing.T, files map[string]string) {
	t.Helper()
	for p, content := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// rootedSource is a corpus that knows its folder, as corpus.Store does.
type rootedSource struct {
	*fakeSource
	root string
}

func (r rootedSource) Root() string { return r.root }

// TestForceRefusesWhatIsNotARelease: `release --force --out DIR` removed DIR whatever it
// was, the corpus itself included. Force now replaces only a newsds release holding
// nothing but its own files, and never the corpus or a folder holding it, however the
// path is spelled; every refusal names the folder and why, and leaves it as it was.
func TestForceRefusesWhatIsNotARelease(t *testing.T) {
	base := t.TempDir()
	corpusDir := filepath.Join(base, "work", "corpus")
	corpusFiles := map[string]string{
		filepath.Join(corpusDir, "newsds.yaml"):            "name: news\n",
		filepath.Join(corpusDir, ".newsds", "store.db"):    "sqlite",
		filepath.Join(corpusDir, "notes", "interviews.md"): "mine",
	}
	plant(t, corpusFiles)
	userDir := filepath.Join(base, "mydata")
	userFiles := map[string]string{filepath.Join(userDir, "thesis.tex"): "chapter 1"}
	plant(t, userFiles)
	link := filepath.Join(base, "link-to-corpus")
	if err := os.Symlink(corpusDir, link); err != nil {
		t.Fatal(err)
	}
	plainFile := filepath.Join(base, "file.txt")
	plant(t, map[string]string{plainFile: "text"})

	// A real release with a .git folder added by the user.
	withGit := filepath.Join(base, "rel-git")
	release(t, corpusOf(t, 6), ReleaseOptions{Out: withGit})
	gitFiles := map[string]string{filepath.Join(withGit, ".git", "config"): "[core]"}
	plant(t, gitFiles)
	// A release folder the corpus was moved into.
	holding := filepath.Join(base, "rel-holding")
	release(t, corpusOf(t, 6), ReleaseOptions{Out: holding})
	inner := filepath.Join(holding, "corpus")
	innerFiles := map[string]string{filepath.Join(inner, "newsds.yaml"): "name: inner\n"}
	plant(t, innerFiles)

	for _, c := range []struct {
		name, out, corpus, why string
		files                  map[string]string
	}{
		{"the corpus", corpusDir, corpusDir, "it is the corpus (" + corpusDir + ")", corpusFiles},
		{"the corpus, another spelling", filepath.Join(corpusDir, "notes", ".."), corpusDir, "it is the corpus", corpusFiles},
		{"a parent of the corpus", filepath.Join(base, "work"), corpusDir, "it holds the corpus", corpusFiles},
		{"a symlink to the corpus", link, corpusDir, "it is the corpus", corpusFiles},
		{"a folder of user files", userDir, corpusDir, "no newsds-release.json, so it is not a newsds release", userFiles},
		{"a file", plainFile, corpusDir, "not a folder", map[string]string{plainFile: "text"}},
		{"a release with a .git folder", withGit, corpusDir, "not part of the release (.git)", gitFiles},
		{"a release holding the corpus", holding, inner, "it holds the corpus (" + inner + ")", innerFiles},
	} {
		_, err := Release(context.Background(), corpusOf(t, 6), ReleaseOptions{Out: c.out, Force: true, CorpusDir: c.corpus,
			Version: "9.0.0", PreviousDir: PreviousNone, Config: testConfig()})
		if !errors.Is(err, ErrNotReplaceable) || !strings.Contains(err.Error(), c.why) || !strings.Contains(err.Error(), c.out) {
			t.Errorf("%s: err = %v, want a refusal naming %s and saying %q", c.name, err, c.out, c.why)
		}
		mustExist(t, c.name, c.files)
	}

	// Without CorpusDir, a source that knows its root protects it too.
	src := rootedSource{corpusOf(t, 6), corpusDir}
	plant(t, map[string]string{filepath.Join(corpusDir, ManifestFile): `{"format_version": 1, "version": "1.0.0"}`,
		filepath.Join(corpusDir, ChecksumsFile): ""}) // even looking like a release
	if _, err := Release(context.Background(), src, ReleaseOptions{Out: corpusDir, Force: true, Config: testConfig()}); !errors.Is(err, ErrNotReplaceable) {
		t.Errorf("corpus as Out with a Root() source: err = %v", err)
	}
	mustExist(t, "the corpus with a Root() source", corpusFiles)
	for _, d := range []string{base, filepath.Join(base, "work")} {
		if litter, _ := filepath.Glob(filepath.Join(d, "*"+tmpInfix+"*")); len(litter) > 0 {
			t.Errorf("refused releases left %v", litter)
		}
	}

	// A plain release is still replaced.
	out := filepath.Join(base, "rel")
	release(t, corpusOf(t, 6), ReleaseOptions{Out: out})
	m := release(t, corpusOf(t, 8), ReleaseOptions{Out: out, Force: true, CorpusDir: corpusDir, Version: "2.0.0", PreviousDir: PreviousNone})
	if got, err := ReadManifest(out); err != nil || got.Version != m.Version {
		t.Errorf("force did not replace a release: %v %+v", err, got)
	}
}

// deadPID returns the pid of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func marker(t *testing.T, dir string, pid int, host string) {
	t.Helper()
	b, _ := json.Marshal(tmpInfo{PID: pid, Host: host, Dir: "x"})
	plant(t, map[string]string{filepath.Join(dir, tmpMarker): string(b)})
}

// TestStaleTempsOnlyOurs: the next release removes the temp folders of dead releases
// beside its output, and nothing else: a live run's, a folder of the user's that only
// looks like one, one marked on another host. An old release a killed run had moved
// aside is put back when the release folder is missing.
func TestStaleTempsOnlyOurs(t *testing.T) {
	dir := t.TempDir()
	dead := strconv.Itoa(deadPID(t))
	host, _ := os.Hostname()
	name := func(base, pid, rnd string) string { return filepath.Join(dir, base+tmpInfix+pid+"-"+rnd) }

	ours := name("other", dead, "111")
	marker(t, ours, atoiT(t, dead), host)
	plant(t, map[string]string{filepath.Join(ours, "data", "articles", "train-00000-of-00001.parquet"): "partial"})
	finished := name("other", dead, "222")
	plant(t, map[string]string{filepath.Join(finished, ManifestFile): `{"format_version": 1, "version": "1.2.0"}`})

	userLookalike := name("notes", dead, "333")
	userFiles := map[string]string{filepath.Join(userLookalike, "draft.txt"): "mine"}
	plant(t, userFiles)
	live := name("other", strconv.Itoa(os.Getpid()), "444")
	marker(t, live, os.Getpid(), host)
	foreignHost := name("other", dead, "555")
	marker(t, foreignHost, atoiT(t, dead), host+"-elsewhere")

	movedAside := name("kept", dead, "666") + oldSuffix
	plant(t, map[string]string{filepath.Join(movedAside, ManifestFile): `{"format_version": 1, "version": "1.0.0"}`})

	release(t, corpusOf(t, 6), ReleaseOptions{Out: filepath.Join(dir, "rel")})

	for _, gone := range []string{ours, finished, movedAside} {
		if _, err := os.Lstat(gone); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s was left: %v", filepath.Base(gone), err)
		}
	}
	for _, kept := range []string{userLookalike, live, foreignHost} {
		if _, err := os.Lstat(kept); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(kept), err)
		}
	}
	mustExist(t, "a user folder named like a temp folder", userFiles)
	if h, err := readManifestHead(filepath.Join(dir, "kept")); err != nil || h.Version != "1.0.0" {
		t.Errorf("the old release moved aside was not put back: %v", err)
	}
}

func atoiT(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReleaseKilledElsewhere kills a release writing to one folder; the next release
// from the same corpus (same history), to another folder, removes the killed run's temp
// folder and its pending entry.
func TestReleaseKilledElsewhere(t *testing.T) {
	if out := os.Getenv("NEWSDS_TEST_KILLED_ELSEWHERE_OUT"); out != "" {
		src := corpusOf(t, 20)
		src.blockAfter = 12
		Release(context.Background(), src, ReleaseOptions{Out: out, ShardSize: 1 << 10, Config: testConfig(),
			History: os.Getenv("NEWSDS_TEST_KILLED_ELSEWHERE_HISTORY")})
		t.Fatal("the blocked release returned")
	}
	base := t.TempDir()
	hist := filepath.Join(base, "corpus", ".newsds", "releases")
	first := filepath.Join(base, "a", "rel")
	cmd := exec.Command(os.Args[0], "-test.run=^TestReleaseKilledElsewhere$")
	cmd.Env = append(os.Environ(), "NEWSDS_TEST_KILLED_ELSEWHERE_OUT="+first, "NEWSDS_TEST_KILLED_ELSEWHERE_HISTORY="+hist)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		shards, _ := filepath.Glob(filepath.Join(base, "a", "rel"+tmpInfix+"*", "data", "articles", "*.parquet"))
		if len(shards) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child wrote no shard")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	litter, _ := filepath.Glob(filepath.Join(base, "a", "rel"+tmpInfix+"*"))
	entries, _ := os.ReadDir(filepath.Join(hist, pendingDir))
	if len(litter) != 1 || len(entries) != 1 {
		t.Fatalf("want the killed run's temp folder and its pending entry, found %v and %d entries", litter, len(entries))
	}
	release(t, corpusOf(t, 20), ReleaseOptions{Out: filepath.Join(base, "b", "rel"), History: hist})
	if left, _ := filepath.Glob(filepath.Join(base, "a", "*")); len(left) != 0 {
		t.Errorf("the next release, to another folder, left %v", left)
	}
	if entries, _ := os.ReadDir(filepath.Join(hist, pendingDir)); len(entries) != 0 {
		t.Errorf("pending entries left: %v", entries)
	}
}
