package vault

import (
	"fmt"
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
// the bulk calls.
type counting struct {
	mu                sync.Mutex
	m                 *Memory
	gets, sets, bulks int
}

func (c *counting) Get(key string) (string, error) {
	c.mu.Lock()
	c.gets++
	c.mu.Unlock()
	return c.m.Get(key)
}

func (c *counting) Set(key, value string) error {
	c.mu.Lock()
	c.sets++
	c.mu.Unlock()
	return c.m.Set(key, value)
}

func (c *counting) Delete(key string) error { return c.m.Delete(key) }

type countingBulk struct{ *counting }

func (c countingBulk) GetMany(keys []string) (map[string]string, error) {
	c.mu.Lock()
	c.bulks++
	c.mu.Unlock()
	got := map[string]string{}
	for _, k := range keys {
		if v, err := c.m.Get(k); err == nil {
			got[k] = v
		}
	}
	return got, nil
}

func (c countingBulk) SetMany(entries map[string]string) error {
	c.mu.Lock()
	c.bulks++
	c.mu.Unlock()
	for k, v := range entries {
		if err := c.m.Set(k, v); err != nil {
			return err
		}
	}
	return nil
}

func TestVaultReadsEachSecretOnce(t *testing.T) {
	c := &counting{m: NewMemory()}
	v := New(countingBulk{c})
	pages := map[string]string{}
	var ids []string
	for i := range 100 {
		id := fmt.Sprint(2000 + i)
		pages[id], ids = "EAApage"+id, append(ids, id)
	}
	if err := v.SetTokens("9", "EAAuser", pages); err != nil {
		t.Fatal(err)
	}
	if c.bulks != 1 || c.sets != 0 {
		t.Fatalf("storing 101 tokens took %d bulk and %d single writes, want 1 and 0", c.bulks, c.sets)
	}

	// A fresh process (a new Vault on the same keychain) reads them in one call.
	v = New(countingBulk{c})
	c.bulks = 0
	if err := v.LoadTokens(append(ids, "404"), []string{"9"}); err != nil {
		t.Fatal(err)
	}
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
	if c.bulks != 1 || c.gets != 0 {
		t.Fatalf("three cycles took %d bulk and %d single reads, want 1 and 0", c.bulks, c.gets)
	}
	if _, err := v.PageToken("404"); err != ErrNotFound || c.gets != 0 {
		t.Fatalf("a missing token = %v after %d reads", err, c.gets)
	}
	// Stored later through the vault, it is there.
	if err := v.SetPageToken("404", "EAAlate"); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.PageToken("404"); got != "EAAlate" {
		t.Fatalf("a token stored after a miss = %q", got)
	}

	// A change through the vault is what the next read sees, without a read.
	gets := c.gets
	if err := v.SetPageToken("2000", "EAAnew"); err != nil {
		t.Fatal(err)
	}
	if got, _ := v.PageToken("2000"); got != "EAAnew" || c.gets != gets {
		t.Fatalf("after SetPageToken: %q with %d reads", got, c.gets-gets)
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
}

func TestVaultWithoutBulkFallsBackToSingleCalls(t *testing.T) {
	c := &counting{m: NewMemory()}
	v := New(c)
	if err := v.SetTokens("9", "EAAuser", map[string]string{"1": "EAAp1", "2": "EAAp2"}); err != nil {
		t.Fatal(err)
	}
	if c.sets != 3 {
		t.Fatalf("%d single writes, want 3", c.sets)
	}
	v = New(c)
	if err := v.LoadTokens([]string{"1", "2", "3"}, []string{"9"}); err != nil {
		t.Fatal(err)
	}
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
