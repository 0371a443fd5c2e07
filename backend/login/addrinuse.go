package login

import (
	"errors"
	"syscall"
)

// wsaeAddrInUse is Winsock's WSAEADDRINUSE. Go's syscall.EADDRINUSE on
// Windows is an invented number no socket call returns, so a taken port would
// otherwise surface as "bind: winapi error #10048".
const wsaeAddrInUse = syscall.Errno(10048)

func addrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, wsaeAddrInUse)
}
