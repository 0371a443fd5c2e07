package sandbox

import (
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// flow is one pass through the Login dialog, kept server-side between the
// form steps; the browser only carries its id.
type flow struct {
	id           string
	version      string
	redirectURI  string
	state        string
	responseType string // "code" or "token"
	scopes       []string
	authType     string
	challenge    string
	nonce        string
	expires      time.Time

	persona  string
	edit     bool     // the person chose "Edit previous settings"
	pages    []string // ticked on the pages step
	pagesSet bool
}

const flowTTL = time.Hour

var (
	challengeRe = regexp.MustCompile(`^[A-Za-z0-9_-]{43,128}$`)
	scopeSplit  = regexp.MustCompile(`[,\s]+`)
)

// serveDialog: GET /dialog/oauth starts a flow, POST /dialog/oauth/confirm
// moves it a step.
func (s *Server) serveDialog(w http.ResponseWriter, r *http.Request, version string, rest []string) {
	switch {
	case len(rest) == 0 && r.Method == http.MethodGet:
		s.startDialog(w, r, version)
	case len(rest) == 1 && rest[0] == "confirm" && r.Method == http.MethodPost:
		s.confirmDialog(w, r)
	default:
		s.errorPage(w, http.StatusNotFound, "Page Not Found", "This page isn't available.")
	}
}

// allowedRedirect: exact match with a registered URI (Strict Mode), or an
// http loopback URI while the app is in development mode.
func (s *Server) allowedRedirect(raw string) bool {
	if raw == "" {
		return false
	}
	if slices.Contains(s.opts.RedirectURIs, raw) {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil || s.opts.LiveMode || u.Scheme != "http" || u.Fragment != "" {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) startDialog(w http.ResponseWriter, r *http.Request, version string) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opts.AppID {
		s.errorPage(w, http.StatusBadRequest, "Invalid App ID", "The provided app ID does not look like a valid app ID.")
		return
	}
	redirect := q.Get("redirect_uri")
	if !s.allowedRedirect(redirect) {
		s.errorPage(w, http.StatusBadRequest, "URL Blocked", "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings. Make sure Client and Web OAuth Login are on and add all your app domains as Valid OAuth Redirect URIs.")
		return
	}
	f := &flow{version: version, redirectURI: redirect, state: q.Get("state"), nonce: q.Get("nonce"), authType: q.Get("auth_type")}
	switch rt := q.Get("response_type"); rt {
	case "", "code":
		f.responseType = "code"
	case "token":
		f.responseType = "token"
	default:
		s.errorPage(w, http.StatusBadRequest, "Invalid response_type", "The sandbox supports response_type=code (and token), not "+strconv.Quote(rt)+".")
		return
	}
	f.scopes = []string{"public_profile"}
	var invalid []string
	for _, sc := range scopeSplit.Split(strings.TrimSpace(q.Get("scope")), -1) {
		switch {
		case sc == "" || slices.Contains(f.scopes, sc):
		case !knownScopes[sc]:
			invalid = append(invalid, sc)
		default:
			f.scopes = append(f.scopes, sc)
		}
	}
	if len(invalid) > 0 {
		s.errorPage(w, http.StatusBadRequest, "Invalid Scopes: "+strings.Join(invalid, ", "), "This message is only shown to developers. Users of your app will ignore these permissions if present. Please read the documentation for valid permissions at: https://developers.facebook.com/docs/facebook-login/permissions")
		return
	}
	switch f.authType {
	case "", "rerequest", "reauthorize", "reauthenticate":
	default:
		s.errorPage(w, http.StatusBadRequest, "Invalid auth_type", "auth_type must be rerequest, reauthorize or reauthenticate.")
		return
	}
	ch, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if ch != "" || method != "" {
		if method != "S256" {
			s.errorPage(w, http.StatusBadRequest, "Invalid code_challenge_method", "code_challenge_method must be S256.")
			return
		}
		if !challengeRe.MatchString(ch) {
			s.errorPage(w, http.StatusBadRequest, "Invalid code_challenge", "code_challenge must be 43 to 128 characters of base64url (RFC 7636).")
			return
		}
		f.challenge = ch
	}
	s.mu.Lock()
	now := s.clock.Now()
	f.id = randomToken("", 18)
	f.expires = now.Add(flowTTL)
	for id, old := range s.flows {
		if !now.Before(old.expires) {
			delete(s.flows, id)
		}
	}
	s.flows[f.id] = f
	v := s.loginView(f)
	s.mu.Unlock()
	s.render(w, v)
}

func (s *Server) confirmDialog(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, http.StatusBadRequest, "Something went wrong", "The form could not be read.")
		return
	}
	s.mu.Lock()
	f := s.flows[r.PostForm.Get("flow")]
	if f == nil || !s.clock.Now().Before(f.expires) {
		s.mu.Unlock()
		s.errorPage(w, http.StatusBadRequest, "This link has expired", "Go back to the app and try logging in again.")
		return
	}
	if r.PostForm.Get("action") == "cancel" {
		delete(s.flows, f.id)
		s.mu.Unlock()
		http.Redirect(w, r, f.cancelURL(), http.StatusFound)
		return
	}
	v, redirect := s.step(f, r.PostForm)
	s.mu.Unlock()
	if redirect != "" {
		http.Redirect(w, r, redirect, http.StatusFound)
		return
	}
	s.render(w, v)
}

// step moves flow f on with the submitted form (locked): it returns the
// next view, or the redirect that ends the flow.
func (s *Server) step(f *flow, form url.Values) (*view, string) {
	switch form.Get("step") {
	case "login":
		p := s.persona(form.Get("persona"))
		if p == nil {
			return s.loginView(f), ""
		}
		if f.authType == "reauthenticate" && form.Get("password") == "" {
			v := s.loginView(f)
			v.Problem = "Please re-enter your password to continue."
			return v, ""
		}
		switch {
		case s.checkpointed[p.ID]:
			return errorView("Your account is temporarily locked", "Log in to www.facebook.com and follow the instructions given."), ""
		case s.unconfirmed[p.ID]:
			return errorView("Confirm your account", "Sessions are not allowed because you have not confirmed your account. Log in to www.facebook.com to confirm it."), ""
		}
		f.persona = p.ID
		if s.canReuse(f) {
			return s.reconfirmView(f), ""
		}
		return s.afterLogin(f), ""
	case "reconfirm":
		if f.persona == "" {
			return s.loginView(f), ""
		}
		if form.Get("action") == "edit" {
			f.edit = true
			return s.afterLogin(f), ""
		}
		return nil, s.complete(f, nil)
	case "pages":
		if f.persona == "" {
			return s.loginView(f), ""
		}
		var ticked []string
		for _, id := range form["page"] {
			if s.roleOf(f.persona, id) != nil {
				ticked = append(ticked, id)
			}
		}
		f.pages, f.pagesSet = s.inSeedOrder(ticked), true
		return s.permissionsView(f), ""
	case "permissions":
		if f.persona == "" {
			return s.loginView(f), ""
		}
		return nil, s.complete(f, form["perm"])
	}
	return s.loginView(f), ""
}

// canReuse: Facebook silently reuses an earlier grant (FACEBOOK.md §8):
// if every requested permission was already granted or declined and the
// app did not ask to rerequest, the person only confirms.
func (s *Server) canReuse(f *flow) bool {
	g := s.grants[f.persona]
	if g == nil || f.authType == "rerequest" {
		return false
	}
	for _, sc := range f.scopes {
		if g.perms[sc] == "" {
			return false
		}
	}
	return true
}

func (s *Server) afterLogin(f *flow) *view {
	if s.wantsPages(f) {
		return s.pagesView(f)
	}
	return s.permissionsView(f)
}

func (s *Server) wantsPages(f *flow) bool {
	hasRole := len(s.roles[f.persona]) > 0
	return hasRole && slices.ContainsFunc(f.scopes, func(sc string) bool {
		return pageScoped(sc) || igScoped(sc) || sc == "business_management"
	})
}

// askedPerms are the permissions the permissions step shows: all requested
// ones on a first login, when editing or with rerequest; otherwise only
// those never decided (declined ones stay declined, as on Facebook).
func (s *Server) askedPerms(f *flow) []string {
	g := s.grants[f.persona]
	var out []string
	for _, sc := range f.scopes {
		if sc == "public_profile" {
			continue
		}
		if g == nil || f.edit || f.authType == "rerequest" || g.perms[sc] == "" {
			out = append(out, sc)
		}
	}
	return out
}

// complete records the person's choices in the grant and returns the
// redirect carrying the code (or token) and state (locked).
func (s *Server) complete(f *flow, ticked []string) string {
	now := s.clock.Now()
	delete(s.flows, f.id)
	g := s.grants[f.persona]
	fresh := g == nil
	if fresh {
		g = &grant{perms: map[string]string{}, created: now, deselected: map[string]mark{}}
		s.grants[f.persona] = g
	}
	g.setPerm("public_profile", "granted")
	if ticked != nil || !s.canReuseGrant(f) {
		for _, sc := range s.askedPerms(f) {
			status := "declined"
			if slices.Contains(ticked, sc) {
				status = "granted"
			}
			g.setPerm(sc, status)
		}
	}
	if f.pagesSet {
		ticked := map[string]bool{}
		for _, id := range f.pages {
			ticked[id] = true
		}
		for _, old := range slices.Clone(g.pages) {
			if !ticked[old] {
				s.deselect(g, old)
			}
		}
		// A Page ticked again keeps its deselection mark: tokens from
		// before stay dead, new ones work.
		g.setPages(f.pages)
	}
	// Data access is renewed by a first login, a reauthorize, or any login
	// before it lapsed; once lapsed, only auth_type=reauthorize restores it
	// [AVD]. Whether a plain re-login also restores it is unverified.
	if fresh || f.authType == "reauthorize" || now.Before(g.dataUntil) {
		g.dataUntil = now.Add(DataAccessTTL)
	}
	u, _ := url.Parse(f.redirectURI)
	if f.responseType == "token" {
		t := &token{kind: kindUser, persona: f.persona, issued: now, expires: now.Add(ShortLivedTTL)}
		v := s.issue(t)
		frag := url.Values{}
		frag.Set("access_token", v)
		frag.Set("data_access_expiration_time", strconv.FormatInt(g.dataUntil.Unix(), 10))
		frag.Set("expires_in", strconv.Itoa(int(ShortLivedTTL/time.Second)))
		if f.state != "" {
			frag.Set("state", f.state)
		}
		u.Fragment = frag.Encode()
		return u.String()
	}
	code := randomToken("AQ", 96)
	s.codes[code] = &authCode{persona: f.persona, redirectURI: f.redirectURI, challenge: f.challenge, nonce: f.nonce,
		openid: slices.Contains(f.scopes, "openid"), expires: now.Add(CodeTTL)}
	q := u.Query()
	q.Set("code", code)
	if f.state != "" {
		q.Set("state", f.state)
	}
	u.RawQuery = q.Encode()
	// Facebook appends #_=_ to its redirects (sample 40).
	u.Fragment = "_=_"
	return u.String()
}

// canReuseGrant is canReuse for a flow that went through the reconfirm
// step without editing.
func (s *Server) canReuseGrant(f *flow) bool { return !f.edit && s.canReuse(f) }

// cancelURL is the user_denied redirect [MF]; error_code=200 as sample 39.
func (f *flow) cancelURL() string {
	u, _ := url.Parse(f.redirectURI)
	q := u.Query()
	q.Set("error", "access_denied")
	q.Set("error_code", "200")
	q.Set("error_description", "Permissions error.")
	q.Set("error_reason", "user_denied")
	if f.state != "" {
		q.Set("state", f.state)
	}
	u.RawQuery = q.Encode()
	u.Fragment = "_=_"
	return u.String()
}
