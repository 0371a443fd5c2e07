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
	if err := runWindow(); err != nil {
		fmt.Fprintln(os.Stderr, "pagekeeper:", err)
		os.Exit(1)
	}
}

func runWindow() error {
	a := app.New()
	return wails.Run(&options.App{
		Title:     buildinfo.Name,
		Width:     1180,
		Height:    780,
		MinWidth:  860,
		MinHeight: 560,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		OnStartup: a.Startup,
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "io.github.pagekeeper.desktop",
			OnSecondInstanceLaunch: app.SecondInstanceHandler(a),
		},
		Bind: []interface{}{a},
		Linux: &linux.Options{
			Icon:        icon,
			ProgramName: "pagekeeper",
		},
	})
}
