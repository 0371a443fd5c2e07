package keeper

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/monitor"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// The window's Check now (and Check again) read everything that decides a
// Page's status, in the same running Keeper whose periodic checks read the
// person's roles only hourly: what an admin or the person changed on
// Facebook shows at the next one, and so does putting it back.
func TestCompleteCheckSeesChangesAndTheirUndoing(t *testing.T) {
	cases := []struct {
		sc     sandbox.Scenario
		status string
		reason string
	}{
		{sandbox.Scenario{Kind: sandbox.TaskRemoved, Persona: sandbox.DanaID, Page: sandbox.PageCatering, Task: sandbox.TaskCreateContent}, "warning", "task_missing"},
		{sandbox.Scenario{Kind: sandbox.PermissionDeclined, Persona: sandbox.DanaID, Permission: "pages_manage_posts"}, "warning", "permission_missing"},
		{sandbox.Scenario{Kind: sandbox.WebhooksUnsubscribed, Page: sandbox.PageCatering}, "warning", "webhooks_unsubscribed"},
	}
	f := newFixture(t)
	f.connectAllPages()
	ctx := context.Background()
	for _, c := range cases {
		t.Run(string(c.sc.Kind), func(t *testing.T) {
			if p := f.pages()[sandbox.PageCatering]; p.Status != "valid" {
				t.Fatalf("before: %s/%s %s", p.Status, p.Reason, p.Summary)
			}
			if err := f.sb.Apply(c.sc); err != nil {
				t.Fatal(err)
			}
			// A periodic check right after does not read roles, permissions
			// or webhooks again (they were read less than DeepEvery ago)...
			before, _ := f.k.db.GetPage(sandbox.PageCatering)
			if _, err := f.k.run(ctx, monitor.Scope{}); err != nil {
				t.Fatal(err)
			}
			light, _ := f.k.db.GetPage(sandbox.PageCatering)
			if !light.CheckedAt.After(before.CheckedAt) || !light.RolesCheckedAt.Equal(before.RolesCheckedAt) || !light.WebhooksCheckedAt.Equal(before.WebhooksCheckedAt) {
				t.Errorf("periodic check: access %v -> %v, roles %v -> %v, webhooks %v -> %v: only access was read",
					before.CheckedAt, light.CheckedAt, before.RolesCheckedAt, light.RolesCheckedAt, before.WebhooksCheckedAt, light.WebhooksCheckedAt)
			}
			// ... Check now does, and says so per aspect.
			if err := f.k.CheckNowAndWait(ctx); err != nil {
				t.Fatal(err)
			}
			p := f.pages()[sandbox.PageCatering]
			if p.Status != c.status || p.Reason != c.reason {
				t.Fatalf("after %s and Check now: %s/%s %s", c.sc.Kind, p.Status, p.Reason, p.Summary)
			}
			if p.RolesCheckedAt == "" || p.RolesCheckedAt != p.CheckedAt || p.WebhooksCheckedAt != p.CheckedAt {
				t.Errorf("aspects after Check now: access %s, roles %s, webhooks %s", p.CheckedAt, p.RolesCheckedAt, p.WebhooksCheckedAt)
			}
			if err := f.sb.Clear(c.sc); err != nil {
				t.Fatal(err)
			}
			if _, err := f.k.CheckPage(ctx, sandbox.PageCatering); err != nil {
				t.Fatal(err)
			}
			if p := f.pages()[sandbox.PageCatering]; p.Status != "valid" {
				t.Fatalf("put back, Check again: %s/%s %s", p.Status, p.Reason, p.Summary)
			}
		})
	}
}

// CheckNowAndWait is the window's Check now on a Keeper whose loop runs:
// it waits for the loop's first (periodic) check, asks, and waits for the
// check it asked for.
func (k *Keeper) CheckNowAndWait(ctx context.Context) error {
	loop, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); k.Run(loop) }()
	defer func() { cancel(); <-done }()
	start := k.finishedChecks()
	wait := func(n uint64) error {
		for k.finishedChecks() < n {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(5 * time.Millisecond):
			}
		}
		return nil
	}
	if err := wait(start + 1); err != nil {
		return err
	}
	k.CheckNow(ctx)
	return wait(start + 2)
}

func (k *Keeper) finishedChecks() uint64 {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.finished
}

func TestCheckPageAndPersonRefuseUnknownIDs(t *testing.T) {
	f := newFixture(t)
	res := f.connectAllPages()
	ctx := context.Background()
	if _, err := f.k.CheckPage(ctx, "999"); err == nil {
		t.Error("checked a Page that is not connected")
	}
	if _, err := f.k.CheckPerson(ctx, "999"); err == nil {
		t.Error("checked a person who connected nothing")
	}
	rep, err := f.k.CheckPerson(ctx, res.PersonID)
	if err != nil || rep.Pages != len(res.Candidates) || rep.Checked != rep.Pages {
		t.Fatalf("check of Dana's Pages: %+v %v", rep, err)
	}
	// A complete check uses no more requests than batching allows.
	if rep.Requests != rep.MinRequests {
		t.Errorf("complete check of %d Pages: %d requests, batching allows %d", rep.Pages, rep.Requests, rep.MinRequests)
	}
}

// A Page unticked at a re-login ends invalid (page_not_granted), with an
// entry in its activity log and one notification; later checks keep it so
// without telling the owner again.
func TestPageUntickedAtReloginIsInvalidOnce(t *testing.T) {
	f := newFixture(t)
	res := f.connectAllPages()
	var keep []string
	for _, c := range res.Candidates {
		if c.ID != sandbox.PageCatering {
			keep = append(keep, c.ID)
		}
	}
	sentBefore := len(f.sent.sent)
	got := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID},
		sandbox.ConsentChoice{Persona: "Dana Whitfield", EditSettings: true, Pages: keep})
	if !got.OK || got.Applied == nil || !slices.Contains(got.Applied.NotGranted, "Harbor Street Catering") {
		t.Fatalf("re-login without Catering: %+v", got)
	}
	check := func(when string) {
		t.Helper()
		p := f.pages()[sandbox.PageCatering]
		if p.Status != "invalid" || p.Reason != "page_not_granted" {
			t.Fatalf("%s: Catering %s/%s", when, p.Status, p.Reason)
		}
		if p := f.pages()[sandbox.PageBakery]; p.Status == "invalid" {
			t.Fatalf("%s: Bakery %s/%s", when, p.Status, p.Reason)
		}
	}
	check("after the login")
	d, err := f.k.PageDetail(sandbox.PageCatering)
	if err != nil || d.Activity[0].Kind != "not_granted" {
		t.Fatalf("activity log: %+v %v", d.Activity, err)
	}
	sent := f.sent.sent[sentBefore:]
	if len(sent) != 1 || !strings.Contains(sent[0].Title+sent[0].Body, "Catering") {
		t.Fatalf("notifications after the login: %+v", sent)
	}
	for range 2 {
		if _, err := f.k.Check(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		check("after a check")
	}
	if n := len(f.sent.sent) - sentBefore; n != 1 {
		t.Fatalf("%d notifications in all, want 1: %+v", n, f.sent.sent[sentBefore:])
	}
}

// A Page Facebook lists without a Page token (the field left out, or
// empty) is skipped with plain words in the chooser and in the summary;
// every other Page connects and nothing is stored for the skipped one. At a
// later login it is not taken for a Page left out of the grant.
func TestPageWithoutTokenIsSkipped(t *testing.T) {
	for _, kind := range []sandbox.Kind{sandbox.PageTokenMissing, sandbox.PageTokenEmpty} {
		t.Run(string(kind), func(t *testing.T) {
			f := newFixture(t)
			if err := f.sb.Apply(sandbox.Scenario{Kind: kind, Page: sandbox.PageCatering}); err != nil {
				t.Fatal(err)
			}
			res := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
			if !res.OK || len(res.Skipped) != 1 || res.Skipped[0].ID != sandbox.PageCatering || !strings.Contains(res.Skipped[0].Why, "gave Pagekeeper no access to it") {
				t.Fatalf("login: %+v", res)
			}
			var ids []string
			for _, c := range res.Candidates {
				if c.ID == sandbox.PageCatering {
					t.Fatalf("the tokenless Page is offered: %+v", c)
				}
				ids = append(ids, c.ID)
			}
			applied, err := f.k.FinishConnect(context.Background(), ids)
			if err != nil || len(applied.Connected) != len(ids) || len(applied.Skipped) != 1 || applied.Skipped[0].Name != "Harbor Street Catering" {
				t.Fatalf("connect: %+v %v", applied, err)
			}
			pages := f.pages()
			if _, stored := pages[sandbox.PageCatering]; stored {
				t.Fatal("a record was stored for the skipped Page")
			}
			if tok, _ := f.k.vault.PageToken(sandbox.PageCatering); tok != "" {
				t.Fatal("a token was stored for the skipped Page")
			}
			for id, p := range pages {
				if p.Status != "valid" && p.Status != "warning" {
					t.Errorf("%s: %s/%s", id, p.Status, p.Reason)
				}
			}
		})
	}
	t.Run("at a later login", func(t *testing.T) {
		f := newFixture(t)
		res := f.connectAllPages()
		f.sb.Apply(sandbox.Scenario{Kind: sandbox.PageTokenMissing, Page: sandbox.PageCatering})
		got := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
		if !got.OK || got.Applied == nil || len(got.Applied.NotGranted) != 0 || len(got.Applied.Skipped) != 1 {
			t.Fatalf("re-login with Catering tokenless: %+v %+v", got, got.Applied)
		}
		if p := f.pages()[sandbox.PageCatering]; p.Status != "valid" {
			t.Fatalf("Catering, still granted, became %s/%s", p.Status, p.Reason)
		}
	})
}

// Every scenario of the demo's Simulate panel changes what the dashboard
// shows within the one check Simulate runs, and Reset (with a reconnect for
// the scenarios that kill tokens, as on Facebook) brings the dashboard back.
func TestEveryDemoScenarioChangesTheDashboard(t *testing.T) {
	rec := &recorder{}
	k, err := Open(context.Background(), Options{Demo: true, Sender: rec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	f := &fixture{t: t, sb: k.sb, k: k, sent: rec}
	res := f.connectAllPages()
	ctx := context.Background()
	view := func() string {
		snap, err := k.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, p := range snap.Pages {
			b.WriteString(p.ID + " " + p.Status + " " + p.Reason + " " + p.InstagramUsername + "\n")
		}
		for _, p := range snap.Profiles {
			b.WriteString(p.ID + " " + p.Status + " " + p.Reason + "\n")
		}
		return b.String() + snap.Check.Error
	}
	settle := func(do func() error) {
		t.Helper()
		n := k.finishedChecks()
		if err := do(); err != nil {
			t.Fatal(err)
		}
		for k.finishedChecks() == n {
			time.Sleep(5 * time.Millisecond)
		}
	}
	base := view()
	// Harbor Street Jobs, where Dana holds Insights alone, shows a task taken too.
	settle(func() error { return k.Simulate(ctx, "task_removed", sandbox.PageJobs) })
	if p := f.pages()[sandbox.PageJobs]; p.Reason != "task_missing" || !strings.Contains(p.Summary, "Insights") {
		t.Fatalf("task taken on Jobs: %s/%s %s", p.Status, p.Reason, p.Summary)
	}
	settle(k.ResetSimulation)
	for _, sc := range k.Scenarios() {
		t.Run(sc.Kind, func(t *testing.T) {
			target := map[string]string{"person": res.PersonID, "page": sandbox.PageBakery, "none": ""}[sc.Target]
			settle(func() error { return k.Simulate(ctx, sc.Kind, target) })
			if got := view(); got == base {
				t.Fatalf("%s changed nothing on the dashboard:\n%s", sc.Kind, got)
			}
			settle(k.ResetSimulation)
			if view() != base {
				// Dead tokens stay dead: the banner's Reconnect repairs them.
				f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
				if _, err := k.Check(ctx, nil); err != nil {
					t.Fatal(err)
				}
			}
			if got := view(); got != base {
				t.Fatalf("after Reset (and a reconnect):\n%s\nwant\n%s", got, base)
			}
		})
	}
}
