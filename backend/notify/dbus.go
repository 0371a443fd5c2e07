package notify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/pagekeeper/pagekeeper/backend/printable"
)

// The freedesktop notification service, as specified at
// specifications.freedesktop.org/notification-spec.
const (
	ServiceName = "org.freedesktop.Notifications"
	ObjectPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	Interface   = "org.freedesktop.Notifications"

	// AppName is the app_name every notification carries.
	AppName = "Pagekeeper"
	// ActionDefault is what the service reports when the notification body is
	// clicked; ActionOpen is the explicit "Open Pagekeeper" button.
	ActionDefault = "default"
	ActionOpen    = "open"
	// OpenLabel labels both actions; servers show it for the button.
	OpenLabel = "Open Pagekeeper"

	// DefaultCallTimeout bounds one Notify call: a hung notification daemon must
	// not stall a health check.
	DefaultCallTimeout = 5 * time.Second
)

// ErrNoSessionBus means there is no D-Bus session bus to talk to (typically a
// server without a desktop session).
var ErrNoSessionBus = errors.New("notify: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is empty and there is no $XDG_RUNTIME_DIR/bus); desktop notifications need a desktop session")

// NoServiceError means the session bus works but no program provides desktop
// notifications on it (no notification daemon is running or installed).
type NoServiceError struct {
	// DBusName is the D-Bus error name, e.g.
	// org.freedesktop.DBus.Error.ServiceUnknown.
	DBusName string
	Err      error
}

func (e *NoServiceError) Error() string {
	return "notify: no desktop notification service is running (nothing owns " + ServiceName + " on the session bus: " + e.DBusName + ")"
}

func (e *NoServiceError) Unwrap() error { return e.Err }

// DBusOptions configures NewDBus. The zero value is ready to use.
type DBusOptions struct {
	// Address is the bus to use; empty means the session bus. Never
	// autolaunches a bus: a stray bus daemon would outlive Pagekeeper.
	Address string
	// Icon is the app_icon sent with each notification (a file path or an
	// icon-theme name); empty sends none.
	Icon string
	// CallTimeout bounds each Notify call; zero means DefaultCallTimeout.
	CallTimeout time.Duration
}

// DBus is a Sender that talks to org.freedesktop.Notifications directly.
// It is safe for concurrent use.
type DBus struct {
	conn    *dbus.Conn
	icon    string
	timeout time.Duration
	signals chan *dbus.Signal
	stop    chan struct{}
	done    chan struct{}

	closeOnce sync.Once
	closeErr  error

	mu       sync.Mutex
	serverID map[string]uint32 // Notification.ID -> id the service gave it
	pageOf   map[uint32]string // service id -> Page to open on click
	onAction func(pageID string)
}

// NewDBus connects to the bus and starts listening for clicks. Close it when
// done.
func NewDBus(opts DBusOptions) (*DBus, error) {
	addr := opts.Address
	if addr == "" {
		addr = sessionBusAddress()
	}
	if addr == "" {
		return nil, ErrNoSessionBus
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		return nil, fmt.Errorf("notify: cannot connect to the D-Bus session bus: %w", err)
	}
	d := &DBus{
		conn:     conn,
		icon:     opts.Icon,
		timeout:  opts.CallTimeout,
		signals:  make(chan *dbus.Signal, 16),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
		serverID: map[string]uint32{},
		pageOf:   map[uint32]string{},
	}
	if d.timeout <= 0 {
		d.timeout = DefaultCallTimeout
	}
	// Matching on the well-known name makes the bus deliver only signals sent
	// by whoever currently owns it, so another client cannot fake a click.
	match := []dbus.MatchOption{
		dbus.WithMatchSender(ServiceName),
		dbus.WithMatchObjectPath(ObjectPath),
		dbus.WithMatchInterface(Interface),
	}
	if err := conn.AddMatchSignal(match...); err != nil {
		conn.Close()
		return nil, fmt.Errorf("notify: cannot subscribe to notification signals: %w", err)
	}
	conn.Signal(d.signals)
	go d.listen()
	return d, nil
}

// sessionBusAddress mirrors libdbus' lookup minus autolaunch.
func sessionBusAddress() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return a
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		p := filepath.Join(dir, "bus")
		if st, err := os.Stat(p); err == nil && st.Mode()&os.ModeSocket != 0 {
			return "unix:path=" + p
		}
	}
	return ""
}

// BusName is this sender's unique name on the bus (e.g. ":1.42"), which the
// notification service sees as the caller.
func (d *DBus) BusName() string {
	if names := d.conn.Names(); len(names) > 0 {
		return names[0]
	}
	return ""
}

// OnAction sets the function called with the notification's Page when the
// owner clicks a notification or its "Open Pagekeeper" button. It runs on the
// signal goroutine; keep it short.
func (d *DBus) OnAction(f func(pageID string)) {
	d.mu.Lock()
	d.onAction = f
	d.mu.Unlock()
}

// Send shows n, replacing the notification shown earlier under the same ID.
func (d *DBus) Send(ctx context.Context, n Notification) error {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()

	d.mu.Lock()
	replaces := d.serverID[n.ID]
	d.mu.Unlock()

	hints := map[string]dbus.Variant{
		"urgency":       dbus.MakeVariant(byte(n.Urgency)),
		"desktop-entry": dbus.MakeVariant("pagekeeper"),
	}
	if d.icon != "" {
		hints["image-path"] = dbus.MakeVariant(d.icon)
	}
	actions := []string{ActionDefault, OpenLabel, ActionOpen, OpenLabel}
	// Names come from Facebook: a NUL or invalid UTF-8 would make the bus
	// refuse the whole message, an escape sequence has no place on screen.
	title, body := printable.UTF8(n.Title), printable.UTF8(n.Body)
	if d.bodyMarkup(ctx) {
		body = escapeMarkup(body)
	}
	var id uint32
	err := d.conn.Object(ServiceName, ObjectPath).CallWithContext(ctx, Interface+".Notify", 0,
		AppName, replaces, d.icon, title, body, actions, hints, int32(-1)).Store(&id)
	if err != nil {
		return classify(ctx, err)
	}

	d.mu.Lock()
	if replaces != 0 && replaces != id {
		delete(d.pageOf, replaces)
	}
	if n.ID != "" {
		d.serverID[n.ID] = id
	}
	d.pageOf[id] = n.PageID
	d.mu.Unlock()
	return nil
}

// Withdraw closes the notification shown under id (CloseNotification);
// nothing happens when none is shown.
func (d *DBus) Withdraw(ctx context.Context, id string) error {
	d.mu.Lock()
	sid, ok := d.serverID[id]
	delete(d.serverID, id)
	delete(d.pageOf, sid)
	d.mu.Unlock()
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	if err := d.conn.Object(ServiceName, ObjectPath).CallWithContext(ctx, Interface+".CloseNotification", 0, sid).Err; err != nil {
		return classify(ctx, err)
	}
	return nil
}

// bodyMarkup asks the service whether it reads the body as markup (the
// spec's "body-markup" capability). Asked at every Send, since another
// daemon may have taken the name since the last one; when the answer does
// not come, the body is escaped anyway: a stray "&amp;" is better than a
// Page name that hides the text or turns into a link.
func (d *DBus) bodyMarkup(ctx context.Context) bool {
	var caps []string
	if err := d.conn.Object(ServiceName, ObjectPath).CallWithContext(ctx, Interface+".GetCapabilities", 0).Store(&caps); err != nil {
		return true
	}
	return slices.Contains(caps, "body-markup")
}

// markupEscaper makes text literal in the spec's body markup (a subset of
// XML): Page and person names come from Facebook and may hold & < >.
var markupEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeMarkup(s string) string { return markupEscaper.Replace(s) }

func classify(ctx context.Context, err error) error {
	var de dbus.Error
	if errors.As(err, &de) {
		switch de.Name {
		case "org.freedesktop.DBus.Error.ServiceUnknown",
			"org.freedesktop.DBus.Error.NameHasNoOwner",
			"org.freedesktop.DBus.Error.Spawn.ChildExited",
			"org.freedesktop.DBus.Error.Spawn.ExecFailed",
			"org.freedesktop.DBus.Error.Spawn.ServiceNotFound":
			return &NoServiceError{DBusName: de.Name, Err: err}
		}
		return fmt.Errorf("notify: the notification service refused the notification (%s): %w", de.Name, err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("notify: the notification service did not answer in time: %w", ctx.Err())
	}
	return fmt.Errorf("notify: sending the notification failed: %w", err)
}

func (d *DBus) listen() {
	defer close(d.done)
	for {
		var sig *dbus.Signal
		select {
		case <-d.stop:
			return
		case s, ok := <-d.signals:
			if !ok { // the bus connection died
				return
			}
			sig = s
		}
		if sig.Path != ObjectPath {
			continue
		}
		switch sig.Name {
		case Interface + ".ActionInvoked":
			if len(sig.Body) != 2 {
				continue
			}
			id, _ := sig.Body[0].(uint32)
			action, _ := sig.Body[1].(string)
			if action != ActionDefault && action != ActionOpen {
				continue
			}
			d.mu.Lock()
			page, known := d.pageOf[id]
			f := d.onAction
			d.mu.Unlock()
			if known && f != nil {
				f(page)
			}
		case Interface + ".NotificationClosed":
			// Forget closed notifications so the maps do not grow forever;
			// the next Send under the same ID simply creates a new one.
			if len(sig.Body) < 1 {
				continue
			}
			id, _ := sig.Body[0].(uint32)
			d.mu.Lock()
			delete(d.pageOf, id)
			for k, v := range d.serverID {
				if v == id {
					delete(d.serverID, k)
				}
			}
			d.mu.Unlock()
		}
	}
}

// Close disconnects from the bus and stops delivering clicks.
func (d *DBus) Close() error {
	d.closeOnce.Do(func() {
		close(d.stop)
		d.conn.RemoveSignal(d.signals)
		d.closeErr = d.conn.Close()
		<-d.done
	})
	return d.closeErr
}
