package hooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/printable"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// eventEnv is everything a command learns of the event but the token,
// which would be readable by other users in its environment.
func eventEnv(h store.Hook, e Event, attempt int) []string {
	dry := "0"
	if e.DryRun {
		dry = "1"
	}
	// Names are Facebook's text: no variable can hold a NUL (the command
	// would not start at all), and escape sequences have no place there.
	return []string{EnvEvent + "=" + e.Kind, EnvPageID + "=" + e.PageID, EnvPageName + "=" + printable.UTF8(e.PageName),
		EnvPerson + "=" + printable.UTF8(e.Person), EnvStatus + "=" + e.Status, EnvReason + "=" + e.Reason,
		EnvDryRun + "=" + dry, EnvAttempt + "=" + strconv.Itoa(attempt), EnvHookID + "=" + h.ID}
}

// command runs a command hook once; token, when set, is its whole stdin.
func (r *Runner) command(ctx context.Context, h store.Hook, e Event, attempt int, token string) Result {
	cmd := shell(ctx, h.Command)
	cmd.Env = append(os.Environ(), eventEnv(h, e, attempt)...)
	if token != "" {
		cmd.Stdin = strings.NewReader(token + "\n")
	}
	out := &capped{limit: outputKeep}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = time.Second // a grandchild holding the pipes open does not hold the run
	err := cmd.Run()
	res := Result{ExitCode: cmd.ProcessState.ExitCode(), Output: firstLines(out.String(), outputLines, outputWidth)}
	var exit *exec.ExitError
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		res.ExitCode = -1
		res.Error = fmt.Sprintf("stopped after the %s timeout", r.timeout(h))
	case errors.As(err, &exit):
		res.Error = fmt.Sprintf("exited with status %d", res.ExitCode)
	case err != nil:
		res.Error = err.Error()
	default:
		res.OK = true
	}
	return res
}

// capped keeps the first limit bytes written to it and drops the rest, so
// a chatty hook neither blocks on a full pipe nor fills the memory.
type capped struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	limit int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.limit - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}
