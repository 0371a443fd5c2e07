package cli

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/metaapp"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

func init() {
	Register(Command{Name: "setup", Usage: "setup [--app-id ID]", Summary: "the steps to create your Meta app; with --app-id, save it (asks for the secret, or reads it from stdin)", Run: runSetup, Engine: true, Local: always})
	Register(Command{Name: "connect", Usage: "connect [--no-browser]", Summary: "log in with Facebook and connect Pages", Run: runConnect, Engine: true})
	Register(Command{Name: "reconnect", Usage: "reconnect ID [--no-browser]", Summary: "reauthorize the Pages of a person (or of a Page's person)", Run: runReconnect, Engine: true})
	Register(Command{Name: "disconnect", Usage: "disconnect PAGE_ID", Summary: "stop watching a Page and give up its access, keep its history", Run: runDisconnect, Engine: true})
}

func runSetup(ctx context.Context, env *Env, args []string) int {
	if len(args) == 1 && isHelp(args[0]) {
		printGuide(ctx, env, env.Stdout)
		fmt.Fprintln(env.Stdout, "\nFlags:\n  --app-id ID   save the app: its App ID here, its App Secret at the prompt or on stdin")
		return 0
	}
	var appID string
	if _, ok := parseFlags(env, "setup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&appID, "app-id", "", "your Meta app's App ID (the secret is asked for, or read from stdin)")
		fs.Usage = func() {
			printGuide(ctx, env, env.Stderr)
			fmt.Fprintln(env.Stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}); !ok {
		return 64
	}
	if appID == "" {
		// No App ID yet: the person is at the start, so show the way.
		printGuide(ctx, env, env.Stdout)
		return 0
	}
	secret, code := readSecret(env, "App Secret (App settings > Basic, click Show; it is not shown as you type or paste): ",
		"App Secret", "`$secret | pagekeeper setup --app-id ID` in PowerShell, `printf %s \"$SECRET\" | pagekeeper setup --app-id ID` in bash", false)
	if code != 0 {
		return code
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	if err := k.SetupApp(ctx, appID, secret); err != nil {
		return fail(env, 1, err)
	}
	set, _ := k.Settings()
	fmt.Fprintf(env.Stdout, "Connected to your Meta app “%s” (App ID %s); its secret is in the system keychain.\nMake sure this redirect address is in the app (Facebook Login for Business > Settings > Valid OAuth Redirect URIs):\n  %s\nThen run: pagekeeper connect\n", k.AppName(), appID, set.RedirectURI)
	return 0
}

// printGuide prints the steps of creating the Meta app, the same the window shows.
func printGuide(ctx context.Context, env *Env, w io.Writer) {
	redirect := keeper.RedirectURI(store.DefaultSettings().RedirectPort)
	appID := ""
	if k, err := openKeeper(ctx, env, nil); err == nil {
		if set, err := k.Settings(); err == nil {
			redirect, appID = set.RedirectURI, set.AppID
		}
		k.Close()
	}
	metaapp.Print(w, metaapp.Steps(redirect, appID))
	fmt.Fprintln(w, "\nWith the App ID and App Secret in hand:")
	fmt.Fprintf(w, "  printf '%%s' \"$APP_SECRET\" | pagekeeper setup --app-id %s\n", cmp.Or(appID, "YOUR_APP_ID"))
	fmt.Fprintln(w, "  pagekeeper connect")
}

func runConnect(ctx context.Context, env *Env, args []string) int {
	var noBrowser bool
	var pages string
	if _, ok := parseFlags(env, "connect", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&noBrowser, "no-browser", false, "print the login URL instead of opening a browser")
		fs.StringVar(&pages, "pages", "", "comma-separated Page IDs to connect (default: every Page granted)")
	}); !ok {
		return 64
	}
	return login(ctx, env, keeper.LoginRequest{NoBrowser: noBrowser, Quiet: true}, pages, nil)
}

func runReconnect(ctx context.Context, env *Env, args []string) int {
	var noBrowser bool
	fs, ok := parseFlags(env, "reconnect", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&noBrowser, "no-browser", false, "print the login URL instead of opening a browser")
	})
	if !ok {
		return 64
	}
	if fs.NArg() != 1 {
		return fail(env, 64, errors.New("reconnect needs the ID of a person or of a Page"))
	}
	id := fs.Arg(0)
	// The ID names a person or a Page; only the data says which.
	aim := func(k *keeper.Keeper, req *keeper.LoginRequest) {
		if _, err := k.Store().GetPage(id); err == nil {
			req.PageID = id
		} else {
			req.ProfileID = id
		}
	}
	return login(ctx, env, keeper.LoginRequest{Reauthorize: true, NoBrowser: noBrowser, Quiet: true}, "", aim)
}

// login runs one Facebook login: with --no-browser the first line of stdout
// is the login URL alone, so a script can hand it to a browser.
// aim, when not nil, completes the request from the stored data.
func login(ctx context.Context, env *Env, req keeper.LoginRequest, pages string, aim func(*keeper.Keeper, *keeper.LoginRequest)) int {
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	if aim != nil {
		aim(k, &req)
	}
	var start keeper.LoginStart
	if req.Reauthorize {
		start, err = k.StartLogin(ctx, req)
	} else {
		// The Pages are chosen up front, so they are stored before the
		// browser tab says "connected".
		start, err = k.StartConnect(ctx, req, func(cands []keeper.Candidate) ([]string, error) {
			ids := chosen(cands, pages)
			if len(ids) == 0 {
				return nil, errors.New("none of the Pages asked for with --pages was granted; nothing was changed")
			}
			return ids, nil
		})
	}
	if err != nil {
		return fail(env, 1, err)
	}
	if req.NoBrowser {
		fmt.Fprintln(env.Stdout, start.URL)
		fmt.Fprintln(env.Stderr, "Open the URL above in a browser and log in with Facebook; waiting for the redirect...")
	} else {
		fmt.Fprintf(env.Stderr, "Opening Facebook's login in your browser. If nothing opens, visit:\n  %s\n", start.URL)
	}
	res, err := k.WaitLogin(ctx)
	if err != nil {
		k.CancelLogin()
		return fail(env, 1, err)
	}
	if !res.OK {
		return fail(env, 1, errors.New(res.Error))
	}
	if res.Applied == nil {
		return fail(env, 1, errors.New("the login connected nothing"))
	}
	printApplied(env, res, res.Applied)
	return 0
}

func chosen(cands []keeper.Candidate, pages string) []string {
	want := map[string]bool{}
	for _, id := range strings.Split(pages, ",") {
		if id = strings.TrimSpace(id); id != "" {
			want[id] = true
		}
	}
	var ids []string
	for _, c := range cands {
		if (len(want) == 0 && c.Selected) || want[c.ID] {
			ids = append(ids, c.ID)
		}
	}
	return ids
}

func printApplied(env *Env, res keeper.LoginResult, a *keeper.ApplyResult) {
	fmt.Fprintf(env.Stdout, "Logged in as %s.\n", line(res.PersonName))
	list := func(label string, names []string) {
		if len(names) > 0 {
			fmt.Fprintf(env.Stdout, "%s (%d): %s\n", line(label), len(names), line(strings.Join(names, ", ")))
		}
	}
	list("Connected", a.Connected)
	list("Access renewed", a.Updated)
	list("Now watched through "+res.PersonName+" instead of another person", a.Replaced)
	list("Left out of this login, now invalid", a.NotGranted)
	for _, p := range a.Skipped {
		fmt.Fprintf(env.Stdout, "Skipped %s: %s\n", line(p.Name), line(p.Why))
	}
	if len(res.Declined) > 0 {
		labels := make([]string, len(res.Declined))
		for i, p := range res.Declined {
			labels[i] = health.Label(p) + " (" + p + ")"
		}
		fmt.Fprintf(env.Stdout, "Declined: %s\n", strings.Join(labels, ", "))
	}
}

func runDisconnect(ctx context.Context, env *Env, args []string) int {
	var unsubscribe bool
	fs, ok := parseFlags(env, "disconnect", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&unsubscribe, "unsubscribe", false, "also unsubscribe the app from the Page's webhooks")
	})
	if !ok {
		return 64
	}
	if fs.NArg() != 1 {
		return fail(env, 64, errors.New("disconnect needs a Page ID (see `pagekeeper status`)"))
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	id := fs.Arg(0)
	if err := k.Disconnect(ctx, id, unsubscribe, "command line"); err != nil {
		return fail(env, 1, err)
	}
	fmt.Fprintf(env.Stdout, "Page %s is disconnected: Pagekeeper gave up its access and keeps its history.\n", id)
	return 0
}

// readSecret reads a secret: at a terminal (cmd.exe, PowerShell, a Unix
// shell) from a prompt that does not echo it, otherwise from the first line
// of stdin (piped, so it stays off the screen and out of the process list;
// the CR of a Windows shell's CRLF goes with the trimmed space). code is
// non-zero when there was none and it is not optional, after saying so with
// an example.
func readSecret(env *Env, prompt, what, example string, optional bool) (secret string, code int) {
	var err error
	if f, ok := env.Stdin.(*os.File); ok && env.IsTerminal(f) {
		fmt.Fprint(env.Stderr, prompt)
		var b []byte
		b, err = term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		secret = strings.TrimSpace(string(b))
	} else {
		var line string
		line, err = bufio.NewReader(env.Stdin).ReadString('\n')
		secret = strings.TrimSpace(line)
	}
	if secret == "" && !optional {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fail(env, 1, fmt.Errorf("reading the %s: %w", what, err))
		}
		return "", fail(env, 64, fmt.Errorf("no %s: run the command in a terminal and paste it at the prompt, or pipe it in, e.g. %s", what, example))
	}
	return secret, 0
}
