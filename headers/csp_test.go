package headers

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCSP(t *testing.T) {
	good := func(in, want string) {
		t.Helper()
		c, err := ParseCSP(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, c.String(), in)
		again, err := ParseCSP(c.String())
		require.NoError(t, err)
		assert.Equal(t, c, again, "round trip of %q", in)
	}
	bad := func(in string) {
		t.Helper()
		_, err := ParseCSP(in)
		assert.ErrorIs(t, err, ErrCSP, in)
	}
	good("default-src 'self'", "default-src 'self'")
	good("  Default-Src   'SELF'  https://CDN.example.com ;; img-src data: ", "default-src 'self' https://CDN.example.com; img-src data:")
	good("script-src 'nonce-AbC' 'sha256-XyZ='", "script-src 'nonce-AbC' 'sha256-XyZ='") // case kept
	good("upgrade-insecure-requests;", "upgrade-insecure-requests")
	good("object-src; script-src HTTPS:", "object-src; script-src https:")
	good("a b; a c", "a b; a c") // repeated directives are kept for the linter
	good("script-src\t'self' \t'unsafe-inline'", "script-src 'self' 'unsafe-inline'")
	bad("")
	bad(" ; ;")
	bad("default-src 'self'\r\nX-Injected: 1")
	bad("default-src \x00")
	bad(strings.Repeat("a", maxCSP+1))
}

func TestParseCSPList(t *testing.T) {
	l, err := ParseCSPList("default-src 'self', script-src 'none' ,")
	require.NoError(t, err)
	require.Len(t, l, 2)
	assert.Equal(t, "script-src 'none'", l[1].String())
	_, err = ParseCSPList(" , ")
	assert.ErrorIs(t, err, ErrCSP)
}

func TestCSPEdit(t *testing.T) {
	c := &CSP{}
	c.Set("Default-Src", SourceNone)
	c.Add("script-src", SourceSelf)
	c.Add("script-src", SourceSelf, "https://cdn.example")
	c.Add("img-src", SourceNone)
	c.Add("img-src", SourceSelf) // replaces 'none'
	c.Add("img-src", SourceNone) // ignored next to a source
	assert.Equal(t, "default-src 'none'; script-src 'self' https://cdn.example; img-src 'self'", c.String())
	c.Directives = append(c.Directives, Directive{Name: "script-src", Values: []string{"x"}})
	c.Set("script-src", "'self'")
	assert.Equal(t, "default-src 'none'; script-src 'self'; img-src 'self'", c.String())
	d, ok := c.Effective("script-src-elem")
	assert.True(t, ok)
	assert.Equal(t, "script-src", d.Name)
	d, ok = c.Effective("font-src")
	assert.True(t, ok)
	assert.Equal(t, "default-src", d.Name)
	_, ok = c.Effective("base-uri")
	assert.False(t, ok)
	cl := c.Clone()
	cl.Del("img-src")
	assert.True(t, c.Has("img-src"))
	assert.False(t, cl.Has("img-src"))
}

func TestHashAndNonce(t *testing.T) {
	// The examples of CSP Level 3, Section 2.3.1 (hash of "alert('Hello, world.');").
	assert.Equal(t, "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='", HashSource(SHA256, []byte("alert('Hello, world.');")))
	assert.True(t, strings.HasPrefix(HashSource(SHA384, nil), "'sha384-"))
	assert.True(t, strings.HasPrefix(HashSource(SHA512, nil), "'sha512-"))
	assert.Equal(t, HashSource(SHA256, nil), HashSource("md5", nil))
	n := NewNonce()
	assert.Len(t, n, 24)
	assert.NotEqual(t, n, NewNonce())
	assert.True(t, isNonceSource(NonceSource(n)))
	assert.Empty(t, codes(mustCSP(t, "script-src "+NonceSource(n)+"; object-src 'none'; base-uri 'none'").Lint()))
}

func TestReporting(t *testing.T) {
	c := mustCSP(t, "default-src 'self'; report-uri /old")
	c.SetReporting("csp", "https://example.com/csp")
	assert.Equal(t, "default-src 'self'; report-uri https://example.com/csp; report-to csp", c.String())
	assert.Equal(t, `csp="https://example.com/csp"`, ReportingEndpoints("csp", "https://example.com/csp"))
	assert.Equal(t, `g="a\"b\\c"`, ReportingEndpoints("g", "a\"b\\c\x01"))
	c.SetReporting("", "")
	assert.Equal(t, "default-src 'self'", c.String())
}

func mustCSP(t *testing.T, s string) *CSP {
	t.Helper()
	c, err := ParseCSP(s)
	require.NoError(t, err)
	return c
}

// codes returns the sorted distinct codes, without "headers." and "csp_".
func codes(l Findings) []string {
	var out []string
	for _, f := range l {
		c := strings.TrimPrefix(f.Code, "headers.")
		out = append(out, strings.TrimPrefix(c, "csp_"))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestLintCSP(t *testing.T) {
	for _, tc := range []struct {
		csp  string
		want []string // codes without "headers."
	}{
		{"default-src 'none'; script-src 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='; base-uri 'none'", nil},
		{"default-src 'self'", []string{"allowlist_self"}},
		{"script-src 'self'", []string{"allowlist_self", "missing_object_src"}},
		{"img-src 'self'", []string{"missing_object_src", "missing_script_src"}},
		{"default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'", []string{"unsafe_eval", "unsafe_inline"}},
		{"default-src 'none'; script-src 'unsafe-inline' 'nonce-abcdefgh12'; base-uri 'none'", nil},
		{"default-src 'none'; script-src 'unsafe-inline' 'nonce-abcdefgh12'", []string{"missing_base_uri"}},
		{"default-src 'none'; script-src 'nonce-abc'; base-uri 'self'", []string{"nonce_length"}},
		{"default-src 'none'; script-src 'nonce-abc$defgh'; base-uri 'self'", []string{"invalid_keyword", "nonce_charset"}},
		{"default-src 'none'; script-src https: data:", []string{"plain_scheme"}},
		{"default-src 'none'; script-src *", []string{"wildcard"}},
		{"default-src 'none'; script-src https://*", []string{"wildcard"}},
		{"default-src 'none'; script-src self", []string{"unquoted_keyword"}},
		{"default-src 'none'; script-src sha256-abc", []string{"unquoted_keyword"}},
		{"default-src 'none'; script-src 'selfie'", []string{"invalid_keyword"}},
		{"default-src 'none' script-src 'self'", []string{"missing_semicolon", "none_with_sources"}},
		{"default-src: 'none'", []string{"directive_colon", "missing_object_src", "missing_script_src"}},
		{"default-src 'none'; scirpt-src 'self'", []string{"unknown_directive"}},
		{"default-src 'none'; referrer no-referrer; reflected-xss filter", []string{"deprecated_directive"}},
		{"default-src 'none'; block-all-mixed-content", []string{"deprecated_directive"}},
		{"default-src 'none'; script-src 'self'; script-src 'unsafe-inline'", []string{"allowlist_self", "duplicate_directive"}},
		{"default-src 'none'; report-uri /a; report-uri /b", []string{"duplicate_directive"}},
		{"default-src 'none'; script-src http://cdn.example.com", []string{"allowlist_host", "http_source"}},
		{"default-src 'none'; report-uri http://r.example.com/", []string{"http_source"}},
		{"default-src 'none'; img-src http:", []string{"insecure_scheme"}},
		{"default-src 'none'; script-src https://ajax.googleapis.com", []string{"allowlist_bypass"}},
		{"default-src 'none'; script-src *.googleapis.com", []string{"allowlist_bypass"}},
		{"default-src 'none'; script-src www.google-analytics.com", []string{"allowlist_host"}},
		{"default-src 'none'; script-src www.google-analytics.com 'unsafe-eval'", []string{"allowlist_bypass", "unsafe_eval"}},
		{"default-src 'none'; script-src cdn.example.com/js/", []string{"allowlist_host"}},
		{"default-src 'none'; object-src 'self'", []string{"object_allowlist"}},
		{"default-src 'none'; object-src vk.com", []string{"object_bypass"}},
		{"default-src 'none'; img-src 10.0.0.1 127.0.0.1 [::1]:80", []string{"ip_source"}},
		{"default-src 'none'; script-src 'strict-dynamic'", []string{"strict_dynamic_alone"}},
		{"default-src 'none'; script-src 'sha256-abc'", []string{"malformed_hash"}},
		{"default-src 'none'; img-src 'none' 'self'", []string{"none_with_sources"}},
		{"default-src 'none'; style-src 'unsafe-inline'", []string{"style_unsafe_inline"}},
		{"default-src 'none'; style-src 'unsafe-inline' 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='", nil},
		{"default-src 'none'; script-src 'unsafe-hashes' 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='", []string{"unsafe_hashes"}},
		{"default-src 'none'; img-src b\u00fccher.example", []string{"non_ascii"}},
		{"object-src; script-src 'none'", nil},
		{"default-src 'none'; require-trusted-types-for 'script'; trusted-types default 'allow-duplicates'", nil},
	} {
		got := codes(mustCSP(t, tc.csp).Lint())
		assert.Equal(t, tc.want, got, tc.csp)
	}
}

func TestLintCSPSeverity(t *testing.T) {
	_, l := CheckCSP("default-src 'none'; script-src self 'unsafe-inline'")
	require.NotEmpty(t, l)
	assert.True(t, l.HasErrors())
	for _, f := range l {
		assert.Equal(t, HeaderCSP, f.Header)
		assert.NotEmpty(t, f.Fix, f.Code)
		assert.NotEmpty(t, f.Where, f.Code)
	}
	_, l = CheckCSP(" ; ")
	assert.Equal(t, []string{"invalid"}, codes(l))
	assert.Equal(t, []string{"invalid"}, codes((&CSP{}).Lint()))
}

func TestLintCSPLength(t *testing.T) {
	c := mustCSP(t, "default-src 'none'; base-uri 'none'")
	for i := range 35 {
		c.Add("script-src", HashSource(SHA256, []byte{byte(i)}))
	}
	assert.Contains(t, codes(c.Lint()), "too_long_cloudfront")
	assert.NotContains(t, codes(c.Lint()), "too_long_headers_file")
	for i := range 10 {
		c.Add("style-src", HashSource(SHA256, []byte{byte(i)}))
	}
	assert.Contains(t, codes(c.Lint()), "too_long_headers_file")
}

func TestLintCSPStrict(t *testing.T) {
	got := codes(mustCSP(t, "script-src 'self' https://cdn.example; object-src 'none'").LintStrict())
	assert.Equal(t, []string{"allowlist_host", "allowlist_self", "reporting_missing", "strict_dynamic_missing", "trusted_types_missing"}, got)
	got = codes(mustCSP(t, "script-src 'strict-dynamic' 'nonce-abcdefghij'; object-src 'none'; base-uri 'none'; report-to g; require-trusted-types-for 'script'").LintStrict())
	assert.Equal(t, []string{"allowlist_fallback", "report_to_only", "unsafe_inline_fallback"}, got)
	got = codes(mustCSP(t, "script-src 'strict-dynamic'; object-src 'none'; report-uri /r; require-trusted-types-for 'script'").LintStrict())
	assert.Equal(t, []string{"allowlist_fallback", "strict_dynamic_alone", "strict_dynamic_not_standalone"}, got)
}
