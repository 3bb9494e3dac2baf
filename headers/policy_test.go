package headers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFrameOptionsFor(t *testing.T) {
	for _, tc := range []struct {
		csp  string
		want FrameOptions
		ok   bool
	}{
		{"frame-ancestors 'none'", FrameDeny, true},
		{"frame-ancestors", FrameDeny, true},
		{"frame-ancestors 'self'", FrameSameOrigin, true},
		{"frame-ancestors 'self' https://a.example", "", false},
		{"default-src 'none'", "", false},
	} {
		got, ok := FrameOptionsFor(mustCSP(t, tc.csp))
		assert.Equal(t, tc.want, got, tc.csp)
		assert.Equal(t, tc.ok, ok, tc.csp)
	}
	_, ok := FrameOptionsFor(nil)
	assert.False(t, ok)
}

func TestSetCSP(t *testing.T) {
	s := &Set{}
	s.Add(HeaderXFO, "DENY")
	c := mustCSP(t, "default-src 'self'")
	SetCSP(s, c)
	assert.Equal(t, []string{"DENY"}, s.Values(HeaderXFO), "no frame-ancestors: X-Frame-Options stays")
	assert.Equal(t, []string{"default-src 'self'; frame-ancestors 'none'"}, s.Values(HeaderCSP), "and frame-ancestors follows it")
	assert.Equal(t, "default-src 'self'", c.String())
	SetCSP(s, mustCSP(t, "default-src 'self'; frame-ancestors 'self'"))
	assert.Equal(t, []string{"SAMEORIGIN"}, s.Values(HeaderXFO))
	SetCSP(s, mustCSP(t, "default-src 'self'; frame-ancestors https://a.example"))
	assert.Empty(t, s.Values(HeaderXFO))
	assert.Equal(t, []string{"default-src 'self'; frame-ancestors https://a.example"}, s.Values(HeaderCSP))
}

func TestConfigSite(t *testing.T) {
	h := NewHSTS(false)
	cfg := Config{
		CSP:               mustCSP(t, "default-src 'self'"),
		FrameOptions:      FrameDeny,
		ReportingEndpoint: "https://r.example/csp",
		ReportingGroup:    "csp",
		HSTS:              &h,
		NoSniff:           true,
		ReferrerPolicy:    StrictOriginWhenCrossOrigin,
		Permissions:       &PermissionsPolicy{Features: []Feature{{Name: "camera", Allow: []string{}}}},
		COOP:              COOPSameOrigin,
		COEP:              COEPCredentialless,
		CORP:              CORPSameSite,
		Extra:             []Field{{"X-XSS-Protection", "0"}},
		Paths:             CacheRules("static"),
	}
	s, err := cfg.Site()
	require.NoError(t, err)
	assert.Equal(t, `Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; report-uri https://r.example/csp; report-to csp
Reporting-Endpoints: csp="https://r.example/csp"
X-Frame-Options: DENY
Strict-Transport-Security: max-age=63072000; includeSubDomains
X-Content-Type-Options: nosniff
Referrer-Policy: strict-origin-when-cross-origin
Permissions-Policy: camera=()
Cross-Origin-Opener-Policy: same-origin
Cross-Origin-Embedder-Policy: credentialless
Cross-Origin-Resource-Policy: same-site
X-XSS-Protection: 0
`, s.Headers.String())
	assert.Equal(t, "default-src 'self'", cfg.CSP.String(), "the configuration is not changed")
	assert.Equal(t, CacheImmutable, first(s.For("/static/app.1234.js"), HeaderCacheControl))
	assert.Equal(t, CacheImmutable, first(s.For("/static/logo.png"), HeaderCacheControl), "a later rule wins")
	assert.LessOrEqual(t, len(CacheRules("/a/", "/b/")), 12)
	assert.Equal(t, CacheImages, first(s.For("/img/logo.png"), HeaderCacheControl))
	assert.Empty(t, first(s.For("/about/index.html"), HeaderCacheControl), "HTML takes the site's own Cache-Control")

	// Derived from frame-ancestors; report-only keeps X-Frame-Options.
	s, err = (&Config{CSP: mustCSP(t, "frame-ancestors 'self'"), CSPReportOnly: true}).Site()
	require.NoError(t, err)
	assert.Equal(t, "Content-Security-Policy-Report-Only: frame-ancestors 'self'\nX-Frame-Options: SAMEORIGIN\n", s.Headers.String())
	s, err = (&Config{FrameOptions: FrameSameOrigin}).Site()
	require.NoError(t, err)
	assert.Equal(t, "X-Frame-Options: SAMEORIGIN\n", s.Headers.String())

	for _, bad := range []Config{
		{CSP: mustCSP(t, "frame-ancestors 'self'"), FrameOptions: FrameDeny},
		{CSP: mustCSP(t, "frame-ancestors https://a.example"), FrameOptions: FrameDeny},
		{FrameOptions: "ALLOW-FROM https://a.example"},
		{ReferrerPolicy: "never"},
		{COOP: "same_origin"},
		{COEP: "require-corp, credentialless"},
		{CORP: "Same-Origin"},
		{Extra: []Field{{"X-XSS-Protection", "1; mode=block"}}},
		{Extra: []Field{{"Expect-CT", "max-age=0"}}},
		{Extra: []Field{{"feature-policy", "camera 'none'"}}},
		{Extra: []Field{{"Public-Key-Pins", "pin-sha256=\"x\""}}},
		{Extra: []Field{{"Bad Name", "x"}}},
	} {
		_, err := bad.Site()
		assert.ErrorIs(t, err, ErrConfig, "%+v", bad)
	}
}

func first(s Set, name string) string { v, _ := s.Get(name); return v }

func TestReferrerPolicy(t *testing.T) {
	assert.True(t, NoReferrer.Valid())
	assert.True(t, StrictOriginWhenCrossOrigin.Private())
	assert.True(t, UnsafeURL.Valid())
	assert.False(t, UnsafeURL.Private())
	assert.False(t, ReferrerPolicy("never").Valid())
}

func TestCacheRules(t *testing.T) {
	rules := CacheRules()
	site := &Site{Paths: rules}
	site.Headers.Add(HeaderCacheControl, CacheHTML)
	for path, want := range map[string]string{
		"/":                     CacheHTML,
		"/blog/":                CacheHTML,
		"/index.html":           CacheHTML,
		"/robots.txt":           CacheHTML,
		"/img/photo.webp":       CacheImages,
		"/favicon.ico":          CacheImages,
		"/assets/app.3f2a.js":   CacheImmutable,
		"/assets/hero.9c1d.png": CacheImmutable,
		"/fonts/inter.woff2":    CacheImages,
		"/css/site.css":         CacheHTML,
		"/js/app.js":            CacheHTML,
	} {
		assert.Equal(t, want, first(site.For(path), HeaderCacheControl), path)
	}
	assert.Equal(t, "/x/", CacheRules("x")[len(CacheRules("x"))-1].Pattern)
	for _, r := range rules {
		assert.Empty(t, validate(&r.Headers, false), r.Pattern)
	}
}
