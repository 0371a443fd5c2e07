package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Each scenario: switched on, the sandbox answers what Facebook answers;
// switched off, the tokens work again.
func TestTokenScenarios(t *testing.T) {
	cases := []struct {
		sc             Scenario
		userSub        int // subcode on /me with the user token (0: still works)
		pageSub        int // subcode with the Bakery Page token (0: still works)
		pageCode       int
		userDebugValid bool
	}{
		{Scenario{Kind: PasswordChanged, Persona: DanaID}, 460, 460, 190, false},
		{Scenario{Kind: AppRemoved, Persona: DanaID}, 458, 458, 190, false},
		{Scenario{Kind: Checkpointed, Persona: DanaID}, 459, 459, 190, false},
		{Scenario{Kind: Unconfirmed, Persona: DanaID}, 464, 464, 190, false},
		{Scenario{Kind: RoleRemoved, Persona: DanaID, Page: PageBakery}, 0, 492, 190, true},
		{Scenario{Kind: PageDeselected, Persona: DanaID, Page: PageBakery}, 0, 467, 190, true},
		{Scenario{Kind: UserTokenExpired, Persona: DanaID}, 463, 0, 0, false},
		{Scenario{Kind: DataAccessExpired, Persona: DanaID}, 493, 0, 0, true},
	}
	for _, c := range cases {
		t.Run(string(c.sc.Kind), func(t *testing.T) {
			e := newEnv(t, Options{})
			user := e.connect(ConsentChoice{})
			pt := e.pageToken(user, PageBakery)
			e.apply(c.sc)
			check := func(tok string, sub int) {
				t.Helper()
				r := e.get("/v25.0/me", tok)
				if sub == 0 {
					wantOK(t, r)
					return
				}
				wantErr(t, r, 400, 190, sub)
			}
			check(user, c.userSub)
			check(pt, c.pageSub)
			if d := e.debug(user); d["is_valid"] != c.userDebugValid {
				t.Fatalf("debug is_valid %v", d)
			}
			if c.pageSub != 0 {
				d := e.debug(pt)
				if d["is_valid"] != false || d["error"].(map[string]any)["subcode"] != float64(c.pageSub) {
					t.Fatalf("page debug %v", d)
				}
			}
			// Over HTTP the same scenario is listed as active.
			st := e.s.State()
			if len(st.Active) != 1 || st.Active[0].Kind != c.sc.Kind {
				t.Fatalf("active %v", st.Active)
			}
			e.clear(c.sc)
			check(user, 0)
			check(pt, 0)
			if err := e.s.Clear(c.sc); err == nil {
				t.Fatal("clearing twice should fail")
			}
		})
	}
}

func TestPasswordChangedThenNewLoginWorks(t *testing.T) {
	e := newEnv(t, Options{})
	old := e.connect(ConsentChoice{})
	oldPage := e.pageToken(old, PageCafe)
	sam := e.connect(ConsentChoice{Persona: SamID})
	e.apply(Scenario{Kind: PasswordChanged, Persona: DanaID})
	wantErr(t, e.get("/v25.0/"+PageCafe, oldPage, "fields", "id"), 400, 190, 460)
	wantOK(t, e.get("/v25.0/me", sam)) // only that person's tokens
	// Same second on a frozen clock: a fresh login still works.
	fresh := e.connect(ConsentChoice{})
	wantOK(t, e.get("/v25.0/me", fresh))
	wantOK(t, e.get("/v25.0/me", e.pageToken(fresh, PageCafe)))
	wantErr(t, e.get("/v25.0/me", old), 400, 190, 460)
}

func TestExpiriesWithClock(t *testing.T) {
	e := newEnv(t, Options{})
	short := e.exchange(e.login(ConsentChoice{}, nil, pageScopes...))
	shortPage := e.pageToken(short, PageBakery)
	long := e.longLived(short)
	longPage := e.pageToken(long, PageBakery)
	e.s.Clock().Advance(59 * time.Minute)
	wantOK(t, e.get("/v25.0/me", short))
	e.s.Clock().Advance(time.Minute)
	r := e.get("/v25.0/me", short)
	wantErr(t, r, 400, 190, 463)
	if !strings.Contains(string(r.body), "Session has expired on Monday, 02-Mar-26 02:00:00 PST. The current time is Monday, 02-Mar-26 02:00:00 PST.") {
		t.Fatalf("463 message: %s", r.body)
	}
	wantErr(t, e.get("/v25.0/me", shortPage), 400, 190, 463)
	wantOK(t, e.get("/v25.0/me", long))
	// 60 days: the long-lived user token expires, its Page token does not.
	e.s.Clock().Set(t0.Add(LongLivedTTL))
	wantErr(t, e.get("/v25.0/"+PageBakery, long, "fields", "access_token"), 400, 190, 463)
	wantOK(t, e.get("/v25.0/"+PageBakery, longPage, "fields", "id"))
	// 90 days: data access lapses. Page data still works (pages_* do not
	// expire [AVD]); profile and Instagram fail with 493.
	e.s.Clock().Set(t0.Add(DataAccessTTL))
	wantOK(t, e.get("/v25.0/"+PageBakery, longPage, "fields", "id,name"))
	wantErr(t, e.get("/v25.0/"+PageBakery, longPage, "fields", "instagram_business_account"), 400, 190, 493)
	// A plain re-login does not restore it; auth_type=reauthorize does.
	relog := e.exchange(e.login(ConsentChoice{}, nil, pageScopes...))
	wantErr(t, e.get("/v25.0/me", relog), 400, 190, 493)
	re := e.exchange(e.login(ConsentChoice{}, url.Values{"auth_type": {"reauthorize"}}, pageScopes...))
	wantOK(t, e.get("/v25.0/me", re))
	if d := e.debug(re); d["data_access_expires_at"] != float64(t0.Add(2*DataAccessTTL).Unix()) {
		t.Fatalf("reauthorized data access: %v", d)
	}
}

func TestRoleAndTaskAndPageScenarios(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	accounts := func() []string { return ids(t, wantOK(t, e.get("/v25.0/me/accounts", user, "fields", "id"))) }
	listed := func(id string) func() bool { return func() bool { return slices.Contains(accounts(), id) } }
	e.toggle(Scenario{Kind: RoleRemoved, Persona: DanaID, Page: PageCafe}, listed(PageCafe))
	// task_removed: MODERATE gone from a Page where it was the only
	// webhook-capable task left makes subscribed_apps fail.
	pt := e.pageToken(user, PageEastside)
	wantOK(t, e.get("/v25.0/"+PageEastside+"/subscribed_apps", pt))
	e.apply(Scenario{Kind: TaskRemoved, Persona: DanaID, Page: PageEastside, Task: TaskModerate})
	m := wantOK(t, e.get("/v25.0/"+PageEastside, user, "fields", "tasks"))
	if slices.Contains(m["tasks"].([]any), any(TaskModerate)) {
		t.Fatalf("task still there: %v", m)
	}
	wantErr(t, e.get("/v25.0/"+PageEastside+"/subscribed_apps", pt), 400, 200, 0)
	e.clear(Scenario{Kind: TaskRemoved, Persona: DanaID, Page: PageEastside, Task: TaskModerate})
	wantOK(t, e.get("/v25.0/"+PageEastside+"/subscribed_apps", pt))
	// permission_declined
	e.apply(Scenario{Kind: PermissionDeclined, Persona: DanaID, Permission: "pages_manage_metadata"})
	if !hasPerm(wantOK(t, e.get("/v25.0/me/permissions", user)), "pages_manage_metadata", "declined") {
		t.Fatal("not declined")
	}
	if d := e.debug(user); slices.Contains(d["scopes"].([]any), any("pages_manage_metadata")) {
		t.Fatalf("declined permission still in scopes: %v", d["scopes"])
	}
	wantErr(t, e.get("/v25.0/"+PageEastside+"/subscribed_apps", pt), 400, 200, 0)
	e.clear(Scenario{Kind: PermissionDeclined, Persona: DanaID, Permission: "pages_manage_metadata"})
	wantOK(t, e.get("/v25.0/"+PageEastside+"/subscribed_apps", pt))
	// page_deselected: leaves /me/accounts.
	e.toggle(Scenario{Kind: PageDeselected, Persona: DanaID, Page: PageJobs}, listed(PageJobs))
	// webhooks_unsubscribed and instagram_unlinked
	bpt := e.pageToken(user, PageBakery)
	e.toggle(Scenario{Kind: WebhooksUnsubscribed, Page: PageBakery}, func() bool {
		return len(wantOK(t, e.get("/v25.0/"+PageBakery+"/subscribed_apps", bpt))["data"].([]any)) == 1
	})
	e.toggle(Scenario{Kind: InstagramUnlinked, Page: PageBakery}, func() bool {
		return wantOK(t, e.get("/v25.0/"+PageBakery, bpt, "fields", "instagram_business_account"))["instagram_business_account"] != nil
	})
}

func TestPageUntickedAtLaterLogin(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	cafe := e.pageToken(user, PageCafe)
	bakery := e.pageToken(user, PageBakery)
	// Later login with "Edit previous settings": the Café is unticked.
	pages := []string{PageBakery, PageCatering, PageEastside, PageClasses, PageJobs, PageWholesale}
	again := e.exchange(e.login(ConsentChoice{EditSettings: true, Pages: pages}, nil, pageScopes...))
	wantErr(t, e.get("/v25.0/"+PageCafe, cafe, "fields", "id"), 400, 190, 467)
	wantOK(t, e.get("/v25.0/"+PageBakery, bakery, "fields", "id"))
	if slices.Contains(ids(t, wantOK(t, e.get("/v25.0/me/accounts", again))), PageCafe) {
		t.Fatal("unticked page still listed")
	}
	// Ticking it again gives a new working token; the old one stays dead.
	third := e.exchange(e.login(ConsentChoice{EditSettings: true, Pages: append(pages, PageCafe)}, nil, pageScopes...))
	wantOK(t, e.get("/v25.0/"+PageCafe, e.pageToken(third, PageCafe), "fields", "id"))
	wantErr(t, e.get("/v25.0/"+PageCafe, cafe, "fields", "id"), 400, 190, 467)
}

func TestCheckpointedPersonaCannotLogIn(t *testing.T) {
	e := newEnv(t, Options{})
	e.apply(Scenario{Kind: Checkpointed, Persona: SamID})
	_, err := e.s.Consent(context.Background(), e.dialog("s", nil, "pages_show_list"), ConsentChoice{Persona: SamID})
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("checkpointed login: %v", err)
	}
	e.clear(Scenario{Kind: Checkpointed, Persona: SamID})
	e.login(ConsentChoice{Persona: SamID}, nil, "pages_show_list")
}

func TestScenarioValidation(t *testing.T) {
	e := newEnv(t, Options{})
	bad := []Scenario{
		{Kind: "meteor_strike"},
		{Kind: PasswordChanged},
		{Kind: PasswordChanged, Persona: "nobody"},
		{Kind: RoleRemoved, Persona: SamID, Page: PageCatering}, // Sam has no role there
		{Kind: AppRemoved, Persona: DanaID},                     // no grant yet
		{Kind: Latency},                                         // no duration
		{Kind: Transient, Rate: 1.5},
		{Kind: Transient, Code: 3},
		{Kind: WebhooksUnsubscribed, Page: PageClasses}, // not subscribed
		{Kind: InstagramUnlinked, Page: PageJobs},       // no IG
	}
	for _, sc := range bad {
		if err := e.s.Apply(sc); err == nil {
			t.Errorf("%+v accepted", sc)
		}
	}
	if len(e.s.Active()) != 0 {
		t.Fatalf("bad input changed state: %v", e.s.Active())
	}
	kinds := ScenarioKinds()
	for _, k := range []Kind{PasswordChanged, AppRemoved, Checkpointed, Unconfirmed, RoleRemoved, TaskRemoved, PermissionDeclined, PageDeselected,
		WebhooksUnsubscribed, InstagramUnlinked, UserTokenExpired, DataAccessExpired, Transient, HTML500, TruncatedJSON, Stall, Latency, QuotaExhausted} {
		if !slices.ContainsFunc(kinds, func(ki KindInfo) bool { return ki.Kind == k && ki.Description != "" }) {
			t.Errorf("kind %s missing from ScenarioKinds", k)
		}
	}
}

func TestQuotas(t *testing.T) {
	e := newEnv(t, Options{CallsPerUserPerHour: 5, PageCallsPerDay: 4})
	user := e.connect(ConsentChoice{})
	pt := e.pageToken(user, PageBakery) // user call 1
	for i := 2; i <= 5; i++ {
		r := e.get("/v25.0/me", user)
		wantOK(t, r)
		if want := `{"call_count":` + itoa(i*100/5) + `,"total_cputime":` + itoa(i*100/5) + `,"total_time":` + itoa(i*100/5) + `}`; r.header.Get("X-App-Usage") != want {
			t.Fatalf("call %d X-App-Usage %q want %q", i, r.header.Get("X-App-Usage"), want)
		}
	}
	r := e.get("/v25.0/me", user)
	wantErr(t, r, 403, 17, 0)
	if r.json(t)["error"].(map[string]any)["is_transient"] != true {
		t.Fatalf("17 not transient: %s", r.body)
	}
	// Page-token calls use the Page's own counter (the user-token call that
	// fetched the Page token counted on it too).
	for i := 2; i <= 4; i++ {
		r := e.get("/v25.0/"+PageBakery, pt, "fields", "id")
		wantOK(t, r)
		if i == 4 && !strings.Contains(r.header.Get("X-Business-Use-Case-Usage"), `"`+PageBakery+`":[{"type":"pages","call_count":100,`) {
			t.Fatalf("BUC header %q", r.header.Get("X-Business-Use-Case-Usage"))
		}
	}
	r = e.get("/v25.0/"+PageBakery, pt, "fields", "id")
	wantErr(t, r, 403, 80001, 0)
	if !strings.Contains(r.header.Get("X-Business-Use-Case-Usage"), `"estimated_time_to_regain_access":1440`) {
		t.Fatalf("regain %q", r.header.Get("X-Business-Use-Case-Usage"))
	}
	// An hour later the user may call again; the Page still waits.
	e.s.Clock().Advance(time.Hour)
	wantOK(t, e.get("/v25.0/me", user))
	// A user-token call on the exhausted Page: 32.
	wantErr(t, e.get("/v25.0/"+PageBakery, user, "fields", "id"), 403, 32, 0)
	e.s.Clock().Advance(23 * time.Hour)
	wantOK(t, e.get("/v25.0/"+PageBakery, pt, "fields", "id"))
	// App token: quota = 5 * 1 user; exhaust through the scenario.
	e.apply(Scenario{Kind: QuotaExhausted})
	wantErr(t, e.get("/v25.0/debug_token", e.id+"|"+e.sc, "input_token", user), 403, 4, 0)
	e.clear(Scenario{Kind: QuotaExhausted})
	wantOK(t, e.get("/v25.0/debug_token", e.id+"|"+e.sc, "input_token", user))
	e.apply(Scenario{Kind: QuotaExhausted, Persona: DanaID})
	wantErr(t, e.get("/v25.0/me", user), 403, 17, 0)
	e.clear(Scenario{Kind: QuotaExhausted, Persona: DanaID})
	cafe := e.pageToken(user, PageCafe)
	e.apply(Scenario{Kind: QuotaExhausted, Page: PageCafe})
	wantErr(t, e.get("/v25.0/me", cafe), 403, 80001, 0)
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestFaults(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	e.apply(Scenario{Kind: Transient, Count: 2})
	for range 2 {
		r := e.get("/v25.0/me", user)
		wantErr(t, r, 500, 2, 0)
	}
	wantOK(t, e.get("/v25.0/me", user))
	e.apply(Scenario{Kind: Transient, Code: 1, Count: 1})
	wantErr(t, e.get("/v25.0/me", user), 500, 1, 0)

	e.apply(Scenario{Kind: HTML500, Count: 1})
	r := e.get("/v25.0/me", user)
	if r.status != 500 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "<html") {
		t.Fatalf("html_500: %d %s", r.status, r.body)
	}
	e.apply(Scenario{Kind: TruncatedJSON, Count: 1})
	r = e.get("/v25.0/me", user)
	if r.status != 200 || len(r.body) == 0 || strings.HasSuffix(string(r.body), "}") {
		t.Fatalf("truncated: %s", r.body)
	}
	var m map[string]any
	if err := jsonUnmarshal(r.body, &m); err == nil {
		t.Fatal("truncated JSON parsed")
	}
	// Latency delays; a stall ends when the client gives up.
	e.apply(Scenario{Kind: Latency, Duration: 150 * time.Millisecond, Count: 1})
	start := time.Now()
	wantOK(t, e.get("/v25.0/me", user))
	if time.Since(start) < 150*time.Millisecond {
		t.Fatal("latency not applied")
	}
	e.apply(Scenario{Kind: Stall, Count: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.s.URL()+"/v25.0/me?access_token="+url.QueryEscape(user), nil)
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("stall: %v", err)
	}
	wantOK(t, e.get("/v25.0/me", user))
	// A rate: roughly that share of calls fail (seeded, so stable).
	e.apply(Scenario{Kind: Transient, Rate: 0.5})
	fails := 0
	for range 100 {
		if e.get("/v25.0/me", user).status == 500 {
			fails++
		}
	}
	if fails < 30 || fails > 70 {
		t.Fatalf("rate 0.5 gave %d/100", fails)
	}
	e.clear(Scenario{Kind: Transient})
	// The dialog is never hit by faults.
	e.apply(Scenario{Kind: HTML500})
	e.login(ConsentChoice{}, nil, "pages_show_list")
	e.s.ClearAll()
	wantOK(t, e.get("/v25.0/me", user))
}

// toggle checks that sc makes present() false while on and true again once cleared.
func (e *env) toggle(sc Scenario, present func() bool) {
	e.t.Helper()
	if !present() {
		e.t.Fatalf("%s: not present before", describe(sc))
	}
	e.apply(sc)
	if present() {
		e.t.Fatalf("%s: still present while on", describe(sc))
	}
	e.clear(sc)
	if !present() {
		e.t.Fatalf("%s: not restored", describe(sc))
	}
}

// task_removed edits one role only: not the other Pages with the same task
// set, not a later server's seed.
func TestTaskRemovedTouchesOneRole(t *testing.T) {
	e := newEnv(t, Options{})
	user := e.connect(ConsentChoice{})
	e.apply(Scenario{Kind: TaskRemoved, Persona: DanaID, Page: PageBakery, Task: TaskAnalyze})
	tasks := func(s *env, page string) []any {
		return wantOK(t, s.get("/v25.0/"+page, user, "fields", "tasks"))["tasks"].([]any)
	}
	if slices.Contains(tasks(e, PageBakery), any(TaskAnalyze)) || !slices.Contains(tasks(e, PageCatering), any(TaskAnalyze)) {
		t.Fatalf("bakery %v catering %v", tasks(e, PageBakery), tasks(e, PageCatering))
	}
	other := newEnv(t, Options{})
	if got := other.s.State().Personas[0].Roles[PageBakery]; !slices.Equal(got, allTasks) || len(allTasks) != 6 {
		t.Fatalf("a new server's seed changed: %v (allTasks %v)", got, allTasks)
	}
}

// A Page entry without a Page token, in both shapes real Facebook sent:
// switched on over HTTP, /me/accounts (and the Page read for its token)
// leave access_token out or send it empty; the other Pages keep theirs;
// cleared, the token is back.
func TestTokenlessPage(t *testing.T) {
	for _, kind := range []Kind{PageTokenMissing, PageTokenEmpty} {
		t.Run(string(kind), func(t *testing.T) {
			e := newEnv(t, Options{})
			user := e.connect(ConsentChoice{})
			if code, m := e.admin("POST", "scenarios", `{"kind":"`+string(kind)+`","page":"`+PageCatering+`"}`); code != 200 {
				t.Fatalf("apply over HTTP: %d %v", code, m)
			}
			entry := func() (map[string]any, int) {
				t.Helper()
				m := wantOK(t, e.get("/v25.0/me/accounts", user, "fields", "id,name,access_token"))
				var found map[string]any
				withToken := 0
				for _, d := range m["data"].([]any) {
					p := d.(map[string]any)
					if p["id"] == PageCatering {
						found = p
					} else if tok, _ := p["access_token"].(string); tok != "" {
						withToken++
					}
				}
				if found == nil {
					t.Fatalf("Catering missing from /me/accounts: %v", m)
				}
				return found, withToken
			}
			p, others := entry()
			tok, present := p["access_token"]
			if kind == PageTokenMissing && present || kind == PageTokenEmpty && tok != "" {
				t.Fatalf("%s: entry %v", kind, p)
			}
			if others == 0 {
				t.Fatal("the other Pages lost their tokens too")
			}
			single := wantOK(t, e.get("/v25.0/"+PageCatering, user, "fields", "id,access_token"))
			if tok, _ := single["access_token"].(string); tok != "" {
				t.Fatalf("the Page read gives a token: %v", single)
			}
			e.admin("DELETE", "scenarios", "")
			if p, _ := entry(); p["access_token"] == nil || p["access_token"] == "" {
				t.Fatalf("cleared, still no token: %v", p)
			}
		})
	}
}
