// Package publicsuffix answers from the Public Suffix List
// (https://publicsuffix.org/) exactly as golang.org/x/net/publicsuffix
// does, from the same list, without linking that package: it imports
// net/http/cookiejar for one interface, which pulls net/http, crypto/tls
// and crypto/x509 into every program, about 0.45 MB of brotli in the
// browser build.
//
// For most uses, call [EffectiveTLDPlusOne] (a registrable domain) or
// [PublicSuffix] (the suffix and whether the list's ICANN section holds
// it). The table is generated from the x/net module that go.mod requires
// (go generate; [Version] names the list), and the tests compare every
// node of it, and names around them, with x/net's answers.
package publicsuffix

//go:generate go run gen.go

import (
	"fmt"
	"net/netip"
	"strings"
)

// Node flags: a node's letter in [nodes] is 'a' + (type<<2 | wildcard<<1 |
// icann).
const (
	flagICANN    = 1 << 0 // the node is in the list's ICANN section
	flagWildcard = 1 << 1 // "*." under the node is a rule
	typeShift    = 2

	typeRule       = 0 // the node is a rule
	typeException  = 1 // the node is an exception rule ("!" in the list)
	typeParentOnly = 2 // the node only leads to rules under it
)

// PublicSuffix returns the public suffix of domain, and whether it is
// managed by ICANN (the list's ICANN section) rather than privately (its
// private section) or not listed at all: "foo.co.uk" gives "co.uk", true;
// "foo.blogspot.com" gives "blogspot.com", false; "foo.cromulent" gives
// "cromulent", false (a name under no rule has its last label as public
// suffix, the list's default rule "*"). An IP address is returned as it
// is, with false. Labels are compared as they are: pass lower case, with
// internationalized labels in their A-label (xn--) form.
func PublicSuffix(domain string) (publicSuffix string, icann bool) {
	if _, err := netip.ParseAddr(domain); err == nil {
		return domain, false
	}
	// Walk the list's tree from the last label leftwards. suffix is where
	// the public suffix starts in domain; len(domain) while no rule
	// matched.
	s, suffix := domain, len(domain)
	var nodeICANN, wildcard bool
	for {
		dot := strings.LastIndexByte(s, '.')
		if wildcard {
			// "*.parent": any label under the parent is a public suffix.
			icann, suffix = nodeICANN, dot+1
		}
		flags, ok := lookup(domain[dot+1:])
		if !ok {
			break
		}
		nodeICANN = flags&flagICANN != 0
		switch flags >> typeShift {
		case typeRule:
			suffix = dot + 1
		case typeException:
			// The exception's parent is the public suffix.
			suffix = len(s) + 1
			return finish(domain, suffix, icann)
		}
		wildcard = flags&flagWildcard != 0
		if !wildcard {
			icann = nodeICANN
		}
		if dot < 0 {
			break
		}
		s = s[:dot]
	}
	return finish(domain, suffix, icann)
}

// finish returns domain's public suffix, starting at suffix, or its last
// label when no rule matched.
func finish(domain string, suffix int, icann bool) (string, bool) {
	if suffix >= len(domain) {
		return domain[strings.LastIndexByte(domain, '.')+1:], icann
	}
	return domain[suffix:], icann
}

// lookup finds name among the list's nodes (a binary search over the
// sorted lines of [nodes]) and returns its flags.
func lookup(name string) (flags byte, ok bool) {
	lo, hi := 0, len(nodes) // both at the start of a line
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := strings.LastIndexByte(nodes[:mid], '\n') + 1
		end := start + strings.IndexByte(nodes[start:], '\n')
		line := nodes[start:end]
		sp := strings.IndexByte(line, ' ')
		switch n := line[:sp]; {
		case n < name:
			lo = end + 1
		case n > name:
			hi = start
		default:
			return line[sp+1] - 'a', true
		}
	}
	return 0, false
}

// EffectiveTLDPlusOne returns domain's public suffix and the label before
// it: the registrable domain ("golang.org" for "foo.bar.golang.org"). It
// fails for a name with an empty label, a name that is itself a public
// suffix, and a suffix that does not end domain at a label boundary.
func EffectiveTLDPlusOne(domain string) (string, error) {
	if strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", fmt.Errorf("publicsuffix: domain %q has an empty label", domain)
	}
	suffix, _ := PublicSuffix(domain)
	if len(suffix) >= len(domain) {
		return "", fmt.Errorf("publicsuffix: domain %q is a public suffix, with no label before it", domain)
	}
	i := len(domain) - len(suffix) - 1
	if domain[i] != '.' {
		return "", fmt.Errorf("publicsuffix: public suffix %q does not end domain %q at a label", suffix, domain)
	}
	return domain[strings.LastIndexByte(domain[:i], '.')+1:], nil
}
