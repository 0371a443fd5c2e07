package keeper

import (
	"strings"

	"github.com/pagekeeper/pagekeeper/backend/connect"
	"github.com/pagekeeper/pagekeeper/backend/hooks"
)

// StatusLabels are the words every screen and the command line use for a
// status: three for a watched Page (Working, Needs attention, Broken), and
// two for a Page not checked yet or no longer watched.
var StatusLabels = map[string]string{
	"valid":        "Working",
	"warning":      "Needs attention",
	"invalid":      "Broken",
	"unknown":      "Not checked",
	"disconnected": "Disconnected",
}

// StatusLabel is the word for a status ("unknown" for one it does not know).
func StatusLabel(status string) string {
	if l, ok := StatusLabels[status]; ok {
		return l
	}
	return StatusLabels["unknown"]
}

// statusClause says what a Page is, as the end of a sentence about it.
var statusClause = map[string]string{
	"valid":        "works",
	"warning":      "needs attention",
	"invalid":      "is broken",
	"unknown":      "could not be checked",
	"disconnected": "is disconnected",
}

// statusWas says what a Page was, after "it was".
var statusWas = map[string]string{
	"valid":        "working",
	"warning":      "in need of attention",
	"invalid":      "broken",
	"disconnected": "disconnected",
}

func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

// activitySentence tells one entry of a Page's activity log as a sentence
// ("Dana's access to Harbor Street Bakery was renewed."), from the kinds of
// backend/connect and backend/monitor; the raw details stay for support.
func activitySentence(kind, actor, details, page string) string {
	who := actor
	switch actor {
	case "", "Pagekeeper":
		who = "Pagekeeper"
	case "you":
		who = "You"
	}
	switch kind {
	case connect.KindConnected:
		s := who + " connected " + page
		if strings.Contains(details, "Business Portfolio") {
			s += " through a Business Portfolio"
		}
		return s + "."
	case connect.KindReconnected:
		return who + " connected " + page + " again."
	case connect.KindTokenRenewed:
		return possessive(who) + " access to " + page + " was renewed."
	case connect.KindNotGranted:
		return who + " left " + page + " out of a new Facebook login, so Pagekeeper lost its access to it."
	case connect.KindDisconnected:
		switch {
		case strings.HasSuffix(details, " was removed from Pagekeeper"):
			return strings.TrimSuffix(details, " was removed from Pagekeeper") + ", who connected " + page + ", was removed from Pagekeeper, so nobody watches it through them now."
		case actor == "command line":
			return page + " was disconnected from the command line."
		}
		return who + " disconnected " + page + "."
	case connect.KindUnsubscribed:
		return page + " stopped sending its events to Pagekeeper's app."
	case "status_changed":
		return statusSentence(details, page)
	case connect.KindWatcher:
		// "Lee replaced Dana as the person Pagekeeper watches this Page through (why); tasks: ..."
		head, _, _ := strings.Cut(details, "; tasks:")
		return strings.Replace(head, "this Page", page, 1) + "."
	case KindResubscribed:
		if strings.HasPrefix(details, "Facebook refused") {
			return who + " asked Facebook to send " + possessive(page) + " events to Pagekeeper's app again; Facebook refused."
		}
		return who + " had " + possessive(page) + " events sent to Pagekeeper's app again."
	case hooks.KindRun, hooks.KindTest:
		return hookSentence(kind == hooks.KindTest, details, page)
	case KindTokenRead:
		// How (a command's name) stays in the support details.
		return who + " copied Pagekeeper's access to " + page + " for another tool."
	}
	if details != "" {
		return who + ": " + details
	}
	return who + " changed " + page + "."
}

// hookSentence reads backend/hooks' "command ID on EVENT: delivered ..." details.
func hookSentence(test bool, details, page string) string {
	what, rest, _ := strings.Cut(details, " ")
	id, _, _ := strings.Cut(rest, " on ")
	outcome := "it worked"
	if strings.Contains(details, ": failed") {
		outcome = "it failed"
	}
	if what != "command" && what != "webhook" {
		what = "automation"
	}
	if test {
		return "You tried the " + what + " “" + id + "” with " + page + ": " + outcome + "."
	}
	return "Pagekeeper ran the " + what + " “" + id + "” for " + page + ": " + outcome + "."
}

// statusSentence reads monitor's "from → to: summary" details.
func statusSentence(details, page string) string {
	change, summary, _ := strings.Cut(details, ": ")
	from, to, ok := strings.Cut(change, " → ")
	if !ok {
		return page + " was checked. " + details
	}
	s := page + " " + statusClause[to]
	if statusClause[to] == "" {
		s = page + " " + statusClause["unknown"]
	}
	if was := statusWas[from]; was != "" {
		s += " (it was " + was + ")"
	} else {
		s = "First check: " + s
	}
	s += "."
	if summary != "" && to != "valid" { // "works" already says it all
		s += " " + summary
	}
	return s
}
