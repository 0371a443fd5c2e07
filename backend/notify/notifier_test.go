package notify_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/notify/notifytest"
)

var t0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

const passwordSummary = "Dana changed her Facebook password, so Pagekeeper can no longer reach this Page. Reconnect Dana's account to fix it."

// setup gives a Notifier that delivers over the real session bus to a recorder.
func setup(t *testing.T, set notify.Settings) (*notify.Notifier, *notifytest.Recorder) {
	t.Helper()
	rec, d := onBus(t, notify.DBusOptions{})
	return notify.NewNotifier(d, set), rec
}

func broke(page, name, profile, person, from string) notify.Change {
	return notify.Change{PageID: page, PageName: name, ProfileID: profile, PersonName: person,
		From: from, To: notify.StatusInvalid, Reason: "password_changed", Summary: passwordSummary}
}

func change(page, profile, from, to string) notify.Change {
	return notify.Change{PageID: page, PageName: "Page " + page, ProfileID: profile, PersonName: "Dana", From: from, To: to}
}

func observe(t *testing.T, n *notify.Notifier, now time.Time, cs ...notify.Change) {
	t.Helper()
	if err := n.Observe(now, cs); err != nil {
		t.Fatal(err)
	}
}

func wantCalls(t *testing.T, rec *notifytest.Recorder, want int, why string) []notifytest.Call {
	t.Helper()
	calls := rec.Calls()
	if len(calls) != want {
		var got []string
		for _, c := range calls {
			got = append(got, c.Summary)
		}
		t.Fatalf("%s: got %d notifications %q, want %d", why, len(calls), got, want)
	}
	return calls
}

func TestOneTransitionOneNotification(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	observe(t, n, t0, broke("101", "Sunrise Bakery", "p1", "Dana", notify.StatusValid))
	c := wantCalls(t, rec, 1, "one Page broke")[0]
	if c.Summary != "Sunrise Bakery stopped working" {
		t.Errorf("title = %q", c.Summary)
	}
	if c.Body != passwordSummary {
		t.Errorf("body = %q", c.Body)
	}
	if c.Urgency() != int(notify.Critical) {
		t.Errorf("urgency = %d", c.Urgency())
	}

	// The same Page checked again and still invalid: no new transition.
	observe(t, n, t0.Add(time.Hour), broke("101", "Sunrise Bakery", "p1", "Dana", notify.StatusInvalid))
	wantCalls(t, rec, 1, "still invalid")
}

func TestSixPagesOfOnePersonOneNotification(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	var cs []notify.Change
	for i, name := range []string{"Sunrise Bakery", "Harbor Cafe", "Lakeside Books", "Dana Photo", "Corner Florist", "Bike Shed"} {
		cs = append(cs, broke(fmt.Sprint(200+i), name, "p1", "Dana", notify.StatusValid))
	}
	observe(t, n, t0, cs...)
	c := wantCalls(t, rec, 1, "six Pages of Dana broke in one check")[0]
	if c.Summary != "Dana's Facebook Pages stopped working" {
		t.Errorf("title = %q", c.Summary)
	}
	wantBody := "6 Pages connected by Dana stopped working: Bike Shed, Corner Florist, Dana Photo and 3 more. " + passwordSummary
	if c.Body != wantBody {
		t.Errorf("body = %q\nwant   %q", c.Body, wantBody)
	}
}

func TestGroupClickOpensFirstListedPage(t *testing.T) {
	rec, d := onBus(t, notify.DBusOptions{})
	opened := clicks(d)
	n := notify.NewNotifier(d, notify.DefaultSettings())
	observe(t, n, t0,
		broke("301", "Sunrise Bakery", "p1", "Dana", notify.StatusValid),
		broke("302", "Harbor Cafe", "p1", "Dana", notify.StatusValid))
	c := wantCalls(t, rec, 1, "two Pages of Dana")[0]
	if err := rec.Invoke(c.ID, "default"); err != nil {
		t.Fatal(err)
	}
	wantClick(t, opened, "302") // Harbor Cafe, first by name
}

func TestGroupsPerPersonPerCall(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	observe(t, n, t0,
		broke("1", "A", "dana", "Dana", notify.StatusValid),
		broke("2", "B", "dana", "Dana", notify.StatusValid),
		broke("3", "C", "ben", "Ben", notify.StatusValid))
	calls := wantCalls(t, rec, 2, "two people")
	titles := calls[0].Summary + " | " + calls[1].Summary
	if !strings.Contains(titles, "Dana's Facebook Pages stopped working") || !strings.Contains(titles, "C stopped working") {
		t.Errorf("titles = %q", titles)
	}

	// A later check breaking another of Dana's Pages is a new transition.
	observe(t, n, t0.Add(time.Hour), broke("4", "D", "dana", "Dana", notify.StatusValid))
	wantCalls(t, rec, 3, "next check")
}

func TestUnknownNeverNotifies(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	observe(t, n, t0, change("1", "p", "", notify.StatusValid))
	observe(t, n, t0.Add(1*time.Hour), change("1", "p", notify.StatusValid, notify.StatusUnknown))
	wantCalls(t, rec, 0, "valid -> unknown")

	// unknown -> invalid after valid is a real breakage.
	observe(t, n, t0.Add(2*time.Hour), change("1", "p", notify.StatusUnknown, notify.StatusInvalid))
	wantCalls(t, rec, 1, "valid -> unknown -> invalid")

	// invalid -> unknown -> invalid is the same breakage, whether the caller
	// passes From as "unknown" or as the last confirmed status.
	observe(t, n, t0.Add(3*time.Hour), change("1", "p", notify.StatusInvalid, notify.StatusUnknown))
	observe(t, n, t0.Add(4*time.Hour), change("1", "p", notify.StatusUnknown, notify.StatusInvalid))
	observe(t, n, t0.Add(5*time.Hour), change("1", "p", notify.StatusInvalid, notify.StatusUnknown))
	observe(t, n, t0.Add(6*time.Hour), change("1", "p", notify.StatusInvalid, notify.StatusInvalid))
	wantCalls(t, rec, 1, "invalid -> unknown -> invalid")

	// Disconnecting a Page is the owner's own doing: nothing to say.
	observe(t, n, t0.Add(7*time.Hour), change("1", "p", notify.StatusInvalid, notify.StatusDisconnected))
	wantCalls(t, rec, 1, "disconnected")
}

func TestWarnings(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	w := change("1", "p", notify.StatusValid, notify.StatusWarning)
	w.PageName, w.Summary, w.Reason = "Sunrise Bakery", "Dana's login expires in 5 days. Reconnect it before then.", notify.ReasonExpiringSoon
	observe(t, n, t0, w)
	c := wantCalls(t, rec, 1, "valid -> warning")[0]
	if c.Summary != "Sunrise Bakery will stop working soon" || c.Body != w.Summary || c.Urgency() != int(notify.Normal) {
		t.Errorf("warning = %q / %q / urgency %d", c.Summary, c.Body, c.Urgency())
	}
	// From invalid into warning is an improvement, not news.
	observe(t, n, t0, change("2", "p", "", notify.StatusInvalid))
	observe(t, n, t0, change("2", "p", notify.StatusInvalid, notify.StatusWarning))
	wantCalls(t, rec, 2, "invalid -> warning")

	off, rec2 := notify.NewNotifier(n.Sender, notify.Settings{OnInvalid: true}), rec
	observe(t, off, t0, change("3", "p", notify.StatusValid, notify.StatusWarning))
	wantCalls(t, rec2, 2, "warnings switched off")
}

func TestInvalidSwitchedOff(t *testing.T) {
	n, rec := setup(t, notify.Settings{OnInvalid: false, OnWarning: true, Reminder: time.Hour})
	observe(t, n, t0, change("1", "p", notify.StatusValid, notify.StatusInvalid))
	if err := n.Tick(t0.Add(5 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, rec, 0, "OnInvalid off")
}

func TestReminderAfterInterval(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	observe(t, n, t0,
		broke("1", "Sunrise Bakery", "dana", "Dana", notify.StatusValid),
		broke("2", "Harbor Cafe", "dana", "Dana", notify.StatusValid))
	first := wantCalls(t, rec, 1, "breakage")[0]

	tick := func(d time.Duration) {
		t.Helper()
		if err := n.Tick(t0.Add(d)); err != nil {
			t.Fatal(err)
		}
	}
	tick(23 * time.Hour)
	wantCalls(t, rec, 1, "before 24 h")
	tick(24 * time.Hour)
	r := wantCalls(t, rec, 2, "at 24 h")[1]
	if r.Summary != "Dana's Facebook Pages still do not work" || !strings.HasPrefix(r.Body, "Reminder: 2 Pages connected by Dana still do not work: Harbor Cafe and Sunrise Bakery.") {
		t.Errorf("reminder = %q / %q", r.Summary, r.Body)
	}
	if r.ReplacesID != first.ID {
		t.Errorf("reminder replaces %d, want the original %d", r.ReplacesID, first.ID)
	}
	tick(30 * time.Hour)
	wantCalls(t, rec, 2, "one reminder per interval")
	tick(48 * time.Hour)
	wantCalls(t, rec, 3, "second interval")

	// One Page recovers: the reminder names only the other.
	observe(t, n, t0.Add(50*time.Hour), change("2", "dana", notify.StatusInvalid, notify.StatusValid))
	tick(72 * time.Hour)
	r = wantCalls(t, rec, 4, "third interval")[3]
	if r.Summary != "Sunrise Bakery still does not work" {
		t.Errorf("reminder after one recovered = %q", r.Summary)
	}
	// Both recovered: silence, and a later breakage is news again at once.
	observe(t, n, t0.Add(73*time.Hour), change("1", "dana", notify.StatusInvalid, notify.StatusValid))
	tick(200 * time.Hour)
	wantCalls(t, rec, 4, "all recovered")
	observe(t, n, t0.Add(201*time.Hour), change("1", "dana", notify.StatusValid, notify.StatusInvalid))
	wantCalls(t, rec, 5, "broke again")
	tick(201*time.Hour + 23*time.Hour)
	wantCalls(t, rec, 5, "reminder clock restarted")
}

func TestReminderContinuesWhileUnknown(t *testing.T) {
	n, rec := setup(t, notify.Settings{OnInvalid: true, Reminder: 2 * time.Hour})
	observe(t, n, t0, change("1", "p", notify.StatusValid, notify.StatusInvalid))
	observe(t, n, t0.Add(time.Hour), change("1", "p", notify.StatusInvalid, notify.StatusUnknown))
	if err := n.Tick(t0.Add(2 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, rec, 2, "last confirmed invalid, now unknown")
}

func TestBadInputIsReportedAndLosesNothing(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	err := n.Observe(t0, []notify.Change{
		{PageID: "", To: notify.StatusInvalid},
		{PageID: "9", To: "broken"},
		{PageID: "8", From: "fine", To: notify.StatusInvalid},
		broke("1", "Sunrise Bakery", "p", "Dana", notify.StatusValid),
	})
	if err == nil {
		t.Fatal("bad changes gave no error")
	}
	for _, want := range []string{"no page id", `unknown status "broken"`, `unknown previous status "fine"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	c := wantCalls(t, rec, 1, "the one good change")[0]
	if c.Summary != "Sunrise Bakery stopped working" {
		t.Errorf("title = %q", c.Summary)
	}
}

func TestFailedSendIsRetriedByTick(t *testing.T) {
	requireBus(t)
	// A bus with no notification service yet: the send really fails.
	addr := notifytest.PrivateBus(t)
	n := notify.NewNotifier(newDBus(t, notify.DBusOptions{Address: addr}), notify.DefaultSettings())
	err := n.Observe(t0, []notify.Change{broke("1", "Sunrise Bakery", "p", "Dana", notify.StatusValid)})
	var ns *notify.NoServiceError
	if !errors.As(err, &ns) {
		t.Fatalf("err = %v, want NoServiceError", err)
	}
	rec := notifytest.StartOn(t, addr)
	if err := n.Tick(t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	c := wantCalls(t, rec, 1, "retried once a service is up")[0]
	if !strings.Contains(c.Summary, "Sunrise Bakery") {
		t.Errorf("title = %q", c.Summary)
	}
	if err := n.Tick(t0.Add(2 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, rec, 1, "not repeated after success")
}

func TestExportImportKeepsMemory(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	observe(t, n, t0, broke("1", "Sunrise Bakery", "p", "Dana", notify.StatusValid))
	wantCalls(t, rec, 1, "breakage")

	raw, err := json.Marshal(n.Export())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "access_token") {
		t.Fatalf("state holds a token: %s", raw)
	}
	var st notify.State
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	restarted := notify.NewNotifier(n.Sender, notify.DefaultSettings())
	if err := restarted.Import(st); err != nil {
		t.Fatal(err)
	}
	// After a restart the first check is inconclusive, then invalid again:
	// not a new breakage.
	observe(t, restarted, t0.Add(time.Hour), change("1", "p", notify.StatusUnknown, notify.StatusInvalid))
	wantCalls(t, rec, 1, "after import")
	if err := restarted.Tick(t0.Add(23 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, rec, 1, "reminder clock survived the restart")
	if err := restarted.Tick(t0.Add(24 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, rec, 2, "reminder after restart")

	bad := notify.State{Pages: map[string]notify.PageState{"1": {Status: "unknown"}}}
	if err := restarted.Import(bad); err == nil {
		t.Fatal("importing a state with status unknown succeeded")
	}
	if got := restarted.Export(); got.Pages["1"].Status != notify.StatusInvalid {
		t.Fatalf("a refused import changed memory: %+v", got)
	}
}

func TestNoSenderIsAnError(t *testing.T) {
	var n notify.Notifier
	n.Settings = notify.DefaultSettings()
	err := n.Observe(t0, []notify.Change{change("1", "p", notify.StatusValid, notify.StatusInvalid)})
	if err == nil || !strings.Contains(err.Error(), "no Sender") {
		t.Fatalf("err = %v", err)
	}
}

func TestGroupWordingVariants(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	// Warnings for two Pages of one person, with different reasons.
	a := change("1", "p", notify.StatusValid, notify.StatusWarning)
	a.PageName, a.Summary = "Sunrise Bakery", "Dana's login expires in 5 days."
	b := change("2", "p", notify.StatusValid, notify.StatusWarning)
	b.PageName, b.Summary = "Harbor Cafe", "Pagekeeper lost permission to read this Page's posts."
	observe(t, n, t0, a, b)
	c := wantCalls(t, rec, 1, "two warnings")[0]
	if c.Summary != "Dana's Facebook Pages need attention" ||
		c.Body != "2 Pages connected by Dana need attention: Harbor Cafe and Sunrise Bakery. Open Pagekeeper to see why." {
		t.Errorf("warning group = %q / %q", c.Summary, c.Body)
	}

	// Breakage of a person whose name is unknown, with no summaries.
	x := notify.Change{PageID: "3", ProfileID: "q", From: notify.StatusValid, To: notify.StatusInvalid}
	y := notify.Change{PageID: "4", PageName: "Bike Shed", ProfileID: "q", From: notify.StatusValid, To: notify.StatusInvalid}
	observe(t, n, t0, x, y)
	c = wantCalls(t, rec, 2, "unnamed person")[1]
	if c.Summary != "Your Facebook Pages stopped working" ||
		c.Body != "2 Pages stopped working: Bike Shed and Page 3. Open Pagekeeper to see what happened to each." {
		t.Errorf("unnamed group = %q / %q", c.Summary, c.Body)
	}
}

// A warning about now speaks of now: only expiring_soon is about later.
func TestWarningOfNow(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	w := change("1", "p", notify.StatusValid, notify.StatusWarning)
	w.PageName, w.Reason = "Sunrise Bakery", "instagram_unlinked"
	observe(t, n, t0, w)
	if c := wantCalls(t, rec, 1, "instagram unlinked")[0]; c.Summary != "Sunrise Bakery needs attention" {
		t.Errorf("title = %q", c.Summary)
	}
}

// A repaired Page takes its notification back (CloseNotification), and the
// person's grouped one once none of their Pages is broken.
func TestRepairWithdrawsTheNotification(t *testing.T) {
	n, rec := setup(t, notify.DefaultSettings())
	observe(t, n, t0, broke("101", "Sunrise Bakery", "p1", "Dana", notify.StatusValid))
	one := wantCalls(t, rec, 1, "one Page broke")[0]
	observe(t, n, t0.Add(time.Minute), broke("102", "A", "p1", "Dana", notify.StatusValid), broke("103", "B", "p1", "Dana", notify.StatusValid))
	group := wantCalls(t, rec, 2, "two more broke")[1]
	if len(rec.Closed()) != 0 {
		t.Fatalf("closed before any repair: %v", rec.Closed())
	}
	observe(t, n, t0.Add(2*time.Minute), change("101", "p1", notify.StatusInvalid, notify.StatusValid))
	if got := rec.Closed(); len(got) != 1 || got[0] != one.ID {
		t.Fatalf("closed %v, want the single Page's %d", got, one.ID)
	}
	observe(t, n, t0.Add(3*time.Minute), change("102", "p1", notify.StatusInvalid, notify.StatusValid))
	if got := rec.Closed(); len(got) != 1 {
		t.Fatalf("103 is still broken, the group notification stays: closed %v", got)
	}
	observe(t, n, t0.Add(4*time.Minute), change("103", "p1", notify.StatusInvalid, notify.StatusWarning))
	if got := rec.Closed(); len(got) != 2 || got[1] != group.ID {
		t.Fatalf("closed %v, want the group's %d too", got, group.ID)
	}
	wantCalls(t, rec, 2, "a repair sends nothing new")
}
