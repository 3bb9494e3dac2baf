package headers

import (
	"fmt"
	"slices"
	"strings"
)

// knownHeaders maps the lower-case names of the headers Validate knows to
// their usual spelling.
var knownHeaders = map[string]string{}

func init() {
	for _, n := range []string{
		HeaderCSP, HeaderCSPReportOnly, HeaderHSTS, HeaderPermissions, HeaderReferrerPolicy,
		HeaderXCTO, HeaderXFO, HeaderCOOP, HeaderCOEP, HeaderCORP, HeaderCacheControl,
		"Reporting-Endpoints", "Report-To", "NEL", "Origin-Agent-Cluster", "X-DNS-Prefetch-Control",
		"X-Download-Options", "X-Permitted-Cross-Domain-Policies", "X-XSS-Protection", "Expect-CT",
		"Feature-Policy", "Public-Key-Pins", "Public-Key-Pins-Report-Only", "X-Powered-By", "Server",
		"Set-Cookie", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
		"Content-Type", "X-Robots-Tag", "Clear-Site-Data", "X-AspNet-Version", "X-AspNetMvc-Version",
	} {
		knownHeaders[strings.ToLower(n)] = n
	}
}

// CanonicalName returns the usual spelling of a header name this package
// knows ("content-security-policy" gives "Content-Security-Policy"), or
// the name as given.
func CanonicalName(name string) string {
	if c, ok := knownHeaders[strings.ToLower(name)]; ok {
		return c
	}
	return name
}

// Validate checks a header set as a browser would receive it: the value of
// every header this package knows (CSP and CSP-Report-Only with the CSP
// Evaluator's rules, HSTS, Permissions-Policy, Referrer-Policy,
// X-Content-Type-Options, X-Frame-Options and its agreement with
// frame-ancestors, the cross-origin policies, Cache-Control, the reporting
// headers, cookies and CORS), repeated headers, odd casing of names,
// obsolete headers (Expect-CT, Feature-Policy, Public-Key-Pins,
// X-XSS-Protection other than 0), headers that leak the server's software,
// and the missing protections.
func Validate(s *Set) Findings {
	return validate(s, true)
}

// ValidateSite validates the site's headers, then the fields of each path
// rule on their own (a rule adds to the site's headers, so nothing is
// missing from it).
func ValidateSite(site *Site) Findings {
	out := validate(&site.Headers, true)
	for _, r := range site.Paths {
		for _, f := range validate(&r.Headers, false) {
			if f.Where == "" {
				f.Where = r.Pattern
			} else {
				f.Where = r.Pattern + ": " + f.Where
			}
			out = append(out, f)
		}
	}
	return out
}

func validate(s *Set, whole bool) Findings {
	var out Findings
	add := func(code string, sev Severity, header, msg, fix string) {
		out = append(out, Finding{Code: code, Severity: sev, Header: header, Message: msg, Fix: fix})
	}
	count := map[string]int{}
	for _, f := range s.Fields {
		lower := strings.ToLower(f.Name)
		count[lower]++
		canon, known := knownHeaders[lower]
		if known && f.Name != canon && f.Name != lower {
			add("headers.odd_casing", Info, canon,
				fmt.Sprintf("%q is spelled oddly: header names are case-insensitive, but some tools and edge functions compare them as written", f.Name),
				"write "+canon)
		}
		if err := checkField(f.Name, f.Value); err != nil {
			add("headers.invalid_field", Error, CanonicalName(f.Name), err.Error(), "fix the name or value")
			continue
		}
		if why := obsoleteHeader(f.Name, f.Value); why != "" {
			add("headers.obsolete_header", Warning, CanonicalName(f.Name), why, "remove "+CanonicalName(f.Name))
		}
	}
	for lower, n := range count {
		if n < 2 {
			continue
		}
		name := CanonicalName(lower)
		switch lower {
		case "set-cookie":
		case "content-security-policy", "content-security-policy-report-only":
			add("headers.duplicate_header", Info, name,
				fmt.Sprintf("%s is sent %d times: browsers enforce each policy, so a load must pass all of them (and the MDN Observatory 1.4.8 reads them joined)", name, n),
				"merge them into one policy unless each is meant to restrict on its own")
		case "strict-transport-security", "x-content-type-options":
			add("headers.duplicate_header", Warning, name,
				fmt.Sprintf("%s is sent %d times: browsers use only the first, and graders read the joined value as invalid", name, n),
				"send it once")
		case "x-frame-options", "cross-origin-opener-policy", "cross-origin-embedder-policy", "cross-origin-resource-policy", "origin-agent-cluster":
			add("headers.duplicate_header", Error, name,
				fmt.Sprintf("%s is sent %d times: the joined value is invalid, so browsers ignore the header", name, n),
				"send it once")
		case "referrer-policy":
			add("headers.duplicate_header", Info, name,
				fmt.Sprintf("%s is sent %d times: browsers join the values and use the last one they know", name, n),
				"send it once")
		case "permissions-policy":
			add("headers.duplicate_header", Warning, name,
				fmt.Sprintf("%s is sent %d times: browsers join the dictionaries, and a feature in both takes the last value", name, n),
				"send one Permissions-Policy")
		default:
			add("headers.duplicate_header", Info, name,
				fmt.Sprintf("%s is sent %d times; browsers join the values with commas", name, n), "send it once")
		}
	}

	for _, f := range s.Fields {
		out = append(out, checkValue(f)...)
	}
	out = append(out, checkCookies(s)...)
	out = append(out, checkCORS(s)...)
	out = append(out, checkFraming(s, whole)...)
	if whole {
		out = append(out, checkMissing(s)...)
	}
	return out
}

// checkValue checks one field's value by its name.
func checkValue(f Field) Findings {
	var out Findings
	name := CanonicalName(f.Name)
	add := func(code string, sev Severity, msg, fix string) {
		out = append(out, Finding{Code: code, Severity: sev, Header: name, Message: msg, Fix: fix})
	}
	v := strings.TrimSpace(f.Value)
	switch strings.ToLower(f.Name) {
	case "content-security-policy", "content-security-policy-report-only":
		policies, err := ParseCSPList(v)
		if err != nil {
			add("headers.csp_invalid", Error, strings.TrimPrefix(err.Error(), ErrCSP.Error()+": "), "write directives as name value value; name value ...")
			break
		}
		for _, c := range policies {
			for _, x := range c.Lint() {
				x.Header = name
				out = append(out, x)
			}
		}
	case "strict-transport-security":
		_, l := CheckHSTS(v)
		out = append(out, l...)
	case "permissions-policy":
		_, l := CheckPermissionsPolicy(v)
		out = append(out, l...)
	case "referrer-policy":
		var last ReferrerPolicy
		for tok := range strings.SplitSeq(v, ",") {
			r := ReferrerPolicy(strings.ToLower(strings.TrimSpace(tok)))
			if r.Valid() {
				last = r
			} else if r != "" {
				add("headers.referrer_unknown", Warning,
					fmt.Sprintf("%q is not a referrer policy; browsers skip it", clip(string(r))), "use strict-origin-when-cross-origin or no-referrer")
			}
		}
		switch {
		case last == "":
			add("headers.invalid_value", Error, "no referrer policy browsers know; they fall back to strict-origin-when-cross-origin",
				"use strict-origin-when-cross-origin or no-referrer")
		case !last.Private():
			add("headers.referrer_unsafe", Warning,
				fmt.Sprintf("%s sends the page's address (or origin over plain HTTP) to other sites", last),
				"use strict-origin-when-cross-origin or no-referrer")
		}
	case "x-content-type-options":
		if !strings.EqualFold(v, "nosniff") {
			add("headers.invalid_value", Error, fmt.Sprintf("%q: the only value is nosniff", clip(v)), "send X-Content-Type-Options: nosniff")
		}
	case "x-frame-options":
		switch up := strings.ToUpper(v); {
		case up == "DENY" || up == "SAMEORIGIN":
		case strings.HasPrefix(up, "ALLOW-FROM"):
			add("headers.invalid_value", Error, "ALLOW-FROM is obsolete: browsers ignore the header, so the page can be framed by anyone",
				"use CSP frame-ancestors with the allowed origins (and no X-Frame-Options)")
		default:
			add("headers.invalid_value", Error, fmt.Sprintf("%q: want DENY or SAMEORIGIN", clip(v)), "send DENY or SAMEORIGIN, matching frame-ancestors")
		}
	case "cross-origin-opener-policy":
		checkToken(add, v, "same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none")
	case "cross-origin-embedder-policy":
		checkToken(add, v, "require-corp", "credentialless", "unsafe-none")
	case "cross-origin-resource-policy":
		if !slices.Contains([]string{"same-origin", "same-site", "cross-origin"}, v) {
			add("headers.invalid_value", Error, fmt.Sprintf("%q: want same-origin, same-site or cross-origin (lower case)", clip(v)), "send same-origin")
		}
	case "origin-agent-cluster":
		if it, err := parseSFXItem(v); err != nil || it.Kind != sfxBoolean {
			add("headers.invalid_value", Warning, fmt.Sprintf("%q: want ?1 (or ?0), an RFC 8941 boolean", clip(v)), "send ?1")
		}
	case "x-dns-prefetch-control":
		if !strings.EqualFold(v, "on") && !strings.EqualFold(v, "off") {
			add("headers.invalid_value", Warning, fmt.Sprintf("%q: want on or off", clip(v)), "send off")
		}
	case "x-download-options":
		if !strings.EqualFold(v, "noopen") {
			add("headers.invalid_value", Warning, fmt.Sprintf("%q: the only value is noopen", clip(v)), "send noopen, or nothing")
		}
	case "x-permitted-cross-domain-policies":
		if !slices.Contains([]string{"none", "master-only", "by-content-type", "by-ftp-filename", "all", "none-this-response"}, strings.ToLower(v)) {
			add("headers.invalid_value", Warning, fmt.Sprintf("%q is not a cross-domain policy value", clip(v)), "send none")
		}
	case "reporting-endpoints":
		members, err := parseSFXDictionary(v)
		if err != nil {
			add("headers.invalid_value", Error, "not an RFC 8941 dictionary: "+strings.TrimPrefix(err.Error(), "structured field: "),
				`write name="https://example.com/reports"`)
			break
		}
		for _, m := range members {
			if m.Value.Kind != sfxStr || !strings.HasPrefix(m.Value.Str, "https://") && !strings.HasPrefix(m.Value.Str, "/") {
				add("headers.invalid_value", Warning, fmt.Sprintf("endpoint %s: want a quoted https:// URL", m.Key), `write name="https://example.com/reports"`)
			}
		}
	case "report-to":
		add("headers.deprecated_header", Info, "Report-To is the old Reporting API; browsers now read Reporting-Endpoints",
			`send Reporting-Endpoints: name="https://example.com/reports"`)
	case "cache-control":
		out = append(out, checkCacheControl(name, v)...)
	case "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version":
		add("headers.server_leak", Info, fmt.Sprintf("%s tells attackers what software runs the site", name), "remove "+name)
	case "server":
		if strings.ContainsAny(v, "0123456789") {
			add("headers.server_leak", Info, fmt.Sprintf("Server: %s names the software version", clip(v)), "send the product name alone, or nothing")
		}
	}
	return out
}

// checkToken checks an RFC 8941 token header against its values
// (parameters such as report-to are allowed).
func checkToken(add func(code string, sev Severity, msg, fix string), v string, allowed ...string) {
	it, err := parseSFXItem(v)
	if err != nil || it.Kind != sfxToken || !slices.Contains(allowed, it.Str) {
		add("headers.invalid_value", Error, fmt.Sprintf("%q: want one of %s (an RFC 8941 token, lower case)", clip(v), strings.Join(allowed, ", ")),
			"send "+allowed[0])
	}
}

// checkCacheControl checks the syntax of Cache-Control (RFC 9111, Section
// 5.2) and a few contradictions.
func checkCacheControl(name, v string) Findings {
	var out Findings
	add := func(code string, sev Severity, msg, fix string) {
		out = append(out, Finding{Code: code, Severity: sev, Header: name, Message: msg, Fix: fix})
	}
	dirs := map[string]string{}
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, hasVal := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !isHTTPToken(k) {
			add("headers.invalid_value", Warning, fmt.Sprintf("%q is not a Cache-Control directive", clip(part)), "write directives as name or name=value, joined by commas")
			continue
		}
		if hasVal {
			var err error
			if val, err = tokenOrQuoted(strings.TrimSpace(val)); err != nil {
				add("headers.invalid_value", Warning, fmt.Sprintf("%s: %v", k, err), "write name=value")
				continue
			}
		}
		dirs[k] = val
		if (k == "max-age" || k == "s-maxage" || k == "stale-while-revalidate") && strings.Trim(val, "0123456789") != "" {
			add("headers.invalid_value", Warning, fmt.Sprintf("%s=%q is not a number of seconds", k, clip(val)), "write "+k+"=SECONDS")
		}
	}
	if _, ok := dirs["no-store"]; ok && len(dirs) > 1 {
		if _, ok := dirs["max-age"]; ok {
			add("headers.cache_conflict", Info, "no-store with max-age: nothing is stored, so max-age does nothing", "keep one of them")
		}
	}
	if _, ok := dirs["immutable"]; ok {
		if _, ok := dirs["max-age"]; !ok {
			add("headers.cache_conflict", Info, "immutable without max-age: the response is not fresh, so immutable does nothing", "add max-age=31536000")
		}
	}
	return out
}

// checkCookies checks the attributes of Set-Cookie headers.
func checkCookies(s *Set) Findings {
	var out Findings
	for _, v := range s.Values("Set-Cookie") {
		parts := strings.Split(v, ";")
		name, _, _ := strings.Cut(parts[0], "=")
		name = strings.TrimSpace(name)
		attrs := map[string]string{}
		for _, p := range parts[1:] {
			k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			attrs[strings.ToLower(strings.TrimSpace(k))] = strings.ToLower(strings.TrimSpace(val))
		}
		_, secure := attrs["secure"]
		_, httpOnly := attrs["httponly"]
		ss, hasSS := attrs["samesite"]
		add := func(code string, sev Severity, msg, fix string) {
			out = append(out, Finding{Code: code, Severity: sev, Header: "Set-Cookie", Where: name, Message: msg, Fix: fix})
		}
		switch {
		case hasSS && ss != "lax" && ss != "strict" && ss != "none":
			add("headers.cookie_samesite_invalid", Error, fmt.Sprintf("SameSite=%s is not Lax, Strict or None", clip(ss)), "use SameSite=Lax")
		case ss == "none" && !secure:
			add("headers.cookie_samesite_invalid", Error, "SameSite=None without Secure: browsers reject the cookie", "add Secure")
		}
		if !secure {
			add("headers.cookie_not_secure", Warning, fmt.Sprintf("cookie %s lacks Secure, so it can travel over plain HTTP", clip(name)), "add Secure")
		}
		lower := strings.ToLower(name)
		if !httpOnly && (strings.Contains(lower, "sess") || strings.Contains(lower, "login")) {
			add("headers.cookie_not_httponly", Warning, fmt.Sprintf("session cookie %s lacks HttpOnly, so injected script can read it", clip(name)), "add HttpOnly")
		}
		if !hasSS {
			add("headers.cookie_no_samesite", Info, fmt.Sprintf("cookie %s has no SameSite attribute", clip(name)), "add SameSite=Lax (or Strict)")
		}
	}
	return out
}

// checkCORS: a wildcard origin cannot go with credentials.
func checkCORS(s *Set) Findings {
	acao, _ := s.Get("Access-Control-Allow-Origin")
	acac, _ := s.Get("Access-Control-Allow-Credentials")
	if strings.TrimSpace(acao) == "*" && strings.EqualFold(strings.TrimSpace(acac), "true") {
		return Findings{{Code: "headers.cors_credentials_wildcard", Severity: Error, Header: "Access-Control-Allow-Origin",
			Message: "Access-Control-Allow-Origin: * with credentials: browsers refuse the response (Fetch, Section 3.2.5)",
			Fix:     "name the allowed origin, or drop Access-Control-Allow-Credentials"}}
	}
	return nil
}

// checkFraming keeps X-Frame-Options and frame-ancestors in agreement.
func checkFraming(s *Set, whole bool) Findings {
	xfo, hasXFO := s.Get(HeaderXFO)
	var fa *CSP
	for _, v := range s.Values(HeaderCSP) {
		if l, err := ParseCSPList(v); err == nil {
			for _, c := range l {
				if c.Has("frame-ancestors") {
					fa = c
				}
			}
		}
	}
	switch {
	case fa != nil && hasXFO:
		want, ok := FrameOptionsFor(fa)
		d, _ := fa.Get("frame-ancestors")
		if !ok || !strings.EqualFold(strings.TrimSpace(xfo), string(want)) {
			fix := "remove X-Frame-Options (it cannot list hosts); browsers obey frame-ancestors"
			if ok {
				fix = "send X-Frame-Options: " + string(want)
			}
			return Findings{{Code: "headers.xfo_mismatch", Severity: Warning, Header: HeaderXFO,
				Message: fmt.Sprintf("X-Frame-Options %s does not match frame-ancestors %s: browsers that know CSP obey frame-ancestors, older ones X-Frame-Options", xfo, strings.Join(d.Values, " ")),
				Fix:     fix}}
		}
	case fa != nil && !hasXFO && whole:
		if want, ok := FrameOptionsFor(fa); ok {
			return Findings{{Code: "headers.xfo_missing", Severity: Info, Header: HeaderXFO,
				Message: "frame-ancestors is set but X-Frame-Options is not; browsers without CSP Level 2 allow framing",
				Fix:     "send X-Frame-Options: " + string(want)}}
		}
	case fa == nil && hasXFO && whole && s.Values(HeaderCSP) != nil:
		return Findings{{Code: "headers.frame_ancestors_missing", Severity: Info, Header: HeaderCSP,
			Message: "X-Frame-Options is set but the CSP has no frame-ancestors",
			Fix:     "add frame-ancestors " + frameAncestorsFor(FrameOptions(strings.ToUpper(strings.TrimSpace(xfo))))}}
	}
	return nil
}

// checkMissing names the protections the set lacks.
func checkMissing(s *Set) Findings {
	var out Findings
	missing := func(name string, sev Severity, msg, fix string) {
		if _, ok := s.Get(name); !ok {
			out = append(out, Finding{Code: "headers.missing_header", Severity: sev, Header: name, Message: msg, Fix: fix})
		}
	}
	if _, ok := s.Get(HeaderCSP); !ok {
		msg := "no Content-Security-Policy: injected scripts run freely"
		if _, ro := s.Get(HeaderCSPReportOnly); ro {
			msg = "only Content-Security-Policy-Report-Only: violations are reported, nothing is blocked"
		}
		out = append(out, Finding{Code: "headers.missing_header", Severity: Warning, Header: HeaderCSP, Message: msg,
			Fix: "send " + HeaderCSP + ": " + StrictCSP().String()})
	}
	missing(HeaderHSTS, Warning, "no Strict-Transport-Security: the first request of a visit can be downgraded to HTTP",
		"send "+HeaderHSTS+": "+NewHSTS(false).String())
	missing(HeaderXCTO, Warning, "no X-Content-Type-Options: browsers may sniff a file as another type (script or style)",
		"send X-Content-Type-Options: nosniff")
	if _, ok := s.Get(HeaderXFO); !ok && !strings.Contains(strings.ToLower(strings.Join(s.Values(HeaderCSP), ";")), "frame-ancestors") {
		out = append(out, Finding{Code: "headers.missing_header", Severity: Warning, Header: HeaderXFO,
			Message: "neither X-Frame-Options nor frame-ancestors: any site can frame the pages (clickjacking)",
			Fix:     "send X-Frame-Options: DENY and frame-ancestors 'none' in the CSP"})
	}
	missing(HeaderReferrerPolicy, Info, "no Referrer-Policy: browsers use strict-origin-when-cross-origin, which is fine, but graders want it said",
		"send Referrer-Policy: strict-origin-when-cross-origin")
	missing(HeaderPermissions, Info, "no Permissions-Policy: embedded frames may ask for camera, microphone, location and the like",
		"send "+HeaderPermissions+": "+StrictPermissionsPolicy().String())
	return out
}
