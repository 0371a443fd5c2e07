package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/pagekeeper/pagekeeper/app"
	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/cli"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	args := os.Args[1:]
	if !cli.OpensWindow(args) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Main(ctx, cli.OSEnv(), args)
		stop()
		os.Exit(code)
	}
	if err := runWindow(len(args) > 0 && args[0] == "demo" || os.Getenv("PAGEKEEPER_DEMO") == "1"); err != nil {
		fmt.Fprintln(os.Stderr, "pagekeeper:", err)
		os.Exit(1)
	}
}

func runWindow(demo bool) error {
	shell := app.NewShell(demo)
	return wails.Run(&options.App{
		Title:     buildinfo.Name,
		Width:     1180,
		Height:    780,
		MinWidth:  860,
		MinHeight: 560,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		OnStartup:     shell.Startup,
		OnShutdown:    shell.Shutdown,
		OnBeforeClose: shell.BeforeClose,
		SingleInstanceLock: &options.SingleInstanceLock{
			// The demo runs on a throwaway data folder, so it may run beside the real app.
			UniqueId:               instanceID(demo),
			OnSecondInstanceLaunch: shell.SecondInstance,
		},
		Bind: []interface{}{shell.App},
		Linux: &linux.Options{
			Icon:        icon,
			ProgramName: "pagekeeper",
		},
	})
}

func instanceID(demo bool) string {
	if demo {
		return "io.github.pagekeeper.desktop.demo"
	}
	return "io.github.pagekeeper.desktop"
}
