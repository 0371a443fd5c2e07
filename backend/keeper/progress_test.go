package keeper

import (
	"context"
	"sync"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

type emitted struct {
	mu     sync.Mutex
	events []any
	names  []string
}

func (e *emitted) emit(name string, data any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.names, e.events = append(e.names, name), append(e.events, data)
}

func (e *emitted) take() ([]string, []any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, d := e.names, e.events
	e.names, e.events = nil, nil
	return n, d
}

// After the browser said "connected", the window hears what happens next,
// with counts: reading the Pages, saving their access, checking them; a
// check never starts at "0 of 0".
func TestLoginAndCheckProgressHaveCounts(t *testing.T) {
	f := newFixture(t)
	rec := &emitted{}
	f.k.opts.Emit = rec.emit
	res := f.connectAllPages()
	n := len(res.Candidates)
	names, data := rec.take()
	var steps []LoginProgress
	firstCheck := CheckState{}
	for i, name := range names {
		switch name {
		case EventLoginProgress:
			steps = append(steps, data[i].(LoginProgress))
		case EventCheckProgress:
			if c := data[i].(CheckState); c.Running && firstCheck.LastStarted == "" {
				firstCheck = c
			}
		}
	}
	if len(steps) != 2 || steps[0].Step != "reading" || steps[1] != (LoginProgress{Mode: "connect", Step: "saving", Total: n}) {
		t.Fatalf("connect progress: %+v", steps)
	}
	if firstCheck.Total != n || n == 0 {
		t.Fatalf("the check after connecting %d Pages started at %d of %d", n, firstCheck.Done, firstCheck.Total)
	}

	f.login(LoginRequest{Reauthorize: true, ProfileID: sandbox.DanaID}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	names, data = rec.take()
	var order []string
	for i, name := range names {
		switch name {
		case EventLoginProgress:
			p := data[i].(LoginProgress)
			if p.Mode != "reauthorize" || (p.Step == "saving" && p.Total != n) {
				t.Errorf("reconnect progress %+v, want %d Pages", p, n)
			}
			order = append(order, p.Step)
		case EventCheckProgress:
			if c := data[i].(CheckState); c.Running && c.Total == 0 {
				t.Errorf("check progress at 0 of 0: %+v", c)
			}
			order = append(order, "check")
		case EventLoginResult:
			order = append(order, "result")
		}
	}
	if len(order) < 4 || order[0] != "reading" || order[1] != "saving" || order[2] != "check" || order[len(order)-1] != "result" {
		t.Errorf("reconnect events in order %v", order)
	}

	if _, err := f.k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	names, data = rec.take()
	if names[0] != EventCheckProgress || data[0].(CheckState).Total != n {
		t.Errorf("a full check starts with %s %+v, want %d Pages", names[0], data[0], n)
	}
}
