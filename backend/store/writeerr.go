package store

import (
	"errors"
	"fmt"
	"io/fs"
)

// WriteError means the database is fine but Pagekeeper cannot write to it:
// no permission, a read-only disk, or a full one. Unlike CorruptError, the
// way out is to fix the folder or the disk, never to move the file aside.
type WriteError struct {
	Path  string
	Cause error
}

func (e *WriteError) Error() string {
	var advice string
	switch {
	case diskFull(e.Cause):
		advice = "the disk is full: free some space on it and try again"
	case readOnlyDisk(e.Cause):
		advice = "it is on a read-only disk or folder: make it writable, or point PAGEKEEPER_DATA_DIR at a writable folder"
	default:
		advice = "you do not have permission: make the file and its folder yours again (for example `chown` or `chmod u+rw`), or point PAGEKEEPER_DATA_DIR at a folder you own"
	}
	return fmt.Sprintf("Pagekeeper cannot write its database %s (%v); %s. The file itself is not damaged: do not move it aside", e.Path, e.Cause, advice)
}

func (e *WriteError) Unwrap() error { return e.Cause }

// writeProblem reports whether err means "cannot write here" rather than
// "the file is damaged".
func writeProblem(err error) bool {
	return errors.Is(err, fs.ErrPermission) || diskFull(err) || readOnlyDisk(err)
}

// asWriteError wraps a failed write in a WriteError when it is one.
func asWriteError(path string, err error) error {
	var we *WriteError
	if err == nil || errors.As(err, &we) || !writeProblem(err) {
		return err
	}
	return &WriteError{Path: path, Cause: err}
}
