package headers

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustSet(t testing.TB, text string) *Set {
	t.Helper()
	s, err := ParseSet(text)
	require.NoError(t, err)
	return s
}

const helmetSet = `Content-Security-Policy: default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests
Cross-Origin-Opener-Policy: same-origin
Cross-Origin-Resource-Policy: same-origin
Origin-Agent-Cluster: ?1
Referrer-Policy: no-referrer
Strict-Transport-Security: max-age=31536000; includeSubDomains
X-Content-Type-Options: nosniff
X-DNS-Prefetch-Control: off
X-Download-Options: noopen
X-Frame-Options: SAMEORIGIN
X-Permitted-Cross-Domain-Policies: none
X-XSS-Protection: 0
`

const cloudFrontManagedSet = `Strict-Transport-Security: max-age=31536000
Referrer-Policy: strict-origin-when-cross-origin
X-Content-Type-Options: nosniff
X-Frame-Options: SAMEORIGIN
X-XSS-Protection: 1; mode=block
`

// TestGradeGolden: the grades the spec records for helmet's defaults and
// CloudFront's managed SecurityHeadersPolicy on both engines.
func TestGradeGolden(t *testing.T) {
	for _, tc := range []struct {
		set     string
		profile Profile
		score   int
		grade   string
		tests   int
	}{
		{helmetSet, ObservatoryV4, 120, "A+", 10},
		{helmetSet, ObservatoryV6, 130, "A+", 12},
		{helmetSet, "", 130, "A+", 12},
		{cloudFrontManagedSet, ObservatoryV4, 75, "B", 10},
		{cloudFrontManagedSet, ObservatoryV6, 75, "B", 12},
	} {
		r := Grade(GradeInput{Headers: mustSet(t, tc.set)}, tc.profile)
		assert.Equal(t, tc.score, r.Score, "%s", tc.profile)
		assert.Equal(t, tc.grade, r.Grade, "%s", tc.profile)
		assert.Len(t, r.Tests, tc.tests)
		assert.Equal(t, tc.tests, r.TestsQuantity)
	}
	r := Grade(GradeInput{Headers: mustSet(t, helmetSet)}, ObservatoryV6)
	assert.Equal(t, ObservatoryV6, r.Profile)
	assert.Equal(t, 6, r.AlgorithmVersion)
	assert.Equal(t, resCspUnsafeInlineStyleOnly, r.Test(TestCSP).Result)
	assert.Equal(t, resCoopSameOrigin, r.Test(TestCOOP).Result)
	assert.Equal(t, 10, r.Test(TestCOOP).Modifier)
	assert.Equal(t, resCoepNotImplemented, r.Test(TestCOEP).Result)
	assert.Nil(t, r.Test("nope"))
}

func TestGradePreloaded(t *testing.T) {
	set := mustSet(t, "Strict-Transport-Security: max-age=1")
	r := Grade(GradeInput{Headers: set, Preloaded: true}, ObservatoryV4)
	assert.Equal(t, resHstsPreloaded, r.Test(TestHSTS).Result)
	assert.Equal(t, 5, r.Test(TestHSTS).Modifier)
	assert.Equal(t, resRedirAllPreloaded, r.Test(TestRedirection).Result)
	r = Grade(GradeInput{Headers: set, Preloaded: true, NoHTTPS: true}, ObservatoryV4)
	assert.Equal(t, resHstsNoHTTPS, r.Test(TestHSTS).Result)
	assert.Equal(t, resRedirAllPreloaded, r.Test(TestRedirection).Result)
	assert.Empty(t, r.Test(TestRedirection).Fix)
	assert.Contains(t, r.Test(TestHSTS).Fix, "HTTPS")
}

func TestGradeNoInput(t *testing.T) {
	for _, p := range []Profile{ObservatoryV4, ObservatoryV6, "bogus"} {
		r := Grade(GradeInput{}, p)
		assert.Equal(t, 30, r.Score)
		assert.Equal(t, "D", r.Grade)
		for _, tr := range r.Tests {
			assert.NotEmpty(t, tr.Result)
			assert.NotEmpty(t, tr.Description, tr.Result)
		}
	}
}

// TestGradeV6 covers what upstream changed after 1.4.8.
func TestGradeV6(t *testing.T) {
	grade := func(set string, p Profile) *Report {
		return Grade(GradeInput{Headers: mustSet(t, set)}, p)
	}
	// X-Frame-Options DENY/SAMEORIGIN is +5 (algorithm version 5).
	r4, r6 := grade("X-Frame-Options: DENY", ObservatoryV4), grade("X-Frame-Options: DENY", ObservatoryV6)
	assert.Equal(t, 0, r4.Test(TestXFO).Modifier)
	assert.Equal(t, 5, r6.Test(TestXFO).Modifier)
	assert.NotEmpty(t, r4.Test(TestXFO).Fix)
	assert.Empty(t, r6.Test(TestXFO).Fix)

	// Two CSP headers are two policies on v6, one odd policy on v4.
	two := "Content-Security-Policy: default-src 'none'\nContent-Security-Policy: default-src 'self'\n"
	assert.Equal(t, resCspNoUnsafe, grade(two, ObservatoryV4).Test(TestCSP).Result)
	assert.Equal(t, resCspDefaultNone, grade(two, ObservatoryV6).Test(TestCSP).Result)
	dup := "Content-Security-Policy: script-src 'self'; object-src 'none', script-src 'self'; object-src 'none'\n"
	assert.Equal(t, resCspHeaderInvalid, grade(dup, ObservatoryV4).Test(TestCSP).Result)
	assert.NotEqual(t, resCspHeaderInvalid, grade(dup, ObservatoryV6).Test(TestCSP).Result)

	// COOP and COEP are one RFC 8941 token, compared as is.
	for value, want := range map[string]string{
		"same-origin":                          resCoopSameOrigin,
		"same-origin-allow-popups":             resCoopAllowPopups,
		"noopener-allow-popups":                resCoopNoopenerPopups,
		"unsafe-none":                          resCoopUnsafeNone,
		`same-origin; report-to="coop"`:        resCoopSameOrigin,
		"same-origin; report-to":               resCoopSameOrigin,
		"same-origin;report-to=ep;x=?1;y=1.5":  resCoopSameOrigin,
		"whimsy":                               resCoopInvalid,
		`"same-origin"`:                        resCoopInvalid,
		"Same-Origin":                          resCoopInvalid,
		"SAME-ORIGIN":                          resCoopInvalid,
		"same-origin; report-to=coop endpoint": resCoopInvalid,
		"same-origin; Report-To=x":             resCoopInvalid,
		"same-origin, unsafe-none":             resCoopInvalid,
	} {
		r := grade("Cross-Origin-Opener-Policy: "+value, ObservatoryV6)
		assert.Equal(t, want, r.Test(TestCOOP).Result, value)
		assert.Equal(t, want != resCoopInvalid, r.Test(TestCOOP).Pass, value)
	}
	twice := grade("Cross-Origin-Embedder-Policy: require-corp\nCross-Origin-Embedder-Policy: require-corp", ObservatoryV6)
	assert.Equal(t, resCoepInvalid, twice.Test(TestCOEP).Result)
	assert.Equal(t, -5, twice.Test(TestCOEP).Modifier)
	for value, want := range map[string]string{
		"require-corp": resCoepRequireCorp, "credentialless": resCoepCredentialless, "unsafe-none": resCoepUnsafeNone, "corp": resCoepInvalid,
	} {
		assert.Equal(t, want, grade("Cross-Origin-Embedder-Policy: "+value, ObservatoryV6).Test(TestCOEP).Result, value)
	}
	assert.Nil(t, grade("Cross-Origin-Embedder-Policy: require-corp", ObservatoryV4).Test(TestCOEP))
}

func TestParseProfile(t *testing.T) {
	for in, want := range map[string]Profile{"": ObservatoryV6, "observatory-v4": ObservatoryV4, "observatory-v6": ObservatoryV6} {
		p, err := ParseProfile(in)
		require.NoError(t, err)
		assert.Equal(t, want, p)
	}
	_, err := ParseProfile("observatory-v5")
	assert.Error(t, err)
	assert.Equal(t, 4, ObservatoryV4.AlgorithmVersion())
}

func TestGradeFor(t *testing.T) {
	for score, want := range map[int]string{0: "F", 24: "F", 25: "D-", 30: "D", 39: "D", 40: "D+", 45: "C-", 50: "C", 59: "C", 60: "C+", 65: "B-", 70: "B", 79: "B", 80: "B+", 85: "A-", 90: "A", 99: "A", 100: "A+", 165: "A+"} {
		assert.Equal(t, want, obsGradeFor(score), "%d", score)
	}
}

func TestReportJSON(t *testing.T) {
	r := Grade(GradeInput{Headers: mustSet(t, cloudFrontManagedSet)}, ObservatoryV4)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"profile", "score", "grade", "tests"} {
		assert.Contains(t, m, k)
	}
	test := m["tests"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "result", "modifier", "pass", "fix"} {
		assert.Contains(t, test, k)
	}
	assert.Equal(t, "content-security-policy", test["name"])
	assert.Equal(t, "csp-not-implemented", test["result"])
	assert.Contains(t, test["fix"], "Content-Security-Policy: default-src 'none'")
	text := r.String()
	assert.Contains(t, text, "grade B, score 75")
	assert.Contains(t, text, "FAIL   -25  content-security-policy")
	assert.Contains(t, text, "fixes:")
}

// applyHeaderFixes applies every "Name: value" fix of the report to the
// set: the named header replaced, each cookie rewritten.
func applyHeaderFixes(s *Set, r *Report) *Set {
	out := &Set{Fields: slices.Clone(s.Fields)}
	for _, tr := range r.Tests {
		if tr.Name == TestCookies && tr.Fix != "" {
			for i, f := range out.Fields {
				if strings.EqualFold(f.Name, "Set-Cookie") {
					out.Fields[i].Value = obsFixCookie(f.Value)
				}
			}
			continue
		}
		for _, line := range strings.Split(tr.Fix, "\n") {
			name, value, ok := strings.Cut(line, ": ")
			if !ok || checkField(name, value) != nil || strings.Contains(name, " ") {
				continue
			}
			out.Set(name, value)
		}
	}
	return out
}

// TestGradeFixes applies the fixes of every corpus set and grades again:
// each test whose fix is a header reaches the best result it can give.
func TestGradeFixes(t *testing.T) {
	headerTests := []string{TestCSP, TestCookies, TestReferrer, TestHSTS, TestXCTO, TestXFO, TestCORP, TestCOOP, TestCOEP, TestCORS}
	for _, c := range loadGradeCorpus(t) {
		for _, p := range []Profile{ObservatoryV4, ObservatoryV6} {
			before := Grade(c.in, p)
			in := c.in
			in.Headers = applyHeaderFixes(c.in.Headers, before)
			after := Grade(in, p)
			assert.GreaterOrEqual(t, after.Score, before.Score, "%s %s", c.name, p)
			for _, name := range headerTests {
				b, a := before.Test(name), after.Test(name)
				if b == nil {
					continue
				}
				assert.GreaterOrEqual(t, a.Modifier, b.Modifier, "%s %s %s: %s -> %s", c.name, p, name, b.Result, a.Result)
				switch {
				case b.Fix == "" || name == TestCORS:
				case name == TestHSTS:
					// Preloading takes more than a header.
					if !in.NoHTTPS {
						assert.True(t, a.Pass, "%s %s %s: %s -> %s", c.name, p, name, b.Result, a.Result)
					}
				case (name == TestCSP || name == TestXFO) && strings.Contains(strings.ToLower(c.in.HTML), "http-equiv"):
					// A <meta> policy stays in the page.
				default:
					assert.Empty(t, a.Fix, "%s %s %s: %s -> %s still wants %q", c.name, p, name, b.Result, a.Result, a.Fix)
				}
			}
		}
	}
}

func TestRepairCSP(t *testing.T) {
	for in, want := range map[string]string{
		"default-src 'self'": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; media-src 'self'; frame-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'self'",
		"script-src 'self' 'unsafe-inline' 'unsafe-eval' http://cdn.example.net; object-src *; img-src http:":          "default-src 'none'; script-src 'self' https://cdn.example.net; object-src 'none'; img-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'",
		"default-src 'none'; script-src 'nonce-abc' 'unsafe-inline' 'strict-dynamic'; style-src 'unsafe-inline' data:": "default-src 'none'; script-src 'nonce-abc' 'unsafe-inline' 'strict-dynamic'; style-src 'self'",
		"default-src 'none'; script-src 'self' 'strict-dynamic'; report-uri /a; report-uri /b":                         "default-src 'none'; script-src 'self'; report-uri /a",
	} {
		got := obsRepairCSP(in, true)
		assert.Equal(t, want, got, in)
		assert.Equal(t, resCspDefaultNone, obsCSPTest([]string{got}, nil, "", true).result, got)
	}
	assert.Equal(t, resCspDefaultNone, obsCSPTest([]string{obsStarterCSP}, nil, "", true).result)
}

func TestFixCookie(t *testing.T) {
	for in, want := range map[string]string{
		"a=1":                                     "a=1; Secure; SameSite=Lax",
		"sessionid=1; Path=/":                     "sessionid=1; Path=/; Secure; HttpOnly; SameSite=Lax",
		"a=1; SameSite=Bogus; Secure":             "a=1; Secure; SameSite=Lax",
		"a=1; samesite=none":                      "a=1; Secure; SameSite=None",
		"a=1; Secure; SameSite=Strict":            "a=1; Secure; SameSite=Strict",
		"LOGIN=x; secure; httponly; SameSite=lax": "LOGIN=x; secure; httponly; SameSite=lax",
	} {
		assert.Equal(t, want, obsFixCookie(in), in)
	}
}

func TestObservatoryCSPParser(t *testing.T) {
	p, err := obsParseCSP([]string{"Default-Src 'SELF' https://A.example/x https://a.example/; script-src; report-uri /a; report-uri /b"})
	require.NoError(t, err)
	assert.Equal(t, obsSrcSet{"'self'": true, "https://a.example/": true}, p["default-src"])
	assert.Equal(t, obsSrcSet{"'none'": true}, p["script-src"])
	assert.Equal(t, obsSrcSet{"report-uri": true}, p[obsDupKey])
	// A source of a later policy is kept only when the one sorted before
	// it, from another policy, matches it; a directive of the first policy
	// alone stays as it was, one of a later policy alone becomes 'none'.
	p, err = obsParseCSP([]string{"script-src 'self' https://a.example/js/; img-src *", "script-src https://a.example/js/app.js 'unsafe-inline'; font-src *"})
	require.NoError(t, err)
	assert.Equal(t, obsSrcSet{"https://a.example/js/app.js": true}, p["script-src"])
	assert.Equal(t, obsSrcSet{"*": true}, p["img-src"])
	assert.Equal(t, obsSrcSet{"'none'": true}, p["font-src"])
	for _, bad := range [][]string{{"a b"}, {""}, {"default-src 'self'; DEFAULT-SRC 'none'"}, {"script-src https://x/%zz/", "script-src https://x/a/"}} {
		_, err := obsParseCSP(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestJSHelpers(t *testing.T) {
	assert.Equal(t, "a b", obsJsTrim("\u00a0\ufeff a b\u2028\t"))
	assert.Equal(t, []string{"a", "b"}, obsJsFields(" a\u3000b "))
	assert.Equal(t, "i\u0307x", obsJsLower("\u0130X"))
	assert.Equal(t, "ab", obsJsSlice("ab\U0001F600", 3))
	assert.Equal(t, "ab\U0001F600", obsJsSlice("ab\U0001F600c", 4))
	for in, want := range map[string]float64{"42": 42, " -7x": -7, "+3": 3, "": math.NaN(), "abc": math.NaN(), "1e5": 1} {
		got := obsJsParseInt(in)
		if math.IsNaN(want) {
			assert.True(t, math.IsNaN(got), in)
		} else {
			assert.Equal(t, want, got, in)
		}
	}
	for in, want := range map[string]string{"a%2Fb": "a/b", "%E2%82%AC": "€", "plain": "plain"} {
		got, ok := obsJsDecodeURIComponent(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got)
	}
	for _, bad := range []string{"%", "%zz", "%E2%82", "%80", "%C0%AF", "%ED%A0%80"} {
		_, ok := obsJsDecodeURIComponent(bad)
		assert.False(t, ok, bad)
	}
	// Intl.Collator("en"): punctuation, then digits, then letters.
	list := []string{"b", "a", "'self'", "https:", "http:", "*", "1", "_x", "-y", "aa"}
	slices.SortStableFunc(list, obsJsCollate)
	assert.Equal(t, []string{"_x", "-y", "'self'", "*", "1", "a", "aa", "b", "http:", "https:"}, list)
}

func TestRegistrableDomain(t *testing.T) {
	for in, want := range map[string]string{
		"example.com": "example.com", "cdn.static.example.com": "example.com", "www.example.co.uk": "example.co.uk",
		"foo.blogspot.com": "blogspot.com", "co.uk": "", "127.0.0.1": "", "": "", "localhost": "",
	} {
		assert.Equal(t, want, obsRegistrableDomain(in), in)
	}
}

func TestParseWebURL(t *testing.T) {
	base, ok := obsParseWebURL("https://cdn.example.net/dir/", nil)
	require.True(t, ok)
	for _, tc := range []struct {
		in   string
		base *obsWebURL
		want string
		ok   bool
	}{
		{"HTTPS://CDN.Example.NET:443/a.js", nil, "https://cdn.example.net/a.js", true},
		{"http:\\\\x.example\\a.js", nil, "http://x.example/a.js", true},
		{"/a.js", nil, "", false},
		{"//x.example/a.js", nil, "", false},
		{"//x.example/a.js", base, "https://x.example/a.js", true},
		{"a.js", base, "https://cdn.example.net/a.js", true},
		{"https://", nil, "", false},
		{"data:text/javascript,1", nil, "data:text/javascript,1", true},
		{"https://u:p@h.example:8443/x", nil, "https://h.example:8443/x", true},
	} {
		u, ok := obsParseWebURL(tc.in, tc.base)
		assert.Equal(t, tc.ok, ok, tc.in)
		if ok {
			assert.Equal(t, tc.want, u.String(), tc.in)
		}
	}
}

func TestPresenceGrade(t *testing.T) {
	all := "Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'\nStrict-Transport-Security: max-age=31536000\nX-Frame-Options: DENY\nX-Content-Type-Options: nosniff\nReferrer-Policy: no-referrer\nPermissions-Policy: camera=()\n"
	for _, tc := range []struct {
		set   string
		grade string
		n     int
	}{
		{all, "A+", 6},
		{strings.Replace(all, "style-src", "script-src", 1), "A", 6},
		{strings.Replace(all, "'self' 'unsafe-inline'", "'nonce-abcdefgh' 'unsafe-inline'", 1) + "Content-Security-Policy: script-src 'self' 'unsafe-eval'\n", "A", 6},
		{strings.Replace(all, "Permissions-Policy: camera=()\n", "", 1), "B", 5},
		{"X-Frame-Options: DENY\nX-Content-Type-Options: nosniff\nStrict-Transport-Security: max-age=1\nReferrer-Policy: no-referrer\n", "B", 4},
		{"X-Frame-Options: DENY\nX-Content-Type-Options: nosniff\n", "C", 2},
		{"X-Content-Type-Options: nosniff\n", "D", 1},
		{"X-Content-Type-Options:\nServer: nginx\n", "F", 0},
	} {
		r := PresenceGrade(mustSet(t, tc.set))
		assert.Equal(t, tc.grade, r.Grade, tc.set)
		assert.Len(t, r.Present, tc.n, tc.set)
		assert.Len(t, r.Missing, 6-tc.n, tc.set)
	}
	r := PresenceGrade(mustSet(t, "Content-Security-Policy: frame-ancestors 'none'\nX-XSS-Protection: 1; mode=block\nServer: Apache/2.4.1\nX-Powered-By: PHP\nExpect-CT: max-age=0\nCross-Origin-Opener-Policy: same-origin\n"))
	assert.True(t, r.Notes.Has("headers.presence_frame_ancestors_only"))
	assert.True(t, r.Notes.Has("headers.presence_obsolete"))
	assert.True(t, r.Notes.Has("headers.presence_info_leak"))
	assert.True(t, r.Notes.Has("headers.presence_cross_origin"))
	assert.Equal(t, "D", r.Grade)
	assert.Equal(t, "F", PresenceGrade(nil).Grade)
}
