package keeper

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
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
	Fix                string            `json:"fix"`
	Instagram          string            `json:"instagram"`
	Profile            string            `json:"profile"`
	Tasks              []string          `json:"tasks"`
	MissingPermissions []string          `json:"missing_permissions"`
	Features           map[string]string `json:"features"` // feature -> "ok" or what is missing
	CheckedAt          string            `json:"checked_at"`
	UpdatedAt          string            `json:"updated_at"`
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
			ID: p.ID, Name: p.Name, Status: p.Status, Reason: p.Reason, Fix: p.Fix, Instagram: ig, Profile: p.ProfileName,
			Tasks: p.Tasks, MissingPermissions: p.MissingPermissions, Features: feats, CheckedAt: p.CheckedAt, UpdatedAt: p.UpdatedAt,
		})
	}
	return r
}
