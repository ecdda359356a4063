package annotate

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/newsds/newsds/schema"
)

// LayerAgreement is how much the annotators of one layer agree.
//
// Agreement is measured over units, the things each annotator gives one value (a label)
// to. A document-level item's unit is its document plus its identifying attributes
// (scope, target, paragraph, turn): the document's sentiment, the stance toward one
// target. A span's unit is its document and exact [start, end), plus the same
// attributes, so that stances toward two targets over one span are two units. Spans
// that do not match exactly are different units: a boundary disagreement is not counted
// as a label disagreement, it shows as units only one annotator labelled (SingleUnits).
// When one annotator gives a unit several labels, its value is the sorted labels joined
// by "+". Stale annotations are left out: their offsets point into another text.
type LayerAgreement struct {
	Layer string `json:"layer"`
	// Annotators are the annotator names that filled the layer, sorted.
	Annotators []string `json:"annotators"`
	// Labels are the labels seen, sorted ("" is an item without a label).
	Labels []string `json:"labels"`
	// Distribution counts items per annotator and label.
	Distribution map[string]map[string]int `json:"distribution"`
	// Documents counts documents annotated on this layer by two annotators or more.
	Documents int `json:"documents"`
	// Units counts units with values from two annotators or more; SingleUnits those
	// with one only.
	Units       int `json:"units"`
	SingleUnits int `json:"single_units"`
	// Kappa is Cohen's kappa, set when exactly two annotators filled the layer and it
	// is defined (the chance agreement is below 1).
	Kappa *float64 `json:"kappa,omitempty"`
	// Alpha is Krippendorff's alpha for nominal data over all pairable units (missing
	// values allowed), set when two or more annotators filled the layer and it is
	// defined (the values vary).
	Alpha *float64 `json:"alpha,omitempty"`
	// Pairs gives Cohen's kappa for every pair of annotators, over the units both
	// labelled, sorted by (A, B).
	Pairs []PairAgreement `json:"pairs"`
}

// PairAgreement is the agreement of two annotators over the units both labelled.
type PairAgreement struct {
	A        string   `json:"a"`
	B        string   `json:"b"`
	Units    int      `json:"units"`
	Observed float64  `json:"observed"`
	Kappa    *float64 `json:"kappa,omitempty"`
}

// Agreement measures agreement on layer over a stream of records, holding only counts
// (never the corpus) in memory.
func Agreement(recs iter.Seq2[schema.Record, error], layer string) (LayerAgreement, error) {
	c := NewAgreementCounter(layer)
	for rec, err := range recs {
		if err != nil {
			return LayerAgreement{}, fmt.Errorf("agreement on %s: %w", layer, err)
		}
		c.Add(&rec.Document, rec.Annotations)
	}
	return c.Result(), nil
}

// AgreementCounter measures agreement on one layer document by document, for callers
// that already stream records for another purpose (release statistics): one method,
// one set of figures, wherever they are shown.
type AgreementCounter struct{ acc *agrAcc }

// NewAgreementCounter starts counting agreement on layer.
func NewAgreementCounter(layer string) *AgreementCounter {
	return &AgreementCounter{acc: newAgrAcc(layer)}
}

// Add counts one document's annotations (of any layers; others are ignored). doc, when
// not nil, identifies stale annotations by content hash.
func (c *AgreementCounter) Add(doc *schema.Document, anns []schema.Annotation) {
	c.acc.addDoc(doc, anns)
}

// Result is the agreement over the documents added so far.
func (c *AgreementCounter) Result() LayerAgreement { return c.acc.result() }

// AgreementOf measures agreement on layer over annotations of any documents. Without
// the documents' texts it cannot tell stale annotations apart, so it uses only the
// Stale flag.
func AgreementOf(anns []schema.Annotation, layer string) LayerAgreement {
	acc := newAgrAcc(layer)
	byDoc := map[string][]schema.Annotation{}
	for _, a := range anns {
		byDoc[a.DocID] = append(byDoc[a.DocID], a)
	}
	for _, id := range slices.Sorted(maps.Keys(byDoc)) {
		acc.addDoc(nil, byDoc[id])
	}
	return acc.result()
}

// agrUnitAttrs are the attributes that say which thing an item labels.
var agrUnitAttrs = []string{schema.AttrScope, schema.AttrTarget, schema.AttrParagraph, schema.AttrTurn}

type agrPair struct{ a, b string }

type agrAcc struct {
	layer       string
	dist        map[string]map[string]int
	coincidence map[agrPair]float64 // Krippendorff's o_ck over values
	pairs       map[agrPair]map[agrPair]int
	docs        int
	units       int
	single      int
}

func newAgrAcc(layer string) *agrAcc {
	return &agrAcc{layer: layer, dist: map[string]map[string]int{}, coincidence: map[agrPair]float64{}, pairs: map[agrPair]map[agrPair]int{}}
}

// addDoc adds one document's annotations; doc, when given, identifies stale ones.
func (acc *agrAcc) addDoc(doc *schema.Document, anns []schema.Annotation) {
	hash := ""
	if doc != nil {
		hash = impHash(doc)
	}
	// values[unit][annotator] = sorted labels
	values := map[string]map[string][]string{}
	for _, a := range anns {
		// An annotation skipped for its language says nothing about the document: it is
		// neither a label nor a unit of agreement.
		if a.Layer != acc.layer || a.Stale || a.Skipped != "" || (hash != "" && a.ContentHash != "" && a.ContentHash != hash) {
			continue
		}
		name := a.Annotator.Name
		if acc.dist[name] == nil {
			acc.dist[name] = map[string]int{}
		}
		for _, it := range a.Items {
			acc.dist[name][it.Label]++
			u := agrUnit(it)
			if values[u] == nil {
				values[u] = map[string][]string{}
			}
			if !slices.Contains(values[u][name], it.Label) {
				values[u][name] = append(values[u][name], it.Label)
			}
		}
	}
	multi := false
	for _, u := range slices.Sorted(maps.Keys(values)) {
		byAnn := values[u]
		names := slices.Sorted(maps.Keys(byAnn))
		if len(names) < 2 {
			acc.single++
			continue
		}
		multi = true
		acc.units++
		vals := make([]string, len(names))
		for i, n := range names {
			slices.Sort(byAnn[n])
			vals[i] = strings.Join(byAnn[n], "+")
		}
		m := float64(len(vals))
		for i := range vals {
			for j := range vals {
				if i != j {
					acc.coincidence[agrPair{vals[i], vals[j]}] += 1 / (m - 1)
				}
			}
			for j := i + 1; j < len(vals); j++ {
				p := agrPair{names[i], names[j]}
				if acc.pairs[p] == nil {
					acc.pairs[p] = map[agrPair]int{}
				}
				acc.pairs[p][agrPair{vals[i], vals[j]}]++
			}
		}
	}
	if multi {
		acc.docs++
	}
}

// agrUnit is the unit key of an item within its document.
func agrUnit(it schema.Item) string {
	var b strings.Builder
	if it.IsSpan() {
		b.WriteString(strconv.Itoa(*it.Start) + ":" + strconv.Itoa(*it.End))
	} else {
		b.WriteString("doc")
	}
	for _, k := range agrUnitAttrs {
		if v, ok := it.Attrs[k]; ok {
			b.WriteString("\x00" + k + "=" + v)
		}
	}
	return b.String()
}

func (acc *agrAcc) result() LayerAgreement {
	res := LayerAgreement{Layer: acc.layer, Distribution: acc.dist, Documents: acc.docs, Units: acc.units, SingleUnits: acc.single,
		Annotators: slices.Sorted(maps.Keys(acc.dist)), Pairs: []PairAgreement{}}
	labels := map[string]bool{}
	for _, d := range acc.dist {
		for l := range d {
			labels[l] = true
		}
	}
	res.Labels = slices.Sorted(maps.Keys(labels))
	pairs := slices.SortedFunc(maps.Keys(acc.pairs), func(x, y agrPair) int { return impCompare(x.a, y.a, x.b, y.b) })
	for _, p := range pairs {
		pa := cohenKappa(acc.pairs[p])
		pa.A, pa.B = p.a, p.b
		res.Pairs = append(res.Pairs, pa)
	}
	if len(res.Annotators) == 2 && len(res.Pairs) == 1 {
		res.Kappa = res.Pairs[0].Kappa
	}
	if len(res.Annotators) >= 2 {
		res.Alpha = krippendorffAlpha(acc.coincidence)
	}
	return res
}

// cohenKappa computes (p_o - p_e) / (1 - p_e) from a contingency table of (value by A,
// value by B) counts; kappa is nil when p_e is 1 (both always gave the same one label).
func cohenKappa(table map[agrPair]int) PairAgreement {
	n, agree := 0, 0
	ma, mb := map[string]int{}, map[string]int{}
	for k, c := range table {
		n += c
		ma[k.a] += c
		mb[k.b] += c
		if k.a == k.b {
			agree += c
		}
	}
	pa := PairAgreement{Units: n}
	if n == 0 {
		return pa
	}
	po := float64(agree) / float64(n)
	pe := 0.0
	for _, l := range slices.Sorted(maps.Keys(ma)) {
		pe += float64(ma[l]) / float64(n) * float64(mb[l]) / float64(n)
	}
	pa.Observed = po
	if pe < 1 {
		k := (po - pe) / (1 - pe)
		pa.Kappa = &k
	}
	return pa
}

// krippendorffAlpha computes nominal alpha from the coincidence matrix o_ck:
// alpha = 1 - (n - 1) * sum_{c!=k} o_ck / sum_{c!=k} n_c * n_k, with n_c the marginals
// and n the number of pairable values. It is nil when no value differs from another.
func krippendorffAlpha(o map[agrPair]float64) *float64 {
	nc := map[string]float64{}
	n, disagree := 0.0, 0.0
	for _, k := range slices.SortedFunc(maps.Keys(o), func(x, y agrPair) int { return impCompare(x.a, y.a, x.b, y.b) }) {
		v := o[k]
		nc[k.a] += v
		n += v
		if k.a != k.b {
			disagree += v
		}
	}
	expected := 0.0
	values := slices.Sorted(maps.Keys(nc))
	for _, c := range values {
		for _, k := range values {
			if c != k {
				expected += nc[c] * nc[k]
			}
		}
	}
	if expected == 0 {
		return nil
	}
	a := 1 - (n-1)*disagree/expected
	return &a
}
