package vault

import (
	"cmp"
	"errors"
	"fmt"
	"strings"

	"github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

// On Linux the Secret Service answers many items per call: one connection,
// one session and one unlock for the lot, SearchItems for every entry of the
// service, then GetSecrets for all of them at once. go-keyring's Get, by
// contrast, opens a session, unlocks and searches the whole keyring per
// entry. Entries are go-keyring's own ({service, username} attributes, its
// label and content type), so both ways read what the other wrote.

// chunkBytes is the largest Page token entry on Linux. The Secret Service
// has no small limit, and gnome-keyring rewrites its whole file for every
// entry it stores, so fewer, larger entries are faster: measured on
// gnome-keyring with 200-byte tokens, 1,000 tokens took 16 s as 1,000
// entries, 0.35 s in 2,560-byte entries and 21 ms in 64 KiB ones; 5,000
// took 7.5 s, 1.2 s (8 KiB) and 0.24 s. Larger entries gain little more
// and make a one-token change rewrite more.
const chunkBytes = 64 << 10

const (
	ssName    = "org.freedesktop.secrets"
	ssPath    = dbus.ObjectPath("/org/freedesktop/secrets")
	itemIface = "org.freedesktop.Secret.Item"
	collIface = "org.freedesktop.Secret.Collection"
)

type secretService struct {
	svc     *ss.SecretService
	session dbus.BusObject
	coll    dbus.BusObject
}

func openSecretService() (*secretService, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, err
	}
	session, err := svc.OpenSession()
	if err != nil {
		return nil, err
	}
	s := &secretService{svc: svc, session: session, coll: svc.GetLoginCollection()}
	if err := svc.Unlock(s.coll.Path()); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *secretService) close() { _ = s.svc.Close(s.session) }

// items maps the service's entries (by key) to their item paths: one search,
// then every item's attributes asked for at once and awaited together.
func (s *secretService) items(service string) (map[string]dbus.ObjectPath, error) {
	paths, err := s.svc.SearchItems(s.coll, map[string]string{"service": service})
	if err != nil {
		return nil, err
	}
	return s.named(service, paths)
}

// named reads the keys of the items at paths. An item deleted since the
// search is left out: a reader beside the window may list while the window
// deletes (gnome-keyring then answers UnknownMethod, "Object does not exist").
func (s *secretService) named(service string, paths []dbus.ObjectPath) (map[string]dbus.ObjectPath, error) {
	done := make(chan *dbus.Call, len(paths))
	for _, p := range paths {
		s.svc.Object(ssName, p).Go("org.freedesktop.DBus.Properties.Get", 0, done, itemIface, "Attributes")
	}
	byKey := make(map[string]dbus.ObjectPath, len(paths))
	var firstErr error
	for range paths {
		c := <-done
		var attrs map[string]string
		if err := c.Store(&attrs); err != nil {
			if !vanished(err) {
				firstErr = err
			}
			continue
		}
		if attrs["service"] == service {
			byKey[attrs["username"]] = c.Path
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return byKey, nil
}

func vanished(err error) bool {
	var de dbus.Error
	if !errors.As(err, &de) {
		return false
	}
	return de.Name == "org.freedesktop.DBus.Error.UnknownMethod" || de.Name == "org.freedesktop.DBus.Error.UnknownObject"
}

// fewKeys is up to how many keys getMany searches for one by one: each
// search costs the keyring a pass over its items, while listing the
// service's items costs one attributes call per item.
const fewKeys = 16

// find maps keys to their item paths, one search per key, all sent at once.
func (s *secretService) find(service string, keys []string) (map[string]dbus.ObjectPath, error) {
	done := make(chan *dbus.Call, len(keys))
	for _, key := range keys {
		s.coll.Go(collIface+".SearchItems", 0, done, map[string]string{"service": service, "username": key})
	}
	byKey := make(map[string]dbus.ObjectPath, len(keys))
	for range keys {
		c := <-done
		var paths []dbus.ObjectPath
		if err := c.Store(&paths); err != nil {
			return nil, err
		}
		if len(paths) > 0 {
			byKey[c.Args[0].(map[string]string)["username"]] = paths[0]
		}
	}
	return byKey, nil
}

// lookup maps keys to their item paths the cheaper way for their number.
func (s *secretService) lookup(service string, keys []string) (map[string]dbus.ObjectPath, error) {
	if len(keys) <= fewKeys {
		return s.find(service, keys)
	}
	return s.items(service)
}

func getMany(service string, keys []string) (map[string]string, error) {
	s, err := openSecretService()
	if err != nil {
		return nil, err
	}
	defer s.close()
	byKey, err := s.lookup(service, keys)
	if err != nil {
		return nil, err
	}
	return s.secrets(byKey, keys, nil)
}

// Scan reads the entries of keys and every entry whose name starts with one
// of prefixes, listing the service's items once.
func (k Keyring) Scan(keys, prefixes []string) (map[string]string, error) {
	got, err := call(k, "read", func() (map[string]string, error) {
		s, err := openSecretService()
		if err != nil {
			return nil, err
		}
		defer s.close()
		byKey, err := s.items(k.service())
		if err != nil {
			return nil, err
		}
		return s.secrets(byKey, keys, prefixes)
	})
	return got, classify(err, "")
}

// secrets reads, in one GetSecrets call, the items of byKey named in keys or
// starting with one of prefixes.
func (s *secretService) secrets(byKey map[string]dbus.ObjectPath, keys, prefixes []string) (map[string]string, error) {
	want := map[dbus.ObjectPath]string{}
	for _, key := range keys {
		if p, ok := byKey[key]; ok {
			want[p] = key
		}
	}
	for key, p := range byKey {
		for _, prefix := range prefixes {
			if strings.HasPrefix(key, prefix) {
				want[p] = key
			}
		}
	}
	got := make(map[string]string, len(want))
	if len(want) == 0 {
		return got, nil
	}
	paths := make([]dbus.ObjectPath, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	var secrets map[dbus.ObjectPath]ss.Secret
	err := s.svc.Object(ssName, ssPath).
		Call("org.freedesktop.Secret.Service.GetSecrets", 0, paths, s.session.Path()).Store(&secrets)
	if err != nil {
		return nil, err
	}
	for p, sec := range secrets {
		if key, ok := want[p]; ok {
			got[key] = string(sec.Value)
		}
	}
	return got, nil
}

// deleteMany deletes the items of keys, every call sent before the first
// answer is awaited. An item whose deletion needs a prompt (a keyring that
// asks) is deleted again through go-keyring, which shows the prompt.
func deleteMany(service string, keys []string) error {
	s, err := openSecretService()
	if err != nil {
		return err
	}
	defer s.close()
	byKey, err := s.lookup(service, keys)
	if err != nil {
		return err
	}
	done := make(chan *dbus.Call, len(keys))
	sent := 0
	for _, key := range keys {
		if p, ok := byKey[key]; ok {
			s.svc.Object(ssName, p).Go(itemIface+".Delete", 0, done)
			sent++
		}
	}
	var prompted []dbus.ObjectPath
	var firstErr error
	for range sent {
		c := <-done
		var prompt dbus.ObjectPath
		if err := c.Store(&prompt); err != nil {
			if !vanished(err) { // deleted meanwhile: what was asked
				firstErr = cmp.Or(firstErr, err)
			}
		} else if prompt != "/" {
			prompted = append(prompted, c.Path)
		}
	}
	for _, p := range prompted {
		if err := s.svc.Delete(p); err != nil {
			firstErr = cmp.Or(firstErr, err)
		}
	}
	return firstErr
}

func setMany(service string, entries map[string]string) error {
	s, err := openSecretService()
	if err != nil {
		return err
	}
	defer s.close()
	byKey, err := s.items(service)
	if err != nil {
		return err
	}
	// Every write is sent before the first answer is awaited: the keyring
	// works through them back to back instead of waiting on the bus each time.
	done := make(chan *dbus.Call, len(entries))
	for key, value := range entries {
		secret := ss.NewSecret(s.session.Path(), value)
		if p, ok := byKey[key]; ok {
			s.svc.Object(ssName, p).Go(itemIface+".SetSecret", 0, done, secret)
			continue
		}
		props := map[string]dbus.Variant{
			itemIface + ".Label":      dbus.MakeVariant(fmt.Sprintf("Password for '%s' on '%s'", key, service)),
			itemIface + ".Attributes": dbus.MakeVariant(map[string]string{"username": key, "service": service}),
		}
		s.coll.Go(collIface+".CreateItem", 0, done, props, secret, true)
	}
	var firstErr error
	for range entries {
		if c := <-done; c.Err != nil && firstErr == nil {
			firstErr = c.Err
		}
	}
	return firstErr
}
