package headers

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// renderFormats are the formats of the render_*.go files.
var renderFormats = []string{
	"apache", "caddy", "cloudfront-function", "cloudfront-policy-json", "cloudfront-policy-yaml",
	"go-middleware", "headers-file", "lambda-edge", "nginx", "vercel",
}

func fields(kv ...string) Set {
	var s Set
	for i := 0; i+1 < len(kv); i += 2 {
		s.Add(kv[i], kv[i+1])
	}
	return s
}

// strictSite is a realistic strict set for a static site, built by hand:
// HSTS, a CSP with quotes and semicolons, a Permissions-Policy with
// parentheses and quotes, and Cache-Control by kind of file. The
// "/assets/" rule comes before "*.css" so that /assets/app.css takes its
// X-Robots-Tag but the Cache-Control of "*.css".
func strictSite() *Site {
	s := &Site{Headers: fields(
		"Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload",
		"Content-Security-Policy", "default-src 'none'; script-src 'self' 'sha256-Vt1k4w5u6mRLMQk0aVi7NrsNa6WQ3ut3KzgFr9uM9Xk='; style-src 'self'; img-src 'self' data:; font-src https://fonts.gstatic.com; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests",
		"Permissions-Policy", `camera=(), microphone=(), geolocation=(self "https://maps.example.com"), payment=()`,
		"Referrer-Policy", "strict-origin-when-cross-origin",
		"X-Content-Type-Options", "nosniff",
		"X-Frame-Options", "DENY",
		"Cross-Origin-Opener-Policy", "same-origin",
		"Cross-Origin-Resource-Policy", "same-origin",
		"Cache-Control", "no-cache",
	)}
	s.Paths = []PathRule{
		{Pattern: "/assets/", Headers: fields("Cache-Control", "public, max-age=86400", "X-Robots-Tag", "noindex")},
		{Pattern: "*.css", Headers: fields("Cache-Control", "public, max-age=31536000, immutable")},
		{Pattern: "*.js", Headers: fields("Cache-Control", "public, max-age=31536000, immutable")},
		{Pattern: "*.html", Headers: fields("Cache-Control", "public, max-age=300, must-revalidate")},
		{Pattern: "/robots.txt", Headers: fields("Cache-Control", "public, max-age=3600")},
	}
	return s
}

// escapeValues are values holding what each format has to escape: "$"
// (nginx, Apache's "${...}"), quotes, backslashes (at the end too), braces
// (Caddy's placeholders, "{$ENV}"), "%" (mod_headers formats), backticks,
// "#" and ";".
var escapeValues = []Field{
	{"X-Test-Dollar", "cost $5, ${HOME} $uri $ {$HOME} $1"},
	{"X-Test-Quotes", `say "hi" and 'bye' "`},
	{"X-Test-Backslash", `C:\temp\new \" \\ \t \n end\`},
	{"X-Test-Braces", "{host} {http.request.uri} }{ {} {{x}}"},
	{"X-Test-Percent", "100% %{HTTP_HOST}e %t %% %D %"},
	{"X-Test-Misc", "a;b # not a comment <>&=`tick` :name ; ~^|"},
}

// escapeSite is the strict site with the escape values, at the site level
// and in a rule.
func escapeSite() *Site {
	s := strictSite()
	s.Headers.Fields = append(s.Headers.Fields, escapeValues...)
	s.Paths = append(s.Paths, PathRule{Pattern: "*.svg", Headers: fields("X-Test-Rule", `rule "$x" {y} \z 50%`)})
	return s
}

// multiSite has a header sent twice, as Link or a second policy would be.
func multiSite() *Site {
	s := &Site{Headers: fields("X-Frame-Options", "DENY", "Link", "</a.css>; rel=preload", "Link", "</b.js>; rel=preload", "Cache-Control", "no-cache")}
	s.Paths = []PathRule{{Pattern: "*.css", Headers: fields("Cache-Control", "max-age=60")}}
	return s
}

// serverSites are the sites each host serves in the tests: the strict
// set, the one with values to escape, and one with a repeated header.
func serverSites() map[string]*Site {
	return map[string]*Site{"strict": strictSite(), "escape": escapeSite(), "multi": multiSite()}
}

// testPaths are paths to compare hosts' headers with Site.For on.
var testPaths = []string{
	"/", "/index.html", "/about/", "/about/index.html", "/assets/app.css", "/assets/app.js",
	"/assets/logo.svg", "/assets/sub/deep.css", "/other.css", "/robots.txt", "/robots.txt/x",
	"/missing.html", "/assets/", "/x.css.map", "/ASSETS/app.css",
}

// wantByName returns Site.For(path) as lower-cased names to values joined
// with ", " (RFC 9110, Section 5.3), the form to compare hosts by.
func wantByName(s *Site, path string) map[string]string {
	set := s.For(path)
	out := map[string]string{}
	for _, g := range headerGroups(set) {
		out[strings.ToLower(g.Name)] = strings.Join(g.Values, ", ")
	}
	return out
}

// pick keeps the names the site mentions.
func pick(s *Site, got map[string]string) map[string]string {
	names := lowerNames(s)
	out := map[string]string{}
	for k, v := range got {
		if names[strings.ToLower(k)] {
			out[strings.ToLower(k)] = v
		}
	}
	return out
}

func TestRenderersRegistered(t *testing.T) {
	var names []string
	for _, r := range Formats() {
		names = append(names, r.Name)
		assert.NotEmpty(t, r.Short, r.Name)
	}
	for _, f := range renderFormats {
		assert.Contains(t, names, f)
	}
}

// TestRuleCases checks, over many paths, that the first case whose
// regular expression matches gives Site.For: what the one-block-wins
// formats rely on.
func TestRuleCases(t *testing.T) {
	sites := map[string]*Site{"strict": strictSite(), "escape": escapeSite(), "multi": multiSite()}
	sites["overlap"] = &Site{Headers: fields("A", "0"), Paths: []PathRule{
		{Pattern: "/a/", Headers: fields("A", "1")},
		{Pattern: "/a/b/", Headers: fields("B", "2")},
		{Pattern: "*a/b.css", Headers: fields("A", "3")},
		{Pattern: "*.css", Headers: fields("C", "4")},
		{Pattern: "/a/b.css", Headers: fields("D", "5")},
		{Pattern: "/a/", Headers: fields("E", "6")},
		{Pattern: "/empty/"},
	}}
	paths := append(slices.Clone(testPaths), "/a/", "/a/b.css", "/a/x.css", "/a/b/", "/a/b/c.css", "/a/b/b.css", "/xa/b.css", "/b.css")
	for name, s := range sites {
		rules := activeRules(s)
		cases, err := ruleCases("test", s, rules)
		require.NoError(t, err, name)
		for _, p := range paths {
			got := s.Headers
			for _, c := range cases {
				if c.Exact != "" && p == c.Exact || c.Exact == "" && regexp.MustCompile(caseRegexp(c)).MatchString(p) {
					got = c.Headers
					break
				}
			}
			want := s.For(p)
			assert.Equal(t, want.String(), got.String(), "%s %s", name, p)
		}
	}
	// Sets no path can match are left out.
	s := &Site{Paths: []PathRule{{Pattern: "/a/", Headers: fields("A", "1")}, {Pattern: "/b/", Headers: fields("B", "1")}}}
	cases, err := ruleCases("test", s, activeRules(s))
	require.NoError(t, err)
	assert.Len(t, cases, 2)
}

// TestRuleCasesFew: a static site's cache rules (images and fonts by
// suffix, then the hashed assets' directory, which wins) need one block
// per rule, not one per pair: nginx locations and CloudFront cache
// behaviors (25 per distribution by default) stay few.
func TestRuleCasesFew(t *testing.T) {
	s := &Site{Headers: fields("Cache-Control", "public, max-age=0, must-revalidate")}
	for _, suffix := range []string{"*.png", "*.jpg", "*.jpeg", "*.gif", "*.webp", "*.avif", "*.svg", "*.ico", "*.woff2"} {
		s.Paths = append(s.Paths, PathRule{Pattern: suffix, Headers: fields("Cache-Control", "public, max-age=86400")})
	}
	s.Paths = append(s.Paths,
		PathRule{Pattern: "/assets/", Headers: fields("Cache-Control", "public, max-age=31536000, immutable")},
		PathRule{Pattern: "/static/", Headers: fields("Cache-Control", "public, max-age=31536000, immutable")})
	cases, err := ruleCases("test", s, activeRules(s))
	require.NoError(t, err)
	assert.Len(t, cases, 11)
	for _, p := range []string{"/assets/a.png", "/static/b.woff2", "/x.svg", "/index.html"} {
		got := s.Headers
		for _, c := range cases {
			if regexp.MustCompile(caseRegexp(c)).MatchString(p) {
				got = c.Headers
				break
			}
		}
		want := s.For(p)
		assert.Equal(t, want.String(), got.String(), p)
	}
}

func TestCaseRegexpOverlap(t *testing.T) {
	re := regexp.MustCompile(caseRegexp(ruleCase{Prefix: "/a/", Suffix: "a/b.css"}))
	assert.True(t, re.MatchString("/a/b.css"))
	assert.True(t, re.MatchString("/a/xa/b.css"))
	assert.False(t, re.MatchString("/b/a/b.css"))
	assert.False(t, re.MatchString("/a/b.cs"))
}

func TestRenderRejects(t *testing.T) {
	bad := map[string]*Site{
		"nil":            nil,
		"empty value":    {Headers: fields("X-A", "")},
		"blank value":    {Headers: fields("X-A", "  ")},
		"padded value":   {Headers: fields("X-A", " a")},
		"control":        {Headers: fields("X-A", "a\nb")},
		"bad name":       {Headers: fields("X A", "b")},
		"rule bad name":  {Paths: []PathRule{{Pattern: "*.css", Headers: fields("X:A", "b")}}},
		"pattern glob":   {Paths: []PathRule{{Pattern: "/a/*.css", Headers: fields("X-A", "b")}}},
		"pattern space":  {Paths: []PathRule{{Pattern: "/a b/", Headers: fields("X-A", "b")}}},
		"pattern quote":  {Paths: []PathRule{{Pattern: `*.css"`, Headers: fields("X-A", "b")}}},
		"pattern no /":   {Paths: []PathRule{{Pattern: "assets/", Headers: fields("X-A", "b")}}},
		"pattern dollar": {Paths: []PathRule{{Pattern: "/$x", Headers: fields("X-A", "b")}}},
	}
	for name, s := range bad {
		for _, f := range renderFormats {
			_, err := Render(f, s)
			assert.ErrorIs(t, err, ErrRender, "%s %s", name, f)
		}
	}
	var many []PathRule
	for i := range maxCombinedRules + 1 {
		many = append(many, PathRule{Pattern: "/" + strings.Repeat("a", i+1) + "/", Headers: fields("X-A", "b")})
	}
	for _, f := range []string{"nginx", "cloudfront-policy-json"} {
		_, err := Render(f, &Site{Paths: many})
		assert.ErrorContains(t, err, "can be combined", f)
	}
}

// TestRenderEmpty: a site with no headers renders in every format.
func TestRenderEmpty(t *testing.T) {
	for _, f := range renderFormats {
		out, err := Render(f, &Site{})
		require.NoError(t, err, f)
		assert.NotEmpty(t, out, f)
	}
}

func TestRenderErrorsAreErrRender(t *testing.T) {
	_, err := Render("nginx", &Site{Headers: fields("X-A", "")})
	assert.True(t, errors.Is(err, ErrRender))
	assert.ErrorContains(t, err, "as nginx: site headers: the value of X-A is empty")
}
