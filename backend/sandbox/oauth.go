package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"time"
)

// authCode is what the dialog hands out: single use, short-lived, bound to
// the dialog's redirect_uri and, with PKCE, to a code_challenge.
type authCode struct {
	persona     string
	redirectURI string
	challenge   string // S256 code_challenge, "" without PKCE
	nonce       string
	openid      bool
	expires     time.Time
	used        bool
}

// oauthToken is GET|POST /oauth/access_token: the code exchange,
// grant_type=fb_exchange_token and grant_type=client_credentials.
func (s *Server) oauthToken(c *call) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	p := c.params
	if p.Get("client_id") != s.opts.AppID {
		return errorResponse(&graphError{Status: 400, Code: 101, WWWAuthKind: "invalid_request", Message: "Error validating application. Invalid application ID."})
	}
	switch p.Get("grant_type") {
	case "", "authorization_code":
		return s.exchangeCode(c, now)
	case "fb_exchange_token":
		if e := s.checkSecret(p.Get("client_secret")); e != nil {
			return errorResponse(e)
		}
		t := s.resolve(p.Get("fb_exchange_token"))
		if t == nil {
			return errorResponse(errTokenUnparseable())
		}
		if t.kind != kindUser {
			return errorResponse(errParam("fb_exchange_token must be a user access token"))
		}
		// An expired or invalidated token cannot be exchanged [LL].
		if e := s.validity(t, now); e != nil {
			return errorResponse(e)
		}
		lt := &token{kind: kindUser, persona: t.persona, issued: now, expires: now.Add(LongLivedTTL), longLived: true}
		v := s.issue(lt)
		return okJSON(obj{{"access_token", v}, {"token_type", "bearer"}, {"expires_in", int64(LongLivedTTL / time.Second)}})
	case "client_credentials":
		if e := s.checkSecret(p.Get("client_secret")); e != nil {
			return errorResponse(e)
		}
		v := s.opts.AppID + "|" + randomToken("", 20)
		s.tokens[v] = &token{kind: kindApp, issued: now}
		// App tokens never expire: no expires_in (like sample 36).
		return okJSON(obj{{"access_token", v}, {"token_type", "bearer"}})
	}
	return errorResponse(errParam("Unsupported grant_type"))
}

func (s *Server) checkSecret(secret string) *graphError {
	if secret == "" {
		return errParam("Missing client_secret parameter.")
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(s.opts.AppSecret)) != 1 {
		return errBadSecret()
	}
	return nil
}

// exchangeCode: redirect_uri must be identical to the dialog's; the client
// proves itself with client_secret or, when the dialog carried a
// code_challenge, with a matching code_verifier. The subcodes 36007 and
// 36009 for expired and used codes are unverified.
func (s *Server) exchangeCode(c *call, now time.Time) *response {
	p := c.params
	code := p.Get("code")
	if code == "" {
		return errorResponse(errParam("Missing code parameter."))
	}
	ac := s.codes[code]
	switch {
	case ac == nil:
		return errorResponse(errParam("Invalid verification code format."))
	case ac.used:
		return errorResponse(&graphError{Status: 400, Code: 100, Subcode: 36009, WWWAuthKind: "invalid_request", Message: "This authorization code has been used."})
	case !now.Before(ac.expires):
		return errorResponse(&graphError{Status: 400, Code: 100, Subcode: 36007, WWWAuthKind: "invalid_request", Message: "This authorization code has expired."})
	case p.Get("redirect_uri") != ac.redirectURI:
		return errorResponse(&graphError{Status: 400, Code: 100, WWWAuthKind: "invalid_request",
			Message: "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request"})
	}
	verifier, secret := p.Get("code_verifier"), p.Get("client_secret")
	switch {
	case verifier != "":
		if ac.challenge == "" || s256(verifier) != ac.challenge {
			return errorResponse(&graphError{Status: 400, Code: 100, WWWAuthKind: "invalid_request", Message: "Invalid code_verifier: it does not match the code_challenge sent to the login dialog."})
		}
		if secret != "" {
			if e := s.checkSecret(secret); e != nil {
				return errorResponse(e)
			}
		}
	default:
		if e := s.checkSecret(secret); e != nil {
			return errorResponse(e)
		}
	}
	ac.used = true
	// A code exchange gives a short-lived (1 hour) token [PAT]. Sample 35
	// shows a ~60-day expires_in from an old (v2.3) exchange; the sandbox
	// follows the current documentation.
	t := &token{kind: kindUser, persona: ac.persona, issued: now, expires: now.Add(ShortLivedTTL)}
	v := s.issue(t)
	out := obj{{"access_token", v}, {"token_type", "bearer"}, {"expires_in", int64(ShortLivedTTL / time.Second)}}
	if ac.openid {
		out = append(out, kv{"id_token", s.idToken(ac, now)})
	}
	return okJSON(out)
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// idToken is an OIDC ID token in shape only: its signature is random, the
// sandbox publishes no keys.
func (s *Server) idToken(ac *authCode, now time.Time) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	p := s.persona(ac.persona)
	claims := map[string]any{"iss": "https://www.facebook.com", "aud": s.opts.AppID, "sub": p.ID, "name": p.Name,
		"iat": now.Unix(), "exp": now.Add(ShortLivedTTL).Unix(), "jti": randomHex(8)}
	if ac.nonce != "" {
		claims["nonce"] = ac.nonce
	}
	return enc(map[string]string{"alg": "RS256", "kid": "sandbox", "typ": "JWT"}) + "." + enc(claims) + "." + randomToken("", 64)
}
