// Package store keeps Pagekeeper's metadata (profiles, Pages, their status
// history and activity log, settings) in one bbolt file. It never holds a
// secret: tokens and the app secret live in backend/vault.
//
// It follows hashicorp/raft-boltdb's habits: the buckets are declared once
// below, every value is decoded (so copied) out of its transaction, and the
// file is always opened with a timeout so a second instance fails instead of
// hanging.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Buckets, declared once. history and activity hold one nested bucket per
// Page, keyed by an 8-byte big-endian sequence so cursors walk them in order.
var (
	bucketMeta     = []byte("meta")
	bucketProfiles = []byte("profiles")
	bucketPages    = []byte("pages")
	bucketHistory  = []byte("history")
	bucketActivity = []byte("activity")
	bucketChecked  = []byte("checked") // Page ID -> its check times, written apart (stamps.go)

	keySchemaVersion = []byte("schema_version")
	keySettings      = []byte("settings")
)

// openTimeout is how long Open waits for another process's lock on the file.
const openTimeout = time.Second

var (
	// ErrNotFound is returned when a requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAlreadyRunning is returned (wrapped with the folder) when another
	// process holds the database open.
	ErrAlreadyRunning = errors.New("another Pagekeeper is already running")
)

// CorruptError means the database file exists but is damaged. The file is
// never replaced or deleted by Pagekeeper; the message says how to get out.
type CorruptError struct {
	Path  string
	Cause error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("the Pagekeeper database %s cannot be read (%v); it was left as it is: move it aside (for example rename it to %s.broken) and start Pagekeeper again to begin with an empty one, then reconnect your Facebook account",
		e.Path, e.Cause, filepath.Base(e.Path))
}

func (e *CorruptError) Unwrap() error { return e.Cause }

// VersionError means the file was written by a newer Pagekeeper.
type VersionError struct {
	Path      string
	Found     int
	Supported int
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("the Pagekeeper database %s was written by a newer Pagekeeper (data version %d, this one knows up to %d): install the newer Pagekeeper again; the file was left as it is",
		e.Path, e.Found, e.Supported)
}

// DB is an open Pagekeeper database. It is safe for concurrent use.
type DB struct {
	bolt     *bolt.DB
	path     string
	pages    memo[Page]
	profiles memo[Profile]
}

// Open opens (creating if needed, mode 0600) the database at path and brings
// its schema up to date. An existing file is first read whole, read-only
// (validate): a damaged one is refused with a *CorruptError and left exactly
// as it was; one that cannot be written gives a *WriteError.
func Open(path string) (*DB, error) { return OpenWait(path, openTimeout) }

// OpenWait is Open waiting up to wait for another process to release the
// file (the command line waits for another command this way).
func OpenWait(path string, wait time.Duration) (*DB, error) {
	if wait <= 0 {
		wait = openTimeout // bbolt's zero Timeout would wait forever
	}
	return openWith(path, migrations, wait)
}

func openWith(path string, migs []migration, wait time.Duration) (db *DB, err error) {
	if path == "" {
		return nil, errors.New("store: no database path given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	st, statErr := os.Stat(abs)
	if statErr == nil && !st.Mode().IsRegular() {
		return nil, &CorruptError{Path: abs, Cause: errors.New("it is not a regular file")}
	}
	if statErr == nil && st.Size() > 0 {
		// Read-only and whole, before anything may write to it.
		if err := validate(abs, st.Size(), wait); err != nil {
			return nil, err
		}
	}
	b, err := bolt.Open(abs, 0o600, &bolt.Options{Timeout: wait})
	if err != nil {
		return nil, openError(abs, err)
	}
	db = &DB{bolt: b, path: abs}
	if err := db.migrate(migs); err != nil {
		b.Close()
		return nil, asWriteError(abs, err)
	}
	return db, nil
}

// Close releases the file (and its lock).
func (db *DB) Close() error { return db.bolt.Close() }

// Path is the absolute path of the database file.
func (db *DB) Path() string { return db.path }
