package app

import (
	"context"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/datadir"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
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

// SnapshotRest gives the Pages a pull left out once, and nothing for a
// snapshot never pulled; with no Pages there is nothing to come.
func TestSnapshotRestIsOncePerPull(t *testing.T) {
	s, _ := start(t, false)
	first, err := s.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if first.More != 0 {
		t.Fatalf("no Pages, yet %d more to come", first.More)
	}
	if _, err := s.App.SnapshotRest(first.Snapshot.Seq); err == nil {
		t.Error("a rest was given for a pull that left nothing out")
	}
	pages := []keeper.PageView{{ID: "1"}, {ID: "2"}}
	s.App.rests = []rest{{seq: 41, pages: pages}, {seq: 42, pages: pages[:1]}}
	for _, seq := range []int64{41, 42} { // two windows' pulls, each its own
		if got, err := s.App.SnapshotRest(seq); err != nil || len(got) != int(43-seq) {
			t.Errorf("rest of pull %d: %d Pages, %v", seq, len(got), err)
		}
		if _, err := s.App.SnapshotRest(seq); err == nil {
			t.Errorf("the rest of pull %d was given twice", seq)
		}
	}
}

// The window's first pull is the one worked out while WebKit loads the
// page, given once, and only while nothing newer went out.
func TestFirstPullIsPreparedWhileThePageLoads(t *testing.T) {
	s, _ := start(t, false)
	prepared := s.App.ready
	if prepared == nil {
		t.Fatal("no pull was prepared at start")
	}
	got, err := s.App.Snapshot()
	if err != nil || got.Snapshot.Seq != prepared.Snapshot.Seq {
		t.Fatalf("first pull: seq %d (%v), prepared %d", got.Snapshot.Seq, err, prepared.Snapshot.Seq)
	}
	if again, _ := s.App.Snapshot(); again.Snapshot.Seq == got.Snapshot.Seq {
		t.Error("the prepared pull was given twice")
	}
	s.App.prepare(s.App.keeper)
	stale := s.App.ready.Snapshot.Seq
	if _, err := s.App.keeper.Snapshot(); err != nil { // something newer goes out
		t.Fatal(err)
	}
	if got, _ := s.App.Snapshot(); got.Snapshot.Seq == stale {
		t.Error("a pull older than what went out since was given")
	}
}
