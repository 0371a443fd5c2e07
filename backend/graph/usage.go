package graph

import (
	"encoding/json"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Kinds of usage header (FACEBOOK.md §4).
const (
	UsageApp         = "app"               // X-App-Usage: Platform limit of user and app tokens
	UsagePage        = "page"              // X-Page-Usage
	UsageBusiness    = "business_use_case" // X-Business-Use-Case-Usage: Page and system-user tokens
	UsageAdAccount   = "ad_account"        // X-Ad-Account-Usage
	usageHeaderApp   = "X-App-Usage"
	usageHeaderPage  = "X-Page-Usage"
	usageHeaderBUC   = "X-Business-Use-Case-Usage"
	usageHeaderAdAcc = "X-Ad-Account-Usage"
)

// usageHeaderNames are the headers ParseUsage reads.
var usageHeaderNames = []string{usageHeaderApp, usageHeaderPage, usageHeaderBUC, usageHeaderAdAcc}

// Usage is one quota Facebook reported, in percent of what may be used.
type Usage struct {
	Kind         string // UsageApp, UsagePage, UsageBusiness, UsageAdAccount
	ID           string // the Business Use Case object id; "" for the other kinds
	Type         string // the Business Use Case type ("pages", "messenger", ...)
	CallCount    int    // percent
	TotalCPUTime int    // percent
	TotalTime    int    // percent
	// Regain is Facebook's estimate of when calls are allowed again (BUC
	// estimated_time_to_regain_access, ad account reset_time_duration); 0 when none was given.
	Regain time.Duration
	Seen   time.Time
}

// MaxPercent is the most used of the quota's measures.
func (u Usage) MaxPercent() int { return max(u.CallCount, u.TotalCPUTime, u.TotalTime) }

// RegainAfter is how long Facebook says to wait, counted from Seen; 0 when it gave no estimate.
func (u Usage) RegainAfter() time.Duration { return u.Regain }

// regainCap is the longest wait a usage header may ask for: the window Meta
// documents for the limit (FACEBOOK.md §4: the app quota counts calls within
// one hour; the Page quota 4,800 calls per 24 hours; the ad account's reset
// is within the hour). A header asking for more is wrong or hostile, and
// would stop the checks for as long as it says.
var regainCap = map[string]time.Duration{
	UsageApp:       time.Hour,
	UsagePage:      24 * time.Hour,
	UsageBusiness:  24 * time.Hour,
	UsageAdAccount: time.Hour,
}

func (u Usage) key() string { return u.Kind + "\x00" + u.ID + "\x00" + u.Type }

// Budget is the latest Usage of every kind/id/type the client has seen.
type Budget []Usage

// MaxPercent is the highest use of any quota; the scheduler slows down near 100.
func (b Budget) MaxPercent() int {
	m := 0
	for _, u := range b {
		m = max(m, u.MaxPercent())
	}
	return m
}

// RegainAfter is the longest wait any quota asks for.
func (b Budget) RegainAfter() time.Duration {
	var d time.Duration
	for _, u := range b {
		d = max(d, u.RegainAfter())
	}
	return d
}

// ParseUsage reads every usage header in h. Malformed headers are skipped: a
// usage report is advice, never a reason to fail a call.
func ParseUsage(h http.Header, seen time.Time) []Usage {
	var out []Usage
	for kind, name := range map[string]string{UsageApp: usageHeaderApp, UsagePage: usageHeaderPage} {
		if v := h.Get(name); v != "" {
			var m usageMeasures
			if json.Unmarshal(headerJSON(v), &m) == nil {
				out = append(out, m.usage(kind, "", "", 0, seen))
			}
		}
	}
	if v := h.Get(usageHeaderBUC); v != "" {
		var byID map[string][]struct {
			usageMeasures
			Type   string       `json:"type"`
			Regain *usageNumber `json:"estimated_time_to_regain_access"` // minutes
		}
		if json.Unmarshal(headerJSON(v), &byID) == nil {
			for id, list := range byID {
				for _, e := range list {
					out = append(out, e.usage(UsageBusiness, id, e.Type, minutes(e.Regain), seen))
				}
			}
		}
	}
	if v := h.Get(usageHeaderAdAcc); v != "" {
		var a struct {
			Util  usageNumber `json:"acc_id_util_pct"`
			Reset usageNumber `json:"reset_time_duration"` // seconds
		}
		if json.Unmarshal(headerJSON(v), &a) == nil {
			p := percent(float64(a.Util))
			out = append(out, Usage{Kind: UsageAdAccount, CallCount: p, TotalCPUTime: p, TotalTime: p,
				Regain: seconds(float64(a.Reset)), Seen: seen})
		}
	}
	for i := range out {
		out[i].Regain = min(out[i].Regain, regainCap[out[i].Kind])
	}
	sortUsage(out)
	return out
}

type usageMeasures struct {
	CallCount    usageNumber `json:"call_count"`
	TotalCPUTime usageNumber `json:"total_cputime"`
	TotalTime    usageNumber `json:"total_time"`
}

// usageNumber is a JSON number, or a string holding one ("96"): a quota
// reported full must not be skipped for its spelling. Anything else fails,
// and the header is skipped as malformed.
type usageNumber float64

func (n *usageNumber) UnmarshalJSON(b []byte) error {
	// A plain number, the usual case (each of a check's 1,000 batch items
	// reports a few): read as encoding/json would, without a nested decoder.
	if len(b) > 0 && (b[0] == '-' || '0' <= b[0] && b[0] <= '9') {
		if f, err := strconv.ParseFloat(string(b), 64); err == nil {
			*n = usageNumber(f)
			return nil
		}
	}
	var f float64
	if err := json.Unmarshal(b, &f); err == nil {
		*n = usageNumber(f)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return err
	}
	*n = usageNumber(f)
	return nil
}

// headerJSON is a usage header's JSON, unwrapped when the value is a JSON
// string holding it (as a batch item's headers carry it).
func headerJSON(v string) []byte {
	var inner string
	if strings.HasPrefix(strings.TrimSpace(v), `"`) && json.Unmarshal([]byte(v), &inner) == nil {
		return []byte(inner)
	}
	return []byte(v)
}

func (m usageMeasures) usage(kind, id, typ string, regain time.Duration, seen time.Time) Usage {
	return Usage{Kind: kind, ID: id, Type: typ, CallCount: percent(float64(m.CallCount)),
		TotalCPUTime: percent(float64(m.TotalCPUTime)), TotalTime: percent(float64(m.TotalTime)), Regain: regain, Seen: seen}
}

// percent rounds up, so 99.5% counts as 100 (full), and keeps absurd values in range.
func percent(f float64) int {
	if math.IsNaN(f) || f <= 0 {
		return 0
	}
	return int(math.Min(math.Ceil(f), 1e6))
}

func minutes(f *usageNumber) time.Duration {
	if f == nil {
		return 0
	}
	return seconds(float64(*f) * 60)
}

func seconds(f float64) time.Duration {
	if math.IsNaN(f) || f <= 0 {
		return 0
	}
	return time.Duration(math.Min(f, 366*24*3600)) * time.Second
}

func sortUsage(us []Usage) {
	sort.Slice(us, func(i, j int) bool { return us[i].key() < us[j].key() })
}

// recordUsage keeps the latest value per kind/id/type and tells the hook;
// it returns the number the answer's reports were filed under (0: none).
func (c *Client) recordUsage(h http.Header) uint64 {
	us := ParseUsage(h, c.now())
	if len(us) == 0 {
		return 0
	}
	c.mu.Lock()
	c.usageSeq++
	seq := c.usageSeq
	for _, u := range us {
		c.usage[u.key()] = u
		c.usageAt[u.key()] = seq
	}
	hook := c.onUsage
	c.mu.Unlock()
	if hook != nil {
		hook(us)
	}
	return seq
}

// recordItemUsage keeps what a batch's items reported, as part of the
// batch's own answer, filed under seq (the answer's number, 0 when its
// headers had none: a number of its own then, so a backoff's mark taken
// before the answer sees them). A Page's usage (X-Page-Usage, its Business
// Use Case) arrives only in its item's headers, and the backoff must see
// it. Of the reports of one answer for the same quota, the fullest counts;
// a report a later answer made already stays.
func (c *Client) recordItemUsage(seq uint64, us []Usage) {
	if len(us) == 0 {
		return
	}
	c.mu.Lock()
	if seq == 0 {
		c.usageSeq++
		seq = c.usageSeq
	}
	for _, u := range us {
		k := u.key()
		if old, ok := c.usage[k]; ok && (c.usageAt[k] > seq || c.usageAt[k] == seq && old.MaxPercent() >= u.MaxPercent()) {
			continue
		}
		c.usage[k], c.usageAt[k] = u, seq
	}
	hook := c.onUsage
	c.mu.Unlock()
	if hook != nil {
		hook(us)
	}
}

// Budget is a snapshot of the latest usage Facebook reported, safe to call from any goroutine.
func (c *Client) Budget() Budget { return c.BudgetSince(0) }

// UsageMark is a point in the stream of usage reports, for BudgetSince.
func (c *Client) UsageMark() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.usageSeq
}

// BudgetSince is the latest usage of each kind/id/type that an answer
// reported after mark: what the calls made since then heard, without the
// stale reports of earlier ones (a quota reported full an hour ago says
// nothing about now).
func (c *Client) BudgetSince(mark uint64) Budget {
	c.mu.Lock()
	b := make(Budget, 0, len(c.usage))
	for k, u := range c.usage {
		if c.usageAt[k] > mark {
			b = append(b, u)
		}
	}
	c.mu.Unlock()
	sortUsage(b)
	return b
}

// SetUsageHook replaces Config.OnUsage; f gets the usages of each answer that
// carried usage headers, on the calling goroutine, so it must be quick.
func (c *Client) SetUsageHook(f func([]Usage)) {
	c.mu.Lock()
	c.onUsage = f
	c.mu.Unlock()
}
