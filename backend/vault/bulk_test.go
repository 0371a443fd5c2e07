package vault

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestKeyringManyRoundTrip(t *testing.T) {
	needSessionBus(t)
	svc := testService(t)
	k := Keyring{Service: svc}
	// One entry written the go-keyring way, to be replaced in bulk.
	if err := k.Set("page-token:1", "EAAold"); err != nil {
		t.Fatal(err)
	}
	entries := map[string]string{"user-token:9": "EAAuser"}
	for i := 1; i <= 40; i++ {
		entries[fmt.Sprintf("page-token:%d", i)] = fmt.Sprintf("EAApage%d", i)
	}
	if err := k.SetMany(entries); err != nil {
		t.Fatal(err)
	}
	// go-keyring reads what the bulk path wrote, and the replaced entry is one entry.
	if got, err := k.Get("page-token:1"); err != nil || got != "EAApage1" {
		t.Fatalf("Get after SetMany = %q, %v", got, err)
	}
	listed := secretTool(t, svc)
	if n := strings.Count(listed, "attribute.username = page-token:1\n"); n != 1 {
		t.Fatalf("secret-tool shows page-token:1 %d times, want once:\n%s", n, listed)
	}
	if n := strings.Count(listed, "attribute.service = "+svc); n != 41 {
		t.Fatalf("secret-tool shows %d entries, want 41", n)
	}

	keys := []string{"user-token:9", "page-token:7", "page-token:404"}
	got, err := k.GetMany(keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["user-token:9"] != "EAAuser" || got["page-token:7"] != "EAApage7" {
		t.Fatalf("GetMany = %v", got)
	}
	if _, ok := got["page-token:404"]; ok {
		t.Fatal("a missing key came back")
	}
	// Many keys at once take the other way (every item of the service listed).
	many := []string{"page-token:404"}
	for i := 1; i <= 40; i++ {
		many = append(many, fmt.Sprintf("page-token:%d", i))
	}
	got, err = k.GetMany(many)
	if err != nil || len(got) != 40 || got["page-token:40"] != "EAApage40" {
		t.Fatalf("GetMany of %d keys = %d entries, %v", len(many), len(got), err)
	}
	// Another service's entries stay out.
	other := Keyring{Service: testService(t)}
	if err := other.Set("page-token:7", "EAAelsewhere"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.GetMany([]string{"page-token:7"}); got["page-token:7"] != "EAApage7" {
		t.Fatalf("GetMany mixed services: %v", got)
	}
	if got, _ := k.GetMany(many); got["page-token:7"] != "EAApage7" || len(got) != 40 {
		t.Fatalf("GetMany mixed services, many keys: %d entries, page-token:7 = %q", len(got), got["page-token:7"])
	}
}

func TestKeyringSetManyRejectsOversizedBeforeWriting(t *testing.T) {
	needSessionBus(t)
	svc := testService(t)
	k := Keyring{Service: svc}
	err := k.SetMany(map[string]string{"page-token:1": "EAAfine", "page-token:2": strings.Repeat("A", MaxSecretBytes+1)})
	if err == nil || strings.Contains(err.Error(), "AAAA") {
		t.Fatalf("SetMany of an oversized value = %v", err)
	}
	if listed := secretTool(t, svc); strings.Contains(listed, "page-token:1") {
		t.Fatalf("a value was stored beside an oversized one:\n%s", listed)
	}
}

// counting is a Secrets that counts the calls reaching it, with or without
// the bulk calls, and notes the keys each call wrote.
type counting struct {
	mu                             sync.Mutex
	m                              *Memory
	gets, sets, bulks, scans, dels int
	wrote                          [][]string // keys set, per call
}

func (c *counting) count(n *int, wrote ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	*n++
	if len(wrote) > 0 {
		slices.Sort(wrote)
		c.wrote = append(c.wrote, wrote)
	}
}

// reset zeroes the counts.
func (c *counting) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gets, c.sets, c.bulks, c.scans, c.dels, c.wrote = 0, 0, 0, 0, 0, nil
}

func (c *counting) Get(key string) (string, error) {
	c.count(&c.gets)
	return c.m.Get(key)
}

func (c *counting) Set(key, value string) error {
	c.count(&c.sets, key)
	return c.m.Set(key, value)
}

func (c *counting) Delete(key string) error {
	c.count(&c.dels)
	return c.m.Delete(key)
}

type countingBulk struct{ *counting }

func (c countingBulk) GetMany(keys []string) (map[string]string, error) {
	c.count(&c.bulks)
	got := map[string]string{}
	for _, k := range keys {
		if v, err := c.m.Get(k); err == nil {
			got[k] = v
		}
	}
	return got, nil
}

func (c countingBulk) SetMany(entries map[string]string) error {
	c.count(&c.bulks, slices.Collect(maps.Keys(entries))...)
	for k, v := range entries {
		if err := c.m.Set(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (c countingBulk) DeleteMany(keys []string) error {
	c.count(&c.bulks)
	for _, k := range keys {
		c.m.Delete(k)
	}
	return nil
}

// countingScanner also lists, as the Secret Service does.
type countingScanner struct{ countingBulk }

func (c countingScanner) Scan(keys, prefixes []string) (map[string]string, error) {
	c.count(&c.scans)
	return c.m.Scan(keys, prefixes)
}

// newCounting is a counting keychain, a Scanner or not.
func newCounting(scans bool) (*counting, Secrets) {
	c := &counting{m: NewMemory()}
	if scans {
		return c, countingScanner{countingBulk{c}}
	}
	return c, countingBulk{c}
}

func TestVaultReadsEachSecretOnce(t *testing.T) {
	for _, scans := range []bool{true, false} {
		t.Run(fmt.Sprintf("scanner=%v", scans), func(t *testing.T) {
			c, s := newCounting(scans)
			v := New(s)
			pages := map[string]string{}
			var ids []string
			for i := range 100 {
				id := fmt.Sprint(2000 + i)
				pages[id], ids = "EAApage"+id, append(ids, id)
			}
			if err := v.SetTokens("9", "EAAuser", pages); err != nil {
				t.Fatal(err)
			}
			if c.bulks != 1 || c.sets != 0 || len(c.wrote) != 1 || len(c.wrote[0]) != 2 {
				t.Fatalf("storing 101 tokens took %d bulk and %d single writes of %v, want 1 of 2 entries", c.bulks, c.sets, c.wrote)
			}

			// A fresh process (a new Vault on the same keychain) reads them:
			// with a Scanner in one call, else the numbered entries one by
			// one (here one, and the missing next) and the rest in one call.
			v = New(s)
			c.reset()
			if err := v.LoadTokens(append(ids, "404"), []string{"9"}); err != nil {
				t.Fatal(err)
			}
			reads := c.gets + c.bulks + c.scans
			for range 3 { // three check cycles
				if err := v.LoadTokens(append(ids, "404"), []string{"9"}); err != nil {
					t.Fatal(err)
				}
				for _, id := range ids {
					if got, err := v.PageToken(id); err != nil || got != "EAApage"+id {
						t.Fatalf("PageToken(%s) = %q, %v", id, got, err)
					}
					if got, err := v.UserToken("9"); err != nil || got != "EAAuser" {
						t.Fatalf("UserToken = %q, %v", got, err)
					}
				}
			}
			want := 3 // page-tokens:0, page-tokens:1 (missing), then the user token and the old layout's page-token:404
			if scans {
				want = 1
			}
			if reads != want || c.gets+c.bulks+c.scans != want {
				t.Fatalf("the first read took %d calls, three cycles %d more; want %d and none", reads, c.gets+c.bulks+c.scans-reads, want)
			}
			if _, err := v.PageToken("404"); err != ErrNotFound || c.gets+c.bulks+c.scans != want {
				t.Fatalf("a missing token = %v after %d reads", err, c.gets+c.bulks+c.scans)
			}
			// Stored later through the vault, it is there.
			if err := v.SetPageToken("404", "EAAlate"); err != nil {
				t.Fatal(err)
			}
			if got, _ := v.PageToken("404"); got != "EAAlate" {
				t.Fatalf("a token stored after a miss = %q", got)
			}

			// A change through the vault is what the next read sees, without a
			// read (the write itself reads the entries again: another process
			// with the same keychain may have written them).
			if err := v.SetPageToken("2000", "EAAnew"); err != nil {
				t.Fatal(err)
			}
			c.reset()
			if got, _ := v.PageToken("2000"); got != "EAAnew" || c.gets+c.scans != 0 {
				t.Fatalf("after SetPageToken: %q with %d reads", got, c.gets+c.scans)
			}
			if err := v.DeletePageToken("2001"); err != nil {
				t.Fatal(err)
			}
			if _, err := v.PageToken("2001"); err != ErrNotFound {
				t.Fatalf("a deleted token = %v", err)
			}
			if err := v.ForgetProfile("9"); err != nil {
				t.Fatal(err)
			}
			if _, err := v.UserToken("9"); err != ErrNotFound {
				t.Fatalf("a forgotten user token = %v", err)
			}
		})
	}
}

func TestVaultWithoutBulkFallsBackToSingleCalls(t *testing.T) {
	c := &counting{m: NewMemory()}
	v := New(c)
	if err := v.SetTokens("9", "EAAuser", map[string]string{"1": "EAAp1", "2": "EAAp2"}); err != nil {
		t.Fatal(err)
	}
	if c.sets != 2 { // the user token and page-tokens:0
		t.Fatalf("%d single writes, want 2", c.sets)
	}
	v = New(c)
	c.reset()
	if err := v.LoadTokens([]string{"1", "2", "3"}, []string{"9"}); err != nil {
		t.Fatal(err)
	}
	// page-tokens:0 and :1 (missing), the user token, page-token:3 (the old layout).
	if got, _ := v.PageToken("2"); got != "EAAp2" || c.gets != 4 {
		t.Fatalf("PageToken = %q after %d reads, want 4", got, c.gets)
	}
}

func TestVaultSetTokensChecksEveryValueFirst(t *testing.T) {
	m := NewMemory()
	v := New(m)
	err := v.SetTokens("9", "EAAuser", map[string]string{"1": "EAAp1", "2": " padded "})
	if err == nil || m.Len() != 0 {
		t.Fatalf("SetTokens with a padded token: %v, %d stored", err, m.Len())
	}
}
