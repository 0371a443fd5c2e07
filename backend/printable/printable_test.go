package printable

import "testing"

func TestCleanLineAndUTF8(t *testing.T) {
	in := "A\x1b[31mB\x07\r\nC\tD\u202eE\x00F\u0085G"
	if got, want := Clean(in), "A[31mB\nC\tDEFG"; got != want {
		t.Errorf("Clean = %q, want %q", got, want)
	}
	if got, want := Line(in), "A[31mB C DEFG"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
	if got, want := UTF8("ok\xff\x00"), "ok\uFFFD"; got != want {
		t.Errorf("UTF8 = %q, want %q", got, want)
	}
	if s := "Crumb & Co"; Clean(s) != s || Line(s) != s || UTF8(s) != s {
		t.Error("plain text changed")
	}
}
