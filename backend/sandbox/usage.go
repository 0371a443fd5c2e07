package sandbox

import (
	"fmt"
	"net/http"
	"time"
)

// window counts calls in a sliding window of the sandbox clock. Calls made
// in the same second share one entry, so filling a 4,800-call quota costs
// one entry, not 4,800.
type window struct {
	span    time.Duration
	entries []entry
	total   int
}

type entry struct {
	at time.Time
	n  int
}

func (w *window) prune(now time.Time) {
	cut := 0
	for cut < len(w.entries) && !now.Before(w.entries[cut].at.Add(w.span)) {
		w.total -= w.entries[cut].n
		cut++
	}
	w.entries = w.entries[cut:]
}

func (w *window) count(now time.Time) int {
	w.prune(now)
	return w.total
}

func (w *window) add(now time.Time, n int) {
	if n <= 0 {
		return
	}
	if l := len(w.entries); l > 0 && w.entries[l-1].at.Equal(now) {
		w.entries[l-1].n += n
	} else {
		w.entries = append(w.entries, entry{now, n})
	}
	w.total += n
}

func (w *window) reset() { w.entries, w.total = nil, 0 }

// regainMinutes is how long until the window holds fewer than limit calls,
// in whole minutes rounded up (estimated_time_to_regain_access).
func (w *window) regainMinutes(now time.Time, limit int) int {
	left := w.count(now)
	if left < limit || limit <= 0 {
		return 0
	}
	for _, e := range w.entries {
		left -= e.n
		if left < limit {
			free := e.at.Add(w.span)
			return int((free.Sub(now) + time.Minute - 1) / time.Minute)
		}
	}
	return 0
}

type usage struct {
	app   *window
	users map[string]*window
	pages map[string]*window
}

func newUsage() usage {
	return usage{app: &window{span: time.Hour}, users: map[string]*window{}, pages: map[string]*window{}}
}

func (u *usage) user(id string) *window {
	if u.users[id] == nil {
		u.users[id] = &window{span: time.Hour}
	}
	return u.users[id]
}

func (u *usage) page(id string) *window {
	if u.pages[id] == nil {
		u.pages[id] = &window{span: 24 * time.Hour}
	}
	return u.pages[id]
}

// appQuota is "200 * Number of Users" per hour [RL]; an app nobody has
// granted yet still gets one user's worth.
func (s *Server) appQuota() int {
	users := 0
	for _, g := range s.grants {
		if g != nil {
			users++
		}
	}
	return s.opts.CallsPerUserPerHour * max(users, 1)
}

func percent(n, limit int) int {
	if limit <= 0 {
		return 0
	}
	return n * 100 / limit
}

// meter counts one call against the quotas that apply to its token and
// returns the usage headers, or the rate-limit error when a quota is spent
// (the refused call is not counted). pageTarget is the Page a user-token
// call reads, if any. The sandbox charges every call the same CPU and time
// share, so total_cputime and total_time follow call_count.
func (s *Server) meter(t *token, pageTarget string, now time.Time) (http.Header, *graphError) {
	h := http.Header{}
	var refused *graphError
	switch t.kind {
	case kindPage:
		w := s.usage.page(t.page)
		if w.count(now) >= s.opts.PageCallsPerDay {
			refused = errPageBUCLimit()
		} else {
			w.add(now, 1)
		}
		h.Set("X-Business-Use-Case-Usage", s.bucHeader(t.page, now))
		return h, refused
	case kindUser:
		uw, pw := s.usage.user(t.persona), (*window)(nil)
		if pageTarget != "" {
			pw = s.usage.page(pageTarget)
		}
		switch {
		case uw.count(now) >= s.opts.CallsPerUserPerHour:
			refused = errUserLimit()
		case s.usage.app.count(now) >= s.appQuota():
			refused = errAppLimit()
		case pw != nil && pw.count(now) >= s.opts.PageCallsPerDay:
			refused = errPageLimit()
		default:
			uw.add(now, 1)
			s.usage.app.add(now, 1)
			if pw != nil {
				pw.add(now, 1)
			}
		}
		if pw != nil {
			h.Set("X-Page-Usage", usageJSON(percent(pw.count(now), s.opts.PageCallsPerDay)))
		}
	default:
		if s.usage.app.count(now) >= s.appQuota() {
			refused = errAppLimit()
		} else {
			s.usage.app.add(now, 1)
		}
	}
	h.Set("X-App-Usage", usageJSON(percent(s.usage.app.count(now), s.appQuota())))
	return h, refused
}

func usageJSON(pct int) string {
	return fmt.Sprintf(`{"call_count":%d,"total_cputime":%d,"total_time":%d}`, pct, pct, pct)
}

func (s *Server) bucHeader(pageID string, now time.Time) string {
	w := s.usage.page(pageID)
	pct := percent(w.count(now), s.opts.PageCallsPerDay)
	type entry struct {
		Type   string `json:"type"`
		Calls  int    `json:"call_count"`
		CPU    int    `json:"total_cputime"`
		Time   int    `json:"total_time"`
		Regain int    `json:"estimated_time_to_regain_access"`
	}
	return string(marshal(map[string][]entry{pageID: {{Type: "pages", Calls: pct, CPU: pct, Time: pct,
		Regain: w.regainMinutes(now, s.opts.PageCallsPerDay)}}}))
}
