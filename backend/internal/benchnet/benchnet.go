// Package benchnet measures what Pagekeeper's HTTP costs against what it
// must cost: a proxy in front of the Facebook sandbox records every request
// Pagekeeper makes, and Replay makes the same requests again with a bare
// net/http client, in the same order and overlap. The difference between
// the two times is Pagekeeper's own (keychain, disk, scheduling). Tests and
// benchmarks only.
package benchnet

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"sync"
	"time"
)

// Request is one recorded request, with when it started and ended.
type Request struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
	Start, End             time.Time
}

// Proxy forwards to a target and records while recording is on.
type Proxy struct {
	srv *http.Server
	url string

	bare *http.Client // the replays', kept so its connections stay warm as Pagekeeper's do

	mu        sync.Mutex
	recording bool
	reqs      []Request
}

// Start serves a proxy to target on a free loopback port.
func Start(target string) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{url: "http://" + ln.Addr().String(), bare: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport = &http.Transport{MaxIdleConnsPerHost: 64}
	p.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, Start: time.Now()}
		rp.ServeHTTP(w, r)
		rec.End = time.Now()
		p.mu.Lock()
		if p.recording {
			p.reqs = append(p.reqs, rec)
		}
		p.mu.Unlock()
	})}
	go p.srv.Serve(ln)
	return p, nil
}

// URL is where to send requests.
func (p *Proxy) URL() string { return p.url }

// Close stops the proxy.
func (p *Proxy) Close() error {
	p.bare.CloseIdleConnections()
	return p.srv.Close()
}

// Record starts recording afresh.
func (p *Proxy) Record() {
	p.mu.Lock()
	p.recording, p.reqs = true, nil
	p.mu.Unlock()
}

// Stop ends recording and returns what was recorded, in start order.
func (p *Proxy) Stop() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.recording = false
	out := p.reqs
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// Replay makes reqs again through the proxy with a bare client and returns
// how long they took. A request starts once every request that had ended
// before it started in the recording has ended again: the same dependencies
// (a next page after its previous one, the probes after the people), with
// none of the time Pagekeeper spent between requests.
func (p *Proxy) Replay(reqs []Request) (time.Duration, error) {
	client := p.bare
	done := make([]chan struct{}, len(reqs))
	for i := range done {
		done[i] = make(chan struct{})
	}
	errs := make(chan error, len(reqs))
	start := time.Now()
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[i])
			for j, before := range reqs {
				if j != i && !before.End.After(r.Start) {
					<-done[j]
				}
			}
			req, err := http.NewRequest(r.Method, p.url+r.Path+"?"+r.RawQuery, bytes.NewReader(r.Body))
			if err != nil {
				errs <- err
				return
			}
			req.Header = r.Header.Clone()
			resp, err := client.Do(req)
			if err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	return elapsed, <-errs
}

// BestReplay is the fastest of n replays, the bare client at its best.
func (p *Proxy) BestReplay(reqs []Request, n int) (time.Duration, error) {
	var best time.Duration
	for i := range n {
		d, err := p.Replay(reqs)
		if err != nil {
			return 0, err
		}
		if i == 0 || d < best {
			best = d
		}
	}
	return best, nil
}
