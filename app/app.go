// Package app is the only layer the Wails runtime binds: thin methods that
// delegate to backend packages, so everything below it is testable without a window.
package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/datadir"
)

// App is bound to the frontend; each exported method becomes a JS binding.
type App struct {
	ctx context.Context
}

// New returns an App; Startup wires it to the window once Wails is running.
func New() *App { return &App{} }

// Startup is Wails' OnStartup hook.
func (a *App) Startup(ctx context.Context) {
	a.ctx = ctx
}

// About is what the window shows of this build and where it keeps its files.
type About struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	DataDir string `json:"dataDir"`
}

// About reports the app version and data folder.
func (a *App) About() (About, error) {
	dir, err := datadir.Resolve()
	if err != nil {
		return About{}, err
	}
	return About{Name: buildinfo.Name, Version: buildinfo.Version, DataDir: dir}, nil
}

// SecondInstanceHandler returns the hook Wails calls in the first instance when
// Pagekeeper is launched again: bring the existing window forward instead of
// starting a rival writer. A plain function, so it is not bound to the frontend.
func SecondInstanceHandler(a *App) func(options.SecondInstanceData) {
	return func(options.SecondInstanceData) {
		if a.ctx == nil {
			return
		}
		runtime.WindowUnminimise(a.ctx)
		runtime.WindowShow(a.ctx)
	}
}
