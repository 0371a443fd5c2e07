package health

import "strings"

// Action is a repair Pagekeeper offers: a button in the window and a
// command on the command line. A reason's fix may name only its own actions
// (words_test.go checks), so the owner never reads of a button that is not there.
type Action string

const (
	ActionReconnect    Action = "reconnect"     // a new login of the person who connected the Page
	ActionResubscribe  Action = "resubscribe"   // POST /{page-id}/subscribed_apps, then a check
	ActionAskAdmin     Action = "ask_admin"     // a ready message for a Page admin
	ActionOpenFacebook Action = "open_facebook" // the Facebook settings page for the fix
	ActionCheckAgain   Action = "check_again"   // re-read everything about the Page
	ActionConnect      Action = "connect"       // the connect wizard, for a disconnected Page
	ActionDisconnect   Action = "disconnect"    // stop watching a Page that is gone
	ActionCheckNow     Action = "check_now"     // check every Page (a problem of the Meta app, not of a Page)
)

// ActionSpec is how an action shows: the button's label (the word a fix
// says after "click") and the command that does the same on the command
// line, with {page} for the Page's ID.
type ActionSpec struct {
	Label   string
	Command string
}

// ActionSpecs lists every action that exists; nothing else may be named.
var ActionSpecs = map[Action]ActionSpec{
	ActionReconnect:    {"Reconnect", "pagekeeper reconnect {page}"},
	ActionResubscribe:  {"Turn events back on", "pagekeeper resubscribe {page}"},
	ActionAskAdmin:     {"Ask an admin", "pagekeeper ask-admin {page}"},
	ActionOpenFacebook: {"Open in Facebook", "pagekeeper open-facebook {page}"},
	ActionCheckAgain:   {"Check again", "pagekeeper check"},
	ActionConnect:      {"Connect", "pagekeeper connect"},
	ActionDisconnect:   {"Disconnect", "pagekeeper disconnect {page}"},
	ActionCheckNow:     {"Check now", "pagekeeper check"},
}

// Command is the command line for an action on a Page.
func (a Action) Command(pageID string) string {
	return strings.ReplaceAll(ActionSpecs[a].Command, "{page}", pageID)
}

// Label is the button's words.
func (a Action) Label() string { return ActionSpecs[a].Label }

// Link names a Facebook settings page a fix sends the owner to.
type Link string

const (
	LinkNone                 Link = ""
	LinkBusinessIntegrations Link = "business_integrations"
	LinkPageAccess           Link = "page_access"
	LinkAccountCheckpoint    Link = "account_checkpoint"
	LinkAccountConfirm       Link = "account_confirm"
	LinkInstagram            Link = "instagram_linked_accounts"
	LinkPage                 Link = "page" // the Page itself; {page} is its ID
)

// Links is THE table of Facebook addresses Pagekeeper opens, checked against
// Meta's help pages and current use on 2026-11-27:
//   - Business Integrations: facebook.com/help/405094243235242 ("Settings,
//     Business Integrations": where a removed app shows as Removed).
//   - Page access: the New Pages experience's "Page access" (Settings, Page
//     access) for the Page one has switched into; Classic Pages show Page roles there.
//   - A checkpoint: Facebook's 190/459 message says to log in at
//     www.facebook.com and follow the instructions, which the login page shows.
//   - An unconfirmed account: confirmemail.php is where Facebook asks for the code.
//   - Instagram: Settings, Linked accounts, Instagram of the Page.
//   - A Page: facebook.com/{page-id} opens the Page (or says it is gone).
var Links = map[Link]string{
	LinkBusinessIntegrations: "https://www.facebook.com/settings?tab=business_tools",
	LinkPageAccess:           "https://www.facebook.com/settings/?tab=profile_access",
	LinkAccountCheckpoint:    "https://www.facebook.com/login/",
	LinkAccountConfirm:       "https://www.facebook.com/confirmemail.php",
	LinkInstagram:            "https://www.facebook.com/settings/?tab=linked_profiles&setting_id=linked_profiles_instagram",
	LinkPage:                 "https://www.facebook.com/{page}",
}

// Repair is what the owner can do about a status and reason: the actions,
// main one first, and the Facebook page Open in Facebook opens.
type Repair struct {
	Actions []Action
	URL     string // for ActionOpenFacebook, with {page} for the Page's ID; "" when not offered
}

// PageURL fills in the Page's ID.
func (r Repair) PageURL(pageID string) string { return strings.ReplaceAll(r.URL, "{page}", pageID) }

// RepairFor gives the actions of a status and reason (none when all is well).
func RepairFor(status Status, reason Reason) Repair {
	key := reason
	if status == Disconnected {
		key = reasonDisconnected
	}
	if status == Valid && reason == ReasonNone {
		return Repair{}
	}
	t, ok := words[key]
	if !ok {
		t = fallbackWording
	}
	return Repair{Actions: append([]Action(nil), t.actions...), URL: Links[t.link]}
}

// Has reports whether a repair offers an action.
func (r Repair) Has(a Action) bool {
	for _, x := range r.Actions {
		if x == a {
			return true
		}
	}
	return false
}
