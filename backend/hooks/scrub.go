package hooks

import (
	"regexp"
	"strings"
)

// Removed stands where a secret was cut out of a hook's output.
const Removed = "[token removed]"

// minPiece is the shortest run of a secret's characters that is cut out: a
// hook that prints half a token leaks it as surely as one that prints all.
const minPiece = 16

// tokenShape is what Facebook's access tokens look like; anything of that
// shape goes too, so a token Pagekeeper no longer holds (the one replaced)
// is not kept in the history either.
var tokenShape = regexp.MustCompile(`EAA[A-Za-z0-9_\-]{16,}`)

// Scrub removes from s every secret of secrets, every piece of one at least
// minPiece long, and everything shaped like a Facebook token.
func Scrub(s string, secrets ...string) string {
	cut := make([]bool, len(s))
	mark := func(from, to int) {
		for i := from; i < to; i++ {
			cut[i] = true
		}
	}
	markAll := func(needle string) {
		for i := 0; ; {
			j := strings.Index(s[i:], needle)
			if j < 0 {
				return
			}
			mark(i+j, i+j+len(needle))
			i += j + 1
		}
	}
	for _, sec := range secrets {
		switch {
		case len(sec) >= minPiece:
			for w := 0; w+minPiece <= len(sec); w++ {
				markAll(sec[w : w+minPiece])
			}
		case len(sec) >= 8: // too short to cut in pieces, long enough to matter
			markAll(sec)
		}
	}
	for _, loc := range tokenShape.FindAllStringIndex(s, -1) {
		mark(loc[0], loc[1])
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !cut[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(Removed)
		for i < len(s) && cut[i] {
			i++
		}
	}
	return b.String()
}

// firstLines keeps the first n lines of out, each cut to width runes.
func firstLines(out string, n, width int) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(out, "\r\n"), "\n") {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		if len(lines) == n {
			lines = append(lines, "…")
			break
		}
		if r := []rune(l); len(r) > width {
			l = string(r[:width]) + "…"
		}
		lines = append(lines, l)
	}
	return lines
}
