package health

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

// Issue 10's answer shapes, from the body Facebook sent to the diagnosis.
// The bodies are this test's own vectors, written from Meta's documentation
// and the shapes described in the issue.

// probeWith diagnoses a healthy Page whose probe got body with status, read
// the way the monitor reads a batch item.
func probeWith(t *testing.T, status int, body string) Diagnosis {
	t.Helper()
	o := healthy()
	_, err := graph.BatchResponse{Code: status, Body: []byte(body)}.DecodePage(o.PageID)
	o.Probe = err
	return Diagnose(o)
}

func TestShape2NotThePageIsNoConfirmation(t *testing.T) {
	cases := []struct {
		name   string
		body   string
		status Status
		reason Reason
	}{
		{"no id", `{"name":"Corner Bakery"}`, Unknown, UnexpectedAnswer},
		{"another id", `{"id":"78","name":"Other Bakery"}`, Unknown, UnexpectedAnswer},
		{"bare false", `false`, Unknown, UnexpectedAnswer},
		{"error object in a 200 body", `{"error":{"message":"Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.","type":"OAuthException","code":190,"error_subcode":460}}`, Invalid, PasswordChanged},
		{"transient error in a 200 body", `{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","is_transient":true,"code":2}}`, Unknown, UnexpectedAnswer},
		{"legacy error_code/error_msg", `{"error_code":190,"error_msg":"Error validating access token: Session has expired on Friday, 06-Mar-26 04:00:00 PST. The current time is Friday, 06-Mar-26 05:00:00 PST."}`, Invalid, SessionExpired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := probeWith(t, 200, tc.body)
			if d.Status != tc.status || d.Reason != tc.reason {
				t.Fatalf("got %s/%s, want %s/%s", d.Status, d.Reason, tc.status, tc.reason)
			}
			if d.Status == Valid || (d.Status == Unknown && d.Definitive) {
				t.Error("counted as a confirmation")
			}
		})
	}
	// Unknown never overwrites what was last confirmed.
	if st, r := Merge(Invalid, PasswordChanged, probeWith(t, 200, `{"id":"78"}`)); st != Invalid || r != PasswordChanged {
		t.Errorf("merge: %s/%s", st, r)
	}
}

func TestShape3DoesNotExistIsGone(t *testing.T) {
	for _, body := range []string{
		`{"error":{"message":"Unsupported get request. Object with ID '77' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https:\/\/developers.facebook.com\/docs\/graph-api","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"AbC"}}`,
		`{"error":{"message":"(#33) This object does not exist or does not support this action","type":"OAuthException","code":33,"fbtrace_id":"AbD"}}`,
		`{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":"100","subcode":"33"}}`,
		`{"error":{"message":"Error validating access token: The access token belongs to a Page that has been deleted.","type":"OAuthException","code":190}}`,
	} {
		d := probeWith(t, 400, body)
		if d.Status != Invalid || d.Reason != PageGone || !d.Definitive {
			t.Errorf("%s: %s/%s", body, d.Status, d.Reason)
		}
		if !strings.Contains(d.Summary, "Corner Bakery") || !strings.Contains(d.Fix, "Disconnect") {
			t.Errorf("words: %q / %q", d.Summary, d.Fix)
		}
	}
	// A bad parameter (code 100 without "does not exist") is not a verdict on the Page.
	if d := probeWith(t, 400, `{"error":{"message":"(#100) Tried accessing nonexisting field (foo) on node type (Page)","type":"OAuthException","code":100}}`); d.Status != Unknown || d.Reason != UnexpectedAnswer {
		t.Errorf("bad parameter: %s/%s", d.Status, d.Reason)
	}
}

func TestShape4NamedPermission(t *testing.T) {
	cases := []struct {
		body string
		want []string
	}{
		{`{"error":{"message":"(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content Access' feature. Refer to https:\/\/developers.facebook.com\/docs\/apps\/review\/login-permissions#manage-pages for details.","type":"OAuthException","code":10}}`,
			[]string{"pages_read_engagement"}},
		// The generic "does not exist ... due to missing permissions" plus a named permission: the permission wins.
		{`{"error":{"message":"(#100) Object with ID '77' does not exist, cannot be loaded due to missing permissions, or does not support this operation. This endpoint requires the 'pages_read_engagement' permission.","type":"OAuthException","code":100,"error_subcode":33}}`,
			[]string{"pages_read_engagement"}},
		{`{"error":{"message":"(#200) Requires pages_read_engagement permission to manage the object","type":"OAuthException","code":200}}`,
			[]string{"pages_read_engagement"}},
		// A 190 that names permissions is a grant problem, not a dead login.
		{`{"error":{"message":"Any of the pages_read_engagement, pages_manage_metadata, pages_read_user_content, pages_manage_ads, pages_show_list or pages_messaging permission(s) must be granted before impersonating a user's page.","type":"OAuthException","code":190,"error_subcode":145}}`,
			[]string{"pages_read_engagement", "pages_manage_metadata", "pages_read_user_content", "pages_manage_ads", "pages_show_list", "pages_messaging"}},
	}
	for _, tc := range cases {
		d := probeWith(t, 400, tc.body)
		if d.Status != Invalid || d.Reason != PermissionMissing || !reflect.DeepEqual(d.MissingPermissions, tc.want) {
			t.Errorf("%s:\n got %s/%s %v", tc.body, d.Status, d.Reason, d.MissingPermissions)
			continue
		}
		if !strings.Contains(d.Summary, Label(tc.want[0])) || strings.Contains(d.Fix, "admin") {
			t.Errorf("words: %q / %q", d.Summary, d.Fix)
		}
	}
	// "missing permissions" without a name is still permission_missing, not role_lost.
	if d := probeWith(t, 400, `{"error":{"message":"(#100) Missing permissions","type":"OAuthException","code":100}}`); d.Reason != PermissionMissing || d.Status != Invalid {
		t.Errorf("unnamed: %s/%s", d.Status, d.Reason)
	}
}

func TestShape5EveryCheckpoint(t *testing.T) {
	for _, body := range []string{
		`{"error":{"message":"Error validating access token: The user is enrolled in a blocking, logged-in checkpoint","type":"OAuthException","code":190,"error_data":{"checkpoint_flow_id":"1501092823525282","checkpoint_content_id":"0"},"error_subcode":490,"fbtrace_id":"AKERFEK61iI"}}`,
		`{"error":{"message":"You cannot access the app till you log in to www.facebook.com and follow the instructions given.","type":"OAuthException","code":190,"error_subcode":459}}`,
		`{"error":{"message":"Error validating access token: The user is enrolled in a checkpoint","type":"OAuthException","code":"190","subcode":"491"}}`,
		`{"error_code":190,"error_msg":"Error validating access token: The user is enrolled in a blocking, logged-in checkpoint"}`,
	} {
		d := probeWith(t, 400, body)
		if d.Status != Invalid || d.Reason != AccountCheckpointed {
			t.Errorf("%s: %s/%s", body, d.Status, d.Reason)
		}
	}
	// On the person's user token (debug_token's data.error) too, with the Page token alive.
	info, err := graph.ParseDebugToken(200, []byte(`{"data":{"is_valid":false,"error":{"code":190,"message":"Error validating access token: The user is enrolled in a blocking, logged-in checkpoint","subcode":490}}}`))
	if err != nil {
		t.Fatal(err)
	}
	o := healthy()
	o.UserToken = &info
	if d := Diagnose(o); d.Status != Warning || d.Reason != AccountCheckpointed {
		t.Errorf("user token: %s/%s", d.Status, d.Reason)
	}
}

func TestShape6MetaAppProblem(t *testing.T) {
	cases := []struct {
		name  string
		body  string
		issue graph.AppIssue
		words string // the exact App Dashboard setting
	}{
		{"proof required", `{"error":{"message":"API calls from the server require an appsecret_proof argument","type":"GraphMethodException","code":100,"fbtrace_id":"A1"}}`, graph.AppProofRequired, "App settings > Advanced > Security"},
		{"secret reset", `{"error":{"message":"Invalid appsecret_proof provided in the API argument","type":"GraphMethodException","code":100,"fbtrace_id":"A2"}}`, graph.AppSecretMismatch, "App settings > Basic"},
		{"not live", `{"error":{"message":"App Not Setup: This app is still in development mode, and you don't have access to it. Switch to a registered test user or ask an app admin for permissions.","type":"OAuthException","code":200}}`, graph.AppNotLive, "App roles > Roles"},
		{"deleted", `{"error":{"message":"Error validating application. Application has been deleted.","type":"OAuthException","code":101}}`, graph.AppUnknown, "App ID"},
		{"invalid id as 190", `{"error":{"message":"Error validating application. Invalid application ID.","type":"OAuthException","code":190}}`, graph.AppUnknown, "App ID"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := probeWith(t, 400, tc.body)
			if d.Status != Unknown || d.Reason != MetaAppProblem || d.AppIssue != tc.issue || d.Definitive {
				t.Fatalf("got %s/%s %q", d.Status, d.Reason, d.AppIssue)
			}
			if !strings.Contains(d.Fix, tc.words) || !strings.Contains(d.Fix, "App Dashboard") {
				t.Errorf("fix %q lacks %q", d.Fix, tc.words)
			}
			if strings.Contains(d.Summary, "could not reach") {
				t.Errorf("summary %q", d.Summary)
			}
		})
	}
	// The app token refused for the whole batch (the secret was reset): every
	// Page gets the error, and none of them is "token invalid".
	e := graph.ParseError(400, []byte(`{"error":{"message":"Invalid OAuth access token signature.","type":"OAuthException","code":190}}`))
	e.ViaAppToken = true
	o := healthy()
	o.Probe = e
	if d := Diagnose(o); d.Reason != MetaAppProblem || d.AppIssue != graph.AppSecretMismatch || d.Status != Unknown {
		t.Errorf("app token refused: %s/%s", d.Status, d.Reason)
	}
	// Unknown keeps the Page's last confirmed state.
	if st, r := Merge(Valid, ReasonNone, Diagnose(o)); st != Valid || r != ReasonNone {
		t.Errorf("merge: %s/%s", st, r)
	}
	// One error explained on its own (a login that could not finish).
	if s, f, ok := AppProblem(fmt.Errorf("connect: %w", graph.ParseError(400, []byte(cases[1].body)))); !ok || !strings.Contains(s, "App Secret") || !strings.Contains(f, "App settings > Basic") {
		t.Errorf("AppProblem: %v %q / %q", ok, s, f)
	}
	if _, _, ok := AppProblem(dead(190, 460, "")); ok {
		t.Error("a dead token is not an app problem")
	}
	// Stored reasons are explained without the issue too.
	if s, f := Explain(string(MetaAppProblem), "Dana", ""); !strings.Contains(s, "Meta app") || !strings.Contains(f, "App Dashboard") {
		t.Errorf("Explain: %q / %q", s, f)
	}
}

func TestShape7AnswerArrivedIsNeverUnreachable(t *testing.T) {
	cases := []struct {
		status int
		body   string
		reason Reason
	}{
		{400, `{"error":{"message":"Error validating access token: Session has expired","code":"190","error_subcode":"463","error_data":"{\"x\":1}"}}`, SessionExpired},
		{400, `{"error":{"message":"m","code":190,"subcode":460,"error_data":[1,2]}}`, PasswordChanged},
		{400, `{"error":{"message":"The user must be an administrator, editor, or moderator of the page in order to impersonate it.","code":190,"error_data":{"a":"b"}}}`, RoleLost},
		{400, `{"error":"invalid_request","error_description":"Unsupported request"}`, UnexpectedAnswer},
		{400, `{"error_code":1,"error_message":"An unknown error occurred"}`, UnexpectedAnswer},
		{500, `<!DOCTYPE html><html><body>Sorry, something went wrong.</body></html>`, UnexpectedAnswer},
		{200, `{"id":"77","name":"Corner`, UnexpectedAnswer},
	}
	for _, tc := range cases {
		d := probeWith(t, tc.status, tc.body)
		if d.Reason != tc.reason {
			t.Errorf("%d %s: %s/%s, want %s", tc.status, tc.body, d.Status, d.Reason, tc.reason)
		}
		if strings.Contains(strings.ToLower(d.Summary), "could not reach") {
			t.Errorf("%s: %q", tc.body, d.Summary)
		}
	}
	// A batch item Facebook left null: the batch arrived.
	o0 := healthy()
	_, o0.Probe = graph.BatchResponse{}.DecodePage(o0.PageID)
	if d := Diagnose(o0); d.Reason != UnexpectedAnswer {
		t.Errorf("null batch item: %s", d.Reason)
	}
	// Only a call that got no answer is "could not reach".
	o := healthy()
	o.Probe = &graph.UnavailableError{Op: "batch item", Cause: errTimeout{}}
	if d := Diagnose(o); d.Reason != Unreachable || !strings.Contains(d.Summary, "could not reach") {
		t.Errorf("no answer: %s %q", d.Reason, d.Summary)
	}
}

type errTimeout struct{}

func (errTimeout) Error() string { return "i/o timeout" }

// TestMessengerNeedsMessagingTask: Messenger works only with pages_messaging
// and the MESSAGING task (FACEBOOK.md §7); MODERATE alone is not enough.
func TestMessengerNeedsMessagingTask(t *testing.T) {
	messenger := func(d Diagnosis) Feature {
		for _, f := range d.Features {
			if f.Name == FeatureMessenger {
				return f
			}
		}
		t.Fatal("no messenger feature")
		return Feature{}
	}
	o := healthy()
	o.Tasks = []string{"ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"}
	d := Diagnose(o)
	if f := messenger(d); f.OK || !strings.Contains(f.Missing, "Messages") {
		t.Errorf("MODERATE without MESSAGING: %+v", f)
	}
	if d.Status != Warning || d.Reason != TaskMissing || !reflect.DeepEqual(d.MissingTasks, []string{"MESSAGING"}) {
		t.Errorf("got %s/%s %v", d.Status, d.Reason, d.MissingTasks)
	}
	if !strings.Contains(d.Summary, "Messages") {
		t.Errorf("summary %q", d.Summary)
	}

	o.Tasks = []string{"MESSAGING"}
	o.Wanted = []string{FeatureMessenger}
	if d := Diagnose(o); !messenger(d).OK || d.Status != Valid {
		t.Errorf("MESSAGING alone: %s/%s %+v", d.Status, d.Reason, messenger(d))
	}

	o = healthy()
	o.Granted = []string{"pages_show_list", "pages_manage_posts", "pages_read_engagement", "read_insights", "instagram_basic", "pages_manage_metadata"}
	if d := Diagnose(o); messenger(d).OK || d.Reason != PermissionMissing || !reflect.DeepEqual(d.MissingPermissions, []string{"pages_messaging"}) {
		t.Errorf("MESSAGING without pages_messaging: %s %v %+v", d.Reason, d.MissingPermissions, messenger(d))
	}
}
