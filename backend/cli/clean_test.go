package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// hostile is text as a Page name or Facebook's error_description could carry
// it: a screen clear, a terminal title change, a bell, a carriage return that
// overwrites the line, and a right-to-left override.
const hostile = "Bakery\x1b[2J\x1b]0;owned\x07 ok\rFAKE \u202eevil\u009b31m"

func init() {
	Register(Command{Name: "test-hostile", Usage: "test-hostile", Summary: "(test only) print outside text",
		Run: func(_ context.Context, env *Env, _ []string) int {
			fmt.Fprintf(env.Stdout, "Page:\t%s\n", hostile)
			return fail(env, 1, errors.New("Facebook said: "+hostile))
		}})
}

func TestEverythingPrintedIsCleaned(t *testing.T) {
	_, out, errs := run(t, "test-hostile")
	for _, s := range []string{out, errs} {
		if i := strings.IndexAny(s, "\x1b\x07\r\u202e\u009b"); i >= 0 {
			t.Errorf("printed a control character at %d: %q", i, s)
		}
	}
	if out != "Page:\tBakery[2J]0;owned okFAKE evil31m\n" {
		t.Errorf("stdout %q: the words around the control characters must stay", out)
	}
	if !strings.HasPrefix(errs, "pagekeeper: Facebook said: Bakery") || !strings.HasSuffix(errs, "\n") {
		t.Errorf("stderr %q", errs)
	}
}

// Cleaning the output does not hide a terminal from the commands that ask.
func TestCleanedOutputStillKnowsItsTerminal(t *testing.T) {
	var out bytes.Buffer
	env := (&Env{Stdout: &out, Stderr: &out, IsTerminal: func(f any) bool { return f == any(&out) }}).cleaned()
	if !env.IsTerminal(env.Stdout) || !env.IsTerminal(env.Stderr) {
		t.Fatal("a cleaned terminal is no longer a terminal")
	}
	if env.cleaned().IsTerminal(env.Stdout) != true {
		t.Fatal("cleaning twice lost the terminal")
	}
}
