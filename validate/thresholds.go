package validate

import (
	"fmt"

	"github.com/newsds/newsds/annotate"
	"github.com/newsds/newsds/schema"
)

// agreementAcc measures agreement on one layer with annotate's counter, so that
// validate's thresholds judge exactly the figures `newsds stats` and the card show.
type agreementAcc struct {
	counter *annotate.AgreementCounter
}

func newAgreementAcc() *agreementAcc { return &agreementAcc{} }

func (acc *agreementAcc) add(layer string, anns []schema.Annotation) {
	if acc.counter == nil {
		acc.counter = annotate.NewAgreementCounter(layer)
	}
	acc.counter.Add(nil, anns)
}

func (acc *agreementAcc) pairs() []annotate.PairAgreement {
	if acc == nil || acc.counter == nil {
		return nil
	}
	return acc.counter.Result().Pairs
}

// finish evaluates the threshold rules once every record has been seen.
func (rc *recordChecker) finish() {
	rc.finishRecords()
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
		judged := 0
		for _, p := range rc.agreement[a.Layer].pairs() {
			if p.Units < minItems {
				continue
			}
			if p.Kappa == nil {
				// Chance agreement is 1 (both used one label throughout): kappa is
				// undefined, and calling it full agreement would pass a layer nobody
				// measured.
				rc.s.emit(Finding{Rule: RuleAgreement, Severity: SeverityWarning, Location: Location{Layer: a.Layer},
					Fix:     "label a sample that holds more than one class, then measure again",
					Message: fmt.Sprintf("Cohen's kappa between %s and %s on layer %s is undefined over %d common units: both used a single label throughout", p.A, p.B, a.Layer, p.Units)})
				judged++
				continue
			}
			judged++
			if *p.Kappa < a.MinKappa {
				rc.emit(RuleAgreement, Location{Layer: a.Layer}, "review the guidelines with the annotators and relabel the disagreements",
					"Cohen's kappa between %s and %s on layer %s is %.3f over %d common units, below the minimum %.2f",
					p.A, p.B, a.Layer, *p.Kappa, p.Units, a.MinKappa)
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
