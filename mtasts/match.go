package mtasts

import (
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/finding"

	"golang.org/x/net/idna"
)

// Match reports whether an MX host is permitted by the policy's mx patterns
// (RFC 8461, Section 4.1). It is what a sender calls for each MX host before
// delivering in mode enforce.
func (p *Policy) Match(host string) bool {
	return p.MatchIndex(host) >= 0
}

// MatchIndex returns the index in p.MX of the first pattern that matches
// host, or -1.
func (p *Policy) MatchIndex(host string) int {
	h, ok := normalizeHost(host)
	if !ok {
		return -1
	}
	for i, pat := range p.MX {
		if matchNormalized(pat, h) {
			return i
		}
	}
	return -1
}

// MatchPattern reports whether host matches one mx pattern, following RFC
// 8461, Section 4.1: names compare case-insensitively as A-labels, a trailing
// dot on the host is ignored, and "*.example.com" matches exactly one more
// label on the left ("mail.example.com", but neither "example.com" nor
// "a.b.example.com").
func MatchPattern(pattern, host string) bool {
	h, ok := normalizeHost(host)
	return ok && matchNormalized(pattern, h)
}

func matchNormalized(pattern, host string) bool {
	wild := strings.HasPrefix(pattern, "*.")
	if wild {
		pattern = pattern[2:]
	}
	pat, ok := normalizeHost(pattern)
	if !ok || pat == "" || strings.HasSuffix(pattern, ".") {
		return false
	}
	if !wild {
		return pat == host
	}
	// One whole label, no more, in front of the pattern's domain.
	dot := strings.IndexByte(host, '.')
	return dot > 0 && host[dot+1:] == pat
}

// normalizeHost returns host in lower case A-label form without a trailing
// dot. It does not allocate when host is already lower-case ASCII.
func normalizeHost(host string) (string, bool) {
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", false
	}
	if !isASCII(host) {
		a, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", false
		}
		return a, true // ToASCII maps to lower case
	}
	for k := 0; k < len(host); k++ {
		if c := host[k]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(host), true
		}
	}
	return host, true
}

// CheckMX compares a policy with the domain's MX hosts (RFC 8461, Section
// 4.1). Each host no pattern matches is an error in mode enforce (senders
// will not deliver to it) and a warning in mode testing (senders report
// it); each pattern that matches no host is a warning, since it usually
// means a stale or mistyped entry. A null MX (RFC 7505, host ".") is
// skipped.
func CheckMX(p *Policy, hosts []string) finding.List {
	var l finding.List
	used := make([]bool, len(p.MX))
	n := 0
	for _, h := range hosts {
		if h == "." || h == "" {
			continue
		}
		n++
		if p.Match(h) || p.Mode == ModeNone {
			continue
		}
		sev, effect := finding.Error, "senders in mode enforce will refuse to deliver mail to it"
		if p.Mode == ModeTesting {
			sev, effect = finding.Warning, "senders will report failures for it, and would refuse it once the mode is enforce"
		}
		l = append(l, finding.Finding{Code: "mtasts.mx_not_covered", Severity: sev, Where: "MX " + strings.TrimSuffix(h, "."), RFC: rfcMatch,
			Message: fmt.Sprintf("MX host %s is matched by no mx pattern of the policy: %s", strings.TrimSuffix(h, "."), effect),
			Fix:     "add mx: " + strings.ToLower(strings.TrimSuffix(h, ".")) + " to the policy (and change the record id)"})
	}
	for _, h := range hosts {
		for i, pat := range p.MX {
			if !used[i] && MatchPattern(pat, h) {
				used[i] = true
			}
		}
	}
	if n == 0 {
		return l
	}
	for i, pat := range p.MX {
		if !used[i] {
			l = append(l, finding.Finding{Code: "mtasts.mx_unused", Severity: finding.Warning, Where: "mx: " + pat, RFC: rfcMatch,
				Message: fmt.Sprintf("mx pattern %s matches none of the domain's MX hosts", pat),
				Fix:     "remove the pattern or correct it to an MX host name"})
		}
	}
	return l
}
