package store

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// memo remembers each record's decoded form beside the exact bytes it was
// decoded from. A check of 1,000 Pages reads every Page record several
// times (the monitor, its transaction, the window's snapshot after it), and
// each person's record, which lists every Page they manage, as often;
// decoding JSON was most of that. A hit needs the stored bytes to be equal,
// so the memo can only ever give what decoding the file would give; every
// caller gets a copy of its own.
type memo[T record[T]] struct {
	mu sync.Mutex
	m  map[string]memoEntry[T]
}

// record is what the memo needs of a record type.
type record[T any] interface {
	clone() T        // a deep copy
	asStored() T     // what decoding its encoding gives
	textValid() bool // whether encoding keeps its texts as they are
}

type memoEntry[T any] struct {
	raw []byte
	rec T
}

// get is the decoded form of raw, the stored record id, if known.
func (m *memo[T]) get(id string, raw []byte) (T, bool) {
	rec, ok := m.peek(id, raw)
	if ok {
		rec = rec.clone()
	}
	return rec, ok
}

// peek is get without the copy, for reading in place.
func (m *memo[T]) peek(id string, raw []byte) (T, bool) {
	m.mu.Lock()
	e, ok := m.m[id]
	m.mu.Unlock()
	if !ok || !bytes.Equal(e.raw, raw) {
		var zero T
		return zero, false
	}
	return e.rec, true
}

// put remembers that raw decodes to rec, which must be what decoding raw
// gives; raw may point into the file's memory map, so it is copied.
func (m *memo[T]) put(id string, raw []byte, rec T) {
	m.own(id, bytes.Clone(raw), rec.clone())
}

// own is put of a raw and rec that nothing else will change.
func (m *memo[T]) own(id string, raw []byte, rec T) {
	e := memoEntry[T]{raw: raw, rec: rec}
	m.mu.Lock()
	if m.m == nil {
		m.m = map[string]memoEntry[T]{}
	}
	m.m[id] = e
	m.mu.Unlock()
}

// written remembers rec, just encoded as raw, for the next read (the
// window's snapshot after a check finds it decoded).
func (m *memo[T]) written(id string, raw []byte, rec T) {
	if rec.textValid() {
		m.put(id, raw, rec.asStored())
	}
}

// keepOnly forgets the records that are no longer stored (after a listing
// of all of them), so the memo does not outgrow the file.
func (m *memo[T]) keepOnly(keys [][]byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.m) <= len(keys) {
		return
	}
	for id := range m.m {
		if _, found := slices.BinarySearchFunc(keys, id, func(k []byte, id string) int { return strings.Compare(string(k), id) }); !found {
			delete(m.m, id)
		}
	}
}

// clone copies p deeply: a caller may change what it was given.
func (p Page) clone() Page {
	p.Tasks = slices.Clone(p.Tasks)
	p.Permissions = slices.Clone(p.Permissions)
	p.MissingPermissions = slices.Clone(p.MissingPermissions)
	p.MissingTasks = slices.Clone(p.MissingTasks)
	p.Features = maps.Clone(p.Features)
	if p.WebhooksSubscribed != nil {
		v := *p.WebhooksSubscribed
		p.WebhooksSubscribed = &v
	}
	return p
}

// sameRecord reports whether p and q make the same record: every field
// alike, an empty list or map as good as none (the record leaves both out),
// times the same instant. Cheaper than reflect.DeepEqual, which a check
// would call for each of its Pages inside its transaction.
func (p Page) sameRecord(q Page) bool {
	return p.ID == q.ID && p.Name == q.Name && p.ProfileID == q.ProfileID && p.Category == q.Category &&
		p.InstagramID == q.InstagramID && p.InstagramUsername == q.InstagramUsername &&
		slices.Equal(p.Tasks, q.Tasks) && slices.Equal(p.Permissions, q.Permissions) &&
		slices.Equal(p.MissingPermissions, q.MissingPermissions) && slices.Equal(p.MissingTasks, q.MissingTasks) &&
		maps.Equal(p.Features, q.Features) &&
		(p.WebhooksSubscribed == nil) == (q.WebhooksSubscribed == nil) &&
		(p.WebhooksSubscribed == nil || *p.WebhooksSubscribed == *q.WebhooksSubscribed) &&
		p.Status == q.Status && p.Reason == q.Reason && p.Summary == q.Summary && p.Fix == q.Fix &&
		p.ConnectedAt.Equal(q.ConnectedAt) && p.CheckedAt.Equal(q.CheckedAt) && p.UpdatedAt.Equal(q.UpdatedAt) &&
		p.RolesCheckedAt.Equal(q.RolesCheckedAt) && p.WebhooksCheckedAt.Equal(q.WebhooksCheckedAt) &&
		p.DisconnectedAt.Equal(q.DisconnectedAt)
}

// textValid reports whether every text of p is valid UTF-8, which encoding
// keeps as it is (anything else comes back changed, so is not memoized).
func (p Page) textValid() bool {
	ok := validUTF8(p.ID, p.Name, p.ProfileID, p.Category, p.InstagramID, p.InstagramUsername,
		p.Status, p.Reason, p.Summary, p.Fix) &&
		validUTF8(p.Tasks...) && validUTF8(p.Permissions...) && validUTF8(p.MissingPermissions...) && validUTF8(p.MissingTasks...)
	for k, v := range p.Features {
		ok = ok && validUTF8(k, v)
	}
	return ok
}

func validUTF8(texts ...string) bool {
	for _, s := range texts {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

// asStored is p as decoding its record gives it back: the lists and the map
// that the record leaves out when empty come back nil. (normalize has
// already done the times.)
func (p Page) asStored() Page {
	for _, s := range []*[]string{&p.Tasks, &p.Permissions, &p.MissingPermissions, &p.MissingTasks} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	if len(p.Features) == 0 {
		p.Features = nil
	}
	return p
}

// clone copies p deeply: a caller may change what it was given.
func (p Profile) clone() Profile {
	p.Scopes = slices.Clone(p.Scopes)
	p.Declined = slices.Clone(p.Declined)
	if p.Manages != nil {
		m := make(map[string][]string, len(p.Manages))
		for id, tasks := range p.Manages {
			m[id] = slices.Clone(tasks)
		}
		p.Manages = m
	}
	return p
}

// asStored is p as decoding its record gives it back (see Page.asStored).
func (p Profile) asStored() Profile {
	for _, s := range []*[]string{&p.Scopes, &p.Declined} {
		if len(*s) == 0 {
			*s = nil
		}
	}
	if len(p.Manages) == 0 {
		p.Manages = nil
	}
	return p
}

// textValid: see Page.textValid.
func (p Profile) textValid() bool {
	ok := validUTF8(p.ID, p.Name, p.Status, p.Reason, p.Fix) && validUTF8(p.Scopes...) && validUTF8(p.Declined...)
	for id, tasks := range p.Manages {
		ok = ok && validUTF8(id) && validUTF8(tasks...)
	}
	return ok
}
