package health

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// sample reads a captured Facebook body from the graph package's testdata.
func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "graph", "testdata", name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

var allScopes = []string{"pages_show_list", "pages_manage_posts", "pages_read_engagement", "pages_messaging",
	"read_insights", "instagram_basic", "instagram_manage_messages", "pages_manage_metadata"}
var allTasks = []string{"ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"}

// healthy is a Page whose every check passed.
func healthy() Observation {
	return Observation{
		PageID: "77", PageName: "Corner Bakery", PersonName: "Dana",
		PageToken: &graph.TokenInfo{Type: "PAGE", IsValid: true, Scopes: allScopes, ProfileID: "77"},
		UserToken: &graph.TokenInfo{Type: "USER", IsValid: true, Scopes: allScopes,
			ExpiresAt: now.Add(50 * 24 * time.Hour), DataAccessExpiresAt: now.Add(80 * 24 * time.Hour)},
		InGrant: ptr(true), HasRole: ptr(true), Tasks: allTasks,
		HadInstagram: true, InstagramLinked: ptr(true), WebhooksSubscribed: ptr(true),
		Now: now,
	}
}

func dead(code, sub int, msg string) *graph.Error {
	return &graph.Error{HTTPStatus: 400, Code: code, Subcode: sub, Message: msg, Type: "OAuthException"}
}

// TestEveryReason: one observation per reason, and the valid and disconnected states.
func TestEveryReason(t *testing.T) {
	cases := []struct {
		name       string
		edit       func(o *Observation)
		status     Status
		reason     Reason
		definitive bool
	}{
		{"valid", func(o *Observation) {}, Valid, ReasonNone, true},
		{"disconnected", func(o *Observation) { o.Disconnected = true; o.Probe = dead(190, 460, "") }, Disconnected, ReasonNone, true},
		{"password_changed", func(o *Observation) { o.Probe = dead(190, 460, "") }, Invalid, PasswordChanged, true},
		{"app_removed", func(o *Observation) { o.Probe = dead(190, 458, "") }, Invalid, AppRemoved, true},
		{"session_expired", func(o *Observation) { o.Probe = dead(190, 463, "") }, Invalid, SessionExpired, true},
		{"account_checkpointed", func(o *Observation) { o.Probe = dead(190, 459, "") }, Invalid, AccountCheckpointed, true},
		{"account_unconfirmed", func(o *Observation) { o.Probe = dead(190, 464, "") }, Invalid, AccountUnconfirmed, true},
		{"role_lost 492", func(o *Observation) { o.Probe = dead(190, 492, "") }, Invalid, RoleLost, true},
		{"role_lost left the person's Pages", func(o *Observation) { o.HasRole = ptr(false) }, Warning, RoleLost, true},
		{"data_access_expired", func(o *Observation) { o.Probe = dead(190, 493, "") }, Invalid, DataAccessExpired, true},
		{"token_invalid 467", func(o *Observation) { o.Probe = dead(190, 467, "") }, Invalid, TokenInvalid, true},
		{"token_invalid 466", func(o *Observation) { o.Probe = dead(190, 466, "") }, Invalid, TokenInvalid, true},
		{"token_invalid 190", func(o *Observation) { o.Probe = dead(190, 0, "Invalid OAuth access token.") }, Invalid, TokenInvalid, true},
		{"token_invalid 102", func(o *Observation) { o.Probe = dead(102, 0, "Session key invalid") }, Invalid, TokenInvalid, true},
		{"page_not_granted", func(o *Observation) { o.InGrant = ptr(false) }, Invalid, PageNotGranted, true},
		{"permission_missing (grant)", func(o *Observation) { o.Granted = []string{"pages_show_list", "pages_read_engagement"} }, Warning, PermissionMissing, true},
		{"permission_missing (Facebook said)", func(o *Observation) { o.Probe = dead(200, 0, "Permissions error") }, Invalid, PermissionMissing, true},
		{"task_missing", func(o *Observation) { o.Tasks = []string{"ANALYZE", "MODERATE"} }, Warning, TaskMissing, true},
		{"expiring_soon", func(o *Observation) { o.UserToken.ExpiresAt = now.Add(3 * 24 * time.Hour) }, Warning, ExpiringSoon, true},
		{"webhooks_unsubscribed", func(o *Observation) { o.WebhooksSubscribed = ptr(false) }, Warning, WebhooksUnsubscribed, true},
		{"instagram_unlinked", func(o *Observation) { o.InstagramLinked = ptr(false) }, Warning, InstagramUnlinked, true},
		{"unreachable", func(o *Observation) {
			o.Probe = &graph.UnavailableError{Op: "GET /77", Cause: context.DeadlineExceeded}
		}, Unknown, Unreachable, false},
		{"unexpected_answer", func(o *Observation) { o.Probe = &graph.UnavailableError{Op: "GET /77", HTTPStatus: 502} }, Unknown, UnexpectedAnswer, false},
		{"page_gone", func(o *Observation) { o.Probe = dead(100, 33, "Unsupported get request.") }, Invalid, PageGone, true},
		{"meta_app_problem", func(o *Observation) { o.Probe = dead(101, 0, "Error validating application. Invalid application ID.") }, Unknown, MetaAppProblem, false},
		{"rate_limited", func(o *Observation) { o.Probe = dead(80001, 0, "too many calls") }, Unknown, RateLimited, false},
	}
	covered := map[Reason]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := healthy()
			tc.edit(&o)
			d := Diagnose(o)
			if d.Status != tc.status || d.Reason != tc.reason || d.Definitive != tc.definitive {
				t.Fatalf("got %s/%q definitive %v, want %s/%q %v", d.Status, d.Reason, d.Definitive, tc.status, tc.reason, tc.definitive)
			}
			if d.Summary == "" || strings.Contains(d.Summary, "{") || strings.Contains(d.Fix, "{") {
				t.Errorf("words: %q / %q", d.Summary, d.Fix)
			}
			// The Meta app's words speak of every Page: the window shows them once.
			if tc.reason != MetaAppProblem && !strings.Contains(d.Summary+d.Fix, "Corner Bakery") {
				t.Errorf("the Page's name is missing: %q / %q", d.Summary, d.Fix)
			}
			if (tc.status == Invalid || tc.status == Warning) && !strings.Contains(d.Summary+d.Fix, "Dana") {
				t.Errorf("the person's name is missing: %q / %q", d.Summary, d.Fix)
			}
			if tc.status != Valid && d.Fix == "" {
				t.Error("no fix")
			}
			covered[tc.reason] = true
		})
	}
	for _, r := range Reasons {
		if !covered[r] {
			t.Errorf("reason %s has no case", r)
		}
		if _, ok := words[r]; !ok {
			t.Errorf("reason %s has no words", r)
		}
	}
}

func TestWordsExample(t *testing.T) {
	o := healthy()
	o.Probe = graph.ParseError(400, sample(t, "02-err-190-460-password-changed.json"))
	d := Diagnose(o)
	if d.Summary != "Dana's Facebook password was changed (or Facebook reset the login for security), which ended Pagekeeper's access to Corner Bakery." ||
		d.Fix != "Click Reconnect and log in as Dana with the new password." {
		t.Errorf("words: %q / %q", d.Summary, d.Fix)
	}
	o = healthy()
	o.PersonName, o.PageName = "", ""
	o.Probe = dead(190, 459, "")
	d = Diagnose(o)
	if !strings.HasPrefix(d.Fix, "The person who connected it should click Open in Facebook") || !strings.Contains(d.Summary, "this Page") {
		t.Errorf("fallback words: %q / %q", d.Summary, d.Fix)
	}
	o = healthy()
	o.Tasks = []string{"ANALYZE", "CREATE_CONTENT"}
	d = Diagnose(o)
	if d.Reason != TaskMissing || !strings.Contains(d.Summary, "Messages") || !reflect.DeepEqual(d.MissingTasks, []string{"MESSAGING"}) {
		t.Errorf("task words: %+v", d)
	}
	o = healthy()
	o.Granted = []string{"pages_show_list"}
	d = Diagnose(o)
	want := []string{"pages_manage_posts", "pages_messaging", "pages_read_engagement", "read_insights", "instagram_basic", "pages_manage_metadata"}
	if d.Reason != PermissionMissing || len(d.MissingPermissions) != len(want) {
		t.Errorf("missing permissions %v", d.MissingPermissions)
	}
	for _, p := range want {
		if !strings.Contains(d.Summary, Label(p)) || strings.Contains(d.Summary, p) {
			t.Errorf("summary lacks the words for %s, or names it raw: %q", p, d.Summary)
		}
	}
	if s, f := Explain("session_expired", "Dana", "Corner Bakery"); !strings.Contains(s, "Dana's Facebook login") || f == "" {
		t.Errorf("Explain = %q, %q", s, f)
	}
	if s := Summary("no_such_reason", "Dana", "Corner Bakery"); !strings.Contains(s, "Corner Bakery") {
		t.Errorf("unknown reason summary %q", s)
	}
}

// TestSampleErrorsAsProbe: every captured error body, through the graph
// parser, as the result of the Page probe.
func TestSampleErrorsAsProbe(t *testing.T) {
	cases := []struct {
		file   string
		status int
		want   Status
		reason Reason
	}{
		{"01-err-190-463-session-expired.json", 400, Invalid, SessionExpired},
		{"02-err-190-460-password-changed.json", 400, Invalid, PasswordChanged},
		{"03-err-190-458-app-not-authorized.json", 400, Invalid, AppRemoved},
		{"04-err-190-459-checkpoint.json", 400, Invalid, AccountCheckpointed},
		{"05-err-190-464-unconfirmed-user.json", 400, Invalid, AccountUnconfirmed},
		{"06-err-190-492-no-page-role.json", 400, Invalid, RoleLost},
		{"07-err-190-493-inactive-90-days.json", 400, Invalid, DataAccessExpired},
		{"08-err-190-nosubcode-page-admin.json", 400, Invalid, RoleLost},              // refined by message
		{"09-err-190-nosubcode-password-changed.json", 400, Invalid, PasswordChanged}, // refined by message
		{"10-err-1-invalid-request-extra-toplevel.json", 400, Unknown, UnexpectedAnswer},
		{"11-err-1-client-secret.json", 400, Unknown, MetaAppProblem},
		{"12-err-1-subcode-user-title.json", 400, Unknown, UnexpectedAnswer},
		{"13-err-2-transient.json", 400, Unknown, UnexpectedAnswer},
		{"14-err-2-minimal-http500.json", 500, Unknown, UnexpectedAnswer},
		{"15-err-4-app-limit.json", 400, Unknown, RateLimited},
		{"16-err-4-2207051-http403.json", 403, Unknown, RateLimited},
		{"17-err-10-no-permission.json", 400, Invalid, PermissionMissing},
		{"18-err-100-graphmethodexception.json", 400, Invalid, PageGone},
		{"19-err-200-not-authorized.json", 400, Invalid, PermissionMissing},
		{"20-err-200-http500-facebookapiexception.json", 500, Invalid, PermissionMissing},
		{"21-err-31-device-login-pending.json", 400, Unknown, UnexpectedAnswer},
		{"29-debug-token-http400-no-app-token.json", 400, Unknown, UnexpectedAnswer},
		{"38-oauth-error-redirect-uri-mismatch.json", 400, Unknown, UnexpectedAnswer},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			err := graph.CheckResponse("GET /77", tc.status, sample(t, tc.file))
			if err == nil {
				t.Fatal("sample is not an error")
			}
			o := healthy()
			o.Probe = err
			d := Diagnose(o)
			if d.Status != tc.want || d.Reason != tc.reason {
				t.Errorf("got %s/%s, want %s/%s", d.Status, d.Reason, tc.want, tc.reason)
			}
			if d.Definitive != (tc.want == Invalid) {
				t.Errorf("definitive = %v", d.Definitive)
			}
		})
	}
}

// TestSampleDebugTokens: debug_token's verdicts on the Page token.
func TestSampleDebugTokens(t *testing.T) {
	cases := []struct {
		file   string
		status Status
		reason Reason
	}{
		{"24-debug-token-page-valid.json", Valid, ReasonNone},
		{"25-debug-token-invalid-463-expired.json", Invalid, SessionExpired},
		{"26-debug-token-invalid-460-password.json", Invalid, PasswordChanged},
		{"27-debug-token-invalid-466-api-invalidated.json", Invalid, TokenInvalid},
		{"28-debug-token-invalid-unparseable.json", Invalid, TokenInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			info, err := graph.ParseDebugToken(200, sample(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			o := healthy()
			o.PageToken = &info
			o.Granted = allScopes // sample 24's scopes are a test app's
			o.Now = info.IssuedAt // before sample 24's expiry, which then lies outside the window
			if tc.file == "24-debug-token-page-valid.json" {
				o.Now = info.ExpiresAt.Add(-30 * 24 * time.Hour)
			}
			o.UserToken = nil
			d := Diagnose(o)
			if d.Status != tc.status || d.Reason != tc.reason {
				t.Errorf("got %s/%s, want %s/%s", d.Status, d.Reason, tc.status, tc.reason)
			}
		})
	}
}

func TestUnavailableAlwaysUnknown(t *testing.T) {
	probes := []error{
		graph.CheckResponse("GET /77", 500, []byte("<html><body>Error</body></html>")),
		&graph.UnavailableError{Op: "GET /77", HTTPStatus: 200, Cause: errors.New("answer did not parse")}, // truncated 2xx
		graph.CheckResponse("GET /77", 502, []byte(`{"error":{"code":190,"error_subcode":460`)),
		&graph.UnavailableError{Op: "GET /77", Cause: errors.New("dial tcp 127.0.0.1:1: connect: connection refused")},
		&graph.UnavailableError{Op: "GET /77", Cause: context.DeadlineExceeded},
		errors.New("some other failure"),
	}
	for i, p := range probes {
		o := healthy()
		o.Probe = p
		d := Diagnose(o)
		// An answer that arrived (an HTTP status) is never "could not reach".
		want := Unreachable
		if i < 3 {
			want = UnexpectedAnswer
		}
		if d.Status != Unknown || d.Reason != want || d.Definitive {
			t.Errorf("%d (%v): %s/%s, want %s", i, p, d.Status, d.Reason, want)
		}
	}
}

func TestOrder(t *testing.T) {
	// Login-dead beats permission/task issues, which beat warnings.
	o := healthy()
	o.Probe = dead(190, 463, "")
	o.Tasks, o.Granted, o.InGrant, o.WebhooksSubscribed = []string{}, []string{}, ptr(false), ptr(false)
	if d := Diagnose(o); d.Reason != SessionExpired {
		t.Errorf("dead token: %s", d.Reason)
	}
	o.Probe = nil
	// A Page unticked at a later login is over, though its old token
	// still answers: invalid, before the person's own token troubles.
	if d := Diagnose(o); d.Reason != PageNotGranted || d.Status != Invalid || !d.Definitive {
		t.Errorf("grant before permissions: %s/%s", d.Status, d.Reason)
	}
	o.UserToken = &graph.TokenInfo{IsValid: false, Error: &graph.Error{Code: 190, Subcode: 463}}
	if d := Diagnose(o); d.Reason != PageNotGranted || d.Status != Invalid {
		t.Errorf("unticked Page, expired user token: %s/%s", d.Status, d.Reason)
	}
	o.UserToken = healthy().UserToken
	o.InGrant = ptr(true)
	if d := Diagnose(o); d.Reason != PermissionMissing {
		t.Errorf("permissions before tasks: %s", d.Reason)
	}
	o.Granted = allScopes
	o.UserToken.ExpiresAt = now.Add(time.Hour)
	if d := Diagnose(o); d.Reason != TaskMissing {
		t.Errorf("tasks before expiry: %s", d.Reason)
	}
	o.Tasks = allTasks
	if d := Diagnose(o); d.Reason != ExpiringSoon {
		t.Errorf("expiry before webhooks: %s", d.Reason)
	}
	o.UserToken.ExpiresAt = time.Time{}
	o.InstagramLinked = ptr(false)
	if d := Diagnose(o); d.Reason != WebhooksUnsubscribed {
		t.Errorf("webhooks before instagram: %s", d.Reason)
	}
	// A rate-limited probe hides everything else: nothing was confirmed.
	o.Probe = dead(17, 0, "User request limit reached")
	if d := Diagnose(o); d.Status != Unknown || d.Reason != RateLimited {
		t.Errorf("rate limit: %s/%s", d.Status, d.Reason)
	}
	// A dead Page token found by debug_token, though the probe got no answer.
	o = healthy()
	o.Probe = &graph.UnavailableError{Op: "GET /77"}
	o.PageToken = &graph.TokenInfo{IsValid: false, Error: &graph.Error{Code: 190, Subcode: 460, HTTPStatus: 200}}
	if d := Diagnose(o); d.Status != Invalid || d.Reason != PasswordChanged {
		t.Errorf("debug_token verdict: %s/%s", d.Status, d.Reason)
	}
	// debug_token says invalid without an error object.
	o.PageToken = &graph.TokenInfo{IsValid: false}
	if d := Diagnose(o); d.Status != Invalid || d.Reason != TokenInvalid {
		t.Errorf("bare is_valid false: %s/%s", d.Status, d.Reason)
	}
}

func TestUserTokenDeadPageAlive(t *testing.T) {
	user, err := graph.ParseDebugToken(200, sample(t, "25-debug-token-invalid-463-expired.json"))
	if err != nil {
		t.Fatal(err)
	}
	o := healthy()
	o.UserToken = &user
	if d := Diagnose(o); d.Status != Warning || d.Reason != SessionExpired || !d.Definitive {
		t.Errorf("user token expired, Page token works: %s/%s", d.Status, d.Reason)
	}
	// The Page token's generic 190 takes the user token's reason.
	o.Probe = dead(190, 0, "Error validating access token: Session is invalid.")
	if d := Diagnose(o); d.Status != Invalid || d.Reason != SessionExpired {
		t.Errorf("generic 190 refined by the user token: %s/%s", d.Status, d.Reason)
	}
	// A generic 190 on a Page unticked from the grant: the grant says why.
	o = healthy()
	o.InGrant = ptr(false)
	o.Probe = dead(190, 0, "Invalid OAuth access token.")
	if d := Diagnose(o); d.Status != Invalid || d.Reason != PageNotGranted {
		t.Errorf("generic 190 refined by the grant: %s/%s", d.Status, d.Reason)
	}
	o.UserToken = &user
	o.Probe = dead(190, 0, "Error validating access token: Session is invalid.")
	// A specific Page-token reason is kept.
	o.Probe = dead(190, 492, "")
	if d := Diagnose(o); d.Reason != RoleLost {
		t.Errorf("492 kept: %s", d.Reason)
	}
	o = healthy()
	o.UserToken = &graph.TokenInfo{IsValid: false, Error: &graph.Error{Code: 100, Message: "odd"}}
	if d := Diagnose(o); d.Status != Warning || d.Reason != TokenInvalid {
		t.Errorf("user token invalid with an odd error: %s/%s", d.Status, d.Reason)
	}
}

func TestPersonOnly(t *testing.T) {
	user, _ := graph.ParseDebugToken(200, sample(t, "26-debug-token-invalid-460-password.json"))
	d := Diagnose(Observation{PersonName: "Dana", UserToken: &user, Now: now, Wanted: []string{}})
	if d.Status != Invalid || d.Reason != PasswordChanged || !strings.Contains(d.Summary, "access to Dana's Pages") {
		t.Errorf("dead user token alone: %s/%s %q", d.Status, d.Reason, d.Summary)
	}
	valid, _ := graph.ParseDebugToken(200, sample(t, "22-debug-token-user-long-lived-valid.json"))
	d = Diagnose(Observation{PersonName: "Dana", UserToken: &valid, Now: valid.ExpiresAt.Add(-24 * time.Hour), Wanted: []string{}})
	if d.Status != Warning || d.Reason != ExpiringSoon || !d.Until.Equal(valid.ExpiresAt) {
		t.Errorf("expiring user token alone: %s/%s %v", d.Status, d.Reason, d.Until)
	}
	d = Diagnose(Observation{PersonName: "Dana", UserToken: &valid, Now: valid.IssuedAt, Wanted: []string{}})
	if d.Status != Valid {
		t.Errorf("valid user token alone: %s/%s", d.Status, d.Reason)
	}
}

func TestNoSubcodeMessages(t *testing.T) {
	cases := map[string]Reason{
		"Error validating access token: Session has expired on Monday":                               SessionExpired,
		"Error validating access token: The user has not authorized application 1.":                  AppRemoved,
		"The access token is invalid since the user hasn't engaged the app in longer than 90 days.":  DataAccessExpired,
		"Sessions for the user  are not allowed because the user is not a confirmed user.":           AccountUnconfirmed,
		"You cannot access the app till you log in to www.facebook.com and follow the instructions":  AccountCheckpointed,
		"The session has been invalidated because ... Facebook has changed the session for security": PasswordChanged,
		"Malformed access token": TokenInvalid,
	}
	for msg, want := range cases {
		o := healthy()
		o.Probe = dead(190, 0, msg)
		if d := Diagnose(o); d.Reason != want {
			t.Errorf("%q: %s, want %s", msg, d.Reason, want)
		}
	}
	// The subcode wins over the message.
	o := healthy()
	o.Probe = dead(190, 463, "Error validating access token: The session has been invalidated because the user changed their password")
	if d := Diagnose(o); d.Reason != SessionExpired {
		t.Errorf("subcode first: %s", d.Reason)
	}
}

func TestExpiringSoonBoundary(t *testing.T) {
	week := 7 * 24 * time.Hour
	cases := []struct {
		name string
		edit func(o *Observation)
		want Reason
	}{
		{"user token at exactly 7 days", func(o *Observation) { o.UserToken.ExpiresAt = now.Add(week) }, ExpiringSoon},
		{"user token 1 s after the window", func(o *Observation) { o.UserToken.ExpiresAt = now.Add(week + time.Second) }, ReasonNone},
		{"user token never expires", func(o *Observation) { o.UserToken.ExpiresAt = time.Time{} }, ReasonNone},
		{"data access at exactly 7 days", func(o *Observation) { o.UserToken.DataAccessExpiresAt = now.Add(week) }, ExpiringSoon},
		{"data access 1 s after", func(o *Observation) { o.UserToken.DataAccessExpiresAt = now.Add(week + time.Second) }, ReasonNone},
		{"page token data access", func(o *Observation) { o.PageToken.DataAccessExpiresAt = now.Add(time.Hour) }, ExpiringSoon},
		{"data access already over", func(o *Observation) { o.UserToken.DataAccessExpiresAt = now.Add(-time.Hour) }, DataAccessExpired},
		{"user token already expired", func(o *Observation) { o.UserToken.ExpiresAt = now.Add(-time.Hour) }, SessionExpired},
		{"expires exactly now", func(o *Observation) { o.UserToken.ExpiresAt = now }, SessionExpired},
		{"custom window: 20 days inside 30", func(o *Observation) {
			o.WarnWindow = 30 * 24 * time.Hour
			o.UserToken.ExpiresAt = now.Add(20 * 24 * time.Hour)
		}, ExpiringSoon},
		{"custom window: 2 days outside 1", func(o *Observation) {
			o.WarnWindow = 24 * time.Hour
			o.UserToken.ExpiresAt = now.Add(2 * 24 * time.Hour)
		}, ReasonNone},
	}
	for _, tc := range cases {
		o := healthy()
		tc.edit(&o)
		d := Diagnose(o)
		if d.Reason != tc.want {
			t.Errorf("%s: %s, want %q", tc.name, d.Reason, tc.want)
		}
		if tc.want == ExpiringSoon && (d.Status != Warning || d.Until.IsZero() || !strings.Contains(d.Summary, d.Until.Format("January 2, 2006"))) {
			t.Errorf("%s: %+v", tc.name, d)
		}
	}
	// The earliest end is named.
	o := healthy()
	o.UserToken.ExpiresAt = now.Add(5 * 24 * time.Hour)
	o.UserToken.DataAccessExpiresAt = now.Add(2 * 24 * time.Hour)
	if d := Diagnose(o); !d.Until.Equal(now.Add(2 * 24 * time.Hour)) {
		t.Errorf("until %v", d.Until)
	}
}

func TestFeatureMatrix(t *testing.T) {
	feature := func(d Diagnosis, name string) Feature {
		for _, f := range d.Features {
			if f.Name == name {
				return f
			}
		}
		t.Fatalf("feature %s missing", name)
		return Feature{}
	}
	d := Diagnose(healthy())
	if len(d.Features) != 5 {
		t.Fatalf("%d features", len(d.Features))
	}
	for _, f := range d.Features {
		if !f.OK || f.Missing != "" || f.Note != "" {
			t.Errorf("healthy %+v", f)
		}
	}

	o := healthy()
	o.Granted = []string{"pages_show_list", "pages_read_engagement", "pages_messaging", "instagram_basic", "pages_manage_metadata"}
	o.Tasks = []string{"MODERATE", "CREATE_CONTENT"}
	d = Diagnose(o)
	if f := feature(d, FeaturePublishing); f.OK || !strings.Contains(f.Missing, Label("pages_manage_posts")) {
		t.Errorf("publishing %+v", f)
	}
	if f := feature(d, FeatureMessenger); f.OK || !strings.Contains(f.Missing, "Messages") {
		t.Errorf("messenger with MODERATE alone must not work (FACEBOOK.md §7): %+v", f)
	}
	if f := feature(d, FeatureInsights); f.OK || !strings.Contains(f.Missing, Label("read_insights")) || !strings.Contains(f.Missing, "Insights") {
		t.Errorf("insights %+v", f)
	}
	if f := feature(d, FeatureInstagram); !f.OK || !strings.Contains(f.Note, Label("instagram_manage_messages")) {
		t.Errorf("instagram without DMs %+v", f)
	}
	if !reflect.DeepEqual(d.MissingPermissions, []string{"pages_manage_posts", "read_insights"}) || !reflect.DeepEqual(d.MissingTasks, []string{"ANALYZE", "MESSAGING"}) {
		t.Errorf("missing %v %v", d.MissingPermissions, d.MissingTasks)
	}

	o = healthy()
	o.InstagramLinked, o.WebhooksSubscribed = ptr(false), ptr(false)
	o.Tasks = []string{"CREATE_CONTENT", "ANALYZE"}
	d = Diagnose(o)
	if f := feature(d, FeatureInstagram); f.OK || !strings.Contains(f.Missing, "linked Instagram account") {
		t.Errorf("instagram %+v", f)
	}
	if f := feature(d, FeatureWebhooks); f.OK || !strings.Contains(f.Missing, "webhook subscription") {
		t.Errorf("webhooks %+v", f)
	}
	if f := feature(d, FeatureMessenger); f.OK || f.Missing != "the Page task Messages" {
		t.Errorf("messenger %+v", f)
	}

	// Unchecked things are not held against the Page.
	o = healthy()
	o.Granted, o.PageToken, o.UserToken, o.Tasks, o.InstagramLinked, o.WebhooksSubscribed = nil, nil, nil, nil, nil, nil
	d = Diagnose(o)
	if d.Status != Valid {
		t.Errorf("nothing known but a working probe: %s/%s", d.Status, d.Reason)
	}
	// Scopes come from the Page token when Granted is not given.
	o = healthy()
	o.Granted = nil
	o.PageToken.Scopes = []string{"pages_show_list"}
	if d := Diagnose(o); d.Reason != PermissionMissing {
		t.Errorf("Page token scopes: %s", d.Reason)
	}

	// Only wanted features raise warnings.
	o = healthy()
	o.Wanted = []string{FeaturePublishing}
	o.Granted = []string{"pages_manage_posts", "pages_read_engagement"}
	o.Tasks = []string{"CREATE_CONTENT"}
	o.WebhooksSubscribed = ptr(false)
	d = Diagnose(o)
	if d.Status != Valid || feature(d, FeatureMessenger).OK {
		t.Errorf("unwanted features: %s/%s", d.Status, d.Reason)
	}
	// Instagram counts only for a Page that had one.
	o = healthy()
	o.HadInstagram, o.InstagramLinked = false, ptr(false)
	if d := Diagnose(o); d.Status != Valid {
		t.Errorf("never had Instagram: %s/%s", d.Status, d.Reason)
	}

	if !reflect.DeepEqual(FeatureNames, []string{"publishing", "messenger", "insights", "instagram", "webhooks"}) {
		t.Errorf("FeatureNames %v", FeatureNames)
	}
	for _, n := range FeatureNames {
		if FeatureLabel(n) == n {
			t.Errorf("no label for %s", n)
		}
	}
	if got := MissingTasks([]string{"MODERATE"}); !reflect.DeepEqual(got, []string{"ANALYZE", "CREATE_CONTENT", "MESSAGING"}) {
		t.Errorf("MissingTasks = %v", got)
	}
	if got := MissingTasks(allTasks); len(got) != 0 {
		t.Errorf("MissingTasks(all) = %v", got)
	}
}

func TestInGrant(t *testing.T) {
	info, err := graph.ParseDebugToken(200, sample(t, "23-debug-token-user-expires-0-granular-scopes.json"))
	if err != nil {
		t.Fatal(err)
	}
	if g := InGrant(&info, "104518538110000"); g == nil || !*g {
		t.Error("granted Page not found")
	}
	if g := InGrant(&info, "999"); g == nil || *g {
		t.Error("Page outside the grant reported in it")
	}
	user, _ := graph.ParseDebugToken(200, sample(t, "22-debug-token-user-long-lived-valid.json"))
	if InGrant(&user, "1") != nil || InGrant(nil, "1") != nil {
		t.Error("no targets must mean unknown")
	}
}

func TestMergeKeepsLastConfirmed(t *testing.T) {
	unknown := Diagnosis{Status: Unknown, Reason: Unreachable}
	cases := []struct {
		prev   Status
		reason Reason
		next   Diagnosis
		want   Status
		wantR  Reason
	}{
		{Invalid, PasswordChanged, unknown, Invalid, PasswordChanged},
		{Valid, ReasonNone, unknown, Valid, ReasonNone},
		{Warning, ExpiringSoon, Diagnosis{Status: Unknown, Reason: RateLimited}, Warning, ExpiringSoon},
		{"", ReasonNone, unknown, Unknown, Unreachable},
		{Unknown, Unreachable, Diagnosis{Status: Unknown, Reason: RateLimited}, Unknown, RateLimited},
		{Invalid, PasswordChanged, Diagnosis{Status: Valid}, Valid, ReasonNone},
		{Valid, ReasonNone, Diagnosis{Status: Invalid, Reason: SessionExpired}, Invalid, SessionExpired},
		{Valid, ReasonNone, Diagnosis{Status: Disconnected}, Disconnected, ReasonNone},
	}
	for _, tc := range cases {
		s, r := Merge(tc.prev, tc.reason, tc.next)
		if s != tc.want || r != tc.wantR {
			t.Errorf("Merge(%s/%s, %s/%s) = %s/%s, want %s/%s", tc.prev, tc.reason, tc.next.Status, tc.next.Reason, s, r, tc.want, tc.wantR)
		}
	}
	// Through Diagnose: a network failure after an invalid verdict keeps invalid.
	o := healthy()
	o.Probe = &graph.UnavailableError{Op: "GET /77", Cause: errors.New("connection reset")}
	if s, r := Merge(Invalid, PasswordChanged, Diagnose(o)); s != Invalid || r != PasswordChanged {
		t.Errorf("kept %s/%s", s, r)
	}
}

func BenchmarkDiagnose(b *testing.B) {
	o := healthy()
	o.Tasks = []string{"MODERATE"}
	for b.Loop() {
		if Diagnose(o).Status != Warning {
			b.Fatal("unexpected")
		}
	}
}
