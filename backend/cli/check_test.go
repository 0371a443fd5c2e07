package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
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

// A keychain from before the vault's numbered entries (one entry per Page)
// checks as before, and the check moves its tokens over.
func TestCheckMovesTokensFromTheOldLayout(t *testing.T) {
	w := newWorld(t)
	w.setup()
	w.connectDana()
	svc := w.env[EnvKeyringService]
	code, before := w.check()
	k := vault.Keyring{Service: svc}
	v := vault.New(k)
	tokens := map[string]string{}
	for id := range before {
		tok, err := v.PageToken(id)
		if err != nil {
			t.Fatal(err)
		}
		tokens[id] = tok
	}
	for n := 0; ; n++ {
		if _, err := k.Get(fmt.Sprintf("page-tokens:%d", n)); err != nil {
			break
		}
		if err := k.Delete(fmt.Sprintf("page-tokens:%d", n)); err != nil {
			t.Fatal(err)
		}
	}
	for id, tok := range tokens {
		if err := k.Set("page-token:"+id, tok); err != nil {
			t.Fatal(err)
		}
	}
	again, after := w.check()
	if again != code || len(after) != len(before) {
		t.Fatalf("on the old layout check exits %d with %d Pages, before %d with %d", again, len(after), code, len(before))
	}
	for id, p := range after {
		if p.Status != before[id].Status {
			t.Errorf("Page %s: %s on the old layout, %s before", id, p.Status, before[id].Status)
		}
	}
	left := w.secretsOf()
	if strings.Contains(left, "page-token:") || !strings.Contains(left, `"migrated":true`) {
		t.Fatalf("after the check the keychain holds:\n%s", left)
	}
	fresh := vault.New(k)
	for id, tok := range tokens {
		if got, _ := fresh.PageToken(id); got != tok {
			t.Fatalf("PageToken(%s) after the move differs", id)
		}
	}
}
