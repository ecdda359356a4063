package validate

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/newsds/newsds/schema"
)

// agreementAcc accumulates, for one layer, a confusion matrix per pair of annotators over
// the units both labelled. A unit is a document-level label or an exact span, per
// stance target, scope, paragraph and turn (annotate.Agreement's units).
type agreementAcc struct {
	pairs map[[2]string]map[[2]string]int
}

func newAgreementAcc() *agreementAcc {
	return &agreementAcc{pairs: map[[2]string]map[[2]string]int{}}
}

func unitKey(it *schema.Item) string {
	var b strings.Builder
	b.WriteString(it.Attrs[schema.AttrTarget])
	b.WriteByte('|')
	b.WriteString(it.Attrs[schema.AttrScope])
	b.WriteByte('|')
	b.WriteString(it.Attrs[schema.AttrParagraph])
	b.WriteByte('|')
	b.WriteString(it.Attrs[schema.AttrTurn])
	b.WriteByte('|')
	if it.IsSpan() {
		fmt.Fprintf(&b, "%d-%d", *it.Start, *it.End)
	}
	return b.String()
}

func (acc *agreementAcc) add(layer string, anns []schema.Annotation) {
	byAnnotator := map[string]map[string]string{}
	for i := range anns {
		a := &anns[i]
		if a.Layer != layer || a.Stale {
			continue
		}
		units := map[string]string{}
		for j := range a.Items {
			if it := &a.Items[j]; it.Label != "" {
				units[unitKey(it)] = it.Label
			}
		}
		byAnnotator[a.Annotator.Name] = units
	}
	names := sortedKeys(byAnnotator)
	for x := 0; x < len(names); x++ {
		for y := x + 1; y < len(names); y++ {
			ua, ub := byAnnotator[names[x]], byAnnotator[names[y]]
			pair := [2]string{names[x], names[y]}
			for k, la := range ua {
				if lb, ok := ub[k]; ok {
					m := acc.pairs[pair]
					if m == nil {
						m = map[[2]string]int{}
						acc.pairs[pair] = m
					}
					m[[2]string{la, lb}]++
				}
			}
		}
	}
}

// cohenKappa computes kappa and the number of units from a confusion matrix.
func cohenKappa(m map[[2]string]int) (kappa float64, n int) {
	rows, cols := map[string]int{}, map[string]int{}
	agree := 0
	for k, c := range m {
		n += c
		rows[k[0]] += c
		cols[k[1]] += c
		if k[0] == k[1] {
			agree += c
		}
	}
	if n == 0 {
		return math.NaN(), 0
	}
	po := float64(agree) / float64(n)
	pe := 0.0
	for _, l := range sortedKeys(rows) {
		pe += float64(rows[l]) / float64(n) * float64(cols[l]) / float64(n)
	}
	if pe == 1 {
		// Both annotators used one and the same label throughout: they agree fully.
		return 1, n
	}
	return (po - pe) / (1 - pe), n
}

// finish evaluates the threshold rules once every record has been seen.
func (rc *recordChecker) finish() {
	rf := rc.rules
	if rf == nil {
		return
	}
	for _, c := range rf.Coverage {
		if rc.docs == 0 {
			continue
		}
		got := rc.covered[c.Layer]
		share := float64(got) / float64(rc.docs)
		if share < c.Min {
			rc.emit(RuleCoverage, Location{Layer: c.Layer}, coverageFix(c.Layer),
				"layer %s covers %d of %d documents (%.1f%%), below the minimum %.1f%%",
				c.Layer, got, rc.docs, 100*share, 100*c.Min)
		}
	}
	for _, a := range rf.Agreement {
		minItems := a.MinItems
		if minItems == 0 {
			minItems = 10
		}
		acc := rc.agreement[a.Layer]
		pairs := slices.SortedFunc(maps.Keys(acc.pairs), func(x, y [2]string) int {
			return strings.Compare(x[0]+"\x00"+x[1], y[0]+"\x00"+y[1])
		})
		judged := 0
		for _, p := range pairs {
			kappa, n := cohenKappa(acc.pairs[p])
			if n < minItems {
				continue
			}
			judged++
			if kappa < a.MinKappa {
				rc.emit(RuleAgreement, Location{Layer: a.Layer}, "review the guidelines with the annotators and relabel the disagreements",
					"Cohen's kappa between %s and %s on layer %s is %.3f over %d common units, below the minimum %.2f",
					p[0], p[1], a.Layer, kappa, n, a.MinKappa)
			}
		}
		if judged == 0 {
			rc.s.emit(Finding{Rule: RuleAgreement, Severity: SeverityInfo, Location: Location{Layer: a.Layer},
				Message: fmt.Sprintf("agreement on layer %s not judged: no two annotators labelled %d common units", a.Layer, minItems)})
		}
	}
	for _, l := range rf.LabelShare {
		counts := rc.labelCount[l.Layer]
		total := 0
		for _, c := range counts {
			total += c
		}
		if total == 0 {
			continue
		}
		for _, label := range sortedKeys(counts) {
			if share := float64(counts[label]) / float64(total); share > l.Max {
				rc.emit(RuleLabelShare, Location{Layer: l.Layer}, "",
					"label %s is %.1f%% of the %d %s items, above the maximum %.1f%%",
					label, 100*share, total, l.Layer, 100*l.Max)
			}
		}
	}
}

func coverageFix(layer string) string {
	switch layer {
	case schema.LayerQA:
		return "run `newsds annotate --with qa --all`"
	case schema.LayerSentiment, schema.LayerStance:
		return fmt.Sprintf("run `newsds annotate --with %s --all`", layer)
	}
	return ""
}
