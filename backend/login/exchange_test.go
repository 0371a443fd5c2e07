package login_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/login"
)

// A token endpoint that never answers: the login ends after ExchangeTimeout
// as "could not reach Facebook", not after the whole login's timeout as a
// login nobody finished, and the browser tab says so.
func TestExchangeHasATimeout(t *testing.T) {
	old := login.ExchangeTimeout
	login.ExchangeTimeout = 300 * time.Millisecond
	t.Cleanup(func() { login.ExchangeTimeout = old })
	f := start(t, func(c *login.Config) { c.Timeout = time.Minute })
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) }) // runs before the server closes
	f.te.reply = func() (int, string) { <-hang; return 500, "" }

	begin := time.Now()
	status, body := f.get(t, "code="+goodCode+"&state="+f.state())
	err := f.wait(t)
	if took := time.Since(begin); took > 10*time.Second {
		t.Fatalf("the login took %s", took)
	}
	if !errors.Is(err, login.ErrUnreachable) || errors.Is(err, login.ErrTimeout) || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v, want ErrUnreachable (timed out)", err)
	}
	if status != 200 || !strings.Contains(body, "could not finish connecting") {
		t.Fatalf("tab: %d %s", status, body)
	}
}

// The token endpoint answers 307 to another server: the code, the verifier
// and the app secret are not sent there, even when the caller's own client
// would follow redirects.
func TestExchangeFollowsNoRedirect(t *testing.T) {
	for _, name := range []string{"default client", "caller's client"} {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.ParseForm()
				mu.Lock()
				got = append(got, r.Method+" "+r.URL.String()+" "+r.Form.Encode())
				mu.Unlock()
				w.Write([]byte(`{"access_token":"stolen","token_type":"bearer"}`))
			}))
			defer elsewhere.Close()
			redirect := httptest.NewServer(http.RedirectHandler(elsewhere.URL+"/v25.0/oauth/access_token", http.StatusTemporaryRedirect))
			defer redirect.Close()
			f := start(t, func(c *login.Config) {
				c.GraphURL = redirect.URL
				if name == "caller's client" {
					c.HTTPClient = &http.Client{} // Go's default policy follows 307s
				}
			})
			status, _ := f.get(t, "code="+goodCode+"&state="+f.state())
			err := f.wait(t)
			mu.Lock()
			defer mu.Unlock()
			if len(got) > 0 {
				t.Fatalf("the exchange was sent to another server: %q", got)
			}
			// A redirect is an answer that arrived: never "could not reach Facebook".
			if !errors.Is(err, login.ErrFacebookTrouble) || errors.Is(err, login.ErrUnreachable) || !strings.Contains(err.Error(), "redirect") {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), appSecret) || strings.Contains(err.Error(), url.QueryEscape(goodCode)) {
				t.Fatalf("the error shows a secret: %v", err)
			}
			if status != 200 {
				t.Fatalf("tab: HTTP %d", status)
			}
		})
	}
}
