package headers

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The MDN HTTP Observatory is written in JavaScript, and some of its
// results depend on how JavaScript treats strings: which characters trim()
// removes, how Intl.Collator orders CSP sources, what parseInt makes of a
// max-age. The helpers in this file give the Go grader the same answers.

// obsIsJSSpace reports whether r is whitespace to JavaScript's trim() and to
// the regular expression class \s (ECMAScript WhiteSpace and
// LineTerminator).
func obsIsJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// obsJsTrim is String.prototype.trim.
func obsJsTrim(s string) string { return strings.TrimFunc(s, obsIsJSSpace) }

// obsJsFields splits a string on runs of JavaScript whitespace, dropping the
// empty strings at either end, like s.trim().split(/\s+/) does for a
// non-empty s.
func obsJsFields(s string) []string { return strings.FieldsFunc(s, obsIsJSSpace) }

// obsJsLower is String.prototype.toLowerCase for the characters that matter
// here; it differs from strings.ToLower in the one unconditional special
// casing rule (U+0130 lowers to "i" and a combining dot).
func obsJsLower(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ToLower(strings.ReplaceAll(s, "\u0130", "i\u0307"))
		}
	}
	return strings.ToLower(s)
}

// obsJsSlice is s.slice(0, n): the first n UTF-16 code units of s (a
// character outside the Basic Multilingual Plane counts two; one cut in
// half is dropped).
func obsJsSlice(s string, n int) string {
	units := 0
	for i, r := range s {
		w := 1
		if r > 0xffff {
			w = 2
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}

// obsJsParseInt is parseInt(s, 10): leading whitespace, an optional sign, then
// as many decimal digits as there are; NaN when there is none.
func obsJsParseInt(s string) float64 {
	s = strings.TrimLeftFunc(s, obsIsJSSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	v, _ := strconv.ParseFloat(s[:n], 64) // digits only: the error is at most a range error, and v is then ±Inf as in JavaScript
	if neg {
		v = -v
	}
	return v
}

// obsJsDecodeURIComponent is decodeURIComponent, which throws (here: returns
// false) on a '%' not followed by two hex digits or on escapes that do not
// decode to UTF-8.
func obsJsDecodeURIComponent(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	var b strings.Builder
	var pending []byte
	flush := func() bool {
		if len(pending) == 0 {
			return true
		}
		if !utf8.Valid(pending) {
			return false
		}
		b.Write(pending)
		pending = pending[:0]
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			if !flush() {
				return "", false
			}
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) || obsUnhex(s[i+1]) < 0 || obsUnhex(s[i+2]) < 0 {
			return "", false
		}
		c := byte(obsUnhex(s[i+1])<<4 | obsUnhex(s[i+2]))
		i += 2
		if c < utf8.RuneSelf {
			if !flush() {
				return "", false
			}
			b.WriteByte(c)
			continue
		}
		// A lead byte starts a new sequence: whatever was pending must be
		// whole already.
		if c >= 0xc0 && !flush() {
			return "", false
		}
		pending = append(pending, c)
	}
	if !flush() {
		return "", false
	}
	return b.String(), true
}

func obsUnhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// obsCollationOrder is the order Intl.Collator("en") (ICU's root collation,
// as Node.js ships it) gives the printable ASCII characters: punctuation
// and symbols, then digits, then letters with each lower-case letter just
// before its capital. For strings of these characters the collator
// compares them one by one in this order, a prefix first; the table was
// read off Node.js 20 and checked on random strings.
const obsCollationOrder = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ"

var obsCollationRank = func() (r [128]int) {
	for i := range r {
		r[i] = -1
	}
	for i := 0; i < len(obsCollationOrder); i++ {
		r[obsCollationOrder[i]] = i
	}
	return r
}()

// obsRuneRank places a character in the collation order. Characters outside
// the table (controls, space, everything not ASCII) sort after it by code
// point: CSP sources are lower-cased and split on whitespace, so they
// rarely hold any, and ICU's order for them is not reproduced.
func obsRuneRank(r rune) int {
	if r >= 0 && r < 128 && obsCollationRank[r] >= 0 {
		return obsCollationRank[r]
	}
	return len(obsCollationOrder) + int(r)
}

// obsJsCollate compares like Intl.Collator("en").compare for the strings CSP
// sources are made of.
func obsJsCollate(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if x, y := obsRuneRank(ra), obsRuneRank(rb); x != y {
			if x < y {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}
