package hardening

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
	bolt "go.etcd.io/bbolt"
)

func init() {
	children["writer"] = writerChild
	children["checker"] = checkerChild
}

// ack is what a child prints after a write committed: the parent holds it
// to account after the kill.
type ack struct {
	Kind     string              `json:"kind"` // profile, page, activity, transition, keeper
	Page     string              `json:"page,omitempty"`
	Profile  *store.Profile      `json:"profile,omitempty"`
	PageRec  *store.Page         `json:"pageRec,omitempty"`
	Activity *store.Activity     `json:"activity,omitempty"`
	Change   *store.StatusChange `json:"change,omitempty"`
	HistLen  int                 `json:"histLen,omitempty"`
}

func sendAck(a ack) {
	b, _ := json.Marshal(a)
	// One write per line: the parent only trusts lines that end in \n.
	os.Stdout.Write(append(append([]byte("ACK "), b...), '\n'))
}

// logPages are the Pages whose logs the writer appends to.
var logPages = []string{"990000000000001", "990000000000002", "990000000000003"}

// writerChild writes records of every kind, as fast as it can, until killed.
func writerChild(dir string) error {
	seed, _ := strconv.ParseUint(os.Getenv(envSeed), 10, 64)
	rng := rand.New(rand.NewPCG(seed, 17))
	db, err := store.Open(filepath.Join(dir, "pagekeeper.db"))
	if err != nil {
		return err
	}
	status := map[string]string{}
	for _, id := range logPages {
		p, err := db.GetPage(id)
		if errors.Is(err, store.ErrNotFound) {
			p = store.Page{ID: id, Name: "Crash log " + id, ProfileID: "990000000000009", Status: "valid"}
			err = db.PutPage(p)
		}
		if err != nil {
			return err
		}
		status[id] = p.Status
	}
	fmt.Println("READY")
	for i := 0; ; i++ {
		tag := fmt.Sprintf("%d-%d", seed, i)
		now := time.Now().UTC().Round(0)
		page := logPages[rng.IntN(len(logPages))]
		switch rng.IntN(4) {
		case 0:
			p := store.Profile{ID: "prof-" + tag, Name: "Person " + tag, ConnectedAt: now, Scopes: []string{"pages_show_list"}, Status: "valid"}
			if err := db.PutProfile(p); err != nil {
				return err
			}
			sendAck(ack{Kind: "profile", Profile: &p})
		case 1:
			// Disconnected, so the checker rounds leave the record as acknowledged.
			p := store.Page{ID: "page-" + tag, Name: "Page " + tag, ProfileID: "prof-" + tag, Status: "disconnected",
				Tasks: []string{"MANAGE", "CREATE_CONTENT"}, Features: map[string]string{"publishing": ""}, ConnectedAt: now}
			if err := db.PutPage(p); err != nil {
				return err
			}
			sendAck(ack{Kind: "page", PageRec: &p})
		case 2:
			a, err := db.AppendActivity(page, store.Activity{At: now, Kind: "crash_test", Actor: "writer", Details: tag})
			if err != nil {
				return err
			}
			sendAck(ack{Kind: "activity", Page: page, Activity: &a})
		case 3:
			to := "invalid"
			if status[page] == "invalid" {
				to = "valid"
			}
			c := store.StatusChange{At: now, From: status[page], To: to, Reason: tag}
			_, err := db.RecordTransition(page, func(p *store.Page) error {
				p.Status, p.Summary, p.UpdatedAt = to, "changed by "+tag, now
				return nil
			}, &c, store.Activity{At: now, Kind: "status_changed", Actor: "writer", Details: tag})
			if err != nil {
				return err
			}
			status[page] = to
			sendAck(ack{Kind: "transition", Page: page, Change: &c})
		}
	}
}

// checkerChild connects the sandbox's Pages and checks them in a loop,
// breaking and mending them so every check writes, until killed.
func checkerChild(dir string) error {
	ctx := context.Background()
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		return err
	}
	k, err := keeper.Open(ctx, keeper.Options{DataDir: dir, Secrets: vault.NewMemory(),
		GraphURL: sb.URL(), FacebookURL: sb.URL(), Sender: &sender{}})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	v, _ := k.Settings()
	v.RedirectPort = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if err := k.SaveSettings(v); err != nil {
		return err
	}
	id, secret := sb.App()
	if err := k.SetupApp(ctx, id, secret); err != nil {
		return err
	}
	start, err := k.StartLogin(ctx, keeper.LoginRequest{NoBrowser: true})
	if err != nil {
		return err
	}
	redirect, err := sb.Consent(ctx, start.URL, sandbox.ConsentChoice{Persona: sandbox.DanaID})
	if err != nil {
		return err
	}
	resp, err := http.Get(redirect.String())
	if err != nil {
		return err
	}
	resp.Body.Close()
	res, err := k.WaitLogin(ctx)
	if err != nil || !res.OK {
		return fmt.Errorf("login: %v %+v", err, res)
	}
	var ids []string
	for _, c := range res.Candidates {
		ids = append(ids, c.ID)
	}
	if _, err := k.FinishConnect(ctx, ids); err != nil {
		return err
	}
	fmt.Println("READY")
	broken := sandbox.Scenario{Kind: sandbox.PasswordChanged, Persona: sandbox.DanaID}
	db := k.Store()
	for i := 0; ; i++ {
		if i%2 == 0 {
			sb.Apply(broken)
		} else {
			sb.Clear(broken)
		}
		if _, err := k.Check(ctx, nil); err != nil {
			return err
		}
		for _, id := range ids {
			hist, err := db.StatusHistory(id)
			if err != nil {
				return err
			}
			acts, err := db.Activity(id, 1)
			if err != nil {
				return err
			}
			a := ack{Kind: "keeper", Page: id, HistLen: len(hist)}
			if len(hist) > 0 {
				a.Change = &hist[len(hist)-1]
			}
			if len(acts) > 0 {
				a.Activity = &acts[0]
			}
			sendAck(a)
		}
	}
}

// child is one re-executed test binary.
type child struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr bytes.Buffer
	done   chan []string // every complete line, once stdout closes
}

func startChild(t *testing.T, role, dir string, seed uint64) *child {
	t.Helper()
	c := &child{lines: make(chan string, 1), done: make(chan []string, 1)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.cmd.Env = append(os.Environ(), envChild+"="+role, envDir+"="+dir, envSeed+"="+strconv.FormatUint(seed, 10))
	c.cmd.Stderr = &c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		var all []string
		rd := bufio.NewReader(out)
		first := true
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				// A line cut off by the kill was never acknowledged.
				break
			}
			line = strings.TrimSuffix(line, "\n")
			if first {
				c.lines <- line
				first = false
			}
			all = append(all, line)
		}
		close(c.lines)
		c.done <- all
	}()
	return c
}

// ready waits for the child's READY line.
func (c *child) ready(t *testing.T) {
	t.Helper()
	select {
	case line, ok := <-c.lines:
		if !ok || line != "READY" {
			c.cmd.Process.Kill()
			c.cmd.Wait()
			t.Fatalf("child did not start: %q; stderr: %s", line, c.stderr.String())
		}
	case <-time.After(60 * time.Second):
		c.cmd.Process.Kill()
		t.Fatalf("child did not start in time; stderr: %s", c.stderr.String())
	}
}

// kill9 sends SIGKILL and returns every acknowledgement the child printed.
func (c *child) kill9(t *testing.T) ([]ack, error) {
	t.Helper()
	c.cmd.Process.Kill() // SIGKILL on Unix
	werr := c.cmd.Wait()
	lines := <-c.done
	var acks []ack
	for _, l := range lines {
		raw, ok := strings.CutPrefix(l, "ACK ")
		if !ok {
			continue
		}
		var a ack
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			t.Fatalf("child printed a bad ack %q: %v", l, err)
		}
		acks = append(acks, a)
	}
	if ee, ok := werr.(*exec.ExitError); ok && ee.ExitCode() != -1 {
		return acks, fmt.Errorf("child ended by itself (%v) before the kill: %s", werr, c.stderr.String())
	}
	return acks, nil
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// verify checks that every acknowledged record is in db, intact.
func verify(db *store.DB, acks []ack) []string {
	var bad []string
	fail := func(a ack, format string, args ...any) {
		bad = append(bad, fmt.Sprintf("%s %s: %s", a.Kind, a.Page, fmt.Sprintf(format, args...)))
	}
	hist := map[string][]store.StatusChange{}
	acts := map[string][]store.Activity{}
	history := func(id string) []store.StatusChange {
		if h, ok := hist[id]; ok {
			return h
		}
		h, err := db.StatusHistory(id)
		if err != nil {
			bad = append(bad, "history of "+id+": "+err.Error())
		}
		hist[id] = h
		return h
	}
	activity := func(id string) []store.Activity {
		if a, ok := acts[id]; ok {
			return a
		}
		a, err := db.AllActivity(id)
		if err != nil {
			bad = append(bad, "activity of "+id+": "+err.Error())
		}
		acts[id] = a
		return a
	}
	hasActivity := func(id string, want store.Activity) bool {
		all := activity(id)
		return want.Seq >= 1 && int(want.Seq) <= len(all) && sameJSON(all[want.Seq-1], want)
	}
	for _, a := range acks {
		switch a.Kind {
		case "profile":
			got, err := db.GetProfile(a.Profile.ID)
			if err != nil || !sameJSON(got, *a.Profile) {
				fail(a, "profile %s: %v, got %+v", a.Profile.ID, err, got)
			}
		case "page":
			got, err := db.GetPage(a.PageRec.ID)
			if err != nil || !sameJSON(got, *a.PageRec) {
				fail(a, "page %s: %v, got %+v", a.PageRec.ID, err, got)
			}
		case "activity":
			if !hasActivity(a.Page, *a.Activity) {
				fail(a, "activity %d lost or changed", a.Activity.Seq)
			}
		case "transition":
			found := false
			for _, h := range history(a.Page) {
				found = found || sameJSON(h, *a.Change)
			}
			logged := false
			for _, e := range activity(a.Page) {
				logged = logged || (e.Kind == "status_changed" && e.Details == a.Change.Reason)
			}
			if !found || !logged {
				fail(a, "transition %s: history %v, activity %v", a.Change.Reason, found, logged)
			}
		case "keeper":
			h := history(a.Page)
			if len(h) < a.HistLen || (a.Change != nil && !sameJSON(h[a.HistLen-1], *a.Change)) {
				fail(a, "history has %d entries, %d were acknowledged", len(h), a.HistLen)
			}
			if a.Activity != nil && !hasActivity(a.Page, *a.Activity) {
				fail(a, "activity %d lost or changed", a.Activity.Seq)
			}
		}
	}
	// Every log reads back whole and numbered 1..n.
	for id, all := range acts {
		for i, e := range all {
			if e.Seq != uint64(i+1) {
				bad = append(bad, fmt.Sprintf("activity of %s: entry %d has seq %d", id, i+1, e.Seq))
				break
			}
		}
	}
	return bad
}

// boltCheck runs bbolt's own consistency check over the whole file.
func boltCheck(path string) error {
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer b.Close()
	return b.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
}

// TestCrashSafety kills writers and checkers with SIGKILL at random moments,
// 120 times on one data folder, and holds the database to every
// acknowledged write.
func TestCrashSafety(t *testing.T) {
	const rounds = 120
	dir := t.TempDir()
	path := filepath.Join(dir, "pagekeeper.db")
	rng := rand.New(rand.NewPCG(7, 11))
	var all []ack
	opened, checkerRounds, lostOrBad := 0, 0, 0
	var killAfter []time.Duration
	began := time.Now()
	for round := range rounds {
		role, wait := "writer", time.Duration(rng.IntN(60))*time.Millisecond
		if round%5 == 4 {
			role, wait = "checker", time.Duration(rng.IntN(400))*time.Millisecond
			checkerRounds++
		}
		c := startChild(t, role, dir, uint64(round+1))
		c.ready(t)
		time.Sleep(wait)
		acks, err := c.kill9(t)
		if err != nil {
			t.Fatalf("round %d (%s): %v", round, role, err)
		}
		killAfter = append(killAfter, wait)
		db, err := store.Open(path)
		if err != nil {
			t.Fatalf("round %d (%s): the database does not open after kill -9: %v", round, role, err)
		}
		opened++
		if bad := verify(db, acks); len(bad) > 0 {
			lostOrBad += len(bad)
			t.Errorf("round %d (%s) after %v: %d of %d acknowledged writes lost or damaged: %v", round, role, wait, len(bad), len(acks), bad[:min(5, len(bad))])
		}
		db.Close()
		if round%20 == 19 {
			if err := boltCheck(path); err != nil {
				t.Fatalf("round %d: bbolt consistency check: %v", round, err)
			}
		}
		all = append(all, acks...)
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	final := verify(db, all)
	pages, _ := db.ListPages()
	profiles, _ := db.ListProfiles()
	db.Close()
	if len(final) > 0 {
		t.Errorf("at the end, %d acknowledged writes are lost or damaged: %v", len(final), final[:min(5, len(final))])
	}
	if err := boltCheck(path); err != nil {
		t.Fatalf("bbolt consistency check: %v", err)
	}
	kinds := map[string]int{}
	for _, a := range all {
		kinds[a.Kind]++
	}
	st, _ := os.Stat(path)
	figure(t, "%d kill -9 rounds (%d writers, %d checkers, killed 0-60 ms (writers) or 0-400 ms (checkers) into their writes) in %.1f s; database opened %d/%d times",
		rounds, rounds-checkerRounds, checkerRounds, time.Since(began).Seconds(), opened, rounds)
	figure(t, "| acknowledged writes %d (profiles %d, Pages %d, log entries %d, transitions %d, checked Pages %d) | lost or damaged %d (goal 0) | at the end %d (goal 0) | bbolt check ok | %d Pages, %d profiles, %d KB |",
		len(all), kinds["profile"], kinds["page"], kinds["activity"], kinds["transition"], kinds["keeper"], lostOrBad, len(final), len(pages), len(profiles), st.Size()/1024)
	if len(all) < 500 || kinds["keeper"] == 0 {
		t.Errorf("too few acknowledged writes to prove anything: %v", kinds)
	}
}

// TestDamagedDatabase: a database file that cannot be used gives a clear
// error with a way out, and is never replaced.
func TestDamagedDatabase(t *testing.T) {
	good := filepath.Join(t.TempDir(), "pagekeeper.db")
	db, err := store.Open(good)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		db.PutPage(store.Page{ID: fmt.Sprintf("%015d", i), Name: strings.Repeat("Page ", 20), Status: "valid"})
	}
	db.Close()
	orig, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096 // bbolt's page size on Linux amd64 and arm64
	scribble := func(b []byte, from, to int) []byte {
		b = bytes.Clone(b)
		for i := from; i < to && i < len(b); i++ {
			b[i] ^= 0x5a
		}
		return b
	}
	cases := map[string][]byte{
		"garbage":              bytes.Repeat([]byte("not a database "), 1000),
		"both meta pages":      scribble(orig, 16, 2*pageSize),
		"cut after the metas":  orig[:2*pageSize+100],
		"cut in half":          orig[:len(orig)/2],
		"data pages scribbled": scribble(orig, 2*pageSize, len(orig)),
	}
	handled := 0
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "pagekeeper.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			k, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir, Secrets: vault.NewMemory(), Sender: &sender{}})
			if err == nil {
				// bbolt only reads pages when asked: the damage may show on first use.
				_, err = k.Snapshot()
				k.Close()
			}
			if err == nil {
				t.Fatal("a damaged database was used without a word")
			}
			var ce *store.CorruptError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "move it aside") || !strings.Contains(err.Error(), path) {
				t.Errorf("unclear error (%T): %v", err, err)
			}
			now, rerr := os.ReadFile(path)
			if rerr != nil || !bytes.Equal(now, content) {
				t.Errorf("the damaged file was changed (%v)", rerr)
			}
			if !t.Failed() {
				handled++
			}
		})
	}
	figure(t, "%d/%d damaged databases refused with a way out, left byte for byte as they were", handled, len(cases))
}
