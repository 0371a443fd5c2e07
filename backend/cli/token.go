package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

func init() {
	Register(Command{Name: "token", Usage: "token PAGE_ID [--show]", Summary: "print a Page's current token for a script (logged)", Run: runToken})
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
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	how := "`pagekeeper token` (for a script)"
	if onScreen {
		how = "`pagekeeper token --show` (shown on a terminal)"
	}
	tok, err := k.ReadToken(fs.Arg(0), how)
	if err != nil {
		return fail(env, 1, err)
	}
	fmt.Fprintln(env.Stdout, tok)
	return 0
}
