package health

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// clicked finds what a fix tells the owner to click: the actions whose
// labels follow "click", and the words after any "click" that is no
// action's label.
func clicked(fix string) (named []Action, unknown []string) {
	lower := strings.ToLower(fix)
	for i := strings.Index(lower, "click "); i >= 0; {
		rest := fix[i+len("click "):]
		var found Action
		for a, spec := range ActionSpecs {
			// The longest label wins ("Check again" over a shorter one).
			if strings.HasPrefix(rest, spec.Label) && len(spec.Label) > len(found.Label()) {
				found = a
			}
		}
		if found == "" {
			w := strings.Fields(rest)
			unknown = append(unknown, strings.Join(w[:min(3, len(w))], " "))
		} else {
			named = append(named, found)
		}
		next := strings.Index(lower[i+1:], "click ")
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return named, unknown
}

// checkWording lists what is wrong with one reason's fix and actions.
func checkWording(w wording) []string {
	var errs []string
	named, unknown := clicked(w.fix)
	for _, u := range unknown {
		errs = append(errs, "the fix names an action that does not exist: click "+u)
	}
	for _, a := range w.actions {
		if _, ok := ActionSpecs[a]; !ok {
			errs = append(errs, "unknown action "+string(a))
		}
		if !slices.Contains(named, a) {
			errs = append(errs, "the fix does not tell the owner to click "+a.Label())
		}
	}
	for _, a := range named {
		if !slices.Contains(w.actions, a) {
			errs = append(errs, "the fix names "+a.Label()+", which this reason does not offer")
		}
	}
	if slices.Contains(w.actions, ActionOpenFacebook) != (w.link != LinkNone) {
		errs = append(errs, "Open in Facebook needs a link, and a link needs Open in Facebook")
	}
	if w.link != LinkNone && !strings.HasPrefix(Links[w.link], "https://www.facebook.com/") {
		errs = append(errs, "link "+string(w.link)+" is not in the Links table")
	}
	return errs
}

func TestEveryFixNamesOnlyItsOwnActions(t *testing.T) {
	all := map[Reason]wording{"(fallback)": fallbackWording}
	for r, w := range words {
		all[r] = w
	}
	for issue, w := range appWords {
		all[Reason("meta_app_problem/"+string(issue))] = w
	}
	for _, r := range Reasons {
		if _, ok := words[r]; !ok {
			t.Errorf("reason %s has no words", r)
		}
	}
	for r, w := range all {
		for _, e := range checkWording(w) {
			t.Errorf("%s: %s (fix %q)", r, e, w.fix)
		}
	}
}

// The check above must fail for the fixes issue 12 found.
func TestFixCheckCatchesMissingActions(t *testing.T) {
	for _, w := range []wording{
		{fix: "Click Resubscribe for {page}.", actions: []Action{ActionCheckAgain}},
		{fix: "Link it again, then click Reconnect.", actions: []Action{ActionCheckAgain}},
		{fix: "Ask an admin, then click Check now.", actions: []Action{ActionCheckAgain}},
		{fix: "Click Open in Facebook.", actions: []Action{ActionOpenFacebook}},
		{fix: "Click Reconnect.", actions: []Action{ActionReconnect, ActionAskAdmin}},
	} {
		if errs := checkWording(w); len(errs) == 0 {
			t.Errorf("fix %q with actions %v passed the check", w.fix, w.actions)
		}
	}
	if errs := checkWording(wording{fix: "Click Reconnect, then click Check again.", actions: []Action{ActionReconnect, ActionCheckAgain}}); len(errs) > 0 {
		t.Errorf("a good fix failed: %v", errs)
	}
}

func TestRepairFor(t *testing.T) {
	if r := RepairFor(Valid, ReasonNone); len(r.Actions) != 0 {
		t.Errorf("a working Page offers %v", r.Actions)
	}
	if r := RepairFor(Warning, WebhooksUnsubscribed); r.Actions[0] != ActionResubscribe {
		t.Errorf("webhooks: %v", r.Actions)
	}
	if r := RepairFor(Invalid, RoleLost); r.Actions[0] != ActionAskAdmin || r.URL != Links[LinkPageAccess] {
		t.Errorf("a lost role: %+v", r)
	}
	if r := RepairFor(Invalid, AppRemoved); r.URL != Links[LinkBusinessIntegrations] {
		t.Errorf("app removed: %+v", r)
	}
	if r := RepairFor(Disconnected, ""); !r.Has(ActionConnect) {
		t.Errorf("disconnected: %+v", r)
	}
	if ActionResubscribe.Command("123") != "pagekeeper resubscribe 123" {
		t.Error(ActionResubscribe.Command("123"))
	}
}

// Every action exists in the window too: the buttons' component handles
// each one (the command line's side is backend/cli's TestEveryActionHasACommand).
func TestEveryActionHasAButton(t *testing.T) {
	src, err := os.ReadFile("../../frontend/src/components/RepairActions.svelte")
	if err != nil {
		t.Fatal(err)
	}
	for a := range ActionSpecs {
		if !strings.Contains(string(src), "case '"+string(a)+"'") {
			t.Errorf("RepairActions.svelte has no button for %s", a)
		}
	}
}

// fill puts in every placeholder the way a strings.Replacer of the same
// pairs would, for every wording and for odd braces.
func TestFillMatchesReplacer(t *testing.T) {
	f := fields{possessive: "Dana's", person: "Dana {page}", page: "Bakery", missing: "“Manage”", until: "May 1, 2027"}
	r := strings.NewReplacer("{person's}", f.possessive, "{person}", f.person, "{page}", f.page, "{missing}", f.missing, "{until}", f.until)
	texts := []string{"", "no fields", "{", "}", "{}", "{{page}", "{page}}", "{pa{page}", "{unknown} {page}", "{person's}{person}", "end {"}
	for _, w := range words {
		texts = append(texts, w.summary, w.fix)
	}
	for _, w := range appWords {
		texts = append(texts, w.summary, w.fix)
	}
	for _, text := range texts {
		if got, want := f.fill(text), r.Replace(text); got != want {
			t.Errorf("fill(%q) = %q, want %q", text, got, want)
		}
	}
}
