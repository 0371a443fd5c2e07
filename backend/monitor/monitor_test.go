package monitor

import (
	"testing"
	"time"
)

func TestNextWaitJittersAroundTheInterval(t *testing.T) {
	m := &Monitor{Now: func() time.Time { return time.Unix(1e9, 0) }}
	seen := map[time.Duration]bool{}
	for range 200 {
		w := m.NextWait(15 * time.Minute)
		if w < 810*time.Second || w > 990*time.Second {
			t.Fatalf("wait %v outside 15 min ± 10 %%", w)
		}
		seen[w] = true
	}
	if len(seen) < 50 {
		t.Fatalf("only %d distinct waits: no jitter", len(seen))
	}
}

func TestNextWaitHonoursTheBackoff(t *testing.T) {
	now := time.Unix(1e9, 0)
	m := &Monitor{Now: func() time.Time { return now }}
	m.backoffUntil = now.Add(2 * time.Hour)
	if w := m.NextWait(15 * time.Minute); w != 2*time.Hour {
		t.Fatalf("wait %v while backing off for 2 h", w)
	}
	if !m.BackingOff() {
		t.Fatal("BackingOff() false during the backoff")
	}
	now = now.Add(3 * time.Hour)
	if m.BackingOff() {
		t.Fatal("still backing off after it ended")
	}
}
