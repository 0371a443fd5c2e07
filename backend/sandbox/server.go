// Package sandbox is a stand-in for Facebook: the Login dialog and the
// Graph API endpoints Pagekeeper calls, served from one base URL with the
// shapes, error codes and HTTP statuses Facebook uses (FACEBOOK.md and
// graph-samples/). Tests of every other package and the app's demo mode run
// against it. It shares no code with the Graph client on purpose: two
// readings of the same fact sheet catch each other's mistakes.
package sandbox

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Lifetimes (FACEBOOK.md §2).
const (
	ShortLivedTTL = time.Hour
	LongLivedTTL  = 60 * 24 * time.Hour
	DataAccessTTL = 90 * 24 * time.Hour
	// CodeTTL: Facebook's code lifetime is not documented; ten minutes is
	// the RFC 6749 §4.1.2 recommendation.
	CodeTTL = 10 * time.Minute
	// DefaultVersion is reported in Facebook-API-Version when a call names none.
	DefaultVersion = "v25.0"
)

// DefaultRedirectURI is the desktop redirect FACEBOOK.md §1 names.
const DefaultRedirectURI = "https://www.facebook.com/connect/login_success.html"

// Options configures a Server. The zero value is a working sandbox.
type Options struct {
	AppID     string // default DefaultAppID
	AppSecret string // default: random per server
	AppName   string // default DefaultAppName
	// RedirectURIs are the app's registered "Valid OAuth Redirect URIs",
	// matched exactly (Strict Mode). Default: DefaultRedirectURI.
	RedirectURIs []string
	// LiveMode refuses http loopback redirect URIs. In development mode
	// (the default, and what Pagekeeper's own-app setup uses) any
	// http://localhost, 127.0.0.1 or [::1] redirect URI is accepted on any
	// port and path: Facebook allows http localhost in development mode, but
	// its port and path rules are unverified, so the sandbox is lenient.
	LiveMode bool
	// RequireAppSecretProof makes user and Page token calls without
	// appsecret_proof fail, like the dashboard's "Require App Secret" switch.
	RequireAppSecretProof bool
	// CallsPerUserPerHour is the Platform rate limit (default 200; the app
	// quota is this times the number of users who granted the app).
	CallsPerUserPerHour int
	// PageCallsPerDay is the Business Use Case limit per Page (default 4800).
	PageCallsPerDay int
	// Clock defaults to a running clock that follows the wall clock.
	Clock *Clock
	// Seed makes fault rates reproducible; 0 means random.
	Seed uint64
}

// Server is one sandbox: its state lives in memory behind one mutex.
type Server struct {
	opts  Options
	clock *Clock

	mu       sync.Mutex
	rng      *rand.Rand
	personas []Persona
	pages    []*Page
	pageByID map[string]*Page            // the same Pages; kept with pages (reset, AddPages)
	roles    map[string]map[string]*role // persona -> page -> role
	grants   map[string]*grant           // persona -> the app's grant
	tokens   map[string]*token
	pageTok  map[string]string // user token + "/" + page id -> Page token
	codes    map[string]*authCode
	flows    map[string]*flow
	active   map[string]*activeScenario
	faults   map[Kind]*fault
	usage    usage

	// seq numbers tokens in issue order; overlays switched on by scenarios
	// remember the seq at that moment and touch only tokens issued before,
	// so a login right after a password change works even on a frozen clock.
	seq             uint64
	passwordChanged map[string]mark
	appRemoved      map[string]mark
	userExpired     map[string]mark
	checkpointed    map[string]bool
	unconfirmed     map[string]bool
	// tokenless: page id -> how its Page lists show access_token
	// (page_token_missing leaves it out, page_token_empty sends "").
	tokenless map[string]Kind

	httpSrv *http.Server
	ln      net.Listener
	closed  chan struct{}
	once    sync.Once
}

type tokenKind string

const (
	kindUser tokenKind = "USER"
	kindPage tokenKind = "PAGE"
	kindApp  tokenKind = "APP"
)

type token struct {
	kind      tokenKind
	persona   string
	page      string
	issued    time.Time
	expires   time.Time // zero: never
	longLived bool
	seq       uint64
	parent    *token      // the user token a Page token came from
	dead      *graphError // set by an explicit invalidation (466)
}

// grant is what a persona allowed the app: permission statuses and the
// Pages ticked in the dialog.
type grant struct {
	perms      map[string]string // "granted" or "declined"
	order      []string
	pages      []string        // in seed order; set with setPages
	pageSet    map[string]bool // the same, to look one up
	created    time.Time
	dataUntil  time.Time
	deselected map[string]mark // page -> when it was unticked
}

// mark is a moment in both clocks: sandbox time and token sequence.
type mark struct {
	at  time.Time
	seq uint64
}

func (m mark) covers(t *token) bool { return t.seq <= m.seq }

func (s *Server) markNow() mark { return mark{at: s.clock.Now(), seq: s.seq} }

func (g *grant) granted(p string) bool { return g != nil && g.perms[p] == "granted" }

func (g *grant) setPerm(p, status string) {
	if _, ok := g.perms[p]; !ok {
		g.order = append(g.order, p)
	}
	g.perms[p] = status
}

func (g *grant) hasPage(id string) bool { return g != nil && g.pageSet[id] }

// setPages makes ids the grant's Pages. A set beside the list: /me/accounts
// asks for every Page of a grant of 5,000 (an O(n²) scan made the sandbox,
// not Pagekeeper, most of a benchmarked connect).
func (g *grant) setPages(ids []string) {
	g.pages, g.pageSet = ids, make(map[string]bool, len(ids))
	for _, id := range ids {
		g.pageSet[id] = true
	}
}

// New builds a sandbox with the seed business loaded.
func New(opts Options) *Server {
	if opts.AppID == "" {
		opts.AppID = DefaultAppID
	}
	if opts.AppSecret == "" {
		opts.AppSecret = randomHex(16)
	}
	if opts.AppName == "" {
		opts.AppName = DefaultAppName
	}
	if len(opts.RedirectURIs) == 0 {
		opts.RedirectURIs = []string{DefaultRedirectURI}
	}
	if opts.CallsPerUserPerHour <= 0 {
		opts.CallsPerUserPerHour = 200
	}
	if opts.PageCallsPerDay <= 0 {
		opts.PageCallsPerDay = 4800
	}
	if opts.Clock == nil {
		opts.Clock = NewRunningClock()
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	s := &Server{opts: opts, clock: opts.Clock, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), closed: make(chan struct{})}
	s.reset()
	return s
}

func (s *Server) reset() {
	s.personas = seedPersonas()
	s.pages = seedPages()
	s.pageByID = map[string]*Page{}
	for _, p := range s.pages {
		s.pageByID[p.ID] = p
	}
	s.roles = seedRoles()
	s.grants = map[string]*grant{}
	s.tokens = map[string]*token{}
	s.pageTok = map[string]string{}
	s.codes = map[string]*authCode{}
	s.flows = map[string]*flow{}
	s.active = map[string]*activeScenario{}
	s.faults = map[Kind]*fault{}
	s.usage = newUsage()
	s.passwordChanged = map[string]mark{}
	s.appRemoved = map[string]mark{}
	s.userExpired = map[string]mark{}
	s.checkpointed = map[string]bool{}
	s.unconfirmed = map[string]bool{}
	s.tokenless = map[string]Kind{}
}

// Reset puts the sandbox back to the seed business: no grants, no tokens,
// no scenarios, no faults. The clock is left alone.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
}

// App returns the sandbox app's id and secret.
func (s *Server) App() (id, secret string) { return s.opts.AppID, s.opts.AppSecret }

// Clock returns the clock every expiry reads.
func (s *Server) Clock() *Clock { return s.clock }

// Personas lists the sandbox's Facebook users.
func (s *Server) Personas() []Persona {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.personas)
}

// Pages lists the seed Pages as they are now (scenarios may have unlinked
// Instagram or removed webhooks).
func (s *Server) Pages() []Page {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Page, len(s.pages))
	for i, p := range s.pages {
		out[i] = *p
		out[i].SubscribedTo = slices.Clone(p.SubscribedTo)
	}
	return out
}

func (s *Server) persona(id string) *Persona {
	for i := range s.personas {
		if s.personas[i].ID == id {
			return &s.personas[i]
		}
	}
	return nil
}

// page finds a Page by id: a map, as every item of a batch of 50 asks it,
// and a scan of 5,000 Pages each time made the sandbox the slow part of a
// benchmark.
func (s *Server) page(id string) *Page { return s.pageByID[id] }

func (s *Server) roleOf(persona, page string) *role {
	if m := s.roles[persona]; m != nil {
		return m[page]
	}
	return nil
}

// Handler serves the Login dialog, the Graph API and the admin endpoint.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

var versionRe = regexp.MustCompile(`^v\d+\.\d+$`)

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	segs := splitPath(r.URL.Path)
	version := DefaultVersion
	if len(segs) > 0 && versionRe.MatchString(segs[0]) {
		version, segs = segs[0], segs[1:]
	}
	switch {
	case len(segs) >= 1 && segs[0] == "__sandbox":
		s.serveAdmin(w, r, segs[1:])
	case len(segs) >= 2 && segs[0] == "dialog" && segs[1] == "oauth":
		s.serveDialog(w, r, version, segs[2:])
	default:
		s.serveGraph(w, r, version, segs)
	}
}

func splitPath(p string) []string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}

// response is one Graph answer, kept as bytes so the batch API can embed
// it as a JSON string.
type response struct {
	status int
	header http.Header
	body   []byte
}

func okJSON(v any) *response {
	return &response{status: 200, header: http.Header{}, body: marshal(v)}
}

func (r *response) write(w http.ResponseWriter) {
	for k, vs := range r.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

// resolve finds the token behind an access_token value. App tokens come in
// two forms: "APP_ID|APP_SECRET" and the one client_credentials issued.
func (s *Server) resolve(value string) *token {
	if value == s.opts.AppID+"|"+s.opts.AppSecret {
		return &token{kind: kindApp}
	}
	return s.tokens[value]
}

// validity reports why t no longer works, or nil. Order: explicit
// invalidation, person-level locks, password change, app removal, expiry,
// then Page-level causes. Data access (493) is checked by data calls only,
// because the person stays authenticated (FACEBOOK.md §2, [AVD]).
func (s *Server) validity(t *token, now time.Time) *graphError {
	if t.kind == kindApp {
		return nil
	}
	if t.dead != nil {
		return t.dead
	}
	if s.checkpointed[t.persona] {
		return errCheckpointed()
	}
	if s.unconfirmed[t.persona] {
		return errUnconfirmed()
	}
	if m, ok := s.passwordChanged[t.persona]; ok && m.covers(t) {
		return errPasswordChanged()
	}
	if m, ok := s.appRemoved[t.persona]; ok && m.covers(t) {
		return errAppNotAuthorized(s.opts.AppID)
	}
	if s.grants[t.persona] == nil {
		return errAppNotAuthorized(s.opts.AppID)
	}
	if exp := s.expiry(t); !exp.IsZero() && !now.Before(exp) {
		return errExpired(exp, now)
	}
	if t.kind == kindPage {
		if s.roleOf(t.persona, t.page) == nil {
			return errNoPageRole()
		}
		g := s.grants[t.persona]
		if m, ok := g.deselected[t.page]; (ok && m.covers(t)) || !g.hasPage(t.page) {
			return errPageDeselected()
		}
	}
	return nil
}

// expiry is when t stops working: its own expiry, pulled forward by the
// user_token_expired scenario; a Page token from a short-lived user token
// dies with it.
func (s *Server) expiry(t *token) time.Time {
	if t.kind == kindPage {
		if t.parent != nil && !t.parent.longLived {
			return s.expiry(t.parent)
		}
		return t.expires
	}
	exp := t.expires
	if m, ok := s.userExpired[t.persona]; ok && m.covers(t) && (exp.IsZero() || exp.After(m.at)) {
		exp = m.at
	}
	return exp
}

func (s *Server) dataAccessExpired(persona string, now time.Time) bool {
	g := s.grants[persona]
	return g != nil && !now.Before(g.dataUntil)
}

func (s *Server) issue(t *token) string {
	prefix := "EAAS"
	if t.kind == kindPage {
		prefix = "EAAP"
	}
	v := randomToken(prefix, 48)
	s.seq++
	t.seq = s.seq
	s.tokens[v] = t
	return v
}

func appSecretProof(secret, accessToken string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(accessToken))
	return hex.EncodeToString(m.Sum(nil))
}

func randomHex(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.Uint32())
	}
	return hex.EncodeToString(b)
}

// Start serves a new sandbox on addr ("127.0.0.1:0" picks a free port).
func Start(addr string, opts Options) (*Server, error) {
	s := New(opts)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen on %s: %w", addr, err)
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	// Serve returns ErrServerClosed on Close; nothing else can be done
	// with an error of a listener that broke.
	go func() { _ = s.httpSrv.Serve(ln) }()
	return s, nil
}

// URL is the base URL of a started sandbox, e.g. http://127.0.0.1:41234:
// both the Login dialog and the Graph API live under it.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close stops a started sandbox and ends stalled requests.
func (s *Server) Close() error {
	s.once.Do(func() { close(s.closed) })
	if s.httpSrv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.httpSrv.Shutdown(ctx); err != nil {
		return s.httpSrv.Close()
	}
	return nil
}

// DialogURL builds a Login dialog URL for this sandbox, for tests and the
// CLI's printout. base is the sandbox URL (or any host serving Handler).
func (s *Server) DialogURL(base, redirectURI, state string, scopes ...string) string {
	q := url.Values{}
	q.Set("client_id", s.opts.AppID)
	q.Set("redirect_uri", redirectURI)
	q.Set("state", state)
	q.Set("response_type", "code")
	q.Set("scope", strings.Join(scopes, ","))
	return strings.TrimRight(base, "/") + "/" + DefaultVersion + "/dialog/oauth?" + q.Encode()
}
