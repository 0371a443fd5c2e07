package keeper

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

func (k *Keeper) startSandbox() error {
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		return fmt.Errorf("starting the demo's Facebook sandbox: %w", err)
	}
	k.sb = sb
	k.opts.GraphURL, k.opts.FacebookURL = sb.URL(), sb.URL()
	return nil
}

func (k *Keeper) configureDemo() error {
	id, secret := k.sb.App()
	if err := k.vault.SetAppSecret(id, secret); err != nil {
		return err
	}
	set := store.DefaultSettings()
	set.AppID = id
	// A port of its own, so the demo never collides with a real login.
	port, err := freePort()
	if err != nil {
		return err
	}
	set.RedirectPort = port
	return k.db.PutSettings(set)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// demoScenarios are what the Simulate panel offers, in the owner's words.
var demoScenarios = []struct {
	ScenarioView
	sc sandbox.Scenario
}{
	{ScenarioView{"password_changed", "Password changed", "The person changes their Facebook password: Pagekeeper's access through them ends.", "person"}, sandbox.Scenario{Kind: sandbox.PasswordChanged}},
	{ScenarioView{"role_removed", "Role removed", "The person loses their role on one Page.", "page"}, sandbox.Scenario{Kind: sandbox.RoleRemoved}},
	{ScenarioView{"task_removed", "Task removed", "A Page admin takes a task away from the person on one Page (Create content, or else Insights): what needs it stops.", "page"}, sandbox.Scenario{Kind: sandbox.TaskRemoved}},
	{ScenarioView{"app_removed", "App removed", "The person removes the app in Facebook's Business Integrations.", "person"}, sandbox.Scenario{Kind: sandbox.AppRemoved}},
	{ScenarioView{"permission_declined", "Permission declined", "The person declines the permission to answer the Pages' messages in Messenger.", "person"}, sandbox.Scenario{Kind: sandbox.PermissionDeclined, Permission: "pages_messaging"}},
	{ScenarioView{"user_token_expired", "Login expired", "The person's Facebook login for Pagekeeper expires.", "person"}, sandbox.Scenario{Kind: sandbox.UserTokenExpired}},
	{ScenarioView{"data_access_expired", "Data access expired", "90 days without using the app: data access lapses.", "person"}, sandbox.Scenario{Kind: sandbox.DataAccessExpired}},
	{ScenarioView{"webhooks_unsubscribed", "Webhooks unsubscribed", "The app's webhook subscription is removed from one Page.", "page"}, sandbox.Scenario{Kind: sandbox.WebhooksUnsubscribed}},
	{ScenarioView{"instagram_unlinked", "Instagram unlinked", "The Instagram account is unlinked from one Page.", "page"}, sandbox.Scenario{Kind: sandbox.InstagramUnlinked}},
	{ScenarioView{"outage", "Facebook outage", "Facebook answers every call with an HTML error page: nothing should turn red.", "none"}, sandbox.Scenario{Kind: sandbox.HTML500, Rate: 1}},
}

// removableTasks are what "Task removed" takes away: the first one the
// person holds on the Page, so the demo's every Page shows a change.
var removableTasks = []string{sandbox.TaskCreateContent, sandbox.TaskAnalyze}

// Scenarios lists what the demo can simulate (nothing outside demo mode).
func (k *Keeper) Scenarios() []ScenarioView {
	out := []ScenarioView{}
	if k.sb == nil {
		return out
	}
	for _, d := range demoScenarios {
		out = append(out, d.ScenarioView)
	}
	return out
}

// Simulate switches a demo scenario on for a person or Page, then checks at
// once so the effect shows without waiting for the next interval.
func (k *Keeper) Simulate(ctx context.Context, kind, targetID string) error {
	if k.sb == nil {
		return errors.New("simulations run only in demo mode")
	}
	for _, d := range demoScenarios {
		if d.Kind != kind {
			continue
		}
		sc := d.sc
		switch d.Target {
		case "person":
			sc.Persona = targetID
			if p, err := k.db.GetPage(targetID); err == nil {
				sc.Persona = p.ProfileID
			}
		case "page":
			p, err := k.db.GetPage(targetID)
			if err != nil {
				return fmt.Errorf("choose a connected Page to simulate %q on", d.Label)
			}
			sc.Page, sc.Persona = p.ID, p.ProfileID
			if sc.Kind == sandbox.TaskRemoved {
				i := slices.IndexFunc(removableTasks, func(t string) bool { return slices.Contains(p.Tasks, t) })
				if i < 0 {
					return fmt.Errorf("choose another Page: the person has neither the Create content nor the Insights task on %s", p.Name)
				}
				sc.Task = removableTasks[i]
			}
		}
		if err := k.sb.Apply(sc); err != nil {
			return err
		}
		go k.Check(context.WithoutCancel(ctx), nil)
		return nil
	}
	return fmt.Errorf("unknown simulation %q", kind)
}

// ResetSimulation switches every simulated breakage and fault off. Tokens
// that died stay dead, as on Facebook: reconnecting repairs them.
func (k *Keeper) ResetSimulation() error {
	if k.sb == nil {
		return errors.New("simulations run only in demo mode")
	}
	k.sb.ClearAll()
	go k.Check(context.Background(), nil)
	return nil
}
