package datasets

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsds/newsds/schema"
)

// DefaultSplit is the split spec used when ReleaseOptions.Split is empty.
const DefaultSplit = "train=0.8,validation=0.1,test=0.1"

// SplitSpec assigns documents to splits, deterministically and from the document alone,
// so that a document never changes split between releases unless the spec changes.
//
// Two kinds:
//   - by hash, "train=0.8,validation=0.1,test=0.1": the first 8 bytes of sha256(id), read
//     as a big-endian integer and divided by 2^64, give u in [0, 1); the document goes to
//     the first split whose cumulative ratio exceeds u. Adding documents never moves
//     others.
//   - by date, "date:2024-01-01,2024-07-01": boundaries are midnight UTC, compared with
//     the publication instant; one boundary makes train and test, two make train,
//     validation and test, in date order (train is the oldest). Documents without a date
//     go to train, the split that never serves as held-out data.
type SplitSpec struct {
	names []string
	// cum are the cumulative ratios of a hash spec.
	cum []float64
	// dates are the boundaries of a date spec.
	dates []time.Time
}

var splitName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// ParseSplit parses a split spec (see SplitSpec); "" is DefaultSplit.
func ParseSplit(spec string) (SplitSpec, error) {
	if spec == "" {
		spec = DefaultSplit
	}
	if rest, ok := strings.CutPrefix(spec, "date:"); ok {
		return parseDateSplit(rest)
	}
	var s SplitSpec
	sum := 0.0
	for part := range strings.SplitSeq(spec, ",") {
		name, ratio, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return SplitSpec{}, fmt.Errorf("split %q: %q is not name=ratio", spec, part)
		}
		if !splitName.MatchString(name) {
			return SplitSpec{}, fmt.Errorf("split %q: %q is not a valid split name (letters, digits, _)", spec, name)
		}
		if slices.Contains(s.names, name) {
			return SplitSpec{}, fmt.Errorf("split %q: %s given twice", spec, name)
		}
		r, err := strconv.ParseFloat(ratio, 64)
		if err != nil || r <= 0 || r > 1 || math.IsNaN(r) {
			return SplitSpec{}, fmt.Errorf("split %q: ratio %q of %s is not in (0, 1]", spec, ratio, name)
		}
		sum += r
		s.names = append(s.names, name)
		s.cum = append(s.cum, sum)
	}
	if math.Abs(sum-1) > 1e-9 {
		return SplitSpec{}, fmt.Errorf("split %q: ratios sum to %g, want 1", spec, sum)
	}
	s.cum[len(s.cum)-1] = 1
	return s, nil
}

func parseDateSplit(list string) (SplitSpec, error) {
	var s SplitSpec
	for part := range strings.SplitSeq(list, ",") {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(part))
		if err != nil {
			return SplitSpec{}, fmt.Errorf("split by date: %q is not a date (YYYY-MM-DD)", part)
		}
		if n := len(s.dates); n > 0 && !d.After(s.dates[n-1]) {
			return SplitSpec{}, fmt.Errorf("split by date: %s does not come after %s", part, s.dates[n-1].Format(time.DateOnly))
		}
		s.dates = append(s.dates, d)
	}
	switch len(s.dates) {
	case 1:
		s.names = []string{"train", "test"}
	case 2:
		s.names = []string{"train", "validation", "test"}
	default:
		return SplitSpec{}, fmt.Errorf("split by date: give one or two dates, not %d", len(s.dates))
	}
	return s, nil
}

// Names are the split names in order.
func (s SplitSpec) Names() []string { return slices.Clone(s.names) }

// String is the canonical form of the spec, recorded in the manifest.
func (s SplitSpec) String() string {
	var b strings.Builder
	if s.dates != nil {
		b.WriteString("date:")
		for i, d := range s.dates {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(d.Format(time.DateOnly))
		}
		return b.String()
	}
	prev := 0.0
	for i, name := range s.names {
		if i > 0 {
			b.WriteByte(',')
		}
		// Ratios are printed back from the cumulative sums, rounded to hide float noise.
		r := math.Round((s.cum[i]-prev)*1e9) / 1e9
		prev = s.cum[i]
		b.WriteString(name + "=" + strconv.FormatFloat(r, 'g', -1, 64))
	}
	return b.String()
}

// Assign returns the index (in Names) of the split of a document row.
func (s SplitSpec) Assign(row *schema.ArticleRow) int {
	if s.dates != nil {
		if row.Published == nil {
			return 0
		}
		i := 0
		for i < len(s.dates) && !row.Published.Before(s.dates[i]) {
			i++
		}
		return i
	}
	u := hashUnit(row.ID)
	for i, c := range s.cum {
		if u < c {
			return i
		}
	}
	return len(s.cum) - 1
}

// hashUnit maps an id to [0, 1) through sha256.
func hashUnit(id string) float64 {
	h := sha256.Sum256([]byte(id))
	return float64(binary.BigEndian.Uint64(h[:8])>>11) / (1 << 53)
}
