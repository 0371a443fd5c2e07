package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// secretsOf lists what the real keychain holds for the world's service.
func (w *world) secretsOf() string {
	w.t.Helper()
	out, _ := exec.Command("secret-tool", "search", "--all", "service", w.env[EnvKeyringService]).CombinedOutput()
	return string(out)
}

func TestResetRemovesSecretsAndDataFolder(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // reset also removes the login item
	w := newWorld(t)
	w.setup()
	if code, out, errs := w.connect([]string{"connect"}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
		t.Fatalf("connect: %d\n%s\n%s", code, out, errs)
	}
	dir := w.env["PAGEKEEPER_DATA_DIR"]
	before := w.secretsOf()
	for _, want := range []string{"app-secret:", "user-token:", "page-tokens:0", `"` + sandbox.PageBakery + `":"EAA`} {
		if !strings.Contains(before, want) {
			t.Fatalf("the keychain has no %s before reset:\n%s", want, before)
		}
	}

	// Without a terminal to ask, reset wants --yes and deletes nothing.
	if code, _, errs := w.run("yes\n", "reset"); code != 64 || !strings.Contains(errs, "--yes") {
		t.Fatalf("reset without --yes: %d %s", code, errs)
	}
	if w.secretsOf() != before {
		t.Fatal("reset without --yes touched the keychain")
	}

	code, out, errs := w.run("", "reset", "--yes")
	if code != 0 || !strings.Contains(out, "keychain") || !strings.Contains(out, dir) {
		t.Fatalf("reset: %d\n%s\n%s", code, out, errs)
	}
	if left := w.secretsOf(); strings.Contains(left, "pagekeeper") || strings.Contains(left, "token") {
		t.Fatalf("secrets left after reset:\n%s", left)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("data folder still there: %v", err)
	}
	if code, out, _ := w.run("", "status"); code == 0 && !strings.Contains(out, "not set up") {
		t.Fatalf("status after reset: %d %s", code, out)
	}
	// Twice is not an error: the uninstaller may run it after the owner did.
	if code, _, errs := w.run("", "reset", "--yes"); code != 0 {
		t.Fatalf("second reset: %d %s", code, errs)
	}
}

func TestResetKeepsAFolderWithOtherFiles(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	w := newWorld(t)
	w.setup()
	dir := w.env["PAGEKEEPER_DATA_DIR"]
	mine := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(mine, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := w.run("", "reset", "--yes")
	if code != 1 || !strings.Contains(errs, "notes.txt") {
		t.Fatalf("reset: %d %s", code, errs)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Fatalf("the owner's file is gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pagekeeper.db")); !os.IsNotExist(err) {
		t.Fatalf("pagekeeper.db still there: %v", err)
	}
}
