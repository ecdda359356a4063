// Package bitflip picks the byte flips that the corruption tests of release readers
// apply: seeded, so that a failing flip can be replayed, and aimed at the structure of
// the file rather than spread evenly. Most bytes of a shard are compressed values, where
// the codec catches a flip; the bytes a reader trusts (page headers, the footer, the
// schema message) are few, and that is where a reader's bugs are.
package bitflip

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/parquet/file"
)

// Flip is one damaged byte: b[Pos] ^= XOR.
type Flip struct {
	Pos int
	XOR byte
}

func (f Flip) String() string { return fmt.Sprintf("byte %d ^= %#x", f.Pos, f.XOR) }

// Apply returns a copy of b with f applied.
func (f Flip) Apply(b []byte) []byte {
	out := bytes.Clone(b)
	out[f.Pos] ^= f.XOR
	return out
}

type span struct{ start, end int }

// structure returns the ranges of a Parquet file (page headers at the start of each
// column chunk, and the footer) or of an Arrow IPC stream (its first message, the
// schema) or file (also its footer) that the reader trusts.
func structure(b []byte, isParquet bool) ([]span, error) {
	if !isParquet {
		if len(b) < 8 {
			return nil, fmt.Errorf("bitflip: %d bytes is not an Arrow IPC stream", len(b))
		}
		// An IPC file is "ARROW1" and padding, a stream, the footer, its length and
		// "ARROW1": aim at the magic and schema message at the start and at the footer.
		if bytes.HasPrefix(b, []byte("ARROW1")) && len(b) >= 16+10 {
			n := int(binary.LittleEndian.Uint32(b[12:]))
			footer := int(binary.LittleEndian.Uint32(b[len(b)-10:]))
			return []span{{0, min(16+n, len(b))}, {max(len(b)-10-footer, 0), len(b)}}, nil
		}
		n := int(binary.LittleEndian.Uint32(b[4:]))
		return []span{{0, min(8+n, len(b))}}, nil
	}
	pf, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("bitflip: %w", err)
	}
	defer pf.Close()
	footer := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
	out := []span{{max(len(b)-8-footer, 0), len(b)}}
	for g := range pf.NumRowGroups() {
		rg := pf.MetaData().RowGroup(g)
		for c := range rg.NumColumns() {
			col, err := rg.ColumnChunk(c)
			if err != nil {
				return nil, fmt.Errorf("bitflip: %w", err)
			}
			for _, off := range []int64{col.DictionaryPageOffset(), col.DataPageOffset()} {
				if off > 0 && int(off) < len(b) {
					out = append(out, span{int(off), min(int(off)+40, len(b))})
				}
			}
		}
	}
	return out, nil
}

// Flips returns n flips of file b (Parquet when isParquet, else Arrow IPC stream): a
// third anywhere, two thirds in the structure, each XOR a non-zero byte.
func Flips(b []byte, isParquet bool, n int, seed uint64) ([]Flip, error) {
	spans, err := structure(b, isParquet)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, uint64(len(b))))
	flips := make([]Flip, n)
	for i := range flips {
		pos := rng.IntN(len(b))
		if rng.IntN(3) != 0 {
			s := spans[rng.IntN(len(spans))]
			pos = s.start + rng.IntN(s.end-s.start)
		}
		flips[i] = Flip{Pos: pos, XOR: byte(1 + rng.IntN(255))}
	}
	return flips, nil
}
