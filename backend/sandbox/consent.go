package sandbox

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// ConsentChoice is what a headless "person" does in the Login dialog.
type ConsentChoice struct {
	Persona  string   // persona id or name; default: the first persona (Dana Whitfield)
	Password string   // for auth_type=reauthenticate; default "sandbox"
	Pages    []string // Page ids to tick; nil keeps the dialog's preselection
	Untick   []string // permissions to untick
	Cancel   bool     // press Cancel on the first screen
	// EditSettings presses "Edit previous settings" when Facebook offers to
	// reuse an earlier grant, so Pages and permissions can be changed.
	EditSettings bool
}

// Consent plays the Login dialog at dialogURL with a plain HTTP client:
// it fetches each page, fills the form the way a person would and submits
// it to the same handler the browser uses. It returns the redirect URL
// (code and state, or the user_denied error) without following it.
func (s *Server) Consent(ctx context.Context, dialogURL string, c ConsentChoice) (*url.URL, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	personaID := s.personaRef(c.Persona)
	if personaID == "" {
		return nil, fmt.Errorf("sandbox consent: unknown persona %q", c.Persona)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, dialogURL, nil)
	if err != nil {
		return nil, fmt.Errorf("sandbox consent: dialog URL: %w", err)
	}
	for range 10 {
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("sandbox consent: %w", err)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("sandbox consent: reading the dialog: %w", err)
		}
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			loc, err := req.URL.Parse(resp.Header.Get("Location"))
			if err != nil {
				return nil, fmt.Errorf("sandbox consent: bad redirect: %w", err)
			}
			return loc, nil
		}
		f, err := parseForm(string(body))
		if err != nil {
			return nil, err
		}
		vals, err := f.fill(c, personaID)
		if err != nil {
			return nil, err
		}
		action, err := req.URL.Parse(f.action)
		if err != nil {
			return nil, fmt.Errorf("sandbox consent: bad form action: %w", err)
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, action.String(), strings.NewReader(vals.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return nil, errors.New("sandbox consent: the dialog did not finish in 10 steps")
}

func (s *Server) personaRef(ref string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ref == "" {
		return s.personas[0].ID
	}
	for _, p := range s.personas {
		if p.ID == ref || strings.EqualFold(p.Name, ref) {
			return p.ID
		}
	}
	return ""
}

// dialogForm is the one form of a dialog page.
type dialogForm struct {
	action  string
	step    string
	hidden  url.Values
	boxes   map[string][]box // checkbox name -> boxes
	buttons map[string][]string
	hasPass bool
}

type box struct {
	value   string
	checked bool
}

var (
	tagRe      = regexp.MustCompile(`<(form|input|button)\b([^>]*)>`)
	attrRe     = regexp.MustCompile(`([a-zA-Z_:-]+)(?:="([^"]*)")?`)
	errTitleRe = regexp.MustCompile(`id="error-title">([^<]*)<`)
	errMsgRe   = regexp.MustCompile(`id="error-message">([^<]*)<`)
)

func parseForm(page string) (*dialogForm, error) {
	if m := errTitleRe.FindStringSubmatch(page); m != nil {
		msg := ""
		if mm := errMsgRe.FindStringSubmatch(page); mm != nil {
			msg = ": " + html.UnescapeString(mm[1])
		}
		return nil, fmt.Errorf("sandbox consent: the dialog shows %q%s", html.UnescapeString(m[1]), msg)
	}
	f := &dialogForm{hidden: url.Values{}, boxes: map[string][]box{}, buttons: map[string][]string{}}
	for _, tag := range tagRe.FindAllStringSubmatch(page, -1) {
		attrs := map[string]string{}
		for _, a := range attrRe.FindAllStringSubmatch(tag[2], -1) {
			attrs[strings.ToLower(a[1])] = html.UnescapeString(a[2])
		}
		name := attrs["name"]
		_, checked := attrs["checked"]
		switch {
		case tag[1] == "form":
			f.action = attrs["action"]
		case tag[1] == "button" && name != "":
			f.buttons[name] = append(f.buttons[name], attrs["value"])
		case tag[1] == "input" && attrs["type"] == "hidden":
			f.hidden.Add(name, attrs["value"])
		case tag[1] == "input" && attrs["type"] == "checkbox":
			f.boxes[name] = append(f.boxes[name], box{attrs["value"], checked})
		case tag[1] == "input" && attrs["type"] == "password":
			f.hasPass = true
		}
	}
	if f.action == "" {
		return nil, errors.New("sandbox consent: the page has no dialog form")
	}
	f.step = f.hidden.Get("step")
	return f, nil
}

func (f *dialogForm) press(vals url.Values, name, value string) error {
	if !slices.Contains(f.buttons[name], value) {
		return fmt.Errorf("sandbox consent: the %s step has no %s=%s button", f.step, name, value)
	}
	vals.Set(name, value)
	return nil
}

// fill answers one step the way the choice says.
func (f *dialogForm) fill(c ConsentChoice, personaID string) (url.Values, error) {
	vals := url.Values{}
	for k, v := range f.hidden {
		vals[k] = v
	}
	if c.Cancel {
		return vals, f.press(vals, "action", "cancel")
	}
	switch f.step {
	case "login":
		if f.hasPass {
			pw := c.Password
			if pw == "" {
				pw = "sandbox"
			}
			vals.Set("password", pw)
		}
		return vals, f.press(vals, "persona", personaID)
	case "reconfirm":
		if c.EditSettings {
			return vals, f.press(vals, "action", "edit")
		}
		return vals, f.press(vals, "action", "continue")
	case "pages":
		for _, b := range f.boxes["page"] {
			if (c.Pages == nil && b.checked) || slices.Contains(c.Pages, b.value) {
				vals.Add("page", b.value)
			}
		}
		for _, want := range c.Pages {
			if !slices.ContainsFunc(f.boxes["page"], func(b box) bool { return b.value == want }) {
				return nil, fmt.Errorf("sandbox consent: page %s is not offered to this persona", want)
			}
		}
	case "permissions":
		for _, u := range c.Untick {
			if !slices.ContainsFunc(f.boxes["perm"], func(b box) bool { return b.value == u }) {
				return nil, fmt.Errorf("sandbox consent: permission %s is not asked in this dialog", u)
			}
		}
		for _, b := range f.boxes["perm"] {
			if b.checked && !slices.Contains(c.Untick, b.value) {
				vals.Add("perm", b.value)
			}
		}
	default:
		return nil, fmt.Errorf("sandbox consent: unknown dialog step %q", f.step)
	}
	return vals, f.press(vals, "action", "continue")
}
