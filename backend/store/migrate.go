package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migration brings the schema from version to-1 to version to. Each runs in
// its own transaction together with the version bump, so a crash leaves the
// file at the last completed version.
type migration struct {
	to   int
	name string
	up   func(tx *bolt.Tx) error
}

// migrations is the schema's history; append, never edit or reorder.
var migrations = []migration{
	{1, "create buckets", func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketProfiles, bucketPages, bucketHistory, bucketActivity} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	}},
	{2, "check times apart from the Page records", func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketChecked)
		return err
	}},
}

// SchemaVersion is the version this build writes.
func SchemaVersion() int { return len(migrations) }

func (db *DB) migrate(migs []migration) error {
	for i, m := range migs {
		if m.to != i+1 {
			return fmt.Errorf("store: migration %q is numbered %d, want %d", m.name, m.to, i+1)
		}
	}
	current, err := db.schemaVersion()
	if err != nil {
		return err
	}
	if current > len(migs) {
		return &VersionError{Path: db.path, Found: current, Supported: len(migs)}
	}
	for _, m := range migs[current:] {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			if err := m.up(tx); err != nil {
				return err
			}
			return meta.Put(keySchemaVersion, encodeVersion(m.to))
		})
		if err != nil {
			return fmt.Errorf("store: upgrading %s to data version %d (%s): %w", db.path, m.to, m.name, err)
		}
	}
	return nil
}

// schemaVersion reads the stored version: 0 for a new, empty file. A file
// that has buckets but no version is another program's bbolt file, and is
// refused rather than written into.
func (db *DB) schemaVersion() (int, error) {
	version := 0
	err := db.bolt.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			foreign := false
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { foreign = true; return nil })
			if foreign {
				return &CorruptError{Path: db.path, Cause: errors.New("it is a bbolt file, but not Pagekeeper's")}
			}
			return nil
		}
		raw := meta.Get(keySchemaVersion)
		if len(raw) != 8 {
			return &CorruptError{Path: db.path, Cause: errors.New("its data version is missing or malformed")}
		}
		version = int(binary.BigEndian.Uint64(raw))
		return nil
	})
	return version, err
}

func encodeVersion(v int) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(v))
	return b
}
