package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestChaos mixes faults, scenarios, clock jumps and concurrent callers:
// every answer must still be one Facebook could give (JSON with data or a
// Graph error, an HTML 500, or a cut-off body while truncated_json is on),
// and the race detector must stay quiet.
func TestChaos(t *testing.T) {
	e := newEnv(t, Options{CallsPerUserPerHour: 100000, PageCallsPerDay: 100000})
	user := e.connect(ConsentChoice{})
	pt := e.pageToken(user, PageBakery)
	for _, f := range []Scenario{
		{Kind: Transient, Rate: 0.15},
		{Kind: HTML500, Rate: 0.1},
		{Kind: TruncatedJSON, Rate: 0.1},
		{Kind: Latency, Duration: time.Millisecond, Rate: 0.3},
	} {
		e.apply(f)
	}
	paths := []string{"/v25.0/me?access_token=" + url.QueryEscape(user), "/v25.0/me/accounts?access_token=" + url.QueryEscape(user),
		"/v25.0/" + PageBakery + "?fields=id,name,instagram_business_account&access_token=" + url.QueryEscape(pt),
		"/v25.0/debug_token?input_token=" + url.QueryEscape(pt) + "&access_token=" + url.QueryEscape(e.id+"|"+e.sc)}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // the world changes underneath
		defer wg.Done()
		scs := []Scenario{{Kind: PasswordChanged, Persona: DanaID}, {Kind: RoleRemoved, Persona: DanaID, Page: PageBakery},
			{Kind: InstagramUnlinked, Page: PageBakery}, {Kind: QuotaExhausted, Page: PageBakery}}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			sc := scs[i%len(scs)]
			_ = e.s.Apply(sc)
			e.s.Clock().Advance(time.Minute)
			_ = e.s.State()
			_ = e.s.Clear(sc)
		}
	}()
	var mu sync.Mutex
	kinds := map[string]int{}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				resp, err := http.Get(e.s.URL() + paths[(w+i)%len(paths)])
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				k := classify(resp, body)
				if k == "" {
					t.Errorf("unexpected answer %d %q", resp.StatusCode, body)
					return
				}
				mu.Lock()
				kinds[k]++
				mu.Unlock()
			}
		}(w)
	}
	time.Sleep(10 * time.Millisecond)
	// Let the callers finish, then stop the scenario churn.
	for {
		mu.Lock()
		n := 0
		for _, v := range kinds {
			n += v
		}
		mu.Unlock()
		if n >= 8*40 || t.Failed() {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	for _, k := range []string{"ok", "graph-error", "html", "truncated"} {
		if kinds[k] == 0 {
			t.Errorf("no %s answers in %v", k, kinds)
		}
	}
}

func classify(resp *http.Response, body []byte) string {
	if resp.StatusCode == 500 && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return "html"
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		if resp.StatusCode == 200 || resp.StatusCode >= 400 {
			return "truncated"
		}
		return ""
	}
	if e, ok := m["error"].(map[string]any); ok {
		if _, ok := e["code"].(float64); ok && resp.StatusCode >= 400 {
			return "graph-error"
		}
		return ""
	}
	if resp.StatusCode == 200 {
		return "ok"
	}
	return ""
}
