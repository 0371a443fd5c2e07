package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/pagekeeper/pagekeeper/backend/cli"
)

// runCommand runs a command-line subcommand and returns its exit code.
func runCommand(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Main(ctx, cli.OSEnv(), args)
}
