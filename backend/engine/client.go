package engine

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// ErrNoEngine means no Pagekeeper serves this data folder: the caller opens
// the database itself.
var ErrNoEngine = errors.New("no running Pagekeeper serves this data folder")

// answerTimeout is how long the engine may take to start answering: it
// answers at once (a command's output follows as it comes), so an engine
// that does not is stuck, and a command says so rather than wait forever.
var answerTimeout = 10 * time.Second

// Client talks to the engine of one data folder.
type Client struct {
	http *http.Client
}

// Dial finds the engine of the data folder dir: ErrNoEngine when there is
// none (no endpoint, or one left by a killed app).
func Dial(dir string) (*Client, error) {
	// A busy Windows pipe is waited for; a live engine answers far sooner.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := dial(ctx, dir)
	if err != nil {
		return nil, err
	}
	c.Close()
	return &Client{http: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			c, err := dial(ctx, dir)
			if errors.Is(err, ErrNoEngine) {
				err = errors.New("the running Pagekeeper stopped")
			}
			return c, err
		},
		DisableCompression:    true,
		ResponseHeaderTimeout: answerTimeout,
	}}}, nil
}

// url is any http URL: the transport dials the endpoint whatever the host.
func (c *Client) url(path string) string { return "http://pagekeeper" + prefix + path }

// Run runs the command name in the engine, copying what it prints to stdout
// and stderr, and returns its exit code.
func (c *Client) Run(ctx context.Context, name string, req RunRequest, stdout, stderr io.Writer) (int, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return 0, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url("/commands/"+name), bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	hr.Header.Set("Content-Type", "application/json")
	resp, err := c.do(hr)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, answerError(resp)
	}
	rd := bufio.NewReader(resp.Body)
	for {
		line, err := rd.ReadBytes('\n')
		if len(line) > 0 {
			var f Frame
			if jerr := json.Unmarshal(line, &f); jerr != nil {
				return 0, fmt.Errorf("the running Pagekeeper answered something else than a command's output: %w", jerr)
			}
			if f.Stdout != "" {
				io.WriteString(stdout, f.Stdout)
			}
			if f.Stderr != "" {
				io.WriteString(stderr, f.Stderr)
			}
			if f.Exit != nil {
				return *f.Exit, nil
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			return 0, errors.New("the running Pagekeeper stopped before the command ended")
		}
	}
}

// Get decodes the JSON answer of GET path (e.g. "/snapshot") into v.
func (c *Client) Get(ctx context.Context, path string, v any) error {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(path), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(hr)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return answerError(resp)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func (c *Client) do(hr *http.Request) (*http.Response, error) {
	resp, err := c.http.Do(hr)
	if err == nil {
		return resp, nil
	}
	if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() && hr.Context().Err() == nil {
		return nil, fmt.Errorf("the running Pagekeeper did not answer within %s: it may be stuck; quit it (or end its process) and try again", answerTimeout)
	}
	return nil, fmt.Errorf("could not reach the running Pagekeeper: %w", err)
}

// RefusedError is the engine's refusal (another user, an unknown command).
type RefusedError struct {
	Status  int
	Message string
}

func (e *RefusedError) Error() string { return "the running Pagekeeper refused: " + e.Message }

func answerError(resp *http.Response) error {
	var e struct {
		Error string `json:"error"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(b, &e) != nil || e.Error == "" {
		e.Error = resp.Status
	}
	return &RefusedError{Status: resp.StatusCode, Message: e.Error}
}
