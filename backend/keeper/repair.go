package keeper

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// WebhookFields are the Page webhook fields Pagekeeper's owners rely on:
// feed (posts, comments) and messages (Messenger), the fields the app
// subscribes at connect time (FACEBOOK.md §5).
var WebhookFields = []string{"feed", "messages"}

// KindResubscribed is the activity of a Resubscribe.
const KindResubscribed = "webhooks_resubscribed"

// Resubscribe subscribes the app to the Page's webhooks again (POST
// /{page-id}/subscribed_apps) and then checks the Page. A refusal from
// Facebook is returned in plain words and logged; nothing else changes.
func (k *Keeper) Resubscribe(ctx context.Context, pageID, actor string) error {
	p, err := k.connectedPage(pageID)
	if err != nil {
		return err
	}
	tok, err := k.vault.PageToken(pageID)
	if err != nil {
		return fmt.Errorf("Pagekeeper holds no working token for %s: click Reconnect first (%w)", p.Name, err)
	}
	g, err := k.graph()
	if err != nil {
		return err
	}
	now := k.opts.Now()
	if err := g.Subscribe(ctx, pageID, tok, WebhookFields); err != nil {
		k.db.RecordTransition(pageID, func(*store.Page) error { return nil }, nil, store.Activity{At: now, Kind: KindResubscribed, Actor: actor,
			Details: "Facebook refused to subscribe the app to the Page's events: " + err.Error()})
		return fmt.Errorf("Facebook refused to subscribe Pagekeeper's app to %s's events: %w. Click Reconnect and log in as the person who connected it", p.Name, err)
	}
	yes := true
	if _, err := k.db.RecordTransition(pageID, func(pg *store.Page) error { pg.WebhooksSubscribed = &yes; return nil }, nil,
		store.Activity{At: now, Kind: KindResubscribed, Actor: actor, Details: "app subscribed to the Page's events again: " + strings.Join(WebhookFields, ", ")}); err != nil {
		return err
	}
	_, err = k.CheckPage(ctx, pageID)
	return err
}

func (k *Keeper) connectedPage(pageID string) (store.Page, error) {
	p, err := k.db.GetPage(pageID)
	if errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("no connected Page %s", pageID)
	}
	if err == nil && p.Status == "disconnected" {
		return p, fmt.Errorf("%s is disconnected: connect it again first", p.Name)
	}
	return p, err
}

// AdminRequest is the "Ask an admin" message, ready to copy.
type AdminRequest struct {
	PageID   string   `json:"pageId"`
	PageName string   `json:"pageName"`
	Person   string   `json:"person"`
	Tasks    []string `json:"tasks"` // in the words of Facebook's Page access settings
	Message  string   `json:"message"`
	URL      string   `json:"url"` // the Page access settings
}

// AskAdmin writes the message for an admin of the Page: which Page (name and
// ID), who needs access, and the exact tasks.
func (k *Keeper) AskAdmin(pageID string) (AdminRequest, error) {
	p, err := k.db.GetPage(pageID)
	if err != nil {
		return AdminRequest{}, fmt.Errorf("no connected Page %s: %w", pageID, err)
	}
	person := "the person who connected it"
	if prof, err := k.db.GetProfile(p.ProfileID); err == nil && prof.Name != "" {
		person = prof.Name
	}
	tasks := p.MissingTasks
	if p.Reason == string(health.RoleLost) || len(tasks) == 0 {
		// The role is gone: ask for what Pagekeeper's features need (or had).
		tasks = p.Tasks
		if len(tasks) == 0 {
			tasks = health.MissingTasks(nil)
		}
	}
	words := make([]string, len(tasks))
	for i, t := range tasks {
		words[i] = health.TaskName(t)
	}
	url := health.Links[health.LinkPageAccess]
	what := "access to the Page again"
	if p.Reason == string(health.TaskMissing) {
		what = "more access to the Page"
	}
	msg := fmt.Sprintf("Hello,\n\ncould you give %s %s on Facebook?\n\n"+
		"Page: %s\nPage ID: %s\nPerson: %s\nTasks needed: %s\n\n"+
		"Switch into the Page on Facebook, open Settings, then Page access (or open %s once switched), "+
		"find %s and allow these tasks. Pagekeeper, the app that keeps our Page connections working, needs them to watch the Page.\n\nThank you!",
		person, what, p.Name, p.ID, person, strings.Join(words, ", "), url, person)
	return AdminRequest{PageID: p.ID, PageName: p.Name, Person: person, Tasks: words, Message: msg, URL: url}, nil
}

// FacebookLink is the Facebook page that fixes a Page's problem ("Open in
// Facebook"); "" when its reason sends nowhere.
func (k *Keeper) FacebookLink(pageID string) (string, error) {
	p, err := k.db.GetPage(pageID)
	if err != nil {
		return "", fmt.Errorf("no connected Page %s: %w", pageID, err)
	}
	return health.RepairFor(health.Status(p.Status), health.Reason(p.Reason)).PageURL(p.ID), nil
}

// OpenFacebook opens that page in the system browser.
func (k *Keeper) OpenFacebook(pageID string) (string, error) {
	url, err := k.FacebookLink(pageID)
	if err != nil || url == "" {
		if err == nil {
			err = errors.New("this Page's problem is not fixed in Facebook's settings")
		}
		return "", err
	}
	if k.opts.Opener == nil {
		return url, nil
	}
	return url, k.opts.Opener(url)
}

// actionViews are the buttons of a Page's status and reason.
func actionViews(p store.Page) []ActionView {
	r := health.RepairFor(health.Status(p.Status), health.Reason(p.Reason))
	out := make([]ActionView, 0, len(r.Actions))
	for _, a := range r.Actions {
		v := ActionView{Kind: string(a), Label: a.Label(), Command: a.Command(p.ID)}
		if a == health.ActionOpenFacebook {
			v.URL = r.PageURL(p.ID)
		}
		out = append(out, v)
	}
	return out
}
