package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// errorSamples: every captured error body, with the status its source gave
// (400 where the source did not say), and what Pagekeeper must read from it.
var errorSamples = []struct {
	file       string
	status     int
	code, sub  int
	class      Class
	definitive bool
	msgHas     string
	trace      string
}{
	{"01-err-190-463-session-expired.json", 400, 190, 463, ClassLoginRecoverable, true, "Session has expired", "AXS25JPViBb5AY5tP5EzTnD"},
	{"02-err-190-460-password-changed.json", 400, 190, 460, ClassLoginRecoverable, true, "changed their password", "ASkD40ZYzAMGpUkxW2P4ez6"},
	{"03-err-190-458-app-not-authorized.json", 400, 190, 458, ClassLoginRecoverable, true, "has not authorized application", "F7v5hCYpfFn"},
	{"04-err-190-459-checkpoint.json", 400, 190, 459, ClassLoginRecoverable, true, "log in to www.facebook.com", ""},
	{"05-err-190-464-unconfirmed-user.json", 400, 190, 464, ClassLoginRecoverable, true, "not a confirmed user", ""},
	{"06-err-190-492-no-page-role.json", 400, 190, 492, ClassLoginRecoverable, true, "administrator, editor, or moderator", "ArmNm5F1-pv6cm7cLNCNd5W"},
	{"07-err-190-493-inactive-90-days.json", 400, 190, 493, ClassLoginRecoverable, true, "longer than 90 days", "EALaIqC7Yf2"},
	{"08-err-190-nosubcode-page-admin.json", 400, 190, 0, ClassLoginRecoverable, true, "administrator of the page", "Ape3HWIhSoF"},
	{"09-err-190-nosubcode-password-changed.json", 400, 190, 0, ClassLoginRecoverable, true, "changed their password", "AnXK4d44QgU4tjsUwmICTtj"},
	{"10-err-1-invalid-request-extra-toplevel.json", 400, 1, 0, ClassTransient, false, "Invalid request.", "AJGrzwyGF0sxlArG_B7hcqF"},
	{"11-err-1-client-secret.json", 400, 1, 0, ClassApp, true, "Error validating client secret.", "F0n/KYH+Z5K"},
	{"12-err-1-subcode-user-title.json", 400, 1, 1446036, ClassTransient, false, "An unknown error occurred", "AXNSTEPpjX5zEG-g80nQydI"},
	{"13-err-2-transient.json", 400, 2, 0, ClassTransient, false, "Please retry", "HbP+i+BdlMX"},
	{"14-err-2-minimal-http500.json", 500, 2, 0, ClassTransient, false, "", ""},
	{"15-err-4-app-limit.json", 400, 4, 0, ClassRateLimited, false, "Application request limit reached", "GNV+FOvDX3z"},
	{"16-err-4-2207051-http403.json", 403, 4, 2207051, ClassRateLimited, false, "Application request limit reached", "Ak94s1zgaADBUMfc50QG0ma"},
	{"17-err-10-no-permission.json", 400, 10, 0, ClassPermission, true, "does not have permission", "AlxUisvCSIMDcrLtpCjx_X0"},
	{"18-err-100-graphmethodexception.json", 400, 100, 0, ClassOther, true, "https://developers.facebook.com/docs/graph-api", "HMITIklX/te"},
	{"19-err-200-not-authorized.json", 400, 200, 0, ClassPermission, true, "hasn't authorized the application", "F2+nGYsbU2v"},
	{"20-err-200-http500-facebookapiexception.json", 500, 200, 0, ClassPermission, true, "Permissions error", ""},
	{"21-err-31-device-login-pending.json", 400, 31, 1349174, ClassOther, true, "pending action", "AuNfh12gTyCQuqgHPn64x8F"},
	{"29-debug-token-http400-no-app-token.json", 400, 100, 0, ClassOther, true, "must provide an app access token", "ATro7hQJL1cSosoigB2Od10"},
	{"38-oauth-error-redirect-uri-mismatch.json", 400, 100, 0, ClassOther, true, "redirect_uri is identical", "FXgxdS+pnYb"},
}

func TestParseErrorSamples(t *testing.T) {
	for _, tc := range errorSamples {
		t.Run(tc.file, func(t *testing.T) {
			e := ParseError(tc.status, sample(t, tc.file))
			if e == nil {
				t.Fatal("not parsed as a Graph error")
			}
			if e.Code != tc.code || e.Subcode != tc.sub {
				t.Errorf("code/subcode = %d/%d, want %d/%d", e.Code, e.Subcode, tc.code, tc.sub)
			}
			if e.Class() != tc.class {
				t.Errorf("class = %v, want %v", e.Class(), tc.class)
			}
			if IsDefinitive(e) != tc.definitive {
				t.Errorf("IsDefinitive = %v, want %v", IsDefinitive(e), tc.definitive)
			}
			if !strings.Contains(e.Message, tc.msgHas) {
				t.Errorf("message %q lacks %q", e.Message, tc.msgHas)
			}
			if e.FBTraceID != tc.trace {
				t.Errorf("fbtrace_id = %q, want %q", e.FBTraceID, tc.trace)
			}
			if e.HTTPStatus != tc.status {
				t.Errorf("HTTPStatus = %d", e.HTTPStatus)
			}
			if e.IsRateLimit() && !e.IsTransient() {
				t.Error("a rate limit must be transient too")
			}
			if got := CheckResponse("GET /x", tc.status, sample(t, tc.file)); !errors.As(got, new(*Error)) {
				t.Errorf("CheckResponse = %v, want *Error", got)
			}
		})
	}
}

// The same bodies through a real HTTP exchange: a call returns them as *Error.
func TestClientReturnsSampleErrors(t *testing.T) {
	for _, tc := range errorSamples {
		t.Run(tc.file, func(t *testing.T) {
			_, c := newServer(t, replay(tc.status, sample(t, tc.file)))
			_, err := c.Me(context.Background(), testUserToken)
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("err = %T %v, want *Error", err, err)
			}
			if ge.Code != tc.code || ge.Subcode != tc.sub || ge.HTTPStatus != tc.status {
				t.Errorf("got %d/%d HTTP %d", ge.Code, ge.Subcode, ge.HTTPStatus)
			}
			if IsDefinitive(err) != tc.definitive {
				t.Errorf("IsDefinitive = %v", IsDefinitive(err))
			}
			assertNoSecret(t, err)
		})
	}
}

func TestParseErrorFields(t *testing.T) {
	e := ParseError(400, sample(t, "12-err-1-subcode-user-title.json"))
	if e.UserTitle != "Duplicate Mark Spam Request" || !strings.HasPrefix(e.UserMsg, "Comment is already marked") || e.Type != "OAuthException" || e.Transient {
		t.Errorf("fields: %+v", e)
	}
	e = ParseError(400, sample(t, "13-err-2-transient.json"))
	if !e.Transient {
		t.Error("is_transient true not read")
	}
	e = ParseError(500, sample(t, "20-err-200-http500-facebookapiexception.json"))
	if e.Type != "FacebookApiException" {
		t.Errorf("type = %q", e.Type)
	}
	// Extra top-level keys are ignored, the error object still read.
	e = ParseError(400, sample(t, "10-err-1-invalid-request-extra-toplevel.json"))
	if e.Message != "Invalid request." {
		t.Errorf("message = %q", e.Message)
	}
	// debug_token's form: data.error with "subcode".
	e = ParseError(200, sample(t, "25-debug-token-invalid-463-expired.json"))
	if e == nil || e.Code != 190 || e.Subcode != 463 {
		t.Fatalf("data.error: %+v", e)
	}
	if !errors.Is(ParseError(400, sample(t, "11-err-1-client-secret.json")), ErrBadAppCredentials) {
		t.Error("client secret error must match ErrBadAppCredentials")
	}
	if errors.Is(ParseError(400, sample(t, "10-err-1-invalid-request-extra-toplevel.json")), ErrBadAppCredentials) {
		t.Error("other code 1 errors must not match ErrBadAppCredentials")
	}
}

func TestParseErrorTolerance(t *testing.T) {
	cases := []struct {
		body      string
		code, sub int
		msg       string
		transient bool
	}{
		{`{"error":{"code":"190","error_subcode":"460","message":"m"}}`, 190, 460, "m", false},
		{`{"error":{"code":190.0,"message":7,"is_transient":"true"}}`, 190, 0, "", true},
		{`{"error":{"code":4,"error_subcode":null,"fbtrace_id":null}}`, 4, 0, "", false},
		{`{"error":{"message":"only a message"}}`, 0, 0, "only a message", false},
		{`{"data":[1,2],"error":{"code":100,"message":"x"}}`, 100, 0, "x", false},
		{`{"error":{"code":99999999999999999999,"message":"big"}}`, 0, 0, "big", false},
	}
	for _, tc := range cases {
		e := ParseError(400, []byte(tc.body))
		if e == nil {
			t.Errorf("%s: not parsed", tc.body)
			continue
		}
		if e.Code != tc.code || e.Subcode != tc.sub || e.Message != tc.msg || e.Transient != tc.transient {
			t.Errorf("%s: got %+v", tc.body, e)
		}
	}
	for _, body := range []string{``, `null`, `[]`, `"error"`, `{"error":null}`,
		`{"error":{}}`, `{"error":{"code":0}}`, `{"data":{"error":{}}}`, `{"id":"1"}`, `<html>`, `{"error":{"code":190`} {
		if e := ParseError(400, []byte(body)); e != nil {
			t.Errorf("%q parsed as %+v", body, e)
		}
	}
}

func TestClassOfCodes(t *testing.T) {
	cases := []struct {
		e     Error
		class Class
	}{
		{Error{Code: 1}, ClassTransient},
		{Error{Code: 2}, ClassTransient},
		{Error{Code: 9}, ClassTransient},
		{Error{Code: 341}, ClassTransient},
		{Error{Code: 4}, ClassRateLimited},
		{Error{Code: 17}, ClassRateLimited},
		{Error{Code: 32}, ClassRateLimited},
		{Error{Code: 613}, ClassRateLimited},
		{Error{Code: 80000}, ClassRateLimited},
		{Error{Code: 80001}, ClassRateLimited},
		{Error{Code: 80014}, ClassRateLimited},
		{Error{Code: 80015}, ClassOther},
		{Error{Code: 102}, ClassLoginRecoverable},
		{Error{Code: 190}, ClassLoginRecoverable},
		{Error{Code: 190, Subcode: 467}, ClassLoginRecoverable},
		{Error{Code: 10}, ClassPermission},
		{Error{Code: 200}, ClassPermission},
		{Error{Code: 299}, ClassPermission},
		{Error{Code: 300}, ClassOther},
		{Error{Code: 100}, ClassOther},
		{Error{Code: 368}, ClassOther},
		{Error{Code: 100, Transient: true}, ClassTransient},
		{Error{Code: 190, Transient: true}, ClassTransient},
		{Error{Code: 101}, ClassApp},
		{Error{Code: 101, Message: "Error validating application. Cannot get application info due to a system error."}, ClassOther},
		{Error{Code: 190, ViaAppToken: true}, ClassApp},
	}
	for _, tc := range cases {
		if got := tc.e.Class(); got != tc.class {
			t.Errorf("code %d transient %v: class %v, want %v", tc.e.Code, tc.e.Transient, got, tc.class)
		}
	}
	if !errors.Is(&Error{Code: 101, Message: "Error validating application. Invalid application ID."}, ErrBadAppCredentials) {
		t.Error("code 101 must match ErrBadAppCredentials")
	}
	for c := ClassOther; c <= ClassApp; c++ {
		if c.String() == "" || (c != ClassOther && c.String() == "other") {
			t.Errorf("class %d has no name", c)
		}
	}
}

func TestIsDefinitive(t *testing.T) {
	dead := &Error{Code: 190, Subcode: 460}
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{dead, true},
		{fmt.Errorf("probe: %w", dead), true},
		{&Error{Code: 2}, false},
		{&Error{Code: 17}, false},
		{&UnavailableError{Op: "GET /me", HTTPStatus: 502}, false},
		{&UnavailableError{Op: "GET /me", Cause: dead}, true}, // never built so, but As finds the *Error
		{errors.New("plain"), false},
		{context.DeadlineExceeded, false},
	}
	for i, tc := range cases {
		if got := IsDefinitive(tc.err); got != tc.want {
			t.Errorf("%d: IsDefinitive(%v) = %v", i, tc.err, got)
		}
	}
}

func TestCheckResponseUnavailable(t *testing.T) {
	cases := []struct {
		status int
		body   string
		has    string
	}{
		{500, "<html><body>Service Unavailable</body></html>", "HTML"},
		{502, "", "empty body"},
		{503, `{"error":{"code":1`, "truncated"},
		{404, `{"nothing":"here"}`, "without a Graph error"},
	}
	for _, tc := range cases {
		err := CheckResponse("GET /me", tc.status, []byte(tc.body))
		var ue *UnavailableError
		if !errors.As(err, &ue) || ue.HTTPStatus != tc.status || ue.Op != "GET /me" {
			t.Errorf("%d %q: %T %v", tc.status, tc.body, err, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.has) || IsDefinitive(err) {
			t.Errorf("%d %q: %v", tc.status, tc.body, err)
		}
	}
	if err := CheckResponse("GET /me", 200, []byte(`{"id":"1"}`)); err != nil {
		t.Errorf("2xx without error: %v", err)
	}
	// An invalid token's debug_token answer is a result, not a failed call.
	if err := CheckResponse("GET /debug_token", 200, sample(t, "25-debug-token-invalid-463-expired.json")); err != nil {
		t.Errorf("debug_token invalid-token body: %v", err)
	}
}

func TestErrorTextRedacts(t *testing.T) {
	e := &Error{Code: 100, Message: "bad url https://graph.facebook.com/me?access_token=" + testUserToken + "&x=1"}
	if strings.Contains(e.Error(), testUserToken) || !strings.Contains(e.Error(), "access_token=REDACTED") {
		t.Errorf("redaction missing: %s", e.Error())
	}
	u := &UnavailableError{Op: "GET /me", Cause: errors.New("Get \"/oauth?client_secret=" + testAppSecret + "\": EOF")}
	if strings.Contains(u.Error(), testAppSecret) {
		t.Errorf("leaks secret: %s", u.Error())
	}
}

// TestEverySampleIsRead: each captured body in testdata is read by the parser
// meant for it. The three .txt files are login-dialog redirect URLs, which
// backend/login parses; nothing here reads them.
func TestEverySampleIsRead(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) != 39 {
		t.Fatalf("%d JSON samples, want 39 (42 minus 3 redirect URLs): %v", len(files), err)
	}
	for _, p := range files {
		name := filepath.Base(p)
		body := sample(t, name)
		var ok bool
		switch n := name[:2]; {
		case strings.Contains(name, "-err-") || n == "29" || n == "38":
			ok = ParseError(400, body) != nil
		case n >= "22" && n <= "28":
			_, err := ParseDebugToken(200, body)
			ok = err == nil
		case n == "30" || n == "31" || n == "34":
			var page struct {
				Data []map[string]any `json:"data"`
			}
			ok = CheckResponse("GET /x", 200, body) == nil && json.Unmarshal(body, &page) == nil && len(page.Data) > 0
		case n == "32":
			var p PageInfo
			ok = json.Unmarshal(body, &p) == nil && p.Instagram != nil
		case n == "33":
			var items []struct{ Code int }
			ok = json.Unmarshal(body, &items) == nil && len(items) == 2
		case n >= "35" && n <= "37":
			var tr tokenResponse
			ok = json.Unmarshal(body, &tr) == nil && tr.AccessToken != ""
		case n == "42":
			ok = len(ParseUsage(http.Header{"X-Business-Use-Case-Usage": {string(body)}}, testNow)) == 1
		}
		if !ok {
			t.Errorf("%s: not read", name)
		}
	}
}

// A body with no "error" in it is read as no error without being decoded;
// the same key spelled with \u escapes is still found.
func TestParseErrorSkipsOnlyBodiesWithoutError(t *testing.T) {
	if e := ParseError(200, []byte(`{"id":"104","name":"Bakery"}`)); e != nil {
		t.Errorf("a Page read as %v", e)
	}
	escaped := `{"\u0065rror":{"message":"Error validating access token","type":"OAuthException","code":190,"error_subcode":460}}`
	if e := ParseError(400, []byte(escaped)); e == nil || e.Code != 190 || e.Subcode != 460 {
		t.Errorf("an escaped error key read as %+v", e)
	}
}
