package app

import (
	"context"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/datadir"
)

// The window's first check waits for its first paint (App.Painted), and
// for at most firstCheckWait when the window never says it painted.
func TestFirstCheckWaitsForTheFirstPaint(t *testing.T) {
	for _, painted := range []bool{true, false} {
		t.Setenv(datadir.EnvVar, t.TempDir())
		s := NewShell(false)
		s.firstCheckWait = 2 * time.Second
		rt := &windowless{}
		ctx, cancel := context.WithCancel(context.Background())
		began := time.Now()
		s.start(ctx, rt)
		if s.startErr != nil {
			t.Fatal(s.startErr)
		}
		time.Sleep(500 * time.Millisecond)
		if rt.checksEnded() != 0 {
			t.Fatalf("painted %v: a check ran before the window painted", painted)
		}
		if painted {
			s.App.Painted()
		}
		for rt.checksEnded() == 0 {
			if time.Since(began) > 10*time.Second {
				t.Fatalf("painted %v: the first check never ran", painted)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if waited := time.Since(began); painted && waited > 1500*time.Millisecond || !painted && waited < 2*time.Second {
			t.Errorf("painted %v: the first check ended %v after the start", painted, waited)
		}
		cancel()
		s.Shutdown(ctx)
	}
}

// SnapshotRest gives the Pages of the last pulled snapshot once, and
// refuses a snapshot that is not the last one pulled.
func TestSnapshotRestIsForTheLastPullOnly(t *testing.T) {
	s, _ := start(t, false)
	first, err := s.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if first.More != 0 {
		t.Fatalf("no Pages, yet %d more to come", first.More)
	}
	if _, err := s.App.SnapshotRest(first.Snapshot.Seq + 1); err == nil {
		t.Error("the rest of a snapshot never pulled was given")
	}
	if rest, err := s.App.SnapshotRest(first.Snapshot.Seq); err != nil || len(rest) != 0 {
		t.Errorf("rest of the last pull: %d Pages, %v", len(rest), err)
	}
	if _, err := s.App.SnapshotRest(first.Snapshot.Seq); err == nil {
		t.Error("the rest of a snapshot was given twice")
	}
}
