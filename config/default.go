package config

// DefaultYAML is the commented newsds.yaml that `newsds init` writes.
const DefaultYAML = `# newsds corpus configuration. Every key is optional; the comments give the defaults.

# Short dataset name; the card's pretty_name falls back to it.
name: ""

# Sources, keyed by the name given to "newsds ingest --source KEY". A page whose host
# is listed under domains is assigned to that source when --source is not given.
sources:
  example:
    site_name: "Example News"
    # IANA zone for dates written without an offset (e.g. "12 يناير 2022 , 07:00ص").
    time_zone: "UTC"
    # Expected language (ISO 639-1); language id still decides when it is confident.
    lang: ""
    domains: ["example.com"]
    # CSS selectors (goquery) for pages the generic extractor gets wrong. Set fields win.
    selectors:
      body: ""
      title: ""
      byline: ""
      date: ""
      section: ""
      remove: []
    # Plain-text scrapes: lines to drop, lines that start the trailing related-articles
    # block, and byline prefixes -- added to the built-in Arabic and English ones.
    boilerplate:
      drop: []
      end: []
      byline_prefixes: []

# Used when ingest gets no --source and no domain matches. Empty: "default".
default_source: ""

dedup:
  # Jaccard similarity at or above which two texts are near-duplicates (MinHash + LSH).
  # A negative value turns near-duplicate detection off; exact duplicates are always found.
  threshold: 0.8
  # Word n-gram size of the shingles.
  shingle: 5

# Stance targets: a YAML list of {name, aliases: [...]} (see examples/targets.yaml).
targets: ""

# External annotators, by name, used with "newsds annotate --with NAME". A name may not
# be a built-in's (qa, sentiment, stance), and a command annotator runs only when you
# name it in --with: reading this file never runs anything.
annotators: {}
#  my-model:
#    type: http                  # or: command
#    url: http://127.0.0.1:8080/annotate
#    # command: ["python3", "annotate.py"]
#    layer: sentiment
#    version: "1"
#    kind: model
#    params: {}
#    batch_size: 16
#    concurrency: 2
#    timeout: 30s
#    retries: 3
#    languages: [ar, en]         # others are skipped and counted; empty: all languages

# User layers and their label sets (built-in layers need no entry and may not be redeclared).
layers: {}
#  topic:
#    labels: [politics, economy, sport]
#    overlap: false

# Limits on what one input may cost; a file or record beyond them is rejected with its
# location, and ingest goes on with the next one.
ingest:
  # Bytes one input file may hold once decompressed (16 GiB).
  max_file_bytes: 17179869184
  # Bytes one record may hold once decompressed: an HTML or text file, a WARC payload,
  # a JSONL line (64 MiB).
  max_record_bytes: 67108864
  # Largest decompressed/compressed ratio of a gzipped file or a gzip/deflate HTTP body,
  # checked beyond the first MiB. News pages compress 5-15x; a gzip bomb about 1000x.
  max_ratio: 100
  # The keys JSON and JSONL records of other tools hold article fields under; a field
  # not named reads its own key (text, html, title, byline, published, url, id, ...).
  fields: {}
  #  text: maintext
  #  byline: authors
  #  published: date_publish

# Dataset card facts only you can give; empty ones are marked "to be written" in the card.
card:
  pretty_name: ""
  license: ""          # a Hub license id, e.g. cc-by-4.0
  description: ""
  homepage: ""
  citation: ""
  creators: []
  motivation: ""
  uses: ""
  limitations: ""
  maintenance: ""
  task_categories: []  # e.g. [text-classification, question-answering]
  source_datasets: []  # e.g. [original]
  language_creators: [found]
  annotations_creators: [machine-generated]
`
