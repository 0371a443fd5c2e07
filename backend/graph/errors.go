package graph

import (
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
}

// Class is how a caller should react to an *Error, as Meta's own SDKs sort them.
type Class int

const (
	ClassOther            Class = iota // a real answer with no generic recovery (bad request, unknown object, ...)
	ClassTransient                     // try again later; nothing is known about the token
	ClassRateLimited                   // a transient error caused by a rate limit: back off
	ClassLoginRecoverable              // the token is dead: the person must log in again
	ClassPermission                    // the token lives but lacks a permission or Page task
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
)

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
	case e.badClientSecret():
		// Code 1 is transient in general, but "Error validating client secret"
		// (sample 11) is a definitive verdict on the App ID/secret pair.
		return ClassOther
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

// ErrBadAppCredentials matches (errors.Is) an *Error by which Facebook rejected
// the App ID or App Secret: code 101 (unknown application) or the code 1
// "Error validating client secret" answer.
var ErrBadAppCredentials = errors.New("graph: Facebook rejected the App ID or App Secret")

func (e *Error) badClientSecret() bool {
	return e.Code == 1 && strings.Contains(strings.ToLower(e.Message), "client secret")
}

// Is lets errors.Is(err, ErrBadAppCredentials) find a rejected App ID/secret pair.
func (e *Error) Is(target error) bool {
	return target == ErrBadAppCredentials && (e.Code == 101 || e.badClientSecret())
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("graph: Facebook error ")
	b.WriteString(strconv.Itoa(e.Code))
	if e.Subcode != 0 {
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(e.Subcode))
	}
	if e.Type != "" {
		b.WriteString(" (" + e.Type + ")")
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
	HTTPStatus int    // 0 when no HTTP answer arrived
	Cause      error
}

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

// IsDefinitive reports whether err is a verdict from Facebook that can change a
// Page's state: a parsed *Error that is neither transient nor a rate limit.
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

// ParseError reads Facebook's error model from a response body: the top-level
// "error" object, or debug_token's "data.error" (which names the subcode
// "subcode"). Unknown keys are ignored and missing ones left zero. It returns
// nil when the body holds no such object or the object has neither a code nor
// a message (nothing definitive can be read from it).
func ParseError(httpStatus int, body []byte) *Error {
	var top struct {
		Error json.RawMessage `json:"error"`
		Data  struct {
			Error json.RawMessage `json:"error"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &top); err != nil {
		// Not an object at all, or "data" of another shape: retry for "error" alone.
		var only struct {
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(body, &only) != nil {
			return nil
		}
		top.Error = only.Error
	}
	raw := top.Error
	if isNull(raw) {
		raw = top.Data.Error
	}
	if isNull(raw) {
		return nil
	}
	return parseErrorObject(httpStatus, raw)
}

func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}

func parseErrorObject(httpStatus int, raw json.RawMessage) *Error {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	e := &Error{
		HTTPStatus: httpStatus,
		Message:    jsonString(m["message"]),
		Type:       jsonString(m["type"]),
		Code:       jsonInt(m["code"]),
		Subcode:    jsonInt(m["error_subcode"]),
		UserTitle:  jsonString(m["error_user_title"]),
		UserMsg:    jsonString(m["error_user_msg"]),
		FBTraceID:  jsonString(m["fbtrace_id"]),
		Transient:  jsonBool(m["is_transient"]),
	}
	if e.Subcode == 0 {
		e.Subcode = jsonInt(m["subcode"])
	}
	if e.Code == 0 && e.Message == "" {
		return nil
	}
	return e
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
// data.error; that is a result (TokenInfo.Error), not a failed call.
func isDebugTokenBody(body []byte) bool {
	var top struct {
		Error json.RawMessage `json:"error"`
		Data  *struct {
			IsValid *bool `json:"is_valid"`
		} `json:"data"`
	}
	return json.Unmarshal(body, &top) == nil && isNull(top.Error) && top.Data != nil && top.Data.IsValid != nil
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
