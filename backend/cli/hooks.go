package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/engine"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

func init() {
	Register(Command{Name: "hooks", Usage: "hooks list|set|remove|test", Summary: "deliver new tokens and status changes to your systems", Run: runHooks,
		Engine: true, Local: setsWebhook, Client: hooksSetBeside})
}

const hooksUsage = `Usage:
  pagekeeper hooks list [--json]
  pagekeeper hooks set [--page PAGE_ID] [--timeout 30s] --command 'COMMAND'
  pagekeeper hooks set [--page PAGE_ID] [--timeout 30s] --webhook URL [--with-token]   (signing secret on stdin)
  pagekeeper hooks remove HOOK_ID
  pagekeeper hooks test HOOK_ID [--page PAGE_ID] [--dry-run]
Without --page a hook is for every Page; a Page's own hook replaces it for that Page.`

// secretRefFlag hands `hooks set --webhook` run in the app the signing
// secret through the keychain (see hooksSetBeside); keepSecret as its
// value keeps the stored one.
const (
	secretRefFlag = "secret-ref"
	keepSecret    = "-"
)

// setsWebhook: `hooks set --webhook` reads the signing secret from stdin
// (unless it comes through the keychain).
func setsWebhook(args []string) bool {
	if len(args) == 0 || args[0] != "set" {
		return false
	}
	webhook := false
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		name := strings.TrimLeft(a, "-")
		if a == name {
			continue
		}
		switch {
		case name == "webhook" || strings.HasPrefix(name, "webhook="):
			webhook = true
		case name == secretRefFlag || strings.HasPrefix(name, secretRefFlag+"="):
			return false
		}
	}
	return webhook
}

// hooksSetBeside runs `hooks set --webhook` beside the window. The signing
// secret never crosses the socket: this process reads it from stdin and
// puts it in the keychain under a one-time name, which the app takes it
// from (and deletes) while it sets the hook, with the same checks and words
// as without the window.
func hooksSetBeside(ctx context.Context, env *Env, c *engine.Client, args []string) int {
	secret, code := readSecret(env, webhookSecretPrompt, "webhook signing secret", webhookSecretExample, true)
	if code != 0 {
		return code
	}
	ref := keepSecret
	if secret != "" {
		b := make([]byte, 12)
		rand.Read(b)
		ref = hex.EncodeToString(b)
		v := vault.New(secretsFor(env))
		if err := v.SetHookSecret(keeper.StagedSecretID(ref), secret); err != nil {
			return fail(env, 1, err)
		}
		defer v.DeleteHookSecret(keeper.StagedSecretID(ref)) // the app took it, or it was refused
	}
	return runInEngine(ctx, env, c, "hooks", append([]string{"set", "--" + secretRefFlag + "=" + ref}, args[1:]...))
}

const (
	webhookSecretPrompt  = "Webhook signing secret (at least 16 characters; empty keeps the stored one): "
	webhookSecretExample = "`openssl rand -hex 32 | pagekeeper hooks set --webhook URL`"
)

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
	var secretRef string
	fs, ok := parseFlags(env, "hooks set", args, func(fs *flag.FlagSet) {
		fs.StringVar(&secretRef, secretRefFlag, "", "(internal) the keychain name the signing secret was put under, beside the window")
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
	if in.URL != "" && secretRef == "" {
		secret, code := readSecret(env, webhookSecretPrompt, "webhook signing secret", webhookSecretExample, true)
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
	if in.URL != "" && secretRef != "" && secretRef != keepSecret {
		if in.Secret, err = k.TakeStagedSecret(secretRef); err != nil {
			return fail(env, 1, err)
		}
	}
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
