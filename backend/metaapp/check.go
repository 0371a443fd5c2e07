package metaapp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

// Which value a Problem is about.
const (
	FieldAppID     = "appId"
	FieldAppSecret = "appSecret"
)

// Problem says which value is wrong (Field, "" when neither: Facebook could
// not be reached) and what to do, in words for the person setting up.
type Problem struct {
	Field   string
	Message string
}

func (p *Problem) Error() string { return p.Message }

const (
	whereID     = "the long number at the top of your app's page in Meta's App Dashboard"
	whereSecret = "App settings > Basic in Meta's App Dashboard (click Show next to App Secret)"
)

// CheckForm looks at the two values before Facebook does: what can be told
// wrong on this computer is said at once.
func CheckForm(appID, secret string) *Problem {
	appID, secret = strings.TrimSpace(appID), strings.TrimSpace(secret)
	switch {
	case appID == "":
		return &Problem{FieldAppID, "Paste the App ID: " + whereID + "."}
	case !digits(appID) && isHex(appID) && len(appID) == 32:
		return &Problem{FieldAppID, "This looks like the App Secret. The App ID is " + whereID + "."}
	case !digits(appID):
		return &Problem{FieldAppID, "An App ID is a number made of digits only, like 1234567890123456. Copy it again: " + whereID + "."}
	case len(appID) > 32:
		return &Problem{FieldAppID, "This number is too long for an App ID. Copy it again: " + whereID + "."}
	case secret == "":
		return nil // the App ID alone can be fine so far
	case secret == appID:
		return &Problem{FieldAppSecret, "You pasted the App ID here. The App Secret is under " + whereSecret + "."}
	case strings.IndexFunc(secret, unicode.IsSpace) >= 0:
		return &Problem{FieldAppSecret, "An App Secret has no spaces. Copy it again from " + whereSecret + "."}
	}
	return nil
}

// Check asks Facebook about an App ID and its secret and returns the app's
// name. The client_credentials exchange tells a wrong App ID (code 101) from
// a wrong secret (code 1); the app's own node then gives its name.
func Check(ctx context.Context, g *graph.Client, appID string) (string, error) {
	if _, err := g.AppToken(ctx); err != nil {
		return "", problem(err, appID)
	}
	name, err := g.AppName(ctx)
	if err != nil {
		return "", problem(err, appID)
	}
	return name, nil
}

func problem(err error, appID string) error {
	var ge *graph.Error
	switch {
	case errors.As(err, &ge) && ge.Code == 101:
		return &Problem{FieldAppID, fmt.Sprintf("Facebook knows no app with the App ID %s. Copy it again: %s.", appID, whereID)}
	case errors.Is(err, graph.ErrBadAppCredentials), errors.As(err, &ge) && ge.Code == 190:
		return &Problem{FieldAppSecret, fmt.Sprintf("Facebook did not accept this App Secret for the app %s. Copy it again from %s, and paste it here.", appID, whereSecret)}
	case errors.As(err, &ge):
		return &Problem{"", "Facebook refused to check the app: " + ge.Message}
	}
	return &Problem{"", "Pagekeeper could not reach Facebook to check the app. Check this computer's internet connection and try again; nothing was saved."}
}

func digits(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func isHex(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F')
	}) < 0
}
