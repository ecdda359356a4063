package saferead

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// NewIPCMessageReader reads the messages of an Arrow IPC stream of size bytes from r, as
// ipc.NewMessageReader does, but refuses a message whose metadata or body claims more
// bytes than the stream has left, and checks each message's flatbuffer before arrow-go
// decodes it (see checkMessage). Give it to ipc.NewReaderFromMessageReader, with a
// capped allocator, and run the reader under Do.
func NewIPCMessageReader(r io.Reader, size int64, mem memory.Allocator) ipc.MessageReader {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	mr := &ipcMessages{r: r, left: size, mem: mem}
	mr.refs.Add(1)
	return mr
}

type ipcMessages struct {
	r    io.Reader
	left int64 // bytes of the stream not read yet
	mem  memory.Allocator
	msg  *ipc.Message
	refs atomic.Int64
}

func (m *ipcMessages) Retain() { m.refs.Add(1) }

func (m *ipcMessages) Release() {
	if m.refs.Add(-1) == 0 && m.msg != nil {
		m.msg.Release()
		m.msg = nil
	}
}

func (m *ipcMessages) read(b []byte) error {
	n, err := io.ReadFull(m.r, b)
	m.left -= int64(n)
	return err
}

const ipcContinuation = 0xFFFFFFFF

// Message returns the next message, io.EOF at the end of the stream. The framing is
// the IPC format's: an optional 0xFFFFFFFF continuation marker, a little-endian int32
// metadata length (0 ends the stream), the flatbuffer Message, then its body.
func (m *ipcMessages) Message() (*ipc.Message, error) {
	var word [4]byte
	if err := m.read(word[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF // a stream may end without its end-of-stream marker
		}
		return nil, fmt.Errorf("arrow ipc: read message length: %w", err)
	}
	n := binary.LittleEndian.Uint32(word[:])
	if n == ipcContinuation {
		if err := m.read(word[:]); err != nil {
			return nil, fmt.Errorf("arrow ipc: read message length: %w", unexpectedEOF(err))
		}
		n = binary.LittleEndian.Uint32(word[:])
	}
	if n == 0 {
		return nil, io.EOF
	}
	if int64(n) > m.left || int32(n) < 4 {
		return nil, fmt.Errorf("arrow ipc: message metadata of %d bytes, but %d bytes are left in the file", int32(n), m.left)
	}
	meta := make([]byte, n)
	if err := m.read(meta); err != nil {
		return nil, fmt.Errorf("arrow ipc: read message metadata: %w", unexpectedEOF(err))
	}
	bodyLen, err := checkMessage(meta)
	if err != nil {
		return nil, fmt.Errorf("arrow ipc: message metadata: %w", err)
	}
	if bodyLen < 0 || bodyLen > m.left {
		return nil, fmt.Errorf("arrow ipc: message body of %d bytes, but %d bytes are left in the file", bodyLen, m.left)
	}
	body := memory.NewResizableBuffer(m.mem)
	body.Resize(int(bodyLen))
	if err := m.read(body.Bytes()); err != nil {
		body.Release()
		return nil, fmt.Errorf("arrow ipc: read message body: %w", unexpectedEOF(err))
	}
	metaBuf := memory.NewBufferBytes(meta)
	msg := ipc.NewMessage(metaBuf, body)
	metaBuf.Release()
	body.Release()
	if m.msg != nil {
		m.msg.Release()
	}
	m.msg = msg
	return msg, nil
}

func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// checkMessage checks the parts of an Arrow IPC Message flatbuffer that arrow-go trusts
// in ways a panic cannot undo: every vector it sizes an allocation from fits in the
// buffer, and the Field tree is finite (a child offset pointing back at an ancestor
// makes the decoder recurse until the stack overflows). Out-of-range reads elsewhere
// are left to the decoder: they panic, and Do recovers them. It returns the body length.
//
// Slots are from Arrow's Message.fbs and Schema.fbs (vtable offsets 4, 6, 8, ...).
func checkMessage(b []byte) (int64, error) {
	v := &fbCheck{b: b, budget: len(b)/4 + 16}
	if len(b) < 4 {
		return 0, errors.New("shorter than a flatbuffer")
	}
	msg, err := v.table(uint64(binary.LittleEndian.Uint32(b)))
	if err != nil {
		return 0, fmt.Errorf("message: %w", err)
	}
	if err := v.keyValues(msg, 12); err != nil {
		return 0, fmt.Errorf("message custom_metadata: %w", err)
	}
	header, err := v.optTable(msg, 8)
	if err != nil {
		return 0, fmt.Errorf("message header: %w", err)
	}
	if header == nil {
		return 0, errors.New("message has no header")
	}
	switch kind := v.u8(msg, 6); kind {
	case 1: // Schema
		err = v.schema(header)
	case 2: // DictionaryBatch
		var data *fbTable
		if data, err = v.optTable(header, 6); err == nil && data != nil {
			err = v.recordBatch(data)
		}
	case 3: // RecordBatch
		err = v.recordBatch(header)
	default:
		return 0, fmt.Errorf("message header type %d is not a schema, dictionary or record batch", kind)
	}
	if err != nil {
		return 0, err
	}
	return int64(v.u64(msg, 10)), nil
}

// maxFieldDepth bounds the nesting of schema fields; newsds's own schemas nest three deep.
const maxFieldDepth = 64

type fbCheck struct {
	b []byte
	// budget is how many more tables may be visited: a tree whose nodes are shared
	// (offsets may point anywhere) could otherwise be exponentially larger than the
	// buffer, and arrow-go would walk all of it.
	budget int
}

type fbTable struct {
	pos, vtable uint64
	vtLen       uint64
}

func (v *fbCheck) u32(at uint64) (uint64, error) {
	if at+4 > uint64(len(v.b)) {
		return 0, fmt.Errorf("offset %d is outside the %d-byte buffer", at, len(v.b))
	}
	return uint64(binary.LittleEndian.Uint32(v.b[at:])), nil
}

func (v *fbCheck) table(pos uint64) (*fbTable, error) {
	if v.budget--; v.budget < 0 {
		return nil, errors.New("more tables than the buffer can hold")
	}
	soff, err := v.u32(pos)
	if err != nil {
		return nil, err
	}
	vt := int64(pos) - int64(int32(uint32(soff)))
	if vt < 0 || uint64(vt)+4 > uint64(len(v.b)) {
		return nil, fmt.Errorf("table at %d: vtable at %d is outside the buffer", pos, vt)
	}
	t := &fbTable{pos: pos, vtable: uint64(vt)}
	t.vtLen = uint64(binary.LittleEndian.Uint16(v.b[vt:]))
	objLen := uint64(binary.LittleEndian.Uint16(v.b[vt+2:]))
	if t.vtLen < 4 || t.vtLen%2 != 0 || t.vtable+t.vtLen > uint64(len(v.b)) || pos+objLen > uint64(len(v.b)) {
		return nil, fmt.Errorf("table at %d: vtable at %d does not fit the buffer", pos, vt)
	}
	return t, nil
}

// field returns the absolute position of a table's field, 0 when it is absent.
func (v *fbCheck) field(t *fbTable, slot uint64) uint64 {
	if slot >= t.vtLen {
		return 0
	}
	off := uint64(binary.LittleEndian.Uint16(v.b[t.vtable+slot:]))
	if off == 0 {
		return 0
	}
	return t.pos + off
}

// target follows the offset stored in a field, 0 when the field is absent.
func (v *fbCheck) target(t *fbTable, slot uint64) (uint64, error) {
	at := v.field(t, slot)
	if at == 0 {
		return 0, nil
	}
	off, err := v.u32(at)
	if err != nil {
		return 0, err
	}
	return at + off, nil
}

func (v *fbCheck) optTable(t *fbTable, slot uint64) (*fbTable, error) {
	at, err := v.target(t, slot)
	if err != nil || at == 0 {
		return nil, err
	}
	return v.table(at)
}

// vector returns the position of the first element and the length of a vector field,
// having checked that n elements of elem bytes fit in the buffer.
func (v *fbCheck) vector(t *fbTable, slot, elem uint64) (start, n uint64, err error) {
	at, err := v.target(t, slot)
	if err != nil || at == 0 {
		return 0, 0, err
	}
	if n, err = v.u32(at); err != nil {
		return 0, 0, err
	}
	if start = at + 4; start+n*elem > uint64(len(v.b)) {
		return 0, 0, fmt.Errorf("a vector of %d elements at %d does not fit the %d-byte buffer", n, at, len(v.b))
	}
	return start, n, nil
}

// tables calls each on every table of a vector of tables.
func (v *fbCheck) tables(t *fbTable, slot uint64, each func(*fbTable) error) error {
	start, n, err := v.vector(t, slot, 4)
	if err != nil {
		return err
	}
	for i := range n {
		at := start + 4*i
		off, _ := v.u32(at) // in range: checked by vector
		e, err := v.table(at + off)
		if err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
		if err := each(e); err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
	}
	return nil
}

func (v *fbCheck) str(t *fbTable, slot uint64) error {
	_, _, err := v.vector(t, slot, 1)
	return err
}

func (v *fbCheck) keyValues(t *fbTable, slot uint64) error {
	return v.tables(t, slot, func(kv *fbTable) error {
		if err := v.str(kv, 4); err != nil {
			return err
		}
		return v.str(kv, 6)
	})
}

func (v *fbCheck) scalar(t *fbTable, slot, size uint64) []byte {
	at := v.field(t, slot)
	if at == 0 || at+size > uint64(len(v.b)) {
		return nil
	}
	return v.b[at : at+size]
}

func (v *fbCheck) u8(t *fbTable, slot uint64) uint8 {
	if s := v.scalar(t, slot, 1); s != nil {
		return s[0]
	}
	return 0
}

func (v *fbCheck) u64(t *fbTable, slot uint64) uint64 {
	if s := v.scalar(t, slot, 8); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (v *fbCheck) schema(s *fbTable) error {
	if err := v.tables(s, 6, func(f *fbTable) error { return v.fieldTree(f, 1) }); err != nil {
		return fmt.Errorf("schema fields: %w", err)
	}
	if err := v.keyValues(s, 8); err != nil {
		return fmt.Errorf("schema custom_metadata: %w", err)
	}
	if _, _, err := v.vector(s, 10, 8); err != nil {
		return fmt.Errorf("schema features: %w", err)
	}
	return nil
}

// fieldTree checks a Field: name, type, dictionary encoding, metadata and children.
func (v *fbCheck) fieldTree(f *fbTable, depth int) error {
	if depth > maxFieldDepth {
		return fmt.Errorf("fields nest deeper than %d", maxFieldDepth)
	}
	if err := v.str(f, 4); err != nil {
		return fmt.Errorf("name: %w", err)
	}
	typ, err := v.optTable(f, 10)
	if err != nil {
		return fmt.Errorf("type: %w", err)
	}
	if typ != nil {
		switch v.u8(f, 8) {
		case 10: // Timestamp: timezone
			err = v.str(typ, 6)
		case 14: // Union: typeIds
			_, _, err = v.vector(typ, 6, 4)
		}
		if err != nil {
			return fmt.Errorf("type: %w", err)
		}
	}
	dict, err := v.optTable(f, 12)
	if err != nil {
		return fmt.Errorf("dictionary: %w", err)
	}
	if dict != nil {
		if _, err := v.optTable(dict, 6); err != nil {
			return fmt.Errorf("dictionary index type: %w", err)
		}
	}
	if err := v.keyValues(f, 16); err != nil {
		return fmt.Errorf("custom_metadata: %w", err)
	}
	return v.tables(f, 14, func(c *fbTable) error { return v.fieldTree(c, depth+1) })
}

// recordBatch checks the nodes (FieldNode, 16 bytes), buffers (Buffer, 16 bytes),
// compression and variadic buffer counts of a RecordBatch.
func (v *fbCheck) recordBatch(rb *fbTable) error {
	for _, vec := range []struct {
		name       string
		slot, elem uint64
	}{{"nodes", 6, 16}, {"buffers", 8, 16}, {"variadicBufferCounts", 12, 8}} {
		if _, _, err := v.vector(rb, vec.slot, vec.elem); err != nil {
			return fmt.Errorf("record batch %s: %w", vec.name, err)
		}
	}
	if _, err := v.optTable(rb, 10); err != nil {
		return fmt.Errorf("record batch compression: %w", err)
	}
	return nil
}
