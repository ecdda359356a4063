package annotate

// The counting of agreement units as it was before issue 15 made it cheap per document,
// kept here only as the oracle TestAgreementCounterMatchesOracle compares the counter
// with; kappa and alpha are computed by the functions both share.

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/newsds/newsds/schema"
)

// oldAgrUnitAttrs are the attributes that say which thing an item labels.
var oldAgrUnitAttrs = []string{schema.AttrScope, schema.AttrTarget, schema.AttrParagraph, schema.AttrTurn}

type oldAgrAcc struct {
	layer       string
	dist        map[string]map[string]int
	coincidence map[agrPair]float64 // Krippendorff's o_ck over values
	pairs       map[agrPair]map[agrPair]int
	docs        int
	units       int
	single      int
}

func oldNewAgrAcc(layer string) *oldAgrAcc {
	return &oldAgrAcc{layer: layer, dist: map[string]map[string]int{}, coincidence: map[agrPair]float64{}, pairs: map[agrPair]map[agrPair]int{}}
}

// addDoc adds one document's annotations; doc, when given, identifies stale ones.
func (acc *oldAgrAcc) addDoc(doc *schema.Document, anns []schema.Annotation) {
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
			u := oldAgrUnit(it)
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
func oldAgrUnit(it schema.Item) string {
	var b strings.Builder
	if it.IsSpan() {
		b.WriteString(strconv.Itoa(*it.Start) + ":" + strconv.Itoa(*it.End))
	} else {
		b.WriteString("doc")
	}
	for _, k := range oldAgrUnitAttrs {
		if v, ok := it.Attrs[k]; ok {
			b.WriteString("\x00" + k + "=" + v)
		}
	}
	return b.String()
}

func (acc *oldAgrAcc) result() LayerAgreement {
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
