package connect

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// Activity kinds this package writes to a Page's log.
const (
	KindConnected    = "connected"
	KindReconnected  = "reconnected"
	KindTokenRenewed = "token_renewed"
	KindNotGranted   = "not_granted"
	KindDisconnected = "disconnected"
	KindUnsubscribed = "webhooks_unsubscribed"
	KindRemoved      = "person_removed"
	KindWatcher      = "watcher_changed" // another person's connection now watches the Page
)

// Explain gives the plain words for a reason (the diagnosis owns them).
type Explain func(reason, person, page string) (summary, fix string)

// Result sums up what Apply changed.
type Result struct {
	Connected  []string // Page names newly connected (or connected again)
	Updated    []string // Page names whose token was replaced
	NotGranted []string // Page names left out of the new grant
	Touched    []string // ids of the Pages to check at once
	Dropped    []string // ids of the NotGranted Pages
	Replaced   []string // Page names now watched through this person instead of another
}

// Apply stores a harvested grant: the person, their user token, and the
// tokens of the chosen Pages. It is all or nothing across the keychain and
// the database: the tokens go to the keychain first (the token each one
// replaces is kept aside), then every record in one transaction; when any
// step fails (a full disk, a locked keychain) the keychain gets back exactly
// what it held before and the database is as it was, so no record points at
// a missing token and no token is left without its record.
// Pages this person connected before that are missing from the new grant
// become invalid (page_not_granted): Facebook stops serving them.
func Apply(db *store.DB, v *vault.Vault, g *Grant, chosen []string, now time.Time, explain Explain) (Result, error) {
	for _, id := range chosen {
		if _, ok := g.Page(id); !ok {
			return Result{}, fmt.Errorf("Page %s is not in what %s granted", id, g.Person.Name)
		}
	}
	undo, err := storeTokens(v, g, chosen)
	if err != nil {
		return Result{}, errors.Join(err, undo())
	}
	var res Result
	err = db.Update(func(tx *store.Tx) error {
		res = Result{}
		return applyRecords(tx, g, chosen, now, explain, &res)
	})
	if err != nil {
		if uerr := undo(); uerr != nil {
			return Result{}, errors.Join(err, fmt.Errorf("and the keychain could not be put back as it was: %w", uerr))
		}
		return Result{}, fmt.Errorf("%w; nothing of this login was kept", err)
	}
	return res, nil
}

// storeTokens writes the grant's user token and the chosen Pages' tokens,
// together (vault.SetTokens: the Page tokens in the few entries that
// change, on one keychain session), so a connect of 1,000 Pages is not
// 1,000 keychain writes. undo puts back what they replaced, in one write
// too (vault.Save, vault.Restore).
func storeTokens(v *vault.Vault, g *Grant, chosen []string) (undo func() error, err error) {
	undo = func() error { return nil }
	pageIDs := make([]string, 0, len(chosen))
	tokens := make(map[string]string, len(chosen))
	for _, id := range chosen {
		p, _ := g.Page(id)
		pageIDs = append(pageIDs, p.ID)
		tokens[p.ID] = p.Token
	}
	saved, err := v.Save(g.Person.ID, pageIDs)
	if err != nil {
		return undo, err
	}
	undo = func() error { return v.Restore(saved) }
	return undo, v.SetTokens(g.Person.ID, g.UserToken, tokens)
}

// applyRecords writes the person, the chosen Pages and the Pages left out of
// the grant, in the caller's transaction.
func applyRecords(tx *store.Tx, g *Grant, chosen []string, now time.Time, explain Explain, res *Result) error {
	prof, err := tx.GetProfile(g.Person.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if prof.ConnectedAt.IsZero() || prof.Removed {
		prof.ConnectedAt = now
	}
	prof.ID, prof.Name, prof.Removed = g.Person.ID, g.Person.Name, false
	prof.TokenExpiresAt, prof.DataAccessExpiresAt = g.TokenExpiresAt, g.DataAccessExpiresAt
	prof.Scopes, prof.Declined = slices.Clone(g.Scopes), slices.Clone(g.Declined)
	prof.Status, prof.Reason, prof.Fix = "", "", ""
	prof.Manages = map[string][]string{}
	for _, p := range g.Pages {
		prof.Manages[p.ID] = slices.Clone(p.Tasks)
	}
	if err := tx.PutProfile(prof); err != nil {
		return err
	}

	for _, id := range chosen {
		gp, _ := g.Page(id)
		name, kind, err := applyPage(tx, g, gp, now)
		if err != nil {
			return err
		}
		switch kind {
		case KindTokenRenewed:
			res.Updated = append(res.Updated, name)
		case KindWatcher:
			res.Replaced = append(res.Replaced, name)
		default:
			res.Connected = append(res.Connected, name)
		}
		res.Touched = append(res.Touched, id)
	}

	pages, err := tx.ListPages()
	if err != nil {
		return err
	}
	for _, p := range pages {
		if p.ProfileID != g.Person.ID || p.Status == "disconnected" {
			continue
		}
		if _, ok := g.Page(p.ID); ok || g.IsSkipped(p.ID) {
			continue // a Page listed without a token was granted: the check tells how it is
		}
		if p.Reason == "role_lost" {
			// The person has no role on the Page: of course the login left
			// it out. The diagnosis stays as it was, it is the true one.
			continue
		}
		summary, fix := explain("page_not_granted", g.Person.Name, p.Name)
		change := &store.StatusChange{At: now, From: p.Status, To: "invalid", Reason: "page_not_granted"}
		_, err := tx.RecordTransition(p.ID, func(pg *store.Page) error {
			pg.Status, pg.Reason, pg.Summary, pg.Fix, pg.UpdatedAt = "invalid", "page_not_granted", summary, fix, now
			return nil
		}, change, store.Activity{At: now, Kind: KindNotGranted, Actor: g.Person.Name,
			Details: fmt.Sprintf("%s left this Page out when logging in to Facebook again", g.Person.Name)})
		if err != nil {
			return err
		}
		res.NotGranted, res.Dropped = append(res.NotGranted, p.Name), append(res.Dropped, p.ID)
	}
	return nil
}

func applyPage(tx *store.Tx, g *Grant, gp GrantedPage, now time.Time) (string, string, error) {
	old, err := tx.GetPage(gp.ID)
	isNew := errors.Is(err, store.ErrNotFound)
	if err != nil && !isNew {
		return "", "", err
	}
	kind := KindTokenRenewed
	switch {
	case isNew:
		kind = KindConnected
	case old.Status == "disconnected":
		kind = KindReconnected
	case old.ProfileID != "" && old.ProfileID != g.Person.ID:
		kind = KindWatcher
	}
	detail := map[string]string{
		KindConnected:    "connected by " + g.Person.Name,
		KindReconnected:  "connected again by " + g.Person.Name,
		KindTokenRenewed: "new token from " + g.Person.Name + "'s login",
	}[kind]
	if kind == KindWatcher {
		detail = Replaced(tx, g.Person.Name, old.ProfileID, gp.Tasks, "logged in")
	}
	if gp.ViaPortfolio {
		detail += " (through a Business Portfolio)"
	}
	var change *store.StatusChange
	if isNew || old.Status == "disconnected" {
		// Not checked yet: the caller checks it at once.
		change = &store.StatusChange{At: now, From: old.Status, To: "unknown"}
	}
	mutate := func(p *store.Page) error {
		p.ID, p.Name, p.Category, p.ProfileID = gp.ID, gp.Name, gp.Category, g.Person.ID
		p.InstagramID, p.InstagramUsername = gp.InstagramID, gp.InstagramUsername
		p.Tasks, p.Permissions = slices.Clone(gp.Tasks), slices.Clone(gp.Scopes)
		p.MissingPermissions = gp.Missing()
		if change != nil {
			p.Status, p.Reason, p.Summary, p.Fix = "unknown", "", "Not checked yet.", ""
			p.ConnectedAt, p.UpdatedAt, p.DisconnectedAt = now, now, time.Time{}
		}
		return nil
	}
	if isNew {
		if err := tx.PutPage(store.Page{ID: gp.ID, Name: gp.Name}); err != nil {
			return "", "", err
		}
	}
	_, err = tx.RecordTransition(gp.ID, mutate, change, store.Activity{At: now, Kind: kind, Actor: g.Person.Name, Details: detail})
	return gp.Name, kind, err
}

// profiles reads a person's record: the store, or a transaction of it.
type profiles interface {
	GetProfile(id string) (store.Profile, error)
}

// Replaced words who replaced whom as the person Pagekeeper watches a Page
// through, for the activity log.
func Replaced(db profiles, newPerson, oldProfileID string, tasks []string, why string) string {
	old := "someone else"
	if prof, err := db.GetProfile(oldProfileID); err == nil && prof.Name != "" {
		old = prof.Name
	}
	d := fmt.Sprintf("%s replaced %s as the person Pagekeeper watches this Page through (%s)", newPerson, old, why)
	if len(tasks) > 0 {
		d += "; tasks: " + strings.Join(tasks, ", ")
	}
	return d
}

// MovePage hands a Page over to another connected person: their Page token
// goes to the vault first, then the record names them (with their tasks)
// and the log says who replaced whom.
func MovePage(db *store.DB, v *vault.Vault, pageID string, to store.Profile, token string, tasks []string, why string, now time.Time) error {
	p, err := db.GetPage(pageID)
	if err != nil {
		return err
	}
	if err := v.SetPageToken(pageID, token); err != nil {
		return err
	}
	detail := Replaced(db, to.Name, p.ProfileID, tasks, why)
	_, err = db.RecordTransition(pageID, func(pg *store.Page) error {
		pg.ProfileID, pg.Tasks = to.ID, slices.Clone(tasks)
		return nil
	}, nil, store.Activity{At: now, Kind: KindWatcher, Actor: to.Name, Details: detail})
	return err
}

// Disconnect forgets a Page's token and marks it disconnected; its history,
// activity log and record stay, so connecting it again restores it.
func Disconnect(db *store.DB, v *vault.Vault, pageID, actor, note string, now time.Time) error {
	p, err := db.GetPage(pageID)
	if err != nil {
		return err
	}
	if err := v.DeletePageToken(pageID); err != nil {
		return err
	}
	if p.Status == "disconnected" {
		return nil
	}
	details := "token removed from the keychain; history kept"
	if note != "" {
		details += "; " + note
	}
	_, err = db.RecordTransition(pageID, func(pg *store.Page) error {
		pg.Status, pg.Reason, pg.Summary, pg.Fix = "disconnected", "", "Disconnected: Pagekeeper gave up its access to this Page and no longer watches it.", "Connect it again from the connect wizard."
		pg.DisconnectedAt, pg.UpdatedAt = now, now
		return nil
	}, &store.StatusChange{At: now, From: p.Status, To: "disconnected"},
		store.Activity{At: now, Kind: KindDisconnected, Actor: actor, Details: details})
	return err
}

// RemovePerson forgets a person's user token and the tokens of all their
// Pages, which become disconnected (their history stays).
func RemovePerson(db *store.DB, v *vault.Vault, profileID, actor string, now time.Time) error {
	prof, err := db.GetProfile(profileID)
	if err != nil {
		return err
	}
	pages, err := db.ListPages()
	if err != nil {
		return err
	}
	var ids []string
	for _, p := range pages {
		if p.ProfileID == profileID {
			ids = append(ids, p.ID)
		}
	}
	if err := v.ForgetProfile(profileID, ids...); err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		if err := Disconnect(db, v, id, actor, prof.Name+" was removed from Pagekeeper", now); err != nil {
			errs = append(errs, err)
		}
	}
	prof.Removed, prof.Status, prof.UpdatedAt = true, "disconnected", now
	if err := db.PutProfile(prof); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
