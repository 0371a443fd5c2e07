package keeper

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/internal/testport"
	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// recorder is a notify.Sender that keeps what was sent.
type recorder struct{ sent []notify.Notification }

func (r *recorder) Send(_ context.Context, n notify.Notification) error {
	r.sent = append(r.sent, n)
	return nil
}

type fixture struct {
	t    *testing.T
	sb   *sandbox.Server
	k    *Keeper
	sent *recorder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, vault.NewMemory(), t.TempDir())
}

// newFixtureOn is a fixture whose keeper keeps its secrets in secrets and
// its data in dir.
func newFixtureOn(t *testing.T, secrets vault.Secrets, dir string) *fixture {
	t.Helper()
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	rec := &recorder{}
	k, err := Open(context.Background(), Options{
		DataDir: dir, Secrets: secrets,
		GraphURL: sb.URL(), FacebookURL: sb.URL(), Sender: rec,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	f := &fixture{t: t, sb: sb, k: k, sent: rec}
	f.useFreePort()
	id, secret := sb.App()
	if err := k.SetupApp(context.Background(), id, secret); err != nil {
		t.Fatal(err)
	}
	return f
}

// useFreePort gives the login redirect a port of its own.
func (f *fixture) useFreePort() {
	set, _ := f.k.db.GetSettings()
	port := testport.Free(f.t)
	set.RedirectPort = port
	if err := f.k.db.PutSettings(set); err != nil {
		f.t.Fatal(err)
	}
}

// login runs a login in the sandbox's dialog as persona and returns its result.
func (f *fixture) login(req LoginRequest, c sandbox.ConsentChoice) LoginResult {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req.NoBrowser = true
	start, err := f.k.StartLogin(ctx, req)
	if err != nil {
		f.t.Fatal(err)
	}
	redirect, err := f.sb.Consent(ctx, start.URL, c)
	if err != nil {
		f.t.Fatal(err)
	}
	resp, err := http.Get(redirect.String())
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	res, err := f.k.WaitLogin(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *fixture) pages() map[string]PageView {
	snap, err := f.k.Snapshot()
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]PageView{}
	for _, p := range snap.Pages {
		out[p.ID] = p
	}
	return out
}

func TestConnectCheckBreakAndRepair(t *testing.T) {
	f := newFixture(t)
	res := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if !res.OK {
		t.Fatalf("login: %+v", res)
	}
	var ids []string
	portfolio := false
	for _, c := range res.Candidates {
		ids = append(ids, c.ID)
		portfolio = portfolio || c.ViaPortfolio
		if len(c.MissingPermissions) > 0 {
			t.Errorf("%s: everything was granted, yet missing %v", c.Name, c.MissingPermissions)
		}
	}
	if !portfolio {
		t.Errorf("no Business Portfolio Page among %+v", res.Candidates)
	}
	applied, err := f.k.FinishConnect(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied.Connected) != len(ids) || applied.ChecksAfter != len(ids) {
		t.Fatalf("applied %+v", applied)
	}
	for id, p := range f.pages() {
		if p.Status != "valid" && p.Status != "warning" {
			t.Errorf("page %s %s after connect: %s %s %s", id, p.Name, p.Status, p.Reason, p.Summary)
		}
	}

	if err := f.sb.Apply(sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: res.PersonID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for id, p := range f.pages() {
		if p.Status != "invalid" || p.Reason != "password_changed" {
			t.Errorf("page %s after password change: %s/%s", id, p.Status, p.Reason)
		}
	}
	if len(f.sent.sent) != 1 {
		t.Errorf("want one grouped notification, got %d: %+v", len(f.sent.sent), f.sent.sent)
	}

	rep := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if !rep.OK || rep.Applied == nil {
		t.Fatalf("reauthorize: %+v", rep)
	}
	for id, p := range f.pages() {
		if p.Status == "invalid" {
			t.Errorf("page %s still invalid after reauthorize: %s %s", id, p.Reason, p.Summary)
		}
	}
}

// A broken login speaks for the person at once, even before the hourly look
// at their user token: the window's banner names the person, not one Page.
func TestPasswordChangeMarksThePerson(t *testing.T) {
	f := newFixture(t)
	res := f.connectAllPages()
	f.sb.Apply(sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: res.PersonID})
	if _, err := f.k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	snap, _ := f.k.Snapshot()
	if len(snap.Profiles) != 1 {
		t.Fatalf("profiles %+v", snap.Profiles)
	}
	p := snap.Profiles[0]
	if p.Status != "invalid" || p.Reason != "password_changed" || !strings.Contains(p.Summary, "Dana Whitfield's Pages") {
		t.Fatalf("person after a password change: %+v", p)
	}
}

// countingSecrets counts the reads that reach the keychain.
type countingSecrets struct {
	vault.Secrets
	gets int
}

func (c *countingSecrets) Get(key string) (string, error) {
	c.gets++
	return c.Secrets.Get(key)
}

// The window's first paint (a snapshot) does not wait for the keychain.
func TestSnapshotDoesNotReadTheKeychain(t *testing.T) {
	f := newFixture(t)
	dir := f.k.DataDir()
	secrets := &countingSecrets{Secrets: vault.NewMemory()}
	id, secret := f.sb.App()
	if err := secrets.Set("app-secret:"+id, secret); err != nil {
		t.Fatal(err)
	}
	f.k.Close()
	k, err := Open(context.Background(), Options{DataDir: dir, Secrets: secrets, GraphURL: f.sb.URL(), FacebookURL: f.sb.URL(), Sender: &recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	snap, err := k.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if !snap.Configured || secrets.gets != 0 {
		t.Fatalf("snapshot: configured %v after %d keychain reads, want true after 0", snap.Configured, secrets.gets)
	}
	// Once the secret is known to be gone, the snapshot says so.
	if err := k.vault.DeleteAppSecret(id); err != nil {
		t.Fatal(err)
	}
	if _, err := k.vault.AppSecret(id); err == nil {
		t.Fatal("the deleted secret is still there")
	}
	if snap, _ := k.Snapshot(); snap.Configured {
		t.Fatal("a snapshot says configured while the app secret is known to be missing")
	}
}

// After the window has its snapshot, a check sends only what changed: the
// Pages whose only change is the time of the check go by id.
func TestChecksSendChangesNotSnapshots(t *testing.T) {
	var mu sync.Mutex
	var events []any
	clock := time.Now()
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	}
	later := func() {
		mu.Lock()
		clock = clock.Add(time.Minute)
		mu.Unlock()
	}
	k, sb := connectAll(t, sandbox.Options{}, 7, Options{Now: now, Emit: func(name string, data any) {
		if name == EventSnapshot || name == EventChanges {
			mu.Lock()
			events = append(events, data)
			mu.Unlock()
		}
	}})
	snap, err := k.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	last := func() any {
		mu.Lock()
		defer mu.Unlock()
		return events[len(events)-1]
	}
	later()
	if _, err := k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	c, ok := last().(SnapshotChanges)
	if !ok {
		t.Fatalf("a check after the snapshot sent %T", last())
	}
	if c.Base != snap.Seq || c.Snapshot.Seq != snap.Seq+1 || len(c.Snapshot.Pages) != 0 {
		t.Fatalf("changes to %d (snapshot %d), numbered %d, with %d Pages whole", c.Base, snap.Seq, c.Snapshot.Seq, len(c.Snapshot.Pages))
	}
	stamped := func(c SnapshotChanges) []string {
		for _, st := range c.Stamps {
			if st.Field == "checkedAt" && st.At != "" {
				return st.IDs
			}
		}
		return nil
	}
	if ids := stamped(c); len(ids) != 7 || len(c.Changed) != 0 || c.Snapshot.Counts.Total != 7 {
		t.Fatalf("checked again %d, changed %d, counts %+v, stamps %+v", len(ids), len(c.Changed), c.Snapshot.Counts, c.Stamps)
	}
	broken := stamped(c)[0]

	// A Page that breaks travels whole; the others by id.
	if err := sb.Apply(sandbox.Scenario{Kind: sandbox.RoleRemoved, Persona: sandbox.DanaID, Page: broken}); err != nil {
		t.Fatal(err)
	}
	later()
	if _, err := k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	c2 := last().(SnapshotChanges)
	if c2.Base != c.Snapshot.Seq || len(c2.Changed) != 1 || c2.Changed[0].ID != broken || len(stamped(c2)) != 6 {
		t.Fatalf("after one Page broke: base %d, changed %+v, checked again %d", c2.Base, c2.Changed, len(stamped(c2)))
	}

	// Applied in turn, the changes make the snapshot the window would fetch.
	got, ok := c.Apply(snap)
	if ok {
		got, ok = c2.Apply(got)
	}
	want, err := k.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	want.Seq = got.Seq
	if !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("the changes applied (%v) do not make the snapshot:\n got %+v\nwant %+v", ok, got.Pages, want.Pages)
	}
	if _, ok := c2.Apply(snap); ok {
		t.Fatal("changes applied to a snapshot they are not about")
	}
}
