package headers

import (
	"fmt"
	"slices"
	"strings"
)

// PresenceReport is a securityheaders.com-style grade: mostly which of six
// headers a response has.
type PresenceReport struct {
	// Grade is A+, A, B, C, D or F.
	Grade string `json:"grade"`
	// Present and Missing name the six graded headers (in their canonical
	// spelling) the set has and lacks.
	Present []string `json:"present"`
	Missing []string `json:"missing"`
	// Warnings are what keeps a set with all six headers at A (a CSP that
	// allows inline scripts or eval).
	Warnings Findings `json:"warnings"`
	// Notes are worth knowing and do not change the grade: the
	// cross-origin policies, obsolete headers, headers that reveal the
	// software.
	Notes Findings `json:"notes"`
}

// presenceHeaders are the headers securityheaders.com grades on, in the
// order of its report.
var presenceHeaders = []string{
	"Content-Security-Policy",
	"Strict-Transport-Security",
	"X-Frame-Options",
	"X-Content-Type-Options",
	"Referrer-Policy",
	"Permissions-Policy",
}

// presenceRungs: the grade for a number of graded headers present (0 to 5;
// six present is A, or A+ without warnings). securityheaders.com publishes
// no formula; this follows the ladder people report (none F; with
// X-Content-Type-Options and X-Frame-Options C; with HSTS and
// Referrer-Policy too B; all six A).
var presenceRungs = [...]string{"F", "D", "C", "C", "B", "B"}

// versionInValue reports whether v holds a version number: digits, a dot,
// digits (the regular expression \d+\.\d+ anywhere in v).
func versionInValue(v string) bool {
	for i := 1; i+1 < len(v); i++ {
		if v[i] == '.' && '0' <= v[i-1] && v[i-1] <= '9' && '0' <= v[i+1] && v[i+1] <= '9' {
			return true
		}
	}
	return false
}

// PresenceGrade grades a header set as securityheaders.com does, as far as
// its published behaviour goes: A+ needs Content-Security-Policy,
// Strict-Transport-Security, X-Frame-Options, X-Content-Type-Options,
// Referrer-Policy and Permissions-Policy, and a CSP whose script-src and
// default-src allow neither 'unsafe-inline' (unless a nonce or hash makes
// browsers ignore it) nor 'unsafe-eval'; 'unsafe-inline' in style-src does
// not count (since November 2023). Fewer headers give a lower grade; a
// header counts when it is sent with a non-empty value, whatever the
// value.
func PresenceGrade(s *Set) *PresenceReport {
	if s == nil {
		s = &Set{}
	}
	r := &PresenceReport{Present: []string{}, Missing: []string{}, Warnings: Findings{}, Notes: Findings{}}
	has := func(name string) bool {
		return slices.ContainsFunc(s.Values(name), func(v string) bool { return strings.TrimSpace(v) != "" })
	}
	for _, h := range presenceHeaders {
		if has(h) {
			r.Present = append(r.Present, h)
		} else {
			r.Missing = append(r.Missing, h)
		}
	}
	for _, v := range s.Values("Content-Security-Policy") {
		r.Warnings = append(r.Warnings, presenceCSPWarnings(v)...)
	}
	if !has("X-Frame-Options") {
		for _, v := range s.Values("Content-Security-Policy") {
			if slices.ContainsFunc(obsSplitPolicy(v), func(d obsCspDirective) bool { return d.name == "frame-ancestors" }) {
				r.Notes = append(r.Notes, Finding{Code: "headers.presence_frame_ancestors_only", Severity: Info, Header: "X-Frame-Options",
					Message: "missing, though the CSP has frame-ancestors: the header is graded on its own", Fix: "X-Frame-Options: DENY (or SAMEORIGIN, matching frame-ancestors)"})
				break
			}
		}
	}
	for _, h := range []string{"Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy"} {
		if has(h) {
			r.Notes = append(r.Notes, Finding{Code: "headers.presence_cross_origin", Severity: Info, Header: h, Message: "reported as additional information, not graded"})
		}
	}
	for _, h := range []string{"Expect-CT", "Feature-Policy", "Public-Key-Pins", "Public-Key-Pins-Report-Only"} {
		if has(h) {
			r.Notes = append(r.Notes, Finding{Code: "headers.presence_obsolete", Severity: Info, Header: h, Message: "obsolete: browsers ignore it", Fix: "stop sending " + h})
		}
	}
	if v, ok := s.Get("X-XSS-Protection"); ok && strings.TrimSpace(v) != "0" {
		r.Notes = append(r.Notes, Finding{Code: "headers.presence_obsolete", Severity: Info, Header: "X-XSS-Protection",
			Message: "obsolete other than 0, and a risk where it still worked", Fix: "X-XSS-Protection: 0, or nothing"})
	}
	for _, h := range []string{"Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"} {
		if v, ok := s.Get(h); ok && (h != "Server" || versionInValue(v)) {
			r.Notes = append(r.Notes, Finding{Code: "headers.presence_info_leak", Severity: Info, Header: h,
				Message: fmt.Sprintf("reveals the software (%s)", clip(v)), Fix: "remove " + h + " or its version"})
		}
	}
	n := len(r.Present)
	switch {
	case n == len(presenceHeaders) && len(r.Warnings) == 0:
		r.Grade = "A+"
	case n == len(presenceHeaders):
		r.Grade = "A"
	default:
		r.Grade = presenceRungs[n]
	}
	return r
}

// presenceCSPWarnings finds what caps the grade at A in one policy.
func presenceCSPWarnings(policy string) Findings {
	var out Findings
	for _, d := range obsSplitPolicy(policy) {
		if d.name != "script-src" && d.name != "default-src" {
			continue
		}
		lower := make([]string, len(d.sources))
		for i, s := range d.sources {
			lower[i] = obsJsLower(s)
		}
		nonce := slices.ContainsFunc(lower, func(s string) bool {
			return slices.ContainsFunc(obsNoncesHashes, func(p string) bool { return strings.HasPrefix(s, p) })
		})
		if slices.Contains(lower, "'unsafe-inline'") && !nonce {
			out = append(out, Finding{Code: "headers.presence_unsafe_inline", Severity: Warning, Header: "Content-Security-Policy", Where: d.name,
				Message: "allows 'unsafe-inline' for scripts", Fix: "remove 'unsafe-inline' from " + d.name + " (hash or nonce the inline scripts)"})
		}
		if slices.Contains(lower, "'unsafe-eval'") {
			out = append(out, Finding{Code: "headers.presence_unsafe_eval", Severity: Warning, Header: "Content-Security-Policy", Where: d.name,
				Message: "allows 'unsafe-eval'", Fix: "remove 'unsafe-eval' from " + d.name})
		}
	}
	return out
}
