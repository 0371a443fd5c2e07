package keeper

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

func (f *fixture) connectAllPages() LoginResult {
	f.t.Helper()
	res := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if !res.OK {
		f.t.Fatalf("login: %+v", res)
	}
	var ids []string
	for _, c := range res.Candidates {
		ids = append(ids, c.ID)
	}
	if _, err := f.k.FinishConnect(context.Background(), ids); err != nil {
		f.t.Fatal(err)
	}
	return res
}

// tokens reads every Page token and the user token from the vault.
func (f *fixture) tokens(personID string) map[string]string {
	f.t.Helper()
	out := map[string]string{}
	snap, _ := f.k.Snapshot()
	for _, p := range snap.Pages {
		tok, err := f.k.vault.PageToken(p.ID)
		if err != nil && !errors.Is(err, vault.ErrNotFound) {
			f.t.Fatal(err)
		}
		out[p.ID] = tok
	}
	out["user"], _ = f.k.vault.UserToken(personID)
	return out
}

func sameTokens(t *testing.T, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("token of %s changed (%d bytes -> %d bytes)", k, len(v), len(after[k]))
		}
	}
}

func TestCancelledReauthorizationKeepsWorkingTokens(t *testing.T) {
	f := newFixture(t)
	res := f.connectAllPages()
	before := f.tokens(res.PersonID)
	got := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield", Cancel: true})
	if got.OK || !got.Cancelled || !strings.Contains(got.Error, "nothing was changed") {
		t.Fatalf("cancelled reauthorization: %+v", got)
	}
	sameTokens(t, before, f.tokens(res.PersonID))
	for _, p := range f.pages() {
		if p.Status == "invalid" {
			t.Errorf("%s became invalid after a cancelled login", p.Name)
		}
	}
}

// failingTransport breaks every request whose path contains part, as a
// network dropping mid-way through the exchange would.
type failingTransport struct {
	part string
	hits atomic.Int32
}

func (f *failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, f.part) {
		f.hits.Add(1)
		return nil, errors.New("connection reset by peer")
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestFacebookUnreachableMidExchangeChangesNothing(t *testing.T) {
	f := newFixture(t)
	res := f.connectAllPages()
	before := f.tokens(res.PersonID)
	ft := &failingTransport{part: "me/accounts"}
	f.k.opts.HTTPClient = &http.Client{Transport: ft}
	f.k.client = nil // rebuild the Graph client with the failing transport
	got := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if got.OK || ft.hits.Load() == 0 || !strings.Contains(got.Error, "nothing was changed") {
		t.Fatalf("reauthorization through a broken network: %+v (hits %d)", got, ft.hits.Load())
	}
	sameTokens(t, before, f.tokens(res.PersonID))
}

func TestNoPagesGranted(t *testing.T) {
	f := newFixture(t)
	got := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield", Pages: []string{}})
	if got.OK || !strings.Contains(got.Error, "access to no Pages") {
		t.Fatalf("login with no Page ticked: %+v", got)
	}
	if snap, _ := f.k.Snapshot(); len(snap.Pages) != 0 {
		t.Fatalf("%d Pages stored", len(snap.Pages))
	}
}

func TestWrongAppSecretIsRefusedAndNothingStored(t *testing.T) {
	f := newFixture(t)
	id, _ := f.sb.App()
	err := f.k.SetupApp(context.Background(), id, "0123456789abcdef0123456789abcdef")
	got, _ := AppCheckOf(f.k.AppName(), err)
	if got.Field != "appSecret" || strings.Count(got.Problem, "did not accept") != 1 || got.AppName != "" {
		t.Fatalf("wrong secret: %+v", got)
	}
	if snap, _ := f.k.Snapshot(); snap.AppName != sandbox.DefaultAppName {
		t.Fatalf("the app's name from the first setup: %q", snap.AppName)
	}
	if !f.k.Configured() {
		t.Fatal("the working setup was lost")
	}
	if err := f.k.SetupApp(context.Background(), "12ab", "x"); err == nil || !strings.Contains(err.Error(), "number") {
		t.Fatalf("non-numeric App ID: %v", err)
	}
}

func TestDisconnectKeepsHistoryAndReconnectRestores(t *testing.T) {
	f := newFixture(t)
	res := f.connectAllPages()
	page := sandbox.PageCatering
	if err := f.k.Disconnect(context.Background(), page, true, "you"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.k.vault.PageToken(page); !errors.Is(err, vault.ErrNotFound) {
		t.Fatalf("token still in the vault: %v", err)
	}
	d, err := f.k.PageDetail(page)
	if err != nil {
		t.Fatal(err)
	}
	if d.Page.Status != "disconnected" || len(d.History) < 2 || d.Activity[0].Kind != "disconnected" || !strings.Contains(d.Activity[0].Details, "unsubscribed") {
		t.Fatalf("after disconnect: %+v", d)
	}
	// Checks leave a disconnected Page alone.
	f.k.Check(context.Background(), nil)
	if p := f.pages()[page]; p.Status != "disconnected" {
		t.Fatalf("a check changed a disconnected Page to %s", p.Status)
	}
	got := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	var cand *Candidate
	for i := range got.Candidates {
		if got.Candidates[i].ID == page {
			cand = &got.Candidates[i]
		}
	}
	if cand == nil || cand.AlreadyConnected {
		t.Fatalf("the disconnected Page should be offered as not connected: %+v", got.Candidates)
	}
	if _, err := f.k.FinishConnect(context.Background(), []string{page}); err != nil {
		t.Fatal(err)
	}
	d, _ = f.k.PageDetail(page)
	if d.Page.Status == "disconnected" || d.Activity[0].Kind == "disconnected" || len(d.History) < 3 {
		t.Fatalf("after connecting again: status %s, history %d, last %+v", d.Page.Status, len(d.History), d.Activity[0])
	}

	if err := f.k.RemoveProfile(context.Background(), res.PersonID, "you"); err != nil {
		t.Fatal(err)
	}
	for id, tok := range f.tokens(res.PersonID) {
		if tok != "" {
			t.Errorf("%s: token still stored after removing the person", id)
		}
	}
}

func TestLastLoginWaitsForTheChoiceThenClears(t *testing.T) {
	f := newFixture(t)
	res := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if last := f.k.LastLogin(); !last.OK || len(last.Candidates) != len(res.Candidates) {
		t.Fatalf("before the choice: %+v", last)
	}
	if _, err := f.k.FinishConnect(context.Background(), []string{res.Candidates[0].ID}); err != nil {
		t.Fatal(err)
	}
	if last := f.k.LastLogin(); last.OK || len(last.Candidates) != 0 {
		t.Fatalf("after the choice: %+v", last)
	}
}
