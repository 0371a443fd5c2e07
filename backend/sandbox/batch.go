package sandbox

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// MaxBatch is Facebook's batch size limit [BATCH].
const MaxBatch = 50

type batchItem struct {
	Method      string `json:"method"`
	RelativeURL string `json:"relative_url"`
	Body        string `json:"body,omitempty"`
	Name        string `json:"name,omitempty"`
}

type batchHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type batchResult struct {
	Code    int           `json:"code"`
	Headers []batchHeader `json:"headers,omitempty"`
	Body    string        `json:"body"`
}

// batch runs POST / with batch=[{method, relative_url, body}]. Each item is
// a separate call (counted separately toward the quotas [BATCH]) and the
// answers come back in request order, each body as a JSON string.
// include_headers=false leaves the headers out.
func (s *Server) batch(ctx context.Context, c *call) *response {
	if r := s.shapeEnvelope(c); r != nil {
		return r
	}
	var items []batchItem
	if err := json.Unmarshal([]byte(c.params.Get("batch")), &items); err != nil {
		return errorResponse(errParam("The parameter batch must be a JSON array of requests"))
	}
	if len(items) == 0 {
		return errorResponse(errParam("The parameter batch must contain at least one request"))
	}
	if len(items) > MaxBatch {
		// Wording after "GraphBatchException … Maximum batch size is 50"
		// (FACEBOOK.md §6); the code 1 is unverified.
		return errorResponse(&graphError{Status: 400, Code: 1, Type: "GraphBatchException", Message: "Too many requests in batch message. Maximum batch size is 50"})
	}
	withHeaders := c.params.Get("include_headers") != "false"
	out := make([]batchResult, 0, len(items))
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		r := s.batchCall(c, it)
		s.finish(r, c.version)
		res := batchResult{Code: r.status, Body: string(r.body)}
		if withHeaders {
			r.header.Set("Content-Type", "application/json; charset=UTF-8")
			keys := make([]string, 0, len(r.header))
			for k := range r.header {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				res.Headers = append(res.Headers, batchHeader{Name: k, Value: r.header.Get(k)})
			}
		}
		out = append(out, res)
	}
	return okJSON(out)
}

func (s *Server) batchCall(outer *call, it batchItem) *response {
	method := strings.ToUpper(it.Method)
	if method == "" {
		method = "GET"
	}
	u, err := url.Parse(strings.TrimPrefix(it.RelativeURL, "/"))
	if err != nil || it.RelativeURL == "" {
		return errorResponse(errParam("Each batch request needs a valid relative_url"))
	}
	params := u.Query()
	if it.Body != "" {
		body, err := url.ParseQuery(it.Body)
		if err != nil {
			return errorResponse(errParam("Could not parse the body of a batch request"))
		}
		for k, v := range body {
			params[k] = append(params[k], v...)
		}
	}
	segs := splitPath(u.Path)
	version := outer.version
	if len(segs) > 0 && versionRe.MatchString(segs[0]) {
		version, segs = segs[0], segs[1:]
	}
	tok := params.Get("access_token")
	if tok == "" {
		tok = outer.token
		if !params.Has("appsecret_proof") && outer.params.Has("appsecret_proof") {
			params.Set("appsecret_proof", outer.params.Get("appsecret_proof"))
		}
	}
	if o := strings.ToUpper(params.Get("method")); o == "GET" || o == "POST" || o == "DELETE" {
		method = o
	}
	return s.shapeGraphError(s.graph(&call{method: method, segs: segs, params: params, token: tok, version: version, base: outer.base}))
}
