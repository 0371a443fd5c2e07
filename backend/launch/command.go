// Package launch starts what the two builds' main functions were asked for:
// a command-line subcommand, or, from the command-line build, the window
// build installed beside it.
package launch

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/pagekeeper/pagekeeper/backend/cli"
)

// Command runs a command-line subcommand and returns its exit code.
func Command(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Main(ctx, cli.OSEnv(), args)
}
