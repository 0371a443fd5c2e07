package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/pagekeeper/pagekeeper/backend/internal/testbus"
)

// The keychain is reached through godbus, which keeps one session-bus
// connection per process. To test a keychain that is absent or locked without
// disturbing the shared test keyring (other packages use it in parallel), the
// tests start a private dbus-daemon (and, for the locked case, a private
// gnome-keyring-daemon) and run each Keyring call in a child process: the
// test binary itself, re-executed with the private bus as its session bus.

const (
	childEnv     = "PAGEKEEPER_VAULT_TEST_CHILD" // op: get, set or delete
	childService = "PAGEKEEPER_VAULT_TEST_SERVICE"
	childKey     = "PAGEKEEPER_VAULT_TEST_KEY"
	childValue   = "PAGEKEEPER_VAULT_TEST_VALUE"
	childRunDir  = "PAGEKEEPER_VAULT_TEST_RUNTIME_DIR" // replaces /run/user/UID
)

func TestMain(m *testing.M) {
	if op := os.Getenv(childEnv); op != "" {
		os.Exit(runChild(op))
	}
	os.Exit(m.Run())
}

// childResult is what a child reports of one Keyring call.
type childResult struct {
	Value    string
	Err      string
	Reason   string // of an *UnavailableError, "" otherwise
	NotFound bool
}

func runChild(op string) int {
	if dir := os.Getenv(childRunDir); dir != "" {
		userRuntimeDir = dir
	}
	k := Keyring{Service: os.Getenv(childService), Timeout: 20 * time.Second}
	key := os.Getenv(childKey)
	var res childResult
	var err error
	switch op {
	case "get":
		res.Value, err = k.Get(key)
	case "set":
		err = k.Set(key, os.Getenv(childValue))
	case "delete":
		err = k.Delete(key)
	case "getmany":
		var got map[string]string
		got, err = k.GetMany([]string{key, key + "-other"})
		res.Value = got[key]
	case "setmany":
		err = k.SetMany(map[string]string{key: os.Getenv(childValue), key + "-other": "EAAother"})
	case "deletemany":
		err = k.DeleteMany([]string{key, key + "-other"})
	case "vault":
		// Through the Vault: a first read of the Page tokens (a Scan on
		// Linux), then a write of one.
		v, id := New(k), strings.ReplaceAll(key, ":", "-")
		if _, err = v.PageToken(id); err == nil || errors.Is(err, ErrNotFound) {
			err = v.SetPageToken(id, os.Getenv(childValue))
		}
	default:
		err = fmt.Errorf("unknown child op %q", op)
	}
	if err != nil {
		res.Err = err.Error()
		res.NotFound = err == ErrNotFound
		if ue, ok := err.(*UnavailableError); ok {
			res.Reason = ue.Reason.String()
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		return 2
	}
	return 0
}

// inChild runs one Keyring call in a child process whose session bus is busAddr.
// extraEnv adds variables (KEY=value) to the child's environment.
func inChild(t *testing.T, busAddr, op, service, key, value string, extraEnv ...string) childResult {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	env := []string{
		childEnv + "=" + op, childService + "=" + service, childKey + "=" + key, childValue + "=" + value,
		"DBUS_SESSION_BUS_ADDRESS=" + busAddr,
	}
	env = append(env, extraEnv...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	cmd.Stdin = nil
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child %s failed: %v\n%s", op, err, out)
	}
	var res childResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("child %s printed %q: %v", op, out, err)
	}
	return res
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is not installed; install the packages of shared/TOOLCHAIN.md (dbus, gnome-keyring, libsecret-tools)", name)
	}
}

func needSessionBus(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("DBUS_SESSION_BUS_ADDRESS is empty: run the tests inside dbus-run-session with an unlocked gnome-keyring, as shared/TOOLCHAIN.md shows")
	}
}

func privateBus(t *testing.T) (string, *dbus.Conn) {
	t.Helper()
	addr := testbus.Private(t)
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connecting to the private bus %s: %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return addr, conn
}

// privateKeyring starts gnome-keyring-daemon on the bus at addr with a fresh
// login keyring unlocked by password.
func privateKeyring(t *testing.T, addr string, conn *dbus.Conn, password string) {
	t.Helper()
	needTool(t, "gnome-keyring-daemon")
	home := t.TempDir()
	run, err := os.MkdirTemp("", "pkrun")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(run) })
	cmd := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"XDG_RUNTIME_DIR=" + run, "DBUS_SESSION_BUS_ADDRESS=" + addr,
	}
	cmd.Stdin = strings.NewReader(password)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting gnome-keyring-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		var has bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&has)
		if err == nil && has {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gnome-keyring-daemon did not claim %s within 10s (last error %v)", secretsName, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const (
	secretsName       = "org.freedesktop.secrets"
	secretsPath       = dbus.ObjectPath("/org/freedesktop/secrets")
	defaultCollection = dbus.ObjectPath("/org/freedesktop/secrets/aliases/default")
)

// lockKeyring locks the default collection through the Secret Service API.
func lockKeyring(t *testing.T, conn *dbus.Conn) {
	t.Helper()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := conn.Object(secretsName, secretsPath).
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{defaultCollection}).
		Store(&locked, &prompt)
	if err != nil || len(locked) != 1 || prompt != "/" {
		t.Fatalf("locking the keyring: locked %v, prompt %v, err %v", locked, prompt, err)
	}
}

// unlockKeyring unlocks the default collection without a prompt, through
// gnome-keyring's own interface for tools that know the password.
func unlockKeyring(t *testing.T, conn *dbus.Conn, password string) {
	t.Helper()
	svc := conn.Object(secretsName, secretsPath)
	var ignored dbus.Variant
	var session dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).
		Store(&ignored, &session); err != nil {
		t.Fatalf("opening a Secret Service session: %v", err)
	}
	var collection dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&collection); err != nil {
		t.Fatalf("reading the default alias: %v", err)
	}
	secret := struct {
		Session     dbus.ObjectPath
		Parameters  []byte
		Value       []byte
		ContentType string
	}{session, []byte{}, []byte(password), "text/plain"}
	err := svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0, collection, secret).Err
	if err != nil {
		t.Fatalf("unlocking %s: %v", collection, err)
	}
}
