package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TokenInfo is debug_token's verdict on a token.
type TokenInfo struct {
	AppID       string
	Type        string // USER, PAGE, APP, SYSTEM_USER; may be empty on invalid tokens
	Application string
	IsValid     bool
	// The times are zero when Facebook says 0 (never) or leaves them out: a
	// Page token from a long-lived user token, and even some USER tokens,
	// never expire (FACEBOOK.md §3, §10; complaint 8).
	ExpiresAt           time.Time
	DataAccessExpiresAt time.Time
	IssuedAt            time.Time
	Scopes              []string
	GranularScopes      []GranularScope
	UserID              string
	ProfileID           string // the Page, for PAGE tokens
	Error               *Error // why the token is invalid (data.error); nil when valid
}

// GranularScope says which objects (Pages, IG accounts) a scope was granted
// for; TargetIDs is empty when the scope is not object-specific.
type GranularScope struct {
	Scope     string
	TargetIDs []string
}

// HasScope reports whether scope is among the granted scopes.
func (t TokenInfo) HasScope(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// Targets reports the target ids of scope and whether the scope lists any;
// a Page missing from pages_show_list's targets was left out of the grant.
func (t TokenInfo) Targets(scope string) ([]string, bool) {
	for _, g := range t.GranularScopes {
		if g.Scope == scope && len(g.TargetIDs) > 0 {
			return g.TargetIDs, true
		}
	}
	return nil, false
}

// pageScopes are the scopes whose granular target_ids name Pages.
var pageScopes = []string{"pages_show_list", "pages_read_engagement", "pages_manage_metadata"}

// PageTargets lists the Pages the page scopes were granted for, and
// whether the grant is limited to chosen Pages at all: pages_show_list, the
// scope that lists Pages, names its targets (when it does not, other
// scopes' targets say nothing about the rest). Connecting and checking read
// the same list, so a Page connected because the grant names it is in the
// grant for the check.
func (t TokenInfo) PageTargets() ([]string, bool) {
	var ids []string
	seen := map[string]bool{}
	for _, scope := range pageScopes {
		targets, _ := t.Targets(scope)
		for _, id := range targets {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	_, limited := t.Targets("pages_show_list")
	return ids, limited
}

// PageGrant is PageTargets as a set, for asking about each of a person's
// Pages, which may be thousands.
type PageGrant struct {
	ids     map[string]bool
	limited bool
}

// PageGrant gathers PageTargets into a set.
func (t TokenInfo) PageGrant() PageGrant {
	ids, limited := t.PageTargets()
	g := PageGrant{ids: make(map[string]bool, len(ids)), limited: limited}
	for _, id := range ids {
		g.ids[id] = true
	}
	return g
}

// Has says whether the grant names the Page id, and whether the grant is
// limited to chosen Pages at all.
func (g PageGrant) Has(id string) (in, limited bool) { return g.ids[id], g.limited }

// DebugToken asks Facebook about inputToken with the app token. An invalid
// token is a result (IsValid false, Error set), not a Go error; the error is
// for calls that got no verdict or that Facebook refused.
func (c *Client) DebugToken(ctx context.Context, inputToken string) (TokenInfo, error) {
	app, err := c.appToken()
	if err != nil {
		return TokenInfo{}, err
	}
	status, body, err := c.send(ctx, call{method: "GET", path: "debug_token",
		params: url.Values{"input_token": {inputToken}}, token: app})
	if err != nil {
		return TokenInfo{}, err
	}
	info, err := ParseDebugToken(status, body)
	return info, viaAppToken(err)
}

// TokenResult is one token's outcome in DebugTokens.
type TokenResult struct {
	Info TokenInfo
	Err  error
}

// DebugTokens checks many tokens through the batch API (50 per request),
// returning results in input order. The error is for a batch request that
// failed as a whole; per-token failures are in TokenResult.Err.
func (c *Client) DebugTokens(ctx context.Context, tokens []string) ([]TokenResult, error) {
	app, err := c.appToken()
	if err != nil {
		return nil, err
	}
	reqs := make([]BatchRequest, len(tokens))
	for i, t := range tokens {
		reqs[i] = BatchRequest{Method: "GET", RelativeURL: "debug_token?" + url.Values{"input_token": {t}}.Encode()}
	}
	resps, err := c.Batch(ctx, app, reqs)
	if err != nil {
		return nil, err
	}
	out := make([]TokenResult, len(resps))
	for i, r := range resps {
		// The items run with the envelope's app token: their refusals are about the app.
		if err := r.Err(); err != nil {
			out[i].Err = viaAppToken(err)
			continue
		}
		out[i].Info, out[i].Err = ParseDebugToken(r.Code, r.Body)
		out[i].Err = viaAppToken(out[i].Err)
	}
	return out, nil
}

const opDebugToken = "GET /debug_token"

// ParseDebugToken reads a debug_token answer. A top-level error (e.g. a bad app
// token, sample 29) is returned as *Error; a body that is not a debug_token
// answer as *UnavailableError.
func ParseDebugToken(httpStatus int, body []byte) (TokenInfo, error) {
	if err := CheckResponse(opDebugToken, httpStatus, body); err != nil {
		return TokenInfo{}, err
	}
	var resp struct {
		Data *struct {
			AppID               flexString      `json:"app_id"`
			Type                flexString      `json:"type"`
			Application         flexString      `json:"application"`
			IsValid             *flexBool       `json:"is_valid"`
			ExpiresAt           flexInt         `json:"expires_at"`
			DataAccessExpiresAt flexInt         `json:"data_access_expires_at"`
			IssuedAt            flexInt         `json:"issued_at"`
			Scopes              []flexString    `json:"scopes"`
			UserID              flexString      `json:"user_id"`
			ProfileID           flexString      `json:"profile_id"`
			Error               json.RawMessage `json:"error"`
			GranularScopes      []struct {
				Scope     flexString   `json:"scope"`
				TargetIDs []flexString `json:"target_ids"`
			} `json:"granular_scopes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return TokenInfo{}, &UnavailableError{Op: opDebugToken, HTTPStatus: httpStatus, Cause: errors.New("answer did not parse: " + err.Error())}
	}
	d := resp.Data
	if d != nil && d.IsValid == nil && parseErrorObject(httpStatus, d.Error) != nil {
		invalid := flexBool(false) // data.error is the verdict, is_valid or not
		d.IsValid = &invalid
	}
	if d == nil || d.IsValid == nil {
		return TokenInfo{}, &UnavailableError{Op: opDebugToken, HTTPStatus: httpStatus, Cause: errors.New("answer has no data.is_valid")}
	}
	info := TokenInfo{
		AppID:               string(d.AppID),
		Type:                string(d.Type),
		Application:         string(d.Application),
		IsValid:             bool(*d.IsValid),
		ExpiresAt:           unixTime(int64(d.ExpiresAt)),
		DataAccessExpiresAt: unixTime(int64(d.DataAccessExpiresAt)),
		IssuedAt:            unixTime(int64(d.IssuedAt)),
		Scopes:              strs(d.Scopes),
		UserID:              string(d.UserID),
		ProfileID:           string(d.ProfileID),
	}
	for _, g := range d.GranularScopes {
		info.GranularScopes = append(info.GranularScopes, GranularScope{Scope: string(g.Scope), TargetIDs: strs(g.TargetIDs)})
	}
	if !isNull(d.Error) {
		info.Error = parseErrorObject(httpStatus, d.Error)
	}
	return info, nil
}

// unixTime maps Facebook's 0 ("never") to the zero time.
func unixTime(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

func strs(in []flexString) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

// flexString reads a JSON string, or a number as its text (ids are sometimes
// numbers); other kinds become "". It never fails, so one odd field does not
// lose the whole answer.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var str string
	if json.Unmarshal(b, &str) == nil {
		*s = flexString(str)
	} else if json.Valid(b) && len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')) {
		*s = flexString(b)
	} else {
		*s = ""
	}
	return nil
}

// flexBool reads a JSON boolean, or one written as "true"/"false" or 1/0.
// Any other value fails: is_valid is the verdict, and is never guessed.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	var x any
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	switch x := x.(type) {
	case bool:
		*v = flexBool(x)
		return nil
	case string:
		if t, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
			*v = flexBool(t)
			return nil
		}
	case float64:
		if x == 0 || x == 1 {
			*v = x == 1
			return nil
		}
	}
	return errors.New("is_valid is neither true nor false")
}

// flexInt reads a JSON number or a numeric string; other kinds become 0.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	*n = 0
	var num json.Number
	if json.Unmarshal(b, &num) != nil {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return nil
		}
		num = json.Number(strings.TrimSpace(s)) // a code written as " 10 "
	}
	if i, err := strconv.ParseInt(string(num), 10, 64); err == nil {
		*n = flexInt(i)
	} else if f, err := num.Float64(); err == nil && f > -1e15 && f < 1e15 {
		*n = flexInt(f)
	}
	return nil
}
