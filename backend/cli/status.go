package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

// Exit codes of `check`, after the Nagios plugin convention.
const (
	ExitOK       = 0
	ExitWarning  = 1
	ExitCritical = 2
	ExitUnknown  = 3
)

func init() {
	Register(Command{Name: "status", Usage: "status [--json]", Summary: "show every Page's last known status", Run: runStatus, Engine: true})
	Register(Command{Name: "check", Usage: "check [--json]", Summary: "check every Page now (exit 0 ok, 1 warning, 2 invalid, 3 could not check)", Run: runCheck, Engine: true})
}

func parseFlags(env *Env, name string, args []string, def func(*flag.FlagSet)) (*flag.FlagSet, bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	def(fs)
	// The usages put flags after the IDs ("log PAGE_ID --json"); the flag
	// package stops at the first argument that is not a flag, so parse on
	// past each one. After "--" everything is an argument.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	fs.Parse(append([]string{"--"}, pos...))
	return fs, true
}

func runStatus(ctx context.Context, env *Env, args []string) int {
	var asJSON bool
	if _, ok := parseFlags(env, "status", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") }); !ok {
		return 64
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, ExitUnknown, err)
	}
	defer k.Close()
	snap, err := k.Snapshot()
	if err != nil {
		return fail(env, ExitUnknown, err)
	}
	if asJSON {
		return printJSON(env, keeper.NewReport(snap), ExitOK)
	}
	if !snap.Configured && len(snap.Pages) == 0 {
		fmt.Fprintln(env.Stdout, "Pagekeeper is not set up yet: run `pagekeeper setup --app-id ID`, then `pagekeeper connect`.\nOr try it on the built-in sandbox: `pagekeeper demo`.")
		return ExitUnknown
	}
	printTable(env.Stdout, snap)
	return ExitOK
}

func runCheck(ctx context.Context, env *Env, args []string) int {
	var asJSON bool
	if _, ok := parseFlags(env, "check", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") }); !ok {
		return 64
	}
	progress := raw(env.Stderr)
	showProgress := env.IsTerminal(progress)
	k, err := openKeeper(ctx, env, func(name string, data any) {
		if st, ok := data.(keeper.CheckState); ok && showProgress && name == keeper.EventCheckProgress && st.Running && st.Total > 0 {
			fmt.Fprintf(progress, "\rChecking %d of %d Pages...", st.Done, st.Total)
		}
	})
	if err != nil {
		return fail(env, ExitUnknown, err)
	}
	defer k.Close()
	rep, err := k.Check(ctx, nil)
	if showProgress {
		fmt.Fprint(progress, "\r\033[K")
	}
	if err != nil {
		return fail(env, ExitUnknown, fmt.Errorf("could not check: %w", err))
	}
	if rep.NotifyError != nil {
		fmt.Fprintf(env.Stderr, "pagekeeper: could not show a desktop notification: %v\n", rep.NotifyError)
	}
	snap, err := k.Snapshot()
	if err != nil {
		return fail(env, ExitUnknown, err)
	}
	code := exitCode(snap, rep.Unreachable > 0)
	defer func() {
		// After the answer: a check from cron moves the tokens of a
		// keychain from before the numbered entries too (once, seconds).
		if err := k.MigrateTokens(); err != nil {
			fmt.Fprintf(env.Stderr, "pagekeeper: could not move the Page tokens to the keychain's new layout (they stay readable where they are): %v\n", err)
		}
	}()
	// Whatever was not checked is said once on stderr, so a script that
	// keeps stdout (the JSON) still logs why.
	switch {
	case rep.Unreachable > 0:
		fmt.Fprintf(env.Stderr, "pagekeeper: %s\n", rep.UnreachableWhy)
	case code == ExitUnknown:
		fmt.Fprintf(env.Stderr, "pagekeeper: %s\n", neverConfirmed(snap))
	}
	if asJSON {
		report := keeper.NewReport(snap)
		report.MarkUnchecked(rep)
		return printJSON(env, report, code)
	}
	printTable(env.Stdout, snap)
	return code
}

// neverConfirmed says which Pages have no confirmed status at all.
func neverConfirmed(snap keeper.Snapshot) string {
	var names []string
	why := ""
	for _, p := range snap.Pages {
		if p.Status == "unknown" {
			names = append(names, line(p.Name))
			if why == "" {
				why = p.Summary
			}
		}
	}
	return fmt.Sprintf("%d Pages have never been confirmed (%s): %s", len(names), strings.Join(names, ", "), why)
}

// exitCode: an invalid Page is the most urgent news; a Page that could not be
// checked comes next (its true state is unknown), then warnings.
func exitCode(snap keeper.Snapshot, unreachable bool) int {
	var invalid, warning, unknown bool
	for _, p := range snap.Pages {
		switch p.Status {
		case "invalid":
			invalid = true
		case "warning":
			warning = true
		case "unknown":
			unknown = true
		}
	}
	switch {
	case invalid:
		return ExitCritical
	case unknown || unreachable:
		return ExitUnknown
	case warning:
		return ExitWarning
	}
	return ExitOK
}

func printJSON(env *Env, v any, code int) int {
	w := bufio.NewWriter(env.Stdout)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fail(env, ExitUnknown, err)
	}
	if err := w.Flush(); err != nil {
		return fail(env, ExitUnknown, err)
	}
	return code
}

func printTable(out io.Writer, snap keeper.Snapshot) {
	// One write for the table, not one per cell (16,000 for 1,000 Pages).
	w := bufio.NewWriter(out)
	defer w.Flush()
	if len(snap.Pages) == 0 {
		fmt.Fprintln(w, "No Pages connected yet: run `pagekeeper connect`.")
		return
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tPAGE\tPAGE ID\tINSTAGRAM\tCONNECTED BY\tWHY\tCHECKED")
	for _, p := range snap.Pages {
		why := p.Summary
		if p.Status == "valid" {
			why = "-"
		}
		ig := "-"
		if p.InstagramUsername != "" {
			ig = "@" + p.InstagramUsername
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", keeper.StatusLabel(p.Status), line(p.Name), line(p.ID), line(ig), line(p.ProfileName), clip(line(why), 70), ago(p.CheckedAt))
	}
	tw.Flush()
	c := snap.Counts
	fmt.Fprintf(w, "\n%d Pages: %d %s, %d %s, %d %s, %d %s, %d %s\n", c.Total, c.Valid, keeper.StatusLabel("valid"), c.Warning, keeper.StatusLabel("warning"),
		c.Invalid, keeper.StatusLabel("invalid"), c.Unknown, keeper.StatusLabel("unknown"), c.Disconnected, keeper.StatusLabel("disconnected"))
	for _, p := range snap.Pages {
		if p.Status == "invalid" || p.Status == "warning" {
			fmt.Fprintf(w, "  %s: %s\n", line(p.Name), line(p.Fix))
			for _, a := range p.Actions {
				fmt.Fprintf(w, "      %-17s %s\n", a.Label+":", a.Command)
			}
		}
	}
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func ago(ts string) string {
	if ts == "" {
		return "never"
	}
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	d := time.Since(t).Round(time.Minute)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return t.Local().Format("2006-01-02 15:04")
}
