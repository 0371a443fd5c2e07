package health

import (
	"strings"
	"time"
)

// Words fills the plain-language templates.
type Words struct {
	Person  string    // who connected the Page ("Dana")
	Page    string    // the Page's name
	Missing []string  // permissions or tasks, for permission_missing / task_missing
	Until   time.Time // when access ends, for expiring_soon
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
		"{person} should click Open in Facebook, log in and follow Facebook's instructions, then click Reconnect.", accountFix, LinkAccountCheckpoint},
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
		"Click Resubscribe to subscribe the app to the events of {page} again; if Facebook refuses, click Reconnect and log in as {person}.",
		[]Action{ActionResubscribe, ActionReconnect}, LinkNone},
	InstagramUnlinked: {"The Instagram account that was linked to {page} is no longer connected to it.",
		"Click Open in Facebook and link the Instagram account to {page} again (Linked accounts), then click Reconnect and log in as {person} so Pagekeeper may use it.",
		[]Action{ActionReconnect, ActionOpenFacebook}, LinkInstagram},
	Unreachable: {"Pagekeeper could not get a clear answer from Facebook about {page}; it keeps the last known state and will try again.",
		"Nothing to do for now. If this lasts, check this computer's internet connection, then click Check again.", nothingToDo, LinkNone},
	RateLimited: {"Facebook asked Pagekeeper to slow down, so {page} was not checked this time.",
		"Nothing to do: Pagekeeper checks again later by itself.", nil, LinkNone},
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
	if !ok {
		t = fallbackWording
		t.summary = "Pagekeeper found a problem with {page} (" + string(reason) + ")."
	}
	r := w.replacer()
	return capitalize(r.Replace(t.summary)), capitalize(r.Replace(t.fix))
}

// capitalize starts a sentence that begins with a filled-in field ("the person who ...").
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (w Words) replacer() *strings.Replacer {
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
	missing := strings.Join(w.Missing, ", ")
	if missing == "" {
		missing = "some access"
	}
	until := "a date Facebook did not give"
	if !w.Until.IsZero() {
		until = w.Until.Format("January 2, 2006")
	}
	return strings.NewReplacer("{person's}", possessive, "{person}", person, "{page}", page,
		"{missing}", missing, "{until}", until)
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
