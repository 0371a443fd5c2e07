package metaapp

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

func TestCheckFormNamesTheWrongValue(t *testing.T) {
	cases := []struct{ id, secret, field, says string }{
		{"", "", FieldAppID, "Paste the App ID"},
		{"12ab", "", FieldAppID, "digits only"},
		{"0123456789abcdef0123456789abcdef", "", FieldAppID, "looks like the App Secret"},
		{strings.Repeat("1", 33), "", FieldAppID, "too long"},
		{"1234567890", "1234567890", FieldAppSecret, "pasted the App ID"},
		{"1234567890", "abc def", FieldAppSecret, "no spaces"},
	}
	for _, c := range cases {
		p := CheckForm(c.id, c.secret)
		if p == nil || p.Field != c.field || !strings.Contains(p.Message, c.says) {
			t.Errorf("CheckForm(%q, %q) = %+v, want %s saying %q", c.id, c.secret, p, c.field, c.says)
		}
	}
	for _, ok := range [][2]string{{"1234567890123456", ""}, {" 1234567890123456 ", "0123456789abcdef0123456789abcdef"}} {
		if p := CheckForm(ok[0], ok[1]); p != nil {
			t.Errorf("CheckForm(%q, %q) = %v, want fine", ok[0], ok[1], p)
		}
	}
}

// Against the sandbox, a real HTTP Facebook: each wrong value is named, said
// once, and the right pair gives the app's own name.
func TestCheckWithFacebook(t *testing.T) {
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{AppName: "Harbor Street Pagekeeper"})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	id, secret := sb.App()
	check := func(appID, sec string) (string, error) {
		g := graph.New(graph.Config{GraphURL: sb.URL(), Version: "v25.0", AppID: appID, AppSecret: sec})
		return Check(context.Background(), g, appID)
	}
	name, err := check(id, secret)
	if err != nil || name != "Harbor Street Pagekeeper" {
		t.Fatalf("right pair: %q, %v", name, err)
	}
	for _, c := range []struct{ id, secret, field string }{
		{id, "0123456789abcdef0123456789abcdef", FieldAppSecret},
		{"999999999999999", secret, FieldAppID},
	} {
		_, err := check(c.id, c.secret)
		var p *Problem
		if !errors.As(err, &p) || p.Field != c.field {
			t.Fatalf("%s wrong: %v", c.field, err)
		}
		if strings.Count(p.Message, "Facebook") != 1 || strings.Contains(p.Message, c.secret) && c.field == FieldAppSecret {
			t.Errorf("the message stutters or shows the secret: %q", p.Message)
		}
	}
	sb.Close()
	if _, err := check(id, secret); !errors.As(err, new(*Problem)) || err.(*Problem).Field != "" || !strings.Contains(err.Error(), "could not reach") {
		t.Errorf("Facebook unreachable: %v", err)
	}
}

func TestGuideFillsTheAppIDAndPrintsEveryStep(t *testing.T) {
	g := Steps("http://localhost:47613/callback", "1234567890123456")
	if g.CheckedOn != CheckedOn || len(g.Steps) < 6 {
		t.Fatalf("guide: %+v", g)
	}
	fields := map[string]bool{}
	for _, s := range g.Steps {
		if strings.Contains(s.URL, AppIDPlaceholder) || !strings.HasPrefix(s.URL, "https://developers.facebook.com/") || !strings.HasPrefix(s.Source, "https://developers.facebook.com/") {
			t.Errorf("step %s: url %q source %q", s.ID, s.URL, s.Source)
		}
		fields[s.Field] = true
	}
	for _, f := range []string{FieldAppID, FieldAppSecret, "redirectUri"} {
		if !fields[f] {
			t.Errorf("no step asks for %s", f)
		}
	}
	if strings.Contains(steps[2].URL, "1234567890123456") {
		t.Fatal("Steps changed the table itself")
	}
	var b bytes.Buffer
	Print(&b, Steps("http://localhost:47613/callback", ""))
	out := b.String()
	for _, s := range g.Steps {
		if !strings.Contains(out, s.Title) {
			t.Errorf("the terminal guide lacks %q", s.Title)
		}
	}
	if !strings.Contains(out, "http://localhost:47613/callback") || strings.Contains(out, AppIDPlaceholder) {
		t.Errorf("terminal guide:\n%s", out)
	}
}
