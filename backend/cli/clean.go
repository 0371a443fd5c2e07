package cli

import (
	"io"

	"github.com/pagekeeper/pagekeeper/backend/printable"
)

// line is one field of a line of output: Facebook's text (a Page name
// holding a line break or a tab) cannot forge a line or shift the columns.
func line(s string) string { return printable.Line(s) }

// cleanWriter passes everything written through printable.Clean: Page
// names, person names and Facebook's words come from outside, so every line
// the commands print goes through it.
type cleanWriter struct{ w io.Writer }

func (c cleanWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(c.w, printable.Clean(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// cleaned is env with its output passed through printable.Clean.
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

// raw is the writer under a cleanWriter, for the progress line's own carriage
// returns and erase sequence.
func raw(w io.Writer) io.Writer {
	if c, ok := w.(cleanWriter); ok {
		return c.w
	}
	return w
}
