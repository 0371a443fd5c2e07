package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// call is one Graph API request, from HTTP or from inside a batch.
type call struct {
	method  string // GET, POST, DELETE
	segs    []string
	params  url.Values
	token   string
	version string
	base    string // scheme://host, for paging URLs
}

// tokenFrom reads the access token the way Facebook accepts it: parameter
// or Authorization header ("Bearer" or "OAuth").
func tokenFrom(r *http.Request, params url.Values) string {
	if v := params.Get("access_token"); v != "" {
		return v
	}
	auth := r.Header.Get("Authorization")
	for _, p := range []string{"Bearer ", "OAuth "} {
		if strings.HasPrefix(auth, p) {
			return strings.TrimSpace(auth[len(p):])
		}
	}
	return ""
}

func methodOf(r *http.Request, params url.Values) string {
	m := r.Method
	// Facebook honours ?method=delete on GET and POST (used by JS SDKs and batches).
	if o := strings.ToUpper(params.Get("method")); o == "GET" || o == "POST" || o == "DELETE" {
		m = o
	}
	return m
}

func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request, version string, segs []string) {
	if err := r.ParseForm(); err != nil {
		writeGraphError(w, errParam("Could not parse the request body"))
		return
	}
	params := r.Form
	resp, ok := s.injectFaults(w, r)
	if !ok {
		return
	}
	if resp == nil {
		c := &call{method: methodOf(r, params), segs: segs, params: params, token: tokenFrom(r, params), version: version, base: baseURL(r)}
		switch {
		case len(segs) == 2 && segs[0] == "oauth" && segs[1] == "access_token":
			resp = s.shapeOAuth(s.oauthToken(c))
		case len(segs) == 0 && c.method == "POST" && params.Has("batch"):
			resp = s.batch(r.Context(), c)
		default:
			resp = s.shapeGraphError(s.graph(c))
		}
	}
	s.finish(resp, version)
	if s.truncate() {
		resp.body = resp.body[:len(resp.body)/2]
	}
	resp.write(w)
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// finish adds the headers every Graph response carries.
func (s *Server) finish(r *response, version string) {
	r.header.Set("Facebook-API-Version", version)
	r.header.Set("x-fb-trace-id", traceID())
	r.header.Set("Access-Control-Allow-Origin", "*")
	r.header.Set("Cache-Control", "private, no-cache, no-store, must-revalidate")
	r.header.Set("Pragma", "no-cache")
	r.header.Set("Expires", "Sat, 01 Jan 2000 00:00:00 GMT")
}

// graph answers one call (locked: the state is read and written as one step).
func (s *Server) graph(c *call) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	if len(c.segs) == 0 {
		return errorResponse(errParam("Missing 'id' parameter"))
	}
	if c.token == "" {
		if c.segs[0] == "me" {
			return errorResponse(errNoToken())
		}
		return errorResponse(&graphError{Status: 400, Code: 104, WWWAuthKind: "invalid_request", Message: "An access token is required to request this resource."})
	}
	t := s.resolve(c.token)
	if t == nil {
		if strings.HasPrefix(c.token, s.opts.AppID+"|") {
			// APP_ID|SECRET with the wrong secret: the signature does not match.
			return errorResponse(errBadAppTokenSignature())
		}
		return errorResponse(errTokenUnparseable())
	}
	if r := s.shapeBefore(c, t); r != nil {
		return r
	}
	if e := s.checkProof(t, c); e != nil {
		return errorResponse(e)
	}
	if e := s.validity(t, now); e != nil {
		return errorResponse(e)
	}
	pageTarget := ""
	if t.kind == kindUser && s.page(c.segs[0]) != nil {
		pageTarget = c.segs[0]
	}
	h, refused := s.meter(t, pageTarget, now)
	var resp *response
	if refused != nil {
		resp = errorResponse(refused)
	} else {
		resp = s.shapeAfter(c, t, s.route(c, t, now))
	}
	for k, v := range h {
		resp.header[k] = v
	}
	return resp
}

// checkProof verifies appsecret_proof = HMAC-SHA256(app secret, token) when
// sent, and demands it when the app requires it. App tokens carry the
// secret themselves and need none.
func (s *Server) checkProof(t *token, c *call) *graphError {
	if t.kind == kindApp {
		return nil
	}
	proof := c.params.Get("appsecret_proof")
	if proof == "" {
		if s.opts.RequireAppSecretProof {
			return errProof("API calls from the server require an appsecret_proof argument")
		}
		return nil
	}
	if proof != appSecretProof(s.opts.AppSecret, c.token) {
		return errProof("Invalid appsecret_proof provided in the API argument")
	}
	return nil
}

func (s *Server) route(c *call, t *token, now time.Time) *response {
	id, rest := c.segs[0], c.segs[1:]
	if id == "debug_token" && len(rest) == 0 {
		return s.debugToken(c, t, now)
	}
	if id == "me" || (t.kind == kindUser && id == t.persona) {
		switch t.kind {
		case kindUser:
			return s.userNode(c, t, rest, now)
		case kindPage:
			return s.pageNode(c, t, t.page, rest, now)
		default:
			return errorResponse(errNoToken())
		}
	}
	if id == s.opts.AppID && len(rest) == 0 {
		return s.appNode(c)
	}
	if t.kind == kindApp && s.persona(id) != nil && len(rest) >= 1 && rest[0] == "permissions" {
		return s.permissions(c, id, rest[1:])
	}
	if s.page(id) != nil {
		return s.pageNode(c, t, id, rest, now)
	}
	return errorResponse(errUnsupported(strings.ToLower(c.method), id))
}

// appNode is GET /{app-id}: "An app access token can be used to view all
// fields for an app" (Graph API reference, Application); the sandbox knows
// its id and name.
func (s *Server) appNode(c *call) *response {
	if c.method != "GET" {
		return errorResponse(errUnsupported(strings.ToLower(c.method), s.opts.AppID))
	}
	fs, e := s.fieldsOf(c, "name", "id")
	if e != nil {
		return errorResponse(e)
	}
	o, e := pick(fs, "Application", map[string]any{"id": s.opts.AppID, "name": s.opts.AppName})
	if e != nil {
		return errorResponse(e)
	}
	return okJSON(o)
}

func (s *Server) fieldsOf(c *call, def ...string) ([]field, *graphError) {
	f := c.params.Get("fields")
	if f == "" {
		return defaultFields(def...), nil
	}
	fs, ok := parseFields(f)
	if !ok {
		return nil, errParam("Syntax error in the fields parameter")
	}
	return fs, nil
}

// pick answers the requested fields of a node whose fields are all plain
// values, in the order asked.
func pick(fs []field, node string, vals map[string]any) (obj, *graphError) {
	var o obj
	for _, f := range fs {
		v, ok := vals[f.name]
		if !ok {
			return nil, errNoField(f.name, node)
		}
		o = append(o, kv{f.name, v})
	}
	return o, nil
}

func errNoField(name, node string) *graphError {
	return errParam("Tried accessing nonexisting field (" + name + ") on node type (" + node + ")")
}

// userNode: /me, /me/permissions, /me/accounts with a user token.
func (s *Server) userNode(c *call, t *token, rest []string, now time.Time) *response {
	if len(rest) == 0 {
		if c.method != "GET" {
			return errorResponse(errUnsupported(strings.ToLower(c.method), t.persona))
		}
		// public_profile is not on [AVD]'s list of permissions that survive
		// data access expiry, so reading the profile fails with 493.
		if s.dataAccessExpired(t.persona, now) {
			return errorResponse(errDataAccessExpired())
		}
		fs, e := s.fieldsOf(c, "name", "id")
		if e != nil {
			return errorResponse(e)
		}
		p := s.persona(t.persona)
		o, e := pick(fs, "User", map[string]any{"id": p.ID, "name": p.Name})
		if e != nil {
			return errorResponse(e)
		}
		return okJSON(o)
	}
	switch rest[0] {
	case "permissions":
		return s.permissions(c, t.persona, rest[1:])
	case "accounts":
		if len(rest) == 1 && c.method == "GET" {
			return s.accounts(c, t, now)
		}
	}
	return errorResponse(errUnknownPath(strings.Join(rest, "/")))
}

// permissions: GET lists, DELETE one declines it, DELETE all removes the
// app and invalidates the person's user tokens [RR]. DELETE answers the
// bare `true` FACEBOOK.md §5 cites.
func (s *Server) permissions(c *call, persona string, rest []string) *response {
	g := s.grants[persona]
	switch {
	case c.method == "GET" && len(rest) == 0:
		data := []obj{}
		if g != nil {
			for _, p := range g.order {
				data = append(data, obj{{"permission", p}, {"status", g.perms[p]}})
			}
		}
		return okJSON(obj{{"data", data}})
	case c.method == "DELETE" && len(rest) == 1:
		if g == nil || g.perms[rest[0]] == "" {
			return errorResponse(errParam("Permission " + rest[0] + " has not been granted"))
		}
		if rest[0] == "public_profile" {
			return errorResponse(errParam("public_profile cannot be revoked; revoke all permissions instead"))
		}
		g.setPerm(rest[0], "declined")
		return okJSON(true)
	case c.method == "DELETE" && len(rest) == 0:
		s.revokeAll(persona)
		return okJSON(true)
	}
	return errorResponse(errUnknownPath("permissions/" + strings.Join(rest, "/")))
}

// revokeAll removes the app from the person: the grant goes, every user
// token says 466 and Page tokens say 458 (no grant any more).
func (s *Server) revokeAll(persona string) {
	delete(s.grants, persona)
	for _, t := range s.tokens {
		if t.persona == persona && t.kind == kindUser && t.dead == nil {
			t.dead = errExplicitlyInvalidated()
		}
	}
}

// listedPages are the Pages /me/accounts shows: a role of the persona's own
// (not through a Business Portfolio) and ticked in the grant.
func (s *Server) listedPages(persona string) []*Page {
	g := s.grants[persona]
	var out []*Page
	if !g.granted("pages_show_list") {
		return nil
	}
	for _, p := range s.pages {
		if r := s.roleOf(persona, p.ID); r != nil && !r.viaBusiness && g.hasPage(p.ID) {
			out = append(out, p)
		}
	}
	return out
}

// accounts is /me/accounts with cursor paging: cursors are base64 of the
// Page id (sample 30), limit defaults to 25. Without pages_show_list the
// list is empty (unverified: Facebook may answer #200 instead).
func (s *Server) accounts(c *call, t *token, now time.Time) *response {
	fs, e := s.fieldsOf(c, "access_token", "category", "category_list", "name", "id", "tasks")
	if e != nil {
		return errorResponse(e)
	}
	pages := s.listedPages(t.persona)
	start, end := 0, len(pages)
	limit := 25
	if l, err := strconv.Atoi(c.params.Get("limit")); err == nil && l > 0 {
		limit = min(l, 100)
	}
	if a := c.params.Get("after"); a != "" {
		i := cursorIndex(pages, a)
		if i < 0 {
			return errorResponse(errParam("Invalid cursor"))
		}
		start = i + 1
	} else if b := c.params.Get("before"); b != "" {
		i := cursorIndex(pages, b)
		if i < 0 {
			return errorResponse(errParam("Invalid cursor"))
		}
		start = max(0, i-limit)
		end = i
	}
	end = min(end, start+limit)
	data := []obj{}
	for _, p := range pages[start:end] {
		o, e := s.pageFields(c, t, p, fs, now)
		if e != nil {
			return errorResponse(e)
		}
		data = append(data, o)
	}
	out := obj{{"data", data}}
	if end > start {
		cur := obj{{"before", cursor(pages[start].ID)}, {"after", cursor(pages[end-1].ID)}}
		paging := obj{{"cursors", cur}}
		q := url.Values{}
		for k, v := range c.params {
			if k != "after" && k != "before" {
				q[k] = v
			}
		}
		q.Set("limit", strconv.Itoa(limit))
		// Like Facebook, paging links carry the access token; clients must
		// not log them.
		link := c.base + "/" + c.version + "/" + t.persona + "/accounts?"
		if start > 0 {
			q.Set("before", cursor(pages[start].ID))
			paging = append(paging, kv{"previous", link + q.Encode()})
			q.Del("before")
		}
		if end < len(pages) {
			q.Set("after", cursor(pages[end-1].ID))
			paging = append(paging, kv{"next", link + q.Encode()})
		}
		out = append(out, kv{"paging", paging})
	}
	return okJSON(out)
}

func cursor(id string) string { return base64.StdEncoding.EncodeToString([]byte(id)) }

func cursorIndex(pages []*Page, c string) int {
	raw, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return -1
	}
	return slices.IndexFunc(pages, func(p *Page) bool { return p.ID == string(raw) })
}

// pageToken returns the Page token derived from user token t, the same one
// on every call like Facebook does. From a long-lived user token it never
// expires; from a short-lived one it dies with it [PAT].
func (s *Server) pageToken(c *call, t *token, pageID string, now time.Time) string {
	key := c.token + "/" + pageID
	if v, ok := s.pageTok[key]; ok {
		if pt := s.tokens[v]; pt != nil && s.validity(pt, now) == nil {
			return v
		}
	}
	pt := &token{kind: kindPage, persona: t.persona, page: pageID, issued: now, parent: t, longLived: t.longLived}
	if !t.longLived {
		pt.expires = t.expires
	}
	v := s.issue(pt)
	s.pageTok[key] = v
	return v
}

// pageFields renders the requested fields of a Page for token t.
// access_token and tasks need a user token of someone with a role on a
// ticked Page; they are left out otherwise, as Facebook leaves them out.
func (s *Server) pageFields(c *call, t *token, p *Page, fs []field, now time.Time) (obj, *graphError) {
	var o obj
	g := s.grants[t.persona]
	r := s.roleOf(t.persona, p.ID)
	ownPage := t.kind == kindPage && t.page == p.ID
	userAccess := t.kind == kindUser && r != nil && g.hasPage(p.ID)
	for _, f := range fs {
		switch f.name {
		case "id":
			o = append(o, kv{"id", p.ID})
		case "name":
			o = append(o, kv{"name", p.Name})
		case "category":
			o = append(o, kv{"category", p.Category})
		case "category_list":
			o = append(o, kv{"category_list", []obj{{{"id", p.CategoryID}, {"name", p.Category}}}})
		case "link":
			o = append(o, kv{"link", p.Link})
		case "access_token":
			switch {
			case !userAccess || s.tokenless[p.ID] == PageTokenMissing:
			case s.tokenless[p.ID] == PageTokenEmpty:
				o = append(o, kv{"access_token", ""})
			default:
				o = append(o, kv{"access_token", s.pageToken(c, t, p.ID, now)})
			}
		case "tasks":
			if userAccess || ownPage {
				o = append(o, kv{"tasks", slices.Clone(r.tasks)})
			}
		case "instagram_business_account":
			if !(userAccess || ownPage) || p.IGID == "" || !g.granted("instagram_basic") || !g.granted("pages_show_list") {
				continue
			}
			// instagram_basic is not on [AVD]'s list of permissions that
			// survive data access expiry.
			if s.dataAccessExpired(t.persona, now) {
				return nil, errDataAccessExpired()
			}
			sub := f.sub
			if len(sub) == 0 {
				sub = defaultFields("id")
			}
			ig, e := pick(sub, "IGUser", map[string]any{"id": p.IGID, "username": p.IGUsername})
			if e != nil {
				return nil, e
			}
			o = append(o, kv{"instagram_business_account", ig})
		default:
			return nil, errNoField(f.name, "Page")
		}
	}
	return o, nil
}

// pageNode: /{page-id} and /{page-id}/subscribed_apps.
func (s *Server) pageNode(c *call, t *token, pageID string, rest []string, now time.Time) *response {
	p := s.page(pageID)
	if len(rest) == 0 {
		if c.method != "GET" {
			return errorResponse(errUnsupported(strings.ToLower(c.method), pageID))
		}
		fs, e := s.fieldsOf(c, "name", "id")
		if e != nil {
			return errorResponse(e)
		}
		o, e := s.pageFields(c, t, p, fs, now)
		if e != nil {
			return errorResponse(e)
		}
		return okJSON(o)
	}
	if len(rest) == 1 && rest[0] == "subscribed_apps" {
		return s.subscribedApps(c, t, p)
	}
	return errorResponse(errUnknownPath(strings.Join(rest, "/")))
}

// subscribedApps needs a Page token of someone with CREATE_CONTENT, MANAGE
// or MODERATE, plus pages_manage_metadata and pages_show_list (FACEBOOK.md §5).
func (s *Server) subscribedApps(c *call, t *token, p *Page) *response {
	if t.kind != kindPage || t.page != p.ID {
		return errorResponse(errPageTokenRequired())
	}
	r := s.roleOf(t.persona, p.ID)
	if r == nil || !slices.ContainsFunc(r.tasks, func(x string) bool {
		return x == TaskCreateContent || x == TaskManage || x == TaskModerate
	}) {
		return errorResponse(errPermission("User does not have sufficient administrative permission for this action on this page."))
	}
	g := s.grants[t.persona]
	for _, need := range []string{"pages_manage_metadata", "pages_show_list"} {
		if !g.granted(need) {
			return errorResponse(errPermission("The user hasn't authorized the application to perform this action: " + need + " is required"))
		}
	}
	switch c.method {
	case "GET":
		data := []obj{}
		if len(p.SubscribedTo) > 0 {
			data = append(data, obj{{"category", "Business"}, {"link", "https://pagekeeper.invalid/"},
				{"name", s.opts.AppName}, {"id", s.opts.AppID}, {"subscribed_fields", slices.Clone(p.SubscribedTo)}})
		}
		return okJSON(obj{{"data", data}})
	case "POST":
		fields, e := webhookFields(c.params.Get("subscribed_fields"))
		if e != nil {
			return errorResponse(e)
		}
		p.SubscribedTo = fields
		// The string "true" is what Meta's Messenger guide shows (FACEBOOK.md §5).
		return okJSON(obj{{"success", "true"}})
	case "DELETE":
		// DELETE's answer is not in the fact sheet; {"success":true} is the
		// usual Graph answer to a DELETE.
		p.SubscribedTo = nil
		return okJSON(obj{{"success", true}})
	}
	return errorResponse(errUnsupported(strings.ToLower(c.method), p.ID))
}

// pageWebhookFields are the Page webhook fields of Meta's Webhooks for
// Pages reference that the sandbox knows; subscribed_fields is a
// list<enum> of them (graph-api/reference/page/subscribed_apps).
var pageWebhookFields = []string{"feed", "messages", "messaging_postbacks", "messaging_optins", "message_deliveries",
	"message_reads", "message_echoes", "message_reactions", "messaging_referrals", "messaging_handovers", "standby",
	"mention", "ratings", "leadgen", "name", "picture", "category", "description", "website", "email", "phone",
	"location", "conversations", "live_videos", "videos", "inbox_labels"}

// webhookFields reads subscribed_fields, given as a comma-separated list or
// a JSON array as Graph takes list parameters; an unknown field is refused
// with Graph's enum error, and nothing is subscribed.
func webhookFields(raw string) ([]string, *graphError) {
	raw = strings.TrimSpace(raw)
	var list []string
	if strings.HasPrefix(raw, "[") {
		if err := json.Unmarshal([]byte(raw), &list); err != nil {
			return nil, errParam("Param subscribed_fields must be an array")
		}
	} else {
		list = strings.Split(raw, ",")
	}
	var fields []string
	for i, f := range list {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(pageWebhookFields, f) {
			return nil, errParam(fmt.Sprintf("Param subscribed_fields[%d] must be one of {%s} - got \"%s\"", i, strings.Join(pageWebhookFields, ", "), f))
		}
		if !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return nil, errParam("The parameter subscribed_fields is required")
	}
	return fields, nil
}
