package keeper

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/connect"
	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/metaapp"
)

// jargon is what a Page owner should never have to read outside the support
// detail line: a raw permission or task name, or the words token, grant, scope.
var jargon = regexp.MustCompile(`(?i:\b(tokens?|grant(s|ed|ing)?|scopes?)\b)|\b[a-z]+_[a-z_]+\b|\b(MANAGE|CREATE_CONTENT|MODERATE|MESSAGING|ADVERTISE|ANALYZE)\b`)

func assertPlain(t *testing.T, where, text string) {
	t.Helper()
	if m := jargon.FindString(text); m != "" {
		t.Errorf("%s says %q: %q", where, m, text)
	}
}

// TestPlainWords reads every text Go writes for the window and the terminal
// about a Page: each reason's summary and fix (with every permission and task
// Pagekeeper deals with missing), the features, the activity log, the status
// words and the Meta app guide.
func TestPlainWords(t *testing.T) {
	missing := append(append([]string{}, connect.Scopes...), "MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE")
	for _, r := range append(health.Reasons, health.ReasonNone) {
		for _, st := range []health.Status{health.Invalid, health.Warning, health.Disconnected} {
			sum, fix := health.Describe(st, r, health.Words{Person: "Dana", Page: "Harbor Street Bakery", Missing: missing, Until: time.Now()})
			assertPlain(t, string(r)+" summary", sum)
			assertPlain(t, string(r)+" fix", fix)
		}
	}
	for _, p := range missing {
		if l := health.Label(p); l == p || strings.Contains(l, "_") {
			t.Errorf("no plain label for %s: %q", p, l)
		}
	}

	// Features: everything granted but one permission at a time.
	for _, drop := range connect.Scopes {
		var granted []string
		for _, s := range connect.Scopes {
			if s != drop {
				granted = append(granted, s)
			}
		}
		d := health.Diagnose(health.Observation{PageName: "Harbor Street Bakery", PersonName: "Dana", Granted: granted,
			Tasks: []string{"ANALYZE"}})
		assertPlain(t, "summary without "+drop, d.Summary)
		for _, f := range d.Features {
			assertPlain(t, "feature "+f.Name, f.Missing+" "+f.Note)
			assertPlain(t, "feature label", health.FeatureLabel(f.Name))
		}
	}

	kinds := map[string]string{
		connect.KindConnected: "connected by Dana (through a Business Portfolio)", connect.KindReconnected: "connected again by Dana",
		connect.KindTokenRenewed: "new token from Dana's login", connect.KindNotGranted: "Dana left this Page out",
		connect.KindDisconnected: "token removed from the keychain; history kept", connect.KindUnsubscribed: "",
		"status_changed":  "unknown → invalid: " + health.Summary(health.PasswordChanged, "Dana", "Harbor Street Bakery"),
		"hook_run":        "webhook crm on page_broken: failed: HTTP 500, attempt 3 of 3, 2s",
		"hook_test":       "command notify-team on page_broken: exit 0, attempt 1 of 1, 10ms",
		KindTokenRead:     "the token was read by pagekeeper token",
		"watcher_changed": "Lee replaced Dana as the person Pagekeeper watches this Page through (logged in); tasks: MANAGE, MESSAGING",
		KindResubscribed:  "app subscribed to the Page's events again: messages, feed",
	}
	for kind, details := range kinds {
		assertPlain(t, "activity "+kind, activitySentence(kind, "Dana", details, "Harbor Street Bakery"))
	}
	assertPlain(t, "removed person", activitySentence(connect.KindDisconnected, "you", "Dana was removed from Pagekeeper", "Harbor Street Bakery"))
	for _, s := range StatusLabels {
		assertPlain(t, "status", s)
	}
	g := metaapp.Steps("http://localhost:47613/callback", "")
	for _, s := range g.Steps {
		assertPlain(t, "guide "+s.ID, strings.Join(append([]string{s.Title, s.Intro, s.Note, s.Button}, s.Do...), " "))
	}
}

func TestActivityReadsAsSentences(t *testing.T) {
	cases := []struct{ kind, actor, details, want string }{
		{connect.KindTokenRenewed, "Dana", "new token from Dana's login", "Dana's access to Harbor Street Bakery was renewed."},
		{connect.KindConnected, "Dana", "connected by Dana (through a Business Portfolio)", "Dana connected Harbor Street Bakery through a Business Portfolio."},
		{connect.KindDisconnected, "you", "token removed from the keychain; history kept", "You disconnected Harbor Street Bakery."},
		{"status_changed", "Pagekeeper", "valid → warning: Something ends soon.", "Harbor Street Bakery needs attention (it was working). Something ends soon."},
		{"status_changed", "Pagekeeper", "new → valid", "First check: Harbor Street Bakery works."},
		{"watcher_changed", "Lee", "Lee replaced Dana as the person Pagekeeper watches this Page through (logged in); tasks: MANAGE", "Lee replaced Dana as the person Pagekeeper watches Harbor Street Bakery through (logged in)."},
		{"hook_run", "Pagekeeper", "webhook crm on page_broken: failed: HTTP 500, attempt 3 of 3, 2s", "Pagekeeper ran the webhook “crm” for Harbor Street Bakery: it failed."},
	}
	for _, c := range cases {
		if got := activitySentence(c.kind, c.actor, c.details, "Harbor Street Bakery"); got != c.want {
			t.Errorf("%s: %q, want %q", c.kind, got, c.want)
		}
	}
}
