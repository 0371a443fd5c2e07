package sandbox

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// on switches a shape fault on over the admin endpoint, as a test of another
// package or the demo would, and off again at the end of the test.
func (e *env) on(t *testing.T, body string) {
	t.Helper()
	if code, m := e.admin("POST", "scenarios", body); code != 200 {
		t.Fatalf("POST %s: %d %v", body, code, m)
	}
	t.Cleanup(func() { e.s.ClearAll() })
}

func errorObject(t *testing.T, r reply) map[string]any {
	t.Helper()
	m := r.json(t)
	e, ok := m["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %s", r.body)
	}
	return e
}

func TestShapeProbeNotPage(t *testing.T) {
	e := newEnv(t, Options{})
	pt := e.pageToken(e.connect(ConsentChoice{}), PageBakery)
	probe := func() reply { return e.get("/v25.0/"+PageBakery, pt, "fields", "id,name") }

	e.on(t, `{"kind":"probe_not_page","page":"`+PageBakery+`"}`)
	m := wantOK(t, probe())
	if _, has := m["id"]; has || m["name"] != "Harbor Street Bakery" {
		t.Errorf("no_id: %v", m)
	}
	e.s.ClearAll()

	e.on(t, `{"kind":"probe_not_page","variant":"other_id"}`)
	if m := wantOK(t, probe()); m["id"] == PageBakery || m["id"] == nil {
		t.Errorf("other_id: %v", m)
	}
	e.s.ClearAll()

	e.on(t, `{"kind":"probe_not_page","variant":"error_in_200"}`)
	r := probe()
	if r.status != 200 {
		t.Fatalf("error_in_200: HTTP %d", r.status)
	}
	if c, s := r.errCodes(t); c != 190 || s != 460 {
		t.Errorf("error_in_200: %s", r.body)
	}
	e.s.ClearAll()

	e.on(t, `{"kind":"probe_not_page","variant":"legacy_error","count":1}`)
	m = wantOK(t, probe())
	if m["error_code"] != float64(190) || !strings.Contains(m["error_msg"].(string), "password") || m["error"] != nil {
		t.Errorf("legacy_error: %v", m)
	}
	// count 1: the next read is the Page again.
	if m := wantOK(t, probe()); m["id"] != PageBakery {
		t.Errorf("after the count ran out: %v", m)
	}

	// Aimed at another Page, it leaves this one alone.
	e.on(t, `{"kind":"probe_not_page","page":"`+PageCafe+`"}`)
	if m := wantOK(t, probe()); m["id"] != PageBakery {
		t.Errorf("other Page's fault hit: %v", m)
	}
}

func TestShapePageDeletedAndPermissionNamed(t *testing.T) {
	e := newEnv(t, Options{})
	pt := e.pageToken(e.connect(ConsentChoice{}), PageBakery)
	probe := func() reply { return e.get("/v25.0/"+PageBakery, pt, "fields", "id,name") }

	e.on(t, `{"kind":"page_deleted","page":"`+PageBakery+`"}`)
	r := probe()
	wantErr(t, r, 400, 100, 33)
	if eo := errorObject(t, r); eo["type"] != "GraphMethodException" || !strings.Contains(eo["message"].(string), "'"+PageBakery+"' does not exist") {
		t.Errorf("100/33: %s", r.body)
	}
	e.s.ClearAll()
	e.on(t, `{"kind":"page_deleted","code":33}`)
	wantErr(t, probe(), 400, 33, 0)
	e.s.ClearAll()

	e.on(t, `{"kind":"permission_named","permission":"pages_read_engagement"}`)
	r = probe()
	wantErr(t, r, 400, 10, 0)
	if !strings.Contains(string(r.body), "requires the 'pages_read_engagement' permission") {
		t.Errorf("code 10: %s", r.body)
	}
	e.s.ClearAll()
	e.on(t, `{"kind":"permission_named","permission":"pages_read_engagement","code":100}`)
	r = probe()
	wantErr(t, r, 400, 100, 33)
	if !strings.Contains(string(r.body), "does not exist") || !strings.Contains(string(r.body), "'pages_read_engagement'") {
		t.Errorf("code 100: %s", r.body)
	}
	// Bad input: a clear error, nothing switched on.
	for _, body := range []string{`{"kind":"permission_named"}`, `{"kind":"page_deleted","code":7}`, `{"kind":"page_deleted","variant":"x"}`} {
		if code, m := e.admin("POST", "scenarios", body); code != 400 || m["error"] == "" {
			t.Errorf("%s: %d %v", body, code, m)
		}
	}
}

func TestShapeCheckpointBlocking(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	pt := e.pageToken(user, PageBakery)
	e.on(t, `{"kind":"checkpoint_blocking","persona":"`+DanaID+`"}`)
	for _, r := range []reply{e.get("/v25.0/me", user), e.get("/v25.0/"+PageBakery, pt)} {
		wantErr(t, r, 400, 190, 490)
		if d, ok := errorObject(t, r)["error_data"].(map[string]any); !ok || d["checkpoint_flow_id"] == nil {
			t.Errorf("error_data: %s", r.body)
		}
	}
	// debug_token with the app token still answers.
	if d := e.debug(user); d["is_valid"] != true {
		t.Errorf("debug_token: %v", d)
	}
	e.s.ClearAll()
	e.on(t, `{"kind":"checkpoint_blocking","persona":"`+SamID+`"}`)
	wantOK(t, e.get("/v25.0/me", user))
}

func TestShapeMetaApp(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	proof := appSecretProof(e.sc, user)
	withProof := func(path string) reply {
		return e.get(path, user, "appsecret_proof", proof)
	}
	batch := func() reply {
		return e.do("POST", "/v25.0/", url.Values{"access_token": {e.id + "|" + e.sc}, "include_headers": {"false"},
			"batch": {`[{"method":"GET","relative_url":"me?access_token=` + user + `"}]`}})
	}
	exchange := func() reply {
		return e.get("/v25.0/oauth/access_token", "", "grant_type", "fb_exchange_token", "client_id", e.id,
			"client_secret", e.sc, "fb_exchange_token", user)
	}

	e.on(t, `{"kind":"meta_app","variant":"proof_required"}`)
	r := e.get("/v25.0/me", user)
	wantErr(t, r, 400, 100, 0)
	if !strings.Contains(string(r.body), "require an appsecret_proof argument") {
		t.Errorf("proof_required: %s", r.body)
	}
	e.s.ClearAll()

	e.on(t, `{"kind":"meta_app","variant":"secret_reset"}`)
	r = withProof("/v25.0/me")
	wantErr(t, r, 400, 100, 0)
	if !strings.Contains(string(r.body), "Invalid appsecret_proof") {
		t.Errorf("secret_reset, proof: %s", r.body)
	}
	wantErr(t, e.get("/v25.0/debug_token", e.id+"|"+e.sc, "input_token", user), 400, 190, 0)
	wantErr(t, batch(), 400, 190, 0)
	r = exchange()
	wantErr(t, r, 400, 1, 0)
	if !strings.Contains(string(r.body), "client secret") {
		t.Errorf("secret_reset, exchange: %s", r.body)
	}
	e.s.ClearAll()

	e.on(t, `{"kind":"meta_app","variant":"not_live","persona":"`+DanaID+`"}`)
	r = e.get("/v25.0/me", user)
	wantErr(t, r, 400, 190, 0)
	if !strings.Contains(string(r.body), "development mode") {
		t.Errorf("not_live: %s", r.body)
	}
	e.s.ClearAll()

	e.on(t, `{"kind":"meta_app","variant":"deleted"}`)
	for _, r := range []reply{e.get("/v25.0/me", user), batch(), exchange()} {
		wantErr(t, r, 400, 101, 0)
		if !strings.Contains(string(r.body), "Application has been deleted") {
			t.Errorf("deleted: %s", r.body)
		}
	}
	e.s.ClearAll()
	wantOK(t, withProof("/v25.0/me"))
	if r := batch(); r.status != 200 {
		t.Errorf("batch after clearing: %d %s", r.status, r.body)
	}
	// No variant: the first one, secret_reset.
	e.on(t, `{"kind":"meta_app"}`)
	wantErr(t, withProof("/v25.0/me"), 400, 100, 0)
	e.s.ClearAll()
	if code, m := e.admin("POST", "scenarios", `{"kind":"meta_app","variant":"gone"}`); code != 400 || !strings.Contains(m["error"].(string), "secret_reset") {
		t.Errorf("meta_app with an unknown variant: %d %v", code, m)
	}
	// The admin endpoint lists the variants.
	_, m := e.admin("GET", "scenarios", "")
	found := false
	for _, k := range m["kinds"].([]any) {
		ki := k.(map[string]any)
		if ki["kind"] == "meta_app" {
			vs, _ := ki["variants"].([]any)
			found = len(vs) == 4 && vs[0] == "secret_reset" && ki["fault"] == true
		}
	}
	if !found {
		t.Errorf("GET scenarios does not list meta_app's variants: %v", m["kinds"])
	}
}

func TestShapeErrorSpellings(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	e.apply(Scenario{Kind: PasswordChanged, Persona: DanaID})
	raw := func(r reply) map[string]json.RawMessage {
		t.Helper()
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r.body, &m); err != nil {
			t.Fatalf("%s: %v", r.body, err)
		}
		return m
	}
	inner := func(r reply) map[string]json.RawMessage {
		t.Helper()
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw(r)["error"], &m); err != nil {
			t.Fatalf("%s: %v", r.body, err)
		}
		return m
	}

	e.on(t, `{"kind":"error_shape","variant":"code_string"}`)
	r := e.get("/v25.0/me", user)
	in := inner(r)
	if r.status != 400 || string(in["code"]) != `"190"` || string(in["error_subcode"]) != `"460"` || in["error_data"][0] != '"' {
		t.Errorf("code_string: %s", r.body)
	}
	e.s.ClearAll()
	e.apply(Scenario{Kind: PasswordChanged, Persona: DanaID})

	e.on(t, `{"kind":"error_shape","variant":"subcode_renamed"}`)
	in = inner(e.get("/v25.0/me", user))
	if string(in["subcode"]) != "460" || in["error_subcode"] != nil || in["error_data"][0] != '[' {
		t.Errorf("subcode_renamed: %v", in)
	}
	e.s.ClearAll()
	e.apply(Scenario{Kind: PasswordChanged, Persona: DanaID})

	e.on(t, `{"kind":"error_shape","variant":"subcode_missing"}`)
	in = inner(e.get("/v25.0/me", user))
	if in["error_subcode"] != nil || in["subcode"] != nil || string(in["code"]) != "190" || in["error_data"][0] != '{' {
		t.Errorf("subcode_missing: %v", in)
	}
	e.s.ClearAll()
	e.apply(Scenario{Kind: PasswordChanged, Persona: DanaID})

	e.on(t, `{"kind":"error_shape","variant":"legacy"}`)
	top := raw(e.get("/v25.0/me", user))
	if string(top["error_code"]) != "190" || top["error_msg"] == nil || top["error"] != nil {
		t.Errorf("legacy: %v", top)
	}
	e.s.ClearAll()

	// The token endpoint's forms; Graph calls keep theirs.
	badCode := func() reply {
		return e.get("/v25.0/oauth/access_token", "", "client_id", e.id, "client_secret", e.sc, "redirect_uri", testRedirect, "code", "nope")
	}
	e.on(t, `{"kind":"error_shape","variant":"oauth_error_string"}`)
	top = raw(badCode())
	if string(top["error"]) != `"invalid_grant"` && string(top["error"]) != `"invalid_request"` || top["error_description"] == nil {
		t.Errorf("oauth_error_string: %v", top)
	}
	e.apply(Scenario{Kind: PasswordChanged, Persona: DanaID})
	if in := inner(e.get("/v25.0/me", user)); string(in["code"]) != "190" {
		t.Errorf("a Graph call took the OAuth form: %v", in)
	}
	e.s.ClearAll()

	e.on(t, `{"kind":"error_shape","variant":"oauth_error_message"}`)
	top = raw(badCode())
	if top["error_code"] == nil || top["error_message"] == nil || top["error"] != nil {
		t.Errorf("oauth_error_message: %v", top)
	}
}
