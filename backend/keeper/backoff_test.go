package keeper

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// hostileUsage adds a usage header asking for a year's pause to every answer
// while on.
type hostileUsage struct {
	base http.RoundTripper
	on   atomic.Bool
}

func (h *hostileUsage) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.base.RoundTrip(r)
	if err == nil && h.on.Load() {
		resp.Header.Set("X-Business-Use-Case-Usage", `{"`+sandbox.PageBakery+`":[{"type":"pages","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":525600}]}`)
	}
	return resp, err
}

// One header asking for a year (525,600 minutes) pauses the automatic checks
// for at most the Page quota's 24 hours, and once it is gone a later check
// does not pause again on the stale value.
func TestBackoffIsBoundedAndFresh(t *testing.T) {
	clock := sandbox.NewClock(time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC))
	hu := &hostileUsage{base: http.DefaultTransport}
	k, _ := connectAll(t, sandbox.Options{Clock: clock}, 7, Options{Now: clock.Now, HTTPClient: &http.Client{Transport: hu}})
	hu.on.Store(true)
	if _, err := k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if !k.mon.BackingOff() {
		t.Fatal("a full quota did not slow the checks down")
	}
	if w := k.mon.NextWait(15 * time.Minute); w > 24*time.Hour {
		t.Fatalf("the next check waits %v, longer than the Page quota's 24 h window", w)
	}
	hu.on.Store(false)
	clock.Advance(24*time.Hour + time.Minute)
	if _, err := k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if k.mon.BackingOff() {
		t.Fatal("a check whose answers report no pressure paused again on an old header")
	}
	if w := k.mon.NextWait(15 * time.Minute); w > 17*time.Minute {
		t.Fatalf("next check in %v", w)
	}
}
