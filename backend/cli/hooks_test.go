package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

func TestTokenIsForScriptsAndEveryReadIsLogged(t *testing.T) {
	w := newWorld(t)
	w.setup()
	if code, out, errs := w.connect([]string{"connect", "--pages", sandbox.PageBakery}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
		t.Fatalf("connect: %d\n%s\n%s", code, out, errs)
	}
	code, tok, errs := w.run("", "token", sandbox.PageBakery)
	tok = strings.TrimSpace(tok)
	if code != 0 || !strings.HasPrefix(tok, "EAA") {
		t.Fatalf("token into a pipe: %d %q %s", code, tok, errs)
	}
	// On a terminal it wants --show.
	onTTY := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		env := w.envWith(strings.NewReader(""), &out, &errb)
		env.IsTerminal = func(f any) bool { return f == any(&out) }
		return Main(context.Background(), env, args), out.String(), errb.String()
	}
	if code, out, errs := onTTY("token", sandbox.PageBakery); code != 64 || out != "" || !strings.Contains(errs, "--show") {
		t.Errorf("token on a terminal: %d %q %q", code, out, errs)
	}
	if code, out, _ := onTTY("token", sandbox.PageBakery, "--show"); code != 0 || strings.TrimSpace(out) != tok {
		t.Errorf("token --show: %d", code)
	}
	if code, _, errs := w.run("", "token", "404"); code != 1 || !strings.Contains(errs, "no Page 404") {
		t.Errorf("token of an unknown Page: %d %s", code, errs)
	}
	_, log, _ := w.run("", "log", sandbox.PageBakery)
	if n := strings.Count(log, "token_read"); n != 2 || strings.Contains(log, tok[:20]) {
		t.Errorf("%d reads logged (want 2), or the token is in the log:\n%s", n, log)
	}
}

func TestHooksCommand(t *testing.T) {
	w := newWorld(t)
	w.setup()
	if code, out, errs := w.connect([]string{"connect", "--pages", sandbox.PageBakery + "," + sandbox.PageCafe}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
		t.Fatalf("connect: %d\n%s\n%s", code, out, errs)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "deploy.sh")
	os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s %s\\n' \"$PAGEKEEPER_EVENT\" \"$(cat)\" >> \"$1/runs-$PAGEKEEPER_PAGE_ID\"\necho \"ok $PAGEKEEPER_EVENT\"\n"), 0o700)
	cmd := fmt.Sprintf("'%s' '%s'", script, dir)
	if code, out, errs := w.run("", "hooks", "set", "--timeout", "45s", "--command", cmd); code != 0 || !strings.Contains(out, "all-command") {
		t.Fatalf("hooks set: %d %s %s", code, out, errs)
	}
	if code, _, errs := w.run("", "hooks", "set", "--webhook", "http://hooks.example.com/"); code != 1 || !strings.Contains(errs, "https://") {
		t.Errorf("a plain-http webhook: %d %s", code, errs)
	}
	if code, _, errs := w.run("0123456789abcdef0123\n", "hooks", "set", "--page", sandbox.PageCafe, "--webhook", "https://hooks.example.com/pk", "--with-token"); code != 0 {
		t.Errorf("hooks set --webhook: %d %s", code, errs)
	}
	code, out, _ := w.run("", "hooks", "list")
	if code != 0 || !strings.Contains(out, "all-command") || !strings.Contains(out, sandbox.PageCafe+"-webhook") || !strings.Contains(out, "with the new token") || !strings.Contains(out, "(timeout 45s)") {
		t.Errorf("hooks list: %d\n%s", code, out)
	}
	if code, _, errs := w.run("", "hooks", "remove", sandbox.PageCafe+"-webhook"); code != 0 {
		t.Errorf("hooks remove: %d %s", code, errs)
	}

	// --dry-run runs nothing.
	code, out, errs := w.run("", "hooks", "test", "all-command", "--page", sandbox.PageBakery, "--dry-run")
	if code != 0 || !strings.Contains(out, "PAGEKEEPER_EVENT=new_token") || !strings.Contains(out, "PAGEKEEPER_DRY_RUN=1") {
		t.Errorf("hooks test --dry-run: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "runs-"+sandbox.PageBakery)); err == nil {
		t.Fatal("the dry run ran the hook")
	}
	code, out, errs = w.run("", "hooks", "test", "all-command", "--page", sandbox.PageBakery)
	if code != 0 || !strings.Contains(out, "worked") || !strings.Contains(out, "ok new_token") {
		t.Errorf("hooks test: %d %s %s", code, out, errs)
	}

	// A reconnect from the command line delivers before the command ends.
	if code, out, errs := w.connect([]string{"reconnect", sandbox.DanaID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
		t.Fatalf("reconnect: %d\n%s\n%s", code, out, errs)
	}
	_, tok, _ := w.run("", "token", sandbox.PageCafe)
	raw, _ := os.ReadFile(filepath.Join(dir, "runs-"+sandbox.PageCafe))
	if string(raw) != "new_token "+tok {
		t.Errorf("the Cafe's hook saw %q, want its new token once", raw)
	}
	_, log, _ := w.run("", "log", sandbox.PageBakery)
	if !strings.Contains(log, "hook_test") || !strings.Contains(log, "hook_run") {
		t.Errorf("the log lacks the hook runs:\n%s", log)
	}
}
