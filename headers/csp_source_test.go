package headers

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsHostSource(t *testing.T) {
	good := []string{
		"example.com", "*.example.com", "*", "https://example.com", "wss://chat.example.com:443",
		"example.com:*", "example.com.", "https://example.com/path/to/file.js", "cdn.example.com/a/",
		"[::1]", "[2001:db8::1]:8080", "localhost", "xn--bcher-kva.example",
	}
	for _, v := range good {
		assert.True(t, isHostSource(v), v)
	}
	bad := []string{
		"", "<script>window.__pwned", "x_y.example", "example..com", ".example.com", "*example.com",
		"example.com:", "example.com:8o", "https//example.com", "1http://example.com", "example.com?q=1",
		"example.com/a\"b", "[::1", "[]", "*.", "https://", "a.example.com:80x/",
	}
	for _, v := range bad {
		assert.False(t, isHostSource(v), v)
	}
}

func TestCSPInvalidSource(t *testing.T) {
	for _, tc := range []struct {
		policy string
		want   bool
	}{
		{"default-src 'self' <script>alert(1)</script>", true},
		{"img-src data: blob: https://img.example.com", false},
		{"frame-ancestors https://partner.example", false},
		{"script-src 'self' cdn_1.example.com", true},
		// Not source lists: sandbox tokens and report-uri URLs are other grammars.
		{"sandbox allow-scripts; report-uri /csp-report", false},
		{"trusted-types my_policy", false},
		// A query is dropped by browsers: a warning, not an invalid source.
		{"script-src https://cdn.example.com/lib.js?v=2", false},
	} {
		_, l := CheckCSP(tc.policy)
		assert.Equal(t, tc.want, l.Has("headers.csp_invalid_source"), tc.policy)
	}
}

func TestCSPSourceQuery(t *testing.T) {
	_, l := CheckCSP("script-src https://cdn.example.com/lib.js?v=2")
	assert.True(t, l.Has("headers.csp_source_query"), "%v", l)
	assert.False(t, l.HasErrors(), "%v", l)
	_, l = CheckCSP("script-src <b>?x")
	assert.True(t, l.Has("headers.csp_invalid_source"), "%v", l)
}
