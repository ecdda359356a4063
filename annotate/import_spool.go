package annotate

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/newsds/newsds/schema"
)

// An import merges the records of one (document, layer, annotator) wherever they are in
// the files, and drops the pair when any of its records is rejected, so no annotation
// is complete before the last record is read. Instead of holding every annotation until
// then, each record's contribution (a fragment) is encoded and spooled: in memory up to
// spoolLimit bytes, then sorted by pair into a run file in a temporary folder. At the
// end the runs are merged, so the pairs come out sorted and one at a time: memory holds
// the spool buffer and the largest single annotation, whatever the size of the files.

// defaultSpoolLimit is the encoded size of the fragments kept in memory before a run is
// written: large enough that an ordinary import never touches the disk.
const defaultSpoolLimit = 8 << 20

// fragment is one record's contribution to the annotation of its pair, or with Reject
// the mark that a record of the pair was rejected.
type fragment struct {
	Reject    bool              `json:"reject,omitempty"`
	Who       schema.Annotator  `json:"who"`
	Hash      string            `json:"hash,omitempty"`
	CreatedAt string            `json:"created_at,omitempty"`
	Items     []schema.Item     `json:"items,omitempty"`
	Meta      map[string]string `json:"meta,omitempty"`
}

type spoolEntry struct {
	key  impKey
	body []byte
}

func cmpEntry(a, b spoolEntry) int {
	return impCompare(a.key.doc, b.key.doc, a.key.layer, b.key.layer, a.key.annotator, b.key.annotator)
}

type spool struct {
	limit int
	mem   []spoolEntry
	bytes int
	dir   string
	runs  []string
}

func (s *spool) add(k impKey, f *fragment) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("spool record of doc %s: %w", k.doc, err)
	}
	s.mem = append(s.mem, spoolEntry{k, b})
	s.bytes += len(b) + len(k.doc) + len(k.layer) + len(k.annotator) + 64
	if s.bytes > s.limit {
		return s.spill()
	}
	return nil
}

// spill writes the buffer, sorted by pair (stably: records keep their file order), as
// a run.
func (s *spool) spill() error {
	if s.dir == "" {
		d, err := os.MkdirTemp("", "newsds-import-*")
		if err != nil {
			return fmt.Errorf("import spool: %w", err)
		}
		s.dir = d
	}
	slices.SortStableFunc(s.mem, cmpEntry)
	p := filepath.Join(s.dir, fmt.Sprintf("run-%04d", len(s.runs)))
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("import spool: %w", err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	var hdr [binary.MaxVarintLen64]byte
	put := func(b []byte) {
		w.Write(hdr[:binary.PutUvarint(hdr[:], uint64(len(b)))]) // Flush reports a failure
		w.Write(b)
	}
	for _, e := range s.mem {
		put([]byte(e.key.doc))
		put([]byte(e.key.layer))
		put([]byte(e.key.annotator))
		put(e.body)
	}
	err = errors.Join(w.Flush(), f.Close())
	if err != nil {
		return fmt.Errorf("import spool %s: %w", p, err)
	}
	s.runs = append(s.runs, p)
	s.mem, s.bytes = nil, 0
	return nil
}

func (s *spool) close() {
	if s.dir != "" {
		os.RemoveAll(s.dir) // a temporary folder left behind is harmless
	}
}

// groups calls fn with the fragments of each pair, pairs in order, fragments in file
// order.
func (s *spool) groups(fn func(k impKey, bodies [][]byte) error) error {
	if len(s.runs) == 0 {
		slices.SortStableFunc(s.mem, cmpEntry)
		for i := 0; i < len(s.mem); {
			j := i + 1
			for j < len(s.mem) && s.mem[j].key == s.mem[i].key {
				j++
			}
			bodies := make([][]byte, 0, j-i)
			for _, e := range s.mem[i:j] {
				bodies = append(bodies, e.body)
			}
			if err := fn(s.mem[i].key, bodies); err != nil {
				return err
			}
			i = j
		}
		return nil
	}
	if len(s.mem) > 0 {
		if err := s.spill(); err != nil {
			return err
		}
	}
	h := &runHeap{}
	for i, p := range s.runs {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("import spool: %w", err)
		}
		defer f.Close()
		r := &runReader{r: bufio.NewReaderSize(f, 64<<10), index: i, path: p}
		ok, err := r.next()
		if err != nil {
			return err
		}
		if ok {
			h.rs = append(h.rs, r)
		}
	}
	heap.Init(h)
	var key impKey
	var bodies [][]byte
	for h.Len() > 0 {
		r := h.rs[0]
		if len(bodies) > 0 && r.cur.key != key {
			if err := fn(key, bodies); err != nil {
				return err
			}
			bodies = nil
		}
		key = r.cur.key
		bodies = append(bodies, r.cur.body)
		ok, err := r.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	if len(bodies) > 0 {
		return fn(key, bodies)
	}
	return nil
}

type runReader struct {
	r     *bufio.Reader
	index int
	path  string
	cur   spoolEntry
}

func (r *runReader) next() (bool, error) {
	var parts [4][]byte
	for i := range parts {
		n, err := binary.ReadUvarint(r.r)
		if i == 0 && errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("import spool %s: %w", r.path, err)
		}
		parts[i] = make([]byte, n)
		if _, err := io.ReadFull(r.r, parts[i]); err != nil {
			return false, fmt.Errorf("import spool %s: %w", r.path, err)
		}
	}
	r.cur = spoolEntry{impKey{string(parts[0]), string(parts[1]), string(parts[2])}, parts[3]}
	return true, nil
}

// runHeap orders the runs by their current pair; on a tie the earlier run (earlier
// records) comes first, so fragments keep their file order across runs.
type runHeap struct{ rs []*runReader }

func (h *runHeap) Len() int { return len(h.rs) }
func (h *runHeap) Less(i, j int) bool {
	if c := cmpEntry(h.rs[i].cur, h.rs[j].cur); c != 0 {
		return c < 0
	}
	return h.rs[i].index < h.rs[j].index
}
func (h *runHeap) Swap(i, j int) { h.rs[i], h.rs[j] = h.rs[j], h.rs[i] }
func (h *runHeap) Push(x any)    { h.rs = append(h.rs, x.(*runReader)) }
func (h *runHeap) Pop() any {
	r := h.rs[len(h.rs)-1]
	h.rs = h.rs[:len(h.rs)-1]
	return r
}
