package window

import (
	"github.com/wailsapp/wails/v2/pkg/options/windows"
)

// webView2URL is Microsoft's download page for the Evergreen runtime.
const webView2URL = "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

// WindowsOptions words what Wails says when Windows lacks WebView2 (which
// draws Pagekeeper's window) for the owner, who has never heard of it.
func WindowsOptions() *windows.Options {
	return &windows.Options{Messages: webView2Messages()}
}

func webView2Messages() *windows.Messages {
	m := windows.DefaultMessages()
	m.MissingRequirements = "Pagekeeper needs a Windows component"
	m.InstallationRequired = "Pagekeeper's window is drawn by Microsoft Edge WebView2, which is not installed on this computer. " +
		"Press OK to download and install it (it installs by itself; please wait a minute), or Cancel to stop."
	m.UpdateRequired = "Pagekeeper's window needs a newer Microsoft Edge WebView2. Press OK to download and install it (it installs by itself; please wait a minute), or Cancel to stop."
	m.Webview2NotInstalled = "Pagekeeper cannot open its window because Microsoft Edge WebView2 is not installed. " +
		"Install it from " + webView2URL + " and start Pagekeeper again. " +
		"Until then the command line works: open PowerShell and run `pagekeeper status` or `pagekeeper check`."
	m.FailedToInstall = "Microsoft Edge WebView2 did not install. Install it from " + webView2URL + " and start Pagekeeper again."
	m.DownloadPage = "Pagekeeper's window needs Microsoft Edge WebView2. Press OK to open its download page. Minimum version: "
	m.ContactAdmin = "Pagekeeper's window needs Microsoft Edge WebView2, which this computer does not allow you to install. Please ask your administrator to install it."
	m.WebView2ProcessCrash = "Pagekeeper's window stopped working (WebView2 crashed). Start Pagekeeper again; your Pages and their checks are safe."
	return m
}
