package window

import (
	"os"

	"golang.org/x/sys/windows"
)

// The window build is a GUI-subsystem program: started from cmd.exe or
// PowerShell it has no console, so `pagekeeper-window.exe status` would print
// nothing. Attaching to the parent's console before anything prints fixes
// that; output already redirected to a file or a pipe is left alone. The
// console build (pagekeeper.exe) has a console already, and this does nothing.
func init() {
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return
	}
	reopen(windows.STD_INPUT_HANDLE, "CONIN$", &os.Stdin, windows.GENERIC_READ|windows.GENERIC_WRITE)
	reopen(windows.STD_OUTPUT_HANDLE, "CONOUT$", &os.Stdout, windows.GENERIC_READ|windows.GENERIC_WRITE)
	reopen(windows.STD_ERROR_HANDLE, "CONOUT$", &os.Stderr, windows.GENERIC_READ|windows.GENERIC_WRITE)
}

func reopen(std uint32, device string, f **os.File, access uint32) {
	if h, err := windows.GetStdHandle(std); err == nil && h != 0 && h != windows.InvalidHandle {
		if t, err := windows.GetFileType(h); err == nil && t != windows.FILE_TYPE_UNKNOWN {
			return // redirected by the caller
		}
	}
	name, _ := windows.UTF16PtrFromString(device)
	h, err := windows.CreateFile(name, access, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return
	}
	_ = windows.SetStdHandle(std, h)
	*f = os.NewFile(uintptr(h), device)
}
