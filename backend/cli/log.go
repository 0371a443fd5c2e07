package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

func init() {
	Register(Command{Name: "log", Usage: "log PAGE_ID [--json]", Summary: "show a Page's activity log and status history", Run: runLog, Engine: true})
}

func runLog(ctx context.Context, env *Env, args []string) int {
	var asJSON bool
	fs, ok := parseFlags(env, "log", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") })
	if !ok {
		return 64
	}
	if fs.NArg() != 1 {
		return fail(env, 64, errors.New("log needs a Page ID (see `pagekeeper status`)"))
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	d, err := k.PageDetail(fs.Arg(0))
	if err != nil {
		return fail(env, 1, err)
	}
	if asJSON {
		return printJSON(env, map[string]any{"page": d.Page.ID, "name": d.Page.Name, "activity": d.Activity, "history": d.History}, 0)
	}
	fmt.Fprintf(env.Stdout, "%s (%s): %s\n\n", line(d.Page.Name), line(d.Page.ID), keeper.StatusLabel(d.Page.Status))
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tWHAT HAPPENED\tFOR SUPPORT")
	for _, a := range d.Activity {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.At, line(a.Sentence), a.Kind)
	}
	tw.Flush()
	return 0
}
