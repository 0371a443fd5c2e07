package monitor

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// A 200 answer to subscribed_apps that holds no "data" list is not
// Facebook saying "no app is subscribed": it is no answer about the
// webhooks at all, and must not turn a Page to webhooks_unsubscribed.
func TestSubscribedAppsWithoutADataListIsNoAnswer(t *testing.T) {
	for _, body := range []string{`{}`, `{"data":null}`, `{"success":true}`} {
		tg := &target{page: store.Page{ID: "77"}}
		deliver(item{target: tg, kind: itemSubs}, graph.BatchResponse{Code: 200, Body: []byte(body)}, nil)
		if tg.subs != nil {
			t.Errorf("%s read as subscribed=%v", body, *tg.subs)
		}
		if tg.subsErr == nil {
			t.Errorf("%s gave no error", body)
		}
	}
	for body, want := range map[string]bool{`{"data":[]}`: false, `{"data":[{"id":"1","name":"Pagekeeper"}]}`: true} {
		tg := &target{page: store.Page{ID: "77"}}
		deliver(item{target: tg, kind: itemSubs}, graph.BatchResponse{Code: 200, Body: []byte(body)}, nil)
		if tg.subs == nil || *tg.subs != want {
			t.Errorf("%s: subs %v (err %v), want %v", body, tg.subs, tg.subsErr, want)
		}
	}
}

// Facebook refusing the batch request as a whole (the envelope sent with
// the app token) says nothing about any one Page: an "Unsupported post
// request" (code 100, the words of an unknown object) or a permission
// error about the envelope must not turn every Page to page_gone or
// permission_missing. Real HTTP server, real bbolt file.
func TestWholeBatchRefusalIsNoVerdictOnAnyPage(t *testing.T) {
	for _, body := range []string{
		`{"error":{"message":"Unsupported post request. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api","type":"GraphMethodException","code":100,"error_subcode":33}}`,
		`{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200}}`,
		`{"error":{"message":"(#10) Application does not have permission for this action","type":"OAuthException","code":10}}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			w.Write([]byte(body))
		}))
		m, db, v := newMonitor(t, srv.URL)
		for _, id := range []string{"77", "78"} {
			if err := db.PutPage(store.Page{ID: id, Name: "Page " + id, Status: "valid"}); err != nil {
				t.Fatal(err)
			}
			if err := v.SetPageToken(id, "tok-"+id); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := m.Run(context.Background(), Scope{Complete: true})
		if err != nil {
			t.Fatal(err)
		}
		pages, _ := db.ListPages()
		for _, p := range pages {
			if p.Status != "valid" {
				t.Errorf("%.40s: Page %s became %s/%s", body, p.ID, p.Status, p.Reason)
			}
		}
		for _, u := range rep.Unchecked {
			if u.Reason != health.UnexpectedAnswer {
				t.Errorf("%.40s: Page %s unchecked as %s, want unexpected_answer", body, u.PageID, u.Reason)
			}
		}
		if rep.Unreachable != 2 {
			t.Errorf("%.40s: %d Pages unchecked, want 2", body, rep.Unreachable)
		}
		db.Close()
		srv.Close()
	}
}

// debug_token runs on the app's own quota (code 4 when it is used up),
// apart from the Pages' quotas the probes use: a rate limit on the debug
// items alone still slows the checks down.
func TestRateLimitedDebugTokenItemsBackOff(t *testing.T) {
	limited := `{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","is_transient":true,"code":4}}`
	srv := batchServer(func([]graph.BatchRequest) {}, func(relativeURL string) (int, string) {
		if strings.HasPrefix(relativeURL, "debug_token") {
			return 400, limited
		}
		return 0, ""
	})
	defer srv.Close()
	m, db, v := newMonitor(t, srv.URL)
	defer db.Close()
	if err := db.PutProfile(store.Profile{ID: "U1", Name: "Dana"}); err != nil {
		t.Fatal(err)
	}
	if err := v.SetUserToken("U1", "user-tok"); err != nil {
		t.Fatal(err)
	}
	if err := db.PutPage(store.Page{ID: "77", Name: "Page", ProfileID: "U1", Status: "valid"}); err != nil {
		t.Fatal(err)
	}
	if err := v.SetPageToken("77", "tok-77"); err != nil {
		t.Fatal(err)
	}
	rep, err := m.Run(context.Background(), Scope{Complete: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.RateLimited || !m.BackingOff() {
		t.Errorf("debug_token refused for the app's rate limit: RateLimited %v, backing off %v", rep.RateLimited, m.BackingOff())
	}
}

// newMonitor is a Monitor on a fresh database (the caller closes it), a
// keychain in memory and a Graph client of the Facebook served at graphURL.
func newMonitor(t *testing.T, graphURL string) (*Monitor, *store.DB, *vault.Vault) {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "pagekeeper.db"))
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(vault.NewMemory())
	g := graph.New(graph.Config{GraphURL: graphURL, AppID: "1", AppSecret: "secret"})
	return &Monitor{DB: db, Vault: v, Graph: func() (*graph.Client, error) { return g, nil }}, db, v
}
