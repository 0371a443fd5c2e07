package keeper

import (
	"context"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/connect"
	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

func (f *fixture) check() {
	f.t.Helper()
	if _, err := f.k.Check(context.Background(), nil); err != nil {
		f.t.Fatal(err)
	}
}

func hasAction(p PageView, kind health.Action) bool {
	for _, a := range p.Actions {
		if a.Kind == string(kind) {
			return true
		}
	}
	return false
}

func (f *fixture) activity(pageID string) string {
	f.t.Helper()
	d, err := f.k.PageDetail(pageID)
	if err != nil {
		f.t.Fatal(err)
	}
	var b strings.Builder
	for _, a := range d.Activity {
		b.WriteString(a.Kind + ": " + a.Details + "\n")
	}
	return b.String()
}

func TestResubscribeRepairsWebhooks(t *testing.T) {
	f := newFixture(t)
	f.connectAllPages()
	if err := f.sb.Apply(sandbox.Scenario{Kind: sandbox.WebhooksUnsubscribed, Page: sandbox.PageCatering}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.k.CheckPage(context.Background(), sandbox.PageCatering); err != nil { // a complete check reads the webhooks
		t.Fatal(err)
	}
	p := f.pages()[sandbox.PageCatering]
	if p.Reason != string(health.WebhooksUnsubscribed) || p.Actions[0].Kind != string(health.ActionResubscribe) ||
		p.Actions[0].Command != "pagekeeper resubscribe "+sandbox.PageCatering {
		t.Fatalf("unsubscribed Page: %s/%s %+v", p.Status, p.Reason, p.Actions)
	}
	if err := f.k.Resubscribe(context.Background(), sandbox.PageCatering, "you"); err != nil {
		t.Fatal(err)
	}
	if st := f.sb.State(); !pageSubscribed(st, sandbox.PageCatering) {
		t.Fatal("the sandbox Page is not subscribed after Resubscribe")
	}
	if p := f.pages()[sandbox.PageCatering]; p.Status != "valid" || len(p.Actions) != 0 {
		t.Fatalf("after Resubscribe: %s/%s %+v", p.Status, p.Reason, p.Actions)
	}
	if !strings.Contains(f.activity(sandbox.PageCatering), KindResubscribed) {
		t.Error("the log does not record the resubscription")
	}
}

func pageSubscribed(st sandbox.State, id string) bool {
	for _, p := range st.Pages {
		if p.ID == id {
			return len(p.SubscribedTo) > 0
		}
	}
	return false
}

// A lost role: Ask an admin, not Reconnect; a login that cannot bring the
// Page back leaves the diagnosis as it was; the admin's fix and a check
// turn it green.
func TestLostRoleAsksAnAdmin(t *testing.T) {
	f := newFixture(t)
	res := f.connectAllPages()
	sc := sandbox.Scenario{Kind: sandbox.RoleRemoved, Persona: sandbox.DanaID, Page: sandbox.PageCafe}
	if err := f.sb.Apply(sc); err != nil {
		t.Fatal(err)
	}
	f.check()
	p := f.pages()[sandbox.PageCafe]
	if p.Reason != string(health.RoleLost) || p.Actions[0].Kind != string(health.ActionAskAdmin) {
		t.Fatalf("lost role: %s/%s %+v", p.Status, p.Reason, p.Actions)
	}
	req, err := f.k.AskAdmin(sandbox.PageCafe)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Little Harbor Café", sandbox.PageCafe, "Dana Whitfield", "Full control", req.URL} {
		if !strings.Contains(req.Message, want) {
			t.Errorf("the message lacks %q:\n%s", want, req.Message)
		}
	}
	got := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if !got.OK {
		t.Fatalf("reconnect: %+v", got)
	}
	if p := f.pages()[sandbox.PageCafe]; p.Reason != string(health.RoleLost) {
		t.Fatalf("a login without the Page changed the diagnosis to %s: %s", p.Reason, p.Summary)
	}
	// The admin gives the role back: the old Page token stays dead, the
	// fix's Reconnect brings a new one.
	if err := f.sb.Clear(sc); err != nil {
		t.Fatal(err)
	}
	if !hasAction(p, health.ActionReconnect) {
		t.Fatalf("no Reconnect for after the admin's fix: %+v", p.Actions)
	}
	var all []string
	for _, c := range res.Candidates {
		all = append(all, c.ID)
	}
	if got := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield", EditSettings: true, Pages: all}); !got.OK {
		t.Fatalf("reconnect after the admin's fix: %+v", got)
	}
	if p := f.pages()[sandbox.PageCafe]; p.Status != "valid" {
		t.Fatalf("after the admin's fix and a reconnect: %s/%s", p.Status, p.Reason)
	}
}

// Sam's login with fewer tasks asks first and keeps Dana's connection
// unless ticked; removing Dana moves the Pages Sam manages to Sam.
func TestSecondPersonAndRemovePerson(t *testing.T) {
	f := newFixture(t)
	f.connectAllPages()
	sam := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Sam Ortiz"})
	if !sam.OK {
		t.Fatalf("Sam's login: %+v", sam)
	}
	var chosen []string
	for _, c := range sam.Candidates {
		switch c.ID {
		case sandbox.PageBakery, sandbox.PageCafe:
			if c.Takeover == "" || c.Selected || c.WatchedBy != "Dana Whitfield" || len(c.WatchedTasks) == 0 {
				t.Errorf("%s: takeover %q selected %v watched by %q %v", c.Name, c.Takeover, c.Selected, c.WatchedBy, c.WatchedTasks)
			}
		case sandbox.PageJobs:
			if c.Takeover != "" || !c.Selected {
				t.Errorf("Jobs (Sam has more tasks): takeover %q selected %v", c.Takeover, c.Selected)
			}
		}
		if c.Selected {
			chosen = append(chosen, c.ID)
		}
	}
	applied, err := f.k.FinishConnect(context.Background(), chosen)
	if err != nil {
		t.Fatal(err)
	}
	if c := sam.Candidates[0]; c.ID == sandbox.PageBakery && c.Takeover != "fewer_tasks" {
		t.Errorf("Bakery: takeover %q, want fewer_tasks", c.Takeover)
	}
	if len(applied.Replaced) != 1 || applied.Replaced[0] != "Harbor Street Jobs" {
		t.Errorf("replaced %v", applied.Replaced)
	}
	pages := f.pages()
	if pages[sandbox.PageBakery].ProfileID != sandbox.DanaID || pages[sandbox.PageJobs].ProfileID != sandbox.SamID {
		t.Fatalf("owners: bakery %s, jobs %s", pages[sandbox.PageBakery].ProfileID, pages[sandbox.PageJobs].ProfileID)
	}
	if log := f.activity(sandbox.PageJobs); !strings.Contains(log, "Sam Ortiz replaced Dana Whitfield") {
		t.Errorf("the log does not say who replaced whom:\n%s", log)
	}

	plan, err := f.k.RemovePlan(sandbox.DanaID)
	if err != nil {
		t.Fatal(err)
	}
	moved := map[string]string{}
	for _, m := range plan.Moved {
		moved[m.PageID] = m.To
	}
	if moved[sandbox.PageBakery] != "Sam Ortiz" || moved[sandbox.PageCafe] != "Sam Ortiz" || len(plan.Moved) != 2 {
		t.Errorf("plan moves %v", plan.Moved)
	}
	if !strings.Contains(strings.Join(plan.Unwatched, ","), "Harbor Street Catering") {
		t.Errorf("plan leaves unwatched %v", plan.Unwatched)
	}
	done, err := f.k.RemovePerson(context.Background(), sandbox.DanaID, "you")
	if err != nil || len(done.Moved) != 2 {
		t.Fatalf("remove: %v %+v", err, done)
	}
	pages = f.pages()
	if p := pages[sandbox.PageBakery]; p.ProfileID != sandbox.SamID || p.Status == "disconnected" || p.Status == "invalid" {
		t.Errorf("Bakery after removing Dana: %s %s/%s", p.ProfileID, p.Status, p.Reason)
	}
	if p := pages[sandbox.PageCatering]; p.Status != "disconnected" {
		t.Errorf("Catering after removing Dana: %s", p.Status)
	}
	if log := f.activity(sandbox.PageBakery); !strings.Contains(log, connect.KindWatcher+": Sam Ortiz replaced Dana Whitfield") {
		t.Errorf("the log does not say who replaced whom:\n%s", log)
	}
}

// A Page unticked at a re-login stops working then: one notification, and
// it is taken back once the Page works again.
func TestDroppedPageIsNotifiedOnce(t *testing.T) {
	f := newFixture(t)
	res := f.connectAllPages()
	f.check()
	f.sent.sent = nil
	var keep []string
	for _, c := range res.Candidates {
		if c.ID != sandbox.PageCatering {
			keep = append(keep, c.ID)
		}
	}
	got := f.login(LoginRequest{Reauthorize: true, ProfileID: res.PersonID}, sandbox.ConsentChoice{Persona: "Dana Whitfield", Pages: keep, EditSettings: true})
	if !got.OK || got.Applied == nil || len(got.Applied.NotGranted) != 1 {
		t.Fatalf("re-login without Catering: %+v", got)
	}
	f.check()
	f.check()
	var about []string
	for _, n := range f.sent.sent {
		about = append(about, n.Title)
	}
	if len(about) != 1 || about[0] != "Harbor Street Catering stopped working" {
		t.Fatalf("notifications %q, want one about Catering", about)
	}
	if p := f.pages()[sandbox.PageCatering]; p.Reason != string(health.PageNotGranted) || !strings.Contains(p.Fix, "tick Harbor Street Catering") {
		t.Errorf("Catering: %s/%s %q", p.Status, p.Reason, p.Fix)
	}
}

// A task taken away: Ask an admin names the exact task; once the admin
// gives it back, Check again turns the Page green.
func TestMissingTaskAskAdminThenCheckAgain(t *testing.T) {
	f := newFixture(t)
	sc := sandbox.Scenario{Kind: sandbox.TaskRemoved, Persona: sandbox.DanaID, Page: sandbox.PageCatering, Task: sandbox.TaskCreateContent}
	if err := f.sb.Apply(sc); err != nil {
		t.Fatal(err)
	}
	f.connectAllPages()
	p := f.pages()[sandbox.PageCatering]
	if p.Reason != string(health.TaskMissing) || p.Actions[0].Kind != string(health.ActionAskAdmin) {
		t.Fatalf("a missing task: %s/%s %+v", p.Status, p.Reason, p.Actions)
	}
	req, err := f.k.AskAdmin(sandbox.PageCatering)
	if err != nil || len(req.Tasks) != 1 || req.Tasks[0] != "Create content" || !strings.Contains(req.Message, "Tasks needed: Create content") {
		t.Fatalf("ask an admin: %v %+v", err, req)
	}
	if err := f.sb.Clear(sc); err != nil {
		t.Fatal(err)
	}
	if _, err := f.k.CheckPage(context.Background(), sandbox.PageCatering); err != nil {
		t.Fatal(err)
	}
	if v := f.pages()[sandbox.PageCatering]; v.Status != "valid" {
		t.Fatalf("Check again after the admin's fix: %s/%s", v.Status, v.Reason)
	}
}
