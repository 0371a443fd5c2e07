// Package connect turns a Facebook login into connected Pages: it harvests
// the grant (long-lived user token, the person's Pages and their tokens) and
// applies it to the store and the vault without ever losing a working token.
package connect

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

// Scopes are the permissions Pagekeeper asks for: enough to list the Pages,
// read and check them, and report on what the owner's tools need
// (FACEBOOK.md §7).
var Scopes = []string{
	"pages_show_list", "pages_read_engagement", "pages_manage_metadata",
	"pages_manage_posts", "pages_messaging", "read_insights",
	"instagram_basic", "instagram_manage_messages", "business_management",
}

// pageFields are asked for Pages that /me/accounts leaves out.
var pageFields = []string{"id", "name", "category", "access_token", "tasks", "instagram_business_account{id,username}"}

// Grant is what one login gave Pagekeeper. It holds tokens: it lives in
// memory only, between the login and the owner's choice of Pages.
type Grant struct {
	Person              graph.User
	UserToken           string
	TokenExpiresAt      time.Time // zero: never
	DataAccessExpiresAt time.Time
	Scopes              []string // granted
	Declined            []string
	Pages               []GrantedPage
	// Skipped are Pages Facebook listed without a Page token (the field
	// left out, or empty): nothing can be stored or checked for them, and
	// they must not stop the other Pages from connecting.
	Skipped     []SkippedPage
	HarvestedAt time.Time
}

// SkippedPage is a Page of the login that cannot be connected, and why.
type SkippedPage struct {
	ID, Name string
	Why      string // plain words for the chooser and the connect summary
}

// skipped explains a Page that came without a Page token.
func skipped(id, name, person string) SkippedPage {
	if name == "" {
		name = "Page " + id
	}
	return SkippedPage{ID: id, Name: name, Why: fmt.Sprintf("Facebook listed %s but gave Pagekeeper no access to it, so Pagekeeper cannot watch it and stored nothing for it. "+
		"This can happen when %s's role on the Page does not let apps act for it: ask an admin of %s to check %s's access in Meta Business Suite, then connect again.",
		name, person, name, person)}
}

// refusedForThisPage: Facebook's definitive answer about one Page of the
// grant (it does not exist for this person, a permission or a field is
// refused, no role on it that lets apps act for it: 190/492 "must be an
// administrator ... in order to impersonate it"), which must not stop the
// other Pages from connecting. A dead user token, a refused Meta app or an
// answer without a verdict fail the login as a whole.
func refusedForThisPage(err error) bool {
	var ge *graph.Error
	if !errors.As(err, &ge) || !graph.IsDefinitive(err) || ge.AppIssue() != graph.AppOK {
		return false
	}
	return !ge.IsLoginRecoverable() || ge.Subcode == graph.SubcodeNoPageRole
}

// unreadable explains a Page of the grant that Facebook refused to show.
func unreadable(id, person string) SkippedPage {
	name := "Page " + id
	return SkippedPage{ID: id, Name: name, Why: fmt.Sprintf("%s is among the Pages %s allowed, but Facebook refused to show it to Pagekeeper with %s's access "+
		"(it may have been deleted, or %s's role on it may not let apps act for it), so Pagekeeper stored nothing for it. "+
		"Ask an admin of the Page to check %s's access in Meta Business Suite, then connect again.", name, person, person, person, person)}
}

// GrantedPage is a Page the person granted, with its Page token.
type GrantedPage struct {
	ID, Name, Category string
	Token              string
	Tasks              []string
	InstagramID        string
	InstagramUsername  string
	ViaPortfolio       bool     // only in granular_scopes, not in /me/accounts
	Scopes             []string // granted scopes that cover this Page
}

// Harvest exchanges the short-lived user token of a fresh login for a
// long-lived one and collects the person's Pages with their tokens. Nothing is
// stored: a failure here leaves every existing token as it was.
func Harvest(ctx context.Context, g *graph.Client, shortToken string, now time.Time) (*Grant, error) {
	long, err := g.ExchangeLongLived(ctx, shortToken)
	if err != nil {
		return nil, fmt.Errorf("exchanging for a long-lived token: %w", err)
	}
	me, err := g.Me(ctx, long.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("reading who logged in: %w", err)
	}
	info, err := g.DebugToken(ctx, long.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("inspecting the new token: %w", err)
	}
	if !info.IsValid {
		return nil, fmt.Errorf("Facebook says the new token is not valid: %v", info.Error)
	}
	perms, err := g.Permissions(ctx, long.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("reading the granted permissions: %w", err)
	}
	accounts, err := g.Accounts(ctx, long.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("listing the Pages: %w", err)
	}
	gr := &Grant{
		Person:              me,
		UserToken:           long.AccessToken,
		TokenExpiresAt:      firstNonZero(info.ExpiresAt, long.ExpiresAt),
		DataAccessExpiresAt: info.DataAccessExpiresAt,
		HarvestedAt:         now,
	}
	for _, p := range perms {
		switch p.Status {
		case "granted":
			gr.Scopes = append(gr.Scopes, p.Permission)
		case "declined", "expired":
			gr.Declined = append(gr.Declined, p.Permission)
		}
	}
	if len(gr.Scopes) == 0 {
		gr.Scopes = slices.Clone(info.Scopes)
	}
	seen := map[string]bool{}
	for _, a := range accounts {
		if a.ID == "" || seen[a.ID] {
			continue // a null entry, one without an id, or a Page listed twice
		}
		seen[a.ID] = true
		if a.AccessToken == "" {
			gr.Skipped = append(gr.Skipped, skipped(a.ID, a.Name, me.Name))
			continue
		}
		gr.Pages = append(gr.Pages, grantedPage(a.ID, a.Name, a.Category, a.AccessToken, a.Tasks, a.Instagram, false))
	}
	// Pages reached only through a Business Portfolio are listed in the
	// grant's target_ids but not in /me/accounts (FACEBOOK.md §9, complaint 3).
	targets, _ := info.PageTargets()
	for _, id := range targets {
		if seen[id] {
			continue
		}
		seen[id] = true
		p, err := g.Page(ctx, id, long.AccessToken, pageFields...)
		if err != nil {
			if !refusedForThisPage(err) {
				return nil, fmt.Errorf("reading Page %s from the Business Portfolio: %w", id, err)
			}
			gr.Skipped = append(gr.Skipped, unreadable(id, me.Name))
			continue
		}
		if p.AccessToken == "" {
			// Named even without a name: a Page dropped here would later
			// read as left out of the grant.
			gr.Skipped = append(gr.Skipped, skipped(id, p.Name, me.Name))
			continue
		}
		gr.Pages = append(gr.Pages, grantedPage(p.ID, p.Name, p.Category, p.AccessToken, p.Tasks, p.Instagram, true))
	}
	for i := range gr.Pages {
		gr.Pages[i].Scopes = scopesFor(info, gr.Scopes, gr.Pages[i])
	}
	sort.SliceStable(gr.Pages, func(i, j int) bool { return gr.Pages[i].Name < gr.Pages[j].Name })
	sort.SliceStable(gr.Skipped, func(i, j int) bool { return gr.Skipped[i].Name < gr.Skipped[j].Name })
	return gr, nil
}

func grantedPage(id, name, category, token string, tasks []string, ig *graph.Instagram, portfolio bool) GrantedPage {
	p := GrantedPage{ID: id, Name: name, Category: category, Token: token, Tasks: slices.Clone(tasks), ViaPortfolio: portfolio}
	if ig != nil {
		p.InstagramID, p.InstagramUsername = ig.ID, ig.Username
	}
	return p
}

// scopesFor lists the granted scopes that cover a Page. A Page scope with
// target ids covers only the Pages listed; an instagram_* scope with target
// ids covers the Instagram accounts listed (the Page's own, if it has one);
// other scopes (business_management targets businesses) and scopes without
// target ids cover everything.
func scopesFor(info graph.TokenInfo, granted []string, p GrantedPage) []string {
	var out []string
	for _, s := range granted {
		targets, ok := info.Targets(s)
		switch {
		case !ok:
		case strings.HasPrefix(s, "pages_") || s == "read_insights":
			if !slices.Contains(targets, p.ID) {
				continue
			}
		case strings.HasPrefix(s, "instagram_"):
			if p.InstagramID != "" && !slices.Contains(targets, p.InstagramID) {
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// Missing lists the Pagekeeper scopes a Page lacks; Instagram scopes only
// matter for a Page with a linked Instagram account.
func (p GrantedPage) Missing() []string {
	var out []string
	for _, s := range Scopes {
		if p.InstagramID == "" && strings.HasPrefix(s, "instagram_") {
			continue
		}
		if !slices.Contains(p.Scopes, s) {
			out = append(out, s)
		}
	}
	return out
}

// IsSkipped reports whether the login listed the Page without a token.
func (g *Grant) IsSkipped(id string) bool {
	return slices.ContainsFunc(g.Skipped, func(p SkippedPage) bool { return p.ID == id })
}

// Page returns the granted Page with that id.
func (g *Grant) Page(id string) (GrantedPage, bool) {
	for _, p := range g.Pages {
		if p.ID == id {
			return p, true
		}
	}
	return GrantedPage{}, false
}

func firstNonZero(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
