// Package zonetext writes TXT values the way zone files, Route 53 and
// the DNS itself want them: cut into character-strings of at most 255
// bytes and quoted in the zone-file presentation format.
package zonetext

import (
	"fmt"
	"strings"
)

// MaxString is the most a TXT character-string holds (RFC 1035, Section
// 3.3).
const MaxString = 255

// Split cuts a TXT value into character-strings of at most 255 bytes.
// Receivers join the strings of one record without spaces (RFC 7208,
// Section 3.3; RFC 6376, Section 3.6.2.2; RFC 8461, Section 3.1), so the
// cut may fall anywhere. An empty value is one empty string.
func Split(v string) []string {
	out := make([]string, 0, len(v)/MaxString+1)
	for len(v) > MaxString {
		out = append(out, v[:MaxString])
		v = v[MaxString:]
	}
	return append(out, v)
}

// Quote returns the zone-file form of a TXT value: the strings of [Split],
// each in double quotes, separated by spaces, with '"' and '\' escaped and
// bytes outside printable ASCII written as \DDD (RFC 1035, Section 5.1).
func Quote(v string) string {
	var b strings.Builder
	for i, p := range Split(v) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		for k := 0; k < len(p); k++ {
			c := p[k]
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c < 0x20 || c > 0x7e:
				fmt.Fprintf(&b, "\\%03d", c)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
	}
	return b.String()
}
