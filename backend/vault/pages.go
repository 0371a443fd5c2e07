package vault

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// The Vault's side of the numbered Page token entries (shelf.go): reading
// them, writing a change, moving the old layout over. Every method here
// runs with wmu held.

// readPages reads the numbered entries unless this process has them, the
// entries of keys alongside (one round trip where the Secrets is a
// Scanner), and the old layout's entries of pageIDs found in no numbered
// entry.
func (v *Vault) readPages(pageIDs []string, keys ...string) error {
	v.mu.Lock()
	sh := v.pages
	v.mu.Unlock()
	if sh == nil {
		var got map[string]string
		var err error
		if sh, got, err = v.readShelf(keys); err != nil {
			return err
		}
		v.mu.Lock()
		v.pages = sh
		if got != nil {
			for _, key := range keys {
				v.known[key] = got[key]
			}
			keys = nil
		}
		v.mu.Unlock()
	}
	var old []string
	v.mu.Lock()
	for _, id := range pageIDs {
		if _, decided := sh.lookup(id); !decided {
			old = append(old, prefixPageToken+id)
		}
	}
	v.mu.Unlock()
	got, err := v.fetch(append(keys, old...))
	if err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, key := range keys {
		v.known[key] = got[key]
	}
	for _, key := range old {
		sh.legacy[strings.TrimPrefix(key, prefixPageToken)] = got[key]
	}
	return nil
}

// readPageToken reads a Page's token from the keychain ("" none).
func (v *Vault) readPageToken(pageID string) (string, error) {
	v.wmu.Lock()
	defer v.wmu.Unlock()
	read := func() (string, error) {
		if err := v.readPages([]string{pageID}); err != nil {
			return "", err
		}
		v.mu.Lock()
		defer v.mu.Unlock()
		tok, _ := v.pages.lookup(pageID)
		return tok, nil
	}
	v.mu.Lock()
	fresh := v.pages == nil
	v.mu.Unlock()
	tok, err := read()
	if _, scans := v.s.(Scanner); tok == "" && err == nil && fresh && !scans {
		// Read one by one, the entries can be read half before and half
		// after another process moved this Page from one to another
		// (`pagekeeper token` beside the window): once more.
		v.mu.Lock()
		v.pages = nil
		v.mu.Unlock()
		tok, err = read()
	}
	return tok, err
}

// readShelf reads the numbered entries: a Scanner lists them (and the old
// layout's, and the entries of keys, which it returns) in one round trip;
// otherwise they are read one by one up to the first missing number.
func (v *Vault) readShelf(keys []string) (*shelf, map[string]string, error) {
	found := map[int]string{}
	sc, ok := v.s.(Scanner)
	if !ok {
		for n := 0; ; n++ {
			value, err := v.s.Get(chunkKey(n))
			if errors.Is(err, ErrNotFound) {
				break
			}
			if err != nil {
				return nil, nil, err
			}
			found[n] = value
		}
		sh, err := newShelf(found)
		return sh, nil, err
	}
	all, err := sc.Scan(keys, []string{prefixChunk, prefixPageToken})
	if err != nil {
		return nil, nil, err
	}
	legacy, got := map[string]string{}, map[string]string{}
	for key, value := range all {
		if rest, ok := strings.CutPrefix(key, prefixChunk); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 && strconv.Itoa(n) == rest {
				found[n] = value
			}
		} else if id, ok := strings.CutPrefix(key, prefixPageToken); ok {
			legacy[id] = value
		} else {
			got[key] = value
		}
	}
	sh, err := newShelf(found)
	if err != nil {
		return nil, nil, err
	}
	sh.legacy, sh.legacyAll = legacy, true
	return sh, got, nil
}

// writePages sets the Pages of changes to their tokens ("" takes a Page
// out of the numbered entries), stores the entries of also in the same
// round, and deletes the old layout's entries of oldOf (first: the
// numbered entry still holds the token if the rest fails).
func (v *Vault) writePages(changes, also map[string]string, oldOf []string) error {
	v.wmu.Lock()
	defer v.wmu.Unlock()
	return v.writePagesLocked(changes, also, oldOf)
}

func (v *Vault) writePagesLocked(changes, also map[string]string, oldOf []string) error {
	// Another process may have written the entries since this one read
	// them: two data folders with the same keychain service, each owned by
	// its own process. A write from this copy would drop its Pages.
	v.mu.Lock()
	was := v.pages
	v.pages = nil
	v.mu.Unlock()
	if err := v.readPages(nil); err != nil {
		return err
	}
	v.mu.Lock()
	sh := v.pages
	if was != nil {
		sh.keep(was)
	}
	var old []string
	for _, id := range oldOf {
		if sh.legacyMayHold(id) {
			old = append(old, prefixPageToken+id)
		}
	}
	v.mu.Unlock()
	if err := v.deleteEntries(old); err != nil {
		return err
	}
	v.mu.Lock()
	for _, key := range old {
		sh.legacy[strings.TrimPrefix(key, prefixPageToken)] = ""
	}
	v.mu.Unlock()
	// Only this goroutine changes sh (wmu); readers beside it only read.
	p, err := sh.plan(changes, v.capacity)
	if err != nil {
		return err
	}
	err = v.store(p, len(sh.chunks), also)
	v.mu.Lock()
	defer v.mu.Unlock()
	if err != nil {
		// Some entries may be written, some not: read them again.
		v.pages = nil
		for key := range also {
			delete(v.known, key)
		}
		for _, tok := range slices.AppendSeq(p.tokens(), maps.Values(also)) {
			err = redactAll(err, tok)
		}
		return err
	}
	sh.commit(p)
	maps.Copy(v.known, also)
	return nil
}

// store does what p says, in its order; have is how many numbered entries
// there were.
func (v *Vault) store(p *plan, have int, also map[string]string) error {
	var stray []string
	for _, n := range slices.Backward(p.stray) {
		stray = append(stray, chunkKey(n))
	}
	if err := v.deleteEntries(stray); err != nil {
		return err
	}
	// New entries go with the first round. Added all at once, some could
	// fail and leave a gap hiding those after it: a Scanner lists those
	// (and the next write fills the gap); elsewhere they are added one
	// after another.
	first := p.entries(p.first, p.gen)
	maps.Copy(first, also)
	_, scans := v.s.(Scanner)
	var later []map[string]string
	for i, m := range p.added {
		entry := p.entries(map[int]map[string]string{have + i: m}, p.gen)
		if i == 0 || scans {
			maps.Copy(first, entry)
		} else {
			later = append(later, entry)
		}
	}
	for _, entries := range slices.Insert(later, 0, first) {
		if err := v.setEntries(entries); err != nil {
			return err
		}
	}
	if err := v.setEntries(p.entries(p.second, p.gen+1)); err != nil {
		return err
	}
	// Emptied entries at the end go last first: a Secrets without a
	// Scanner stops at the first failure, which leaves no gap.
	var emptied []string
	for n := p.total - 1; n >= p.drop; n-- {
		emptied = append(emptied, chunkKey(n))
	}
	return v.deleteEntries(emptied)
}

// setEntries stores entries together where the Secrets can.
func (v *Vault) setEntries(entries map[string]string) error {
	if len(entries) == 0 {
		return nil
	}
	if b, ok := v.s.(Bulk); ok {
		return b.SetMany(entries)
	}
	for key, value := range entries {
		if err := v.s.Set(key, value); err != nil {
			return err
		}
	}
	return nil
}

// deleteEntries deletes keys together where the Secrets can.
func (v *Vault) deleteEntries(keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if b, ok := v.s.(Bulk); ok {
		return b.DeleteMany(keys)
	}
	for _, key := range keys {
		if err := v.s.Delete(key); err != nil {
			return err
		}
	}
	return nil
}

// Migrate moves the Page tokens of pageIDs that are still in the old
// layout (one entry per Page) into the numbered entries, then deletes the
// old entries; the first entry then says so. pageIDs are every Page a
// token may be kept for (the data folder's Pages that are not
// disconnected), gone the data folder's other Pages, whose old entries are
// deleted, and only the process that owns the data folder calls it. An old
// entry of a Page in neither, found by a Scanner (another data folder's,
// on the same keychain service), is moved too. A crash at any point leaves
// each token in the numbered entries, the old one, or both (where the numbered one is
// read); the next Migrate goes on. When there is nothing to move it reads
// the keychain at most once per process.
func (v *Vault) Migrate(pageIDs []string, gone ...string) error {
	for _, id := range slices.Concat(pageIDs, gone) {
		if _, err := keyFor(prefixPageToken, id); err != nil {
			return err
		}
	}
	v.wmu.Lock()
	if err := v.readPages(pageIDs); err != nil {
		v.wmu.Unlock()
		return err
	}
	v.mu.Lock()
	sh := v.pages
	moves := map[string]string{}
	var old []string
	for _, id := range pageIDs {
		if _, in := sh.where[id]; !in && sh.legacy[id] != "" {
			moves[id] = sh.legacy[id]
		}
		if sh.legacyMayHold(id) {
			old = append(old, prefixPageToken+id)
		}
	}
	known := map[string]bool{}
	for _, id := range pageIDs {
		known[id] = true
	}
	for _, id := range gone {
		known[id] = true
		if sh.legacyMayHold(id) {
			old = append(old, prefixPageToken+id)
		}
	}
	if sh.legacyAll { // a scan also found entries of Pages this folder does not know
		for id, tok := range sh.legacy {
			if tok == "" || known[id] {
				continue
			}
			if _, in := sh.where[id]; !in {
				moves[id] = tok
			}
			old = append(old, prefixPageToken+id)
		}
	}
	done := sh.migrated && len(old) == 0
	v.mu.Unlock()
	var err error
	if !done && len(moves) > 0 {
		err = v.writePagesLocked(moves, nil, nil)
	}
	v.wmu.Unlock()
	if done || err != nil {
		return err
	}
	// gnome-keyring rewrites its file for each entry deleted, so this can
	// take seconds: it runs without the write lock, every token it
	// deletes being in the numbered entries already.
	if err := v.deleteEntries(old); err != nil {
		return err
	}
	v.wmu.Lock()
	defer v.wmu.Unlock()
	if err := v.readPages(nil); err != nil {
		return err
	}
	v.mu.Lock()
	sh = v.pages
	for _, key := range old {
		sh.legacy[strings.TrimPrefix(key, prefixPageToken)] = ""
	}
	sh.migrated = true
	v.mu.Unlock()
	return v.writePagesLocked(nil, nil, nil) // the first entry says so
}
