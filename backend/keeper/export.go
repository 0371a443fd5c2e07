package keeper

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pagekeeper/pagekeeper/backend/monitor"
)

// Export writes the page list as "csv" or "json" (the `status --json` shape).
func (k *Keeper) Export(w io.Writer, format string) error {
	snap, err := k.Snapshot()
	if err != nil {
		return err
	}
	report := NewReport(snap)
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "name", "status", "reason", "fix", "instagram", "profile", "tasks", "missing_permissions", "checked_at", "updated_at"})
		for _, p := range report.Pages {
			cw.Write([]string{p.ID, p.Name, p.Status, p.Reason, p.Fix, p.Instagram, p.Profile,
				strings.Join(p.Tasks, " "), strings.Join(p.MissingPermissions, " "), p.CheckedAt, p.UpdatedAt})
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("unknown export format %q: use csv or json", format)
}

// Report is the machine-readable page list of `pagekeeper status --json`,
// `check --json` and the JSON export.
type Report struct {
	Pages []ReportPage `json:"pages"`
}

// ReportPage is one Page in a Report.
type ReportPage struct {
	ID                 string            `json:"id"`
	Name               string            `json:"name"`
	Status             string            `json:"status"`
	Reason             string            `json:"reason"`
	Summary            string            `json:"summary"`
	Fix                string            `json:"fix"`
	Instagram          string            `json:"instagram"`
	Profile            string            `json:"profile"`
	Tasks              []string          `json:"tasks"`
	MissingPermissions []string          `json:"missing_permissions"`
	Features           map[string]string `json:"features"`   // feature -> "ok" or what is missing
	CheckedAt          string            `json:"checked_at"` // access: the Page token probe
	RolesCheckedAt     string            `json:"roles_checked_at"`
	WebhooksCheckedAt  string            `json:"webhooks_checked_at"`
	UpdatedAt          string            `json:"updated_at"`
	// NotChecked says why the check just run got no definitive answer
	// for the Page, whose status is then its last confirmed one.
	NotChecked *NotChecked `json:"not_checked,omitempty"`
}

// NotChecked is why a check could not confirm a Page.
type NotChecked struct {
	Reason  string `json:"reason"`  // unreachable, rate_limited, ...
	Summary string `json:"summary"` // the same in plain words
}

// MarkUnchecked notes on each Page of r that the check rep could not
// confirm it, and why.
func (r Report) MarkUnchecked(rep monitor.Report) {
	why := map[string]monitor.Unchecked{}
	for _, u := range rep.Unchecked {
		why[u.PageID] = u
	}
	for i, p := range r.Pages {
		if u, ok := why[p.ID]; ok {
			r.Pages[i].NotChecked = &NotChecked{Reason: string(u.Reason), Summary: u.Summary}
		}
	}
}

// NewReport turns a snapshot into the report shape.
func NewReport(snap Snapshot) Report {
	r := Report{Pages: make([]ReportPage, 0, len(snap.Pages))}
	for _, p := range snap.Pages {
		feats := map[string]string{}
		for _, f := range p.Features {
			feats[f.Name] = "ok"
			if !f.OK {
				feats[f.Name] = f.Missing
			}
		}
		ig := p.InstagramUsername
		if ig == "" {
			ig = p.InstagramID
		}
		r.Pages = append(r.Pages, ReportPage{
			ID: p.ID, Name: p.Name, Status: p.Status, Reason: p.Reason, Summary: p.Summary, Fix: p.Fix, Instagram: ig, Profile: p.ProfileName,
			Tasks: p.Tasks, MissingPermissions: p.MissingPermissions, Features: feats, CheckedAt: p.CheckedAt,
			RolesCheckedAt: p.RolesCheckedAt, WebhooksCheckedAt: p.WebhooksCheckedAt, UpdatedAt: p.UpdatedAt,
		})
	}
	return r
}
