// Package health turns Graph API answers about one Page into a diagnosis:
// a status, a reason from a fixed vocabulary, plain words for the owner and
// the feature matrix. It is pure: no I/O, and the time is an input.
//
// Rules:
//   - Only a definitive answer from Facebook (graph.IsDefinitive) makes a Page
//     invalid: a login error (102, 190), a permission error (10, 200-299, or
//     a message naming the permission), or "object does not exist" on the
//     Page probe (100/33, 33: page_gone). An answer about the owner's Meta
//     app (graph.AppIssue) is no verdict on the Page: unknown/meta_app_problem.
//     No answer at all gives unknown/unreachable; an answer without a verdict
//     on the Page (transient codes, error pages, cut-off bodies, a 200 that is
//     not the Page, a bad parameter) unknown/unexpected_answer; rate limits
//     unknown/rate_limited. Unknown never replaces a confirmed state: see Merge.
//   - Order: disconnected; the Meta app; a dead Page token (a named
//     permission, the Page gone, login reasons, then a Facebook permission
//     refusal); unknown; a dead user token while the Page token works; Page
//     left out of the grant or the person's Pages; missing permissions;
//     missing Page tasks; expiry within the warning window; webhooks;
//     Instagram.
//   - A Page left out of the person's grant (granular_scopes) is invalid
//     (page_not_granted) even while its old token answers.
//   - Everything else after "unknown" is a warning: the Page token still works
//     (the probe succeeded), so the owner has time to act. In particular a
//     permission missing from the grant is only a warning; it becomes invalid
//     when Facebook itself refuses the probe with a permission error.
package health

import (
	"errors"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

// Status is a Page's state.
type Status string

const (
	Valid        Status = "valid"
	Warning      Status = "warning"
	Invalid      Status = "invalid"
	Unknown      Status = "unknown"      // no definitive answer this time; keep the last confirmed state
	Disconnected Status = "disconnected" // Pagekeeper holds no access to the Page
)

// Reason is why a Page is not valid; the vocabulary is stable (stored, shown, tested).
type Reason string

const (
	ReasonNone           Reason = ""
	PasswordChanged      Reason = "password_changed"      // 190/460
	AppRemoved           Reason = "app_removed"           // 190/458
	SessionExpired       Reason = "session_expired"       // 190/463
	AccountCheckpointed  Reason = "account_checkpointed"  // 190/459
	AccountUnconfirmed   Reason = "account_unconfirmed"   // 190/464
	RoleLost             Reason = "role_lost"             // 190/492, or the Page left the person's Pages
	DataAccessExpired    Reason = "data_access_expired"   // 190/493
	TokenInvalid         Reason = "token_invalid"         // 190/467, 190/466, other 190, 102
	PageNotGranted       Reason = "page_not_granted"      // the Page is no longer in the grant
	PermissionMissing    Reason = "permission_missing"    //
	TaskMissing          Reason = "task_missing"          //
	ExpiringSoon         Reason = "expiring_soon"         // user token or data access ends within the window
	WebhooksUnsubscribed Reason = "webhooks_unsubscribed" //
	InstagramUnlinked    Reason = "instagram_unlinked"    //
	Unreachable          Reason = "unreachable"           // no answer arrived (network, timeout)
	RateLimited          Reason = "rate_limited"          //
	// PageGone: Facebook says the Page does not exist (100/33, 33, "belongs
	// to a Page that has been deleted"): definitive for that Page.
	PageGone Reason = "page_gone"
	// MetaAppProblem: Facebook refuses the owner's Meta app itself
	// (Diagnosis.AppIssue says how); no verdict on the Page. Shown once,
	// above the list, not on every Page.
	MetaAppProblem Reason = "meta_app_problem"
	// UnexpectedAnswer: Facebook answered, but not with a verdict on the
	// Page (a temporary error, an error page, a cut-off body, an answer that
	// is not the Page). Never "could not reach Facebook".
	UnexpectedAnswer Reason = "unexpected_answer"
)

// Reasons lists the whole vocabulary (without ReasonNone).
var Reasons = []Reason{PasswordChanged, AppRemoved, SessionExpired, AccountCheckpointed, AccountUnconfirmed,
	RoleLost, DataAccessExpired, TokenInvalid, PageNotGranted, PermissionMissing, TaskMissing, ExpiringSoon,
	WebhooksUnsubscribed, InstagramUnlinked, Unreachable, RateLimited, PageGone, MetaAppProblem, UnexpectedAnswer}

// DefaultWarnWindow is how early expiring_soon warns.
const DefaultWarnWindow = 7 * 24 * time.Hour

// Diagnosis is the verdict on one Page.
type Diagnosis struct {
	Status             Status
	Reason             Reason
	Summary            string // what happened, in plain words
	Fix                string // what to do, in plain words; "" when nothing
	Features           []Feature
	MissingPermissions []string
	MissingTasks       []string
	// Definitive: the verdict rests on an answer from Facebook (or, for
	// disconnected, on Pagekeeper's own records); false for unknown.
	Definitive bool
	// Until is when access ends, for expiring_soon.
	Until time.Time
	// AppIssue is what is wrong with the owner's Meta app, for meta_app_problem.
	AppIssue graph.AppIssue
}

// Observation is everything the monitor learned about a Page in one check.
// Pointers and nil slices mean "not checked"; what was not checked is never
// held against the Page.
type Observation struct {
	// PageID "" diagnoses the person's user token alone (UserToken): a dead
	// one is then invalid, where for a Page with a working token it is a warning.
	PageID, PageName, PersonName string

	// Disconnected: Pagekeeper holds no Page token (never connected, or the
	// owner disconnected it). Nothing else is looked at.
	Disconnected bool

	// Probe is the result of the cheap Page-token call (graph.Client.Page):
	// nil, *graph.Error or *graph.UnavailableError.
	Probe error

	// PageToken and UserToken are debug_token results, when fetched.
	PageToken, UserToken *graph.TokenInfo

	// InGrant: whether the Page is among the user token's granted Pages
	// (granular_scopes target_ids; see InGrant). HasRole: whether the Page is
	// still among the person's Pages (/me/accounts, or readable by Page ID
	// with the user token for Business Portfolio Pages).
	InGrant, HasRole *bool

	Tasks   []string // the person's tasks on the Page (/me/accounts)
	Granted []string // granted permissions; nil: taken from PageToken, else UserToken scopes

	// HadInstagram: an Instagram account was linked when last seen;
	// InstagramLinked: whether one is linked now.
	HadInstagram    bool
	InstagramLinked *bool

	WebhooksSubscribed *bool

	// Wanted lists the features the owner relies on; nil means publishing,
	// messenger and insights, plus instagram when one was linked and
	// webhooks when they were checked.
	Wanted []string

	Now        time.Time
	WarnWindow time.Duration // 0: DefaultWarnWindow
}

// Diagnose computes the diagnosis; it reads nothing but obs.
func Diagnose(obs Observation) Diagnosis {
	d := diagnose(obs)
	w := Words{Person: obs.PersonName, Page: obs.PageName, Until: d.Until, AppIssue: d.AppIssue}
	switch d.Reason {
	case PermissionMissing:
		w.Missing = d.MissingPermissions
	case TaskMissing:
		for _, t := range d.MissingTasks {
			w.Missing = append(w.Missing, TaskName(t))
		}
	}
	d.Summary, d.Fix = Describe(d.Status, d.Reason, w)
	return d
}

func diagnose(obs Observation) Diagnosis {
	if obs.Disconnected {
		return Diagnosis{Status: Disconnected, Definitive: true}
	}
	// The owner's Meta app refused: nothing is known about the Page. The
	// user token speaks for the app only in a diagnosis of the person alone:
	// a Page whose own token answered is judged by that answer.
	appEvidence := []error{obs.Probe, asError(tokenError(obs.PageToken))}
	if obs.PageID == "" {
		appEvidence = append(appEvidence, asError(tokenError(obs.UserToken)))
	}
	for _, err := range appEvidence {
		var ge *graph.Error
		if errors.As(err, &ge) && ge.AppIssue() != graph.AppOK {
			return Diagnosis{Status: Unknown, Reason: MetaAppProblem, AppIssue: ge.AppIssue()}
		}
	}
	// is_valid false with a temporary error as the reason (data.error code
	// 1, 2, a rate limit) is no verdict on the user token: as if unread.
	if e := tokenError(obs.UserToken); e != nil && e.IsTransient() {
		if obs.PageID == "" {
			return Diagnosis{Status: Unknown, Reason: noVerdict(e)}
		}
		obs.UserToken = nil
	}
	userDead := deadReason(tokenError(obs.UserToken))

	// A dead Page token, said by Facebook: by the probe or by debug_token.
	for _, ev := range []struct {
		err   error
		probe bool
	}{{obs.Probe, true}, {asError(tokenError(obs.PageToken)), false}} {
		var ge *graph.Error
		if !graph.IsDefinitive(ev.err) || !errors.As(ev.err, &ge) {
			continue
		}
		// A message that names the permission Facebook wants says more than
		// the code (a 190/145, a 100/33 "... requires pages_read_engagement").
		if perms := namedPermissions(ge); len(perms) > 0 {
			return Diagnosis{Status: Invalid, Reason: PermissionMissing, MissingPermissions: perms, Definitive: true}
		}
		if ev.probe && pageGone(ge) {
			return Diagnosis{Status: Invalid, Reason: PageGone, Definitive: true}
		}
		if r := deadReason(ge); r != ReasonNone {
			switch {
			case r == TokenInvalid && userDead != ReasonNone:
				r = userDead // the user token often says why (460, 463, ...)
			case r == TokenInvalid && obs.InGrant != nil && !*obs.InGrant:
				// Unticked at a later login: the grant says why the token died.
				r = PageNotGranted
			}
			return Diagnosis{Status: Invalid, Reason: r, Definitive: true}
		}
		if ge.Class() == graph.ClassPermission || missingPermissionWords(ge) {
			return Diagnosis{Status: Invalid, Reason: PermissionMissing, Definitive: true}
		}
	}
	if obs.PageID == "" && userDead != ReasonNone {
		// No Page: the diagnosis is about the person's user token alone.
		return Diagnosis{Status: Invalid, Reason: userDead, Definitive: true}
	}
	if obs.Probe != nil {
		return Diagnosis{Status: Unknown, Reason: noVerdict(obs.Probe)}
	}

	// The Page token works: everything below is a warning, but for a Page
	// the person left out of their grant (unticked at a later login):
	// Facebook says Pagekeeper may no longer use it, so it is over.
	d := Diagnosis{Status: Valid, Definitive: true}
	d.Features, d.MissingPermissions, d.MissingTasks = matrix(obs)
	warn := func(r Reason) Diagnosis { d.Status, d.Reason = Warning, r; return d }
	switch {
	case obs.InGrant != nil && !*obs.InGrant:
		d.Status, d.Reason = Invalid, PageNotGranted
		return d
	case userDead != ReasonNone:
		return warn(userDead)
	case obs.UserToken != nil && !obs.UserToken.IsValid:
		return warn(TokenInvalid)
	case obs.HasRole != nil && !*obs.HasRole:
		return warn(RoleLost)
	case len(d.MissingPermissions) > 0:
		return warn(PermissionMissing)
	case len(d.MissingTasks) > 0:
		return warn(TaskMissing)
	}
	if until, r := expiry(obs); r != ReasonNone {
		d.Until = until
		return warn(r)
	}
	// Missed events (webhooks) before a lost Instagram link.
	for _, r := range []struct {
		feature string
		reason  Reason
	}{{FeatureWebhooks, WebhooksUnsubscribed}, {FeatureInstagram, InstagramUnlinked}} {
		for _, f := range d.Features {
			if f.Name == r.feature && !f.OK && wanted(obs, f.Name) {
				return warn(r.reason)
			}
		}
	}
	return d
}

// noVerdict says why a probe gave no verdict: a rate limit, no answer at
// all, or an answer that was not a verdict on the Page.
func noVerdict(err error) Reason {
	var ge *graph.Error
	if errors.As(err, &ge) {
		if ge.IsRateLimit() {
			return RateLimited
		}
		return UnexpectedAnswer
	}
	var ue *graph.UnavailableError
	if errors.As(err, &ue) && ue.Arrived() {
		return UnexpectedAnswer // an answer arrived: an error page, a cut-off body, not the Page
	}
	return Unreachable
}

// pageGone: Facebook says the Page is not there: code 100 with subcode 33
// ("Unsupported get request. Object with ID ... does not exist, cannot be
// loaded due to missing permissions, or does not support this operation";
// samples 18 and 33 are the same answer without the subcode), code 33
// ("This object does not exist or does not support this action"), code 803
// ("Some of the aliases you requested do not exist: 77"), or a token
// that "belongs to a Page that has been deleted". Asked with the Page's own
// token, "missing permissions" cannot be it: reading a Page's id and name
// needs none. Other code 100 answers (a bad parameter) say nothing about
// the Page.
func pageGone(e *graph.Error) bool {
	msg := strings.ToLower(e.Message)
	switch {
	case e.Code == 33, e.Code == 100 && e.Subcode == 33, e.Code == 803:
		return true
	case strings.Contains(msg, "belongs to a page that has been deleted"),
		// Code 803, also seen with the code only in the message.
		strings.Contains(msg, "aliases you requested do not exist"):
		return true
	}
	return e.Code == 100 && (strings.Contains(msg, "does not exist") || strings.Contains(msg, "unsupported get request"))
}

// permissionName matches Meta's permission names as messages spell them
// ("requires the 'pages_read_engagement' permission", "Any of the
// pages_read_engagement, pages_manage_metadata ... permission(s) must be
// granted").
var permissionName = regexp.MustCompile(`\b(?:pages|instagram|whatsapp|ads|publish|threads)_[a-z_]+\b|\b(?:read_insights|business_management|public_profile|manage_pages|read_page_mailboxes|leads_retrieval|catalog_management)\b`)

// namedPermissions lists the permissions an error's message says are
// missing; nil when it names none.
func namedPermissions(e *graph.Error) []string {
	msg := e.Message + " " + e.UserMsg
	lower := strings.ToLower(msg)
	if !strings.Contains(lower, "permission") {
		return nil
	}
	var out []string
	for _, m := range permissionName.FindAllString(lower, -1) {
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// missingPermissionWords: a message that says permissions are missing,
// other than the "does not exist, cannot be loaded due to missing
// permissions, or does not support this operation" of every unknown object.
func missingPermissionWords(e *graph.Error) bool {
	msg := strings.ToLower(e.Message)
	msg = strings.ReplaceAll(msg, "cannot be loaded due to missing permissions", "")
	return strings.Contains(msg, "missing permission") || strings.Contains(msg, "missing the permission")
}

// deadReason maps a login-recoverable error to its reason; "" for other errors.
func deadReason(e *graph.Error) Reason {
	if e == nil || !e.IsLoginRecoverable() {
		return ReasonNone
	}
	if e.IsCheckpoint() {
		return AccountCheckpointed // 459, 490 or any other: reconnecting cannot work before the person acts
	}
	if e.Code == 102 {
		return TokenInvalid
	}
	switch e.Subcode {
	case graph.SubcodePasswordChanged:
		return PasswordChanged
	case graph.SubcodeAppNotInstalled:
		return AppRemoved
	case graph.SubcodeSessionExpired:
		return SessionExpired
	case graph.SubcodeUnconfirmedUser:
		return AccountUnconfirmed
	case graph.SubcodeNoPageRole:
		return RoleLost
	case graph.SubcodeAppInactive:
		return DataAccessExpired
	case 0:
		return byMessage(e.Message)
	}
	return TokenInvalid
}

// messageReasons refine a 190 that came without a subcode (FACEBOOK.md §10,
// samples 08 and 09): the messages are those of the subcoded answers.
var messageReasons = []struct {
	phrase string
	reason Reason
}{
	{"changed their password", PasswordChanged},
	{"changed the session for security", PasswordChanged},
	{"session has expired", SessionExpired},
	{"has not authorized application", AppRemoved},
	{"in order to impersonate it", RoleLost},
	{"hasn't engaged the app", DataAccessExpired},
	{"not a confirmed user", AccountUnconfirmed},
	{"log in to www.facebook.com", AccountCheckpointed},
}

func byMessage(msg string) Reason {
	msg = strings.ToLower(msg)
	for _, m := range messageReasons {
		if strings.Contains(msg, m.phrase) {
			return m.reason
		}
	}
	return TokenInvalid
}

// tokenError is debug_token's verdict on a token as an error: its
// data.error, or a bare 190 when it says invalid without one; nil when valid.
func tokenError(t *graph.TokenInfo) *graph.Error {
	switch {
	case t == nil || t.IsValid:
		return nil
	case t.Error != nil:
		return t.Error
	}
	return &graph.Error{Code: 190, HTTPStatus: 200, Message: "debug_token: is_valid false"}
}

// asError keeps a nil *graph.Error from becoming a non-nil error.
func asError(e *graph.Error) error {
	if e == nil {
		return nil
	}
	return e
}

// expiry finds the earliest end of access within the warning window: the
// expiry of a token (zero = never) or its data access. An end already past
// (debug_token data from before it) is a warning too, not a verdict:
// session_expired for a token, data_access_expired for data access (pages_*
// permissions do not lapse with it, the others do: FACEBOOK.md §2).
func expiry(obs Observation) (time.Time, Reason) {
	window := obs.WarnWindow
	if window <= 0 {
		window = DefaultWarnWindow
	}
	limit := obs.Now.Add(window)
	var first time.Time
	reason := ReasonNone
	consider := func(t time.Time, past Reason) {
		if t.IsZero() || t.After(limit) || (!first.IsZero() && !t.Before(first)) {
			return
		}
		first, reason = t, ExpiringSoon
		if !t.After(obs.Now) {
			reason = past
		}
	}
	for _, t := range []*graph.TokenInfo{obs.UserToken, obs.PageToken} {
		if t != nil && t.IsValid {
			consider(t.ExpiresAt, SessionExpired)
			consider(t.DataAccessExpiresAt, DataAccessExpired)
		}
	}
	return first, reason
}

// InGrant reports whether pageID is among the Pages a token was granted for
// (granular_scopes target_ids of the page scopes, as connect reads them);
// nil when the grant is not limited to chosen Pages (pages_show_list lists
// no targets): then nothing can be said.
func InGrant(t *graph.TokenInfo, pageID string) *bool {
	if t == nil {
		return nil
	}
	return InPageGrant(t.PageGrant(), pageID)
}

// InPageGrant is InGrant with the grant gathered once for all of a person's
// Pages (a check asks it for each one).
func InPageGrant(g graph.PageGrant, pageID string) *bool {
	in, limited := g.Has(pageID)
	if !limited {
		return nil
	}
	return &in
}

func scopes(obs Observation) []string {
	switch {
	case obs.Granted != nil:
		return obs.Granted
	case obs.PageToken != nil && obs.PageToken.IsValid:
		return obs.PageToken.Scopes
	case obs.UserToken != nil && obs.UserToken.IsValid:
		return obs.UserToken.Scopes
	}
	return nil
}

func wanted(obs Observation, name string) bool {
	if obs.Wanted != nil {
		for _, w := range obs.Wanted {
			if w == name {
				return true
			}
		}
		return false
	}
	switch name {
	case FeatureInstagram:
		return obs.HadInstagram
	case FeatureWebhooks:
		return obs.WebhooksSubscribed != nil
	}
	return true
}

// matrix evaluates every feature, and collects what the wanted ones miss.
func matrix(obs Observation) (fs []Feature, perms, tasks []string) {
	in := featureInput{instagramLinked: obs.InstagramLinked, webhooks: obs.WebhooksSubscribed}
	if s := scopes(obs); s != nil {
		in.scopes = set(s)
	}
	if obs.Tasks != nil {
		in.tasks = set(obs.Tasks)
	}
	for _, n := range features {
		f, p, t := n.evaluate(in)
		fs = append(fs, f)
		if wanted(obs, n.name) {
			perms = append(perms, p...)
			tasks = append(tasks, t...)
		}
	}
	return fs, uniq(perms), uniq(tasks)
}

func uniq(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	sort.Strings(s)
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// Merge keeps the last confirmed state when a check gave no definitive
// answer: an unknown diagnosis never overwrites a known status.
func Merge(prev Status, prevReason Reason, next Diagnosis) (Status, Reason) {
	if next.Status == Unknown && prev != "" && prev != Unknown {
		return prev, prevReason
	}
	return next.Status, next.Reason
}
