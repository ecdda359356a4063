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
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/newsds/newsds/internal/atomicfile"
)

// The shipped models are multinomial logistic regressions over hashed sparse features,
// stored as a small gzip file: a magic line, a JSON header (labels, feature set, the
// training files with their hashes, the held-out rule, an English lexicon for
// sentiment) and int16-quantised weights. Training is deterministic: fixed example
// order, a seeded shuffle, no map iteration.

const modelMagic = "NEWSDS-LINEAR-1\n"

// heldOutMod is the held-out rule: a row is held out of training, and is the only part
// scored by EvalClassifier on a training file, when hash64(key) % heldOutMod == 0.
const heldOutMod = 5

// TrainFile records one file a model was trained on.
type TrainFile struct {
	// Name is the path relative to the shared data folder when inside it, else the base name.
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
	// Train and HeldOut count the rows used for training and the rows held out.
	Train   int `json:"train"`
	HeldOut int `json:"held_out"`
}

// modelHeader is the JSON header of a model file.
type modelHeader struct {
	Task     string             `json:"task"` // sentiment | stance
	Labels   []string           `json:"labels"`
	Features string             `json:"features"`
	Bits     int                `json:"bits"`
	Scale    float64            `json:"scale"`
	Files    []TrainFile        `json:"files"`
	HeldOut  string             `json:"held_out"`
	Lexicon  map[string]float64 `json:"lexicon,omitempty"`
	Epochs   int                `json:"epochs"`
	L2       float64            `json:"l2"`
	// ClassWeight is "balanced" (inverse class frequency) or "sqrt" (its square root,
	// gentler on a tiny class such as ANS "other").
	ClassWeight string `json:"class_weight"`
	Examples    int    `json:"examples"`
}

// linearModel is a loaded model. W holds one row of len(Labels) weights per bucket.
type linearModel struct {
	modelHeader
	W    []float32
	Bias []float32
}

// feature is one hashed feature with its value.
type feature struct {
	idx uint32
	val float32
}

// featurizer turns named features into hashed ones; duplicates are summed and the
// vector is L2-normalised so long paragraphs and short tweets weigh alike.
type featurizer struct {
	mask uint32
	acc  map[uint32]float32
}

func newFeaturizer(bits int) *featurizer {
	return &featurizer{mask: uint32(1)<<bits - 1, acc: map[uint32]float32{}}
}

func (f *featurizer) add(name string, v float32) { f.acc[uint32(hash64(name))&f.mask] += v }

func (f *featurizer) vector() []feature {
	out := make([]feature, 0, len(f.acc))
	var norm float64
	for k, v := range f.acc {
		out = append(out, feature{k, v})
		norm += float64(v) * float64(v)
	}
	slices.SortFunc(out, func(a, b feature) int { return int(a.idx) - int(b.idx) })
	if norm > 0 {
		n := float32(1 / math.Sqrt(norm))
		for i := range out {
			out[i].val *= n
		}
	}
	clear(f.acc)
	return out
}

// addText adds word unigrams, bigrams and character 2-5-grams of the text's tokens,
// each name prefixed with p. Character n-grams carry Arabic words through clitics and
// spelling variation ("والحكومة", "للحكومة", "الحكومه").
func (f *featurizer) addText(p, text string) {
	toks := tokens(text)
	for i, w := range toks {
		f.add(p+"w:"+w, 1)
		if i > 0 {
			f.add(p+"b:"+toks[i-1]+" "+w, 1)
		}
		r := []rune("<" + w + ">")
		for n := 2; n <= 5; n++ {
			for j := 0; j+n <= len(r); j++ {
				f.add(p+"c:"+string(r[j:j+n]), 0.5)
			}
		}
	}
}

// predict returns class probabilities for a feature vector.
func (m *linearModel) predict(x []feature) []float64 {
	k := len(m.Labels)
	z := make([]float64, k)
	for c := range k {
		z[c] = float64(m.Bias[c])
	}
	for _, ft := range x {
		row := m.W[int(ft.idx)*k : int(ft.idx)*k+k]
		for c := range k {
			z[c] += float64(row[c] * ft.val)
		}
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

type trainExample struct {
	x []feature
	y int
}

// trainLinear fits the model with AdaGrad SGD on the log loss, classes weighted by
// inverse frequency (the sets are unbalanced and the goal is macro-F1), a fixed seed.
func trainLinear(ctx context.Context, h modelHeader, ex []trainExample) (*linearModel, error) {
	k := len(h.Labels)
	m := &linearModel{modelHeader: h, W: make([]float32, (1<<h.Bits)*k), Bias: make([]float32, k)}
	if len(ex) == 0 {
		return nil, errors.New("train: no training examples")
	}
	counts := make([]float64, k)
	for _, e := range ex {
		counts[e.y]++
	}
	cw := make([]float64, k)
	for c := range k {
		if counts[c] > 0 {
			cw[c] = float64(len(ex)) / (float64(k) * counts[c])
			if h.ClassWeight == "sqrt" {
				cw[c] = math.Sqrt(cw[c])
			}
		}
	}
	g2 := make([]float32, len(m.W))
	b2 := make([]float64, k)
	const lr = 0.5
	l2 := float32(h.L2)
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(20250601, 3))
	for epoch := 0; epoch < h.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			e := ex[i]
			p := m.predict(e.x)
			for c := range k {
				g := p[c]
				if c == e.y {
					g--
				}
				g *= cw[e.y]
				b2[c] += g * g
				m.Bias[c] -= float32(lr * g / math.Sqrt(b2[c]+1e-8))
				for _, ft := range e.x {
					j := int(ft.idx)*k + c
					gw := float32(g)*ft.val + l2*m.W[j]
					g2[j] += gw * gw
					m.W[j] -= float32(lr) * gw / float32(math.Sqrt(float64(g2[j])+1e-8))
				}
			}
		}
	}
	return m, nil
}

// encode writes the model file bytes.
func (m *linearModel) encode() ([]byte, error) {
	var mx float32
	for _, w := range m.W {
		mx = max(mx, float32(math.Abs(float64(w))))
	}
	for _, w := range m.Bias {
		mx = max(mx, float32(math.Abs(float64(w))))
	}
	m.Scale = float64(mx) / 32767
	if m.Scale == 0 {
		m.Scale = 1
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
		return nil, errors.New("model file: not a newsds linear model")
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
	q := make([]int16, k+(1<<m.Bits)*k)
	if err := binary.Read(br, binary.LittleEndian, q); err != nil {
		return nil, fmt.Errorf("model file: weights: %w", err)
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
	return m, nil
}

// TrainOptions configures TrainSentiment and TrainStance. Zero values take the defaults.
type TrainOptions struct {
	// Data is the shared data folder (../shared/data); default training files are found in it.
	Data string
	// Files overrides the labelled training files (CSV, or TSV by extension); columns and
	// labels are detected as by EvalClassifier.
	Files []string
	// Lexicons overrides the English lexicons folded into the sentiment model
	// (VADER "token<TAB>mean...", AFINN "term<TAB>score").
	Lexicons []string
	// Out is the model file to write; empty writes nothing (the report still counts).
	Out string
	// Epochs defaults to 8; Bits (log2 of the hashed feature space) to 16.
	Epochs int
	Bits   int
	// Limit, when > 0, trains on at most Limit rows per file (tests).
	Limit int
}

// TrainReport is what a training run did; the figures are on the held-out rows.
type TrainReport struct {
	Task     string       `json:"task"`
	Out      string       `json:"out,omitempty"`
	SHA256   string       `json:"sha256"`
	Bytes    int          `json:"bytes"`
	Examples int          `json:"examples"`
	Files    []TrainFile  `json:"files"`
	HeldOut  string       `json:"held_out"`
	Eval     []EvalReport `json:"held_out_eval"`
}

// Default training files, relative to the shared data folder.
var (
	defaultSentimentFiles = []string{"sentiment_ar/arsarcasm_v2/training_data.csv", "sentiment_ar/ajgt/ajgt_shared.csv"}
	defaultLexicons       = []string{"lexicons_en/vader/vader_lexicon.txt", "lexicons_en/afinn/AFINN-en-165.txt"}
	defaultStanceFiles    = []string{"stance_ar/ans/stance/train.csv", "stance_en/perspectrum/perspective_stance_train.tsv"}
)

func (o TrainOptions) withDefaults(files []string) (TrainOptions, error) {
	if o.Epochs <= 0 {
		o.Epochs = 8
	}
	if o.Bits <= 0 {
		o.Bits = 16
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

// defaultL2 is the weight decay; on these sets it changes held-out figures by less
// than 0.005 between 1e-6 and 1e-4.
const defaultL2 = 1e-6

// heldOutRule describes heldOut for the model file and reports.
const heldOutRule = "row held out when fnv1a64(key) % 5 == 0; key = folded, space-collapsed text (stance: target + U+001F + text)"

// heldOut reports whether a row is in the held-out part of a training file.
func heldOut(key string) bool { return hash64(key)%heldOutMod == 0 }

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
	o, err := opts.withDefaults(defaultSentimentFiles)
	if err != nil {
		return TrainReport{}, err
	}
	lexFiles := o.Lexicons
	if len(lexFiles) == 0 && o.Data != "" {
		for _, f := range defaultLexicons {
			lexFiles = append(lexFiles, filepath.Join(o.Data, f))
		}
	}
	lex, err := loadLexicons(lexFiles)
	if err != nil {
		return TrainReport{}, err
	}
	h := modelHeader{Task: "sentiment", Labels: sentimentLabels(), Features: sentimentFeatures, Bits: o.Bits, Epochs: o.Epochs, L2: defaultL2, ClassWeight: "balanced", Lexicon: lex}
	return train(ctx, o, h, "sentiment", func(f *featurizer, r labelledRow) []feature {
		f.addText("", r.Text)
		return f.vector()
	})
}

// TrainStance trains the (target, text) stance model on the shared stance training
// files (ANS train, Perspectrum train), 80% of each by the held-out rule.
func TrainStance(ctx context.Context, opts TrainOptions) (TrainReport, error) {
	o, err := opts.withDefaults(defaultStanceFiles)
	if err != nil {
		return TrainReport{}, err
	}
	// sqrt class weights: chosen over "balanced" on the held-out rows of the training
	// files (ANS macro-F1 0.449 vs 0.446, accuracy 0.648 vs 0.629), not on the dev sets.
	h := modelHeader{Task: "stance", Labels: stanceLabels(), Features: stanceFeatures, Bits: o.Bits, Epochs: o.Epochs, L2: defaultL2, ClassWeight: "sqrt"}
	return train(ctx, o, h, "stance", func(f *featurizer, r labelledRow) []feature {
		return stanceVector(f, r.Target, r.Text)
	})
}

func train(ctx context.Context, o TrainOptions, h modelHeader, kind string, vec func(*featurizer, labelledRow) []feature) (TrainReport, error) {
	f := newFeaturizer(o.Bits)
	var ex []trainExample
	type held struct {
		file string
		rows []labelledRow
	}
	var helds []held
	for _, path := range o.Files {
		tab, err := readLabelled(path, kind, ClassifierOptions{})
		if err != nil {
			return TrainReport{}, err
		}
		tf := TrainFile{Name: dataName(o.Data, path), SHA256: tab.SHA256, Rows: len(tab.Rows)}
		var hr []labelledRow
		for i, r := range tab.Rows {
			if o.Limit > 0 && i >= o.Limit {
				break
			}
			y := slices.Index(h.Labels, r.Label)
			if y < 0 {
				continue
			}
			if heldOut(rowKey(r)) {
				tf.HeldOut++
				hr = append(hr, r)
				continue
			}
			tf.Train++
			ex = append(ex, trainExample{vec(f, r), y})
		}
		h.Files = append(h.Files, tf)
		helds = append(helds, held{tf.Name, hr})
	}
	h.HeldOut = heldOutRule
	h.Examples = len(ex)
	m, err := trainLinear(ctx, h, ex)
	if err != nil {
		return TrainReport{}, fmt.Errorf("train %s: %w", kind, err)
	}
	b, err := m.encode()
	if err != nil {
		return TrainReport{}, err
	}
	rep := TrainReport{Task: kind, Out: o.Out, SHA256: sha256Hex(b), Bytes: len(b), Examples: len(ex), Files: m.Files, HeldOut: heldOutRule}
	for _, hd := range helds {
		var gold, pred []string
		for _, r := range hd.rows {
			p := m.predict(vec(f, r))
			gold = append(gold, r.Label)
			pred = append(pred, m.Labels[argmax(p)])
		}
		er := scoreLabels(gold, pred)
		er.File = hd.file
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

// loadLexicons merges English valence lexicons into one map scaled to -1..1: VADER
// (mean -4..4) wins over AFINN (-5..5) where both have the token.
func loadLexicons(paths []string) (map[string]float64, error) {
	lex := map[string]float64{}
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
