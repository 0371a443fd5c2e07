//go:build linux

package store

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/internal/testdisk"
)

// A healthy database Pagekeeper cannot write is not called damaged: the
// message names the real problem and does not send the owner to move the
// file aside and start empty.
func TestCannotWriteIsNotDamaged(t *testing.T) {
	t.Run("read-only disk", func(t *testing.T) {
		dir := testdisk.Small(t, 1<<20)
		path := filepath.Join(dir, "pagekeeper.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PutPage(samplePage("1")); err != nil {
			t.Fatal(err)
		}
		db.Close()
		before := fileSum(t, path)
		testdisk.ReadOnly(t, dir)
		_, err = Open(path)
		wantWriteError(t, err, "read-only")
		if fileSum(t, path) != before {
			t.Fatal("the file changed")
		}
	})
	t.Run("disk full on a new database", func(t *testing.T) {
		dir := testdisk.Small(t, 256<<10)
		testdisk.Fill(t, dir)
		_, err := Open(filepath.Join(dir, "pagekeeper.db"))
		wantWriteError(t, err, "disk is full")
	})
	t.Run("disk full while writing", func(t *testing.T) {
		dir := testdisk.Small(t, 256<<10)
		db, err := Open(filepath.Join(dir, "pagekeeper.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		free := testdisk.Fill(t, dir)
		var werr error
		for i := 0; werr == nil && i < 2000; i++ {
			p := samplePage(strings.Repeat("9", 1+i%40) + string(rune('a'+i%26)))
			p.Summary = strings.Repeat("x", 3000)
			werr = db.PutPage(p)
		}
		wantWriteError(t, werr, "disk is full")
		free()
		if err := db.PutPage(samplePage("2")); err != nil {
			t.Fatalf("after space was freed: %v", err)
		}
		if _, err := db.GetPage("2"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("another owner", func(t *testing.T) {
		// Root ignores file modes: the open is tried by a copy of this test
		// binary running as nobody, on a file root owns.
		dir, err := os.MkdirTemp("", "pkowner")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		os.Chmod(dir, 0o755)
		path := filepath.Join(dir, "pagekeeper.db")
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		os.Chmod(path, 0o644)
		before := fileSum(t, path)
		bin := filepath.Join(dir, "store.test")
		self, _ := os.ReadFile(os.Args[0])
		if err := os.WriteFile(bin, self, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "-test.run=^$")
		cmd.Env = append(os.Environ(), childOpenEnv+"="+path)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child as nobody: %v\n%s", err, out)
		}
		var res childOpen
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("child printed %q", out)
		}
		if !res.WriteError || !strings.Contains(res.Err, "permission") || strings.Contains(res.Err, "begin with an empty one") {
			t.Fatalf("as another user: %+v", res)
		}
		if fileSum(t, path) != before {
			t.Fatal("the file changed")
		}
	})
}

func wantWriteError(t *testing.T, err error, says string) {
	t.Helper()
	var we *WriteError
	var ce *CorruptError
	if !errors.As(err, &we) || errors.As(err, &ce) {
		t.Fatalf("got %v (%T), want a *WriteError", err, err)
	}
	if !strings.Contains(err.Error(), says) || strings.Contains(err.Error(), "start Pagekeeper again to begin with an empty one") {
		t.Fatalf("message %q should say %q and not advise starting empty", err, says)
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
