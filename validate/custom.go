package validate

import (
	"fmt"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"

	"github.com/newsds/newsds/schema"
)

// customRules are the rules file's CEL expressions, compiled once.
type customRules struct {
	doc  []compiledRule
	item []compiledRule
	// vars of the record being checked, built once per record.
	docVars map[string]any
}

type compiledRule struct {
	CustomRule
	prg cel.Program
}

// compileCustom type-checks every custom rule; a rule that does not compile to a boolean
// is a rules-file error, reported before any data is read.
func compileCustom(rf *RulesFile) (*customRules, error) {
	if rf == nil || len(rf.Custom) == 0 {
		return nil, nil
	}
	env, err := cel.NewEnv(
		cel.Variable("doc", cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable("item", cel.MapType(cel.StringType, cel.DynType)),
	)
	if err != nil {
		return nil, fmt.Errorf("custom rules: %w", err)
	}
	cr := &customRules{}
	for _, c := range rf.Custom {
		ast, iss := env.Compile(c.Expr)
		if iss.Err() != nil {
			return nil, fmt.Errorf("custom rule %s: %w", c.ID, iss.Err())
		}
		if t := ast.OutputType(); t != types.BoolType && t != types.DynType {
			return nil, fmt.Errorf("custom rule %s: expression gives %s, not a bool", c.ID, t)
		}
		prg, err := env.Program(ast)
		if err != nil {
			return nil, fmt.Errorf("custom rule %s: %w", c.ID, err)
		}
		if c.On == "item" {
			cr.item = append(cr.item, compiledRule{c, prg})
		} else {
			cr.doc = append(cr.doc, compiledRule{c, prg})
		}
	}
	return cr, nil
}

// begin sets the document the following checks are about.
func (cr *customRules) begin(doc *schema.Document) {
	byline := make([]any, len(doc.Byline))
	for i, b := range doc.Byline {
		byline[i] = b
	}
	meta := map[string]any{}
	for k, v := range doc.Meta {
		meta[k] = v
	}
	cr.docVars = map[string]any{
		"id": doc.ID, "url": doc.URL, "source": doc.Source, "site_name": doc.SiteName,
		"title": doc.Title, "byline": byline, "published": doc.Published, "section": doc.Section,
		"lang": doc.Lang, "text": doc.Text, "content_hash": doc.ContentHash, "meta": meta,
		"length": int64(schema.LenCP(doc.Text)),
	}
}

func (cr *customRules) checkDocument(s *sink, loc Location) {
	for i := range cr.doc {
		cr.eval(s, &cr.doc[i], map[string]any{"doc": cr.docVars}, loc, "document")
	}
}

func (cr *customRules) checkItem(s *sink, a *schema.Annotation, i int, loc Location) {
	if len(cr.item) == 0 {
		return
	}
	it := &a.Items[i]
	attrs := make(map[string]any, len(it.Attrs))
	for k, v := range it.Attrs {
		attrs[k] = v
	}
	vars := map[string]any{
		"layer": a.Layer, "annotator": a.Annotator.Name, "annotator_kind": a.Annotator.Kind,
		"index": int64(i), "label": it.Label, "text": it.Text, "attrs": attrs,
	}
	if it.Score != nil {
		vars["score"] = *it.Score
	}
	if it.Start != nil {
		vars["start"] = int64(*it.Start)
	}
	if it.End != nil {
		vars["end"] = int64(*it.End)
	}
	act := map[string]any{"doc": cr.docVars, "item": vars}
	for k := range cr.item {
		cr.eval(s, &cr.item[k], act, loc, "item")
	}
}

func (cr *customRules) eval(s *sink, r *compiledRule, act map[string]any, loc Location, what string) {
	out, _, err := r.prg.Eval(act)
	if err != nil {
		s.emit(Finding{Rule: RuleCustomEvaluation, Location: loc,
			Message: fmt.Sprintf("custom rule %s cannot be evaluated on this %s: %v", r.ID, what, err),
			Fix:     "guard optional fields with has(), e.g. !has(item.score) || item.score >= 0.2"})
		return
	}
	ok, isBool := out.Value().(bool)
	if !isBool {
		s.emit(Finding{Rule: RuleCustomEvaluation, Location: loc,
			Message: fmt.Sprintf("custom rule %s gave %v (%s) on this %s, not a bool", r.ID, out.Value(), out.Type().TypeName(), what)})
		return
	}
	if !ok {
		msg := r.Message
		if msg == "" {
			msg = "fails " + r.Expr
		}
		s.emit(Finding{Rule: r.ID, Location: loc, Message: fmt.Sprintf("%s %s", what, msg), Fix: r.Fix})
	}
}
