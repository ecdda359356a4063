package datasets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/newsds/newsds/internal/atomicfile"
)

// A release is built in a folder beside its target, named "<DIR>.tmp-<pid>-<random>",
// and renamed to DIR only when complete, so that a failed or killed release never leaves
// a partial DIR. Folders and files are created as os.Mkdir and os.Create would (0777
// and 0666 less the umask), so the release, once renamed, has the modes of any other
// folder the user makes. A killed release does leave that temp folder, and, if it was killed while replacing DIR, the old release moved aside as
// "<temp>-old". The next release removes both, but only what is provably ours and dead:
//
//   - the name has the pattern and its pid is not a live process (a release being
//     written by a live process is left alone);
//   - the folder holds our marker file, written first thing (its pid and host must be
//     the name's and ours), or a release manifest, written before the marker is removed:
//     a folder of the user's that happens to match the name is never touched;
//   - an old release moved aside is put back when DIR is missing (the kill came between
//     the two renames), and removed otherwise.
//
// Stale folders are looked for beside DIR and, when the release keeps a history, in
// the pending list under it (<History>/.pending), so that the next release from the
// same corpus cleans up whatever folder the killed one was writing to.

const (
	tmpInfix = ".tmp-"
	// tmpMarker marks a temp folder as a release in progress; removed once the manifest
	// is written (which marks it from then on) so that it is not part of the release.
	tmpMarker = ".newsds-release-in-progress"
	oldSuffix = "-old"
	// pendingDir, under History, lists the temp folders of releases in progress.
	pendingDir = ".pending"
)

// tmpName matches "<base>.tmp-<pid>-<random>" and the "-old" folder beside it; the
// random part is os.MkdirTemp's digits.
var tmpName = regexp.MustCompile(`^(.+)\.tmp-([0-9]+)-([0-9]+)(-old)?$`)

// tmpInfo is the content of the marker and of a pending entry.
type tmpInfo struct {
	PID  int    `json:"pid"`
	Host string `json:"host"`
	// Dir is the temp folder (pending entries) or the release folder (markers).
	Dir string `json:"dir"`
}

// makeTempDir removes the litter of dead runs beside out and creates and marks a new
// temp folder.
func makeTempDir(out string) (string, error) {
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return "", fmt.Errorf("create %s: %w", parent, err)
	}
	if err := removeStaleTemps(parent, nil); err != nil {
		return "", err
	}
	dir, err := mkdirTemp(parent, base+tmpInfix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", err
	}
	host, _ := os.Hostname()
	b, _ := json.Marshal(tmpInfo{PID: os.Getpid(), Host: host, Dir: out})
	if err := writeFile(filepath.Join(dir, tmpMarker), b); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// mkdirTemp creates a new folder parent/prefix<digits>. Unlike os.MkdirTemp, whose
// folders are 0700 whatever the umask, it creates it 0777 less the umask: the temp folder
// becomes the release.
func mkdirTemp(parent, prefix string) (string, error) {
	for range 1000 {
		dir := filepath.Join(parent, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10))
		err := os.Mkdir(dir, 0o777)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("create temp folder: %w", err)
		}
		return dir, nil
	}
	return "", fmt.Errorf("create temp folder in %s: every name tried exists", parent)
}

// removeStaleTemps removes (or, for an old release moved aside, restores) the stale
// temp folders in parent; only names in only are looked at when it is not nil.
func removeStaleTemps(parent string, only map[string]bool) error {
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list %s: %w", parent, err)
	}
	for _, e := range entries {
		if only != nil && !only[e.Name()] {
			continue
		}
		if err := removeStale(parent, e.Name()); err != nil {
			return err
		}
	}
	return nil
}

// removeStale handles one entry of a folder; anything that is not a stale temp folder
// of ours is left alone.
func removeStale(parent, name string) error {
	m := tmpName.FindStringSubmatch(name)
	if m == nil {
		return nil
	}
	pid, err := strconv.Atoi(m[2])
	if err != nil || processAlive(pid) {
		return nil //nolint:nilerr // a name that only looks like ours, or a live release: not stale
	}
	dir := filepath.Join(parent, name)
	if st, err := os.Lstat(dir); err != nil || !st.IsDir() {
		return nil //nolint:nilerr // gone already, or not a folder: nothing of ours to remove
	}
	if m[4] == oldSuffix {
		if !isRelease(dir) {
			return nil
		}
		out := filepath.Join(parent, m[1])
		if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
			// Killed between moving the old release aside and renaming the new one in:
			// the old one is the release the user had.
			if err := os.Rename(dir, out); err != nil {
				return fmt.Errorf("restore the release moved aside by a killed run: %w", err)
			}
			return atomicfile.SyncDir(parent)
		}
	} else if !markedBy(dir, pid) && !isRelease(dir) {
		return nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove the temp folder of a killed release: %w", err)
	}
	return nil
}

// markedBy reports whether dir holds the marker of process pid on this host.
func markedBy(dir string, pid int) bool {
	b, err := os.ReadFile(filepath.Join(dir, tmpMarker))
	if err != nil {
		return false
	}
	var info tmpInfo
	host, _ := os.Hostname()
	return json.Unmarshal(b, &info) == nil && info.PID == pid && info.Host == host
}

// isRelease reports whether dir holds a release manifest (any format version).
func isRelease(dir string) bool {
	_, err := readManifestHead(dir)
	return err == nil
}

// pending records the temp folder of a release in progress under history, so that a
// later release from the same corpus can clean it up wherever it was. It returns the
// function that removes the record.
func pending(history, tmp string) (func(), error) {
	dir := filepath.Join(history, pendingDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("release history: %w", err)
	}
	abs, err := filepath.Abs(tmp)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	b, _ := json.Marshal(tmpInfo{PID: os.Getpid(), Host: host, Dir: abs})
	path := filepath.Join(dir, filepath.Base(tmp)+".json")
	if err := atomicfile.WriteBytes(path, b, 0o644); err != nil {
		return nil, fmt.Errorf("release history: %w", err)
	}
	return func() { os.Remove(path) }, nil
}

// cleanPending cleans up after the dead releases listed under history.
func cleanPending(history string) error {
	dir := filepath.Join(history, pendingDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("release history: %w", err)
	}
	host, _ := os.Hostname()
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var info tmpInfo
		if json.Unmarshal(b, &info) != nil || info.Host != host || info.PID <= 0 || processAlive(info.PID) {
			continue
		}
		// The same checks as beside the output: the entry only says where to look.
		name := filepath.Base(info.Dir)
		if err := removeStaleTemps(filepath.Dir(info.Dir), map[string]bool{name: true, name + oldSuffix: true}); err != nil {
			return err
		}
		os.Remove(path)
	}
	return nil
}

// processAlive reports whether pid names a running process (signal 0 probes it).
func processAlive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// syncTree fsyncs every file and folder under root, so that the release survives a
// crash once it is renamed into place. Files written by other writers (card, charts)
// are covered too; syncing an already synced file is cheap.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return atomicfile.SyncDir(path)
		}
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("sync %s: %w", path, err)
		}
		defer f.Close()
		if err := f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", path, err)
		}
		return nil
	})
}

// commitDir renames tmp to out. An existing out is an error unless replaceable is set
// and accepts it; it is then moved aside and removed after the rename.
func commitDir(tmp, out string, replaceable func(string) error) error {
	if err := syncTree(tmp); err != nil {
		return err
	}
	parent := filepath.Dir(out)
	var old string
	if _, err := os.Lstat(out); err == nil {
		if replaceable == nil {
			return fmt.Errorf("%s: %w", out, ErrExists)
		}
		// Checked again at the last moment: the folder may have changed during the
		// release.
		if err := replaceable(out); err != nil {
			return err
		}
		old = tmp + oldSuffix
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("move old release aside: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			// Put the old release back so that a failure leaves things as they were.
			if rerr := os.Rename(old, out); rerr != nil {
				return fmt.Errorf("rename %s: %w (and restoring the old release failed: %w)", tmp, err, rerr)
			}
		}
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	if err := atomicfile.SyncDir(parent); err != nil {
		return err
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("remove replaced release: %w", err)
		}
	}
	return nil
}

// ErrNotReplaceable means Force was given but the folder is not one a release may replace.
// The error is a *ReplaceError, which says why.
var ErrNotReplaceable = errors.New("force only replaces a newsds release")

// ReplaceError is a refusal to replace a folder.
type ReplaceError struct {
	Dir    string
	Reason string
}

func (e *ReplaceError) Error() string { return "refusing to replace " + e.Dir + ": " + e.Reason }

// Is makes a ReplaceError match ErrNotReplaceable.
func (e *ReplaceError) Is(target error) bool { return target == ErrNotReplaceable }

// protected is a folder that a release never replaces, nor any folder holding it.
type protected struct {
	what, dir string
}

// checkReplaceable returns nil when out may be replaced by a new release: it is a
// folder holding a newsds release manifest and only the files that release lists in its
// checksums (so nothing a person added, like a .git folder, is lost), and it is not,
// and does not hold, any of protect (the corpus and its history), compared after
// resolving symlinks and by file identity, so that neither another spelling of the path
// nor a case-insensitive file system gets around it.
func checkReplaceable(out string, protect []protected) error {
	refuse := func(format string, a ...any) error {
		return &ReplaceError{Dir: out, Reason: fmt.Sprintf(format, a...)}
	}
	outSt, err := os.Stat(out)
	if err != nil {
		return fmt.Errorf("replace %s: %w", out, err)
	}
	for _, p := range protect {
		if p.dir == "" {
			continue
		}
		if st, err := os.Stat(p.dir); err == nil && os.SameFile(st, outSt) {
			return refuse("it is %s (%s)", p.what, p.dir)
		}
		if holds(out, outSt, p.dir) {
			return refuse("it holds %s (%s)", p.what, p.dir)
		}
	}
	if !outSt.IsDir() {
		return refuse("it is not a folder")
	}
	if _, err := readManifestHead(out); errors.Is(err, fs.ErrNotExist) {
		return refuse("it has no %s, so it is not a newsds release", ManifestFile)
	} else if err != nil {
		return refuse("it is not a newsds release: %v", err)
	}
	foreign, err := foreignFiles(out)
	if err != nil {
		return refuse("%v", err)
	}
	if len(foreign) > 0 {
		return refuse("it holds files that are not part of the release (%s); move them out or release to another folder",
			strings.Join(foreign, ", "))
	}
	return nil
}

// holds reports whether folder out (stat outSt) is p or an ancestor of p.
func holds(out string, outSt os.FileInfo, p string) bool {
	paths := func(x string) []string {
		abs, err := filepath.Abs(x)
		if err != nil {
			return []string{filepath.Clean(x)}
		}
		if resolved, err := filepath.EvalSymlinks(abs); err == nil && resolved != abs {
			return []string{abs, resolved}
		}
		return []string{abs}
	}
	for _, o := range paths(out) {
		for _, q := range paths(p) {
			if rel, err := filepath.Rel(o, q); err == nil && (rel == "." || filepath.IsLocal(rel)) {
				return true
			}
		}
	}
	for _, q := range paths(p) {
		for d := q; ; d = filepath.Dir(d) {
			if st, err := os.Stat(d); err == nil && os.SameFile(st, outSt) {
				return true
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return false
}

// maxForeignListed caps the foreign files named in an error.
const maxForeignListed = 5

// foreignFiles lists (up to maxForeignListed) the entries of release folder dir that
// its checksums file does not list, folders holding listed files aside.
func foreignFiles(dir string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, ChecksumsFile))
	if err != nil {
		return nil, fmt.Errorf("it has no readable %s listing the release's files, so they cannot be told from others: %w", ChecksumsFile, err)
	}
	known := map[string]bool{ChecksumsFile: true}
	for line := range strings.Lines(string(b)) {
		_, name, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "  ")
		if !ok {
			continue
		}
		name = strings.TrimPrefix(name, "./")
		for p := name; p != "." && p != "/" && p != ""; p = path.Dir(p) {
			known[p] = true
		}
	}
	var foreign []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); known[rel] {
			return nil
		}
		if foreign = append(foreign, rel); len(foreign) == maxForeignListed {
			return fs.SkipAll
		}
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list the release's files: %w", err)
	}
	return foreign, nil
}

// writeFile writes b to path inside a release temp folder and syncs it.
func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
