package keeper

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/pagekeeper/pagekeeper/backend/connect"
	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/login"
	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
	"golang.org/x/oauth2"
)

// LoginRequest says what a login is for.
type LoginRequest struct {
	Reauthorize bool
	ProfileID   string // reauthorize this person's Pages
	PageID      string // or the person who connected this Page
	NoBrowser   bool   // only give the URL (the CLI's --no-browser)
	// Quiet keeps the result from the window: a command that logs in
	// chooses its Pages itself, so the window must not offer the choice.
	// The window still sees what the login changed (a snapshot).
	Quiet bool
}

type pendingLogin struct {
	session *login.Session
	cancel  context.CancelFunc
	done    chan struct{}
	result  LoginResult
	quiet   bool
}

type pendingGrant struct {
	grant *connect.Grant
}

// StartLogin opens "Log in with Facebook" and returns at once with the URL;
// the result is sent as EventLoginResult (and returned by WaitLogin). A new
// login replaces one that is still waiting. A connect login leaves the choice
// of Pages to FinishConnect; a reauthorize login stores its Pages before the
// browser tab says it is done.
func (k *Keeper) StartLogin(ctx context.Context, req LoginRequest) (LoginStart, error) {
	return k.startLogin(ctx, req, nil)
}

// PageChoice picks, from the Pages a login granted, those to connect.
type PageChoice func([]Candidate) ([]string, error)

// StartConnect is a connect login that connects the Pages choose picks as
// soon as Facebook answers, before the browser tab says "connected" (the
// command line's connect, where the Pages are chosen up front).
func (k *Keeper) StartConnect(ctx context.Context, req LoginRequest, choose PageChoice) (LoginStart, error) {
	return k.startLogin(ctx, req, choose)
}

func (k *Keeper) startLogin(ctx context.Context, req LoginRequest, choose PageChoice) (LoginStart, error) {
	set, err := k.db.GetSettings()
	if err != nil {
		return LoginStart{}, err
	}
	notSetUp := errors.New("set up your Meta app (App ID and App Secret) before logging in")
	if set.AppID == "" {
		return LoginStart{}, notSetUp
	}
	secret, err := k.vault.AppSecret(set.AppID)
	switch {
	case errors.Is(err, vault.ErrNotFound):
		return LoginStart{}, notSetUp
	case err != nil:
		// A missing or locked keychain is named as such: "set up your
		// app" would send the owner to re-enter a secret that is there.
		return LoginStart{}, err
	}
	mode, authType, person := "connect", "", ""
	if req.Reauthorize {
		mode = "reauthorize"
		person, authType, err = k.reauthTarget(req)
		if err != nil {
			return LoginStart{}, err
		}
	}
	k.CancelLogin()
	opener := k.opts.Opener
	if req.NoBrowser {
		opener = nil
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	pl := &pendingLogin{cancel: cancel, done: make(chan struct{}), result: LoginResult{Mode: mode}, quiet: req.Quiet}
	sess, err := login.Start(lctx, login.Config{
		AppID: set.AppID, AppSecret: secret,
		FacebookURL: k.facebookURL(set), GraphURL: k.graphURL(set), Version: set.APIVersion,
		Port: set.RedirectPort, Scopes: connect.Scopes, AuthType: authType,
		Opener: opener, HTTPClient: k.opts.HTTPClient,
		Complete: func(ctx context.Context, tok *oauth2.Token) (login.Completion, error) {
			return k.completeLogin(ctx, &pl.result, tok.AccessToken, person, choose)
		},
	})
	if err != nil {
		cancel()
		return LoginStart{}, err
	}
	pl.session = sess
	k.mu.Lock()
	k.login = pl
	k.mu.Unlock()
	go k.finishLogin(lctx, pl)
	return LoginStart{URL: sess.URL(), RedirectURI: sess.RedirectURI(), Mode: mode}, nil
}

// reauthTarget finds whose login repairs the request and which auth_type
// asks Facebook for what was lost: rerequest for declined permissions or
// Pages, reauthorize for expired data access.
func (k *Keeper) reauthTarget(req LoginRequest) (profileID, authType string, err error) {
	profileID = req.ProfileID
	if req.PageID != "" {
		p, err := k.db.GetPage(req.PageID)
		if err != nil {
			return "", "", fmt.Errorf("no connected Page %s: %w", req.PageID, err)
		}
		profileID = p.ProfileID
	}
	prof, err := k.db.GetProfile(profileID)
	if err != nil {
		return "", "", fmt.Errorf("no connected person %s: %w", profileID, err)
	}
	authType = "rerequest"
	if prof.Reason == string(health.DataAccessExpired) {
		authType = "reauthorize"
	}
	pages, err := k.db.ListPages()
	if err != nil {
		return "", "", err
	}
	for _, p := range pages {
		if p.ProfileID == profileID && p.Reason == string(health.DataAccessExpired) {
			authType = "reauthorize"
		}
	}
	return profileID, authType, nil
}

// finishLogin waits for the login and reports its result; completeLogin
// has filled it in by then.
func (k *Keeper) finishLogin(ctx context.Context, pl *pendingLogin) {
	defer close(pl.done)
	defer pl.cancel()
	_, err := pl.session.Wait(ctx)
	res := pl.result
	if err != nil && res.Error == "" {
		res.Error = loginError(err)
		res.Cancelled = errors.Is(err, login.ErrCancelled) || errors.Is(err, login.ErrStopped) || errors.Is(err, context.Canceled)
	}
	res.OK = err == nil && res.Error == ""
	pl.result = res
	if !pl.quiet {
		k.mu.Lock()
		k.lastRes = &res
		k.mu.Unlock()
		k.opts.Emit(EventLoginResult, res)
	}
	k.emitSnapshot()
}

// completeLogin runs while the browser tab waits: it collects what the login
// granted and, for a reauthorize login or a connect with its Pages chosen up
// front, stores it, so the tab says "connected" only once it is all stored.
// Its error (also in res.Error) is what the tab and the window show.
func (k *Keeper) completeLogin(ctx context.Context, res *LoginResult, userToken, wantPerson string, choose PageChoice) (login.Completion, error) {
	fail := func(msg string) (login.Completion, error) {
		res.Error = msg
		return login.Completion{}, errors.New(msg)
	}
	k.opts.Emit(EventLoginProgress, LoginProgress{Mode: res.Mode, Step: "reading"})
	g, err := k.graph()
	if err != nil {
		return fail(err.Error())
	}
	gr, err := connect.Harvest(ctx, g, userToken, k.opts.Now())
	if err != nil {
		return fail("Facebook accepted the login, but Pagekeeper could not finish it; nothing was changed: " + err.Error())
	}
	res.PersonID, res.PersonName, res.Declined = gr.Person.ID, gr.Person.Name, gr.Declined
	res.Skipped = skippedViews(gr)
	if wantPerson != "" && gr.Person.ID != wantPerson {
		want, _ := k.db.GetProfile(wantPerson)
		return fail(fmt.Sprintf("You logged in as %s, but these Pages were connected by %s. Log in as %s to repair them; nothing was changed.", gr.Person.Name, want.Name, want.Name))
	}
	res.Candidates = k.candidates(gr)
	var chosen []string
	switch {
	case res.Mode == "reauthorize":
		for _, c := range res.Candidates {
			if c.AlreadyConnected {
				chosen = append(chosen, c.ID)
			}
		}
		k.opts.Emit(EventLoginProgress, LoginProgress{Mode: res.Mode, Step: "saving", Total: len(chosen)})
	case len(gr.Pages) == 0:
		if len(gr.Skipped) > 0 {
			return fail(fmt.Sprintf("No Page of %s's login can be connected. %s", gr.Person.Name, gr.Skipped[0].Why))
		}
		return fail(fmt.Sprintf("%s gave Pagekeeper access to no Pages. Log in again and tick the Pages to connect, or ask for a role on the Page first.", gr.Person.Name))
	case choose == nil:
		k.mu.Lock()
		k.grant = &pendingGrant{grant: gr}
		k.mu.Unlock()
		return login.Completion{Message: "Return to Pagekeeper to choose which Pages to connect. You can close this tab."}, nil
	default:
		if chosen, err = choose(res.Candidates); err != nil {
			return fail(err.Error())
		}
		k.opts.Emit(EventLoginProgress, LoginProgress{Mode: res.Mode, Step: "saving", Total: len(chosen)})
	}
	applied, err := k.apply(ctx, gr, chosen)
	if err != nil {
		return fail(err.Error())
	}
	res.Applied = &applied
	return login.Completion{Connected: true, Message: "Pagekeeper has stored the connection. You can close this tab and return to Pagekeeper."}, nil
}

func loginError(err error) string {
	switch {
	case errors.Is(err, login.ErrCancelled):
		return "The login was cancelled in Facebook's dialog; nothing was changed."
	case errors.Is(err, login.ErrTimeout):
		return "Nobody finished the login in time; nothing was changed. Start it again when ready."
	case errors.Is(err, login.ErrStopped), errors.Is(err, context.Canceled):
		return "The login was cancelled; nothing was changed."
	}
	return err.Error() + "; nothing was changed."
}

// connectedBy lists the Pages a person has connected (and not disconnected).
func (k *Keeper) connectedBy(profileID string) map[string]bool {
	out := map[string]bool{}
	pages, err := k.db.ListPages()
	if err != nil {
		return out
	}
	for _, p := range pages {
		if p.ProfileID == profileID && p.Status != "disconnected" {
			out[p.ID] = true
		}
	}
	return out
}

// candidates are the granted Pages as the chooser shows them: who watches
// each one now, and whether taking it over asks first.
func (k *Keeper) candidates(gr *connect.Grant) []Candidate {
	pages, _ := k.db.ListPages()
	profiles, _ := k.db.ListProfiles()
	names := map[string]string{}
	for _, p := range profiles {
		names[p.ID] = p.Name
	}
	watched := map[string]store.Page{}
	for _, p := range pages {
		if p.Status != "disconnected" && p.ProfileID != "" {
			watched[p.ID] = p
		}
	}
	out := make([]Candidate, 0, len(gr.Pages))
	for _, p := range gr.Pages {
		c := Candidate{
			ID: p.ID, Name: p.Name, Category: p.Category, InstagramUsername: p.InstagramUsername,
			Tasks: nonNil(p.Tasks), MissingPermissions: nonNil(p.Missing()), MissingTasks: nonNil(health.MissingTasks(p.Tasks)),
			ViaPortfolio: p.ViaPortfolio, WatchedTasks: []string{},
			// Preselect everything: unticking a connected Page would end its token.
			Selected: true,
		}
		if cur, ok := watched[p.ID]; ok {
			c.WatchedByID, c.WatchedBy, c.WatchedStatus = cur.ProfileID, names[cur.ProfileID], cur.Status
			c.WatchedTasks = nonNil(slices.Clone(cur.Tasks))
			c.AlreadyConnected = cur.ProfileID == gr.Person.ID
			if !c.AlreadyConnected {
				c.Takeover = takeover(cur, c)
				c.Selected = c.Takeover == ""
			}
		}
		out = append(out, c)
	}
	return out
}

// takeover says whether moving a watched Page to this login would make it
// worse: fewer tasks, or permissions missing where the current connection
// has them. A current connection that is broken may always be replaced.
func takeover(cur store.Page, c Candidate) string {
	if cur.Status == "invalid" {
		return ""
	}
	if len(c.MissingPermissions) > len(cur.MissingPermissions) || len(c.MissingTasks) > len(health.MissingTasks(cur.Tasks)) {
		return "broken"
	}
	for _, t := range cur.Tasks {
		if !slices.Contains(c.Tasks, t) {
			return "fewer_tasks"
		}
	}
	return ""
}

func skippedViews(gr *connect.Grant) []SkippedPage {
	out := make([]SkippedPage, 0, len(gr.Skipped))
	for _, p := range gr.Skipped {
		out = append(out, SkippedPage{ID: p.ID, Name: p.Name, Why: p.Why})
	}
	return out
}

// LastLogin is the result of the last login that ended (zero before any),
// so a window that was reloaded mid-way can pick up the choice of Pages.
func (k *Keeper) LastLogin() LoginResult {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.lastRes == nil {
		return LoginResult{}
	}
	return *k.lastRes
}

// WaitLogin waits for the login started last and returns its result.
func (k *Keeper) WaitLogin(ctx context.Context) (LoginResult, error) {
	k.mu.Lock()
	pl := k.login
	k.mu.Unlock()
	if pl == nil {
		return LoginResult{}, errors.New("no login is in progress")
	}
	select {
	case <-pl.done:
		return pl.result, nil
	case <-ctx.Done():
		return LoginResult{}, ctx.Err()
	}
}

// CancelLogin stops a login in progress and frees its port.
func (k *Keeper) CancelLogin() {
	k.mu.Lock()
	pl := k.login
	k.mu.Unlock()
	if pl != nil {
		pl.session.Cancel()
		pl.cancel()
	}
}

// FinishConnect connects the chosen Pages of the last login and checks them at once.
func (k *Keeper) FinishConnect(ctx context.Context, pageIDs []string) (ApplyResult, error) {
	k.mu.Lock()
	pg := k.grant
	k.mu.Unlock()
	if pg == nil {
		return ApplyResult{}, errors.New("log in with Facebook first")
	}
	if len(pageIDs) == 0 {
		return ApplyResult{}, errors.New("choose at least one Page to connect")
	}
	k.opts.Emit(EventLoginProgress, LoginProgress{Mode: "connect", Step: "saving", Total: len(pageIDs)})
	res, err := k.apply(ctx, pg.grant, pageIDs)
	if err == nil {
		k.mu.Lock()
		k.grant, k.lastRes = nil, nil // nothing is left to choose
		k.mu.Unlock()
	}
	return res, err
}

func (k *Keeper) apply(ctx context.Context, gr *connect.Grant, chosen []string) (ApplyResult, error) {
	k.applyMu.Lock()
	before := k.pagesOf(gr.Person.ID)
	res, err := connect.Apply(k.db, k.vault, gr, chosen, k.opts.Now(), health.Explain)
	k.mon.Forget(gr.Person.ID)
	if len(res.NotGranted) > 0 {
		k.notifyNotGranted(before, gr)
	}
	k.applyMu.Unlock()
	out := ApplyResult{Connected: nonNil(res.Connected), Updated: nonNil(res.Updated), NotGranted: nonNil(res.NotGranted),
		Replaced: nonNil(res.Replaced), PersonName: gr.Person.Name, Skipped: skippedViews(gr)}
	if err != nil {
		return out, err
	}
	k.hooks.Applied(res.Touched, res.Dropped, gr.Person.Name)
	if len(res.Touched) > 0 {
		if _, err := k.Check(ctx, res.Touched); err == nil {
			out.ChecksAfter = len(res.Touched)
		}
	}
	k.emitSnapshot()
	return out, nil
}

// pagesOf are a person's Pages by id.
func (k *Keeper) pagesOf(profileID string) map[string]store.Page {
	out := map[string]store.Page{}
	pages, _ := k.db.ListPages()
	for _, p := range pages {
		if p.ProfileID == profileID {
			out[p.ID] = p
		}
	}
	return out
}

// notifyNotGranted tells the owner, once, about Pages a login just left out
// (connect.Apply made them invalid): a check will not, as it finds them
// invalid already.
func (k *Keeper) notifyNotGranted(before map[string]store.Page, gr *connect.Grant) {
	var changes []notify.Change
	for id, p := range k.pagesOf(gr.Person.ID) {
		was := before[id]
		if p.Reason != string(health.PageNotGranted) || was.Reason == p.Reason {
			continue
		}
		changes = append(changes, notify.Change{PageID: id, PageName: p.Name, ProfileID: p.ProfileID, PersonName: gr.Person.Name,
			From: was.Status, To: p.Status, Reason: p.Reason, Summary: p.Summary})
	}
	if err := k.notifier.Observe(k.opts.Now(), changes); err != nil {
		k.notice("warning", "could not show a desktop notification: "+err.Error())
	}
}

// Disconnect forgets a Page's token (optionally unsubscribing the app from
// its webhooks first, which needs the token) and keeps its history.
func (k *Keeper) Disconnect(ctx context.Context, pageID string, unsubscribe bool, actor string) error {
	note := ""
	if unsubscribe {
		if err := k.unsubscribe(ctx, pageID); err != nil {
			note = "webhooks not unsubscribed: " + err.Error()
		} else {
			note = "app unsubscribed from the Page's webhooks"
		}
	}
	err := connect.Disconnect(k.db, k.vault, pageID, actor, note, k.opts.Now())
	k.emitSnapshot()
	return err
}

func (k *Keeper) unsubscribe(ctx context.Context, pageID string) error {
	tok, err := k.vault.PageToken(pageID)
	if err != nil {
		return err
	}
	g, err := k.graph()
	if err != nil {
		return err
	}
	return g.Unsubscribe(ctx, pageID, tok)
}

// RemovePlan says what removing a person does: which of their Pages move
// to another connected person who manages them, and which nobody watches any more.
func (k *Keeper) RemovePlan(profileID string) (RemovePlan, error) {
	prof, err := k.db.GetProfile(profileID)
	if err != nil {
		return RemovePlan{}, fmt.Errorf("no connected person %s: %w", profileID, err)
	}
	pages, err := k.db.ListPages()
	if err != nil {
		return RemovePlan{}, err
	}
	profiles, err := k.db.ListProfiles()
	if err != nil {
		return RemovePlan{}, err
	}
	plan := RemovePlan{PersonID: prof.ID, Person: prof.Name, Moved: []PageMove{}, Unwatched: []string{}}
	for _, p := range pages {
		if p.ProfileID != profileID || p.Status == "disconnected" {
			continue
		}
		var best *store.Profile
		for i, o := range profiles {
			tasks, manages := o.Manages[p.ID]
			if o.ID == profileID || o.Removed || o.Status == "invalid" || !manages {
				continue
			}
			if best == nil || len(tasks) > len(best.Manages[p.ID]) {
				best = &profiles[i]
			}
		}
		if best == nil {
			plan.Unwatched = append(plan.Unwatched, p.Name)
			continue
		}
		plan.Moved = append(plan.Moved, PageMove{PageID: p.ID, PageName: p.Name, ToID: best.ID, To: best.Name})
	}
	return plan, nil
}

// RemoveProfile forgets a person and the tokens of their Pages. Each Page
// another connected person manages moves to that person first (a new Page
// token from their login), so it stays watched; the others become
// disconnected, their history kept.
func (k *Keeper) RemoveProfile(ctx context.Context, profileID, actor string) error {
	_, err := k.RemovePerson(ctx, profileID, actor)
	return err
}

// RemovePerson is RemoveProfile that returns what was done.
func (k *Keeper) RemovePerson(ctx context.Context, profileID, actor string) (RemovePlan, error) {
	plan, err := k.RemovePlan(profileID)
	if err != nil {
		return plan, err
	}
	done := RemovePlan{PersonID: plan.PersonID, Person: plan.Person, Moved: []PageMove{}, Unwatched: plan.Unwatched}
	var moved []string
	if len(plan.Moved) > 0 {
		g, gerr := k.graph()
		for _, m := range plan.Moved {
			if gerr != nil || k.movePage(ctx, g, m, plan.Person) != nil {
				done.Unwatched = append(done.Unwatched, m.PageName)
				continue
			}
			done.Moved = append(done.Moved, m)
			moved = append(moved, m.PageID)
		}
	}
	err = connect.RemovePerson(k.db, k.vault, profileID, actor, k.opts.Now())
	if err == nil && len(moved) > 0 {
		_, err = k.Check(ctx, moved)
	}
	k.emitSnapshot()
	return done, err
}

// movePage asks Facebook for the Page's token through the other person's
// login and hands the Page over to them.
func (k *Keeper) movePage(ctx context.Context, g *graph.Client, m PageMove, removed string) error {
	to, err := k.db.GetProfile(m.ToID)
	if err != nil {
		return err
	}
	userToken, err := k.vault.UserToken(m.ToID)
	if err != nil {
		return err
	}
	info, err := g.Page(ctx, m.PageID, userToken, "id", "name", "access_token", "tasks")
	if err != nil {
		return err
	}
	if info.AccessToken == "" {
		return fmt.Errorf("%s no longer manages %s", to.Name, m.PageName)
	}
	return connect.MovePage(k.db, k.vault, m.PageID, to, info.AccessToken, info.Tasks, removed+" was removed from Pagekeeper", k.opts.Now())
}

// FocusPage asks the window to come forward on a Page (a notification click).
func (k *Keeper) FocusPage(pageID string) {
	if pageID == "" {
		pageID = k.PageNeedingAction()
	}
	k.opts.Emit(EventFocusPage, pageID)
}

// PageNeedingAction is the first invalid Page, for bringing the window forward on it.
func (k *Keeper) PageNeedingAction() string {
	pages, err := k.db.ListPages()
	if err != nil {
		return ""
	}
	for _, p := range pages {
		if p.Status == "invalid" {
			return p.ID
		}
	}
	return ""
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return slices.Clip(s)
}
