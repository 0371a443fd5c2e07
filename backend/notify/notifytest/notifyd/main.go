// Command notifyd is the recording notification service for the browser
// tests: it claims org.freedesktop.Notifications on the session bus, prints
// "ready", then one JSON line per notification shown, until stdin closes.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/notify/notifytest"
)

func main() {
	rec, err := notifytest.New(os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "notifyd:", err)
		os.Exit(1)
	}
	defer rec.Close()
	fmt.Println("ready")
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(done)
	}()
	enc := json.NewEncoder(os.Stdout)
	seen := 0
	for {
		select {
		case <-done:
			return
		case <-time.After(50 * time.Millisecond):
		}
		calls := rec.Calls()
		for _, c := range calls[seen:] {
			enc.Encode(map[string]string{"app": c.AppName, "summary": c.Summary, "body": c.Body})
		}
		seen = len(calls)
	}
}
