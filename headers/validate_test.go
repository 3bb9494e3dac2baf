package headers

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// base is a set with nothing missing, to which each case adds.
const validateBase = "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\n" +
	"Strict-Transport-Security: max-age=63072000\n" +
	"X-Content-Type-Options: nosniff\n" +
	"X-Frame-Options: DENY\n" +
	"Referrer-Policy: no-referrer\n" +
	"Permissions-Policy: camera=()\n"

func validateCodes(t *testing.T, text string) []string {
	t.Helper()
	s, err := ParseSet(text)
	require.NoError(t, err, text)
	return codes(Validate(s))
}

func TestValidateClean(t *testing.T) {
	assert.Empty(t, validateCodes(t, validateBase))
	assert.Empty(t, Validate(&Set{}).HasErrors())
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		add  string
		want string // a code that must be among the findings
		sev  Severity
	}{
		{"X-XSS-Protection: 1; mode=block", "obsolete_header", Warning},
		{"Expect-CT: max-age=86400, enforce", "obsolete_header", Warning},
		{"Feature-Policy: camera 'none'", "obsolete_header", Warning},
		{"Public-Key-Pins: pin-sha256=\"x\"; max-age=10", "obsolete_header", Warning},
		{"Public-Key-Pins-Report-Only: pin-sha256=\"x\"", "obsolete_header", Warning},
		{"strict-TRANSPORT-security: max-age=63072000", "odd_casing", Info},
		{"Strict-Transport-Security: max-age=10", "duplicate_header", Warning},
		{"X-Frame-Options: SAMEORIGIN", "duplicate_header", Error},
		{"Cross-Origin-Resource-Policy: same-origin\nCross-Origin-Resource-Policy: same-site", "duplicate_header", Error},
		{"Content-Security-Policy: script-src 'self'", "duplicate_header", Info},
		{"X-Custom: a\nX-Custom: b", "duplicate_header", Info},
		{"Cross-Origin-Opener-Policy: same_origin", "invalid_value", Error},
		{"Cross-Origin-Embedder-Policy: require-corp; report-to=\"x\"", "", ""},
		{"Cross-Origin-Embedder-Policy: require-corp, credentialless", "invalid_value", Error},
		{"Cross-Origin-Resource-Policy: Same-Origin", "invalid_value", Error},
		{"Origin-Agent-Cluster: 1", "invalid_value", Warning},
		{"Origin-Agent-Cluster: ?1", "", ""},
		{"X-DNS-Prefetch-Control: maybe", "invalid_value", Warning},
		{"X-Download-Options: open", "invalid_value", Warning},
		{"X-Permitted-Cross-Domain-Policies: some", "invalid_value", Warning},
		{"Reporting-Endpoints: csp=\"https://r.example/\"", "", ""},
		{"Reporting-Endpoints: csp=https://r.example/", "invalid_value", Warning},
		{"Reporting-Endpoints: csp=\"https://r.example/\",", "invalid_value", Error},
		{"Report-To: {\"group\":\"x\"}", "deprecated_header", Info},
		{"Cache-Control: public, max-age=31536000, immutable", "", ""},
		{"Cache-Control: max-age=forever", "invalid_value", Warning},
		{"Cache-Control: no-store, max-age=60", "cache_conflict", Info},
		{"Cache-Control: public, immutable", "cache_conflict", Info},
		{"Cache-Control: a b", "invalid_value", Warning},
		{"Cache-Control: private=\"x", "invalid_value", Warning},
		{"X-Powered-By: Express", "server_leak", Info},
		{"Server: nginx/1.25.3", "server_leak", Info},
		{"Server: nginx", "", ""},
		{"Set-Cookie: sessionid=abc; Path=/", "cookie_not_secure", Warning},
		{"Set-Cookie: sessionid=abc; Secure; SameSite=Lax", "cookie_not_httponly", Warning},
		{"Set-Cookie: a=b; Secure; SameSite=None", "", ""},
		{"Set-Cookie: a=b; SameSite=None", "cookie_samesite_invalid", Error},
		{"Set-Cookie: a=b; Secure; SameSite=Sometimes", "cookie_samesite_invalid", Error},
		{"Set-Cookie: a=b; Secure", "cookie_no_samesite", Info},
		{"Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true", "cors_credentials_wildcard", Error},
		{"Content-Security-Policy-Report-Only: default-src 'none'; script-src self", "unquoted_keyword", Error},
		{"Content-Security-Policy: script-src 'self', object-src 'none'", "duplicate_header", Info},
	} {
		got := validateCodes(t, validateBase+tc.add)
		if tc.want == "" {
			assert.Empty(t, got, tc.add)
			continue
		}
		assert.Contains(t, got, tc.want, tc.add)
		s, _ := ParseSet(validateBase + tc.add)
		i := slices.IndexFunc(Validate(s), func(f Finding) bool { return f.Code == "headers."+tc.want || f.Code == "headers.csp_"+tc.want })
		assert.Equal(t, tc.sev, Validate(s)[i].Severity, tc.add)
	}
}

func TestValidateValues(t *testing.T) {
	for _, tc := range []struct {
		set  string
		want []string
	}{
		{"Strict-Transport-Security: max-age=1, max-age=2\nX-Content-Type-Options: nosniff", []string{"hsts_invalid"}},
		{"Strict-Transport-Security: max-age=100", []string{"hsts_max_age_short"}},
		{"X-Content-Type-Options: sniff", []string{"invalid_value"}},
		{"X-Frame-Options: ALLOW-FROM https://a.example", []string{"invalid_value"}},
		{"X-Frame-Options: allow", []string{"invalid_value"}},
		{"X-Frame-Options: deny", nil},
		{"Referrer-Policy: unsafe-url", []string{"referrer_unsafe"}},
		{"Referrer-Policy: never", []string{"invalid_value", "referrer_unknown"}},
		{"Referrer-Policy: never, strict-origin", []string{"referrer_unknown"}},
		{"Referrer-Policy: no-referrer, unsafe-url", []string{"referrer_unsafe"}},
		{"Permissions-Policy: camera 'none'", []string{"permissions_invalid"}},
		{"Content-Security-Policy: ;", []string{"invalid"}},
		{"Content-Security-Policy: default-src 'none'", nil},
	} {
		s, err := ParseSet(tc.set)
		require.NoError(t, err)
		var got Findings
		for _, f := range s.Fields {
			got = append(got, checkValue(f)...)
		}
		assert.Equal(t, tc.want, codes(got), tc.set)
	}
}

func TestValidateFraming(t *testing.T) {
	for _, tc := range []struct {
		set  string
		want []string
	}{
		{"Content-Security-Policy: frame-ancestors 'self'\nX-Frame-Options: DENY", []string{"xfo_mismatch"}},
		{"Content-Security-Policy: frame-ancestors https://a.example\nX-Frame-Options: SAMEORIGIN", []string{"xfo_mismatch"}},
		{"Content-Security-Policy: frame-ancestors 'none'", []string{"xfo_missing"}},
		{"Content-Security-Policy: default-src 'none'\nX-Frame-Options: DENY", []string{"frame_ancestors_missing"}},
		{"Content-Security-Policy: frame-ancestors 'self'\nX-Frame-Options: sameorigin", nil},
		{"X-Frame-Options: DENY", nil},
	} {
		s, err := ParseSet(tc.set)
		require.NoError(t, err)
		assert.Equal(t, tc.want, codes(checkFraming(s, true)), tc.set)
	}
}

func TestValidateMissing(t *testing.T) {
	l := Validate(&Set{})
	var headers []string
	for _, f := range l {
		assert.Equal(t, "headers.missing_header", f.Code)
		assert.NotEmpty(t, f.Fix)
		headers = append(headers, f.Header)
	}
	assert.Equal(t, []string{HeaderCSP, HeaderHSTS, HeaderXCTO, HeaderXFO, HeaderReferrerPolicy, HeaderPermissions}, headers)
	s, _ := ParseSet("Content-Security-Policy-Report-Only: default-src 'none'")
	assert.Contains(t, Validate(s)[0].Message, "nothing is blocked")
	// frame-ancestors stands for X-Frame-Options.
	s, _ = ParseSet("Content-Security-Policy: frame-ancestors 'none'")
	for _, f := range Validate(s) {
		assert.NotEqual(t, HeaderXFO+" missing", f.Header+" "+f.Code)
	}
}

func TestValidateSite(t *testing.T) {
	site := &Site{Paths: []PathRule{{Pattern: "*.js", Headers: Set{Fields: []Field{{HeaderCacheControl, "max-age=x"}}}}}}
	site.Headers.Fields = []Field{{HeaderXCTO, "nosniff"}}
	l := ValidateSite(site)
	i := slices.IndexFunc(l, func(f Finding) bool { return f.Code == "headers.invalid_value" })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, "*.js", l[i].Where)
	assert.Equal(t, "Content-Security-Policy", CanonicalName("content-security-policy"))
	assert.Equal(t, "X-Odd", CanonicalName("X-Odd"))
}

// FuzzValidate: no header set panics Validate.
func FuzzValidate(f *testing.F) {
	f.Add(validateBase + "Set-Cookie: a=b; SameSite\nX-Frame-Options: allow-from x\nCache-Control: a=\"b\nReporting-Endpoints: a=\"b\", c")
	f.Add(`{"Content-Security-Policy": ["a", "frame-ancestors 'self'"], "X-Frame-Options": "x"}`)
	f.Fuzz(func(t *testing.T, s string) {
		set, err := ParseSet(s)
		if err != nil {
			return
		}
		_ = Validate(set)
		for _, f := range set.Fields {
			SetCSP(set, &CSP{Directives: []Directive{{Name: "frame-ancestors", Values: []string{f.Value}}}})
		}
	})
}
