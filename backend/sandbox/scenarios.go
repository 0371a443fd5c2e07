package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Kind names a scenario or a fault.
type Kind string

// Scenarios: each makes the sandbox answer what Facebook answers in that
// situation, until cleared.
const (
	PasswordChanged      Kind = "password_changed"
	AppRemoved           Kind = "app_removed"
	Checkpointed         Kind = "checkpointed"
	Unconfirmed          Kind = "unconfirmed"
	RoleRemoved          Kind = "role_removed"
	TaskRemoved          Kind = "task_removed"
	PermissionDeclined   Kind = "permission_declined"
	PageDeselected       Kind = "page_deselected"
	WebhooksUnsubscribed Kind = "webhooks_unsubscribed"
	InstagramUnlinked    Kind = "instagram_unlinked"
	UserTokenExpired     Kind = "user_token_expired"
	DataAccessExpired    Kind = "data_access_expired"
	QuotaExhausted       Kind = "quota_exhausted"
	PageTokenMissing     Kind = "page_token_missing"
	PageTokenEmpty       Kind = "page_token_empty"
)

// Faults: they hit Graph API calls (not the dialog or the admin endpoint),
// on every call, on a share of calls (Rate 0..1) or on the next Count calls.
const (
	Transient     Kind = "transient"
	HTML500       Kind = "html_500"
	TruncatedJSON Kind = "truncated_json"
	Stall         Kind = "stall"
	Latency       Kind = "latency"
)

// KindInfo describes a Kind for the demo's "Simulate" panel.
type KindInfo struct {
	Kind        Kind     `json:"kind"`
	Description string   `json:"description"`
	Needs       []string `json:"needs,omitempty"` // Scenario fields it requires
	Fault       bool     `json:"fault,omitempty"`
}

var kinds = []KindInfo{
	{PasswordChanged, "The person changed their Facebook password: every token they had fails with 190/460.", []string{"persona"}, false},
	{AppRemoved, "The person removed the app in Business Integrations: their tokens fail with 190/458.", []string{"persona"}, false},
	{Checkpointed, "Facebook locked the account until the person logs in at facebook.com: 190/459.", []string{"persona"}, false},
	{Unconfirmed, "The account is not confirmed: 190/464 on every token.", []string{"persona"}, false},
	{RoleRemoved, "The person lost their role on a Page: its Page token fails with 190/492 and the Page leaves /me/accounts.", []string{"persona", "page"}, false},
	{TaskRemoved, "One task (e.g. MODERATE) was taken from the person on a Page.", []string{"persona", "page", "task"}, false},
	{PermissionDeclined, "A permission was declined or revoked: /me/permissions shows it declined.", []string{"persona", "permission"}, false},
	{PageDeselected, "The Page was unticked at the next login: its old Page token fails with 190/467.", []string{"persona", "page"}, false},
	{WebhooksUnsubscribed, "The app's webhook subscription was removed from the Page.", []string{"page"}, false},
	{InstagramUnlinked, "The Instagram account was unlinked from the Page.", []string{"page"}, false},
	{UserTokenExpired, "The person's user tokens expire now: 190/463 (Page tokens from long-lived tokens live on).", []string{"persona"}, false},
	{DataAccessExpired, "The 90-day data access window ended: profile and Instagram calls fail with 190/493.", []string{"persona"}, false},
	{QuotaExhausted, "Spend a rate limit: a persona's (code 17), a Page's (80001, or 32 with a user token) or, with neither, the app's (code 4).", nil, false},
	{PageTokenMissing, "Page lists (/me/accounts, a Page read for its access_token) show the Page without an access_token field, as real Facebook sometimes does.", []string{"page"}, false},
	{PageTokenEmpty, "Page lists show the Page with an empty access_token (\"\").", []string{"page"}, false},
	{Transient, "Temporary Facebook errors: HTTP 500 with code 2 (or 1), is_transient true.", nil, true},
	{HTML500, "HTTP 500 with an HTML error page instead of JSON.", nil, true},
	{TruncatedJSON, "The JSON body is cut off half-way.", nil, true},
	{Stall, "The request hangs until the client gives up (or for Duration).", nil, true},
	{Latency, "Every answer is delayed by Duration.", []string{"duration"}, true},
}

// ScenarioKinds lists every Kind with a one-line description.
func ScenarioKinds() []KindInfo { return slices.Clone(kinds) }

func kindInfo(k Kind) (KindInfo, bool) {
	for _, ki := range kinds {
		if ki.Kind == k {
			return ki, true
		}
	}
	return KindInfo{}, false
}

// Scenario is a Kind plus its target. Faults are limited by Count (the
// next Count Graph calls, then the fault switches itself off) or else by
// Rate (that share of calls, 0 < Rate < 1); with neither they hit every
// call. QuotaExhausted targets a Page, else a persona, else the app.
type Scenario struct {
	Kind       Kind          `json:"kind"`
	Persona    string        `json:"persona,omitempty"`
	Page       string        `json:"page,omitempty"`
	Permission string        `json:"permission,omitempty"`
	Task       string        `json:"task,omitempty"`
	Duration   time.Duration `json:"-"` // latency, stall; JSON "duration": "250ms"
	Rate       float64       `json:"rate,omitempty"`
	Count      int           `json:"count,omitempty"`
	Code       int           `json:"code,omitempty"`    // transient: 1 or 2 (default 2); shapes: see shapes.go
	Variant    string        `json:"variant,omitempty"` // the form of an answer-shape fault (shapes.go)
}

// MarshalJSON writes Duration as a Go duration string.
func (sc Scenario) MarshalJSON() ([]byte, error) {
	type plain Scenario
	v := struct {
		plain
		Duration string `json:"duration,omitempty"`
	}{plain: plain(sc)}
	if sc.Duration != 0 {
		v.Duration = sc.Duration.String()
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads Duration as "250ms", "2s", "1h".
func (sc *Scenario) UnmarshalJSON(b []byte) error {
	type plain Scenario
	var v struct {
		plain
		Duration string `json:"duration,omitempty"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*sc = Scenario(v.plain)
	if v.Duration != "" {
		d, err := time.ParseDuration(v.Duration)
		if err != nil {
			return fmt.Errorf("duration %q: %w", v.Duration, err)
		}
		sc.Duration = d
	}
	return nil
}

func (sc Scenario) key() string {
	if _, fault := faultKinds[sc.Kind]; fault {
		return string(sc.Kind)
	}
	return strings.Join([]string{string(sc.Kind), sc.Persona, sc.Page, sc.Permission, sc.Task}, "|")
}

var faultKinds = map[Kind]bool{Transient: true, HTML500: true, TruncatedJSON: true, Stall: true, Latency: true}

type activeScenario struct {
	sc   Scenario
	undo func()
}

// Apply switches a scenario or fault on. Applying an active scenario again
// changes nothing; applying a fault again replaces its settings.
func (s *Server) Apply(sc Scenario) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.validate(sc); err != nil {
		return err
	}
	if faultKinds[sc.Kind] {
		s.faults[sc.Kind] = &fault{sc: sc, remaining: sc.Count}
		return nil
	}
	if _, on := s.active[sc.key()]; on {
		return nil
	}
	undo, err := s.switchOn(sc)
	if err != nil {
		return err
	}
	s.active[sc.key()] = &activeScenario{sc: sc, undo: undo}
	return nil
}

// Clear switches a scenario or fault off, restoring what it changed.
func (s *Server) Clear(sc Scenario) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if faultKinds[sc.Kind] {
		if s.faults[sc.Kind] == nil {
			return fmt.Errorf("sandbox: fault %q is not on", sc.Kind)
		}
		delete(s.faults, sc.Kind)
		return nil
	}
	a := s.active[sc.key()]
	if a == nil {
		return fmt.Errorf("sandbox: scenario %s is not active", describe(sc))
	}
	a.undo()
	delete(s.active, sc.key())
	return nil
}

// ClearAll switches every scenario and fault off.
func (s *Server) ClearAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, a := range s.active {
		a.undo()
		delete(s.active, k)
	}
	s.faults = map[Kind]*fault{}
}

// Active lists the scenarios and faults switched on (faults with Count
// show the calls they have left).
func (s *Server) Active() []Scenario {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Scenario{}
	for _, a := range s.active {
		out = append(out, a.sc)
	}
	for _, f := range s.faults {
		sc := f.sc
		sc.Count = f.remaining
		out = append(out, sc)
	}
	slices.SortFunc(out, func(a, b Scenario) int { return strings.Compare(a.key(), b.key()) })
	return out
}

func describe(sc Scenario) string {
	parts := []string{string(sc.Kind)}
	for _, p := range [][2]string{{"persona", sc.Persona}, {"page", sc.Page}, {"permission", sc.Permission}, {"task", sc.Task}} {
		if p[1] != "" {
			parts = append(parts, p[0]+"="+p[1])
		}
	}
	return strings.Join(parts, " ")
}

func (s *Server) validate(sc Scenario) error {
	ki, ok := kindInfo(sc.Kind)
	if !ok {
		return fmt.Errorf("sandbox: unknown scenario kind %q (see ScenarioKinds)", sc.Kind)
	}
	for _, n := range ki.Needs {
		missing := (n == "persona" && sc.Persona == "") || (n == "page" && sc.Page == "") ||
			(n == "permission" && sc.Permission == "") || (n == "task" && sc.Task == "") || (n == "duration" && sc.Duration <= 0)
		if missing {
			return fmt.Errorf("sandbox: scenario %s needs %s", sc.Kind, n)
		}
	}
	if sc.Persona != "" && s.persona(sc.Persona) == nil {
		return fmt.Errorf("sandbox: unknown persona %q", sc.Persona)
	}
	if sc.Page != "" && s.page(sc.Page) == nil {
		return fmt.Errorf("sandbox: unknown page %q", sc.Page)
	}
	if sc.Rate < 0 || sc.Rate > 1 {
		return fmt.Errorf("sandbox: rate %v is outside 0..1", sc.Rate)
	}
	if sc.Count < 0 || sc.Duration < 0 {
		return fmt.Errorf("sandbox: count and duration cannot be negative")
	}
	if sc.Kind == Transient && sc.Code != 0 && sc.Code != 1 && sc.Code != 2 {
		return fmt.Errorf("sandbox: transient code must be 1 or 2, not %d", sc.Code)
	}
	return validateShape(sc)
}

// switchOn applies sc to the state and returns how to undo it (locked).
func (s *Server) switchOn(sc Scenario) (func(), error) {
	p, pg := sc.Persona, sc.Page
	g := s.grants[p]
	needGrant := func() error {
		if g == nil {
			return fmt.Errorf("sandbox: %s has not logged in to the app, so %s has nothing to act on", p, sc.Kind)
		}
		return nil
	}
	switch sc.Kind {
	case PasswordChanged:
		s.passwordChanged[p] = s.markNow()
		return func() { delete(s.passwordChanged, p) }, nil
	case UserTokenExpired:
		s.userExpired[p] = s.markNow()
		return func() { delete(s.userExpired, p) }, nil
	case Checkpointed:
		s.checkpointed[p] = true
		return func() { delete(s.checkpointed, p) }, nil
	case Unconfirmed:
		s.unconfirmed[p] = true
		return func() { delete(s.unconfirmed, p) }, nil
	case AppRemoved:
		if err := needGrant(); err != nil {
			return nil, err
		}
		delete(s.grants, p)
		s.appRemoved[p] = s.markNow()
		return func() {
			delete(s.appRemoved, p)
			if s.grants[p] == nil {
				s.grants[p] = g
			}
		}, nil
	case RoleRemoved:
		r := s.roleOf(p, pg)
		if r == nil {
			return nil, fmt.Errorf("sandbox: %s has no role on page %s", p, pg)
		}
		delete(s.roles[p], pg)
		return func() {
			if s.roles[p][pg] == nil {
				s.roles[p][pg] = r
			}
		}, nil
	case TaskRemoved:
		r := s.roleOf(p, pg)
		if r == nil || !slices.Contains(r.tasks, sc.Task) {
			return nil, fmt.Errorf("sandbox: %s has no task %s on page %s", p, sc.Task, pg)
		}
		i := slices.Index(r.tasks, sc.Task)
		r.tasks = slices.Delete(r.tasks, i, i+1)
		return func() {
			if !slices.Contains(r.tasks, sc.Task) {
				r.tasks = slices.Insert(r.tasks, min(i, len(r.tasks)), sc.Task)
			}
		}, nil
	case PermissionDeclined:
		if err := needGrant(); err != nil {
			return nil, err
		}
		if !g.granted(sc.Permission) {
			return nil, fmt.Errorf("sandbox: %s has not granted %s", p, sc.Permission)
		}
		g.setPerm(sc.Permission, "declined")
		return func() {
			if g.perms[sc.Permission] == "declined" {
				g.perms[sc.Permission] = "granted"
			}
		}, nil
	case PageDeselected:
		if err := needGrant(); err != nil {
			return nil, err
		}
		if !g.hasPage(pg) {
			return nil, fmt.Errorf("sandbox: page %s is not in %s's grant", pg, p)
		}
		s.deselect(g, pg)
		return func() {
			delete(g.deselected, pg)
			if !g.hasPage(pg) {
				g.setPages(s.inSeedOrder(append(g.pages, pg)))
			}
		}, nil
	case WebhooksUnsubscribed:
		page := s.page(pg)
		if len(page.SubscribedTo) == 0 {
			return nil, fmt.Errorf("sandbox: page %s has no webhook subscription", pg)
		}
		saved := page.SubscribedTo
		page.SubscribedTo = nil
		return func() {
			if len(page.SubscribedTo) == 0 {
				page.SubscribedTo = saved
			}
		}, nil
	case InstagramUnlinked:
		page := s.page(pg)
		if page.IGID == "" {
			return nil, fmt.Errorf("sandbox: page %s has no Instagram account", pg)
		}
		id, name := page.IGID, page.IGUsername
		page.IGID, page.IGUsername = "", ""
		return func() {
			if page.IGID == "" {
				page.IGID, page.IGUsername = id, name
			}
		}, nil
	case DataAccessExpired:
		if err := needGrant(); err != nil {
			return nil, err
		}
		saved := g.dataUntil
		g.dataUntil = s.clock.Now()
		return func() { g.dataUntil = saved }, nil
	case QuotaExhausted:
		return s.exhaust(sc), nil
	case PageTokenMissing, PageTokenEmpty:
		prev, had := s.tokenless[pg]
		s.tokenless[pg] = sc.Kind
		return func() {
			if had {
				s.tokenless[pg] = prev
			} else {
				delete(s.tokenless, pg)
			}
		}, nil
	}
	return nil, fmt.Errorf("sandbox: scenario %q cannot be applied", sc.Kind)
}

// deselect takes a Page out of a grant the way unticking it at a login
// does: its older Page tokens stop working (errPageDeselected).
func (s *Server) deselect(g *grant, pageID string) {
	g.setPages(slices.DeleteFunc(g.pages, func(id string) bool { return id == pageID }))
	if g.deselected == nil {
		g.deselected = map[string]mark{}
	}
	g.deselected[pageID] = s.markNow()
}

func (s *Server) inSeedOrder(ids []string) []string {
	var out []string
	for _, p := range s.pages {
		if slices.Contains(ids, p.ID) {
			out = append(out, p.ID)
		}
	}
	return out
}

// exhaust fills a quota window with calls made now, so the limit error
// comes from the same counters real calls use, and wears off as the
// window slides. Clearing empties the window.
func (s *Server) exhaust(sc Scenario) func() {
	now := s.clock.Now()
	var w *window
	limit := 0
	switch {
	case sc.Page != "":
		w, limit = s.usage.page(sc.Page), s.opts.PageCallsPerDay
	case sc.Persona != "":
		w, limit = s.usage.user(sc.Persona), s.opts.CallsPerUserPerHour
	default:
		w, limit = s.usage.app, s.appQuota()
	}
	w.add(now, limit-w.count(now))
	return func() { w.reset() }
}
