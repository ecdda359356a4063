package annotate

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/newsds/newsds/schema"
)

// agrVary widens agrRandDoc's documents past what the built-in annotators make: a fourth
// annotator, a user layer whose labels contain the "+" that joins several labels, items
// without attributes, a document without its content hash (the counter hashes the text),
// one-annotator documents and annotations without items.
func agrVary(r *rand.Rand, doc *schema.Document, anns []schema.Annotation) []schema.Annotation {
	if r.IntN(5) == 0 {
		doc.ContentHash = ""
	}
	if r.IntN(6) == 0 {
		anns = anns[:1]
	}
	for _, name := range []string{"b+", "zed"}[:r.IntN(3)] {
		a := schema.Annotation{DocID: doc.ID, Layer: "user", Annotator: schema.Annotator{Name: name, Kind: schema.KindHuman}}
		if r.IntN(3) > 0 {
			a.ContentHash = schema.ContentHash(doc.Text)
		}
		for k := range r.IntN(12) {
			it := schema.Item{Label: []string{"a", "a+b", "b", "", "c"}[r.IntN(5)]}
			if r.IntN(2) == 0 {
				s, e := r.IntN(3), 3+r.IntN(2)
				it.Start, it.End = &s, &e
			}
			if r.IntN(3) == 0 {
				it.Attrs = map[string]string{schema.AttrTurn: strconv.Itoa(k % 3), "ignored": "x"}
			}
			a.Items = append(a.Items, it)
		}
		anns = append(anns, a)
	}
	if r.IntN(4) == 0 {
		// A fourth annotator copying another's work with a few changes.
		src := anns[r.IntN(len(anns))]
		cp := src
		cp.Annotator.Name = "extra"
		cp.Items = append([]schema.Item(nil), src.Items...)
		for k := range cp.Items {
			if r.IntN(3) == 0 {
				cp.Items[k].Label = "other"
			}
		}
		anns = append(anns, cp)
	}
	r.Shuffle(len(anns), func(i, j int) { anns[i], anns[j] = anns[j], anns[i] })
	return anns
}

// TestAgreementCounterMatchesOracle checks that the per-document counter gives exactly
// (floating-point bits included) the figures of the algorithm it replaced, on random
// documents, with results taken midway (Result must not disturb the counting) and at
// the end, with and without the documents, and through AgreementOf.
func TestAgreementCounterMatchesOracle(t *testing.T) {
	layers := []string{schema.LayerQA, schema.LayerSentiment, schema.LayerStance, "user", "absent"}
	for seed := range uint64(6) {
		r := rand.New(rand.NewPCG(seed, 99))
		ndocs := 1 + int(seed)*25
		news, olds := map[string]*AgreementCounter{}, map[string]*oldAgrAcc{}
		nilNews, nilOlds := map[string]*AgreementCounter{}, map[string]*oldAgrAcc{}
		for _, l := range layers {
			news[l], olds[l] = NewAgreementCounter(l), oldNewAgrAcc(l)
			nilNews[l], nilOlds[l] = NewAgreementCounter(l), oldNewAgrAcc(l)
		}
		var all []schema.Annotation
		check := func(when string) {
			t.Helper()
			for _, l := range layers {
				if got, want := news[l].Result(), olds[l].result(); !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d %s layer %s:\n got %+v\nwant %+v", seed, when, l, got, want)
				}
				if got, want := nilNews[l].Result(), nilOlds[l].result(); !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d %s layer %s without documents:\n got %+v\nwant %+v", seed, when, l, got, want)
				}
			}
		}
		for i := range ndocs {
			doc, anns := agrRandDoc(r, i)
			anns = agrVary(r, &doc, anns)
			all = append(all, anns...)
			for _, l := range layers {
				news[l].Add(&doc, anns)
				olds[l].addDoc(&doc, anns)
				nilNews[l].Add(nil, anns)
				nilOlds[l].addDoc(nil, anns)
			}
			if i == ndocs/2 {
				check("midway")
			}
		}
		check("at the end")
		for _, l := range layers {
			want := oldNewAgrAcc(l)
			for _, id := range agrDocOrder(all) {
				want.addDoc(nil, id)
			}
			if got := AgreementOf(all, l); !reflect.DeepEqual(got, want.result()) {
				t.Fatalf("seed %d AgreementOf layer %s:\n got %+v\nwant %+v", seed, l, got, want.result())
			}
		}
	}
}

// agrDocOrder groups annotations by document in document-id order, as AgreementOf did.
func agrDocOrder(anns []schema.Annotation) [][]schema.Annotation {
	byDoc := map[string][]schema.Annotation{}
	var ids []string
	for _, a := range anns {
		if byDoc[a.DocID] == nil {
			ids = append(ids, a.DocID)
		}
		byDoc[a.DocID] = append(byDoc[a.DocID], a)
	}
	slices.Sort(ids)
	out := make([][]schema.Annotation, len(ids))
	for i, id := range ids {
		out[i] = byDoc[id]
	}
	return out
}
