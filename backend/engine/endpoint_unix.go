//go:build unix

package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"
)

// SocketName is the engine's socket in the data folder.
const SocketName = "engine.sock"

// Endpoint is where the engine of the data folder dir listens.
func Endpoint(dir string) string { return filepath.Join(dir, SocketName) }

// maxPath is the longest socket path every Unix takes (sun_path is 104
// bytes on macOS and the BSDs, 108 on Linux, NUL included).
const maxPath = 103

func listen(dir string) (net.Listener, error) {
	path := Endpoint(dir)
	if len(path) > maxPath {
		return nil, fmt.Errorf("cannot serve the command line: the data folder's path is too long for a socket (%d characters, at most %d)", len(path), maxPath-len(SocketName)-1)
	}
	// The caller holds the database, so no live engine can be here: whatever
	// is left is a killed app's socket. Anything that is not a socket stays.
	if st, err := os.Lstat(path); err == nil {
		if st.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("cannot serve the command line: %s is in the way (not a socket)", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("cannot replace the stale socket %s: %w", path, err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("cannot serve the command line on %s: %w", path, err)
	}
	// The folder is the user's alone already; the socket is too.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

func dial(ctx context.Context, dir string) (net.Conn, error) {
	if len(Endpoint(dir)) > maxPath {
		return nil, ErrNoEngine // no app can serve it
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", Endpoint(dir))
	if err != nil {
		// No socket, or one nobody listens on (a killed app's).
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) {
			return nil, ErrNoEngine
		}
		return nil, fmt.Errorf("cannot reach the running Pagekeeper on %s: %w", Endpoint(dir), err)
	}
	// The engine must be the same user, as the engine checks its clients.
	uid, err := peerOf(c)
	if err == nil && uid != os.Getuid() {
		err = fmt.Errorf("the Pagekeeper serving %s runs as another user (uid %d)", dir, uid)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// checkPeer refuses a client of another user.
func checkPeer(c net.Conn) error {
	uid, err := peerOf(c)
	if err != nil {
		return err
	}
	if me := os.Getuid(); uid != me {
		return fmt.Errorf("this Pagekeeper belongs to another user: it serves uid %d only, not uid %d", me, uid)
	}
	return nil
}

// peerOf is the user on the other end of a Unix socket.
func peerOf(c net.Conn) (int, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return -1, errors.New("not a local socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return -1, err
	}
	uid, err := -1, error(nil)
	if cerr := raw.Control(func(fd uintptr) { uid, err = peerUID(int(fd)) }); cerr != nil {
		return -1, cerr
	}
	if err != nil {
		return -1, fmt.Errorf("cannot tell which user is on the other end: %w", err)
	}
	return uid, nil
}
