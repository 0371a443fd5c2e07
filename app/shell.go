package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/wailsapp/wails/v2/pkg/options"

	"github.com/pagekeeper/pagekeeper/backend/autostart"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/notify"
)

// Runtime is the part of the Wails runtime Pagekeeper uses, behind an
// interface so the shell can be driven without a window in tests.
type Runtime interface {
	Emit(name string, data any)
	ShowWindow()
	HideWindow()
	Quit()
	OpenURL(url string) error
	Notify(n notify.Notification) error
	WithdrawNotification(id string) error
	OnNotificationClick(func(pageID string))
	SaveFileDialog(title, defaultName string) (string, error)
}

// Shell owns the app's lifecycle: it is not bound, so none of this is callable
// from the frontend.
type Shell struct {
	App  *App
	opts keeper.Options
	rt   Runtime

	mu       sync.Mutex
	startErr error
	cancel   context.CancelFunc
	quitting atomic.Bool
}

// NewShell prepares the window app; demo opens it on the built-in sandbox.
func NewShell(demo bool) *Shell {
	s := &Shell{opts: keeper.Options{Demo: demo}}
	s.App = &App{shell: s}
	return s
}

// Startup is Wails' OnStartup hook: start the services once the window runs.
func (s *Shell) Startup(ctx context.Context) {
	s.start(ctx, newWailsRuntime(ctx))
}

func (s *Shell) start(ctx context.Context, rt Runtime) {
	s.rt = rt
	rt.OnNotificationClick(s.focusPage)
	if err := s.openKeeper(ctx, s.opts); err != nil {
		s.startErr = err
		rt.Emit(keeper.EventNotice, keeper.Notice{Level: "error", Message: err.Error()})
	}
}

func (s *Shell) openKeeper(ctx context.Context, opts keeper.Options) error {
	opts.Emit = s.rt.Emit
	opts.Opener = s.rt.OpenURL
	opts.Sender = runtimeSender{s.rt}
	k, err := keeper.Open(ctx, opts)
	if err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	old, oldCancel := s.App.keeper, s.cancel
	s.App.keeper, s.cancel, s.startErr = k, cancel, nil
	s.mu.Unlock()
	if oldCancel != nil {
		oldCancel()
	}
	if old != nil {
		old.Close()
	}
	go k.Run(runCtx)
	return nil
}

// startDemo swaps the real (empty) setup for the demo, in the same window.
func (s *Shell) startDemo() error {
	if k, err := s.App.k(); err == nil && k.Demo() {
		return nil
	}
	opts := s.opts
	opts.Demo = true
	if err := s.openKeeper(context.Background(), opts); err != nil {
		return err
	}
	k, err := s.App.k()
	if err != nil {
		return err
	}
	snap, err := k.Snapshot()
	if err == nil {
		s.rt.Emit(keeper.EventSnapshot, snap)
	}
	return err
}

// Shutdown is Wails' OnShutdown hook.
func (s *Shell) Shutdown(context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
	if s.App.keeper != nil {
		s.App.keeper.Close()
	}
}

// BeforeClose is Wails' OnBeforeClose hook: with "keep running in the
// background" on, closing the window hides it and the checks go on.
func (s *Shell) BeforeClose(context.Context) (prevent bool) {
	k, err := s.App.k()
	if err != nil || s.quitting.Load() {
		return false
	}
	set, err := k.Settings()
	if err != nil || !set.RunInBackground || k.Demo() {
		return false
	}
	s.rt.HideWindow()
	return true
}

// SecondInstance runs in the first instance when Pagekeeper is launched
// again: bring the window forward, on the Page that needs action if any.
func (s *Shell) SecondInstance(options.SecondInstanceData) {
	if s.rt == nil {
		return
	}
	s.rt.ShowWindow()
	if k, err := s.App.k(); err == nil {
		if id := k.PageNeedingAction(); id != "" {
			s.rt.Emit(keeper.EventFocusPage, id)
		}
	}
}

// Terminate quits on a signal; before the window is up there is nothing to
// close, so it exits at once.
func (s *Shell) Terminate() {
	if s.rt == nil {
		os.Exit(143)
	}
	s.quit()
}

// quit ends the app even when closing the window only hides it.
func (s *Shell) quit() {
	s.quitting.Store(true)
	s.rt.Quit()
}

func (s *Shell) focusPage(pageID string) {
	s.rt.ShowWindow()
	if pageID != "" {
		s.rt.Emit(keeper.EventFocusPage, pageID)
	}
}

func (s *Shell) applyDesktopSettings(v keeper.SettingsView) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return autostart.Set(v.StartAtLogin, exe)
}

func (s *Shell) export(k *keeper.Keeper, format string) (string, error) {
	name := "pagekeeper-pages." + format
	path, err := s.rt.SaveFileDialog("Export the page list", name)
	if err != nil || path == "" {
		return "", err
	}
	f, err := os.OpenFile(filepath.Clean(path), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	if err := k.Export(f, format); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// runtimeSender delivers notifications through the window's runtime.
type runtimeSender struct{ rt Runtime }

func (r runtimeSender) Send(_ context.Context, n notify.Notification) error { return r.rt.Notify(n) }

func (r runtimeSender) Withdraw(_ context.Context, id string) error {
	return r.rt.WithdrawNotification(id)
}
