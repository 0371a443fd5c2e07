package keeper

import (
	"errors"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/login"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// Snapshot is the whole state for the window and `pagekeeper status`.
func (k *Keeper) Snapshot() (Snapshot, error) {
	snap, err := k.snapshot()
	if err != nil {
		return snap, err
	}
	k.number(&snap)
	return snap, nil
}

// number gives snap the next number and makes its Pages what the next
// changes are measured against; it returns the Pages and number of the
// snapshot given out before (nil Pages: none was).
func (k *Keeper) number(snap *Snapshot) (prev map[string]PageView, base int64) {
	k.sentMu.Lock()
	defer k.sentMu.Unlock()
	prev, base = k.sent, k.sentSeq
	k.sentSeq++
	snap.Seq, k.sent = k.sentSeq, byID(snap.Pages)
	return prev, base
}

// SentSeq is the number of the last snapshot or changes given out: a
// snapshot taken earlier is out of date once it moved.
func (k *Keeper) SentSeq() int64 {
	k.sentMu.Lock()
	defer k.sentMu.Unlock()
	return k.sentSeq
}

// changes numbers a new snapshot and returns it as changes to the last one
// given out (nil when none was: the window then needs it whole).
func (k *Keeper) changes() (Snapshot, *SnapshotChanges, error) {
	snap, err := k.snapshot()
	if err != nil {
		return snap, nil, err
	}
	prev, base := k.number(&snap)
	if prev == nil {
		return snap, nil, nil
	}
	c := &SnapshotChanges{Base: base, Snapshot: snap, Changed: []PageView{}, Removed: []string{}, Stamps: []StampChange{}}
	c.Snapshot.Pages = []PageView{}
	stamps := make([]StampChange, len(stampFields))
	for i, f := range stampFields {
		stamps[i] = StampChange{Field: f.name, IDs: []string{}}
	}
	for _, p := range snap.Pages {
		old, ok := prev[p.ID]
		delete(prev, p.ID)
		if ok && reflect.DeepEqual(old, p) {
			continue
		}
		if !ok || !onlyStamps(old, p, stamps) {
			c.Changed = append(c.Changed, p)
		}
	}
	for id := range prev {
		c.Removed = append(c.Removed, id)
	}
	for _, st := range stamps {
		if len(st.IDs) > 0 {
			c.Stamps = append(c.Stamps, st)
		}
	}
	return snap, c, nil
}

// Apply returns the snapshot c makes of snap, as the window computes it;
// false when c is not about snap (the window then asks for the snapshot).
func (c SnapshotChanges) Apply(snap Snapshot) (Snapshot, bool) {
	if snap.Seq != c.Base {
		return snap, false
	}
	pages := byID(snap.Pages)
	for _, id := range c.Removed {
		delete(pages, id)
	}
	for _, st := range c.Stamps {
		for _, f := range stampFields {
			if f.name != st.Field {
				continue
			}
			for _, id := range st.IDs {
				if p, ok := pages[id]; ok {
					*f.of(&p) = st.At
					pages[id] = p
				}
			}
		}
	}
	for _, p := range c.Changed {
		pages[p.ID] = p
	}
	out := c.Snapshot
	out.Pages = make([]PageView, 0, len(pages))
	for _, p := range pages {
		out.Pages = append(out.Pages, p)
	}
	SortPages(out.Pages)
	return out, true
}

// stampFields are the times a check moves on every Page it looks at.
var stampFields = []struct {
	name string
	of   func(*PageView) *string
}{
	{"checkedAt", func(p *PageView) *string { return &p.CheckedAt }},
	{"rolesCheckedAt", func(p *PageView) *string { return &p.RolesCheckedAt }},
	{"webhooksCheckedAt", func(p *PageView) *string { return &p.WebhooksCheckedAt }},
}

// onlyStamps reports whether old became p by check times alone, each the
// one time this change sets for its field, and lists p there if so.
func onlyStamps(old, p PageView, stamps []StampChange) bool {
	var moved []int
	for i, f := range stampFields {
		was, now := f.of(&old), f.of(&p)
		if *was == *now {
			continue
		}
		if stamps[i].At == "" {
			stamps[i].At = *now
		}
		if stamps[i].At != *now {
			return false
		}
		*was = *now
		moved = append(moved, i)
	}
	if !reflect.DeepEqual(old, p) {
		return false
	}
	for _, i := range moved {
		stamps[i].IDs = append(stamps[i].IDs, p.ID)
	}
	return true
}

func byID(pages []PageView) map[string]PageView {
	m := make(map[string]PageView, len(pages))
	for _, p := range pages {
		m[p.ID] = p
	}
	return m
}

func (k *Keeper) snapshot() (Snapshot, error) {
	set, err := k.db.GetSettings()
	if err != nil {
		return Snapshot{}, err
	}
	profiles, err := k.db.ListProfiles()
	if err != nil {
		return Snapshot{}, err
	}
	pages, err := k.db.ListPages()
	if err != nil {
		return Snapshot{}, err
	}
	names := map[string]string{}
	counts := map[string]int{}
	for _, p := range pages {
		counts[p.ProfileID]++
	}
	// Configured without waiting for the keychain (locked, or slow with
	// thousands of entries): the App ID is set up together with its secret,
	// and once the secret was read the answer is exact.
	configured := set.AppID != ""
	if has, known := k.vault.KnowsAppSecret(set.AppID); configured && known {
		configured = has
	}
	snap := Snapshot{
		Demo: k.opts.Demo, Configured: configured, AppID: set.AppID, AppName: set.AppName,
		RedirectURI: login.RedirectURI(set.RedirectPort),
		Profiles:    []ProfileView{}, Pages: make([]PageView, 0, len(pages)),
	}
	for _, p := range profiles {
		names[p.ID] = p.Name
		if p.Removed {
			continue
		}
		snap.Profiles = append(snap.Profiles, ProfileView{
			ID: p.ID, Name: p.Name, Status: p.Status, Reason: p.Reason, Fix: p.Fix,
			Summary:        health.Summary(health.Reason(p.Reason), p.Name, ""),
			TokenExpiresAt: stamp(p.TokenExpiresAt), DataAccessExpiresAt: stamp(p.DataAccessExpiresAt),
			Declined: nonNil(p.Declined), PageCount: counts[p.ID],
		})
	}
	for _, p := range pages {
		v := pageView(p, names[p.ProfileID])
		snap.Pages = append(snap.Pages, v)
		snap.Counts.Total++
		switch v.Status {
		case "valid":
			snap.Counts.Valid++
		case "warning":
			snap.Counts.Warning++
			if v.Reason == string(health.ExpiringSoon) {
				snap.Counts.Expiring++
			}
		case "invalid":
			snap.Counts.Invalid++
		case "disconnected":
			snap.Counts.Disconnected++
		default:
			snap.Counts.Unknown++
		}
	}
	SortPages(snap.Pages)
	k.mu.Lock()
	snap.Check = k.check
	k.mu.Unlock()
	return snap, nil
}

// statusRank puts broken Pages first.
var statusRank = map[string]int{"invalid": 0, "warning": 1, "unknown": 2, "valid": 3, "disconnected": 4}

// SortPages orders Pages broken first, then by person and name.
func SortPages(pages []PageView) {
	sort.SliceStable(pages, func(i, j int) bool {
		a, b := pages[i], pages[j]
		if ra, rb := statusRank[a.Status], statusRank[b.Status]; ra != rb {
			return ra < rb
		}
		if a.ProfileName != b.ProfileName {
			return a.ProfileName < b.ProfileName
		}
		return a.Name < b.Name
	})
}

func pageView(p store.Page, person string) PageView {
	status := p.Status
	if status == "" {
		status = "unknown"
	}
	v := PageView{
		ID: p.ID, Name: p.Name, Category: p.Category, ProfileID: p.ProfileID, ProfileName: person,
		InstagramID: p.InstagramID, InstagramUsername: p.InstagramUsername,
		Status: status, Reason: p.Reason, Summary: p.Summary, Fix: p.Fix,
		Tasks: nonNil(p.Tasks), Permissions: nonNil(p.Permissions),
		MissingPermissions: nonNil(p.MissingPermissions), MissingTasks: nonNil(p.MissingTasks),
		Features: []FeatureView{}, WebhooksSubscribed: p.WebhooksSubscribed,
		CheckedAt: stamp(p.CheckedAt), RolesCheckedAt: stamp(p.RolesCheckedAt), WebhooksCheckedAt: stamp(p.WebhooksCheckedAt), UpdatedAt: stamp(p.UpdatedAt), ConnectedAt: stamp(p.ConnectedAt),
		Actions: actionViews(p),
	}
	for _, f := range health.FeatureNames {
		missing, known := p.Features[f]
		if !known {
			continue
		}
		v.Features = append(v.Features, FeatureView{Name: f, Label: health.FeatureLabel(f), OK: missing == "", Missing: missing})
	}
	return v
}

// PageDetail gathers a Page's feature matrix, activity log, history and timeline.
func (k *Keeper) PageDetail(pageID string) (PageDetail, error) {
	p, err := k.db.GetPage(pageID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return PageDetail{}, errors.New("this Page is not known to Pagekeeper")
		}
		return PageDetail{}, err
	}
	person := ""
	if prof, err := k.db.GetProfile(p.ProfileID); err == nil {
		person = prof.Name
	}
	acts, err := k.db.Activity(pageID, 200)
	if err != nil {
		return PageDetail{}, err
	}
	hist, err := k.db.StatusHistory(pageID)
	if err != nil {
		return PageDetail{}, err
	}
	d := PageDetail{Page: pageView(p, person), Activity: make([]ActivityView, 0, len(acts)), History: make([]StatusChangeView, 0, len(hist))}
	for _, a := range acts {
		d.Activity = append(d.Activity, ActivityView{At: stamp(a.At), Kind: a.Kind, Actor: a.Actor, Details: a.Details,
			Sentence: activitySentence(a.Kind, a.Actor, a.Details, p.Name)})
	}
	for _, h := range hist {
		d.History = append(d.History, StatusChangeView{At: stamp(h.At), From: h.From, To: h.To, Reason: h.Reason})
	}
	d.Timeline = Timeline(hist, k.opts.Now(), 30, time.Local)
	return d, nil
}

// worse reports whether status a is worse than b, for the day bands.
func worse(a, b string) bool { return statusRank[a] < statusRank[b] }

// Timeline gives the worst status of each of the last days (oldest first):
// the status held at the start of the day and every status entered during it.
// Days before the Page was first seen have status "".
func Timeline(hist []store.StatusChange, now time.Time, days int, loc *time.Location) []DayView {
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	out := make([]DayView, days)
	first := today.AddDate(0, 0, 1-days)
	i, current := 0, ""
	for ; i < len(hist) && hist[i].At.Before(first); i++ {
		current = hist[i].To
	}
	for d := range out {
		start := first.AddDate(0, 0, d)
		end := start.AddDate(0, 0, 1)
		day := current // the status held when the day began
		for ; i < len(hist) && hist[i].At.Before(end); i++ {
			if day == "" || worse(hist[i].To, day) {
				day = hist[i].To
			}
			current = hist[i].To
		}
		out[d] = DayView{Date: start.Format("2006-01-02"), Status: day}
	}
	return out
}

// ListForm is the snapshot as the window's list and banners read it: a
// Page's tasks, permissions and features are left out (PageDetail gives
// them for the Page that is open), about half of the bytes at 1,000 Pages.
func (s Snapshot) ListForm() Snapshot {
	s.Pages = listForm(s.Pages)
	return s
}

// ListForm is c with its Pages in the list form, like Snapshot.ListForm.
func (c SnapshotChanges) ListForm() SnapshotChanges {
	c.Snapshot = c.Snapshot.ListForm()
	c.Changed = listForm(c.Changed)
	return c
}

func listForm(pages []PageView) []PageView {
	out := make([]PageView, len(pages))
	for i, p := range pages {
		p.Tasks, p.Permissions, p.Features = []string{}, []string{}, []FeatureView{}
		out[i] = p
	}
	return out
}

// FirstRows is how many rows of its list the window's first pull holds
// (Head): a screenful and more, so it paints before it has every Page.
const FirstRows = 60

// Head splits the snapshot's Pages for a window that paints before it has
// them all: head keeps the first rows of the list as the window groups it
// (people with the worst Page first, each person's Pages broken first, then
// by name) and every Page with a problem, which the banners above the list
// name; rest has the others. Both keep the snapshot's order.
func (s Snapshot) Head(rows int) (head Snapshot, rest []PageView) {
	worst := map[string]int{}
	for _, p := range s.Pages {
		if r, ok := worst[p.ProfileID]; !ok || statusRank[p.Status] < r {
			worst[p.ProfileID] = statusRank[p.Status]
		}
	}
	order := make([]int, len(s.Pages))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := s.Pages[order[i]], s.Pages[order[j]]
		if wa, wb := worst[a.ProfileID], worst[b.ProfileID]; wa != wb {
			return wa < wb
		}
		if na, nb := strings.ToLower(a.ProfileName), strings.ToLower(b.ProfileName); na != nb {
			return na < nb
		}
		if a.ProfileID != b.ProfileID {
			return a.ProfileID < b.ProfileID
		}
		if ra, rb := statusRank[a.Status], statusRank[b.Status]; ra != rb {
			return ra < rb
		}
		return strings.ToLower(a.Name) < strings.ToLower(b.Name)
	})
	in := make([]bool, len(s.Pages))
	for _, i := range order[:min(rows, len(order))] {
		in[i] = true
	}
	head = s
	head.Pages = []PageView{}
	rest = []PageView{}
	for i, p := range s.Pages {
		if in[i] || p.Status == "invalid" || p.Status == "warning" {
			head.Pages = append(head.Pages, p)
		} else {
			rest = append(rest, p)
		}
	}
	return head, rest
}
