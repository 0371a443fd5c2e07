package vault

import "errors"

// Bulk is a Secrets that also reads and writes many entries at once, in as
// few keychain round trips as the platform allows. Keyring is one; Vault uses
// it when its Secrets has it and falls back to one call per entry otherwise.
type Bulk interface {
	// GetMany returns the entries of keys that exist; missing ones are absent.
	GetMany(keys []string) (map[string]string, error)
	// SetMany stores every entry, replacing earlier values.
	SetMany(entries map[string]string) error
	// DeleteMany removes the entries of keys; missing ones are not an error.
	DeleteMany(keys []string) error
}

// Scanner is a Secrets that reads, in the same round trip as the entries of
// keys, every entry whose name starts with one of prefixes: the Secret
// Service lists a service's items anyway. The Vault finds its numbered
// Page token entries, and any left in the old layout, that way; without a
// Scanner it reads the numbered ones until the first missing one.
type Scanner interface {
	Scan(keys, prefixes []string) (map[string]string, error)
}

// GetMany returns the stored entries among keys, read together.
func (k Keyring) GetMany(keys []string) (map[string]string, error) {
	if len(keys) == 0 {
		return map[string]string{}, nil
	}
	got, err := call(k, "read", func() (map[string]string, error) { return getMany(k.service(), keys) })
	return got, classify(err, "")
}

// SetMany stores every entry, together. Entries are checked for size first,
// so one oversized value stores nothing.
func (k Keyring) SetMany(entries map[string]string) error {
	for key, value := range entries {
		if err := checkSize(k.service(), key, value); err != nil {
			return err
		}
	}
	// Fifty entries per call, each call within the timeout: some
	// keyrings (gnome-keyring) rewrite their whole file for every entry, so
	// thousands of entries in one call could outlast any fixed limit.
	keys := make([]string, 0, len(entries))
	for key := range entries {
		keys = append(keys, key)
	}
	for start := 0; start < len(keys); start += setChunk {
		chunk := make(map[string]string, setChunk)
		for _, key := range keys[start:min(start+setChunk, len(keys))] {
			chunk[key] = entries[key]
		}
		_, err := call(k, "write", func() (struct{}, error) { return struct{}{}, setMany(k.service(), chunk) })
		if err != nil {
			err = classify(err, "")
			for _, value := range entries {
				err = redactAll(err, value)
			}
			return err
		}
	}
	return nil
}

// DeleteMany removes the entries of keys, together.
func (k Keyring) DeleteMany(keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := call(k, "delete", func() (struct{}, error) { return struct{}{}, deleteMany(k.service(), keys) })
	if err = classify(err, ""); errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// setChunk is how many entries one SetMany call to the keychain writes.
const setChunk = 50

// redactAll scrubs secret from err, keeping the *UnavailableError around it.
func redactAll(err error, secret string) error {
	if ue, ok := err.(*UnavailableError); ok && ue.Cause != nil {
		return &UnavailableError{Reason: ue.Reason, Cause: redact(ue.Cause, secret)}
	}
	return redact(err, secret)
}
