package store

import (
	"errors"
	"syscall"
)

// Windows' codes (winerror.h): ERROR_HANDLE_DISK_FULL 39, ERROR_DISK_FULL 112,
// ERROR_WRITE_PROTECT 19.
func diskFull(err error) bool {
	return errors.Is(err, syscall.Errno(39)) || errors.Is(err, syscall.Errno(112)) || errors.Is(err, syscall.ENOSPC)
}

func readOnlyDisk(err error) bool { return errors.Is(err, syscall.Errno(19)) }
