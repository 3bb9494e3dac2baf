// Package msgtext holds what the record packages' messages share: quoting
// a piece of the input without flooding the message, and spotting the near
// miss of a known name for "did you mean".
package msgtext

import "unicode/utf8"

// Clip shortens s to at most 60 bytes for quoting in a message, cutting at
// a character boundary and marking the cut with "...".
func Clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	s = s[:57]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "..."
}

// NearMiss reports whether a and b differ by exactly one insertion,
// deletion or substitution, or by two neighbours swapped: the typos that
// turn a known field name into an unknown one ("nmx", "mdoe").
func NearMiss(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}
