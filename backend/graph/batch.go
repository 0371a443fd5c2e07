package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// MaxBatch is Facebook's limit of requests per batch (FACEBOOK.md §6).
const MaxBatch = 50

// BatchRequest is one request inside a batch; RelativeURL is below the version
// ("debug_token?input_token=…", "123?fields=id,name").
type BatchRequest struct {
	Method      string `json:"method"`
	RelativeURL string `json:"relative_url"`
}

// BatchResponse is one item's answer. Code 0 means Facebook gave no answer
// for the item (it writes null for items that timed out).
type BatchResponse struct {
	Code int
	Body []byte
	// Usage is what the item's own headers reported: for a Page token,
	// the Page's X-Page-Usage or its Business Use Case usage (the client's
	// Budget keeps it too).
	Usage []Usage
}

const opBatchItem = "batch item"

// Err is the item's error, typed as for a direct call: *Error for Facebook's
// error model, *UnavailableError for no answer or a non-JSON failure, nil otherwise.
func (r BatchResponse) Err() error {
	if r.Code == 0 {
		return &UnavailableError{Op: opBatchItem, ItemLeftOut: true, Cause: errors.New("Facebook returned no answer for this item")}
	}
	return CheckResponse(opBatchItem, r.Code, r.Body)
}

// Decode unmarshals a successful item's body into out, or returns Err().
func (r BatchResponse) Decode(out any) error {
	if err := r.Err(); err != nil {
		return err
	}
	if err := json.Unmarshal(r.Body, out); err != nil {
		return &UnavailableError{Op: opBatchItem, HTTPStatus: r.Code, Cause: fmt.Errorf("answer did not parse: %w", err)}
	}
	return nil
}

// Batch sends reqs with token through the batch API, MaxBatch per HTTP request
// (each still counts against the rate limits), and returns the answers in the
// order of reqs. The error is for an HTTP request that failed as a whole.
func (c *Client) Batch(ctx context.Context, token string, reqs []BatchRequest) ([]BatchResponse, error) {
	out := make([]BatchResponse, 0, len(reqs))
	for start := 0; start < len(reqs); start += MaxBatch {
		chunk := reqs[start:min(start+MaxBatch, len(reqs))]
		got, err := c.batchOnce(ctx, token, chunk)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

func (c *Client) batchOnce(ctx context.Context, token string, reqs []BatchRequest) ([]BatchResponse, error) {
	enc, err := json.Marshal(reqs)
	if err != nil {
		return nil, fmt.Errorf("graph: batch: %w", err)
	}
	// include_headers is left at its default (true): each item's usage
	// headers are the only report of that Page's own quota.
	r := call{method: "POST", path: "", token: token, params: url.Values{"batch": {string(enc)}}}
	var items []json.RawMessage
	if err := c.do(ctx, r, &items); err != nil {
		return nil, err
	}
	if len(items) != len(reqs) {
		return nil, &UnavailableError{Op: r.op(), HTTPStatus: 200,
			Cause: fmt.Errorf("batch answered %d items for %d requests", len(items), len(reqs))}
	}
	out := make([]BatchResponse, len(items))
	var all []Usage
	for i, raw := range items {
		var h http.Header
		out[i], h = readItem(raw)
		if h != nil {
			out[i].Usage = ParseUsage(h, c.now())
			all = append(all, out[i].Usage...)
		}
	}
	c.recordItemUsage(all)
	return out, nil
}

// itemHeader is one of a batch item's headers.
type itemHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// readItem reads one item of a batch answer and its headers in one pass
// (a check of 1,000 Pages reads 1,000 of them); an item that does not read
// that way is read again part by part, so an odd part costs only itself.
func readItem(raw json.RawMessage) (BatchResponse, http.Header) {
	var it struct {
		Code    flexInt         `json:"code"`
		Body    json.RawMessage `json:"body"`
		Headers []itemHeader    `json:"headers"`
	}
	if json.Unmarshal(raw, &it) != nil {
		return batchItem(raw), batchHeaders(raw)
	}
	return itemResponse(it.Code, it.Body), headerOf(it.Headers)
}

// batchHeaders reads an item's headers, if it has any that read; a usage
// report is advice, never a reason to lose the item.
func batchHeaders(raw json.RawMessage) http.Header {
	var it struct {
		Headers []itemHeader `json:"headers"`
	}
	if json.Unmarshal(raw, &it) != nil {
		return nil
	}
	return headerOf(it.Headers)
}

func headerOf(hs []itemHeader) http.Header {
	if len(hs) == 0 {
		return nil
	}
	h := make(http.Header, len(hs))
	for _, kv := range hs {
		h.Add(kv.Name, kv.Value)
	}
	return h
}

// batchItem reads one item of a batch answer on its own, so that one odd
// item (its code as a string, its body as an object rather than a JSON
// string) costs that item at most, never the other Pages of the batch. An
// item that is not an object with a numeric code reads as left out (Code 0).
func batchItem(raw json.RawMessage) BatchResponse {
	var it struct {
		Code flexInt         `json:"code"`
		Body json.RawMessage `json:"body"`
	}
	if json.Unmarshal(raw, &it) != nil {
		return BatchResponse{}
	}
	return itemResponse(it.Code, it.Body)
}

func itemResponse(code flexInt, body json.RawMessage) BatchResponse {
	if code <= 0 || int64(int(code)) != int64(code) {
		return BatchResponse{}
	}
	r := BatchResponse{Code: int(code)}
	var s string
	switch {
	case isNull(body):
	case json.Unmarshal(body, &s) == nil:
		r.Body = trimBOM([]byte(s))
	default:
		r.Body = body
	}
	return r
}
