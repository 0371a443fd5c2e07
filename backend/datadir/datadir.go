// Package datadir decides where Pagekeeper keeps its (secret-free) files.
package datadir

import (
	"fmt"
	"os"
	"path/filepath"
)

// EnvVar overrides the data folder; tests and scripts use it to keep runs apart.
const EnvVar = "PAGEKEEPER_DATA_DIR"

// Resolve returns the data folder without creating it.
func Resolve() (string, error) {
	if dir := os.Getenv(EnvVar); dir != "" {
		return filepath.Abs(dir)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no data folder: set %s or HOME: %w", EnvVar, err)
	}
	return filepath.Join(base, "pagekeeper"), nil
}

// Ensure resolves the data folder and creates it, readable by the owner only:
// it holds which Pages a business manages, which is nobody else's business.
func Ensure() (string, error) {
	dir, err := Resolve()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot create data folder %s: %w", dir, err)
	}
	return dir, nil
}
