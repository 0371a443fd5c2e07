package autostart

import (
	"encoding/xml"
	"strings"
	"testing"
)

// TestSetAddsAndRemovesTheLoginItem runs on every platform with its own
// login item (the Run key under Wine too); stored reads it back the way the
// platform would.
func TestSetAddsAndRemovesTheLoginItem(t *testing.T) {
	isolate(t)
	if Enabled() {
		t.Fatal("enabled before Set")
	}
	exe := testExe
	if err := Set(true, exe); err != nil {
		t.Fatal(err)
	}
	if got := stored(t); !strings.Contains(got, want(exe)) || !Enabled() {
		t.Fatalf("login item %q, want it to contain %q", got, want(exe))
	}
	// A second save (every settings save repeats it) is not an error.
	if err := Set(true, exe); err != nil {
		t.Fatalf("setting twice: %v", err)
	}
	if err := Set(false, ""); err != nil {
		t.Fatal(err)
	}
	if Enabled() {
		t.Fatal("still enabled after Set(false)")
	}
	if err := Set(false, ""); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
}

func TestLaunchAgentIsAPropertyListThatRunsTheAppOnce(t *testing.T) {
	exe := "/Applications/Page & Keeper.app/Contents/MacOS/Pagekeeper"
	var doc struct {
		Dict struct {
			Inner []byte `xml:",innerxml"`
		} `xml:"dict"`
	}
	body := LaunchAgent(exe)
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, body)
	}
	var plist struct {
		Keys    []string `xml:"key"`
		Strings []string `xml:"string"`
		Args    []string `xml:"array>string"`
	}
	if err := xml.Unmarshal(append(append([]byte("<d>"), doc.Dict.Inner...), "</d>"...), &plist); err != nil {
		t.Fatal(err)
	}
	if len(plist.Args) != 1 || plist.Args[0] != exe {
		t.Fatalf("ProgramArguments %q, want [%q]", plist.Args, exe)
	}
	if strings.Join(plist.Keys, ",") != "Label,ProgramArguments,RunAtLoad,KeepAlive,ProcessType" || plist.Strings[0] != Label {
		t.Fatalf("keys %q strings %q", plist.Keys, plist.Strings)
	}
	if !strings.Contains(body, "<key>RunAtLoad</key>\n\t<true/>") || !strings.Contains(body, "<key>KeepAlive</key>\n\t<false/>") {
		t.Fatalf("not run once at load:\n%s", body)
	}
}

func TestRunCommandQuotesThePath(t *testing.T) {
	if got := RunCommand(`C:\Users\Ann Lee\AppData\Local\Programs\Pagekeeper\pagekeeper-window.exe`); got != `"C:\Users\Ann Lee\AppData\Local\Programs\Pagekeeper\pagekeeper-window.exe"` {
		t.Fatalf("RunCommand = %s", got)
	}
}
