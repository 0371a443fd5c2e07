package hooks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// SignatureHeader carries a webhook delivery's signature, in the scheme
// Stripe's webhooks use: "t=UNIX_SECONDS,v1=HEX", where HEX is the
// HMAC-SHA256, keyed by the webhook's secret, of "UNIX_SECONDS.BODY". The
// timestamp is signed with the body, so a receiver that refuses old
// timestamps refuses a replayed delivery.
const SignatureHeader = "Pagekeeper-Signature"

// MinSecretLen is the shortest webhook secret Pagekeeper takes.
const MinSecretLen = 16

// Sign returns the signature header value of body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// CheckURL accepts an https URL, or http to this computer only (a
// receiver on loopback); the URL is kept in the metadata, so it may carry
// no user, password or query, which is where URLs hide credentials.
func CheckURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("%q is not a web address like https://example.com/pagekeeper", raw)
	case u.User != nil:
		return errors.New("the webhook address must not contain a user name or password: the signature proves the sender")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return errors.New("the webhook address must not contain a query (?) or fragment (#): the signature proves the sender")
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && loopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return errors.New("the webhook address must start with https:// (plain http:// only to this computer: 127.0.0.1, ::1 or localhost)")
	}
	return fmt.Errorf("the webhook address must start with https://, not %s://", u.Scheme)
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// delivery is the JSON body of a webhook delivery.
type delivery struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Created int64  `json:"created"`
	Test    bool   `json:"test"`
	Page    struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"page"`
	Person string `json:"person"`
	Status string `json:"status"`
	Reason string `json:"reason"`
	Token  string `json:"token,omitempty"`
}

func payload(e Event, id string, at time.Time, token string) delivery {
	d := delivery{ID: id, Type: e.Kind, Created: at.Unix(), Test: e.DryRun, Person: e.Person, Status: e.Status, Reason: e.Reason, Token: token}
	d.Page.ID, d.Page.Name = e.PageID, e.PageName
	return d
}

func (r *Runner) webhook(ctx context.Context, h store.Hook, e Event, token string) Result {
	secret, err := r.Vault.HookSecret(h.ID)
	if err != nil {
		return Result{Error: "no signing secret for this webhook in the keychain: " + err.Error()}
	}
	if err := CheckURL(h.URL); err != nil {
		return Result{Error: err.Error()}
	}
	if !h.WithCredential {
		token = ""
	}
	id := e.Delivery
	if id == "" {
		id = newDeliveryID()
	}
	now := r.now()
	body, err := json.Marshal(payload(e, id, now, token))
	if err != nil {
		return Result{Error: err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return Result{Error: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", buildinfo.Name+"/"+buildinfo.Version)
	req.Header.Set("Pagekeeper-Event", e.Kind)
	req.Header.Set("Pagekeeper-Delivery", id)
	req.Header.Set(SignatureHeader, Sign(secret, now, body))
	client := http.Client{
		Transport: r.transport(),
		// A redirect would carry the body, and maybe the token, to an
		// address nobody checked.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	res := Result{ExitCode: -1, Delivery: id}
	if err != nil {
		res.Error = "could not deliver: " + err.Error()
		if ctx.Err() == context.DeadlineExceeded {
			res.Error = fmt.Sprintf("no answer within the %s timeout", r.timeout(h))
		}
		return res
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	res.HTTP = resp.StatusCode
	res.Output = firstLines(string(answer), outputLines, outputWidth)
	if resp.StatusCode/100 == 2 {
		res.OK, res.ExitCode = true, 0
	} else {
		res.Error = "the receiver answered " + resp.Status
		if resp.StatusCode/100 == 3 {
			res.Error += " (redirects are not followed: set the final address)"
		}
	}
	return res
}

func (r *Runner) transport() http.RoundTripper {
	if r.HTTPClient != nil && r.HTTPClient.Transport != nil {
		return r.HTTPClient.Transport
	}
	return http.DefaultTransport
}

func newDeliveryID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "evt_" + hex.EncodeToString(b)
}
