package login

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"
)

// callback receives Facebook's redirect.
//
// State rule: a callback whose state is missing or wrong is answered with a
// 400 page and otherwise ignored: the session keeps waiting for the real
// redirect, so a stray or forged request (any web page can make the browser
// hit localhost) can neither complete, cancel nor derail the login, and its
// text is never shown. This holds for error redirects too: Facebook sends its
// cancel redirect with the state (graph-sample 40); one without it cannot be
// told apart from a forgery, so the owner cancels in Pagekeeper instead.
func (s *Session) callback(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	// The address bar holds the code: never send it on as a Referer.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")

	if r.Method != http.MethodGet {
		h.Set("Allow", http.MethodGet)
		render(w, http.StatusMethodNotAllowed, pageBadRequest, "This address only accepts the redirect from Facebook's login.")
		return
	}
	if !s.hostAllowed(r.Host) {
		// A foreign Host header means a DNS-rebinding page, not Facebook's redirect.
		render(w, http.StatusBadRequest, pageBadRequest, "This request did not come through localhost.")
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	isError := q.Get("error") != "" || q.Get("error_code") != "" || q.Get("error_reason") != ""
	switch {
	case state == "" && isError:
		// Its text is not shown: a forged page would put its own words there.
		render(w, http.StatusBadRequest, pageBadRequest,
			"This sign-in answer has no state parameter, so Pagekeeper cannot tell it comes from the login it started, and it was ignored. If you cancelled the login, cancel it in Pagekeeper too.")
		return
	case state == "":
		render(w, http.StatusBadRequest, pageBadRequest,
			"This sign-in answer has no state parameter, so Pagekeeper cannot tell it comes from the login it started. Start the login again from Pagekeeper.")
		return
	case !s.stateMatches(state):
		render(w, http.StatusBadRequest, pageBadRequest,
			"This sign-in answer does not belong to the login Pagekeeper is waiting for. If you started a login, finish it in the tab Pagekeeper opened, or start again from Pagekeeper.")
		return
	}

	s.mu.Lock()
	switch s.phase {
	case exchanging:
		s.mu.Unlock()
		render(w, http.StatusConflict, pageInfo, "This login is already being completed in another tab. You can close this one.")
		return
	case finished:
		ok := s.err == nil
		s.mu.Unlock()
		if ok {
			render(w, http.StatusConflict, pageInfo, "This login already completed. You can close this tab and return to Pagekeeper.")
		} else {
			render(w, http.StatusConflict, pageInfo, "This login already ended. Start a new one from Pagekeeper if you still need to connect.")
		}
		return
	}
	if isError {
		s.mu.Unlock()
		err := callbackError(q)
		s.finish(nil, err)
		if err == ErrCancelled {
			render(w, http.StatusOK, pageFailed, "You cancelled the Facebook login, so nothing was connected. You can close this tab; start again from Pagekeeper whenever you like.")
		} else {
			render(w, http.StatusOK, pageFailed, "Facebook reported a problem: "+err.(*CallbackError).Description+" You can close this tab and try again from Pagekeeper.")
		}
		return
	}
	code := q.Get("code")
	if code == "" {
		s.mu.Unlock()
		render(w, http.StatusBadRequest, pageBadRequest, "Facebook's answer has no login code. Start the login again from Pagekeeper.")
		return
	}
	s.phase = exchanging
	s.busy.Add(1)
	s.mu.Unlock()
	defer s.busy.Done()
	// The owner has done their part: from here on only ExchangeTimeout
	// bounds the wait, so a silent Facebook is not blamed on them.
	s.timer.Stop()

	tok, err := s.exchange(code)
	kind, done := pageSuccess, "You can close this tab and return to Pagekeeper."
	completed := false
	if err == nil && s.cfg.Complete != nil {
		var c Completion
		if c, err = s.cfg.Complete(s.ctx, tok); err != nil {
			tok = nil
		} else if !c.Connected {
			kind = pageLoggedIn
		}
		if c.Message != "" {
			done = c.Message
		}
		completed = err == nil
	}
	if !s.finish(tok, err) {
		if !completed {
			// Cancelled or timed out while exchanging.
			render(w, http.StatusOK, pageFailed, "Pagekeeper stopped this login before it finished. Start again from Pagekeeper.")
			return
		}
		// The stop raced Complete, which had already stored everything:
		// the login did finish, and Wait (which waits for this callback
		// through busy) must not say it was stopped.
		s.mu.Lock()
		s.token, s.err = tok, nil
		s.mu.Unlock()
	}
	if err != nil {
		render(w, http.StatusOK, pageFailed, "Pagekeeper could not finish connecting: "+strings.TrimPrefix(err.Error(), "login: ")+". You can close this tab and try again from Pagekeeper.")
		return
	}
	render(w, http.StatusOK, kind, done)
}

// hostAllowed accepts the two names the loopback server answers for.
func (s *Session) hostAllowed(host string) bool {
	h, p, err := net.SplitHostPort(host)
	if err != nil || p != strconv.Itoa(s.cfg.Port) {
		return false
	}
	return h == "localhost" || h == "127.0.0.1"
}

// callbackError reads Facebook's error redirect. Cancel shows up as
// error=access_denied / error_reason=user_denied (with error_code=200,
// graph-sample 39) or as error_code=4201 alone (graph-sample 40).
func callbackError(q url.Values) error {
	if q.Get("error") == "access_denied" || q.Get("error_reason") == "user_denied" || q.Get("error_code") == "4201" {
		return ErrCancelled
	}
	e := &CallbackError{Code: q.Get("error"), Reason: q.Get("error_reason"), Description: q.Get("error_description")}
	if e.Code == "" {
		e.Code = q.Get("error_code")
	}
	if e.Description == "" {
		e.Description = q.Get("error_message")
	}
	e.Description = clip(e.Description)
	if e.Description == "" {
		e.Description = "no details given."
	}
	return e
}

// clip bounds text that came from a URL before it goes into a message.
func clip(s string) string {
	const max = 300
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

func (s *Session) exchange(code string) (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(s.ctx, ExchangeTimeout)
	defer cancel()
	ctx = contextWithClient(ctx, s.cfg.HTTPClient)
	tok, err := s.oauth.Exchange(ctx, code, oauth2.VerifierOption(s.verifier))
	if err != nil {
		return nil, exchangeError(err, code, s.cfg.AppSecret)
	}
	return tok, nil
}
