package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/newsds/newsds/internal/atomicfile"
)

// A release is built in a folder beside its target, named "<DIR>.tmp-<pid>-<random>",
// and renamed to DIR only when complete, so that a failed or killed release never leaves
// a partial DIR. The pid in the name lets the next run tell the litter of a dead run
// (removed) from a release still being written by a live process (left alone).

const tmpInfix = ".tmp-"

// makeTempDir removes the temp folders of dead runs for out and creates a new one.
func makeTempDir(out string) (string, error) {
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", parent, err)
	}
	if err := removeStaleTemps(parent, base); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(parent, base+tmpInfix+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return "", fmt.Errorf("create temp folder: %w", err)
	}
	return dir, nil
}

// removeStaleTemps removes "<base>.tmp-<pid>-*" entries of parent whose pid is not a
// live process.
func removeStaleTemps(parent, base string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return fmt.Errorf("list %s: %w", parent, err)
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), base+tmpInfix)
		if !ok {
			continue
		}
		pidStr, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidStr)
		if !ok || err != nil || processAlive(pid) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(parent, e.Name())); err != nil {
			return fmt.Errorf("remove stale release temp: %w", err)
		}
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

// commitDir renames tmp to out. With replace, an existing out is first moved aside and
// removed after the rename; without it, an existing out is an error.
func commitDir(tmp, out string, replace bool) error {
	if err := syncTree(tmp); err != nil {
		return err
	}
	parent := filepath.Dir(out)
	var old string
	if _, err := os.Lstat(out); err == nil {
		if !replace {
			return fmt.Errorf("%s: %w", out, ErrExists)
		}
		old = tmp + "-old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("move old release aside: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			// Put the old release back so that a failure leaves things as they were.
			if rerr := os.Rename(old, out); rerr != nil {
				return fmt.Errorf("rename %s: %w (and restoring the old release failed: %v)", tmp, err, rerr)
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

// writeFile writes b to path inside a release temp folder and syncs it.
func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
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
