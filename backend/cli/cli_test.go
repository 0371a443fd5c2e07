package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, IsTerminal: func(any) bool { return false }}
	code := Main(context.Background(), env, args)
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		code, out, _ := run(t, arg)
		if code != 0 || out != "pagekeeper "+buildinfo.Version+"\n" {
			t.Fatalf("%s: code %d out %q", arg, code, out)
		}
	}
}

func TestHelpListsCommands(t *testing.T) {
	code, out, _ := run(t, "--help")
	if code != 0 || !strings.Contains(out, "pagekeeper version") || !strings.Contains(out, "PAGEKEEPER_DATA_DIR") {
		t.Fatalf("code %d help %q", code, out)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	code, _, errs := run(t, "frobnicate")
	if code != 64 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Fatalf("code %d stderr %q", code, errs)
	}
}

func TestOpensWindow(t *testing.T) {
	cases := map[string]bool{"": true, "demo": true, "-devserver": true, "-assetdir=/x": true, "--help": false, "version": false, "status": false, "--version": false,
		"--json": false, "-x": false}
	for arg, want := range cases {
		var args []string
		if arg != "" {
			args = []string{arg}
		}
		if got := OpensWindow(args); got != want {
			t.Errorf("OpensWindow(%q) = %v, want %v", arg, got, want)
		}
	}
}
