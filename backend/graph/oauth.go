package graph

import (
	"context"
	"errors"
	"net/url"
	"time"
)

// Token is a user access token from an OAuth exchange.
type Token struct {
	AccessToken string
	ExpiresAt   time.Time // zero when Facebook sent no expires_in: the token does not expire
	// DataAccessExpiresAt is set when Facebook sends data_access_expiration_time.
	DataAccessExpiresAt time.Time
	IDToken             string // OIDC logins only
}

type tokenResponse struct {
	AccessToken         string     `json:"access_token"`
	ExpiresIn           flexInt    `json:"expires_in"` // seconds
	DataAccessExpiresAt flexInt    `json:"data_access_expiration_time"`
	IDToken             flexString `json:"id_token"`
}

const opToken = "GET /oauth/access_token"

// tokenCall runs GET /oauth/access_token with params. These calls carry no
// access_token (so no appsecret_proof); the secret, when needed, is client_secret.
func (c *Client) tokenCall(ctx context.Context, params url.Values) (Token, error) {
	var resp tokenResponse
	if err := c.do(ctx, call{method: "GET", path: "oauth/access_token", params: params}, &resp); err != nil {
		return Token{}, err
	}
	if resp.AccessToken == "" {
		return Token{}, &UnavailableError{Op: opToken, HTTPStatus: 200, Cause: errors.New("answer has no access_token")}
	}
	t := Token{AccessToken: resp.AccessToken, IDToken: string(resp.IDToken),
		DataAccessExpiresAt: unixTime(int64(resp.DataAccessExpiresAt))}
	if resp.ExpiresIn > 0 {
		t.ExpiresAt = c.now().Add(time.Duration(resp.ExpiresIn) * time.Second).UTC()
	}
	return t, nil
}

// ExchangeCode trades a login dialog's code for a user token. redirectURI
// must equal the dialog's. codeVerifier is the PKCE verifier ("" when the
// dialog used none); the app secret is sent when configured (FACEBOOK.md §1).
func (c *Client) ExchangeCode(ctx context.Context, code, redirectURI, codeVerifier string) (Token, error) {
	if c.appID == "" {
		return Token{}, ErrNoAppCredentials
	}
	if code == "" {
		return Token{}, errors.New("graph: ExchangeCode: empty code")
	}
	p := url.Values{"client_id": {c.appID}, "redirect_uri": {redirectURI}, "code": {code}}
	if c.appSecret != "" {
		p.Set("client_secret", c.appSecret)
	}
	if codeVerifier != "" {
		p.Set("code_verifier", codeVerifier)
	}
	return c.tokenCall(ctx, p)
}

// ExchangeLongLived trades a valid user token for a ~60-day one
// (grant_type=fb_exchange_token; needs the app secret, FACEBOOK.md §2).
func (c *Client) ExchangeLongLived(ctx context.Context, userToken string) (Token, error) {
	if _, err := c.appToken(); err != nil {
		return Token{}, err
	}
	return c.tokenCall(ctx, url.Values{"grant_type": {"fb_exchange_token"}, "client_id": {c.appID},
		"client_secret": {c.appSecret}, "fb_exchange_token": {userToken}})
}

// AppToken fetches an app token (grant_type=client_credentials). Its real use
// is to check an App ID/App Secret pair: when Facebook rejects the pair the
// error is an *Error for which errors.Is(err, ErrBadAppCredentials) holds.
func (c *Client) AppToken(ctx context.Context) (string, error) {
	if _, err := c.appToken(); err != nil {
		return "", err
	}
	t, err := c.tokenCall(ctx, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.appID},
		"client_secret": {c.appSecret}})
	return t.AccessToken, err
}

// AppName reads the app's own name with its app token (APP_ID|APP_SECRET):
// "An app access token can be used to view all fields for an app" (Graph API
// reference, Application). A wrong secret makes Facebook refuse the token
// (code 190, "Invalid OAuth access token signature.").
func (c *Client) AppName(ctx context.Context) (string, error) {
	tok, err := c.appToken()
	if err != nil {
		return "", err
	}
	var app struct {
		Name string `json:"name"`
	}
	if err := c.do(ctx, call{method: "GET", path: c.appID, params: url.Values{"fields": {"name"}}, token: tok}, &app); err != nil {
		return "", err
	}
	return app.Name, nil
}
