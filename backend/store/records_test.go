package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var paris = time.FixedZone("CET", 3600)

func samplePage(id string) Page {
	yes := true
	return Page{
		ID: id, Name: "Bakery " + id, ProfileID: "10", Category: "Bakery",
		InstagramID: "1784", InstagramUsername: "bakery",
		Tasks:              []string{"MANAGE", "CREATE_CONTENT"},
		Permissions:        []string{"pages_show_list", "pages_manage_posts"},
		MissingPermissions: []string{"pages_read_engagement"},
		MissingTasks:       []string{"MODERATE"},
		Features:           map[string]string{"messaging": "ok", "instagram": "missing permission"},
		WebhooksSubscribed: &yes,
		Status:             "ok", Reason: "all good", Summary: "Everything works", Fix: "",
		ConnectedAt: time.Date(2026, 1, 2, 3, 4, 5, 6, paris),
		CheckedAt:   time.Date(2026, 2, 2, 3, 4, 5, 0, paris),
		UpdatedAt:   time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC),
	}
}

func TestProfileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pagekeeper.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	p := Profile{
		ID: "10", Name: "Ana", ConnectedAt: time.Date(2026, 1, 1, 12, 0, 0, 0, paris),
		TokenExpiresAt: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), Scopes: []string{"pages_show_list"},
		Declined: []string{"business_management"}, Status: "ok",
	}
	if err := db.PutProfile(p); err != nil {
		t.Fatal(err)
	}
	if err := db.PutProfile(Profile{ID: "09", Name: "Bo"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Everything survives a reopen, with times in UTC at the same instant.
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.GetProfile("10")
	if err != nil {
		t.Fatal(err)
	}
	if got.ConnectedAt.Location() != time.UTC || !got.ConnectedAt.Equal(p.ConnectedAt) {
		t.Fatalf("ConnectedAt = %v, want %v in UTC", got.ConnectedAt, p.ConnectedAt)
	}
	if !got.DataAccessExpiresAt.IsZero() || !got.CheckedAt.IsZero() {
		t.Fatal("zero times did not stay zero")
	}
	p.normalize()
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("got %+v\nwant %+v", got, p)
	}
	list, err := db.ListProfiles()
	if err != nil || len(list) != 2 || list[0].ID != "09" || list[1].ID != "10" {
		t.Fatalf("ListProfiles = %+v, %v", list, err)
	}
	if err := db.DeleteProfile("10"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetProfile("10"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("GetProfile after delete = %v", err)
	}
	if err := db.DeleteProfile("10"); err != nil {
		t.Fatalf("deleting a missing profile = %v", err)
	}
	if err := db.PutProfile(Profile{Name: "no id"}); err == nil {
		t.Fatal("a profile without ID was stored")
	}
}

func TestPageRoundTripAndNotFound(t *testing.T) {
	db := openTemp(t)
	want := samplePage("200")
	if err := db.PutPage(want); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetPage("200")
	if err != nil {
		t.Fatal(err)
	}
	want.normalize()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if _, err := db.GetPage("404"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("GetPage of a missing Page = %v", err)
	}
	if pages, err := db.ListPages(); err != nil || len(pages) != 1 {
		t.Fatalf("ListPages = %d pages, %v", len(pages), err)
	}
	empty := openTemp(t)
	if pages, err := empty.ListPages(); err != nil || pages == nil || len(pages) != 0 {
		t.Fatalf("ListPages of an empty store = %#v, %v; want an empty, non-nil list", pages, err)
	}
}

func TestValuesAreCopiedOut(t *testing.T) {
	db := openTemp(t)
	if err := db.PutPage(samplePage("1")); err != nil {
		t.Fatal(err)
	}
	p, _ := db.GetPage("1")
	p.Tasks[0] = "CHANGED"
	p.Features["messaging"] = "CHANGED"
	*p.WebhooksSubscribed = false
	pages, _ := db.ListPages()
	pages[0].Permissions[0] = "CHANGED"

	// Values read before Close must stay valid after bbolt unmaps the file.
	db.Close()
	again, err := Open(db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	fresh, _ := again.GetPage("1")
	if fresh.Tasks[0] != "MANAGE" || fresh.Features["messaging"] != "ok" || !*fresh.WebhooksSubscribed || fresh.Permissions[0] != "pages_show_list" {
		t.Fatalf("changing returned values changed the store: %+v", fresh)
	}
	if pages[0].Name != "Bakery 1" || p.Name != "Bakery 1" {
		t.Fatal("values read before Close were lost")
	}
}

func TestUpdatePage(t *testing.T) {
	db := openTemp(t)
	if err := db.PutPage(samplePage("1")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := db.UpdatePage("1", func(p *Page) error { p.Name = "half"; return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("UpdatePage returned %v, want the function's error", err)
	}
	if p, _ := db.GetPage("1"); p.Name != "Bakery 1" {
		t.Fatal("a failed update was written")
	}
	if err := db.UpdatePage("1", func(p *Page) error { p.ID = "2"; return nil }); err == nil {
		t.Fatal("changing the ID was accepted")
	}
	if err := db.UpdatePage("404", func(*Page) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("UpdatePage of a missing Page = %v", err)
	}

	// Concurrent read-modify-writes lose nothing.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.UpdatePage("1", func(p *Page) error {
				p.Tasks = append(p.Tasks, fmt.Sprint(i))
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p, _ := db.GetPage("1"); len(p.Tasks) != 22 {
		t.Fatalf("%d tasks after 20 concurrent appends to 2, want 22", len(p.Tasks))
	}
}

func TestActivityIsAppendOnlyAndOrdered(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pagekeeper.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1", "2"} {
		if err := db.PutPage(samplePage(id)); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Date(2026, 5, 1, 0, 0, 0, 0, paris)
	for i := 1; i <= 10; i++ {
		a, err := db.AppendActivity("1", Activity{Seq: 99, At: base.Add(time.Duration(i) * time.Minute), Kind: "check", Details: fmt.Sprint(i)})
		if err != nil {
			t.Fatal(err)
		}
		if a.Seq != uint64(i) {
			t.Fatalf("entry %d got Seq %d: the store must assign it", i, a.Seq)
		}
	}
	if a, _ := db.AppendActivity("2", Activity{Kind: "connected"}); a.Seq != 1 || a.At.IsZero() || a.At.Location() != time.UTC {
		t.Fatalf("first entry of another Page = %+v, want Seq 1 and a UTC time of now", a)
	}
	db.Close()

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	newest, err := db.Activity("1", 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := seqs(newest); got != "[10 9 8]" {
		t.Fatalf("newest 3 = %s", got)
	}
	if newest[0].Details != "10" || newest[0].At.Location() != time.UTC || !newest[0].At.Equal(base.Add(10*time.Minute)) {
		t.Fatalf("newest entry = %+v", newest[0])
	}
	all, _ := db.AllActivity("1")
	if got := seqs(all); got != "[1 2 3 4 5 6 7 8 9 10]" {
		t.Fatalf("all in order = %s", got)
	}
	if everything, _ := db.Activity("1", 0); len(everything) != 10 || everything[0].Seq != 10 {
		t.Fatalf("limit 0 gave %s, want all 10 newest first", seqs(everything))
	}
	// Numbering goes on after a reopen.
	if a, _ := db.AppendActivity("1", Activity{Kind: "check"}); a.Seq != 11 {
		t.Fatalf("after reopen Seq = %d, want 11", a.Seq)
	}
	if _, err := db.AppendActivity("404", Activity{Kind: "x"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("activity of a missing Page = %v", err)
	}
	if acts, err := db.Activity("2", 0); err != nil || len(acts) != 1 {
		t.Fatalf("Activity of Page 2 = %v, %v", acts, err)
	}
	if _, err := db.Activity("404", 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("listing activity of a missing Page = %v", err)
	}
	if _, err := db.AppendActivity("1", Activity{}); err == nil {
		t.Fatal("an activity without kind was accepted")
	}
}

func seqs(as []Activity) string {
	var s []uint64
	for _, a := range as {
		s = append(s, a.Seq)
	}
	return fmt.Sprint(s)
}

// The log's API is append and list only: no method may rewrite it.
func TestNoActivityRewriteAPI(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeOf(&DB{}), reflect.TypeOf(&Tx{})} {
		for i := range typ.NumMethod() {
			name := typ.Method(i).Name
			if (strings.Contains(name, "Activity") || strings.Contains(name, "Status")) &&
				!strings.HasPrefix(name, "Append") && name != "Activity" && name != "AllActivity" && name != "StatusHistory" {
				t.Errorf("%v has %s: the activity log and status history are append-only", typ, name)
			}
		}
	}
}

func TestStatusHistory(t *testing.T) {
	db := openTemp(t)
	if err := db.PutPage(samplePage("1")); err != nil {
		t.Fatal(err)
	}
	if h, err := db.StatusHistory("1"); err != nil || h == nil || len(h) != 0 {
		t.Fatalf("history of a new Page = %v, %v", h, err)
	}
	steps := []StatusChange{{From: "ok", To: "warning", Reason: "expires soon"}, {From: "warning", To: "invalid", Reason: "password changed"}, {From: "invalid", To: "ok"}}
	for _, c := range steps {
		if err := db.AppendStatus("1", c); err != nil {
			t.Fatal(err)
		}
	}
	h, err := db.StatusHistory("1")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 {
		t.Fatalf("history has %d entries", len(h))
	}
	for i := range steps {
		if h[i].From != steps[i].From || h[i].To != steps[i].To || h[i].Reason != steps[i].Reason || h[i].At.IsZero() {
			t.Fatalf("entry %d = %+v, want %+v", i, h[i], steps[i])
		}
	}
	if err := db.AppendStatus("1", StatusChange{From: "ok"}); err == nil {
		t.Fatal("a change without new status was accepted")
	}
	if err := db.AppendStatus("404", StatusChange{To: "ok"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("history of a missing Page = %v", err)
	}
}

func TestRecordTransitionIsAllOrNothing(t *testing.T) {
	db := openTemp(t)
	if err := db.PutPage(samplePage("1")); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, paris)
	page, err := db.RecordTransition("1", func(p *Page) error {
		p.Status, p.Reason, p.UpdatedAt = "invalid", "session expired", at
		return nil
	}, &StatusChange{At: at, Reason: "session expired"},
		Activity{At: at, Kind: "status", Actor: "checker", Details: "ok -> invalid"},
		Activity{At: at, Kind: "notified"})
	if err != nil {
		t.Fatal(err)
	}
	if page.Status != "invalid" {
		t.Fatalf("returned Page status %q", page.Status)
	}
	h, _ := db.StatusHistory("1")
	if len(h) != 1 || h[0].From != "ok" || h[0].To != "invalid" || !h[0].At.Equal(at) {
		t.Fatalf("history = %+v, want ok -> invalid filled in from the Page", h)
	}
	if acts, _ := db.AllActivity("1"); seqs(acts) != "[1 2]" || acts[1].Kind != "notified" {
		t.Fatalf("activity = %+v", acts)
	}

	// A failure in any part (here the second activity has no kind) leaves
	// the Page, its history and its log exactly as they were.
	_, err = db.RecordTransition("1", func(p *Page) error { p.Status = "ok"; return nil },
		&StatusChange{Reason: "fixed"}, Activity{Kind: "status"}, Activity{})
	if err == nil {
		t.Fatal("a transition with a bad activity succeeded")
	}
	if p, _ := db.GetPage("1"); p.Status != "invalid" {
		t.Fatalf("the Page was changed to %q by a failed transition", p.Status)
	}
	if h, _ := db.StatusHistory("1"); len(h) != 1 {
		t.Fatalf("the history grew to %d by a failed transition", len(h))
	}
	if acts, _ := db.AllActivity("1"); len(acts) != 2 {
		t.Fatalf("the log grew to %d by a failed transition", len(acts))
	}
	// Without a change, only the Page and the log are written.
	if _, err := db.RecordTransition("1", func(p *Page) error { p.CheckedAt = at; return nil }, nil, Activity{Kind: "checked"}); err != nil {
		t.Fatal(err)
	}
	if h, _ := db.StatusHistory("1"); len(h) != 1 {
		t.Fatal("a nil change added history")
	}
}

func TestUpdateCombinesWrites(t *testing.T) {
	db := openTemp(t)
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutProfile(Profile{ID: "10", Name: "Ana"}); err != nil {
			return err
		}
		if err := tx.PutPage(samplePage("1")); err != nil {
			return err
		}
		_, err := tx.AppendActivity("1", Activity{Kind: "connected"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *Tx) error {
		if err := tx.PutPage(samplePage("2")); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	if err == nil {
		t.Fatal("want the function's error")
	}
	if _, err := db.GetPage("2"); !errors.Is(err, ErrNotFound) {
		t.Fatal("a write of a failed Update was kept")
	}
}

func TestDamagedRecordIsReported(t *testing.T) {
	db := openTemp(t)
	if err := db.PutPage(samplePage("1")); err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketPages).Put([]byte("1"), []byte("{not json")) }); err != nil {
		t.Fatal(err)
	}
	var ce *CorruptError
	if _, err := db.GetPage("1"); !errors.As(err, &ce) || !strings.Contains(err.Error(), "Page 1 is damaged") {
		t.Fatalf("GetPage of a damaged record = %v", err)
	}
}

func TestListPagesManyInOrder(t *testing.T) {
	db := openTemp(t)
	const n = 3*parallelMin + 7 // several decoding workers, uneven chunks
	err := db.Update(func(tx *Tx) error {
		for i := range n {
			if err := tx.PutPage(samplePage(fmt.Sprintf("%06d", i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := db.ListPages()
	if err != nil || len(pages) != n {
		t.Fatalf("ListPages = %d pages, %v", len(pages), err)
	}
	for i, p := range pages {
		if p.ID != fmt.Sprintf("%06d", i) || p.Name != "Bakery "+p.ID {
			t.Fatalf("page %d is %q %q", i, p.ID, p.Name)
		}
	}
	// One damaged record far down the list is reported, not skipped.
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketPages).Put([]byte("001400"), []byte("[")) }); err != nil {
		t.Fatal(err)
	}
	var ce *CorruptError
	if _, err := db.ListPages(); !errors.As(err, &ce) || !strings.Contains(err.Error(), "Page 001400") {
		t.Fatalf("ListPages with a damaged record = %v", err)
	}
}

// No record may have a field for a secret: the encoded names are checked,
// with every field filled so omitempty hides none.
func TestNoSecretFieldNames(t *testing.T) {
	allowed := map[string]bool{"tokenExpiresAt": true}
	for _, v := range []any{&Profile{}, &Page{}, &StatusChange{}, &Activity{}, &Settings{}, &Hook{}} {
		fill(reflect.ValueOf(v).Elem())
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatal(err)
		}
		if want := reflect.TypeOf(v).Elem().NumField(); len(fields) != want {
			t.Fatalf("%T encodes %d fields, has %d: %s", v, len(fields), want, raw)
		}
		for name := range fields {
			lower := strings.ToLower(name)
			if (strings.Contains(lower, "token") || strings.Contains(lower, "secret") || strings.Contains(lower, "password")) && !allowed[name] {
				t.Errorf("%T has a field %q: secrets belong in the vault", v, name)
			}
		}
	}
}

// fill sets every field of v to a non-zero value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Now()))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Uint64:
		if v.CanInt() {
			v.SetInt(1)
		} else {
			v.SetUint(1)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		val := reflect.New(v.Type().Elem()).Elem()
		fill(val)
		v.SetMapIndex(reflect.ValueOf("k"), val)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
}

func BenchmarkListPages5000(b *testing.B) {
	db := openTemp(b)
	err := db.Update(func(tx *Tx) error {
		for i := range 5000 {
			if err := tx.PutPage(samplePage(fmt.Sprintf("%015d", 100000000+i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		pages, err := db.ListPages()
		if err != nil || len(pages) != 5000 {
			b.Fatalf("%d pages, %v", len(pages), err)
		}
	}
}
