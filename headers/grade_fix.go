package headers

import (
	"slices"
	"strings"
)

// The fixes: for every result short of the best its test gives, what to
// send instead. Header fixes are "Name: value" lines; the redirect and the
// scripts are changed elsewhere, so theirs are sentences.

// obsStarterCSP is the policy suggested when there is none to repair: the
// site's own scripts, styles, images, fonts and connections, nothing
// else, and no framing.
const obsStarterCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// obsFetchFallbacks are the directives that fall back to default-src and are
// spelled out when default-src becomes 'none'.
var obsFetchFallbacks = []string{"script-src", "style-src", "img-src", "font-src", "connect-src", "media-src", "frame-src", "manifest-src", "worker-src", "object-src"}

// obsCspDirective is one directive of a policy being repaired.
type obsCspDirective struct {
	name    string
	sources []string
}

// obsSplitPolicy reads a policy leniently: directives split on ";", sources
// on whitespace, names lower-cased, a repeated directive dropped (as
// browsers ignore it).
func obsSplitPolicy(policy string) []obsCspDirective {
	var out []obsCspDirective
	seen := map[string]bool{}
	for _, entry := range strings.Split(policy, ";") {
		f := obsJsFields(entry)
		if len(f) == 0 {
			continue
		}
		name := obsJsLower(f[0])
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, obsCspDirective{name: name, sources: f[1:]})
	}
	return out
}

func obsJoinPolicy(dirs []obsCspDirective) string {
	parts := make([]string, len(dirs))
	for i, d := range dirs {
		parts[i] = strings.Join(append([]string{d.name}, d.sources...), " ")
	}
	return strings.Join(parts, "; ")
}

// obsCleanSources removes what the Observatory penalizes from one directive.
func obsCleanSources(name string, src []string, https bool) []string {
	nonce := false
	for _, s := range src {
		for _, p := range obsNoncesHashes {
			if strings.HasPrefix(obsJsLower(s), p) {
				nonce = true
			}
		}
	}
	var out []string
	for _, s := range src {
		l := obsJsLower(s)
		switch {
		case name == "script-src" || name == "style-src" || name == "default-src":
			if obsIsBroadOrUnsafeInline(l) && !(l == "'unsafe-inline'" && nonce) || l == "'unsafe-eval'" ||
				l == "'strict-dynamic'" && !nonce {
				continue
			}
		case name == "object-src":
			if obsIsBroad(l) {
				continue
			}
		}
		if https && (l == "http:" || l == "ftp:" || strings.HasPrefix(l, "ftp://")) {
			continue
		}
		if _, ok := obsJsDecodeURIComponent(l); !ok {
			continue // a malformed percent-escape: no browser matches it, and the Observatory chokes on it
		}
		if https && strings.HasPrefix(l, "http://") {
			s = "https://" + s[len("http://"):]
		}
		out = append(out, s)
	}
	if len(out) == 0 && strings.HasSuffix(name, "-src") {
		if name == "object-src" || name == "default-src" {
			return []string{"'none'"}
		}
		return []string{"'self'"}
	}
	return out
}

// obsRepairCSP returns the policy with what the Observatory penalizes taken
// out and default-src set to 'none' (the directives that fell back to it
// spelled out), or the starter policy when that does not reach the best
// CSP result.
func obsRepairCSP(policy string, https bool) string {
	dirs := obsSplitPolicy(policy)
	get := func(name string) int {
		return slices.IndexFunc(dirs, func(d obsCspDirective) bool { return d.name == name })
	}
	var defaults []string
	if i := get("default-src"); i >= 0 {
		defaults = obsCleanSources("default-src", dirs[i].sources, https)
	}
	for _, name := range obsFetchFallbacks {
		if get(name) >= 0 {
			continue
		}
		switch {
		case defaults != nil && !(len(defaults) == 1 && obsJsLower(defaults[0]) == "'none'"):
			dirs = append(dirs, obsCspDirective{name: name, sources: slices.Clone(defaults)})
		case defaults == nil && name == "object-src":
			dirs = append(dirs, obsCspDirective{name: name, sources: []string{"'none'"}})
		case defaults == nil && slices.Contains([]string{"script-src", "style-src", "img-src", "font-src", "connect-src", "manifest-src"}, name):
			dirs = append(dirs, obsCspDirective{name: name, sources: []string{"'self'"}})
		}
	}
	for i := range dirs {
		dirs[i].sources = obsCleanSources(dirs[i].name, dirs[i].sources, https)
	}
	if i := get("default-src"); i >= 0 {
		dirs[i].sources = []string{"'none'"}
	} else {
		dirs = append([]obsCspDirective{{name: "default-src", sources: []string{"'none'"}}}, dirs...)
	}
	fixed := obsJoinPolicy(dirs)
	if obsCSPTest([]string{fixed}, nil, "", https).result != resCspDefaultNone {
		return obsStarterCSP
	}
	return fixed
}

// currentPolicy is the page's own policy: the first CSP header field, else
// the first <meta> policy.
func (g *obsGradeContext) currentPolicy() string {
	if g.in.Headers != nil {
		if v := g.in.Headers.Values("Content-Security-Policy"); len(v) > 0 {
			return v[0]
		}
	}
	if len(g.metaCSP) > 0 {
		return g.metaCSP[0]
	}
	return ""
}

// suggestedPolicy is the policy the fixes build on: the page's own when
// the CSP result is already the best, else the repaired one (the enforced
// form of a report-only policy when there is no other, the starter policy
// when there is none at all).
func (g *obsGradeContext) suggestedPolicy(csp obsCspOutcome) string {
	cur := g.currentPolicy()
	switch {
	case csp.result == resCspDefaultNone:
		return cur
	case cur != "":
		return obsRepairCSP(cur, g.https)
	}
	if ro, _ := g.main.first("content-security-policy-report-only"); ro != "" {
		return obsRepairCSP(ro, g.https)
	}
	return obsStarterCSP
}

func (g *obsGradeContext) cspFix(csp obsCspOutcome) string {
	if csp.result == resCspDefaultNone {
		return ""
	}
	return "Content-Security-Policy: " + g.suggestedPolicy(csp)
}

// obsWithFrameAncestors returns the policy with frame-ancestors set.
func obsWithFrameAncestors(policy, value string) string {
	dirs := obsSplitPolicy(policy)
	if i := slices.IndexFunc(dirs, func(d obsCspDirective) bool { return d.name == "frame-ancestors" }); i >= 0 {
		dirs[i].sources = []string{value}
	} else {
		dirs = append(dirs, obsCspDirective{name: "frame-ancestors", sources: []string{value}})
	}
	return obsJoinPolicy(dirs)
}

func (g *obsGradeContext) xfoFix(result, xfo string, csp obsCspOutcome) string {
	best := g.profile.entry(resXfoViaCSP).modifier
	if g.profile.entry(result).modifier >= best {
		return ""
	}
	policy := g.suggestedPolicy(csp)
	switch result {
	case resXfoSameOrigin:
		fa := "'none'"
		if xfo == "sameorigin" {
			fa = "'self'"
		}
		return "Content-Security-Policy: " + obsWithFrameAncestors(policy, fa)
	case resXfoAllowFrom:
		origin := obsJsTrim(strings.TrimPrefix(xfo, "allow-from"))
		if origin == "" {
			origin = "'none'"
		}
		return "Content-Security-Policy: " + obsWithFrameAncestors(policy, origin)
	}
	return "X-Frame-Options: DENY\nContent-Security-Policy: " + obsWithFrameAncestors(policy, "'none'")
}

const obsHSTSValue = "max-age=31536000; includeSubDomains"

func (g *obsGradeContext) hstsFix(result string) string {
	switch result {
	case resHstsPreloaded:
		return ""
	case resHstsSixMonths:
		return "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload\n(then submit the host at https://hstspreload.org; every subdomain must serve HTTPS)"
	case resHstsNoHTTPS, resHstsInvalidCert:
		return "serve the site over HTTPS with a certificate that verifies, then send\nStrict-Transport-Security: " + obsHSTSValue
	}
	return "Strict-Transport-Security: " + obsHSTSValue
}

func (g *obsGradeContext) redirectionFix(result string) string {
	switch result {
	case resRedirToHTTPS, resRedirAllPreloaded, resRedirNotNeeded:
		return ""
	}
	fix := "answer http://" + g.host + "/ with 301 Moved Permanently and Location: https://" + g.host + "/ (the same host first)"
	if !g.https {
		fix = "serve the site over HTTPS with a certificate that verifies, then " + fix
	}
	return fix
}

func (g *obsGradeContext) referrerFix(result string) string {
	if result == resReferrerPrivate {
		return ""
	}
	return "Referrer-Policy: strict-origin-when-cross-origin"
}

func (g *obsGradeContext) sriFix(result string) string {
	switch result {
	case resSriAllSecure, resSriExternalSecure, resSriNotHTML, resSriNoScripts:
		return ""
	case resSriSameOrigin:
		return `add integrity="sha384-..." to each <script src> (the hash of the file's exact bytes)`
	}
	return `load every script from another site over https:// with integrity="sha384-..." crossorigin="anonymous", or host it on this site`
}

// cookiesFix rewrites each Set-Cookie that lacks what the test asks for.
func (g *obsGradeContext) cookiesFix(result string, raw []string) string {
	if result == resCookiesSameSite || result == resCookiesNotFound {
		return ""
	}
	var lines []string
	for _, c := range raw {
		if fixed := obsFixCookie(c); fixed != c {
			lines = append(lines, "Set-Cookie: "+fixed)
		}
	}
	return strings.Join(lines, "\n")
}

// obsFixCookie adds Secure, HttpOnly (to session cookies) and a valid
// SameSite to a Set-Cookie value.
func obsFixCookie(raw string) string {
	parts := strings.Split(raw, ";")
	pair := obsJsTrim(parts[0])
	name, _, _ := strings.Cut(pair, "=")
	var attrs []string
	secure, httpOnly, sameSite := false, false, ""
	for _, p := range parts[1:] {
		p = obsJsTrim(p)
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		switch obsJsLower(obsJsTrim(k)) {
		case "secure":
			secure = true
		case "httponly":
			httpOnly = true
		case "samesite":
			sameSite = obsJsLower(obsJsTrim(v))
			continue // written again below
		}
		attrs = append(attrs, p)
	}
	if !secure {
		attrs = append(attrs, "Secure")
	}
	if !httpOnly && obsIsSessionCookie(obsJsTrim(name)) {
		attrs = append(attrs, "HttpOnly")
	}
	switch sameSite {
	case "strict":
		attrs = append(attrs, "SameSite=Strict")
	case "none":
		attrs = append(attrs, "SameSite=None")
	default:
		attrs = append(attrs, "SameSite=Lax")
	}
	fixed := strings.Join(append([]string{pair}, attrs...), "; ")
	if secure && (httpOnly || !obsIsSessionCookie(obsJsTrim(name))) && (sameSite == "lax" || sameSite == "strict" || sameSite == "none") && !obsRawSameSiteInvalid(raw) {
		return raw // nothing to add
	}
	return fixed
}
