package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// decoded reads Page id's stored bytes the slow way, past the memo.
func decoded(t *testing.T, db *DB, id string) Page {
	t.Helper()
	var p Page
	decodedFrom(t, db, bucketPages, id, &p)
	return p
}

func decodedFrom(t *testing.T, db *DB, bucket []byte, id string, v any) {
	t.Helper()
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return json.Unmarshal(tx.Bucket(bucket).Get([]byte(id)), v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// filled is a Page with every field set by reflection (so a field added
// later is covered too): each text is text, each list and map holds
// one entry, or is empty but not nil when empty is set.
func filled(id, text string, empty bool) Page {
	var p Page
	fillRecord(&p, text, empty)
	p.ID = id
	return p
}

// fillRecord sets every field of the record *rec points to (see filled).
func fillRecord(rec any, text string, empty bool) {
	v := reflect.ValueOf(rec).Elem()
	paris := time.FixedZone("Paris", 3600)
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch f.Interface().(type) {
		case string:
			f.SetString(name + " " + text)
		case []string:
			s := []string{}
			if !empty {
				s = append(s, name+" "+text)
			}
			f.Set(reflect.ValueOf(s))
		case map[string]string:
			m := map[string]string{}
			if !empty {
				m[name+" "+text] = text
			}
			f.Set(reflect.ValueOf(m))
		case map[string][]string:
			m := map[string][]string{}
			if !empty {
				m[name+" "+text] = []string{text}
				m["none"] = []string{}
				m["nil"] = nil
			}
			f.Set(reflect.ValueOf(m))
		case *bool:
			no := false
			f.Set(reflect.ValueOf(&no))
		case bool:
			f.SetBool(true)
		case time.Time:
			f.Set(reflect.ValueOf(time.Now().In(paris))) // a zone and a monotonic reading
		default:
			panic(fmt.Sprintf("fillRecord: %s is a %v; teach this test (and the record's clone, asStored, textValid) about it", name, f.Type()))
		}
	}
}

// filledProfile is filled for a profile.
func filledProfile(id, text string, empty bool) Profile {
	var p Profile
	fillRecord(&p, text, empty)
	p.ID = id
	return p
}

// What a write leaves in the memo is what decoding the stored bytes gives,
// for every field, empty lists and maps and text that is not UTF-8 included.
func TestMemoGivesWhatTheRecordDecodesTo(t *testing.T) {
	db := openTemp(t)
	for i, p := range []Page{filled("1", "Café", false), filled("2", "Café", true), filled("3", "bad \xff\xfe text", false)} {
		if err := db.PutPage(p); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetPage(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := decoded(t, db, p.ID); !reflect.DeepEqual(got, want) {
			t.Errorf("page %d: read %#v\nthe record decodes to %#v", i, got, want)
		}
	}
	list, err := db.ListPages()
	if err != nil || len(list) != 3 {
		t.Fatal(list, err)
	}
	for _, got := range list {
		if want := decoded(t, db, got.ID); !reflect.DeepEqual(got, want) {
			t.Errorf("listed %#v\nthe record decodes to %#v", got, want)
		}
	}
}

// A caller may change what it read; the next reader does not see it.
func TestMemoGivesEachCallerItsOwnCopy(t *testing.T) {
	db := openTemp(t)
	if err := db.PutPage(filled("1", "x", false)); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the first read may decode; the second comes from the memo
		p, err := db.GetPage("1")
		if err != nil {
			t.Fatal(err)
		}
		list, err := db.ListPages()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []*Page{&p, &list[0]} {
			q.Tasks[0], q.Permissions[0], q.MissingPermissions[0], q.MissingTasks[0] = "changed", "changed", "changed", "changed"
			q.Features["changed"] = "yes"
			*q.WebhooksSubscribed = true
		}
	}
	got, _ := db.GetPage("1")
	if want := decoded(t, db, "1"); !reflect.DeepEqual(got, want) {
		t.Fatalf("after callers changed their copies: %#v\nthe record decodes to %#v", got, want)
	}
}

// The memo never outlives the bytes it was made from: a record written
// behind its back, a write rolled back, and a record deleted all read as
// the file holds them.
func TestMemoFollowsTheFile(t *testing.T) {
	db := openTemp(t)
	for _, id := range []string{"1", "2"} {
		if err := db.PutPage(samplePage(id)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ListPages(); err != nil { // both memoized
		t.Fatal(err)
	}
	// Behind its back (a migration works on the raw file).
	renamed := samplePage("1")
	renamed.Name = "Renamed"
	raw, _ := json.Marshal(renamed)
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketPages).Put([]byte("1"), raw) }); err != nil {
		t.Fatal(err)
	}
	if p, _ := db.GetPage("1"); p.Name != "Renamed" {
		t.Fatalf("read %q after the record changed", p.Name)
	}
	// Rolled back.
	boom := errors.New("boom")
	err := db.Update(func(tx *Tx) error {
		p := samplePage("2")
		p.Name = "Never stored"
		if err := tx.PutPage(p); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if p, _ := db.GetPage("2"); p.Name != samplePage("2").Name {
		t.Fatalf("read %q, a write that was rolled back", p.Name)
	}
	// Deleted behind its back: gone from the listing and from the memo.
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketPages).Delete([]byte("2")) }); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListPages()
	if err != nil || len(list) != 1 || list[0].Name != "Renamed" {
		t.Fatalf("listed %+v, %v", list, err)
	}
	if _, err := db.GetPage("2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted Page read as %v", err)
	}
	if n := len(db.pages.m); n != 1 {
		t.Fatalf("the memo keeps %d Pages for 1 stored", n)
	}
}

// A damaged record is still reported, memo or not.
func TestMemoKeepsDamageVisible(t *testing.T) {
	db := openTemp(t)
	if err := db.PutPage(samplePage("1")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetPage("1"); err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketPages).Put([]byte("1"), []byte("{broken")) }); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, db, "record")
}

// wantDamage fails t unless Page 1 reads and lists as damaged.
func wantDamage(t *testing.T, db *DB, what string) {
	t.Helper()
	var ce *CorruptError
	if _, err := db.GetPage("1"); !errors.As(err, &ce) {
		t.Errorf("damaged %s read as %v", what, err)
	}
	if _, err := db.ListPages(); !errors.As(err, &ce) {
		t.Errorf("damaged %s listed as %v", what, err)
	}
}

// sameRecord tells apart Pages that differ in any one field (a field added
// later included), and takes an empty list or map for none, as the record does.
func TestSameRecordLooksAtEveryField(t *testing.T) {
	base := filled("1", "a", false)
	if !base.sameRecord(base.clone()) {
		t.Fatal("a Page differs from its copy")
	}
	other := filled("1", "b", false)
	v := reflect.ValueOf(&other).Elem()
	for i := range v.NumField() {
		p := base.clone()
		pv := reflect.ValueOf(&p).Elem()
		pv.Field(i).Set(v.Field(i))
		if name := v.Type().Field(i).Name; name == "ID" || name == "WebhooksSubscribed" {
			continue // the same in both (ID is set after filling; both false)
		}
		if p.sameRecord(base) || base.sameRecord(p) {
			t.Errorf("Pages that differ in %s are the same record", v.Type().Field(i).Name)
		}
	}
	yes := true
	p := base.clone()
	p.WebhooksSubscribed = &yes
	if p.sameRecord(base) {
		t.Error("webhooks subscribed or not: the same record")
	}
	p.WebhooksSubscribed = nil
	if p.sameRecord(base) {
		t.Error("webhooks unknown or not subscribed: the same record")
	}
	if empty := filled("1", "a", true); !empty.asStored().sameRecord(empty) {
		t.Error("empty lists and no lists make different records")
	}
}

// The same for people: what a write leaves in the memo is what decoding
// gives, and each caller gets its own copy (a person's record lists every
// Page they manage, so it is the costliest to decode).
func TestProfileMemoGivesWhatTheRecordDecodesTo(t *testing.T) {
	db := openTemp(t)
	for i, p := range []Profile{filledProfile("1", "Café", false), filledProfile("2", "Café", true), filledProfile("3", "bad \xff text", false)} {
		if err := db.PutProfile(p); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetProfile(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var want Profile
		decodedFrom(t, db, bucketProfiles, p.ID, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("profile %d: read %#v\nthe record decodes to %#v", i, got, want)
		}
		for _, list := range append([][]string{got.Scopes, got.Declined}, slices.Collect(maps.Values(got.Manages))...) {
			if len(list) > 0 {
				list[0] = "changed"
			}
		}
		list, err := db.ListProfiles()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(list[i], want) {
			t.Errorf("profile %d after a caller changed its copy: %#v\nthe record decodes to %#v", i, list[i], want)
		}
	}
}
