package store

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// stored is Page id's record and its entry of check times, as in the file.
func stored(t *testing.T, db *DB, id string) (record, stamps []byte) {
	t.Helper()
	db.bolt.View(func(tx *bolt.Tx) error {
		record = bytes.Clone(tx.Bucket(bucketPages).Get([]byte(id)))
		if b := tx.Bucket(bucketChecked); b != nil {
			stamps = bytes.Clone(b.Get([]byte(id)))
		}
		return nil
	})
	return record, stamps
}

// checkedAgain is a check that found nothing new: only the check times move.
func checkedAgain(at time.Time) func(*Page) error {
	return func(p *Page) error { p.CheckedAt, p.RolesCheckedAt = at, at; return nil }
}

func recordDraft(t *testing.T, db *DB, mutate func(*Page) error) Page {
	t.Helper()
	base, err := db.GetPage("1")
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDraft(base, mutate)
	if err != nil {
		t.Fatal(err)
	}
	var after Page
	if err := db.Update(func(tx *Tx) (err error) { after, err = tx.RecordDraft(d, nil); return err }); err != nil {
		t.Fatal(err)
	}
	return after
}

// A check that changes nothing but the check times leaves the Page's
// record as it was and writes the times apart; every read shows them, as
// RecordTransition's full write would; the next write of the record takes
// them in.
func TestCheckTimesAloneLeaveTheRecordAlone(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 123, paris)
	twin := openTemp(t)
	db := openTemp(t)
	for _, d := range []*DB{db, twin} {
		if err := d.PutPage(samplePage("1")); err != nil {
			t.Fatal(err)
		}
	}
	record, _ := stored(t, db, "1")
	recordDraft(t, db, checkedAgain(at))
	if _, err := twin.RecordTransition("1", checkedAgain(at), nil); err != nil {
		t.Fatal(err)
	}
	want, _ := twin.GetPage("1")
	now, stamps := stored(t, db, "1")
	if !bytes.Equal(now, record) || len(stamps) == 0 || len(stamps) > 64 {
		t.Fatalf("record rewritten: %v; check times written apart: %d bytes", !bytes.Equal(now, record), len(stamps))
	}
	got, _ := db.GetPage("1")
	list, _ := db.ListPages()
	for _, p := range []Page{got, list[0]} {
		if !reflect.DeepEqual(p, want) || !p.CheckedAt.Equal(at) {
			t.Errorf("read %+v\nwant %+v", p, want)
		}
	}
	// The next write of the record takes the times in.
	if err := db.UpdatePage("1", func(p *Page) error { p.Name = "Renamed"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, stamps := stored(t, db, "1"); stamps != nil {
		t.Errorf("check times still apart after the record was written")
	}
	if p := decoded(t, db, "1"); !p.CheckedAt.Equal(at) || !p.RolesCheckedAt.Equal(at) || p.Name != "Renamed" {
		t.Errorf("record after the write: %+v", p)
	}
	// A check that changes more than the times writes the record.
	later := at.Add(time.Hour)
	recordDraft(t, db, func(p *Page) error { p.CheckedAt, p.Status = later, "invalid"; return nil })
	if p := decoded(t, db, "1"); !p.CheckedAt.Equal(later) || p.Status != "invalid" {
		t.Errorf("record after a check that changed the status: %+v", p)
	}
	if _, stamps := stored(t, db, "1"); stamps != nil {
		t.Errorf("check times apart after a check that wrote the record")
	}
}

// A file with no place for check times apart (the bucket gone) gets them in
// the record; damaged check times are reported, not guessed.
func TestCheckTimesWithoutTheirBucketAndDamaged(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	db := openTemp(t)
	if err := db.PutPage(samplePage("1")); err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketChecked) }); err != nil {
		t.Fatal(err)
	}
	recordDraft(t, db, checkedAgain(at))
	if p := decoded(t, db, "1"); !p.CheckedAt.Equal(at) {
		t.Fatalf("record: checked %v, want %v", p.CheckedAt, at)
	}
	if err := db.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketChecked)
		if err != nil {
			return err
		}
		return b.Put([]byte("1"), []byte{15, 1, 2})
	}); err != nil {
		t.Fatal(err)
	}
	wantDamage(t, db, "check times")
}

// CountPages counts what keep says yes to, records read from the memo or
// decoded alike.
func TestCountPages(t *testing.T) {
	db := openTemp(t)
	for i, status := range []string{"valid", "disconnected", "invalid"} {
		p := samplePage(string(rune('1' + i)))
		p.Status = status
		if err := db.PutPage(p); err != nil {
			t.Fatal(err)
		}
	}
	db.pages.m = nil // the next count decodes, the one after reads the memo
	for range 2 {
		n, err := db.CountPages(func(p *Page) bool { return p.Status != "disconnected" })
		if err != nil || n != 2 {
			t.Fatalf("counted %d, %v; want 2", n, err)
		}
	}
}
