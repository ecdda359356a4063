package annotate

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/newsds/newsds/internal/cputime"
	"github.com/newsds/newsds/schema"
)

// agrRandDoc builds one document annotated by 2–3 annotators on the qa, sentiment and
// stance layers, 5–50 items per annotation, with the disagreements agreement exists to
// count: other labels, shifted span boundaries, units only one annotator labelled, a
// unit given two labels, stale and skipped annotations.
func agrRandDoc(r *rand.Rand, i int) (schema.Document, []schema.Annotation) {
	doc := schema.Document{ID: "d" + strconv.Itoa(i), Text: "text " + strconv.Itoa(i)}
	doc.ContentHash = schema.ContentHash(doc.Text)
	names := []string{"rule", "model", "human"}[:2+r.IntN(2)]
	var anns []schema.Annotation
	for _, layer := range []string{schema.LayerQA, schema.LayerSentiment, schema.LayerStance} {
		// The annotators label a common base of units and each departs from it.
		n := 5 + r.IntN(46)
		base := make([]schema.Item, n)
		for k := range base {
			base[k] = agrRandItem(r, layer, k)
		}
		for _, name := range names {
			a := schema.Annotation{DocID: doc.ID, Layer: layer, ContentHash: doc.ContentHash,
				Annotator: schema.Annotator{Name: name, Kind: schema.KindModel}}
			switch r.IntN(40) {
			case 0:
				a.Stale = true
			case 1:
				a.ContentHash = "other"
			case 2:
				a.Skipped = schema.SkippedLanguage
				anns = append(anns, a)
				continue
			}
			for k, it := range base {
				switch x := r.IntN(20); {
				case x == 0:
					continue // not labelled by this one
				case x < 4:
					it.Label = agrRandLabel(r, layer)
				case x == 4 && it.IsSpan():
					e := *it.End + 1
					it.End = &e
				case x == 5:
					a.Items = append(a.Items, schema.Item{Start: it.Start, End: it.End, Attrs: it.Attrs, Label: agrRandLabel(r, layer)})
				case x == 6:
					a.Items = append(a.Items, agrRandItem(r, layer, n+k))
				}
				a.Items = append(a.Items, it)
			}
			anns = append(anns, a)
		}
	}
	return doc, anns
}

func agrRandItem(r *rand.Rand, layer string, k int) schema.Item {
	start, end := k*40+r.IntN(10), k*40+20+r.IntN(15)
	it := schema.Item{Label: agrRandLabel(r, layer)}
	switch layer {
	case schema.LayerQA:
		it.Start, it.End = &start, &end
		it.Attrs = map[string]string{schema.AttrTurn: strconv.Itoa(k/2 + 1), schema.AttrSpeaker: "S" + strconv.Itoa(k%2)}
	case schema.LayerSentiment:
		if k == 0 {
			it.Attrs = map[string]string{schema.AttrScope: schema.ScopeDocument}
		} else {
			it.Start, it.End = &start, &end
			it.Attrs = map[string]string{schema.AttrScope: schema.ScopeParagraph, schema.AttrParagraph: strconv.Itoa(k - 1)}
		}
	default:
		if r.IntN(4) == 0 {
			it.Attrs = map[string]string{schema.AttrTarget: "t" + strconv.Itoa(r.IntN(3))}
		} else {
			it.Start, it.End = &start, &end
			it.Attrs = map[string]string{schema.AttrTarget: "t" + strconv.Itoa(k%3)}
		}
	}
	return it
}

func agrRandLabel(r *rand.Rand, layer string) string {
	var set []string
	switch layer {
	case schema.LayerQA:
		set = []string{"question", "answer"}
	case schema.LayerSentiment:
		set = []string{"positive", "negative", "neutral"}
	default:
		set = []string{"favor", "against", "none"}
	}
	if r.IntN(50) == 0 {
		return ""
	}
	return set[r.IntN(len(set))]
}

// BenchmarkAgreementCounter measures what release statistics pay per document: one
// counter per layer, each given the document's annotations of every layer.
func BenchmarkAgreementCounter(b *testing.B) {
	r := rand.New(rand.NewPCG(15, 1))
	const ndocs = 512
	docs := make([]schema.Document, ndocs)
	anns := make([][]schema.Annotation, ndocs)
	for i := range docs {
		docs[i], anns[i] = agrRandDoc(r, i)
	}
	layers := []string{schema.LayerQA, schema.LayerSentiment, schema.LayerStance}
	counters := make([]*AgreementCounter, len(layers))
	for i, l := range layers {
		counters[i] = NewAgreementCounter(l)
	}
	// One benchmark op is one document; the per-document metrics say so in the output.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu0, cpuOK := cputime.Self()
	n := 0
	for b.Loop() {
		for _, c := range counters {
			c.Add(&docs[n%ndocs], anns[n%ndocs])
		}
		n++
	}
	cpu1, _ := cputime.Self()
	runtime.ReadMemStats(&after)
	if cpuOK {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(n), "cpu-ns/doc")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/doc")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n), "allocs/doc")
}
