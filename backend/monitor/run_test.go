package monitor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// probeServer answers every batch item as Facebook does for a Page that
// works, after calling during (once per batch) while the request is in flight.
func probeServer(during func()) *httptest.Server {
	return batchServer(func([]graph.BatchRequest) {
		during()
	}, nil)
}

// batchServer answers each batch item with answer's code and body, or, when
// answer is nil or gives no code, as Facebook does for a Page that works;
// seen is told of each batch first.
func batchServer(seen func([]graph.BatchRequest), answer func(relativeURL string) (int, string)) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		var reqs []graph.BatchRequest
		json.Unmarshal([]byte(r.PostForm.Get("batch")), &reqs)
		seen(reqs)
		var items []map[string]any
		for _, q := range reqs {
			code, body := 0, ""
			if answer != nil {
				code, body = answer(q.RelativeURL)
			}
			if code == 0 {
				id := strings.SplitN(q.RelativeURL, "?", 2)[0]
				code, body = 200, `{"id":"`+id+`","name":"Page `+id+`"}`
				if strings.Contains(id, "/subscribed_apps") {
					body = `{"data":[{"id":"1","name":"Pagekeeper"}]}`
				}
			}
			items = append(items, map[string]any{"code": code, "body": body})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(items)
	}))
}

// A check works out each Page's record as its answer arrives, before its
// one transaction; a Page changed meanwhile (renamed by a login, say)
// keeps that change, and still gets the check's verdict.
func TestPageChangedDuringTheCheckKeepsTheChange(t *testing.T) {
	var db *store.DB
	var once sync.Once
	srv := probeServer(func() {
		once.Do(func() {
			if err := db.UpdatePage("78", func(p *store.Page) error { p.Category = "Florist"; return nil }); err != nil {
				t.Error(err)
			}
		})
	})
	defer srv.Close()
	m, db0, v := newMonitor(t, srv.URL)
	db = db0
	defer db.Close()
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	m.Now = func() time.Time { return now }
	for _, id := range []string{"77", "78"} {
		if err := db.PutPage(store.Page{ID: id, Name: "Page " + id, Category: "Bakery", Status: "unknown"}); err != nil {
			t.Fatal(err)
		}
		if err := v.SetPageToken(id, "tok-"+id); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := m.Run(context.Background(), Scope{Complete: true})
	if err != nil || rep.Checked != 2 {
		t.Fatalf("checked %d, %v", rep.Checked, err)
	}
	for _, id := range []string{"77", "78"} {
		p, err := db.GetPage(id)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"77": "Bakery", "78": "Florist"}[id]
		if p.Category != want || p.Status != "valid" || !p.CheckedAt.Equal(now) || !p.WebhooksCheckedAt.Equal(now) {
			t.Errorf("Page %s: category %q (want %q), status %q, checked %v, webhooks checked %v", id, p.Category, want, p.Status, p.CheckedAt, p.WebhooksCheckedAt)
		}
	}
	if len(rep.Changes) != 2 {
		t.Errorf("changes %+v, want unknown → valid for both", rep.Changes)
	}
}

// A periodic check that finds nothing new still moves each Page's "last
// checked" (and only the times of the aspects it read), though it writes
// no Page record: the times go apart from it (store's check times).
func TestUnchangedCheckMovesLastChecked(t *testing.T) {
	srv := probeServer(func() {})
	defer srv.Close()
	m, db, v := newMonitor(t, srv.URL)
	defer db.Close()
	first := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	now := first
	m.Now = func() time.Time { return now }
	if err := db.PutPage(store.Page{ID: "77", Name: "Page 77", Status: "unknown"}); err != nil {
		t.Fatal(err)
	}
	if err := v.SetPageToken("77", "tok-77"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Run(context.Background(), Scope{Complete: true}); err != nil {
		t.Fatal(err)
	}
	now = first.Add(15 * time.Minute)
	rep, err := m.Run(context.Background(), Scope{}) // periodic: the webhooks are not due
	if err != nil || rep.Checked != 1 || len(rep.Changes) != 0 {
		t.Fatalf("second check: %+v, %v", rep, err)
	}
	list, err := db.ListPages()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.GetPage("77")
	for _, p := range []store.Page{list[0], p} {
		if !p.CheckedAt.Equal(now) || !p.WebhooksCheckedAt.Equal(first) || p.Status != "valid" {
			t.Errorf("checked %v (want %v), webhooks checked %v (want %v), status %s", p.CheckedAt, now, p.WebhooksCheckedAt, first, p.Status)
		}
	}
}
