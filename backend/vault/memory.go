package vault

import (
	"strings"
	"sync"
)

// Memory is a Secrets held only in this process's memory. It exists for demo
// mode and for unit tests of other packages; the real app must use Keyring.
// It never writes anything to disk, so everything is gone when the process
// ends. The zero value is ready to use and safe for concurrent use.
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

var _ Secrets = (*Memory)(nil)

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{} }

// Get returns the secret stored under key, or ErrNotFound.
func (m *Memory) Get(key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set stores value under key. It enforces the same size limit as Keyring so
// that demo mode and tests fail where the real keychain would.
func (m *Memory) Set(key, value string) error {
	if err := checkSize(DefaultService, key, value); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = make(map[string]string)
	}
	m.m[key] = value
	return nil
}

// Delete removes key; a missing key is not an error.
func (m *Memory) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.m, key)
	return nil
}

// DeleteAll removes every entry.
func (m *Memory) DeleteAll() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m = nil
	return nil
}

// Len reports how many secrets are held; tests use it to prove clean-up.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

// Scan returns the entries of keys and those whose name starts with one of
// prefixes, as the Secret Service's listing does.
func (m *Memory) Scan(keys, prefixes []string) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	got := map[string]string{}
	for _, key := range keys {
		if v, ok := m.m[key]; ok {
			got[key] = v
		}
	}
	for key, v := range m.m {
		for _, prefix := range prefixes {
			if strings.HasPrefix(key, prefix) {
				got[key] = v
			}
		}
	}
	return got, nil
}
