package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/internal/testport"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// world is one data folder, one keychain service and one sandbox, driven
// through the command line in-process, as a script would drive the binary.
type world struct {
	t   *testing.T
	sb  *sandbox.Server
	env map[string]string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	svc := fmt.Sprintf("pagekeeper-test-%d", time.Now().UnixNano())
	w := &world{t: t, sb: sb, env: map[string]string{
		"PAGEKEEPER_DATA_DIR": t.TempDir(), keeper.EnvGraphURL: sb.URL(), keeper.EnvFacebookURL: sb.URL(),
		EnvKeyringService: svc,
	}}
	t.Cleanup(func() {
		// Leave nothing in the test session's keychain.
		exec.Command("secret-tool", "clear", "service", svc).Run()
	})
	return w
}

func (w *world) run(stdin string, args ...string) (int, string, string) {
	w.t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), w.envWith(strings.NewReader(stdin), &out, &errb), args)
	return code, out.String(), errb.String()
}

func (w *world) envWith(in io.Reader, out, errw io.Writer) *Env {
	return &Env{Stdin: in, Stdout: out, Stderr: errw, Getenv: func(k string) string { return w.env[k] }, IsTerminal: func(any) bool { return false }}
}

func (w *world) setup() {
	w.t.Helper()
	id, secret := w.sb.App()
	if code, _, errs := w.run(secret+"\n", "setup", "--app-id", id); code != 0 {
		w.t.Fatalf("setup: %d %s", code, errs)
	}
	// A free port of its own for the login redirect, so tests never collide.
	dir := w.env["PAGEKEEPER_DATA_DIR"]
	k, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir})
	if err != nil {
		w.t.Fatal(err)
	}
	set, _ := k.Settings()
	set.RedirectPort = testport.Free(w.t)
	if err := k.SaveSettings(set); err != nil {
		w.t.Fatal(err)
	}
	k.Close()
}

// connect runs `pagekeeper connect --no-browser`, reads the URL from the
// first line of stdout, plays the sandbox dialog and follows the redirect.
func (w *world) connect(args []string, c sandbox.ConsentChoice) (int, string, string) {
	w.t.Helper()
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(context.Background(), w.envWith(strings.NewReader(""), pw, &errb), append(args, "--no-browser"))
		pw.Close()
	}()
	rd := bufio.NewReader(pr)
	first, err := rd.ReadString('\n')
	if err != nil {
		code := <-done
		return code, first, errb.String()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	redirect, err := w.sb.Consent(ctx, strings.TrimSpace(first), c)
	if err != nil {
		w.t.Fatalf("consent: %v", err)
	}
	if resp, err := http.Get(redirect.String()); err == nil {
		resp.Body.Close()
	}
	rest, _ := io.ReadAll(rd)
	return <-done, first + string(rest), errb.String()
}

func (w *world) check() (int, map[string]keeper.ReportPage) {
	w.t.Helper()
	code, out, errs := w.run("", "check", "--json")
	var rep keeper.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		w.t.Fatalf("check --json: %v\nstdout %q\nstderr %q", err, out, errs)
	}
	pages := map[string]keeper.ReportPage{}
	for _, p := range rep.Pages {
		pages[p.ID] = p
	}
	return code, pages
}

func TestScenarios(t *testing.T) {
	type want struct {
		page   string
		status string
		reason string
	}
	cases := []struct {
		sc    sandbox.Scenario
		code  int
		wants []want
	}{
		{sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: sandbox.DanaID}, ExitCritical, []want{{sandbox.PageBakery, "invalid", "password_changed"}, {sandbox.PageWholesale, "invalid", "password_changed"}}},
		{sandbox.Scenario{Kind: sandbox.AppRemoved, Persona: sandbox.DanaID}, ExitCritical, []want{{sandbox.PageCafe, "invalid", "app_removed"}}},
		{sandbox.Scenario{Kind: sandbox.Checkpointed, Persona: sandbox.DanaID}, ExitCritical, []want{{sandbox.PageCafe, "invalid", "account_checkpointed"}}},
		{sandbox.Scenario{Kind: sandbox.Unconfirmed, Persona: sandbox.DanaID}, ExitCritical, []want{{sandbox.PageCafe, "invalid", "account_unconfirmed"}}},
		{sandbox.Scenario{Kind: sandbox.RoleRemoved, Persona: sandbox.DanaID, Page: sandbox.PageCatering}, ExitCritical, []want{{sandbox.PageCatering, "invalid", "role_lost"}, {sandbox.PageBakery, "valid", ""}}},
		{sandbox.Scenario{Kind: sandbox.TaskRemoved, Persona: sandbox.DanaID, Page: sandbox.PageCatering, Task: sandbox.TaskCreateContent}, ExitWarning, []want{{sandbox.PageCatering, "warning", "task_missing"}}},
		{sandbox.Scenario{Kind: sandbox.PermissionDeclined, Persona: sandbox.DanaID, Permission: "pages_messaging"}, ExitWarning, []want{{sandbox.PageCatering, "warning", "permission_missing"}}},
		{sandbox.Scenario{Kind: sandbox.PageDeselected, Persona: sandbox.DanaID, Page: sandbox.PageCatering}, ExitCritical, []want{{sandbox.PageCatering, "invalid", "page_not_granted"}, {sandbox.PageBakery, "valid", ""}}},
		{sandbox.Scenario{Kind: sandbox.WebhooksUnsubscribed, Page: sandbox.PageCatering}, ExitWarning, []want{{sandbox.PageCatering, "warning", "webhooks_unsubscribed"}}},
		{sandbox.Scenario{Kind: sandbox.InstagramUnlinked, Page: sandbox.PageBakery}, ExitWarning, []want{{sandbox.PageBakery, "warning", "instagram_unlinked"}}},
		// Page tokens from a long-lived user token live on: the Pages work,
		// but the person must log in again before anything else breaks.
		{sandbox.Scenario{Kind: sandbox.UserTokenExpired, Persona: sandbox.DanaID}, ExitWarning, []want{{sandbox.PageCatering, "warning", "session_expired"}}},
		{sandbox.Scenario{Kind: sandbox.DataAccessExpired, Persona: sandbox.DanaID}, ExitCritical, []want{{sandbox.PageBakery, "invalid", "data_access_expired"}}},
		{sandbox.Scenario{Kind: sandbox.Transient, Rate: 1}, ExitUnknown, []want{{sandbox.PageBakery, "valid", ""}}},
		{sandbox.Scenario{Kind: sandbox.HTML500, Rate: 1}, ExitUnknown, []want{{sandbox.PageBakery, "valid", ""}}},
		{sandbox.Scenario{Kind: sandbox.TruncatedJSON, Rate: 1}, ExitUnknown, []want{{sandbox.PageBakery, "valid", ""}}},
		// The app's own quota does not stop Page-token probes (Business Use Case limits).
		{sandbox.Scenario{Kind: sandbox.QuotaExhausted}, ExitOK, []want{{sandbox.PageBakery, "valid", ""}}},
		{sandbox.Scenario{Kind: sandbox.QuotaExhausted, Page: sandbox.PageBakery}, ExitUnknown, []want{{sandbox.PageBakery, "valid", ""}, {sandbox.PageCafe, "valid", ""}}},
		{sandbox.Scenario{Kind: sandbox.Latency, Duration: 50 * time.Millisecond}, ExitOK, []want{{sandbox.PageBakery, "valid", ""}}},
	}
	for _, tc := range cases {
		t.Run(string(tc.sc.Kind), func(t *testing.T) {
			w := newWorld(t)
			w.setup()
			if code, out, errs := w.connect([]string{"connect", "--pages", sandbox.PageBakery + "," + sandbox.PageCatering + "," + sandbox.PageCafe + "," + sandbox.PageWholesale}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
				t.Fatalf("connect: %d\n%s\n%s", code, out, errs)
			}
			if code, pages := w.check(); code != ExitOK {
				t.Fatalf("before the scenario: exit %d, %+v", code, pages)
			}
			if err := w.sb.Apply(tc.sc); err != nil {
				t.Fatal(err)
			}
			code, pages := w.check()
			for _, wt := range tc.wants {
				p := pages[wt.page]
				if p.Status != wt.status || p.Reason != wt.reason {
					t.Errorf("page %s (%s): %s/%s, want %s/%s (%s)", wt.page, p.Name, p.Status, p.Reason, wt.status, wt.reason, p.Fix)
				}
			}
			if code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
		})
	}
}
