package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/engine"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/notify/notifytest"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// window plays the running app: the keeper open on the world's data folder,
// served to the command line, its events recorded as the window gets them.
type window struct {
	k       *keeper.Keeper
	srv     *engine.Server
	mu      sync.Mutex
	got     []keeper.Snapshot
	events  []string     // the other events' names, with their Page ID if any
	crossed bytes.Buffer // everything that went through the socket: arguments and output
}

// tap copies what a command writes to the socket into the window's record.
type tap struct{ win *window }

func (t tap) Write(p []byte) (int, error) {
	t.win.mu.Lock()
	defer t.win.mu.Unlock()
	return t.win.crossed.Write(p)
}

func (w *world) startWindow() *window {
	w.t.Helper()
	hub := engine.NewHub()
	win := &window{}
	hub.Subscribe(func(name string, data any) {
		win.mu.Lock()
		defer win.mu.Unlock()
		if snap, ok := data.(keeper.Snapshot); ok && name == keeper.EventSnapshot {
			win.got = append(win.got, snap)
		} else if c, ok := data.(keeper.SnapshotChanges); ok && name == keeper.EventChanges {
			// As the window does: changes to the snapshot it has, or a fresh one.
			var last keeper.Snapshot
			if len(win.got) > 0 {
				last = win.got[len(win.got)-1]
			}
			snap, ok := c.Apply(last)
			if !ok {
				var err error
				if snap, err = win.k.Snapshot(); err != nil {
					panic(err)
				}
			}
			win.got = append(win.got, snap)
		} else if id, ok := data.(string); ok {
			win.events = append(win.events, name+" "+id)
		}
	})
	k, err := openKeeper(context.Background(), w.envWith(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}), hub.Emit)
	if err != nil {
		w.t.Fatal(err)
	}
	// ServeEngine's server, with a tap on what crosses the socket.
	srv, err := engine.Serve(k.DataDir(), engine.Config{Keeper: k, Hub: hub, Commands: EngineCommands(),
		Run: func(ctx context.Context, name string, req engine.RunRequest, stdout, stderr io.Writer) int {
			fmt.Fprintln(tap{win}, name, req.Args)
			return runServed(ctx, k, hub, name, req, io.MultiWriter(stdout, tap{win}), io.MultiWriter(stderr, tap{win}))
		}})
	if err != nil {
		k.Close()
		w.t.Fatal(err)
	}
	win.k, win.srv = k, srv
	w.t.Cleanup(win.stop)
	return win
}

func (win *window) stop() {
	if win.srv != nil {
		win.srv.Close()
		win.k.Close()
		win.srv = nil
	}
}

// last is the last snapshot the window was sent.
func (win *window) last() keeper.Snapshot {
	win.mu.Lock()
	defer win.mu.Unlock()
	if len(win.got) == 0 {
		return keeper.Snapshot{}
	}
	return win.got[len(win.got)-1]
}

func (win *window) status(pageID string) string {
	for _, p := range win.last().Pages {
		if p.ID == pageID {
			return p.Status
		}
	}
	return ""
}

var (
	reStamp = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
	rePort  = regexp.MustCompile(`(127\.0\.0\.1|localhost):\d+`)
	reURL   = regexp.MustCompile(`https?://\S+`)
	reToken = regexp.MustCompile(`EAA[0-9A-Za-z_-]+`)
	reTook  = regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s)\b`)
)

// same makes two runs comparable: times, ports, login URLs and tokens differ by nature.
func same(s string) string {
	for _, r := range []struct {
		re   *regexp.Regexp
		with string
	}{{reStamp, "TIME"}, {rePort, "HOST"}, {reURL, "URL"}, {reToken, "TOKEN"}, {reTook, "TOOK"}} {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}

// TestCommandsBesideTheWindow runs every command on two worlds, one with a
// window serving its folder and one without, with the same assertions, and
// the same output and exit code expected from both.
func TestCommandsBesideTheWindow(t *testing.T) {
	// A notification service, as on a desktop: the app's and a command's
	// notifications are both shown, so neither prints why it could not.
	rec := notifytest.Start(t)
	alone, beside := newWorld(t), newWorld(t)
	alone.setup()
	beside.setup()
	win := beside.startWindow()

	type result struct {
		code     int
		out, err string
	}
	type step struct {
		name  string
		code  int
		want  string // in stdout (or stderr when the command fails)
		run   func(w *world) (int, string, string)
		after func(t *testing.T) // what the window shows afterwards
	}
	cmd := func(args ...string) func(w *world) (int, string, string) {
		return func(w *world) (int, string, string) { return w.run("", args...) }
	}
	all := sandbox.PageBakery + "," + sandbox.PageCatering + "," + sandbox.PageCafe
	taskRemoved := sandbox.Scenario{Kind: sandbox.TaskRemoved, Persona: sandbox.DanaID, Page: sandbox.PageCatering, Task: sandbox.TaskCreateContent}
	// Every secret the beside world held at some point, and everything that
	// crossed its socket: none of the first may be in the second.
	secrets := map[string]bool{}
	collect := func() {
		v := vault.New(vault.Keyring{Service: beside.env[EnvKeyringService]})
		appID, _ := beside.sb.App()
		for _, get := range []func() (string, error){
			func() (string, error) { return v.AppSecret(appID) },
			func() (string, error) { return v.UserToken(sandbox.DanaID) },
			func() (string, error) { return v.PageToken(sandbox.PageBakery) },
			func() (string, error) { return v.PageToken(sandbox.PageCafe) },
		} {
			if sec, err := get(); err == nil && sec != "" {
				secrets[sec] = true
			}
		}
	}
	const webhookSecret = "webhook-signing-secret-0123456789"
	secrets[webhookSecret] = true
	steps := []step{
		{name: "status before any Page", code: ExitOK, want: "No Pages connected yet", run: cmd("status")},
		{name: "connect", code: 0, want: "Connected (3)", run: func(w *world) (int, string, string) {
			return w.connect([]string{"connect", "--pages", all}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
		}, after: func(t *testing.T) {
			if n := len(win.last().Pages); n != 3 {
				t.Errorf("the window shows %d Pages after the connect, want 3", n)
			}
			collect()
		}},
		{name: "status", code: ExitOK, want: "3 Pages: 3 Working", run: cmd("status")},
		{name: "status --json", code: ExitOK, want: `"status": "valid"`, run: cmd("status", "--json")},
		{name: "check", code: ExitOK, want: "Harbor Street Bakery", run: cmd("check")},
		{name: "password changed, check", code: ExitCritical, want: "3 Broken", run: func(w *world) (int, string, string) {
			if err := w.sb.Apply(sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: sandbox.DanaID}); err != nil {
				t.Fatal(err)
			}
			return w.run("", "check")
		}, after: func(t *testing.T) {
			if st := win.status(sandbox.PageBakery); st != "invalid" {
				t.Errorf("the window shows the Bakery %q after a command-line check, want invalid", st)
			}
			if n := len(rec.Calls()); n != 2 {
				t.Errorf("%d notifications, want one for each world's broken Pages", n)
			}
		}},
		{name: "check on a terminal shows progress", code: ExitCritical, want: "\rChecking 3 of 3 Pages...", run: func(w *world) (int, string, string) {
			var out, errb bytes.Buffer
			env := w.envWith(strings.NewReader(""), &out, &errb)
			env.IsTerminal = func(f any) bool { return f == env.Stderr }
			code := Main(context.Background(), env, []string{"check"})
			return code, out.String(), errb.String()
		}},
		{name: "check --json", code: ExitCritical, want: `"reason": "password_changed"`, run: cmd("check", "--json")},
		{name: "token", code: 0, want: "EAA", run: cmd("token", sandbox.PageBakery), after: func(t *testing.T) {
			win.mu.Lock()
			defer win.mu.Unlock()
			if !slices.Contains(win.events, keeper.EventHookRun+" "+sandbox.PageBakery) {
				t.Errorf("the window was not told the Bakery's log grew: %v", win.events)
			}
		}},
		{name: "token of an unknown Page", code: 1, want: "no Page 424242", run: cmd("token", "424242")},
		{name: "hooks list, none", code: 0, want: "No hooks", run: cmd("hooks", "list")},
		{name: "hooks set", code: 0, want: "is set", run: cmd("hooks", "set", "--page", sandbox.PageBakery, "--command", "cat >/dev/null; echo delivered")},
		{name: "hooks list", code: 0, want: "echo delivered", run: cmd("hooks", "list")},
		{name: "hooks test --dry-run", code: 0, want: "", run: cmd("hooks", "test", sandbox.PageBakery+"-command", "--dry-run")},
		{name: "hooks test", code: 0, want: "delivered", run: cmd("hooks", "test", sandbox.PageBakery+"-command")},
		{name: "hooks remove", code: 0, want: "is removed", run: cmd("hooks", "remove", sandbox.PageBakery+"-command")},
		{name: "hooks set --webhook", code: 0, want: "is set", run: func(w *world) (int, string, string) {
			return w.run(webhookSecret+"\n", "hooks", "set", "--page", sandbox.PageBakery, "--webhook", "https://hooks.example.com/pk")
		}},
		{name: "hooks list, a webhook", code: 0, want: "POST https://hooks.example.com/pk, signed\n", run: cmd("hooks", "list")},
		{name: "hooks set --webhook, keeping its secret", code: 0, want: "is set", run: cmd("hooks", "set", "--page", sandbox.PageBakery, "--webhook", "https://hooks.example.com/v2")},
		{name: "hooks set --webhook, a short secret", code: 1, want: "the signing secret is 5 characters", run: func(w *world) (int, string, string) {
			return w.run("short\n", "hooks", "set", "--page", sandbox.PageBakery, "--webhook", "https://hooks.example.com/v3")
		}},
		{name: "hooks set --webhook for an unknown Page", code: 1, want: "no Page 424242", run: func(w *world) (int, string, string) {
			return w.run(webhookSecret+"-other\n", "hooks", "set", "--page", "424242", "--webhook", "https://hooks.example.com/pk")
		}},
		{name: "hooks list, the webhook kept", code: 0, want: "POST https://hooks.example.com/v2, signed\n", run: cmd("hooks", "list")},
		{name: "hooks remove the webhook", code: 0, want: "is removed", run: cmd("hooks", "remove", sandbox.PageBakery+"-webhook")},
		{name: "log", code: 0, want: "WHEN", run: cmd("log", sandbox.PageBakery)},
		{name: "log --json", code: 0, want: `"history"`, run: cmd("log", sandbox.PageBakery, "--json")},
		{name: "log of an unknown Page", code: 1, want: "not known to Pagekeeper", run: cmd("log", "424242")},
		{name: "export", code: 0, want: "id,name,status", run: cmd("export")},
		{name: "export --format json", code: 0, want: `"pages"`, run: cmd("export", "--format", "json")},
		{name: "export --format xml", code: 64, want: "unknown export format", run: cmd("export", "--format", "xml")},
		{name: "status --bogus", code: 64, want: "flag provided but not defined", run: cmd("status", "--bogus")},
		{name: "reconnect", code: 0, want: "Access renewed (3)", run: func(w *world) (int, string, string) {
			w.sb.Reset()
			return w.connect([]string{"reconnect", sandbox.DanaID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
		}, after: func(t *testing.T) {
			if st := win.status(sandbox.PageBakery); st != "valid" {
				t.Errorf("the window shows the Bakery %q after the reconnect, want valid", st)
			}
			collect()
		}},
		{name: "webhooks unsubscribed, check", code: ExitWarning, want: "1 Needs attention", run: func(w *world) (int, string, string) {
			if err := w.sb.Apply(sandbox.Scenario{Kind: sandbox.WebhooksUnsubscribed, Page: sandbox.PageCatering}); err != nil {
				t.Fatal(err)
			}
			return w.run("", "check")
		}},
		{name: "resubscribe", code: 0, want: "Now: Working", run: cmd("resubscribe", sandbox.PageCatering), after: func(t *testing.T) {
			if st := win.status(sandbox.PageCatering); st != "valid" {
				t.Errorf("the window shows the Catering %q after resubscribe, want valid", st)
			}
		}},
		{name: "task removed, check", code: ExitWarning, want: "pagekeeper ask-admin " + sandbox.PageCatering, run: func(w *world) (int, string, string) {
			if err := w.sb.Apply(taskRemoved); err != nil {
				t.Fatal(err)
			}
			return w.run("", "check")
		}},
		{name: "ask-admin", code: 0, want: "Tasks needed", run: cmd("ask-admin", sandbox.PageCatering)},
		{name: "open-facebook --print", code: 0, want: "https://", run: cmd("open-facebook", sandbox.PageCatering, "--print")},
		{name: "resubscribe without an ID", code: 64, want: "needs a Page ID", run: cmd("resubscribe")},
		{name: "task given back, check", code: ExitOK, want: "0 Needs attention", run: func(w *world) (int, string, string) {
			if err := w.sb.Clear(taskRemoved); err != nil {
				t.Fatal(err)
			}
			return w.run("", "check")
		}},
		{name: "disconnect", code: 0, want: "is disconnected", run: cmd("disconnect", sandbox.PageCafe), after: func(t *testing.T) {
			if st := win.status(sandbox.PageCafe); st != "disconnected" {
				t.Errorf("the window shows the Cafe %q after the disconnect, want disconnected", st)
			}
		}},
		{name: "disconnect an unknown Page", code: 1, want: "", run: cmd("disconnect", "424242")},
		{name: "status at the end", code: ExitOK, want: "1 Disconnected", run: cmd("status")},
	}
	for _, s := range steps {
		var got [2]result
		for i, w := range []*world{alone, beside} {
			code, out, errs := s.run(w)
			got[i] = result{code, same(out), same(errs)}
			where := [2]string{"alone", "beside the window"}[i]
			if code != s.code {
				t.Errorf("%s, %s: exit %d, want %d\nstdout %s\nstderr %s", s.name, where, code, s.code, out, errs)
			}
			if !strings.Contains(out+errs, s.want) {
				t.Errorf("%s, %s: %q not in\nstdout %s\nstderr %s", s.name, where, s.want, out, errs)
			}
		}
		if got[0] != got[1] {
			t.Errorf("%s: the output differs beside the window\nalone:  %+v\nbeside: %+v", s.name, got[0], got[1])
		}
		if s.after != nil {
			s.after(t)
		}
	}
	// And the commands see what the window did.
	if err := win.k.Disconnect(context.Background(), sandbox.PageCatering, false, "you"); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := beside.run("", "status"); code != ExitOK || !strings.Contains(out, "2 Disconnected") {
		t.Errorf("status after the window disconnected a Page: exit %d\n%s", code, out)
	}
	if code, out, _ := beside.run("", "log", sandbox.PageCatering); code != 0 || !regexp.MustCompile(`(?m)^\S+\s+You disconnected Harbor Street Catering\.\s+disconnected$`).MatchString(out) {
		t.Errorf("log after the window disconnected a Page: exit %d\n%s", code, out)
	}
	if len(secrets) < 6 { // the app secret, and two generations of three tokens
		t.Fatalf("only %d secrets to look for", len(secrets))
	}
	win.mu.Lock()
	crossed := win.crossed.String()
	win.mu.Unlock()
	if !strings.Contains(crossed, "Harbor Street Bakery") || !strings.Contains(crossed, "token-read") {
		t.Fatalf("the tap saw nothing of the commands: %.200q", crossed)
	}
	for sec := range secrets {
		if strings.Contains(crossed, sec) {
			t.Errorf("a secret crossed the socket: %.12s...", sec)
		}
	}
}

// TestCommandsWaitForEachOther: without a window, a command waits (saying
// so) while another one holds the data folder, and goes on once it is free.
func TestCommandsWaitForEachOther(t *testing.T) {
	w := newWorld(t)
	k, err := openKeeper(context.Background(), w.envWith(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan [3]any, 1)
	go func() {
		code, out, errs := w.run("", "status")
		done <- [3]any{code, out, errs}
	}()
	time.Sleep(500 * time.Millisecond)
	k.Close()
	r := <-done
	if r[0] != ExitUnknown || !strings.Contains(r[1].(string), "not set up yet") || !strings.Contains(r[2].(string), "waiting for it") {
		t.Fatalf("status after waiting: %v", r)
	}
}

func TestCommandGivesUpAfterWaiting(t *testing.T) {
	old := LockWait
	LockWait = 300 * time.Millisecond
	defer func() { LockWait = old }()
	w := newWorld(t)
	k, err := openKeeper(context.Background(), w.envWith(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	code, _, errs := w.run("", "log", "1")
	if code != 1 || !strings.Contains(errs, "waiting for it") || !strings.Contains(errs, "busy for 300ms") {
		t.Fatalf("log on a busy folder: exit %d, %q", code, errs)
	}
}

// TestWaitingCommandTakesTheWindowThatStarts: a command waiting for the
// folder goes through a window that opens it meanwhile.
func TestWaitingCommandTakesTheWindowThatStarts(t *testing.T) {
	w := newWorld(t)
	hub := engine.NewHub()
	k, err := openKeeper(context.Background(), w.envWith(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}), hub.Emit)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	done := make(chan [3]any, 1)
	go func() {
		code, out, errs := w.run("", "export")
		done <- [3]any{code, out, errs}
	}()
	time.Sleep(400 * time.Millisecond)
	srv, err := ServeEngine(k, hub)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := <-done
	if r[0] != 0 || !strings.HasPrefix(r[1].(string), "id,name,status") || !strings.Contains(r[2].(string), "waiting for it") {
		t.Fatalf("export: %v", r)
	}
}

// TestSetupBesideTheWindowSaysWhere: setup reads the App Secret from
// stdin, and a secret never crosses the socket, so it does not go through
// the window: it says where to do it. A webhook's secret goes through the
// keychain instead (hooksSetBeside).
func TestSetupBesideTheWindowSaysWhere(t *testing.T) {
	w := newWorld(t)
	w.startWindow()
	id, secret := w.sb.App()
	code, out, errs := w.run(secret+"\n", "setup", "--app-id", id)
	if code != 1 || !strings.Contains(errs, "reads a secret") || !strings.Contains(errs, "do this in its window") || strings.Contains(out+errs, secret) {
		t.Errorf("setup beside the window: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if code, out, errs := w.run(secret+"\n", "hooks", "set", "-webhook=https://example.com/hook"); code != 0 || strings.Contains(out+errs, secret) {
		t.Errorf("hooks set -webhook= beside the window: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	// A script on the socket is refused them, having no stdin there.
	c, err := engine.Dial(w.env["PAGEKEEPER_DATA_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	var outb, errb bytes.Buffer
	if code, err := c.Run(context.Background(), "setup", engine.RunRequest{Args: []string{"--app-id", id}}, &outb, &errb); err != nil || code != 64 || !strings.Contains(errb.String(), "reads a secret") {
		t.Errorf("setup on the socket: %d %v %q", code, err, errb.String())
	}
	errb.Reset()
	if code, err := c.Run(context.Background(), "hooks", engine.RunRequest{Args: []string{"set", "--webhook", "https://example.com/hook"}}, &outb, &errb); err != nil || code != 64 || !strings.Contains(errb.String(), "reads a secret") {
		t.Errorf("hooks set --webhook on the socket: %d %v %q", code, err, errb.String())
	}
	errb.Reset()
	if code, err := c.Run(context.Background(), "hooks", engine.RunRequest{Args: []string{"set", "--secret-ref=nothing-staged", "--webhook", "https://example.com/hook"}}, &outb, &errb); err != nil || code != 1 || !strings.Contains(errb.String(), "could not be read") {
		t.Errorf("hooks set with a secret never staged: %d %v %q", code, err, errb.String())
	}
	if code, out, errs := w.run("", "hooks", "set", "--command", "true"); code != 0 {
		t.Errorf("hooks set --command beside the window: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

// probe is a command of the tests' own: it says where it ran, and with
// --stdin it reads stdin, so it runs in this process (Local).
func init() {
	Register(Command{Name: "probe", Usage: "probe [--stdin]", Summary: "(tests)", Engine: true,
		Local: func(args []string) bool { return len(args) > 0 && args[0] == "--stdin" },
		Run: func(ctx context.Context, env *Env, args []string) int {
			in, _ := io.ReadAll(env.Stdin)
			k, err := openKeeper(ctx, env, nil)
			if err != nil {
				return fail(env, 1, err)
			}
			defer k.Close()
			fmt.Fprintf(env.Stdout, "served=%v stdin=%q\n", env.site != nil && env.site.hub != nil && env.Getenv(EnvKeyringService) == "", in)
			return 0
		}})
}

func TestLocalInvocationsStayInTheClient(t *testing.T) {
	w := newWorld(t)
	w.startWindow()
	if code, out, errs := w.run("kept here", "probe"); code != 0 || out != "served=true stdin=\"\"\n" {
		t.Fatalf("probe beside the window: %d %q %q", code, out, errs)
	}
	code, out, errs := w.run("kept here", "probe", "--stdin")
	if code != 1 || out != "" || !strings.Contains(errs, "do this in its window") {
		t.Fatalf("probe --stdin beside the window: %d %q %q", code, out, errs)
	}
}

// TestCommandsSideBySideThroughTheWindow: scripts run at once (two cron
// jobs, a person at the terminal) all go through the one window.
func TestCommandsSideBySideThroughTheWindow(t *testing.T) {
	w := newWorld(t)
	w.setup()
	w.startWindow()
	if code, out, errs := w.connect([]string{"connect", "--pages", sandbox.PageBakery + "," + sandbox.PageCafe}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
		t.Fatalf("connect: %d\n%s\n%s", code, out, errs)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		args := [][]string{{"check", "--json"}, {"status"}}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, out, stderr := w.run("", args...)
			if code != ExitOK || !strings.Contains(out, "Harbor Street Bakery") || stderr != "" {
				errs <- fmt.Sprintf("%v: exit %d\n%s\n%s", args, code, out, stderr)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// A token the command cannot read beside the window (its keychain locked
// or elsewhere) is not logged as read: the log records only reads that
// happened, as it does without the window.
func TestUnreadableTokenBesideTheWindowIsNotLogged(t *testing.T) {
	w := newWorld(t)
	w.setup()
	if code, out, errs := w.connect([]string{"connect", "--pages", sandbox.PageBakery}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
		t.Fatalf("connect: %d\n%s\n%s", code, out, errs)
	}
	w.startWindow()
	svc := w.env[EnvKeyringService]
	w.env[EnvKeyringService] = svc + "-elsewhere"
	code, out, errs := w.run("", "token", sandbox.PageBakery)
	w.env[EnvKeyringService] = svc
	if code != 1 || out != "" {
		t.Fatalf("token from a keychain without it: exit %d, stdout %q, stderr %s", code, out, errs)
	}
	if _, log, _ := w.run("", "log", sandbox.PageBakery); strings.Contains(log, "token_read") {
		t.Errorf("a read that failed is in the log:\n%s", log)
	}
}
