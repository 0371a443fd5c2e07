package notify

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestToastXMLCarriesTheNotificationEscaped(t *testing.T) {
	n := Notification{PageID: "104518538110001", Title: `Harbor Street Bakery & "Café" needs attention`, Body: "<b>Dana</b> changed her password.", Urgency: Critical}
	s := toastXML(n)
	var doc struct {
		XMLName  xml.Name `xml:"toast"`
		Launch   string   `xml:"launch,attr"`
		Duration string   `xml:"duration,attr"`
		Binding  struct {
			Template string   `xml:"template,attr"`
			Texts    []string `xml:"text"`
		} `xml:"visual>binding"`
	}
	if err := xml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, s)
	}
	if doc.Launch != "page:104518538110001" || doc.Duration != "long" || doc.Binding.Template != "ToastGeneric" {
		t.Fatalf("attributes: %+v", doc)
	}
	if texts := doc.Binding.Texts; len(texts) != 2 || texts[0] != n.Title || texts[1] != n.Body {
		t.Fatalf("texts %q", texts)
	}
	if strings.Contains(toastXML(Notification{Title: "x", Urgency: Normal}), "duration") {
		t.Fatal("a normal notification stays long")
	}
}
