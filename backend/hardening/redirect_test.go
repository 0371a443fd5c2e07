package hardening

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/outbound"
)

// elsewhere is a real server standing for the host a redirect points to: it
// records whatever reaches it.
type elsewhere struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newElsewhere(t *testing.T) *elsewhere {
	e := &elsewhere{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.seen = append(e.seen, r.Method+" "+r.URL.String()+" "+string(body))
		e.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"1","name":"x","access_token":"EAAstolenstolenstolen","data":[]}`)
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *elsewhere) requests() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.seen...)
}

// redirector answers every request with code to the same path on target.
func redirector(t *testing.T, code int, target string) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+r.URL.RequestURI(), code)
	}))
	t.Cleanup(s.Close)
	return s
}

// Every Graph call carries a token, the app token (App ID|secret) or the
// secret itself: none follows a 307 or 308 to another host, none is sent
// twice, and the failure is "Facebook unavailable", never a verdict on a
// token. The check's batch is the call that matters most: it holds the app
// token and every person's and Page's token.
func TestGraphFollowsNoRedirect(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	for _, code := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		for _, client := range []string{"default", "caller's"} {
			t.Run(http.StatusText(code)+"/"+client, func(t *testing.T) {
				e := newElsewhere(t)
				r := redirector(t, code, e.URL)
				cfg := graph.Config{GraphURL: r.URL, AppID: "1234", AppSecret: secret}
				if client == "caller's" {
					cfg.HTTPClient = &http.Client{} // Go's own policy follows redirects
				}
				g := graph.New(cfg)
				ctx := context.Background()
				calls := map[string]func() error{
					"check batch": func() error {
						_, err := g.AppBatch(ctx, []graph.BatchRequest{g.WithToken("GET", "me?fields=id", "EAApagetokenpagetoken")})
						return err
					},
					"debug_token": func() error { _, err := g.DebugToken(ctx, "EAAusertokenusertoken"); return err },
					"code exchange": func() error {
						_, err := g.ExchangeCode(ctx, "the-code", "http://localhost:1/callback", "the-verifier")
						return err
					},
					"long-lived exchange": func() error { _, err := g.ExchangeLongLived(ctx, "EAAusertokenusertoken"); return err },
					"me":                  func() error { _, err := g.Me(ctx, "EAAusertokenusertoken"); return err },
					"unsubscribe":         func() error { return g.Unsubscribe(ctx, "42", "EAApagetokenpagetoken") },
				}
				for name, call := range calls {
					err := call()
					var ue *graph.UnavailableError
					if !errors.As(err, &ue) {
						t.Errorf("%s: err = %v, want *graph.UnavailableError", name, err)
					}
					if !errors.Is(err, outbound.ErrRedirect) {
						t.Errorf("%s: err = %v, want it to name the redirect", name, err)
					}
					if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "EAA")) {
						t.Errorf("%s: the error shows a secret: %v", name, err)
					}
				}
				if got := e.requests(); len(got) > 0 {
					t.Fatalf("%d requests reached the other host: %q", len(got), got)
				}
			})
		}
	}
}

// A request without a secret may follow a redirect on the same host, never
// one to another host.
func TestPlainRequestStaysOnItsHost(t *testing.T) {
	e := newElsewhere(t)
	c := outbound.Client(nil, 0)
	same := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusFound)
			return
		}
		io.WriteString(w, "here")
	}))
	defer same.Close()
	resp, err := c.Get(same.URL + "/old")
	if err != nil {
		t.Fatalf("same-host redirect: %v", err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/new" {
		t.Fatalf("ended at %s", resp.Request.URL)
	}
	if _, err := c.Get(redirector(t, http.StatusFound, e.URL).URL + "/plain"); !errors.Is(err, outbound.ErrRedirect) {
		t.Fatalf("cross-host redirect: err = %v", err)
	}
	if got := e.requests(); len(got) > 0 {
		t.Fatalf("reached the other host: %q", got)
	}
	if c.Timeout <= 0 {
		t.Fatal("no timeout")
	}
}
