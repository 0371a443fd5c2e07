package cli

import (
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/health"
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
