package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Error is a definitive, parsed answer from Facebook's error model
// ({"error":{...}}, or debug_token's {"data":{"error":{...}}}).
//
// The body's is_transient flag is the field Transient: Go cannot have a field
// and a method both named IsTransient, and the method (which also counts the
// codes Meta's SDKs treat as transient) is what callers should ask.
type Error struct {
	HTTPStatus int // 200 for debug_token's data.error and for batch items that came back 200
	Message    string
	Type       string
	Code       int
	Subcode    int
	UserTitle  string
	UserMsg    string
	FBTraceID  string
	Transient  bool // the body's is_transient
	// ViaAppToken: the call was made with the app token (debug_token, the
	// batch envelope, client_credentials). A token error there is about the
	// owner's Meta app, never about a person's or a Page's token.
	ViaAppToken bool
}

// Class is how a caller should react to an *Error, as Meta's own SDKs sort them.
type Class int

const (
	ClassOther            Class = iota // a real answer with no generic recovery (bad request, unknown object, ...)
	ClassTransient                     // try again later; nothing is known about the token
	ClassRateLimited                   // a transient error caused by a rate limit: back off
	ClassLoginRecoverable              // the token is dead: the person must log in again
	ClassPermission                    // the token lives but lacks a permission or Page task
	ClassApp                           // the owner's Meta app is refused (see AppIssue): no verdict on any token
)

func (c Class) String() string {
	switch c {
	case ClassTransient:
		return "transient"
	case ClassRateLimited:
		return "rate_limited"
	case ClassLoginRecoverable:
		return "login_recoverable"
	case ClassPermission:
		return "permission"
	case ClassApp:
		return "app"
	}
	return "other"
}

// Subcodes of 190 (FACEBOOK.md §4, §10).
const (
	SubcodeAppNotInstalled    = 458
	SubcodeUserCheckpointed   = 459
	SubcodePasswordChanged    = 460
	SubcodeSessionExpired     = 463
	SubcodeUnconfirmedUser    = 464
	SubcodeInvalidatedByAPI   = 466
	SubcodeInvalidAccessToken = 467
	SubcodeNoPageRole         = 492
	SubcodeAppInactive        = 493
	// SubcodeBlockingCheckpoint: "The user is enrolled in a blocking,
	// logged-in checkpoint" (seen in answers; not in Meta's table).
	SubcodeBlockingCheckpoint = 490
)

// IsCheckpoint reports a checkpoint: Facebook holds the person's account
// until they log in at facebook.com and follow its steps. Subcodes 459 (in
// Meta's table) and 490 (seen), or a 190 whose message says "checkpoint"
// whatever its subcode: a reconnect cannot work before the person acts.
func (e *Error) IsCheckpoint() bool {
	if e.Code != 190 && e.Code != 102 {
		return false
	}
	switch e.Subcode {
	case SubcodeUserCheckpointed, SubcodeBlockingCheckpoint:
		return true
	}
	return strings.Contains(strings.ToLower(e.Message), "checkpoint")
}

// isRateLimitCode: 4 app, 17 user, 32 Page (user token), 613 (seen in mixpost's
// list), 80000-80014 Business Use Case limits (FACEBOOK.md §4, §9).
func isRateLimitCode(code int) bool {
	switch code {
	case 4, 17, 32, 613:
		return true
	}
	return code >= 80000 && code <= 80014
}

// isTransientCode: Meta's Android SDK's transient list (2, 4, 9, 17, 341), code 1
// ("possibly a temporary issue", [ERR]) and every rate-limit code.
func isTransientCode(code int) bool {
	switch code {
	case 1, 2, 9, 341:
		return true
	}
	return isRateLimitCode(code)
}

// Class sorts the error: rate-limit codes first (they are transient whatever
// is_transient says), then, as Meta's Android SDK does, the body's
// is_transient or a transient code, then login-recoverable, then permission.
func (e *Error) Class() Class {
	switch {
	case isRateLimitCode(e.Code):
		return ClassRateLimited
	case e.AppIssue() != AppOK:
		// Code 1 is transient in general, but "Error validating client secret"
		// (sample 11) is a definitive verdict on the App ID/secret pair.
		return ClassApp
	case e.Transient || isTransientCode(e.Code):
		return ClassTransient
	case e.Code == 102 || e.Code == 190:
		return ClassLoginRecoverable
	case e.Code == 10 || (e.Code >= 200 && e.Code <= 299):
		return ClassPermission
	}
	return ClassOther
}

// IsTransient reports that Facebook gave no verdict: retry later. Rate limits are transient too.
func (e *Error) IsTransient() bool {
	c := e.Class()
	return c == ClassTransient || c == ClassRateLimited
}

// IsRateLimit reports a rate-limit error (a subset of the transient ones).
func (e *Error) IsRateLimit() bool { return e.Class() == ClassRateLimited }

// IsLoginRecoverable reports a dead token: 102, or 190 with any subcode or none.
func (e *Error) IsLoginRecoverable() bool { return e.Class() == ClassLoginRecoverable }

// AppIssue is what is wrong with the owner's Meta app, by the answer.
type AppIssue string

const (
	AppOK AppIssue = ""
	// AppProofRequired: "API calls from the server require an
	// appsecret_proof argument": the dashboard's Require App Secret is on and
	// the call carried no proof.
	AppProofRequired AppIssue = "proof_required"
	// AppSecretMismatch: the App Secret Pagekeeper holds is not the app's
	// (it was reset): "Invalid appsecret_proof provided in the API
	// argument", "Error validating client secret" (sample 11), an OAuth
	// invalid_client, or the app token itself refused.
	AppSecretMismatch AppIssue = "secret_mismatch"
	// AppNotLive: the app is in development mode (or not active) and the
	// person has no role on it: "App Not Setup: This app is still in
	// development mode, and you don't have access to it".
	AppNotLive AppIssue = "not_live"
	// AppUnknown: Facebook does not know the App ID: code 101 "Error
	// validating application. Invalid application ID." or "Application has
	// been deleted."
	AppUnknown AppIssue = "app_unknown"
)

// AppIssue says whether the answer is about the owner's Meta app rather than
// a token or a Page, and what is wrong with it.
func (e *Error) AppIssue() AppIssue {
	msg := strings.ToLower(e.Message + " " + e.UserTitle + " " + e.UserMsg)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(msg, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("require an appsecret_proof", "requires an appsecret_proof", "appsecret_proof argument is required"):
		return AppProofRequired
	case has("invalid appsecret_proof", "client secret", "client_secret"), e.Type == "invalid_client":
		return AppSecretMismatch
	case has("application has been deleted", "invalid application id", "invalid app id", "application does not exist"):
		return AppUnknown
	case e.Code == 101 && !has("system error"):
		// "Cannot get application info due to a system error" is Facebook's
		// trouble, not the app's.
		return AppUnknown
	case has("development mode", "app not setup", "app not set up", "app not active", "app is not live",
		"app isn't available", "this app is not currently accessible"):
		return AppNotLive
	case e.ViaAppToken && (e.Code == 190 || e.Code == 102):
		// The app token is App ID|App Secret: Facebook refusing it means
		// the secret (or the app) changed.
		return AppSecretMismatch
	}
	return AppOK
}

// viaAppToken marks a Graph error of a call made with the app token.
func viaAppToken(err error) error {
	var e *Error
	if errors.As(err, &e) {
		e.ViaAppToken = true
	}
	return err
}

// ErrBadAppCredentials matches (errors.Is) an *Error by which Facebook rejected
// the App ID or App Secret: code 101 (unknown application) or the code 1
// "Error validating client secret" answer.
var ErrBadAppCredentials = errors.New("graph: Facebook rejected the App ID or App Secret")

// Is lets errors.Is(err, ErrBadAppCredentials) find a rejected App ID/secret pair.
func (e *Error) Is(target error) bool {
	if target != ErrBadAppCredentials {
		return false
	}
	switch e.AppIssue() {
	case AppSecretMismatch, AppUnknown:
		return true
	}
	return false
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("graph: Facebook error ")
	switch {
	case e.Code == 0 && e.Type != "":
		b.WriteString(e.Type) // an OAuth error string ("invalid_client") and no code
	default:
		b.WriteString(strconv.Itoa(e.Code))
		if e.Subcode != 0 {
			b.WriteByte('/')
			b.WriteString(strconv.Itoa(e.Subcode))
		}
		if e.Type != "" {
			b.WriteString(" (" + e.Type + ")")
		}
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.UserMsg != "" {
		b.WriteString(" [" + e.UserMsg + "]")
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.HTTPStatus)
		if e.FBTraceID != "" {
			b.WriteString(", fbtrace_id " + e.FBTraceID)
		}
		b.WriteByte(')')
	}
	return redact(b.String())
}

// UnavailableError is everything that is NOT a definitive answer from Facebook:
// network failures, timeouts, 5xx or other non-JSON bodies, truncated JSON, a
// 2xx body that does not parse. It says nothing about the token's health.
type UnavailableError struct {
	Op         string // e.g. "GET /me/accounts"; never a URL with a query
	HTTPStatus int    // 0 when no HTTP answer arrived (or a batch item Facebook left null)
	// ItemLeftOut: the batch came back but Facebook wrote null for this item.
	ItemLeftOut bool
	Cause       error
}

// Arrived reports that Facebook did answer (with something unusable): such
// an error must never be told as "could not reach Facebook".
func (e *UnavailableError) Arrived() bool { return e.HTTPStatus != 0 || e.ItemLeftOut }

func (e *UnavailableError) Error() string {
	var b strings.Builder
	b.WriteString("graph: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	b.WriteString("no usable answer from Facebook")
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.Cause != nil {
		b.WriteString(": " + e.Cause.Error())
	}
	return redact(b.String())
}

func (e *UnavailableError) Unwrap() error { return e.Cause }

// IsDefinitive reports whether err is a verdict from Facebook: a parsed
// *Error that is neither transient nor a rate limit. A ClassApp answer is a
// verdict on the owner's Meta app, never on a Page: ask AppIssue first.
func IsDefinitive(err error) bool {
	var ge *Error
	return errors.As(err, &ge) && !ge.IsTransient()
}

// secretParam matches query parameters that carry secrets, in case any text
// (a cause from net/http, a message echoed by a server) ever contains one.
var secretParam = regexp.MustCompile(`(?i)((?:access_token|client_secret|appsecret_proof|fb_exchange_token|input_token|code_verifier)=)[^&\s"']*`)

func redact(s string) string {
	if !strings.Contains(s, "=") {
		return s
	}
	return secretParam.ReplaceAllString(s, "${1}REDACTED")
}

// ParseError reads Facebook's error model from a response body, in every
// shape Facebook has been seen to use (FACEBOOK.md §4, §10; issue 10 shape 7):
//   - the Graph "error" object, also inside a 200 body or a batch item;
//   - debug_token's "data.error" (which names the subcode "subcode");
//   - the OAuth endpoint's top-level "error" string with "error_description"
//     (RFC 6749 §5.2), or "error_code" with "error_message";
//   - the legacy REST shape, top-level "error_code" and "error_msg".
//
// Inside the object, code and subcode may be numbers or numeric strings, the
// subcode may be spelled error_subcode or subcode or be missing, and
// error_data may be a string, an array or an object (it is kept, not read).
// Unknown keys are ignored and missing ones left zero. It returns nil when the
// body holds none of these, or nothing definitive (neither a code, a message
// nor an OAuth error string) can be read from it.
func ParseError(httpStatus int, body []byte) *Error {
	// Only an object holds an error; a batch answer (an array of 50 items)
	// is not read twice to learn that.
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil
	}
	// Every shape names "error" ("error", "error_code", data.error), as
	// such or spelled with \u escapes; a body with neither (the answer of
	// each Page a check reads) holds none.
	if !bytes.Contains(body, []byte("error")) && !bytes.Contains(body, []byte(`\u`)) {
		return nil
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return nil // not a JSON object: no error model at all
	}
	if raw := top["error"]; !isNull(raw) {
		if e := parseErrorObject(httpStatus, raw); e != nil {
			return e
		}
		if code := jsonString(raw); code != "" {
			return parseOAuthError(httpStatus, code, top)
		}
	}
	var data map[string]json.RawMessage
	if json.Unmarshal(top["data"], &data) == nil && !isNull(data["error"]) {
		if e := parseErrorObject(httpStatus, data["error"]); e != nil {
			return e
		}
	}
	if _, ok := top["error_code"]; ok {
		// The legacy REST shape and the OAuth endpoint's error_code form
		// (graph-sample 40 shows the same pair in a redirect URL).
		return parseErrorObject(httpStatus, mustMarshal(top))
	}
	return nil
}

// parseOAuthError reads the RFC 6749 shape: {"error":"invalid_client",
// "error_description":"..."}. The error string becomes Type, the only field
// of the Graph shape that is a name rather than a number.
func parseOAuthError(httpStatus int, code string, top map[string]json.RawMessage) *Error {
	e := &Error{HTTPStatus: httpStatus, Type: code, Code: jsonInt(top["error_code"]),
		Message: firstString(top, "error_description", "error_message", "error_msg", "error_reason")}
	e.Subcode = jsonInt(top["error_subcode"])
	e.FBTraceID = jsonString(top["fbtrace_id"])
	return e
}

func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}

func mustMarshal(v any) json.RawMessage {
	b, _ := json.Marshal(v) // a map of RawMessage that came from json.Unmarshal always marshals
	return b
}

func firstString(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		if s := jsonString(m[k]); s != "" {
			return s
		}
	}
	return ""
}

func firstInt(m map[string]json.RawMessage, keys ...string) int {
	for _, k := range keys {
		if n := jsonInt(m[k]); n != 0 {
			return n
		}
	}
	return 0
}

func parseErrorObject(httpStatus int, raw json.RawMessage) *Error {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	e := &Error{
		HTTPStatus: httpStatus,
		Message:    firstString(m, "message", "error_msg", "error_message", "error_description"),
		Type:       jsonString(m["type"]),
		Code:       firstInt(m, "code", "error_code"),
		Subcode:    firstInt(m, "error_subcode", "subcode"),
		UserTitle:  jsonString(m["error_user_title"]),
		UserMsg:    jsonString(m["error_user_msg"]),
		FBTraceID:  jsonString(m["fbtrace_id"]),
		Transient:  jsonBool(m["is_transient"]),
	}
	if e.Type == "" {
		e.Type = jsonString(m["error"]) // an OAuth error string next to error_code
	}
	if e.Code == 0 {
		e.Code = codeInMessage(e.Message)
	}
	if e.Code == 0 && e.Message == "" {
		return nil
	}
	return e
}

// messageCode is the "(#803) " that starts Graph's messages: older answers
// carry the code there only.
var messageCode = regexp.MustCompile(`^\(#(\d{1,9})\)`)

func codeInMessage(msg string) int {
	m := messageCode.FindStringSubmatch(strings.TrimSpace(msg))
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// The helpers below read a value of the expected kind and yield zero for any
// other kind: Facebook's bodies vary, and one odd field must not hide the rest.

func jsonString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func jsonInt(raw json.RawMessage) int {
	var n flexInt
	_ = n.UnmarshalJSON(raw) // never fails: an odd value reads as 0
	if int64(int(n)) != int64(n) {
		return 0
	}
	return int(n)
}

func jsonBool(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	return jsonString(raw) == "true"
}

// CheckResponse turns one HTTP answer into the error a call returns: nil for a
// 2xx body without an error object, *Error for Facebook's error model (any
// status, since the status does not follow the code: FACEBOOK.md §10), and
// *UnavailableError for a non-2xx answer that is not Graph JSON.
func CheckResponse(op string, httpStatus int, body []byte) error {
	if e := ParseError(httpStatus, body); e != nil && !isDebugTokenBody(body) {
		return e
	}
	if httpStatus < 200 || httpStatus > 299 {
		return &UnavailableError{Op: op, HTTPStatus: httpStatus, Cause: describeBody(body)}
	}
	return nil
}

// isDebugTokenBody: debug_token reports an invalid token as 200 with
// data.error (is_valid false, or left out); that is a result
// (TokenInfo.Error), not a failed call. No other answer nests an error in
// a data object.
func isDebugTokenBody(body []byte) bool {
	var top struct {
		Error json.RawMessage `json:"error"`
		Data  *struct {
			IsValid json.RawMessage `json:"is_valid"` // of any spelling: see flexBool
			Error   json.RawMessage `json:"error"`
		} `json:"data"`
	}
	return json.Unmarshal(body, &top) == nil && isNull(top.Error) && top.Data != nil &&
		(!isNull(top.Data.IsValid) || !isNull(top.Data.Error))
}

// describeBody says what kind of body came back, without quoting it (a body
// could echo a request parameter).
func describeBody(body []byte) error {
	s := strings.TrimSpace(string(body))
	switch {
	case s == "":
		return errors.New("empty body")
	case strings.HasPrefix(s, "<"):
		return fmt.Errorf("HTML or XML body (%d bytes) instead of Graph JSON", len(body))
	case !json.Valid(body):
		return fmt.Errorf("body is not valid JSON (%d bytes; truncated?)", len(body))
	}
	return fmt.Errorf("JSON body without a Graph error object (%d bytes)", len(body))
}
