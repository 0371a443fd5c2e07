package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Page tokens are not one keychain entry each but a few numbered entries,
// "page-tokens:0", "page-tokens:1", ..., each a JSON object of Page IDs and
// their tokens, as large as the platform allows (chunkBytes). The reasons:
// gnome-keyring encrypts and rewrites its whole file for every entry it
// stores, so N entries cost O(N²) (a connect of 1,000 Pages spent 15 s in
// the keychain), and macOS runs one /usr/bin/security process per entry.
// The numbers have no gaps, so a platform that cannot list its entries
// (Windows, macOS through go-keyring) finds them all by reading until the
// first missing one.
//
// A write rewrites only the entries that change. A Page keeps its entry
// while its token fits there; one that no longer fits moves, the entry
// receiving it written before the one giving it up, so a crash in between
// leaves the Page in two entries, never in none. Each entry carries the
// number of the write that stored it (gen): of two entries holding a Page,
// the later one is right. New entries are added one after another, and
// emptied ones at the end deleted from the last, so no crash leaves a gap.
//
// Keychains from before this layout hold one entry per Page,
// "page-token:<Page ID>". A Page in no numbered entry is read from there;
// Migrate moves them into the numbered entries, then deletes them.

const prefixChunk = "page-tokens:"

func chunkKey(n int) string { return prefixChunk + strconv.Itoa(n) }

// chunkValue is a numbered entry as stored.
type chunkValue struct {
	Gen uint64 `json:"gen"`
	// Migrated, in entry 0, says no Page token is left in the old layout.
	Migrated bool              `json:"migrated,omitempty"`
	Tokens   map[string]string `json:"tokens"`
}

// chunkOverhead is the most an entry takes besides its Pages.
var chunkOverhead = len(encodeChunk(chunkValue{Gen: math.MaxUint64, Migrated: true}))

// encodeChunk writes an entry compactly, without HTML escapes, Page IDs sorted.
func encodeChunk(c chunkValue) string {
	if c.Tokens == nil {
		c.Tokens = map[string]string{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		panic(err) // a struct of strings always encodes
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// entrySize is at most how many bytes a Page takes in an entry: its quoted
// ID and token, the colon and a comma.
func entrySize(id, token string) int { return quotedLen(id) + quotedLen(token) + 2 }

func quotedLen(s string) int {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return len(s) + 2
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return b.Len() - 1
}

// errDamaged says a numbered entry is not one Pagekeeper wrote.
var errDamaged = errors.New("is not in Pagekeeper's format")

// shelf is what a Vault knows of the Page tokens.
type shelf struct {
	chunks  []map[string]string // by number
	sizes   []int               // each entry's encoded size, at most
	where   map[string]int      // Page ID -> entry number
	gen     uint64              // the last write's
	flagged bool                // entry 0 as stored says migrated
	// migrated: no Page token of the data folder that moved them is left
	// in the old layout (entry 0 said so, or this process moved them).
	// Another data folder's may be: a Page in no numbered entry is still
	// looked up there, once per process.
	migrated bool
	untidy   map[int]bool // entries holding a Page another entry holds later: rewrite without it
	stray    []int        // numbered entries numbered absurdly far (maxGap): delete
	// legacy holds Page tokens read from the old layout ("" none);
	// legacyAll says it holds every such entry (a scan listed them).
	legacy    map[string]string
	legacyAll bool
}

// maxGap bounds how far past the entries found a numbered one is still
// read: a write adding entries together (a Scanner's) can leave a gap of
// at most one SetMany call's worth, and a hand-deleted entry one.
const maxGap = 64

// newShelf reads the numbered entries found (by number). Where the keychain
// lists them (found may have gaps), a missing number becomes an empty entry
// the next write stores: a gap, from a write that failed half-way or an
// entry deleted with a keychain tool, then costs no Page past it, and a
// reader that stops at the first missing number finds them all again.
func newShelf(found map[int]string) (*shelf, error) {
	s := &shelf{where: map[string]int{}, untidy: map[int]bool{}, legacy: map[string]string{}}
	gens := []uint64{}
	last := -1
	for n := range found {
		if n < len(found)+maxGap {
			last = max(last, n)
		}
	}
	for n := 0; n <= last; n++ {
		raw, ok := found[n]
		if !ok {
			s.chunks, gens = append(s.chunks, map[string]string{}), append(gens, 0)
			s.untidy[n] = true
			continue
		}
		var c chunkValue
		if err := json.Unmarshal([]byte(raw), &c); err != nil || c.Tokens == nil {
			// The cause could quote the entry: only its name is said.
			return nil, fmt.Errorf("the keychain entry %s %w: delete it with your keychain's tool (its Pages then need connecting again), or run `pagekeeper reset`", chunkKey(n), errDamaged)
		}
		if n == 0 {
			s.flagged, s.migrated = c.Migrated, c.Migrated
		}
		s.gen = max(s.gen, c.Gen)
		s.chunks, gens = append(s.chunks, c.Tokens), append(gens, c.Gen)
		for id := range c.Tokens {
			prev, dup := s.where[id]
			if !dup {
				s.where[id] = n
				continue
			}
			// A crash between two writes of a move: the later entry is right.
			winner, loser := n, prev
			if gens[prev] > c.Gen {
				winner, loser = prev, n
			}
			s.where[id] = winner
			delete(s.chunks[loser], id)
			s.untidy[loser] = true
		}
	}
	for n := range found {
		if n >= len(s.chunks) {
			s.stray = append(s.stray, n)
		}
	}
	slices.Sort(s.stray)
	for _, m := range s.chunks {
		s.sizes = append(s.sizes, chunkSize(m))
	}
	return s, nil
}

// keep takes over what an earlier read of the same keychain learnt that
// still holds: the old layout is only ever deleted from, never written.
func (s *shelf) keep(was *shelf) {
	s.migrated = s.migrated || was.migrated
	if s.legacyAll {
		return
	}
	for id, tok := range was.legacy {
		if _, ok := s.legacy[id]; !ok {
			s.legacy[id] = tok
		}
	}
}

func chunkSize(m map[string]string) int {
	n := chunkOverhead
	for id, tok := range m {
		n += entrySize(id, tok)
	}
	return n
}

// lookup gives a Page's token; decided is false when only its entry in the
// old layout can tell.
func (s *shelf) lookup(id string) (token string, decided bool) {
	if n, ok := s.where[id]; ok {
		return s.chunks[n][id], true
	}
	if tok, ok := s.legacy[id]; ok {
		return tok, true
	}
	return "", s.legacyAll
}

// legacyMayHold says whether id may have an entry in the old layout.
func (s *shelf) legacyMayHold(id string) bool {
	tok, ok := s.legacy[id]
	if ok {
		return tok != ""
	}
	return !s.legacyAll && !s.migrated
}

// plan is one write of the numbered entries, in the order it is done.
type plan struct {
	gen    uint64
	flag   bool
	stray  []int                     // deleted first: nothing reads them, and a new entry could make them readable
	first  map[int]map[string]string // rewritten first
	added  []map[string]string       // new entries after the last, stored one by one in order
	second map[int]map[string]string // gave a Page to another entry: rewritten after it
	drop   int                       // entries from this number on are emptied: deleted, last first
	total  int                       // entries before the drop
	sizes  map[int]int
}

// plan works out the write that sets the Pages of changes to their tokens
// ("" takes the Page out), entries holding at most capacity bytes.
func (s *shelf) plan(changes map[string]string, capacity int) (*plan, error) {
	p := &plan{gen: s.gen + 1, flag: s.migrated, stray: s.stray, first: map[int]map[string]string{},
		second: map[int]map[string]string{}, sizes: map[int]int{}}
	sizes := slices.Clone(s.sizes)
	touched := map[int]map[string]string{}
	edit := func(n int) map[string]string {
		m, ok := touched[n]
		if !ok {
			m = maps.Clone(s.chunks[n])
			touched[n] = m
		}
		return m
	}
	for n := range s.untidy {
		edit(n)
	}
	if p.flag && !s.flagged && len(s.chunks) > 0 {
		edit(0)
	}
	gave := map[int]bool{}
	var homeless []string
	for _, id := range slices.Sorted(maps.Keys(changes)) {
		tok := changes[id]
		n, had := s.where[id]
		if had && tok == s.chunks[n][id] {
			continue
		}
		if had {
			m := edit(n)
			sizes[n] -= entrySize(id, m[id])
			delete(m, id)
		}
		if tok == "" {
			continue
		}
		need := entrySize(id, tok)
		if chunkOverhead+need > capacity {
			return nil, fmt.Errorf("Page access token for %q: %w: with its Page ID it takes %d bytes, a keychain entry holds %d", id, ErrTooLarge, chunkOverhead+need, capacity)
		}
		if had && sizes[n]+need <= capacity {
			edit(n)[id] = tok
			sizes[n] += need
			continue
		}
		if had {
			gave[n] = true
		}
		homeless = append(homeless, id)
	}
	var addedSizes []int
	for _, id := range homeless {
		tok := changes[id]
		need := entrySize(id, tok)
		n := -1
		for i, size := range sizes {
			// An entry giving up a Page takes none: it is written last.
			if !gave[i] && size+need <= capacity {
				n = i
				break
			}
		}
		if n >= 0 {
			edit(n)[id] = tok
			sizes[n] += need
			continue
		}
		last := len(p.added) - 1
		if last < 0 || addedSizes[last]+need > capacity {
			p.added, addedSizes = append(p.added, map[string]string{}), append(addedSizes, chunkOverhead)
			last++
		}
		p.added[last][id] = tok
		addedSizes[last] += need
	}
	p.total, p.drop = len(s.chunks)+len(p.added), len(s.chunks)+len(p.added)
	if len(p.added) == 0 {
		for p.drop > 0 {
			m, ok := touched[p.drop-1]
			if !ok {
				m = s.chunks[p.drop-1]
			}
			if len(m) > 0 {
				break
			}
			p.drop--
		}
	}
	for n, m := range touched {
		if n >= p.drop {
			continue
		}
		p.sizes[n] = sizes[n]
		if gave[n] {
			p.second[n] = m
		} else {
			p.first[n] = m
		}
	}
	for i, size := range addedSizes {
		p.sizes[len(s.chunks)+i] = size
	}
	return p, nil
}

// entries encodes a round's entries; gen is the round's.
func (p *plan) entries(round map[int]map[string]string, gen uint64) map[string]string {
	out := make(map[string]string, len(round))
	for n, m := range round {
		out[chunkKey(n)] = encodeChunk(chunkValue{Gen: gen, Migrated: p.flag && n == 0, Tokens: m})
	}
	return out
}

// tokens lists every token the plan writes, to scrub them from an error.
func (p *plan) tokens() []string {
	var out []string
	for _, round := range []map[int]map[string]string{p.first, p.second} {
		for _, m := range round {
			out = slices.AppendSeq(out, maps.Values(m))
		}
	}
	for _, m := range p.added {
		out = slices.AppendSeq(out, maps.Values(m))
	}
	return out
}

// commit makes the shelf what the plan wrote.
func (s *shelf) commit(p *plan) {
	for _, round := range []map[int]map[string]string{p.first, p.second} {
		for n, m := range round {
			s.chunks[n] = m
			delete(s.untidy, n)
		}
	}
	s.chunks = append(s.chunks, p.added...)
	s.chunks = s.chunks[:p.drop]
	s.sizes = s.sizes[:0]
	for n, m := range s.chunks {
		size, ok := p.sizes[n]
		if !ok {
			size = chunkSize(m)
		}
		s.sizes = append(s.sizes, size)
	}
	clear(s.where)
	for n, m := range s.chunks {
		for id := range m {
			s.where[id] = n
		}
	}
	for n := range s.untidy {
		if n >= p.drop {
			delete(s.untidy, n)
		}
	}
	s.stray = nil
	s.gen = p.gen
	if len(p.second) > 0 {
		s.gen++
	}
	s.flagged = p.flag && len(s.chunks) > 0
}
