package keeper

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/monitor"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// connectAll logs Dana in on a sandbox that has n Pages for her and
// connects every one of them.
func connectAll(tb testing.TB, sbOpts sandbox.Options, n int, opts Options) (*Keeper, *sandbox.Server) {
	tb.Helper()
	sb, err := sandbox.Start("127.0.0.1:0", sbOpts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sb.Close() })
	sb.AddPages(n - 7) // the seed business has 7 Pages for Dana
	opts.DataDir, opts.Secrets, opts.GraphURL, opts.FacebookURL = tb.TempDir(), vault.NewMemory(), sb.URL(), sb.URL()
	if opts.Sender == nil {
		opts.Sender = &recorder{}
	}
	k, err := Open(context.Background(), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { k.Close() })
	t, _ := tb.(*testing.T)
	f := &fixture{t: t, sb: sb, k: k}
	if t == nil {
		f.t = &testing.T{}
	}
	f.useFreePort()
	id, secret := sb.App()
	if err := k.SetupApp(context.Background(), id, secret); err != nil {
		tb.Fatal(err)
	}
	res := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	var ids []string
	for _, c := range res.Candidates {
		ids = append(ids, c.ID)
	}
	if len(ids) != n {
		tb.Fatalf("granted %d Pages, want %d", len(ids), n)
	}
	if _, err := k.FinishConnect(context.Background(), ids); err != nil {
		tb.Fatal(err)
	}
	return k, sb
}

// A regular check of 1,000 Pages with 100 ms added to every Graph request:
// the goal is at most 1 s, with no more HTTP requests than batching needs.
func BenchmarkCheckCycle1000(b *testing.B) {
	benchCycle(b, false)
}

// The hourly deep look (webhooks, tasks, debug_token) on the same 1,000 Pages.
func BenchmarkDeepCheckCycle1000(b *testing.B) {
	benchCycle(b, true)
}

func benchCycle(b *testing.B, deep bool) {
	reqs, minReqs := benchChecks(b, func(k *Keeper) {
		if deep {
			k.mon.DeepEvery = time.Nanosecond
		}
	}, func(k *Keeper) (monitor.Report, error) {
		return k.run(context.Background(), monitor.Scope{}) // the periodic check
	})
	b.ReportMetric(float64(reqs)/float64(minReqs), "request-ratio")
}

// benchChecks connects 1,000 Pages, adds 100 ms to every Graph request, runs
// check (after setup) once per iteration, and reports the requests the last
// one made beside the fewest batching allows.
func benchChecks(b *testing.B, setup func(*Keeper), check func(*Keeper) (monitor.Report, error)) (reqs, minReqs int) {
	k, sb := connectAll(b, sandbox.Options{}, 1000, Options{})
	if setup != nil {
		setup(k)
	}
	sb.Apply(sandbox.Scenario{Kind: sandbox.Latency, Duration: 100 * time.Millisecond})
	b.ResetTimer()
	for b.Loop() {
		rep, err := check(k)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Checked != 1000 {
			b.Fatalf("checked %d of 1000 (%s)", rep.Checked, rep.UnreachableWhy)
		}
		reqs, minReqs = rep.Requests, rep.MinRequests
	}
	b.ReportMetric(float64(reqs), "requests/op")
	b.ReportMetric(float64(minReqs), "min-requests/op")
	return reqs, minReqs
}

// The complete check the owner asks for (Check now, `pagekeeper check`) of
// 1,000 Pages with 100 ms added to every Graph request: every Page probe and
// webhook list, the person's debug_token and tasks, in the fewest requests
// batching allows.
func BenchmarkCompleteCheck1000(b *testing.B) {
	benchChecks(b, nil, func(k *Keeper) (monitor.Report, error) {
		return k.Check(context.Background(), nil)
	})
}

// 24 hours of checks every 15 minutes of 200 Pages on the sandbox's clock:
// no usage header Facebook sends may pass 75 %.
func TestDayOfMonitoringStaysUnder75Percent(t *testing.T) {
	clock := sandbox.NewClock(time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC))
	var mu sync.Mutex
	peak, headers := 0, 0
	k, _ := connectAll(t, sandbox.Options{Clock: clock}, 200, Options{
		Now: clock.Now,
		OnUsage: func(us []graph.Usage) {
			mu.Lock()
			defer mu.Unlock()
			for _, u := range us {
				headers++
				peak = max(peak, u.MaxPercent())
			}
		},
	})
	checks := 0
	for start := clock.Now(); clock.Now().Sub(start) < 24*time.Hour; checks++ {
		if _, err := k.run(context.Background(), monitor.Scope{}); err != nil { // the periodic check
			t.Fatal(err)
		}
		clock.Advance(k.mon.NextWait(15 * time.Minute))
	}
	mu.Lock()
	defer mu.Unlock()
	fmt.Printf("FIGURE usage: 24 h of monitoring 200 Pages: %d checks, %d usage headers, peak %d %%\n", checks, headers, peak)
	if headers == 0 {
		t.Fatal("the sandbox sent no usage headers: nothing was measured")
	}
	if peak > 75 {
		t.Fatalf("usage peaked at %d %%, above 75 %%", peak)
	}
}

// When Facebook's usage headers pass 75 %, the next check waits for as long
// as Facebook says the quota needs to recover.
func TestHighUsageBacksOff(t *testing.T) {
	k, sb := connectAll(t, sandbox.Options{}, 7, Options{})
	if k.mon.BackingOff() {
		t.Fatal("backing off before any pressure")
	}
	// Spend 90 % of Dana's hourly call quota, then check.
	sb.Apply(sandbox.Scenario{Kind: sandbox.QuotaExhausted, Persona: sandbox.DanaID})
	k.mon.DeepEvery = time.Nanosecond // look at the people again, which uses Dana's quota
	if _, err := k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if !k.mon.BackingOff() {
		t.Fatalf("not backing off with a spent quota; budget %+v", k.client.Budget())
	}
	// A one-minute interval gives way to the backoff (at least 15 minutes, less the time the test took).
	if w := k.mon.NextWait(time.Minute); w < 14*time.Minute {
		t.Fatalf("next check in %v while backing off", w)
	}
}

// A Page's own usage arrives only in its batch item's headers; when it
// passes 75 %, the checks back off.
func TestPageUsageInBatchItemsBacksOff(t *testing.T) {
	k, _ := connectAll(t, sandbox.Options{PageCallsPerDay: 8}, 7, Options{})
	for i := 0; !k.mon.BackingOff(); i++ {
		if i == 6 {
			t.Fatalf("no backoff after %d checks with 8 calls a day per Page; budget %+v", i, k.client.Budget())
		}
		if _, err := k.Check(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if b := k.client.Budget(); b.MaxPercent() < 75 {
		t.Fatalf("backing off with a budget of %d %%", b.MaxPercent())
	}
}
