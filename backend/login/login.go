// Package login runs "Log in with Facebook" for a desktop app: it opens
// Facebook's login dialog in the owner's browser and receives the answer on a
// short-lived web server bound to 127.0.0.1 (a loopback redirect, as in
// int128/oauth2cli), then trades the code for a user access token with
// golang.org/x/oauth2, using PKCE (S256) and the app secret.
//
// Pagekeeper asks each owner to register their own Meta app and enter its App
// ID and App Secret (see /work/shared/FACEBOOK.md §1): without the secret no
// long-lived token can be had. The owner must add RedirectURI(port) to the
// app's "Valid OAuth Redirect URIs".
package login

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/pagekeeper/pagekeeper/backend/outbound"
)

// Defaults for Config's zero fields.
const (
	DefaultFacebookURL = "https://www.facebook.com"
	DefaultGraphURL    = "https://graph.facebook.com"
	DefaultVersion     = "v25.0"
	// DefaultPort is fixed rather than random because Facebook matches the
	// redirect URI exactly (Strict Mode), port included: the owner registers
	// it once.
	DefaultPort    = 47613
	DefaultTimeout = 5 * time.Minute
	CallbackPath   = "/callback"
)

// ExchangeTimeout bounds the code exchange once the redirect has come back:
// the owner has done their part, so a token endpoint that never answers is
// reported as Facebook's silence, not as a login nobody finished.
var ExchangeTimeout = 30 * time.Second

// Config describes one login.
type Config struct {
	AppID     string
	AppSecret string
	// FacebookURL is where the login dialog lives; GraphURL where the code is
	// exchanged. Both are settings so tests (and the sandbox) can stand in.
	FacebookURL string
	GraphURL    string
	Version     string // Graph API version, e.g. "v25.0"
	Port        int    // loopback port; 0 means DefaultPort
	Scopes      []string
	// AuthType is "", "rerequest" (ask again for declined permissions and
	// Pages), "reauthorize" (restore expired data access) or "reauthenticate"
	// (password again).
	AuthType string
	Timeout  time.Duration // whole login; 0 means DefaultTimeout
	// Opener shows url in the owner's browser (Wails' BrowserOpenURL or the
	// OS opener). Nil or failing is not fatal: Session.URL is there to copy.
	Opener func(url string) error
	// Complete, when set, finishes the caller's work with the new token
	// (storing what the login connects) while the browser tab waits, so the
	// tab says "connected" only once everything is stored, and says what went
	// wrong otherwise. Its error ends the login (Wait returns it).
	Complete func(ctx context.Context, tok *oauth2.Token) (Completion, error)
	// HTTPClient carries the code exchange (nil: Go's default transport); it
	// never follows a redirect and gives up after ExchangeTimeout.
	HTTPClient *http.Client
}

// Completion is what Config.Complete did, for the browser tab.
type Completion struct {
	// Connected: everything is stored; the tab says "You're connected".
	// Otherwise the tab says the person is logged in and Message says what
	// is left to do in Pagekeeper.
	Connected bool
	Message   string
}

// RedirectURI is the exact redirect URI to register in the Meta app for port.
//
// It says "localhost" rather than "127.0.0.1" because Facebook's HTTPS
// enforcement names "localhost" as the HTTP exception for apps in development
// mode (developers.facebook.com/blog/post/2018/06/08/enforce-https-facebook-login/);
// whether a literal loopback IP passes is unverified. The server still binds
// 127.0.0.1 only: browsers that try ::1 first for "localhost" fall back to
// 127.0.0.1 when ::1 refuses.
func RedirectURI(port int) string {
	if port == 0 {
		port = DefaultPort
	}
	return "http://localhost:" + strconv.Itoa(port) + CallbackPath
}

// withDefaults fills zero fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	if c.FacebookURL == "" {
		c.FacebookURL = DefaultFacebookURL
	}
	if c.GraphURL == "" {
		c.GraphURL = DefaultGraphURL
	}
	if c.Version == "" {
		c.Version = DefaultVersion
	}
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	c.HTTPClient = outbound.Client(c.HTTPClient, ExchangeTimeout)
	c.FacebookURL = strings.TrimRight(c.FacebookURL, "/")
	c.GraphURL = strings.TrimRight(c.GraphURL, "/")

	switch {
	case c.AppID == "":
		return c, errors.New("login: no Facebook App ID: enter your Meta app's App ID in Settings")
	case strings.Trim(c.AppID, "0123456789") != "":
		return c, errors.New("login: the Facebook App ID must be digits only (copy it from your Meta app's dashboard)")
	case c.AppSecret == "":
		return c, errors.New("login: no Facebook App Secret: enter your Meta app's App Secret in Settings")
	case c.Port < 1 || c.Port > 65535:
		return c, fmt.Errorf("login: port %d is not a valid TCP port (1-65535)", c.Port)
	case c.Timeout < 0:
		return c, errors.New("login: negative timeout")
	case !strings.HasPrefix(c.Version, "v"):
		return c, fmt.Errorf("login: Graph API version %q should look like v25.0", c.Version)
	}
	switch c.AuthType {
	case "", "rerequest", "reauthorize", "reauthenticate":
	default:
		return c, fmt.Errorf("login: unknown auth_type %q (want rerequest, reauthorize or reauthenticate)", c.AuthType)
	}
	return c, nil
}

// Errors a login ends with. Exchange failures are *ExchangeError values whose
// Kind is one of ErrCodeRejected, ErrAppRejected, ErrUnreachable, ErrFacebookTrouble or ErrRefused, so
// errors.Is works on them.
var (
	// ErrCancelled: the person clicked Cancel (or "Not now") in Facebook's dialog.
	ErrCancelled = errors.New("login: the Facebook login was cancelled")
	// ErrTimeout: no answer came back from the browser within Config.Timeout.
	ErrTimeout = errors.New("login: no answer from the browser in time; start the login again")
	// ErrStopped: Session.Cancel was called (or Wait's context ended).
	ErrStopped = errors.New("login: stopped before it finished")

	// ErrCodeRejected: Facebook refused the login code: it expired, was
	// already used, the redirect URI differs from the one in the dialog, or
	// the PKCE verifier does not match.
	ErrCodeRejected = errors.New("Facebook rejected the login code")
	// ErrAppRejected: Facebook refused the App ID or App Secret.
	ErrAppRejected = errors.New("Facebook rejected the App ID or App Secret")
	// ErrUnreachable: no answer came from Facebook (network, timeout).
	ErrUnreachable = errors.New("could not reach Facebook")
	// ErrFacebookTrouble: Facebook answered, but with a temporary error
	// (codes 1 and 2), an error page or something that is not a token.
	ErrFacebookTrouble = errors.New("Facebook answered with a temporary problem; try again in a minute")
	// ErrRefused: Facebook refused the exchange for another reason (see
	// ExchangeError.Message).
	ErrRefused = errors.New("Facebook refused the login")
)

// PortInUseError means the loopback port is taken, usually by another login
// still running or by another program.
type PortInUseError struct {
	Port int
	Err  error
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("login: port %d on 127.0.0.1 is already in use (another login may still be open, or another program uses it); "+
		"close it and try again, or pick another port in Settings and register %s in your Meta app", e.Port, RedirectURI(e.Port))
}

func (e *PortInUseError) Unwrap() error { return e.Err }

// CallbackError is an error Facebook sent back to the redirect URI other than
// a cancel (which is ErrCancelled).
type CallbackError struct {
	Code        string // error or error_code
	Reason      string // error_reason
	Description string // error_description or error_message
}

func (e *CallbackError) Error() string {
	s := "login: Facebook reported an error"
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// Start binds the loopback server, opens the login dialog in the browser and
// serves the callback. The session ends with Wait's result, on Cancel, on
// timeout or when ctx ends.
func Start(ctx context.Context, cfg Config) (*Session, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s, err := newSession(cfg)
	if err != nil {
		return nil, err
	}
	s.run(ctx)
	if cfg.Opener != nil {
		if err := cfg.Opener(s.authURL); err != nil {
			s.openErr = fmt.Errorf("login: could not open the browser (%v); open this address yourself: %s", err, s.authURL)
		}
	} else {
		s.openErr = errors.New("login: no browser opener configured; open the login address yourself")
	}
	return s, nil
}
