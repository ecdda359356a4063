// Package corpus turns inputs into a versioned corpus: it reads HTML pages, WARC
// crawls, JSONL and plain-text scrapes; extracts clean text and metadata (charsets,
// dates with time zones, language); finds exact and near duplicates (MinHash/LSH);
// and keeps everything in an embedded SQLite store of immutable revisions, a staged
// set and committed versions. newsds.yaml, the corpus's configuration, is read here.
package corpus
