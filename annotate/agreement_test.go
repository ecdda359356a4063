package annotate

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/newsds/newsds/schema"
)

// agrTable builds document-level annotations from a coder × unit table: rows[c][u] is
// coder c's label for unit u (document "uN"), "" for missing.
func agrTable(layer string, coders []string, rows [][]string) []schema.Annotation {
	var anns []schema.Annotation
	for c, row := range rows {
		for u, v := range row {
			if v == "" {
				continue
			}
			anns = append(anns, schema.Annotation{DocID: fmt.Sprintf("u%02d", u+1), Layer: layer,
				Annotator: schema.Annotator{Name: coders[c], Kind: schema.KindHuman}, Items: []schema.Item{{Label: v}}})
		}
	}
	return anns
}

func agrNear(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s undefined, want %.4f", what, want)
		return
	}
	if math.Abs(*got-want) > 1e-3 {
		t.Errorf("%s = %.4f, want %.4f", what, *got, want)
	}
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal
// data, four observers, twelve units, missing values; alpha = 0.743. Unit 12 has one
// value only and is not pairable.
func TestKrippendorffAlphaNominalWithMissingData(t *testing.T) {
	rows := [][]string{
		strings.Split("1 2 3 3 2 1 4 1 2 . . .", " "),
		strings.Split("1 2 3 3 2 2 4 1 2 5 . 3", " "),
		strings.Split(". 3 3 3 2 3 4 2 2 5 1 .", " "),
		strings.Split("1 2 3 3 2 4 4 1 2 5 1 .", " "),
	}
	for _, r := range rows {
		for i := range r {
			if r[i] == "." {
				r[i] = ""
			}
		}
	}
	got := AgreementOf(agrTable("l", []string{"A", "B", "C", "D"}, rows), "l")
	agrNear(t, "alpha", got.Alpha, 0.743)
	if got.Kappa != nil {
		t.Errorf("kappa %v reported for four annotators", *got.Kappa)
	}
	if got.Units != 11 || got.SingleUnits != 1 || len(got.Pairs) != 6 {
		t.Errorf("units %d single %d pairs %d, want 11, 1, 6", got.Units, got.SingleUnits, len(got.Pairs))
	}
	if got.Distribution["B"]["2"] != 4 || got.Distribution["C"]["3"] != 4 {
		t.Errorf("distribution %v", got.Distribution)
	}
}

// Krippendorff (2011), section A: two observers, binary data, ten units: alpha = 0.095.
// Cohen's kappa by hand: p_o = 6/10, p_e = 0.2*0.4 + 0.8*0.6 = 0.56, kappa = 0.04/0.44.
func TestAlphaAndKappaTwoCoders(t *testing.T) {
	rows := [][]string{
		strings.Split("0 1 0 0 0 0 0 0 1 0", " "),
		strings.Split("1 1 1 0 0 1 0 0 0 0", " "),
	}
	got := AgreementOf(agrTable("l", []string{"A", "B"}, rows), "l")
	agrNear(t, "alpha", got.Alpha, 0.095)
	agrNear(t, "kappa", got.Kappa, 0.04/0.44)
	if len(got.Pairs) != 1 || got.Pairs[0].Observed != 0.6 || got.Pairs[0].Units != 10 {
		t.Errorf("pairs %+v", got.Pairs)
	}
}

// Cohen's kappa, the standard worked example: of 50 items, both say yes on 20, both no
// on 15, A yes and B no on 5, A no and B yes on 10: p_o = 0.7, p_e = 0.5, kappa = 0.4.
func TestCohenKappaTextbook(t *testing.T) {
	var a, b []string
	add := func(n int, x, y string) {
		for range n {
			a, b = append(a, x), append(b, y)
		}
	}
	add(20, "yes", "yes")
	add(5, "yes", "no")
	add(10, "no", "yes")
	add(15, "no", "no")
	got := AgreementOf(agrTable("l", []string{"ann", "bob"}, [][]string{a, b}), "l")
	agrNear(t, "kappa", got.Kappa, 0.4)
	if got.Annotators[0] != "ann" || got.Labels[0] != "no" || got.Distribution["bob"]["yes"] != 30 {
		t.Errorf("%+v", got)
	}
}

func TestAgreementUnits(t *testing.T) {
	text := "قطرٌ 🇶🇦 تدعم الحوار"
	doc := schema.Document{ID: "d1", Text: text, ContentHash: schema.ContentHash(text)}
	span := func(s, e int, label string, attrs map[string]string) schema.Item {
		it := expSpan(t, text, s, e, label)
		it.Attrs = attrs
		return it
	}
	who := func(n string) schema.Annotator { return schema.Annotator{Name: n, Kind: schema.KindHuman} }
	tgt := func(v string) map[string]string {
		return map[string]string{schema.AttrTarget: v, schema.AttrSpeaker: "x-" + v}
	}
	ann := func(n string, items ...schema.Item) schema.Annotation {
		return schema.Annotation{DocID: "d1", Layer: "stance", Annotator: who(n), ContentHash: doc.ContentHash, Items: items}
	}
	stale := ann("carol", span(0, 4, "favor", tgt("qatar")))
	stale.ContentHash = schema.ContentHash("old text")
	rec := schema.Record{Document: doc, Annotations: []schema.Annotation{
		ann("ann",
			span(0, 4, "favor", tgt("qatar")),   // same unit as bob's: agree
			span(0, 4, "against", tgt("media")), // same span, other target: its own unit, bob disagrees
			span(5, 7, "neutral", nil),          // bob's span is [5,6): different units
			schema.Item{Label: "favor", Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}},
		),
		ann("bob",
			span(0, 4, "favor", tgt("qatar")),
			span(0, 4, "favor", tgt("media")),
			span(5, 6, "neutral", nil),
			schema.Item{Label: "favor", Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}},
			schema.Item{Label: "neutral", Attrs: map[string]string{schema.AttrScope: schema.ScopeDocument}},
		),
		stale,
		{DocID: "d1", Layer: "sentiment", Annotator: who("dan"), Items: []schema.Item{{Label: "x"}}},
	}}
	got, err := Agreement(expSeq([]schema.Record{rec}, nil), "stance")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Annotators, ",") != "ann,bob" {
		t.Errorf("annotators %v (stale carol and other-layer dan must be left out)", got.Annotators)
	}
	// Units: qatar span (agree), media span (disagree), document (favor vs favor+neutral);
	// the two spans with different ends are single.
	if got.Units != 3 || got.SingleUnits != 2 || got.Documents != 1 {
		t.Errorf("units %d single %d documents %d, want 3, 2, 1", got.Units, got.SingleUnits, got.Documents)
	}
	if p := got.Pairs[0]; p.Units != 3 || math.Abs(p.Observed-1.0/3) > 1e-9 {
		t.Errorf("pair %+v", p)
	}
	if got.Distribution["bob"]["neutral"] != 2 || got.Distribution["ann"]["against"] != 1 {
		t.Errorf("distribution %v", got.Distribution)
	}
	// Values "favor", "favor", "favor", "against", "favor", "favor+neutral": by hand,
	// o_ff = 2, o_fa = o_af = 1, o_f,fn = o_fn,f = 1; n = 6, n_f = 4, n_a = 1, n_fn = 1;
	// alpha = 1 - 5 * 4 / (2*(4*1 + 4*1 + 1*1)) = 1 - 20/18.
	agrNear(t, "alpha", got.Alpha, 1-20.0/18)
	boom := errors.New("read failed")
	if _, err := Agreement(expSeq(nil, boom), "stance"); !errors.Is(err, boom) {
		t.Errorf("stream error: %v", err)
	}
}

func TestAgreementUndefined(t *testing.T) {
	// Everyone always says "pos": chance agreement is 1, kappa and alpha are undefined.
	got := AgreementOf(agrTable("l", []string{"a", "b"}, [][]string{{"pos", "pos"}, {"pos", "pos"}}), "l")
	if got.Kappa != nil || got.Alpha != nil || got.Pairs[0].Observed != 1 {
		t.Errorf("%+v", got)
	}
	// One annotator only: distribution, no agreement.
	got = AgreementOf(agrTable("l", []string{"a"}, [][]string{{"pos", "neg"}}), "l")
	if got.Alpha != nil || got.Units != 0 || got.SingleUnits != 2 || got.Distribution["a"]["neg"] != 1 {
		t.Errorf("%+v", got)
	}
}
