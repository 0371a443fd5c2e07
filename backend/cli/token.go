package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/pagekeeper/pagekeeper/backend/vault"
)

func init() {
	Register(Command{Name: "token", Usage: "token PAGE_ID [--show]", Summary: "print a Page's current token for a script (logged)", Run: runToken})
	// The part of `token` that runs in the window: it logs the read.
	Register(Command{Name: "token-read", Usage: "token-read PAGE_ID HOW", Summary: "(token's part in the app)", Run: runTokenRead, Engine: true, Hidden: true})
}

// runToken hands a Page's token to a script the owner runs on purpose, as
// `gh auth token` does. On a terminal it would end up on the screen and in
// the scrollback, so there it wants --show.
func runToken(ctx context.Context, env *Env, args []string) int {
	var show bool
	fs, ok := parseFlags(env, "token", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&show, "show", false, "print it even on a terminal")
	})
	if !ok {
		return 64
	}
	if fs.NArg() != 1 {
		return fail(env, 64, errors.New("token needs a Page ID (see `pagekeeper status`)"))
	}
	onScreen := env.IsTerminal(env.Stdout)
	if onScreen && !show {
		return fail(env, 64, errors.New("not printing a token to the terminal: pipe it into the program that needs it (pagekeeper token PAGE_ID | ...), or add --show"))
	}
	how := "`pagekeeper token` (for a script)"
	if onScreen {
		how = "`pagekeeper token --show` (shown on a terminal)"
	}
	if env.site == nil {
		c, s := reach(ctx, env)
		if c != nil {
			// A token never crosses the window's socket: the window logs
			// the read (and finds the Page and its token), this process
			// reads the keychain itself.
			if code := runInEngine(ctx, env, c, "token-read", []string{fs.Arg(0), how}); code != 0 {
				return code
			}
			tok, err := vault.New(secretsFor(env)).PageToken(fs.Arg(0))
			if err != nil {
				return fail(env, 1, err)
			}
			fmt.Fprintln(env.Stdout, tok)
			return 0
		}
		defer s.close()
		env = withSite(env, s)
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	tok, err := k.ReadToken(fs.Arg(0), how)
	if err != nil {
		return fail(env, 1, err)
	}
	fmt.Fprintln(env.Stdout, tok)
	return 0
}

func runTokenRead(ctx context.Context, env *Env, args []string) int {
	if len(args) != 2 {
		return fail(env, 64, errors.New("token-read needs a Page ID and how it is read"))
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	if _, err := k.ReadToken(args[0], args[1]); err != nil {
		return fail(env, 1, err)
	}
	return 0
}
