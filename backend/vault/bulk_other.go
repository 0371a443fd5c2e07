//go:build !linux

package vault

import "github.com/zalando/go-keyring"

// Windows' Credential Manager and macOS' keychain (through /usr/bin/security)
// have no call for many entries: go-keyring, one entry at a time.

func getMany(service string, keys []string) (map[string]string, error) {
	got := make(map[string]string, len(keys))
	for _, key := range keys {
		v, err := keyring.Get(service, key)
		if err == keyring.ErrNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		got[key] = v
	}
	return got, nil
}

func setMany(service string, entries map[string]string) error {
	for key, value := range entries {
		if err := keyring.Set(service, key, value); err != nil {
			return err
		}
	}
	return nil
}

func deleteMany(service string, keys []string) error {
	for _, key := range keys {
		if err := keyring.Delete(service, key); err != nil && err != keyring.ErrNotFound {
			return err
		}
	}
	return nil
}

// chunkBytes is the largest Page token entry: Windows' Credential Manager
// holds at most 2,560 bytes per credential, and macOS' /usr/bin/security
// takes a command of at most 4,096 bytes, in which go-keyring sends the
// value in base64 (2,560 bytes become 3,416).
const chunkBytes = MaxSecretBytes
