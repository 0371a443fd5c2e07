package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

func init() {
	Register(Command{Name: "hooks", Usage: "hooks list|set|remove|test", Summary: "deliver new tokens and status changes to your systems", Run: runHooks,
		Engine: true, Local: setsWebhook})
}

const hooksUsage = `Usage:
  pagekeeper hooks list [--json]
  pagekeeper hooks set [--page PAGE_ID] [--timeout 30s] --command 'COMMAND'
  pagekeeper hooks set [--page PAGE_ID] [--timeout 30s] --webhook URL [--with-token]   (signing secret on stdin)
  pagekeeper hooks remove HOOK_ID
  pagekeeper hooks test HOOK_ID [--page PAGE_ID] [--dry-run]
Without --page a hook is for every Page; a Page's own hook replaces it for that Page.`

// setsWebhook: `hooks set --webhook` reads the signing secret from stdin.
func setsWebhook(args []string) bool {
	if len(args) == 0 || args[0] != "set" {
		return false
	}
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if name := strings.TrimLeft(a, "-"); a != name && (name == "webhook" || strings.HasPrefix(name, "webhook=")) {
			return true
		}
	}
	return false
}

func runHooks(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprintln(env.Stdout, hooksUsage)
		return 0
	}
	switch args[0] {
	case "list":
		return hooksList(ctx, env, args[1:])
	case "set":
		return hooksSet(ctx, env, args[1:])
	case "remove":
		return hooksRemove(ctx, env, args[1:])
	case "test":
		return hooksTest(ctx, env, args[1:])
	}
	return fail(env, 64, fmt.Errorf("unknown hooks command %q\n%s", args[0], hooksUsage))
}

func hooksList(ctx context.Context, env *Env, args []string) int {
	var asJSON bool
	if _, ok := parseFlags(env, "hooks list", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") }); !ok {
		return 64
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	hs, err := k.Hooks()
	if err != nil {
		return fail(env, 1, err)
	}
	if asJSON {
		return printJSON(env, hs, 0)
	}
	if len(hs) == 0 {
		fmt.Fprintln(env.Stdout, "No hooks: add one with `pagekeeper hooks set --command '...'`.")
		return 0
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFOR\tRUNS")
	for _, h := range hs {
		scope := "every Page"
		if h.PageID != "" {
			scope = h.PageName + " (" + h.PageID + ")"
		}
		what := h.Command
		if h.Kind == "webhook" {
			what = "POST " + h.URL + ", signed"
			if h.WithCredential {
				what += ", with the new token"
			}
			if !h.HasSecret {
				what += " (its secret is missing from the keychain: set it again)"
			}
		}
		if h.TimeoutSeconds > 0 {
			what += fmt.Sprintf(" (timeout %ds)", h.TimeoutSeconds)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", h.ID, scope, what)
	}
	tw.Flush()
	return 0
}

func hooksSet(ctx context.Context, env *Env, args []string) int {
	var in keeper.HookInput
	var timeout time.Duration
	fs, ok := parseFlags(env, "hooks set", args, func(fs *flag.FlagSet) {
		fs.StringVar(&in.PageID, "page", "", "only for this Page (default: every Page)")
		fs.StringVar(&in.Command, "command", "", "the command to run (by the shell)")
		fs.StringVar(&in.URL, "webhook", "", "the https:// address to POST signed events to")
		fs.BoolVar(&in.WithCredential, "with-token", false, "the webhook's new-token event carries the token")
		fs.DurationVar(&timeout, "timeout", 0, "how long a run may take (default 30s)")
	})
	if !ok {
		return 64
	}
	if fs.NArg() != 0 || (in.Command == "") == (in.URL == "") {
		return fail(env, 64, errors.New("hooks set needs --command 'COMMAND' or --webhook URL\n"+hooksUsage))
	}
	in.TimeoutSeconds = int(timeout.Round(time.Second) / time.Second)
	if in.URL != "" {
		secret, code := readSecret(env, "Webhook signing secret (at least 16 characters; empty keeps the stored one): ",
			"webhook signing secret", "`openssl rand -hex 32 | pagekeeper hooks set --webhook URL`", true)
		if code != 0 {
			return code
		}
		in.Secret = secret
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	h, err := k.SetHook(in)
	if err != nil {
		return fail(env, 1, err)
	}
	fmt.Fprintf(env.Stdout, "Hook %s is set. Try it with `pagekeeper hooks test %s --page PAGE_ID`.\n", h.ID, h.ID)
	return 0
}

func hooksRemove(ctx context.Context, env *Env, args []string) int {
	fs, ok := parseFlags(env, "hooks remove", args, func(*flag.FlagSet) {})
	if !ok {
		return 64
	}
	if fs.NArg() != 1 {
		return fail(env, 64, errors.New("hooks remove needs a hook ID (see `pagekeeper hooks list`)"))
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	if err := k.RemoveHook(fs.Arg(0)); err != nil {
		return fail(env, 1, err)
	}
	fmt.Fprintf(env.Stdout, "Hook %s is removed.\n", fs.Arg(0))
	return 0
}

func hooksTest(ctx context.Context, env *Env, args []string) int {
	var pageID string
	var dry, asJSON bool
	fs, ok := parseFlags(env, "hooks test", args, func(fs *flag.FlagSet) {
		fs.StringVar(&pageID, "page", "", "the Page to test it on (default: the hook's own Page)")
		fs.BoolVar(&dry, "dry-run", false, "say what it would run, run nothing")
		fs.BoolVar(&asJSON, "json", false, "print the result as JSON")
	})
	if !ok {
		return 64
	}
	if fs.NArg() != 1 {
		return fail(env, 64, errors.New("hooks test needs a hook ID (see `pagekeeper hooks list`)"))
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	if dry {
		plan, err := k.PlanHooks(fs.Arg(0), pageID)
		if err != nil {
			return fail(env, 1, err)
		}
		fmt.Fprintln(env.Stdout, plan)
		return 0
	}
	res, err := k.TestHook(ctx, fs.Arg(0), pageID)
	if err != nil {
		return fail(env, 1, err)
	}
	code := 0
	if !res.OK {
		code = 1
	}
	if asJSON {
		return printJSON(env, res, code)
	}
	if res.OK {
		fmt.Fprintf(env.Stdout, "Hook %s worked (%s).\n", res.HookID, res.Duration)
	} else {
		fmt.Fprintf(env.Stdout, "Hook %s failed: %s\n", res.HookID, res.Error)
	}
	for _, l := range res.Output {
		fmt.Fprintln(env.Stdout, "  "+l)
	}
	return code
}
