// Package cli is Pagekeeper's command line: every subcommand runs headless,
// so scripts and monitoring can use it on a machine without a display.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/engine"
)

// Env is what a command may touch of the outside world; tests give it buffers.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// IsTerminal reports whether f is an interactive terminal (progress and prompts).
	IsTerminal func(f any) bool

	site *site // where an Engine command's keeper comes from (served.go)
}

// OSEnv is the Env of a real process.
func OSEnv() *Env {
	return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, IsTerminal: isTerminal}
}

// isTerminal asks the OS whether f is a console or terminal: a character
// device is not enough, as NUL on Windows and /dev/null are devices too.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// Command is one subcommand. Run returns the process exit code.
type Command struct {
	Name    string
	Usage   string // e.g. "status [--json]"
	Summary string
	Run     func(ctx context.Context, env *Env, args []string) int
	// Engine runs the command in the running app when there is one (see
	// backend/engine): it then uses the app's keeper, and the window shows
	// what it changes. Such a command gets its keeper from openKeeper, reads
	// no stdin and prints no secret.
	Engine bool
	// Local, when set, names the invocations of an Engine command that must
	// run in this process (they read a secret from stdin, which never
	// crosses the socket): beside the window they say to use it instead.
	Local func(args []string) bool
	// Client, when set, runs the Local invocations beside the window: the
	// secret goes from stdin to the keychain here, and the rest runs in the
	// app through c.
	Client func(ctx context.Context, env *Env, c *engine.Client, args []string) int
	Hidden bool // left out of --help (a command's part that runs in the engine)
}

// always is a Local for commands that always read a secret.
func always([]string) bool { return true }

var commands = map[string]Command{}

// Register adds a subcommand; each command lives in its own file and registers in init.
func Register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// WindowCommands are the subcommands that open the window instead of running headless.
var WindowCommands = map[string]bool{"demo": true}

// OpensWindow reports whether these arguments mean "start the desktop app":
// no arguments, a window subcommand, or Wails' own development flags
// (-devserver, -assetdir, ..., which its runtime parses itself). Any other
// flag is a mistyped command and goes to Main, which says so.
func OpensWindow(args []string) bool {
	if len(args) == 0 {
		return true
	}
	first := args[0]
	if WindowCommands[first] {
		return true
	}
	name, _, _ := strings.Cut(strings.TrimLeft(first, "-"), "=")
	return strings.HasPrefix(first, "-") && wailsDevFlags[name]
}

// wailsDevFlags are the flags a Wails development build reads
// (wails/v2 internal/app/app_dev.go).
var wailsDevFlags = map[string]bool{"assetdir": true, "devserver": true, "frontenddevserverurl": true, "loglevel": true}

// WindowProblem says why the window cannot open here, or nil. On Linux and
// the BSDs GTK needs an X or Wayland display; without one it aborts in its
// init with a panic (exit 2, which monitoring would read as "a Page is
// invalid"), so Pagekeeper says so first.
func WindowProblem(goos string, getenv func(string) string) error {
	switch goos {
	case "windows", "darwin":
		return nil
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return nil
	}
	return errors.New("no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): " +
		"run it in a desktop session, or use the commands, which need no window: `pagekeeper status`, `pagekeeper check`, `pagekeeper --help`")
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" || a == "help" }

// Main runs a headless subcommand and returns the exit code.
func Main(ctx context.Context, env *Env, args []string) int {
	env = env.cleaned()
	if len(args) == 0 || isHelp(args[0]) {
		printHelp(env.Stdout)
		return 0
	}
	name := args[0]
	if name == "--version" || name == "-version" {
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok && strings.HasPrefix(name, "-") {
		fmt.Fprintf(env.Stderr, "pagekeeper: unknown flag %q: flags go after the command, e.g. `pagekeeper status --json`\nRun 'pagekeeper --help' for the list of commands.\n", name)
		return 64
	}
	if !ok {
		fmt.Fprintf(env.Stderr, "pagekeeper: unknown command %q\nRun 'pagekeeper --help' for the list of commands.\n", args[0])
		return 64 // EX_USAGE
	}
	if cmd.Engine && env.site == nil {
		return runEngineCommand(ctx, env, cmd, args[1:])
	}
	return cmd.Run(ctx, env, args[1:])
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "%s %s keeps your Facebook Page connections alive.\n\n", buildinfo.Name, buildinfo.Version)
	fmt.Fprintln(w, "Usage:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  pagekeeper\topen the desktop app")
	names := make([]string, 0, len(commands))
	for n, c := range commands {
		if !c.Hidden {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(tw, "  pagekeeper %s\t%s\n", c.Usage, c.Summary)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nFirst time? 'pagekeeper setup' shows, step by step, how to create the Meta app")
	fmt.Fprintln(w, "Pagekeeper logs in through (the window's first screen shows the same steps).")
	fmt.Fprintln(w, "\nEnvironment:")
	fmt.Fprintln(w, "  PAGEKEEPER_DATA_DIR      data folder (default: your config folder/pagekeeper)")
	fmt.Fprintln(w, "  PAGEKEEPER_GRAPH_URL     Graph API base URL (default https://graph.facebook.com)")
	fmt.Fprintln(w, "  PAGEKEEPER_FACEBOOK_URL  Login dialog base URL (default https://www.facebook.com)")
}

func init() {
	Register(Command{
		Name: "version", Usage: "version", Summary: "print the version",
		Run: func(_ context.Context, env *Env, _ []string) int {
			fmt.Fprintf(env.Stdout, "pagekeeper %s\n", buildinfo.Version)
			return 0
		},
	})
	Register(Command{
		Name: "demo", Usage: "demo", Summary: "open the app on the built-in Facebook sandbox",
		// Handled by main.go, which opens the window; reaching here means no window support.
		Run: func(_ context.Context, env *Env, _ []string) int {
			fmt.Fprintln(env.Stderr, "pagekeeper: demo needs the desktop build")
			return 1
		},
	})
}
