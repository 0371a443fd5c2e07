package monitor

import (
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/store"
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
