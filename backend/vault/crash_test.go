package vault

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// dyingAfter is a keychain that stores n more entries (writes or deletes)
// and then fails every change, as a process killed mid-write (or a keychain
// locked half-way) leaves it. It lists its entries when scans is set.
type dyingAfter struct {
	m     *Memory
	left  int
	scans bool
}

var errDied = errors.New("the keychain went away")

func (d *dyingAfter) Get(key string) (string, error) { return d.m.Get(key) }

func (d *dyingAfter) Set(key, value string) error {
	if d.left <= 0 {
		return errDied
	}
	d.left--
	return d.m.Set(key, value)
}

func (d *dyingAfter) Delete(key string) error {
	if d.left <= 0 {
		return errDied
	}
	d.left--
	return d.m.Delete(key)
}

type dyingScanner struct{ *dyingAfter }

func (d dyingScanner) Scan(keys, prefixes []string) (map[string]string, error) {
	return d.m.Scan(keys, prefixes)
}

func (d *dyingAfter) secrets() Secrets {
	if d.scans {
		return dyingScanner{d}
	}
	return d
}

// Every write, stopped after any number of entries stored, leaves each
// Page with its token from before or after the write (a Page the write
// did not touch with its own), readable by a new process; and the write
// done again, by the same process or a new one, leaves exactly what it
// should.
func TestWriteStoppedAnywhereLosesNothing(t *testing.T) {
	const capacity = 900 // four tokens an entry
	before := pageTokens(100, 22, 1)
	writes := map[string]func(v *Vault) error{
		// Grown tokens move, new Pages add entries.
		"connect": func(v *Vault) error {
			ch := pageTokens(200, 9, 1)
			for _, id := range []string{"101", "105", "110", "120"} {
				ch[id] = token(id, 1) + "-grown-" + strings.Repeat("x", 100)
			}
			return v.SetTokens("9", "EAAuser", ch)
		},
		// Emptied entries at the end are deleted.
		"forget": func(v *Vault) error {
			var ids []string
			for i := 108; i < 122; i++ {
				ids = append(ids, fmt.Sprint(i))
			}
			return v.ForgetProfile("", ids...)
		},
	}
	for name, write := range writes {
		for _, scans := range []bool{true, false} {
			// The expected end state, from a write that does not fail.
			m := NewMemory()
			v := New(m)
			v.capacity = capacity
			if err := v.SetTokens("9", "EAAuser", before); err != nil {
				t.Fatal(err)
			}
			start := maps.Clone(m.m)
			if err := write(v); err != nil {
				t.Fatal(err)
			}
			after := read(t, m, scans, before, capacity)
			for id := range pageTokens(200, 9, 1) {
				if tok, ok := readOne(t, m, scans, id, capacity); ok {
					after[id] = tok
				}
			}
			all := maps.Clone(before)
			maps.Copy(all, after)
			stops := 0
			for n := 0; ; n++ {
				m := &Memory{m: maps.Clone(start)}
				d := &dyingAfter{m: m, left: n, scans: scans}
				v := New(d.secrets())
				v.capacity = capacity
				err := write(v)
				if err == nil {
					break // n stores were enough
				}
				stops++
				where := fmt.Sprintf("%s, scanner=%v, stopped after %d stores", name, scans, n)
				for id := range after {
					got, ok := readOne(t, m, scans, id, capacity)
					if ok && got != before[id] && got != after[id] {
						t.Fatalf("%s: Page %s reads %q, neither before nor after", where, id, got)
					}
					if !ok && before[id] != "" {
						t.Fatalf("%s: Page %s lost its token", where, id)
					}
				}
				for id, tok := range before {
					if got, ok := readOne(t, m, scans, id, capacity); ok && got != tok && got != after[id] {
						t.Fatalf("%s: Page %s reads %q", where, id, got)
					}
				}
				// Done again: by the same process, and by a new one.
				d.left = 1 << 30
				for _, again := range []*Vault{v, New(d.secrets())} {
					again.capacity = capacity
					if err := write(again); err != nil {
						t.Fatalf("%s: again: %v", where, err)
					}
					got := read(t, m, scans, all, capacity)
					if !maps.Equal(got, after) {
						t.Fatalf("%s: done again, the Pages differ", where)
					}
				}
			}
			if stops < 3 {
				t.Fatalf("%s, scanner=%v: the write took only %d stores", name, scans, stops)
			}
		}
	}
}

// readOne reads a Page's token as a new process would.
func readOne(t *testing.T, m *Memory, scans bool, id string, capacity int) (string, bool) {
	t.Helper()
	d := &dyingAfter{m: m, scans: scans}
	v := New(d.secrets())
	v.capacity = capacity
	tok, err := v.PageToken(id)
	if errors.Is(err, ErrNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	return tok, true
}

// read reads the tokens of the Pages of ids that have one.
func read(t *testing.T, m *Memory, scans bool, ids map[string]string, capacity int) map[string]string {
	t.Helper()
	out := map[string]string{}
	for id := range ids {
		if tok, ok := readOne(t, m, scans, id, capacity); ok {
			out[id] = tok
		}
	}
	return out
}

// Migrate stopped after any number of stored entries leaves every token
// readable, and the next Migrate finishes the move.
func TestMigrateStoppedAnywhereLosesNothing(t *testing.T) {
	const capacity = 900
	for _, scans := range []bool{true, false} {
		m := NewMemory()
		v := New(m)
		v.capacity = capacity
		if err := v.SetTokens("9", "EAAuser", pageTokens(100, 6, 1)); err != nil {
			t.Fatal(err)
		}
		old := pageTokens(300, 14, 1)
		old["101"] = "EAAolder-than-the-numbered-one"
		legacy(t, m, old)
		want := pageTokens(100, 6, 1)
		maps.Copy(want, pageTokens(300, 14, 1))
		ids := append(slices.Collect(maps.Keys(want)), "404")
		start := maps.Clone(m.m)
		for n := 0; ; n++ {
			m := &Memory{m: maps.Clone(start)}
			d := &dyingAfter{m: m, left: n, scans: scans}
			v := New(d.secrets())
			v.capacity = capacity
			err := v.Migrate(ids)
			for id, tok := range want {
				if got, ok := readOne(t, m, scans, id, capacity); got != tok || !ok {
					t.Fatalf("scanner=%v, stopped after %d stores: PageToken(%s) = %q", scans, n, id, got)
				}
			}
			if err == nil {
				break
			}
			d.left = 1 << 30
			if err := New(d.secrets()).Migrate(ids); err != nil {
				t.Fatal(err)
			}
			if left, _ := m.Scan(nil, []string{prefixPageToken}); len(left) != 0 {
				t.Fatalf("scanner=%v, stopped after %d stores, then again: old entries left %v", scans, n, left)
			}
			for id, tok := range want {
				if got, _ := readOne(t, m, scans, id, capacity); got != tok {
					t.Fatalf("scanner=%v, stopped after %d stores, then again: PageToken(%s) = %q", scans, n, id, got)
				}
			}
		}
	}
}
