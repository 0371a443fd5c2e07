package graph

import (
	"context"
	"net/url"
)

// WithToken is a batch item that runs with its own user or Page token, and
// its own appsecret_proof, inside a batch sent with the app token: one HTTP
// request checks up to MaxBatch Pages, each call counted against its own
// token's limits (Facebook's "batch calls with multiple access tokens").
func (c *Client) WithToken(method, relativeURL, token string) BatchRequest {
	q := "access_token=" + url.QueryEscape(token) // as url.Values would encode it, keys in order
	if c.appSecret != "" {
		q += "&appsecret_proof=" + c.proof(token)
	}
	sep := "?"
	if u, err := url.Parse(relativeURL); err == nil && u.RawQuery != "" {
		sep = "&"
	}
	return BatchRequest{Method: method, RelativeURL: relativeURL + sep + q}
}

// AppBatch sends reqs (usually built with WithToken) through the batch API
// with the app token at the top level.
func (c *Client) AppBatch(ctx context.Context, reqs []BatchRequest) ([]BatchResponse, error) {
	tok, err := c.appToken()
	if err != nil {
		return nil, err
	}
	return c.Batch(ctx, tok, reqs)
}
