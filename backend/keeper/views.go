package keeper

// The views are what the window sees: plain data, times as RFC 3339 strings
// ("" when unknown or never), and never a token or the app secret.

// Snapshot is the whole state the dashboard renders.
type Snapshot struct {
	Demo        bool          `json:"demo"`
	Configured  bool          `json:"configured"` // an App ID and its secret are set up
	AppID       string        `json:"appId"`
	AppName     string        `json:"appName"` // the Meta app's name, as Facebook gave it
	RedirectURI string        `json:"redirectUri"`
	Profiles    []ProfileView `json:"profiles"`
	Pages       []PageView    `json:"pages"`
	Counts      Counts        `json:"counts"`
	Check       CheckState    `json:"check"`
	// Seq numbers the snapshots the window was given; SnapshotChanges
	// apply to the one they name.
	Seq int64 `json:"seq"`
}

// SnapshotChanges is a snapshot as changes to the one numbered Base, sent
// after every check instead of the whole list (1.1 MB of JSON for 1,000
// Pages): the summary whole, of the Pages only what changed. Pages whose
// only change is the time of a check go by id in Stamps.
type SnapshotChanges struct {
	Base     int64         `json:"base"`
	Snapshot Snapshot      `json:"snapshot"` // Pages left empty
	Changed  []PageView    `json:"changed"`
	Removed  []string      `json:"removed"`
	Stamps   []StampChange `json:"stamps"`
}

// StampChange sets one time field (a PageView JSON name: checkedAt,
// rolesCheckedAt, webhooksCheckedAt) of the Pages IDs to At.
type StampChange struct {
	Field string   `json:"field"`
	At    string   `json:"at"`
	IDs   []string `json:"ids"`
}

// Counts sums the Pages per status.
type Counts struct {
	Total        int `json:"total"`
	Valid        int `json:"valid"`
	Warning      int `json:"warning"`
	Invalid      int `json:"invalid"`
	Unknown      int `json:"unknown"`
	Disconnected int `json:"disconnected"`
	// Expiring counts the warnings about the future (access ends on a date);
	// the other warnings are problems that exist now.
	Expiring int `json:"expiring"`
}

// CheckState tells whether a check runs, how far it is, and when the last one ran.
type CheckState struct {
	Running      bool   `json:"running"`
	Done         int    `json:"done"`
	Total        int    `json:"total"`
	LastStarted  string `json:"lastStarted"`
	LastFinished string `json:"lastFinished"`
	NextAt       string `json:"nextAt"`
	Error        string `json:"error"` // why the last check could not reach Facebook, if it could not
	// AppProblem: Facebook refused the owner's Meta app in the last check;
	// shown once, above the list. nil when the app is fine.
	AppProblem *AppProblemView `json:"appProblem"`
}

// AppProblemView is what is wrong with the owner's Meta app, in plain words.
type AppProblemView struct {
	Issue   string `json:"issue"` // proof_required, secret_mismatch, not_live, app_unknown or ""
	Summary string `json:"summary"`
	Fix     string `json:"fix"`
}

// ProfileView is a Facebook person whose login connects Pages.
type ProfileView struct {
	ID                  string   `json:"id"`
	Name                string   `json:"name"`
	Status              string   `json:"status"`
	Reason              string   `json:"reason"`
	Summary             string   `json:"summary"`
	Fix                 string   `json:"fix"`
	TokenExpiresAt      string   `json:"tokenExpiresAt"`
	DataAccessExpiresAt string   `json:"dataAccessExpiresAt"`
	Declined            []string `json:"declined"`
	PageCount           int      `json:"pageCount"`
}

// FeatureView is one row of a Page's feature matrix.
type FeatureView struct {
	Name    string `json:"name"`  // publishing, messenger, insights, instagram, webhooks
	Label   string `json:"label"` // "Publishing", "Messenger inbox", ...
	OK      bool   `json:"ok"`
	Missing string `json:"missing"` // what is missing, in words
}

// PageView is one row of the page list.
type PageView struct {
	ID                 string        `json:"id"`
	Name               string        `json:"name"`
	Category           string        `json:"category"`
	ProfileID          string        `json:"profileId"`
	ProfileName        string        `json:"profileName"`
	InstagramID        string        `json:"instagramId"`
	InstagramUsername  string        `json:"instagramUsername"`
	Status             string        `json:"status"` // valid | warning | invalid | unknown | disconnected
	Reason             string        `json:"reason"` // the stable reason code, "" when valid
	Summary            string        `json:"summary"`
	Fix                string        `json:"fix"`
	Tasks              []string      `json:"tasks"`
	Permissions        []string      `json:"permissions"`
	MissingPermissions []string      `json:"missingPermissions"`
	MissingTasks       []string      `json:"missingTasks"`
	Features           []FeatureView `json:"features"`
	WebhooksSubscribed *bool         `json:"webhooksSubscribed"`
	CheckedAt          string        `json:"checkedAt"` // access: the Page token and its Instagram link
	// The other aspects, read less often by periodic checks: the person's
	// login, permissions and tasks on the Page, and the Page's webhooks.
	RolesCheckedAt    string `json:"rolesCheckedAt"`
	WebhooksCheckedAt string `json:"webhooksCheckedAt"`
	UpdatedAt         string `json:"updatedAt"`
	ConnectedAt       string `json:"connectedAt"`
	// Actions are the repairs offered for the Page's problem, main one first.
	Actions []ActionView `json:"actions"`
}

// ActionView is one repair button: what it does (health.Action), its label,
// the same on the command line, and the Facebook address of Open in Facebook.
type ActionView struct {
	Kind    string `json:"kind"` // reconnect | resubscribe | ask_admin | open_facebook | check_again | connect | disconnect | check_now
	Label   string `json:"label"`
	Command string `json:"command"`
	URL     string `json:"url"`
}

// ActivityView is one entry of a Page's activity log.
type ActivityView struct {
	At       string `json:"at"`
	Kind     string `json:"kind"`
	Actor    string `json:"actor"`
	Details  string `json:"details"`  // as recorded, for support
	Sentence string `json:"sentence"` // what happened, in plain words
}

// StatusChangeView is one entry of a Page's status history.
type StatusChangeView struct {
	At     string `json:"at"`
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
}

// DayView is one band of the status timeline: the worst status a Page had that day.
type DayView struct {
	Date   string `json:"date"` // YYYY-MM-DD, local time
	Status string `json:"status"`
}

// PageDetail is what the Page detail view shows.
type PageDetail struct {
	Page     PageView           `json:"page"`
	Activity []ActivityView     `json:"activity"` // newest first
	History  []StatusChangeView `json:"history"`  // oldest first
	Timeline []DayView          `json:"timeline"` // the last 30 days, oldest first
}

// SettingsView is the editable settings, in the units the window shows.
type SettingsView struct {
	CheckIntervalMinutes int    `json:"checkIntervalMinutes"`
	NotifyInvalid        bool   `json:"notifyInvalid"`
	NotifyWarning        bool   `json:"notifyWarning"`
	ReminderHours        int    `json:"reminderHours"`
	WarnDays             int    `json:"warnDays"`
	RunInBackground      bool   `json:"runInBackground"`
	StartAtLogin         bool   `json:"startAtLogin"`
	AppID                string `json:"appId"`        // read-only here; set with SetupMetaApp
	HasAppSecret         bool   `json:"hasAppSecret"` // the secret itself never leaves the keychain
	RedirectPort         int    `json:"redirectPort"`
	RedirectURI          string `json:"redirectUri"`
}

// AppCheck is Facebook's answer about an App ID and secret: the app's name,
// or which value is wrong (Field: appId, appSecret, or "" when Facebook could
// not be reached) and what to do, said once.
type AppCheck struct {
	AppName string `json:"appName"`
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

// LoginStart is what the window needs while the person logs in in their browser.
type LoginStart struct {
	URL         string `json:"url"` // always shown too, for copying into another browser
	RedirectURI string `json:"redirectUri"`
	Mode        string `json:"mode"` // connect | reauthorize
}

// Candidate is a Page offered after a login, to be chosen in the wizard.
type Candidate struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Category           string   `json:"category"`
	InstagramUsername  string   `json:"instagramUsername"`
	Tasks              []string `json:"tasks"`
	MissingPermissions []string `json:"missingPermissions"`
	MissingTasks       []string `json:"missingTasks"`
	AlreadyConnected   bool     `json:"alreadyConnected"`
	ViaPortfolio       bool     `json:"viaPortfolio"` // reached through a Business Portfolio, not /me/accounts
	Selected           bool     `json:"selected"`     // preselected in the wizard
	// Who Pagekeeper watches the Page through now, if anyone: the person,
	// their tasks on it and the Page's status.
	WatchedByID   string   `json:"watchedById"`
	WatchedBy     string   `json:"watchedBy"`
	WatchedTasks  []string `json:"watchedTasks"`
	WatchedStatus string   `json:"watchedStatus"`
	// Takeover says why ticking the Page asks first: "fewer_tasks" (this
	// login has fewer tasks on it than the current connection) or "broken"
	// (this login lacks permissions or tasks the Page needs); "" when
	// ticking it is safe. Such Pages are not preselected.
	Takeover string `json:"takeover"`
}

// RemovePlan is what removing a person does to their Pages.
type RemovePlan struct {
	PersonID  string     `json:"personId"`
	Person    string     `json:"person"`
	Moved     []PageMove `json:"moved"`     // Pages another connected person manages: they move there
	Unwatched []string   `json:"unwatched"` // Page names nobody else connected manages: no longer watched
}

// PageMove is a Page that moves to another person's connection.
type PageMove struct {
	PageID   string `json:"pageId"`
	PageName string `json:"pageName"`
	ToID     string `json:"toId"`
	To       string `json:"to"`
}

// LoginResult is sent when the browser login ends, well or not.
type LoginResult struct {
	OK         bool        `json:"ok"`
	Mode       string      `json:"mode"`
	Error      string      `json:"error"`     // plain words, when not OK
	Cancelled  bool        `json:"cancelled"` // the person clicked Cancel, or Pagekeeper cancelled
	PersonID   string      `json:"personId"`
	PersonName string      `json:"personName"`
	Declined   []string    `json:"declined"`
	Candidates []Candidate `json:"candidates"`
	// Skipped are Pages Facebook listed without a Page token: they cannot be
	// chosen, and the chooser says why.
	Skipped []SkippedPage `json:"skipped"`
	// For a reauthorization, what was repaired at once (no choice to make).
	Applied *ApplyResult `json:"applied"`
}

// ApplyResult sums up what a connect or reauthorize changed.
type ApplyResult struct {
	Connected   []string `json:"connected"`  // Page names newly connected
	Updated     []string `json:"updated"`    // Page names whose token was replaced
	NotGranted  []string `json:"notGranted"` // Page names left out of the new grant
	Replaced    []string `json:"replaced"`   // Page names now watched through this person instead of another
	PersonName  string   `json:"personName"`
	ChecksAfter int      `json:"checksAfter"` // Pages checked right after
	// Skipped are the login's Pages that came without a Page token: nothing
	// was stored for them.
	Skipped []SkippedPage `json:"skipped"`
}

// SkippedPage is a Page a login listed that Pagekeeper cannot connect, and why.
type SkippedPage struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Why  string `json:"why"`
}

// ScenarioView is one thing the demo's Simulate panel can break.
type ScenarioView struct {
	Kind        string `json:"kind"`
	Label       string `json:"label"`
	Description string `json:"description"`
	Target      string `json:"target"` // person | page | none
}

// Event names sent to the window; one namespace, typed in one place.
const (
	EventSnapshot      = "pagekeeper:snapshot"       // Snapshot
	EventCheckProgress = "pagekeeper:check-progress" // CheckState
	EventLoginResult   = "pagekeeper:login-result"   // LoginResult
	EventFocusPage     = "pagekeeper:focus-page"     // page id (string)
	EventNotice        = "pagekeeper:notice"         // Notice
	EventChanges       = "pagekeeper:changes"        // SnapshotChanges
	EventLoginProgress = "pagekeeper:login-progress" // LoginProgress
)

// LoginProgress says what a login does after the browser said "connected",
// so the window never keeps waiting for a browser that is done.
type LoginProgress struct {
	Mode  string `json:"mode"`  // connect | reauthorize
	Step  string `json:"step"`  // reading: the Pages the person allowed; saving: their access; checking: them (see check-progress)
	Total int    `json:"total"` // Pages concerned, 0 while not known
}

// Notice is a short message for the window (an error in the background, say).
type Notice struct {
	Level   string `json:"level"` // info | warning | error
	Message string `json:"message"`
}
