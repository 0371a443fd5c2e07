package engine

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

// APIVersion is the protocol version, the /v1 of every path.
const APIVersion = 1

const prefix = "/v1"

// RunRequest asks the engine to run one command.
type RunRequest struct {
	Args []string `json:"args"`
	// Whether the client's streams are terminals: a command shows progress
	// or refuses to print on them as it would in the client.
	StdinTerminal  bool `json:"stdinTerminal"`
	StdoutTerminal bool `json:"stdoutTerminal"`
	StderrTerminal bool `json:"stderrTerminal"`
}

// Frame is one line of a command's answer: output as it comes, then its exit code.
type Frame struct {
	Stdout string `json:"stdout,omitempty"`
	Stderr string `json:"stderr,omitempty"`
	Exit   *int   `json:"exit,omitempty"`
}

// Event is one line of /v1/events.
type Event struct {
	Name string `json:"event"`
	Data any    `json:"data"`
}

// Version is the answer of /v1/version.
type Version struct {
	API     int    `json:"api"`
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Runner runs the command name as the command line would, writing what it
// prints to stdout and stderr, and returns its exit code.
type Runner func(ctx context.Context, name string, req RunRequest, stdout, stderr io.Writer) int

// Config is what an engine serves.
type Config struct {
	Keeper   *keeper.Keeper
	Hub      *Hub     // the keeper's events (its Emit must feed it)
	Commands []string // the commands Run accepts
	Run      Runner
}

// Server is a running engine.
type Server struct {
	cfg    Config
	ln     net.Listener
	srv    *http.Server
	cancel context.CancelFunc
	done   chan struct{}
}

// Serve starts serving cfg on the data folder's endpoint, replacing one left
// behind by a killed app. Call it only while holding the folder's database:
// that lock is what makes this process the engine.
func Serve(dir string, cfg Config) (*Server, error) {
	ln, err := listen(dir)
	if err != nil {
		return nil, err
	}
	base, cancel := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, ln: ln, cancel: cancel, done: make(chan struct{})}
	s.srv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, peerKey{}, checkPeer(c))
		},
	}
	go func() {
		defer close(s.done)
		s.srv.Serve(ln)
	}()
	return s, nil
}

// Close stops the engine: running commands are cancelled and given a moment
// to end, and the endpoint is removed.
func (s *Server) Close() error {
	s.cancel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = s.srv.Close()
	}
	<-s.done
	return err
}

type peerKey struct{}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"/version", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, Version{API: APIVersion, Name: buildinfo.Name, Version: buildinfo.Version})
	})
	mux.HandleFunc("GET "+prefix+"/snapshot", func(w http.ResponseWriter, _ *http.Request) {
		snap, err := s.cfg.Keeper.Snapshot()
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, snap)
	})
	mux.HandleFunc("GET "+prefix+"/commands", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string][]string{"commands": s.cfg.Commands})
	})
	mux.HandleFunc("POST "+prefix+"/commands/{name}", s.runCommand)
	mux.HandleFunc("GET "+prefix+"/events", s.events)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path+" (this engine speaks "+prefix+")")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err, _ := r.Context().Value(peerKey{}).(error); err != nil {
			writeError(w, http.StatusForbidden, err.Error())
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (s *Server) runCommand(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !slices.Contains(s.cfg.Commands, name) {
		writeError(w, http.StatusNotFound, "the running Pagekeeper ("+buildinfo.Version+") does not run the command "+name+" for the command line")
		return
	}
	var req RunRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "the request is not a command: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	fw := &frames{w: w, enc: json.NewEncoder(w)}
	fw.flush()
	code := s.cfg.Run(r.Context(), name, req, fw.stream(1), fw.stream(2))
	fw.end(code)
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	// A slow reader loses events rather than slowing the keeper down.
	ch := make(chan Event, 64)
	stop := s.cfg.Hub.Subscribe(func(name string, data any) {
		select {
		case ch <- Event{Name: name, Data: data}:
		default:
		}
	})
	defer stop()
	// Subscribed before the answer starts: the reader misses nothing after it.
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.WriteHeader(http.StatusOK)
	fw := &frames{w: w, enc: json.NewEncoder(w)}
	fw.flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev := <-ch:
			if err := fw.write(ev); err != nil {
				return
			}
		}
	}
}

// frames writes newline-delimited JSON from several goroutines (a command's
// stdout and stderr, progress events), and nothing once the command has
// ended. A command's output is gathered briefly before it is sent: a table
// is written a cell at a time, and a frame and a flush per cell would make
// `status` of 1,000 Pages ten times slower. Gathered output still arrives
// within outputDelay (a login URL, a progress line) and in order.
type frames struct {
	mu    sync.Mutex
	w     http.ResponseWriter
	enc   *json.Encoder
	ended bool

	of      int // the stream pending is for: 1 stdout, 2 stderr
	pending []byte
	timer   *time.Timer
}

const (
	outputDelay = 10 * time.Millisecond
	outputBurst = 32 << 10 // sent at once when this much is pending
)

func (f *frames) write(v any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.writeLocked(v)
}

func (f *frames) writeLocked(v any) error {
	if f.ended {
		return errors.New("the command has ended")
	}
	if err := f.enc.Encode(v); err != nil {
		return err
	}
	f.flush()
	return nil
}

func (f *frames) flush() {
	if fl, ok := f.w.(http.Flusher); ok {
		fl.Flush()
	}
}

// output gathers p, written to stream.
func (f *frames) output(stream int, p []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ended {
		return errors.New("the command has ended")
	}
	if stream != f.of && len(f.pending) > 0 {
		if err := f.sendLocked(true); err != nil {
			return err
		}
	}
	f.of = stream
	f.pending = append(f.pending, p...)
	if len(f.pending) >= outputBurst {
		return f.sendLocked(false)
	}
	if f.timer == nil {
		f.timer = time.AfterFunc(outputDelay, func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.timer = nil
			if !f.ended {
				f.sendLocked(false)
			}
		})
	}
	return nil
}

// sendLocked sends what is pending as one frame. JSON strings carry whole
// characters, so unless all is asked for, a character whose end is still
// to come waits for it.
func (f *frames) sendLocked(all bool) error {
	cut := len(f.pending)
	if !all {
		for i := len(f.pending) - 1; i >= 0 && i >= len(f.pending)-utf8.UTFMax; i-- {
			if utf8.RuneStart(f.pending[i]) {
				if !utf8.FullRune(f.pending[i:]) {
					cut = i
				}
				break
			}
		}
	}
	if cut == 0 {
		return nil
	}
	var fr Frame
	if f.of == 2 {
		fr.Stderr = string(f.pending[:cut])
	} else {
		fr.Stdout = string(f.pending[:cut])
	}
	f.pending = append(f.pending[:0], f.pending[cut:]...)
	return f.writeLocked(fr)
}

// end sends what is pending, then the exit code, and nothing after.
func (f *frames) end(code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.timer != nil {
		f.timer.Stop()
		f.timer = nil
	}
	if len(f.pending) > 0 {
		f.sendLocked(true)
	}
	f.writeLocked(Frame{Exit: &code})
	f.ended = true
}

// stream is an io.Writer for one of a command's streams (1 stdout, 2 stderr).
func (f *frames) stream(n int) io.Writer { return streamWriter{f, n} }

type streamWriter struct {
	f *frames
	n int
}

func (w streamWriter) Write(p []byte) (int, error) {
	if err := w.f.output(w.n, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
