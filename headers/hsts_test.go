package headers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseHSTS(t *testing.T) {
	good := func(in string, want HSTS, canon string) {
		t.Helper()
		h, err := ParseHSTS(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, *h, in)
		assert.Equal(t, canon, h.String())
		again, err := ParseHSTS(h.String())
		require.NoError(t, err)
		assert.Equal(t, h, again)
	}
	bad := func(in string) {
		t.Helper()
		_, err := ParseHSTS(in)
		assert.ErrorIs(t, err, ErrHSTS, in)
	}
	good("max-age=31536000", HSTS{MaxAge: 31536000}, "max-age=31536000")
	good("max-age=63072000; includeSubdomains; preload", HSTS{MaxAge: 63072000, IncludeSubDomains: true, Preload: true}, "max-age=63072000; includeSubDomains; preload")
	good(` MAX-AGE="300" ;; INCLUDESUBDOMAINS `, HSTS{MaxAge: 300, IncludeSubDomains: true}, "max-age=300; includeSubDomains")
	good("max-age=0", HSTS{MaxAge: 0}, "max-age=0")
	good("max-age=99999999999999999999999", HSTS{MaxAge: 1<<63 - 1}, "max-age=9223372036854775807")
	good("max-age=10; report-uri=\"https://x\"", HSTS{MaxAge: 10, Extensions: []string{`report-uri="https://x"`}}, `max-age=10; report-uri="https://x"`)
	bad("")
	bad("includeSubDomains")
	bad("max-age=abc")
	bad("max-age=-1")
	bad("max-age=")
	bad("max-age=1; max-age=2")
	bad("max-age=1, max-age=2")
	bad("max-age=1; includeSubDomains=yes")
	bad(`max-age="1`)
	bad(`max-age="1"x`)
	bad("max-age=1; a b")
	bad("max-age=1; x=a b")
}

func TestHSTSLint(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"max-age=63072000; includeSubDomains; preload", nil},
		{"max-age=63072000", nil},
		{"max-age=63072000; includeSubDomains", []string{"hsts_preload_possible"}},
		{"max-age=0", []string{"hsts_max_age_zero"}},
		{"max-age=86400", []string{"hsts_max_age_short"}},
		{"max-age=15552000; preload", []string{"hsts_preload_ineligible"}},
		{"max-age=31536000; foo", []string{"hsts_unknown_directive"}},
		{"max-age", []string{"hsts_invalid"}},
	} {
		_, l := CheckHSTS(tc.in)
		assert.Equal(t, tc.want, codes(l), tc.in)
	}
	h := NewHSTS(true)
	assert.True(t, h.PreloadEligible())
	assert.Equal(t, "max-age=63072000; includeSubDomains; preload", h.String())
	assert.Len(t, HSTS{MaxAge: 100}.PreloadProblems(), 3)
	assert.Equal(t, "max-age=0", HSTS{MaxAge: -5}.String())
}

// FuzzParseHSTS: no input panics, and the canonical text parses back.
func FuzzParseHSTS(f *testing.F) {
	for _, s := range []string{"max-age=63072000; includeSubDomains; preload", `max-age="0"`, "max-age=1;x=\"a\\\"b\";y", "", ";;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, l := CheckHSTS(s)
		if h == nil {
			if len(l) != 1 {
				t.Fatalf("%q: no header and %d findings", s, len(l))
			}
			return
		}
		again, err := ParseHSTS(h.String())
		if err != nil {
			// Extensions are kept as written; only they may not survive.
			if len(h.Extensions) == 0 {
				t.Fatalf("%q: canonical %q does not parse: %v", s, h.String(), err)
			}
			return
		}
		if again.MaxAge != h.MaxAge || again.IncludeSubDomains != h.IncludeSubDomains || again.Preload != h.Preload {
			t.Fatalf("%q: %+v then %+v", s, h, again)
		}
	})
}
