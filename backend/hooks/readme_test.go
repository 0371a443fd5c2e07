package hooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/store"
)

// The README's hook example works as printed.
func TestREADMEHookExample(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "<!-- hook-example -->\n```sh\n")
	example, _, ok2 := strings.Cut(rest, "```\n<!-- /hook-example -->")
	if !ok || !ok2 {
		t.Fatal("README.md has no hook example between <!-- hook-example --> markers")
	}
	g := newRig(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	script := filepath.Join(g.dir, "pagekeeper-deploy")
	if err := os.WriteFile(script, []byte(example), 0o700); err != nil {
		t.Fatal(err)
	}
	g.setHooks(store.Hook{ID: "all-command", Command: script})
	g.r.Fire(Event{Kind: NewToken, PageID: pageID, PageName: "Crumb & Co"}, Event{Kind: StoppedWorking, PageID: pageID, PageName: "Crumb & Co", Status: "invalid"})
	g.r.Wait()
	file := filepath.Join(home, ".page-tokens", pageID)
	got, err := os.ReadFile(file)
	if err != nil || string(got) != token+"\n" {
		t.Fatalf("the example stored %q, %v", got, err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("the token file is %v, want only the owner to read it", st.Mode().Perm())
	}
	runs := g.log(KindRun)
	if len(runs) != 2 || !strings.Contains(runs[0].Details, "stored the new token of Crumb & Co") || !strings.Contains(runs[1].Details, "Crumb & Co is now invalid") {
		t.Errorf("history: %+v", runs)
	}
}

func TestANewTokenForAPageDisconnectedSinceIsNotRetried(t *testing.T) {
	g := newRig(t)
	g.setHooks(store.Hook{ID: "all-command", Command: "cat"})
	if err := g.v.DeletePageToken(pageID); err != nil {
		t.Fatal(err)
	}
	g.r.Fire(Event{Kind: NewToken, PageID: pageID})
	g.r.Wait()
	if runs := g.log(KindRun); len(runs) != 1 || !strings.Contains(runs[0].Details, "no longer holds a token") || !strings.Contains(runs[0].Details, "attempt 1 of 1") {
		t.Errorf("runs: %+v", runs)
	}
}

func TestAHookOwnTimeoutWins(t *testing.T) {
	g := newRig(t)
	g.r.Attempts = 1 // the Runner's own timeout stays at 10 s
	g.setHooks(store.Hook{ID: "all-command", Command: "sleep 20", TimeoutSeconds: 1})
	g.r.Fire(Event{Kind: WorksAgain, PageID: pageID})
	g.r.Wait()
	if runs := g.log(KindRun); len(runs) != 1 || !strings.Contains(runs[0].Details, "stopped after the 1s timeout") {
		t.Errorf("runs: %+v", runs)
	}
}

// The README's Python verifier, run as printed, accepts a real delivery and
// refuses a changed body and an old one; and the signature is what the
// README says, computed here without the package's own Sign.
func TestREADMEWebhookVerifierAcceptsADelivery(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 runs the README's verifier: ", err)
	}
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "<!-- webhook-verify -->\n```python\n")
	verifier, _, ok2 := strings.Cut(rest, "```\n<!-- /webhook-verify -->")
	if !ok || !ok2 {
		t.Fatal("README.md has no Python verifier between <!-- webhook-verify --> markers")
	}
	g := newRig(t)
	rc := newReceiver(t)
	g.webhook(rc.srv.URL+"/pagekeeper", false)
	g.r.Fire(Event{Kind: StoppedWorking, PageID: pageID, PageName: "Crumb & Co", Status: "invalid"})
	g.r.Wait()
	got := rc.deliveries()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	d := got[0]
	ts, sig, ok := strings.Cut(strings.TrimPrefix(d.header, "t="), ",v1=")
	if !ok {
		t.Fatalf("header %q is not t=TIMESTAMP,v1=SIGNATURE", d.header)
	}
	m := hmac.New(sha256.New, []byte(hookSecret))
	m.Write([]byte(ts + "." + string(d.body)))
	if want := hex.EncodeToString(m.Sum(nil)); sig != want {
		t.Errorf("v1=%s, want hex(HMAC-SHA256(secret, TIMESTAMP.BODY)) = %s", sig, want)
	}
	run := func(header string, body []byte, now int64) string {
		prog := verifier + `
import sys, time
time.time = lambda: ` + fmt.Sprint(now) + `
try:
    verify(sys.argv[1].encode(), sys.argv[2], open(sys.argv[3], "rb").read())
    print("ok")
except ValueError as e:
    print("refused:", e)
`
		f := filepath.Join(t.TempDir(), "body")
		if err := os.WriteFile(f, body, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(python, "-c", prog, hookSecret, header, f).CombinedOutput()
		if err != nil {
			t.Fatalf("the README's verifier: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	now, _ := strconv.ParseInt(ts, 10, 64)
	if out := run(d.header, d.body, now+1); out != "ok" {
		t.Errorf("the README's verifier on a real delivery: %s", out)
	}
	if out := run(d.header, append(append([]byte{}, d.body...), ' '), now+1); !strings.Contains(out, "bad signature") {
		t.Errorf("the README's verifier on a changed body: %s", out)
	}
	if out := run(d.header, d.body, now+int64(DefaultTolerance/time.Second)+1); !strings.Contains(out, "too old") {
		t.Errorf("the README's verifier on a replay: %s", out)
	}
}
