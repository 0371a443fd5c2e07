package keeper

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/hooks"
	"github.com/pagekeeper/pagekeeper/backend/store"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// EventHookRun tells the window a hook run (or a token read, from the
// command line beside it) was written to a Page's log (payload: the Page
// ID), so an open Page shows it.
const EventHookRun = "pagekeeper:hook-run"

// KindTokenRead is the activity entry of `pagekeeper token`.
const KindTokenRead = "token_read"

// HookView is one deploy hook as the window and `pagekeeper hooks list` show it.
type HookView struct {
	ID             string `json:"id"`
	PageID         string `json:"pageId"`   // "" = every Page
	PageName       string `json:"pageName"` // "" = every Page
	Kind           string `json:"kind"`     // "command" or "webhook"
	Command        string `json:"command"`
	URL            string `json:"url"`
	WithCredential bool   `json:"withCredential"` // the webhook's new-token event carries the token
	HasSecret      bool   `json:"hasSecret"`      // the webhook's signing secret is in the keychain
	TimeoutSeconds int    `json:"timeoutSeconds"` // 0 = the default (30 s)
}

// HookInput sets a hook: a Command, or a URL with its signing secret
// (Secret may stay empty to keep the stored one).
type HookInput struct {
	PageID         string `json:"pageId"`
	Command        string `json:"command"`
	URL            string `json:"url"`
	Secret         string `json:"secret"`
	WithCredential bool   `json:"withCredential"`
	TimeoutSeconds int    `json:"timeoutSeconds"` // 0 = the default (30 s)
}

// HookResult is one run of a hook.
type HookResult = hooks.Result

func (k *Keeper) startHooks() {
	k.hooks = &hooks.Runner{DB: k.db, Vault: k.vault, Now: k.opts.Now, HTTPClient: k.opts.HTTPClient,
		OnRecorded: k.hookRecorded}
}

// hookRecorded shows a run in an open Page, and tells the owner of a hook
// that failed for good: the system it feeds may still hold a dead token.
func (k *Keeper) hookRecorded(e hooks.Event, res hooks.Result) {
	k.opts.Emit(EventHookRun, e.PageID)
	if !res.OK && !e.DryRun && res.Attempt == res.Attempts {
		k.notice("warning", fmt.Sprintf("The hook %s failed on %s for %s after %d attempts: %s. Its runs are in the Page's activity.",
			res.HookID, e.Kind, e.PageName, res.Attempts, res.Error))
	}
}

// hookID is the one hook of a kind for a scope: "all-command", "123-webhook".
func hookID(pageID, kind string) string {
	if pageID == "" {
		pageID = "all"
	}
	return pageID + "-" + kind
}

// Hooks lists the deploy hooks.
func (k *Keeper) Hooks() ([]HookView, error) {
	hs, err := k.db.Hooks()
	if err != nil {
		return nil, err
	}
	out := make([]HookView, 0, len(hs))
	for _, h := range hs {
		out = append(out, k.hookView(h))
	}
	return out, nil
}

func (k *Keeper) hookView(h store.Hook) HookView {
	v := HookView{ID: h.ID, PageID: h.PageID, Kind: "command", Command: h.Command, URL: h.URL, WithCredential: h.WithCredential,
		TimeoutSeconds: h.TimeoutSeconds}
	if h.Command == "" {
		v.Kind = "webhook"
		_, err := k.vault.HookSecret(h.ID)
		v.HasSecret = err == nil
	}
	if h.PageID != "" {
		if p, err := k.db.GetPage(h.PageID); err == nil {
			v.PageName = p.Name
		}
	}
	return v
}

// SetHook sets (or replaces) the command or the webhook of one Page, or of
// every Page when in.PageID is "".
func (k *Keeper) SetHook(in HookInput) (HookView, error) {
	in.Command, in.URL, in.Secret = strings.TrimSpace(in.Command), strings.TrimSpace(in.URL), strings.TrimSpace(in.Secret)
	if in.PageID != "" {
		if _, err := k.db.GetPage(in.PageID); err != nil {
			return HookView{}, fmt.Errorf("there is no Page %s (see `pagekeeper status`)", in.PageID)
		}
	}
	if most := int(hooks.MaxTimeout / time.Second); in.TimeoutSeconds < 0 || in.TimeoutSeconds > most {
		return HookView{}, fmt.Errorf("a hook's timeout is 1 to %d seconds (0 for the default)", most)
	}
	h := store.Hook{PageID: in.PageID, TimeoutSeconds: in.TimeoutSeconds}
	switch {
	case (in.Command == "") == (in.URL == ""):
		return HookView{}, errors.New("give either a command to run or a webhook address")
	case in.Command != "":
		h.ID, h.Command = hookID(in.PageID, "command"), in.Command
	default:
		if err := hooks.CheckURL(in.URL); err != nil {
			return HookView{}, err
		}
		h.ID, h.URL, h.WithCredential = hookID(in.PageID, "webhook"), in.URL, in.WithCredential
		if in.Secret == "" {
			if _, err := k.vault.HookSecret(h.ID); err != nil {
				return HookView{}, fmt.Errorf("enter a signing secret of at least %d characters (your receiver checks the signature with it)", hooks.MinSecretLen)
			}
		} else {
			if len(in.Secret) < hooks.MinSecretLen {
				return HookView{}, fmt.Errorf("the signing secret is %d characters; use at least %d (for example: openssl rand -hex 32)", len(in.Secret), hooks.MinSecretLen)
			}
			if err := k.vault.SetHookSecret(h.ID, in.Secret); err != nil {
				return HookView{}, err
			}
		}
	}
	hs, err := k.db.Hooks()
	if err != nil {
		return HookView{}, err
	}
	i := slices.IndexFunc(hs, func(o store.Hook) bool { return o.ID == h.ID })
	if i >= 0 {
		hs[i] = h
	} else {
		hs = append(hs, h)
	}
	if err := k.db.PutHooks(hs); err != nil {
		return HookView{}, err
	}
	return k.hookView(h), nil
}

// RemoveHook removes a hook, and its signing secret from the keychain.
func (k *Keeper) RemoveHook(id string) error {
	hs, err := k.db.Hooks()
	if err != nil {
		return err
	}
	i := slices.IndexFunc(hs, func(o store.Hook) bool { return o.ID == id })
	if i < 0 {
		return fmt.Errorf("there is no hook %q (see `pagekeeper hooks list`)", id)
	}
	webhook := hs[i].Command == ""
	if err := k.db.PutHooks(slices.Delete(hs, i, i+1)); err != nil {
		return err
	}
	if webhook {
		return k.vault.DeleteHookSecret(id)
	}
	return nil
}

// TestHook runs a hook once for a Page ("" = the hook's own Page) as a
// test: the new-token event with a stand-in token, written to the Page's log.
func (k *Keeper) TestHook(ctx context.Context, id, pageID string) (HookResult, error) {
	return k.hooks.Test(ctx, id, pageID)
}

// PlanHooks says what TestHook would do, running nothing (a dry run).
func (k *Keeper) PlanHooks(id, pageID string) (string, error) {
	return k.hooks.Plan(id, pageID)
}

// ReadToken returns a Page's current token for a script the owner runs, and
// writes the read (never the token) to the Page's log.
func (k *Keeper) ReadToken(pageID, how string) (string, error) {
	p, err := k.db.GetPage(pageID)
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("there is no Page %s (see `pagekeeper status`)", pageID)
	} else if err != nil {
		return "", err
	}
	tok, err := k.vault.PageToken(pageID)
	if errors.Is(err, vault.ErrNotFound) {
		return "", fmt.Errorf("Pagekeeper holds no token for %s (%s): connect it again", p.Name, p.Status)
	} else if err != nil {
		return "", err
	}
	if _, err := k.db.AppendActivity(pageID, store.Activity{At: k.opts.Now(), Kind: KindTokenRead, Actor: "you",
		Details: "the token was read by " + how}); err != nil {
		return "", err // an unrecorded read does not happen
	}
	k.opts.Emit(EventHookRun, pageID)
	return tok, nil
}

// WaitHooks returns when every queued hook run, retries included, is done.
func (k *Keeper) WaitHooks() { k.hooks.Wait() }
