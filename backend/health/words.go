package health

import (
	"errors"
	"strings"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

// Words fills the plain-language templates.
type Words struct {
	Person  string    // who connected the Page ("Dana")
	Page    string    // the Page's name
	Missing []string  // permissions or tasks, for permission_missing / task_missing
	Until   time.Time // when access ends, for expiring_soon
	// AppIssue picks the words of meta_app_problem; "" gives the general ones.
	AppIssue graph.AppIssue
}

// wording is a reason's words and its repair: the actions offered, main
// one first, and the Facebook page "Open in Facebook" opens.
type wording struct {
	summary, fix string
	actions      []Action
	link         Link
}

// reasonDisconnected keys the words of the disconnected status, which has no Reason.
const reasonDisconnected Reason = "\x00disconnected"

var (
	reconnect   = []Action{ActionReconnect}
	adminFix    = []Action{ActionAskAdmin, ActionOpenFacebook, ActionCheckAgain}
	accountFix  = []Action{ActionOpenFacebook, ActionReconnect}
	nothingToDo = []Action{ActionCheckAgain}
	checkNow    = []Action{ActionCheckNow}
)

// words is THE table of plain words: every reason's summary, fix and
// actions. A fix names a button only as "click <Label>", and only a button
// of its own actions (words_test.go). Fields: {person}, {person's}, {page},
// {missing}, {until}.
var words = map[Reason]wording{
	ReasonNone: {summary: "Pagekeeper's access to {page} works."},
	reasonDisconnected: {"{page} is not connected to Pagekeeper, so nobody is watching it.",
		"Click Connect and log in as someone who manages {page}.", []Action{ActionConnect}, LinkNone},
	PasswordChanged: {"{person's} Facebook password was changed (or Facebook reset the login for security), which ended Pagekeeper's access to {page}.",
		"Click Reconnect and log in as {person} with the new password.", reconnect, LinkNone},
	AppRemoved: {"{person} removed Pagekeeper's app from their Facebook account, which ended its access to {page}.",
		"Click Reconnect, log in as {person} and allow the app again. To see the apps {person} allows, click Open in Facebook (Business Integrations).",
		[]Action{ActionReconnect, ActionOpenFacebook}, LinkBusinessIntegrations},
	SessionExpired: {"{person's} Facebook login for Pagekeeper has expired, so Pagekeeper can no longer reach {page} through it.",
		"Click Reconnect and log in as {person}.", reconnect, LinkNone},
	AccountCheckpointed: {"Facebook has locked {person's} account for a security check, which stops Pagekeeper's access to {page}.",
		"{person} should click Open in Facebook, log in and follow Facebook's instructions (Reconnect cannot work before that); then click Check again, and click Reconnect only if {page} still does not work.",
		[]Action{ActionOpenFacebook, ActionCheckAgain, ActionReconnect}, LinkAccountCheckpoint},
	AccountUnconfirmed: {"{person's} Facebook account is not confirmed, so Facebook refuses Pagekeeper's access to {page}.",
		"{person} should click Open in Facebook and confirm the account, then click Reconnect.", accountFix, LinkAccountConfirm},
	RoleLost: {"{person} no longer has a role on {page} that lets Pagekeeper act for it.",
		"Click Ask an admin for a ready message asking an admin of {page} to give {person} access to the Page again (an admin can click Open in Facebook for the Page access settings); once they have, click Reconnect and log in as {person}.",
		[]Action{ActionAskAdmin, ActionOpenFacebook, ActionReconnect}, LinkPageAccess},
	DataAccessExpired: {"{person} has not used Pagekeeper's Facebook app for 90 days, so Facebook has stopped its data access to {page}.",
		"Click Reconnect and log in as {person} to renew data access.", reconnect, LinkNone},
	TokenInvalid: {"Facebook no longer accepts Pagekeeper's access to {page}: it was revoked or has become invalid.",
		"Click Reconnect and log in as {person}.", reconnect, LinkNone},
	PageNotGranted: {"{page} is no longer among the Pages {person} allowed Pagekeeper to use.",
		"Click Reconnect, log in as {person}, choose Edit access in Facebook's dialog and tick {page}.", reconnect, LinkNone},
	PermissionMissing: {"Pagekeeper lacks Facebook permissions it needs for {page}: {missing}.",
		"Click Reconnect, log in as {person} and allow every permission Pagekeeper asks for ({missing}).", reconnect, LinkNone},
	TaskMissing: {"{person's} role on {page} does not include: {missing}.",
		"Click Ask an admin for a ready message asking an admin of {page} to give {person} that access (an admin can click Open in Facebook for the Page access settings); once they have, click Check again.",
		adminFix, LinkPageAccess},
	ExpiringSoon: {"Pagekeeper's access to {page} through {person} ends on {until}.",
		"Click Reconnect and log in as {person} before then to renew it.", reconnect, LinkNone},
	WebhooksUnsubscribed: {"{page} no longer sends its events (such as new messages) to Pagekeeper's app.",
		"Click Resubscribe to have Facebook send the events of {page} to Pagekeeper's app again; if Facebook refuses, click Reconnect and log in as {person}.",
		[]Action{ActionResubscribe, ActionReconnect}, LinkNone},
	InstagramUnlinked: {"The Instagram account that was linked to {page} is no longer connected to it.",
		"Click Open in Facebook and link the Instagram account to {page} again (Linked accounts), then click Reconnect and log in as {person} so Pagekeeper may use it.",
		[]Action{ActionReconnect, ActionOpenFacebook}, LinkInstagram},
	Unreachable: {"Pagekeeper could not reach Facebook to check {page}; it keeps the last known state and will try again.",
		"Nothing to do for now. If this lasts, check this computer's internet connection, then click Check again.", nothingToDo, LinkNone},
	UnexpectedAnswer: {"Facebook answered, but its answer did not say whether Pagekeeper's access to {page} works (Facebook may have had a temporary problem); Pagekeeper keeps the last known state and will try again.",
		"Nothing to do for now: Pagekeeper checks again by itself, or click Check again.", nothingToDo, LinkNone},
	RateLimited: {"Facebook asked Pagekeeper to slow down, so {page} was not checked this time.",
		"Nothing to do: Pagekeeper checks again later by itself.", nil, LinkNone},
	PageGone: {"Facebook says {page} does not exist any more, or can no longer be reached with {person's} access (it may have been deleted, unpublished or merged into another Page).",
		"Click Open in Facebook to look at {page} as {person}. If it is gone, click Disconnect to stop watching it; if it is still there, click Reconnect and log in as {person}.",
		[]Action{ActionOpenFacebook, ActionDisconnect, ActionReconnect}, LinkPage},
	MetaAppProblem: {"Facebook refuses your Meta app (the one whose App ID Pagekeeper uses), so Pagekeeper could not check your Pages; their last known state is kept.",
		"Open your app in the App Dashboard (developers.facebook.com/apps), compare its App ID and App Secret (App settings > Basic) with Pagekeeper's Settings, then click Check now.",
		checkNow, LinkNone},
}

// appWords are meta_app_problem's words for each thing Facebook said is
// wrong with the app: the exact App Dashboard setting to change. They speak
// of the app, not of one Page: the window shows them once, above the list.
var appWords = map[graph.AppIssue]wording{
	graph.AppProofRequired: {"Your Meta app requires an App Secret proof on every call (its Require App Secret setting is on) and Facebook refused a call without one, so Pagekeeper could not check your Pages; their last known state is kept.",
		"In the App Dashboard (developers.facebook.com/apps), open your app, go to App settings > Advanced > Security and turn off Require App Secret, or enter the app's current App Secret in Pagekeeper's Settings. Then click Check now.",
		checkNow, LinkNone},
	graph.AppSecretMismatch: {"Facebook no longer accepts the App Secret Pagekeeper holds for your Meta app (it was probably reset), so Pagekeeper could not check your Pages; their last known state is kept.",
		"In the App Dashboard (developers.facebook.com/apps), open your app, go to App settings > Basic, press Show next to App Secret and paste it into Pagekeeper's Settings (Meta app). Then click Check now.",
		checkNow, LinkNone},
	graph.AppNotLive: {"Your Meta app is in Development mode, where Facebook lets only people with a role on the app use it, so it refused {person's} access and Pagekeeper could not check {person's} Pages.",
		"In the App Dashboard (developers.facebook.com/apps), open your app and either add {person} under App roles > Roles, or switch App Mode from Development to Live. Then click Check now.",
		checkNow, LinkNone},
	graph.AppUnknown: {"Facebook does not know the App ID Pagekeeper uses: your Meta app was deleted, or the ID is wrong. Pagekeeper could not check your Pages; their last known state is kept.",
		"In the App Dashboard (developers.facebook.com/apps), check that your app still exists and that its App ID (App settings > Basic) is the one in Pagekeeper's Settings. If the app was deleted, create a new one, enter its App ID and App Secret in Settings, and reconnect each person. Then click Check now.",
		checkNow, LinkNone},
}

// fallbackWording covers a stored reason this build does not know.
var fallbackWording = wording{"Pagekeeper found a problem with {page}.", "Click Reconnect and log in as {person}, then click Check again.",
	[]Action{ActionReconnect, ActionCheckAgain}, LinkNone}

// Describe returns the summary and fix for a status and reason, e.g. to
// render a stored status again. Unknown reasons get generic words.
func Describe(status Status, reason Reason, w Words) (summary, fix string) {
	key := reason
	if status == Disconnected {
		key = reasonDisconnected
	}
	t, ok := words[key]
	if a, found := appWords[w.AppIssue]; found && reason == MetaAppProblem {
		t = a
	}
	if !ok {
		t = fallbackWording
		t.summary = "Pagekeeper found a problem with {page} (" + string(reason) + ")."
	}
	f := w.fields()
	return capitalize(f.fill(t.summary)), capitalize(f.fill(t.fix))
}

// capitalize starts a sentence that begins with a filled-in field ("the person who ...").
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fields are the values of a wording's {placeholders}.
type fields struct{ possessive, person, page, missing, until string }

// fill puts the fields into text. A check fills two sentences per Page, so
// this is a plain scan rather than a strings.Replacer built per call.
func (f fields) fill(text string) string {
	if !strings.Contains(text, "{") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 64)
	for {
		open := strings.IndexByte(text, '{')
		if open < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:open])
		text = text[open:]
		end := strings.IndexByte(text, '}')
		v, ok := "", false
		if end > 0 {
			v, ok = f.value(text[:end+1])
		}
		if !ok {
			b.WriteByte('{')
			text = text[1:]
			continue
		}
		b.WriteString(v)
		text = text[end+1:]
	}
}

func (f fields) value(key string) (string, bool) {
	switch key {
	case "{person's}":
		return f.possessive, true
	case "{person}":
		return f.person, true
	case "{page}":
		return f.page, true
	case "{missing}":
		return f.missing, true
	case "{until}":
		return f.until, true
	}
	return "", false
}

func (w Words) fields() fields {
	person, possessive := w.Person, w.Person+"'s"
	if person == "" {
		person, possessive = "the person who connected it", "the connecting person's"
	}
	page := w.Page
	switch {
	case page == "" && w.Person != "":
		page = possessive + " Pages" // a diagnosis of the person, not of one Page
	case page == "":
		page = "this Page"
	}
	labels := make([]string, len(w.Missing))
	for i, m := range w.Missing {
		labels[i] = "“" + Label(m) + "”"
	}
	missing := strings.Join(labels, ", ")
	if missing == "" {
		missing = "some access"
	}
	until := "a date Facebook did not give"
	if !w.Until.IsZero() {
		until = w.Until.Format("January 2, 2006")
	}
	return fields{possessive: possessive, person: person, page: page, missing: missing, until: until}
}

// Explain is Describe for a stored reason of a non-disconnected Page; its
// shape (plain strings) lets packages take it as a function value.
func Explain(reason, person, page string) (summary, fix string) {
	return Describe(Valid, Reason(reason), Words{Person: person, Page: page})
}

// Summary is Explain's summary alone.
func Summary(reason Reason, person, page string) string {
	s, _ := Explain(string(reason), person, page)
	return s
}

// AppProblem explains err when Facebook refused the owner's Meta app in it
// (graph.AppIssue), for places that show one error rather than a Page's
// diagnosis (a login that could not finish, a check that failed as a whole).
// ok is false for any other error.
func AppProblem(err error) (summary, fix string, ok bool) {
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.AppIssue() == graph.AppOK {
		return "", "", false
	}
	summary, fix = Describe(Unknown, MetaAppProblem, Words{AppIssue: ge.AppIssue()})
	return summary, fix, true
}
