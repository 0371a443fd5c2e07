//go:build linux

package hardening

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/internal/testdisk"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// keychainKeys lists the entry names stored under service, with secret-tool.
func keychainKeys(t *testing.T, service string) []string {
	t.Helper()
	out, _ := exec.Command("secret-tool", "search", "--all", "service", service).CombinedOutput()
	var keys []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "attribute.username = "); ok {
			keys = append(keys, v)
		}
	}
	return keys
}

// connectAllNow plays a command-line connect (every granted Page chosen up
// front) and returns the result and what the browser tab said.
func (r *rig) connectAllNow(persona string) (keeper.LoginResult, string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start, err := r.k.StartConnect(ctx, keeper.LoginRequest{NoBrowser: true}, func(cs []keeper.Candidate) ([]string, error) {
		var ids []string
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		return ids, nil
	})
	if err != nil {
		r.t.Fatal(err)
	}
	redirect, err := r.sb.Consent(ctx, start.URL, sandbox.ConsentChoice{Persona: persona})
	if err != nil {
		r.t.Fatal(err)
	}
	resp, err := http.Get(redirect.String())
	if err != nil {
		r.t.Fatal(err)
	}
	tab, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	res, err := r.k.WaitLogin(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return res, string(tab)
}

// A connect on a full disk is all or nothing across the database and the
// real keychain: it fails with "the disk is full", the browser tab never says
// "connected", and nothing of it remains: no person, no Page (which the next
// check would call valid), no token in the keychain. With space again, the
// same connect works.
func TestConnectOnAFullDiskLeavesNothing(t *testing.T) {
	needBus(t)
	dir := testdisk.Small(t, 512<<10)
	service := randomName("pagekeeper-test-")
	t.Cleanup(func() { vault.Keyring{Service: service}.DeleteAll() })
	r := newRig(t, rigOptions{dir: dir, secrets: vault.Keyring{Service: service}})
	before := keychainKeys(t, service)
	if len(before) != 1 || !strings.HasPrefix(before[0], "app-secret:") {
		t.Fatalf("before the connect the keychain holds %q", before)
	}

	free := testdisk.Fill(t, dir)
	res, tab := r.connectAllNow("Dana Whitfield")
	if res.OK || !strings.Contains(res.Error, "disk is full") {
		t.Fatalf("connect on a full disk: %+v", res)
	}
	if strings.Contains(tab, "connected</h1>") || !strings.Contains(tab, "<title>Login not completed") || !strings.Contains(tab, "disk is full") {
		t.Fatalf("the browser tab said:\n%s", tab)
	}
	if got := keychainKeys(t, service); len(got) != 1 {
		t.Fatalf("the keychain kept tokens of the failed connect: %q", got)
	}
	free()
	pages, err := r.k.Store().ListPages()
	if err != nil || len(pages) != 0 {
		t.Fatalf("Pages left in the database: %d (%v)", len(pages), err)
	}
	people, err := r.k.Store().ListProfiles()
	if err != nil || len(people) != 0 {
		t.Fatalf("people left in the database: %d (%v)", len(people), err)
	}

	res, tab = r.connectAllNow("Dana Whitfield")
	if !res.OK || res.Applied == nil || len(res.Applied.Connected) == 0 || !strings.Contains(tab, "You&#39;re connected</h1>") {
		t.Fatalf("connect with space again: %+v\n%s", res, tab)
	}
	// The app secret, the person's user token and the Page tokens together.
	if got := keychainKeys(t, service); len(got) != 3 || !slices.Contains(got, "page-tokens:0") {
		t.Fatalf("after the connect the keychain holds %q", got)
	}
}
