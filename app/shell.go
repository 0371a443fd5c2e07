package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"

	"github.com/pagekeeper/pagekeeper/backend/autostart"
	"github.com/pagekeeper/pagekeeper/backend/cli"
	"github.com/pagekeeper/pagekeeper/backend/engine"
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
	engine   *engine.Server // serves the keeper to the command line
	quitting atomic.Bool

	// painted closes when the window first shows its data (App.Painted);
	// the first check waits for it, at most firstCheckWait.
	painted        chan struct{}
	paintedOnce    sync.Once
	firstCheckWait time.Duration
	// started closes when the start is over, well or not: the window's first
	// calls (main.ts pulls the snapshot as the page loads) wait for it.
	started chan struct{}
}

// NewShell prepares the window app; demo opens it on the built-in sandbox.
func NewShell(demo bool) *Shell {
	// A command that holds the data folder (a check from cron) is waited
	// for as long as commands wait for each other, rather than refused.
	s := &Shell{opts: keeper.Options{Demo: demo, LockWait: cli.LockWait}, painted: make(chan struct{}), firstCheckWait: 3 * time.Second, started: make(chan struct{})}
	s.App = &App{shell: s}
	return s
}

// Startup is Wails' OnStartup hook: start the services once the window runs.
func (s *Shell) Startup(ctx context.Context) {
	s.start(ctx, newWailsRuntime(ctx))
}

func (s *Shell) start(ctx context.Context, rt Runtime) {
	defer close(s.started)
	s.rt = rt
	rt.OnNotificationClick(s.focusPage)
	if err := s.openKeeper(ctx, s.opts); err != nil {
		s.mu.Lock()
		s.startErr = err
		s.mu.Unlock()
		rt.Emit(keeper.EventNotice, keeper.Notice{Level: "error", Message: err.Error()})
	}
}

func (s *Shell) openKeeper(ctx context.Context, opts keeper.Options) error {
	// What changes reaches the window and the commands running in it alike,
	// whoever made the change.
	hub := engine.NewHub()
	opts.Emit = func(name string, data any) {
		s.rt.Emit(name, listForm(data))
		hub.Emit(name, data)
	}
	opts.Opener = s.rt.OpenURL
	opts.Sender = runtimeSender{s.rt}
	k, err := keeper.Open(ctx, opts)
	if err != nil {
		return err
	}
	srv, serr := cli.ServeEngine(k, hub)
	if serr != nil {
		// The window works without it; only the commands wait for it to quit.
		k.AddNotice("warning", "Pagekeeper commands cannot go through this window ("+serr.Error()+"): quit it to use them.")
	}
	runCtx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	old, oldCancel, oldSrv := s.App.keeper, s.cancel, s.engine
	s.App.keeper, s.cancel, s.engine, s.startErr = k, cancel, srv, nil
	s.mu.Unlock()
	if oldCancel != nil {
		oldCancel()
	}
	if oldSrv != nil {
		oldSrv.Close()
	}
	if old != nil {
		old.Close()
	}
	s.App.prepare(k)
	go func() {
		// The first check reads every token and diagnoses every Page: on a
		// machine with few cores it ran beside the window's first paint and
		// made it twice as slow. It starts once the list is on screen.
		select {
		case <-s.painted:
		case <-time.After(s.firstCheckWait):
		case <-runCtx.Done():
			return
		}
		k.Run(runCtx)
	}()
	return nil
}

// windowPainted is App.Painted: the window shows its first data.
func (s *Shell) windowPainted() {
	s.paintedOnce.Do(func() { close(s.painted) })
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
		s.rt.Emit(keeper.EventSnapshot, snap.ListForm())
	}
	return err
}

// listForm gives the window the snapshots and changes of an event in
// keeper's list form, the form its pulls have.
func listForm(data any) any {
	switch d := data.(type) {
	case keeper.Snapshot:
		return d.ListForm()
	case keeper.SnapshotChanges:
		return d.ListForm()
	}
	return data
}

// Shutdown is Wails' OnShutdown hook.
func (s *Shell) Shutdown(context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
	if s.engine != nil {
		s.engine.Close()
	}
	if s.App.keeper != nil {
		s.App.keeper.StopHooks()
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
	if k.FirstBackgroundClose() {
		_ = s.rt.Notify(backgroundNotice)
	}
	return true
}

// backgroundNotice says, the first time the window closes, that Pagekeeper
// still runs, how to get it back, and how to stop it.
var backgroundNotice = notify.Notification{
	ID:      "pagekeeper-background",
	Title:   "Pagekeeper keeps checking your Pages",
	Body:    "Its window is closed, but Pagekeeper still checks your Pages and tells you when one needs you. To open it, start Pagekeeper again (or click this message). To stop it, click Quit in its window.",
	Urgency: notify.Normal,
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
