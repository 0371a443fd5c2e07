// Package engine lets the command line work while the window runs. bbolt
// lets one process hold the database, so the running app serves its keeper
// (the engine) to the commands of the same user, the way Docker's CLI talks
// to its daemon: JSON over HTTP on a local endpoint that only that user can
// reach.
//
//   - Linux and macOS: the Unix socket engine.sock in the data folder (the
//     folder is 0700, the socket 0600), and every connection's peer user is
//     checked (SO_PEERCRED, LOCAL_PEERCRED): another user is answered 403.
//   - Windows: the named pipe \\.\pipe\pagekeeper-engine-<hash of the data
//     folder>, whose security descriptor grants the current user alone.
//
// There is no TCP port, and no secret crosses the endpoint: what a command
// prints is what the window may show, and a command that would print or read
// a secret (setup's App Secret, a token) runs in the client instead.
//
// # Protocol (version 1)
//
//	GET  /v1/version          {"api":1,"name":"Pagekeeper","version":"..."}
//	GET  /v1/snapshot         the window's whole state (keeper.Snapshot)
//	GET  /v1/events           newline-delimited {"event":NAME,"data":...}, as the window gets them
//	GET  /v1/commands         the commands the engine runs: {"commands":["check",...]}
//	POST /v1/commands/NAME    {"args":[...],"stdoutTerminal":false,...}
//	                          answers newline-delimited frames {"stdout":"..."},
//	                          {"stderr":"..."} and last {"exit":N}
//
// Errors are {"error":"..."} with a 4xx or 5xx status. For example:
//
//	curl --unix-socket ~/.config/pagekeeper/engine.sock http://pagekeeper/v1/snapshot
//	curl --unix-socket ~/.config/pagekeeper/engine.sock -d '{"args":["--json"]}' http://pagekeeper/v1/commands/check
//
// # Adding a command
//
// A command (backend/cli) runs in the engine when it is registered with
// Engine: true. That is the whole step: the engine runs the very same code on
// the app's keeper, so its output and exit code are the same either way, and
// the window hears of what it changes through the keeper's events. The
// command gets its keeper from openKeeper (never keeper.Open), reads no
// stdin (it gets none there) and prints no secret (that would cross the
// socket). Invocations that read a secret from stdin are named by the
// command's Local func: they stay in the client, which beside the window
// says to do it there. A command that hands a secret out stays in the
// client and runs in the engine, as a Hidden command, only the part that
// needs the database: `token` reads the keychain itself and asks the
// engine's `token-read` to log the read.
//
// A socket left by a killed app refuses connections: commands then open the
// database themselves, and the next app replaces the socket.
package engine
