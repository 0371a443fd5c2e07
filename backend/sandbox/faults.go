package sandbox

import (
	"net/http"
	"time"
)

type fault struct {
	sc        Scenario
	remaining int // Count left; 0 with sc.Count 0 means unlimited
}

// take reports whether fault k hits this call, using up one of its Count.
func (s *Server) take(k Kind) (Scenario, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hitLocked(k, nil)
}

// injectFaults runs the transport faults before a Graph call. ok false
// means the response is already written (or the client is gone); a non-nil
// response replaces the call's answer.
func (s *Server) injectFaults(w http.ResponseWriter, r *http.Request) (resp *response, ok bool) {
	ctx := r.Context()
	if sc, hit := s.take(Latency); hit {
		if !s.sleep(ctx.Done(), sc.Duration) {
			return nil, false
		}
	}
	if sc, hit := s.take(Stall); hit {
		// A stall without Duration lasts until the client cancels or the
		// sandbox closes; with one it is just a very slow answer.
		var d time.Duration = -1
		if sc.Duration > 0 {
			d = sc.Duration
		}
		if !s.sleep(ctx.Done(), d) {
			return nil, false
		}
	}
	if _, hit := s.take(HTML500); hit {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(html500))
		return nil, false
	}
	if sc, hit := s.take(Transient); hit {
		code := sc.Code
		if code == 0 {
			code = 2
		}
		return errorResponse(errTransient(code)), true
	}
	return nil, true
}

func (s *Server) truncate() bool {
	_, hit := s.take(TruncatedJSON)
	return hit
}

// sleep waits d (forever if d < 0) and reports false if cancelled first.
func (s *Server) sleep(done <-chan struct{}, d time.Duration) bool {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return true
	case <-done:
		return false
	case <-s.closed:
		return false
	}
}

const html500 = `<!DOCTYPE html>
<html lang="en" id="facebook"><head><title>Error</title><meta charset="utf-8"></head>
<body><div style="font-family:Helvetica,Arial,sans-serif;margin:40px">
<h1 style="color:#1c1e21">Sorry, something went wrong.</h1>
<p>We're working on getting this fixed as soon as we can.</p>
<p><a href="https://www.facebook.com/">Go back</a></p></div></body></html>
`
