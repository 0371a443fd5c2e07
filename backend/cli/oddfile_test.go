//go:build unix

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The database path holds something that is not a database file: a
// directory, a FIFO (opening one for reading blocks until a writer comes),
// a symlink loop, a symlink to a character device. status answers at once,
// names the file, exits 3 (never 2, "a Page is invalid") and leaves the
// thing as it was.
func TestDatabasePathThatIsNotAFile(t *testing.T) {
	for name, create := range map[string]func(path string) error{
		"directory":     func(p string) error { return os.Mkdir(p, 0o700) },
		"fifo":          func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"symlink loop":  func(p string) error { return os.Symlink(p, p) },
		"to /dev/zero":  func(p string) error { return os.Symlink("/dev/zero", p) },
		"dangling link": func(p string) error { return os.Symlink(filepath.Join(filepath.Dir(p), "elsewhere", "x.db"), p) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "pagekeeper.db")
			if err := create(path); err != nil {
				t.Fatal(err)
			}
			before, _ := os.Lstat(path)
			var out, errb bytes.Buffer
			env := dirEnv(dir, &out, &errb)
			done := make(chan int, 1)
			go func() { done <- Main(context.Background(), env, []string{"status"}) }()
			select {
			case code := <-done:
				if code != ExitUnknown || !strings.Contains(errb.String(), "pagekeeper.db") {
					t.Errorf("exit %d, want %d; stderr %q", code, ExitUnknown, errb.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("status hung")
			}
			after, err := os.Lstat(path)
			if err != nil || after.Mode() != before.Mode() {
				t.Errorf("the path was changed: %v %v", after, err)
			}
		})
	}
}
