package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// graphError is one Graph API error, written in Facebook's shape:
// {"error":{"message","type","code","error_subcode","is_transient",
// "error_user_title","error_user_msg","fbtrace_id"}}.
type graphError struct {
	Status      int // HTTP status
	Message     string
	Type        string
	Code        int
	Subcode     int
	UserTitle   string
	UserMsg     string
	Transient   *bool // nil: the key is left out, as in most 190 bodies
	WWWAuthKind string
}

func (e *graphError) Error() string {
	return fmt.Sprintf("graph error %d/%d: %s", e.Code, e.Subcode, e.Message)
}

type errorBody struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode,omitempty"`
	IsTransient *bool  `json:"is_transient,omitempty"`
	UserTitle   string `json:"error_user_title,omitempty"`
	UserMsg     string `json:"error_user_msg,omitempty"`
	FBTraceID   string `json:"fbtrace_id"`
}

func (e *graphError) body() []byte {
	typ := e.Type
	if typ == "" {
		typ = "OAuthException"
	}
	return marshal(map[string]errorBody{"error": {
		Message: e.Message, Type: typ, Code: e.Code, Subcode: e.Subcode, IsTransient: e.Transient,
		UserTitle: e.UserTitle, UserMsg: e.UserMsg, FBTraceID: traceID(),
	}})
}

func boolp(b bool) *bool { return &b }

// Facebook escapes every slash in its JSON (graph-samples 11, 18, 33), so
// the sandbox does too: a client that only copes with plain slashes breaks
// here first rather than in production. "/" can only occur inside JSON
// strings, so the replacement is safe.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		panic("sandbox: unencodable response: " + err.Error())
	}
	return bytes.ReplaceAll(bytes.TrimRight(buf.Bytes(), "\n"), []byte("/"), []byte(`\/`))
}

func traceID() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)[:11]
}

func randomToken(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// The messages below are copied from graph-samples where one exists.

func errTokenUnparseable() *graphError {
	return &graphError{Status: 400, Code: 190, Message: "Invalid OAuth access token - Cannot parse access token", WWWAuthKind: "invalid_token"}
}

// errBadAppTokenSignature is Facebook's answer to APP_ID|SECRET with a wrong
// secret (seen in public bug reports, e.g. amachang/facebook-node-sdk#10).
func errBadAppTokenSignature() *graphError {
	return &graphError{Status: 400, Code: 190, Message: "Invalid OAuth access token signature.", WWWAuthKind: "invalid_token"}
}

func errNoToken() *graphError {
	return &graphError{Status: 400, Code: 2500, Message: "An active access token must be used to query information about the current user.", WWWAuthKind: "invalid_request"}
}

func errPasswordChanged() *graphError {
	return &graphError{Status: 400, Code: 190, Subcode: 460, WWWAuthKind: "invalid_token",
		Message: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons."}
}

func errAppNotAuthorized(appID string) *graphError {
	return &graphError{Status: 400, Code: 190, Subcode: 458, WWWAuthKind: "invalid_token",
		Message: "Error validating access token: The user has not authorized application " + appID + "."}
}

func errCheckpointed() *graphError {
	return &graphError{Status: 400, Code: 190, Subcode: 459, WWWAuthKind: "invalid_token",
		Message: "You cannot access the app till you log in to www.facebook.com and follow the instructions given."}
}

func errUnconfirmed() *graphError {
	return &graphError{Status: 400, Code: 190, Subcode: 464, WWWAuthKind: "invalid_token",
		Message: "Error validating access token: Sessions for the user  are not allowed because the user is not a confirmed user."}
}

func errNoPageRole() *graphError {
	return &graphError{Status: 400, Code: 190, Subcode: 492, WWWAuthKind: "invalid_token",
		Message: "The user must be an administrator, editor, or moderator of the page in order to impersonate it. If the page business requires Two Factor Authentication, the user also needs to enable Two Factor Authentication."}
}

func errDataAccessExpired() *graphError {
	return &graphError{Status: 400, Code: 190, Subcode: 493, WWWAuthKind: "invalid_token",
		Message: "The access token is invalid since the user hasn't engaged the app in longer than 90 days."}
}

func errExplicitlyInvalidated() *graphError {
	return &graphError{Status: 400, Code: 190, Subcode: 466, WWWAuthKind: "invalid_token",
		Message: "Error validating access token: The session was invalidated explicitly using an API call."}
}

// errPageDeselected is what an old Page token returns once its Page was
// unticked at a later login. No source shows this case (FACEBOOK.md §8):
// the sandbox answers 190/467 "Invalid access token", the generic subcode
// Facebook documents for revoked tokens, so a client learns the token is
// dead and must look at granular_scopes to learn why.
func errPageDeselected() *graphError {
	return &graphError{Status: 400, Code: 190, Subcode: 467, WWWAuthKind: "invalid_token",
		Message: "Error validating access token: The access token is invalid because the Page is no longer shared with this app."}
}

// Facebook prints expiry times in Pacific time (sample 01).
var pacific = func() *time.Location {
	if loc, err := time.LoadLocation("America/Los_Angeles"); err == nil {
		return loc
	}
	return time.FixedZone("PDT", -7*3600)
}()

func errExpired(at, now time.Time) *graphError {
	const layout = "Monday, 02-Jan-06 15:04:05 MST"
	return &graphError{Status: 400, Code: 190, Subcode: 463, WWWAuthKind: "invalid_token",
		Message: "Error validating access token: Session has expired on " + at.In(pacific).Format(layout) +
			". The current time is " + now.In(pacific).Format(layout) + "."}
}

func errUnsupported(method, id string) *graphError {
	return &graphError{Status: 400, Code: 100, Type: "GraphMethodException", WWWAuthKind: "invalid_request",
		Message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", method, id)}
}

func errUnknownPath(rest string) *graphError {
	return &graphError{Status: 400, Code: 2500, WWWAuthKind: "invalid_request", Message: "Unknown path components: /" + rest}
}

func errParam(msg string) *graphError {
	return &graphError{Status: 400, Code: 100, WWWAuthKind: "invalid_request", Message: "(#100) " + msg}
}

func errPermission(msg string) *graphError {
	return &graphError{Status: 400, Code: 200, WWWAuthKind: "insufficient_scope", Message: "(#200) " + msg}
}

func errPageTokenRequired() *graphError {
	return &graphError{Status: 400, Code: 210, WWWAuthKind: "invalid_request", Message: "(#210) A page access token is required to request this resource."}
}

func errTransient(code int) *graphError {
	if code == 1 {
		return &graphError{Status: 500, Code: 1, Transient: boolp(true), Message: "An unknown error occurred"}
	}
	return &graphError{Status: 500, Code: 2, Transient: boolp(true), Message: "An unexpected error has occurred. Please retry your request later."}
}

// Rate-limit errors. HTTP 403 follows sample 16 (code 4 with 403); that
// Facebook uses 403 for codes 17, 32 and 80001 too is unverified.
func errAppLimit() *graphError {
	return &graphError{Status: 403, Code: 4, Transient: boolp(true), Message: "(#4) Application request limit reached"}
}

func errUserLimit() *graphError {
	return &graphError{Status: 403, Code: 17, Transient: boolp(true), Message: "(#17) User request limit reached"}
}

func errPageLimit() *graphError {
	return &graphError{Status: 403, Code: 32, Transient: boolp(true), Message: "(#32) Page request limit reached"}
}

func errPageBUCLimit() *graphError {
	return &graphError{Status: 403, Code: 80001, Transient: boolp(true),
		Message: "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting."}
}

func errBadSecret() *graphError {
	return &graphError{Status: 400, Code: 1, WWWAuthKind: "invalid_request", Message: "Error validating client secret."}
}

func errProof(msg string) *graphError {
	return &graphError{Status: 400, Code: 100, Type: "GraphMethodException", WWWAuthKind: "invalid_request", Message: msg}
}

// writeGraphError writes e as a complete HTTP response.
func writeGraphError(w http.ResponseWriter, e *graphError) {
	r := errorResponse(e)
	r.write(w)
}

func errorResponse(e *graphError) *response {
	r := &response{status: e.Status, header: http.Header{}, body: e.body()}
	if e.WWWAuthKind != "" {
		r.header.Set("WWW-Authenticate", fmt.Sprintf(`OAuth "Facebook Platform" %q %q`, e.WWWAuthKind, e.Message))
	}
	return r
}
