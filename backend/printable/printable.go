// Package printable removes from outside text (Page names, person names,
// Facebook's words) what a terminal or a desktop notification would obey or
// refuse rather than show.
package printable

import (
	"strings"
	"unicode"
)

// Clean removes control characters (ESC starts a colour, title or cursor
// sequence, BEL rings, CR overwrites the line, NUL ends a C string) and the
// bidirectional overrides that make text read backwards. New lines and tabs
// stay.
func Clean(s string) string {
	if strings.IndexFunc(s, unprintable) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unprintable(r) {
			return -1
		}
		return r
	}, s)
}

// Line is Clean for one field of a line (a table cell, a name in a
// sentence): line breaks and tabs become spaces, so outside text can neither
// start a line of its own nor shift the columns.
func Line(s string) string { return lineBreaks.Replace(Clean(s)) }

var lineBreaks = strings.NewReplacer("\n", " ", "\t", " ")

// UTF8 is Clean for channels that carry only valid UTF-8 (a D-Bus string):
// invalid bytes become U+FFFD rather than fail the whole message.
func UTF8(s string) string { return Clean(strings.ToValidUTF8(s, "\uFFFD")) }

func unprintable(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case unicode.IsControl(r):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}
