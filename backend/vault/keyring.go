package vault

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// DefaultTimeout bounds one keychain call. go-keyring waits without limit for
// an unlock prompt to be answered; a person needs some seconds to type a
// password, a missing prompter never answers.
const DefaultTimeout = 2 * time.Minute

// Reason says why the keychain could not be used.
type Reason int

const (
	// Other is any failure that is neither Absent nor Locked.
	Other Reason = iota
	// Absent: there is no keychain service to talk to (no Secret Service on
	// the D-Bus session bus, or no session bus at all).
	Absent
	// Locked: the keychain exists but is locked and was not unlocked.
	Locked
)

func (r Reason) String() string {
	switch r {
	case Absent:
		return "absent"
	case Locked:
		return "locked"
	default:
		return "other"
	}
}

// UnavailableError means the system keychain could not be used. Its message
// says what happened and how to fix it; it never contains a secret.
type UnavailableError struct {
	Reason Reason
	Cause  error
}

func (e *UnavailableError) Error() string {
	msg := unavailableWords(runtime.GOOS, e.Reason)
	if e.Cause != nil {
		msg += " (" + e.Cause.Error() + ")"
	}
	return msg
}

// unavailableWords says what went wrong in the words of the owner's own
// system: what its keychain is called and where they unlock it.
func unavailableWords(goos string, r Reason) string {
	switch goos {
	case "darwin":
		switch r {
		case Locked:
			return "your macOS keychain is locked or did not let Pagekeeper in: unlock the login keychain in Keychain Access (or log out and in again), click Always Allow if macOS asks whether Pagekeeper may use it, and try again"
		case Absent:
			return "no macOS keychain is open in this session (over SSH or in a service, the login keychain is not unlocked): run Pagekeeper in your desktop session, or unlock it with `security unlock-keychain`; Pagekeeper never stores tokens in a plain file"
		}
		return "the macOS keychain could not be used: open Keychain Access, check that the login keychain is unlocked, and try again"
	case "windows":
		switch r {
		case Locked:
			return "Windows Credential Manager did not answer in time: make sure you are signed in to Windows (not only connected remotely), and try again"
		case Absent:
			return "Windows Credential Manager is not available in this session (a service or a remote session without your profile): run Pagekeeper signed in as yourself; Pagekeeper never stores tokens in a plain file"
		}
		return "Windows Credential Manager could not be used: open Credential Manager (Control Panel) to check it works, and try again"
	}
	switch r {
	case Absent:
		return "no system keychain was found (no Secret Service such as gnome-keyring or KWallet answers on the D-Bus session bus): install or start one, log in to a desktop session, and try again; Pagekeeper never stores tokens in a plain file"
	case Locked:
		return "the system keychain is locked: unlock it (Passwords and Keys / seahorse, or log out and in again) and try again"
	}
	return "the system keychain could not be used: check that it runs and is unlocked, then try again"
}

func (e *UnavailableError) Unwrap() error { return e.Cause }

// Keyring is the Secrets of the operating system's keychain through
// github.com/zalando/go-keyring: the Secret Service on Linux (gnome-keyring,
// KWallet), the Keychain on macOS, the Credential Manager on Windows.
// Its errors are ErrNotFound, ErrTooLarge or *UnavailableError.
type Keyring struct {
	// Service is the keychain service name; empty means DefaultService.
	Service string
	// Timeout bounds each call; zero means DefaultTimeout.
	Timeout time.Duration
}

var _ Secrets = Keyring{}

func (k Keyring) service() string {
	if k.Service == "" {
		return DefaultService
	}
	return k.Service
}

// Get returns the secret stored under key, or ErrNotFound.
func (k Keyring) Get(key string) (string, error) {
	value, err := call(k, "read", func() (string, error) { return keyring.Get(k.service(), key) })
	return value, classify(err, "")
}

// Set stores value under key, replacing any earlier value.
func (k Keyring) Set(key, value string) error {
	if err := checkSize(k.service(), key, value); err != nil {
		return err
	}
	_, err := call(k, "write", func() (struct{}, error) { return struct{}{}, keyring.Set(k.service(), key, value) })
	return classify(err, value)
}

// Delete removes key; a missing key is not an error.
func (k Keyring) Delete(key string) error {
	_, err := call(k, "delete", func() (struct{}, error) { return struct{}{}, keyring.Delete(k.service(), key) })
	if err = classify(err, ""); errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// DeleteAll removes every entry of the service, e.g. when the user resets
// Pagekeeper. Having none is not an error.
func (k Keyring) DeleteAll() error {
	_, err := call(k, "delete", func() (struct{}, error) { return struct{}{}, keyring.DeleteAll(k.service()) })
	if err = classify(err, ""); errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// errTimeout is the Cause when the keychain did not answer in time.
type errTimeout struct {
	op string
	d  time.Duration
}

func (e errTimeout) Error() string {
	return fmt.Sprintf("the keychain did not answer a %s within %s; an unlock prompt may be waiting", e.op, e.d)
}

func call[T any](k Keyring, op string, fn func() (T, error)) (T, error) {
	if err := checkSessionBus(); err != nil {
		var zero T
		return zero, err
	}
	d := k.Timeout
	if d <= 0 {
		d = DefaultTimeout
	}
	return withTimeout(op, d, fn)
}

// withTimeout runs fn, giving up after d. Results travel only through the
// channel, so an abandoned fn finishing later touches nothing of the caller.
func withTimeout[T any](op string, d time.Duration, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.v, r.err
	case <-timer.C:
		// The goroutine stays blocked inside go-keyring until the prompt
		// is answered or the bus goes away; it holds nothing of ours.
		var zero T
		return zero, &UnavailableError{Reason: Locked, Cause: errTimeout{op, d}}
	}
}

// classify maps go-keyring's and godbus' errors (strings verified with
// go-keyring v0.2.8 against gnome-keyring, see shared/TOOLCHAIN.md) onto this
// package's errors. secret, when not empty, is scrubbed from the cause.
func classify(err error, secret string) error {
	if err == nil {
		return nil
	}
	var ue *UnavailableError
	if errors.As(err, &ue) {
		return err
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		return ErrTooLarge
	}
	return &UnavailableError{Reason: reasonOf(err), Cause: redact(err, secret)}
}

func reasonOf(err error) Reason {
	name := ""
	var de dbus.Error
	var dep *dbus.Error
	switch {
	case errors.As(err, &de):
		name = de.Name
	case errors.As(err, &dep):
		name = dep.Name
	}
	switch name {
	case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
		return Absent
	case "org.freedesktop.Secret.Error.IsLocked":
		return Locked
	}
	if r, ok := securityExitReason(runtime.GOOS, err); ok {
		return r
	}
	msg := err.Error()
	var opErr *net.OpError
	switch {
	case strings.Contains(msg, "was not provided by any .service files"),
		strings.Contains(msg, "couldn't determine address of session bus"),
		errors.As(err, &opErr):
		return Absent
	case strings.Contains(msg, "failed to unlock correct collection"),
		strings.Contains(msg, "is locked"):
		return Locked
	}
	return Other
}

// redactedError keeps a cause's text without the secret it may echo.
type redactedError struct{ msg string }

func (e redactedError) Error() string { return e.msg }

func redact(err error, secret string) error {
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return redactedError{strings.ReplaceAll(err.Error(), secret, "[secret]")}
}

// securityExitReason reads macOS' /usr/bin/security, which go-keyring runs:
// its exit status is the low byte of the Security framework's OSStatus, and
// go-keyring keeps only that. 36 is errSecInteractionNotAllowed (-25308: the
// keychain is locked and no prompt can be shown), 51 errSecAuthFailed
// (-25293: a wrong password at the unlock prompt), 128 errSecUserCanceled
// (-128: the prompt was cancelled).
func securityExitReason(goos string, err error) (Reason, bool) {
	var ee *exec.ExitError
	if goos != "darwin" || !errors.As(err, &ee) {
		return Other, false
	}
	switch ee.ExitCode() {
	case 36, 51, 128:
		return Locked, true
	}
	return Other, false
}
