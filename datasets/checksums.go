package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ChecksumsFile lists the sha256 of every file of a release but itself, in the format
// `sha256sum -c checksums.sha256` checks: "<hex>  <path>\n", sorted by path.
const ChecksumsFile = "checksums.sha256"

// writeChecksums writes root/checksums.sha256. known holds digests already computed
// while writing (the data files), by release-relative path, so that those are not
// read again.
func writeChecksums(root string, known map[string]string) error {
	type entry struct{ path, sum string }
	var entries []entry
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == ChecksumsFile {
			return nil
		}
		if strings.ContainsAny(rel, "\\\n") {
			return fmt.Errorf("checksums: %q cannot be listed in sha256sum format", rel)
		}
		sum, ok := known[rel]
		if !ok {
			if sum, err = fileSHA256(p); err != nil {
				return err
			}
		}
		entries = append(entries, entry{rel, sum})
		return nil
	})
	if err != nil {
		return fmt.Errorf("checksums: %w", err)
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.path, b.path) })
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.sum + "  " + e.path + "\n")
	}
	return writeFile(filepath.Join(root, ChecksumsFile), []byte(b.String()))
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
