package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

func init() {
	Register(Command{Name: "setup", Usage: "setup --app-id ID", Summary: "set up your Meta app (the secret is read from stdin)", Run: runSetup})
	Register(Command{Name: "connect", Usage: "connect [--no-browser]", Summary: "log in with Facebook and connect Pages", Run: runConnect})
	Register(Command{Name: "reconnect", Usage: "reconnect ID [--no-browser]", Summary: "reauthorize the Pages of a person (or of a Page's person)", Run: runReconnect})
	Register(Command{Name: "disconnect", Usage: "disconnect PAGE_ID", Summary: "forget a Page's token, keep its history", Run: runDisconnect})
}

func runSetup(ctx context.Context, env *Env, args []string) int {
	var appID string
	if _, ok := parseFlags(env, "setup", args, func(fs *flag.FlagSet) { fs.StringVar(&appID, "app-id", "", "your Meta app's App ID") }); !ok {
		return 64
	}
	if appID == "" {
		return fail(env, 64, errors.New("setup needs --app-id ID (from your Meta app's Settings > Basic)"))
	}
	secret, code := readSecret(env, "App Secret (from Settings > Basic; pipe it in to keep it off the screen): ",
		"App Secret", "printf %s \"$SECRET\" | pagekeeper setup --app-id ID", false)
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
	fmt.Fprintf(env.Stdout, "Meta app %s is set up; its secret is in the system keychain.\nRegister this redirect URI in the app (Facebook Login > Settings > Valid OAuth Redirect URIs):\n  %s\n", appID, set.RedirectURI)
	return 0
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
	return login(ctx, env, keeper.LoginRequest{NoBrowser: noBrowser}, pages, nil)
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
	return login(ctx, env, keeper.LoginRequest{Reauthorize: true, NoBrowser: noBrowser}, "", aim)
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
	fmt.Fprintf(env.Stdout, "Logged in as %s.\n", res.PersonName)
	list := func(label string, names []string) {
		if len(names) > 0 {
			fmt.Fprintf(env.Stdout, "%s (%d): %s\n", label, len(names), strings.Join(names, ", "))
		}
	}
	list("Connected", a.Connected)
	list("Token renewed", a.Updated)
	list("Now watched through "+res.PersonName+" instead of another person", a.Replaced)
	list("Left out of this login, now invalid", a.NotGranted)
	for _, p := range a.Skipped {
		fmt.Fprintf(env.Stdout, "Skipped %s: %s\n", p.Name, p.Why)
	}
	if len(res.Declined) > 0 {
		fmt.Fprintf(env.Stdout, "Declined permissions: %s\n", strings.Join(res.Declined, ", "))
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
	fmt.Fprintf(env.Stdout, "Page %s is disconnected: its token left the keychain, its history stays.\n", id)
	return 0
}

// readSecret reads a secret from the first line of stdin (piped, so it
// stays off the screen and out of the process list); code is non-zero when
// there was none and it is not optional, after saying so with an example.
func readSecret(env *Env, prompt, what, example string, optional bool) (secret string, code int) {
	if env.IsTerminal(env.Stdin) {
		fmt.Fprint(env.Stderr, prompt)
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	secret = strings.TrimSpace(line)
	if secret == "" && !optional {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fail(env, 1, fmt.Errorf("reading the %s: %w", what, err))
		}
		return "", fail(env, 64, fmt.Errorf("no %s on stdin: e.g. `%s`", what, example))
	}
	return secret, 0
}
