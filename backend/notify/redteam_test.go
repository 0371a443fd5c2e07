package notify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/notify"
)

// A Page or person name is Facebook's text: it may hold a NUL, invalid
// UTF-8 (neither may travel in a D-Bus string) or terminal escapes. The
// notification still goes out, and carries none of them.
func TestDBusHostileNamesStillNotify(t *testing.T) {
	rec, d := onBus(t, notify.DBusOptions{})
	name := "Bad\x00Bakery\x1b]0;pwned\x07 \xff\u202eevil"
	err := d.Send(context.Background(), notify.Notification{
		ID: "page:9", Title: name + " needs attention", Body: name + ": Dana changed her password.", PageID: "9",
	})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	// The same connection still works afterwards.
	if err := d.Send(context.Background(), notify.Notification{ID: "page:10", Title: "ok", Body: "ok", PageID: "10"}); err != nil {
		t.Fatalf("the next Send: %v", err)
	}
	calls := rec.Calls()
	if len(calls) != 2 {
		t.Fatalf("got %d Notify calls, want 2", len(calls))
	}
	for _, s := range []string{calls[0].Summary, calls[0].Body} {
		if strings.ContainsAny(s, "\x00\x1b\x07\u202e") || !strings.Contains(s, "Bakery") {
			t.Errorf("notification text %q", s)
		}
	}
}
