// Package graph is Pagekeeper's Facebook Graph API client. It tells apart the
// answers that decide a token's fate (*Error, definitive unless transient)
// from everything else (*UnavailableError), because only the former may ever
// mark a Page broken. No error it returns contains a token, the app secret or
// a URL carrying either.
package graph

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/outbound"
)

// Defaults of Config.
const (
	DefaultGraphURL = "https://graph.facebook.com"
	DefaultVersion  = "v25.0" // FACEBOOK.md §1: available until July 2028
)

// maxBody bounds what is read of one answer; Graph answers are far smaller.
const maxBody = 32 << 20

// Config configures a Client. AppID and AppSecret are needed for
// appsecret_proof, debug_token and the OAuth exchanges.
type Config struct {
	GraphURL   string // default DefaultGraphURL; tests point it at a local server
	Version    string // default DefaultVersion
	AppID      string
	AppSecret  string
	HTTPClient *http.Client     // its transport and timeout (default 30 s); see New for redirects
	OnUsage    func(us []Usage) // optional; see SetUsageHook
	Now        func() time.Time // optional clock for Token.ExpiresAt and Usage.Seen; default time.Now
}

// Client calls the Graph API. It is safe for concurrent use.
type Client struct {
	base      string // GraphURL + "/" + Version
	appID     string
	appSecret string
	hc        *http.Client
	now       func() time.Time

	proofs sync.Map // token -> its appsecret_proof: a check proves 1,000 Page tokens, the same ones each time

	mu       sync.Mutex
	usage    map[string]Usage
	usageAt  map[string]uint64 // usageSeq of the answer that reported it
	usageSeq uint64            // answers with usage headers so far
	onUsage  func([]Usage)
}

// New returns a Client for cfg, filling in the defaults. Every call carries a
// token or the secret, so the client follows no redirect (outbound.Client),
// whatever cfg.HTTPClient's own policy.
func New(cfg Config) *Client {
	if cfg.GraphURL == "" {
		cfg.GraphURL = DefaultGraphURL
	}
	if cfg.Version == "" {
		cfg.Version = DefaultVersion
	}
	cfg.HTTPClient = outbound.Client(cfg.HTTPClient, outbound.DefaultTimeout)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Client{
		base:      strings.TrimRight(cfg.GraphURL, "/") + "/" + strings.Trim(cfg.Version, "/"),
		appID:     cfg.AppID,
		appSecret: cfg.AppSecret,
		hc:        cfg.HTTPClient,
		now:       cfg.Now,
		usage:     map[string]Usage{},
		usageAt:   map[string]uint64{},
		onUsage:   cfg.OnUsage,
	}
}

// ErrNoAppCredentials is returned, before any request, by calls that need the
// App ID and App Secret when the Config lacks them.
var ErrNoAppCredentials = errors.New("graph: the App ID and App Secret are not configured")

// AppSecretProof is the hex HMAC-SHA256 of token keyed by the app secret,
// which Facebook checks on calls made with user and Page tokens.
func AppSecretProof(token, appSecret string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(token))
	return hex.EncodeToString(m.Sum(nil))
}

// proof is AppSecretProof of token with the client's secret.
func (c *Client) proof(token string) string {
	if p, ok := c.proofs.Load(token); ok {
		return p.(string)
	}
	p := AppSecretProof(token, c.appSecret)
	c.proofs.Store(token, p)
	return p
}

func (c *Client) appToken() (string, error) {
	if c.appID == "" || c.appSecret == "" {
		return "", ErrNoAppCredentials
	}
	return c.appID + "|" + c.appSecret, nil
}

// call is one Graph request.
type call struct {
	method string     // GET, POST or DELETE
	path   string     // below the version, without a leading slash ("" for the batch root)
	params url.Values // may be nil
	token  string     // access_token; "" for none
	// usageSeq, when set, receives the number the answer's usage headers
	// were recorded under (0: it had none), so a batch files its items'
	// reports with the answer's own.
	usageSeq *uint64
}

func (r call) op() string { return r.method + " /" + r.path }

// do sends r and decodes a successful body into out (if not nil). It returns
// *Error for Facebook's error model and *UnavailableError for anything else.
func (c *Client) do(ctx context.Context, r call, out any) error {
	status, body, err := c.fetch(ctx, r)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &UnavailableError{Op: r.op(), HTTPStatus: status, Cause: fmt.Errorf("answer did not parse: %w", err)}
	}
	return nil
}

// fetch sends r and returns a successful answer's body, or the error it
// carries (see do).
func (c *Client) fetch(ctx context.Context, r call) (int, []byte, error) {
	status, body, err := c.send(ctx, r)
	if err != nil {
		return status, nil, err
	}
	if err := CheckResponse(r.op(), status, body); err != nil {
		if c.appSecret != "" && r.token == c.appID+"|"+c.appSecret {
			return status, nil, viaAppToken(err)
		}
		return status, nil, err
	}
	return status, body, nil
}

// send performs the HTTP exchange and records the usage headers.
func (c *Client) send(ctx context.Context, r call) (int, []byte, error) {
	params := url.Values{}
	for k, v := range r.params {
		params[k] = v
	}
	if r.token != "" {
		params.Set("access_token", r.token)
		// No proof with the app token: it already is the secret (and Facebook
		// does not ask for one there).
		if c.appSecret != "" && r.token != c.appID+"|"+c.appSecret {
			params.Set("appsecret_proof", c.proof(r.token))
		}
	}
	u := c.base + "/" + r.path
	var bodyReader io.Reader
	if r.method == http.MethodPost {
		bodyReader = strings.NewReader(params.Encode())
	} else if len(params) > 0 {
		u += "?" + params.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, bodyReader)
	if err != nil {
		return 0, nil, &UnavailableError{Op: r.op(), Cause: errors.New("could not build the request")}
	}
	if bodyReader != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode // a redirect not followed: an answer did arrive
		}
		return status, nil, &UnavailableError{Op: r.op(), HTTPStatus: status, Cause: transportCause(ctx, err)}
	}
	defer resp.Body.Close()
	if seq := c.recordUsage(resp.Header); r.usageSeq != nil {
		*r.usageSeq = seq
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, nil, &UnavailableError{Op: r.op(), HTTPStatus: resp.StatusCode,
			Cause: fmt.Errorf("answer cut off: %w", transportCause(ctx, err))}
	}
	return resp.StatusCode, trimBOM(body), nil
}

// utf8BOM is the byte order mark a gateway may put before the JSON; Go's
// decoder refuses it, which would turn a verdict into "no usable answer".
var utf8BOM = []byte("\ufeff")

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, utf8BOM) }

// transportCause drops the *url.Error wrapper, whose text holds the request
// URL and so the access token; the context's own error is kept for errors.Is.
func transportCause(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err
}

// pathID checks an object id before it goes into a path: an empty or
// slash-bearing id would silently address another object.
func pathID(what, id string) (string, error) {
	if id == "" || strings.ContainsAny(id, "/?#&") {
		return "", fmt.Errorf("graph: invalid %s (empty, or holds / ? # &)", what)
	}
	return url.PathEscape(id), nil
}
