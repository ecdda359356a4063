package annotate

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsds/newsds/internal/atomicfile"
)

// The shipped models are multinomial logistic regressions over hashed sparse features,
// stored as a small gzip file: a magic line, a JSON header (labels, feature set, the
// training files with their hashes, the held-out rule, the chosen regularisation and
// temperature and logit offsets, an English lexicon for sentiment), int16-quantised weights and the IDF
// of each bucket. Training is deterministic: fixed example order, full-batch L-BFGS,
// no map iteration, and the gradient summed over a fixed split of the examples (see
// lossChunks) so that concurrency never changes a bit.

const modelMagic = "NEWSDS-LINEAR-2\n"

// heldOutMod is the held-out rule: a row is held out of training, and is the only part
// scored by EvalClassifier on a training file, when hash64(key) % heldOutMod == 0.
// Rows with hash64(key) % heldOutMod == validationResidue are the validation fold inside
// the training rows: regularisation and temperature are chosen on them.
const (
	heldOutMod        = 5
	validationResidue = 1
)

// TrainFile records one file a model was trained on.
type TrainFile struct {
	// Name is the path relative to the shared data folder when inside it, else the base name.
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
	// Train and HeldOut count the rows used for training and the rows held out.
	Train   int `json:"train"`
	HeldOut int `json:"held_out"`
	// Labels are the labels the file uses; a file with fewer labels than the model (AJGT
	// has no neutral) is scored over its own labels.
	Labels []string `json:"labels,omitempty"`
}

// modelHeader is the JSON header of a model file.
type modelHeader struct {
	Task     string      `json:"task"` // sentiment | stance
	Labels   []string    `json:"labels"`
	Features string      `json:"features"`
	Bits     int         `json:"bits"`
	Scale    float64     `json:"scale"`
	IDFScale float64     `json:"idf_scale"`
	Files    []TrainFile `json:"files"`
	HeldOut  string      `json:"held_out"`
	// Lexicon is the English valence lexicon: sentiment scores English text with it,
	// stance compares the polarity of claim and text.
	Lexicon lexicon `json:"lexicon,omitempty"`
	// C is the inverse L2 strength (scikit-learn's convention) chosen on the validation
	// fold from CGrid; Temperature divides the logits so that probabilities are
	// calibrated, fitted on the same fold.
	C           float64   `json:"c"`
	CGrid       []float64 `json:"c_grid"`
	Temperature float64   `json:"temperature"`
	// Offsets are added to the logits before the temperature: per-class shifts chosen
	// on the validation fold to maximise the mean per-file macro-F1. Class weights
	// balance the training loss, not the decision; the offsets move the boundaries
	// where macro-F1 (which weighs a rare class as much as a common one) wants them.
	Offsets    []float64 `json:"offsets,omitempty"`
	Iterations int       `json:"iterations"`
	// ClassWeight is "balanced" (inverse class frequency) or "sqrt" (its square root),
	// over all examples, or "file-balanced" / "file-sqrt": within each training file.
	ClassWeight string `json:"class_weight"`
	Examples    int    `json:"examples"`
	// NewsPrior is the model's mean probability over news sentences (the training rows
	// of NewsFiles, unlabelled for this task). The model learnt its priors on tweets;
	// news text shifts them (a sober report of a crisis reads as a negative tweet), and
	// the annotator divides by this prior on news text (Saerens et al.'s prior shift).
	NewsPrior []float64 `json:"news_prior,omitempty"`
	NewsFiles []string  `json:"news_files,omitempty"`
}

// linearModel is a loaded model. W holds one row of len(Labels) weights per bucket.
type linearModel struct {
	modelHeader
	W    []float32
	Bias []float32
	IDF  []float32
}

// feature is one hashed feature with its value.
type feature struct {
	idx uint32
	val float32
}

// FNV-1a, computed incrementally so that feature names are never built as strings.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// featurizer collects hashed features in blocks. Each block is weighted as
// scikit-learn's TfidfVectorizer with sublinear_tf does it — (1 + ln tf) · idf — and
// L2-normalised on its own, so word, character and pair features weigh alike whatever
// the text length. It is not safe for concurrent use; each caller makes its own.
type featurizer struct {
	mask   uint32
	idf    []float32 // nil: raw counts (1 + ln tf), used while counting document frequency
	blocks [][]uint32
	cur    int
	out    []feature
	runes  []rune
}

func newFeaturizer(bits int, idf []float32) *featurizer {
	return &featurizer{mask: uint32(1)<<bits - 1, idf: idf}
}

// block starts a new block; features added next belong to it.
func (f *featurizer) block() {
	f.cur++
	for len(f.blocks) < f.cur {
		f.blocks = append(f.blocks, nil)
	}
	f.blocks[f.cur-1] = f.blocks[f.cur-1][:0]
}

func (f *featurizer) addHash(h uint64) {
	if f.cur == 0 {
		f.block()
	}
	f.blocks[f.cur-1] = append(f.blocks[f.cur-1], uint32(h)&f.mask)
}

// add adds the feature named p + name.
func (f *featurizer) add(p, name string) { f.addHash(fnvString(fnvString(fnvOffset, p), name)) }

// vector returns the weighted, per-block normalised features sorted by bucket (buckets
// hit by two blocks are summed) and resets the featurizer.
func (f *featurizer) vector() []feature {
	out := f.out[:0]
	for b := 0; b < f.cur; b++ {
		ids := f.blocks[b]
		if len(ids) == 0 {
			continue
		}
		slices.Sort(ids)
		start := len(out)
		var norm float64
		for i := 0; i < len(ids); {
			j := i
			for j < len(ids) && ids[j] == ids[i] {
				j++
			}
			v := float32(1 + math.Log(float64(j-i)))
			if f.idf != nil {
				v *= f.idf[ids[i]]
			}
			if v != 0 {
				out = append(out, feature{ids[i], v})
				norm += float64(v) * float64(v)
			}
			i = j
		}
		if norm > 0 {
			n := float32(1 / math.Sqrt(norm))
			for i := start; i < len(out); i++ {
				out[i].val *= n
			}
		}
	}
	f.cur = 0
	slices.SortFunc(out, func(a, b feature) int { return int(a.idx) - int(b.idx) })
	merged := make([]feature, 0, len(out))
	for _, ft := range out {
		if n := len(merged); n > 0 && merged[n-1].idx == ft.idx {
			merged[n-1].val += ft.val
			continue
		}
		merged = append(merged, ft)
	}
	f.out = out
	return merged
}

// wordForm collapses letters repeated three or more times to two ("رااااائع" →
// "رااع"): tweets stretch words for emphasis, news never does.
func wordForm(w string, buf []rune) (string, []rune) {
	buf = buf[:0]
	changed := false
	for _, r := range w {
		if n := len(buf); n >= 2 && buf[n-1] == r && buf[n-2] == r {
			changed = true
			continue
		}
		buf = append(buf, r)
	}
	if !changed {
		return w, buf
	}
	return string(buf), buf
}

// isSymbol reports runes that carry sentiment in tweets but are not letters: emoji and
// other pictographs.
func isSymbol(r rune) bool {
	return r >= 0x2190 && r <= 0x2BFF || r >= 0x1F000 && r <= 0x1FAFF
}

// addText adds two blocks: word unigrams and bigrams (with emoji as words), and
// character 2-5-grams inside each word padded with boundary marks (scikit-learn's
// char_wb). Character n-grams carry Arabic words through clitics and spelling variation
// ("والحكومة", "للحكومة", "الحكومه"). Names are prefixed with p.
func (f *featurizer) addText(p, text string) {
	toks := tokens(text)
	words := make([]string, 0, len(toks)+4)
	for _, w := range toks {
		var fw string
		fw, f.runes = wordForm(w, f.runes)
		words = append(words, fw)
	}
	for _, r := range text {
		if isSymbol(r) {
			words = append(words, string(r))
		}
	}
	f.block()
	pw, pb := fnvString(fnvOffset, p+"w:"), fnvString(fnvOffset, p+"b:")
	for i, w := range words {
		f.addHash(fnvString(pw, w))
		if i > 0 {
			f.addHash(fnvString(fnvString(fnvString(pb, words[i-1]), " "), w))
		}
	}
	f.block()
	pc := fnvString(fnvOffset, p+"c:")
	for _, w := range toks {
		r := append(f.runes[:0], ' ')
		for _, c := range w {
			r = append(r, c)
		}
		r = append(r, ' ')
		f.runes = r
		for j := range r {
			h := pc
			for n := 1; n <= 5 && j+n <= len(r); n++ {
				c := r[j+n-1]
				if c < utf8.RuneSelf {
					h = (h ^ uint64(c)) * fnvPrime
				} else {
					var b [utf8.UTFMax]byte
					for _, x := range b[:utf8.EncodeRune(b[:], c)] {
						h = (h ^ uint64(x)) * fnvPrime
					}
				}
				if n >= 2 {
					f.addHash(h)
				}
			}
		}
	}
}

// logits returns the raw class scores of a feature vector.
func (m *linearModel) logits(x []feature) []float64 {
	k := len(m.Labels)
	z := make([]float64, k)
	for c := range k {
		z[c] = float64(m.Bias[c])
	}
	for _, ft := range x {
		row := m.W[int(ft.idx)*k : int(ft.idx)*k+k]
		for c := range k {
			z[c] += float64(row[c]) * float64(ft.val)
		}
	}
	return z
}

// predict returns calibrated class probabilities for a feature vector.
func (m *linearModel) predict(x []feature) []float64 {
	z := m.logits(x)
	t := m.Temperature
	if t <= 0 {
		t = 1
	}
	for i := range z {
		if i < len(m.Offsets) {
			z[i] += m.Offsets[i]
		}
		z[i] /= t
	}
	return softmax(z)
}

func softmax(z []float64) []float64 {
	mx := slices.Max(z)
	var sum float64
	for i := range z {
		z[i] = math.Exp(z[i] - mx)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
	return z
}

// restrictTo renormalises p over the labels in keep (indexes into the model's labels):
// a gold set without some label (AJGT has no neutral) is scored over its own labels.
func restrictTo(p []float64, keep []bool) []float64 {
	if keep == nil {
		return p
	}
	out := make([]float64, len(p))
	var sum float64
	for i := range p {
		if keep[i] {
			out[i] = p[i]
			sum += p[i]
		}
	}
	if sum == 0 {
		return p
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

type trainExample struct {
	x    []feature
	y    int
	file int
}

// ---- optimisation ----

// compactSet maps the buckets the examples use to dense parameter rows, so that the
// optimiser's vectors hold only weights that can move.
type compactSet struct {
	ex    []trainExample // features re-indexed to dense rows
	rows  []uint32       // dense row → bucket
	k     int
	cw    []float64 // weight of (file, class) at file·k + class
	nReal int       // number of examples
	parts [][]float64
}

func compact(ex []trainExample, k int, classWeight string) *compactSet {
	var used []uint32
	for _, e := range ex {
		for _, ft := range e.x {
			used = append(used, ft.idx)
		}
	}
	slices.Sort(used)
	used = slices.Compact(used)
	cs := &compactSet{rows: used, k: k, nReal: len(ex)}
	// "file-" weights classes within each file, so that a file's own imbalance is undone
	// whatever the mix of files (ANS "other" is 2% of ANS, under 1% of ANS + Perspectrum);
	// otherwise over all examples together.
	perFile := strings.HasPrefix(classWeight, "file-")
	group := func(e trainExample) int {
		if perFile {
			return e.file
		}
		return 0
	}
	nf := 1
	for _, e := range ex {
		nf = max(nf, group(e)+1)
	}
	counts := make([]float64, nf*k)
	size := make([]float64, nf)
	for _, e := range ex {
		counts[group(e)*k+e.y]++
		size[group(e)]++
	}
	cs.cw = make([]float64, nf*k)
	for fi := range nf {
		present := 0
		for c := range k {
			if counts[fi*k+c] > 0 {
				present++
			}
		}
		for c := range k {
			if n := counts[fi*k+c]; n > 0 {
				w := size[fi] / (float64(present) * n)
				if strings.HasSuffix(classWeight, "sqrt") {
					w = math.Sqrt(w)
				}
				cs.cw[fi*k+c] = w
			}
		}
	}
	for _, e := range ex {
		x := make([]feature, len(e.x))
		for i, ft := range e.x {
			j, _ := slices.BinarySearch(used, ft.idx)
			x[i] = feature{uint32(j), ft.val}
		}
		// file holds the weight group from here on
		cs.ex = append(cs.ex, trainExample{x, e.y, group(e)})
	}
	return cs
}

// lossChunks is the fixed number of parts the examples are split into for lossGrad.
// The parts run concurrently and their sums are added in part order, so the result
// is the same bits whatever GOMAXPROCS is: the split never depends on the machine.
const lossChunks = 4

// lossGrad computes the weighted mean log loss plus ||W||²/(2·C·N) (scikit-learn's
// objective divided by C·N; the bias is not penalised) and its gradient. theta is
// dense rows × k weights followed by k biases.
func (cs *compactSet) lossGrad(theta, grad []float64, c float64) float64 {
	k := cs.k
	nw := len(cs.rows) * k
	if cs.parts == nil {
		cs.parts = make([][]float64, lossChunks)
		for i := range cs.parts {
			cs.parts[i] = make([]float64, len(grad))
		}
	}
	losses := make([]float64, lossChunks)
	var wg sync.WaitGroup
	for p := range lossChunks {
		lo, hi := p*len(cs.ex)/lossChunks, (p+1)*len(cs.ex)/lossChunks
		wg.Go(func() { losses[p] = cs.partLossGrad(cs.ex[lo:hi], theta, cs.parts[p]) })
	}
	wg.Wait()
	var loss float64
	copy(grad, cs.parts[0])
	loss = losses[0]
	for p := 1; p < lossChunks; p++ {
		loss += losses[p]
		for i, v := range cs.parts[p] {
			grad[i] += v
		}
	}
	n := float64(cs.nReal)
	var reg float64
	for i := 0; i < nw; i++ {
		reg += theta[i] * theta[i]
		grad[i] = grad[i]/n + theta[i]/(c*n)
	}
	for j := nw; j < len(grad); j++ {
		grad[j] /= n
	}
	return loss/n + reg/(2*c*n)
}

// partLossGrad is the unnormalised weighted log loss of ex and its gradient, written
// to grad (cleared first).
func (cs *compactSet) partLossGrad(ex []trainExample, theta, grad []float64) float64 {
	k := cs.k
	nw := len(cs.rows) * k
	clear(grad)
	var loss float64
	z := make([]float64, k)
	for _, e := range ex {
		copy(z, theta[nw:])
		for _, ft := range e.x {
			row := theta[int(ft.idx)*k : int(ft.idx)*k+k]
			for j := range k {
				z[j] += row[j] * float64(ft.val)
			}
		}
		mx := slices.Max(z)
		var sum float64
		for j := range k {
			z[j] = math.Exp(z[j] - mx)
			sum += z[j]
		}
		w := cs.cw[e.file*k+e.y]
		loss -= w * (math.Log(z[e.y] / sum))
		for j := range k {
			g := z[j] / sum
			if j == e.y {
				g--
			}
			z[j] = w * g
			grad[nw+j] += z[j]
		}
		for _, ft := range e.x {
			row := grad[int(ft.idx)*k : int(ft.idx)*k+k]
			for j := range k {
				row[j] += z[j] * float64(ft.val)
			}
		}
	}
	return loss
}

// lbfgs minimises f from theta (in place) with limited-memory BFGS and a backtracking
// Armijo line search; it returns the number of iterations run.
func lbfgs(ctx context.Context, theta []float64, f func(theta, grad []float64) float64, maxIter int) (int, error) {
	const m = 6
	n := len(theta)
	g := make([]float64, n)
	fx := f(theta, g)
	type pair struct {
		s, y []float32
		rho  float64
	}
	var hist []pair
	d := make([]float64, n)
	xNew := make([]float64, n)
	gNew := make([]float64, n)
	alpha := make([]float64, m)
	it := 0
	for ; it < maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return it, err
		}
		// two-loop recursion: d = -H·g
		for i := range d {
			d[i] = -g[i]
		}
		for h := len(hist) - 1; h >= 0; h-- {
			p := hist[h]
			var a float64
			for i := range d {
				a += float64(p.s[i]) * d[i]
			}
			a *= p.rho
			alpha[h] = a
			for i := range d {
				d[i] -= a * float64(p.y[i])
			}
		}
		if len(hist) > 0 {
			p := hist[len(hist)-1]
			var yy float64
			for i := range p.y {
				yy += float64(p.y[i]) * float64(p.y[i])
			}
			gamma := 1 / (p.rho * yy)
			for i := range d {
				d[i] *= gamma
			}
		}
		for h := range hist {
			p := hist[h]
			var b float64
			for i := range d {
				b += float64(p.y[i]) * d[i]
			}
			b *= p.rho
			for i := range d {
				d[i] += float64(p.s[i]) * (alpha[h] - b)
			}
		}
		var gd, gn float64
		for i := range d {
			gd += g[i] * d[i]
			gn += g[i] * g[i]
		}
		if gd >= 0 { // not a descent direction: restart from steepest descent
			hist = hist[:0]
			for i := range d {
				d[i] = -g[i]
			}
			gd = -gn
		}
		step := 1.0
		if len(hist) == 0 {
			step = 1 / math.Max(1, math.Sqrt(gn))
		}
		var fNew float64
		ok := false
		for range 30 {
			for i := range xNew {
				xNew[i] = theta[i] + step*d[i]
			}
			fNew = f(xNew, gNew)
			if fNew <= fx+1e-4*step*gd {
				ok = true
				break
			}
			step /= 2
		}
		if !ok {
			break
		}
		s := make([]float32, n)
		y := make([]float32, n)
		var sy float64
		for i := range s {
			s[i] = float32(xNew[i] - theta[i])
			y[i] = float32(gNew[i] - g[i])
			sy += float64(s[i]) * float64(y[i])
		}
		copy(theta, xNew)
		copy(g, gNew)
		done := math.Abs(fx-fNew) <= 1e-6*math.Max(1, math.Abs(fNew))
		fx = fNew
		if sy > 1e-12 {
			if len(hist) == m {
				hist = append(hist[:0], hist[1:]...)
			}
			hist = append(hist, pair{s, y, 1 / sy})
		}
		if done {
			it++
			break
		}
	}
	return it, nil
}

// fitLinear fits weights on the examples for one C and returns the model (full bucket
// space) and the iterations used. The fit starts from the weights of init when given
// (the fit of a neighbouring C, or on fewer rows): the objective is convex, so the
// start changes only how many iterations reach the optimum.
func fitLinear(ctx context.Context, h modelHeader, idf []float32, ex []trainExample, c float64, maxIter int, init *linearModel) (*linearModel, error) {
	if len(ex) == 0 {
		return nil, errors.New("train: no training examples")
	}
	k := len(h.Labels)
	cs := compact(ex, k, h.ClassWeight)
	theta := make([]float64, len(cs.rows)*k+k)
	if init != nil {
		for r, b := range cs.rows {
			for j := range k {
				theta[r*k+j] = float64(init.W[int(b)*k+j])
			}
		}
		for j := range k {
			theta[len(cs.rows)*k+j] = float64(init.Bias[j])
		}
	}
	it, err := lbfgs(ctx, theta, func(th, g []float64) float64 { return cs.lossGrad(th, g, c) }, maxIter)
	if err != nil {
		return nil, err
	}
	m := &linearModel{modelHeader: h, W: make([]float32, (1<<h.Bits)*k), Bias: make([]float32, k), IDF: idf}
	m.Iterations = it
	for r, b := range cs.rows {
		for j := range k {
			m.W[int(b)*k+j] = float32(theta[r*k+j])
		}
	}
	for j := range k {
		m.Bias[j] = float32(theta[len(cs.rows)*k+j])
	}
	m.Temperature = 1
	return m, nil
}

// valScorer scores a model's validation logits under candidate logit offsets.
type valScorer struct {
	k     int
	zs    [][]float64
	ys    []int
	files []int
	masks [][]bool
	nf    int
}

func newValScorer(m *linearModel, val []trainExample, masks [][]bool) *valScorer {
	vs := &valScorer{k: len(m.Labels), masks: masks, nf: len(masks)}
	for _, e := range val {
		vs.zs = append(vs.zs, m.logits(e.x))
		vs.ys = append(vs.ys, e.y)
		vs.files = append(vs.files, e.file)
	}
	return vs
}

// meanF1 is the mean over files (with validation rows) of the macro-F1 over the labels
// each file's gold holds, predicting argmax(z + offsets) within the file's labels.
func (vs *valScorer) meanF1(offsets []float64) float64 {
	k := vs.k
	tp := make([]float64, vs.nf*k)
	np := make([]float64, vs.nf*k)
	ng := make([]float64, vs.nf*k)
	for i, z := range vs.zs {
		f := vs.files[i]
		best := -1
		for j := range k {
			if vs.masks[f] != nil && !vs.masks[f][j] {
				continue
			}
			if best < 0 || z[j]+offsets[j] > z[best]+offsets[best] {
				best = j
			}
		}
		np[f*k+best]++
		ng[f*k+vs.ys[i]]++
		if best == vs.ys[i] {
			tp[f*k+best]++
		}
	}
	var sum float64
	n := 0
	for f := range vs.nf {
		var macro float64
		present := 0
		for j := range k {
			if ng[f*k+j] == 0 {
				continue
			}
			present++
			if d := np[f*k+j] + ng[f*k+j]; d > 0 {
				macro += 2 * tp[f*k+j] / d
			}
		}
		if present > 0 {
			sum += macro / float64(present)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// chooseOffsets searches logit offsets (class 0 fixed at 0, the others on a grid of
// step 0.1 within ±1.5) by coordinate ascent on meanF1, and returns them with their
// score. A move must gain more than offsetGain, and candidates are tried nearest to
// the current value first, so that noise in a few validation rows does not move the
// boundaries.
func (vs *valScorer) chooseOffsets() ([]float64, float64) {
	const (
		step, limit = 0.1, 15
		offsetGain  = 0.002
	)
	off := make([]float64, vs.k)
	best := vs.meanF1(off)
	for range 3 {
		moved := false
		for j := 1; j < vs.k; j++ {
			cur := off[j]
			bj, bf := cur, best
			for d := 1; d <= 2*limit; d++ {
				for _, sign := range []float64{1, -1} {
					v := math.Round((cur+sign*float64(d)*step)*10) / 10
					if math.Abs(v) > limit*step+1e-9 {
						continue
					}
					off[j] = v
					if f := vs.meanF1(off); f > bf+offsetGain {
						bj, bf = v, f
					}
				}
			}
			off[j] = bj
			if bj != cur {
				moved, best = true, bf
			}
		}
		if !moved {
			break
		}
	}
	return off, best
}

// fitTemperature returns the T that minimises the log loss of softmax(z/T) on the
// logits zs with gold ys: a golden-section search on ln T in [ln 0.05, ln 20].
func fitTemperature(zs [][]float64, ys []int) float64 {
	if len(zs) == 0 {
		return 1
	}
	nll := func(lt float64) float64 {
		t := math.Exp(lt)
		var s float64
		for i, z := range zs {
			mx := slices.Max(z)
			var sum float64
			for _, v := range z {
				sum += math.Exp((v - mx) / t)
			}
			s -= (z[ys[i]]-mx)/t - math.Log(sum)
		}
		return s
	}
	a, b := math.Log(0.05), math.Log(20)
	const phi = 0.6180339887498949
	x1, x2 := b-phi*(b-a), a+phi*(b-a)
	f1, f2 := nll(x1), nll(x2)
	for range 60 {
		if f1 <= f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - phi*(b-a)
			f1 = nll(x1)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + phi*(b-a)
			f2 = nll(x2)
		}
	}
	return math.Round(math.Exp((a+b)/2)*1e4) / 1e4
}

// ---- model file ----

// encode writes the model file bytes.
func (m *linearModel) encode() ([]byte, error) {
	var mx, imx float32
	for _, w := range m.W {
		mx = max(mx, float32(math.Abs(float64(w))))
	}
	for _, w := range m.Bias {
		mx = max(mx, float32(math.Abs(float64(w))))
	}
	for _, v := range m.IDF {
		imx = max(imx, v)
	}
	m.Scale = float64(mx) / 32767
	if m.Scale == 0 {
		m.Scale = 1
	}
	m.IDFScale = float64(imx) / 65535
	if m.IDFScale == 0 {
		m.IDFScale = 1
	}
	head, err := json.Marshal(m.modelHeader)
	if err != nil {
		return nil, fmt.Errorf("encode model header: %w", err)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(modelMagic)
	bw.WriteString(strconv.Itoa(len(head)) + "\n")
	bw.Write(head)
	q := make([]int16, 0, len(m.W)+len(m.Bias))
	for _, w := range append(slices.Clone(m.Bias), m.W...) {
		q = append(q, int16(math.Round(float64(w)/m.Scale)))
	}
	if err := binary.Write(bw, binary.LittleEndian, q); err != nil {
		return nil, err
	}
	qi := make([]uint16, len(m.IDF))
	for i, v := range m.IDF {
		qi[i] = uint16(math.Round(float64(v) / m.IDFScale))
	}
	if err := binary.Write(bw, binary.LittleEndian, qi); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeModel reads model file bytes written by encode.
func decodeModel(b []byte) (*linearModel, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("model file: %w", err)
	}
	br := bufio.NewReader(zr)
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("model file: not a newsds linear model (version 2)")
	}
	line, err := br.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("model file: header length: %w", err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || n <= 0 || n > 64<<20 {
		return nil, fmt.Errorf("model file: bad header length %q", strings.TrimSpace(line))
	}
	head := make([]byte, n)
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, fmt.Errorf("model file: header: %w", err)
	}
	m := &linearModel{}
	if err := json.Unmarshal(head, &m.modelHeader); err != nil {
		return nil, fmt.Errorf("model file: header: %w", err)
	}
	k := len(m.Labels)
	if k < 2 || m.Bits < 8 || m.Bits > 24 {
		return nil, fmt.Errorf("model file: bad shape (%d labels, %d bits)", k, m.Bits)
	}
	if !(m.Temperature > 0 && m.Temperature < 1000) {
		return nil, fmt.Errorf("model file: bad temperature %v", m.Temperature)
	}
	if len(m.Offsets) != 0 && len(m.Offsets) != k {
		return nil, fmt.Errorf("model file: %d logit offsets for %d labels", len(m.Offsets), k)
	}
	for _, v := range m.Offsets {
		if math.IsNaN(v) || math.Abs(v) > 100 {
			return nil, fmt.Errorf("model file: bad logit offset %v", v)
		}
	}
	q := make([]int16, k+(1<<m.Bits)*k)
	if err := binary.Read(br, binary.LittleEndian, q); err != nil {
		return nil, fmt.Errorf("model file: weights: %w", err)
	}
	qi := make([]uint16, 1<<m.Bits)
	if err := binary.Read(br, binary.LittleEndian, qi); err != nil {
		return nil, fmt.Errorf("model file: idf: %w", err)
	}
	m.Bias = make([]float32, k)
	m.W = make([]float32, len(q)-k)
	for i, v := range q {
		w := float32(float64(v) * m.Scale)
		if i < k {
			m.Bias[i] = w
		} else {
			m.W[i-k] = w
		}
	}
	m.IDF = make([]float32, len(qi))
	for i, v := range qi {
		m.IDF[i] = float32(float64(v) * m.IDFScale)
	}
	return m, nil
}

// ---- training ----

// TrainOptions configures TrainSentiment and TrainStance. Zero values take the defaults.
type TrainOptions struct {
	// Data is the shared data folder (../shared/data); default training files are found in it.
	Data string
	// Files overrides the labelled training files (CSV, or TSV by extension); columns and
	// labels are detected as by EvalClassifier.
	Files []string
	// Lexicons overrides the English lexicons folded into the model
	// (VADER "token<TAB>mean...", AFINN "term<TAB>score").
	Lexicons []string
	// Out is the model file to write; empty writes nothing (the report still counts).
	Out string
	// MaxIter bounds the L-BFGS iterations of each fit (default 150); Bits is log2 of
	// the hashed feature space (default 20 for sentiment, 18 for stance).
	MaxIter int
	Bits    int
	// CGrid lists the inverse regularisation strengths tried on the validation fold
	// (default 0.5, 1, 2 for sentiment; 1, 2, 4 for stance).
	CGrid []float64
	// Limit, when > 0, trains on at most Limit rows per file (tests).
	Limit int
	// NewsFiles are labelled files of news sentences whose texts (not labels) give the
	// sentiment model its news-domain prior; default the ANS stance training file when
	// Data is set. Only their training rows are read.
	NewsFiles []string
	// Columns names the text, label and target columns of Files where the defaults
	// (EvalClassifier's) do not find them.
	Columns ClassifierOptions

	newsPrior func(*linearModel) error
}

// TrainReport is what a training run did; the figures are on the held-out rows.
type TrainReport struct {
	Task     string      `json:"task"`
	Out      string      `json:"out,omitempty"`
	SHA256   string      `json:"sha256"`
	Bytes    int         `json:"bytes"`
	Examples int         `json:"examples"`
	Files    []TrainFile `json:"files"`
	HeldOut  string      `json:"held_out"`
	// Validation is the mean per-file macro-F1 on the validation fold for each C tried,
	// with the logit offsets chosen for it.
	Validation  map[string]float64 `json:"validation_macro_f1"`
	C           float64            `json:"c"`
	Temperature float64            `json:"temperature"`
	Iterations  int                `json:"iterations"`
	Eval        []EvalReport       `json:"held_out_eval"`
}

// Default training files, relative to the shared data folder.
var (
	defaultSentimentFiles = []string{"sentiment_ar/arsarcasm_v2/training_data.csv", "sentiment_ar/ajgt/ajgt_shared.csv"}
	defaultLexicons       = []string{"lexicons_en/vader/vader_lexicon.txt", "lexicons_en/afinn/AFINN-en-165.txt"}
	defaultStanceFiles    = []string{"stance_ar/ans/stance/train.csv", "stance_en/perspectrum/perspective_stance_train.tsv"}
)

// taskDefaults are the defaults of TrainOptions that differ by task. Sentiment has
// four times the buckets: its 14k tweets hold far more distinct character n-grams than
// the stance pairs, and at 2^18 buckets their collisions cost held-out macro-F1
// (ArSarcasm-v2 0.677 → 0.679 at 2^20); with fewer collisions the validation fold
// prefers weaker regularisation, hence the lower grid.
type taskDefaults struct {
	bits  int
	cGrid []float64
}

func sentimentDefaults() taskDefaults { return taskDefaults{bits: 20, cGrid: []float64{0.5, 1, 2}} }
func stanceDefaults() taskDefaults    { return taskDefaults{bits: 18, cGrid: []float64{1, 2, 4}} }

func (o TrainOptions) withDefaults(files []string, d taskDefaults) (TrainOptions, error) {
	if o.MaxIter <= 0 {
		o.MaxIter = 150
	}
	if o.Bits <= 0 {
		o.Bits = d.bits
	}
	if len(o.CGrid) == 0 {
		o.CGrid = d.cGrid
	}
	if len(o.Files) == 0 {
		if o.Data == "" {
			return o, errors.New("train: no training files: set Data (the shared data folder) or Files")
		}
		for _, f := range files {
			o.Files = append(o.Files, filepath.Join(o.Data, f))
		}
	}
	return o, nil
}

// heldOutRule describes heldOut for the model file and reports.
const heldOutRule = "row held out when fnv1a64(key) % 5 == 0 (validation fold: % 5 == 1); key = folded, space-collapsed text (stance: target + U+001F + text)"

// heldOut reports whether a row is in the held-out part of a training file.
func heldOut(key string) bool { return hash64(key)%heldOutMod == 0 }

// inValidation reports whether a training row is in the validation fold.
func inValidation(key string) bool { return hash64(key)%heldOutMod == validationResidue }

func rowKey(r labelledRow) string {
	k := collapseSpace(fold(r.Text))
	if r.Target != "" {
		k = collapseSpace(fold(r.Target)) + "\x1f" + k
	}
	return k
}

// TrainSentiment trains the Arabic sentiment model on the shared labelled sets (80%
// of each, by the held-out rule) and folds the English lexicons into the same file.
func TrainSentiment(ctx context.Context, opts TrainOptions) (TrainReport, error) {
	o, err := opts.withDefaults(defaultSentimentFiles, sentimentDefaults())
	if err != nil {
		return TrainReport{}, err
	}
	lex, err := o.lexicon()
	if err != nil {
		return TrainReport{}, err
	}
	h := modelHeader{Task: "sentiment", Labels: sentimentLabels(), Features: sentimentFeatures, Bits: o.Bits, ClassWeight: "balanced", Lexicon: lex}
	news := o.NewsFiles
	if len(news) == 0 && o.Data != "" {
		news = []string{filepath.Join(o.Data, defaultStanceFiles[0])}
	}
	o.newsPrior = func(m *linearModel) error {
		seen := map[string]bool{}
		prior := make([]float64, len(m.Labels))
		n := 0
		f := newFeaturizer(m.Bits, m.IDF)
		for _, path := range news {
			tab, err := readLabelled(path, "stance", ClassifierOptions{})
			if err != nil {
				return fmt.Errorf("news prior: %w", err)
			}
			m.NewsFiles = append(m.NewsFiles, dataName(o.Data, path))
			for _, r := range tab.Rows {
				if heldOut(rowKey(r)) {
					continue
				}
				for _, text := range []string{r.Target, r.Text} {
					if seen[text] || !isArabic(text) {
						continue
					}
					seen[text] = true
					for i, p := range m.predict(sentimentVector(f, labelledRow{Text: text})) {
						prior[i] += p
					}
					n++
				}
			}
		}
		if n == 0 {
			return nil
		}
		for i := range prior {
			prior[i] = round4(prior[i] / float64(n))
		}
		m.NewsPrior = prior
		return nil
	}
	return train(ctx, o, h, "sentiment", sentimentVector)
}

func sentimentVector(f *featurizer, r labelledRow) []feature {
	f.addText("", r.Text)
	return f.vector()
}

// TrainStance trains the (target, text) stance model on the shared stance training
// files (ANS train, Perspectrum train), 80% of each by the held-out rule.
func TrainStance(ctx context.Context, opts TrainOptions) (TrainReport, error) {
	o, err := opts.withDefaults(defaultStanceFiles, stanceDefaults())
	if err != nil {
		return TrainReport{}, err
	}
	// Weighted within each file: pooled with Perspectrum, the 50 ANS "other" rows are
	// too few to count at all.
	lex, err := o.lexicon()
	if err != nil {
		return TrainReport{}, err
	}
	h := modelHeader{Task: "stance", Labels: stanceLabels(), Features: stanceFeatures, Bits: o.Bits, ClassWeight: "file-balanced", Lexicon: lex}
	return train(ctx, o, h, "stance", func(f *featurizer, r labelledRow) []feature {
		return stanceVector(f, lex, r.Target, r.Text)
	})
}

// labelMask returns which model labels a file uses, or nil when it uses all of them.
func labelMask(model, file []string) []bool {
	if len(file) >= len(model) {
		return nil
	}
	keep := make([]bool, len(model))
	for i, l := range model {
		keep[i] = slices.Contains(file, l)
	}
	return keep
}

func train(ctx context.Context, o TrainOptions, h modelHeader, kind string, vec func(*featurizer, labelledRow) []feature) (TrainReport, error) {
	type fileRows struct {
		fit, val, held []labelledRow
		mask           []bool
	}
	var files []fileRows
	for _, path := range o.Files {
		tab, err := readLabelled(path, kind, ClassifierOptions{TextColumn: o.Columns.TextColumn, LabelColumn: o.Columns.LabelColumn, TargetColumn: o.Columns.TargetColumn})
		if err != nil {
			return TrainReport{}, err
		}
		tf := TrainFile{Name: dataName(o.Data, path), SHA256: tab.SHA256, Rows: len(tab.Rows)}
		var fr fileRows
		for i, r := range tab.Rows {
			if o.Limit > 0 && i >= o.Limit {
				break
			}
			if !slices.Contains(h.Labels, r.Label) {
				continue
			}
			if !slices.Contains(tf.Labels, r.Label) {
				tf.Labels = append(tf.Labels, r.Label)
			}
			key := rowKey(r)
			switch {
			case heldOut(key):
				tf.HeldOut++
				fr.held = append(fr.held, r)
			case inValidation(key):
				tf.Train++
				fr.val = append(fr.val, r)
			default:
				tf.Train++
				fr.fit = append(fr.fit, r)
			}
		}
		slices.SortFunc(tf.Labels, func(a, b string) int { return slices.Index(h.Labels, a) - slices.Index(h.Labels, b) })
		fr.mask = labelMask(h.Labels, tf.Labels)
		h.Files = append(h.Files, tf)
		files = append(files, fr)
	}
	h.HeldOut = heldOutRule
	h.CGrid = o.CGrid

	// Document frequencies over all training rows (fit + validation; never held-out).
	raw := newFeaturizer(o.Bits, nil)
	df := make([]float64, 1<<o.Bits)
	nDocs := 0
	for _, fr := range files {
		for _, r := range slices.Concat(fr.fit, fr.val) {
			for _, ft := range vec(raw, r) {
				df[ft.idx]++
			}
			nDocs++
		}
	}
	if nDocs == 0 {
		return TrainReport{}, fmt.Errorf("train %s: no training rows", kind)
	}
	idf := make([]float32, len(df))
	for i, d := range df {
		if d > 0 {
			idf[i] = float32(math.Log(float64(1+nDocs)/(1+d)) + 1)
		}
	}
	f := newFeaturizer(o.Bits, idf)
	examples := func(rows []labelledRow, file int) []trainExample {
		out := make([]trainExample, 0, len(rows))
		for _, r := range rows {
			out = append(out, trainExample{vec(f, r), slices.Index(h.Labels, r.Label), file})
		}
		return out
	}
	var fit, val []trainExample
	for i, fr := range files {
		fit = append(fit, examples(fr.fit, i)...)
		val = append(val, examples(fr.val, i)...)
	}

	// Choose C on the validation fold by the mean per-file macro-F1, each C with the
	// logit offsets that suit it best there.
	rep := TrainReport{Task: kind, Validation: map[string]float64{}}
	masks := make([][]bool, len(files))
	for i, fr := range files {
		masks[i] = fr.mask
	}
	bestC, bestF := o.CGrid[0], -1.0
	var bestModel *linearModel
	var bestOffsets []float64
	var prev *linearModel
	for _, c := range o.CGrid {
		m, err := fitLinear(ctx, h, idf, fit, c, o.MaxIter, prev)
		if err != nil {
			return TrainReport{}, fmt.Errorf("train %s: %w", kind, err)
		}
		prev = m
		vs := newValScorer(m, val, masks)
		offsets, mean := vs.chooseOffsets()
		rep.Validation[strconv.FormatFloat(c, 'g', -1, 64)] = round4(mean)
		if mean > bestF {
			bestC, bestF, bestModel, bestOffsets = c, mean, m, offsets
		}
	}
	// The temperature is fitted on the validation logits of the model that did not see
	// them, offsets applied.
	var zs [][]float64
	var ys []int
	for _, e := range val {
		z := bestModel.logits(e.x)
		for j := range z {
			z[j] += bestOffsets[j]
		}
		zs = append(zs, z)
		ys = append(ys, e.y)
	}
	temp := fitTemperature(zs, ys)
	m, err := fitLinear(ctx, h, idf, slices.Concat(fit, val), bestC, o.MaxIter, bestModel)
	if err != nil {
		return TrainReport{}, fmt.Errorf("train %s: %w", kind, err)
	}
	m.C, m.Temperature, m.Examples = bestC, temp, len(fit)+len(val)
	if slices.ContainsFunc(bestOffsets, func(v float64) bool { return v != 0 }) {
		m.Offsets = bestOffsets
	}
	if o.newsPrior != nil {
		if err := o.newsPrior(m); err != nil {
			return TrainReport{}, fmt.Errorf("train %s: %w", kind, err)
		}
	}
	b, err := m.encode()
	if err != nil {
		return TrainReport{}, err
	}
	// Score what the file holds (quantised weights), as EvalClassifier will.
	if m, err = decodeModel(b); err != nil {
		return TrainReport{}, fmt.Errorf("train %s: re-read model: %w", kind, err)
	}
	rep.Out, rep.SHA256, rep.Bytes, rep.Examples, rep.Files, rep.HeldOut = o.Out, sha256Hex(b), len(b), m.Examples, m.Files, heldOutRule
	rep.C, rep.Temperature, rep.Iterations = bestC, temp, m.Iterations
	for i, fr := range files {
		var gold, pred []string
		var probs [][]float64
		for _, r := range fr.held {
			p := restrictTo(m.predict(vec(f, r)), fr.mask)
			gold = append(gold, r.Label)
			pred = append(pred, m.Labels[argmax(p)])
			probs = append(probs, p)
		}
		er := scoreLabels(gold, pred)
		er.ECE = expectedCalibrationError(probs, gold, m.Labels)
		er.File = m.Files[i].Name
		er.Note = "held-out rows of a training file"
		rep.Eval = append(rep.Eval, er)
	}
	if o.Out != "" {
		if err := atomicfile.WriteBytes(o.Out, b, 0o644); err != nil {
			return TrainReport{}, fmt.Errorf("write model %s: %w", o.Out, err)
		}
	}
	return rep, nil
}

// expectedCalibrationError bins the top-label confidence into ten equal-width bins and
// returns the support-weighted mean |accuracy − confidence| over the bins.
func expectedCalibrationError(probs [][]float64, gold, labels []string) float64 {
	if len(probs) == 0 {
		return 0
	}
	const bins = 10
	var conf, acc [bins]float64
	var n [bins]int
	for i, p := range probs {
		c := argmax(p)
		b := min(int(p[c]*bins), bins-1)
		conf[b] += p[c]
		if labels[c] == gold[i] {
			acc[b]++
		}
		n[b]++
	}
	var ece float64
	for b := range bins {
		if n[b] > 0 {
			ece += math.Abs(acc[b]-conf[b]) / float64(len(probs))
		}
	}
	return round4(ece)
}

// dataName names a training file relative to the shared data folder when inside it.
func dataName(data, path string) string {
	if data != "" {
		if rel, err := filepath.Rel(data, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(path)
}

func argmax(p []float64) int {
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return best
}

// lexicon loads the lexicons of o, by default those of the shared data folder.
func (o TrainOptions) lexicon() (lexicon, error) {
	files := o.Lexicons
	if len(files) == 0 && o.Data != "" {
		for _, f := range defaultLexicons {
			files = append(files, filepath.Join(o.Data, f))
		}
	}
	return loadLexicons(files)
}

// loadLexicons merges English valence lexicons into one map scaled to -1..1: VADER
// (mean -4..4) wins over AFINN (-5..5) where both have the token.
func loadLexicons(paths []string) (lexicon, error) {
	lex := lexicon{}
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		sc := bufio.NewScanner(f)
		line := 0
		for sc.Scan() {
			line++
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) < 2 || strings.TrimSpace(cols[0]) == "" {
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(cols[1]), 64)
			if err != nil {
				f.Close()
				return nil, fmt.Errorf("lexicon %s:%d: valence %q: %w", path, line, cols[1], err)
			}
			// VADER rows carry a std and ratings (4+ columns); AFINN rows only the score.
			scale := 5.0
			if len(cols) >= 4 {
				scale = 4
			}
			term := strings.ToLower(strings.TrimSpace(cols[0]))
			if _, ok := lex[term]; ok && scale == 5 {
				continue
			}
			lex[term] = math.Round(v/scale*1000) / 1000
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("lexicon %s: %w", path, err)
		}
	}
	return lex, nil
}
