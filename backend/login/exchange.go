package login

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/outbound"
)

// ExchangeError is a failed code exchange. It never holds the code, the
// token or the app secret.
type ExchangeError struct {
	// Kind is ErrCodeRejected, ErrAppRejected, ErrUnreachable, ErrFacebookTrouble or ErrRefused.
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
		// An answer arrived: whatever it says, it is never "could not reach".
		e := &ExchangeError{Kind: ErrFacebookTrouble}
		if re.Response != nil {
			e.HTTPStatus = re.Response.StatusCode
		}
		// Every shape of Facebook's error model: the Graph error object, the
		// OAuth "error" string with error_description, error_code with
		// error_message (graph.ParseError).
		if fe := graph.ParseError(e.HTTPStatus, re.Body); fe != nil {
			e.Code, e.Subcode = fe.Code, fe.Subcode
			msg := fe.Message
			if fe.Type != "" && fe.Code == 0 {
				msg = strings.TrimSpace(fe.Type + " " + msg) // an OAuth error string says what it is
			}
			e.Message = scrub(clip(msg), secrets)
			e.Kind = facebookKind(fe)
		} else if re.ErrorCode != "" {
			// An RFC 6749 error string x/oauth2 found outside JSON (a form body).
			e.Message = scrub(clip(strings.TrimSpace(re.ErrorCode+" "+re.ErrorDescription)), secrets)
			e.Kind = facebookKind(&graph.Error{Type: re.ErrorCode, Message: re.ErrorDescription})
		} else {
			e.Message = fmt.Sprintf("unexpected answer from Facebook (HTTP %d)", e.HTTPStatus)
		}
		return e
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// url.Error's text embeds the URL; only the cause is kept.
		msg := ue.Err.Error()
		if errors.Is(err, outbound.ErrRedirect) {
			// A redirect not followed is an answer that arrived.
			return &ExchangeError{Kind: ErrFacebookTrouble, Message: scrub(clip(msg), secrets)}
		}
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
	// "cannot parse json") mean an answer arrived that is not a token.
	return &ExchangeError{Kind: ErrFacebookTrouble, Message: "Facebook's answer was not a usable token"}
}

// facebookKind sorts a Graph error from /oauth/access_token. Facebook answers
// a bad secret with code 1 "Error validating client secret." (graph-sample 11)
// and a bad App ID with code 101; a bad, used or expired code and a redirect
// URI mismatch with code 100 "Error validating verification code"
// (graph-sample 38; subcodes 36007 expired and 36009 used are seen in public
// code, unverified). The RFC 6749 strings invalid_client and invalid_grant
// say the same.
func facebookKind(fe *graph.Error) error {
	m := strings.ToLower(fe.Message)
	switch {
	case fe.Type == "invalid_client", fe.AppIssue() == graph.AppSecretMismatch, fe.AppIssue() == graph.AppUnknown,
		strings.Contains(m, "application id"):
		return ErrAppRejected
	case fe.Type == "invalid_grant",
		fe.Code == 100 && (strings.Contains(m, "code") || strings.Contains(m, "redirect_uri") || strings.Contains(m, "verifier")),
		fe.Subcode == 36007, fe.Subcode == 36009, strings.Contains(m, "verification code"),
		strings.Contains(m, "authorization code"), strings.Contains(m, "code_verifier"):
		return ErrCodeRejected
	case fe.IsTransient():
		return ErrFacebookTrouble
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
