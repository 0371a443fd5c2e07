//go:build unix

package engine

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestSocketIsTheUsersAlone(t *testing.T) {
	dir := shortDir(t)
	serve(t, dir)
	st, err := os.Stat(Endpoint(dir))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode %v, want 0600", st.Mode().Perm())
	}
}

func TestNoEngineAndStaleSocket(t *testing.T) {
	dir := shortDir(t)
	if _, err := Dial(dir); !errors.Is(err, ErrNoEngine) {
		t.Fatalf("empty folder: %v", err)
	}
	// A killed app leaves its socket behind, listened on by nobody.
	ln, err := net.Listen("unix", Endpoint(dir))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(Endpoint(dir)); err != nil {
		t.Fatal("the stale socket should still be there:", err)
	}
	if _, err := Dial(dir); !errors.Is(err, ErrNoEngine) {
		t.Fatalf("stale socket: %v, want ErrNoEngine", err)
	}
	serve(t, dir)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal("after the stale socket was replaced:", err)
	}
	var v Version
	if err := c.Get(context.Background(), "/version", &v); err != nil || v.API != APIVersion {
		t.Fatalf("version %+v %v", v, err)
	}
}

func TestSomethingElseInTheWayIsLeftAlone(t *testing.T) {
	dir := shortDir(t)
	if err := os.WriteFile(Endpoint(dir), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Serve(dir, Config{Run: echo}); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("Serve over a regular file: %v", err)
	}
	if b, _ := os.ReadFile(Endpoint(dir)); string(b) != "mine" {
		t.Fatal("the file in the way was touched")
	}
}

// TestAnotherUserIsRefused runs a client as uid 65534 (nobody). With the
// folder's and socket's modes as Pagekeeper sets them, the system keeps it
// out; with them opened up, the engine's own peer check refuses it.
func TestAnotherUserIsRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("running a client as another user needs root (the test sessions run as root)")
	}
	dir := shortDir(t)
	serve(t, dir)
	exe := copyExecutable(t)
	run := func(raw bool) (int, string) {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), envClient+"="+dir)
		if raw {
			cmd.Env = append(cmd.Env, envRaw+"=1")
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), string(out)
	}
	if code, out := run(false); code != 2 || !strings.Contains(out, "permission denied") {
		t.Fatalf("nobody behind a 0700 folder and a 0600 socket: exit %d, %q", code, out)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(Endpoint(dir), 0o666); err != nil {
		t.Fatal(err)
	}
	code, out := run(true)
	if code != 3 || !strings.Contains(out, "refused") || !strings.Contains(out, "another user") || !strings.Contains(out, "not uid 65534") {
		t.Fatalf("nobody on an open socket: exit %d, %q", code, out)
	}
	// Pagekeeper's own client will not talk to another user's engine either.
	if code, out := run(false); code != 2 || !strings.Contains(out, "runs as another user (uid 0)") {
		t.Fatalf("nobody's client on root's open socket: exit %d, %q", code, out)
	}
	// And the owner is still served.
	if code := playClient(dir); code != 0 {
		t.Fatalf("the owner's client: exit %d", code)
	}
}

// copyExecutable puts this test binary where nobody may run it.
func copyExecutable(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	dir := shortDir(t)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "client.test")
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return exe
}

func TestTooLongAFolderIsSaidPlainly(t *testing.T) {
	dir := filepath.Join(shortDir(t), strings.Repeat("d", 100))
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Serve(dir, Config{Run: echo}); err == nil || !strings.Contains(err.Error(), "too long for a socket") {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := Dial(dir); !errors.Is(err, ErrNoEngine) {
		t.Fatalf("Dial: %v", err)
	}
}
