package autostart

func set(enabled bool, exe string) error {
	p, err := DesktopEntryPath()
	if err != nil {
		return err
	}
	if !enabled {
		return removeFile(p)
	}
	return writeFile(p, []byte(DesktopEntry(exe)))
}

func enabled() bool { return fileExists(DesktopEntryPath()) }
