package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/metaapp"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), dirEnv("", &out, &errb), args)
	return code, out.String(), errb.String()
}

// dirEnv is a command's environment off a terminal, with no input and only
// PAGEKEEPER_DATA_DIR set (to dir; "" leaves it unset).
func dirEnv(dir string, out, errb io.Writer) *Env {
	return &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errb, IsTerminal: func(any) bool { return false },
		Getenv: func(k string) string {
			if k == "PAGEKEEPER_DATA_DIR" {
				return dir
			}
			return ""
		}}
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

// `pagekeeper setup` with nothing yet says the steps of creating the Meta
// app, the same the window shows, and `--help` points to them.
func TestSetupSaysTheSteps(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"setup"}, {"setup", "--help"}} {
		var out, errb bytes.Buffer
		env := dirEnv(dir, &out, &errb)
		if code := Main(context.Background(), env, args); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errb.String())
		}
		g := metaapp.Steps("", "")
		for i, s := range g.Steps {
			if !strings.Contains(out.String(), fmt.Sprintf("%d. %s", i+1, s.Title)) {
				t.Errorf("%v lacks step %d %q", args, i+1, s.Title)
			}
		}
		for _, want := range []string{"http://localhost:47613/callback", "https://developers.facebook.com/apps/creation/", metaapp.CheckedOn, "pagekeeper setup --app-id"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v lacks %q:\n%s", args, want, out.String())
			}
		}
	}
	if _, out, _ := run(t, "--help"); !strings.Contains(out, "'pagekeeper setup' shows, step by step") {
		t.Errorf("--help does not point to the steps:\n%s", out)
	}
}
