package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

func (w *world) connectDana() {
	w.t.Helper()
	if code, out, errs := w.connect([]string{"connect"}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
		w.t.Fatalf("connect: %d\n%s\n%s", code, out, errs)
	}
}

// What an admin or the person changes on Facebook shows at the next
// `check --json`, and putting it back shows Working at the one after.
func TestCheckReportsChangesAndTheirUndoing(t *testing.T) {
	cases := []struct {
		sc     sandbox.Scenario
		reason string
	}{
		{sandbox.Scenario{Kind: sandbox.TaskRemoved, Persona: sandbox.DanaID, Page: sandbox.PageCatering, Task: sandbox.TaskCreateContent}, "task_missing"},
		{sandbox.Scenario{Kind: sandbox.PermissionDeclined, Persona: sandbox.DanaID, Permission: "pages_manage_posts"}, "permission_missing"},
		{sandbox.Scenario{Kind: sandbox.WebhooksUnsubscribed, Page: sandbox.PageCatering}, "webhooks_unsubscribed"},
	}
	w := newWorld(t)
	w.setup()
	w.connectDana()
	for _, c := range cases {
		t.Run(string(c.sc.Kind), func(t *testing.T) {
			if _, pages := w.check(); pages[sandbox.PageCatering].Status != "valid" {
				t.Fatalf("before: %+v", pages[sandbox.PageCatering])
			}
			if err := w.sb.Apply(c.sc); err != nil {
				t.Fatal(err)
			}
			code, pages := w.check()
			if p := pages[sandbox.PageCatering]; p.Status != "warning" || p.Reason != c.reason || code != ExitWarning && code != ExitCritical {
				t.Fatalf("after %s: exit %d, %+v", c.sc.Kind, code, p)
			}
			if err := w.sb.Clear(c.sc); err != nil {
				t.Fatal(err)
			}
			if _, pages := w.check(); pages[sandbox.PageCatering].Status != "valid" {
				t.Fatalf("put back: %+v", pages[sandbox.PageCatering])
			}
		})
	}
}

// A check that could not reach Facebook says why for every Page in the
// JSON, and once on stderr.
func TestCheckThatCouldNotCheckSaysWhy(t *testing.T) {
	w := newWorld(t)
	w.setup()
	w.connectDana()
	before, _ := w.check()
	_, was := w.check()
	w.sb.Apply(sandbox.Scenario{Kind: sandbox.HTML500})
	code, out, errs := w.run("", "check", "--json")
	if code != ExitUnknown {
		t.Fatalf("exit %d", code)
	}
	var rep keeper.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Pages) == 0 {
		t.Fatalf("JSON: %v %s", err, out)
	}
	for _, p := range rep.Pages {
		// An HTML error page is an answer without a verdict (unexpected_answer).
		if p.NotChecked == nil || p.NotChecked.Reason != "unexpected_answer" || !strings.Contains(p.NotChecked.Summary, p.Name) {
			t.Errorf("%s: not_checked %+v", p.Name, p.NotChecked)
		}
		if p.Status != was[p.ID].Status {
			t.Errorf("%s: an outage changed the status from %s to %s", p.Name, was[p.ID].Status, p.Status)
		}
	}
	if lines := strings.Split(strings.TrimSpace(errs), "\n"); len(lines) != 1 || !strings.Contains(errs, "could not be checked") {
		t.Fatalf("stderr: %q", errs)
	}
	// Checked again after the outage: nothing is marked.
	w.sb.ClearAll()
	code, out, errs = w.run("", "check", "--json")
	if code != before || strings.Contains(out, "not_checked") || errs != "" {
		t.Fatalf("after the outage: %d %q %s", code, errs, out)
	}
}

// `connect` names a Page that came without a token, and why; the others connect.
func TestConnectSkipsAPageWithoutToken(t *testing.T) {
	w := newWorld(t)
	w.setup()
	w.sb.Apply(sandbox.Scenario{Kind: sandbox.PageTokenEmpty, Page: sandbox.PageCafe})
	code, out, errs := w.connect([]string{"connect"}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if code != 0 || !strings.Contains(out, "Skipped Little Harbor Café: Facebook listed Little Harbor Café but gave Pagekeeper no access to it") {
		t.Fatalf("connect: %d\n%s\n%s", code, out, errs)
	}
	_, pages := w.check()
	if _, ok := pages[sandbox.PageCafe]; ok || pages[sandbox.PageBakery].Status != "valid" {
		t.Fatalf("after connect: %+v", pages)
	}
}
