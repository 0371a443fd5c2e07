package autostart

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// RunKey is the per-user key Windows reads at login (no administrator needed).
const RunKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// runValue is the value's name under RunKey: the product name, as Task
// Manager's Startup tab shows it.
const runValue = "Pagekeeper"

func set(enabled bool, exe string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, RunKey, registry.SET_VALUE|registry.QUERY_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	if !enabled {
		if err := k.DeleteValue(runValue); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return err
		}
		return nil
	}
	return k.SetStringValue(runValue, RunCommand(exe))
}

func enabled() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, RunKey, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	_, _, err = k.GetStringValue(runValue)
	return err == nil
}
