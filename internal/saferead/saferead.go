// Package saferead lets newsds hand bytes from outside (release shards someone else
// wrote, downloaded, or damaged) to third-party decoders without letting a corrupt file
// take the process down. arrow-go's Parquet and Arrow IPC readers trust the lengths and
// offsets in the file: a flipped byte can make them dereference nil, index out of range,
// recurse forever or ask for a terabyte of memory. The first two are panics that Do turns
// into errors; the last two are fatal to the Go runtime and cannot be recovered, so they
// are prevented before the decoder runs: allocations are capped (Allocator) and Arrow IPC
// metadata is checked against its own size (NewIPCMessageReader).
package saferead

import (
	"errors"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ErrCorrupt marks an error made from a decoder's panic: the file is corrupt (or the
// decoder has a bug that the file triggers); either way the file cannot be read.
var ErrCorrupt = errors.New("the decoder failed on corrupt data")

// Do runs f and turns a panic inside it into an error wrapping ErrCorrupt. Wrap only
// calls into the decoder: a panic in newsds's own code is a bug to see, not a file to
// blame.
func Do(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	return f()
}

// AllocLimit is the largest single allocation allowed while decoding a file of size
// bytes. A valid file needs no buffer much larger than itself, but pages are stored
// compressed, so the limit leaves room for a generous compression ratio.
func AllocLimit(size int64) int {
	const floor = 64 << 20
	limit := uint64(floor) + 32*uint64(max(size, 0))
	if limit > math.MaxInt32*4 {
		limit = math.MaxInt32 * 4
	}
	return int(limit)
}

// Allocator wraps mem (nil: the Go allocator) so that an allocation over limit bytes
// panics instead of being attempted; run the decoder under Do to get an error.
func Allocator(mem memory.Allocator, limit int) memory.Allocator {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &capped{mem: mem, limit: limit}
}

type capped struct {
	mem   memory.Allocator
	limit int
}

func (c *capped) check(size int) {
	if size < 0 || size > c.limit {
		panic(fmt.Sprintf("a buffer of %d bytes was requested, over the %d-byte limit for this file", size, c.limit))
	}
}

func (c *capped) Allocate(size int) []byte {
	c.check(size)
	return c.mem.Allocate(size)
}

func (c *capped) Reallocate(size int, b []byte) []byte {
	c.check(size)
	return c.mem.Reallocate(size, b)
}

func (c *capped) Free(b []byte) { c.mem.Free(b) }

// Release frees an arrow-go reader or batch in a deferred call. Release only drops
// reference counts, but on damaged input arrow-go may panic inside it; that panic is
// turned into nothing, since the read's own error has been reported already.
func Release(r interface{ Release() }) {
	_ = Do(func() error { r.Release(); return nil })
}
