// Package outbound builds the HTTP clients Pagekeeper calls Facebook with.
//
// Go's http.Client follows redirects by itself, and on a 307 or 308 it sends
// the body again: a Graph host (or anything on the path to it) answering
// "307 Location: elsewhere" would receive the app secret, the login code,
// the PKCE verifier and people's tokens a second time, at an address of its
// choosing. The clients made here follow no redirect for a request that
// carries a secret, none to another host, scheme or port, and give up after a
// timeout.
package outbound

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// DefaultTimeout bounds one request, answer included, when the caller set none.
const DefaultTimeout = 30 * time.Second

// maxRedirects is as many as Go's default policy allows.
const maxRedirects = 10

// ErrRedirect is why a redirect was not followed (errors.Is works through
// the *url.Error the client returns).
var ErrRedirect = errors.New("Facebook's answer pointed elsewhere (an HTTP redirect); Pagekeeper does not follow it with your keys")

// secretParams are the query parameters that carry a credential.
var secretParams = []string{"access_token", "client_secret", "appsecret_proof", "code", "code_verifier",
	"fb_exchange_token", "input_token", "refresh_token"}

// Client returns a copy of base (nil: a client on http.DefaultTransport)
// with the redirect rule above, and timeout when base has none (0 means
// DefaultTimeout). base itself is left as it is.
func Client(base *http.Client, timeout time.Duration) *http.Client {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	if c.Timeout <= 0 {
		c.Timeout = timeout
		if c.Timeout <= 0 {
			c.Timeout = DefaultTimeout
		}
	}
	c.CheckRedirect = checkRedirect
	return c
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	switch {
	case carriesSecret(first):
		return fmt.Errorf("%w (HTTP %d to %s)", ErrRedirect, statusOf(req), req.URL.Host)
	case req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host:
		return fmt.Errorf("%w (HTTP %d to another host, %s)", ErrRedirect, statusOf(req), req.URL.Host)
	case len(via) >= maxRedirects:
		return fmt.Errorf("%w (%d redirects in a row)", ErrRedirect, len(via))
	}
	return nil
}

// carriesSecret reports whether r holds a credential: one of secretParams in
// its query, an Authorization header, or a body (Pagekeeper's bodies are
// form posts of tokens, the secret and login codes).
func carriesSecret(r *http.Request) bool {
	if r.Body != nil && r.Body != http.NoBody || r.ContentLength > 0 || r.GetBody != nil {
		return true
	}
	if r.Header.Get("Authorization") != "" {
		return true
	}
	q := r.URL.Query()
	for _, p := range secretParams {
		if q.Has(p) {
			return true
		}
	}
	return false
}

func statusOf(r *http.Request) int {
	if r.Response != nil {
		return r.Response.StatusCode
	}
	return 0
}
