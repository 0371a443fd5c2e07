package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/cli"
	"github.com/pagekeeper/pagekeeper/backend/datadir"
	"github.com/pagekeeper/pagekeeper/backend/engine"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

// checksEnded counts the checks the window was told had ended.
func (w *windowless) checksEnded() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for i, e := range w.events {
		if st, ok := w.data[i].(keeper.CheckState); ok && e == keeper.EventCheckProgress && !st.Running {
			n++
		}
	}
	return n
}

func command(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: os.Getenv, IsTerminal: func(any) bool { return false }}
	code := cli.Main(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// TestWindowServesTheCommandLine: a command-line check runs in the window's
// keeper, which tells the window; after Try the demo the real folder is the
// command line's again.
func TestWindowServesTheCommandLine(t *testing.T) {
	s, rt := start(t, false)
	dir, _ := datadir.Resolve()
	// The window checks once when it starts; wait for that to end.
	for end := time.Now().Add(10 * time.Second); rt.checksEnded() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the window's first check never ended")
		}
	}
	before := rt.checksEnded()
	code, out, errs := command("check")
	if code != cli.ExitOK || !strings.Contains(out, "No Pages connected yet") {
		t.Fatalf("check beside the window: exit %d\n%s\n%s", code, out, errs)
	}
	// Changes to the prepared first pull, or the whole state to a window
	// that has not pulled: either way the window hears of it.
	if rt.checksEnded() != before+1 || !rt.saw(keeper.EventChanges) && !rt.saw(keeper.EventSnapshot) {
		t.Fatalf("the window was not told about the command-line check (%d checks ended, %d before)", rt.checksEnded(), before)
	}
	if _, err := engine.Dial(dir); err != nil {
		t.Fatal("the window does not serve its folder:", err)
	}
	if err := s.App.StartDemo(); err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Dial(dir); !errors.Is(err, engine.ErrNoEngine) {
		t.Fatalf("the demo still serves the real folder: %v", err)
	}
	if code, out, errs := command("status"); code != cli.ExitUnknown || !strings.Contains(out, "not set up yet") {
		t.Fatalf("status on the real folder during the demo: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestWindowWaitsForACommand: a window opened while a command holds the
// data folder (a check from cron) waits for it instead of refusing to start.
func TestWindowWaitsForACommand(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(datadir.EnvVar, dir)
	k, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(1500 * time.Millisecond) // longer than bbolt's usual second
		k.Close()
	}()
	s := NewShell(false)
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); s.Shutdown(ctx) }()
	// Wails starts the shell beside the page, whose first pull comes at once:
	// it waits for the start instead of saying "still starting".
	go s.start(ctx, &windowless{})
	if _, err := s.App.Snapshot(); err != nil {
		t.Fatal("the first pull during the start:", err)
	}
	if s.startErr != nil {
		t.Fatal("the window gave up on a folder a command held:", s.startErr)
	}
	if _, err := engine.Dial(dir); err != nil {
		t.Fatal("the window does not serve its folder:", err)
	}
}
