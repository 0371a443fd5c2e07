package connect

import (
	"errors"
	"fmt"
	"slices"
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
)

// Explain gives the plain words for a reason (the diagnosis owns them).
type Explain func(reason, person, page string) (summary, fix string)

// Result sums up what Apply changed.
type Result struct {
	Connected  []string // Page names newly connected (or connected again)
	Updated    []string // Page names whose token was replaced
	NotGranted []string // Page names left out of the new grant
	Touched    []string // ids of the Pages to check at once
}

// Apply stores a harvested grant: the person, their user token, and the
// tokens of the chosen Pages. Tokens go to the vault first and the records
// after, so a record never points at a token that is not there; nothing is
// deleted, so a failure midway leaves every working token in place.
// Pages this person connected before that are missing from the new grant
// become invalid (page_not_granted): Facebook stops serving them.
func Apply(db *store.DB, v *vault.Vault, g *Grant, chosen []string, now time.Time, explain Explain) (Result, error) {
	var res Result
	for _, id := range chosen {
		if _, ok := g.Page(id); !ok {
			return res, fmt.Errorf("Page %s is not in what %s granted", id, g.Person.Name)
		}
	}
	tokens := make(map[string]string, len(chosen))
	for _, id := range chosen {
		p, _ := g.Page(id)
		tokens[p.ID] = p.Token
	}
	if err := v.SetTokens(g.Person.ID, g.UserToken, tokens); err != nil {
		return res, err
	}

	// The records in one transaction: one disk sync for a connect of 1,000
	// Pages instead of two per Page, and all of it or none.
	err := db.Update(func(tx *store.Tx) error {
		res = Result{}
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
		if err := tx.PutProfile(prof); err != nil {
			return err
		}

		for _, id := range chosen {
			gp, _ := g.Page(id)
			name, kind, err := applyPage(tx, g, gp, now)
			if err != nil {
				return err
			}
			if kind == KindTokenRenewed {
				res.Updated = append(res.Updated, name)
			} else {
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
			if _, ok := g.Page(p.ID); ok {
				continue
			}
			summary, fix := explain("page_not_granted", g.Person.Name, p.Name)
			from := p.Status
			change := &store.StatusChange{At: now, From: from, To: "invalid", Reason: "page_not_granted"}
			_, err := tx.RecordTransition(p.ID, func(pg *store.Page) error {
				pg.Status, pg.Reason, pg.Summary, pg.Fix, pg.UpdatedAt = "invalid", "page_not_granted", summary, fix, now
				return nil
			}, change, store.Activity{At: now, Kind: KindNotGranted, Actor: g.Person.Name,
				Details: fmt.Sprintf("%s left this Page out when logging in to Facebook again", g.Person.Name)})
			if err != nil {
				return err
			}
			res.NotGranted = append(res.NotGranted, p.Name)
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
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
	}
	detail := map[string]string{
		KindConnected:    "connected by " + g.Person.Name,
		KindReconnected:  "connected again by " + g.Person.Name,
		KindTokenRenewed: "new token from " + g.Person.Name + "'s login",
	}[kind]
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
		pg.Status, pg.Reason, pg.Summary, pg.Fix = "disconnected", "", "Disconnected: Pagekeeper no longer holds a token for this Page.", "Connect it again from the connect wizard."
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
