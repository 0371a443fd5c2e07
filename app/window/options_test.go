package window

import (
	"strings"
	"testing"
)

// The owner sees these in message boxes with no other context.
func TestWebView2MessagesSayWhatToDo(t *testing.T) {
	m := webView2Messages()
	for name, msg := range map[string]string{
		"InstallationRequired": m.InstallationRequired, "Webview2NotInstalled": m.Webview2NotInstalled,
		"FailedToInstall": m.FailedToInstall, "ContactAdmin": m.ContactAdmin,
	} {
		if !strings.Contains(msg, "Pagekeeper") || !strings.Contains(msg, "WebView2") {
			t.Errorf("%s does not name Pagekeeper and WebView2: %q", name, msg)
		}
	}
	// Cancelling the download ends with this one: it must say where to get it
	// and that the commands still work.
	for _, want := range []string{webView2URL, "pagekeeper status"} {
		if !strings.Contains(m.Webview2NotInstalled, want) {
			t.Errorf("Webview2NotInstalled lacks %q: %q", want, m.Webview2NotInstalled)
		}
	}
}
