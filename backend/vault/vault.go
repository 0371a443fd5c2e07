// Package vault keeps Pagekeeper's secrets (Facebook user and Page access
// tokens, the app secret) in the operating system's keychain: one entry per
// app secret, person and webhook, and the Page tokens together in a few
// numbered entries (see shelf.go: one entry per Page made a connect of 1,000
// Pages cost gnome-keyring 15 s), with the old one-entry-per-Page layout
// still read and moved over by Migrate. There is deliberately no plaintext
// fallback: when the keychain is missing or locked, callers get an
// *UnavailableError that tells the user how to fix it.
package vault

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// DefaultService is the keychain service name every Pagekeeper secret is filed under.
const DefaultService = "pagekeeper"

// MaxSecretBytes is the largest value a secret may have. Windows' Credential
// Manager stores at most 2,560 bytes per credential and macOS' keychain about
// 3,000 for service, key and value together, so a value that fits here fits on
// every platform Pagekeeper ships for. Facebook tokens are a few hundred bytes.
const MaxSecretBytes = 2560

// maxEntryBytes bounds service+key+value together, for macOS' limit.
const maxEntryBytes = 2900

// ErrNotFound is returned by Get when the keychain holds no entry for the key.
var ErrNotFound = errors.New("secret not found in the system keychain")

// ErrTooLarge is returned (wrapped with the sizes, never the value) when a
// secret would not fit in every platform's keychain.
var ErrTooLarge = errors.New("secret too large for the system keychain")

// Secrets is a store of named secrets. Delete of a missing key is not an error.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
}

// checkSize rejects values that would fail on Windows or macOS, so that a
// token saved on Linux does not become unsavable after a move. The numbered
// Page token entries are the exception: each platform fills them to its own
// limit (chunkBytes), as they are never moved but rewritten.
func checkSize(service, key, value string) error {
	limit := MaxSecretBytes
	if strings.HasPrefix(key, prefixChunk) {
		limit = chunkBytes
	}
	if len(value) > limit {
		return fmt.Errorf("%w: the value is %d bytes, the limit is %d", ErrTooLarge, len(value), limit)
	}
	if n := len(service) + len(key) + len(value); limit == MaxSecretBytes && n > maxEntryBytes {
		return fmt.Errorf("%w: service, name and value are %d bytes together, the limit is %d", ErrTooLarge, n, maxEntryBytes)
	}
	return nil
}

// Key names, kept here and nowhere else so every package agrees on them.
const (
	prefixAppSecret = "app-secret:"
	prefixUserToken = "user-token:"
	prefixPageToken = "page-token:" // the old layout, see shelf.go
	prefixHookKey   = "hook-secret:"
)

// Vault gives typed access to Pagekeeper's secrets on top of any Secrets.
//
// It keeps every secret it read or wrote in this process's memory for the
// process's lifetime, so a check reads the keychain once, not once per Page
// and cycle. The copy stays true because only one Pagekeeper process works
// on a data folder at a time and every change goes through the Vault; it is
// never written anywhere. Other processes beside the window only read
// (`pagekeeper token`), or write a one-time entry under a name the window
// has never read (`pagekeeper hooks set --webhook` staging a signing
// secret); a process on another data folder with the same keychain service
// may write the Page token entries too, so a write reads them again first.
type Vault struct {
	s Secrets
	// capacity is the most bytes a numbered Page token entry holds
	// (chunkBytes; smaller in tests, to make many entries).
	capacity int

	// wmu serialises the Page token entries' reads and writes: a write
	// reads, changes and rewrites them, and no read may come back with
	// what was there before a write finished.
	wmu sync.Mutex

	mu    sync.Mutex
	known map[string]string // "": known to be missing (no stored value is empty)
	pages *shelf            // nil until read
}

// New wraps s. Use Keyring{} in the app, Memory only in demo mode and tests.
func New(s Secrets) *Vault { return &Vault{s: s, capacity: chunkBytes, known: map[string]string{}} }

// AppSecret returns the Facebook app secret of appID (ErrNotFound if none).
func (v *Vault) AppSecret(appID string) (string, error) { return v.get(prefixAppSecret, appID) }

// KnowsAppSecret says, without asking the keychain, whether the app secret
// of appID is stored (has), as far as this process read or wrote it; known
// is false when it has not been read or written yet. The window's first
// paint uses it so as not to wait for the keychain.
func (v *Vault) KnowsAppSecret(appID string) (has, known bool) {
	key, err := keyFor(prefixAppSecret, appID)
	if err != nil {
		return false, true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	value, known := v.known[key]
	return value != "", known
}

// SetAppSecret stores the Facebook app secret of appID.
func (v *Vault) SetAppSecret(appID, secret string) error {
	return v.set(prefixAppSecret, appID, secret)
}

// DeleteAppSecret forgets the app secret of appID.
func (v *Vault) DeleteAppSecret(appID string) error { return v.del(prefixAppSecret, appID) }

// UserToken returns the user access token of the Facebook profile profileID.
func (v *Vault) UserToken(profileID string) (string, error) {
	return v.get(prefixUserToken, profileID)
}

// SetUserToken stores the user access token of profileID.
func (v *Vault) SetUserToken(profileID, token string) error {
	return v.set(prefixUserToken, profileID, token)
}

// DeleteUserToken forgets the user access token of profileID.
func (v *Vault) DeleteUserToken(profileID string) error { return v.del(prefixUserToken, profileID) }

// PageToken returns the Page access token of pageID.
func (v *Vault) PageToken(pageID string) (string, error) {
	if _, err := keyFor(prefixPageToken, pageID); err != nil {
		return "", err
	}
	v.mu.Lock()
	tok, decided := "", false
	if v.pages != nil {
		tok, decided = v.pages.lookup(pageID)
	}
	v.mu.Unlock()
	if !decided {
		var err error
		if tok, err = v.readPageToken(pageID); err != nil {
			return "", err
		}
	}
	if tok == "" {
		return "", ErrNotFound
	}
	return tok, nil
}

// SetPageToken stores the Page access token of pageID.
func (v *Vault) SetPageToken(pageID, token string) error {
	if _, err := checked(prefixPageToken, pageID, token); err != nil {
		return err
	}
	return v.writePages(map[string]string{pageID: token}, nil, nil)
}

// DeletePageToken forgets the Page access token of pageID.
func (v *Vault) DeletePageToken(pageID string) error {
	if _, err := keyFor(prefixPageToken, pageID); err != nil {
		return err
	}
	return v.writePages(map[string]string{pageID: ""}, nil, []string{pageID})
}

// HookSecret returns the signing secret of the webhook hookID.
func (v *Vault) HookSecret(hookID string) (string, error) { return v.get(prefixHookKey, hookID) }

// SetHookSecret stores the signing secret of the webhook hookID.
func (v *Vault) SetHookSecret(hookID, secret string) error {
	return v.set(prefixHookKey, hookID, secret)
}

// DeleteHookSecret forgets the signing secret of the webhook hookID.
func (v *Vault) DeleteHookSecret(hookID string) error { return v.del(prefixHookKey, hookID) }

// ForgetProfile deletes the user token of profileID and the Page tokens of
// pageIDs (in one write). It goes on after a failure so one bad entry does
// not leave the others behind, and returns every failure joined.
func (v *Vault) ForgetProfile(profileID string, pageIDs ...string) error {
	var errs []error
	if profileID != "" {
		errs = append(errs, v.DeleteUserToken(profileID))
	}
	gone := make(map[string]string, len(pageIDs))
	for _, id := range pageIDs {
		if _, err := keyFor(prefixPageToken, id); err != nil {
			errs = append(errs, err)
			continue
		}
		gone[id] = ""
	}
	if len(gone) > 0 {
		errs = append(errs, v.writePages(gone, nil, slices.Collect(maps.Keys(gone))))
	}
	return errors.Join(errs...)
}

// Clear deletes every secret of the service (a full reset of Pagekeeper).
// It needs a Secrets that can enumerate its entries, as Keyring and Memory can.
func (v *Vault) Clear() error {
	all, ok := v.s.(interface{ DeleteAll() error })
	if !ok {
		return fmt.Errorf("this secret store (%T) cannot delete all entries", v.s)
	}
	v.wmu.Lock()
	defer v.wmu.Unlock()
	// Forgotten after: a read meanwhile may have put back what is deleted.
	err := all.DeleteAll()
	v.forget()
	return err
}

// LoadTokens reads the Page tokens of pageIDs and the user tokens of
// profileIDs that this process does not hold yet, together: one keychain
// round trip where the platform allows (see Bulk and Scanner). Missing
// tokens are not an error; the typed getters then say ErrNotFound, without
// asking again.
func (v *Vault) LoadTokens(pageIDs, profileIDs []string) error {
	var keys []string
	for _, id := range pageIDs {
		if _, err := keyFor(prefixPageToken, id); err != nil {
			return err
		}
	}
	v.mu.Lock()
	for _, id := range profileIDs {
		key, err := keyFor(prefixUserToken, id)
		if err != nil {
			v.mu.Unlock()
			return err
		}
		if _, ok := v.known[key]; !ok {
			keys = append(keys, key)
		}
	}
	v.mu.Unlock()
	if len(pageIDs) == 0 {
		return v.fetchKnown(keys)
	}
	v.wmu.Lock()
	defer v.wmu.Unlock()
	return v.readPages(pageIDs, keys...)
}

// fetchKnown reads the entries of keys into what this process knows.
func (v *Vault) fetchKnown(keys []string) error {
	got, err := v.fetch(keys)
	if err != nil {
		return err
	}
	v.mu.Lock()
	for _, key := range keys {
		v.known[key] = got[key]
	}
	v.mu.Unlock()
	return nil
}

// fetch reads the entries of keys that exist, together where it can.
func (v *Vault) fetch(keys []string) (map[string]string, error) {
	got := map[string]string{}
	if len(keys) == 0 {
		return got, nil
	}
	if b, ok := v.s.(Bulk); ok {
		return b.GetMany(keys)
	}
	for _, key := range keys {
		value, err := v.s.Get(key)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		got[key] = value
	}
	return got, nil
}

// SetTokens stores a person's user token and their Page tokens (page id ->
// token) together: one keychain connection and session for all of them
// where the platform allows. Every value is checked before any is stored.
func (v *Vault) SetTokens(profileID, userToken string, pageTokens map[string]string) error {
	userKey, err := checked(prefixUserToken, profileID, userToken)
	if err != nil {
		return err
	}
	for id, token := range pageTokens {
		if _, err := checked(prefixPageToken, id, token); err != nil {
			return err
		}
	}
	return v.writePages(pageTokens, map[string]string{userKey: userToken}, nil)
}

// Saved is what a person's user token and some Page tokens were, for
// putting them back (Restore).
type Saved struct {
	profileID, userToken string
	pages                map[string]string // "": none
}

// Save notes what the user token of profileID and the Page tokens of
// pageIDs are now, so Restore can put them back after a failed change.
// A Page token still in the old layout is noted too, and put back in a
// numbered entry: Migrate may delete its old entry in between.
func (v *Vault) Save(profileID string, pageIDs []string) (Saved, error) {
	userKey, err := keyFor(prefixUserToken, profileID)
	if err != nil {
		return Saved{}, err
	}
	for _, id := range pageIDs {
		if _, err := keyFor(prefixPageToken, id); err != nil {
			return Saved{}, err
		}
	}
	v.mu.Lock()
	_, known := v.known[userKey]
	v.mu.Unlock()
	var keys []string
	if !known {
		keys = []string{userKey}
	}
	v.wmu.Lock()
	defer v.wmu.Unlock()
	if err := v.readPages(pageIDs, keys...); err != nil {
		return Saved{}, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	s := Saved{profileID: profileID, userToken: v.known[userKey], pages: make(map[string]string, len(pageIDs))}
	for _, id := range pageIDs {
		s.pages[id], _ = v.pages.lookup(id)
	}
	return s, nil
}

// Restore puts back what Save noted, the Page tokens in one write.
func (v *Vault) Restore(s Saved) error {
	if s.profileID == "" {
		return nil
	}
	if s.userToken == "" {
		return errors.Join(v.DeleteUserToken(s.profileID), v.writePages(s.pages, nil, nil))
	}
	key, err := keyFor(prefixUserToken, s.profileID)
	if err != nil {
		return err
	}
	return v.writePages(s.pages, map[string]string{key: s.userToken}, nil)
}

func (v *Vault) forget() {
	v.mu.Lock()
	clear(v.known)
	v.pages = nil
	v.mu.Unlock()
}

func (v *Vault) get(prefix, id string) (string, error) {
	key, err := keyFor(prefix, id)
	if err != nil {
		return "", err
	}
	v.mu.Lock()
	value, ok := v.known[key]
	v.mu.Unlock()
	switch {
	case ok && value == "":
		return "", ErrNotFound
	case ok:
		return value, nil
	}
	value, err = v.s.Get(key)
	if errors.Is(err, ErrNotFound) {
		v.mu.Lock()
		v.known[key] = ""
		v.mu.Unlock()
	}
	if err != nil {
		return "", err
	}
	v.mu.Lock()
	v.known[key] = value
	v.mu.Unlock()
	return value, nil
}

func (v *Vault) set(prefix, id, value string) error {
	key, err := checked(prefix, id, value)
	if err != nil {
		return err
	}
	err = v.s.Set(key, value)
	v.mu.Lock()
	defer v.mu.Unlock()
	if err != nil {
		delete(v.known, key) // the old value may or may not be there now
		return err
	}
	v.known[key] = value
	return nil
}

// checked builds the key of a secret to store, refusing values that are
// empty, padded or too large for some platform's keychain.
func checked(prefix, id, value string) (string, error) {
	key, err := keyFor(prefix, id)
	if err != nil {
		return "", err
	}
	if value == "" {
		return "", fmt.Errorf("refusing to store an empty %s for %q: delete it instead", what(prefix), id)
	}
	if prefix == prefixPageToken && !utf8.ValidString(value) {
		// The numbered entries are JSON, which would alter it.
		return "", fmt.Errorf("refusing to store a %s for %q that is not UTF-8 text", what(prefix), id)
	}
	if strings.TrimSpace(value) != value {
		return "", fmt.Errorf("refusing to store a %s for %q with leading or trailing white space: it was probably pasted with extra characters", what(prefix), id)
	}
	if err := checkSize(DefaultService, key, value); err != nil {
		return "", fmt.Errorf("%s for %q: %w", what(prefix), id, err)
	}
	return key, nil
}

func (v *Vault) del(prefix, id string) error {
	key, err := keyFor(prefix, id)
	if err != nil {
		return err
	}
	v.mu.Lock()
	delete(v.known, key)
	v.mu.Unlock()
	return v.s.Delete(key)
}

// keyFor builds the keychain entry name. IDs are Facebook object IDs (digits),
// but demo data and app IDs are checked only for what would make an ambiguous
// or unprintable entry name.
func keyFor(prefix, id string) (string, error) {
	if id == "" {
		return "", fmt.Errorf("%s: the ID is empty", what(prefix))
	}
	if len(id) > 128 {
		return "", fmt.Errorf("%s: the ID is %d characters long, at most 128 are allowed", what(prefix), len(id))
	}
	if !utf8.ValidString(id) {
		return "", fmt.Errorf("%s: the ID %q is not UTF-8 text", what(prefix), id)
	}
	for _, r := range id {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) || r == ':' {
			return "", fmt.Errorf("%s: the ID %q contains a space, a colon or an unprintable character", what(prefix), id)
		}
	}
	return prefix + id, nil
}

func what(prefix string) string {
	switch prefix {
	case prefixAppSecret:
		return "app secret"
	case prefixUserToken:
		return "user access token"
	case prefixHookKey:
		return "webhook signing secret"
	default:
		return "Page access token"
	}
}
