//go:build dev || production || bindings

// The window build (wails build, wails dev, the e2e's -tags dev): it links
// GTK and WebKit. The command line's own build is nowindow.go without these
// tags; see README's "How it is built".

package main

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"github.com/pagekeeper/pagekeeper/app"
	"github.com/pagekeeper/pagekeeper/app/window"
	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/cli"
	"github.com/pagekeeper/pagekeeper/backend/datadir"
	"github.com/pagekeeper/pagekeeper/backend/launch"
	"github.com/pagekeeper/pagekeeper/backend/printable"
)

//go:embed all:frontend/dist
var assets embed.FS

// The window's icon: build/appicon.png (1024 px, which the installers
// use) made 256 px. GTK decodes it at every start; the big one cost ~30 ms
// and 4 MiB.
//
//go:embed build/windowicon.png
var icon []byte

func main() {
	args := os.Args[1:]
	if !cli.OpensWindow(args) {
		os.Exit(launch.Command(args))
	}
	if err := cli.WindowProblem(runtime.GOOS, os.Getenv); err != nil && !buildinfo.GeneratingBindings {
		fmt.Fprintln(os.Stderr, "pagekeeper:", err)
		os.Exit(1)
	}
	if err := runWindow(len(args) > 0 && args[0] == "demo" || os.Getenv("PAGEKEEPER_DEMO") == "1"); err != nil {
		fmt.Fprintln(os.Stderr, "pagekeeper:", printable.Clean(err.Error()))
		window.ShowError(printable.Clean(err.Error()))
		os.Exit(1)
	}
}

func runWindow(demo bool) error {
	shell := app.NewShell(demo)
	// A plain kill (logout, a service manager, a test) quits for real, even
	// when closing the window would only hide it.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-sigs
		shell.Terminate()
	}()
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
		Bind:    []interface{}{shell.App},
		Windows: window.WindowsOptions(),
		Linux: &linux.Options{
			Icon:        icon,
			ProgramName: "pagekeeper",
			// Wails' own default when no Linux options are given: without it
			// WebKit composites on demand, ~90 MiB more for the same page.
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
}

// instanceID makes one window per data folder: a second launch on the same
// folder brings the first window forward, while a test (or a second setup)
// on another folder runs beside it.
func instanceID(demo bool) string {
	id := buildinfo.BundleID
	if demo {
		id += ".demo"
	}
	dir, err := datadir.Resolve()
	if err != nil {
		return id
	}
	sum := sha256.Sum256([]byte(dir))
	return id + "." + hex.EncodeToString(sum[:6])
}
