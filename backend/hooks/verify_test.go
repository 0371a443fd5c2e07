package hooks

// What a receiver does with a delivery, in Go: the tests check deliveries
// with it (and the README's Python against it). The app itself only signs.

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how old a delivery Verify accepts.
const DefaultTolerance = 5 * time.Minute

// Errors of Verify.
var (
	ErrBadSignature = errors.New("the signature does not match the body and timestamp")
	ErrTooOld       = errors.New("the delivery's timestamp is outside the tolerance: a replay, or a clock far off")
	ErrNoSignature  = errors.New("no usable " + SignatureHeader + " header (want t=...,v1=...)")
)

// Verify checks a delivery as a receiver should: one of the header's v1
// signatures matches, compared in constant time, and its timestamp is
// within tolerance of now. It returns the signed timestamp.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) (time.Time, error) {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return time.Time{}, ErrNoSignature
	}
	want := []byte(mac(secret, ts, body))
	ok := false
	for _, s := range sigs {
		if hmac.Equal([]byte(s), want) {
			ok = true
		}
	}
	if !ok {
		return time.Time{}, ErrBadSignature
	}
	at := time.Unix(sec, 0)
	if d := now.Sub(at); d > tolerance || d < -tolerance {
		return at, fmt.Errorf("%w (signed %s ago)", ErrTooOld, d.Round(time.Second))
	}
	return at, nil
}
