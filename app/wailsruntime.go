package app

import (
	"context"
	goruntime "runtime"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/pagekeeper/pagekeeper/backend/notify"
)

// wailsRuntime is Runtime on the real window.
type wailsRuntime struct {
	ctx           context.Context
	notifications bool
	auth          *notifyAuth
}

func newWailsRuntime(ctx context.Context) *wailsRuntime {
	// Without a notification service the app still runs; Notify then reports it.
	err := runtime.InitializeNotifications(ctx)
	return &wailsRuntime{ctx: ctx, notifications: err == nil, auth: &notifyAuth{
		needed:  goruntime.GOOS == "darwin",
		check:   func() (bool, error) { return runtime.CheckNotificationAuthorization(ctx) },
		request: func() (bool, error) { return runtime.RequestNotificationAuthorization(ctx) },
	}}
}

func (w *wailsRuntime) Emit(name string, data any) { runtime.EventsEmit(w.ctx, name, data) }
func (w *wailsRuntime) ShowWindow() {
	runtime.WindowUnminimise(w.ctx)
	runtime.WindowShow(w.ctx)
}
func (w *wailsRuntime) HideWindow() { runtime.WindowHide(w.ctx) }
func (w *wailsRuntime) Quit()       { runtime.Quit(w.ctx) }

func (w *wailsRuntime) OpenURL(url string) error {
	runtime.BrowserOpenURL(w.ctx, url)
	return nil
}

func (w *wailsRuntime) Notify(n notify.Notification) error {
	if err := w.auth.allow(); err != nil {
		return err
	}
	return runtime.SendNotification(w.ctx, runtime.NotificationOptions{
		ID:    n.ID,
		Title: n.Title,
		Body:  n.Body,
		Data:  map[string]any{"pageId": n.PageID},
	})
}

// WithdrawNotification closes a shown notification (CloseNotification on Linux).
func (w *wailsRuntime) WithdrawNotification(id string) error {
	if !w.notifications {
		return nil
	}
	return runtime.RemoveNotification(w.ctx, id)
}

func (w *wailsRuntime) OnNotificationClick(fn func(pageID string)) {
	if !w.notifications {
		return
	}
	runtime.OnNotificationResponse(w.ctx, func(r runtime.NotificationResult) {
		if r.Error != nil {
			return
		}
		id, _ := r.Response.UserInfo["pageId"].(string)
		fn(id)
	})
}

func (w *wailsRuntime) SaveFileDialog(title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(w.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName})
}
