package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMeAccountsShapeAndPortfolioPage(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	r := e.get("/v25.0/me/accounts", user, "fields", "access_token,category,category_list,name,id,tasks,instagram_business_account{id,username}")
	m := wantOK(t, r)
	got := ids(t, m)
	// Every Dana Page but the Business Portfolio one, in seed order.
	want := []string{PageBakery, PageCatering, PageCafe, PageEastside, PageClasses, PageJobs}
	if !slices.Equal(got, want) {
		t.Fatalf("accounts %v, want %v", got, want)
	}
	first := m["data"].([]any)[0].(map[string]any)
	for _, k := range []string{"access_token", "category", "category_list", "name", "id", "tasks", "instagram_business_account"} {
		if first[k] == nil {
			t.Errorf("accounts entry lacks %s: %v", k, first)
		}
	}
	ig := first["instagram_business_account"].(map[string]any)
	if ig["id"] != IGBakery || ig["username"] != "harborstreetbakery" {
		t.Fatalf("ig: %v", ig)
	}
	if !strings.Contains(string(r.body), `"category_list":[{"id":"2203","name":"Bakery"}]`) {
		t.Fatalf("category_list shape: %s", r.body)
	}
	// Facebook escapes slashes.
	if strings.Contains(string(r.body), "https://") {
		t.Fatalf("unescaped slashes: %s", r.body)
	}
	// The Portfolio Page is in granular_scopes but not in /me/accounts.
	d := e.debug(user)
	var showList []any
	for _, g := range d["granular_scopes"].([]any) {
		if gm := g.(map[string]any); gm["scope"] == "pages_show_list" {
			showList = gm["target_ids"].([]any)
		}
		if gm := g.(map[string]any); gm["scope"] == "business_management" && fmt.Sprint(gm["target_ids"]) != "["+BusinessID+"]" {
			t.Errorf("business_management targets: %v", gm)
		}
		if gm := g.(map[string]any); gm["scope"] == "instagram_basic" && fmt.Sprint(gm["target_ids"]) != "["+IGBakery+" "+IGCafe+"]" {
			t.Errorf("instagram_basic targets: %v", gm)
		}
	}
	if !slices.Contains(showList, any(PageWholesale)) || len(showList) != 7 {
		t.Fatalf("pages_show_list targets: %v", showList)
	}
	// ...and reachable by id with the user token.
	pt := e.pageToken(user, PageWholesale)
	if d := e.debug(pt); d["type"] != "PAGE" || d["profile_id"] != PageWholesale || d["expires_at"] != float64(0) {
		t.Fatalf("portfolio page token: %v", d)
	}
}

func TestMeAccountsPaging(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	var all []string
	r := e.get("/v25.0/me/accounts", user, "limit", "4", "fields", "id,name")
	for range 5 {
		m := wantOK(t, r)
		all = append(all, ids(t, m)...)
		paging := m["paging"].(map[string]any)
		cur := paging["cursors"].(map[string]any)
		data := m["data"].([]any)
		if cur["after"] != cursor(data[len(data)-1].(map[string]any)["id"].(string)) {
			t.Fatalf("after cursor %v", cur)
		}
		next, ok := paging["next"].(string)
		if !ok {
			break
		}
		resp, err := http.Get(next)
		if err != nil {
			t.Fatal(err)
		}
		var body []byte
		body = make([]byte, 0)
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			body = append(body, buf[:n]...)
			if err != nil {
				break
			}
		}
		resp.Body.Close()
		r = reply{resp.StatusCode, resp.Header, body}
	}
	if len(all) != 6 || all[4] != PageClasses {
		t.Fatalf("paged ids %v", all)
	}
	// The cursor is base64 of the Page id, as in sample 30.
	if cursor(PageBakery) != "MTA0NTE4NTM4MTEwMDAx" {
		t.Fatalf("cursor %s", cursor(PageBakery))
	}
}

func TestAccountsNeedPagesShowListAndTasksDiffer(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{Untick: []string{"pages_show_list"}})
	if m := wantOK(t, e.get("/v25.0/me/accounts", user)); len(m["data"].([]any)) != 0 {
		t.Fatalf("accounts without pages_show_list: %v", m)
	}
	sam := e.connect(ConsentChoice{Persona: SamID})
	m := wantOK(t, e.get("/v25.0/me/accounts", sam))
	if got := ids(t, m); !slices.Equal(got, []string{PageBakery, PageCafe, PageJobs}) {
		t.Fatalf("sam accounts: %v", got)
	}
	cafe := m["data"].([]any)[1].(map[string]any)
	if fmt.Sprint(cafe["tasks"]) != "[ANALYZE ADVERTISE]" {
		t.Fatalf("sam cafe tasks: %v", cafe["tasks"])
	}
}

func TestPageNodeWithUserAndPageTokens(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	m := wantOK(t, e.get("/v25.0/"+PageCafe, user, "fields", "access_token,tasks"))
	if m["access_token"] == nil || m["tasks"] == nil || m["id"] != nil {
		t.Fatalf("user token page fields: %v", m)
	}
	pt := m["access_token"].(string)
	// Same token on every call, like Facebook.
	if again := e.pageToken(user, PageCafe); again != pt {
		t.Fatal("page token changed between calls")
	}
	r := e.get("/v25.0/"+PageCafe, pt, "fields", "id,name,instagram_business_account")
	m = wantOK(t, r)
	if m["id"] != PageCafe || m["name"] != "Little Harbor Café" || m["instagram_business_account"].(map[string]any)["id"] != IGCafe {
		t.Fatalf("page token fields: %v", m)
	}
	// Sample 32's exact shape.
	r = e.get("/v25.0/"+PageCafe, pt, "fields", "instagram_business_account")
	if string(r.body) != `{"instagram_business_account":{"id":"`+IGCafe+`"}}` && string(r.body) != `{"instagram_business_account":{"id":"`+IGCafe+`"},"id":"`+PageCafe+`"}` {
		t.Fatalf("ig shape: %s", r.body)
	}
	// /me with a Page token is the Page.
	if m := wantOK(t, e.get("/v25.0/me", pt)); m["id"] != PageCafe {
		t.Fatalf("/me with page token: %v", m)
	}
	// A Page without IG has no field; unknown field is #100; unknown id is GraphMethodException.
	if m := wantOK(t, e.get("/v25.0/"+PageCatering, e.pageToken(user, PageCatering), "fields", "instagram_business_account")); m["instagram_business_account"] != nil {
		t.Fatalf("no-IG page: %v", m)
	}
	wantErr(t, e.get("/v25.0/"+PageCafe, pt, "fields", "id,colour"), 400, 100, 0)
	r = e.get("/v25.0/999", pt)
	wantErr(t, r, 400, 100, 0)
	if r.json(t)["error"].(map[string]any)["type"] != "GraphMethodException" {
		t.Fatalf("unknown id: %s", r.body)
	}
	// Sam has no role on the Catering Page: no access_token.
	sam := e.connect(ConsentChoice{Persona: SamID})
	if m := wantOK(t, e.get("/v25.0/"+PageCatering, sam, "fields", "id,access_token")); m["access_token"] != nil {
		t.Fatalf("sam got a token for a page without role: %v", m)
	}
}

func TestSubscribedApps(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	pt := e.pageToken(user, PageClasses)
	m := wantOK(t, e.get("/v25.0/"+PageClasses+"/subscribed_apps", pt))
	if len(m["data"].([]any)) != 0 {
		t.Fatalf("classes should start unsubscribed: %v", m)
	}
	r := e.do("POST", "/v25.0/"+PageClasses+"/subscribed_apps", url.Values{"access_token": {pt}, "subscribed_fields": {"messages,feed"}})
	if r.status != 200 || string(r.body) != `{"success":"true"}` {
		t.Fatalf("subscribe: %d %s", r.status, r.body)
	}
	m = wantOK(t, e.get("/v25.0/"+PageClasses+"/subscribed_apps", pt))
	app := m["data"].([]any)[0].(map[string]any)
	if app["id"] != e.id || fmt.Sprint(app["subscribed_fields"]) != "[messages feed]" || app["name"] == nil || app["link"] == nil || app["category"] == nil {
		t.Fatalf("subscribed app: %v", app)
	}
	r = e.do("DELETE", "/v25.0/"+PageClasses+"/subscribed_apps", url.Values{"access_token": {pt}})
	if r.status != 200 || !strings.Contains(string(r.body), `"success":true`) {
		t.Fatalf("unsubscribe: %s", r.body)
	}
	// A user token is refused; so is a Page token of someone without the tasks.
	wantErr(t, e.get("/v25.0/"+PageClasses+"/subscribed_apps", user), 400, 210, 0)
	wantErr(t, e.get("/v25.0/"+PageJobs+"/subscribed_apps", e.pageToken(user, PageJobs)), 400, 200, 0)
	wantErr(t, e.do("POST", "/v25.0/"+PageClasses+"/subscribed_apps", url.Values{"access_token": {pt}}), 400, 100, 0)
	// An unknown field is refused whole; a JSON array is a list too.
	wantErr(t, e.do("POST", "/v25.0/"+PageClasses+"/subscribed_apps", url.Values{"access_token": {pt}, "subscribed_fields": {"feed,bogus"}}), 400, 100, 0)
	if m := wantOK(t, e.get("/v25.0/"+PageClasses+"/subscribed_apps", pt)); len(m["data"].([]any)) != 0 {
		t.Fatalf("a refused subscription subscribed: %v", m)
	}
	r = e.do("POST", "/v25.0/"+PageClasses+"/subscribed_apps", url.Values{"access_token": {pt}, "subscribed_fields": {`["feed","messages"]`}})
	if r.status != 200 {
		t.Fatalf("subscribe with a JSON array: %d %s", r.status, r.body)
	}
}

func TestDebugTokenShapes(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	d := e.debug(user)
	for _, k := range []string{"app_id", "type", "application", "data_access_expires_at", "expires_at", "is_valid", "issued_at", "scopes", "granular_scopes", "user_id"} {
		if _, ok := d[k]; !ok {
			t.Errorf("USER debug lacks %s: %v", k, d)
		}
	}
	if d["type"] != "USER" || d["user_id"] != DanaID || d["is_valid"] != true || d["data_access_expires_at"] != float64(t0.Add(DataAccessTTL).Unix()) {
		t.Fatalf("user debug: %v", d)
	}
	for _, g := range d["granular_scopes"].([]any) {
		if g.(map[string]any)["scope"] == "public_profile" {
			t.Fatal("public_profile in granular_scopes")
		}
	}
	pd := e.debug(e.pageToken(user, PageBakery))
	if pd["type"] != "PAGE" || pd["profile_id"] != PageBakery || pd["expires_at"] != float64(0) || pd["is_valid"] != true {
		t.Fatalf("page debug: %v", pd)
	}
	// Page token from a short-lived user token expires with it (sample 24).
	short := e.exchange(e.login(ConsentChoice{}, nil, pageScopes...))
	spd := e.debug(e.pageToken(short, PageBakery))
	if spd["expires_at"] != float64(t0.Add(time.Hour).Unix()) || spd["issued_at"] != nil {
		t.Fatalf("short page debug: %v", spd)
	}
	// Garbage: sample 28's shape.
	r := e.get("/v25.0/debug_token", e.id+"|"+e.sc, "input_token", "garbage")
	if r.status != 200 || string(r.body) != `{"data":{"error":{"code":190,"message":"Invalid OAuth access token - Cannot parse access token"},"is_valid":false,"scopes":[]}}` {
		t.Fatalf("garbage debug: %s", r.body)
	}
	// Dana (app admin) may inspect with her own token; Sam (tester) may not.
	if r := e.get("/v25.0/debug_token", user, "input_token", user); r.status != 200 {
		t.Fatalf("admin self-debug: %s", r.body)
	}
	sam := e.connect(ConsentChoice{Persona: SamID})
	wantErr(t, e.get("/v25.0/debug_token", sam, "input_token", sam), 400, 100, 0)
	wantErr(t, e.get("/v25.0/debug_token", e.id+"|"+e.sc), 400, 100, 0)
	// Invalid token: 200, is_valid false, data.error with "subcode".
	e.apply(Scenario{Kind: PasswordChanged, Persona: DanaID})
	r = e.get("/v25.0/debug_token", e.id+"|"+e.sc, "input_token", user)
	d = wantOK(t, r)["data"].(map[string]any)
	de := d["error"].(map[string]any)
	if d["is_valid"] != false || de["code"] != float64(190) || de["subcode"] != float64(460) || de["error_subcode"] != nil {
		t.Fatalf("invalid debug: %s", r.body)
	}
}

func TestErrorModelAndHeaders(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	e.apply(Scenario{Kind: PasswordChanged, Persona: DanaID})
	r := e.get("/v25.0/me", user)
	wantErr(t, r, 400, 190, 460)
	er := r.json(t)["error"].(map[string]any)
	if er["type"] != "OAuthException" || er["fbtrace_id"] == "" || !strings.Contains(er["message"].(string), "changed their password") {
		t.Fatalf("error body: %s", r.body)
	}
	if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), `OAuth "Facebook Platform" "invalid_token"`) || r.header.Get("Facebook-API-Version") != "v25.0" {
		t.Fatalf("headers: %v", r.header)
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("content type %q", r.header.Get("Content-Type"))
	}
	wantErr(t, e.get("/v25.0/me", ""), 400, 2500, 0)
	wantErr(t, e.get("/v24.0/me", "nonsense"), 400, 190, 0)
}

func TestAppSecretProof(t *testing.T) {
	e := newEnv(t, Options{RequireAppSecretProof: true})
	user := e.connect(ConsentChoice{})
	r := e.get("/v25.0/me", user)
	wantErr(t, r, 400, 100, 0)
	if !strings.Contains(string(r.body), "appsecret_proof") {
		t.Fatalf("missing proof: %s", r.body)
	}
	wantErr(t, e.get("/v25.0/me", user, "appsecret_proof", strings.Repeat("0", 64)), 400, 100, 0)
	wantOK(t, e.get("/v25.0/me", user, "appsecret_proof", appSecretProof(e.sc, user)))
	// App tokens need no proof.
	wantOK(t, e.get("/v25.0/debug_token", e.id+"|"+e.sc, "input_token", user))
	// Optional mode still verifies a proof that is sent.
	o := newEnv(t, Options{})
	u2 := o.connect(ConsentChoice{})
	wantOK(t, o.get("/v25.0/me", u2))
	wantErr(t, o.get("/v25.0/me", u2, "appsecret_proof", "bad"), 400, 100, 0)
}

func TestBatch(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	pt := e.pageToken(user, PageBakery)
	items := []map[string]string{
		{"method": "GET", "relative_url": "me?fields=id,name"},
		{"method": "GET", "relative_url": "2"},
		{"method": "GET", "relative_url": PageBakery + "?fields=id,name&access_token=" + pt},
		{"method": "GET", "relative_url": "v25.0/me/accounts?limit=1"},
	}
	b, _ := json.Marshal(items)
	r := e.do("POST", "/v25.0/", url.Values{"access_token": {user}, "batch": {string(b)}})
	if r.status != 200 {
		t.Fatalf("batch: %d %s", r.status, r.body)
	}
	var out []struct {
		Code    int `json:"code"`
		Headers []struct{ Name, Value string }
		Body    string `json:"body"`
	}
	if err := json.Unmarshal(r.body, &out); err != nil || len(out) != 4 {
		t.Fatalf("batch body: %v %s", err, r.body)
	}
	if out[0].Code != 200 || !strings.Contains(out[0].Body, DanaID) || out[1].Code != 400 || !strings.Contains(out[1].Body, "GraphMethodException") ||
		out[2].Code != 200 || !strings.Contains(out[2].Body, "Harbor Street Bakery") || out[3].Code != 200 {
		t.Fatalf("batch results: %+v", out)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(out[0].Body), &body); err != nil {
		t.Fatalf("item body is not a JSON string: %v", err)
	}
	names := map[string]bool{}
	for _, h := range out[2].Headers {
		names[h.Name] = true
	}
	if !names["X-Business-Use-Case-Usage"] || !names["Content-Type"] {
		t.Fatalf("page item headers: %+v", out[2].Headers)
	}
	// Each item counts separately: 3 user-token items (plus the earlier calls).
	before := e.s.State().Usage.UserCalls[DanaID]
	r = e.do("POST", "/v25.0/", url.Values{"access_token": {user}, "batch": {string(b)}, "include_headers": {"false"}})
	if strings.Contains(string(r.body), `"headers"`) {
		t.Fatalf("include_headers=false kept headers: %s", r.body)
	}
	if after := e.s.State().Usage.UserCalls[DanaID]; after != before+3 {
		t.Fatalf("user calls %d -> %d", before, after)
	}
	// At most 50.
	many := make([]map[string]string, 51)
	for i := range many {
		many[i] = map[string]string{"method": "GET", "relative_url": "me"}
	}
	b, _ = json.Marshal(many)
	r = e.do("POST", "/v25.0/", url.Values{"access_token": {user}, "batch": {string(b)}})
	wantErr(t, r, 400, 1, 0)
	if !strings.Contains(string(r.body), "Maximum batch size is 50") || !strings.Contains(string(r.body), "GraphBatchException") {
		t.Fatalf("over 50: %s", r.body)
	}
	wantErr(t, e.do("POST", "/v25.0/", url.Values{"access_token": {user}, "batch": {"{not json"}}), 400, 100, 0)
}

func TestPermissionsEndpoint(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	pt := e.pageToken(user, PageBakery)
	r := e.do("DELETE", "/v25.0/me/permissions/instagram_basic", url.Values{"access_token": {user}})
	if r.status != 200 || string(r.body) != "true" {
		t.Fatalf("delete one: %d %s", r.status, r.body)
	}
	if !hasPerm(wantOK(t, e.get("/v25.0/me/permissions", user)), "instagram_basic", "declined") {
		t.Fatal("revoked permission not declined")
	}
	// The app token can read a user's permissions by id.
	if !hasPerm(wantOK(t, e.get("/v25.0/"+DanaID+"/permissions", e.id+"|"+e.sc)), "pages_show_list", "granted") {
		t.Fatal("app token permissions")
	}
	r = e.do("DELETE", "/v25.0/me/permissions", url.Values{"access_token": {user}})
	if r.status != 200 || string(r.body) != "true" {
		t.Fatalf("delete all: %s", r.body)
	}
	wantErr(t, e.get("/v25.0/me", user), 400, 190, 466)
	wantErr(t, e.get("/v25.0/me", pt), 400, 190, 458)
	// A new login works again.
	fresh := e.connect(ConsentChoice{})
	wantOK(t, e.get("/v25.0/me", fresh))
}
