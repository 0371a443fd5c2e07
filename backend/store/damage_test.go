package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// scratch is a folder removed at the end as far as the platform allows
// (under Wine, os.RemoveAll fails: a Wine limit, so t.TempDir cannot be used).
func scratch(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pkdamage")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// healthyFile builds a database like a busy install's: profiles, Pages with
// their status history and activity log (nested buckets, some inline, some on
// pages of their own), branch pages and overflow pages.
func healthyFile(t *testing.T, dir string) []byte {
	t.Helper()
	path := filepath.Join(dir, "healthy.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for i := range 3 {
		if err := db.PutProfile(Profile{ID: fmt.Sprint(10 + i), Name: fmt.Sprintf("Person %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 120 {
		p := samplePage(fmt.Sprint(1000 + i))
		if i == 7 {
			p.Summary = strings.Repeat("a long summary ", 800) // an overflow page
		}
		if err := db.PutPage(p); err != nil {
			t.Fatal(err)
		}
		for j := range 1 + i%9 {
			if _, err := db.AppendActivity(p.ID, Activity{At: at.Add(time.Duration(j) * time.Hour), Kind: "checked", Actor: "monitor", Details: "fine"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.AppendStatus(p.ID, StatusChange{At: at, From: "unknown", To: "valid"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type damaged struct {
	name string
	data []byte
}

// damages makes many damaged copies of a healthy file: cut off at page
// boundaries and inside pages, and every page (meta, freelist, branch, leaf,
// overflow) overwritten in its header, in its elements and in its data,
// zeroed, filled with 0xFF, or replaced by another page.
func damages(healthy []byte, seed uint64) []damaged {
	const pageSize = 4096
	r := rand.New(rand.NewPCG(seed, 1))
	pages := len(healthy) / pageSize
	var out []damaged
	all := func(name string, mutate func(b []byte) []byte) {
		out = append(out, damaged{name, mutate(bytes.Clone(healthy))})
	}
	// Beyond the cuts and the meta pages, three of the seven kinds of damage
	// per page, drawn from the seed, keep the run short.
	add := func(name string, mutate func(b []byte) []byte) {
		if r.IntN(7) < 3 || strings.HasPrefix(name, "page 0 ") || strings.HasPrefix(name, "page 1 ") {
			all(name, mutate)
		}
	}
	for _, n := range []int{1, 100, pageSize, pageSize + 7, 2 * pageSize, 2*pageSize + 1, 3 * pageSize, len(healthy) / 2, len(healthy)/2 + 123, len(healthy) - pageSize, len(healthy) - 1} {
		all(fmt.Sprintf("cut at %d", n), func(b []byte) []byte { return b[:n] })
	}
	for p := range pages {
		off := p * pageSize
		page := func(b []byte) []byte { return b[off : off+pageSize] }
		add(fmt.Sprintf("page %d header garbage", p), func(b []byte) []byte {
			for i := 8; i < 16; i++ { // flags, count, overflow
				page(b)[i] = byte(r.Uint32())
			}
			return b
		})
		add(fmt.Sprintf("page %d elements garbage", p), func(b []byte) []byte {
			for i := range 48 {
				page(b)[16+r.IntN(256)] = byte(i * 37)
			}
			return b
		})
		add(fmt.Sprintf("page %d data garbage", p), func(b []byte) []byte {
			for range 64 {
				page(b)[16+r.IntN(pageSize-16)] = byte(r.Uint32())
			}
			return b
		})
		add(fmt.Sprintf("page %d child pointer", p), func(b []byte) []byte {
			// The first branch element's page id (or a leaf's first fields) points elsewhere.
			for i := 24; i < 32; i++ {
				page(b)[i] = 0
			}
			page(b)[24] = byte(r.IntN(pages + 4))
			return b
		})
		add(fmt.Sprintf("page %d zeroed", p), func(b []byte) []byte { clear(page(b)); return b })
		add(fmt.Sprintf("page %d 0xFF", p), func(b []byte) []byte { copy(page(b), bytes.Repeat([]byte{0xff}, pageSize)); return b })
		if p >= 2 {
			other := 2 + r.IntN(pages-2)
			add(fmt.Sprintf("page %d replaced by page %d", p, other), func(b []byte) []byte {
				copy(page(b), b[other*pageSize:(other+1)*pageSize])
				return b
			})
		}
	}
	return out
}

// readEverything is what status, check, log and the window read.
func readEverything(db *DB) {
	db.GetSettings()
	db.ListProfiles()
	pages, _ := db.ListPages()
	for _, p := range pages {
		db.StatusHistory(p.ID)
		db.AllActivity(p.ID)
	}
}

// A damaged database never crashes Pagekeeper, on any platform: Open either
// refuses it with a CorruptError that says how to get out, or opens a file
// whose every record can be read without a panic (damage that only changed a
// value's bytes shows up as an error on that record). A refused file is
// never written to: not one byte, not its size.
//
// With PAGEKEEPER_DAMAGED_FILES naming a folder, the damaged files are kept
// there, and a run that finds them there opens those same files: test.sh
// makes them on Linux and opens them again with the Windows build under Wine.
func TestDamagedFilesNeverCrash(t *testing.T) {
	dir := scratch(t)
	seed := uint64(time.Now().UnixNano())
	cases, source := sharedDamages(t, os.Getenv(envDamagedFiles), func() []damaged { return damages(healthyFile(t, dir), seed) })
	if strings.HasPrefix(source, "made") {
		source += fmt.Sprintf(", seed %d", seed)
	}
	refused, opened := 0, 0
	for i, c := range cases {
		path := filepath.Join(dir, fmt.Sprintf("d%04d.db", i))
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		before := sha256.Sum256(c.data)
		db, err := Open(path)
		if err == nil {
			opened++
			readEverything(db)
			db.Close()
			continue
		}
		refused++
		var ce *CorruptError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "move it aside") {
			t.Errorf("%s: %v (%T), want a CorruptError that says how to get out", c.name, err, err)
		}
		after, rerr := os.ReadFile(path)
		if rerr != nil || sha256.Sum256(after) != before {
			t.Errorf("%s: the refused file was changed (%d bytes, was %d)", c.name, len(after), len(c.data))
		}
	}
	msg := fmt.Sprintf("%d damaged files (%s) on %s: %d refused, %d opened and read without a crash", len(cases), source, runtime.GOOS, refused, opened)
	t.Log(msg)
	fmt.Println("FIGURE " + t.Name() + ": " + msg)
	if refused < len(cases)/2 {
		t.Errorf("only %d of %d damaged files were refused", refused, len(cases))
	}
}

// envDamagedFiles names a folder that holds (or is to hold) the damaged files.
const envDamagedFiles = "PAGEKEEPER_DAMAGED_FILES"

// sharedDamages reads the damaged files kept in dir, or makes them and keeps
// them there; with no dir it only makes them.
func sharedDamages(t *testing.T, dir string, build func() []damaged) ([]damaged, string) {
	t.Helper()
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var kept []damaged
		for _, e := range entries {
			if name, ok := strings.CutSuffix(e.Name(), ".damaged"); ok {
				b, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				kept = append(kept, damaged{name, b})
			}
		}
		if len(kept) > 0 {
			return kept, "kept in " + dir
		}
	}
	cases := build()
	if dir != "" {
		for i, c := range cases {
			name := fmt.Sprintf("%04d %s.damaged", i, c.name)
			if err := os.WriteFile(filepath.Join(dir, name), c.data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return cases, "made and kept in " + dir
	}
	return cases, "made for this run"
}
