package app

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/wailsapp/wails/v2/pkg/options"

	"github.com/pagekeeper/pagekeeper/backend/datadir"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/notify"
)

// windowless is the Runtime of a window that is not there: it records what
// the shell asked of it.
type windowless struct {
	mu      sync.Mutex
	events  []string
	data    []any
	shown   int
	hidden  int
	quit    int
	onClick func(string)
	notes   []notify.Notification
}

func (w *windowless) Emit(name string, data any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = append(w.events, name)
	w.data = append(w.data, data)
}
func (w *windowless) ShowWindow()                                   { w.shown++ }
func (w *windowless) HideWindow()                                   { w.hidden++ }
func (w *windowless) Quit()                                         { w.quit++ }
func (w *windowless) OpenURL(string) error                          { return nil }
func (w *windowless) Notify(n notify.Notification) error            { w.notes = append(w.notes, n); return nil }
func (w *windowless) WithdrawNotification(string) error             { return nil }
func (w *windowless) OnNotificationClick(f func(string))            { w.onClick = f }
func (w *windowless) SaveFileDialog(string, string) (string, error) { return "", nil }

func (w *windowless) saw(name string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range w.events {
		if e == name {
			return true
		}
	}
	return false
}

func start(t *testing.T, demo bool) (*Shell, *windowless) {
	t.Helper()
	t.Setenv(datadir.EnvVar, t.TempDir())
	s := NewShell(demo)
	rt := &windowless{}
	ctx, cancel := context.WithCancel(context.Background())
	s.start(ctx, rt)
	t.Cleanup(func() { cancel(); s.Shutdown(ctx) })
	if s.startErr != nil {
		t.Fatal(s.startErr)
	}
	return s, rt
}

func TestDemoStartsConfiguredOnTheSandbox(t *testing.T) {
	s, _ := start(t, true)
	first, err := s.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	snap := first.Snapshot
	if !snap.Demo || !snap.Configured || len(snap.Pages) != 0 {
		t.Fatalf("demo snapshot: %+v", snap)
	}
	if sc, _ := s.App.Scenarios(); len(sc) == 0 {
		t.Fatal("the demo offers nothing to simulate")
	}
	if s.BeforeClose(context.Background()) {
		t.Fatal("closing the demo window must end the demo")
	}
}

func TestClosingHidesWhileRunningInBackgroundAndQuitEnds(t *testing.T) {
	s, rt := start(t, false)
	if set, _ := s.App.GetSettings(); !set.RunInBackground {
		t.Fatal("running in the background should be the default")
	}
	if !s.BeforeClose(context.Background()) || rt.hidden != 1 {
		t.Fatal("closing the window should hide it and keep checking")
	}
	if len(rt.notes) != 1 || !strings.Contains(rt.notes[0].Body, "Quit") || !strings.Contains(rt.notes[0].Body, "start Pagekeeper again") {
		t.Fatalf("the first close should say where Pagekeeper went and how to quit it: %+v", rt.notes)
	}
	rt.ShowWindow()
	if !s.BeforeClose(context.Background()) || rt.hidden != 2 || len(rt.notes) != 1 {
		t.Fatalf("the second close says nothing again: %d notes", len(rt.notes))
	}
	if err := s.App.Quit(); err != nil || rt.quit != 1 {
		t.Fatalf("Quit: %v", err)
	}
	if s.BeforeClose(context.Background()) {
		t.Fatal("Quit must not be stopped by the background setting")
	}
}

func TestSecondLaunchAndNotificationClickBringTheWindowForward(t *testing.T) {
	s, rt := start(t, false)
	s.SecondInstance(options.SecondInstanceData{})
	if rt.shown != 1 {
		t.Fatal("a second launch did not show the window")
	}
	rt.onClick("104518538110002")
	if rt.shown != 2 || !rt.saw(keeper.EventFocusPage) {
		t.Fatal("a notification click did not open the Page")
	}
}

func TestStartDemoSwitchesTheWindowToTheDemo(t *testing.T) {
	s, rt := start(t, false)
	if first, _ := s.App.Snapshot(); first.Snapshot.Demo || first.Snapshot.Configured {
		t.Fatalf("fresh install: %+v", first)
	}
	if err := s.App.StartDemo(); err != nil {
		t.Fatal(err)
	}
	if first, _ := s.App.Snapshot(); !first.Snapshot.Demo || !rt.saw(keeper.EventSnapshot) {
		t.Fatalf("after Try the demo: %+v", first)
	}
}
