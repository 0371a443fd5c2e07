package health

import "strings"

// Feature is one thing a business does with its Page through Pagekeeper's
// app, and whether the current grant and Page role allow it.
type Feature struct {
	Name    string // FeaturePublishing, FeatureMessenger, ...
	OK      bool
	Missing string // what is missing, in words; "" when OK
	Note    string // an optional extra that is missing while the feature works
}

// Feature names.
const (
	FeaturePublishing = "publishing"
	FeatureMessenger  = "messenger"
	FeatureInsights   = "insights"
	FeatureInstagram  = "instagram"
	FeatureWebhooks   = "webhooks"
)

// need is what one feature requires.
type need struct {
	name  string
	perms []string // every one is required
	tasks []string // any one of them is enough; nil when the feature needs no Page task
	// optional permission: reported in Note, does not fail the feature.
	optional, optionalWhat string
}

// features is THE permission/task table. Sources: FACEBOOK.md §5 and §7.
// Verified there: pages_manage_posts creates posts, pages_read_engagement
// reads posts and insights, pages_messaging is Messenger, pages_manage_metadata
// subscribes webhooks, instagram_basic reads the IG account, instagram_manage_messages
// is IG Direct; posting needs CREATE_CONTENT; messaging webhooks need MODERATE;
// Messenger itself (Send API, conversations, messages) needs pages_messaging
// and a Page token of a person who can do the MESSAGING task: MODERATE alone
// does not open the inbox (§7). Unverified, chosen here (§7 says the full
// permission→task map is not documented): insights need
// read_insights and ANALYZE; Instagram and webhooks need no specific Page task
// (subscribed_apps asks for CREATE_CONTENT, MANAGE or MODERATE, but a Page
// token already implies a role, and a missing one shows as an error).
var features = []need{
	{name: FeaturePublishing, perms: []string{"pages_manage_posts", "pages_read_engagement"}, tasks: []string{"CREATE_CONTENT"}},
	{name: FeatureMessenger, perms: []string{"pages_messaging"}, tasks: []string{"MESSAGING"}},
	{name: FeatureInsights, perms: []string{"read_insights"}, tasks: []string{"ANALYZE"}},
	{name: FeatureInstagram, perms: []string{"instagram_basic"},
		optional: "instagram_manage_messages", optionalWhat: "Instagram direct messages"},
	{name: FeatureWebhooks, perms: []string{"pages_manage_metadata"}},
}

// taskWords names Page tasks as Meta Business Suite shows them.
var taskWords = map[string]string{
	"CREATE_CONTENT": "Create content",
	"MESSAGING":      "Messages",
	"MODERATE":       "Moderate (community activity)",
	"ANALYZE":        "Insights",
	"ADVERTISE":      "Ads",
	"MANAGE":         "Full control",
}

// permissionWords names each permission Pagekeeper asks for by what it lets
// the app do, as a Page admin reads it; the raw name is for support only.
var permissionWords = map[string]string{
	"pages_show_list":           "See the list of your Pages",
	"pages_read_engagement":     "Read your Pages' posts and followers",
	"pages_manage_metadata":     "Receive your Pages' events and manage their settings",
	"pages_manage_posts":        "Publish on your Pages",
	"pages_messaging":           "Answer your Pages' messages",
	"read_insights":             "Read your Pages' insights",
	"instagram_basic":           "See your Instagram accounts",
	"instagram_manage_messages": "Answer your Instagram messages",
	"business_management":       "Reach Pages through your Business Portfolio",
	"pages_read_user_content":   "Read what people post on your Pages",
	"pages_manage_ads":          "Manage ads for your Pages",
	"pages_manage_engagement":   "Manage comments on your Pages",
	"public_profile":            "Your name and profile picture",
	"email":                     "Your email address",
}

// TaskName is a Page task (Facebook's name, MODERATE) in the words of
// Facebook's Page access settings.
func TaskName(t string) string {
	if w, ok := taskWords[t]; ok {
		return w
	}
	return t
}

// Label is the plain name of a permission or a Page task; an unknown raw
// name (pages_x, SOME_TASK) is read with its underscores as spaces, and
// words pass through.
func Label(name string) string {
	if w, ok := permissionWords[name]; ok {
		return w
	}
	if w, ok := taskWords[name]; ok {
		return w
	}
	if strings.Contains(name, "_") || name == strings.ToUpper(name) {
		return strings.ReplaceAll(strings.ToLower(name), "_", " ")
	}
	return name
}

// Labels is every known permission and task with its plain name, for the window.
func Labels() map[string]string {
	out := make(map[string]string, len(permissionWords)+len(taskWords))
	for k, v := range permissionWords {
		out[k] = v
	}
	for k, v := range taskWords {
		out[k] = v
	}
	return out
}

// featureInput is what the matrix is computed from; nil scopes or tasks
// mean "not known" and are not held against a feature.
type featureInput struct {
	scopes          map[string]bool // nil: unknown
	tasks           map[string]bool // nil: unknown
	instagramLinked *bool
	webhooks        *bool
}

// evaluate returns the feature's state and what is missing, split into
// permissions and Page tasks.
func (n need) evaluate(in featureInput) (f Feature, perms, tasks []string) {
	f = Feature{Name: n.name, OK: true}
	var words []string
	if in.scopes != nil {
		for _, p := range n.perms {
			if !in.scopes[p] {
				perms = append(perms, p)
				words = append(words, "Facebook's permission to “"+Label(p)+"”")
			}
		}
		if n.optional != "" && !in.scopes[n.optional] {
			f.Note = "without the permission to “" + Label(n.optional) + "”: no " + n.optionalWhat
		}
	}
	if in.tasks != nil && len(n.tasks) > 0 && !anyIn(n.tasks, in.tasks) {
		tasks = append(tasks, n.tasks[0])
		alts := make([]string, len(n.tasks))
		for i, t := range n.tasks {
			alts[i] = TaskName(t)
		}
		words = append(words, "the Page task "+strings.Join(alts, " or "))
	}
	switch {
	case n.name == FeatureInstagram && in.instagramLinked != nil && !*in.instagramLinked:
		words = append(words, "a linked Instagram account")
	case n.name == FeatureWebhooks && in.webhooks != nil && !*in.webhooks:
		words = append(words, "the app's webhook subscription on the Page")
	}
	if len(words) > 0 {
		f.OK = false
		f.Missing = strings.Join(words, ", ")
	}
	return f, perms, tasks
}

func anyIn(want []string, have map[string]bool) bool {
	for _, w := range want {
		if have[w] {
			return true
		}
	}
	return false
}

func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}

// FeatureNames lists the features in display order.
var FeatureNames = func() []string {
	names := make([]string, len(features))
	for i, n := range features {
		names[i] = n.name
	}
	return names
}()

var featureLabels = map[string]string{
	FeaturePublishing: "Publishing",
	FeatureMessenger:  "Messenger inbox",
	FeatureInsights:   "Insights",
	FeatureInstagram:  "Instagram",
	FeatureWebhooks:   "Live events (webhooks)",
}

// FeatureLabel is a feature's name as the owner reads it.
func FeatureLabel(name string) string {
	if l, ok := featureLabels[name]; ok {
		return l
	}
	return name
}

// MissingTasks lists the Page tasks (Facebook's names) that tasks lack for
// any feature of the table; where a feature accepts several, the first is named.
func MissingTasks(tasks []string) []string {
	var missing []string
	for _, n := range features {
		if _, _, t := n.evaluate(featureInput{tasks: set(tasks)}); len(t) > 0 {
			missing = append(missing, t...)
		}
	}
	return uniq(missing)
}
