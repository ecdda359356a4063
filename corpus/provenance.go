package corpus

import "github.com/newsds/newsds/schema"

// sameRevision reports whether doc, once given the stored revision's provenance, is
// that revision (prevHash): the same input read again from another file, folder or
// record position. Provenance stays inside the revision hash, which a store check
// recomputes from the stored bytes, so it is set aside here instead: the revision first
// stored keeps its provenance and the re-read is unchanged, as with ingested_at.
func sameRevision(prevHash string, doc schema.Document, prov *schema.Provenance) (bool, error) {
	doc.Provenance = prov
	h, err := revisionHash(doc)
	if err != nil {
		return false, err
	}
	return h == prevHash, nil
}
