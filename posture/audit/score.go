//go:build !js

package audit

import "strings"

// Scoring, in the style of Internet.nl: each area's score is the share of
// the points its checks could earn that they did earn, the overall score
// is a weighted mean of the area scores, and the grade follows from the
// overall score with a few hard caps. The README's "Audit" section
// explains it with a worked example; score_test.go keeps the two in step.
//
// A check earns, times its weight:
//
//	pass  1
//	warn  1/2
//	fail  0
//	info  not scored (it is neither good nor bad)
//	error not scored (the check could not run, so it says nothing about the
//	      domain); instead, an audit with any error cannot earn an A (capB)

// weights give a check's weight by the "thing" it looks at: the longest
// entry that is its ID or a dot-separated prefix of it (so
// "mail.mta-sts.policy" weighs what "mail.mta-sts" does). Other checks
// weigh defaultWeight.
var weights = map[string]int{
	// Mail: who may send (SPF), what receivers do with forgeries (DMARC),
	// transport security (MTA-STS), signatures (DKIM).
	"mail.spf":              3,
	"mail.spf.lookups":      3,
	"mail.spf.void":         3,
	"mail.spf.all":          2,
	"mail.dmarc":            3,
	"mail.dmarc.policy":     3,
	"mail.dmarc.subdomains": 2,
	"mail.dmarc.rua":        1,
	"mail.mta-sts":          2,
	"mail.dkim":             2,
	"mail.tlsrpt":           1,
	"mail.nullmx":           1,
	"mail.mx":               1,
	// DNS: signed answers matter most; the rest is resilience.
	"dns.dnssec":    3,
	"dns.dnssec.mx": 2,
	"dns.ns":        2,
	"dns.caa":       1,
	"dns.ipv6":      1,
	"dns.soa":       1,
	"dns.ttl":       1,
	// Web: a private, authentic connection first.
	"web.tls":           3,
	"web.certificate":   3,
	"web.hsts":          2,
	"web.headers":       2,
	"web.http_redirect": 1,
	"web.security_txt":  1,
	"web.host":          1,
}

// defaultWeight is the weight of a check not covered by weights.
const defaultWeight = 1

// critical are the checks whose failure leaves the domain open to
// forgery or interception whatever else it does right: a fail of one caps
// the grade at capCritical. Exact IDs: an SPF record that breaks a limit
// is no SPF record (RFC 7208, Section 4.6.4), and a DMARC policy of none
// protects nothing, but a missing report address is no such hole.
var critical = map[string]bool{
	"mail.spf":          true,
	"mail.spf.lookups":  true,
	"mail.spf.void":     true,
	"mail.dmarc":        true,
	"mail.dmarc.policy": true,
	"dns.dnssec":        true,
	"web.tls":           true,
	"web.certificate":   true,
}

// areaWeights weigh the area scores in the overall score. An area without
// a scored check is left out, and the others share its weight.
var areaWeights = map[string]int{
	AreaMail: 40,
	AreaDNS:  20,
	AreaWeb:  40,
}

// grades map the overall score to a letter: the first whose minimum the
// score reaches.
var grades = []struct {
	min   int
	grade string
}{
	{95, "A+"},
	{90, "A"},
	{80, "B"},
	{65, "C"},
	{50, "D"},
	{0, "F"},
}

// The caps on the grade, and the grade of an audit with nothing scored.
const (
	// capFail: A+ needs no fail at all.
	capFail = "A"
	// capError: an audit in which a check could not run is incomplete.
	capError = "B"
	// capCritical: a fail in a critical check.
	capCritical = "C"
	// ungraded: no check could be scored (every one was info or error).
	ungraded = "?"
)

// lookup returns the value of the longest key of m that is id or a
// dot-separated prefix of it.
func lookup[V any](m map[string]V, id string) (V, bool) {
	for k := id; ; {
		if v, ok := m[k]; ok {
			return v, true
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			var zero V
			return zero, false
		}
		k = k[:i]
	}
}

// Weight returns the weight of the check with the given ID in its area's
// score.
func Weight(id string) int {
	if w, ok := lookup(weights, id); ok {
		return w
	}
	return defaultWeight
}

// Critical reports whether a fail of the check with the given ID caps the
// grade at C.
func Critical(id string) bool { return critical[id] }

// points returns what a check earns out of 2 (pass 2, warn 1, fail 0),
// and whether it is scored at all.
func points(s Status) (int, bool) {
	switch s {
	case Pass:
		return 2, true
	case Warn:
		return 1, true
	case Fail:
		return 0, true
	}
	return 0, false
}

// score sets the report's area scores, overall score and grade from its
// checks.
func score(r *Report) {
	r.Areas = []AreaScore{}
	var sum, wsum int
	for _, area := range []string{AreaMail, AreaDNS, AreaWeb} {
		var got, max int
		for _, c := range r.Checks {
			p, ok := points(c.Status)
			if c.Area != area || !ok {
				continue
			}
			w := Weight(c.ID)
			got += w * p
			max += w * 2
		}
		if max == 0 {
			continue
		}
		s := roundDiv(100*got, max)
		r.Areas = append(r.Areas, AreaScore{Name: area, Score: s})
		sum += areaWeights[area] * s
		wsum += areaWeights[area]
	}
	if wsum == 0 {
		r.Score, r.Grade = 0, ungraded
		return
	}
	r.Score = roundDiv(sum, wsum)
	r.Grade = grade(r.Score, r.Checks)
}

// grade returns the letter for an overall score, capped by the checks.
func grade(score int, checks []Check) string {
	g := "F"
	for _, b := range grades {
		if score >= b.min {
			g = b.grade
			break
		}
	}
	for _, c := range checks {
		switch {
		case c.Status == Fail && Critical(c.ID):
			g = capAt(g, capCritical)
		case c.Status == Fail:
			g = capAt(g, capFail)
		case c.Status == Error:
			g = capAt(g, capError)
		}
	}
	return g
}

// capAt returns the worse of grades g and limit.
func capAt(g, limit string) string {
	rank := func(g string) int {
		for i, b := range grades {
			if b.grade == g {
				return i
			}
		}
		return len(grades)
	}
	if rank(g) < rank(limit) {
		return limit
	}
	return g
}

// roundDiv returns n/d rounded half up, for n >= 0 and d > 0.
func roundDiv(n, d int) int {
	return (2*n + d) / (2 * d)
}
