package login

import (
	"html/template"
	"net/http"
)

type pageKind struct {
	title   string
	heading string
}

var (
	pageSuccess    = pageKind{"Connected - Pagekeeper", "You're connected"}
	pageLoggedIn   = pageKind{"Logged in - Pagekeeper", "You're logged in"}
	pageFailed     = pageKind{"Login not completed - Pagekeeper", "The login did not complete"}
	pageBadRequest = pageKind{"Not accepted - Pagekeeper", "This request was not accepted"}
	pageInfo       = pageKind{"Pagekeeper", "Nothing more to do here"}
)

// The page is self-contained (no scripts, no external resources) so it shows
// the same with or without network and leaks nothing to third parties.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1c1e21;line-height:1.5}h1{font-size:1.4rem}</style>
</head><body><h1>{{.Heading}}</h1><p>{{.Message}}</p></body></html>
`))

func render(w http.ResponseWriter, status int, k pageKind, message string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	pageTemplate.Execute(w, struct{ Title, Heading, Message string }{k.title, k.heading, message})
}
