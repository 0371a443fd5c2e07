package store

import "time"

// Records are stored as JSON; every time is kept in UTC. None of them may
// have a field for a secret (store_test.go checks the encoded names).

// Profile is a Facebook person who authorized Pagekeeper.
type Profile struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	ConnectedAt time.Time `json:"connectedAt,omitzero"`
	UpdatedAt   time.Time `json:"updatedAt,omitzero"` // when Status last changed
	CheckedAt   time.Time `json:"checkedAt,omitzero"` // last check that reached Facebook
	// Zero means never, or unknown.
	TokenExpiresAt      time.Time `json:"tokenExpiresAt,omitzero"`
	DataAccessExpiresAt time.Time `json:"dataAccessExpiresAt,omitzero"`
	Scopes              []string  `json:"scopes,omitempty"`
	Declined            []string  `json:"declined,omitempty"`
	Status              string    `json:"status,omitempty"`
	Reason              string    `json:"reason,omitempty"`
	Fix                 string    `json:"fix,omitempty"`
	Removed             bool      `json:"removed,omitempty"`
	// Manages is what the person's last login granted: Page ID -> the
	// person's tasks on it. Another person's Pages can move to them (Remove
	// person) only if they manage them.
	Manages map[string][]string `json:"manages,omitempty"`
}

// Page is a Facebook Page Pagekeeper watches.
type Page struct {
	ID                 string            `json:"id"`
	Name               string            `json:"name"`
	ProfileID          string            `json:"profileId,omitempty"`
	Category           string            `json:"category,omitempty"`
	InstagramID        string            `json:"instagramId,omitempty"`
	InstagramUsername  string            `json:"instagramUsername,omitempty"`
	Tasks              []string          `json:"tasks,omitempty"`
	Permissions        []string          `json:"permissions,omitempty"`
	MissingPermissions []string          `json:"missingPermissions,omitempty"`
	MissingTasks       []string          `json:"missingTasks,omitempty"`
	Features           map[string]string `json:"features,omitempty"`
	WebhooksSubscribed *bool             `json:"webhooksSubscribed,omitempty"` // nil = unknown
	Status             string            `json:"status,omitempty"`
	Reason             string            `json:"reason,omitempty"`
	Summary            string            `json:"summary,omitempty"`
	Fix                string            `json:"fix,omitempty"`
	ConnectedAt        time.Time         `json:"connectedAt,omitzero"`
	CheckedAt          time.Time         `json:"checkedAt,omitzero"` // last check that reached Facebook (the Page token probe)
	UpdatedAt          time.Time         `json:"updatedAt,omitzero"` // when Status last changed
	// When the person's login, permissions and tasks on the Page
	// (debug_token and /me/accounts), and the Page's webhooks, were last
	// read: a periodic check reads them less often than the probe.
	RolesCheckedAt    time.Time `json:"rolesCheckedAt,omitzero"`
	WebhooksCheckedAt time.Time `json:"webhooksCheckedAt,omitzero"`
	DisconnectedAt    time.Time `json:"disconnectedAt,omitzero"`
}

// StatusChange is one entry of a Page's status history.
type StatusChange struct {
	At     time.Time `json:"at"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Reason string    `json:"reason,omitempty"`
}

// Activity is one entry of a Page's append-only activity log.
type Activity struct {
	Seq     uint64    `json:"seq"` // assigned by the store, 1, 2, ... per Page
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`
	Actor   string    `json:"actor,omitempty"`
	Details string    `json:"details,omitempty"`
}

func (p *Profile) normalize() {
	utc(&p.ConnectedAt, &p.UpdatedAt, &p.CheckedAt, &p.TokenExpiresAt, &p.DataAccessExpiresAt)
}

func (p *Page) normalize() {
	utc(&p.ConnectedAt, &p.CheckedAt, &p.UpdatedAt, &p.DisconnectedAt, &p.RolesCheckedAt, &p.WebhooksCheckedAt)
}

// utc drops the zone and the monotonic reading so a stored time compares
// equal (==) after a round trip.
func utc(ts ...*time.Time) {
	for _, t := range ts {
		if t.IsZero() {
			*t = time.Time{}
		} else {
			*t = t.UTC().Round(0)
		}
	}
}
