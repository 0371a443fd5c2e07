package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// checkPage is what a check does to a Page: a new check time, a status.
func checkPage(at time.Time) func(*Page) error {
	return func(p *Page) error {
		p.CheckedAt, p.Status, p.Summary = at, "invalid", "Lost"
		p.Tasks = append(p.Tasks, "ADVERTISE")
		return nil
	}
}

// A draft of an unchanged Page stores exactly what RecordTransition would,
// with its history and activity.
func TestDraftOfUnchangedPageIsWhatRecordTransitionWrites(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, paris)
	change := &StatusChange{At: at, To: "invalid"}
	act := Activity{At: at, Kind: "status_changed", Details: "ok → invalid"}
	var got [2]Page
	for i := range got {
		db := openTemp(t)
		if err := db.PutPage(samplePage("1")); err != nil {
			t.Fatal(err)
		}
		base, err := db.GetPage("1")
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *Tx) error {
			if i == 0 {
				_, err := tx.RecordTransition("1", checkPage(at), change, act)
				return err
			}
			calls := 0
			d, err := NewDraft(base, func(p *Page) error { calls++; return checkPage(at)(p) })
			if err != nil {
				return err
			}
			after, err := tx.RecordDraft(d, change, act)
			if err == nil {
				after.Tasks[0] = "changed by the caller" // not by the next reader
			}
			if calls != 1 {
				t.Errorf("mutate ran %d times for an unchanged Page, want once (in NewDraft)", calls)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got[i] = decoded(t, db, "1")
		if p, _ := db.GetPage("1"); !reflect.DeepEqual(p, got[i]) {
			t.Errorf("read %+v, stored %+v", p, got[i])
		}
		if h, _ := db.StatusHistory("1"); len(h) != 1 || h[0].From != "ok" || h[0].To != "invalid" {
			t.Errorf("history %+v", h)
		}
		if a, _ := db.Activity("1", 0); len(a) != 1 || a[0].Kind != "status_changed" {
			t.Errorf("activity %+v", a)
		}
		if len(base.Tasks) != 2 {
			t.Errorf("the draft changed the Page it started from: %+v", base.Tasks)
		}
	}
	if !reflect.DeepEqual(got[0], got[1]) {
		t.Fatalf("RecordTransition stored %+v\nthe draft stored %+v", got[0], got[1])
	}
}

// A Page that changed between the draft and its transaction (renamed,
// disconnected) keeps that change: the draft's mutate runs again on it.
func TestDraftOfChangedPageAppliesMutateAgain(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, paris)
	db := openTemp(t)
	if err := db.PutPage(samplePage("1")); err != nil {
		t.Fatal(err)
	}
	base, _ := db.GetPage("1")
	d, err := NewDraft(base, checkPage(at))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.UpdatePage("1", func(p *Page) error { p.Name = "Renamed meanwhile"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *Tx) error { _, err := tx.RecordDraft(d, nil); return err }); err != nil {
		t.Fatal(err)
	}
	p, _ := db.GetPage("1")
	if p.Name != "Renamed meanwhile" || p.Status != "invalid" || !p.CheckedAt.Equal(at) || len(p.Tasks) != 3 {
		t.Fatalf("stored %+v", p)
	}
}

// A draft that cannot be made says why and writes nothing.
func TestDraftRefusals(t *testing.T) {
	boom := errors.New("boom")
	if _, err := NewDraft(samplePage("1"), func(*Page) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("mutate's error: %v", err)
	}
	if _, err := NewDraft(samplePage("1"), func(p *Page) error { p.ID = "2"; return nil }); err == nil || !strings.Contains(err.Error(), "may not change") {
		t.Errorf("changed ID: %v", err)
	}
	db := openTemp(t)
	d, err := NewDraft(samplePage("9"), checkPage(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *Tx) error { _, err := tx.RecordDraft(d, nil); return err }); !errors.Is(err, ErrNotFound) {
		t.Errorf("a draft of a Page not stored: %v", err)
	}
}
