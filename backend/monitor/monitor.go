// Package monitor checks every connected Page's token against Facebook,
// within Meta's rate limits, and records what changed: status history,
// activity log and one notification per transition.
package monitor

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// Defaults of the knobs below.
const (
	DefaultDeepEvery  = time.Hour
	DefaultParallel   = 8
	BackoffPercent    = 75 // usage at which checks slow down
	minRateLimitPause = 15 * time.Minute
)

// Monitor runs checks. Its zero knobs take the defaults.
type Monitor struct {
	DB       *store.DB
	Vault    *vault.Vault
	Graph    func() (*graph.Client, error)
	Notifier *notify.Notifier // nil: no notifications
	Now      func() time.Time
	// OnProgress is told how many Pages of the check are done.
	OnProgress func(done, total int)
	WarnWindow time.Duration // expiry warning window (health's default when 0)
	// DeepEvery is how often a periodic check looks at a Page's webhooks and
	// tasks, and a person's user token (debug_token, whose app quota is 200
	// calls per user per hour); the cheap Page-token probe runs every check.
	// A complete check (Scope.Complete) looks at everything at once.
	DeepEvery time.Duration
	Parallel  int // batch requests in flight at once

	mu           sync.Mutex
	deepAt       map[string]time.Time // page id -> last deep look
	debugAt      map[string]time.Time // profile id -> last debug_token
	rolesAt      map[string]time.Time // profile id -> last debug_token and /me/accounts both read
	userInfo     map[string]userToken
	accounts     map[string]map[string]graph.PageAccount // profile id -> page id -> account, from the last deep look
	backoffUntil time.Time
}

// Report sums up one check.
type Report struct {
	Pages          int // Pages looked at
	Checked        int // Pages Facebook answered for
	Unreachable    int // Pages left unknown by faults, outages or rate limits
	UnreachableWhy string
	Changes        []notify.Change
	RateLimited    bool // Facebook refused a call for a rate limit
	Requests       int  // Graph HTTP requests made
	MinRequests    int  // the fewest that batching allows for the same work
	NotifyError    error
	// Unchecked are the Pages this check could not confirm, and why.
	Unchecked []Unchecked
	// AppProblem is set when Facebook refused the owner's Meta app itself
	// (health.MetaAppProblem): the window says so once, above the list.
	AppProblem *health.Diagnosis
}

// Unchecked is a Page a check got no definitive answer for.
type Unchecked struct {
	PageID, PageName string
	Reason           health.Reason // unreachable, rate_limited, ...
	Summary          string        // the same in plain words
}

// Scope is what one check looks at.
type Scope struct {
	PageIDs []string // these Pages only; nil: every connected Page
	// Complete re-reads everything that decides the status of the Pages:
	// the Page token probe and Instagram link, the person's debug_token
	// (validity, expiry, data access, granular scopes), their tasks
	// (/me/accounts) and the Page's webhooks, whatever DeepEvery says.
	// The owner asked for it (Check now, Check again, the CLI) or has just
	// repaired something; the periodic check is not complete.
	Complete bool
}

func (m *Monitor) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Monitor) init() {
	if m.deepAt == nil {
		m.deepAt, m.debugAt, m.userInfo = map[string]time.Time{}, map[string]time.Time{}, map[string]userToken{}
		m.rolesAt = map[string]time.Time{}
		m.accounts = map[string]map[string]graph.PageAccount{}
	}
}

// Forget drops what the monitor knows of a person's user token: a new
// login replaced it, so the next check of any kind reads it again.
func (m *Monitor) Forget(profileID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	delete(m.userInfo, profileID)
	delete(m.debugAt, profileID)
	delete(m.rolesAt, profileID)
	delete(m.accounts, profileID)
}

// NextWait is how long to wait before the next scheduled check: the interval
// with ±10 % jitter (so many installs do not hit Facebook in step), or longer
// while backing off from a rate limit.
func (m *Monitor) NextWait(interval time.Duration) time.Duration {
	jitter := time.Duration((rand.Float64()*0.2 - 0.1) * float64(interval))
	wait := interval + jitter
	m.mu.Lock()
	until := m.backoffUntil
	m.mu.Unlock()
	if d := until.Sub(m.now()); d > wait {
		wait = d
	}
	return wait
}

// BackingOff reports whether checks are slowed down by a rate limit.
func (m *Monitor) BackingOff() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now().Before(m.backoffUntil)
}

// userToken is what debug_token said of a person's user token, with the
// Pages it grants gathered for asking about each of them.
type userToken struct {
	info  graph.TokenInfo
	grant graph.PageGrant
}

func newUserToken(info graph.TokenInfo) userToken {
	return userToken{info: info, grant: info.PageGrant()}
}

// target is one Page being checked.
type target struct {
	page      store.Page
	person    store.Profile
	pageToken string
	userToken string
	deep      bool
	// answers
	probe   error
	info    *graph.PageInfo
	subs    *bool
	subsErr error
	pending atomic.Int32 // batch items not answered yet
	verdict
}

// Run checks the Pages of sc and records what changed.
func (m *Monitor) Run(ctx context.Context, sc Scope) (Report, error) {
	var only map[string]bool // sc.PageIDs as a set: "Check again" on a person may name 1,000 Pages
	if sc.PageIDs != nil {
		only = make(map[string]bool, len(sc.PageIDs))
		for _, id := range sc.PageIDs {
			only[id] = true
		}
	}
	m.mu.Lock()
	m.init()
	m.mu.Unlock()
	var rep Report
	g, err := m.Graph()
	if err != nil {
		return rep, err
	}
	mark := g.UsageMark()
	pages, err := m.DB.ListPages()
	if err != nil {
		return rep, err
	}
	profiles, err := m.DB.ListProfiles()
	if err != nil {
		return rep, err
	}
	people := map[string]store.Profile{}
	for _, p := range profiles {
		people[p.ID] = p
	}
	now := m.now()
	// A backoff slows the periodic checks down; a complete check, which the
	// owner asked for or a repair needs confirmed, still reads everything
	// (a few calls per person and one batch item per Page).
	spare := !m.BackingOff()
	var due []store.Page
	var pageIDsDue, profileIDsDue []string
	seen := map[string]bool{}
	for _, p := range pages {
		if p.Status == "disconnected" || (only != nil && !only[p.ID]) {
			continue
		}
		due = append(due, p)
		pageIDsDue = append(pageIDsDue, p.ID)
		if p.ProfileID != "" && !seen[p.ProfileID] {
			seen[p.ProfileID] = true
			profileIDsDue = append(profileIDsDue, p.ProfileID)
		}
	}
	// The count is known before the keychain or Facebook answer: never "0 of 0".
	m.progress(0, len(due))
	// Every token at once; the vault keeps them for the process's lifetime,
	// so later checks do not touch the keychain at all. The people's tokens
	// come first: their look (debug_token, /me/accounts) needs nothing else
	// and runs while the Page tokens are read.
	if err := m.Vault.LoadTokens(nil, profileIDsDue); err != nil {
		return rep, err // a locked keychain: check nothing rather than guess
	}
	pageTokens := make(chan error, 1)
	go func() { pageTokens <- m.Vault.LoadTokens(pageIDsDue, nil) }()
	var targets []*target
	for _, p := range due {
		t := &target{page: p, person: people[p.ProfileID]}
		if p.ProfileID != "" { // a record without a person must not stop every check
			t.userToken, err = m.Vault.UserToken(p.ProfileID)
			if err != nil && !errors.Is(err, vault.ErrNotFound) {
				<-pageTokens
				return rep, err
			}
		}
		m.mu.Lock()
		t.deep = sc.Complete || (spare && now.Sub(m.deepAt[p.ID]) >= m.deepEvery())
		m.mu.Unlock()
		targets = append(targets, t)
	}
	rep.Pages = len(targets)
	if len(targets) == 0 {
		return rep, <-pageTokens
	}

	// The people's tokens and the Pages' probes do not wait for each other:
	// the owner waiting on a complete check waits for the longer of the two.
	// The people's look starts while the Page tokens are still being read.
	var looked Report
	peopleDone := make(chan struct{})
	go func() {
		defer close(peopleDone)
		m.lookAtPeople(ctx, g, targets, sc.Complete || spare, now, &looked)
	}()
	if err := <-pageTokens; err != nil {
		<-peopleDone
		return rep, err
	}
	for _, t := range targets {
		t.pageToken, err = m.Vault.PageToken(t.page.ID)
		if err != nil && !errors.Is(err, vault.ErrNotFound) {
			<-peopleDone
			return rep, err
		}
	}
	// Each Page is judged as soon as its answers (and the people's) are in,
	// while the network is busy with the other batches.
	m.probe(ctx, g, targets, &rep, func(t *target) {
		<-peopleDone
		m.judge(t, now)
	})
	<-peopleDone
	rep.Requests += looked.Requests
	rep.RateLimited = rep.RateLimited || looked.RateLimited
	rep.MinRequests = minRequests(targets) + looked.Requests

	var changes []notify.Change
	for _, t := range targets {
		if t.pageToken == "" { // no batch item: nothing judged it yet
			m.judge(t, now)
		}
		d := &t.diag
		if d.Reason == health.MetaAppProblem && rep.AppProblem == nil {
			rep.AppProblem = d
		}
		if d.Status == health.Unknown {
			rep.Unreachable++
			rep.Unchecked = append(rep.Unchecked, Unchecked{PageID: t.page.ID, PageName: t.page.Name, Reason: d.Reason, Summary: d.Summary})
		} else {
			rep.Checked++
		}
	}
	// One transaction for the whole check, the people's records included:
	// one disk sync instead of one per Page, and a crash leaves all of this
	// check or none of it.
	err = m.DB.Update(func(tx *store.Tx) error {
		changes = changes[:0]
		for _, t := range targets {
			change, err := m.record(tx, t, now)
			if err != nil {
				return err
			}
			if change != nil {
				changes = append(changes, *change)
			}
		}
		return m.updatePeople(tx, targets, now)
	})
	if err != nil {
		return rep, err
	}
	rep.Changes = changes
	if rep.Unreachable > 0 {
		rep.UnreachableWhy = fmt.Sprintf("%d of %d Pages could not be checked: %s", rep.Unreachable, rep.Pages, rep.Unchecked[0].Summary)
	}
	m.adjustBackoff(g, mark, targets, rep.RateLimited, now)
	if m.Notifier != nil {
		if err := m.Notifier.Observe(now, changes); err != nil {
			rep.NotifyError = err
		}
		if err := m.Notifier.Tick(now); err != nil && rep.NotifyError == nil {
			rep.NotifyError = err
		}
	}
	return rep, nil
}

func (m *Monitor) deepEvery() time.Duration {
	if m.DeepEvery > 0 {
		return m.DeepEvery
	}
	return DefaultDeepEvery
}

func (m *Monitor) progress(done, total int) {
	if m.OnProgress != nil {
		m.OnProgress(done, total)
	}
}

// lookAtPeople refreshes, at most every DeepEvery per person, what the
// person's own token says: debug_token (batched; the grant, expiry and data
// access) and /me/accounts (their tasks on each Page, 100 Pages a request).
func (m *Monitor) lookAtPeople(ctx context.Context, g *graph.Client, targets []*target, allowed bool, now time.Time, rep *Report) {
	var ids, tokens []string
	seen := map[string]bool{}
	for _, t := range targets {
		id := t.page.ProfileID
		if seen[id] || t.userToken == "" {
			continue
		}
		seen[id] = true
		m.mu.Lock()
		due := now.Sub(m.debugAt[id]) >= m.deepEvery() || t.deep
		m.mu.Unlock()
		if allowed && due {
			ids, tokens = append(ids, id), append(tokens, t.userToken)
		}
	}
	if len(tokens) == 0 {
		return
	}
	rep.Requests += (len(tokens) + graph.MaxBatch - 1) / graph.MaxBatch
	res, err := g.DebugTokens(ctx, tokens)
	if err != nil {
		rep.RateLimited = rep.RateLimited || isRateLimit(err)
		return // keep what we knew; the probe still decides
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, r := range res {
		// debug_token runs on the app's own quota: its items can be
		// refused for a rate limit while the Pages' probes still pass.
		mu.Lock()
		rep.RateLimited = rep.RateLimited || isRateLimit(r.Err)
		mu.Unlock()
		if r.Err != nil || !r.Info.IsValid {
			m.mu.Lock()
			if r.Err == nil {
				m.userInfo[ids[i]], m.debugAt[ids[i]] = newUserToken(r.Info), now
			}
			m.mu.Unlock()
			continue
		}
		wg.Add(1)
		go func(id, token string, info graph.TokenInfo) {
			defer wg.Done()
			accts, err := g.AccountTasks(ctx, token)
			mu.Lock()
			rep.Requests += max(1, (len(accts)+99)/100)
			rep.RateLimited = rep.RateLimited || isRateLimit(err)
			mu.Unlock()
			m.mu.Lock()
			defer m.mu.Unlock()
			m.userInfo[id] = newUserToken(info)
			if err != nil {
				return // due again next time
			}
			byID := make(map[string]graph.PageAccount, len(accts))
			for _, a := range accts {
				byID[a.ID] = a
			}
			m.accounts[id], m.debugAt[id], m.rolesAt[id] = byID, now, now
		}(ids[i], tokens[i], r.Info)
	}
	wg.Wait()
}

// item is one batch request and where its answer goes.
type item struct {
	target *target
	kind   int
}

// request is it as a batch request with its Page's own token.
func (it item) request(g *graph.Client) graph.BatchRequest {
	t := it.target
	if it.kind == itemSubs {
		return g.WithToken("GET", t.page.ID+"/subscribed_apps", t.pageToken)
	}
	return g.WithToken("GET", t.page.ID+"?fields="+probeFields, t.pageToken)
}

const (
	itemProbe = iota
	itemSubs
)

var probeFields = "id,name,instagram_business_account{id,username}"

func minRequests(targets []*target) int {
	n := 0
	for _, t := range targets {
		if t.pageToken == "" {
			continue
		}
		n++
		if t.deep {
			n++
		}
	}
	return (n + graph.MaxBatch - 1) / graph.MaxBatch
}

// probe runs every Page's cheap probe (and the deep look where due) in
// batches of MaxBatch, a few batches in flight at once, and calls answered
// with each Page whose items are all answered.
func (m *Monitor) probe(ctx context.Context, g *graph.Client, targets []*target, rep *Report, answered func(*target)) {
	var items []item
	for _, t := range targets {
		if t.pageToken == "" {
			continue
		}
		items = append(items, item{t, itemProbe})
		t.pending.Add(1)
		if t.deep {
			items = append(items, item{t, itemSubs})
			t.pending.Add(1)
		}
	}
	var chunks [][]item
	for start := 0; start < len(items); start += graph.MaxBatch {
		chunks = append(chunks, items[start:min(start+graph.MaxBatch, len(items))])
	}
	rep.Requests += len(chunks)
	par := m.Parallel
	if par <= 0 {
		par = DefaultParallel
	}
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for _, chunk := range chunks {
		wg.Add(1)
		sem <- struct{}{}
		go func(chunk []item) {
			defer wg.Done()
			// Made here, so the first batch leaves before the last is made.
			reqs := make([]graph.BatchRequest, len(chunk))
			for i, it := range chunk {
				reqs[i] = it.request(g)
			}
			res, err := g.AppBatch(ctx, reqs)
			<-sem // the next batch goes out while this one's answers are read
			err = asBatchRefusal(err)
			for i, it := range chunk {
				var r graph.BatchResponse
				itemErr := err
				if err == nil {
					r = res[i]
				}
				deliver(it, r, itemErr)
				if it.target.pending.Add(-1) == 0 {
					answered(it.target)
				}
			}
			mu.Lock()
			probes := 0
			for _, it := range chunk {
				if it.kind == itemProbe {
					probes++
				}
			}
			done += probes
			d := done
			mu.Unlock()
			m.progress(d, len(targets))
		}(chunk)
	}
	wg.Wait()
	m.progress(len(targets), len(targets))
	now := m.now()
	m.mu.Lock()
	for _, t := range targets {
		// A definitive refusal (no right to read the webhooks, say) is an
		// answer too: only faults make the deep look due again.
		if t.deep && t.pageToken != "" && t.probe == nil && definitive(t.subsErr) {
			m.deepAt[t.page.ID] = now
		}
	}
	m.mu.Unlock()
}

// asBatchRefusal keeps a refusal of the whole batch request from reading
// as a verdict on each Page in it: Facebook refused the envelope (the words
// of an unknown object, a permission the request lacked), not the Pages.
// The owner's Meta app refused, a rate limit and a temporary error keep
// their type, which already gives no verdict on a Page.
func asBatchRefusal(err error) error {
	ge := graphError(err)
	if ge == nil || ge.IsTransient() || ge.AppIssue() != graph.AppOK {
		return err
	}
	return &graph.UnavailableError{Op: "POST / (the whole batch)", HTTPStatus: ge.HTTPStatus,
		Cause: errors.New(ge.Error())}
}

// definitive: Facebook gave a definitive answer (a success or a refusal).
func definitive(err error) bool { return err == nil || graph.IsDefinitive(err) }

// deliver puts one batch answer where it belongs. Only its own goroutine
// writes a target's fields for a given kind.
func deliver(it item, r graph.BatchResponse, err error) {
	t := it.target
	switch it.kind {
	case itemProbe:
		if err != nil {
			t.probe = err
			return
		}
		info, err := r.DecodePage(t.page.ID) // an answer that is not this Page confirms nothing
		if err != nil {
			t.probe = err
			return
		}
		t.info = &info
	case itemSubs:
		if err != nil {
			t.subsErr = err
			return
		}
		var body struct {
			Data *[]graph.SubscribedApp `json:"data"`
		}
		if err := r.Decode(&body); err != nil {
			t.subsErr = err
			return
		}
		if body.Data == nil {
			// Not "no app subscribed": no answer about the webhooks at all.
			t.subsErr = &graph.UnavailableError{Op: "GET /subscribed_apps", HTTPStatus: r.Code, Cause: errors.New(`answer has no "data" list`)}
			return
		}
		sub := len(*body.Data) > 0
		t.subs = &sub
	}
}
