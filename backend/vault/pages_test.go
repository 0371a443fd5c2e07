package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// token is a Page token of about the size Facebook's have.
func token(id string, round int) string {
	return fmt.Sprintf("EAAR%dx%s%s", round, id, strings.Repeat("Z", 180))
}

// pageTokens gives n Pages from the ID first on a token each.
func pageTokens(first, n, round int) map[string]string {
	out := map[string]string{}
	for i := range n {
		id := fmt.Sprint(first + i)
		out[id] = token(id, round)
	}
	return out
}

// numbered returns the numbered entries of s by number, checking that they
// have no gap and each fits in capacity.
func numbered(t *testing.T, s interface {
	Scan(keys, prefixes []string) (map[string]string, error)
}, capacity int) []chunkValue {
	t.Helper()
	all, err := s.Scan(nil, []string{prefixChunk})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]chunkValue, len(all))
	for n := range len(all) {
		raw, ok := all[chunkKey(n)]
		if !ok {
			t.Fatalf("the numbered entries have a gap at %d: %v", n, slices.Collect(maps.Keys(all)))
		}
		if len(raw) > capacity {
			t.Fatalf("%s is %d bytes, more than %d", chunkKey(n), len(raw), capacity)
		}
		if err := json.Unmarshal([]byte(raw), &out[n]); err != nil {
			t.Fatalf("%s: %v", chunkKey(n), err)
		}
	}
	return out
}

func TestPageTokensSpreadOverFewEntries(t *testing.T) {
	c, s := newCounting(true)
	v := New(s)
	v.capacity = 1200 // five tokens an entry, as Windows' 2,560 bytes hold ten
	want := pageTokens(1000, 60, 1)
	if err := v.SetTokens("9", "EAAuser", want); err != nil {
		t.Fatal(err)
	}
	entries := numbered(t, c.m, v.capacity)
	if len(entries) != 12 || c.bulks != 1 {
		t.Fatalf("60 tokens took %d entries in %d calls, want 12 in 1", len(entries), c.bulks)
	}

	// A fresh process reads every one.
	check := func(want map[string]string) {
		t.Helper()
		fresh := New(s)
		fresh.capacity = v.capacity
		for id, tok := range want {
			if got, err := fresh.PageToken(id); got != tok || err != nil {
				t.Fatalf("PageToken(%s) = %q, %v; want %q", id, got, err, tok)
			}
		}
	}
	check(want)

	// One token changed rewrites its entry only.
	c.reset()
	want["1031"] = token("1031", 2)
	if err := v.SetPageToken("1031", want["1031"]); err != nil {
		t.Fatal(err)
	}
	if len(c.wrote) != 1 || !slices.Equal(c.wrote[0], []string{"page-tokens:6"}) {
		t.Fatalf("changing one token wrote %v", c.wrote)
	}
	// Deleted from a middle entry: that entry only, and the Page is gone.
	c.reset()
	delete(want, "1032")
	if err := v.DeletePageToken("1032"); err != nil {
		t.Fatal(err)
	}
	if len(c.wrote) != 1 || !slices.Equal(c.wrote[0], []string{"page-tokens:6"}) {
		t.Fatalf("deleting one token wrote %v", c.wrote)
	}
	if _, err := New(s).PageToken("1032"); err != ErrNotFound {
		t.Fatalf("a deleted token reads %v", err)
	}
	check(want)

	// A new Page fills the room the deleted one left, not a new entry.
	c.reset()
	want["2000"] = token("2000", 1)
	if err := v.SetPageToken("2000", want["2000"]); err != nil {
		t.Fatal(err)
	}
	if len(c.wrote) != 1 || !slices.Equal(c.wrote[0], []string{"page-tokens:6"}) || len(numbered(t, c.m, v.capacity)) != 12 {
		t.Fatalf("a new token wrote %v", c.wrote)
	}
	// A token that outgrows its entry moves: the entry taking it is
	// written first, the one giving it up after, with a later gen.
	c.reset()
	want["1000"] = token("1000", 3) + strings.Repeat("Y", 500)
	if err := v.SetPageToken("1000", want["1000"]); err != nil {
		t.Fatal(err)
	}
	entries = numbered(t, c.m, v.capacity)
	if len(c.wrote) != 2 || !slices.Equal(c.wrote[0], []string{"page-tokens:12"}) || !slices.Equal(c.wrote[1], []string{"page-tokens:0"}) {
		t.Fatalf("moving a token wrote %v", c.wrote)
	}
	if _, in := entries[0].Tokens["1000"]; in || entries[0].Gen <= entries[12].Gen {
		t.Fatalf("after the move entry 0 holds %v at gen %d, entry 12 gen %d", slices.Collect(maps.Keys(entries[0].Tokens)), entries[0].Gen, entries[12].Gen)
	}
	check(want)

	// Forgetting the Pages of the last entries deletes those entries, the
	// last first, so the numbers keep no gap.
	var gone []string
	for id := range want {
		if id >= "1040" && id < "2000" || id == "1000" {
			gone = append(gone, id)
			delete(want, id)
		}
	}
	if err := v.ForgetProfile("9", gone...); err != nil {
		t.Fatal(err)
	}
	if n := len(numbered(t, c.m, v.capacity)); n != 8 {
		t.Fatalf("%d entries left, want 8", n)
	}
	check(want)
	if _, err := v.UserToken("9"); err != ErrNotFound {
		t.Fatalf("the user token after ForgetProfile: %v", err)
	}
	// Emptied entirely, no numbered entry is left.
	if err := v.ForgetProfile("", slices.Collect(maps.Keys(want))...); err != nil {
		t.Fatal(err)
	}
	if c.m.Len() != 0 {
		t.Fatalf("%d entries left after every token was deleted", c.m.Len())
	}
}

// Without a Scanner (Windows, macOS) the numbered entries are read one by
// one up to the first missing number, and added one by one.
func TestPageTokensWithoutScanner(t *testing.T) {
	c, s := newCounting(false)
	v := New(s)
	v.capacity = 1200
	want := pageTokens(1000, 23, 1)
	if err := v.SetTokens("9", "EAAuser", want); err != nil {
		t.Fatal(err)
	}
	// The user token and the first entry together, then the others in order.
	wrote := fmt.Sprint(c.wrote)
	if wrote != "[[page-tokens:0 user-token:9] [page-tokens:1] [page-tokens:2] [page-tokens:3] [page-tokens:4]]" {
		t.Fatalf("wrote %s", wrote)
	}
	fresh := New(s)
	c.reset()
	if err := fresh.LoadTokens(slices.Collect(maps.Keys(want)), nil); err != nil {
		t.Fatal(err)
	}
	for id, tok := range want {
		if got, _ := fresh.PageToken(id); got != tok {
			t.Fatalf("PageToken(%s) = %q", id, got)
		}
	}
	if c.gets != 6 || c.bulks != 0 {
		t.Fatalf("reading 5 entries took %d reads and %d bulk reads, want 6 and 0", c.gets, c.bulks)
	}
}

// A crash between the two writes of a move leaves a Page in two entries:
// the later one is read, and the next write tidies the other.
func TestPageInTwoEntriesReadsTheLaterOne(t *testing.T) {
	m := NewMemory()
	m.Set(chunkKey(0), `{"gen":7,"tokens":{"1":"EAAold","2":"EAAtwo"}}`)
	m.Set(chunkKey(1), `{"gen":8,"tokens":{"1":"EAAnew"}}`)
	m.Set(chunkKey(2), `{"gen":3,"tokens":{"3":"EAAthree","2":"EAAtwo-old"}}`)
	v := New(m)
	for id, want := range map[string]string{"1": "EAAnew", "2": "EAAtwo", "3": "EAAthree"} {
		if got, err := v.PageToken(id); got != want || err != nil {
			t.Fatalf("PageToken(%s) = %q, %v; want %q", id, got, err, want)
		}
	}
	if err := v.SetPageToken("4", "EAAfour"); err != nil {
		t.Fatal(err)
	}
	entries := numbered(t, m, chunkBytes)
	if _, ok := entries[0].Tokens["1"]; ok {
		t.Fatal("the earlier copy of Page 1 is still stored")
	}
	if _, ok := entries[2].Tokens["2"]; ok {
		t.Fatal("the earlier copy of Page 2 is still stored")
	}
	for id, want := range map[string]string{"1": "EAAnew", "2": "EAAtwo", "3": "EAAthree", "4": "EAAfour"} {
		if got, _ := New(m).PageToken(id); got != want {
			t.Fatalf("after tidying, PageToken(%s) = %q; want %q", id, got, want)
		}
	}
}

// Entries past a gap (new entries added together, one failed) are read
// where the keychain lists them, and the next write fills the gap; an entry
// numbered absurdly far is nobody's and is deleted.
func TestEntriesPastAGapAreRead(t *testing.T) {
	m := NewMemory()
	m.Set(chunkKey(0), `{"gen":1,"tokens":{"1":"EAAone"}}`)
	m.Set(chunkKey(2), `{"gen":2,"tokens":{"9":"EAApast-the-gap","1":"EAAone-newer"}}`)
	m.Set(chunkKey(100000), `{"gen":99,"tokens":{"8":"EAAfar"}}`)
	v := New(m)
	for id, want := range map[string]string{"9": "EAApast-the-gap", "1": "EAAone-newer"} {
		if got, err := v.PageToken(id); got != want {
			t.Fatalf("PageToken(%s) = %q, %v; want %q", id, got, err, want)
		}
	}
	if _, err := v.PageToken("8"); err != ErrNotFound {
		t.Fatalf("a token numbered far away reads %v", err)
	}
	v.capacity = 300 // one token an entry
	if err := v.SetTokens("5", "EAAuser", map[string]string{"2": token("2", 1), "3": token("3", 1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Get(chunkKey(100000)); err != ErrNotFound {
		t.Fatalf("the far entry is still stored: %v", err)
	}
	numbered(t, m, chunkBytes) // no gap
	for id, want := range map[string]string{"9": "EAApast-the-gap", "1": "EAAone-newer", "3": token("3", 1)} {
		if got, _ := New(m).PageToken(id); got != want {
			t.Fatalf("after filling the gap PageToken(%s) = %q; want %q", id, got, want)
		}
	}
}

// legacy writes Page tokens the way Pagekeeper did before the numbered
// entries: one entry each.
func legacy(t *testing.T, s Secrets, tokens map[string]string) {
	t.Helper()
	for id, tok := range tokens {
		if err := s.Set(prefixPageToken+id, tok); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMigrateMovesTheOldLayout(t *testing.T) {
	for _, scans := range []bool{true, false} {
		t.Run(fmt.Sprintf("scanner=%v", scans), func(t *testing.T) {
			c, s := newCounting(scans)
			want := pageTokens(100, 30, 1)
			legacy(t, c.m, want)
			c.m.Set("user-token:9", "EAAuser")

			// A reader finds them in the old layout.
			v := New(s)
			if err := v.LoadTokens(slices.Collect(maps.Keys(want)), []string{"9"}); err != nil {
				t.Fatal(err)
			}
			for id, tok := range want {
				if got, _ := v.PageToken(id); got != tok {
					t.Fatalf("PageToken(%s) = %q before migrating", id, got)
				}
			}
			// A write moves nothing but what it changes; the old entry of a
			// Page it stores stays until Migrate (the numbered one is read).
			want["100"] = token("100", 2)
			if err := v.SetPageToken("100", want["100"]); err != nil {
				t.Fatal(err)
			}
			if got, _ := New(s).PageToken("100"); got != want["100"] {
				t.Fatalf("the numbered entry does not win: %q", got)
			}
			// Deleting a Page deletes its old entry too.
			if err := v.DeletePageToken("101"); err != nil {
				t.Fatal(err)
			}
			delete(want, "101")
			if _, err := New(s).PageToken("101"); err != ErrNotFound {
				t.Fatalf("a deleted Page's old entry is read: %v", err)
			}

			ids := append(slices.Collect(maps.Keys(want)), "101", "404")
			if err := v.Migrate(ids); err != nil {
				t.Fatal(err)
			}
			if left, _ := c.m.Scan(nil, []string{prefixPageToken}); len(left) != 0 {
				t.Fatalf("old entries left: %v", slices.Collect(maps.Keys(left)))
			}
			entries := numbered(t, c.m, chunkBytes)
			held := 0
			for _, e := range entries {
				held += len(e.Tokens)
			}
			if held != 29 || !entries[0].Migrated {
				t.Fatalf("after Migrate: %d entries, %d tokens, migrated %v", len(entries), held, entries[0].Migrated)
			}
			// A fresh process reads everything from the numbered entries;
			// a Page in no entry is asked for in the old layout (it may be
			// another data folder's) in the same call as the user token,
			// and with a Scanner not at all.
			fresh := New(s)
			c.reset()
			if err := fresh.LoadTokens(ids, []string{"9"}); err != nil {
				t.Fatal(err)
			}
			for id, tok := range want {
				if got, _ := fresh.PageToken(id); got != tok {
					t.Fatalf("PageToken(%s) = %q after migrating", id, got)
				}
			}
			if _, err := fresh.PageToken("404"); err != ErrNotFound {
				t.Fatalf("PageToken(404) = %v", err)
			}
			reads := c.gets + c.bulks + c.scans
			if (scans && reads != 1) || (!scans && (c.gets != len(entries)+1 || c.bulks != 1)) {
				t.Fatalf("reading after Migrate: %d reads, %d bulk, %d scans", c.gets, c.bulks, c.scans)
			}
			// Migrate again has nothing to do and writes nothing.
			c.reset()
			if err := fresh.Migrate(ids); err != nil || c.sets+c.dels+len(c.wrote) != 0 {
				t.Fatalf("a second Migrate: %v, wrote %v, deleted %d", err, c.wrote, c.dels)
			}
		})
	}
}

// failingDeletes is a keychain on which deleting old entries fails, as a
// crash between writing the numbered entries and deleting the old ones
// would leave it.
type failingDeletes struct{ *Memory }

func (f failingDeletes) DeleteMany(keys []string) error { return errors.New("the process died") }

func (f failingDeletes) GetMany(keys []string) (map[string]string, error) {
	return f.Memory.Scan(keys, nil)
}

func (f failingDeletes) SetMany(entries map[string]string) error {
	for k, v := range entries {
		if err := f.Memory.Set(k, v); err != nil {
			return err
		}
	}
	return nil
}

func TestMigrateCrashBetweenWriteAndDelete(t *testing.T) {
	m := NewMemory()
	old := map[string]string{"1": "EAAone-old", "2": "EAAtwo", "3": "EAAthree"}
	legacy(t, m, old)
	// Page 1 was stored again since (in the numbered entries): that wins.
	if err := New(m).SetPageToken("1", "EAAone-new"); err != nil {
		t.Fatal(err)
	}
	if err := New(failingDeletes{m}).Migrate([]string{"1", "2", "3"}); err == nil {
		t.Fatal("Migrate hid a failed delete")
	}
	entries := numbered(t, m, chunkBytes)
	if len(entries) != 1 || len(entries[0].Tokens) != 3 || entries[0].Migrated {
		t.Fatalf("after the crash: %+v", entries)
	}
	if left, _ := m.Scan(nil, []string{prefixPageToken}); len(left) != 3 {
		t.Fatalf("%d old entries left, want all 3", len(left))
	}
	want := map[string]string{"1": "EAAone-new", "2": "EAAtwo", "3": "EAAthree"}
	for id, tok := range want {
		if got, _ := New(m).PageToken(id); got != tok {
			t.Fatalf("between the two steps PageToken(%s) = %q, want %q", id, got, tok)
		}
	}
	// The next run finishes the job.
	if err := New(m).Migrate([]string{"1", "2", "3"}); err != nil {
		t.Fatal(err)
	}
	if left, _ := m.Scan(nil, []string{prefixPageToken}); len(left) != 0 {
		t.Fatalf("old entries left: %v", left)
	}
	for id, tok := range want {
		if got, _ := New(m).PageToken(id); got != tok {
			t.Fatalf("after Migrate PageToken(%s) = %q, want %q", id, got, tok)
		}
	}
}

func TestSaveAndRestoreInOneWrite(t *testing.T) {
	c, s := newCounting(true)
	v := New(s)
	v.capacity = 1200
	before := pageTokens(1000, 20, 1)
	if err := v.SetTokens("9", "EAAuser-old", before); err != nil {
		t.Fatal(err)
	}
	legacy(t, c.m, map[string]string{"5000": "EAAin-the-old-layout"})
	after := map[string]string{}
	var ids []string
	for i := range 40 { // half replace tokens, half are new Pages
		id := fmt.Sprint(1010 + i)
		if i == 39 {
			id = "5000"
		}
		after[id], ids = token(id, 2), append(ids, id)
	}
	saved, err := v.Save("9", ids)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.SetTokens("9", "EAAuser-new", after); err != nil {
		t.Fatal(err)
	}
	c.reset()
	if err := v.Restore(saved); err != nil {
		t.Fatal(err)
	}
	// One call stores what changed, one deletes the entries the undone
	// write added.
	if c.bulks != 2 || c.sets != 0 || c.dels != 0 || len(c.wrote) != 1 {
		t.Fatalf("restoring took %d bulk calls, %d single writes and %d deletes, want 2, 0, 0", c.bulks, c.sets, c.dels)
	}
	fresh := New(s)
	for id, tok := range before {
		if got, _ := fresh.PageToken(id); got != tok {
			t.Fatalf("restored PageToken(%s) = %q, want %q", id, got, tok)
		}
	}
	for id := range after {
		if _, ok := before[id]; !ok && id != "5000" {
			if _, err := fresh.PageToken(id); err != ErrNotFound {
				t.Fatalf("a Page new in the undone write still has a token: %v", err)
			}
		}
	}
	if got, _ := fresh.PageToken("5000"); got != "EAAin-the-old-layout" {
		t.Fatalf("the old layout's token after the undo: %q", got)
	}
	if got, _ := fresh.UserToken("9"); got != "EAAuser-old" {
		t.Fatalf("restored user token %q", got)
	}
	if n := len(numbered(t, c.m, v.capacity)); n != 4 {
		t.Fatalf("%d numbered entries after the undo, want the 4 of before", n)
	}
}

// echoing is a keychain whose writes fail with an error that quotes what
// they were given, as a careless driver's might.
type echoing struct{ *Memory }

func (e echoing) SetMany(entries map[string]string) error {
	return fmt.Errorf("cannot store %v", entries)
}

func (e echoing) GetMany(keys []string) (map[string]string, error) { return e.Memory.Scan(keys, nil) }

func (e echoing) DeleteMany(keys []string) error { return nil }

func TestFailedWriteNamesNoToken(t *testing.T) {
	m := NewMemory()
	if err := New(m).SetTokens("9", "EAAuser-one", map[string]string{"1": "EAApage-one", "2": "EAApage-two"}); err != nil {
		t.Fatal(err)
	}
	v := New(echoing{m})
	err := v.SetTokens("9", "EAAuser-two", map[string]string{"1": "EAApage-three", "3": "EAApage-four"})
	if err == nil {
		t.Fatal("a failed write said nothing")
	}
	for _, tok := range []string{"EAAuser", "EAApage"} {
		if strings.Contains(err.Error(), tok) {
			t.Fatalf("the error quotes a token: %v", err)
		}
	}
	// It forgot what it held: the next read asks the keychain again.
	if got, _ := v.PageToken("1"); got != "EAApage-one" {
		t.Fatalf("after the failed write PageToken = %q", got)
	}
}

func TestDamagedEntryIsNamedNotQuoted(t *testing.T) {
	m := NewMemory()
	m.Set(chunkKey(0), `{"gen":1,"tokens":{"1":"EAAsecret-in-a-broken-entry"`)
	_, err := New(m).PageToken("1")
	if !errors.Is(err, errDamaged) || !strings.Contains(err.Error(), "page-tokens:0") || strings.Contains(err.Error(), "EAAsecret") {
		t.Fatalf("a damaged entry: %v", err)
	}
}

func TestTokenTooLargeForAnEntry(t *testing.T) {
	m := NewMemory()
	v := New(m)
	v.capacity = 300
	err := v.SetPageToken("1", "EAA"+strings.Repeat("x", 280))
	if !errors.Is(err, ErrTooLarge) || strings.Contains(err.Error(), "xxxx") || m.Len() != 0 {
		t.Fatalf("a token too large for an entry: %v, %d stored", err, m.Len())
	}
}

// A connect whose database write fails puts the keychain back (Restore).
// A Page whose token was still in the old layout was "in no numbered
// entry"; if the window's start-up Migrate deleted that old entry in the
// meantime (the Page was in a numbered entry then, the connect's), putting
// it back as "in no numbered entry" would leave it with no token at all.
func TestRestoreAfterMigrateKeepsTheOldLayoutsToken(t *testing.T) {
	for _, scans := range []bool{true, false} {
		t.Run(fmt.Sprintf("scanner=%v", scans), func(t *testing.T) {
			c, s := newCounting(scans)
			legacy(t, c.m, map[string]string{"1": "EAAone-old", "2": "EAAtwo-old"})
			v := New(s)
			saved, err := v.Save("9", []string{"1"})
			if err != nil {
				t.Fatal(err)
			}
			if err := v.SetTokens("9", "EAAuser", map[string]string{"1": "EAAone-new"}); err != nil {
				t.Fatal(err)
			}
			if err := v.Migrate([]string{"1", "2"}); err != nil {
				t.Fatal(err)
			}
			if err := v.Restore(saved); err != nil {
				t.Fatal(err)
			}
			for _, r := range []*Vault{v, New(s)} {
				for id, want := range map[string]string{"1": "EAAone-old", "2": "EAAtwo-old"} {
					if got, err := r.PageToken(id); got != want {
						t.Fatalf("after the undo PageToken(%s) = %q, %v; want %q", id, got, err, want)
					}
				}
			}
		})
	}
}

// A gap Pagekeeper did not make (an entry deleted with the keychain's own
// tool, as the damaged-entry error advises) costs the Pages of that entry
// only: where the keychain lists its entries, the ones past the gap are
// read, and the next write fills the gap rather than deleting them.
func TestGapFromOutsideLosesOnlyThatEntry(t *testing.T) {
	c, s := newCounting(true)
	v := New(s)
	v.capacity = 1200
	want := pageTokens(1000, 15, 1)
	if err := v.SetTokens("9", "EAAuser", want); err != nil {
		t.Fatal(err)
	}
	if n := len(numbered(t, c.m, v.capacity)); n != 3 {
		t.Fatalf("%d entries, want 3", n)
	}
	var gone chunkValue
	raw, _ := c.m.Get(chunkKey(1))
	json.Unmarshal([]byte(raw), &gone)
	c.m.Delete(chunkKey(1))
	for id := range gone.Tokens {
		delete(want, id)
	}
	check := func(when string) {
		t.Helper()
		fresh := New(s)
		fresh.capacity = v.capacity
		for id, tok := range want {
			if got, err := fresh.PageToken(id); got != tok {
				t.Fatalf("%s: PageToken(%s) = %q, %v; want %q", when, id, got, err, tok)
			}
		}
	}
	check("with the gap")
	fresh := New(s)
	fresh.capacity = v.capacity
	want["1"] = token("1", 1)
	if err := fresh.SetPageToken("1", want["1"]); err != nil {
		t.Fatal(err)
	}
	check("after the next write")
	numbered(t, c.m, v.capacity) // no gap left
}

// The numbered entries are JSON, which holds text only: a token or Page ID
// that is not UTF-8 would come back altered (each bad byte read as U+FFFD),
// and two such IDs as one. They are refused, and nothing else is touched;
// quotes, backslashes, control characters and other scripts round-trip.
func TestPageTokensAreTextOrRefused(t *testing.T) {
	m := NewMemory()
	v := New(m)
	odd := map[string]string{`a"b\c`: `EAA"quoted\back`, "ünï<>&": "EAAü\u2028<>&\x01"}
	if err := v.SetTokens("9", "EAAuser", odd); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ id, tok string }{{"1", "EAA\xffok"}, {"\xff", "EAAok"}} {
		err := v.SetPageToken(bad.id, bad.tok)
		if err == nil || strings.Contains(err.Error(), "EAA") {
			t.Fatalf("SetPageToken(%q, %q) = %v", bad.id, bad.tok, err)
		}
		if err := v.SetTokens("9", "EAAuser", map[string]string{bad.id: bad.tok}); err == nil {
			t.Fatalf("SetTokens took %q: %q", bad.id, bad.tok)
		}
	}
	for id, tok := range odd {
		if got, err := New(m).PageToken(id); got != tok {
			t.Fatalf("PageToken(%q) = %q, %v; want %q", id, got, err, tok)
		}
	}
}

// Two processes on two data folders with the same keychain service each
// hold their own copy of the numbered entries: a write from one must keep
// the Pages the other stored since it read them.
func TestWriteKeepsPagesAnotherProcessStored(t *testing.T) {
	for _, scans := range []bool{true, false} {
		t.Run(fmt.Sprintf("scanner=%v", scans), func(t *testing.T) {
			c, s := newCounting(scans)
			legacy(t, c.m, map[string]string{"7": "EAAseven-old"})
			a, b := New(s), New(s)
			if err := a.SetTokens("1", "EAAuser-a", map[string]string{"1": "EAAone"}); err != nil {
				t.Fatal(err)
			}
			if _, err := b.PageToken("1"); err != nil {
				t.Fatal(err)
			}
			if err := a.SetPageToken("2", "EAAtwo"); err != nil {
				t.Fatal(err)
			}
			if err := b.SetPageToken("3", "EAAthree"); err != nil {
				t.Fatal(err)
			}
			if err := a.Migrate([]string{"1", "2", "7"}); err != nil {
				t.Fatal(err)
			}
			if err := a.DeletePageToken("1"); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"2": "EAAtwo", "3": "EAAthree", "7": "EAAseven-old"}
			for id, tok := range want {
				if got, err := New(s).PageToken(id); got != tok {
					t.Fatalf("PageToken(%s) = %q, %v; want %q", id, got, err, tok)
				}
			}
			if entries := numbered(t, c.m, chunkBytes); !entries[0].Migrated {
				t.Fatal("the first entry does not say the old layout is gone")
			}
		})
	}
}

// Migrate moves an old-layout token of a Page this data folder does not
// know (another data folder's, on the same keychain service) rather than
// deleting it; it deletes only those of Pages it was told are gone.
func TestMigrateKeepsOtherFoldersTokens(t *testing.T) {
	m := NewMemory()
	legacy(t, m, map[string]string{"1": "EAAone", "8": "EAAeight-other-folder", "5": "EAAfive-disconnected"})
	if err := New(m).Migrate([]string{"1"}, "5"); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"1": "EAAone", "8": "EAAeight-other-folder"} {
		if got, err := New(m).PageToken(id); got != want {
			t.Fatalf("after Migrate PageToken(%s) = %q, %v; want %q", id, got, err, want)
		}
	}
	if _, err := New(m).PageToken("5"); err != ErrNotFound {
		t.Fatalf("a disconnected Page's old token: %v", err)
	}
	if left, _ := m.Scan(nil, []string{prefixPageToken}); len(left) != 0 {
		t.Fatalf("old entries left: %v", slices.Collect(maps.Keys(left)))
	}
}

// midMove is a keychain without a Scanner (Windows, macOS) on which, the
// first time page-tokens:1 is read, another process moves a Page from
// entry 1 to entry 0, between this reader's reads of the two.
type midMove struct {
	m      *Memory
	once   bool
	writer func()
}

func (m *midMove) Get(key string) (string, error) {
	if key == chunkKey(1) && !m.once {
		m.once = true
		m.writer()
	}
	return m.m.Get(key)
}

func (m *midMove) Set(key, value string) error { return m.m.Set(key, value) }
func (m *midMove) Delete(key string) error     { return m.m.Delete(key) }

// `pagekeeper token` reads beside the window while the window moves a Page
// from one entry to another: it must not answer that the Page has no token.
func TestReaderBesideAMoveFindsThePage(t *testing.T) {
	m := NewMemory()
	m.Set(chunkKey(0), `{"gen":1,"tokens":{"1":"EAAone"}}`)
	m.Set(chunkKey(1), `{"gen":1,"tokens":{"2":"EAAtwo","3":"EAAthree-xxxxxxxx"}}`)
	window := New(m)
	window.capacity = chunkOverhead + 40
	if _, err := window.PageToken("1"); err != nil {
		t.Fatal(err)
	}
	s := &midMove{m: m, writer: func() {
		// Page 2's new token no longer fits entry 1: it moves to entry 0.
		if err := window.SetPageToken("2", "EAAtwo-longer"); err != nil {
			t.Error(err)
		}
	}}
	got, err := New(s).PageToken("2")
	if got != "EAAtwo-longer" {
		t.Fatalf("beside the move PageToken(2) = %q, %v", got, err)
	}
	if entries := numbered(t, m, chunkBytes); entries[0].Tokens["2"] == "" {
		t.Fatalf("the test did not move the Page: %+v", entries)
	}
}

// Without a listing (Windows, macOS), the first entry saying the old layout
// is gone speaks for the Pages of the data folder that moved them only:
// another data folder's Page still there is read, and its own Migrate
// moves it.
func TestOldLayoutOfAnotherFolderStaysReadableWithoutScanner(t *testing.T) {
	c, s := newCounting(false)
	legacy(t, c.m, map[string]string{"1": "EAAone", "8": "EAAeight-other-folder"})
	if err := New(s).Migrate([]string{"1"}); err != nil {
		t.Fatal(err)
	}
	if entries := numbered(t, c.m, chunkBytes); !entries[0].Migrated {
		t.Fatal("the first Migrate did not finish")
	}
	other := New(s)
	if got, err := other.PageToken("8"); got != "EAAeight-other-folder" {
		t.Fatalf("the other folder's Page reads %q, %v", got, err)
	}
	if err := other.Migrate([]string{"8"}); err != nil {
		t.Fatal(err)
	}
	if got, err := New(s).PageToken("8"); got != "EAAeight-other-folder" {
		t.Fatalf("after its Migrate the other folder's Page reads %q, %v", got, err)
	}
	if left, _ := c.m.Scan(nil, []string{prefixPageToken}); len(left) != 0 {
		t.Fatalf("old entries left: %v", slices.Collect(maps.Keys(left)))
	}
}
