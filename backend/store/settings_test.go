package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestSettingsDefaults(t *testing.T) {
	db := openTemp(t)
	s, err := db.GetSettings()
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		APIVersion: "v25.0", RedirectPort: 47613, CheckInterval: 15 * time.Minute,
		NotifyInvalid: true, NotifyWarning: true, ReminderInterval: 24 * time.Hour,
		WarnWindow: 7 * 24 * time.Hour, RunInBackground: true, StartAtLogin: false,
	}
	if s != want {
		t.Fatalf("fresh settings %+v\nwant %+v", s, want)
	}
	if err := want.Validate(); err != nil {
		t.Fatalf("the defaults do not validate: %v", err)
	}
}

func TestSettingsRoundTripKeepsFalse(t *testing.T) {
	db := openTemp(t)
	s := DefaultSettings()
	s.AppID = "1234567890"
	s.GraphURL = "http://127.0.0.1:8080"
	s.NotifyInvalid, s.RunInBackground, s.StartAtLogin = false, false, true
	s.CheckInterval = time.Minute
	if err := db.PutSettings(s); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetSettings()
	if err != nil || got != s {
		t.Fatalf("got %+v, %v\nwant %+v", got, err, s)
	}
}

// Settings stored by an older version lack newer fields: those get their
// defaults, while the fields that were stored (even false) are kept.
func TestSettingsMissingFieldsGetDefaults(t *testing.T) {
	db := openTemp(t)
	old := `{"appId":"42","notifyInvalid":false,"checkInterval":300000000000}`
	if err := db.bolt.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySettings, []byte(old)) }); err != nil {
		t.Fatal(err)
	}
	got, err := db.GetSettings()
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultSettings()
	want.AppID, want.NotifyInvalid, want.CheckInterval = "42", false, 5*time.Minute
	if got != want {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

func TestSettingsValidation(t *testing.T) {
	db := openTemp(t)
	good := DefaultSettings()
	good.AppID = "987"
	if err := db.PutSettings(good); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		field  string
		change func(*Settings)
	}{
		{"checkInterval", func(s *Settings) { s.CheckInterval = 59 * time.Second }},
		{"checkInterval", func(s *Settings) { s.CheckInterval = 0 }},
		{"checkInterval", func(s *Settings) { s.CheckInterval = 25 * time.Hour }},
		{"redirectPort", func(s *Settings) { s.RedirectPort = 80 }},
		{"redirectPort", func(s *Settings) { s.RedirectPort = 65536 }},
		{"reminderInterval", func(s *Settings) { s.ReminderInterval = -time.Hour }},
		{"warnWindow", func(s *Settings) { s.WarnWindow = 0 }},
		{"apiVersion", func(s *Settings) { s.APIVersion = "25.0" }},
		{"apiVersion", func(s *Settings) { s.APIVersion = "" }},
		{"appId", func(s *Settings) { s.AppID = "my app" }},
		{"graphUrl", func(s *Settings) { s.GraphURL = "graph.facebook.com" }},
		{"graphUrl", func(s *Settings) { s.GraphURL = "ftp://graph.facebook.com" }},
		{"graphUrl", func(s *Settings) { s.GraphURL = "https://graph.facebook.com/?access_token=EAAx" }},
		{"facebookUrl", func(s *Settings) { s.FacebookURL = "https://user:pw@www.facebook.com" }},
		{"facebookUrl", func(s *Settings) { s.FacebookURL = "https://www.facebook.com/#x" }},
	}
	for _, c := range cases {
		s := good
		c.change(&s)
		err := db.PutSettings(s)
		var se *SettingsError
		if !errors.As(err, &se) || len(se.Problems) != 1 || se.Problems[0].Field != c.field {
			t.Errorf("%+v: got %v, want one problem with %s", s, err, c.field)
			continue
		}
		if !strings.Contains(err.Error(), c.field+": ") || strings.Contains(err.Error(), "EAAx") {
			t.Errorf("unclear or leaking message: %q", err)
		}
	}
	// Several problems are all reported, and nothing was changed by any of it.
	bad := good
	bad.RedirectPort, bad.CheckInterval = 1, time.Second
	var se *SettingsError
	if err := db.PutSettings(bad); !errors.As(err, &se) || len(se.Problems) != 2 {
		t.Fatalf("two problems gave %v", err)
	}
	if got, _ := db.GetSettings(); !reflect.DeepEqual(got, good) {
		t.Fatalf("invalid settings changed the stored ones: %+v", got)
	}
}
