package sandbox

import "slices"

// The seed business: Harbor Street Bakery, a small family business run by
// Dana Whitfield (owner, admin of the sandbox app) and Sam Ortiz (social
// media manager, tester of the app). The Pages cover what Pagekeeper must
// tell apart: full and partial task sets, two Instagram accounts, a Page
// reachable only through a Business Portfolio and one Page without webhooks.

// Task names as Facebook spells them in /me/accounts.
const (
	TaskManage        = "MANAGE"
	TaskCreateContent = "CREATE_CONTENT"
	TaskModerate      = "MODERATE"
	TaskMessaging     = "MESSAGING"
	TaskAdvertise     = "ADVERTISE"
	TaskAnalyze       = "ANALYZE"
)

// Stable ids of the seed data, for tests of other packages.
const (
	DanaID = "122098765432101"
	SamID  = "122098765432202"

	PageBakery    = "104518538110001" // Harbor Street Bakery: Dana full, Sam partial, Instagram
	PageCatering  = "104518538110002" // Harbor Street Catering: Dana full
	PageCafe      = "104518538110003" // Little Harbor Café: Dana full, Sam ads, Instagram
	PageEastside  = "104518538110004" // Eastside: Dana without CREATE_CONTENT
	PageClasses   = "104518538110005" // Baking Classes: not subscribed to webhooks
	PageJobs      = "104518538110006" // Harbor Street Jobs: analyst only
	PageWholesale = "104518538110007" // Harbor Foods Wholesale: only through the Business Portfolio

	IGBakery = "17841400478070001"
	IGCafe   = "17841400478070003"

	BusinessID = "901234567890123" // Harbor Foods LLC, the Business Portfolio

	DefaultAppID   = "584930217765432"
	DefaultAppName = "Pagekeeper Sandbox"
)

var allTasks = []string{TaskAnalyze, TaskAdvertise, TaskMessaging, TaskModerate, TaskCreateContent, TaskManage}

// Persona is a Facebook user of the sandbox.
type Persona struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// AppRole is the persona's role on the sandbox app: "administrator" may
	// call debug_token with its own token, "tester" may only log in.
	AppRole string `json:"app_role"`
}

// Page is a Facebook Page of the seed business.
type Page struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Category     string   `json:"category"`
	CategoryID   string   `json:"category_id"`
	IGID         string   `json:"instagram_business_account_id,omitempty"`
	IGUsername   string   `json:"instagram_username,omitempty"`
	BusinessID   string   `json:"business_id,omitempty"`
	Link         string   `json:"link"`
	SubscribedTo []string `json:"subscribed_fields,omitempty"` // the sandbox app's webhook fields; empty = not subscribed
}

// role is a persona's role on a Page. viaBusiness roles come from a
// Business Portfolio: Facebook lists such Pages in granular_scopes but not
// in /me/accounts.
type role struct {
	tasks       []string
	viaBusiness bool
}

func seedPersonas() []Persona {
	return []Persona{
		{ID: DanaID, Name: "Dana Whitfield", AppRole: "administrator"},
		{ID: SamID, Name: "Sam Ortiz", AppRole: "tester"},
	}
}

func seedPages() []*Page {
	sub := func() []string { return []string{"feed", "messages"} }
	return []*Page{
		{ID: PageBakery, Name: "Harbor Street Bakery", Category: "Bakery", CategoryID: "2203", IGID: IGBakery, IGUsername: "harborstreetbakery", Link: "https://www.facebook.com/104518538110001", SubscribedTo: sub()},
		{ID: PageCatering, Name: "Harbor Street Catering", Category: "Caterer", CategoryID: "2209", Link: "https://www.facebook.com/104518538110002", SubscribedTo: sub()},
		{ID: PageCafe, Name: "Little Harbor Café", Category: "Coffee shop", CategoryID: "1665", IGID: IGCafe, IGUsername: "littleharborcafe", Link: "https://www.facebook.com/104518538110003", SubscribedTo: sub()},
		{ID: PageEastside, Name: "Harbor Street Bakery – Eastside", Category: "Bakery", CategoryID: "2203", Link: "https://www.facebook.com/104518538110004", SubscribedTo: sub()},
		{ID: PageClasses, Name: "Dana's Baking Classes", Category: "Cooking school", CategoryID: "2606", Link: "https://www.facebook.com/104518538110005"},
		{ID: PageJobs, Name: "Harbor Street Jobs", Category: "Company", CategoryID: "2200", Link: "https://www.facebook.com/104518538110006", SubscribedTo: sub()},
		{ID: PageWholesale, Name: "Harbor Foods Wholesale", Category: "Wholesale & supply store", CategoryID: "2501", BusinessID: BusinessID, Link: "https://www.facebook.com/104518538110007", SubscribedTo: sub()},
	}
}

// seedRoles: persona id -> page id -> role. Order of pages in /me/accounts
// follows seedPages.
func seedRoles() map[string]map[string]*role {
	// Clone: roles are edited by scenarios (task_removed) and must not share
	// allTasks' backing array with each other or with other servers.
	t := func(ts ...string) []string { return slices.Clone(ts) }
	return map[string]map[string]*role{
		DanaID: {
			PageBakery:    {tasks: t(allTasks...)},
			PageCatering:  {tasks: t(allTasks...)},
			PageCafe:      {tasks: t(allTasks...)},
			PageEastside:  {tasks: t(TaskAnalyze, TaskAdvertise, TaskMessaging, TaskModerate)},
			PageClasses:   {tasks: t(allTasks...)},
			PageJobs:      {tasks: t(TaskAnalyze)},
			PageWholesale: {tasks: t(TaskAnalyze, TaskAdvertise, TaskMessaging, TaskModerate, TaskCreateContent, TaskManage), viaBusiness: true},
		},
		SamID: {
			PageBakery: {tasks: t(TaskAnalyze, TaskMessaging, TaskModerate, TaskCreateContent)},
			PageCafe:   {tasks: t(TaskAnalyze, TaskAdvertise)},
			PageJobs:   {tasks: t(TaskAnalyze, TaskMessaging, TaskModerate, TaskCreateContent)},
		},
	}
}

// knownScopes are the permissions the dialog accepts; anything else gets
// Facebook's "Invalid Scopes" page.
var knownScopes = map[string]bool{
	"public_profile": true, "email": true, "openid": true,
	"pages_show_list": true, "pages_read_engagement": true, "pages_manage_metadata": true,
	"pages_messaging": true, "pages_manage_posts": true, "pages_read_user_content": true,
	"pages_manage_engagement": true, "business_management": true, "read_insights": true,
	"instagram_basic": true, "instagram_manage_messages": true, "instagram_manage_comments": true,
	"instagram_manage_insights": true, "instagram_content_publish": true,
	"ads_read": true, "ads_management": true,
}

// pageScoped scopes carry Page ids as granular_scopes target_ids;
// igScoped ones carry Instagram account ids. Chosen from sample 23 (which
// shows pages_show_list with Page ids and instagram_* with IG ids); whether
// Facebook lists target_ids for every page scope is unverified: the sandbox
// always lists them.
func pageScoped(s string) bool {
	switch s {
	case "pages_show_list", "pages_read_engagement", "pages_manage_metadata", "pages_messaging",
		"pages_manage_posts", "pages_read_user_content", "pages_manage_engagement", "read_insights":
		return true
	}
	return false
}

func igScoped(s string) bool {
	switch s {
	case "instagram_basic", "instagram_manage_messages", "instagram_manage_comments",
		"instagram_manage_insights", "instagram_content_publish":
		return true
	}
	return false
}

// userLevel scopes never appear in granular_scopes (samples 23 and 26).
func userLevel(s string) bool { return s == "public_profile" || s == "email" || s == "openid" }
