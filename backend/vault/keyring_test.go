package vault

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// testService gives each test its own keychain service name, so tests of
// this and other packages sharing the test keyring never see each other's
// entries, and removes whatever the test left.
func testService(t *testing.T) string {
	t.Helper()
	svc := fmt.Sprintf("pagekeeper-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		if err := (Keyring{Service: svc}).DeleteAll(); err != nil {
			t.Errorf("cleaning up %s: %v", svc, err)
		}
	})
	return svc
}

// secretTool lists the keychain entries of service as secret-tool prints them.
func secretTool(t *testing.T, service string) string {
	t.Helper()
	needTool(t, "secret-tool")
	out, err := exec.Command("secret-tool", "search", "--all", "service", service).CombinedOutput()
	if err != nil && len(out) > 0 {
		t.Fatalf("secret-tool: %v\n%s", err, out)
	}
	return string(out)
}

func TestKeyringRoundTrip(t *testing.T) {
	needSessionBus(t)
	svc := testService(t)
	k := Keyring{Service: svc}

	if _, err := k.Get("user-token:1"); err != ErrNotFound {
		t.Fatalf("Get of a missing key = %v, want ErrNotFound", err)
	}
	if err := k.Set("user-token:1", "EAAB-first"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("user-token:1"); err != nil || got != "EAAB-first" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	listed := secretTool(t, svc)
	if !strings.Contains(listed, "attribute.username = user-token:1") || !strings.Contains(listed, "attribute.service = "+svc) {
		t.Fatalf("secret-tool does not show the entry:\n%s", listed)
	}

	// A second Set replaces the value rather than adding an entry.
	if err := k.Set("user-token:1", "EAAB-second"); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get("user-token:1"); got != "EAAB-second" {
		t.Fatalf("after replacing, Get = %q", got)
	}
	if n := strings.Count(secretTool(t, svc), "attribute.username = user-token:1"); n != 1 {
		t.Fatalf("secret-tool shows %d entries for the key, want 1", n)
	}

	if err := k.Delete("user-token:1"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("user-token:1"); err != ErrNotFound {
		t.Fatalf("Get after Delete = %v, want ErrNotFound", err)
	}
	if err := k.Delete("user-token:1"); err != nil {
		t.Fatalf("Delete of a missing key = %v, want nil", err)
	}
	if listed := secretTool(t, svc); strings.Contains(listed, "user-token:1") {
		t.Fatalf("secret-tool still shows the deleted entry:\n%s", listed)
	}
}

func TestKeyringDeleteAllKeepsOtherServices(t *testing.T) {
	needSessionBus(t)
	a, b := Keyring{Service: testService(t)}, Keyring{Service: testService(t)}
	for _, k := range []Keyring{a, b} {
		for _, key := range []string{"x", "y"} {
			if err := k.Set(key, "v-"+key); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := a.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Get("x"); err != ErrNotFound {
		t.Fatalf("a.Get after DeleteAll = %v", err)
	}
	if got, err := b.Get("y"); err != nil || got != "v-y" {
		t.Fatalf("b lost its entries: %q, %v", got, err)
	}
	if err := a.DeleteAll(); err != nil {
		t.Fatalf("DeleteAll of an empty service = %v, want nil", err)
	}
}

func TestKeyringRejectsOversizedSecret(t *testing.T) {
	needSessionBus(t)
	svc := testService(t)
	k := Keyring{Service: svc}
	big := strings.Repeat("A", MaxSecretBytes+1)
	err := k.Set("page-token:1", big)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Set of %d bytes = %v, want ErrTooLarge", len(big), err)
	}
	if strings.Contains(err.Error(), "AAAA") {
		t.Fatal("the error contains the secret")
	}
	if listed := secretTool(t, svc); strings.Contains(listed, "page-token:1") {
		t.Fatalf("an oversized secret was stored:\n%s", listed)
	}
	// The largest allowed value does go in and comes back whole.
	ok := strings.Repeat("B", MaxSecretBytes)
	if err := k.Set("page-token:1", ok); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get("page-token:1"); got != ok {
		t.Fatalf("read back %d bytes, want %d", len(got), len(ok))
	}
}

func TestVaultOnKeyringUsesNamedEntries(t *testing.T) {
	needSessionBus(t)
	svc := testService(t)
	v := New(Keyring{Service: svc})
	if err := v.SetPageToken("104", "EAAPage"); err != nil {
		t.Fatal(err)
	}
	if err := v.SetUserToken("104", "EAAUser"); err != nil {
		t.Fatal(err)
	}
	listed := secretTool(t, svc)
	for _, want := range []string{"attribute.username = page-tokens:0", "attribute.username = user-token:104", `"104":"EAAPage"`} {
		if !strings.Contains(listed, want) {
			t.Fatalf("secret-tool does not show %q:\n%s", want, listed)
		}
	}
	if got, _ := v.PageToken("104"); got != "EAAPage" {
		t.Fatalf("PageToken = %q", got)
	}
	if err := v.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, err := v.UserToken("104"); err != ErrNotFound {
		t.Fatalf("UserToken after Clear = %v", err)
	}
}

func TestKeyringLocked(t *testing.T) {
	const password = "vault-test-pass"
	addr, conn := privateBus(t)
	privateKeyring(t, addr, conn, password)
	svc := "pagekeeper-locked-test"

	if r := inChild(t, addr, "set", svc, "page-token:1", "EAAsecretvalue"); r.Err != "" {
		t.Fatalf("Set on the unlocked private keyring: %s", r.Err)
	}
	lockKeyring(t, conn)

	allOpsFail(t, addr, svc, "locked", "the system keychain is locked", "unlock it")

	// Once unlocked, a new process reads the value stored before the lock:
	// the failed calls changed nothing.
	unlockKeyring(t, conn, password)
	if r := inChild(t, addr, "getmany", svc, "page-token:1", ""); r.Err != "" || r.Value != "EAAsecretvalue" {
		t.Fatalf("after unlocking: value %q, error %q", r.Value, r.Err)
	}
}

func TestKeyringAbsent(t *testing.T) {
	addr, conn := privateBus(t)
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&has); err != nil || has {
		t.Fatalf("the private bus should have no Secret Service: has=%v err=%v", has, err)
	}
	allOpsFail(t, addr, "pagekeeper-absent-test", "absent", "no system keychain was found", "never stores tokens in a plain file")
}

// allOpsFail checks that get, set and delete each fail with reason and a
// message that has every phrase and not the secret.
func allOpsFail(t *testing.T, addr, service, reason string, phrases ...string) {
	t.Helper()
	const secret = "EAAsecretvalue"
	for _, op := range []string{"get", "set", "delete", "getmany", "setmany", "deletemany", "vault"} {
		r := inChild(t, addr, op, service, "page-token:1", secret)
		if r.Reason != reason {
			t.Fatalf("%s: reason %q, error %q; want %s", op, r.Reason, r.Err, reason)
		}
		for _, p := range phrases {
			if !strings.Contains(r.Err, p) {
				t.Fatalf("%s: the message %q does not say %q", op, r.Err, p)
			}
		}
		if strings.Contains(r.Err, secret) {
			t.Fatalf("%s: the message contains the secret: %q", op, r.Err)
		}
	}
}

func TestKeyringNoSessionBus(t *testing.T) {
	// An address that nothing listens on: the session bus is gone.
	addr := "unix:path=" + t.TempDir() + "/no-bus"
	r := inChild(t, addr, "get", "pagekeeper-nobus-test", "page-token:1", "")
	if r.Reason != "absent" {
		t.Fatalf("with no session bus: reason %q, error %q; want absent", r.Reason, r.Err)
	}
}

func TestKeyringUnsetSessionBusIsAbsent(t *testing.T) {
	// With no address and no systemd user bus, godbus would start a bus
	// with dbus-launch; the Keyring refuses first.
	r := inChild(t, "", "get", "pagekeeper-nobus-test", "page-token:1", "", childRunDir+"="+t.TempDir())
	if r.Reason != "absent" || !strings.Contains(r.Err, "DBUS_SESSION_BUS_ADDRESS is not set") {
		t.Fatalf("with DBUS_SESSION_BUS_ADDRESS unset: reason %q, error %q", r.Reason, r.Err)
	}
}

func TestSessionBusKnown(t *testing.T) {
	dir := t.TempDir()
	if sessionBusKnown("", dir) || sessionBusKnown("autolaunch:", dir) {
		t.Fatal("an empty runtime folder and no address counted as a bus")
	}
	if !sessionBusKnown("unix:path=/x", dir) {
		t.Fatal("an address in the environment was ignored")
	}
	if err := os.WriteFile(dir+"/bus", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if !sessionBusKnown("", dir) {
		t.Fatal("the runtime folder's bus was ignored")
	}
}

func TestWithTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	_, err := withTimeout("read", 50*time.Millisecond, func() (string, error) { <-release; return "late", nil })
	var ue *UnavailableError
	if !errors.As(err, &ue) || ue.Reason != Locked {
		t.Fatalf("a call that never returns gave %v, want a Locked UnavailableError", err)
	}
	if !strings.Contains(err.Error(), "did not answer a read within 50ms") {
		t.Fatalf("unclear message: %q", err)
	}
	if v, err := withTimeout("read", time.Minute, func() (string, error) { return "v", ErrNotFound }); v != "v" || err != ErrNotFound {
		t.Fatalf("a prompt answer was not passed through: %q, %v", v, err)
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		err error
		why Reason
	}{
		{dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, Absent},
		{&dbus.Error{Name: "org.freedesktop.DBus.Error.NameHasNoOwner"}, Absent},
		{errors.New("dbus: couldn't determine address of session bus"), Absent},
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), Locked},
		{dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"}, Locked},
		{errors.New("something else"), Other},
	}
	for _, c := range cases {
		err := classify(c.err, "")
		var ue *UnavailableError
		if !errors.As(err, &ue) || ue.Reason != c.why {
			t.Errorf("classify(%v) = %v, want reason %v", c.err, err, c.why)
		}
	}
	if err := classify(keyring.ErrNotFound, ""); err != ErrNotFound {
		t.Errorf("classify(keyring.ErrNotFound) = %v", err)
	}
	if err := classify(keyring.ErrSetDataTooBig, ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("classify(keyring.ErrSetDataTooBig) = %v", err)
	}
	// A cause that echoes the secret is scrubbed.
	err := classify(errors.New("rejected value EAAsecret"), "EAAsecret")
	if strings.Contains(err.Error(), "EAAsecret") || !strings.Contains(err.Error(), "[secret]") {
		t.Errorf("secret not scrubbed: %q", err)
	}
}
