package login

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Session is one login in progress.
type Session struct {
	cfg      Config
	oauth    *oauth2.Config
	state    string
	verifier string
	authURL  string
	openErr  error

	ln  net.Listener
	srv *http.Server

	// ctx bounds the code exchange; cancelled when the session stops.
	ctx    context.Context
	cancel context.CancelFunc
	timer  *time.Timer
	// unhook detaches the session from Start's context.
	unhook func() bool

	mu     sync.Mutex
	phase  phase
	token  *oauth2.Token
	err    error
	done   chan struct{} // closed once token/err are final
	closed sync.Once
	// busy counts the callback's exchange and Config.Complete in flight; Wait
	// lets them end, so the caller never sees a login as over while Complete
	// is still storing (a cancel arrived meanwhile).
	busy sync.WaitGroup
}

type phase int

const (
	waiting    phase = iota // no valid callback yet
	exchanging              // the first valid callback is being exchanged
	finished                // token or err is final
)

func newSession(cfg Config) (*Session, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port))
	ln, err := net.Listen("tcp4", addr)
	if err != nil {
		if addrInUse(err) {
			return nil, &PortInUseError{Port: cfg.Port, Err: err}
		}
		return nil, fmt.Errorf("login: cannot listen on %s: %w", addr, err)
	}
	state, err := randomState()
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &Session{
		cfg:      cfg,
		state:    state,
		verifier: oauth2.GenerateVerifier(),
		ln:       ln,
		done:     make(chan struct{}),
		oauth: &oauth2.Config{
			ClientID:     cfg.AppID,
			ClientSecret: cfg.AppSecret,
			RedirectURL:  RedirectURI(cfg.Port),
			Scopes:       cfg.Scopes,
			Endpoint: oauth2.Endpoint{
				AuthURL:  cfg.FacebookURL + "/" + cfg.Version + "/dialog/oauth",
				TokenURL: cfg.GraphURL + "/" + cfg.Version + "/oauth/access_token",
				// Facebook takes the secret as a parameter, not HTTP Basic auth.
				AuthStyle: oauth2.AuthStyleInParams,
			},
		},
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(s.verifier)}
	if cfg.AuthType != "" {
		opts = append(opts, oauth2.SetAuthURLParam("auth_type", cfg.AuthType))
	}
	s.authURL = s.oauth.AuthCodeURL(s.state, opts...)
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, s.callback)
	s.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		// The default logger could print request details; nothing here may log.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	return s, nil
}

// randomState is 32 random bytes, URL-safe.
func randomState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("login: no randomness for the state parameter: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (s *Session) run(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(context.Background())
	// Created idle and armed last, so its callback sees every field set.
	s.timer = time.AfterFunc(time.Duration(math.MaxInt64), func() { s.stop(ErrTimeout) })
	s.mu.Lock()
	s.unhook = context.AfterFunc(ctx, func() { s.stop(fmt.Errorf("%w: %w", ErrStopped, context.Cause(ctx))) })
	s.mu.Unlock()
	go s.srv.Serve(s.ln)
	s.timer.Reset(s.cfg.Timeout)
}

// URL is the login dialog address, for the owner to open by hand when the
// browser did not open.
func (s *Session) URL() string { return s.authURL }

// OpenError says why the browser could not be opened (nil if it was).
func (s *Session) OpenError() error { return s.openErr }

// RedirectURI is the redirect URI this session uses.
func (s *Session) RedirectURI() string { return s.oauth.RedirectURL }

// Addr is the address the callback server listens on (always 127.0.0.1).
func (s *Session) Addr() net.Addr { return s.ln.Addr() }

// Wait blocks until the login ends and returns the user access token. The
// port is free when Wait returns. If ctx ends first, the session stops.
func (s *Session) Wait(ctx context.Context) (*oauth2.Token, error) {
	select {
	case <-s.done:
	case <-ctx.Done():
		s.stop(fmt.Errorf("%w: %w", ErrStopped, context.Cause(ctx)))
	}
	s.shutdown(true)
	s.busy.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token, s.err
}

// Cancel stops the login at once and frees the port; Wait then returns
// ErrStopped (unless the login had already finished).
func (s *Session) Cancel() {
	s.stop(ErrStopped)
}

// finish records the outcome once; later outcomes are ignored.
func (s *Session) finish(tok *oauth2.Token, err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.phase == finished {
		return false
	}
	s.phase, s.token, s.err = finished, tok, err
	close(s.done)
	return true
}

// stop ends the session with err (if it has not ended) and closes the server
// right away, dropping open connections.
func (s *Session) stop(err error) {
	s.finish(nil, err)
	s.shutdown(false)
}

func (s *Session) shutdown(graceful bool) {
	s.closed.Do(func() {
		s.timer.Stop()
		s.mu.Lock()
		unhook := s.unhook
		s.mu.Unlock()
		unhook()
		s.cancel()
		// Closing the listener ourselves frees the port even if Serve has
		// not started tracking it yet.
		defer s.ln.Close()
		if graceful {
			// Let the browser receive the result page still being written.
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if s.srv.Shutdown(ctx) == nil {
				return
			}
		}
		s.srv.Close()
	})
}

// stateMatches compares in constant time so the state cannot be guessed byte
// by byte from response timing.
func (s *Session) stateMatches(got string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.state)) == 1
}
