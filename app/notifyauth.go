package app

import (
	"errors"
	"sync"
)

// ErrNotificationsOff means macOS does not let Pagekeeper show notifications.
var ErrNotificationsOff = errors.New("macOS does not allow Pagekeeper's notifications: turn them on in System Settings > Notifications > Pagekeeper")

// notifyAuth asks macOS for permission before the first notification, as
// macOS requires (UNUserNotificationCenter); elsewhere there is nothing to
// ask. It asks once per run: a refusal is the owner's answer, and a later
// change in System Settings is seen by the check before each notification.
type notifyAuth struct {
	needed  bool
	check   func() (bool, error)
	request func() (bool, error)

	mu    sync.Mutex
	asked bool
}

func (a *notifyAuth) allow() error {
	if !a.needed {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	ok, err := a.check()
	if err == nil && !ok && !a.asked {
		a.asked = true
		ok, err = a.request()
	}
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotificationsOff
	}
	return nil
}
