package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/store"
)

// A database cut off in the middle of its data pages: status, check and log
// say how to get out and exit with their "could not" codes (status and check
// 3, never 2, which means "a Page is invalid"), without a panic, and leave
// the file as it was.
func TestDamagedDatabaseIsAClearError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pagekeeper.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if err := db.PutPage(store.Page{ID: fmt.Sprint(1000 + i), Name: strings.Repeat("Page ", 40)}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	whole, _ := os.ReadFile(path)
	cut := whole[:len(whole)/2]
	if err := os.WriteFile(path, cut, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"status"}, ExitUnknown},
		{[]string{"check", "--json"}, ExitUnknown},
		{[]string{"log", "1000"}, 1},
	} {
		var out, errb bytes.Buffer
		env := dirEnv(dir, &out, &errb)
		code := Main(context.Background(), env, tc.args)
		if code != tc.code || !strings.Contains(errb.String(), "move it aside") {
			t.Errorf("%v: exit %d, want %d; stderr %q", tc.args, code, tc.code, errb.String())
		}
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, cut) {
		t.Fatal("the damaged file was changed")
	}
}
