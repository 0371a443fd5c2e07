package store

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Settings are the user's choices. Durations are stored as nanoseconds.
type Settings struct {
	AppID   string `json:"appId"`   // the Facebook app's ID; its secret is in the vault
	AppName string `json:"appName"` // the app's name as Facebook gave it when it was set up
	// Base URLs of the Graph API and of facebook.com (the login dialog);
	// empty means Facebook's real hosts. Tests point them at a sandbox.
	GraphURL         string        `json:"graphUrl"`
	FacebookURL      string        `json:"facebookUrl"`
	APIVersion       string        `json:"apiVersion"`
	RedirectPort     int           `json:"redirectPort"` // loopback port of the login redirect
	CheckInterval    time.Duration `json:"checkInterval"`
	NotifyInvalid    bool          `json:"notifyInvalid"`
	NotifyWarning    bool          `json:"notifyWarning"`
	ReminderInterval time.Duration `json:"reminderInterval"` // repeat of a notification while a problem lasts
	WarnWindow       time.Duration `json:"warnWindow"`       // warn this long before a token expires
	RunInBackground  bool          `json:"runInBackground"`
	StartAtLogin     bool          `json:"startAtLogin"`
	// BackgroundExplained: the first close of the window said where
	// Pagekeeper went and how to quit it; it is said once.
	BackgroundExplained bool `json:"backgroundExplained"`
}

// DefaultSettings are the settings of a fresh install.
func DefaultSettings() Settings {
	return Settings{
		APIVersion:       "v25.0",
		RedirectPort:     47613,
		CheckInterval:    15 * time.Minute,
		NotifyInvalid:    true,
		NotifyWarning:    true,
		ReminderInterval: 24 * time.Hour,
		WarnWindow:       7 * 24 * time.Hour,
		RunInBackground:  true,
		StartAtLogin:     false,
	}
}

// FieldProblem is one invalid setting.
type FieldProblem struct {
	Field   string // the JSON name, e.g. "checkInterval"
	Problem string
}

// SettingsError lists every invalid setting, so a form can mark them all.
type SettingsError struct {
	Problems []FieldProblem
}

func (e *SettingsError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Problem
	}
	return "invalid settings: " + strings.Join(parts, "; ")
}

var (
	appIDPattern      = regexp.MustCompile(`^[0-9]{1,32}$`)
	apiVersionPattern = regexp.MustCompile(`^v[0-9]{1,3}\.[0-9]{1,2}$`)
)

// Validate returns a *SettingsError if any setting is nonsense.
func (s Settings) Validate() error {
	var ps []FieldProblem
	bad := func(field, format string, args ...any) {
		ps = append(ps, FieldProblem{field, fmt.Sprintf(format, args...)})
	}
	if s.AppID != "" && !appIDPattern.MatchString(s.AppID) {
		bad("appId", "a Facebook app ID is a number of up to 32 digits (App Dashboard, Settings, Basic)")
	}
	for _, u := range []struct{ field, value string }{{"graphUrl", s.GraphURL}, {"facebookUrl", s.FacebookURL}} {
		if msg := checkBaseURL(u.value); msg != "" {
			bad(u.field, "%s", msg)
		}
	}
	if !apiVersionPattern.MatchString(s.APIVersion) {
		bad("apiVersion", "%q is not a Graph API version such as v25.0", s.APIVersion)
	}
	if s.RedirectPort < 1024 || s.RedirectPort > 65535 {
		bad("redirectPort", "%d is outside 1024-65535", s.RedirectPort)
	}
	inRange := func(field string, d, lo, hi time.Duration) {
		if d < lo || d > hi {
			bad(field, "%s is outside %s to %s", d, lo, hi)
		}
	}
	inRange("checkInterval", s.CheckInterval, time.Minute, 24*time.Hour)
	inRange("reminderInterval", s.ReminderInterval, time.Minute, 30*24*time.Hour)
	inRange("warnWindow", s.WarnWindow, time.Hour, 90*24*time.Hour)
	if ps != nil {
		return &SettingsError{Problems: ps}
	}
	return nil
}

// checkBaseURL accepts "" or an http(s) base URL without credentials, query
// or fragment (tokens travel in queries and must not be configured here).
func checkBaseURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "not a URL"
	case u.Scheme != "https" && u.Scheme != "http":
		return "must start with https:// or http://"
	case u.Host == "":
		return "has no host"
	case u.User != nil:
		return "must not contain a user name or password"
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "must not contain a query (?) or fragment (#)"
	}
	return ""
}

// Settings returns the stored settings; fields never stored keep their default.
func (tx *Tx) Settings() (Settings, error) {
	s := DefaultSettings()
	raw := tx.tx.Bucket(bucketMeta).Get(keySettings)
	if raw == nil {
		return s, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return DefaultSettings(), tx.corrupt("settings", "", err)
	}
	return s, nil
}

// PutSettings validates and stores s; invalid settings change nothing.
func (tx *Tx) PutSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.tx.Bucket(bucketMeta).Put(keySettings, raw)
}
