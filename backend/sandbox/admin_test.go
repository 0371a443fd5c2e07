package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func (e *env) admin(method, path, body string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.s.URL()+"/__sandbox/"+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		e.t.Fatalf("admin %s %s: %s", method, path, b)
	}
	return resp.StatusCode, m
}

func TestAdminEndpoint(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	// Every scenario kind can be switched on and off over HTTP.
	for _, body := range []string{
		`{"kind":"password_changed","persona":"` + DanaID + `"}`,
		`{"kind":"role_removed","persona":"` + DanaID + `","page":"` + PageBakery + `"}`,
		`{"kind":"task_removed","persona":"` + DanaID + `","page":"` + PageBakery + `","task":"MODERATE"}`,
		`{"kind":"latency","duration":"1ms","rate":0.5}`,
	} {
		if code, m := e.admin("POST", "scenarios", body); code != 200 || len(m["active"].([]any)) != 1 {
			t.Fatalf("POST %s: %d %v", body, code, m)
		}
		if body[9:17] == "password" {
			wantErr(t, e.get("/v25.0/me", user), 400, 190, 460)
		}
		if code, m := e.admin("DELETE", "scenarios", body); code != 200 || len(m["active"].([]any)) != 0 {
			t.Fatalf("DELETE %s: %d %v", body, code, m)
		}
	}
	wantOK(t, e.get("/v25.0/me", user))
	// Bad input: a clear error, nothing changed.
	for _, body := range []string{`{"kind":"nope"}`, `{"kind":"stall","duration":"soon"}`, `not json`, `{"kind":"password_changed"}`} {
		if code, m := e.admin("POST", "scenarios", body); code != 400 || m["error"] == "" {
			t.Fatalf("bad %s: %d %v", body, code, m)
		}
	}
	if code, _ := e.admin("DELETE", "scenarios", `{"kind":"checkpointed","persona":"`+DanaID+`"}`); code != 400 {
		t.Fatal("clearing an inactive scenario should fail")
	}
	// DELETE without a body switches everything off.
	e.admin("POST", "scenarios", `{"kind":"checkpointed","persona":"`+DanaID+`"}`)
	e.admin("POST", "scenarios", `{"kind":"transient","count":3}`)
	if _, m := e.admin("DELETE", "scenarios", ""); len(m["active"].([]any)) != 0 {
		t.Fatalf("clear all: %v", m)
	}
	// Kinds list for the Simulate panel.
	_, m := e.admin("GET", "scenarios", "")
	if len(m["kinds"].([]any)) != len(ScenarioKinds()) {
		t.Fatalf("kinds %v", m["kinds"])
	}
	// Clock: 1 hour 1 second later the 60-day token still works, the state
	// shows the new time; set jumps to a date.
	_, m = e.admin("POST", "clock/advance", `{"duration":"1h"}`)
	if m["unix"] != "1772445600" {
		t.Fatalf("advance: %v", m)
	}
	if code, _ := e.admin("POST", "clock/advance", `{"duration":"a while"}`); code != 400 {
		t.Fatal("bad duration accepted")
	}
	_, m = e.admin("POST", "clock/set", `{"time":"`+t0.Add(LongLivedTTL).Format(time.RFC3339)+`"}`)
	wantErr(t, e.get("/v25.0/me", user), 400, 190, 463)
	// State: personas, grants, usage, and no token or secret anywhere.
	code, st := e.admin("GET", "state", "")
	raw, _ := json.Marshal(st)
	if code != 200 || strings.Contains(string(raw), e.sc) || strings.Contains(string(raw), user) {
		t.Fatalf("state leaks: %s", raw)
	}
	ps := st["personas"].([]any)[0].(map[string]any)
	if ps["name"] != "Dana Whitfield" || ps["grant"].(map[string]any)["permissions"].(map[string]any)["pages_show_list"] != "granted" {
		t.Fatalf("state persona %v", ps)
	}
	if code, _ := e.admin("GET", "nothing", ""); code != 404 {
		t.Fatal("unknown admin path")
	}
	// Reset: back to the seed, the old token is gone.
	e.admin("POST", "reset", "")
	wantErr(t, e.get("/v25.0/me", user), 400, 190, 0)
}
