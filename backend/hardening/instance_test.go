package hardening

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/cli"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

func init() {
	children["holder"] = holderChild
	children["opener"] = openerChild
}

// holderChild keeps a Pagekeeper open on dir until it is killed.
func holderChild(dir string) error {
	k, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir, Secrets: vault.NewMemory(), Sender: &sender{}})
	if err != nil {
		return err
	}
	defer k.Close()
	fmt.Println("READY")
	time.Sleep(time.Hour)
	return nil
}

// openerChild tries to open a second Pagekeeper on dir and says what happened.
func openerChild(dir string) error {
	k, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir, Secrets: vault.NewMemory(), Sender: &sender{}})
	if err == nil {
		k.Close()
		fmt.Println("OPENED")
		return nil
	}
	if errors.Is(err, store.ErrAlreadyRunning) {
		fmt.Println("REFUSED " + err.Error())
		return nil
	}
	return err
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestSingleInstance: two processes on one data folder never both write.
func TestSingleInstance(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pagekeeper.db")
	refused, attempts := 0, 0

	// Another process holds the folder: this one is refused, keeper and CLI alike.
	c := startChild(t, "holder", dir, 0)
	c.ready(t)
	before := fileSum(t, db)
	attempts++
	k, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir, Secrets: vault.NewMemory(), Sender: &sender{}})
	if err == nil {
		k.Close()
		t.Fatal("a second Pagekeeper opened a data folder that another process holds")
	}
	if !errors.Is(err, store.ErrAlreadyRunning) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second instance: %v, want ErrAlreadyRunning naming %s", err, dir)
	}
	refused++
	h := &haystack{}
	cl := &cliEnv{t: t, h: h, vars: map[string]string{"PAGEKEEPER_DATA_DIR": dir}}
	// A holder that serves no engine is another command: each waits for it
	// (briefly here), saying so, then gives up.
	wait := cli.LockWait
	cli.LockWait = 300 * time.Millisecond
	defer func() { cli.LockWait = wait }()
	for _, args := range [][]string{{"status"}, {"check"}, {"log", "1"}, {"disconnect", "1"}, {"connect", "--no-browser"}} {
		attempts++
		code, _, errs := cl.run("", args...)
		if code == 0 || !strings.Contains(errs, "another Pagekeeper is already running") || !strings.Contains(errs, "waiting for it") || !strings.Contains(errs, "try again") {
			t.Errorf("pagekeeper %s while another runs: exit %d, stderr %q", strings.Join(args, " "), code, errs)
			continue
		}
		refused++
	}
	if fileSum(t, db) != before {
		t.Error("the database changed while the other process held it")
	}
	if _, err := c.kill9(t); err != nil {
		t.Fatal(err)
	}

	// The holder died without closing: the lock went with it.
	k, err = keeper.Open(context.Background(), keeper.Options{DataDir: dir, Secrets: vault.NewMemory(), Sender: &sender{}})
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	// And now this process holds it: another process is refused.
	attempts++
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"=opener", envDir+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("opener: %v: %s", err, stderr.String())
	}
	if !strings.HasPrefix(string(got), "REFUSED ") {
		t.Errorf("the other process got %q", got)
	} else {
		refused++
	}
	k.Close()
	figure(t, "second instances refused %d/%d (keeper.Open in both directions, status, check, log, disconnect, connect), database unchanged while held",
		refused, attempts)
}
