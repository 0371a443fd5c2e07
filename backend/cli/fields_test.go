package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/store"
)

// A Page name holding a line break or a tab (Facebook's text, any
// characters) cannot forge a line of the status table or shift its
// columns: each Page is one line, with its own status first.
func TestStatusTableNameCannotForgeALine(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "pagekeeper.db"))
	if err != nil {
		t.Fatal(err)
	}
	evil := "Crumb\nvalid\tEverything is fine\t42\r\n"
	if err := db.PutPage(store.Page{ID: "77", Name: evil, Status: "invalid", Reason: "token_invalid",
		Summary: "Facebook no longer accepts Pagekeeper's access to " + evil, Fix: "Reconnect " + evil}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	var out, errb bytes.Buffer
	env := dirEnv(dir, &out, &errb)
	Main(context.Background(), env, []string{"status"})
	lines := strings.Split(out.String(), "\n")
	rows := 0
	for _, l := range lines {
		// The table says statuses in words (keeper.StatusLabels).
		if strings.HasPrefix(l, "Working") || strings.HasPrefix(l, "valid") {
			t.Errorf("a forged row: %q\n%s", l, out.String())
		}
		if strings.HasPrefix(l, "Broken") {
			rows++
		}
		if strings.HasPrefix(strings.TrimSpace(l), "Everything is fine") || strings.HasPrefix(strings.TrimSpace(l), "valid") {
			t.Errorf("a name broke onto its own line: %q", l)
		}
	}
	if rows != 1 {
		t.Errorf("%d rows for the one Page:\n%s%s", rows, out.String(), errb.String())
	}
}
