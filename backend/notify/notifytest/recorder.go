// Package notifytest is a recording desktop notification service for tests:
// it claims org.freedesktop.Notifications on the real session bus, answers
// like a notification daemon and records every call, so tests can assert what
// the owner would really have seen. Run tests inside dbus-run-session.
package notifytest

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"

	"github.com/pagekeeper/pagekeeper/backend/internal/testbus"
)

const (
	serviceName = "org.freedesktop.Notifications"
	objectPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	iface       = "org.freedesktop.Notifications"
)

// ClaimTimeout is how long Start waits for the name when another test process
// on the same bus holds it (go test runs packages in parallel).
var ClaimTimeout = 60 * time.Second

// Call is one recorded Notify call.
type Call struct {
	ID            uint32 // the id the recorder answered with
	Sender        string // the caller's unique bus name
	AppName       string
	ReplacesID    uint32
	AppIcon       string
	Summary       string
	Body          string
	Actions       []string
	Hints         map[string]dbus.Variant
	ExpireTimeout int32
}

// Urgency is the call's urgency hint, or -1 when absent.
func (c Call) Urgency() int {
	if v, ok := c.Hints["urgency"]; ok {
		if b, ok := v.Value().(byte); ok {
			return int(b)
		}
	}
	return -1
}

// Recorder is the fake notification service.
type Recorder struct {
	conn *dbus.Conn

	mu     sync.Mutex
	nextID uint32
	calls  []Call
	closed []uint32
	only   []string
	caps   []string
}

// Start claims the notification service name on the session bus and releases
// it when the test ends. It fails the test with a clear message when there is
// no session bus.
func Start(t testing.TB) *Recorder {
	t.Helper()
	return StartOn(t, os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
}

// StartOn is Start on the bus at address (e.g. from PrivateBus).
func StartOn(t testing.TB, address string) *Recorder {
	t.Helper()
	r, err := New(address)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// New starts a recorder on the bus at address (for callers that manage their
// own lifetime or bus). Close it when done.
func New(address string) (*Recorder, error) {
	if address == "" {
		return nil, errors.New("notifytest: DBUS_SESSION_BUS_ADDRESS is empty: run the tests inside `dbus-run-session -- ...` (see /work/shared/TOOLCHAIN.md)")
	}
	conn, err := dbus.Connect(address)
	if err != nil {
		return nil, fmt.Errorf("notifytest: cannot connect to the bus %q: %w", address, err)
	}
	r := &Recorder{conn: conn, caps: []string{"actions", "body", "persistence"}}
	srv := &server{r}
	if err := conn.Export(srv, objectPath, iface); err != nil {
		conn.Close()
		return nil, fmt.Errorf("notifytest: export: %w", err)
	}
	node := &introspect.Node{
		Name: string(objectPath),
		Interfaces: []introspect.Interface{
			introspect.IntrospectData,
			{Name: iface, Methods: introspect.Methods(srv)},
		},
	}
	if err := conn.Export(introspect.NewIntrospectable(node), objectPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		conn.Close()
		return nil, fmt.Errorf("notifytest: export introspection: %w", err)
	}
	deadline := time.Now().Add(ClaimTimeout)
	for {
		reply, err := conn.RequestName(serviceName, dbus.NameFlagDoNotQueue)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("notifytest: request name: %w", err)
		}
		if reply == dbus.RequestNameReplyPrimaryOwner {
			return r, nil
		}
		if time.Now().After(deadline) {
			conn.Close()
			return nil, fmt.Errorf("notifytest: %s is still owned by another program after %s (is a real notification daemon running on this bus?)", serviceName, ClaimTimeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// SetCapabilities sets what GetCapabilities answers (by default "actions",
// "body" and "persistence": no "body-markup").
func (r *Recorder) SetCapabilities(caps ...string) {
	r.mu.Lock()
	r.caps = slices.Clone(caps)
	r.mu.Unlock()
}

// Close releases the name and disconnects.
func (r *Recorder) Close() error {
	r.conn.ReleaseName(serviceName)
	return r.conn.Close()
}

// Calls returns the Notify calls so far, oldest first (only those of the
// senders given to Only, if it was called).
func (r *Recorder) Calls() []Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.only == nil {
		return slices.Clone(r.calls)
	}
	var out []Call
	for _, c := range r.calls {
		if slices.Contains(r.only, c.Sender) {
			out = append(out, c)
		}
	}
	return out
}

// Only makes Calls report just the calls of these bus connections (see
// notify.DBus.BusName). Test processes of other packages share the session
// bus and may notify while this recorder owns the name; their calls are still
// answered, but not counted.
func (r *Recorder) Only(senders ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.only = senders
}

// Closed returns the ids passed to CloseNotification so far.
func (r *Recorder) Closed() []uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.closed)
}

// Reset forgets the recorded calls (ids keep counting up).
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls, r.closed = nil, nil
}

// Invoke emits ActionInvoked, as a daemon does when the owner clicks the
// notification (action "default") or one of its buttons.
func (r *Recorder) Invoke(id uint32, action string) error {
	return r.conn.Emit(objectPath, iface+".ActionInvoked", id, action)
}

// Dismiss emits NotificationClosed with reason 2 (dismissed by the user).
func (r *Recorder) Dismiss(id uint32) error {
	return r.conn.Emit(objectPath, iface+".NotificationClosed", id, uint32(2))
}

// server holds the exported D-Bus methods, kept apart from Recorder so its
// own exported methods are not exposed on the bus.
type server struct{ r *Recorder }

func (s *server) Notify(sender dbus.Sender, appName string, replacesID uint32, appIcon, summary, body string,
	actions []string, hints map[string]dbus.Variant, expireTimeout int32) (uint32, *dbus.Error) {
	r := s.r
	r.mu.Lock()
	defer r.mu.Unlock()
	id := replacesID
	if id == 0 {
		r.nextID++
		id = r.nextID
	}
	r.calls = append(r.calls, Call{
		ID: id, Sender: string(sender), AppName: appName, ReplacesID: replacesID, AppIcon: appIcon,
		Summary: summary, Body: body, Actions: actions, Hints: hints, ExpireTimeout: expireTimeout,
	})
	return id, nil
}

func (s *server) CloseNotification(id uint32) *dbus.Error {
	s.r.mu.Lock()
	s.r.closed = append(s.r.closed, id)
	s.r.mu.Unlock()
	// The spec requires the NotificationClosed signal (reason 3: closed by a call).
	if err := s.r.conn.Emit(objectPath, iface+".NotificationClosed", id, uint32(3)); err != nil {
		return dbus.MakeFailedError(err)
	}
	return nil
}

func (s *server) GetCapabilities() ([]string, *dbus.Error) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	return slices.Clone(s.r.caps), nil
}

func (s *server) GetServerInformation() (name, vendor, version, specVersion string, err *dbus.Error) {
	return "pagekeeper-notifytest", "Pagekeeper", "1.0", "1.2", nil
}

// PrivateBus starts a throwaway dbus-daemon with no activatable services and
// returns its address; it is stopped when the test ends. Use it for cases
// that must not meet another test's recorder on the shared session bus, such
// as "no notification service at all".
func PrivateBus(t testing.TB) string { return testbus.Private(t) }
