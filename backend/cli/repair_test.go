package cli

import (
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// Every action a fix may name exists on the command line too.
func TestEveryActionHasACommand(t *testing.T) {
	for a, spec := range health.ActionSpecs {
		words := strings.Fields(spec.Command)
		if len(words) < 2 || words[0] != "pagekeeper" {
			t.Errorf("%s: command %q", a, spec.Command)
			continue
		}
		if _, ok := commands[words[1]]; !ok {
			t.Errorf("%s: `%s` is not a command", a, spec.Command)
		}
	}
}

// `pagekeeper status` names each fix's commands, and they repair: the Page
// without webhooks is resubscribed; ask-admin prints the message.
func TestRepairCommands(t *testing.T) {
	w := newWorld(t)
	w.setup()
	if code, _, errs := w.connect([]string{"connect"}, sandbox.ConsentChoice{Persona: "Dana Whitfield"}); code != 0 {
		t.Fatalf("connect: %d %s", code, errs)
	}
	_, out, _ := w.run("", "status")
	if flat := strings.Join(strings.Fields(out), " "); !strings.Contains(flat, "Turn events back on: pagekeeper resubscribe "+sandbox.PageClasses) ||
		!strings.Contains(flat, "Ask an admin: pagekeeper ask-admin "+sandbox.PageEastside) {
		t.Fatalf("status does not name the commands:\n%s", out)
	}
	code, out, errs := w.run("", "resubscribe", sandbox.PageClasses)
	if code != 0 || !strings.Contains(out, "Now: Working") || strings.Contains(out, "valid") {
		t.Fatalf("resubscribe: %d %q %q", code, out, errs)
	}
	code, out, _ = w.run("", "ask-admin", sandbox.PageEastside)
	if code != 0 || !strings.Contains(out, "Page ID: "+sandbox.PageEastside) || !strings.Contains(out, "Tasks needed: Create content") {
		t.Fatalf("ask-admin: %d %q", code, out)
	}
	code, out, _ = w.run("", "open-facebook", sandbox.PageEastside, "--print")
	if code != 0 || strings.TrimSpace(out) != health.Links[health.LinkPageAccess] {
		t.Fatalf("open-facebook: %d %q", code, out)
	}
	if code, _, errs := w.run("", "resubscribe"); code != 64 || !strings.Contains(errs, "needs a Page ID") {
		t.Fatalf("resubscribe without an ID: %d %q", code, errs)
	}
}
