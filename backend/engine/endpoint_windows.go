package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"
)

// Endpoint is the named pipe of the data folder dir's engine: one per folder.
func Endpoint(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	sum := sha256.Sum256([]byte(strings.ToLower(abs)))
	return `\\.\pipe\pagekeeper-engine-` + hex.EncodeToString(sum[:12])
}

// listen creates the pipe with a protected DACL granting the current user
// alone: another user cannot open it. A pipe dies with its process, so a
// killed app leaves nothing behind.
func listen(dir string) (net.Listener, error) {
	tok := windows.GetCurrentProcessToken()
	user, err := tok.GetTokenUser()
	if err != nil {
		return nil, fmt.Errorf("cannot serve the command line: %w", err)
	}
	sddl := "D:P(A;;GA;;;" + user.User.Sid.String() + ")"
	ln, err := winio.ListenPipe(Endpoint(dir), &winio.PipeConfig{SecurityDescriptor: sddl})
	if err != nil {
		return nil, fmt.Errorf("cannot serve the command line on %s: %w", Endpoint(dir), err)
	}
	return ln, nil
}

func dial(ctx context.Context, dir string) (net.Conn, error) {
	c, err := winio.DialPipeContext(ctx, Endpoint(dir))
	if err != nil {
		if errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
			return nil, ErrNoEngine
		}
		return nil, fmt.Errorf("cannot reach the running Pagekeeper on %s: %w", Endpoint(dir), err)
	}
	return c, nil
}

// checkPeer: the pipe's DACL already keeps every other user out.
func checkPeer(net.Conn) error { return nil }
