package headers

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helmetDefaults is what helmet 8.3.0 sends with default options (node
// helmet_defaults.js in ../shared/oracles/observatory).
var helmetDefaults = map[string]string{
	"Content-Security-Policy":           "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
	"Cross-Origin-Opener-Policy":        "same-origin",
	"Cross-Origin-Resource-Policy":      "same-origin",
	"Origin-Agent-Cluster":              "?1",
	"Referrer-Policy":                   "no-referrer",
	"Strict-Transport-Security":         "max-age=31536000; includeSubDomains",
	"X-Content-Type-Options":            "nosniff",
	"X-DNS-Prefetch-Control":            "off",
	"X-Download-Options":                "noopen",
	"X-Frame-Options":                   "SAMEORIGIN",
	"X-Permitted-Cross-Domain-Policies": "none",
	"X-XSS-Protection":                  "0",
}

func presetMap(t *testing.T, name string) map[string]string {
	t.Helper()
	s, err := Preset(name)
	require.NoError(t, err)
	out := map[string]string{}
	for _, f := range s.Headers.Fields {
		_, dup := out[f.Name]
		require.False(t, dup, "%s repeats %s", name, f.Name)
		out[f.Name] = f.Value
	}
	return out
}

func TestPresetHelmet(t *testing.T) {
	assert.Equal(t, helmetDefaults, presetMap(t, "helmet"))
	// The shared oracle's record of helmet's output, when it is there.
	b, err := os.ReadFile("../../shared/oracles/observatory/examples/helmet.json")
	if err != nil {
		t.Skip("no ../shared/oracles beside the module: ", err)
	}
	var shared map[string]string
	require.NoError(t, json.Unmarshal(b, &shared))
	assert.Equal(t, shared, presetMap(t, "helmet"))
}

func TestPresets(t *testing.T) {
	require.Len(t, Presets(), 4)
	for _, p := range Presets() {
		t.Run(p.Name, func(t *testing.T) {
			s, err := Preset(p.Name)
			require.NoError(t, err)
			l := ValidateSite(s)
			assert.False(t, l.HasErrors(), "%v", l)
			for _, f := range l {
				assert.NotEqual(t, "headers.obsolete_header", f.Code, "a preset never sends an obsolete header")
				if p.Name != "helmet" {
					assert.Equal(t, Info, f.Severity, "%s", f)
				}
			}
			again, _ := Preset(p.Name)
			again.Headers.Fields[0].Value = "changed"
			s2, _ := Preset(p.Name)
			assert.NotEqual(t, "changed", s2.Headers.Fields[0].Value, "each call returns a fresh copy")
			csp, ok := s.Headers.Get(HeaderCSP)
			require.True(t, ok)
			c, err := ParseCSP(csp)
			require.NoError(t, err)
			xfo, _ := s.Headers.Get(HeaderXFO)
			want, ok := FrameOptionsFor(c)
			assert.True(t, ok)
			assert.Equal(t, string(want), xfo, "X-Frame-Options matches frame-ancestors")
			_, hasCOEP := s.Headers.Get(HeaderCOEP)
			assert.False(t, hasCOEP, "COEP is opt-in")
		})
	}
	_, err := Preset("lax")
	assert.ErrorContains(t, err, "strict, helmet, seed, web")
}

func TestPresetSeedCorrections(t *testing.T) {
	m := presetMap(t, "seed")
	_, xxss := m["X-XSS-Protection"]
	assert.False(t, xxss, "the blog's X-XSS-Protection: 1; mode=block is dropped")
	assert.Equal(t, "DENY", m["X-Frame-Options"])
	assert.Contains(t, m["Content-Security-Policy"], "frame-ancestors 'none'")
	assert.Equal(t, "max-age=63072000; includeSubDomains; preload", m["Strict-Transport-Security"])
	assert.True(t, strings.HasPrefix(m["Content-Security-Policy"], "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'"))
	s, _ := Preset("seed")
	assert.NotEmpty(t, s.Paths)
}

// TestPresetWeb: the page's own headers are the strict preset's with the
// policy WebAssembly and Trusted Types need, and 'wasm-unsafe-eval' only in
// script-src (CSP Level 3, Section 6.1.2). Graded A+ by both profiles.
func TestPresetWeb(t *testing.T) {
	web, strict := presetMap(t, "web"), presetMap(t, "strict")
	for name, v := range strict {
		if name != HeaderCSP {
			assert.Equal(t, v, web[name], "%s as in strict", name)
		}
	}
	assert.Len(t, web, len(strict))
	c, err := ParseCSP(web[HeaderCSP])
	require.NoError(t, err)
	assert.Equal(t, WebCSP().String(), c.String())
	for _, d := range c.Directives {
		has := slices.Contains(d.Values, "'wasm-unsafe-eval'")
		assert.Equal(t, d.Name == "script-src", has, "'wasm-unsafe-eval' in %s", d.Name)
		for _, v := range d.Values {
			assert.NotContains(t, []string{"'unsafe-eval'", "'unsafe-inline'", "data:", "*", "https:"}, v, "%s", d.Name)
		}
	}
	want := map[string][]string{
		"default-src": {"'none'"}, "script-src": {"'self'", "'wasm-unsafe-eval'"}, "connect-src": {"'self'"},
		"base-uri": {"'none'"}, "frame-ancestors": {"'none'"}, "require-trusted-types-for": {"'script'"}, "trusted-types": {"'none'"},
	}
	for name, values := range want {
		d, ok := c.Get(name)
		if assert.True(t, ok, "%s", name) {
			assert.Equal(t, values, d.Values, "%s", name)
		}
	}
	for _, f := range c.Lint() {
		assert.Equal(t, Info, f.Severity, "the policy lints clean: %s", f)
	}
	s, err := Preset("web")
	require.NoError(t, err)
	for _, p := range []Profile{ObservatoryV4, ObservatoryV6} {
		r := Grade(GradeInput{Headers: &s.Headers}, p)
		assert.Equal(t, "A+", r.Grade, "%s: %s", p, r)
	}
	assert.Equal(t, "A+", PresenceGrade(&s.Headers).Grade)
}
