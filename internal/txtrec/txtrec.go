// Package txtrec holds the discovery rule that several DNS TXT record kinds
// share (SPF, RFC 7208 Section 4.5; DMARC, RFC 7489 Section 6.6.3; MTA-STS,
// RFC 8461 Section 3.1; TLS-RPT, RFC 8460 Section 3): at a name, the TXT
// values that do not claim to be the kind are discarded, and exactly one
// must be left.
package txtrec

// Only returns how many of txts the kind claims (is reports whether a value
// begins as a record of the kind does) and, when there is exactly one, that
// value.
func Only(txts []string, is func(string) bool) (found string, n int) {
	for _, t := range txts {
		if is(t) {
			found = t
			n++
		}
	}
	if n != 1 {
		found = ""
	}
	return found, n
}
