// Package keeper is Pagekeeper as a service: it wires the store, the vault,
// the Graph client, the monitor, notifications and logins together, for the
// window (app/) and the command line alike.
package keeper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/datadir"
	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/hooks"
	"github.com/pagekeeper/pagekeeper/backend/login"
	"github.com/pagekeeper/pagekeeper/backend/metaapp"
	"github.com/pagekeeper/pagekeeper/backend/monitor"
	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// Environment variables that point Pagekeeper at another Facebook (a sandbox).
const (
	EnvGraphURL    = "PAGEKEEPER_GRAPH_URL"
	EnvFacebookURL = "PAGEKEEPER_FACEBOOK_URL"
	// EnvKeyringService names another keychain service than "pagekeeper",
	// to keep two setups (or tests and benchmarks) apart; the window and the
	// commands both follow it.
	EnvKeyringService = "PAGEKEEPER_KEYRING_SERVICE"
)

// Options configures a Keeper. The zero value is the real app on the real keychain.
type Options struct {
	DataDir string // "" = the default data folder
	// Demo runs on an in-process sandbox with a throwaway data folder and
	// in-memory secrets: nothing of the demo outlives the process.
	Demo    bool
	Secrets vault.Secrets // nil = the OS keychain
	// GraphURL and FacebookURL override the settings (PAGEKEEPER_GRAPH_URL...).
	GraphURL, FacebookURL string
	Emit                  func(name string, data any) // events for the window; nil = none
	Opener                func(url string) error      // opens the login in a browser
	Sender                notify.Sender               // nil = D-Bus
	Now                   func() time.Time
	HTTPClient            *http.Client
	OnUsage               func([]graph.Usage) // every usage header Facebook sends (benchmarks, diagnostics)
	// LockWait is how long Open waits for another process to release the
	// database (0 = a second).
	LockWait time.Duration
}

// Keeper is one running Pagekeeper.
type Keeper struct {
	opts  Options
	dir   string
	db    *store.DB
	vault *vault.Vault
	sb    *sandbox.Server
	tmp   string // demo data folder, removed on Close
	refs  int    // Open and each Retain; the last Close closes (under mu)

	mon      *monitor.Monitor
	notifier *notify.Notifier
	hooks    *hooks.Runner
	trigger  chan struct{}

	checkMu sync.Mutex // one check at a time: the loop, Check now, after a connect, a simulation
	applyMu sync.Mutex // one login applied at a time

	mu       sync.Mutex
	client   *graph.Client
	clientK  string // settings the client was built for
	login    *pendingLogin
	grant    *pendingGrant
	check    CheckState
	finished uint64 // checks run to the end
	lastRes  *LoginResult
	notices  []Notice

	sentMu  sync.Mutex
	sentSeq int64               // the last snapshot numbered
	sent    map[string]PageView // its Pages, which the next changes are measured against
}

// Open opens the data folder (creating it) and the metadata store. A second
// process on the same folder gets store.ErrAlreadyRunning.
func Open(ctx context.Context, opts Options) (*Keeper, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Emit == nil {
		opts.Emit = func(string, any) {}
	}
	if opts.GraphURL == "" {
		opts.GraphURL = os.Getenv(EnvGraphURL)
	}
	if opts.FacebookURL == "" {
		opts.FacebookURL = os.Getenv(EnvFacebookURL)
	}
	k := &Keeper{opts: opts, trigger: make(chan struct{}, 1), refs: 1}
	if err := k.openFolder(); err != nil {
		return nil, err
	}
	db, err := store.OpenWait(filepath.Join(k.dir, "pagekeeper.db"), opts.LockWait)
	if err != nil {
		k.removeTmp()
		return nil, err
	}
	k.db = db
	secrets := opts.Secrets
	if secrets == nil {
		secrets = vault.Keyring{Service: os.Getenv(EnvKeyringService)} // "" is vault.DefaultService
	}
	if opts.Demo {
		if err := k.startSandbox(); err != nil {
			k.Close()
			return nil, err
		}
		// The demo's tokens are sandbox tokens, worthless outside this
		// process: memory only, so the demo runs without a keychain.
		secrets = vault.NewMemory()
	}
	k.vault = vault.New(secrets)
	if opts.Demo {
		if err := k.configureDemo(); err != nil {
			k.Close()
			return nil, err
		}
	}
	sender := opts.Sender
	if sender == nil {
		sender = notify.Headless()
	}
	set, err := k.db.GetSettings()
	if err != nil {
		k.Close()
		return nil, err
	}
	k.notifier = notify.NewNotifier(sender, notifySettings(set))
	k.startHooks()
	k.mon = &monitor.Monitor{
		DB:       k.db,
		Vault:    k.vault,
		Graph:    k.graph,
		Notifier: k.notifier,
		Now:      opts.Now,
		OnProgress: func(done, total int) {
			k.mu.Lock()
			k.check.Done, k.check.Total = done, total
			st := k.check
			k.mu.Unlock()
			k.opts.Emit(EventCheckProgress, st)
		},
	}
	return k, nil
}

func (k *Keeper) openFolder() error {
	if k.opts.Demo {
		dir, err := os.MkdirTemp("", "pagekeeper-demo-")
		if err != nil {
			return err
		}
		k.dir, k.tmp = dir, dir
		return nil
	}
	dir := k.opts.DataDir
	if dir == "" {
		d, err := datadir.Ensure()
		if err != nil {
			return err
		}
		dir = d
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create data folder %s: %w", dir, err)
	}
	k.dir = dir
	return nil
}

func (k *Keeper) removeTmp() {
	if k.tmp != "" {
		os.RemoveAll(k.tmp)
	}
}

// Retain lends this Keeper to one more user (a command the engine runs for
// the command line): each Close gives one back, and only the last one closes.
func (k *Keeper) Retain() *Keeper {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refs++
	return k
}

// Close stops everything and releases the data folder.
func (k *Keeper) Close() error {
	k.mu.Lock()
	k.refs--
	last := k.refs <= 0
	k.mu.Unlock()
	if !last {
		return nil
	}
	k.CancelLogin()
	if k.hooks != nil {
		k.WaitHooks() // a command line run ends after its hooks, retries included
	}
	var errs []error
	if k.db != nil {
		errs = append(errs, k.db.Close())
	}
	if k.sb != nil {
		errs = append(errs, k.sb.Close())
	}
	k.removeTmp()
	return errors.Join(errs...)
}

// DataDir is the folder Pagekeeper keeps its metadata in.
func (k *Keeper) DataDir() string { return k.dir }

// Demo reports whether this Keeper runs on the built-in sandbox.
func (k *Keeper) Demo() bool { return k.opts.Demo }

// Store gives read access to the metadata (the CLI's log command).
func (k *Keeper) Store() *store.DB { return k.db }

// graph returns a Graph client for the current settings and app secret; it is
// kept while they stay the same, so the usage budget it tracks carries over.
func (k *Keeper) graph() (*graph.Client, error) {
	set, err := k.db.GetSettings()
	if err != nil {
		return nil, err
	}
	secret := ""
	if set.AppID != "" {
		secret, err = k.vault.AppSecret(set.AppID)
		if err != nil && !errors.Is(err, vault.ErrNotFound) {
			return nil, err
		}
	}
	key := set.AppID + "\x00" + k.graphURL(set) + "\x00" + set.APIVersion + "\x00" + secret
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.client == nil || k.clientK != key {
		k.client = graph.New(graph.Config{GraphURL: k.graphURL(set), Version: set.APIVersion,
			AppID: set.AppID, AppSecret: secret, HTTPClient: k.opts.HTTPClient, OnUsage: k.opts.OnUsage})
		k.clientK = key
	}
	return k.client, nil
}

func (k *Keeper) graphURL(set store.Settings) string {
	return firstSet(k.opts.GraphURL, set.GraphURL, login.DefaultGraphURL)
}

func (k *Keeper) facebookURL(set store.Settings) string {
	return firstSet(k.opts.FacebookURL, set.FacebookURL, login.DefaultFacebookURL)
}

// firstSet: an override (environment, demo) beats the settings, which beat Facebook's real hosts.
func firstSet(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Configured reports whether an App ID and its secret are set up.
func (k *Keeper) Configured() bool {
	set, err := k.db.GetSettings()
	if err != nil || set.AppID == "" {
		return false
	}
	_, err = k.vault.AppSecret(set.AppID)
	return err == nil
}

// CheckApp asks Facebook about an App ID and secret without keeping them and
// returns the app's name. A refusal is a *metaapp.Problem that says which
// value is wrong and what to do.
func (k *Keeper) CheckApp(ctx context.Context, appID, secret string) (string, error) {
	appID, secret = strings.TrimSpace(appID), strings.TrimSpace(secret)
	if p := metaapp.CheckForm(appID, secret); p != nil {
		return "", p
	}
	if secret == "" {
		return "", &metaapp.Problem{Field: metaapp.FieldAppSecret, Message: "Paste the App Secret from App settings > Basic in Meta's App Dashboard (click Show next to App Secret)."}
	}
	set, err := k.db.GetSettings()
	if err != nil {
		return "", err
	}
	g := graph.New(graph.Config{GraphURL: k.graphURL(set), Version: set.APIVersion, AppID: appID, AppSecret: secret, HTTPClient: k.opts.HTTPClient})
	return metaapp.Check(ctx, g, appID)
}

// SetupApp checks an App ID and secret with Facebook and only then stores
// them: the ID and the app's name in the settings, the secret in the keychain.
func (k *Keeper) SetupApp(ctx context.Context, appID, secret string) error {
	appID, secret = strings.TrimSpace(appID), strings.TrimSpace(secret)
	name, err := k.CheckApp(ctx, appID, secret)
	if err != nil {
		return err
	}
	set, err := k.db.GetSettings()
	if err != nil {
		return err
	}
	if err := k.vault.SetAppSecret(appID, secret); err != nil {
		return err
	}
	if set.AppID != "" && set.AppID != appID {
		_ = k.vault.DeleteAppSecret(set.AppID)
	}
	set.AppID, set.AppName = appID, name
	if err := k.db.PutSettings(set); err != nil {
		return err
	}
	k.emitSnapshot()
	return nil
}

// AppName is the Meta app's name as Facebook gave it at setup ("" before).
func (k *Keeper) AppName() string {
	set, err := k.db.GetSettings()
	if err != nil {
		return ""
	}
	return set.AppName
}

// ReplaceAppSecret swaps the secret of the configured App ID.
func (k *Keeper) ReplaceAppSecret(ctx context.Context, secret string) error {
	set, err := k.db.GetSettings()
	if err != nil {
		return err
	}
	if set.AppID == "" {
		return errors.New("set up your Meta app first")
	}
	return k.SetupApp(ctx, set.AppID, secret)
}

// Run checks every Page now and then every interval until ctx ends. The
// periodic checks probe every Page token and read the rest when due
// (monitor.DeepEvery); a Check now in between is complete.
func (k *Keeper) Run(ctx context.Context) {
	go k.migrateTokens()
	scope := monitor.Scope{}
	for {
		if _, err := k.run(ctx, scope); err != nil && ctx.Err() != nil {
			return
		}
		// A check of 1,000 Pages allocates tens of MB that are garbage a
		// moment later; the window then idles for minutes. Give the memory
		// back now rather than whenever the runtime gets round to it.
		debug.FreeOSMemory()
		set, err := k.db.GetSettings()
		interval := 15 * time.Minute
		if err == nil {
			interval = set.CheckInterval
		}
		wait := k.mon.NextWait(interval)
		k.mu.Lock()
		k.check.NextAt = stamp(k.opts.Now().Add(wait))
		k.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
			scope = monitor.Scope{}
		case <-k.trigger:
			scope = monitor.Scope{Complete: true}
		}
	}
}

// migrateTokens is MigrateTokens for the window, which does it as it
// starts, beside the first check (whose read of the tokens it shares):
// deleting 1,000 old entries takes gnome-keyring seconds.
func (k *Keeper) migrateTokens() {
	if err := k.MigrateTokens(); err != nil {
		k.notice("warning", "Could not move the Page tokens to the keychain's new layout (they stay readable where they are; Pagekeeper tries again at its next start): "+err.Error())
	}
}

// MigrateTokens moves Page tokens kept the old way (one keychain entry per
// Page) into the vault's few numbered entries (vault.Migrate), for every
// Page not disconnected. Only a process that owns the data folder calls it.
// Once done it costs nothing; a failure leaves the tokens readable where
// they are.
func (k *Keeper) MigrateTokens() error {
	pages, err := k.db.ListPages()
	if err != nil {
		return err
	}
	var ids, gone []string
	for _, p := range pages {
		if p.Status != "disconnected" {
			ids = append(ids, p.ID)
		} else {
			gone = append(gone, p.ID)
		}
	}
	return k.vault.Migrate(ids, gone...)
}

// CheckNow asks the running loop for a complete check of every Page. Asked
// while a check runs, it runs right after that one: the running check may
// be a periodic one that does not read everything.
func (k *Keeper) CheckNow(ctx context.Context) error {
	select {
	case k.trigger <- struct{}{}:
	default: // one is already asked for
	}
	return nil
}

// Check is a complete check of pageIDs (nil: every connected Page): it
// re-reads everything that decides their status (see monitor.Scope) and
// records what changed. The CLI's check, a simulation and the check after
// a connect or a repair use it.
func (k *Keeper) Check(ctx context.Context, pageIDs []string) (monitor.Report, error) {
	return k.run(ctx, monitor.Scope{PageIDs: pageIDs, Complete: true})
}

// CheckPage is a complete check of one Page ("Check again" on a Page).
func (k *Keeper) CheckPage(ctx context.Context, pageID string) (monitor.Report, error) {
	p, err := k.db.GetPage(pageID)
	if err != nil || p.Status == "disconnected" {
		return monitor.Report{}, fmt.Errorf("no connected Page %s to check", pageID)
	}
	return k.Check(ctx, []string{pageID})
}

// CheckPerson is a complete check of every Page a person connected
// ("Check again" on a person).
func (k *Keeper) CheckPerson(ctx context.Context, profileID string) (monitor.Report, error) {
	ids := k.connectedBy(profileID)
	if len(ids) == 0 {
		return monitor.Report{}, fmt.Errorf("no connected Pages of person %s to check", profileID)
	}
	pageIDs := make([]string, 0, len(ids))
	for id := range ids {
		pageIDs = append(pageIDs, id)
	}
	return k.Check(ctx, pageIDs)
}

func (k *Keeper) run(ctx context.Context, scope monitor.Scope) (monitor.Report, error) {
	k.checkMu.Lock()
	defer k.checkMu.Unlock()
	// The count is known before the first answer: never "0 of 0".
	total := len(scope.PageIDs)
	if scope.PageIDs == nil {
		total = k.watchedPages()
	}
	k.mu.Lock()
	k.check.Running, k.check.Done, k.check.Total = true, 0, total
	k.check.LastStarted = stamp(k.opts.Now())
	st := k.check
	k.mu.Unlock()
	k.opts.Emit(EventCheckProgress, st)

	set, err := k.db.GetSettings()
	if err == nil {
		k.notifier.Settings = notifySettings(set)
		k.mon.WarnWindow = set.WarnWindow
	}
	var rep monitor.Report
	if err == nil {
		rep, err = k.mon.Run(ctx, scope)
		k.hooks.Changes(rep.Changes)
	}

	k.mu.Lock()
	k.check.Running = false
	k.finished++
	k.check.LastFinished = stamp(k.opts.Now())
	k.check.Error, k.check.AppProblem = "", nil
	switch {
	case err != nil:
		k.check.Error = err.Error()
	case rep.AppProblem != nil:
		// One note about the app, not "could not reach Facebook" for every Page.
		d := rep.AppProblem
		k.check.AppProblem = &AppProblemView{Issue: string(d.AppIssue), Summary: d.Summary, Fix: d.Fix}
	case rep.Unreachable > 0:
		k.check.Error = rep.UnreachableWhy
	}
	st = k.check
	k.mu.Unlock()
	k.opts.Emit(EventCheckProgress, st)
	k.emitSnapshot()
	return rep, err
}

// watchedPages counts the Pages a full check looks at (every one not disconnected).
func (k *Keeper) watchedPages() int {
	n, err := k.db.CountPages(func(p *store.Page) bool { return p.Status != "disconnected" })
	if err != nil {
		return 0
	}
	return n
}

func notifySettings(s store.Settings) notify.Settings {
	return notify.Settings{OnInvalid: s.NotifyInvalid, OnWarning: s.NotifyWarning, Reminder: s.ReminderInterval}
}

// emitSnapshot tells the window what changed: the changes since the last
// snapshot it was given, or the snapshot whole when it was given none.
func (k *Keeper) emitSnapshot() {
	snap, changes, err := k.changes()
	if err != nil {
		k.notice("error", err.Error())
		return
	}
	if changes != nil {
		k.opts.Emit(EventChanges, *changes)
		return
	}
	k.opts.Emit(EventSnapshot, snap)
}

// notice tells the window about a problem in the background, and keeps the
// last few for a window that was not listening (reloaded, just opened).
func (k *Keeper) notice(level, msg string) {
	n := Notice{Level: level, Message: msg}
	k.mu.Lock()
	k.notices = append(k.notices, n)
	if len(k.notices) > 20 {
		k.notices = k.notices[len(k.notices)-20:]
	}
	k.mu.Unlock()
	k.opts.Emit(EventNotice, n)
}

// AddNotice tells the window about a problem met outside the keeper (the
// app's own), kept like the keeper's for a window that was not listening.
func (k *Keeper) AddNotice(level, msg string) { k.notice(level, msg) }

// Notices are the last background problems, oldest first.
func (k *Keeper) Notices() []Notice {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Notice{}, k.notices...)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
