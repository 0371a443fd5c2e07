// Package metaapp is the one place that says how to create the Meta app
// Pagekeeper logs in through: the steps in Meta's App Dashboard, their
// addresses, and the checks of an App ID and App Secret. The window's guided
// setup and `pagekeeper setup` both read it, so they say the same.
package metaapp

import (
	"fmt"
	"io"
	"strings"
)

// CheckedOn is the day the wording and addresses below were last compared
// with Meta's documentation (the Source of each step).
const CheckedOn = "2026-11-27"

// AppIDPlaceholder stands for the App ID in a step's URL until it is known.
const AppIDPlaceholder = "{app-id}"

// Step is one screen of the guided setup.
type Step struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Intro  string   `json:"intro"`
	Do     []string `json:"do"`     // what to click, in order
	Note   string   `json:"note"`   // why, or what to watch for
	Button string   `json:"button"` // the label of the link that opens URL
	URL    string   `json:"url"`    // may hold {app-id}
	Field  string   `json:"field"`  // "appId", "appSecret", "redirectUri" or "": what the screen asks for
	Source string   `json:"source"` // Meta's page this step follows
}

// Guide is the whole guided setup.
type Guide struct {
	CheckedOn   string `json:"checkedOn"`
	RedirectURI string `json:"redirectUri"`
	Steps       []Step `json:"steps"`
}

// steps follows Meta's documentation as read on CheckedOn. The URLs under
// /apps/{app-id}/ are the App Dashboard's own addresses for the pages the
// documents name; the Do lines name the same page by its menu, in case Meta
// moves it.
var steps = []Step{
	{
		ID:    "create",
		Title: "Create the app",
		Intro: "Pagekeeper talks to Facebook through a Meta app of your own. Creating one is free and takes a few minutes. Log in to Meta for Developers with your own Facebook account (the first time, Meta asks you to register as a developer).",
		Do: []string{
			"Enter an app name your team will recognise, such as “Harbor Street Pagekeeper”, and your email address, then click Next.",
			"On the list of use cases, scroll down, choose “Other” and click Next.",
			"Choose the app type “Business” and click Next.",
			"Connecting a business portfolio is optional: you can skip it. Click “Create app”.",
		},
		Note:   "The app stays private to you and the people you add to it. Nobody needs Meta's App Review for this.",
		Button: "Open Meta's app creation",
		URL:    "https://developers.facebook.com/apps/creation/",
		Source: "https://developers.facebook.com/docs/development/create-an-app/other-app-types",
	},
	{
		ID:     "app-id",
		Title:  "Paste the App ID",
		Intro:  "Your new app opens in Meta's App Dashboard. The App ID is the long number shown at the top of the page, and under App settings > Basic.",
		Do:     []string{"Copy the App ID and paste it into Pagekeeper."},
		Button: "Open My Apps",
		URL:    "https://developers.facebook.com/apps/",
		Field:  "appId",
		Source: "https://developers.facebook.com/docs/development/create-an-app/app-dashboard/",
	},
	{
		ID:    "login",
		Title: "Add Facebook Login for Business",
		Intro: "This lets the people who connect Pages log in with Facebook, the way they do in other tools.",
		Do: []string{
			"In the app's menu on the left, click “Add product”.",
			"Find “Facebook Login for Business” and click “Set up”.",
		},
		Button: "Open your app's products",
		URL:    "https://developers.facebook.com/apps/{app-id}/add/",
		Source: "https://developers.facebook.com/documentation/instagram-platform/instagram-api-with-facebook-login/business-login-for-instagram",
	},
	{
		ID:    "redirect",
		Title: "Add Pagekeeper's redirect address",
		Intro: "After a login, Facebook sends the person back to Pagekeeper at this address on this computer. Facebook only does so for addresses listed in the app.",
		Do: []string{
			"In the menu, under Facebook Login for Business, click Settings.",
			"Paste this address into “Valid OAuth Redirect URIs”, exactly as shown, then click “Save changes”.",
		},
		Note:   "Facebook accepts an http://localhost address only while the app is in development mode, which is all Pagekeeper needs.",
		Button: "Open Facebook Login settings",
		URL:    "https://developers.facebook.com/apps/{app-id}/business-login/settings/",
		Field:  "redirectUri",
		Source: "https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow",
	},
	{
		ID:    "roles",
		Title: "Add the people who connect Pages",
		Intro: "Leave the app in development mode. In development mode only people with a role on the app can log in to it, so give a role to each teammate who will connect Pages with Pagekeeper. You have one already, as the app's creator.",
		Do: []string{
			"Open App roles > Roles and click “Add People”.",
			"Choose “Tester” for someone who only connects Pages, and enter their Facebook name or ID.",
			"Ask them to accept the invitation before they log in with Pagekeeper.",
		},
		Note:   "If the app belongs to a business portfolio, Meta manages its roles in your business settings instead.",
		Button: "Open App roles",
		URL:    "https://developers.facebook.com/apps/{app-id}/roles/roles/",
		Source: "https://developers.facebook.com/docs/development/build-and-test/app-roles",
	},
	{
		ID:    "secret",
		Title: "Paste the App Secret",
		Intro: "The App Secret proves to Facebook that Pagekeeper speaks for your app.",
		Do: []string{
			"Open App settings > Basic.",
			"Next to App Secret click “Show”, confirm with your Facebook password, and copy it.",
			"Paste it into Pagekeeper, which keeps it in your system keychain and never shows it again.",
		},
		Note:   "Keep it to yourself: anyone with the App Secret can act as your app.",
		Button: "Open App settings > Basic",
		URL:    "https://developers.facebook.com/apps/{app-id}/settings/basic/",
		Field:  "appSecret",
		Source: "https://developers.facebook.com/docs/development/create-an-app/app-dashboard/basic-settings",
	},
}

// Steps returns the guide for this redirect URI; appID, when known, fills the URLs.
func Steps(redirectURI, appID string) Guide {
	out := make([]Step, len(steps))
	for i, s := range steps {
		s.Do = append([]string(nil), s.Do...)
		if appID != "" {
			s.URL = strings.ReplaceAll(s.URL, AppIDPlaceholder, appID)
		}
		out[i] = s
	}
	return Guide{CheckedOn: CheckedOn, RedirectURI: redirectURI, Steps: out}
}

// Print writes the guide for a terminal: numbered steps, each with its link.
func Print(w io.Writer, g Guide) {
	fmt.Fprintf(w, "Set up your Meta app (steps checked against Meta's documentation on %s)\n", g.CheckedOn)
	for i, s := range g.Steps {
		fmt.Fprintf(w, "\n%d. %s\n   %s\n", i+1, s.Title, s.Intro)
		for _, d := range s.Do {
			fmt.Fprintf(w, "   - %s\n", d)
		}
		if s.Field == "redirectUri" {
			fmt.Fprintf(w, "     %s\n", g.RedirectURI)
		}
		if s.Note != "" {
			fmt.Fprintf(w, "   %s\n", s.Note)
		}
		fmt.Fprintf(w, "   Open: %s\n", strings.ReplaceAll(s.URL, AppIDPlaceholder, "YOUR_APP_ID"))
	}
}
