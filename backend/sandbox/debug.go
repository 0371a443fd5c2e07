package sandbox

import (
	"time"
)

// debugToken answers GET /debug_token?input_token=…&access_token=…. The
// inspecting token must be an app token or a token of an app administrator
// (sample 29 otherwise). An invalid input token is still HTTP 200, with
// data.is_valid false and data.error{code,message,subcode} (samples 25-28).
//
// Data access expiry (493) does not make is_valid false here: the person
// stays authenticated [AVD]; data_access_expires_at in the past tells it.
// That choice is unverified.
func (s *Server) debugToken(c *call, inspector *token, now time.Time) *response {
	if c.method != "GET" {
		return errorResponse(errUnsupported("post", "debug_token"))
	}
	if inspector.kind != kindApp && (inspector.kind != kindUser || s.persona(inspector.persona).AppRole != "administrator") {
		return errorResponse(errParam("You must provide an app access token, or a user access token that is an owner or developer of the app"))
	}
	in := c.params.Get("input_token")
	if in == "" {
		return errorResponse(errParam("The parameter input_token is required"))
	}
	t := s.resolve(in)
	if t == nil {
		return okJSON(obj{{"data", obj{
			{"error", obj{{"code", 190}, {"message", "Invalid OAuth access token - Cannot parse access token"}}},
			{"is_valid", false},
			{"scopes", []string{}},
		}}})
	}
	if t.kind == kindApp {
		return okJSON(obj{{"data", obj{{"app_id", s.opts.AppID}, {"type", "APP"}, {"application", s.opts.AppName}, {"is_valid", true}, {"scopes", []string{}}}}})
	}
	g := s.grants[t.persona]
	bad := s.validity(t, now)
	d := obj{{"app_id", s.opts.AppID}, {"type", string(t.kind)}, {"application", s.opts.AppName}}
	if g != nil {
		d = append(d, kv{"data_access_expires_at", g.dataUntil.Unix()})
	}
	if bad != nil {
		e := obj{{"code", bad.Code}, {"message", bad.Message}}
		if bad.Subcode != 0 {
			e = append(e, kv{"subcode", bad.Subcode})
		}
		d = append(d, kv{"error", e})
	}
	var exp int64
	if e := s.expiry(t); !e.IsZero() {
		exp = e.Unix()
	}
	d = append(d, kv{"expires_at", exp}, kv{"is_valid", bad == nil})
	// issued_at comes only with long-lived tokens [DBG].
	if t.longLived {
		d = append(d, kv{"issued_at", t.issued.Unix()})
	}
	if t.kind == kindPage {
		d = append(d, kv{"profile_id", t.page})
	}
	scopes := []string{}
	var granular []obj
	if g != nil {
		for _, p := range g.order {
			if g.perms[p] != "granted" {
				continue
			}
			scopes = append(scopes, p)
			if userLevel(p) {
				continue
			}
			gs := obj{{"scope", p}}
			if ids := s.targetIDs(g, p); len(ids) > 0 {
				gs = append(gs, kv{"target_ids", ids})
			}
			granular = append(granular, gs)
		}
	}
	d = append(d, kv{"scopes", scopes})
	if len(granular) > 0 {
		d = append(d, kv{"granular_scopes", granular})
	}
	d = append(d, kv{"user_id", t.persona})
	return okJSON(obj{{"data", d}})
}

// targetIDs: Page ids for Page scopes (every ticked Page, Business
// Portfolio ones included: that is how Facebook shows them while leaving
// them out of /me/accounts), Instagram ids for instagram_* scopes, the
// Business Portfolio id for business_management.
func (s *Server) targetIDs(g *grant, scope string) []string {
	var ids []string
	for _, p := range s.pages {
		if !g.hasPage(p.ID) {
			continue
		}
		switch {
		case pageScoped(scope):
			ids = append(ids, p.ID)
		case igScoped(scope) && p.IGID != "":
			ids = append(ids, p.IGID)
		case scope == "business_management" && p.BusinessID != "":
			if len(ids) == 0 || ids[len(ids)-1] != p.BusinessID {
				ids = append(ids, p.BusinessID)
			}
		}
	}
	return ids
}
