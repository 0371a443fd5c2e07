// Command notify-recorder is the notifytest recorder as a process, for the
// browser tests: it claims org.freedesktop.Notifications on the session bus
// (run it inside dbus-run-session, before the app starts) and prints one
// JSON line per Notify and CloseNotification call, after a first
// {"event":"ready"} line. It stops when stdin closes or on a signal.
//
//	go run ./backend/notify/notifytest/cmd/notify-recorder
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/notify/notifytest"
)

type line struct {
	Event   string `json:"event"` // ready | notify | close
	ID      uint32 `json:"id,omitempty"`
	AppName string `json:"appName,omitempty"`
	Summary string `json:"summary,omitempty"`
	Body    string `json:"body,omitempty"`
	Urgency int    `json:"urgency,omitempty"`
}

func main() {
	rec, err := notifytest.New(os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "notify-recorder:", err)
		os.Exit(1)
	}
	defer rec.Close()
	enc := json.NewEncoder(os.Stdout)
	enc.Encode(line{Event: "ready"})

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		io.Copy(io.Discard, os.Stdin)
		stop <- syscall.SIGTERM
	}()
	calls, closed := 0, 0
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, c := range rec.Calls()[calls:] {
			enc.Encode(line{Event: "notify", ID: c.ID, AppName: c.AppName, Summary: c.Summary, Body: c.Body, Urgency: c.Urgency()})
			calls++
		}
		for _, id := range rec.Closed()[closed:] {
			enc.Encode(line{Event: "close", ID: id})
			closed++
		}
		select {
		case <-stop:
			return
		case <-tick.C:
		}
	}
}
