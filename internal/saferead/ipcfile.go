package saferead

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ipcBlockSize is the size of a Block struct of Arrow's File.fbs: offset int64,
// metaDataLength int32 and padding, bodyLength int64.
const ipcBlockSize = 24

// CheckIPCFooter checks the footer flatbuffer of an Arrow IPC file (Footer in File.fbs:
// version, schema, dictionaries, recordBatches, custom_metadata) as the stream reader
// checks each message, before ipc.NewFileReader decodes it: arrow-go sizes allocations
// from the footer's schema without bounds, so a damaged footer could exhaust memory,
// which no recover undoes. It returns how many dictionary and record batches the footer
// indexes.
func CheckIPCFooter(b []byte) (dictionaries, recordBatches int, err error) {
	if len(b) < 4 {
		return 0, 0, errors.New("footer: shorter than a flatbuffer")
	}
	v := &fbCheck{b: b, budget: len(b)/4 + 16}
	footer, err := v.table(uint64(binary.LittleEndian.Uint32(b)))
	if err != nil {
		return 0, 0, fmt.Errorf("footer: %w", err)
	}
	schema, err := v.optTable(footer, 6)
	if err != nil {
		return 0, 0, fmt.Errorf("footer schema: %w", err)
	}
	if schema == nil {
		return 0, 0, errors.New("footer has no schema")
	}
	if err := v.schema(schema); err != nil {
		return 0, 0, fmt.Errorf("footer %w", err)
	}
	_, nd, err := v.vector(footer, 8, ipcBlockSize)
	if err != nil {
		return 0, 0, fmt.Errorf("footer dictionaries: %w", err)
	}
	_, nr, err := v.vector(footer, 10, ipcBlockSize)
	if err != nil {
		return 0, 0, fmt.Errorf("footer record batches: %w", err)
	}
	if err := v.keyValues(footer, 12); err != nil {
		return 0, 0, fmt.Errorf("footer custom_metadata: %w", err)
	}
	return int(nd), int(nr), nil
}
