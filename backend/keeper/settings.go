package keeper

import (
	"errors"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/login"
	"github.com/pagekeeper/pagekeeper/backend/metaapp"
)

// AppCheckOf turns CheckApp's or SetupApp's answer into the window's view:
// a refusal is data to show beside its field, other failures stay errors.
func AppCheckOf(name string, err error) (AppCheck, error) {
	var p *metaapp.Problem
	if errors.As(err, &p) {
		return AppCheck{Field: p.Field, Problem: p.Message}, nil
	}
	if err != nil {
		return AppCheck{}, err
	}
	return AppCheck{AppName: name}, nil
}

// FirstBackgroundClose reports, once per data folder, that the window was
// closed while Pagekeeper keeps checking: the time to say where it went.
func (k *Keeper) FirstBackgroundClose() bool {
	s, err := k.db.GetSettings()
	if err != nil || s.BackgroundExplained {
		return false
	}
	s.BackgroundExplained = true
	return k.db.PutSettings(s) == nil
}

// RedirectURI is the address Facebook sends a login back to, for a port.
func RedirectURI(port int) string { return login.RedirectURI(port) }

// Settings returns the settings in the window's units.
func (k *Keeper) Settings() (SettingsView, error) {
	s, err := k.db.GetSettings()
	if err != nil {
		return SettingsView{}, err
	}
	return SettingsView{
		CheckIntervalMinutes: int(s.CheckInterval / time.Minute),
		NotifyInvalid:        s.NotifyInvalid,
		NotifyWarning:        s.NotifyWarning,
		ReminderHours:        int(s.ReminderInterval / time.Hour),
		WarnDays:             int(s.WarnWindow / (24 * time.Hour)),
		RunInBackground:      s.RunInBackground,
		StartAtLogin:         s.StartAtLogin,
		AppID:                s.AppID,
		HasAppSecret:         k.Configured(),
		RedirectPort:         s.RedirectPort,
		RedirectURI:          login.RedirectURI(s.RedirectPort),
	}, nil
}

// SaveSettings validates and stores the editable settings; the App ID is
// changed only through SetupApp, which checks it with Facebook.
func (k *Keeper) SaveSettings(v SettingsView) error {
	s, err := k.db.GetSettings()
	if err != nil {
		return err
	}
	s.CheckInterval = time.Duration(v.CheckIntervalMinutes) * time.Minute
	s.NotifyInvalid, s.NotifyWarning = v.NotifyInvalid, v.NotifyWarning
	s.ReminderInterval = time.Duration(v.ReminderHours) * time.Hour
	s.WarnWindow = time.Duration(v.WarnDays) * 24 * time.Hour
	s.RunInBackground, s.StartAtLogin = v.RunInBackground, v.StartAtLogin
	s.RedirectPort = v.RedirectPort
	if err := s.Validate(); err != nil {
		return err
	}
	if err := k.db.PutSettings(s); err != nil {
		return err
	}
	k.notifier.Settings = notifySettings(s)
	k.emitSnapshot()
	return nil
}
