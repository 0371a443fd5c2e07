package health

import (
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

func TestZZExplore(t *testing.T) {
	bodies := []struct {
		st   int
		body string
	}{
		{400, "\ufeff" + `{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}`},
		{200, "\ufeff" + `{"id":"77","name":"Corner Bakery"}`},
		{400, `{"error":{"message":"(#341) Application limit reached","type":"OAuthException","code":341}}`},
		{400, `{"error":{"message":"(#368) The action attempted has been deemed abusive or is otherwise disallowed","type":"OAuthException","code":368}}`},
		{400, `{"error":{"message":"(#3) Application does not have the capability to make this API call.","type":"OAuthException","code":3}}`},
		{400, `{"error":{"message":"(#10) Application does not have permission for this action","type":"OAuthException","code":10}}`},
		{400, `{"error":{"message":"(#12) singular statuses API is deprecated for versions v2.4 and higher","type":"OAuthException","code":12}}`},
		{400, `{"error":{"message":"Invalid OAuth access token signature.","type":"OAuthException","code":190}}`},
		{400, `{"error":{"message":"Malformed access token","type":"OAuthException","code":190}}`},
		{400, `{"error":{"message":"(#200) Permissions error","type":"OAuthException","code":200}}`},
		{400, `{"error":{"message":"(#299) ...","type":"OAuthException","code":299}}`},
		{400, `{"error":{"message":"The access token could not be decrypted","type":"OAuthException","code":190}}`},
		{400, `{"error":{"message":"Error validating access token: The user is enrolled in a blocking, logged-in checkpoint","type":"OAuthException","code":190,"error_subcode":490}}`},
		{400, `{"error":{"message":"(#100) Pages Public Content Access requires either app secret proof or an app token","type":"OAuthException","code":100}}`},
		{400, `{"error":{"message":"Invalid appsecret_proof provided in the API argument","type":"GraphMethodException","code":100}}`},
		{400, `{"error":{"message":"(#100) The parameter appsecret_proof is required","type":"OAuthException","code":100}}`},
		{400, `{"error":{"message":"API calls from the server require an appsecret_proof argument","type":"GraphMethodException","code":100}}`},
		{400, `{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","is_transient":true,"code":4}}`},
		{400, `{"error":{"message":"(#32) Page request limit reached","type":"OAuthException","code":32}}`},
		{400, `{"error":{"message":"(#80001) There have been too many calls to this Page account.","type":"OAuthException","code":80001}}`},
		{400, `{"error":{"message":"Error validating access token: The session is invalid because the user logged out.","type":"OAuthException","code":190,"error_subcode":467}}`},
		{400, `{"error":{"message":"(#190) This Page access token belongs to a Page that has been deleted.","type":"OAuthException","code":190}}`},
		{400, `{"error":{"message":"(#100) Tried accessing nonexisting field (instagram_business_account) on node type (User)","type":"OAuthException","code":100}}`},
		{400, `{"error":{"message":"Unsupported get request. Object with ID '77' does not exist, cannot be loaded due to missing permissions, or does not support this operation.","type":"GraphMethodException","code":100,"error_subcode":33}}`},
		{400, `{"error":{"message":"(#200) Requires pages_read_engagement permission to manage the object","type":"OAuthException","code":200}}`},
		{400, `{"error":{"message":"(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content Access' feature.","type":"OAuthException","code":10}}`},
		{400, `{"error":{"message":"(#283) Requires extended permission: pages_messaging","type":"OAuthException","code":283}}`},
		{400, `{"error":{"message":"Error validating application. Application has been deleted.","type":"OAuthException","code":190}}`},
		{400, `{"error":{"message":"Error validating access token: User 123 has not authorized application 456.","type":"OAuthException","code":190}}`},
		{400, `{"error":{"message":"(#2) Service temporarily unavailable","type":"OAuthException","is_transient":true,"code":2}}`},
		{500, `<html><body>Sorry, something went wrong.</body></html>`},
		{500, `{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","is_transient":true,"code":2}}`},
		{400, `{"error":{"message":"(#17) User request limit reached","type":"OAuthException","is_transient":true,"code":17,"error_subcode":2446079}}`},
		{403, `{"error":{"message":"(#190) The user must be an administrator, editor, or moderator of the page in order to impersonate it.","type":"OAuthException","code":190,"error_subcode":492}}`},
		{400, `{"error":{"message":"Error validating access token: Sessions for the user  are not allowed because the user is not a confirmed user.","type":"OAuthException","code":190,"error_subcode":464}}`},
		{400, `{"error":{"message":"Error validating access token: The user has not logged into this app in a while (90 days).","type":"OAuthException","code":190,"error_subcode":493}}`},
		{400, `{"error":{"message":"(#102) Session key invalid or no longer valid","type":"OAuthException","code":102}}`},
		{400, `{"error":{"message":"(#1) An unknown error occurred","type":"OAuthException","code":1,"error_subcode":99}}`},
		{400, `{"error":{"message":"(#100) Param fields must be non-empty","type":"OAuthException","code":100}}`},
		{400, `{"error":{"message":"This Page is not available right now","type":"OAuthException","code":100,"error_subcode":1504027}}`},
		{400, `{"error":{"message":"(#230) Requires pages_messaging permission to manage the object","type":"OAuthException","code":230}}`},
		{400, `{"error":{"message":"(#613) Calls to this api have exceeded the rate limit.","type":"OAuthException","code":613}}`},
		{400, `{"error":{"message":"(#190) Error validating access token: The session has been invalidated because the user changed their password.","type":"OAuthException","code":"190","error_subcode":"460"}}`},
		{400, `{"error":{"message":"Error validating access token: Session does not match current stored session. This may be because the user changed the password since the time the session was created or Facebook has changed the session for security reasons.","type":"OAuthException","code":190,"error_subcode":460}}`},
		{400, `{"error":{"message":"An access token is required to request this resource.","type":"OAuthException","code":104}}`},
		{400, `{"error":{"message":"(#506) Duplicate status message","type":"OAuthException","code":506}}`},
		{200, `{"id":"77","name":"Corner Bakery","error":null}`},
		{200, `{"data":[]}`},
		{200, `null`},
		{200, `{"id":"77","name":"Corner Bakery","instagram_business_account":null}`},
	}
	for _, b := range bodies {
		d := probeWith(t, b.st, b.body)
		s := b.body
		if len(s) > 110 {
			s = s[:110]
		}
		t.Logf("%-8s %-22s %-18s | %d %s", d.Status, d.Reason, d.AppIssue, b.st, s)
	}
}

func TestZZDebug(t *testing.T) {
	bodies := []string{
		`{"data":{"app_id":"1","type":"USER","is_valid":true,"expires_at":0,"data_access_expires_at":1000,"scopes":["pages_show_list"],"user_id":"5"}}`,
		`{"data":{"app_id":"1","type":"USER","is_valid":"true","expires_at":0,"scopes":["pages_show_list"],"user_id":"5"}}`,
		`{"data":{"app_id":"1","type":"USER","is_valid":false,"error":{"code":2,"message":"Service temporarily unavailable"},"scopes":[]}}`,
		`{"data":{"app_id":"1","type":"USER","is_valid":false,"error":{"code":190,"message":"Error validating access token: The session has been invalidated because the user changed their password.","subcode":460},"scopes":[]}}`,
		`{"data":{"app_id":"1","type":"USER","is_valid":true,"expires_at":"0","scopes":null,"granular_scopes":[{"scope":"pages_show_list"}],"user_id":5}}`,
		`{"data":{"is_valid":true,"granular_scopes":null,"scopes":["pages_show_list"]}}`,
		`{"data":{"is_valid":true,"granular_scopes":[{"scope":"pages_show_list","target_ids":null}],"scopes":["pages_show_list"]}}`,
		`{"data":{"is_valid":true,"granular_scopes":[{"scope":"pages_show_list","target_ids":[88]}],"scopes":["pages_show_list"]}}`,
		`{"data":{"is_valid":1,"scopes":["pages_show_list"]}}`,
		`{"data":{"is_valid":false}}`,
	}
	for _, b := range bodies {
		info, err := graph.ParseDebugToken(200, []byte(b))
		if err != nil {
			t.Logf("%-60.60s => err %v", b, err)
			continue
		}
		o := healthy()
		o.UserToken = &info
		o.InGrant = InGrant(&info, o.PageID)
		d := Diagnose(o)
		p := Diagnose(Observation{PersonName: "Dana", UserToken: &info, Now: now, Wanted: []string{}})
		t.Logf("%-60.60s => page %s/%s person %s/%s", b, d.Status, d.Reason, p.Status, p.Reason)
	}
}
