package notify

import (
	"context"
	"fmt"
	"sync"

	"git.sr.ht/~jackmordaunt/go-toast/v2/wintoast"
)

func headless() Sender { return &Toast{} }

// Toast delivers notifications as Windows toasts through the Windows
// Runtime's COM interfaces: no window and no PowerShell.
type Toast struct {
	once   sync.Once
	regErr error
}

// Send shows n as a toast. The first call registers the AppUserModelID under
// HKCU\Software\Classes\AppUserModelId, without which Windows drops toasts
// of an unpackaged program.
func (t *Toast) Send(_ context.Context, n Notification) error {
	if err := t.register(); err != nil {
		return err
	}
	if err := wintoast.Push(ToastAppID, toastXML(n)); err != nil {
		return fmt.Errorf("notify: Windows did not show the notification: %w", err)
	}
	return nil
}

func (t *Toast) register() error {
	t.once.Do(func() { t.regErr = wintoast.SetAppData(wintoast.AppData{AppID: ToastAppID}) })
	if t.regErr != nil {
		return fmt.Errorf("notify: registering Pagekeeper for Windows notifications: %w", t.regErr)
	}
	return nil
}
