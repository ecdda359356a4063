package datasets

import (
	"cmp"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/schema"
)

// Unknown is the key under which documents without a source, language or date are
// counted.
const Unknown = "unknown"

// lengthEdges are the lower bounds, in code points, of the text length histogram
// buckets; the last bucket is open-ended. They are fixed so that histograms of two
// releases can be compared and memory does not grow with the corpus.
var lengthEdges = []int{0, 100, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000}

// Stats collects release statistics one record at a time. It holds counters only (no
// texts, no ids), so its size depends on the number of sources, languages, months,
// layers, labels and annotators, never on the number of documents.
type Stats struct {
	docs    int64
	source  map[string]int64
	lang    map[string]int64
	month   map[string]int64
	split   map[string]int64
	lenHist []int64
	lenMin  int
	lenMax  int
	lenSum  int64
	layers  map[string]*layerAcc
	// byLayer is Add's scratch space, reused from document to document.
	byLayer []schema.Annotation
}

type layerAcc struct {
	docs   int64 // documents with at least one item
	items  int64
	labels map[string]int64
	scopes map[string]map[string]int64 // scope -> label -> items
	annot  map[string]*annotatorAcc
	agree  *annotate.AgreementCounter
}

type annotatorAcc struct {
	info    schema.Annotator
	docs    int64
	items   int64
	labels  map[string]int64
	skipped map[string]int64 // language -> documents skipped as not supported
	// minScore is the confidence threshold the annotator's items were cut at, when one was.
	minScore *float64
}

// NewStats returns an empty Stats.
func NewStats() *Stats {
	return &Stats{
		source:  map[string]int64{},
		lang:    map[string]int64{},
		month:   map[string]int64{},
		split:   map[string]int64{},
		lenHist: make([]int64, len(lengthEdges)),
		layers:  map[string]*layerAcc{},
	}
}

// Add counts one released document of split. Stale annotations are ignored: their
// offsets point into an older text and are not released.
func (s *Stats) Add(rec schema.Record, split string) {
	s.docs++
	s.source[orUnknown(rec.Source)]++
	s.lang[orUnknown(rec.Lang)]++
	s.month[monthOf(rec.Published)]++
	s.split[orUnknown(split)]++

	n := cpLen(rec.Text)
	s.lenHist[bucketOf(n)]++
	if s.docs == 1 || n < s.lenMin {
		s.lenMin = n
	}
	s.lenMax = max(s.lenMax, n)
	s.lenSum += int64(n)

	// The fresh annotations, grouped by layer in layer order (stable within a layer).
	s.byLayer = s.byLayer[:0]
	for _, a := range rec.Annotations {
		if !a.Stale {
			s.byLayer = append(s.byLayer, a)
		}
	}
	slices.SortStableFunc(s.byLayer, func(a, b schema.Annotation) int { return strings.Compare(a.Layer, b.Layer) })
	for rest := s.byLayer; len(rest) > 0; {
		n := 1
		for n < len(rest) && rest[n].Layer == rest[0].Layer {
			n++
		}
		s.addLayer(&rec.Document, rest[0].Layer, rest[:n:n])
		rest = rest[n:]
	}
	clear(s.byLayer)
}

// cpLen is the length of a text in code points, counted as the bytes that do not
// continue a multi-byte sequence, eight at a time: for valid UTF-8 (every text of a
// corpus: the store keeps them as JSON, whose decoder replaces invalid bytes) it is
// utf8.RuneCountInString, several times faster on non-ASCII text. Only invalid bytes
// that are stray continuation bytes would be counted differently (not at all).
func cpLen(text string) int {
	const hi = 0x8080808080808080
	n := len(text)
	i := 0
	for ; i+8 <= len(text); i += 8 {
		x := uint64(text[i]) | uint64(text[i+1])<<8 | uint64(text[i+2])<<16 | uint64(text[i+3])<<24 |
			uint64(text[i+4])<<32 | uint64(text[i+5])<<40 | uint64(text[i+6])<<48 | uint64(text[i+7])<<56
		// A continuation byte is 10xxxxxx: its top bit set and the next one clear.
		n -= bits.OnesCount64(x & hi &^ (x << 1))
	}
	for ; i < len(text); i++ {
		if text[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

func (s *Stats) addLayer(doc *schema.Document, layer string, anns []schema.Annotation) {
	acc := s.layers[layer]
	if acc == nil {
		acc = &layerAcc{
			labels: map[string]int64{},
			scopes: map[string]map[string]int64{},
			annot:  map[string]*annotatorAcc{},
			agree:  annotate.NewAgreementCounter(layer),
		}
		s.layers[layer] = acc
	}
	// The layer's figures describe what the release carries: one annotation per layer
	// (schema.ReleasedAnnotation). Every annotator's own work is counted separately.
	if rel := schema.ReleasedAnnotation(anns, layer); rel != nil {
		if len(rel.Items) > 0 {
			acc.docs++
		}
		for _, it := range rel.Items {
			acc.items++
			acc.labels[it.Label]++
			scope := it.Attrs[schema.AttrScope]
			if acc.scopes[scope] == nil {
				acc.scopes[scope] = map[string]int64{}
			}
			acc.scopes[scope][it.Label]++
		}
	}
	for _, a := range anns {
		name := annotatorName(a.Annotator)
		aa := acc.annot[name]
		if aa == nil {
			aa = &annotatorAcc{info: a.Annotator, labels: map[string]int64{}, skipped: map[string]int64{}}
			acc.annot[name] = aa
		}
		if a.MinScore != nil {
			aa.minScore = a.MinScore
		}
		if a.Skipped == schema.SkippedLanguage {
			aa.skipped[orUnknown(doc.Lang)]++
			continue
		}
		if len(a.Items) > 0 {
			aa.docs++
		}
		for _, it := range a.Items {
			aa.items++
			aa.labels[it.Label]++
		}
	}
	acc.agree.Add(doc, anns)
}

func annotatorName(a schema.Annotator) string {
	if a.Version == "" {
		return a.Name
	}
	return a.Name + "@" + a.Version
}

func orUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return s
}

// monthOf returns YYYY-MM of an RFC 3339 date in its own offset (the publication's local
// month), or Unknown.
func monthOf(published string) string {
	t, err := time.Parse(time.RFC3339, published)
	if err != nil {
		return Unknown
	}
	return t.Format("2006-01")
}

func bucketOf(n int) int {
	i, found := slices.BinarySearch(lengthEdges, n)
	if found {
		return i
	}
	return i - 1
}

// Count is a key with its number of documents or items.
type Count struct {
	Key string
	N   int64
}

// Docs is the number of documents added.
func (s *Stats) Docs() int64 { return s.docs }

// BySource returns documents per source, sorted by key.
func (s *Stats) BySource() []Count { return sortedCounts(s.source) }

// ByLang returns documents per language code, sorted by key.
func (s *Stats) ByLang() []Count { return sortedCounts(s.lang) }

// ByMonth returns documents per publication month (YYYY-MM) in calendar order, with
// Unknown last.
func (s *Stats) ByMonth() []Count {
	c := sortedCounts(s.month)
	slices.SortStableFunc(c, func(a, b Count) int {
		return cmp.Compare(boolInt(a.Key == Unknown), boolInt(b.Key == Unknown))
	})
	return c
}

// MaxMonthRows is the most publication months the card lists one by one: a release
// spanning more is shown per year, so that its table and chart stay a screen high.
const MaxMonthRows = 24

// Publication bins of ByPublication.
const (
	BinMonth = "month"
	BinYear  = "year"
)

// ByPublication returns documents per publication month (YYYY-MM) while there are at
// most MaxMonthRows known months, else per year (YYYY); calendar order, Unknown last.
// The second result is BinMonth or BinYear.
func (s *Stats) ByPublication() ([]Count, string) {
	months := s.ByMonth()
	known := 0
	for _, c := range months {
		if c.Key != Unknown {
			known++
		}
	}
	if known <= MaxMonthRows {
		return months, BinMonth
	}
	var years []Count
	for _, c := range months {
		key := c.Key
		if key != Unknown {
			// monthOf writes YYYY-MM, and ByMonth sorts them, so a year's months are
			// adjacent.
			key, _, _ = strings.Cut(key, "-")
		}
		if n := len(years); n > 0 && years[n-1].Key == key {
			years[n-1].N += c.N
			continue
		}
		years = append(years, Count{Key: key, N: c.N})
	}
	return years, BinYear
}

// BySplit returns documents per split: train, validation, test first, then others by
// name.
func (s *Stats) BySplit() []Count {
	c := sortedCounts(s.split)
	slices.SortStableFunc(c, func(a, b Count) int { return cmp.Compare(splitRank(a.Key), splitRank(b.Key)) })
	return c
}

func splitRank(name string) int {
	switch name {
	case "train":
		return 0
	case "validation":
		return 1
	case "test":
		return 2
	}
	return 3
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sortedCounts(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Count{Key: k, N: m[k]})
	}
	return out
}

// Bucket is one bar of the text length histogram: documents with Lo <= length < Hi code
// points; Hi is -1 for the open last bucket.
type Bucket struct {
	Lo, Hi int
	N      int64
}

// Label is the bucket's range as text, e.g. "500–999" or "≥32000".
func (b Bucket) Label() string {
	if b.Hi < 0 {
		return "≥" + itoa(b.Lo)
	}
	return itoa(b.Lo) + "–" + itoa(b.Hi-1)
}

// LengthStats summarises text lengths in code points.
type LengthStats struct {
	Min, Max int
	Mean     float64
	// Median is estimated by linear interpolation inside the histogram bucket that holds
	// it, since no list of lengths is kept.
	Median  float64
	Buckets []Bucket
}

// Lengths returns the text length distribution; zero when no document was added.
func (s *Stats) Lengths() LengthStats {
	ls := LengthStats{Min: s.lenMin, Max: s.lenMax}
	for i, lo := range lengthEdges {
		hi := -1
		if i+1 < len(lengthEdges) {
			hi = lengthEdges[i+1]
		}
		ls.Buckets = append(ls.Buckets, Bucket{Lo: lo, Hi: hi, N: s.lenHist[i]})
	}
	if s.docs == 0 {
		return ls
	}
	ls.Mean = float64(s.lenSum) / float64(s.docs)
	half := float64(s.docs) / 2
	var seen int64
	for _, b := range ls.Buckets {
		if b.N > 0 && float64(seen+b.N) >= half {
			lo := float64(max(b.Lo, s.lenMin))
			hi := float64(s.lenMax)
			if b.Hi >= 0 {
				hi = math.Min(float64(b.Hi), float64(s.lenMax))
			}
			ls.Median = lo + (hi-lo)*(half-float64(seen))/float64(b.N)
			break
		}
		seen += b.N
	}
	return ls
}

// LayerStats describes one annotation layer over the released documents.
type LayerStats struct {
	Name string
	// Docs is the number of documents whose released annotation of the layer has at
	// least one item; Coverage is Docs over all released documents.
	Docs     int64
	Coverage float64
	Items    int64
	// Items and Labels count the items of the released annotation of each document
	// (schema.ReleasedAnnotation), per label ("" for items without one), sorted by label.
	Labels []Count
	// Scopes splits Labels by the items' scope attribute, for layers that use one.
	Scopes     []ScopeLabels
	Annotators []AnnotatorStats
	// Agreement holds the label distribution per annotator and, when two or more
	// annotators filled the layer on some document, the agreement figures (Units > 0).
	// `newsds stats`, the card and validate's thresholds all read these figures.
	Agreement *annotate.LayerAgreement
}

// ScopeLabels are the label counts of the items of one scope.
type ScopeLabels struct {
	Scope  string
	Labels []Count
}

// AnnotatorStats is what one annotator contributed to a layer.
type AnnotatorStats struct {
	// Name is name@version.
	Name   string
	Kind   string
	Docs   int64
	Items  int64
	Labels []Count
	// SkippedLanguages counts, per language, the documents the annotator skipped because
	// it does not support their language.
	SkippedLanguages []Count
	// MinScore is the confidence below which its items were dropped, nil for none.
	MinScore *float64
}

// Layers returns the statistics of every layer seen, sorted by name.
func (s *Stats) Layers() []LayerStats {
	var out []LayerStats
	for _, name := range slices.Sorted(maps.Keys(s.layers)) {
		acc := s.layers[name]
		ls := LayerStats{Name: name, Docs: acc.docs, Items: acc.items, Labels: sortedCounts(acc.labels)}
		if s.docs > 0 {
			ls.Coverage = float64(acc.docs) / float64(s.docs)
		}
		scopes := slices.Sorted(maps.Keys(acc.scopes))
		if len(scopes) > 1 || (len(scopes) == 1 && scopes[0] != "") {
			for _, sc := range scopes {
				ls.Scopes = append(ls.Scopes, ScopeLabels{Scope: sc, Labels: sortedCounts(acc.scopes[sc])})
			}
		}
		for _, an := range slices.Sorted(maps.Keys(acc.annot)) {
			aa := acc.annot[an]
			ls.Annotators = append(ls.Annotators, AnnotatorStats{
				Name: an, Kind: aa.info.Kind, Docs: aa.docs, Items: aa.items, Labels: sortedCounts(aa.labels),
				SkippedLanguages: sortedCounts(aa.skipped), MinScore: aa.minScore,
			})
		}
		ag := acc.agree.Result()
		ls.Agreement = &ag
		out = append(out, ls)
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }
