package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Tx is one transaction. Everything done through one Tx is committed
// together or not at all. A Tx must not be used after its function returns.
type Tx struct {
	tx       *bolt.Tx
	path     string
	pages    *memo[Page]
	profiles *memo[Profile]
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(*Tx) error) (err error) {
	defer db.recoverDamage(&err)
	return db.bolt.View(func(tx *bolt.Tx) error { return fn(db.tx(tx)) })
}

// Update runs fn in a read-write transaction, committed if fn returns nil.
// A write the disk refuses (full, read-only, no permission) is a *WriteError.
func (db *DB) Update(fn func(*Tx) error) (err error) {
	defer db.recoverDamage(&err)
	err = db.bolt.Update(func(tx *bolt.Tx) error { return fn(db.tx(tx)) })
	return asWriteError(db.path, err)
}

func (db *DB) tx(tx *bolt.Tx) *Tx {
	return &Tx{tx: tx, path: db.path, pages: &db.pages, profiles: &db.profiles}
}

// recoverDamage turns a panic inside bbolt (damage that appeared after Open
// validated the file) into a CorruptError; bbolt has rolled the transaction
// back by then.
func (db *DB) recoverDamage(err *error) {
	if r := recover(); r != nil {
		*err = &CorruptError{Path: db.path, Cause: fmt.Errorf("%v", r)}
	}
}

func view[T any](db *DB, fn func(*Tx) (T, error)) (T, error) {
	var out T
	err := db.View(func(tx *Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

func update[T any](db *DB, fn func(*Tx) (T, error)) (T, error) {
	var out T
	err := db.Update(func(tx *Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// ---- Profiles

// GetProfile returns the profile id, or ErrNotFound.
func (tx *Tx) GetProfile(id string) (Profile, error) {
	raw, err := tx.raw(bucketProfiles, "profile", id)
	if err != nil {
		return Profile{}, err
	}
	return decode(tx, tx.profiles, "profile", []byte(id), raw)
}

// PutProfile creates or replaces a profile.
func (tx *Tx) PutProfile(p Profile) error {
	if err := checkID("profile", p.ID); err != nil {
		return err
	}
	p.normalize()
	return put(tx, bucketProfiles, tx.profiles, p.ID, p)
}

// put encodes and stores rec, and leaves it in the memo for the next read.
func put[T record[T]](tx *Tx, bucket []byte, m *memo[T], id string, rec T) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := tx.tx.Bucket(bucket).Put([]byte(id), raw); err != nil {
		return err
	}
	m.written(id, raw, rec)
	return nil
}

// ListProfiles returns every profile, ordered by ID.
func (tx *Tx) ListProfiles() ([]Profile, error) {
	keys, profiles, err := list(tx, bucketProfiles, func(id, raw []byte) (Profile, error) {
		return decode(tx, tx.profiles, "profile", id, raw)
	})
	if err == nil {
		tx.profiles.keepOnly(keys)
	}
	return profiles, err
}

// DeleteProfile removes a profile; a missing one is not an error. The
// profile's Pages are left alone: the caller decides what becomes of them.
func (tx *Tx) DeleteProfile(id string) error {
	if err := checkID("profile", id); err != nil {
		return err
	}
	return tx.tx.Bucket(bucketProfiles).Delete([]byte(id))
}

// ---- Pages

// GetPage returns the Page id, or ErrNotFound.
func (tx *Tx) GetPage(id string) (Page, error) {
	raw, err := tx.raw(bucketPages, "Page", id)
	if err != nil {
		return Page{}, err
	}
	p, err := tx.decodePage([]byte(id), raw)
	if err != nil {
		return Page{}, err
	}
	return tx.withStamps(p)
}

func (tx *Tx) decodePage(id, raw []byte) (Page, error) { return decode(tx, tx.pages, "Page", id, raw) }

// decode reads a record, from the memo when it has these bytes.
func decode[T record[T]](tx *Tx, m *memo[T], what string, id, raw []byte) (T, error) {
	if rec, ok := m.get(string(id), raw); ok {
		return rec, nil
	}
	var rec T
	if err := json.Unmarshal(raw, &rec); err != nil {
		return rec, tx.corrupt(what, string(id), err)
	}
	m.put(string(id), raw, rec)
	return rec, nil
}

// PutPage creates or replaces a Page.
func (tx *Tx) PutPage(p Page) error {
	if err := checkID("Page", p.ID); err != nil {
		return err
	}
	p.normalize()
	if err := put(tx, bucketPages, tx.pages, p.ID, p); err != nil {
		return err
	}
	return tx.dropStamps(p.ID)
}

// CountPages counts the Pages keep says yes to, without copying them out:
// keep must neither change nor hold on to the Page it is shown, and is
// shown the record without its latest check times.
func (tx *Tx) CountPages(keep func(*Page) bool) (int, error) {
	n := 0
	err := tx.tx.Bucket(bucketPages).ForEach(func(k, raw []byte) error {
		p, ok := tx.pages.peek(string(k), raw)
		if !ok {
			var err error
			if p, err = tx.decodePage(k, raw); err != nil {
				return err
			}
		}
		if keep(&p) {
			n++
		}
		return nil
	})
	return n, err
}

// ListPages returns every Page, ordered by ID.
func (tx *Tx) ListPages() ([]Page, error) {
	keys, pages, err := list(tx, bucketPages, tx.decodePage)
	if err != nil {
		return nil, err
	}
	tx.pages.keepOnly(keys)
	for i := range pages {
		if pages[i], err = tx.withStamps(pages[i]); err != nil {
			return nil, err
		}
	}
	return pages, nil
}

// UpdatePage reads the Page id, lets fn change it and writes it back. If fn
// returns an error nothing is written. fn may not change the ID.
func (tx *Tx) UpdatePage(id string, fn func(*Page) error) (Page, error) {
	p, err := tx.GetPage(id)
	if err != nil {
		return Page{}, err
	}
	if p, err = mutated(p, id, fn); err != nil {
		return Page{}, err
	}
	return p, tx.PutPage(p)
}

// mutated is what fn makes of p, the Page id, which is fn's to change; fn
// may not change the ID.
func mutated(p Page, id string, fn func(*Page) error) (Page, error) {
	if err := fn(&p); err != nil {
		return Page{}, err
	}
	if p.ID != id {
		return Page{}, fmt.Errorf("store: updating Page %s: the ID may not change (to %q)", id, p.ID)
	}
	return p, nil
}

// ---- Status history and activity log

// AppendStatus adds change to the end of the Page's status history. A zero
// At is taken as now.
func (tx *Tx) AppendStatus(pageID string, change StatusChange) error {
	if change.To == "" {
		return fmt.Errorf("store: status change of Page %s has no new status", pageID)
	}
	change.At = stamp(change.At)
	_, err := tx.appendLog(bucketHistory, pageID, func(uint64) any { return change })
	return err
}

// StatusHistory returns the Page's status changes, oldest first.
func (tx *Tx) StatusHistory(pageID string) ([]StatusChange, error) {
	out := []StatusChange{}
	err := tx.walkLog(bucketHistory, pageID, false, 0, func(raw []byte) error {
		var c StatusChange
		err := json.Unmarshal(raw, &c)
		out = append(out, c)
		return err
	})
	return out, err
}

// AppendActivity adds a to the Page's activity log and returns it with its
// Seq. A zero At is taken as now. The log has no update or delete.
func (tx *Tx) AppendActivity(pageID string, a Activity) (Activity, error) {
	if a.Kind == "" {
		return Activity{}, fmt.Errorf("store: activity of Page %s has no kind", pageID)
	}
	a.At = stamp(a.At)
	seq, err := tx.appendLog(bucketActivity, pageID, func(seq uint64) any { a.Seq = seq; return a })
	if err != nil {
		return Activity{}, err
	}
	a.Seq = seq
	return a, nil
}

// Activity returns the Page's newest activity first, at most limit entries
// (all when limit <= 0).
func (tx *Tx) Activity(pageID string, limit int) ([]Activity, error) {
	return tx.activity(pageID, true, limit)
}

// AllActivity returns the Page's whole activity log, oldest first.
func (tx *Tx) AllActivity(pageID string) ([]Activity, error) {
	return tx.activity(pageID, false, 0)
}

func (tx *Tx) activity(pageID string, newestFirst bool, limit int) ([]Activity, error) {
	out := []Activity{}
	err := tx.walkLog(bucketActivity, pageID, newestFirst, limit, func(raw []byte) error {
		var a Activity
		err := json.Unmarshal(raw, &a)
		out = append(out, a)
		return err
	})
	return out, err
}

// RecordTransition applies mutate to the Page and appends change (if not nil)
// to its history and acts to its log, all in this one transaction. An empty
// change.From or change.To is filled with the Page's status before and after
// mutate.
func (tx *Tx) RecordTransition(pageID string, mutate func(*Page) error, change *StatusChange, acts ...Activity) (Page, error) {
	return tx.record(&Draft{base: Page{ID: pageID}, mutate: mutate}, change, acts)
}

// Draft is a change to one Page worked out before its transaction: what
// mutate makes of base, already encoded. A check drafts each Page as its
// answer arrives, while the network is still busy with the others, so its
// one transaction at the end only has to write.
type Draft struct {
	base   Page
	mutate func(*Page) error
	after  Page
	ready  bool   // after is worked out (false: RecordTransition)
	raw    []byte // after encoded, unless only its check times changed
	stored *Page  // what the memo keeps of after, nil if nothing
	// stampsOnly: after is base with other check times, which are written
	// apart from the record (stamps.go).
	stampsOnly bool
}

// NewDraft works out what mutate makes of base, which the caller read
// earlier and must not change afterwards.
func NewDraft(base Page, mutate func(*Page) error) (*Draft, error) {
	after, err := mutated(base.clone(), base.ID, mutate)
	if err != nil {
		return nil, err
	}
	if err := checkID("Page", after.ID); err != nil {
		return nil, err
	}
	after.normalize()
	d := &Draft{base: base, mutate: mutate, after: after, ready: true, stampsOnly: after.sameBesideStamps(base)}
	if d.stampsOnly {
		return d, nil
	}
	raw, err := json.Marshal(after)
	if err != nil {
		return nil, err
	}
	d.raw = raw
	if after.textValid() { // worked out here, not in the transaction
		stored := after.asStored().clone()
		d.stored = &stored
	}
	return d, nil
}

// RecordDraft is RecordTransition with mutate worked out beforehand: when
// the stored Page is still the draft's base, its encoding is written as it
// is; when something changed the Page since, mutate is applied to what is
// stored now.
func (tx *Tx) RecordDraft(d *Draft, change *StatusChange, acts ...Activity) (Page, error) {
	return tx.record(d, change, acts)
}

func (tx *Tx) record(d *Draft, change *StatusChange, acts []Activity) (Page, error) {
	pageID := d.base.ID
	raw, err := tx.raw(bucketPages, "Page", pageID)
	if err != nil {
		return Page{}, err
	}
	// The Page as stored now: the memo's own, only read here, or decoded.
	before, ok := tx.pages.peek(pageID, raw)
	if !ok {
		if before, err = tx.decodePage([]byte(pageID), raw); err != nil {
			return Page{}, err
		}
	}
	if before, err = tx.withStamps(before); err != nil {
		return Page{}, err
	}
	var after Page
	switch unchanged := d.ready && before.sameRecord(d.base); {
	case unchanged && d.stampsOnly:
		after = d.after
		var stamped bool
		if stamped, err = tx.putStamps(after); err == nil && !stamped {
			err = tx.PutPage(after) // a file with no place for them
		}
	case unchanged:
		after = d.after
		err = tx.tx.Bucket(bucketPages).Put([]byte(pageID), d.raw)
		if err == nil && d.stored != nil {
			tx.pages.own(pageID, d.raw, *d.stored)
		}
		if err == nil {
			err = tx.dropStamps(pageID)
		}
	default:
		// mutate gets a copy of its own.
		if after, err = mutated(before.clone(), pageID, d.mutate); err != nil {
			return Page{}, err
		}
		err = tx.PutPage(after)
	}
	if err != nil {
		return Page{}, err
	}
	if change != nil {
		c := *change
		if c.From == "" {
			c.From = before.Status
		}
		if c.To == "" {
			c.To = after.Status
		}
		if err := tx.AppendStatus(pageID, c); err != nil {
			return Page{}, err
		}
	}
	for _, a := range acts {
		if _, err := tx.AppendActivity(pageID, a); err != nil {
			return Page{}, err
		}
	}
	return after, nil
}

// ---- helpers

func checkID(what, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("store: %s ID is empty", what)
	case len(id) > 256:
		return fmt.Errorf("store: %s ID is %d bytes long, at most 256 are allowed", what, len(id))
	}
	return nil
}

func stamp(t time.Time) time.Time {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Round(0)
}

func (tx *Tx) corrupt(what, id string, err error) error {
	if id != "" {
		what += " " + id
	}
	return &CorruptError{Path: tx.path, Cause: fmt.Errorf("the record of %s is damaged: %w", what, err)}
}

// raw is the stored record id of bucket, valid while the transaction is.
func (tx *Tx) raw(bucket []byte, what, id string) ([]byte, error) {
	if err := checkID(what, id); err != nil {
		return nil, err
	}
	raw := tx.tx.Bucket(bucket).Get([]byte(id))
	if raw == nil {
		return nil, fmt.Errorf("%s %s: %w", what, id, ErrNotFound)
	}
	return raw, nil
}

// list decodes every record of bucket (ordered by key) and returns their
// keys too. Decoding is nearly all of its cost, so large buckets are decoded
// on all cores; the raw bytes stay valid because the transaction is open
// until list returns.
func list[T any](tx *Tx, bucket []byte, decode func(key, raw []byte) (T, error)) ([][]byte, []T, error) {
	var keys, raws [][]byte
	err := tx.tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		keys, raws = append(keys, k), append(raws, v)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	out := make([]T, len(raws))
	workers := min(runtime.GOMAXPROCS(0), len(raws)/parallelMin+1)
	chunk := (len(raws) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * chunk; i < min(len(raws), (w+1)*chunk); i++ {
				if out[i], errs[w] = decode(keys[i], raws[i]); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return keys, out, nil
}

// parallelMin is the number of records below which one goroutine decodes all.
const parallelMin = 512

// appendLog stores the value made for the next sequence number in the Page's
// nested bucket of parent. The Page must exist, so no log outlives its Page
// unnoticed.
func (tx *Tx) appendLog(parent []byte, pageID string, value func(seq uint64) any) (uint64, error) {
	if _, err := tx.GetPage(pageID); err != nil {
		return 0, err
	}
	b, err := tx.tx.Bucket(parent).CreateBucketIfNotExists([]byte(pageID))
	if err != nil {
		return 0, err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	raw, err := json.Marshal(value(seq))
	if err != nil {
		return 0, err
	}
	return seq, b.Put(seqKey(seq), raw)
}

// walkLog calls fn with the Page's log entries, in order or newest first,
// stopping after limit entries when limit > 0.
func (tx *Tx) walkLog(parent []byte, pageID string, newestFirst bool, limit int, fn func(raw []byte) error) error {
	if _, err := tx.GetPage(pageID); err != nil {
		return err
	}
	b := tx.tx.Bucket(parent).Bucket([]byte(pageID))
	if b == nil {
		return nil
	}
	c := b.Cursor()
	first, next := c.First, c.Next
	if newestFirst {
		first, next = c.Last, c.Prev
	}
	n := 0
	for k, v := first(); k != nil && (limit <= 0 || n < limit); k, v = next() {
		if err := fn(v); err != nil {
			return tx.corrupt("log entry of Page", fmt.Sprintf("%s #%d", pageID, binary.BigEndian.Uint64(k)), err)
		}
		n++
	}
	return nil
}

func seqKey(seq uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, seq)
	return k
}
