// Package testport finds loopback ports for tests that must name a port
// before anything listens on it, such as a login's redirect port.
package testport

import (
	"math/rand/v2"
	"net"
	"strconv"
	"testing"
)

// Free returns a port on 127.0.0.1 that nothing listens on now, picked below
// the ephemeral ranges (Linux 32768-60999, Windows 49152-65535). A port the
// kernel hands out for a listen-and-close is soon reused as the local end of
// one of the many outgoing connections the tests make, and the login that
// binds it later fails with "port in use".
func Free(t testing.TB) int {
	t.Helper()
	for range 500 {
		port := 20000 + rand.IntN(12000)
		ln, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			ln.Close()
			return port
		}
	}
	t.Fatal("testport: no free port between 20000 and 32000 on 127.0.0.1")
	return 0
}
