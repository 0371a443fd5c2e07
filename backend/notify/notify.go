// Package notify tells the owner, with a native desktop notification, when a
// Page breaks: once per transition, one notification per person per check, a
// reminder while a Page stays broken, and a click that opens the window on the
// Page.
//
// Delivery goes through a Sender: the app layer implements it with the Wails
// runtime while the window runs; DBus delivers straight to the desktop's
// notification service (org.freedesktop.Notifications) when headless. This
// package never imports Wails.
package notify

import "context"

// Urgency follows the freedesktop "urgency" hint values, so DBus can pass it on
// unchanged.
type Urgency byte

const (
	Low      Urgency = 0
	Normal   Urgency = 1
	Critical Urgency = 2
)

func (u Urgency) String() string {
	switch u {
	case Low:
		return "low"
	case Normal:
		return "normal"
	case Critical:
		return "critical"
	}
	return "unknown"
}

// Notification is one desktop notification.
type Notification struct {
	// ID is stable per person (a grouped notification) or per Page, so a newer
	// notification about the same thing replaces the older one on screen
	// instead of stacking up.
	ID    string
	Title string
	Body  string
	// PageID is the Page the window opens on when the notification is clicked.
	PageID  string
	Urgency Urgency
}

// Sender delivers a notification to the desktop.
type Sender interface {
	Send(ctx context.Context, n Notification) error
}

// Withdrawer is a Sender that can take a notification back off the screen
// (CloseNotification on D-Bus) once what it said is no longer true.
// Withdrawing an ID that is not shown is no error.
type Withdrawer interface {
	Withdraw(ctx context.Context, id string) error
}
