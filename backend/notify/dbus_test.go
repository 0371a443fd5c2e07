package notify_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/notify/notifytest"
)

// requireBus fails (never skips) when the test runs outside dbus-run-session.
func requireBus(t *testing.T) {
	t.Helper()
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("DBUS_SESSION_BUS_ADDRESS is empty: run the notify tests inside `dbus-run-session -- go test ./backend/notify/...` (see /work/shared/TOOLCHAIN.md)")
	}
}

// onBus starts a recorder on the session bus and a sender whose calls it counts.
func onBus(t *testing.T, opts notify.DBusOptions) (*notifytest.Recorder, *notify.DBus) {
	t.Helper()
	requireBus(t)
	rec := notifytest.Start(t)
	d := newDBus(t, opts)
	rec.Only(d.BusName())
	return rec, d
}

func newDBus(t *testing.T, opts notify.DBusOptions) *notify.DBus {
	t.Helper()
	d, err := notify.NewDBus(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// clicks collects the pages OnAction is called with.
func clicks(d *notify.DBus) chan string {
	ch := make(chan string, 8)
	d.OnAction(func(pageID string) { ch <- pageID })
	return ch
}

// wantClick waits for the next click and checks its page.
func wantClick(t *testing.T, ch chan string, want string) {
	t.Helper()
	select {
	case p := <-ch:
		if p != want {
			t.Fatalf("click opened page %q, want %q", p, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("the click for page %s never reached OnAction", want)
	}
}

func TestDBusSendDeliversOneNotify(t *testing.T) {
	rec, d := onBus(t, notify.DBusOptions{Icon: "/usr/share/pixmaps/pagekeeper.png"})

	err := d.Send(context.Background(), notify.Notification{
		ID: "page:1", Title: "Sunrise Bakery stopped working", Body: "Dana changed her password.",
		PageID: "1", Urgency: notify.Critical,
	})
	if err != nil {
		t.Fatal(err)
	}
	calls := rec.Calls()
	if len(calls) != 1 {
		t.Fatalf("got %d Notify calls, want 1", len(calls))
	}
	c := calls[0]
	if c.AppName != "Pagekeeper" || c.Summary != "Sunrise Bakery stopped working" || c.Body != "Dana changed her password." {
		t.Errorf("call = %+v", c)
	}
	if c.ReplacesID != 0 {
		t.Errorf("first notification replaces %d, want 0", c.ReplacesID)
	}
	if c.AppIcon != "/usr/share/pixmaps/pagekeeper.png" {
		t.Errorf("app_icon = %q", c.AppIcon)
	}
	if v, ok := c.Hints["image-path"]; !ok || v.Value() != "/usr/share/pixmaps/pagekeeper.png" {
		t.Errorf("image-path hint = %v", c.Hints["image-path"])
	}
	if c.Urgency() != 2 {
		t.Errorf("urgency = %d, want 2 (critical)", c.Urgency())
	}
	want := []string{"default", "Open Pagekeeper", "open", "Open Pagekeeper"}
	if !slices.Equal(c.Actions, want) {
		t.Errorf("actions = %q, want %q", c.Actions, want)
	}
}

func TestDBusNoIconSendsNoIconHint(t *testing.T) {
	rec, d := onBus(t, notify.DBusOptions{})
	if err := d.Send(context.Background(), notify.Notification{ID: "x", Title: "t", Urgency: notify.Low}); err != nil {
		t.Fatal(err)
	}
	c := rec.Calls()[0]
	if _, ok := c.Hints["image-path"]; ok || c.AppIcon != "" {
		t.Errorf("icon sent although none configured: %q %v", c.AppIcon, c.Hints)
	}
	if c.Urgency() != 0 {
		t.Errorf("urgency = %d, want 0", c.Urgency())
	}
}

func TestDBusSameIDReplaces(t *testing.T) {
	rec, d := onBus(t, notify.DBusOptions{})
	ctx := context.Background()
	for _, n := range []notify.Notification{
		{ID: "person:dana", Title: "first", PageID: "1"},
		{ID: "person:dana", Title: "second", PageID: "2"},
		{ID: "person:ben", Title: "other", PageID: "3"},
	} {
		if err := d.Send(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	calls := rec.Calls()
	if len(calls) != 3 {
		t.Fatalf("got %d calls, want 3", len(calls))
	}
	if calls[1].ReplacesID != calls[0].ID || calls[1].ReplacesID == 0 {
		t.Errorf("second send for the same ID replaces %d, want %d", calls[1].ReplacesID, calls[0].ID)
	}
	if calls[2].ReplacesID != 0 {
		t.Errorf("a different ID replaced %d", calls[2].ReplacesID)
	}

	// Once the owner dismisses it, a click on it means nothing and the next
	// one is new rather than a replacement of something no longer on screen.
	// Signals are handled in order, so when the click on ben's arrives, the
	// dismissal before it has been handled.
	clicked := clicks(d)
	if err := rec.Dismiss(calls[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := rec.Invoke(calls[0].ID, "default"); err != nil {
		t.Fatal(err)
	}
	if err := rec.Invoke(calls[2].ID, "default"); err != nil {
		t.Fatal(err)
	}
	wantClick(t, clicked, "3") // and not dana's dismissed one
	if err := d.Send(ctx, notify.Notification{ID: "person:dana", Title: "third"}); err != nil {
		t.Fatal(err)
	}
	if last := rec.Calls()[3]; last.ReplacesID != 0 {
		t.Errorf("after dismissal the sender still replaces %d", last.ReplacesID)
	}
}

func TestDBusActionInvokedReachesOnAction(t *testing.T) {
	rec, d := onBus(t, notify.DBusOptions{})
	got := clicks(d)

	ctx := context.Background()
	if err := d.Send(ctx, notify.Notification{ID: "page:111", Title: "a", PageID: "111"}); err != nil {
		t.Fatal(err)
	}
	if err := d.Send(ctx, notify.Notification{ID: "page:222", Title: "b", PageID: "222"}); err != nil {
		t.Fatal(err)
	}
	calls := rec.Calls()

	// An id Pagekeeper never sent and an unrelated action are ignored; the
	// signals arrive in order, so the next delivery proves they were dropped.
	if err := rec.Invoke(9999, "default"); err != nil {
		t.Fatal(err)
	}
	if err := rec.Invoke(calls[0].ID, "snooze"); err != nil {
		t.Fatal(err)
	}
	if err := rec.Invoke(calls[1].ID, "default"); err != nil {
		t.Fatal(err)
	}
	if err := rec.Invoke(calls[0].ID, "open"); err != nil {
		t.Fatal(err)
	}
	wantClick(t, got, "222")
	wantClick(t, got, "111")
}

func TestDBusIgnoresActionSignalFromOtherSender(t *testing.T) {
	rec, d := onBus(t, notify.DBusOptions{})
	got := clicks(d)
	if err := d.Send(context.Background(), notify.Notification{ID: "p", Title: "a", PageID: "42"}); err != nil {
		t.Fatal(err)
	}
	id := rec.Calls()[0].ID

	// Another client on the bus emits a look-alike signal.
	imp, err := dbus.Connect(os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Close()
	if err := imp.Emit(notify.ObjectPath, notify.Interface+".ActionInvoked", id, "default"); err != nil {
		t.Fatal(err)
	}
	// Then the real service; only its click may arrive.
	if err := rec.Invoke(id, "open"); err != nil {
		t.Fatal(err)
	}
	wantClick(t, got, "42")
	select {
	case p := <-got:
		t.Fatalf("a signal from a client that does not own %s opened page %q", notify.ServiceName, p)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestDBusNoServiceIsTypedError(t *testing.T) {
	addr := notifytest.PrivateBus(t)
	d := newDBus(t, notify.DBusOptions{Address: addr})
	err := d.Send(context.Background(), notify.Notification{ID: "x", Title: "t"})
	var ns *notify.NoServiceError
	if !errors.As(err, &ns) {
		t.Fatalf("err = %v (%T), want *notify.NoServiceError", err, err)
	}
	if !strings.Contains(err.Error(), "no desktop notification service") {
		t.Errorf("message not clear: %q", err)
	}

	// The same sender works once a service appears.
	rec := notifytest.StartOn(t, addr)
	if err := d.Send(context.Background(), notify.Notification{ID: "x", Title: "t"}); err != nil {
		t.Fatalf("after a service started: %v", err)
	}
	if len(rec.Calls()) != 1 {
		t.Fatalf("recorder got %d calls", len(rec.Calls()))
	}
}

// hungService owns the name but never answers Notify.
type hungService struct{ release chan struct{} }

func (h *hungService) Notify(string, uint32, string, string, string, []string, map[string]dbus.Variant, int32) (uint32, *dbus.Error) {
	<-h.release
	return 1, nil
}

func TestDBusHungServiceTimesOut(t *testing.T) {
	addr := notifytest.PrivateBus(t)
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	h := &hungService{release: make(chan struct{})}
	defer close(h.release)
	if err := conn.Export(h, notify.ObjectPath, notify.Interface); err != nil {
		t.Fatal(err)
	}
	if r, err := conn.RequestName(notify.ServiceName, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("claim name: %v %v", r, err)
	}

	d := newDBus(t, notify.DBusOptions{Address: addr, CallTimeout: 200 * time.Millisecond})
	err = d.Send(context.Background(), notify.Notification{ID: "x", Title: "t"})
	if err == nil || !strings.Contains(err.Error(), "did not answer in time") {
		t.Fatalf("err = %v, want a timeout error", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err does not wrap context.DeadlineExceeded: %v", err)
	}
}

func TestNewDBusWithoutBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	_, err := notify.NewDBus(notify.DBusOptions{})
	if !errors.Is(err, notify.ErrNoSessionBus) {
		t.Fatalf("err = %v, want ErrNoSessionBus", err)
	}
}

func TestDBusCloseTwice(t *testing.T) {
	requireBus(t)
	d, err := notify.NewDBus(notify.DBusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	d.Close()
	if err := d.Send(context.Background(), notify.Notification{ID: "x"}); err == nil {
		t.Fatal("Send after Close succeeded")
	}
}

func TestRecorderOnlyCountsGivenSenders(t *testing.T) {
	requireBus(t)
	rec := notifytest.Start(t)
	mine := newDBus(t, notify.DBusOptions{})
	other := newDBus(t, notify.DBusOptions{})
	if mine.BusName() == "" || mine.BusName() == other.BusName() {
		t.Fatalf("bus names %q and %q", mine.BusName(), other.BusName())
	}
	ctx := context.Background()
	if err := other.Send(ctx, notify.Notification{ID: "o", Title: "someone else's"}); err != nil {
		t.Fatal(err)
	}
	if err := mine.Send(ctx, notify.Notification{ID: "m", Title: "mine"}); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Calls()); n != 2 {
		t.Fatalf("unfiltered: %d calls, want 2", n)
	}
	rec.Only(mine.BusName())
	calls := rec.Calls()
	if len(calls) != 1 || calls[0].Summary != "mine" || calls[0].Sender != mine.BusName() {
		t.Fatalf("filtered calls = %+v", calls)
	}
}

// Page and person names come from Facebook: on a server that reads the body
// as markup, "&" must not break it and "<a href>" must not become a link; on
// one that shows plain text, the body is sent as it is.
func TestDBusBodyEscapedForMarkupServers(t *testing.T) {
	const body = `Bits & Bites <a href="https://evil.example">verify here</a> <b>now</b>`
	for _, tc := range []struct {
		caps []string
		want string
	}{
		{[]string{"actions", "body", "body-markup", "body-hyperlinks"}, `Bits &amp; Bites &lt;a href="https://evil.example"&gt;verify here&lt;/a&gt; &lt;b&gt;now&lt;/b&gt;`},
		{[]string{"actions", "body"}, body},
	} {
		rec, d := onBus(t, notify.DBusOptions{})
		rec.SetCapabilities(tc.caps...)
		if err := d.Send(context.Background(), notify.Notification{ID: "page:1", Title: "Bits & Bites", Body: body, PageID: "1"}); err != nil {
			t.Fatal(err)
		}
		calls := rec.Calls()
		if len(calls) != 1 || calls[0].Body != tc.want {
			t.Errorf("capabilities %q: body %q, want %q", tc.caps, calls[len(calls)-1].Body, tc.want)
		}
		if calls[0].Summary != "Bits & Bites" {
			t.Errorf("the summary is plain text in the spec: %q", calls[0].Summary)
		}
		rec.Close()
	}
}
