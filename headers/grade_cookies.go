package headers

import (
	"slices"
	"strings"

	"github.com/posturekit/posturekit/internal/publicsuffix"
)

// The Observatory collects cookies in a cookie jar (tough-cookie 5), so a
// cookie the jar refuses is not graded: one for another domain or for a
// public suffix, a __Secure- cookie without Secure, a __Host- cookie with a
// Domain, without Secure or with a Path other than "/". This file
// reproduces the jar's parsing and acceptance rules.

// obsJarCookie is what the jar keeps of a cookie.
type obsJarCookie struct {
	key      string
	secure   bool
	httpOnly bool
	sameSite string // "strict", "lax", "none" or "" when absent or unknown
	domain   string
	path     string // "" when the attribute is absent or does not start with "/"
	hostOnly bool
}

// obsParseJarCookie parses a Set-Cookie value as the jar does (RFC 6265,
// Section 5.2, strict mode: a cookie needs a name).
func obsParseJarCookie(s string) (*obsJarCookie, bool) {
	s = obsJsTrim(s)
	if s == "" {
		return nil, false
	}
	pair, attrs, hasAttrs := strings.Cut(s, ";")
	if i := strings.IndexAny(pair, "\n\r\x00"); i >= 0 {
		pair = pair[:i]
	}
	eq := strings.IndexByte(pair, '=')
	if eq <= 0 {
		return nil, false
	}
	name, value := obsJsTrim(pair[:eq]), obsJsTrim(pair[eq+1:])
	if obsHasControl(name) || obsHasControl(value) {
		return nil, false
	}
	c := &obsJarCookie{key: name}
	if !hasAttrs {
		return c, true
	}
	for _, av := range strings.Split(obsJsTrim(attrs), ";") {
		av = obsJsTrim(av)
		if av == "" {
			continue
		}
		key, val, _ := strings.Cut(av, "=")
		key = obsJsLower(obsJsTrim(key))
		val = obsJsTrim(val)
		switch key {
		case "domain":
			if d := strings.TrimPrefix(obsJsTrim(val), "."); d != "" {
				c.domain = obsJsLower(d)
			}
		case "path":
			c.path = ""
			if strings.HasPrefix(val, "/") {
				c.path = val
			}
		case "secure":
			c.secure = true
		case "httponly":
			c.httpOnly = true
		case "samesite":
			switch v := obsJsLower(val); v {
			case "strict", "lax", "none":
				c.sameSite = v
			default:
				c.sameSite = ""
			}
		}
	}
	return c, true
}

func obsHasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 })
}

// obsSpecialUseTLDs are the names of RFC 6761 the jar treats apart.
var obsSpecialUseTLDs = []string{"local", "example", "invalid", "localhost", "test"}

// obsAcceptCookie applies the jar's checks for a cookie set by a page on
// host, and fills in the domain, path and host-only flag.
func obsAcceptCookie(c *obsJarCookie, host string) bool {
	if c.domain != "" {
		d := strings.TrimPrefix(obsJsTrim(c.domain), ".")
		if strings.ContainsFunc(d, func(r rune) bool { return r >= 0x80 }) {
			return false // an internationalized Domain: not reproduced, refused
		}
		if !obsCookieDomainAllowed(d) {
			return false
		}
		if !obsDomainMatch(host, d) {
			return false
		}
		c.hostOnly = false
	} else {
		c.hostOnly = true
		c.domain = host
	}
	if c.path == "" {
		c.path = "/" // the default path of the page "/"
	}
	if strings.HasPrefix(c.key, "__Secure-") && !c.secure {
		return false
	}
	if strings.HasPrefix(c.key, "__Host-") && !(c.secure && c.hostOnly && c.path == "/") {
		return false
	}
	return true
}

// obsCookieDomainAllowed: a Domain must not be a public suffix (ICANN or
// private section of the list).
func obsCookieDomainAllowed(d string) bool {
	labels := strings.Split(d, ".")
	tld := labels[len(labels)-1]
	if slices.Contains(obsSpecialUseTLDs, tld) {
		if len(labels) > 1 || tld == "localhost" || tld == "invalid" {
			return true
		}
		return false
	}
	if ip, is4 := ipLiteral(strings.Trim(d, "[]")); ip {
		return !is4 // an IPv6 Domain passes this check, IPv4 does not
	}
	_, err := publicsuffix.EffectiveTLDPlusOne(d)
	return err == nil
}

// obsDomainMatch: RFC 6265, Section 5.1.3.
func obsDomainMatch(host, d string) bool {
	if host == d {
		return true
	}
	if !strings.HasSuffix(host, "."+d) {
		return false
	}
	return !isIPLiteral(host)
}

// obsCookieJar returns the cookies a jar holds after the page set them: the
// last of each name, domain and path.
func obsCookieJar(setCookies []string, host string) []*obsJarCookie {
	var jar []*obsJarCookie
	at := map[[3]string]int{}
	for _, s := range setCookies {
		c, ok := obsParseJarCookie(s)
		if !ok || !obsAcceptCookie(c, host) {
			continue
		}
		id := [3]string{c.domain, c.path, c.key}
		if i, ok := at[id]; ok {
			jar[i] = c
		} else {
			at[id] = len(jar)
			jar = append(jar, c)
		}
	}
	return jar
}

// obsRawSameSiteInvalid reports a SameSite attribute without a value, or with
// a value other than Strict, Lax and None, read from the raw header as the
// Observatory does (the value ends at the next "=").
func obsRawSameSiteInvalid(raw string) bool {
	for _, p := range strings.Split(obsJsTrim(raw), ";") {
		parts := strings.Split(obsJsTrim(p), "=")
		if obsJsLower(obsJsTrim(parts[0])) != "samesite" {
			continue
		}
		if len(parts) < 2 || parts[1] == "" {
			return true
		}
		switch obsJsLower(obsJsTrim(parts[1])) {
		case "lax", "strict", "none":
		default:
			return true
		}
	}
	return false
}

// resCookiesOrder ranks the failing results, best first; the worst found wins.
var resCookiesOrder = []string{
	resCookiesNoSecureHSTS, resCookiesNoSecure, resCookiesSessionNoSecureHSTS, resCookiesSameSiteInvalid,
	resCookiesAntiCSRFWithoutSameSite, resCookiesSessionWithoutHTTPOnly, resCookiesSessionWithoutSecureFlag,
}

func obsWorse(next, cur string) string {
	if cur == "" || slices.Index(resCookiesOrder, next) > slices.Index(resCookiesOrder, cur) {
		return next
	}
	return cur
}

// obsIsSessionCookie: the Observatory's guess from the name.
func obsIsSessionCookie(name string) bool {
	n := obsJsLower(name)
	return strings.Contains(n, "login") || strings.Contains(n, "sess")
}

// cookiesTest grades the cookies the page sets; hsts is whether the HSTS
// test passed.
func (g *obsGradeContext) cookiesTest(hsts bool) TestResult {
	raw := g.main.all("set-cookie")
	result := ""
	for _, c := range raw {
		if obsRawSameSiteInvalid(c) {
			result = obsWorse(resCookiesSameSiteInvalid, result)
		}
	}
	var jar []*obsJarCookie
	for _, c := range obsCookieJar(raw, g.host) {
		if c.key != "heroku-session-affinity" {
			jar = append(jar, c)
		}
	}
	if len(jar) == 0 {
		result = resCookiesNotFound
	} else {
		missingSameSite := false
		for _, c := range jar {
			session := obsIsSessionCookie(c.key)
			antiCSRF := strings.Contains(obsJsLower(c.key), "csrf")
			if !c.secure && c.sameSite == "none" {
				result = obsWorse(resCookiesSameSiteInvalid, result)
			}
			switch {
			case !c.secure && hsts:
				result = obsWorse(resCookiesNoSecureHSTS, result)
			case !c.secure:
				result = obsWorse(resCookiesNoSecure, result)
			}
			if antiCSRF && c.sameSite == "" {
				result = obsWorse(resCookiesAntiCSRFWithoutSameSite, result)
			}
			switch {
			case session && !c.secure && hsts:
				result = obsWorse(resCookiesSessionNoSecureHSTS, result)
			case session && !c.secure:
				result = obsWorse(resCookiesSessionWithoutSecureFlag, result)
			}
			if session && !c.httpOnly {
				result = obsWorse(resCookiesSessionWithoutHTTPOnly, result)
			}
			if c.sameSite == "" {
				missingSameSite = true
			}
		}
		if result == "" {
			result = resCookiesSameSite
			if missingSameSite {
				result = resCookiesSecureHTTPOnly
			}
		}
	}
	pass := result == resCookiesNotFound || result == resCookiesSameSite || result == resCookiesSecureHTTPOnly
	return g.result(TestCookies, result, pass, g.cookiesFix(result, raw))
}
