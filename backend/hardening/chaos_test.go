package hardening

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// chaosInterval is the check interval the run simulates: the sandbox clock
// (which the keeper reads as its Now) moves this far before every check.
const chaosInterval = 15 * time.Minute

// breakage is a real invalidation: Facebook really stops serving tokens.
type breakage struct {
	kind    sandbox.Kind
	perPage bool // one Page, or every Page of the person
}

var breakages = []breakage{
	{sandbox.PasswordChanged, false},
	{sandbox.AppRemoved, false},
	{sandbox.Checkpointed, false},
	{sandbox.Unconfirmed, false},
	{sandbox.RoleRemoved, true},
	{sandbox.PageDeselected, true},
}

// pickFault chooses a transient fault: Facebook hiccups, the token is fine.
func pickFault(rng *rand.Rand, pages []string, stalls *int) (string, sandbox.Scenario) {
	sc := sandbox.Scenario{}
	if rng.IntN(2) == 0 {
		sc.Count = 1 + rng.IntN(3)
	} else {
		sc.Rate = []float64{0.3, 0.6, 1}[rng.IntN(3)]
	}
	for {
		switch rng.IntN(6) {
		case 0:
			sc.Kind, sc.Code = sandbox.Transient, 1+rng.IntN(2)
			return "transient code " + strconv.Itoa(sc.Code), sc
		case 1:
			sc.Kind = sandbox.HTML500
			return "HTML 500", sc
		case 2:
			sc.Kind = sandbox.TruncatedJSON
			return "truncated JSON", sc
		case 3:
			// Each stall costs a client timeout of wall time: a few suffice.
			if *stalls >= 12 {
				continue
			}
			*stalls++
			sc.Kind, sc.Rate, sc.Count = sandbox.Stall, 0, 1
			return "stall", sc
		case 4, 5:
			q := sandbox.Scenario{Kind: sandbox.QuotaExhausted}
			switch rng.IntN(3) {
			case 0:
				return "rate limit (app)", q
			case 1:
				q.Persona = sandbox.DanaID
				return "rate limit (user)", q
			default:
				q.Page = pages[rng.IntN(len(pages))]
				return "rate limit (Page)", q
			}
		}
	}
}

type chaosStats struct {
	rounds, quiet, faultRounds, faultWhileBroken, invalidations, repairs int
	faults                                                               map[string]int
	faultHitChecks, unreachablePages                                     int
	falseInvalid, faultNotifications, missed, pagesBroken, pagesSeen     int
	maxDelay                                                             int
	notesPerBreak                                                        []int
	flippedBack                                                          int
	strayNotifications                                                   int
}

// TestChaos mixes random transient faults with real invalidations against
// the sandbox and counts false alarms and missed breakages.
func TestChaos(t *testing.T) {
	seed := uint64(20260301)
	if s := os.Getenv("PAGEKEEPER_CHAOS_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	rounds := 240
	rng := rand.New(rand.NewPCG(seed, seed*31+7))
	clock := sandbox.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	r := newRig(t, rigOptions{clock: clock, timeout: time.Second, seed: seed})
	ctx := context.Background()
	began := time.Now()

	res := r.connectAll(sandbox.DanaID)
	var pages []string
	for _, c := range res.Candidates {
		pages = append(pages, c.ID)
	}
	sort.Strings(pages)
	repair := func() {
		t.Helper()
		rep := r.login(keeper.LoginRequest{Reauthorize: true, ProfileID: sandbox.DanaID},
			sandbox.ConsentChoice{Persona: sandbox.DanaID, Pages: pages, EditSettings: true})
		if !rep.OK {
			t.Fatalf("repair login: %+v", rep)
		}
	}
	invalid := func() []string {
		var out []string
		for id, st := range r.statuses() {
			if st == "invalid" {
				out = append(out, id)
			}
		}
		sort.Strings(out)
		return out
	}
	check := func() (unreachable int) {
		t.Helper()
		clock.Advance(chaosInterval)
		rep, err := r.k.Check(ctx, nil)
		if err != nil {
			t.Fatalf("check: %v", err)
		}
		return rep.Unreachable
	}
	check()
	if bad := invalid(); len(bad) > 0 {
		t.Fatalf("Pages invalid before any fault: %v", bad)
	}

	st := chaosStats{faults: map[string]int{}}
	var broken *sandbox.Scenario // the breakage in force, nil when healthy
	var brokenPages []string
	stalls := 0
	for st.rounds = 0; st.rounds < rounds; st.rounds++ {
		before := r.sent.count()
		roll := rng.IntN(100)
		switch {
		case broken == nil && roll < 25:
			b := breakages[rng.IntN(len(breakages))]
			sc := sandbox.Scenario{Kind: b.kind, Persona: sandbox.DanaID}
			want := pages
			if b.perPage {
				sc.Page = pages[rng.IntN(len(pages))]
				want = []string{sc.Page}
			}
			if err := r.sb.Apply(sc); err != nil {
				t.Fatalf("round %d: %s: %v", st.rounds, describeSc(sc), err)
			}
			broken, brokenPages = &sc, want
			st.invalidations++
			st.pagesBroken += len(want)
			check()
			got := invalid()
			notes := r.sent.all()[before:]
			st.notesPerBreak = append(st.notesPerBreak, len(notes))
			if !slices.Equal(got, want) {
				st.missed++
				t.Errorf("round %d: after %s one check found invalid %v, want %v", st.rounds, describeSc(sc), got, want)
			} else {
				st.pagesSeen += len(want)
				st.maxDelay = max(st.maxDelay, 1)
			}
			if len(notes) != 1 || !slices.Contains(want, notes[0].PageID) {
				t.Errorf("round %d: %s gave %d notifications %+v, want one about %v", st.rounds, describeSc(sc), len(notes), notes, want)
			}
		case broken != nil && roll >= 50:
			if err := r.sb.Clear(*broken); err != nil {
				t.Fatal(err)
			}
			repair()
			broken, brokenPages = nil, nil
			st.repairs++
			if bad := invalid(); len(bad) > 0 {
				t.Errorf("round %d: still invalid after reauthorize: %v", st.rounds, bad)
			}
			if n := r.sent.count() - before; n != 0 {
				st.strayNotifications += n
				t.Errorf("round %d: %d notifications on repair: %+v", st.rounds, n, r.sent.all()[before:])
			}
		case roll < 85 || broken != nil:
			n := 1 + rng.IntN(2)
			var applied []sandbox.Scenario
			var names []string
			for range n {
				name, sc := pickFault(rng, pages, &stalls)
				if err := r.sb.Apply(sc); err != nil {
					t.Fatalf("round %d: fault %s: %v", st.rounds, name, err)
				}
				st.faults[name]++
				applied = append(applied, sc)
				names = append(names, name)
			}
			unreachable := check()
			r.sb.ClearAll()
			if broken != nil {
				// ClearAll also lifted the breakage: put it back as it was.
				if err := r.sb.Apply(*broken); err != nil {
					t.Fatal(err)
				}
			}
			st.faultRounds++
			if unreachable > 0 {
				st.faultHitChecks++
				st.unreachablePages += unreachable
			}
			got := invalid()
			if broken == nil {
				st.falseInvalid += len(got)
				if len(got) > 0 {
					t.Errorf("round %d: faults %v alone marked %v invalid", st.rounds, names, got)
				}
			} else {
				st.faultWhileBroken++
				if !slices.Equal(got, brokenPages) {
					st.flippedBack++
					t.Errorf("round %d: faults %v while %v were broken left %v invalid", st.rounds, names, brokenPages, got)
				}
			}
			if n := r.sent.count() - before; n != 0 {
				st.faultNotifications += n
				t.Errorf("round %d: faults %v gave %d notifications: %+v", st.rounds, names, n, r.sent.all()[before:])
			}
		default:
			check()
			st.quiet++
			if bad := invalid(); len(bad) > 0 {
				st.falseInvalid += len(bad)
				t.Errorf("round %d: a quiet check marked %v invalid", st.rounds, bad)
			}
			if n := r.sent.count() - before; n != 0 {
				st.strayNotifications += n
				t.Errorf("round %d: a quiet check gave %d notifications", st.rounds, n)
			}
		}
	}
	wall := time.Since(began)

	minN, maxN := 0, 0
	if len(st.notesPerBreak) > 0 {
		minN, maxN = slices.Min(st.notesPerBreak), slices.Max(st.notesPerBreak)
	}
	var faultNames []string
	for n, c := range st.faults {
		faultNames = append(faultNames, fmt.Sprintf("%s %d", n, c))
	}
	sort.Strings(faultNames)
	pct := 0.0
	if st.pagesBroken > 0 {
		pct = 100 * float64(st.pagesSeen) / float64(st.pagesBroken)
	}
	figure(t, "seed %d, %d rounds of %s (%s simulated), %d Pages, %d Graph requests, %.1f s wall", seed, st.rounds, chaosInterval,
		time.Duration(st.rounds)*chaosInterval, len(pages), r.tokens.requests(), wall.Seconds())
	figure(t, "| rounds | quiet %d | faults only %d | faults while broken %d | invalidations %d | repairs %d |",
		st.quiet, st.faultRounds-st.faultWhileBroken, st.faultWhileBroken, st.invalidations, st.repairs)
	figure(t, "faults injected: %s; checks hit %d, Pages left unknown %d", strings.Join(faultNames, ", "), st.faultHitChecks, st.unreachablePages)
	figure(t, "| goal | Pages marked invalid by a fault alone: %d (goal 0) | notifications for faults alone: %d (goal 0) | broken Pages flipped by a fault: %d (goal 0) |",
		st.falseInvalid, st.faultNotifications, st.flippedBack)
	figure(t, "| goal | invalidations reported: %d/%d Pages (%.0f %%, goal 100 %%) | slowest: %d check interval(s) (goal 1) | notifications per invalidation: min %d max %d (goal 1) | stray: %d |",
		st.pagesSeen, st.pagesBroken, pct, st.maxDelay, minN, maxN, st.strayNotifications)
	if st.invalidations < 20 || st.faultRounds < 100 {
		t.Errorf("too little chaos: %d invalidations, %d fault rounds", st.invalidations, st.faultRounds)
	}
}

func describeSc(sc sandbox.Scenario) string {
	s := string(sc.Kind)
	if sc.Page != "" {
		s += " on Page " + sc.Page
	}
	return s
}
