package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// The numbered Page token entries on the real keychain (gnome-keyring).

// noScan is the Keyring as Windows and macOS have it: no listing, so the
// numbered entries are read up to the first missing one.
type noScan struct{ k Keyring }

func (n noScan) Get(key string) (string, error)                   { return n.k.Get(key) }
func (n noScan) Set(key, value string) error                      { return n.k.Set(key, value) }
func (n noScan) Delete(key string) error                          { return n.k.Delete(key) }
func (n noScan) DeleteAll() error                                 { return n.k.DeleteAll() }
func (n noScan) GetMany(keys []string) (map[string]string, error) { return n.k.GetMany(keys) }
func (n noScan) SetMany(entries map[string]string) error          { return n.k.SetMany(entries) }
func (n noScan) DeleteMany(keys []string) error                   { return n.k.DeleteMany(keys) }

// entryNames lists the names of service's entries, as secret-tool shows them.
func entryNames(t *testing.T, service string) []string {
	t.Helper()
	var names []string
	for _, line := range strings.Split(secretTool(t, service), "\n") {
		if name, ok := strings.CutPrefix(line, "attribute.username = "); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// facebookID is where the Page IDs of these tests start: as long as Facebook's.
const facebookID = 100000000000000

// oldEntries writes n Page tokens the way Pagekeeper did before the
// numbered entries, with go-keyring, one entry each.
func oldEntries(t *testing.T, service string, first, n int) map[string]string {
	t.Helper()
	tokens := pageTokens(first, n, 0)
	for id, tok := range tokens {
		if err := keyring.Set(service, prefixPageToken+id, tok); err != nil {
			t.Fatal(err)
		}
	}
	return tokens
}

func readAll(t *testing.T, v *Vault, want map[string]string) {
	t.Helper()
	if err := v.LoadTokens(slices.Collect(maps.Keys(want)), nil); err != nil {
		t.Fatal(err)
	}
	for id, tok := range want {
		if got, err := v.PageToken(id); got != tok || err != nil {
			t.Fatalf("PageToken(%s) = %q, %v; want %q", id, got, err, tok)
		}
	}
}

func TestKeyringPageTokensInNumberedEntries(t *testing.T) {
	needSessionBus(t)
	for _, c := range []struct {
		name     string
		capacity int
		pages    int
		entries  int
		scans    bool
	}{
		{"Linux entries", chunkBytes, 1000, 4, true},
		{"small entries", 8 << 10, 300, 9, true},
		{"Windows-size entries, read without listing", MaxSecretBytes, 100, 10, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc := testService(t)
			k := Keyring{Service: svc}
			var s Secrets = k
			if !c.scans {
				s = noScan{k}
			}
			open := func() *Vault {
				v := New(s)
				v.capacity = c.capacity
				return v
			}
			v := open()
			want := pageTokens(facebookID, c.pages, 1)
			if err := v.SetTokens("7", "EAAuser", want); err != nil {
				t.Fatal(err)
			}
			var names []string
			for n := range c.entries {
				names = append(names, chunkKey(n))
			}
			names = append(names, "user-token:7")
			slices.Sort(names)
			if got := entryNames(t, svc); !slices.Equal(got, names) {
				t.Fatalf("the keychain holds %v, want %v", got, names)
			}
			readAll(t, open(), want)

			// Deleted from a middle entry, changed in another: a fresh
			// process reads exactly what is left.
			ids := slices.Sorted(maps.Keys(want))
			mid := ids[len(ids)/2]
			if err := v.DeletePageToken(mid); err != nil {
				t.Fatal(err)
			}
			delete(want, mid)
			want[ids[1]] = token(ids[1], 2)
			if err := v.SetPageToken(ids[1], want[ids[1]]); err != nil {
				t.Fatal(err)
			}
			fresh := open()
			readAll(t, fresh, want)
			if _, err := fresh.PageToken(mid); err != ErrNotFound {
				t.Fatalf("the deleted token reads %v", err)
			}
			if got := entryNames(t, svc); !slices.Equal(got, names) {
				t.Fatalf("after the changes the keychain holds %v, want %v", got, names)
			}
		})
	}
}

// Keychains written before the numbered entries hold page-token:<id>
// entries, written here with go-keyring as Pagekeeper did.
func TestKeyringMigratesTheOldLayout(t *testing.T) {
	needSessionBus(t)
	svc := testService(t)
	k := Keyring{Service: svc}
	want := oldEntries(t, svc, facebookID, 40)
	// Readers, with and without listing, fall back to the old entries.
	readAll(t, New(k), want)
	readAll(t, New(noScan{k}), want)

	v := New(k)
	ids := slices.Sorted(maps.Keys(want))
	want[ids[0]] = token(ids[0], 2)
	if err := v.SetTokens("7", "EAAuser", map[string]string{ids[0]: want[ids[0]]}); err != nil {
		t.Fatal(err)
	}
	readAll(t, New(k), want)
	if err := v.Migrate(ids); err != nil {
		t.Fatal(err)
	}
	if got := entryNames(t, svc); !slices.Equal(got, []string{"page-tokens:0", "user-token:7"}) {
		t.Fatalf("after Migrate the keychain holds %v", got)
	}
	readAll(t, New(k), want)
	readAll(t, New(noScan{k}), want)
	if !strings.Contains(secretTool(t, svc), `"migrated":true`) {
		t.Fatal("the first entry does not say the old layout is gone")
	}
}

// dying is a Keyring whose process dies after writing the numbered entries,
// before the old ones are deleted.
type dying struct{ Keyring }

func (d dying) DeleteMany(keys []string) error { return errors.New("killed") }

func TestKeyringMigrateCrashBetweenWriteAndDelete(t *testing.T) {
	needSessionBus(t)
	svc := testService(t)
	k := Keyring{Service: svc}
	want := oldEntries(t, svc, facebookID, 20)
	ids := slices.Sorted(maps.Keys(want))
	if err := New(dying{k}).Migrate(ids); err == nil {
		t.Fatal("the crash went unnoticed")
	}
	if n := len(entryNames(t, svc)); n != 21 {
		t.Fatalf("after the crash the keychain holds %d entries, want the 20 old ones and the numbered one", n)
	}
	// Both layouts hold the tokens; a reader gets them either way, and the
	// numbered entry wins over the old one.
	if err := keyring.Set(svc, prefixPageToken+ids[3], "EAAstale"); err != nil {
		t.Fatal(err)
	}
	readAll(t, New(k), want)
	readAll(t, New(noScan{k}), want)
	if err := New(k).Migrate(ids); err != nil {
		t.Fatal(err)
	}
	if got := entryNames(t, svc); !slices.Equal(got, []string{"page-tokens:0"}) {
		t.Fatalf("after the second Migrate the keychain holds %v", got)
	}
	readAll(t, New(k), want)
}

// On this platform's own keychain and entry size (Credential Manager's
// 2,560 bytes under Wine, gnome-keyring's 64 KiB on Linux): the entries
// fill up to the limit, a new process reads them all, and old entries move.
func TestKeyringPlatformEntries(t *testing.T) {
	if runtime.GOOS == "linux" {
		needSessionBus(t)
	}
	svc := testService(t)
	k := Keyring{Service: svc}
	want := pageTokens(facebookID, 600, 1)
	old := oldEntries(t, svc, facebookID, 20) // then stored anew
	v := New(k)
	readAll(t, v, old)
	if err := v.SetTokens("7", "EAAuser", want); err != nil {
		t.Fatal(err)
	}
	per := (chunkBytes - chunkOverhead) / entrySize(fmt.Sprint(facebookID), token(fmt.Sprint(facebookID), 1))
	entries := 0
	for n := 0; ; n++ {
		raw, err := keyring.Get(svc, chunkKey(n))
		if errors.Is(err, keyring.ErrNotFound) {
			break
		}
		if err != nil || len(raw) > chunkBytes {
			t.Fatalf("%s: %d bytes, %v", chunkKey(n), len(raw), err)
		}
		entries++
	}
	if wantEntries := (600 + per - 1) / per; entries != wantEntries {
		t.Fatalf("%d numbered entries of at most %d bytes, want %d", entries, chunkBytes, wantEntries)
	}
	readAll(t, New(k), want)
	if err := New(k).Migrate(slices.Collect(maps.Keys(want))); err != nil {
		t.Fatal(err)
	}
	for id := range old {
		if _, err := keyring.Get(svc, prefixPageToken+id); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("the old entry of %s is still there: %v", id, err)
		}
	}
	delete(want, "100000000000007")
	if err := New(k).ForgetProfile("7", "100000000000007"); err != nil {
		t.Fatal(err)
	}
	readAll(t, New(k), want)
	if _, err := New(k).PageToken("100000000000007"); err != ErrNotFound {
		t.Fatalf("a forgotten Page's token: %v", err)
	}
}

// Two processes on two data folders with the same keychain service, on
// gnome-keyring, with and without the listing: neither drops the other's
// Pages, and a gap made with a keychain tool costs only that entry's.
func TestKeyringTwoWritersAndAGap(t *testing.T) {
	needSessionBus(t)
	for _, scans := range []bool{true, false} {
		t.Run(fmt.Sprintf("scanner=%v", scans), func(t *testing.T) {
			svc := testService(t)
			var s Secrets = Keyring{Service: svc}
			if !scans {
				s = noScan{Keyring{Service: svc}}
			}
			a, b := New(s), New(s)
			a.capacity, b.capacity = 1200, 1200
			first := pageTokens(facebookID, 12, 1)
			if err := a.SetTokens("1", "EAAuser-a", first); err != nil {
				t.Fatal(err)
			}
			readAll(t, b, first)
			second := pageTokens(facebookID+100, 12, 1)
			if err := b.SetTokens("2", "EAAuser-b", second); err != nil {
				t.Fatal(err)
			}
			third := map[string]string{fmt.Sprint(facebookID + 200): token("x", 3)}
			if err := a.SetTokens("1", "EAAuser-a", third); err != nil {
				t.Fatal(err)
			}
			all := maps.Clone(first)
			maps.Copy(all, second)
			maps.Copy(all, third)
			readAll(t, New(s), all)
			if !scans {
				return // without a listing, entries past a gap stay unread until it is filled
			}
			var gone chunkValue
			raw, err := keyring.Get(svc, chunkKey(1))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(raw), &gone); err != nil || len(gone.Tokens) == 0 {
				t.Fatalf("%s: %v, %d tokens", chunkKey(1), err, len(gone.Tokens))
			}
			if err := keyring.Delete(svc, chunkKey(1)); err != nil {
				t.Fatal(err)
			}
			for id := range gone.Tokens {
				delete(all, id)
			}
			readAll(t, New(s), all)
			if err := New(s).SetPageToken("1", "EAAone"); err != nil {
				t.Fatal(err)
			}
			all["1"] = "EAAone"
			readAll(t, New(s), all)
			readAll(t, New(noScan{Keyring{Service: svc}}), all) // the gap is filled
		})
	}
}
