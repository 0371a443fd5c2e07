package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// validate reads a whole existing database, read-only, before Pagekeeper
// writes to it. bbolt trusts its file: on a damaged one it panics (a bad
// page type, a key out of bounds), faults (a page beyond the end of a cut-off
// file, which recover alone does not catch) or recurses without end (a page
// that points back at its parent), and opened read-write on Windows it first
// grows the file. So the file is opened read-only, the page tree is followed
// by hand with plain reads, then bbolt reads every bucket and key (with
// faults turned into panics) and runs its own consistency check.
func validate(path string, size int64, wait time.Duration) (err error) {
	var f *os.File
	defer func() {
		if r := recover(); r != nil {
			if f != nil {
				f.Close() // releases the lock the abandoned handle holds
			}
			err = &CorruptError{Path: path, Cause: fmt.Errorf("%v", r)}
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	b, err := bolt.Open(path, 0o600, &bolt.Options{
		ReadOnly: true, Timeout: wait,
		// Loaded here, on this goroutine, where a fault becomes a panic.
		PreLoadFreelist: true,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			var err error
			f, err = os.OpenFile(name, flag, perm)
			return f, err
		},
	})
	if err != nil {
		return openError(path, err)
	}
	defer b.Close()
	return b.View(func(tx *bolt.Tx) error {
		fail := func(cause error) error { return &CorruptError{Path: path, Cause: cause} }
		pageSize := b.Info().PageSize
		if tx.Size() > size {
			return fail(fmt.Errorf("it is cut off: %d bytes long, its contents need %d", size, tx.Size()))
		}
		// One read of the whole file: far cheaper than a read per page.
		whole := make([]byte, tx.Size())
		if _, err := f.ReadAt(whole, 0); err != nil {
			return fail(err)
		}
		w := pageWalker{r: bytes.NewReader(whole), pageSize: pageSize, hwm: uint64(tx.Size()) / uint64(pageSize)}
		w.seen = make([]bool, w.hwm)
		if err := w.page(uint64(tx.Cursor().Bucket().Root()), 0); err != nil {
			return fail(err)
		}
		if err := readAll(tx.Cursor().Bucket(), 0); err != nil {
			return fail(err)
		}
		var first error
		for cerr := range tx.Check() { // drained, so Check's goroutine ends
			if first == nil {
				first = cerr
			}
		}
		if first != nil {
			return fail(first)
		}
		return nil
	})
}

// readAll touches every key and value of b and of its nested buckets.
func readAll(b *bolt.Bucket, depth int) error {
	if depth > maxDepth {
		return errors.New("its buckets are nested too deep")
	}
	var sum byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		for _, x := range k {
			sum ^= x
		}
		if v == nil {
			nested := b.Bucket(k)
			if nested == nil {
				return fmt.Errorf("the entry %q is neither a value nor a bucket", k)
			}
			if err := readAll(nested, depth+1); err != nil {
				return err
			}
			continue
		}
		for _, x := range v {
			sum ^= x
		}
	}
	_ = sum
	return nil
}

// maxDepth bounds how deep pages and buckets may nest: a real Pagekeeper file
// is a handful of levels deep; a loop in a damaged one is endless.
const maxDepth = 64

// bbolt's page layout (go.etcd.io/bbolt/internal/common/page.go): a 16-byte
// header (id, flags, count, overflow) followed by 16-byte elements.
const (
	pageHeaderSize  = 16
	elementSize     = 16
	branchPageFlag  = 0x01
	leafPageFlag    = 0x02
	bucketLeafFlag  = 0x01
	bucketValueSize = 16 // root page id and sequence; an inline page follows when root is 0
)

// pageWalker follows the page tree with plain reads, so a damaged file shows
// up as an error here rather than as a crash in bbolt.
type pageWalker struct {
	r        io.ReaderAt
	pageSize int
	hwm      uint64 // pages in use
	seen     []bool // by page id, below hwm
}

var order = binary.NativeEndian

func (w *pageWalker) page(id uint64, depth int) error {
	switch {
	case depth > maxDepth:
		return fmt.Errorf("page %d: the page tree is deeper than %d levels (a loop)", id, maxDepth)
	case id < 2 || id >= w.hwm: // 0 and 1 are the meta pages
		return fmt.Errorf("page %d: out of bounds (%d pages in use)", id, w.hwm)
	}
	head := make([]byte, pageHeaderSize)
	if _, err := w.r.ReadAt(head, int64(id)*int64(w.pageSize)); err != nil {
		return fmt.Errorf("page %d: %w", id, err)
	}
	overflow := uint64(order.Uint32(head[12:16]))
	if order.Uint64(head[0:8]) != id {
		return fmt.Errorf("page %d: its header says it is page %d", id, order.Uint64(head[0:8]))
	}
	if id+overflow >= w.hwm {
		return fmt.Errorf("page %d: its %d overflow pages run past the end", id, overflow)
	}
	for p := id; p <= id+overflow; p++ {
		if w.seen[p] {
			return fmt.Errorf("page %d: reached twice", p)
		}
		w.seen[p] = true
	}
	buf := make([]byte, (overflow+1)*uint64(w.pageSize))
	if _, err := w.r.ReadAt(buf, int64(id)*int64(w.pageSize)); err != nil {
		return fmt.Errorf("page %d: %w", id, err)
	}
	return w.elements(id, buf, depth)
}

// elements checks the elements of the page in buf (a file page or an inline
// bucket's page) and follows its children.
func (w *pageWalker) elements(id uint64, buf []byte, depth int) error {
	if len(buf) < pageHeaderSize {
		return fmt.Errorf("page %d: shorter than its header", id)
	}
	flags, count := order.Uint16(buf[8:10]), int(order.Uint16(buf[10:12]))
	if pageHeaderSize+count*elementSize > len(buf) {
		return fmt.Errorf("page %d: %d elements do not fit", id, count)
	}
	for i := range count {
		at := pageHeaderSize + i*elementSize
		el := buf[at : at+elementSize]
		switch flags {
		case branchPageFlag:
			pos, ksize := uint64(order.Uint32(el[0:4])), uint64(order.Uint32(el[4:8]))
			if uint64(at)+pos+ksize > uint64(len(buf)) {
				return fmt.Errorf("page %d: key %d runs past the page", id, i)
			}
			if err := w.page(order.Uint64(el[8:16]), depth+1); err != nil {
				return err
			}
		case leafPageFlag:
			eflags, pos := order.Uint32(el[0:4]), uint64(order.Uint32(el[4:8]))
			ksize, vsize := uint64(order.Uint32(el[8:12])), uint64(order.Uint32(el[12:16]))
			start := uint64(at) + pos + ksize
			if start+vsize > uint64(len(buf)) {
				return fmt.Errorf("page %d: entry %d runs past the page", id, i)
			}
			if eflags&bucketLeafFlag == 0 {
				continue
			}
			v := buf[start : start+vsize]
			if len(v) < bucketValueSize {
				return fmt.Errorf("page %d: bucket %d has a short header", id, i)
			}
			if root := order.Uint64(v[0:8]); root != 0 {
				if err := w.page(root, depth+1); err != nil {
					return err
				}
			} else if err := w.elements(id, v[bucketValueSize:], depth+1); err != nil {
				return err
			}
		default:
			return fmt.Errorf("page %d: neither a branch nor a leaf page (flags %#x)", id, flags)
		}
	}
	return nil
}

// openError sorts bbolt.Open's failures.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("%w on %s; close it first", ErrAlreadyRunning, filepath.Dir(path))
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("store: the folder of %s does not exist: %w", path, err)
	case writeProblem(err):
		return &WriteError{Path: path, Cause: err}
	}
	return &CorruptError{Path: path, Cause: err}
}
