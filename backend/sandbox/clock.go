package sandbox

import (
	"sync"
	"time"
)

// Clock is the sandbox's notion of "now". Every expiry (1-hour user tokens,
// 60-day long-lived tokens, 90-day data access, codes, quota windows) reads
// it, so a test can jump weeks ahead in a microsecond.
//
// A running clock follows the wall clock plus an offset (what demo mode
// wants: "issued 5 minutes ago" keeps moving); a frozen clock only moves
// when told to (what tests want).
type Clock struct {
	mu      sync.Mutex
	running bool
	base    time.Time // frozen: the time; running: wall time at which offset was taken
	offset  time.Duration
}

// NewClock returns a frozen clock set to t.
func NewClock(t time.Time) *Clock { return &Clock{base: t} }

// NewRunningClock returns a clock that follows the wall clock.
func NewRunningClock() *Clock { return &Clock{running: true} }

// Now reports the sandbox's current time, truncated to the second because
// Facebook only ever reports Unix seconds.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.running {
		return time.Now().Add(c.offset).Truncate(time.Second)
	}
	return c.base.Truncate(time.Second)
}

// Advance moves the clock forward by d (backwards if d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		c.offset += d
		return
	}
	c.base = c.base.Add(d)
}

// Set moves the clock to t; a running clock keeps running from there.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		c.offset = time.Until(t)
		return
	}
	c.base = t
}
