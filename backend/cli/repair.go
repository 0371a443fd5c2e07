package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

// The repairs a fix names (health.ActionSpecs) that are not a login: each
// takes one Page ID.
func init() {
	Register(Command{Name: "resubscribe", Usage: "resubscribe PAGE_ID", Summary: "subscribe the app to a Page's webhooks again, then check it", Run: runResubscribe, Engine: true})
	Register(Command{Name: "ask-admin", Usage: "ask-admin PAGE_ID", Summary: "print a ready message asking a Page admin for the access Pagekeeper needs", Run: runAskAdmin, Engine: true})
	Register(Command{Name: "open-facebook", Usage: "open-facebook PAGE_ID [--print]", Summary: "open the Facebook settings page that fixes a Page's problem", Run: runOpenFacebook, Engine: true})
}

// onePage parses "NAME PAGE_ID [flags]" and opens the keeper.
func onePage(ctx context.Context, env *Env, name string, args []string, def func(*flag.FlagSet)) (*keeper.Keeper, string, int) {
	if def == nil {
		def = func(*flag.FlagSet) {}
	}
	fs, ok := parseFlags(env, name, args, def)
	if !ok {
		return nil, "", 64
	}
	if fs.NArg() != 1 {
		return nil, "", fail(env, 64, fmt.Errorf("%s needs a Page ID (see `pagekeeper status`)", name))
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return nil, "", fail(env, 1, err)
	}
	return k, fs.Arg(0), 0
}

func runResubscribe(ctx context.Context, env *Env, args []string) int {
	k, id, code := onePage(ctx, env, "resubscribe", args, nil)
	if k == nil {
		return code
	}
	defer k.Close()
	if err := k.Resubscribe(ctx, id, "command line"); err != nil {
		return fail(env, 1, err)
	}
	d, err := k.PageDetail(id)
	if err != nil {
		return fail(env, 1, err)
	}
	fmt.Fprintf(env.Stdout, "%s sends its events (posts, comments, messages) to Pagekeeper's app again. Now: %s.\n", d.Page.Name, keeper.StatusLabel(d.Page.Status))
	if d.Page.Status != "valid" {
		fmt.Fprintf(env.Stdout, "%s\n%s\n", d.Page.Summary, d.Page.Fix)
	}
	return 0
}

func runAskAdmin(ctx context.Context, env *Env, args []string) int {
	k, id, code := onePage(ctx, env, "ask-admin", args, nil)
	if k == nil {
		return code
	}
	defer k.Close()
	req, err := k.AskAdmin(id)
	if err != nil {
		return fail(env, 1, err)
	}
	fmt.Fprintln(env.Stdout, req.Message)
	return 0
}

func runOpenFacebook(ctx context.Context, env *Env, args []string) int {
	var print bool
	k, id, code := onePage(ctx, env, "open-facebook", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&print, "print", false, "only print the address")
	})
	if k == nil {
		return code
	}
	defer k.Close()
	url, err := k.FacebookLink(id)
	if err != nil {
		return fail(env, 1, err)
	}
	if url == "" {
		return fail(env, 1, errors.New("this Page's problem is not fixed in Facebook's settings: see `pagekeeper status`"))
	}
	fmt.Fprintln(env.Stdout, url)
	if !print {
		if _, err := k.OpenFacebook(id); err != nil {
			fmt.Fprintf(env.Stderr, "Could not open a browser (%v): visit the address above.\n", err)
		}
	}
	return 0
}
