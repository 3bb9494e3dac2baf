package headers

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// HSTS is a Strict-Transport-Security header (RFC 6797): how long browsers
// must use HTTPS only for the host, whether the rule covers its subdomains,
// and whether the site asks to be on the browsers' preload list.
type HSTS struct {
	// MaxAge is in seconds; 0 tells browsers to forget the host's HSTS.
	MaxAge int64 `json:"max_age"`
	// IncludeSubDomains extends the rule to every subdomain.
	IncludeSubDomains bool `json:"include_subdomains,omitempty"`
	// Preload consents to inclusion in the preload list (hstspreload.org).
	Preload bool `json:"preload,omitempty"`
	// Extensions are directives this package does not know, as written;
	// browsers ignore them (RFC 6797, Section 6.1).
	Extensions []string `json:"extensions,omitempty"`
}

// HSTS max-age thresholds, in seconds.
const (
	// HSTSObservatoryMinAge is six months: the MDN Observatory takes 10
	// points off below it.
	HSTSObservatoryMinAge = 15552000
	// HSTSPreloadMinAge is one year: hstspreload.org's minimum.
	HSTSPreloadMinAge = 31536000
	// HSTSRecommendedAge is two years, what hstspreload.org recommends.
	HSTSRecommendedAge = 63072000
)

// ErrHSTS: a Strict-Transport-Security value browsers ignore as a whole.
var ErrHSTS = errors.New("headers: bad Strict-Transport-Security")

// NewHSTS returns the recommended header: two years, subdomains included,
// with preload only when asked (preloading binds every subdomain for
// months and is hard to undo).
func NewHSTS(preload bool) HSTS {
	return HSTS{MaxAge: HSTSRecommendedAge, IncludeSubDomains: true, Preload: preload}
}

// ParseHSTS reads a Strict-Transport-Security value as RFC 6797, Section
// 6.1 defines it: directives separated by ";", names case-insensitive,
// values a token or a quoted string, each directive at most once, and
// max-age required. A value that breaks these rules is ignored whole by
// browsers, so it is an error here.
func ParseHSTS(text string) (*HSTS, error) {
	if strings.Contains(text, ",") {
		// Two header fields joined: browsers read only the first field
		// (RFC 6797, Section 8.1), and the joined value is no valid field.
		return nil, fmt.Errorf("%w: %q holds a comma: the header was sent more than once", ErrHSTS, clip(text))
	}
	h := &HSTS{MaxAge: -1}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(text, ";") {
		part = strings.Trim(part, " \t")
		if part == "" {
			continue
		}
		name, value, hasValue := strings.Cut(part, "=")
		name = strings.ToLower(strings.Trim(name, " \t"))
		value = strings.Trim(value, " \t")
		if !isHTTPToken(name) {
			return nil, fmt.Errorf("%w: %q is not a directive name", ErrHSTS, clip(name))
		}
		if seen[name] {
			// RFC 6797, Section 6.1: "All directives MUST appear only once".
			return nil, fmt.Errorf("%w: %s appears more than once", ErrHSTS, name)
		}
		seen[name] = true
		if hasValue {
			v, err := tokenOrQuoted(value)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %v", ErrHSTS, name, err)
			}
			value = v
		}
		switch name {
		case "max-age":
			// RFC 6797, Section 6.1.1: max-age = delta-seconds, 1*DIGIT.
			if !hasValue || value == "" || strings.Trim(value, "0123456789") != "" {
				return nil, fmt.Errorf("%w: max-age=%q is not a number of seconds", ErrHSTS, clip(value))
			}
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				n = 1<<63 - 1 // out of range: as long as can be
			}
			h.MaxAge = n
		case "includesubdomains", "preload":
			// RFC 6797, Section 6.1.2: includeSubDomains has no value.
			if hasValue {
				return nil, fmt.Errorf("%w: %s takes no value", ErrHSTS, name)
			}
			if name == "preload" {
				h.Preload = true
			} else {
				h.IncludeSubDomains = true
			}
		default:
			h.Extensions = append(h.Extensions, part)
		}
	}
	if h.MaxAge < 0 {
		return nil, fmt.Errorf("%w: max-age is missing (RFC 6797, Section 6.1.1: it is required)", ErrHSTS)
	}
	return h, nil
}

// tokenOrQuoted reads a directive value: a token, or a quoted-string
// (RFC 9110, Section 5.6.4) returned unquoted.
func tokenOrQuoted(v string) (string, error) {
	if !strings.HasPrefix(v, `"`) {
		if v != "" && !isHTTPToken(v) {
			return "", fmt.Errorf("%q is neither a token nor a quoted string", clip(v))
		}
		return v, nil
	}
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			if i+1 >= len(v) {
				return "", errors.New("unfinished quoted string")
			}
			i++
			b.WriteByte(v[i])
		case '"':
			if i != len(v)-1 {
				return "", errors.New("text after the closing quote")
			}
			return b.String(), nil
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unfinished quoted string")
}

// isHTTPToken: token = 1*tchar (RFC 9110, Section 5.6.2).
func isHTTPToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChar(s[i]) {
			return false
		}
	}
	return true
}

func tokenChar(c byte) bool {
	return asciiAlpha(c) || asciiDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// String returns the header value, e.g. "max-age=63072000;
// includeSubDomains; preload".
func (h HSTS) String() string {
	var b strings.Builder
	b.WriteString("max-age=")
	b.WriteString(strconv.FormatInt(max(h.MaxAge, 0), 10))
	if h.IncludeSubDomains {
		b.WriteString("; includeSubDomains")
	}
	if h.Preload {
		b.WriteString("; preload")
	}
	for _, e := range h.Extensions {
		b.WriteString("; ")
		b.WriteString(e)
	}
	return b.String()
}

// PreloadProblems returns what keeps the header from the preload list's
// requirements (hstspreload.org: max-age of at least one year,
// includeSubDomains, preload), or nil when the header meets them. The site
// must also serve a valid certificate, redirect HTTP to HTTPS on the same
// host, and serve every subdomain over HTTPS: no header can show that.
func (h HSTS) PreloadProblems() []string {
	var out []string
	if h.MaxAge < HSTSPreloadMinAge {
		out = append(out, fmt.Sprintf("max-age is %d; the preload list needs at least %d (one year)", h.MaxAge, HSTSPreloadMinAge))
	}
	if !h.IncludeSubDomains {
		out = append(out, "includeSubDomains is missing; the preload list needs it")
	}
	if !h.Preload {
		out = append(out, "the preload directive is missing; the preload list needs it")
	}
	return out
}

// PreloadEligible reports whether the header meets the preload list's
// requirements (see [HSTS.PreloadProblems]).
func (h HSTS) PreloadEligible() bool { return len(h.PreloadProblems()) == 0 }

// CheckHSTS parses and lints a Strict-Transport-Security value.
func CheckHSTS(text string) (*HSTS, Findings) {
	h, err := ParseHSTS(text)
	if err != nil {
		return nil, Findings{{Code: "headers.hsts_invalid", Severity: Error, Header: HeaderHSTS,
			Message: strings.TrimPrefix(err.Error(), ErrHSTS.Error()+": ") + "; browsers ignore the header",
			RFC:     "RFC 6797, Section 6.1", Fix: "send one header: " + NewHSTS(false).String()}}
	}
	return h, h.Lint()
}

// Lint checks what is legal but unwise: a short max-age, preload asked
// without meeting the list's rules, directives browsers ignore.
func (h HSTS) Lint() Findings {
	var out Findings
	add := func(code string, sev Severity, msg, fix string) {
		out = append(out, Finding{Code: code, Severity: sev, Header: HeaderHSTS, Message: msg, Fix: fix})
	}
	switch {
	case h.MaxAge == 0:
		add("headers.hsts_max_age_zero", Warning, "max-age=0 tells browsers to forget this host's HSTS (RFC 6797, Section 6.1.1)",
			"keep max-age=0 only while withdrawing HSTS; otherwise use "+NewHSTS(false).String())
	case h.MaxAge < HSTSObservatoryMinAge:
		add("headers.hsts_max_age_short", Warning,
			fmt.Sprintf("max-age=%d is under six months: a visitor who stays away longer is exposed again on the first plain-HTTP request, and the MDN Observatory takes 10 points off", h.MaxAge),
			fmt.Sprintf("use max-age=%d (two years)", HSTSRecommendedAge))
	}
	if h.Preload {
		for _, p := range h.PreloadProblems() {
			add("headers.hsts_preload_ineligible", Warning, "preload is asked, but "+p,
				"use "+NewHSTS(true).String()+", or drop preload")
		}
	}
	if h.IncludeSubDomains && !h.Preload && h.MaxAge >= HSTSPreloadMinAge {
		add("headers.hsts_preload_possible", Info,
			"the header meets the preload list's rules but for the preload directive; preloading protects even the first visit",
			"add preload and submit the domain at hstspreload.org, once every subdomain serves HTTPS")
	}
	for _, e := range h.Extensions {
		add("headers.hsts_unknown_directive", Info, fmt.Sprintf("%q is not an HSTS directive; browsers ignore it", clip(e)), "remove it")
	}
	return out
}
