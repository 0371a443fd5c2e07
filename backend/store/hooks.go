package store

import (
	"encoding/json"
	"fmt"
)

// keyHooks holds the deploy hooks in the meta bucket: one small list read
// whole at every event, so it needs no bucket (and no migration) of its own.
var keyHooks = []byte("hooks")

// Hook is one deploy hook: a command or a signed webhook, for every Page
// (PageID "") or for one. Its webhook signing secret lives in the vault.
type Hook struct {
	ID      string `json:"id"`
	PageID  string `json:"pageId,omitempty"`
	Command string `json:"command,omitempty"` // run by the shell; set for a command hook
	URL     string `json:"url,omitempty"`     // set for a webhook
	// WithCredential: the webhook's new-token event carries the token.
	WithCredential bool `json:"withCredential,omitempty"`
	TimeoutSeconds int  `json:"timeoutSeconds,omitempty"` // 0 = the default
}

// Hooks returns the deploy hooks, in the order they were set.
func (tx *Tx) Hooks() ([]Hook, error) {
	raw := tx.tx.Bucket(bucketMeta).Get(keyHooks)
	if raw == nil {
		return nil, nil
	}
	var hs []Hook
	if err := json.Unmarshal(raw, &hs); err != nil {
		return nil, tx.corrupt("hooks", "", err)
	}
	return hs, nil
}

// PutHooks replaces the deploy hooks.
func (tx *Tx) PutHooks(hs []Hook) error {
	seen := map[string]bool{}
	for _, h := range hs {
		if h.ID == "" || seen[h.ID] {
			return fmt.Errorf("store: hook ID %q is empty or used twice", h.ID)
		}
		seen[h.ID] = true
	}
	raw, err := json.Marshal(hs)
	if err != nil {
		return err
	}
	return tx.tx.Bucket(bucketMeta).Put(keyHooks, raw)
}

// Hooks returns the deploy hooks.
func (db *DB) Hooks() ([]Hook, error) { return view(db, (*Tx).Hooks) }

// PutHooks replaces the deploy hooks.
func (db *DB) PutHooks(hs []Hook) error {
	return db.Update(func(tx *Tx) error { return tx.PutHooks(hs) })
}
