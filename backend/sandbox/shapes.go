package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
)

// Answer shapes real Facebook has sent that the sandbox's ordinary answers do
// not use (issue 10, shapes 2-7). Each is a fault: switched on and off over
// /__sandbox/scenarios like the others, limited by Count or Rate, and it
// changes how the sandbox answers, not its state. Variant picks one form
// where a shape has several.
const (
	// ProbeNotPage: a read of a Page node answers 200 with something that is
	// not the Page. Variants: no_id (default), other_id, error_in_200,
	// legacy_error. Page: only that Page (default every Page).
	ProbeNotPage Kind = "probe_not_page"
	// PageDeleted: the Page node answers "object does not exist": 400, code
	// 100 subcode 33, GraphMethodException; Code 33 gives the "(#33) This
	// object does not exist or does not support this action" form.
	PageDeleted Kind = "page_deleted"
	// PermissionNamed: a read of the Page node is refused with a message
	// naming Permission (code 10 "(#10) This endpoint requires the '…'
	// permission …"; Code 100 puts it after the 100/33 "does not exist"
	// text).
	PermissionNamed Kind = "permission_named"
	// CheckpointBlocking: every token of Persona (or of everyone) fails with
	// 190/490 "The user is enrolled in a blocking, logged-in checkpoint",
	// error_data an object. Code overrides the subcode.
	CheckpointBlocking Kind = "checkpoint_blocking"
	// MetaApp: Facebook refuses the owner's Meta app. Variants:
	// secret_reset (default), proof_required, not_live, deleted.
	MetaApp Kind = "meta_app"
	// ErrorShape: every error answer keeps its meaning but changes its
	// spelling. Variants: code_string (code and subcode as JSON strings,
	// error_data a string), subcode_renamed ("subcode", error_data an
	// array), subcode_missing (error_data an object), legacy
	// (error_code/error_msg at the top), oauth_error_string and
	// oauth_error_message (the token endpoint's RFC 6749 "error" string with
	// error_description, or error_code with error_message).
	ErrorShape Kind = "error_shape"
)

var shapeVariants = map[Kind][]string{
	ProbeNotPage: {"no_id", "other_id", "error_in_200", "legacy_error"},
	MetaApp:      {"secret_reset", "proof_required", "not_live", "deleted"},
	ErrorShape:   {"code_string", "subcode_renamed", "subcode_missing", "legacy", "oauth_error_string", "oauth_error_message"},
}

func init() {
	kinds = append(kinds,
		KindInfo{ProbeNotPage, "A read of the Page answers 200 but is not the Page: no id, another id, an error object inside the 200 body, or the legacy error_code/error_msg (variant).", nil, true},
		KindInfo{PageDeleted, "The Page does not exist any more: 100/33 GraphMethodException (code 33: the '(#33) This object does not exist' form).", nil, true},
		KindInfo{PermissionNamed, "The Page read is refused with a message naming the missing permission (code 10, or 100/33 with code 100).", []string{"permission"}, true},
		KindInfo{CheckpointBlocking, "The person's account is in a blocking, logged-in checkpoint: 190/490 (code: another subcode).", nil, true},
		KindInfo{MetaApp, "Facebook refuses the owner's Meta app: its secret was reset, appsecret_proof is required, the app is in development mode, or it was deleted (variant).", nil, true},
		KindInfo{ErrorShape, "Error answers keep their meaning in another spelling: string codes, 'subcode', no subcode, error_data of any kind, legacy or OAuth forms (variant).", nil, true},
	)
	for k := range shapeVariants {
		faultKinds[k] = true
	}
	for _, k := range []Kind{PageDeleted, PermissionNamed, CheckpointBlocking} {
		faultKinds[k] = true
	}
}

// MarshalJSON lists an answer-shape fault's variants (the first is the
// default) beside the other fields, for /__sandbox/scenarios.
func (k KindInfo) MarshalJSON() ([]byte, error) {
	type plain KindInfo
	return json.Marshal(struct {
		plain
		Variants []string `json:"variants,omitempty"`
	}{plain(k), shapeVariants[k.Kind]})
}

// variant is the form a shape fault takes: its own, or the kind's default.
func variant(sc Scenario) string {
	if sc.Variant == "" && len(shapeVariants[sc.Kind]) > 0 {
		return shapeVariants[sc.Kind][0]
	}
	return sc.Variant
}

// validateShape checks what the generic validation cannot: the variant.
func validateShape(sc Scenario) error {
	vs, ok := shapeVariants[sc.Kind]
	switch {
	case !ok && sc.Variant != "":
		return fmt.Errorf("sandbox: %s has no variants", sc.Kind)
	case ok && sc.Variant != "" && !slices.Contains(vs, sc.Variant):
		return fmt.Errorf("sandbox: %s variant %q is not one of %v", sc.Kind, sc.Variant, vs)
	case sc.Kind == PageDeleted && sc.Code != 0 && sc.Code != 100 && sc.Code != 33:
		return fmt.Errorf("sandbox: page_deleted code must be 100 or 33, not %d", sc.Code)
	case sc.Kind == PermissionNamed && sc.Code != 0 && sc.Code != 10 && sc.Code != 100:
		return fmt.Errorf("sandbox: permission_named code must be 10 or 100, not %d", sc.Code)
	}
	return nil
}

// hitLocked reports whether fault k applies to this call and uses up one of
// its Count if so (s.mu held). applies narrows it to its target first, so a
// fault aimed at one Page is not used up by calls about another.
func (s *Server) hitLocked(k Kind, applies func(Scenario) bool) (Scenario, bool) {
	f := s.faults[k]
	if f == nil || (applies != nil && !applies(f.sc)) {
		return Scenario{}, false
	}
	if f.sc.Count > 0 {
		f.remaining--
		if f.remaining <= 0 {
			delete(s.faults, k)
		}
		return f.sc, true
	}
	if f.sc.Rate > 0 && f.sc.Rate < 1 {
		return f.sc, s.rng.Float64() < f.sc.Rate
	}
	return f.sc, true
}

// pageRead is the Page a call reads as a node (GET /{page} or /me with its
// Page token), or "".
func pageRead(c *call, t *token, s *Server) string {
	if c.method != http.MethodGet || len(c.segs) != 1 {
		return ""
	}
	if c.segs[0] == "me" && t.kind == kindPage {
		return t.page
	}
	if s.page(c.segs[0]) != nil {
		return c.segs[0]
	}
	return ""
}

func onPage(id string) func(Scenario) bool {
	return func(sc Scenario) bool { return id != "" && (sc.Page == "" || sc.Page == id) }
}

func rawJSON(status int, v any) *response {
	return &response{status: status, header: http.Header{}, body: marshal(v)}
}

// shapeBefore answers a call in place of the sandbox when a shape fault
// replaces the whole answer (s.mu held).
func (s *Server) shapeBefore(c *call, t *token) *response {
	if sc, hit := s.hitLocked(MetaApp, nil); hit {
		if r := s.metaAppAnswer(sc, c, t); r != nil {
			return r
		}
	}
	if t.kind != kindApp {
		if sc, hit := s.hitLocked(CheckpointBlocking, func(sc Scenario) bool { return sc.Persona == "" || sc.Persona == t.persona }); hit {
			sub := sc.Code
			if sub == 0 {
				sub = 490
			}
			return rawJSON(400, obj{{"error", obj{
				{"message", "Error validating access token: The user is enrolled in a blocking, logged-in checkpoint"},
				{"type", "OAuthException"}, {"code", 190},
				{"error_data", obj{{"checkpoint_flow_id", "1501092823525282"}, {"checkpoint_content_id", "0"}}},
				{"error_subcode", sub}, {"fbtrace_id", traceID()},
			}}})
		}
	}
	page := pageRead(c, t, s)
	if sc, hit := s.hitLocked(PageDeleted, onPage(page)); hit {
		if sc.Code == 33 {
			return rawJSON(400, obj{{"error", obj{{"message", "(#33) This object does not exist or does not support this action"},
				{"type", "OAuthException"}, {"code", 33}, {"fbtrace_id", traceID()}}}})
		}
		return rawJSON(400, obj{{"error", obj{{"message", objectMissing(page)}, {"type", "GraphMethodException"},
			{"code", 100}, {"error_subcode", 33}, {"fbtrace_id", traceID()}}}})
	}
	if sc, hit := s.hitLocked(PermissionNamed, onPage(page)); hit {
		if sc.Code == 100 {
			return rawJSON(400, obj{{"error", obj{{"message", objectMissing(page) + " This endpoint requires the '" + sc.Permission + "' permission."},
				{"type", "GraphMethodException"}, {"code", 100}, {"error_subcode", 33}, {"fbtrace_id", traceID()}}}})
		}
		return rawJSON(400, obj{{"error", obj{{"message", "(#10) This endpoint requires the '" + sc.Permission +
			"' permission or the 'Page Public Content Access' feature. Refer to https://developers.facebook.com/docs/apps/review/login-permissions#manage-pages for details."},
			{"type", "OAuthException"}, {"code", 10}, {"fbtrace_id", traceID()}}}})
	}
	if sc, hit := s.hitLocked(ProbeNotPage, func(sc Scenario) bool {
		return onPage(page)(sc) && (variant(sc) == "error_in_200" || variant(sc) == "legacy_error")
	}); hit {
		if variant(sc) == "legacy_error" {
			// The old REST shape: no "error" object at all.
			return rawJSON(200, obj{{"error_code", 190}, {"error_msg", errPasswordChanged().Message}})
		}
		e := errPasswordChanged()
		return rawJSON(200, obj{{"error", obj{{"message", e.Message}, {"type", "OAuthException"}, {"code", e.Code},
			{"error_subcode", e.Subcode}, {"fbtrace_id", traceID()}}}})
	}
	return nil
}

// objectMissing is Facebook's "does not exist" text (as errUnsupported words it).
func objectMissing(id string) string {
	return fmt.Sprintf("Unsupported get request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api", id)
}

// metaAppAnswer is what a Graph call gets while the owner's Meta app is
// refused, or nil when the variant does not touch this call.
func (s *Server) metaAppAnswer(sc Scenario, c *call, t *token) *response {
	switch variant(sc) {
	case "deleted":
		return errorResponse(errAppDeleted())
	case "secret_reset":
		if t.kind == kindApp {
			return errorResponse(errAppTokenRefused())
		}
		if c.params.Get("appsecret_proof") != "" {
			return errorResponse(errProof("Invalid appsecret_proof provided in the API argument"))
		}
	case "proof_required":
		if t.kind != kindApp {
			return errorResponse(errProof("API calls from the server require an appsecret_proof argument"))
		}
	case "not_live":
		if t.kind != kindApp && (sc.Persona == "" || sc.Persona == t.persona) {
			return errorResponse(errAppNotLive())
		}
	}
	return nil
}

// errAppDeleted: code 101, as a public report shows it (metacpan/metacpan-web#2076).
func errAppDeleted() *graphError {
	return &graphError{Status: 400, Code: 101, Message: "Error validating application. Application has been deleted."}
}

// errAppTokenRefused: an app token whose secret is not the app's. The text
// is unverified (no captured answer); Facebook's 190 for a token it cannot
// verify is documented.
func errAppTokenRefused() *graphError {
	return &graphError{Status: 400, Code: 190, WWWAuthKind: "invalid_token", Message: "Invalid OAuth access token signature."}
}

// errAppNotLive: the login dialog's "App Not Setup" text, which public
// reports show; that Graph calls answer it as a 190 is unverified: a client
// that reads 190 alone would call the token dead, which this tests.
func errAppNotLive() *graphError {
	return &graphError{Status: 400, Code: 190, WWWAuthKind: "invalid_token",
		Message: "App Not Setup: This app is still in development mode, and you don't have access to it. Switch to a registered test user or ask an app admin for permissions."}
}

// shapeAfter rewrites the sandbox's own answer (s.mu held).
func (s *Server) shapeAfter(c *call, t *token, r *response) *response {
	if page := pageRead(c, t, s); page != "" && r.status == 200 {
		if sc, hit := s.hitLocked(ProbeNotPage, func(sc Scenario) bool {
			return onPage(page)(sc) && (variant(sc) == "no_id" || variant(sc) == "other_id")
		}); hit {
			r = notThePage(r, variant(sc), s.otherPage(page))
		}
	}
	return r
}

// shapeGraphError respells a Graph call's error answer, whichever step of
// the sandbox wrote it, while ErrorShape is on.
func (s *Server) shapeGraphError(r *response) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reshapeError(r, false)
}

func (s *Server) otherPage(id string) string {
	for _, p := range s.pages {
		if p.ID != id {
			return p.ID
		}
	}
	return "1"
}

// notThePage drops the id of a Page answer, or swaps in another's.
func notThePage(r *response, variant, other string) *response {
	var m map[string]json.RawMessage
	if json.Unmarshal(r.body, &m) != nil {
		return r
	}
	if variant == "other_id" {
		m["id"], _ = json.Marshal(other)
	} else {
		delete(m, "id")
	}
	return &response{status: r.status, header: r.header, body: marshal(m)}
}

// reshapeError respells an error answer for the ErrorShape fault; oauth
// says it is the token endpoint's (s.mu held).
func (s *Server) reshapeError(r *response, oauth bool) *response {
	var top struct {
		Error *errorBody `json:"error"`
	}
	if r.status < 400 || json.Unmarshal(r.body, &top) != nil || top.Error == nil {
		return r
	}
	sc, hit := s.hitLocked(ErrorShape, func(sc Scenario) bool {
		return oauth || (variant(sc) != "oauth_error_string" && variant(sc) != "oauth_error_message")
	})
	if !hit {
		return r
	}
	e := top.Error
	var v any
	switch variant(sc) {
	case "code_string":
		v = obj{{"error", obj{{"message", e.Message}, {"type", e.Type}, {"code", fmt.Sprint(e.Code)},
			{"error_subcode", fmt.Sprint(e.Subcode)}, {"error_data", `{"blame_field_specs":[[""]]}`}, {"fbtrace_id", e.FBTraceID}}}}
	case "subcode_renamed":
		v = obj{{"error", obj{{"message", e.Message}, {"type", e.Type}, {"code", e.Code},
			{"subcode", e.Subcode}, {"error_data", []any{}}, {"fbtrace_id", e.FBTraceID}}}}
	case "subcode_missing":
		v = obj{{"error", obj{{"message", e.Message}, {"type", e.Type}, {"code", e.Code},
			{"error_data", obj{{"sandbox", "subcode left out"}}}, {"fbtrace_id", e.FBTraceID}}}}
	case "legacy":
		v = obj{{"error_code", e.Code}, {"error_msg", e.Message}}
	case "oauth_error_string":
		v = obj{{"error", oauthErrorString(e)}, {"error_description", e.Message}}
	case "oauth_error_message":
		v = obj{{"error_code", e.Code}, {"error_message", e.Message}}
	default:
		return r
	}
	return &response{status: r.status, header: r.header, body: marshal(v)}
}

// oauthErrorString maps a token-endpoint error to RFC 6749 §5.2's names.
func oauthErrorString(e *errorBody) string {
	switch {
	case e.Code == 1 || e.Code == 101:
		return "invalid_client"
	case e.Code == 100 && e.Subcode != 0, e.Code == 190:
		return "invalid_grant"
	}
	return "invalid_request"
}

// shapeOAuth applies the shape faults to /oauth/access_token's answer.
func (s *Server) shapeOAuth(r *response) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc, hit := s.hitLocked(MetaApp, func(sc Scenario) bool { return variant(sc) == "deleted" || variant(sc) == "secret_reset" }); hit {
		if variant(sc) == "deleted" {
			r = errorResponse(errAppDeleted())
		} else {
			r = errorResponse(errBadSecret())
		}
	}
	return s.reshapeError(r, true)
}

// shapeEnvelope checks the batch request's own (app) token while the Meta
// app is refused: the whole batch fails, as any call with that token does.
func (s *Server) shapeEnvelope(c *call) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.resolve(c.token)
	if t == nil || t.kind != kindApp {
		return nil
	}
	if sc, hit := s.hitLocked(MetaApp, func(sc Scenario) bool { return variant(sc) == "deleted" || variant(sc) == "secret_reset" }); hit {
		return s.reshapeError(s.metaAppAnswer(sc, c, t), false)
	}
	return nil
}
