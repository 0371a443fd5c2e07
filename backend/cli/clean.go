package cli

import (
	"io"
	"strings"
	"unicode"
)

// Clean removes what a terminal would obey rather than show: control
// characters (ESC starts a colour, title or cursor sequence, BEL rings, CR
// overwrites the line) and the bidirectional overrides that make text read
// backwards. Page names, person names and Facebook's words come from
// outside, so every line the commands print passes through here. New lines
// and tabs stay.
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

// cleanWriter passes everything written through Clean.
type cleanWriter struct{ w io.Writer }

func (c cleanWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(c.w, Clean(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// cleaned is env with its output passed through Clean.
func (env *Env) cleaned() *Env {
	out := *env
	if _, done := env.Stdout.(cleanWriter); !done {
		out.Stdout = cleanWriter{env.Stdout}
	}
	if _, done := env.Stderr.(cleanWriter); !done {
		out.Stderr = cleanWriter{env.Stderr}
	}
	// Whether output goes to a terminal is a question about the writer
	// underneath (`token` refuses to print to one).
	if isTerm := env.IsTerminal; isTerm != nil {
		out.IsTerminal = func(f any) bool {
			if w, ok := f.(io.Writer); ok {
				f = raw(w)
			}
			return isTerm(f)
		}
	}
	return &out
}

// raw is the writer under Clean, for the progress line's own carriage
// returns and erase sequence.
func raw(w io.Writer) io.Writer {
	if c, ok := w.(cleanWriter); ok {
		return c.w
	}
	return w
}
