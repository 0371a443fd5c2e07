package hooks

import (
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// A Page name is Facebook's text: a NUL in it (which no environment
// variable can hold) must not stop the owner's hook from running, and
// escape sequences do not reach the command's environment.
func TestHookRunsForAPageNameHoldingNUL(t *testing.T) {
	g := newRig(t)
	g.setHooks(store.Hook{ID: "all-command", Command: g.script("hook.sh", `printf '%s' "$PAGEKEEPER_PAGE_NAME" > "$1/name"`)})
	g.r.Changes([]notify.Change{{PageID: pageID, PageName: "Crumb\x00 & Co\x1b[2J", PersonName: "Dana", From: "valid", To: "invalid", Reason: "password_changed"}})
	g.r.Wait()
	if got := g.read("name"); got != "Crumb & Co[2J" {
		t.Errorf("the hook saw the name %q (runs: %+v)", got, g.log(KindRun))
	}
	for _, a := range g.log(KindRun) {
		if strings.ContainsAny(a.Details, "\x00\x1b") {
			t.Errorf("history holds control characters: %q", a.Details)
		}
	}
}
