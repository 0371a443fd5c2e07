package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/datadir"
	"github.com/pagekeeper/pagekeeper/backend/engine"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// LockWait is how long a command waits for another command that holds the
// data folder (bbolt lets one process in at a time) before giving up.
var LockWait = 15 * time.Second

// site is where an Engine command's keeper comes from: the running app's
// (the command runs inside it), or one this process opened for it.
type site struct {
	k     *keeper.Keeper
	err   error // why no keeper could be had; the command reports it its own way
	hub   *engine.Hub
	subs  []func()
	owned bool // opened for the command: closed after it
}

// keeper lends the site's keeper to a command; emit gets its events until
// the command ends.
func (s *site) keeper(emit func(string, any)) (*keeper.Keeper, error) {
	if s.err != nil {
		return nil, s.err
	}
	if emit != nil {
		s.subs = append(s.subs, s.hub.Subscribe(emit))
	}
	return s.k.Retain(), nil
}

// close ends the command's use of the site.
func (s *site) close() {
	for _, cancel := range s.subs {
		cancel()
	}
	if s.owned {
		s.k.Close()
	}
}

// runEngineCommand runs an Engine command in the app serving the data
// folder, or else on the database itself.
func runEngineCommand(ctx context.Context, env *Env, cmd Command, args []string) int {
	c, s := reach(ctx, env)
	if c != nil {
		if cmd.Local != nil && cmd.Local(args) {
			return fail(env, 1, errors.New("this reads a secret, which never goes through the running Pagekeeper app: do this in its window, or quit it and try again"))
		}
		return runInEngine(ctx, env, c, cmd.Name, args)
	}
	defer s.close()
	return cmd.Run(ctx, withSite(env, s), args)
}

// reach finds where a command works on its data folder: the app serving it
// (c), or else the database itself (s, whose err says why not). While
// another command holds the database it waits, saying so, and goes through
// an app that starts meanwhile.
func reach(ctx context.Context, env *Env) (c *engine.Client, s *site) {
	dir, err := dataDir(env)
	if err != nil {
		return nil, &site{err: err}
	}
	deadline := time.Now().Add(LockWait)
	waiting := false
	for {
		c, err := engine.Dial(dir)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, engine.ErrNoEngine) {
			return nil, &site{err: err}
		}
		hub := engine.NewHub()
		k, err := openKeeperWait(ctx, env, hub.Emit, 200*time.Millisecond)
		if err == nil {
			return nil, &site{k: k, hub: hub, owned: true}
		}
		if !errors.Is(err, store.ErrAlreadyRunning) || time.Now().After(deadline) {
			if errors.Is(err, store.ErrAlreadyRunning) {
				err = fmt.Errorf("%w\nAnother pagekeeper command kept the data folder busy for %s; try again when it has finished", err, LockWait)
			}
			return nil, &site{err: err}
		}
		if !waiting {
			waiting = true
			fmt.Fprintf(env.Stderr, "pagekeeper: another pagekeeper command is using %s; waiting for it (up to %s)...\n", dir, LockWait)
		}
		select {
		case <-ctx.Done():
			return nil, &site{err: ctx.Err()}
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func withSite(env *Env, s *site) *Env {
	e := *env
	e.site = s
	return &e
}

// runInEngine runs the command name in the app and prints what it prints.
func runInEngine(ctx context.Context, env *Env, c *engine.Client, name string, args []string) int {
	req := engine.RunRequest{Args: append([]string{}, args...),
		StdinTerminal: env.IsTerminal(env.Stdin), StdoutTerminal: env.IsTerminal(env.Stdout), StderrTerminal: env.IsTerminal(env.Stderr)}
	// The engine cleaned the output already, and a progress line's own
	// carriage returns must reach the terminal.
	code, err := c.Run(ctx, name, req, raw(env.Stdout), raw(env.Stderr))
	if err != nil {
		return fail(env, ExitUnknown, err)
	}
	return code
}

// dataDir is the data folder a command works on, as keeper.Open finds it.
func dataDir(env *Env) (string, error) {
	if dir := env.Getenv(datadir.EnvVar); dir != "" {
		return filepath.Abs(dir)
	}
	return datadir.Resolve()
}

// EngineCommands are the commands that run in the app when it runs.
func EngineCommands() []string {
	var names []string
	for n, c := range commands {
		if c.Engine {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// ServeEngine serves k (whose events feed hub) to the command line of its
// data folder; the window calls it once its keeper is open.
func ServeEngine(k *keeper.Keeper, hub *engine.Hub) (*engine.Server, error) {
	return engine.Serve(k.DataDir(), engine.Config{Keeper: k, Hub: hub, Commands: EngineCommands(),
		Run: func(ctx context.Context, name string, req engine.RunRequest, stdout, stderr io.Writer) int {
			return runServed(ctx, k, hub, name, req, stdout, stderr)
		}})
}

// runServed runs a command for a client, on the app's keeper. It gets no
// stdin and none of the client's environment: it works with the app's.
func runServed(ctx context.Context, k *keeper.Keeper, hub *engine.Hub, name string, req engine.RunRequest, stdout, stderr io.Writer) int {
	cmd := commands[name]
	stdin := strings.NewReader("")
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: func(string) string { return "" },
		IsTerminal: func(f any) bool {
			switch f {
			case stdin:
				return req.StdinTerminal
			case stdout:
				return req.StdoutTerminal
			case stderr:
				return req.StderrTerminal
			}
			return false
		}}
	if cmd.Local != nil && cmd.Local(req.Args) {
		// Only a client that skipped Pagekeeper's own (a script) gets here.
		return fail(env, 64, errors.New("this reads a secret, which never goes through the running Pagekeeper app: do this in its window"))
	}
	s := &site{k: k, hub: hub}
	defer s.close()
	return cmd.Run(ctx, withSite(env.cleaned(), s), req.Args)
}
