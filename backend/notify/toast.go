package notify

import (
	"encoding/xml"
	"strings"
)

// ToastAppID is the AppUserModelID Windows files Pagekeeper's toasts under:
// the Action Center shows it as the sender's name.
const ToastAppID = AppName

// toastXML is the toast's content in Windows' toast schema
// (learn.microsoft.com/windows/apps/design/shell/tiles-and-notifications/toast-schema).
// The launch argument names the Page, for an activation handler to open.
func toastXML(n Notification) string {
	var b strings.Builder
	b.WriteString(`<toast launch="`)
	esc(&b, "page:"+n.PageID)
	b.WriteString(`"`)
	if n.Urgency == Critical {
		// Long: about 25 seconds on screen instead of 7.
		b.WriteString(` duration="long"`)
	}
	b.WriteString(`><visual><binding template="ToastGeneric"><text>`)
	esc(&b, n.Title)
	b.WriteString(`</text><text>`)
	esc(&b, n.Body)
	b.WriteString(`</text></binding></visual></toast>`)
	return b.String()
}

func esc(b *strings.Builder, s string) { _ = xml.EscapeText(b, []byte(s)) }
