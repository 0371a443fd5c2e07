package app

import (
	"context"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

// Hooks lists the deploy hooks.
func (a *App) Hooks() ([]keeper.HookView, error) {
	k, err := a.k()
	if err != nil {
		return nil, err
	}
	return k.Hooks()
}

// SetHook sets the command or the webhook of one Page, or of every Page.
func (a *App) SetHook(in keeper.HookInput) (keeper.HookView, error) {
	k, err := a.k()
	if err != nil {
		return keeper.HookView{}, err
	}
	return k.SetHook(in)
}

// RemoveHook removes a hook (and a webhook's signing secret).
func (a *App) RemoveHook(id string) error {
	k, err := a.k()
	if err != nil {
		return err
	}
	return k.RemoveHook(id)
}

// TestHook runs a hook once on a Page with a stand-in token ("Test this hook").
func (a *App) TestHook(id, pageID string) (keeper.HookResult, error) {
	k, err := a.k()
	if err != nil {
		return keeper.HookResult{}, err
	}
	return k.TestHook(context.Background(), id, pageID)
}
