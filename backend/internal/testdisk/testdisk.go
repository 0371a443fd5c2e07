//go:build linux

// Package testdisk mounts small throwaway filesystems for tests of a full or
// read-only disk: a real tmpfs, so the errors are the kernel's own. Mounting
// needs root (CI runs the tests as root).
package testdisk

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Small mounts a tmpfs of size bytes and returns its folder; it is unmounted
// when the test ends.
func Small(t testing.TB, size int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("testdisk: mounting a small tmpfs needs root; run the tests as root (as CI does) or under `sudo -E go test`")
	}
	dir, err := os.MkdirTemp("", "pkdisk")
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		os.Remove(dir)
		t.Fatalf("testdisk: mount tmpfs on %s: %v", dir, err)
	}
	t.Cleanup(func() {
		syscall.Unmount(dir, syscall.MNT_DETACH)
		os.Remove(dir)
	})
	return dir
}

// Fill writes a file into dir until the disk is full and returns a function
// that frees the space again.
func Fill(t testing.TB, dir string) (free func()) {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("testdisk: filling %s: %v", dir, err)
			}
			break
		}
	}
	// Smaller writes take the last partial page.
	for {
		if _, err := f.Write(chunk[:64]); err != nil {
			break
		}
	}
	f.Close()
	return func() { os.Remove(path) }
}

// ReadOnly remounts the tmpfs at dir read-only.
func ReadOnly(t testing.TB, dir string) {
	t.Helper()
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("testdisk: remount %s read-only: %v", dir, err)
	}
}
