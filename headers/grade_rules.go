package headers

import (
	"math"
	"slices"
	"strings"
)

// obsJsHeaders is a response's headers as the Observatory holds them: names
// lower-cased, a repeated field joined into one value with ", " (or, for
// the fields Node.js keeps once, the first value), Set-Cookie kept as a
// list.
type obsJsHeaders struct {
	vals    map[string]string
	cookies []string
}

// obsNodeKeepsFirst are the fields whose repeats are dropped.
var obsNodeKeepsFirst = map[string]bool{
	"age": true, "authorization": true, "content-length": true, "content-type": true, "etag": true,
	"expires": true, "from": true, "host": true, "if-modified-since": true, "if-unmodified-since": true,
	"last-modified": true, "location": true, "max-forwards": true, "proxy-authorization": true,
	"referer": true, "retry-after": true, "user-agent": true,
}

// obsParseJSHeaders reads "Name: value" lines the way the Observatory's HTTP
// client does.
func obsParseJSHeaders(lines []string) *obsJsHeaders {
	h := &obsJsHeaders{vals: map[string]string{}}
	hasCookie := false
	for _, line := range strings.Split(strings.Join(lines, "\n"), "\n") {
		i := strings.IndexByte(line, ':')
		if i < 0 {
			continue
		}
		key := obsJsLower(obsJsTrim(line[:i]))
		val := obsJsTrim(line[i+1:])
		if key == "" {
			continue
		}
		if key == "set-cookie" {
			hasCookie = true
			h.cookies = append(h.cookies, obsSanitizeJSHeader(val))
			continue
		}
		old, ok := h.vals[key]
		switch {
		case !ok:
			h.vals[key] = val
		case obsNodeKeepsFirst[key]:
		default:
			h.vals[key] = old + ", " + val
		}
	}
	for k, v := range h.vals {
		h.vals[k] = obsSanitizeJSHeader(v)
	}
	if hasCookie && h.cookies == nil {
		h.cookies = []string{}
	}
	return h
}

// obsSanitizeJSHeader drops control characters other than tab and trims
// spaces and tabs, as the client does to every value.
func obsSanitizeJSHeader(v string) string {
	v = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, v)
	return strings.Trim(v, " \t")
}

// all returns every value of the field (several only for Set-Cookie).
func (h *obsJsHeaders) all(name string) []string {
	if name == "set-cookie" {
		return h.cookies
	}
	if v, ok := h.vals[name]; ok {
		return []string{v}
	}
	return nil
}

// first returns the first value of the field and whether there is one.
func (h *obsJsHeaders) first(name string) (string, bool) {
	vs := h.all(name)
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// obsSetLines writes a set as the "Name: value" lines the oracle builds.
func obsSetLines(s *Set) []string {
	if s == nil {
		return nil
	}
	lines := make([]string, 0, len(s.Fields)+1)
	for _, f := range s.Fields {
		lines = append(lines, f.Name+": "+f.Value)
	}
	return lines
}

// obsGradeContext is the input, modelled as the Observatory's retriever
// leaves it.
type obsGradeContext struct {
	in      GradeInput
	profile Profile
	host    string
	https   bool // the page was fetched over https://
	main    *obsJsHeaders
	cors    *obsJsHeaders
	html    string
	isHTML  bool // the page is HTML with a body: <meta> tags count
	metaCSP []string
	metaRef []string // <meta name="referrer"> (the last one)
}

func obsNewGradeContext(in GradeInput, p Profile) *obsGradeContext {
	g := &obsGradeContext{in: in, profile: p, host: strings.ToLower(in.Host), https: !in.NoHTTPS, html: in.HTML}
	if g.host == "" {
		g.host = DefaultGradeHost
	}
	lines := obsSetLines(in.Headers)
	if !slices.ContainsFunc(lines, func(l string) bool {
		return len(l) >= len("content-type:") && strings.EqualFold(l[:len("content-type:")], "content-type:")
	}) {
		lines = append(lines, "Content-Type: text/html; charset=utf-8")
	}
	g.main = obsParseJSHeaders(lines)
	g.cors = g.main
	if in.CORS != nil {
		g.cors = obsParseJSHeaders(obsSetLines(in.CORS))
	}
	ct, _ := g.main.first("content-type")
	ct, _, _ = strings.Cut(ct, ";")
	switch obsJsTrim(ct) {
	case "text/html", "application/xhtml+xml":
		if g.html != "" {
			g.isHTML = true
			g.metaCSP, g.metaRef = obsParseMetaTags(g.html)
		}
	}
	return g
}

// cspTest runs the CSP test on the page.
func (g *obsGradeContext) cspTest() obsCspOutcome {
	header := g.main.all("content-security-policy")
	if g.profile == ObservatoryV6 {
		// Upstream splits a value on "," into separate policies.
		var split []string
		for _, v := range header {
			for _, p := range strings.Split(v, ",") {
				if p = obsJsTrim(p); p != "" {
					split = append(split, p)
				}
			}
		}
		header = split
	}
	reportOnly, _ := g.main.first("content-security-policy-report-only")
	return obsCSPTest(header, g.metaCSP, reportOnly, g.https)
}

// hstsTest: the first Strict-Transport-Security of the HTTPS response.
func (g *obsGradeContext) hstsTest() TestResult {
	result := resHstsNotImplemented
	switch {
	case !g.https:
		result = resHstsNoHTTPS
	default:
		if v, ok := g.main.first("strict-transport-security"); ok {
			result = obsHSTSResult(obsJsSlice(v, 1024))
		}
		if g.in.Preloaded {
			result = resHstsPreloaded
		}
	}
	pass := result == resHstsSixMonths || result == resHstsPreloaded
	return g.result(TestHSTS, result, pass, g.hstsFix(result))
}

// obsSixMonths is the Observatory's six months, in seconds.
const obsSixMonths = 15552000

func obsHSTSResult(v string) string {
	if strings.Contains(v, ",") {
		return resHstsInvalid // sent twice
	}
	maxAge := math.Inf(-1)
	found := false
	for _, p := range strings.Split(v, ";") {
		p = obsJsLower(obsJsTrim(p))
		if strings.HasPrefix(p, "max-age=") {
			maxAge = obsJsParseInt(obsJsSliceRange(p, 8, 128))
			found = true
		}
	}
	switch {
	case !found:
		return resHstsInvalid
	case maxAge < obsSixMonths: // false for NaN, as in JavaScript
		return resHstsShort
	}
	return resHstsSixMonths
}

// obsJsSliceRange is s.slice(from, to) in UTF-16 code units.
func obsJsSliceRange(s string, from, to int) string {
	head := obsJsSlice(s, from)
	return obsJsSlice(s[len(head):], to-from)
}

// redirectionTest models the http:// request: a 301 to https:// on the
// same host unless the input says otherwise.
func (g *obsGradeContext) redirectionTest() TestResult {
	var result string
	switch {
	case g.in.Preloaded:
		result = resRedirAllPreloaded // every hop is on the host
	case !g.https || g.in.NoRedirect:
		result = resRedirMissing
	default:
		result = resRedirToHTTPS
	}
	pass := result == resRedirToHTTPS || result == resRedirAllPreloaded || result == resRedirNotNeeded
	return g.result(TestRedirection, result, pass, g.redirectionFix(result))
}

var (
	resReferrerGood = []string{"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
	resReferrerBad  = []string{"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}
)

// referrerTest: the header values and the <meta name="referrer"> joined
// with ",", the last known value wins.
func (g *obsGradeContext) referrerTest() TestResult {
	vals := append(g.main.all("referrer-policy"), g.metaRef...)
	if len(vals) == 0 {
		return g.result(TestReferrer, resReferrerNotImplemented, true, g.referrerFix(resReferrerNotImplemented))
	}
	policy := ""
	for _, p := range strings.Split(strings.Join(vals, ", "), ",") {
		p = obsJsTrim(obsJsLower(p))
		if slices.Contains(resReferrerGood, p) || slices.Contains(resReferrerBad, p) {
			policy = p
		}
	}
	result := resReferrerInvalid
	switch {
	case slices.Contains(resReferrerGood, policy):
		result = resReferrerPrivate
	case slices.Contains(resReferrerBad, policy):
		result = resReferrerUnsafe
	}
	return g.result(TestReferrer, result, result == resReferrerPrivate, g.referrerFix(result))
}

// xctoTest: the value must be nosniff.
func (g *obsGradeContext) xctoTest() TestResult {
	result := resXctoNotImplemented
	if v, _ := g.main.first("x-content-type-options"); v != "" {
		result = resXctoInvalid
		if obsJsLower(obsJsTrim(obsJsSlice(v, 256))) == "nosniff" {
			result = resXctoNosniff
		}
	}
	fix := ""
	if result != resXctoNosniff {
		fix = "X-Content-Type-Options: nosniff"
	}
	return g.result(TestXCTO, result, result == resXctoNosniff, fix)
}

// xfoTest: X-Frame-Options, overridden by any frame-ancestors in the CSP.
func (g *obsGradeContext) xfoTest(csp obsCspOutcome) TestResult {
	result := resXfoNotImplemented
	v, _ := g.main.first("x-frame-options")
	xfo := obsJsLower(obsJsTrim(obsJsSlice(v, 1024)))
	if v != "" {
		switch {
		case xfo == "deny" || xfo == "sameorigin":
			result = resXfoSameOrigin
		case strings.HasPrefix(xfo, "allow-from"):
			result = resXfoAllowFrom
		default:
			result = resXfoInvalid
		}
	}
	if _, ok := csp.data["frame-ancestors"]; ok {
		result = resXfoViaCSP
	}
	pass := result == resXfoViaCSP || result == resXfoSameOrigin || result == resXfoAllowFrom
	return g.result(TestXFO, result, pass, g.xfoFix(result, xfo, csp))
}

// corpTest: Cross-Origin-Resource-Policy, compared after trimming and
// lower-casing.
func (g *obsGradeContext) corpTest() TestResult {
	result := resCorpNotImplemented
	v, _ := g.main.first("cross-origin-resource-policy")
	if c := obsJsLower(obsJsTrim(obsJsSlice(v, 256))); c != "" {
		switch c {
		case "same-site":
			result = resCorpSameSite
		case "same-origin":
			result = resCorpSameOrigin
		case "cross-origin":
			result = resCorpCrossOrigin
		default:
			result = resCorpInvalid
		}
	}
	fix := ""
	if result != resCorpSameOrigin && result != resCorpSameSite {
		fix = "Cross-Origin-Resource-Policy: same-origin"
	}
	return g.result(TestCORP, result, result != resCorpInvalid, fix)
}

// coopTest (observatory-v6): the value must be one structured-field token
// (RFC 8941), parameters allowed; compared as is.
func (g *obsGradeContext) coopTest() TestResult {
	result := resCoopNotImplemented
	if v, _ := g.main.first("cross-origin-opener-policy"); v != "" {
		switch obsSfToken(obsJsTrim(obsJsSlice(v, 1024))) {
		case "same-origin":
			result = resCoopSameOrigin
		case "same-origin-allow-popups":
			result = resCoopAllowPopups
		case "noopener-allow-popups":
			result = resCoopNoopenerPopups
		case "unsafe-none":
			result = resCoopUnsafeNone
		default:
			result = resCoopInvalid
		}
	}
	fix := ""
	if g.profile.entry(result).modifier < 10 {
		fix = "Cross-Origin-Opener-Policy: same-origin"
	}
	return g.result(TestCOOP, result, result != resCoopInvalid, fix)
}

// coepTest (observatory-v6), read like COOP.
func (g *obsGradeContext) coepTest() TestResult {
	result := resCoepNotImplemented
	if v, _ := g.main.first("cross-origin-embedder-policy"); v != "" {
		switch obsSfToken(obsJsTrim(obsJsSlice(v, 1024))) {
		case "require-corp":
			result = resCoepRequireCorp
		case "credentialless":
			result = resCoepCredentialless
		case "unsafe-none":
			result = resCoepUnsafeNone
		default:
			result = resCoepInvalid
		}
	}
	fix := ""
	if g.profile.entry(result).modifier < 10 {
		fix = "Cross-Origin-Embedder-Policy: require-corp"
	}
	return g.result(TestCOEP, result, result != resCoepInvalid, fix)
}

// obsCorsOrigin is the Origin the Observatory sends in its preflight.
const obsCorsOrigin = "https://http-observatory.security.mozilla.org"

// corsTest reads the preflight's Access-Control-Allow-Origin.
func (g *obsGradeContext) corsTest() TestResult {
	result := resCorsNotImplemented
	if acao, _ := g.cors.first("access-control-allow-origin"); acao != "" {
		creds, _ := g.cors.first("access-control-allow-credentials")
		switch {
		case obsJsLower(obsJsTrim(obsJsSlice(acao, 256))) == "*":
			result = resCorsPublic
		case acao == obsCorsOrigin && obsJsTrim(obsJsLower(creds)) == "true":
			result = resCorsUniversal
		default:
			result = resCorsRestricted
		}
	}
	fix := ""
	if result == resCorsUniversal {
		fix = "Access-Control-Allow-Origin: https://your-trusted-origin.example (a fixed list, never the request's Origin echoed back), or Access-Control-Allow-Origin: * without Access-Control-Allow-Credentials"
	}
	return g.result(TestCORS, result, result != resCorsUniversal, fix)
}

// obsSfToken parses an RFC 8941 item and returns its bare item when that is
// a token ("" otherwise: not a structured field, or a string, number,
// ...). Parameters are parsed and ignored.
func obsSfToken(s string) string {
	s = strings.TrimLeft(s, " ")
	// RFC 8941, Section 3.3.4: a token starts with ALPHA or "*".
	if s == "" || !(obsIsAlpha(s[0]) || s[0] == '*') {
		return ""
	}
	i := 1
	for i < len(s) && (tokenChar(s[i]) || s[i] == ':' || s[i] == '/') {
		i++
	}
	tok := s[:i]
	rest := s[i:]
	// RFC 8941, Section 4.2.3.2: parameters.
	for strings.HasPrefix(rest, ";") {
		rest = strings.TrimLeft(rest[1:], " ")
		n := obsSfKeyLen(rest)
		if n == 0 {
			return ""
		}
		rest = rest[n:]
		if strings.HasPrefix(rest, "=") {
			m := obsSfBareItemLen(rest[1:])
			if m == 0 {
				return ""
			}
			rest = rest[1+m:]
		}
	}
	if strings.TrimLeft(rest, " ") != "" {
		return ""
	}
	return tok
}

func obsIsAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func obsIsDigit(c byte) bool { return c >= '0' && c <= '9' }

// obsSfKeyLen: RFC 8941, Section 3.1.2, key = ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" ).
func obsSfKeyLen(s string) int {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] == '*') {
		return 0
	}
	i := 1
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || obsIsDigit(s[i]) || strings.IndexByte("_-.*", s[i]) >= 0) {
		i++
	}
	return i
}

// obsSfBareItemLen returns the length of the bare item at the start of s, 0
// when there is none.
func obsSfBareItemLen(s string) int {
	if s == "" {
		return 0
	}
	switch c := s[0]; {
	case c == '"': // string
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				if i+1 >= len(s) || s[i+1] != '"' && s[i+1] != '\\' {
					return 0
				}
				i++
			case '"':
				return i + 1
			default:
				if s[i] < 0x20 || s[i] > 0x7e {
					return 0
				}
			}
		}
		return 0
	case c == '-' || obsIsDigit(c): // integer or decimal
		i := 0
		if c == '-' {
			i++
		}
		start, dot := i, -1
		for i < len(s) && (obsIsDigit(s[i]) || s[i] == '.' && dot < 0) {
			if s[i] == '.' {
				dot = i
			}
			i++
		}
		digits := i - start
		switch {
		case digits == 0 || dot == start || dot == i-1:
			return 0
		case dot < 0 && digits > 15, dot >= 0 && (dot-start > 12 || i-dot-1 > 3):
			return 0
		}
		return i
	case c == '?': // boolean
		if len(s) >= 2 && (s[1] == '0' || s[1] == '1') {
			return 2
		}
		return 0
	case c == ':': // byte sequence
		for i := 1; i < len(s); i++ {
			if s[i] == ':' {
				return i + 1
			}
			if !(obsIsAlpha(s[i]) || obsIsDigit(s[i]) || s[i] == '+' || s[i] == '/' || s[i] == '=') {
				return 0
			}
		}
		return 0
	case obsIsAlpha(c) || c == '*': // token
		i := 1
		for i < len(s) && (tokenChar(s[i]) || s[i] == ':' || s[i] == '/') {
			i++
		}
		return i
	}
	return 0
}
