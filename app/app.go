// Package app is the only layer the Wails runtime binds: thin methods that
// delegate to backend packages, so everything below it is testable without a window.
package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/datadir"
	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/metaapp"
)

// App is bound to the frontend; each exported method becomes a JS binding.
type App struct {
	shell  *Shell
	keeper *keeper.Keeper

	restMu sync.Mutex
	rests  []rest // what the last pulls left for SnapshotRest, oldest first
	// ready is a pull worked out while WebKit loads the page (prepare), for
	// the window's first Snapshot call: building it took ~30 ms of the
	// launch at 1,000 Pages.
	ready *WindowSnapshot
}

// rest is the Pages the pull of snapshot seq left out.
type rest struct {
	seq   int64
	pages []keeper.PageView
}

// keptRests bounds what pulls whose rest never came keep; a dev build has
// two windows (WebKit's and the browser's), each with its own pull.
const keptRests = 4

// WindowSnapshot is the window's pull of the state: the summary whole, of
// the Pages the first rows of the list and every Page with a problem (in
// keeper's list form), and how many more SnapshotRest gives.
type WindowSnapshot struct {
	Snapshot keeper.Snapshot `json:"snapshot"`
	More     int             `json:"more"`
}

// About is what the window shows of this build and where it keeps its files.
type About struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	DataDir string `json:"dataDir"`
}

var errNotReady = errors.New("Pagekeeper is still starting; try again in a moment")

// startWait bounds how long a bound call waits for the start (a command
// may hold the data folder longer); then it says Pagekeeper is starting.
const startWait = 10 * time.Second

func (a *App) k() (*keeper.Keeper, error) {
	if a.shell != nil {
		select {
		case <-a.shell.started:
		case <-time.After(startWait):
		}
		// Try the demo swaps the keeper while bound calls may run.
		a.shell.mu.Lock()
		defer a.shell.mu.Unlock()
	}
	if a.keeper == nil {
		if a.shell != nil && a.shell.startErr != nil {
			return nil, a.shell.startErr
		}
		return nil, errNotReady
	}
	return a.keeper, nil
}

// About reports the app version and data folder.
func (a *App) About() (About, error) {
	dir, err := datadir.Resolve()
	if k, kerr := a.k(); kerr == nil {
		dir, err = k.DataDir(), nil
	}
	if err != nil {
		return About{}, err
	}
	return About{Name: buildinfo.Name, Version: buildinfo.Version, DataDir: dir}, nil
}

// Snapshot is the window's pull of the whole state, its first rows now and
// the other Pages from SnapshotRest; later changes arrive as events.
func (a *App) Snapshot() (WindowSnapshot, error) {
	k, err := a.k()
	if err != nil {
		return WindowSnapshot{}, err
	}
	a.restMu.Lock()
	ready := a.ready
	a.ready = nil
	a.restMu.Unlock()
	// Only while nothing newer went out: a change numbered after it would
	// not apply to it.
	if ready != nil && k.SentSeq() == ready.Snapshot.Seq {
		return *ready, nil
	}
	return a.pull(k)
}

// prepare works out the window's first pull ahead of its call.
func (a *App) prepare(k *keeper.Keeper) {
	ws, err := a.pull(k)
	if err != nil {
		return // the call will say it
	}
	a.restMu.Lock()
	a.ready = &ws
	a.restMu.Unlock()
}

func (a *App) pull(k *keeper.Keeper) (WindowSnapshot, error) {
	snap, err := k.Snapshot()
	if err != nil {
		return WindowSnapshot{}, err
	}
	head, others := snap.ListForm().Head(keeper.FirstRows)
	if len(others) > 0 {
		a.restMu.Lock()
		a.rests = append(a.rests, rest{snap.Seq, others})
		if len(a.rests) > keptRests {
			a.rests = a.rests[1:]
		}
		a.restMu.Unlock()
	}
	return WindowSnapshot{Snapshot: head, More: len(others)}, nil
}

// SnapshotRest is the Pages the pull of the snapshot numbered seq left out,
// once; an error when none are kept for it (the window then pulls again).
func (a *App) SnapshotRest(seq int64) ([]keeper.PageView, error) {
	a.restMu.Lock()
	defer a.restMu.Unlock()
	for i, r := range a.rests {
		if r.seq == seq {
			a.rests = append(a.rests[:i], a.rests[i+1:]...)
			return r.pages, nil
		}
	}
	return nil, errStaleSnapshot
}

var errStaleSnapshot = errors.New("the window's snapshot is out of date")

// Painted is the window saying it shows its first data: the checks that
// wait for it may start.
func (a *App) Painted() {
	if a.shell != nil {
		a.shell.windowPainted()
	}
}

// CheckNow starts a check of every Page; progress arrives as events.
func (a *App) CheckNow() error {
	k, err := a.k()
	if err != nil {
		return err
	}
	return k.CheckNow(context.Background())
}

// CheckPage runs a complete check of one Page ("Check again") and returns
// when it is done; progress and the new state arrive as events too.
func (a *App) CheckPage(pageID string) error {
	k, err := a.k()
	if err != nil {
		return err
	}
	_, err = k.CheckPage(context.Background(), pageID)
	return err
}

// PageDetail is the feature matrix, activity log and status timeline of a Page.
func (a *App) PageDetail(pageID string) (keeper.PageDetail, error) {
	k, err := a.k()
	if err != nil {
		return keeper.PageDetail{}, err
	}
	return k.PageDetail(pageID)
}

// Labels are the plain names of the permissions and Page tasks, keyed by
// Facebook's raw names (which the window keeps for a support detail line).
func (a *App) Labels() map[string]string { return health.Labels() }

// MetaAppGuide is the guided setup of the Meta app, its links aimed at appID when known.
func (a *App) MetaAppGuide(appID string) (metaapp.Guide, error) {
	k, err := a.k()
	if err != nil {
		return metaapp.Guide{}, err
	}
	// The settings hold the redirect address; a whole snapshot would
	// diagnose every Page for it.
	set, err := k.Settings()
	if err != nil {
		return metaapp.Guide{}, err
	}
	return metaapp.Steps(set.RedirectURI, appID), nil
}

// CheckMetaApp asks Facebook about an App ID and secret as they are pasted,
// without keeping them; a refusal comes back in the AppCheck, not as an error.
func (a *App) CheckMetaApp(appID, appSecret string) (keeper.AppCheck, error) {
	k, err := a.k()
	if err != nil {
		return keeper.AppCheck{}, err
	}
	return keeper.AppCheckOf(k.CheckApp(context.Background(), appID, appSecret))
}

// SetupMetaApp stores the owner's Meta App ID and secret after Facebook accepts them.
func (a *App) SetupMetaApp(appID, appSecret string) (keeper.AppCheck, error) {
	k, err := a.k()
	if err != nil {
		return keeper.AppCheck{}, err
	}
	err = k.SetupApp(context.Background(), appID, appSecret)
	return keeper.AppCheckOf(k.AppName(), err)
}

// StartConnect opens "Log in with Facebook" in the browser; the result arrives as an event.
func (a *App) StartConnect() (keeper.LoginStart, error) {
	k, err := a.k()
	if err != nil {
		return keeper.LoginStart{}, err
	}
	return k.StartLogin(context.Background(), keeper.LoginRequest{})
}

// StartReauthorize repairs the Pages of one person (profileID) or of one Page (pageID).
func (a *App) StartReauthorize(profileID, pageID string) (keeper.LoginStart, error) {
	k, err := a.k()
	if err != nil {
		return keeper.LoginStart{}, err
	}
	return k.StartLogin(context.Background(), keeper.LoginRequest{ProfileID: profileID, PageID: pageID, Reauthorize: true})
}

// CancelLogin stops a login in progress and frees its port.
func (a *App) CancelLogin() error {
	k, err := a.k()
	if err != nil {
		return err
	}
	k.CancelLogin()
	return nil
}

// FinishConnect connects the chosen Pages of the last login.
func (a *App) FinishConnect(pageIDs []string) (keeper.ApplyResult, error) {
	k, err := a.k()
	if err != nil {
		return keeper.ApplyResult{}, err
	}
	return k.FinishConnect(context.Background(), pageIDs)
}

// Disconnect forgets a Page's token and keeps its history.
func (a *App) Disconnect(pageID string, unsubscribeWebhooks bool) error {
	k, err := a.k()
	if err != nil {
		return err
	}
	return k.Disconnect(context.Background(), pageID, unsubscribeWebhooks, "you")
}

// RemovePlan lists what removing a person does: Pages moved to another
// connected person who manages them, and Pages no longer watched.
func (a *App) RemovePlan(profileID string) (keeper.RemovePlan, error) {
	k, err := a.k()
	if err != nil {
		return keeper.RemovePlan{}, err
	}
	return k.RemovePlan(profileID)
}

// RemoveProfile forgets a person's token; their Pages move to another
// connected person who manages them, the others are disconnected.
func (a *App) RemoveProfile(profileID string) (keeper.RemovePlan, error) {
	k, err := a.k()
	if err != nil {
		return keeper.RemovePlan{}, err
	}
	return k.RemovePerson(context.Background(), profileID, "you")
}

// Resubscribe subscribes the app to a Page's webhooks again, then checks it.
func (a *App) Resubscribe(pageID string) error {
	k, err := a.k()
	if err != nil {
		return err
	}
	return k.Resubscribe(context.Background(), pageID, "you")
}

// AskAdmin is the ready message for a Page admin, with the Page access link.
func (a *App) AskAdmin(pageID string) (keeper.AdminRequest, error) {
	k, err := a.k()
	if err != nil {
		return keeper.AdminRequest{}, err
	}
	return k.AskAdmin(pageID)
}

// OpenFacebook opens the Facebook settings page that fixes a Page's problem
// in the system browser, and returns its address.
func (a *App) OpenFacebook(pageID string) (string, error) {
	k, err := a.k()
	if err != nil {
		return "", err
	}
	return k.OpenFacebook(pageID)
}

// GetSettings returns the settings as the window edits them.
func (a *App) GetSettings() (keeper.SettingsView, error) {
	k, err := a.k()
	if err != nil {
		return keeper.SettingsView{}, err
	}
	return k.Settings()
}

// SaveSettings validates and stores the settings.
func (a *App) SaveSettings(s keeper.SettingsView) error {
	k, err := a.k()
	if err != nil {
		return err
	}
	if err := k.SaveSettings(s); err != nil {
		return err
	}
	if a.shell != nil {
		return a.shell.applyDesktopSettings(s)
	}
	return nil
}

// ReplaceAppSecret swaps the stored app secret after Facebook accepts it.
func (a *App) ReplaceAppSecret(appSecret string) error {
	k, err := a.k()
	if err != nil {
		return err
	}
	return k.ReplaceAppSecret(context.Background(), appSecret)
}

// ExportPages asks where to save and writes the page list as "csv" or "json".
func (a *App) ExportPages(format string) (string, error) {
	k, err := a.k()
	if err != nil {
		return "", err
	}
	if a.shell == nil {
		return "", errNotReady
	}
	return a.shell.export(k, format)
}

// Scenarios lists what the demo's Simulate panel can break (empty outside demo mode).
func (a *App) Scenarios() ([]keeper.ScenarioView, error) {
	k, err := a.k()
	if err != nil {
		return nil, err
	}
	return k.Scenarios(), nil
}

// Simulate triggers a sandbox scenario in demo mode; targetID is a person or Page ID.
func (a *App) Simulate(kind, targetID string) error {
	k, err := a.k()
	if err != nil {
		return err
	}
	return k.Simulate(context.Background(), kind, targetID)
}

// ResetSimulation clears every simulated fault and breakage in demo mode.
func (a *App) ResetSimulation() error {
	k, err := a.k()
	if err != nil {
		return err
	}
	return k.ResetSimulation()
}

// StartDemo switches this window to demo mode (the first-run "Try the demo").
func (a *App) StartDemo() error {
	if a.shell == nil {
		return errNotReady
	}
	return a.shell.startDemo()
}

// Quit stops Pagekeeper, checks included (closing the window may only hide it).
func (a *App) Quit() error {
	if a.shell == nil || a.shell.rt == nil {
		return errNotReady
	}
	a.shell.quit()
	return nil
}

// LastLogin is the result of the last login that ended, for a window that
// was reloaded while the person chose their Pages.
func (a *App) LastLogin() (keeper.LoginResult, error) {
	k, err := a.k()
	if err != nil {
		return keeper.LoginResult{}, err
	}
	return k.LastLogin(), nil
}

// Notices are the last problems Pagekeeper met in the background.
func (a *App) Notices() ([]keeper.Notice, error) {
	k, err := a.k()
	if err != nil {
		return []keeper.Notice{{Level: "error", Message: err.Error()}}, nil
	}
	return k.Notices(), nil
}
