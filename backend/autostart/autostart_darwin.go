package autostart

// launchd reads ~/Library/LaunchAgents at login; writing the file is enough,
// nothing needs loading now (the app is already running).
func set(enabled bool, exe string) error {
	p, err := LaunchAgentPath()
	if err != nil {
		return err
	}
	if !enabled {
		return removeFile(p)
	}
	return writeFile(p, []byte(LaunchAgent(exe)))
}

func enabled() bool { return fileExists(LaunchAgentPath()) }
