package cli

import (
	"context"
	"flag"
	"fmt"
)

func init() {
	Register(Command{Name: "export", Usage: "export [--format csv|json]", Summary: "print the page list as CSV (or JSON) for a spreadsheet or a script", Run: runExport, Engine: true})
}

func runExport(ctx context.Context, env *Env, args []string) int {
	var format string
	fs, ok := parseFlags(env, "export", args, func(fs *flag.FlagSet) { fs.StringVar(&format, "format", "csv", "csv or json") })
	if !ok {
		return 64
	}
	if fs.NArg() > 0 {
		return fail(env, 64, fmt.Errorf("export takes no arguments, got %q: redirect its output to a file (pagekeeper export > pages.csv)", fs.Arg(0)))
	}
	if format != "csv" && format != "json" {
		return fail(env, 64, fmt.Errorf("unknown export format %q: use csv or json", format))
	}
	k, err := openKeeper(ctx, env, nil)
	if err != nil {
		return fail(env, 1, err)
	}
	defer k.Close()
	if err := k.Export(env.Stdout, format); err != nil {
		return fail(env, 1, err)
	}
	return 0
}
