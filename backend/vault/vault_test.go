package vault

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestMemoryBehavesLikeAKeychain(t *testing.T) {
	m := NewMemory()
	if _, err := m.Get("k"); err != ErrNotFound {
		t.Fatalf("Get of a missing key = %v", err)
	}
	if err := m.Delete("k"); err != nil {
		t.Fatalf("Delete of a missing key = %v", err)
	}
	if err := m.Set("k", "v1"); err != nil {
		t.Fatal(err)
	}
	if err := m.Set("k", "v2"); err != nil {
		t.Fatal(err)
	}
	if got, err := m.Get("k"); err != nil || got != "v2" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := m.Set("big", strings.Repeat("x", MaxSecretBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversized Set = %v", err)
	}
	if m.Len() != 1 {
		t.Fatalf("Len = %d, want 1 (the oversized value must not be kept)", m.Len())
	}
	if err := m.Delete("k"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Get("k"); err != ErrNotFound {
		t.Fatalf("Get after Delete = %v", err)
	}
}

func TestMemoryConcurrentUse(t *testing.T) {
	var m Memory // the zero value is ready
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				key := fmt.Sprintf("k%d-%d", i, j)
				if err := m.Set(key, "v"); err != nil {
					t.Error(err)
				}
				if _, err := m.Get(key); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if m.Len() != 800 {
		t.Fatalf("Len = %d, want 800", m.Len())
	}
}

func TestVaultKeyScheme(t *testing.T) {
	m := NewMemory()
	v := New(m)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// The same ID in three roles gives three separate entries.
	must(v.SetAppSecret("42", "app-secret-value"))
	must(v.SetUserToken("42", "user-token-value"))
	must(v.SetPageToken("42", "page-token-value"))
	for key, want := range map[string]string{
		"app-secret:42": "app-secret-value",
		"user-token:42": "user-token-value",
		"page-tokens:0": `{"gen":1,"tokens":{"42":"page-token-value"}}`,
	} {
		if got, err := m.Get(key); err != nil || got != want {
			t.Errorf("entry %s = %q, %v; want %q", key, got, err, want)
		}
	}
	for name, get := range map[string]func(string) (string, error){
		"AppSecret": v.AppSecret, "UserToken": v.UserToken, "PageToken": v.PageToken,
	} {
		if _, err := get("43"); err != ErrNotFound {
			t.Errorf("%s of an unknown ID = %v, want ErrNotFound", name, err)
		}
	}

	must(v.DeletePageToken("42"))
	if _, err := v.PageToken("42"); err != ErrNotFound {
		t.Fatalf("PageToken after delete = %v", err)
	}
	if got, _ := v.UserToken("42"); got != "user-token-value" {
		t.Fatal("deleting the Page token touched the user token")
	}
	must(v.DeleteUserToken("42"))
	must(v.DeleteAppSecret("42"))
	if m.Len() != 0 {
		t.Fatalf("%d entries left", m.Len())
	}
}

func TestVaultRejectsBadInputAndKeepsOldValue(t *testing.T) {
	m := NewMemory()
	v := New(m)
	if err := v.SetPageToken("1", "good"); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name, id, value, want string
	}{
		{"empty ID", "", "x", "ID is empty"},
		{"space in ID", "1 2", "x", "contains a space"},
		{"colon in ID", "a:b", "x", "colon"},
		{"long ID", strings.Repeat("9", 129), "x", "at most 128"},
		{"empty value", "1", "", "empty"},
		{"padded value", "1", " EAAx\n", "white space"},
		{"oversized value", "1", "EAA" + strings.Repeat("z", MaxSecretBytes), "too large"},
	}
	for _, c := range bad {
		err := v.SetPageToken(c.id, c.value)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
			continue
		}
		if c.value != "" && strings.Contains(err.Error(), c.value) {
			t.Errorf("%s: the error contains the value", c.name)
		}
	}
	if got, _ := v.PageToken("1"); got != "good" {
		t.Fatalf("bad input changed the stored token to %q", got)
	}
	if _, err := v.UserToken("x y"); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("a bad ID on read = %v, want a validation error", err)
	}
}

func TestVaultForgetProfileAndClear(t *testing.T) {
	m := NewMemory()
	v := New(m)
	for _, id := range []string{"p1", "p2", "p3"} {
		if err := v.SetPageToken(id, "t-"+id); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.SetUserToken("u1", "ut"); err != nil {
		t.Fatal(err)
	}
	if err := v.SetAppSecret("9", "s"); err != nil {
		t.Fatal(err)
	}
	// p9 was never stored: forgetting it is not an error.
	if err := v.ForgetProfile("u1", "p1", "p2", "p9"); err != nil {
		t.Fatal(err)
	}
	if m.Len() != 2 {
		t.Fatalf("after ForgetProfile %d entries, want p3 and the app secret", m.Len())
	}
	if got, _ := v.PageToken("p3"); got != "t-p3" {
		t.Fatal("ForgetProfile removed a Page it was not given")
	}
	if err := v.Clear(); err != nil {
		t.Fatal(err)
	}
	if m.Len() != 0 {
		t.Fatalf("after Clear %d entries", m.Len())
	}
}

// onlySecrets hides Memory's DeleteAll, as a third-party Secrets would.
type onlySecrets struct{ Secrets }

func TestVaultClearNeedsDeleteAll(t *testing.T) {
	v := New(onlySecrets{NewMemory()})
	if err := v.Clear(); err == nil {
		t.Fatal("Clear on a store that cannot enumerate gave no error")
	}
}

func TestUnavailableErrorMessages(t *testing.T) {
	cause := errors.New("boom")
	for _, c := range []struct {
		r    Reason
		want string
	}{
		{Absent, "install or start one"},
		{Locked, "the system keychain is locked: unlock it"},
		{Other, "check that it runs and is unlocked"},
	} {
		e := &UnavailableError{Reason: c.r, Cause: cause}
		if !strings.Contains(e.Error(), c.want) || !strings.Contains(e.Error(), "boom") {
			t.Errorf("%v: %q lacks %q or its cause", c.r, e.Error(), c.want)
		}
		if !errors.Is(e, cause) {
			t.Errorf("%v: does not unwrap to its cause", c.r)
		}
	}
}
