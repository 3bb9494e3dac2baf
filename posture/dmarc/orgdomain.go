package dmarc

import (
	"strings"

	"github.com/posturekit/posturekit/internal/publicsuffix"
)

// LegacyOrgDomain returns the organizational domain of domain as receivers
// that implement RFC 7489 find it (RFC 7489, Section 3.2): the public
// suffix that matches the most labels, plus one more label. Only the ICANN
// section of the public suffix list counts, as mox does and as RFC 7489
// erratum 6729 was about: private entries such as blogspot.com or
// github.io are the registrable domains of their operators, so
// foo.blogspot.com has the organizational domain blogspot.com, not itself.
// A name that is itself a public suffix is its own organizational domain.
// The list is the one compiled into internal/publicsuffix (the list of
// golang.org/x/net/publicsuffix, with the same answers, without linking
// net/http), so this works in the browser build too.
//
// RFC 9989 replaced this with the DNS Tree Walk ([Discover]); the two can
// give different answers, which is worth knowing while receivers of both
// kinds exist (RFC 9989, Appendix C.3).
func LegacyOrgDomain(domain string) string {
	d := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(domain), "."))
	if d == "" {
		return ""
	}
	suffix := icannSuffix(d)
	if len(suffix) >= len(d) {
		return d
	}
	rest := d[:len(d)-len(suffix)-1]
	return rest[strings.LastIndexByte(rest, '.')+1:] + "." + suffix
}

// icannSuffix returns the longest public suffix of d from the ICANN
// section of the list, or the last label when no rule matches (the default
// rule "*").
func icannSuffix(d string) string {
	s, icann := publicsuffix.PublicSuffix(d)
	for !icann {
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return s
		}
		// A private rule matched: look for the ICANN rule among its
		// parents.
		s, icann = publicsuffix.PublicSuffix(s[i+1:])
	}
	return s
}
