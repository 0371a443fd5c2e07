package hooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

const (
	pageID = "1001"
	token  = "EAAtestPageToken0123456789abcdefghijklmnopqrstuvwxyz"
)

type rig struct {
	t   *testing.T
	db  *store.DB
	v   *vault.Vault
	r   *Runner
	dir string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "pagekeeper.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	v := vault.New(vault.NewMemory())
	if err := db.PutPage(store.Page{ID: pageID, Name: "Crumb & Co", Status: "valid"}); err != nil {
		t.Fatal(err)
	}
	if err := v.SetPageToken(pageID, token); err != nil {
		t.Fatal(err)
	}
	r := &Runner{DB: db, Vault: v, Backoff: 10 * time.Millisecond, Timeout: 10 * time.Second}
	return &rig{t: t, db: db, v: v, r: r, dir: dir}
}

// script writes a real shell script and returns the command line running it.
func (g *rig) script(name, body string) string {
	g.t.Helper()
	p := filepath.Join(g.dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		g.t.Fatal(err)
	}
	return fmt.Sprintf("'%s' '%s'", p, g.dir)
}

func (g *rig) setHooks(hs ...store.Hook) {
	g.t.Helper()
	if err := g.db.PutHooks(hs); err != nil {
		g.t.Fatal(err)
	}
}

func (g *rig) log(kind string) []store.Activity {
	g.t.Helper()
	all, err := g.db.AllActivity(pageID)
	if err != nil {
		g.t.Fatal(err)
	}
	var out []store.Activity
	for _, a := range all {
		if a.Kind == kind {
			out = append(out, a)
		}
	}
	return out
}

func (g *rig) read(name string) string {
	g.t.Helper()
	b, err := os.ReadFile(filepath.Join(g.dir, name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		g.t.Fatal(err)
	}
	return string(b)
}

func TestCommandGetsTheEventInItsEnvironmentAndTheTokenOnStdinOnly(t *testing.T) {
	g := newRig(t)
	g.setHooks(store.Hook{ID: "all-command", Command: g.script("deploy.sh", `
dir="$1"
cat > "$dir/stdin-$PAGEKEEPER_EVENT"
env > "$dir/env-$PAGEKEEPER_EVENT"
printf '%s\n' "$0" "$@" > "$dir/args-$PAGEKEEPER_EVENT"
echo "deployed $PAGEKEEPER_EVENT for $PAGEKEEPER_PAGE_NAME by $PAGEKEEPER_PERSON; the token is $(cat "$dir/stdin-$PAGEKEEPER_EVENT")"
`)})
	g.r.Fire(Event{Kind: NewToken, PageID: pageID, PageName: "Crumb & Co", Person: "Dana Whitfield", Status: "unknown"})
	g.r.Changes([]notify.Change{{PageID: pageID, PageName: "Crumb & Co", PersonName: "Dana Whitfield", From: "valid", To: "invalid", Reason: "password_changed"}})
	g.r.Wait()

	if got := g.read("stdin-new_token"); got != token+"\n" {
		t.Errorf("new_token stdin = %q, want the token and a newline", got)
	}
	if got := g.read("stdin-stopped_working"); got != "" {
		t.Errorf("stopped_working got %q on stdin, want nothing", got)
	}
	env := g.read("env-stopped_working")
	for _, want := range []string{"PAGEKEEPER_EVENT=stopped_working", "PAGEKEEPER_PAGE_ID=1001", "PAGEKEEPER_PAGE_NAME=Crumb & Co",
		"PAGEKEEPER_PERSON=Dana Whitfield", "PAGEKEEPER_STATUS=invalid", "PAGEKEEPER_REASON=password_changed", "PAGEKEEPER_DRY_RUN=0"} {
		if !strings.Contains(env, want+"\n") {
			t.Errorf("environment lacks %s:\n%s", want, env)
		}
	}
	for _, f := range []string{"env-new_token", "args-new_token", "env-stopped_working", "args-stopped_working"} {
		if got := g.read(f); got == "" || strings.Contains(got, token[:20]) {
			t.Errorf("%s is empty or holds the token:\n%s", f, got)
		}
	}
	runs := g.log(KindRun)
	if len(runs) != 2 {
		t.Fatalf("%d runs in the log, want 2: %+v", len(runs), runs)
	}
	if d := runs[0].Details; !strings.Contains(d, "new_token: exit 0") || !strings.Contains(d, "the token is "+Removed) || strings.Contains(d, token[:20]) {
		t.Errorf("history of the new_token run: %s", d)
	}
	if d := runs[1].Details; !strings.Contains(d, "stopped_working: exit 0") || !strings.Contains(d, "deployed stopped_working for Crumb & Co by Dana Whitfield") {
		t.Errorf("history of the stopped_working run: %s", d)
	}
}

func TestFailingHookIsRetriedWithItsHistory(t *testing.T) {
	g := newRig(t)
	// Fails twice (exit 3), then works: three runs, each in the log.
	g.setHooks(store.Hook{ID: "all-command", Command: g.script("flaky.sh", `
n=$(cat "$1/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$1/count"
cat >/dev/null
if [ $n -lt 3 ]; then echo "receiver down (try $n), token $PAGEKEEPER_EVENT"; echo "stderr too" >&2; exit 3; fi
echo "stored on try $n"
`)})
	g.r.Fire(Event{Kind: NewToken, PageID: pageID, PageName: "Crumb & Co"})
	g.r.Wait()
	runs := g.log(KindRun)
	if len(runs) != 3 {
		t.Fatalf("%d runs, want 3: %+v", len(runs), runs)
	}
	for i, want := range []string{"failed: exited with status 3, attempt 1 of 3", "failed: exited with status 3, attempt 2 of 3", "exit 0, attempt 3 of 3"} {
		if !strings.Contains(runs[i].Details, want) {
			t.Errorf("run %d: %q lacks %q", i+1, runs[i].Details, want)
		}
	}
	if !strings.Contains(runs[0].Details, "receiver down (try 1)") || !strings.Contains(runs[0].Details, "stderr too") {
		t.Errorf("run 1 does not show its output: %s", runs[0].Details)
	}
	if !strings.Contains(runs[2].Details, "stored on try 3") {
		t.Errorf("run 3 does not show its output: %s", runs[2].Details)
	}
	if !runs[1].At.After(runs[0].At) && !runs[1].At.Equal(runs[0].At) {
		t.Errorf("runs out of order: %v, %v", runs[0].At, runs[1].At)
	}

	// One that never works stops after the attempts.
	g.setHooks(store.Hook{ID: "all-command", Command: "echo nope; exit 7"})
	g.r.Fire(Event{Kind: StoppedWorking, PageID: pageID})
	g.r.Wait()
	if runs := g.log(KindRun); len(runs) != 6 || !strings.Contains(runs[5].Details, "exited with status 7, attempt 3 of 3") || !strings.HasSuffix(runs[5].Details, "| nope") {
		t.Errorf("a hook that always fails: %d runs, last %+v", len(runs), runs[len(runs)-1])
	}
}

func TestTimeoutStopsTheHookAndWhatItStarted(t *testing.T) {
	g := newRig(t)
	g.r.Timeout, g.r.Attempts = 300*time.Millisecond, 1
	g.setHooks(store.Hook{ID: "all-command", Command: g.script("slow.sh", `
sleep 30 &
echo $! > "$1/child"
wait
`)})
	start := time.Now()
	g.r.Fire(Event{Kind: WorksAgain, PageID: pageID})
	g.r.Wait()
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the run took %s with a 300ms timeout", took)
	}
	runs := g.log(KindRun)
	if len(runs) != 1 || !strings.Contains(runs[0].Details, "stopped after the 300ms timeout") {
		t.Fatalf("runs: %+v", runs)
	}
	child := strings.TrimSpace(g.read("child"))
	if child == "" {
		t.Fatal("the script did not start its child")
	}
	// The child was in the hook's process group: it is gone (or a zombie reaped by init).
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := os.ReadFile("/proc/" + child + "/stat")
		if err != nil || strings.Contains(string(st), ") Z ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the hook's child %s still runs after the timeout", child)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOneRunAtATimePerPageInOrder(t *testing.T) {
	g := newRig(t)
	g.setHooks(store.Hook{ID: "all-command", Command: g.script("serial.sh", `
mkdir "$1/busy" 2>/dev/null || echo OVERLAP >> "$1/order"
echo "$PAGEKEEPER_REASON" >> "$1/order"
sleep 0.05
rmdir "$1/busy"
`)})
	var want []string
	for i := range 6 {
		reason := fmt.Sprint("r", i)
		want = append(want, reason)
		g.r.Fire(Event{Kind: StoppedWorking, PageID: pageID, Reason: reason})
	}
	// A test run waits its turn too.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := g.r.Test(context.Background(), "all-command", pageID); err != nil {
			t.Error(err)
		}
	}()
	g.r.Wait()
	wg.Wait()
	got := strings.Fields(g.read("order"))
	if strings.Contains(strings.Join(got, " "), "OVERLAP") {
		t.Fatalf("two runs of one Page overlapped: %v", got)
	}
	var events []string
	for _, r := range got {
		if r != "" && strings.HasPrefix(r, "r") {
			events = append(events, r)
		}
	}
	if strings.Join(events, " ") != strings.Join(want, " ") {
		t.Errorf("runs in order %v, want %v", events, want)
	}
}

func TestTestRunGetsAStandInToken(t *testing.T) {
	g := newRig(t)
	g.setHooks(store.Hook{ID: "all-command", Command: g.script("t.sh", `cat > "$1/stdin"; echo "dry=$PAGEKEEPER_DRY_RUN"`)})
	res, err := g.r.Test(context.Background(), "all-command", pageID)
	if err != nil || !res.OK {
		t.Fatalf("test run: %+v, %v", res, err)
	}
	if got := g.read("stdin"); got != DryRunToken+"\n" {
		t.Errorf("a test run got %q on stdin", got)
	}
	if tests := g.log(KindTest); len(tests) != 1 || !strings.Contains(tests[0].Details, "dry=1") {
		t.Errorf("test runs in the log: %+v", tests)
	}
	if _, err := g.r.Test(context.Background(), "all-command", ""); err == nil {
		t.Error("a test of an every-Page hook without a Page was accepted")
	}
	plan, err := g.r.Plan("all-command", pageID)
	if err != nil || !strings.Contains(plan, "PAGEKEEPER_EVENT=new_token") || strings.Contains(plan, token[:20]) {
		t.Errorf("dry run: %q, %v", plan, err)
	}
	if got := len(g.log(KindTest)); got != 1 {
		t.Errorf("the dry run ran the hook: %d test runs", got)
	}
}

func TestAPageHookReplacesTheEveryPageHook(t *testing.T) {
	g := newRig(t)
	g.setHooks(store.Hook{ID: "all-command", Command: "echo all"}, store.Hook{ID: "1001-command", PageID: pageID, Command: "echo own"},
		store.Hook{ID: "2002-command", PageID: "2002", Command: "echo other"})
	hs := g.r.matching(pageID)
	if len(hs) != 1 || hs[0].ID != "1001-command" {
		t.Fatalf("hooks for the Page: %+v", hs)
	}
	if hs := g.r.matching("3003"); len(hs) != 1 || hs[0].ID != "all-command" {
		t.Fatalf("hooks for another Page: %+v", hs)
	}
}

func TestScrubRemovesSecretsAndTheirPieces(t *testing.T) {
	other := "EAAanotherTokenOfFacebookShape1234567890"
	for _, tc := range []struct{ in, want string }{
		{"token=" + token + " ok", "token=" + Removed + " ok"},
		{"half " + token[10:40] + " end", "half " + Removed + " end"},
		{"old " + other, "old " + Removed},
		{"short piece " + token[5:15] + " stays", "short piece " + token[5:15] + " stays"},
		{"secret: s3cr3t-value-xyz!", "secret: " + Removed},
	} {
		if got := Scrub(tc.in, token, "s3cr3t-value-xyz!"); got != tc.want {
			t.Errorf("Scrub(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// receiver is a webhook endpoint as an owner would write one, on loopback.
type receiver struct {
	mu     sync.Mutex
	got    []delivered
	status []int // answers, in turn; 200 after
	srv    *httptest.Server
}

type delivered struct {
	header string
	body   []byte
	id     string
}

func newReceiver(t *testing.T, status ...int) *receiver {
	rc := &receiver{status: status}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, delivered{r.Header.Get(SignatureHeader), body, r.Header.Get("Pagekeeper-Delivery")})
		code := 200
		if len(rc.status) > 0 {
			code, rc.status = rc.status[0], rc.status[1:]
		}
		rc.mu.Unlock()
		if code == http.StatusFound {
			http.Redirect(w, r, "/elsewhere", code)
			return
		}
		w.WriteHeader(code)
		fmt.Fprintf(w, "answer %d", code)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) deliveries() []delivered {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivered(nil), rc.got...)
}

const hookSecret = "whsec-0123456789abcdef0123456789"

func (g *rig) webhook(url string, withToken bool) {
	g.t.Helper()
	g.setHooks(store.Hook{ID: "all-webhook", URL: url, WithCredential: withToken})
	if err := g.v.SetHookSecret("all-webhook", hookSecret); err != nil {
		g.t.Fatal(err)
	}
}

func TestWebhookSignatureVerifiesAndAReplayIsRecognised(t *testing.T) {
	g := newRig(t)
	rc := newReceiver(t)
	g.webhook(rc.srv.URL+"/pagekeeper", false)
	g.r.Fire(Event{Kind: NewToken, PageID: pageID, PageName: "Crumb & Co", Person: "Dana Whitfield", Status: "valid"})
	g.r.Wait()
	got := rc.deliveries()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	d := got[0]
	at, err := Verify(hookSecret, d.header, d.body, time.Now(), DefaultTolerance)
	if err != nil {
		t.Fatalf("the delivery does not verify: %v (header %q)", err, d.header)
	}
	// The documented scheme, computed here by hand: hex(HMAC-SHA256(secret, t + "." + body)).
	if want := Sign(hookSecret, at, d.body); d.header != want {
		t.Errorf("header %q, want %q", d.header, want)
	}
	var ev map[string]any
	if err := json.Unmarshal(d.body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev["type"] != NewToken || ev["page"].(map[string]any)["id"] != pageID || ev["person"] != "Dana Whitfield" || ev["id"] != d.id {
		t.Errorf("event %s", d.body)
	}
	if _, has := ev["token"]; has || strings.Contains(string(d.body), token[:20]) {
		t.Errorf("the token was sent without the owner ticking it: %s", d.body)
	}

	// A replay: the same bytes, later. Its signed timestamp gives it away.
	if _, err := Verify(hookSecret, d.header, d.body, at.Add(DefaultTolerance+time.Second), DefaultTolerance); !errors.Is(err, ErrTooOld) {
		t.Errorf("a replay 5 minutes later: %v, want ErrTooOld", err)
	}
	// A replay with a fresh timestamp swapped in no longer matches its signature.
	fresh := strings.Replace(d.header, fmt.Sprintf("t=%d", at.Unix()), fmt.Sprintf("t=%d", time.Now().Add(time.Hour).Unix()), 1)
	if _, err := Verify(hookSecret, fresh, d.body, time.Now().Add(time.Hour), DefaultTolerance); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a replay with a new timestamp: %v, want ErrBadSignature", err)
	}
	if _, err := Verify("another-secret-0123456789", d.header, d.body, time.Now(), DefaultTolerance); !errors.Is(err, ErrBadSignature) {
		t.Errorf("the wrong secret: %v", err)
	}
	if _, err := Verify(hookSecret, d.header, append(d.body, ' '), time.Now(), DefaultTolerance); !errors.Is(err, ErrBadSignature) {
		t.Errorf("a changed body: %v", err)
	}
	if runs := g.log(KindRun); len(runs) != 1 || !strings.Contains(runs[0].Details, "delivered (HTTP 200)") {
		t.Errorf("history: %+v", runs)
	}
}

func TestWebhookCarriesTheTokenOnlyWhenTicked(t *testing.T) {
	g := newRig(t)
	rc := newReceiver(t)
	g.webhook(rc.srv.URL, true)
	g.r.Fire(Event{Kind: NewToken, PageID: pageID}, Event{Kind: StoppedWorking, PageID: pageID})
	g.r.Wait()
	got := rc.deliveries()
	if len(got) != 2 {
		t.Fatalf("%d deliveries", len(got))
	}
	var first, second map[string]any
	json.Unmarshal(got[0].body, &first)
	json.Unmarshal(got[1].body, &second)
	if first["token"] != token {
		t.Errorf("the new-token event lacks the token: %s", got[0].body)
	}
	if _, has := second["token"]; has {
		t.Errorf("a status event carries a token: %s", got[1].body)
	}
	for _, a := range g.log(KindRun) {
		if strings.Contains(a.Details, token[:20]) {
			t.Errorf("history holds the token: %s", a.Details)
		}
	}
}

func TestWebhookRetriesWithOneDeliveryIDAndFollowsNoRedirect(t *testing.T) {
	g := newRig(t)
	rc := newReceiver(t, 500, 503)
	g.webhook(rc.srv.URL, false)
	g.r.Fire(Event{Kind: WorksAgain, PageID: pageID})
	g.r.Wait()
	got := rc.deliveries()
	if len(got) != 3 || got[0].id != got[2].id || got[0].id == "" {
		t.Fatalf("deliveries: %+v", got)
	}
	for i, d := range got {
		if _, err := Verify(hookSecret, d.header, d.body, time.Now(), DefaultTolerance); err != nil {
			t.Errorf("retry %d does not verify: %v", i, err)
		}
	}
	runs := g.log(KindRun)
	if len(runs) != 3 || !strings.Contains(runs[0].Details, "500 Internal Server Error") || !strings.Contains(runs[2].Details, "delivered (HTTP 200)") {
		t.Errorf("history: %+v", runs)
	}

	redir := newReceiver(t, http.StatusFound, http.StatusFound, http.StatusFound)
	g.webhook(redir.srv.URL, false)
	g.r.Fire(Event{Kind: WorksAgain, PageID: pageID})
	g.r.Wait()
	for _, d := range redir.deliveries() {
		if d.header == "" {
			t.Error("the redirect was followed")
		}
	}
	if n := len(redir.deliveries()); n != 3 {
		t.Errorf("%d requests for 3 attempts: a redirect was followed", n)
	}
	if runs := g.log(KindRun); !strings.Contains(runs[len(runs)-1].Details, "redirects are not followed") {
		t.Errorf("history: %s", runs[len(runs)-1].Details)
	}
}

func TestCheckURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://hooks.example.com/pk":   true,
		"http://127.0.0.1:8080/pk":       true,
		"http://[::1]:9000/":             true,
		"http://localhost/pk":            true,
		"http://hooks.example.com/pk":    false,
		"http://10.0.0.5/pk":             false,
		"https://user:pass@example.com/": false,
		"https://example.com/?key=abc":   false,
		"ftp://example.com/":             false,
		"example.com/pk":                 false,
		"https://":                       false,
	} {
		if err := CheckURL(raw); (err == nil) != ok {
			t.Errorf("CheckURL(%q) = %v", raw, err)
		}
	}
}
