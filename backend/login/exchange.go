package login

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// ExchangeError is a failed code exchange. It never holds the code, the
// token or the app secret.
type ExchangeError struct {
	// Kind is ErrCodeRejected, ErrAppRejected, ErrUnreachable or ErrRefused.
	Kind       error
	HTTPStatus int    // 0 when Facebook was not reached
	Code       int    // Facebook's error code, 0 if none
	Subcode    int    // Facebook's error_subcode, 0 if none
	Message    string // Facebook's message or the network failure, cleaned
}

func (e *ExchangeError) Error() string {
	s := "login: " + e.Kind.Error()
	switch e.Kind {
	case ErrCodeRejected:
		s += " (it expired, was already used, or the redirect URI or PKCE check did not match); start the login again"
	case ErrAppRejected:
		s += "; check the App ID and App Secret in Settings"
	}
	switch {
	case e.Message != "" && e.HTTPStatus != 0 && e.Code != 0:
		s += ". Facebook said: " + e.Message
	case e.Message != "":
		s += ": " + e.Message
	}
	if e.Code != 0 {
		s += fmt.Sprintf(" (code %d", e.Code)
		if e.Subcode != 0 {
			s += fmt.Sprintf("/%d", e.Subcode)
		}
		s += ")"
	}
	return s
}

func (e *ExchangeError) Unwrap() error { return e.Kind }

func contextWithClient(ctx context.Context, c *http.Client) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c)
}

// exchangeError turns x/oauth2's error into an ExchangeError, scrubbing the
// given secrets from anything Facebook or the network layer said.
func exchangeError(err error, secrets ...string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		e := &ExchangeError{Kind: ErrRefused}
		if re.Response != nil {
			e.HTTPStatus = re.Response.StatusCode
		}
		var body struct {
			Error *struct {
				Message string `json:"message"`
				Code    int    `json:"code"`
				Subcode int    `json:"error_subcode"`
			} `json:"error"`
		}
		if json.Unmarshal(re.Body, &body) == nil && body.Error != nil {
			e.Code, e.Subcode = body.Error.Code, body.Error.Subcode
			e.Message = scrub(clip(body.Error.Message), secrets)
			e.Kind = facebookKind(e.Code, e.Subcode, e.Message)
		} else if re.ErrorCode != "" {
			// An RFC 6749 error string ("invalid_grant", ...).
			e.Message = scrub(clip(strings.TrimSpace(re.ErrorCode+" "+re.ErrorDescription)), secrets)
			if re.ErrorCode == "invalid_grant" {
				e.Kind = ErrCodeRejected
			} else if re.ErrorCode == "invalid_client" {
				e.Kind = ErrAppRejected
			}
		} else {
			e.Kind = ErrUnreachable
			e.Message = fmt.Sprintf("unexpected answer from Facebook (HTTP %d)", e.HTTPStatus)
		}
		return e
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// url.Error's text embeds the URL; only the cause is kept.
		msg := ue.Err.Error()
		var ne net.Error
		if errors.As(ue.Err, &ne) && ne.Timeout() {
			msg = "timed out"
		}
		return &ExchangeError{Kind: ErrUnreachable, Message: scrub(clip(msg), secrets)}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &ExchangeError{Kind: ErrUnreachable, Message: "stopped while waiting for Facebook"}
	}
	// x/oauth2's own complaints ("server response missing access_token",
	// "cannot parse json") mean an answer that is not a token.
	return &ExchangeError{Kind: ErrUnreachable, Message: "Facebook's answer was not a usable token"}
}

// facebookKind sorts a Graph error from /oauth/access_token. Facebook answers
// a bad secret with code 1 "Error validating client secret." (graph-sample 11)
// and a bad App ID with code 101; a bad, used or expired code and a redirect
// URI mismatch with code 100 "Error validating verification code"
// (graph-sample 38; subcodes 36007 expired and 36009 used are seen in public
// code, unverified).
func facebookKind(code, subcode int, msg string) error {
	m := strings.ToLower(msg)
	switch {
	case code == 101, code == 1 && strings.Contains(m, "secret"),
		strings.Contains(m, "client secret"), strings.Contains(m, "application id"):
		return ErrAppRejected
	case code == 100 && (strings.Contains(m, "code") || strings.Contains(m, "redirect_uri") || strings.Contains(m, "verifier")),
		subcode == 36007, subcode == 36009, strings.Contains(m, "verification code"),
		strings.Contains(m, "authorization code"), strings.Contains(m, "code_verifier"):
		return ErrCodeRejected
	case code == 1 || code == 2:
		return ErrUnreachable
	}
	return ErrRefused
}

// scrub removes any secret Facebook might echo back.
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[removed]")
		}
	}
	return s
}
