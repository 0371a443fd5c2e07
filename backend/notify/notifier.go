package notify

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// Page statuses as the health checker reports them. Kept as strings so this
// package does not depend on the checker.
const (
	StatusValid        = "valid"
	StatusWarning      = "warning"
	StatusInvalid      = "invalid"
	StatusUnknown      = "unknown"
	StatusDisconnected = "disconnected"
)

func knownStatus(s string) bool {
	switch s {
	case StatusValid, StatusWarning, StatusInvalid, StatusUnknown, StatusDisconnected:
		return true
	}
	return false
}

// Change is one Page's status change found by a check.
//
// From should be the Page's last confirmed status (never "unknown"). If the
// caller only knows that the previous check was inconclusive it may pass
// "unknown" (or "" for a Page it has never seen), and the Notifier then uses
// its own memory of the last confirmed status; so invalid -> unknown ->
// invalid is not a new breakage. With no memory either (a Page never seen, or
// state lost), entering invalid counts as a new transition: telling the owner
// twice beats never telling them.
type Change struct {
	PageID     string
	PageName   string
	ProfileID  string // the Facebook person whose login connects the Page
	PersonName string
	From, To   string
	Reason     string // machine-readable cause, e.g. "password_changed"
	Summary    string // one plain-words sentence: what happened and how to fix it
}

// Settings says what the owner wants to hear about.
type Settings struct {
	OnInvalid bool // a Page stopped working
	OnWarning bool // a Page will stop working soon (valid -> warning)
	// Reminder is how long a Page may stay invalid before it is mentioned
	// again, and again after each further interval. Zero or less: no reminders.
	Reminder time.Duration
}

// DefaultSettings are the settings of a fresh install.
func DefaultSettings() Settings {
	return Settings{OnInvalid: true, OnWarning: true, Reminder: 24 * time.Hour}
}

// PageState is what the Notifier remembers about one Page.
type PageState struct {
	Status       string    `json:"status"` // last confirmed status; never "unknown"
	PageName     string    `json:"page_name,omitempty"`
	ProfileID    string    `json:"profile_id,omitempty"`
	PersonName   string    `json:"person_name,omitempty"`
	Summary      string    `json:"summary,omitempty"`
	Reason       string    `json:"reason,omitempty"`
	InvalidSince time.Time `json:"invalid_since,omitzero"`
}

// State is the Notifier's memory, exported so the app can persist it across
// restarts (it holds no secrets).
type State struct {
	Pages map[string]PageState `json:"pages"`
	// Notified is, per group (a person, or a lone Page), when the owner was
	// last told about its invalid Pages; reminders count from it.
	Notified map[string]time.Time `json:"notified"`
}

// Notifier turns status changes into notifications. Set Sender and Settings
// before use; the zero state is empty. It is safe for concurrent use.
type Notifier struct {
	Sender   Sender
	Settings Settings

	mu    sync.Mutex
	state State
}

// NewNotifier returns a Notifier with the given sender and settings.
func NewNotifier(s Sender, set Settings) *Notifier {
	return &Notifier{Sender: s, Settings: set}
}

func (n *Notifier) init() {
	if n.state.Pages == nil {
		n.state.Pages = map[string]PageState{}
	}
	if n.state.Notified == nil {
		n.state.Notified = map[string]time.Time{}
	}
}

// groupKey is who a Page's breakage is reported with: all Pages connected by
// one person break together when that person's login breaks.
func groupKey(profileID, pageID string) string {
	if profileID != "" {
		return "person:" + profileID
	}
	return "page:" + pageID
}

type pageRef struct {
	id string
	PageState
}

// Observe records the changes of one check and sends at most one
// notification per person for Pages that broke and one per person for Pages
// that entered warning. Invalid changes are reported in the error and
// skipped; the others still count. A failed send is retried by the next Tick.
func (n *Notifier) Observe(now time.Time, changes []Change) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.init()

	var errs []error
	broke := map[string][]pageRef{}
	warned := map[string][]pageRef{}
	var recovered []pageRef // Pages whose notifications no longer hold
	for i, c := range changes {
		if err := validate(c); err != nil {
			errs = append(errs, fmt.Errorf("notify: change %d (page %q): %w", i, c.PageID, err))
			continue
		}
		prev, seen := n.state.Pages[c.PageID]
		from := c.From
		if from == StatusUnknown || from == "" {
			from = prev.Status // "" when never seen
		}
		ps := prev
		ps.PageName, ps.ProfileID, ps.PersonName = c.PageName, c.ProfileID, c.PersonName
		if c.Summary != "" {
			ps.Summary = c.Summary
		}
		if c.To != StatusUnknown {
			ps.Reason = c.Reason
		}
		switch c.To {
		case StatusUnknown:
			// Nothing is confirmed: keep the last confirmed status, and
			// keep reminding if it was invalid (it most likely still is).
			if seen {
				n.state.Pages[c.PageID] = ps
			}
			continue
		case StatusDisconnected:
			delete(n.state.Pages, c.PageID)
			if seen {
				recovered = append(recovered, pageRef{c.PageID, prev})
			}
			continue
		}
		ps.Status = c.To
		if c.To == StatusInvalid {
			if from != StatusInvalid || ps.InvalidSince.IsZero() {
				ps.InvalidSince = now
			}
		} else {
			ps.InvalidSince = time.Time{}
		}
		n.state.Pages[c.PageID] = ps
		if seen && (prev.Status == StatusInvalid || prev.Status == StatusWarning) && c.To != prev.Status {
			recovered = append(recovered, pageRef{c.PageID, prev})
		}
		ref := pageRef{c.PageID, ps}
		key := groupKey(c.ProfileID, c.PageID)
		switch {
		case c.To == StatusInvalid && from != StatusInvalid && n.Settings.OnInvalid:
			broke[key] = append(broke[key], ref)
		case c.To == StatusWarning && from == StatusValid && n.Settings.OnWarning:
			warned[key] = append(warned[key], ref)
		}
	}

	for _, key := range slices.Sorted(maps.Keys(broke)) {
		if err := n.send(brokenNotification(broke[key], false)); err != nil {
			// Leave the group due so Tick retries it.
			n.state.Notified[key] = time.Time{}
			errs = append(errs, err)
			continue
		}
		n.state.Notified[key] = now
	}
	for _, key := range slices.Sorted(maps.Keys(warned)) {
		if err := n.send(warningNotification(warned[key])); err != nil {
			errs = append(errs, err)
		}
	}
	n.forgetRecovered()
	errs = append(errs, n.withdraw(recovered))
	return errors.Join(errs...)
}

// withdraw takes back what no longer holds: the notification of each
// recovered Page, and its person's grouped one once none of their Pages is
// in that state any more.
func (n *Notifier) withdraw(recovered []pageRef) error {
	w, ok := n.Sender.(Withdrawer)
	if !ok || len(recovered) == 0 {
		return nil
	}
	still := map[string]bool{} // prefix + group key with a Page still in that state
	for id, ps := range n.state.Pages {
		switch ps.Status {
		case StatusInvalid:
			still[groupKey(ps.ProfileID, id)] = true
		case StatusWarning:
			still[warningWords.idPrefix+groupKey(ps.ProfileID, id)] = true
		}
	}
	var ids []string
	for _, p := range recovered {
		cur := n.state.Pages[p.id].Status
		for _, prefix := range []string{"", warningWords.idPrefix} {
			if (prefix == "" && cur == StatusInvalid) || (prefix != "" && cur == StatusWarning) {
				continue // the Page is still in that state: its notification holds
			}
			ids = append(ids, prefix+"page:"+p.id)
			if p.ProfileID != "" && !still[prefix+groupKey(p.ProfileID, p.id)] {
				ids = append(ids, prefix+groupKey(p.ProfileID, p.id))
			}
		}
	}
	slices.Sort(ids)
	var errs []error
	for _, id := range slices.Compact(ids) {
		if err := w.Withdraw(context.Background(), id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Tick sends one reminder per person (or lone Page) whose Pages have stayed
// invalid for a full reminder interval since the owner was last told. Call it
// after each check, or on a timer.
func (n *Notifier) Tick(now time.Time) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.init()
	if !n.Settings.OnInvalid || n.Settings.Reminder <= 0 {
		return nil
	}
	var errs []error
	groups := n.invalidGroups()
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		if now.Sub(n.state.Notified[key]) < n.Settings.Reminder {
			continue
		}
		if err := n.send(brokenNotification(groups[key], true)); err != nil {
			errs = append(errs, err)
			continue
		}
		n.state.Notified[key] = now
	}
	return errors.Join(errs...)
}

func (n *Notifier) invalidGroups() map[string][]pageRef {
	groups := map[string][]pageRef{}
	for id, ps := range n.state.Pages {
		if ps.Status == StatusInvalid {
			key := groupKey(ps.ProfileID, id)
			groups[key] = append(groups[key], pageRef{id, ps})
		}
	}
	return groups
}

// forgetRecovered drops reminder clocks of groups with no invalid Page left,
// so a Page that recovers and breaks again is a fresh breakage.
func (n *Notifier) forgetRecovered() {
	groups := n.invalidGroups()
	for key := range n.state.Notified {
		if _, ok := groups[key]; !ok {
			delete(n.state.Notified, key)
		}
	}
}

func (n *Notifier) send(note Notification) error {
	if n.Sender == nil {
		return errors.New("notify: no Sender configured")
	}
	return n.Sender.Send(context.Background(), note)
}

func validate(c Change) error {
	switch {
	case c.PageID == "":
		return errors.New("no page id")
	case !knownStatus(c.To):
		return fmt.Errorf("unknown status %q (want valid, warning, invalid, unknown or disconnected)", c.To)
	case c.From != "" && !knownStatus(c.From):
		return fmt.Errorf("unknown previous status %q (want valid, warning, invalid, unknown or disconnected)", c.From)
	}
	return nil
}

// Export returns a copy of the Notifier's memory for persisting.
func (n *Notifier) Export() State {
	n.mu.Lock()
	defer n.mu.Unlock()
	return State{Pages: maps.Clone(n.state.Pages), Notified: maps.Clone(n.state.Notified)}
}

// Import replaces the Notifier's memory with s (from an earlier Export). A
// state with an impossible status is refused whole, leaving memory as it was.
func (n *Notifier) Import(s State) error {
	for id, ps := range s.Pages {
		if id == "" {
			return errors.New("notify: state has a page without an id")
		}
		if !knownStatus(ps.Status) || ps.Status == StatusUnknown || ps.Status == StatusDisconnected {
			return fmt.Errorf("notify: state has page %q with status %q (want valid, warning or invalid)", id, ps.Status)
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.state = State{Pages: maps.Clone(s.Pages), Notified: maps.Clone(s.Notified)}
	n.init()
	return nil
}

// Texts. Plain words: the owner is not a developer.

func sortPages(pages []pageRef) []pageRef {
	pages = slices.Clone(pages)
	slices.SortFunc(pages, func(a, b pageRef) int {
		if c := strings.Compare(pageName(a), pageName(b)); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	return pages
}

func pageName(p pageRef) string {
	if p.PageName != "" {
		return p.PageName
	}
	return "Page " + p.id
}

func possessive(name string) string {
	if name == "" {
		return "Your"
	}
	return name + "'s"
}

// nameList gives "A, B, C and 3 more" (at most three names).
func nameList(pages []pageRef) string {
	var names []string
	for i, p := range pages {
		if i == 3 {
			break
		}
		names = append(names, pageName(p))
	}
	rest := len(pages) - len(names)
	switch {
	case rest > 0:
		return strings.Join(names, ", ") + " and " + fmt.Sprint(rest) + " more"
	case len(names) == 1:
		return names[0]
	default:
		return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
}

// sharedSummary is the Summary all pages have in common, or "".
func sharedSummary(pages []pageRef) string {
	s := pages[0].Summary
	for _, p := range pages[1:] {
		if p.Summary != s {
			return ""
		}
	}
	return s
}

func groupID(pages []pageRef, kind string) string {
	if len(pages) == 1 {
		return kind + "page:" + pages[0].id
	}
	return kind + groupKey(pages[0].ProfileID, pages[0].id)
}

// wording is what differs between a breakage, a reminder and a warning.
type wording struct {
	idPrefix  string
	urgency   Urgency
	prefix    string // before the body, e.g. "Reminder: "
	need      string // after one Page's name
	groupNeed string // after "Dana's Facebook Pages" and "6 Pages connected by Dana"
	fallback  string // one Page's body when the checker gave no Summary
	mixed     string // a group's closing sentence when the Summaries differ
}

var (
	brokeWords = wording{
		urgency: Critical, need: "stopped working", groupNeed: "stopped working",
		fallback: "Pagekeeper can no longer reach this Page. Open Pagekeeper to reconnect it.",
		mixed:    "Open Pagekeeper to see what happened to each.",
	}
	reminderWords = wording{
		urgency: Normal, prefix: "Reminder: ", need: "still does not work", groupNeed: "still do not work",
		fallback: brokeWords.fallback, mixed: brokeWords.mixed,
	}
	// A warning is about now (a lost Instagram link, an expired login whose
	// Page token still works) unless it is about a date to come.
	warningWords = wording{
		idPrefix: "warning:", urgency: Normal, need: "needs attention", groupNeed: "need attention",
		fallback: "Part of this Page's connection to Pagekeeper does not work. Open Pagekeeper to see why.",
		mixed:    "Open Pagekeeper to see why.",
	}
	expiringWords = wording{
		idPrefix: "warning:", urgency: Normal, need: "will stop working soon", groupNeed: "will stop working soon",
		fallback: "Pagekeeper's access to this Page ends soon unless it is reconnected. Open Pagekeeper to see when.",
		mixed:    "Open Pagekeeper to see when.",
	}
)

func brokenNotification(pages []pageRef, reminder bool) Notification {
	if reminder {
		return compose(pages, reminderWords)
	}
	return compose(pages, brokeWords)
}

func warningNotification(pages []pageRef) Notification {
	for _, p := range pages {
		if p.Reason != ReasonExpiringSoon {
			return compose(pages, warningWords)
		}
	}
	return compose(pages, expiringWords)
}

// ReasonExpiringSoon is the one warning about the future (health.ExpiringSoon).
const ReasonExpiringSoon = "expiring_soon"

// compose writes one notification about pages, all of one group. A click
// opens the first Page listed.
func compose(pages []pageRef, w wording) Notification {
	pages = sortPages(pages)
	first := pages[0]
	n := Notification{ID: groupID(pages, w.idPrefix), PageID: first.id, Urgency: w.urgency}
	if len(pages) == 1 {
		n.Title = pageName(first) + " " + w.need
		n.Body = first.Summary
		if n.Body == "" {
			n.Body = w.fallback
		}
		n.Body = w.prefix + n.Body
		return n
	}
	person := first.PersonName
	n.Title = possessive(person) + " Facebook Pages " + w.groupNeed
	by := ""
	if person != "" {
		by = " connected by " + person
	}
	n.Body = fmt.Sprintf("%s%d Pages%s %s: %s.", w.prefix, len(pages), by, w.groupNeed, nameList(pages))
	if s := sharedSummary(pages); s != "" {
		n.Body += " " + s
	} else {
		n.Body += " " + w.mixed
	}
	return n
}
