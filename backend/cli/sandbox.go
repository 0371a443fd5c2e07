package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/url"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

func init() {
	Register(Command{Name: "sandbox", Usage: "sandbox [--addr HOST:PORT]", Summary: "serve the Facebook sandbox standalone (Login dialog + Graph API)", Run: runSandbox})
}

// DefaultSandboxAddr is where `pagekeeper sandbox` listens unless told otherwise.
const DefaultSandboxAddr = "127.0.0.1:8765"

type sandboxInfo struct {
	URL       string            `json:"url"`
	DialogURL string            `json:"dialog_url"`
	GraphURL  string            `json:"graph_url"`
	AdminURL  string            `json:"admin_url"`
	AppID     string            `json:"app_id"`
	AppSecret string            `json:"app_secret"`
	Personas  []sandbox.Persona `json:"personas"`
	Redirects []string          `json:"redirect_uris"`
}

func runSandbox(ctx context.Context, env *Env, args []string) int {
	var (
		addr, secret string
		appName      string
		proof, live  bool
		asJSON       bool
		quota        int
	)
	fs, ok := parseFlags(env, "sandbox", args, func(fs *flag.FlagSet) {
		fs.StringVar(&addr, "addr", DefaultSandboxAddr, "listen address (port 0 picks a free one)")
		fs.StringVar(&secret, "app-secret", "", "the sandbox app's secret (default: a new random one)")
		fs.StringVar(&appName, "app-name", "", "the sandbox app's name (default "+sandbox.DefaultAppName+")")
		fs.BoolVar(&proof, "require-proof", false, "require appsecret_proof on user and Page token calls")
		fs.BoolVar(&live, "live", false, "behave like a live app: no http://localhost redirect URIs")
		fs.IntVar(&quota, "quota", 200, "Graph calls per user per hour before code 17/4")
		fs.BoolVar(&asJSON, "json", false, "print the URLs and app credentials as one JSON line")
	})
	if !ok {
		return 64
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "pagekeeper: sandbox takes no arguments, got %q\n", fs.Arg(0))
		return 64
	}
	if quota <= 0 {
		fmt.Fprintln(env.Stderr, "pagekeeper: --quota must be a positive number of calls")
		return 64
	}
	srv, err := sandbox.Start(addr, sandbox.Options{AppSecret: secret, AppName: appName, RequireAppSecretProof: proof, LiveMode: live, CallsPerUserPerHour: quota})
	if err != nil {
		return fail(env, 1, err)
	}
	defer srv.Close()
	if !loopback(addr) {
		fmt.Fprintf(env.Stderr, "pagekeeper: warning: the sandbox listens on %s, which other machines on the network can reach. "+
			"Its admin API (/__sandbox/...) has no password: anyone who reaches it can read the sandbox app's secret and tokens and change what it answers. "+
			"Use --addr 127.0.0.1:PORT unless you mean to share it.\n", addr)
	}
	id, sec := srv.App()
	base := srv.URL()
	info := sandboxInfo{URL: base, DialogURL: base + "/" + sandbox.DefaultVersion + "/dialog/oauth", GraphURL: base + "/" + sandbox.DefaultVersion + "/",
		AdminURL: base + "/__sandbox/state", AppID: id, AppSecret: sec, Personas: srv.Personas(), Redirects: srv.State().Redirects}
	// The sandbox app's secret is printed on purpose: it is a stand-in that
	// opens nothing but this sandbox, and people need it to set Pagekeeper up.
	if asJSON {
		b, _ := json.Marshal(info)
		fmt.Fprintln(env.Stdout, string(b))
	} else {
		printSandbox(env, info, live)
	}
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return fail(env, 1, err)
	}
	return 0
}

// loopback reports whether addr only accepts connections from this machine.
// An empty host or 0.0.0.0 / :: listen on every interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func printSandbox(env *Env, in sandboxInfo, live bool) {
	w := env.Stdout
	fmt.Fprintf(w, "Pagekeeper's Facebook sandbox is running (Ctrl+C stops it).\n\n")
	fmt.Fprintf(w, "  Base URL      %s\n  Login dialog  %s\n  Graph API     %s\n  Admin         %s\n", in.URL, in.DialogURL, in.GraphURL, in.AdminURL)
	fmt.Fprintf(w, "  App ID        %s\n  App secret    %s\n", in.AppID, in.AppSecret)
	fmt.Fprintf(w, "  Redirect URIs %v", in.Redirects)
	if !live {
		fmt.Fprint(w, ", or any http://localhost or 127.0.0.1 URI (development mode)")
	}
	fmt.Fprintf(w, "\n\nPersonas:\n")
	for _, p := range in.Personas {
		fmt.Fprintf(w, "  %-17s %s (app %s)\n", p.ID, p.Name, p.AppRole)
	}
	q := url.Values{"grant_type": {"client_credentials"}, "client_id": {in.AppID}, "client_secret": {in.AppSecret}}
	fmt.Fprintf(w, "\nPoint Pagekeeper at it:\n  export PAGEKEEPER_FACEBOOK_URL=%s PAGEKEEPER_GRAPH_URL=%s\n  pagekeeper setup --app-id %s   (then paste the App secret above)\n", in.URL, in.URL, in.AppID)
	fmt.Fprintf(w, "\nTry it:\n  curl '%s/%s/oauth/access_token?%s'\n  curl %s/__sandbox/scenarios\n", in.URL, sandbox.DefaultVersion, q.Encode(), in.URL)
}
