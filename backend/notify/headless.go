package notify

import (
	"context"
	"sync"
)

// Headless is the Sender for a check without the window (the command line,
// a scheduled task): a Windows toast on Windows, the freedesktop service over
// D-Bus elsewhere. It connects on the first notification, so a check on a
// machine without a desktop still checks (and says why it could not notify).
func Headless() Sender { return headless() }

// lazyDBus connects to the session bus on the first notification.
type lazyDBus struct {
	mu sync.Mutex
	d  *DBus
}

func (l *lazyDBus) Send(ctx context.Context, n Notification) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.d == nil {
		d, err := NewDBus(DBusOptions{})
		if err != nil {
			return err
		}
		l.d = d
	}
	return l.d.Send(ctx, n)
}

// Withdraw closes a notification that no longer holds.
func (l *lazyDBus) Withdraw(ctx context.Context, id string) error {
	l.mu.Lock()
	d := l.d
	l.mu.Unlock()
	if d == nil {
		return nil // nothing was ever shown by this process
	}
	return d.Withdraw(ctx, id)
}
