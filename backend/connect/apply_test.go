package connect

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

func noWords(string, string, string) (string, string) { return "", "" }

// When the records cannot be written, the keychain gets back what it held:
// the token a reconnect replaced is restored, the new Page's token removed.
func TestApplyPutsTheKeychainBackWhenTheRecordsFail(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "pagekeeper.db"))
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(vault.NewMemory())
	if err := v.SetUserToken("7", "EAAold-user-token"); err != nil {
		t.Fatal(err)
	}
	g := &Grant{Person: graph.User{ID: "7", Name: "Dana"}, UserToken: "EAAnew-user-token",
		Pages: []GrantedPage{{ID: "1", Name: "Bakery", Token: "EAApage-token"}}}
	db.Close() // every write now fails, as on a disk that refuses them
	if _, err := Apply(db, v, g, []string{"1"}, time.Now(), noWords); err == nil {
		t.Fatal("Apply succeeded on a closed database")
	}
	if tok, err := v.UserToken("7"); err != nil || tok != "EAAold-user-token" {
		t.Fatalf("user token after the failed connect: %q %v, want the old one", tok, err)
	}
	if _, err := v.PageToken("1"); !errors.Is(err, vault.ErrNotFound) {
		t.Fatalf("the new Page's token stayed: %v", err)
	}
}
