package headers

import (
	"fmt"
	"strings"
)

// Profile names the grading algorithm [Grade] applies.
type Profile string

// The profiles.
const (
	// ObservatoryV4 is the MDN HTTP Observatory as released on npm in
	// @mdn/mdn-http-observatory 1.4.8 (algorithm version 4): ten tests,
	// X-Frame-Options DENY/SAMEORIGIN worth 0, a repeated
	// Content-Security-Policy header read as one policy.
	ObservatoryV4 Profile = "observatory-v4"
	// ObservatoryV6 is the Observatory's current upstream algorithm
	// (version 6): X-Frame-Options DENY/SAMEORIGIN worth +5 (version 5),
	// Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy scored
	// (twelve tests), and a Content-Security-Policy value split on "," into
	// separate policies.
	//
	// It is built from upstream's source and pull requests, not checked
	// against a running copy (only 1.4.8 is released): how empty pieces of
	// a split policy are treated (dropped here), the place of the two new
	// tests in the list (last here), and whether upstream changed other
	// tests' edge cases since 1.4.8 (assumed not) are unverified.
	ObservatoryV6 Profile = "observatory-v6"
	// DefaultProfile is the profile [Grade] uses for "".
	DefaultProfile = ObservatoryV6
)

// ParseProfile returns the profile with the given name ("" is
// [DefaultProfile]).
func ParseProfile(s string) (Profile, error) {
	switch p := Profile(s); p {
	case "":
		return DefaultProfile, nil
	case ObservatoryV4, ObservatoryV6:
		return p, nil
	}
	return "", fmt.Errorf("headers: unknown grading profile %q (want %s or %s)", s, ObservatoryV4, ObservatoryV6)
}

// AlgorithmVersion is the Observatory's ALGORITHM_VERSION for the profile.
func (p Profile) AlgorithmVersion() int {
	if p == ObservatoryV4 {
		return 4
	}
	return 6
}

// DefaultGradeHost is the host name [Grade] assumes when the input names
// none, as the Observatory oracle does.
const DefaultGradeHost = "example.com"

// GradeInput is what the Observatory would have fetched from a site's home
// page. The zero value of each fact is the usual case: the page is served
// over HTTPS with a valid certificate, and http:// answers with a
// redirect to https:// on the same host.
type GradeInput struct {
	// Headers are the response headers of the page, duplicates and odd
	// spelling included; Set-Cookie fields are the cookies the site sets.
	Headers *Set
	// HTML is the page's body, for Subresource Integrity and for the
	// <meta http-equiv="Content-Security-Policy"> and <meta
	// name="referrer"> tags; "" when there is none.
	HTML string
	// Host is the site's host name (default [DefaultGradeHost]): it
	// decides which scripts are same-site and which cookie domains are
	// accepted.
	Host string
	// NoHTTPS says the site is only on http:// (no HSTS possible, no
	// redirect).
	NoHTTPS bool
	// NoRedirect says http:// serves the page instead of redirecting to
	// https://.
	NoRedirect bool
	// Preloaded says the host is on Chromium's HSTS preload list.
	Preloaded bool
	// CORS are the headers of the answer to a CORS preflight (OPTIONS with
	// an Origin); nil means the same as Headers.
	CORS *Set
}

// Report is a grade and the results that make it up.
type Report struct {
	Profile          Profile `json:"profile"`
	AlgorithmVersion int     `json:"algorithm_version"`
	// Score is 100 plus the modifiers of the tests, the positive ones only
	// when the rest already reach 90; never below 0.
	Score int `json:"score"`
	// Grade is A+ (score 100 and over), A, A-, B+, B, B-, C+, C, C-, D+,
	// D, D- or F.
	Grade string `json:"grade"`
	// UncurvedScore is 100 plus the negative modifiers only.
	UncurvedScore int `json:"uncurved_score"`
	// ScoreWithExtraCredit is 100 plus every modifier.
	ScoreWithExtraCredit int          `json:"score_with_extra_credit"`
	TestsPassed          int          `json:"tests_passed"`
	TestsQuantity        int          `json:"tests_quantity"`
	Tests                []TestResult `json:"tests"`
}

// TestResult is the outcome of one of the Observatory's tests.
type TestResult struct {
	// Name is the Observatory's name of the test, e.g.
	// "content-security-policy".
	Name string `json:"name"`
	// Result is the Observatory's name of the outcome, e.g.
	// "csp-implemented-with-no-unsafe".
	Result string `json:"result"`
	// Modifier is what the result adds to the score.
	Modifier int `json:"modifier"`
	// Pass is the Observatory's verdict; it does not change the score.
	Pass bool `json:"pass"`
	// Description says in one line what the result means.
	Description string `json:"description"`
	// Fix is what to send for a better result, as "Name: value" lines
	// (or, for the redirect and scripts, what to change); "" when the
	// result is already the best the test gives.
	Fix string `json:"fix"`
}

// Test returns the result of the named test, or nil.
func (r *Report) Test(name string) *TestResult {
	for i := range r.Tests {
		if r.Tests[i].Name == name {
			return &r.Tests[i]
		}
	}
	return nil
}

// The Observatory's test names.
const (
	TestCSP         = "content-security-policy"
	TestCookies     = "cookies"
	TestCORS        = "cross-origin-resource-sharing"
	TestRedirection = "redirection"
	TestReferrer    = "referrer-policy"
	TestHSTS        = "strict-transport-security"
	TestSRI         = "subresource-integrity"
	TestXCTO        = "x-content-type-options"
	TestXFO         = "x-frame-options"
	TestCORP        = "cross-origin-resource-policy"
	TestCOOP        = "cross-origin-opener-policy" // observatory-v6 only
	TestCOEP        = "cross-origin-embedder-policy"
)

// The Observatory's result names.
const (
	resCspDefaultNone                = "csp-implemented-with-no-unsafe-default-src-none"
	resCspNoUnsafe                   = "csp-implemented-with-no-unsafe"
	resCspUnsafeInlineStyleOnly      = "csp-implemented-with-unsafe-inline-in-style-src-only"
	resCspInsecureSchemePassive      = "csp-implemented-with-insecure-scheme-in-passive-content-only"
	resCspUnsafeEval                 = "csp-implemented-with-unsafe-eval"
	resCspUnsafeInline               = "csp-implemented-with-unsafe-inline"
	resCspInsecureScheme             = "csp-implemented-with-insecure-scheme"
	resCspHeaderInvalid              = "csp-header-invalid"
	resCspNotImplemented             = "csp-not-implemented"
	resCspNotImplementedButReporting = "csp-not-implemented-but-reporting-enabled"
	resCspDuplicateDirectives        = "csp-implemented-but-duplicate-directives"

	resCookiesSameSite                 = "cookies-secure-with-httponly-sessions-and-samesite"
	resCookiesSecureHTTPOnly           = "cookies-secure-with-httponly-sessions"
	resCookiesNotFound                 = "cookies-not-found"
	resCookiesNoSecureHSTS             = "cookies-without-secure-flag-but-protected-by-hsts"
	resCookiesSessionNoSecureHSTS      = "cookies-session-without-secure-flag-but-protected-by-hsts"
	resCookiesNoSecure                 = "cookies-without-secure-flag"
	resCookiesSameSiteInvalid          = "cookies-samesite-flag-invalid"
	resCookiesAntiCSRFWithoutSameSite  = "cookies-anticsrf-without-samesite-flag"
	resCookiesSessionWithoutHTTPOnly   = "cookies-session-without-httponly-flag"
	resCookiesSessionWithoutSecureFlag = "cookies-session-without-secure-flag"

	resCorsNotImplemented = "cross-origin-resource-sharing-not-implemented"
	resCorsPublic         = "cross-origin-resource-sharing-implemented-with-public-access"
	resCorsRestricted     = "cross-origin-resource-sharing-implemented-with-restricted-access"
	resCorsUniversal      = "cross-origin-resource-sharing-implemented-with-universal-access"

	resRedirAllPreloaded   = "redirection-all-redirects-preloaded"
	resRedirToHTTPS        = "redirection-to-https"
	resRedirNotNeeded      = "redirection-not-needed-no-http"
	resRedirOffHost        = "redirection-off-host-from-http"
	resRedirNotToHTTPSInit = "redirection-not-to-https-on-initial-redirection"
	resRedirNotToHTTPS     = "redirection-not-to-https"
	resRedirMissing        = "redirection-missing"
	resRedirInvalidCert    = "redirection-invalid-cert"

	resReferrerPrivate        = "referrer-policy-private"
	resReferrerNotImplemented = "referrer-policy-not-implemented"
	resReferrerUnsafe         = "referrer-policy-unsafe"
	resReferrerInvalid        = "referrer-policy-header-invalid"

	resHstsPreloaded      = "hsts-preloaded"
	resHstsSixMonths      = "hsts-implemented-max-age-at-least-six-months"
	resHstsShort          = "hsts-implemented-max-age-less-than-six-months"
	resHstsNotImplemented = "hsts-not-implemented"
	resHstsInvalid        = "hsts-header-invalid"
	resHstsNoHTTPS        = "hsts-not-implemented-no-https"
	resHstsInvalidCert    = "hsts-invalid-cert"

	resSriAllSecure          = "sri-implemented-and-all-scripts-loaded-securely"
	resSriExternalSecure     = "sri-implemented-and-external-scripts-loaded-securely"
	resSriNotHTML            = "sri-not-implemented-response-not-html"
	resSriNoScripts          = "sri-not-implemented-but-no-scripts-loaded"
	resSriSameOrigin         = "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
	resSriNoSRIExternalHTTPS = "sri-not-implemented-but-external-scripts-loaded-securely"
	resSriSRIExternalHTTP    = "sri-implemented-but-external-scripts-not-loaded-securely"
	resSriNoSRIExternalHTTP  = "sri-not-implemented-and-external-scripts-not-loaded-securely"
	resHtmlNotParseable      = "html-not-parseable"

	resXctoNosniff        = "x-content-type-options-nosniff"
	resXctoNotImplemented = "x-content-type-options-not-implemented"
	resXctoInvalid        = "x-content-type-options-header-invalid"

	resXfoViaCSP         = "x-frame-options-implemented-via-csp"
	resXfoSameOrigin     = "x-frame-options-sameorigin-or-deny"
	resXfoAllowFrom      = "x-frame-options-allow-from-origin"
	resXfoNotImplemented = "x-frame-options-not-implemented"
	resXfoInvalid        = "x-frame-options-header-invalid"

	resCorpSameOrigin     = "corp-implemented-with-same-origin"
	resCorpSameSite       = "corp-implemented-with-same-site"
	resCorpCrossOrigin    = "corp-implemented-with-cross-origin"
	resCorpNotImplemented = "corp-not-implemented"
	resCorpInvalid        = "corp-header-invalid"

	resCoopSameOrigin     = "coop-implemented-with-same-origin"
	resCoopAllowPopups    = "coop-implemented-with-same-origin-allow-popups"
	resCoopNoopenerPopups = "coop-implemented-with-noopener-allow-popups"
	resCoopUnsafeNone     = "coop-implemented-with-unsafe-none"
	resCoopNotImplemented = "coop-not-implemented"
	resCoopInvalid        = "coop-header-invalid"
	resCoepRequireCorp    = "coep-implemented-with-require-corp"
	resCoepCredentialless = "coep-implemented-with-credentialless"
	resCoepUnsafeNone     = "coep-implemented-with-unsafe-none"
	resCoepNotImplemented = "coep-not-implemented"
	resCoepInvalid        = "coep-header-invalid"
)

// obsMinScoreForExtraCred: positive modifiers count only when the negative
// ones leave at least this.
const obsMinScoreForExtraCred = 90

// obsScoreEntry is a result's modifier and a plain description of it.
type obsScoreEntry struct {
	modifier    int
	description string
}

// obsScoreTable is the npm 1.4.8 table; obsScoreTableV6 holds what upstream
// changed or added since.
var obsScoreTable = map[string]obsScoreEntry{
	resCspDefaultNone:                {10, "CSP without unsafe sources, and default-src 'none'"},
	resCspNoUnsafe:                   {5, "CSP without 'unsafe-inline', 'unsafe-eval' or broad sources for scripts"},
	resCspUnsafeInlineStyleOnly:      {0, "CSP is safe for scripts, but style-src allows 'unsafe-inline', data: or a broad source"},
	resCspInsecureSchemePassive:      {-10, "CSP lets images or media load over plain HTTP on an HTTPS site"},
	resCspUnsafeEval:                 {-10, "CSP allows 'unsafe-eval'"},
	resCspUnsafeInline:               {-20, "CSP allows inline scripts, data: or any host for scripts or plugins (or leaves script-src/object-src unrestricted)"},
	resCspInsecureScheme:             {-20, "CSP lets scripts or other active content load over plain HTTP on an HTTPS site"},
	resCspHeaderInvalid:              {-25, "CSP could not be read: too short, a directive repeated, or 'strict-dynamic' without a nonce or hash"},
	resCspNotImplemented:             {-25, "no Content-Security-Policy"},
	resCspNotImplementedButReporting: {-25, "only Content-Security-Policy-Report-Only: nothing is enforced"},
	resCspDuplicateDirectives:        {0, "CSP is otherwise fine, but repeats report-uri or report-to"},

	resCookiesSameSite:                 {5, "every cookie is Secure, session cookies are HttpOnly, and all have SameSite"},
	resCookiesSecureHTTPOnly:           {0, "every cookie is Secure and session cookies are HttpOnly, but some lack SameSite"},
	resCookiesNotFound:                 {0, "no cookies"},
	resCookiesNoSecureHSTS:             {-5, "a cookie lacks Secure (HSTS keeps it off plain HTTP)"},
	resCookiesSessionNoSecureHSTS:      {-10, "a session cookie lacks Secure (HSTS keeps it off plain HTTP)"},
	resCookiesNoSecure:                 {-20, "a cookie lacks Secure and can travel over plain HTTP"},
	resCookiesSameSiteInvalid:          {-20, "a cookie's SameSite is not Strict, Lax or None, or is None without Secure"},
	resCookiesAntiCSRFWithoutSameSite:  {-20, "an anti-CSRF cookie lacks SameSite"},
	resCookiesSessionWithoutHTTPOnly:   {-30, "a session cookie lacks HttpOnly and is readable by scripts"},
	resCookiesSessionWithoutSecureFlag: {-40, "a session cookie lacks Secure and can travel over plain HTTP"},

	resCorsNotImplemented: {0, "no cross-origin access granted"},
	resCorsPublic:         {0, "public cross-origin access (Access-Control-Allow-Origin: *), without credentials"},
	resCorsRestricted:     {0, "cross-origin access restricted to named origins"},
	resCorsUniversal:      {-50, "any origin may read responses with the visitor's credentials"},

	resRedirAllPreloaded:   {0, "every host on the way is on the HSTS preload list"},
	resRedirToHTTPS:        {0, "http:// redirects to https:// on the same host"},
	resRedirNotNeeded:      {0, "no http:// to redirect"},
	resRedirOffHost:        {-5, "http:// redirects to https:// on another host, so HSTS is never set for this one"},
	resRedirNotToHTTPSInit: {-10, "http:// first redirects to another http:// URL"},
	resRedirNotToHTTPS:     {-20, "http:// redirects, but not to https://"},
	resRedirMissing:        {-20, "http:// serves the page instead of redirecting to https://"},
	resRedirInvalidCert:    {-20, "the redirect leads to a certificate that does not verify"},

	resReferrerPrivate:        {5, "Referrer-Policy keeps full URLs from other sites"},
	resReferrerNotImplemented: {0, "no Referrer-Policy (browsers default to strict-origin-when-cross-origin)"},
	resReferrerUnsafe:         {-5, "Referrer-Policy sends full URLs to other sites or over plain HTTP"},
	resReferrerInvalid:        {-5, "Referrer-Policy has no value browsers know"},

	resHstsPreloaded:      {5, "the host is on the HSTS preload list"},
	resHstsSixMonths:      {0, "HSTS with a max-age of at least six months"},
	resHstsShort:          {-10, "HSTS with a max-age shorter than six months (15552000 seconds)"},
	resHstsNotImplemented: {-20, "no Strict-Transport-Security"},
	resHstsInvalid:        {-20, "Strict-Transport-Security could not be read (no max-age, or sent twice)"},
	resHstsNoHTTPS:        {-20, "no HTTPS, so no HSTS"},
	resHstsInvalidCert:    {-20, "the certificate does not verify, so HSTS does not apply"},

	resSriAllSecure:          {5, "scripts carry integrity hashes and load from this site over HTTPS"},
	resSriExternalSecure:     {5, "scripts from other sites carry integrity hashes and load over HTTPS"},
	resSriNotHTML:            {0, "the page is not HTML"},
	resSriNoScripts:          {0, "the page loads no scripts"},
	resSriSameOrigin:         {0, "scripts load from this site only, without integrity hashes"},
	resSriNoSRIExternalHTTPS: {-5, "scripts from other sites load over HTTPS but without integrity hashes"},
	resSriSRIExternalHTTP:    {-20, "scripts from other sites have integrity hashes but load over HTTP or a protocol-relative URL"},
	resSriNoSRIExternalHTTP:  {-50, "scripts from other sites load over HTTP or a protocol-relative URL, without integrity hashes"},
	resHtmlNotParseable:      {-20, "the page could not be parsed as HTML"},

	resXctoNosniff:        {0, "X-Content-Type-Options: nosniff"},
	resXctoNotImplemented: {-5, "no X-Content-Type-Options"},
	resXctoInvalid:        {-5, "X-Content-Type-Options is not nosniff"},

	resXfoViaCSP:         {5, "framing is controlled by CSP frame-ancestors"},
	resXfoSameOrigin:     {0, "X-Frame-Options DENY or SAMEORIGIN"},
	resXfoAllowFrom:      {0, "X-Frame-Options ALLOW-FROM, which current browsers ignore"},
	resXfoNotImplemented: {-20, "nothing stops other sites from framing the page"},
	resXfoInvalid:        {-20, "X-Frame-Options has no value browsers know"},

	resCorpSameOrigin:     {10, "Cross-Origin-Resource-Policy: same-origin"},
	resCorpSameSite:       {10, "Cross-Origin-Resource-Policy: same-site"},
	resCorpCrossOrigin:    {0, "Cross-Origin-Resource-Policy: cross-origin (anyone may embed)"},
	resCorpNotImplemented: {0, "no Cross-Origin-Resource-Policy (browsers default to cross-origin)"},
	resCorpInvalid:        {-5, "Cross-Origin-Resource-Policy has no value browsers know"},
}

var obsScoreTableV6 = map[string]obsScoreEntry{
	resXfoSameOrigin: {5, "X-Frame-Options DENY or SAMEORIGIN"},

	resCoopSameOrigin:     {10, "Cross-Origin-Opener-Policy: same-origin"},
	resCoopAllowPopups:    {10, "Cross-Origin-Opener-Policy: same-origin-allow-popups"},
	resCoopNoopenerPopups: {10, "Cross-Origin-Opener-Policy: noopener-allow-popups"},
	resCoopUnsafeNone:     {0, "Cross-Origin-Opener-Policy: unsafe-none (the default)"},
	resCoopNotImplemented: {0, "no Cross-Origin-Opener-Policy"},
	resCoopInvalid:        {-5, "Cross-Origin-Opener-Policy is not one token browsers know, or is sent twice"},
	resCoepRequireCorp:    {10, "Cross-Origin-Embedder-Policy: require-corp"},
	resCoepCredentialless: {10, "Cross-Origin-Embedder-Policy: credentialless"},
	resCoepUnsafeNone:     {0, "Cross-Origin-Embedder-Policy: unsafe-none (the default)"},
	resCoepNotImplemented: {0, "no Cross-Origin-Embedder-Policy"},
	resCoepInvalid:        {-5, "Cross-Origin-Embedder-Policy is not one token browsers know, or is sent twice"},
}

func (p Profile) entry(result string) obsScoreEntry {
	if p == ObservatoryV6 {
		if e, ok := obsScoreTableV6[result]; ok {
			return e
		}
	}
	return obsScoreTable[result]
}

// obsGradeFor maps a score to the Observatory's letter: the score rounded
// down to a multiple of five, 100 and over being A+.
func obsGradeFor(score int) string {
	switch k := min(score-score%5, 100); {
	case k >= 100:
		return "A+"
	case k >= 90:
		return "A"
	case k >= 85:
		return "A-"
	case k >= 80:
		return "B+"
	case k >= 70:
		return "B"
	case k >= 65:
		return "B-"
	case k >= 60:
		return "C+"
	case k >= 50:
		return "C"
	case k >= 45:
		return "C-"
	case k >= 40:
		return "D+"
	case k >= 30:
		return "D"
	case k >= 25:
		return "D-"
	}
	return "F"
}

// Grade grades the input with the MDN HTTP Observatory's algorithm under
// the given profile ("" or an unknown name means [DefaultProfile]). It
// never fails: missing input grades as missing headers.
//
// Under [ObservatoryV4] the results are those of the npm release 1.4.8 run
// offline on the same input (see ../shared/oracles): the same test and
// result names, modifiers, score and grade.
func Grade(in GradeInput, profile Profile) *Report {
	if profile != ObservatoryV4 && profile != ObservatoryV6 {
		profile = DefaultProfile
	}
	g := obsNewGradeContext(in, profile)
	csp := g.cspTest()
	hsts := g.hstsTest()
	results := []TestResult{
		g.result(TestCSP, csp.result, csp.pass, g.cspFix(csp)),
		g.cookiesTest(hsts.Pass),
		g.corsTest(),
		g.redirectionTest(),
		g.referrerTest(),
		hsts,
		g.sriTest(),
		g.xctoTest(),
		g.xfoTest(csp),
		g.corpTest(),
	}
	if profile == ObservatoryV6 {
		results = append(results, g.coopTest(), g.coepTest())
	}
	r := &Report{
		Profile:              profile,
		AlgorithmVersion:     profile.AlgorithmVersion(),
		UncurvedScore:        100,
		ScoreWithExtraCredit: 100,
		TestsQuantity:        len(results),
		Tests:                results,
	}
	for _, t := range results {
		if t.Pass {
			r.TestsPassed++
		}
		r.ScoreWithExtraCredit += t.Modifier
		if t.Modifier < 0 {
			r.UncurvedScore += t.Modifier
		}
	}
	r.Score = r.UncurvedScore
	if r.UncurvedScore >= obsMinScoreForExtraCred {
		r.Score = r.ScoreWithExtraCredit
	}
	r.Score = max(r.Score, 0)
	r.Grade = obsGradeFor(r.Score)
	return r
}

// result assembles a TestResult from the test's verdict.
func (g *obsGradeContext) result(name, result string, pass bool, fix string) TestResult {
	e := g.profile.entry(result)
	return TestResult{Name: name, Result: result, Modifier: e.modifier, Pass: pass, Description: e.description, Fix: fix}
}

// String renders the report for people: score, grade, one line per test,
// then the fixes.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "grade %s, score %d (%s; %d of %d tests passed)\n\n", r.Grade, r.Score, r.Profile, r.TestsPassed, r.TestsQuantity)
	fmt.Fprintf(&b, "%-4s %5s  %-30s %s\n", "", "score", "test", "result")
	for _, t := range r.Tests {
		verdict := "pass"
		if !t.Pass {
			verdict = "FAIL"
		}
		fmt.Fprintf(&b, "%-4s %+5d  %-30s %s\n", verdict, t.Modifier, t.Name, t.Result)
	}
	fixes := false
	for _, t := range r.Tests {
		if t.Fix == "" {
			continue
		}
		if !fixes {
			b.WriteString("\nfixes:\n")
			fixes = true
		}
		fmt.Fprintf(&b, "  %s (%s):\n", t.Name, t.Description)
		for _, line := range strings.Split(t.Fix, "\n") {
			fmt.Fprintf(&b, "    %s\n", line)
		}
	}
	return b.String()
}
