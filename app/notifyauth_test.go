package app

import (
	"errors"
	"testing"
)

func TestNotificationPermissionIsAskedOnceBeforeTheFirst(t *testing.T) {
	granted, asks := false, 0
	a := &notifyAuth{needed: true,
		check:   func() (bool, error) { return granted, nil },
		request: func() (bool, error) { asks++; return false, nil },
	}
	if err := a.allow(); !errors.Is(err, ErrNotificationsOff) || asks != 1 {
		t.Fatalf("refused: %v after %d requests", err, asks)
	}
	if err := a.allow(); !errors.Is(err, ErrNotificationsOff) || asks != 1 {
		t.Fatalf("asked again after a refusal: %v, %d requests", err, asks)
	}
	granted = true // turned on in System Settings
	if err := a.allow(); err != nil || asks != 1 {
		t.Fatalf("after turning them on: %v, %d requests", err, asks)
	}

	b := &notifyAuth{needed: true, check: func() (bool, error) { return false, nil }, request: func() (bool, error) { return true, nil }}
	if err := b.allow(); err != nil {
		t.Fatalf("granted at the prompt: %v", err)
	}
	c := &notifyAuth{needed: false}
	if err := c.allow(); err != nil {
		t.Fatalf("Linux and Windows need no permission: %v", err)
	}
}
