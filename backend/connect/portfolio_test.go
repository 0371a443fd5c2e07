package connect

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

// portfolioFacebook answers a login whose grant (granular_scopes) names three
// Business Portfolio Pages besides the one /me/accounts lists: P2 reads
// fine, P3 answers with p3Status and p3Body, and P4
// comes back without a token or a name.
func portfolioFacebook(t *testing.T, p3Status int, p3Body string) *graph.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		path := strings.TrimPrefix(r.URL.Path, "/v25.0/")
		var body any
		switch path {
		case "oauth/access_token":
			body = map[string]any{"access_token": "long-user-token", "token_type": "bearer", "expires_in": 5183944}
		case "me":
			body = map[string]any{"id": "U1", "name": "Dana"}
		case "debug_token":
			body = map[string]any{"data": map[string]any{"app_id": "1", "type": "USER", "is_valid": true, "user_id": "U1",
				"scopes":          []string{"pages_show_list", "pages_read_engagement"},
				"granular_scopes": []any{map[string]any{"scope": "pages_show_list", "target_ids": []string{"P1", "P2", "P3", "P4"}}}}}
		case "me/permissions":
			body = map[string]any{"data": []any{map[string]any{"permission": "pages_show_list", "status": "granted"}}}
		case "me/accounts":
			body = map[string]any{"data": []any{map[string]any{"id": "P1", "name": "Bakery", "access_token": "tok-1", "tasks": []string{"MANAGE"}}}}
		case "P2":
			body = map[string]any{"id": "P2", "name": "Portfolio Cafe", "access_token": "tok-2"}
		case "P3":
			w.WriteHeader(p3Status)
			w.Write([]byte(p3Body))
			return
		case "P4":
			body = map[string]any{"id": "P4"}
		default:
			t.Errorf("unexpected request %s", r.URL.Path)
			w.WriteHeader(404)
			return
		}
		json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(srv.Close)
	return graph.New(graph.Config{GraphURL: srv.URL, AppID: "1", AppSecret: "secret"})
}

// One Business Portfolio Page that Facebook definitively refuses to show
// must not stop every other Page of the login from connecting: it is
// skipped with the reason, like a Page listed without a token. A Page that
// came back without a token is skipped (named), never silently dropped
// (which would later mark it "left out of the grant").
func TestHarvestSkipsAPortfolioPageFacebookRefuses(t *testing.T) {
	gone := `{"error":{"message":"Unsupported get request. Object with ID 'P3' does not exist, cannot be loaded due to missing permissions, or does not support this operation.","type":"GraphMethodException","code":100,"error_subcode":33}}`
	g := portfolioFacebook(t, 400, gone)
	gr, err := Harvest(context.Background(), g, "short", time.Now())
	if err != nil {
		t.Fatalf("one unreadable portfolio Page failed the whole login: %v", err)
	}
	var ids []string
	for _, p := range gr.Pages {
		ids = append(ids, p.ID)
	}
	if strings.Join(ids, ",") != "P1,P2" {
		t.Errorf("connectable Pages = %v, want P1 and P2", ids)
	}
	if !gr.IsSkipped("P3") || !gr.IsSkipped("P4") {
		t.Errorf("skipped = %+v, want P3 and P4 named", gr.Skipped)
	}
	for _, s := range gr.Skipped {
		if s.Why == "" || s.Name == "" {
			t.Errorf("skipped without a name or a reason: %+v", s)
		}
	}
}

// No role on one portfolio Page that lets apps act for it (190/492, asked
// for its token) is about that Page, not a dead login.
func TestHarvestSkipsAPortfolioPageWithoutARole(t *testing.T) {
	noRole := `{"error":{"message":"(#190) The user must be an administrator, editor, or moderator of the page in order to impersonate it.","type":"OAuthException","code":190,"error_subcode":492}}`
	gr, err := Harvest(context.Background(), portfolioFacebook(t, 400, noRole), "short", time.Now())
	if err != nil {
		t.Fatalf("one portfolio Page without a role failed the whole login: %v", err)
	}
	if !gr.IsSkipped("P3") || len(gr.Pages) != 2 {
		t.Errorf("pages %+v skipped %+v", gr.Pages, gr.Skipped)
	}
	// A dead user token is no Page's problem: the login fails as a whole.
	dead := `{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}`
	if _, err := Harvest(context.Background(), portfolioFacebook(t, 400, dead), "short", time.Now()); err == nil {
		t.Error("a dead user token connected the other Pages")
	}
}

// An answer that says nothing (an error page) is no verdict on the Page:
// the login fails as a whole rather than connect without it.
func TestHarvestFailsWhenAPortfolioPageGetsNoVerdict(t *testing.T) {
	g := portfolioFacebook(t, 502, "<html>Bad gateway</html>")
	if _, err := Harvest(context.Background(), g, "short", time.Now()); err == nil {
		t.Fatal("an error page for a portfolio Page was taken as a verdict")
	}
}

// A null in /me/accounts' data list (or an entry without an id) is no Page:
// it is neither connected nor named as skipped (as "Page " with no id); a
// Page listed twice is one Page.
func TestHarvestIgnoresNullAccountEntries(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch strings.TrimPrefix(r.URL.Path, "/v25.0/") {
		case "oauth/access_token":
			w.Write([]byte(`{"access_token":"long-user-token","token_type":"bearer"}`))
		case "me":
			w.Write([]byte(`{"id":"U1","name":"Dana"}`))
		case "debug_token":
			w.Write([]byte(`{"data":{"app_id":"1","type":"USER","is_valid":true,"user_id":"U1","scopes":["pages_show_list"]}}`))
		case "me/permissions":
			w.Write([]byte(`{"data":[{"permission":"pages_show_list","status":"granted"}]}`))
		case "me/accounts":
			// P1 twice: a cursor page can repeat an entry when the list changes while it is read.
			w.Write([]byte(`{"data":[null,{"id":"P1","name":"Bakery","access_token":"tok-1"},{"name":"No id"},{"id":"P1","name":"Bakery","access_token":"tok-1"}]}`))
		default:
			t.Errorf("unexpected request %s", r.URL.Path)
			w.WriteHeader(404)
		}
	}))
	defer srv.Close()
	g := graph.New(graph.Config{GraphURL: srv.URL, AppID: "1", AppSecret: "secret"})
	gr, err := Harvest(context.Background(), g, "short", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(gr.Pages) != 1 || gr.Pages[0].ID != "P1" || len(gr.Skipped) != 0 {
		t.Errorf("pages %+v skipped %+v, want P1 alone", gr.Pages, gr.Skipped)
	}
}
