package hardening

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/cli"
	"github.com/pagekeeper/pagekeeper/backend/internal/testbus"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

func init() { children["connect"] = connectChild }

// connectChild runs `pagekeeper connect --no-browser` on dir and prints its
// exit code and output. A child of its own, because go-keyring keeps the
// first session bus it met for the life of the process.
func connectChild(dir string) error {
	var out, errb bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, IsTerminal: func(any) bool { return false },
		Getenv: func(k string) string {
			if k == "PAGEKEEPER_DATA_DIR" {
				return dir
			}
			return os.Getenv(k)
		}}
	code := cli.Main(context.Background(), env, []string{"connect", "--no-browser"})
	fmt.Printf("exit %d\n%s%s", code, out.String(), errb.String())
	return nil
}

// On a set-up data folder with no Secret Service on the bus, connect names
// the missing keychain instead of sending the owner to set the app up again.
func TestConnectWithoutKeychainNamesIt(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "pagekeeper.db"))
	if err != nil {
		t.Fatal(err)
	}
	set, err := db.GetSettings()
	if err != nil {
		t.Fatal(err)
	}
	set.AppID = "1234567890"
	if err := db.PutSettings(set); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"=connect", envDir+"="+dir,
		"DBUS_SESSION_BUS_ADDRESS="+testbus.Private(t), cli.EnvKeyringService+"=pagekeeper-nokeychain-test")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	got := string(out)
	if !strings.HasPrefix(got, "exit 1\n") || !strings.Contains(got, "no system keychain was found") || strings.Contains(got, "set up your Meta app") {
		t.Fatalf("connect without a keychain said:\n%s", got)
	}
}
