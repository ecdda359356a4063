package annotate

import (
	"bytes"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"

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

// agrIDs is a pair of interned strings.
type agrIDs [2]int32

// agrAcc counts over interned strings (annotator names, labels, values) so that a
// document costs map look-ups on small integer keys and a sort of one reused slice,
// not maps and sorted keys built per document; result turns the counts back into
// strings. The strings are interned for the whole run, the unit keys never are: there
// are few names and labels, but units grow with the corpus.
type agrAcc struct {
	layer string
	ids   map[string]int32
	strs  []string
	// dist[annotator][label] counts items; a nil row is an annotator never seen.
	dist        [][]int
	coincidence map[agrIDs]float64 // Krippendorff's o_ck over values
	pairs       map[agrIDs]map[agrIDs]int
	docs        int
	units       int
	single      int

	// Scratch space of addDoc, reused from document to document.
	entries []agrEntry
	keys    []byte
	names   []int32
	vals    []int32
	labels  []string
	joined  []byte
}

// agrEntry is one item's (unit, annotator, label).
type agrEntry struct {
	key         []byte // in agrAcc.keys
	name, label string
	nid, lid    int32
}

func newAgrAcc(layer string) *agrAcc {
	return &agrAcc{layer: layer, ids: map[string]int32{}, coincidence: map[agrIDs]float64{}, pairs: map[agrIDs]map[agrIDs]int{}}
}

func (acc *agrAcc) intern(s string) int32 {
	if id, ok := acc.ids[s]; ok {
		return id
	}
	id := int32(len(acc.strs))
	acc.ids[s] = id
	acc.strs = append(acc.strs, s)
	return id
}

// addDoc adds one document's annotations; doc, when given, identifies stale ones.
func (acc *agrAcc) addDoc(doc *schema.Document, anns []schema.Annotation) {
	hash, hashed := "", false
	acc.entries, acc.keys = acc.entries[:0], acc.keys[:0]
	for _, a := range anns {
		// An annotation skipped for its language says nothing about the document: it is
		// neither a label nor a unit of agreement.
		if a.Layer != acc.layer || a.Stale || a.Skipped != "" {
			continue
		}
		if doc != nil && a.ContentHash != "" {
			// Hashing the text is the dearest step when the document lacks its hash, and
			// only annotations that carry one need it.
			if !hashed {
				hash, hashed = impHash(doc), true
			}
			if a.ContentHash != hash {
				continue
			}
		}
		name := a.Annotator.Name
		nid := acc.intern(name)
		for int(nid) >= len(acc.dist) {
			acc.dist = append(acc.dist, nil)
		}
		if acc.dist[nid] == nil {
			acc.dist[nid] = []int{}
		}
		for _, it := range a.Items {
			lid := acc.intern(it.Label)
			d := acc.dist[nid]
			for int(lid) >= len(d) {
				d = append(d, 0)
			}
			d[lid]++
			acc.dist[nid] = d
			from := len(acc.keys)
			acc.keys = agrAppendUnit(acc.keys, it)
			acc.entries = append(acc.entries, agrEntry{key: acc.keys[from:len(acc.keys):len(acc.keys)], name: name, label: it.Label, nid: nid, lid: lid})
		}
	}
	// Units in key order, annotators in name order and labels in label order, as the
	// figures are sums of floating-point terms whose order must not change.
	slices.SortFunc(acc.entries, func(x, y agrEntry) int {
		if c := bytes.Compare(x.key, y.key); c != 0 {
			return c
		}
		return impCompare(x.name, y.name, x.label, y.label)
	})
	multi := false
	for es := acc.entries; len(es) > 0; {
		n := 1
		for n < len(es) && bytes.Equal(es[n].key, es[0].key) {
			n++
		}
		acc.addUnit(es[:n])
		if len(acc.names) >= 2 {
			multi = true
		}
		es = es[n:]
	}
	if multi {
		acc.docs++
	}
	// The scratch entries point into the record's strings; dropping them lets the
	// caller's record go before the next document comes.
	clear(acc.entries)
}

// addUnit counts one unit's entries, sorted by annotator and label.
func (acc *agrAcc) addUnit(es []agrEntry) {
	acc.names, acc.vals = acc.names[:0], acc.vals[:0]
	for len(es) > 0 {
		n := 1
		for n < len(es) && es[n].nid == es[0].nid {
			n++
		}
		acc.names = append(acc.names, es[0].nid)
		acc.vals = append(acc.vals, acc.value(es[:n]))
		es = es[n:]
	}
	if len(acc.names) < 2 {
		acc.single++
		return
	}
	acc.units++
	names, vals := acc.names, acc.vals
	m := float64(len(vals))
	for i := range vals {
		for j := range vals {
			if i != j {
				acc.coincidence[agrIDs{vals[i], vals[j]}] += 1 / (m - 1)
			}
		}
		for j := i + 1; j < len(vals); j++ {
			p := agrIDs{names[i], names[j]}
			t := acc.pairs[p]
			if t == nil {
				t = map[agrIDs]int{}
				acc.pairs[p] = t
			}
			t[agrIDs{vals[i], vals[j]}]++
		}
	}
}

// value is one annotator's value for a unit from its entries, sorted by label: the
// label, or the distinct labels joined by "+".
func (acc *agrAcc) value(es []agrEntry) int32 {
	acc.labels = acc.labels[:0]
	for _, e := range es {
		if len(acc.labels) == 0 || acc.labels[len(acc.labels)-1] != e.label {
			acc.labels = append(acc.labels, e.label)
		}
	}
	if len(acc.labels) == 1 {
		return es[0].lid
	}
	acc.joined = acc.joined[:0]
	for i, l := range acc.labels {
		if i > 0 {
			acc.joined = append(acc.joined, '+')
		}
		acc.joined = append(acc.joined, l...)
	}
	if id, ok := acc.ids[string(acc.joined)]; ok {
		return id
	}
	return acc.intern(string(acc.joined))
}

// agrUnit is the unit key of an item within its document.
func agrUnit(it schema.Item) string { return string(agrAppendUnit(nil, it)) }

// agrAppendUnit appends the unit key of an item within its document to b.
func agrAppendUnit(b []byte, it schema.Item) []byte {
	if it.IsSpan() {
		b = strconv.AppendInt(b, int64(*it.Start), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(*it.End), 10)
	} else {
		b = append(b, "doc"...)
	}
	if len(it.Attrs) == 0 {
		return b
	}
	for _, k := range agrUnitAttrs {
		if v, ok := it.Attrs[k]; ok {
			b = append(b, 0)
			b = append(b, k...)
			b = append(b, '=')
			b = append(b, v...)
		}
	}
	return b
}

func (acc *agrAcc) result() LayerAgreement {
	dist := map[string]map[string]int{}
	labels := map[string]bool{}
	for nid, row := range acc.dist {
		if row == nil {
			continue
		}
		d := map[string]int{}
		for lid, c := range row {
			if c > 0 {
				d[acc.strs[lid]] = c
				labels[acc.strs[lid]] = true
			}
		}
		dist[acc.strs[nid]] = d
	}
	res := LayerAgreement{Layer: acc.layer, Distribution: dist, Documents: acc.docs, Units: acc.units, SingleUnits: acc.single,
		Annotators: slices.Sorted(maps.Keys(dist)), Labels: slices.Sorted(maps.Keys(labels)), Pairs: []PairAgreement{}}
	pairs := slices.SortedFunc(maps.Keys(acc.pairs), func(x, y agrIDs) int {
		return impCompare(acc.strs[x[0]], acc.strs[y[0]], acc.strs[x[1]], acc.strs[y[1]])
	})
	for _, p := range pairs {
		table := map[agrPair]int{}
		for k, c := range acc.pairs[p] {
			table[agrPair{acc.strs[k[0]], acc.strs[k[1]]}] = c
		}
		pa := cohenKappa(table)
		pa.A, pa.B = acc.strs[p[0]], acc.strs[p[1]]
		res.Pairs = append(res.Pairs, pa)
	}
	if len(res.Annotators) == 2 && len(res.Pairs) == 1 {
		res.Kappa = res.Pairs[0].Kappa
	}
	if len(res.Annotators) >= 2 {
		o := make(map[agrPair]float64, len(acc.coincidence))
		for k, v := range acc.coincidence {
			o[agrPair{acc.strs[k[0]], acc.strs[k[1]]}] = v
		}
		res.Alpha = krippendorffAlpha(o)
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
