package keeper

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/notify/notifytest"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// On the real session bus: one notification per transition, none for
// faults, and a click on it asks the window to open the Page.
func TestNotificationsOverDBus(t *testing.T) {
	bus := notifytest.PrivateBus(t)
	rec := notifytest.StartOn(t, bus)
	d, err := notify.NewDBus(notify.DBusOptions{Address: bus})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rec.Only(d.BusName())

	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	focus := make(chan string, 4)
	k, err := Open(context.Background(), Options{
		DataDir: t.TempDir(), Secrets: vault.NewMemory(), GraphURL: sb.URL(), FacebookURL: sb.URL(), Sender: d,
		Emit: func(name string, data any) {
			if name == EventFocusPage {
				focus <- data.(string)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	d.OnAction(k.FocusPage)
	f := &fixture{t: t, sb: sb, k: k}
	f.useFreePort()
	id, secret := sb.App()
	if err := k.SetupApp(context.Background(), id, secret); err != nil {
		t.Fatal(err)
	}
	res := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	var ids []string
	for _, c := range res.Candidates {
		ids = append(ids, c.ID)
	}
	if _, err := k.FinishConnect(context.Background(), ids); err != nil {
		t.Fatal(err)
	}

	// A fault alone: Pages keep their status, nobody is bothered.
	sb.Apply(sandbox.Scenario{Kind: sandbox.HTML500, Rate: 1})
	k.Check(context.Background(), nil)
	sb.Clear(sandbox.Scenario{Kind: sandbox.HTML500})
	if n := len(rec.Calls()); n != 0 {
		t.Fatalf("%d notifications for an outage", n)
	}

	sb.Apply(sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: res.PersonID})
	for range 3 {
		if _, err := k.Check(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	calls := rec.Calls()
	if len(calls) != 1 {
		t.Fatalf("want exactly one notification for the transition, got %d: %+v", len(calls), calls)
	}
	if !strings.Contains(calls[0].Summary+calls[0].Body, "Dana") || calls[0].AppName != "Pagekeeper" {
		t.Errorf("notification %+v", calls[0])
	}
	if err := rec.Invoke(calls[0].ID, notify.ActionDefault); err != nil {
		t.Fatal(err)
	}
	select {
	case page := <-focus:
		if p, err := k.db.GetPage(page); err != nil || p.Status != "invalid" {
			t.Errorf("click opened %q (%v, %s)", page, err, p.Status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the click did not reach the window")
	}

	// The repair takes the notification back: what it said no longer holds.
	sb.Clear(sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: res.PersonID})
	if got := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); !got.OK {
		t.Fatalf("reconnect: %+v", got)
	}
	if closed := rec.Closed(); len(closed) != 1 || closed[0] != calls[0].ID {
		t.Fatalf("closed %v, want the notification %d withdrawn", closed, calls[0].ID)
	}
	if n := len(rec.Calls()); n != 1 {
		t.Errorf("%d notifications after the repair, want none new", n)
	}
}
