package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
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
	var seq uint64
	r := call{method: "POST", path: "", token: token, params: url.Values{"batch": {string(enc)}}, usageSeq: &seq}
	status, body, err := c.fetch(ctx, r)
	if err != nil {
		return nil, err
	}
	// The whole answer in one pass; only when an item does not read that
	// way is each item read on its own, so an odd one costs only itself.
	var wire []itemWire
	if json.Unmarshal(body, &wire) != nil {
		var items []json.RawMessage
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, &UnavailableError{Op: r.op(), HTTPStatus: status, Cause: fmt.Errorf("answer did not parse: %w", err)}
		}
		wire = make([]itemWire, len(items))
		for i, raw := range items {
			wire[i] = readItem(raw)
		}
	}
	if len(wire) != len(reqs) {
		return nil, &UnavailableError{Op: r.op(), HTTPStatus: 200,
			Cause: fmt.Errorf("batch answered %d items for %d requests", len(wire), len(reqs))}
	}
	out := make([]BatchResponse, len(wire))
	var all []Usage
	for i, w := range wire {
		out[i] = itemResponse(w.Code, w.Body)
		if h := usageHeaders(w.Headers); h != nil {
			out[i].Usage = ParseUsage(h, c.now())
			all = append(all, out[i].Usage...)
		}
	}
	c.recordItemUsage(seq, all)
	return out, nil
}

// itemWire is one item of a batch answer as it comes.
type itemWire struct {
	Code    flexInt         `json:"code"`
	Body    json.RawMessage `json:"body"`
	Headers []itemHeader    `json:"headers"`
}

// itemHeader is one of a batch item's headers.
type itemHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// readItem reads one item of a batch answer whose items did not all read
// in one pass: its code and body, and its headers, each on their own.
func readItem(raw json.RawMessage) itemWire {
	var it itemWire
	if json.Unmarshal(raw, &it) == nil {
		return it
	}
	var parts struct {
		Code flexInt         `json:"code"`
		Body json.RawMessage `json:"body"`
	}
	if json.Unmarshal(raw, &parts) == nil {
		it.Code, it.Body = parts.Code, parts.Body
	} else {
		it.Code, it.Body = 0, nil
	}
	var hs struct {
		Headers []itemHeader `json:"headers"`
	}
	if json.Unmarshal(raw, &hs) == nil {
		it.Headers = hs.Headers
	} else {
		it.Headers = nil
	}
	return it
}

// usageHeaders keeps an item's usage reports (ParseUsage reads nothing
// else); a usage report is advice, never a reason to lose the item.
func usageHeaders(hs []itemHeader) http.Header {
	var h http.Header
	for _, kv := range hs {
		for _, name := range usageHeaderNames {
			if strings.EqualFold(kv.Name, name) {
				if h == nil {
					h = http.Header{}
				}
				h.Add(name, kv.Value)
			}
		}
	}
	return h
}

// itemResponse is an item's code and body as a BatchResponse. An item that
// is not an object with a numeric code reads as left out (Code 0); a body
// that is not a JSON string (an object, say) is taken as it is.
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
