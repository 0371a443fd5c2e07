package keeper

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/hooks"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// A repair delivers each Page's new token to the hook, on stdin, exactly
// once, whether the change came from a login or a check.
func TestReconnectDeliversTheNewTokenOnStdinOnce(t *testing.T) {
	f := newFixture(t)
	f.k.hooks.Backoff = 10 * time.Millisecond
	dir := t.TempDir()
	script := filepath.Join(dir, "deploy.sh")
	// Each run appends "EVENT STDIN" to the Page's own file.
	os.WriteFile(script, []byte(`#!/bin/sh
printf '%s %s\n' "$PAGEKEEPER_EVENT" "$(cat)" >> "$1/runs-$PAGEKEEPER_PAGE_ID"
echo "$PAGEKEEPER_EVENT for $PAGEKEEPER_PAGE_NAME ($PAGEKEEPER_STATUS)"
`), 0o700)
	if _, err := f.k.SetHook(HookInput{Command: fmt.Sprintf("'%s' '%s'", script, dir)}); err != nil {
		t.Fatal(err)
	}
	res := f.connectAllPages()
	f.k.WaitHooks()
	first := f.tokens(res.PersonID)

	if err := f.sb.Apply(sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: res.PersonID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	re := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if !re.OK {
		t.Fatalf("reauthorize: %+v", re)
	}
	f.k.WaitHooks()
	now := f.tokens(res.PersonID)
	pages := f.pages()
	if len(pages) < 2 {
		t.Fatalf("%d Pages", len(pages))
	}
	for id, p := range pages {
		raw, err := os.ReadFile(filepath.Join(dir, "runs-"+id))
		if err != nil {
			t.Fatalf("%s: the hook never ran: %v", p.Name, err)
		}
		want := strings.Join([]string{
			"new_token " + first[id], // connect
			"stopped_working ",       // the password change, found by a check
			"new_token " + now[id],   // the reconnect
			"works_again ",           // the check after it
		}, "\n") + "\n"
		if string(raw) != want {
			t.Errorf("%s: the hook saw\n%s\nwant\n%s", p.Name, raw, want)
		}
		if first[id] == now[id] || strings.Count(string(raw), now[id]) != 1 {
			t.Errorf("%s: the new token was not delivered exactly once", p.Name)
		}
		d, err := f.k.PageDetail(id)
		if err != nil {
			t.Fatal(err)
		}
		runs := 0
		for _, a := range d.Activity {
			if a.Kind == hooks.KindRun {
				runs++
				if strings.Contains(a.Details, now[id][:20]) || strings.Contains(a.Details, first[id][:20]) {
					t.Errorf("%s: the history holds a token: %s", p.Name, a.Details)
				}
			}
		}
		if runs != 4 {
			t.Errorf("%s: %d hook runs in the activity, want 4", p.Name, runs)
		}
	}
}

func TestSetHookChecksWhatItStores(t *testing.T) {
	f := newFixture(t)
	for _, in := range []HookInput{
		{},
		{Command: "true", URL: "https://example.com/"},
		{URL: "http://hooks.example.com/"},
		{URL: "https://hooks.example.com/", Secret: "short"},
		{URL: "https://hooks.example.com/"}, // no secret stored yet
		{PageID: "404", Command: "true"},
		{Command: "true", TimeoutSeconds: 601},
	} {
		if _, err := f.k.SetHook(in); err == nil {
			t.Errorf("SetHook(%+v) accepted", in)
		}
	}
	h, err := f.k.SetHook(HookInput{URL: "https://hooks.example.com/pk", Secret: "0123456789abcdef-secret", WithCredential: true})
	if err != nil || h.ID != "all-webhook" || !h.HasSecret {
		t.Fatalf("SetHook webhook: %+v, %v", h, err)
	}
	// Set again without a secret: the stored one stays.
	if h, err = f.k.SetHook(HookInput{URL: "https://hooks.example.com/v2"}); err != nil || !h.HasSecret || h.WithCredential {
		t.Fatalf("SetHook again: %+v, %v", h, err)
	}
	if err := f.k.RemoveHook("all-webhook"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.k.vault.HookSecret("all-webhook"); err == nil {
		t.Error("the signing secret outlived its hook")
	}
	if hs, _ := f.k.Hooks(); len(hs) != 0 {
		t.Errorf("hooks left: %+v", hs)
	}
}

// A Page left out of a login stops working at once, without a check noticing.
func TestAPageLeftOutOfALoginRunsStoppedWorking(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	if _, err := f.k.SetHook(HookInput{Command: fmt.Sprintf(`printf '%%s %%s\n' "$PAGEKEEPER_EVENT" "$PAGEKEEPER_REASON" >> '%s'/"runs-$PAGEKEEPER_PAGE_ID"`, dir)}); err != nil {
		t.Fatal(err)
	}
	res := f.connectAllPages()
	var keep []string
	for _, c := range res.Candidates {
		if c.ID != sandbox.PageCatering {
			keep = append(keep, c.ID)
		}
	}
	re := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield", Pages: keep})
	if !re.OK {
		t.Fatalf("reauthorize: %+v", re)
	}
	f.k.WaitHooks()
	raw, _ := os.ReadFile(filepath.Join(dir, "runs-"+sandbox.PageCatering))
	if want := "new_token \nstopped_working page_not_granted\n"; string(raw) != want {
		t.Errorf("the Page left out saw %q, want %q", raw, want)
	}
	raw, _ = os.ReadFile(filepath.Join(dir, "runs-"+sandbox.PageBakery))
	if want := "new_token \nnew_token \n"; string(raw) != want {
		t.Errorf("a Page kept saw %q, want %q", raw, want)
	}
}

func TestAHookThatFailsForGoodIsANotice(t *testing.T) {
	f := newFixture(t)
	f.k.hooks.Backoff = time.Millisecond
	if _, err := f.k.SetHook(HookInput{Command: "echo receiver down; exit 2"}); err != nil {
		t.Fatal(err)
	}
	f.connectAllPages()
	f.k.WaitHooks()
	var failed []Notice
	for _, n := range f.k.Notices() {
		if strings.Contains(n.Message, "The hook all-command failed on new_token") {
			failed = append(failed, n)
		}
	}
	if len(failed) != len(f.pages()) || failed[0].Level != "warning" || !strings.Contains(failed[0].Message, "after 3 attempts: exited with status 2") {
		t.Errorf("%d notices for %d Pages: %+v", len(failed), len(f.pages()), failed)
	}
}
