package hardening

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/cli"
	"github.com/pagekeeper/pagekeeper/backend/internal/testport"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// haystack is everything Pagekeeper let out of its hands during a run.
type haystack struct {
	mu    sync.Mutex
	items []hay
}

type hay struct {
	where string
	data  []byte
}

func (h *haystack) add(where string, data []byte) {
	h.mu.Lock()
	h.items = append(h.items, hay{where, append([]byte(nil), data...)})
	h.mu.Unlock()
}

// ret records a value a public keeper method returned, as the window gets it.
func (h *haystack) ret(where string, v any, err error) {
	b, merr := json.Marshal(v)
	if merr != nil {
		b = []byte(merr.Error())
	}
	h.add(where, b)
	if err != nil {
		h.add(where+" error", []byte(err.Error()))
	}
}

func (h *haystack) err(where string, err error) {
	if err != nil {
		h.add(where+" error", []byte(err.Error()))
	}
}

// folder adds every file under dir, the bbolt file's raw bytes included.
func (h *haystack) folder(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h.add("file "+p, b)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// needles are the secrets to look for: each whole, and its first and last
// 20 characters, so a shortened or cut-off copy is found too.
func needles(secrets []string) map[string]string {
	out := map[string]string{
		"access_token=":    "a URL with access_token=",
		"client_secret=":   "a URL with client_secret=",
		"appsecret_proof=": "a URL with appsecret_proof=",
	}
	for _, s := range secrets {
		if len(s) < 8 {
			continue
		}
		out[s] = s
		if len(s) > 40 {
			out[s[:20]] = "the start of " + s
			out[s[len(s)-20:]] = "the end of " + s
		}
	}
	return out
}

// scan reports every needle found in a hay and returns how many bytes it read.
func (h *haystack) scan(t *testing.T, secrets []string) (found, places, bytesRead int) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	ns := needles(secrets)
	for _, it := range h.items {
		bytesRead += len(it.data)
		for n, what := range ns {
			if bytes.Contains(it.data, []byte(n)) {
				found++
				t.Errorf("LEAK: %s appears in %s", what, it.where)
			}
		}
	}
	return found, len(h.items), bytesRead
}

// captureOutput sends the process's log, stdout and stderr to the haystack
// until the returned stop is called.
func captureOutput(t *testing.T, h *haystack) (stop func()) {
	t.Helper()
	var logBuf bytes.Buffer
	var logMu sync.Mutex
	log.SetOutput(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logBuf.Write(p)
	}))
	oldOut, oldErr := os.Stdout, os.Stderr
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout, os.Stderr = pw, pw
	var piped bytes.Buffer
	done := make(chan struct{})
	go func() {
		io.Copy(&piped, pr)
		close(done)
	}()
	return func() {
		os.Stdout, os.Stderr = oldOut, oldErr
		log.SetOutput(os.Stderr)
		pw.Close()
		<-done
		logMu.Lock()
		h.add("log output", logBuf.Bytes())
		logMu.Unlock()
		h.add("process stdout and stderr", piped.Bytes())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// scenarioFor fills what a sandbox Kind needs, on Dana and her bakery.
func scenarioFor(k sandbox.KindInfo) sandbox.Scenario {
	sc := sandbox.Scenario{Kind: k.Kind}
	for _, n := range k.Needs {
		switch n {
		case "persona":
			sc.Persona = sandbox.DanaID
		case "page":
			sc.Page = sandbox.PageBakery
		case "permission":
			sc.Permission = "pages_messaging"
		case "task":
			sc.Task = sandbox.TaskModerate
		case "duration":
			sc.Duration = 20 * time.Millisecond
		}
	}
	if k.Kind == sandbox.Stall {
		sc.Duration = 300 * time.Millisecond
	}
	return sc
}

// fullRun drives the keeper through everything the window can do, and puts
// every value and error it returns into h.
func fullRun(t *testing.T, r *rig, h *haystack) (scenarios int) {
	ctx := context.Background()
	k := r.k
	id, _ := r.sb.App()
	h.err("SetupApp with a wrong secret", k.SetupApp(ctx, id, wrongSecret))
	if k.SetupApp(ctx, id, wrongSecret) == nil {
		t.Fatal("a wrong app secret was accepted")
	}

	hk := setHooks(t, r, h)
	dana := r.connectAll(sandbox.DanaID)
	h.ret("LoginResult (Dana)", dana, nil)
	sam := r.login(keeper.LoginRequest{}, sandbox.ConsentChoice{Persona: sandbox.SamID})
	h.ret("LoginResult (Sam)", sam, nil)
	applied, err := k.FinishConnect(ctx, []string{sam.Candidates[0].ID})
	h.ret("ApplyResult (Sam)", applied, err)
	rep, err := k.Check(ctx, nil)
	h.ret("Check report", rep, err)

	for _, ki := range sandbox.ScenarioKinds() {
		sc := scenarioFor(ki)
		if err := r.sb.Apply(sc); err != nil {
			t.Errorf("scenario %s: %v", ki.Kind, err)
			continue
		}
		scenarios++
		rep, err := k.Check(ctx, nil)
		h.ret("Check report under "+string(ki.Kind), rep, err)
		snap, err := k.Snapshot()
		h.ret("Snapshot under "+string(ki.Kind), snap, err)
		for _, p := range snap.Pages {
			d, err := k.PageDetail(p.ID)
			h.ret("PageDetail "+p.ID+" under "+string(ki.Kind), d, err)
		}
		if err := r.sb.Clear(sc); err != nil {
			t.Errorf("clear %s: %v", ki.Kind, err)
		}
	}

	re := r.login(keeper.LoginRequest{Reauthorize: true, ProfileID: sandbox.DanaID}, sandbox.ConsentChoice{Persona: sandbox.DanaID})
	h.ret("LoginResult (reauthorize)", re, nil)
	if !re.OK {
		t.Errorf("reauthorize: %+v", re)
	}
	cancelled := r.login(keeper.LoginRequest{}, sandbox.ConsentChoice{Persona: sandbox.DanaID, Cancel: true})
	h.ret("LoginResult (cancelled)", cancelled, nil)
	start, err := k.StartLogin(ctx, keeper.LoginRequest{NoBrowser: true})
	h.ret("LoginStart", start, err)
	k.CancelLogin()
	stopped, err := k.WaitLogin(ctx)
	h.ret("LoginResult (stopped)", stopped, err)

	_, err = k.FinishConnect(ctx, nil)
	h.err("FinishConnect without a login", err)
	h.err("Disconnect with unsubscribe", k.Disconnect(ctx, sandbox.PageCafe, true, "test"))
	h.err("Disconnect", k.Disconnect(ctx, sandbox.PageJobs, false, "test"))
	h.err("RemoveProfile", k.RemoveProfile(ctx, sandbox.SamID, "test"))
	h.err("Disconnect unknown", k.Disconnect(ctx, "999", false, "test"))
	rep, err = k.Check(ctx, nil)
	h.ret("Check report at the end", rep, err)
	for _, id := range []string{"all-command", "all-webhook"} {
		res, err := k.TestHook(ctx, id, sandbox.PageBakery)
		h.ret("TestHook "+id, res, err)
		plan, err := k.PlanHooks(id, sandbox.PageBakery)
		h.ret("PlanHooks "+id, plan, err)
	}
	k.WaitHooks()
	hs, err := k.Hooks()
	h.ret("Hooks", hs, err)
	hk.collect(t, h)

	snap, err := k.Snapshot()
	h.ret("Snapshot", snap, err)
	for _, p := range snap.Pages {
		d, err := k.PageDetail(p.ID)
		h.ret("PageDetail "+p.ID, d, err)
	}
	set, err := k.Settings()
	h.ret("Settings", set, err)
	h.ret("Scenarios", k.Scenarios(), nil)
	h.err("Simulate", k.Simulate(ctx, "password_changed", sandbox.DanaID))
	for _, f := range []string{"json", "csv"} {
		var b bytes.Buffer
		h.err("Export "+f, k.Export(&b, f))
		h.add("Export "+f, b.Bytes())
	}
	h.ret("Sandbox state (holds no token)", r.sb.State(), nil)
	return scenarios
}

const wrongSecret = "0123456789abcdef-wrong-secret-0123456789"

// keychainSecrets lists the secrets stored under service, with secret-tool:
// each entry's value, or the tokens in it (the vault keeps Page tokens many
// to an entry).
func keychainSecrets(t *testing.T, service string) []string {
	t.Helper()
	out, err := exec.Command("secret-tool", "search", "--all", "service", service).CombinedOutput()
	if err != nil && len(out) > 0 && !bytes.Contains(out, []byte("No matching")) {
		t.Fatalf("secret-tool search: %v: %s", err, out)
	}
	var secrets []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "secret = "); ok {
			if tokens := tokenShape.FindAllString(v, -1); len(tokens) > 0 {
				secrets = append(secrets, tokens...)
			} else {
				secrets = append(secrets, v)
			}
		}
	}
	return secrets
}

func needBus(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("DBUS_SESSION_BUS_ADDRESS is empty: run the tests inside dbus-run-session with an unlocked gnome-keyring (see /work/shared/TOOLCHAIN.md)")
	}
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// TestNoSecretLeaks runs the keeper through connect, checks, every sandbox
// scenario and fault, reauthorize and disconnect, then looks for every token
// the sandbox issued and the app secret in everything that left the keeper.
func TestNoSecretLeaks(t *testing.T) {
	for _, pass := range []string{"memory", "keychain"} {
		t.Run(pass, func(t *testing.T) {
			o := rigOptions{timeout: 5 * time.Second}
			service := ""
			if pass == "keychain" {
				needBus(t)
				service = randomName("pagekeeper-test-")
				o.secrets = vault.Keyring{Service: service}
				t.Cleanup(func() { vault.Keyring{Service: service}.DeleteAll() })
			}
			h := &haystack{}
			stop := captureOutput(t, h)
			r := newRig(t, o)
			scenarios := fullRun(t, r, h)
			stop()
			for i, e := range r.events.all() {
				h.add(fmt.Sprintf("event %d", i), e)
			}
			for i, n := range r.sent.all() {
				h.ret(fmt.Sprintf("notification %d", i), n, nil)
			}
			if err := r.k.Close(); err != nil {
				t.Fatal(err)
			}
			files := h.folder(t, r.dir)
			_, appSecret := r.sb.App()
			secrets := append(r.tokens.tokens(), appSecret, wrongSecret, hookSecret)
			tokens := len(secrets) - 3
			if tokens < 10 {
				t.Fatalf("only %d tokens seen: the run did not exercise the sandbox", tokens)
			}
			found, places, n := h.scan(t, secrets)
			figure(t, "%d scenarios and faults, %d tokens + app secret searched in %d places (%d files, %d events, %d notifications), %d KB: %d found",
				scenarios, tokens, places, files, len(r.events.all()), len(r.sent.all()), n/1024, found)
			if scenarios != len(sandbox.ScenarioKinds()) {
				t.Errorf("%d of %d scenarios ran", scenarios, len(sandbox.ScenarioKinds()))
			}

			if pass == "keychain" {
				// The secrets are where they belong: the live ones in the keychain.
				stored := keychainSecrets(t, service)
				has := map[string]bool{}
				for _, s := range stored {
					has[s] = true
				}
				if !has[appSecret] {
					t.Errorf("the app secret is not in the keychain (%d entries)", len(stored))
				}
				live := 0
				for _, s := range stored {
					if tokenShape.MatchString(s) {
						live++
					}
				}
				if live == 0 {
					t.Errorf("no token in the keychain: %d entries", len(stored))
				}
				figure(t, "keychain service %s holds the app secret and %d tokens", service, live)
			}
		})
	}
}

// cliRun runs one pagekeeper command in-process with buffers.
type cliEnv struct {
	t    *testing.T
	vars map[string]string
	h    *haystack
}

func (c *cliEnv) run(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), c.env(strings.NewReader(stdin), &out, &errb), args)
	c.h.add("pagekeeper "+strings.Join(args, " ")+" stdout", out.Bytes())
	c.h.add("pagekeeper "+strings.Join(args, " ")+" stderr", errb.Bytes())
	return code, out.String(), errb.String()
}

func (c *cliEnv) env(in io.Reader, out, errw io.Writer) *cli.Env {
	return &cli.Env{Stdin: in, Stdout: out, Stderr: errw,
		Getenv:     func(k string) string { return c.vars[k] },
		IsTerminal: func(any) bool { return false }}
}

// lineWriter hands the first line written to it to a channel.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan string
	sent  bool
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if line, _, ok := strings.Cut(w.buf.String(), "\n"); ok && !w.sent {
		w.sent = true
		w.first <- line
	}
	return len(p), nil
}

func (w *lineWriter) bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]byte(nil), w.buf.Bytes()...)
}

// login runs `pagekeeper <args>` (connect or reconnect with --no-browser),
// plays the dialog at the URL it prints and returns its exit code.
func (c *cliEnv) login(sb *sandbox.Server, persona string, args ...string) int {
	c.t.Helper()
	out := &lineWriter{first: make(chan string, 1)}
	var errb bytes.Buffer
	done := make(chan int, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go func() { done <- cli.Main(ctx, c.env(strings.NewReader(""), out, &errb), args) }()
	var code int
	select {
	case u := <-out.first:
		redirect, err := sb.Consent(ctx, u, sandbox.ConsentChoice{Persona: persona})
		if err != nil {
			c.t.Fatalf("%s: consent at %q: %v", args, u, err)
		}
		follow(c.t, redirect.String())
		code = <-done
	case code = <-done:
	}
	c.h.add("pagekeeper "+strings.Join(args, " ")+" stdout", out.bytes())
	c.h.add("pagekeeper "+strings.Join(args, " ")+" stderr", errb.Bytes())
	return code
}

// TestCLIOutputHasNoSecret runs the commands a script would run, on the
// real keychain, and scans what they print, the data folder and the log.
func TestCLIOutputHasNoSecret(t *testing.T) {
	needBus(t)
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	dir := t.TempDir()
	appID, appSecret := sb.App()
	// The CLI files its secrets under the real service name; forget exactly
	// what this test stored, whatever happens.
	kc := vault.New(vault.Keyring{})
	t.Cleanup(func() {
		kc.DeleteAppSecret(appID)
		var pages []string
		for _, p := range sb.Pages() {
			pages = append(pages, p.ID)
		}
		kc.ForgetProfile(sandbox.DanaID, pages...)
	})
	// A free redirect port of its own, set the way the window sets it.
	pre, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir, Secrets: vault.NewMemory()})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := pre.Settings()
	v.RedirectPort = testport.Free(t)
	if err := pre.SaveSettings(v); err != nil {
		t.Fatal(err)
	}
	pre.Close()

	h := &haystack{}
	c := &cliEnv{t: t, h: h, vars: map[string]string{"PAGEKEEPER_DATA_DIR": dir,
		keeper.EnvGraphURL: sb.URL(), keeper.EnvFacebookURL: sb.URL()}}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.add("webhook delivery", append([]byte(fmt.Sprint(r.Header)), b...))
	}))
	defer receiver.Close()
	hookDir := t.TempDir()
	hookSh := filepath.Join(hookDir, "deploy.sh")
	if err := os.WriteFile(hookSh, []byte(hookScript), 0o700); err != nil {
		t.Fatal(err)
	}
	stop := captureOutput(t, h)
	var secrets []string
	collect := func() { secrets = append(secrets, keychainSecrets(t, vault.DefaultService)...) }
	steps := []struct {
		name string
		want int
		run  func() int
	}{
		{"setup (wrong secret)", 1, func() int { code, _, _ := c.run(wrongSecret+"\n", "setup", "--app-id", appID); return code }},
		{"setup", 0, func() int { code, _, _ := c.run(appSecret+"\n", "setup", "--app-id", appID); return code }},
		{"connect --no-browser", 0, func() int { code := c.login(sb, sandbox.DanaID, "connect", "--no-browser"); collect(); return code }},
		{"hooks set", 0, func() int {
			code, _, _ := c.run("", "hooks", "set", "--command", fmt.Sprintf("'%s' '%s'", hookSh, hookDir))
			return code
		}},
		{"hooks set --webhook", 0, func() int {
			code, _, _ := c.run(hookSecret+"\n", "hooks", "set", "--webhook", receiver.URL)
			return code
		}},
		{"hooks list", 0, func() int { code, _, _ := c.run("", "hooks", "list"); return code }},
		{"hooks test --dry-run", 0, func() int {
			code, _, _ := c.run("", "hooks", "test", "all-command", "--page", sandbox.PageBakery, "--dry-run")
			return code
		}},
		{"hooks test", 0, func() int {
			code, _, _ := c.run("", "hooks", "test", "all-command", "--page", sandbox.PageBakery)
			return code
		}},
		{"status", 0, func() int { code, _, _ := c.run("", "status"); return code }},
		{"status --json", 0, func() int { code, _, _ := c.run("", "status", "--json"); return code }},
		{"check", 1, func() int { code, _, _ := c.run("", "check"); return code }},
		{"log", 0, func() int { code, _, _ := c.run("", "log", sandbox.PageBakery); return code }},
		{"password change, check --json", 2, func() int {
			sb.Apply(sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: sandbox.DanaID})
			code, _, _ := c.run("", "check", "--json")
			return code
		}},
		{"log --json", 0, func() int { code, _, _ := c.run("", "log", sandbox.PageBakery, "--json"); return code }},
		{"export", 0, func() int { code, _, _ := c.run("", "export"); return code }},
		{"export --format json", 0, func() int { code, _, _ := c.run("", "export", "--format", "json"); return code }},
		{"reconnect --no-browser", 0, func() int {
			code := c.login(sb, sandbox.DanaID, "reconnect", sandbox.DanaID, "--no-browser")
			collect()
			return code
		}},
		{"outage, check", 3, func() int {
			sb.Apply(sandbox.Scenario{Kind: sandbox.HTML500, Rate: 1})
			defer sb.ClearAll()
			code, _, _ := c.run("", "check")
			return code
		}},
		{"disconnect --unsubscribe", 0, func() int {
			code, _, _ := c.run("", "disconnect", "--unsubscribe", sandbox.PageBakery)
			return code
		}},
		{"disconnect unknown", 1, func() int { code, _, _ := c.run("", "disconnect", "999"); return code }},
	}
	codes := map[string]int{}
	for _, s := range steps {
		codes[s.name] = s.run()
	}
	stop()
	for _, s := range steps {
		// Exit codes are checked after the output is back, so a failure shows it.
		if codes[s.name] != s.want && !(s.name == "check" && codes[s.name] == 0) {
			t.Errorf("pagekeeper %s: exit %d, want %d", s.name, codes[s.name], s.want)
		}
	}
	files := h.folder(t, dir)
	for _, f := range []string{"args", "env"} {
		b, err := os.ReadFile(filepath.Join(hookDir, f))
		if err != nil {
			t.Errorf("the hook never ran: %v", err)
		}
		h.add("hook "+f, b)
	}
	if stdin, _ := os.ReadFile(filepath.Join(hookDir, "stdin")); !tokenShape.Match(stdin) {
		t.Error("the reconnect delivered no token to the hook")
	}
	secrets = append(secrets, appSecret, wrongSecret, hookSecret)
	tokens := 0
	for _, s := range secrets {
		if tokenShape.MatchString(s) {
			tokens++
		}
	}
	if tokens < 4 {
		t.Fatalf("only %d tokens found in the keychain after connect and reconnect", tokens)
	}
	found, places, n := h.scan(t, secrets)
	figure(t, "%d commands, %d tokens + app secret searched in %d places (%d files), %d KB: %d found", len(steps), tokens, places, files, n/1024, found)
	if t.Failed() {
		for _, it := range h.items {
			if strings.HasPrefix(it.where, "pagekeeper") {
				t.Logf("%s:\n%s", it.where, it.data)
			}
		}
	}
}
