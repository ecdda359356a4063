package annotate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/newsds/newsds/schema"
)

// ---- Labelled tables (sentiment and stance sets) ----

// labelledRow is one gold row, its label already mapped to the toolkit's label set.
type labelledRow struct {
	Line   int // 1-based line of the record in the file
	Text   string
	Target string
	Label  string
}

type labelledTable struct {
	SHA256 string
	Rows   []labelledRow
}

// ClassifierOptions configures EvalClassifier. Empty column names are detected from the
// header of the known shared sets: text tweet|text|s2|perspective|sentence, label
// sentiment|stance|stance_label_3|label, target s1|claim|target.
type ClassifierOptions struct {
	TextColumn   string
	LabelColumn  string
	TargetColumn string
	// ModelFile scores a model file instead of the shipped one.
	ModelFile string
	// Rows, when set, receives one JSON line per row of the gold file (ScoredRow), so
	// that another tool can train or score on exactly the same split.
	Rows io.Writer
}

// ScoredRow is one row of a gold file as EvalClassifier saw it. Split is "train" for a
// row the model was trained on (not scored: no label or probabilities), "held_out" for
// a held-out row of a training file, "eval" for a row of a file the model never saw.
type ScoredRow struct {
	Line   int                `json:"line"`
	Split  string             `json:"split"`
	Target string             `json:"target,omitempty"`
	Text   string             `json:"text"`
	Gold   string             `json:"gold"`
	Label  string             `json:"label,omitempty"`
	Score  float64            `json:"score,omitempty"`
	Probs  map[string]float64 `json:"probs,omitempty"`
}

var (
	textColumns   = []string{"tweet", "text", "s2", "perspective", "sentence"}
	targetColumns = []string{"s1", "claim", "target"}
	labelColumns  = map[string][]string{
		"sentiment": {"sentiment", "label"},
		"stance":    {"stance", "stance_label_3", "label"},
	}
)

// MapLabel maps a gold label spelling of the shared sets to the toolkit's label:
// NEG/Negative → negative, NEU/Neutral → neutral, POS/Positive → positive,
// agree/SUPPORT/favor → favor, disagree/UNDERMINE/against → against, other → neutral.
// kind is "sentiment" or "stance".
func MapLabel(kind, label string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	switch kind {
	case "sentiment":
		switch l {
		case "neg", "negative":
			return "negative", nil
		case "neu", "neutral":
			return "neutral", nil
		case "pos", "positive":
			return "positive", nil
		}
	case "stance":
		switch l {
		case "agree", "support", "favor", "favour", "pro":
			return "favor", nil
		case "disagree", "undermine", "against", "con":
			return "against", nil
		case "other", "neutral", "none":
			return "neutral", nil
		}
	default:
		return "", fmt.Errorf("unknown classifier kind %q (want sentiment or stance)", kind)
	}
	return "", fmt.Errorf("unknown %s label %q", kind, label)
}

func pickColumn(header []string, given string, candidates []string, what string) (int, error) {
	if given != "" {
		if i := slices.Index(header, strings.ToLower(given)); i >= 0 {
			return i, nil
		}
		return -1, fmt.Errorf("no %s column %q (columns: %s)", what, given, strings.Join(header, ", "))
	}
	for _, c := range candidates {
		if i := slices.Index(header, c); i >= 0 {
			return i, nil
		}
	}
	return -1, &ColumnError{What: what, Header: header}
}

// ColumnError is a labelled file with no column of a kind (text, label, target) under
// any of the names looked for; ClassifierOptions names it.
type ColumnError struct {
	What   string
	Header []string
}

func (e *ColumnError) Error() string {
	return fmt.Sprintf("no %s column found (columns: %s)", e.What, strings.Join(e.Header, ", "))
}

// readLabelled reads a CSV (or TSV, by extension) gold file. Perspectrum's TSV uses CSV
// quoting, which encoding/csv reads with Comma set to tab.
func readLabelled(path, kind string, opts ClassifierOptions) (labelledTable, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return labelledTable{}, fmt.Errorf("read gold: %w", err)
	}
	tab := labelledTable{SHA256: sha256Hex(raw)}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff"))))
	if strings.EqualFold(filepath.Ext(path), ".tsv") {
		r.Comma = '\t'
	}
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return tab, fmt.Errorf("%s: header: %w", path, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	ti, err := pickColumn(header, opts.TextColumn, textColumns, "text")
	if err != nil {
		return tab, fmt.Errorf("%s: %w", path, err)
	}
	li, err := pickColumn(header, opts.LabelColumn, labelColumns[kind], "label")
	if err != nil {
		return tab, fmt.Errorf("%s: %w", path, err)
	}
	gi := -1
	if kind == "stance" {
		if gi, err = pickColumn(header, opts.TargetColumn, targetColumns, "target"); err != nil {
			return tab, fmt.Errorf("%s: %w", path, err)
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return tab, fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) <= max(ti, li, gi) {
			return tab, fmt.Errorf("%s:%d: %d fields, want at least %d", path, line, len(rec), max(ti, li, gi)+1)
		}
		label, err := MapLabel(kind, rec[li])
		if err != nil {
			return tab, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		row := labelledRow{Line: line, Text: rec[ti], Label: label}
		if gi >= 0 {
			row.Target = rec[gi]
		}
		if strings.TrimSpace(row.Text) == "" {
			return tab, fmt.Errorf("%s:%d: empty text", path, line)
		}
		tab.Rows = append(tab.Rows, row)
	}
	return tab, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ---- Classifier scoring ----

// LabelScore is the per-label part of an EvalReport.
type LabelScore struct {
	Label     string  `json:"label"`
	Support   int     `json:"support"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// EvalReport scores a classifier (sentiment or stance) against a gold file. Macro-F1 is
// over the labels present in the gold; the baseline predicts the gold's majority label.
type EvalReport struct {
	Kind             string  `json:"kind,omitempty"`
	File             string  `json:"file,omitempty"`
	N                int     `json:"n"`
	Accuracy         float64 `json:"accuracy"`
	MacroF1          float64 `json:"macro_f1"`
	BaselineAccuracy float64 `json:"baseline_accuracy"`
	BaselineMacroF1  float64 `json:"baseline_macro_f1"`
	Majority         string  `json:"majority,omitempty"`
	// ECE is the expected calibration error of the item scores (top-label probability,
	// ten equal-width bins) on the scored rows.
	ECE    float64      `json:"ece"`
	Labels []LabelScore `json:"labels,omitempty"`
	Note   string       `json:"note,omitempty"`
}

// scoreLabels computes accuracy and macro-F1 of pred against gold, and the
// majority-class baseline.
func scoreLabels(gold, pred []string) EvalReport {
	rep := EvalReport{N: len(gold)}
	if len(gold) == 0 {
		return rep
	}
	support := map[string]int{}
	var present []string
	for _, g := range gold {
		if support[g] == 0 {
			present = append(present, g)
		}
		support[g]++
	}
	slices.Sort(present)
	majority := present[0]
	for _, l := range present {
		if support[l] > support[majority] {
			majority = l
		}
	}
	rep.Majority = majority
	base := make([]string, len(gold))
	for i := range base {
		base[i] = majority
	}
	var per []LabelScore
	rep.Accuracy, rep.MacroF1, per = accuracyF1(gold, pred, present)
	rep.BaselineAccuracy, rep.BaselineMacroF1, _ = accuracyF1(gold, base, present)
	rep.Labels = per
	return rep
}

func accuracyF1(gold, pred, labels []string) (acc, macro float64, per []LabelScore) {
	correct := 0
	for i := range gold {
		if gold[i] == pred[i] {
			correct++
		}
	}
	acc = float64(correct) / float64(len(gold))
	for _, l := range labels {
		var tp, fp, fn int
		for i := range gold {
			switch {
			case gold[i] == l && pred[i] == l:
				tp++
			case pred[i] == l:
				fp++
			case gold[i] == l:
				fn++
			}
		}
		s := LabelScore{Label: l, Support: tp + fn}
		if tp+fp > 0 {
			s.Precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			s.Recall = float64(tp) / float64(tp+fn)
		}
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		macro += s.F1
		per = append(per, s)
	}
	macro /= float64(len(labels))
	return acc, macro, per
}

// EvalClassifier scores the built-in sentiment or stance model against a labelled
// CSV/TSV file. When the model was trained on part of this very file (same sha256),
// only the held-out rows are scored, and Note says so. A gold file that uses fewer
// labels than the model (AJGT: no neutral) is scored over its own labels: the model's
// probabilities are renormalised over them, and Note says so too.
func EvalClassifier(ctx context.Context, kind, path string, opts ClassifierOptions) (EvalReport, error) {
	var m *linearModel
	var err error
	switch kind {
	case "sentiment", "stance":
		m, err = loadModel(kind, opts.ModelFile)
	default:
		err = fmt.Errorf("eval: unknown classifier kind %q (want sentiment or stance)", kind)
	}
	if err != nil {
		return EvalReport{}, err
	}
	tab, err := readLabelled(path, kind, opts)
	if err != nil {
		return EvalReport{}, err
	}
	trained := false
	var notes []string
	for _, tf := range m.Files {
		if tf.SHA256 != tab.SHA256 {
			continue
		}
		trained = true
		held := 0
		for _, r := range tab.Rows {
			if heldOut(rowKey(r)) {
				held++
			}
		}
		notes = append(notes, fmt.Sprintf("the model was trained on %s (sha256 %.12s…): scored only its %d held-out rows of %d (%s)",
			tf.Name, tf.SHA256, held, len(tab.Rows), m.HeldOut))
		break
	}
	var present []string
	for _, r := range tab.Rows {
		if !slices.Contains(present, r.Label) {
			present = append(present, r.Label)
		}
	}
	mask := labelMask(m.Labels, present)
	if mask != nil {
		var absent []string
		for i, l := range m.Labels {
			if !mask[i] {
				absent = append(absent, l)
			}
		}
		notes = append(notes, fmt.Sprintf("the gold has no %s rows: predictions are restricted to its labels", strings.Join(absent, ", ")))
	}
	sc := newSentimentScorer(m)
	var st *stanceModel
	if kind == "stance" {
		st = &stanceModel{m: m}
	}
	var enc *json.Encoder
	if opts.Rows != nil {
		enc = json.NewEncoder(opts.Rows)
	}
	var gold, pred []string
	var probs [][]float64
	for i, r := range tab.Rows {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return EvalReport{}, err
			}
		}
		row := ScoredRow{Line: r.Line, Split: "eval", Target: r.Target, Text: r.Text, Gold: r.Label}
		switch {
		case trained && !heldOut(rowKey(r)):
			row.Split = "train"
		default:
			if trained {
				row.Split = "held_out"
			}
			var p []float64
			if st != nil {
				p = st.probs(r.Target, r.Text)
			} else {
				p = sc.probs3(r.Text)
			}
			p = restrictTo(p, mask)
			c := argmax(p)
			row.Label, row.Score, row.Probs = m.Labels[c], round4(p[c]), map[string]float64{}
			for j, l := range m.Labels {
				row.Probs[l] = round4(p[j])
			}
			gold = append(gold, r.Label)
			pred = append(pred, row.Label)
			probs = append(probs, p)
		}
		if enc != nil {
			if err := enc.Encode(row); err != nil {
				return EvalReport{}, fmt.Errorf("eval: write rows: %w", err)
			}
		}
	}
	rep := scoreLabels(gold, pred)
	rep.ECE = expectedCalibrationError(probs, gold, m.Labels)
	rep.Kind, rep.File, rep.Note = kind, path, strings.Join(notes, "; ")
	return rep, nil
}

// ---- Q&A scoring ----

// QAEvalOptions configures EvalQA.
type QAEvalOptions struct {
	// Gold lists folders of interview gold JSON files, or single gold files, scored
	// together. Each gold's "file" is relative to the parent of the folder holding it.
	Gold []string
	// Load turns an article file into a Document (the corpus extractor). When nil,
	// format "text" files are read as they are (the byline then comes from a "حوار:"
	// line of the text) and other formats are an error.
	Load func(path, format string) (schema.Document, error)
	// Annotator defaults to NewQA().
	Annotator Annotator
}

// QAFileReport is the score of one gold article.
type QAFileReport struct {
	Gold      string  `json:"gold"`
	Turns     int     `json:"turns"`
	Predicted int     `json:"predicted"`
	Matched   int     `json:"matched"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// RoleAccuracy and SpeakerAccuracy are over the matched turns (SpeakerAccuracy over
	// those whose gold names a speaker).
	RoleAccuracy    float64 `json:"role_accuracy"`
	SpeakerAccuracy float64 `json:"speaker_accuracy"`
	roleOK          int
	speakerOK       int
	speakerN        int
}

// QAReport scores turn boundaries (a predicted turn matches a gold turn when its
// normalised text starts with the gold text_start) and, over matched turns, role and
// speaker accuracy under the speaker convention of the shared data README.
type QAReport struct {
	Files           int            `json:"files"`
	Turns           int            `json:"turns"`
	Predicted       int            `json:"predicted"`
	Matched         int            `json:"matched"`
	Precision       float64        `json:"precision"`
	Recall          float64        `json:"recall"`
	F1              float64        `json:"f1"`
	RoleAccuracy    float64        `json:"role_accuracy"`
	SpeakerAccuracy float64        `json:"speaker_accuracy"`
	PerFile         []QAFileReport `json:"per_file"`
	// Warnings name the JSON files of a gold folder that are not gold objects and were
	// skipped.
	Warnings []string `json:"warnings,omitempty"`
}

// qaGold is one interview gold file. Title, byline and URL are the article's metadata,
// which a plain-text scrape does not carry; RecordFile, when given, is the upstream
// record the text came from (SaudiNewsNet: source, url, title, author, content).
type qaGold struct {
	File       string          `json:"file"`
	Format     string          `json:"format"`
	Title      string          `json:"title"`
	Byline     json.RawMessage `json:"byline"`
	URL        string          `json:"url"`
	RecordFile string          `json:"record_file"`
	Turns      []qaGoldTurn    `json:"turns"`
}

type qaGoldTurn struct {
	Role      string `json:"role"`
	Speaker   string `json:"speaker"`
	TextStart string `json:"text_start"`
}

// normTurnText is the gold's normalisation: NFC, leading Q/A markers and an inline
// speaker label (with a transcript's timestamp before it) removed, white space collapsed.
func normTurnText(s string) string {
	s = cutTimestamp(stripLeadMarkers(collapseSpace(nfc(s))))
	if m := reQALabelAr.FindString(s); m != "" {
		s = s[len(m):]
	} else if m := reQALabelEn.FindString(s); m != "" {
		s = s[len(m):]
	} else if _, rest, ok := speakerLabel(s); ok && rest != "" {
		s = rest
	}
	return collapseSpace(stripLeadMarkers(s))
}

// turnMatches applies the gold matching rule to a normalised predicted text.
func turnMatches(pred, goldStart string) bool {
	g := collapseSpace(nfc(goldStart))
	if g == "" || pred == "" {
		return false
	}
	return strings.HasPrefix(pred, g) || (runeCount(pred) < 40 && strings.HasPrefix(g, pred))
}

// predMatches matches a predicted turn text against a gold text_start. The text is
// tried with its opening label removed and, in case that "label" was the first words
// of the turn ("Update: ..."), with only the markers removed.
func predMatches(text, goldStart string) bool {
	if turnMatches(normTurnText(text), goldStart) {
		return true
	}
	return turnMatches(collapseSpace(stripLeadMarkers(collapseSpace(nfc(text)))), goldStart)
}

// EvalQA scores the qa annotator against interview gold files.
func EvalQA(ctx context.Context, opts QAEvalOptions) (QAReport, error) {
	ann := opts.Annotator
	if ann == nil {
		ann = NewQA()
	}
	if len(opts.Gold) == 0 {
		return QAReport{}, errors.New("gold: no gold folder given")
	}
	var rep QAReport
	roleOK, speakerOK, speakerN := 0, 0, 0
	for _, path := range opts.Gold {
		files, base, err := goldFiles(path)
		if err != nil {
			return rep, err
		}
		single := len(files) == 1 && files[0] == path
		for _, gf := range files {
			g, err := readQAGold(gf)
			if err != nil {
				if single {
					return rep, err
				}
				rep.Warnings = append(rep.Warnings, "skipped "+err.Error())
				continue
			}
			fr, err := evalQAFile(ctx, ann, opts.Load, gf, base, g)
			if err != nil {
				return rep, err
			}
			rep.Files++
			rep.Turns += fr.Turns
			rep.Predicted += fr.Predicted
			rep.Matched += fr.Matched
			roleOK += fr.roleOK
			speakerOK += fr.speakerOK
			speakerN += fr.speakerN
			rep.PerFile = append(rep.PerFile, fr)
		}
	}
	if rep.Files == 0 {
		return rep, fmt.Errorf("gold %s: no gold files (%d skipped)", strings.Join(opts.Gold, ", "), len(rep.Warnings))
	}
	rep.Precision, rep.Recall, rep.F1 = prf(rep.Matched, rep.Predicted, rep.Turns)
	rep.RoleAccuracy = ratio(roleOK, rep.Matched)
	rep.SpeakerAccuracy = ratio(speakerOK, speakerN)
	return rep, nil
}

// readQAGold reads one gold file. A file that is not a gold object (a JSON array, an
// object without "file" and "turns", fields of the wrong type) is an error naming why.
func readQAGold(path string) (qaGold, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return qaGold{}, fmt.Errorf("read gold: %w", err)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return qaGold{}, fmt.Errorf("gold %s: not a JSON object", path)
	}
	if _, ok := obj["turns"]; !ok {
		return qaGold{}, fmt.Errorf("gold %s: no \"turns\"", path)
	}
	var g qaGold
	if err := json.Unmarshal(raw, &g); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return qaGold{}, fmt.Errorf("gold %s: field %q is a JSON %s, want %s", path, te.Field, te.Value, te.Type)
		}
		return qaGold{}, fmt.Errorf("gold %s: %w", path, err)
	}
	if g.File == "" {
		return qaGold{}, fmt.Errorf("gold %s: no \"file\"", path)
	}
	return g, nil
}

func evalQAFile(ctx context.Context, ann Annotator, load func(string, string) (schema.Document, error), gf, base string, g qaGold) (QAFileReport, error) {
	doc, err := loadArticle(load, filepath.Join(base, filepath.FromSlash(g.File)), g.Format)
	if err != nil {
		return QAFileReport{}, fmt.Errorf("gold %s: %w", gf, err)
	}
	if err := fillArticleMeta(&doc, g, base); err != nil {
		return QAFileReport{}, fmt.Errorf("gold %s: %w", gf, err)
	}
	items, err := ann.Annotate(ctx, &doc)
	if err != nil {
		return QAFileReport{}, fmt.Errorf("gold %s: annotate: %w", gf, err)
	}
	var preds []schema.Item
	for _, it := range items {
		if it.IsSpan() {
			preds = append(preds, it)
		}
	}
	used := make([]bool, len(preds))
	fr := QAFileReport{Gold: filepath.Base(gf), Turns: len(g.Turns), Predicted: len(preds)}
	for _, gt := range g.Turns {
		for i := range preds {
			if used[i] || !predMatches(preds[i].Text, gt.TextStart) {
				continue
			}
			used[i] = true
			fr.Matched++
			if predRole(preds[i]) == gt.Role {
				fr.roleOK++
			}
			if gt.Speaker != "" {
				fr.speakerN++
				if speakerMatches(preds[i].Attrs[schema.AttrSpeaker], gt.Speaker) {
					fr.speakerOK++
				}
			}
			break
		}
	}
	fr.Precision, fr.Recall, fr.F1 = prf(fr.Matched, fr.Predicted, fr.Turns)
	fr.RoleAccuracy = ratio(fr.roleOK, fr.Matched)
	fr.SpeakerAccuracy = ratio(fr.speakerOK, fr.speakerN)
	return fr, nil
}

// fillArticleMeta gives a loaded article the title, byline and URL it lacks: a plain-text
// scrape is only the body, while ingest would have the scraper's record. They come from
// the gold's record_file (the upstream record) when there is one, else from the gold's
// own title/byline/url fields. Nothing the loader found is replaced.
func fillArticleMeta(doc *schema.Document, g qaGold, base string) error {
	title, url := g.Title, g.URL
	byline := jsonNames(g.Byline)
	if g.RecordFile != "" {
		raw, err := os.ReadFile(filepath.Join(base, filepath.FromSlash(g.RecordFile)))
		if err != nil {
			return fmt.Errorf("record_file: %w", err)
		}
		var rec struct {
			Title  string          `json:"title"`
			Author json.RawMessage `json:"author"`
			Byline json.RawMessage `json:"byline"`
			URL    string          `json:"url"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return fmt.Errorf("record_file %s: %w", g.RecordFile, err)
		}
		if rec.Title != "" {
			title = rec.Title
		}
		if rec.URL != "" {
			url = rec.URL
		}
		if n := append(jsonNames(rec.Byline), jsonNames(rec.Author)...); len(n) > 0 {
			byline = n
		}
	}
	if doc.Title == "" {
		doc.Title = strings.TrimSpace(nfc(title))
	}
	if len(doc.Byline) == 0 {
		for _, b := range byline {
			if b = cleanMeta(b); b != "" {
				doc.Byline = append(doc.Byline, b)
			}
		}
	}
	if doc.URL == "" {
		doc.URL = url
	}
	return nil
}

// jsonNames reads a byline given as one string, a list of strings or null.
func jsonNames(raw json.RawMessage) []string {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return nil
}

// prf is precision, recall and F1 of matched items among predicted and gold.
func prf(matched, predicted, gold int) (p, r, f float64) {
	p, r = ratio(matched, predicted), ratio(matched, gold)
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// predRole is the speaker role of a predicted turn: its attribute, else its label.
func predRole(it schema.Item) string {
	if r := it.Attrs[schema.AttrSpeakerRole]; r != "" {
		return r
	}
	if it.Label == "question" {
		return "interviewer"
	}
	return "interviewee"
}

// goldFiles lists the gold JSON files of a folder (sorted) or the one file given, and
// the folder their "file" paths are relative to.
func goldFiles(path string) ([]string, string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("gold: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, filepath.Dir(filepath.Dir(path)), nil
	}
	files, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil {
		return nil, "", fmt.Errorf("gold: %w", err)
	}
	if len(files) == 0 {
		return nil, "", fmt.Errorf("gold %s: no .json files", path)
	}
	slices.Sort(files)
	return files, filepath.Dir(filepath.Clean(path)), nil
}

func loadArticle(load func(string, string) (schema.Document, error), path, format string) (schema.Document, error) {
	if load != nil {
		doc, err := load(path, format)
		if err != nil {
			return doc, fmt.Errorf("load %s: %w", path, err)
		}
		return doc, nil
	}
	if format != "text" {
		return schema.Document{}, fmt.Errorf("article %s: format %q needs a loader (the corpus extractor)", path, format)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return schema.Document{}, fmt.Errorf("article: %w", err)
	}
	text := nfc(strings.TrimSpace(strings.ReplaceAll(string(raw), "\r\n", "\n")))
	return schema.Document{Text: text, ContentHash: schema.ContentHash(text)}, nil
}
