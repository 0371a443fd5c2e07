package monitor

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// observe turns what the check learned about t into health's input.
func (m *Monitor) observe(t *target, now time.Time) health.Observation {
	obs := health.Observation{
		PageID: t.page.ID, PageName: t.page.Name, PersonName: t.person.Name,
		Disconnected: t.pageToken == "",
		Probe:        t.probe,
		Tasks:        t.page.Tasks,
		HadInstagram: t.page.InstagramID != "",
		Now:          now, WarnWindow: m.WarnWindow,
	}
	if t.page.WebhooksSubscribed != nil {
		obs.WebhooksSubscribed = t.page.WebhooksSubscribed
	}
	m.mu.Lock()
	user, ok := m.userInfo[t.page.ProfileID]
	m.mu.Unlock()
	if ok {
		obs.UserToken = &user.info
		obs.InGrant = health.InPageGrant(user.grant, t.page.ID)
	}
	if obs.InGrant == nil && t.page.Reason == string(health.PageNotGranted) {
		// Left out at a login, and nothing read since says it is back (a
		// check that did not read the grant cannot make it valid again).
		out := false
		obs.InGrant = &out
	}
	if t.info != nil {
		linked := t.info.Instagram != nil && t.info.Instagram.ID != ""
		obs.InstagramLinked = &linked
	}
	if t.subs != nil {
		obs.WebhooksSubscribed = t.subs
	}
	if acct, ok := m.account(t); ok {
		obs.Tasks = acct.Tasks
		has := true
		obs.HasRole = &has
	}
	return obs
}

// verdict is what a check makes of one Page, worked out (judge) as soon as
// its answers are in.
type verdict struct {
	diag    health.Diagnosis
	status  health.Status
	reason  health.Reason
	changed bool // a new status, or a new reason confirmed
	draft   *store.Draft
	err     error
}

// judge diagnoses t and drafts its record: a status change (or a new
// reason) goes to the history and the activity log; an unknown answer keeps
// the last confirmed status and only notes the failed check.
func (m *Monitor) judge(t *target, now time.Time) {
	d := health.Diagnose(m.observe(t, now))
	prev := t.page
	status, reason := health.Merge(health.Status(prev.Status), health.Reason(prev.Reason), d)
	confirmed := d.Status != health.Unknown
	changed := string(status) != prev.Status || (confirmed && string(reason) != prev.Reason)

	m.mu.Lock()
	rolesRead := m.rolesAt[t.page.ProfileID].Equal(now)
	m.mu.Unlock()
	mutate := func(p *store.Page) error {
		// Each aspect keeps when it was last read, so the window never
		// calls an aspect checked that this check did not look at.
		if rolesRead {
			p.RolesCheckedAt = now
		}
		if t.subs != nil {
			p.WebhooksCheckedAt = now
		}
		if !confirmed {
			if p.Status == "" || p.Status == string(health.Unknown) {
				p.Status, p.Reason, p.Summary, p.Fix = string(d.Status), string(d.Reason), d.Summary, d.Fix
			}
			return nil
		}
		p.Status, p.Reason, p.Summary, p.Fix = string(status), string(reason), d.Summary, d.Fix
		p.CheckedAt = now
		p.MissingPermissions, p.MissingTasks = d.MissingPermissions, d.MissingTasks
		p.Features = features(d.Features)
		if acct, ok := m.account(t); ok {
			p.Tasks = slices.Clone(acct.Tasks)
		}
		if t.subs != nil {
			p.WebhooksSubscribed = t.subs
		}
		if t.info != nil {
			if t.info.Name != "" {
				p.Name = t.info.Name
			}
			if ig := t.info.Instagram; ig != nil && ig.ID != "" {
				p.InstagramID = ig.ID
				if ig.Username != "" {
					p.InstagramUsername = ig.Username
				}
			}
			// An unlinked account is kept on record so the reason
			// instagram_unlinked can name it.
		}
		if changed {
			p.UpdatedAt = now
		}
		return nil
	}
	t.verdict = verdict{diag: d, status: status, reason: reason, changed: changed}
	t.draft, t.err = store.NewDraft(t.page, mutate)
}

// record stores t's verdict in tx and returns the change to notify, if any.
func (m *Monitor) record(tx *store.Tx, t *target, now time.Time) (*notify.Change, error) {
	if t.err != nil {
		return nil, t.err
	}
	if !t.changed {
		_, err := tx.RecordDraft(t.draft, nil)
		return nil, err
	}
	prev, d := t.page, t.diag
	sc := &store.StatusChange{At: now, From: prev.Status, To: string(t.status), Reason: string(t.reason)}
	act := store.Activity{At: now, Kind: "status_changed", Actor: "Pagekeeper",
		Details: fmt.Sprintf("%s → %s", orNew(prev.Status), t.status)}
	if d.Summary != "" {
		act.Details += ": " + d.Summary
	}
	if _, err := tx.RecordDraft(t.draft, sc, act); err != nil {
		return nil, err
	}
	return &notify.Change{PageID: t.page.ID, PageName: t.page.Name, ProfileID: t.page.ProfileID,
		PersonName: t.person.Name, From: prev.Status, To: string(t.status), Reason: string(t.reason), Summary: d.Summary}, nil
}

// account is the Page as the person's /me/accounts listed it at the last
// deep look. Pages reached through a Business Portfolio are not listed
// there, so absence proves nothing: the probe tells a lost role (492).
func (m *Monitor) account(t *target) (graph.PageAccount, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := m.accounts[t.page.ProfileID][t.page.ID]
	return a, ok
}

func orNew(s string) string {
	if s == "" {
		return "new"
	}
	return s
}

func features(fs []health.Feature) map[string]string {
	out := make(map[string]string, len(fs))
	for _, f := range fs {
		out[f.Name] = f.Missing
	}
	return out
}

// personal are the reasons that are about the person's login, not one Page:
// one of their Pages saying so speaks for all of them.
var personal = map[health.Reason]bool{
	health.PasswordChanged: true, health.AppRemoved: true, health.SessionExpired: true,
	health.AccountCheckpointed: true, health.AccountUnconfirmed: true, health.DataAccessExpired: true,
}

// updatePeople records each person's status on their profile: from their
// user token's debug_token when it was looked at in this check, else from a
// Page whose token died for a reason about the person (the user token is
// looked at hourly; a Page probe can tell sooner).
func (m *Monitor) updatePeople(tx *store.Tx, targets []*target, now time.Time) error {
	fromPages := map[string]health.Reason{}
	for _, t := range targets {
		if d := t.diag; d.Status == health.Invalid && personal[d.Reason] && fromPages[t.page.ProfileID] == "" {
			fromPages[t.page.ProfileID] = d.Reason
		}
	}
	done := map[string]bool{}
	for _, t := range targets {
		id := t.page.ProfileID
		if done[id] || id == "" {
			continue
		}
		done[id] = true
		m.mu.Lock()
		user, ok := m.userInfo[id]
		info := user.info
		fresh := ok && m.debugAt[id].Equal(now)
		m.mu.Unlock()
		prof, err := tx.GetProfile(id)
		if err != nil {
			continue
		}
		var status health.Status
		var reason health.Reason
		var fix string
		switch {
		case fresh:
			d := health.Diagnose(health.Observation{PersonName: prof.Name, UserToken: &info, Now: now, WarnWindow: m.WarnWindow,
				Wanted: []string{}})
			status, reason = health.Merge(health.Status(prof.Status), health.Reason(prof.Reason), d)
			fix = d.Fix
			prof.TokenExpiresAt, prof.DataAccessExpiresAt = info.ExpiresAt, info.DataAccessExpiresAt
			if len(info.Scopes) > 0 {
				prof.Scopes = slices.Clone(info.Scopes)
			}
		case fromPages[id] != "":
			status, reason = health.Invalid, fromPages[id]
			_, fix = health.Explain(string(reason), prof.Name, "")
		default:
			continue
		}
		if string(status) != prof.Status || string(reason) != prof.Reason {
			prof.UpdatedAt = now
		}
		prof.Status, prof.Reason, prof.Fix, prof.CheckedAt = string(status), string(reason), fix, now
		if err := tx.PutProfile(prof); err != nil {
			return err
		}
	}
	return nil
}

// adjustBackoff slows the checks down when the usage headers of this check's
// answers (since mark) pass BackoffPercent or a rate-limit error came back,
// for as long as Facebook estimates (estimated_time_to_regain_access, bounded
// by graph to the limit's window) and at least one pause.
func (m *Monitor) adjustBackoff(g *graph.Client, mark uint64, targets []*target, limited bool, now time.Time) {
	b := g.BudgetSince(mark)
	pause := time.Duration(0)
	for _, t := range targets {
		limited = limited || isRateLimit(t.probe)
	}
	if limited || b.MaxPercent() >= BackoffPercent {
		pause = max(b.RegainAfter(), minRateLimitPause)
	}
	if pause > 0 {
		m.mu.Lock()
		m.backoffUntil = now.Add(pause)
		m.mu.Unlock()
	}
}

func isRateLimit(err error) bool {
	e := graphError(err)
	return e != nil && e.IsRateLimit()
}

func graphError(err error) *graph.Error {
	var e *graph.Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
