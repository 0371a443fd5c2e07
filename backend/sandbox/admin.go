package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// State is a snapshot of the sandbox for the admin endpoint and tests. It
// holds no token and no secret.
type State struct {
	Now       time.Time      `json:"now"`
	AppID     string         `json:"app_id"`
	AppName   string         `json:"app_name"`
	Redirects []string       `json:"redirect_uris"`
	LiveMode  bool           `json:"live_mode"`
	Proof     bool           `json:"require_appsecret_proof"`
	Personas  []PersonaState `json:"personas"`
	Pages     []Page         `json:"pages"`
	Active    []Scenario     `json:"active"`
	Usage     UsageState     `json:"usage"`
	Tokens    map[string]int `json:"tokens"` // live tokens by type (USER, PAGE, APP)
}

// PersonaState is a persona with its roles and its grant of the app.
type PersonaState struct {
	Persona
	Roles map[string][]string `json:"roles"` // page id -> tasks
	// ViaBusiness lists the Pages whose role comes from the Business Portfolio.
	ViaBusiness []string    `json:"via_business,omitempty"`
	Grant       *GrantState `json:"grant,omitempty"`
}

// GrantState is what a persona allowed the app.
type GrantState struct {
	Permissions         map[string]string `json:"permissions"` // name -> granted/declined
	Pages               []string          `json:"pages"`
	DataAccessExpiresAt time.Time         `json:"data_access_expires_at"`
}

// UsageState counts calls in the current rate-limit windows.
type UsageState struct {
	AppCalls  int            `json:"app_calls"`
	AppQuota  int            `json:"app_quota"`
	UserCalls map[string]int `json:"user_calls"`
	PageCalls map[string]int `json:"page_calls"`
	UserQuota int            `json:"user_quota"`
	PageQuota int            `json:"page_quota"`
}

// State reports the sandbox as it is now.
func (s *Server) State() State {
	active := s.Active()
	pages := s.Pages()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	st := State{Now: now, AppID: s.opts.AppID, AppName: s.opts.AppName, Redirects: slices.Clone(s.opts.RedirectURIs),
		LiveMode: s.opts.LiveMode, Proof: s.opts.RequireAppSecretProof, Pages: pages, Active: active, Tokens: map[string]int{}}
	for _, p := range s.personas {
		ps := PersonaState{Persona: p, Roles: map[string][]string{}}
		for id, r := range s.roles[p.ID] {
			ps.Roles[id] = slices.Clone(r.tasks)
			if r.viaBusiness {
				ps.ViaBusiness = append(ps.ViaBusiness, id)
			}
		}
		if g := s.grants[p.ID]; g != nil {
			gs := &GrantState{Permissions: map[string]string{}, Pages: slices.Clone(g.pages), DataAccessExpiresAt: g.dataUntil}
			for k, v := range g.perms {
				gs.Permissions[k] = v
			}
			ps.Grant = gs
		}
		st.Personas = append(st.Personas, ps)
	}
	st.Usage = UsageState{AppCalls: s.usage.app.count(now), AppQuota: s.appQuota(), UserCalls: map[string]int{}, PageCalls: map[string]int{},
		UserQuota: s.opts.CallsPerUserPerHour, PageQuota: s.opts.PageCallsPerDay}
	for id, w := range s.usage.users {
		st.Usage.UserCalls[id] = w.count(now)
	}
	for id, w := range s.usage.pages {
		st.Usage.PageCalls[id] = w.count(now)
	}
	for _, t := range s.tokens {
		if s.validity(t, now) == nil {
			st.Tokens[string(t.kind)]++
		}
	}
	return st
}

// serveAdmin is the control endpoint under /__sandbox/:
//
//	GET    /__sandbox/state
//	GET    /__sandbox/scenarios              kinds and active scenarios
//	POST   /__sandbox/scenarios  {Scenario}  switch on
//	DELETE /__sandbox/scenarios  {Scenario}  switch off (no body: all off)
//	POST   /__sandbox/clock/advance {"duration":"24h"}
//	POST   /__sandbox/clock/set     {"time":"2026-01-02T15:04:05Z"}
//	POST   /__sandbox/reset                  back to the seed business
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, segs []string) {
	path := ""
	for i, seg := range segs {
		if i > 0 {
			path += "/"
		}
		path += seg
	}
	switch {
	case path == "state" && r.Method == http.MethodGet:
		adminJSON(w, 200, s.State())
	case path == "scenarios" && r.Method == http.MethodGet:
		adminJSON(w, 200, map[string]any{"kinds": ScenarioKinds(), "active": s.Active()})
	case path == "scenarios" && (r.Method == http.MethodPost || r.Method == http.MethodDelete):
		var sc Scenario
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if err != nil {
			adminError(w, 400, err)
			return
		}
		if len(body) == 0 && r.Method == http.MethodDelete {
			s.ClearAll()
			adminJSON(w, 200, map[string]any{"active": s.Active()})
			return
		}
		if err := json.Unmarshal(body, &sc); err != nil {
			adminError(w, 400, errors.New("scenario JSON: "+err.Error()))
			return
		}
		if r.Method == http.MethodPost {
			err = s.Apply(sc)
		} else {
			err = s.Clear(sc)
		}
		if err != nil {
			adminError(w, 400, err)
			return
		}
		adminJSON(w, 200, map[string]any{"active": s.Active()})
	case path == "clock/advance" && r.Method == http.MethodPost:
		var req struct {
			Duration string `json:"duration"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			adminError(w, 400, errors.New(`body must be {"duration":"24h"}`))
			return
		}
		d, err := time.ParseDuration(req.Duration)
		if err != nil {
			adminError(w, 400, err)
			return
		}
		s.clock.Advance(d)
		adminNow(w, s.clock.Now())
	case path == "clock/set" && r.Method == http.MethodPost:
		var req struct {
			Time time.Time `json:"time"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Time.IsZero() {
			adminError(w, 400, errors.New(`body must be {"time":"2026-01-02T15:04:05Z"}`))
			return
		}
		s.clock.Set(req.Time)
		adminNow(w, s.clock.Now())
	case path == "reset" && r.Method == http.MethodPost:
		s.Reset()
		adminJSON(w, 200, map[string]any{"reset": true})
	default:
		adminError(w, 404, errors.New("unknown admin endpoint "+r.Method+" /__sandbox/"+path))
	}
}

func adminNow(w http.ResponseWriter, now time.Time) {
	adminJSON(w, 200, map[string]any{"now": now, "unix": strconv.FormatInt(now.Unix(), 10)})
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func adminError(w http.ResponseWriter, status int, err error) {
	adminJSON(w, status, map[string]string{"error": err.Error()})
}
