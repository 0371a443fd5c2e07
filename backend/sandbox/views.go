package sandbox

import (
	"html/template"
	"net/http"
	"strings"
)

// view is what the dialog template shows for one step.
type view struct {
	AppName     string
	Step        string // login, reconfirm, pages, permissions, error
	Flow        string
	Action      string
	Personas    []personaView
	Persona     personaView
	Reauth      bool
	Reauthorize bool
	Pages       []pageView
	Perms       []permView
	Problem     string
	ErrTitle    string
	ErrMsg      string
}

type personaView struct{ ID, Name, Initials string }

type pageView struct {
	ID, Name, Category, Via string
	Checked                 bool
}

type permView struct {
	Name, Label string
	Checked     bool
}

func toPersonaView(p *Persona) personaView {
	var ini string
	for _, w := range strings.Fields(p.Name) {
		ini += w[:1]
	}
	return personaView{ID: p.ID, Name: p.Name, Initials: ini}
}

func (s *Server) baseView(f *flow, step string) *view {
	v := &view{AppName: s.opts.AppName, Step: step, Flow: f.id, Action: "/" + f.version + "/dialog/oauth/confirm",
		Reauth: f.authType == "reauthenticate", Reauthorize: f.authType == "reauthorize"}
	if p := s.persona(f.persona); p != nil {
		v.Persona = toPersonaView(p)
	}
	return v
}

func (s *Server) loginView(f *flow) *view {
	v := s.baseView(f, "login")
	for i := range s.personas {
		v.Personas = append(v.Personas, toPersonaView(&s.personas[i]))
	}
	return v
}

func (s *Server) reconfirmView(f *flow) *view { return s.baseView(f, "reconfirm") }

// pagesView lists every Page the person has a role on, Business Portfolio
// ones included. Pages granted before are preselected; on a first login
// all are.
func (s *Server) pagesView(f *flow) *view {
	v := s.baseView(f, "pages")
	g := s.grants[f.persona]
	for _, p := range s.pages {
		r := s.roleOf(f.persona, p.ID)
		if r == nil {
			continue
		}
		pv := pageView{ID: p.ID, Name: p.Name, Category: p.Category, Checked: g == nil || g.hasPage(p.ID)}
		if r.viaBusiness {
			pv.Via = "Harbor Foods LLC (Business Portfolio)"
		}
		v.Pages = append(v.Pages, pv)
	}
	return v
}

// permissionsView: each asked permission can be unticked. Granted and new
// ones start ticked; declined ones start ticked only when re-asked with
// rerequest (otherwise they keep their state when editing).
func (s *Server) permissionsView(f *flow) *view {
	v := s.baseView(f, "permissions")
	g := s.grants[f.persona]
	for _, sc := range s.askedPerms(f) {
		checked := g == nil || g.perms[sc] != "declined" || f.authType == "rerequest"
		v.Perms = append(v.Perms, permView{Name: sc, Label: permLabel(sc), Checked: checked})
	}
	return v
}

func errorView(title, msg string) *view { return &view{Step: "error", ErrTitle: title, ErrMsg: msg} }

// Dashboard wording from FACEBOOK.md §7 where it exists.
var permLabels = map[string]string{
	"email":                     "Receive your email address",
	"openid":                    "Confirm your identity",
	"pages_show_list":           "Show a list of the Pages you manage",
	"pages_read_engagement":     "Read content posted on the Page, followers and insights",
	"pages_manage_metadata":     "Manage accounts, settings and webhooks for a Page",
	"pages_messaging":           "Manage and access Page conversations in Messenger",
	"pages_manage_posts":        "Create, edit and delete your Page posts",
	"pages_read_user_content":   "Read user content on your Page",
	"pages_manage_engagement":   "Create and manage content on your Page",
	"business_management":       "Manage your business",
	"read_insights":             "Read Page insights",
	"instagram_basic":           "Access profile and posts from the Instagram account connected to your Page",
	"instagram_manage_messages": "Manage and access Instagram Direct messages",
	"instagram_manage_comments": "Manage comments for the Instagram account connected to your Page",
	"instagram_manage_insights": "Access insights for the Instagram account connected to your Page",
	"instagram_content_publish": "Create posts on the Instagram account connected to your Page",
	"ads_read":                  "Access ads and related stats",
	"ads_management":            "Manage your ads",
}

func permLabel(p string) string {
	if l, ok := permLabels[p]; ok {
		return l
	}
	return p
}

func (s *Server) errorPage(w http.ResponseWriter, status int, title, msg string) {
	v := errorView(title, msg)
	v.AppName = s.opts.AppName
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = dialogTmpl.Execute(w, v)
}

func (s *Server) render(w http.ResponseWriter, v *view) {
	if v.AppName == "" {
		v.AppName = s.opts.AppName
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// The dialog must not be framed, as on Facebook.
	w.Header().Set("X-Frame-Options", "DENY")
	status := http.StatusOK
	if v.Step == "error" {
		status = http.StatusForbidden
	}
	w.WriteHeader(status)
	_ = dialogTmpl.Execute(w, v)
}

var dialogTmpl = template.Must(template.New("dialog").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{if eq .Step "error"}}{{.ErrTitle}}{{else}}Log in with Facebook{{end}}</title>
<style>
*{box-sizing:border-box}
body{margin:0;background:#f0f2f5;font-family:Helvetica,Arial,sans-serif;color:#1c1e21;font-size:15px}
header{background:#1877f2;height:56px;display:flex;align-items:center;padding:0 20px}
header .logo{color:#fff;font-weight:bold;font-size:28px;letter-spacing:-1px}
main{max-width:500px;margin:32px auto;background:#fff;border-radius:8px;box-shadow:0 2px 4px rgba(0,0,0,.1),0 8px 16px rgba(0,0,0,.1);padding:24px}
h1{font-size:20px;margin:0 0 8px}
p.sub{color:#65676b;margin:0 0 20px}
.avatar{width:40px;height:40px;border-radius:50%;background:#e4e6eb;color:#1877f2;display:inline-flex;align-items:center;justify-content:center;font-weight:bold;margin-right:12px;flex:none}
.persona{display:flex;align-items:center;width:100%;padding:12px;margin:0 0 10px;border:1px solid #dddfe2;border-radius:8px;background:#fff;font-size:16px;cursor:pointer;text-align:left}
.persona:hover{background:#f2f2f2}
.row{display:flex;align-items:center;padding:10px 4px;border-bottom:1px solid #e4e6eb}
.row label{flex:1;cursor:pointer}
.row small{display:block;color:#65676b}
.row input{width:20px;height:20px;margin-right:12px}
.buttons{display:flex;gap:8px;margin-top:20px}
button.primary{flex:1;background:#1877f2;color:#fff;border:0;border-radius:6px;padding:10px;font-size:16px;font-weight:bold;cursor:pointer}
button.secondary{flex:1;background:#e4e6eb;color:#050505;border:0;border-radius:6px;padding:10px;font-size:16px;font-weight:bold;cursor:pointer}
button.link{background:none;border:0;color:#1877f2;cursor:pointer;font-size:14px;padding:8px 0}
input[type=password]{width:100%;padding:12px;border:1px solid #dddfe2;border-radius:6px;font-size:16px;margin-bottom:12px}
.problem{background:#ffebe8;border:1px solid #dd3c10;padding:8px;margin-bottom:12px}
footer{text-align:center;color:#8a8d91;font-size:12px;margin:16px}
</style></head>
<body><header><span class="logo">facebook</span></header>
<main>
{{if eq .Step "error"}}
<div id="error"><h1 id="error-title">{{.ErrTitle}}</h1><p id="error-message">{{.ErrMsg}}</p></div>
{{else}}
<form method="post" action="{{.Action}}">
<input type="hidden" name="flow" value="{{.Flow}}">
<input type="hidden" name="step" value="{{.Step}}">
{{if .Problem}}<div class="problem" id="problem">{{.Problem}}</div>{{end}}
{{if eq .Step "login"}}
<h1>Log in to {{.AppName}}</h1>
<p class="sub">{{.AppName}} will receive your name and profile picture.</p>
{{if .Reauth}}<p>For your security, please re-enter your password.</p>
<input type="password" name="password" id="password" placeholder="Password" autocomplete="current-password">{{end}}
{{range .Personas}}<button type="submit" class="persona" name="persona" value="{{.ID}}" data-persona="{{.ID}}"><span class="avatar">{{.Initials}}</span>Continue as {{.Name}}</button>
{{end}}
<div class="buttons"><button type="submit" class="secondary" name="action" value="cancel" id="cancel">Cancel</button></div>
{{else if eq .Step "reconfirm"}}
<div class="row"><span class="avatar">{{.Persona.Initials}}</span><strong>{{.Persona.Name}}</strong></div>
<h1>{{if .Reauthorize}}Reconnect to {{.AppName}}{{else}}You previously logged in to {{.AppName}} with Facebook.{{end}}</h1>
<p class="sub">Would you like to continue?</p>
<div class="buttons"><button type="submit" class="secondary" name="action" value="cancel" id="cancel">Cancel</button>
<button type="submit" class="primary" name="action" value="continue" id="continue">Continue as {{.Persona.Name}}</button></div>
<button type="submit" class="link" name="action" value="edit" id="edit">Edit previous settings</button>
{{else if eq .Step "pages"}}
<h1>What Pages do you want {{.AppName}} to access?</h1>
<p class="sub">Logged in as {{.Persona.Name}}. In the next step you'll choose what {{.AppName}} can do.</p>
{{range .Pages}}<div class="row"><input type="checkbox" name="page" value="{{.ID}}" id="page-{{.ID}}"{{if .Checked}} checked{{end}}><label for="page-{{.ID}}">{{.Name}}<small>{{.Category}}{{if .Via}} · via {{.Via}}{{end}}</small></label></div>
{{end}}
<div class="buttons"><button type="submit" class="secondary" name="action" value="cancel" id="cancel">Cancel</button>
<button type="submit" class="primary" name="action" value="continue" id="continue">Next</button></div>
{{else if eq .Step "permissions"}}
<h1>What is {{.AppName}} allowed to do?</h1>
<p class="sub">Logged in as {{.Persona.Name}}. {{.AppName}} will receive your name and profile picture (required).</p>
{{range .Perms}}<div class="row"><input type="checkbox" name="perm" value="{{.Name}}" id="perm-{{.Name}}"{{if .Checked}} checked{{end}}><label for="perm-{{.Name}}">{{.Label}}<small>{{.Name}}</small></label></div>
{{end}}
<div class="buttons"><button type="submit" class="secondary" name="action" value="cancel" id="cancel">Cancel</button>
<button type="submit" class="primary" name="action" value="continue" id="continue">Continue</button></div>
{{end}}
</form>
{{end}}
</main>
<footer>Pagekeeper sandbox: a stand-in for Facebook for tests and demos. Nothing here reaches Facebook.</footer>
</body></html>
`))
