// Package hooks delivers a Page's new token and its status changes to the
// owner's own systems, as certbot's deploy hooks deliver a renewed
// certificate: a command run by the shell, or a signed webhook.
//
// A command gets the event in environment variables and the new token on
// stdin only, never in its arguments or environment (which other users of
// the computer can read in the process list). Runs of one Page go one at a
// time, in order; a failed run is retried with a growing pause; every run is
// written to the Page's activity log with its exit code and first lines of
// output, from which every secret is cut before it is stored.
package hooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// Events a hook runs on.
const (
	NewToken       = "new_token"       // a connect or reconnect stored a new token
	StoppedWorking = "stopped_working" // the Page became invalid
	WorksAgain     = "works_again"     // an invalid Page is valid (or warning) again
)

// Activity kinds written to a Page's log.
const (
	KindRun  = "hook_run"
	KindTest = "hook_test"
)

// Environment variables a command hook gets.
const (
	EnvEvent    = "PAGEKEEPER_EVENT"
	EnvPageID   = "PAGEKEEPER_PAGE_ID"
	EnvPageName = "PAGEKEEPER_PAGE_NAME"
	EnvPerson   = "PAGEKEEPER_PERSON"
	EnvStatus   = "PAGEKEEPER_STATUS"
	EnvReason   = "PAGEKEEPER_REASON"
	EnvDryRun   = "PAGEKEEPER_DRY_RUN" // "1" for a test run: stdin holds DryRunToken
	EnvAttempt  = "PAGEKEEPER_ATTEMPT"
	EnvHookID   = "PAGEKEEPER_HOOK_ID"
)

// DryRunToken stands in for the token in a test run, so testing a hook
// hands out nothing.
const DryRunToken = "pagekeeper-test-run-not-a-token"

// Defaults of the Runner's knobs.
const (
	DefaultTimeout  = 30 * time.Second
	MaxTimeout      = 10 * time.Minute
	DefaultAttempts = 3
	DefaultBackoff  = 5 * time.Second
)

const (
	outputLines = 5   // lines of output kept in the history
	outputWidth = 200 // characters per line kept
	outputKeep  = 64 << 10
)

// Event is what happened to a Page.
type Event struct {
	Kind     string
	PageID   string
	PageName string
	Person   string
	Status   string
	Reason   string
	DryRun   bool
	// Delivery names the event to a webhook receiver, the same on every
	// attempt, so a receiver can drop a retry it already handled.
	Delivery string
}

// Result is one attempt of one hook.
type Result struct {
	HookID   string   `json:"hookId"`
	Event    string   `json:"event"`
	Attempt  int      `json:"attempt"`
	Attempts int      `json:"attempts"`
	OK       bool     `json:"ok"`
	ExitCode int      `json:"exitCode"` // a command's exit status, -1 when it did not end by itself
	HTTP     int      `json:"http"`     // a webhook's HTTP status, 0 when none came back
	Error    string   `json:"error"`    // why it failed, in words ("" when OK)
	Output   []string `json:"output"`   // first lines of output, secrets removed
	Duration string   `json:"duration"` // how long it ran
	Delivery string   `json:"delivery"` // a webhook's delivery ID
	final    bool     // a failure no retry can mend
}

// Runner runs the hooks. Its zero knobs take the defaults.
type Runner struct {
	DB         *store.DB
	Vault      *vault.Vault
	Now        func() time.Time
	HTTPClient *http.Client // its Transport carries the webhooks; nil = the default
	Timeout    time.Duration
	Attempts   int
	Backoff    time.Duration // the pause before the first retry; it doubles after each
	// OnRecorded is told of each run written to a Page's log.
	OnRecorded func(e Event, res Result)

	mu     sync.Mutex
	queues map[string][]Event
	locks  map[string]*sync.Mutex
	wg     sync.WaitGroup
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// timeout is the hook's own, else the Runner's.
func (r *Runner) timeout(h store.Hook) time.Duration {
	if h.TimeoutSeconds > 0 {
		return time.Duration(h.TimeoutSeconds) * time.Second
	}
	return orDefault(r.Timeout, DefaultTimeout)
}
func (r *Runner) backoff() time.Duration { return orDefault(r.Backoff, DefaultBackoff) }
func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (r *Runner) attempts() int {
	if r.Attempts > 0 {
		return r.Attempts
	}
	return DefaultAttempts
}

// Applied queues the events of a login: a new token for each Page in
// stored, and stopped_working for each Page in dropped (left out of the
// login, so Facebook no longer serves it).
func (r *Runner) Applied(stored, dropped []string, person string) {
	for _, id := range stored {
		r.pageEvent(NewToken, id, person)
	}
	for _, id := range dropped {
		r.pageEvent(StoppedWorking, id, person)
	}
}

func (r *Runner) pageEvent(kind, pageID, person string) {
	p, err := r.DB.GetPage(pageID)
	if err != nil {
		return
	}
	r.Fire(Event{Kind: kind, PageID: pageID, PageName: p.Name, Person: person, Status: p.Status, Reason: p.Reason})
}

// Changes queues the events among the status changes of a check.
func (r *Runner) Changes(changes []notify.Change) {
	for _, c := range changes {
		kind := ""
		switch {
		case c.To == "invalid" && c.From != "invalid":
			kind = StoppedWorking
		case c.From == "invalid" && (c.To == "valid" || c.To == "warning"):
			kind = WorksAgain
		default:
			continue
		}
		r.Fire(Event{Kind: kind, PageID: c.PageID, PageName: c.PageName, Person: c.PersonName, Status: c.To, Reason: c.Reason})
	}
}

// Fire queues events; each Page's run one at a time, in order.
func (r *Runner) Fire(events ...Event) {
	for _, e := range events {
		if len(r.matching(e.PageID)) == 0 {
			continue // nothing to run: no goroutine, no log entry
		}
		r.mu.Lock()
		if r.queues == nil {
			r.queues = map[string][]Event{}
		}
		q, busy := r.queues[e.PageID]
		r.queues[e.PageID] = append(q, e)
		if !busy {
			r.wg.Add(1)
			go r.drain(e.PageID)
		}
		r.mu.Unlock()
	}
}

// Wait returns when every queued run, retries included, is done.
func (r *Runner) Wait() { r.wg.Wait() }

func (r *Runner) drain(pageID string) {
	defer r.wg.Done()
	for {
		r.mu.Lock()
		q := r.queues[pageID]
		if len(q) == 0 {
			delete(r.queues, pageID)
			r.mu.Unlock()
			return
		}
		e := q[0]
		r.queues[pageID] = q[1:]
		r.mu.Unlock()
		lock := r.pageLock(pageID)
		lock.Lock()
		for _, h := range r.matching(pageID) {
			r.retrying(h, e)
		}
		lock.Unlock()
	}
}

func (r *Runner) pageLock(pageID string) *sync.Mutex {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.locks == nil {
		r.locks = map[string]*sync.Mutex{}
	}
	l := r.locks[pageID]
	if l == nil {
		l = &sync.Mutex{}
		r.locks[pageID] = l
	}
	return l
}

// retrying runs h until it succeeds or the attempts are used up, waiting
// Backoff, 2×Backoff, ... in between.
func (r *Runner) retrying(h store.Hook, e Event) {
	wait := r.backoff()
	n := r.attempts()
	e.Delivery = newDeliveryID()
	for attempt := 1; attempt <= n; attempt++ {
		res := r.runOnce(context.Background(), h, e, attempt, n)
		if res.OK || res.final {
			return
		}
		if attempt < n {
			time.Sleep(wait)
			wait *= 2
		}
	}
}

// matching are the hooks that run for pageID: the Page's own command and
// webhook, else those set for every Page.
func (r *Runner) matching(pageID string) []store.Hook {
	hs, err := r.DB.Hooks()
	if err != nil {
		return nil
	}
	var out []store.Hook
	for _, kind := range []bool{true, false} { // command, webhook
		var all, own *store.Hook
		for i := range hs {
			h := &hs[i]
			if (h.Command != "") != kind {
				continue
			}
			switch h.PageID {
			case "":
				all = h
			case pageID:
				own = h
			}
		}
		if own != nil {
			out = append(out, *own)
		} else if all != nil {
			out = append(out, *all)
		}
	}
	return out
}

// Test runs hook hookID once for pageID ("" = the hook's own Page) as a
// test: the new-token event with DryRunToken in place of the token, written
// to the Page's log as a test.
func (r *Runner) Test(ctx context.Context, hookID, pageID string) (Result, error) {
	h, e, err := r.testEvent(hookID, pageID)
	if err != nil {
		return Result{}, err
	}
	lock := r.pageLock(e.PageID)
	lock.Lock()
	defer lock.Unlock()
	return r.runOnce(ctx, h, e, 1, 1), nil
}

// Plan says what Test would do, running nothing.
func (r *Runner) Plan(hookID, pageID string) (string, error) {
	h, e, err := r.testEvent(hookID, pageID)
	if err != nil {
		return "", err
	}
	if h.Command != "" {
		return fmt.Sprintf("hook %s would run: %s\n  with %s\n  stdin: %s (a real %s event gets the Page's new token); timeout %s, %d attempts when not a test",
			h.ID, h.Command, strings.Join(eventEnv(h, e, 1), " "), DryRunToken, NewToken, r.timeout(h), r.attempts()), nil
	}
	tok := ""
	if h.WithCredential {
		tok = DryRunToken
	}
	body, err := json.Marshal(payload(e, "evt_example", r.now(), tok))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("hook %s would POST to %s, signed (%s: t=...,v1=...), redirects not followed, timeout %s:\n  %s",
		h.ID, h.URL, SignatureHeader, r.timeout(h), body), nil
}

func (r *Runner) testEvent(hookID, pageID string) (store.Hook, Event, error) {
	h, err := r.hook(hookID)
	if err != nil {
		return h, Event{}, err
	}
	if pageID == "" {
		pageID = h.PageID
	}
	switch {
	case pageID == "":
		return h, Event{}, fmt.Errorf("hook %s is for every Page: name the Page to test it on", hookID)
	case h.PageID != "" && h.PageID != pageID:
		return h, Event{}, fmt.Errorf("hook %s is for Page %s only", hookID, h.PageID)
	}
	p, err := r.DB.GetPage(pageID)
	if err != nil {
		return h, Event{}, fmt.Errorf("Page %s: %w", pageID, err)
	}
	e := Event{Kind: NewToken, PageID: p.ID, PageName: p.Name, Status: p.Status, Reason: p.Reason, DryRun: true}
	if prof, err := r.DB.GetProfile(p.ProfileID); err == nil {
		e.Person = prof.Name
	}
	return h, e, nil
}

func (r *Runner) hook(id string) (store.Hook, error) {
	hs, err := r.DB.Hooks()
	if err != nil {
		return store.Hook{}, err
	}
	for _, h := range hs {
		if h.ID == id {
			return h, nil
		}
	}
	return store.Hook{}, fmt.Errorf("there is no hook %q (see `pagekeeper hooks list`)", id)
}

// runOnce runs one attempt and writes it to the Page's log.
func (r *Runner) runOnce(ctx context.Context, h store.Hook, e Event, attempt, attempts int) Result {
	start := time.Now()
	secrets := r.secrets(h, e.PageID)
	token := ""
	var res Result
	if e.Kind == NewToken {
		if e.DryRun {
			token = DryRunToken
		} else if t, err := r.Vault.PageToken(e.PageID); err == nil {
			token = t
		} else if errors.Is(err, vault.ErrNotFound) {
			// Disconnected since: there is no token left to deliver.
			res.Error, res.final = "not run: Pagekeeper no longer holds a token for this Page", true
		} else {
			res.Error = "could not read the Page's token from the keychain: " + err.Error()
		}
	}
	if res.Error == "" {
		ctx, cancel := context.WithTimeout(ctx, r.timeout(h))
		if h.Command != "" {
			res = r.command(ctx, h, e, attempt, token)
		} else {
			res = r.webhook(ctx, h, e, token)
		}
		cancel()
	}
	res.HookID, res.Event, res.Attempt, res.Attempts = h.ID, e.Kind, attempt, attempts
	if res.final {
		res.Attempts = attempt
	}
	res.Duration = time.Since(start).Round(time.Millisecond).String()
	res.Error = Scrub(res.Error, secrets...)
	for i, l := range res.Output {
		res.Output[i] = Scrub(l, secrets...)
	}
	r.record(h, e, res, secrets)
	return res
}

// secrets are what must never reach the history: the Page's token, its
// person's, and the webhook's secret.
func (r *Runner) secrets(h store.Hook, pageID string) []string {
	var out []string
	if t, err := r.Vault.PageToken(pageID); err == nil {
		out = append(out, t)
	}
	if p, err := r.DB.GetPage(pageID); err == nil && p.ProfileID != "" {
		if t, err := r.Vault.UserToken(p.ProfileID); err == nil {
			out = append(out, t)
		}
	}
	if h.URL != "" {
		if s, err := r.Vault.HookSecret(h.ID); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// record writes one attempt to the Page's activity log.
func (r *Runner) record(h store.Hook, e Event, res Result, secrets []string) {
	kind := KindRun
	if e.DryRun {
		kind = KindTest
	}
	what := "command"
	if h.Command == "" {
		what = "webhook"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s on %s: ", what, h.ID, e.Kind)
	switch {
	case res.OK && res.HTTP != 0:
		fmt.Fprintf(&b, "delivered (HTTP %d)", res.HTTP)
	case res.OK:
		b.WriteString("exit 0")
	default:
		b.WriteString("failed: " + res.Error)
	}
	fmt.Fprintf(&b, ", attempt %d of %d, %s", res.Attempt, res.Attempts, res.Duration)
	if len(res.Output) > 0 {
		b.WriteString(" | " + strings.Join(res.Output, " | "))
	}
	_, err := r.DB.AppendActivity(e.PageID, store.Activity{At: r.now(), Kind: kind, Actor: "Pagekeeper", Details: Scrub(b.String(), secrets...)})
	if err == nil && r.OnRecorded != nil {
		r.OnRecorded(e, res)
	}
}
