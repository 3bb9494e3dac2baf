package tlsrpt

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	good := func(txt string, rua []string, ext ...Extension) {
		t.Helper()
		r, isRec, err := Parse(txt)
		if !assert.NoError(t, err, "%q", txt) {
			return
		}
		assert.True(t, isRec)
		assert.Equal(t, Version, r.Version)
		assert.Equal(t, rua, r.RUA, "%q", txt)
		if len(ext) > 0 {
			assert.Equal(t, ext, r.Extensions, "%q", txt)
		} else {
			assert.Empty(t, r.Extensions, "%q", txt)
		}
	}
	bad := func(txt string, isRec bool, off int, contains string) {
		t.Helper()
		_, gotIsRec, err := Parse(txt)
		assert.Equal(t, isRec, gotIsRec, "isTLSRPT of %q", txt)
		var se *SyntaxError
		if !assert.ErrorAs(t, err, &se, "%q", txt) {
			return
		}
		assert.ErrorIs(t, err, ErrSyntax)
		assert.Equal(t, off, se.Offset, "offset in %q: %v", txt, err)
		assert.Contains(t, err.Error(), contains, "%q", txt)
	}
	one := func(u string) []string { return []string{u} }

	// The examples of RFC 8460, Section 3.1.
	good("v=TLSRPTv1; rua=mailto:reports@example.com", one("mailto:reports@example.com"))
	good("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", one("https://reporting.example.com/v1/tlsrpt"))
	// Several URIs: tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri).
	good("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.net/x", []string{"mailto:a@example.com", "https://r.example.net/x"})
	good("v=TLSRPTv1; rua=mailto:a@example.com \t, mailto:b@example.com", []string{"mailto:a@example.com", "mailto:b@example.com"})
	// field-delim = *WSP ";" *WSP, and a final delimiter.
	good("v=TLSRPTv1;rua=mailto:a@example.com;", one("mailto:a@example.com"))
	good("v=TLSRPTv1 ; rua=mailto:a@example.com ; ", one("mailto:a@example.com"))
	// Order is free after v; unknown fields are kept and ignored. checkdmarc
	// raised InvalidSMTPTLSReportingTag on them (the exception is deprecated
	// in its recent releases), which RFC 8460, Section 3 forbids ("unknown
	// fields SHALL be ignored").
	good("v=TLSRPTv1; x-note=hi; rua=mailto:a@example.com; b.c_d-1=<>:/", one("mailto:a@example.com"),
		Extension{"x-note", "hi"}, Extension{"b.c_d-1", "<>:/"})
	// Percent-encoded ',', '!' and ';' as RFC 8460, Section 3 requires.
	good("v=TLSRPTv1; rua=mailto:a%2Cb@example.com,https://r.example/a%3Bb%21c", []string{"mailto:a%2Cb@example.com", "https://r.example/a%3Bb%21c"})
	// Any URI scheme is syntax; Check rejects the ones senders do not use.
	good("v=TLSRPTv1; rua=http://r.example/", one("http://r.example/"))
	good("v=TLSRPTv1; rua=urn:x", one("urn:x"))
	// The first rua counts.
	good("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", one("mailto:a@example.com"))
	// The first of a repeated extension counts; a repeated v is ignored.
	good("v=TLSRPTv1; rua=mailto:a@example.com; x=1; x=2; v=TLSRPTv2", one("mailto:a@example.com"), Extension{"x", "1"})
	// A query with '=' in an https URI.
	good("v=TLSRPTv1; rua=https://r.example/x?a=b&c=d", one("https://r.example/x?a=b&c=d"))
	// A name that is RUA in another case is an extension (names are
	// case-sensitive: %s"rua="), so the record lacks rua.
	bad("v=TLSRPTv1; RUA=mailto:a@example.com", true, 36, "no rua")

	bad("", false, 0, "does not begin")
	bad("v=spf1 -all", false, 0, "does not begin")
	bad("v=TLSRPTv10; rua=mailto:a@example.com", false, 0, "does not begin") // another version
	bad(" v=TLSRPTv1; rua=mailto:a@example.com", false, 0, "no space before")
	bad("v=tlsrptv1; rua=mailto:a@example.com", false, 0, "case matters")
	bad("v=TLSRPTv1", true, 10, "no rua")  // 1*(field-delim tlsrpt-field)
	bad("v=TLSRPTv1;", true, 11, "no rua") //
	bad("v=TLSRPTv1; x=1", true, 15, "no rua")
	bad("v=TLSRPTv1 rua=mailto:a@example.com", true, 11, "expected ';'")
	bad("v=TLSRPTv1; rua=mailto:a@example.com ", true, 36, "space at the end")
	bad("v=TLSRPTv1;; rua=mailto:a@example.com", true, 11, "empty field")
	bad("v=TLSRPTv1; rua", true, 12, "no '='")
	bad("v=TLSRPTv1; rua =mailto:a@example.com", true, 12, "no space")
	bad("v=TLSRPTv1; rua=", true, 16, "no URI")
	bad("v=TLSRPTv1; rua= mailto:a@example.com", true, 16, "no space is allowed after rua=")
	bad("v=TLSRPTv1; rua=mailto:a@example.com,", true, 37, "empty URI")                      // no trailing comma in the grammar
	bad("v=TLSRPTv1; rua=mailto:a@example.com,,mailto:b@example.com", true, 37, "empty URI") //
	bad("v=TLSRPTv1; rua=tlsrpt@example.com", true, 16, "needs a scheme")                    // the usual mistake
	bad("v=TLSRPTv1; rua=mailto:a@example.com mailto:b@example.com", true, 36, "contains a space")
	bad("v=TLSRPTv1; rua=mailto:a@example.com!10m", true, 36, "%21") // DMARC's size limit
	bad("v=TLSRPTv1; rua=mailto:a@example.com%2", true, 36, "two hexadecimal")
	bad("v=TLSRPTv1; rua=mailto:a@example.com%zz", true, 36, "two hexadecimal")
	bad("v=TLSRPTv1; rua=mailto:a b@example.com", true, 24, "contains a space")
	bad("v=TLSRPTv1; rua=mailto:<a@example.com>", true, 23, "'<'")
	bad("v=TLSRPTv1; rua=mailto:tls@bücher.example", true, 28, "non-ASCII")
	bad("v=TLSRPTv1; rua=https://r.example/a\"b", true, 35, "'\"'")
	bad("v=TLSRPTv1; rua=1http://r.example/", true, 16, "needs a scheme")
	bad("v=TLSRPTv1; rua=ht_tp://r.example/", true, 18, "scheme may hold")
	bad("v=TLSRPTv1; rua=mailto:a@example.com; x=", true, 40, "empty value")
	bad("v=TLSRPTv1; rua=mailto:a@example.com; x=a=b", true, 41, "not allowed")
	bad("v=TLSRPTv1; rua=mailto:a@example.com; x=caf\xc3\xa9", true, 43, "not allowed")
	bad("v=TLSRPTv1; rua=mailto:a@example.com; _x=1", true, 38, "starting with a letter")
	bad("v=TLSRPTv1; rua=mailto:a@example.com; "+strings.Repeat("x", 33)+"=1", true, 38, "longer than 32")
	bad("v=TLSRPTv1; rua=mailto:a@example.com; x=1 2", true, 42, "expected ';'")
}

func TestParseErrorIsSentinel(t *testing.T) {
	_, _, err := Parse("v=TLSRPTv1; rua=tlsrpt@example.com")
	require.Error(t, err)
	assert.Equal(t, `tlsrpt: syntax error: at offset 16: "tlsrpt@example.com" is not a URI: it needs a scheme, mailto: or https:`, err.Error())
}

func TestRoundTrip(t *testing.T) {
	for _, txt := range []string{
		"v=TLSRPTv1; rua=mailto:reports@example.com",
		"v=TLSRPTv1 ;rua=mailto:a@example.com , https://r.example/v1;",
		"v=TLSRPTv1; x=1; rua=mailto:a%21@example.com; y.z=<>",
	} {
		r, _, err := Parse(txt)
		require.NoError(t, err)
		s := r.String()
		r2, _, err := Parse(s)
		require.NoError(t, err, "%q", s)
		assert.Equal(t, r, r2)
		assert.Equal(t, s, r2.String())
	}
	r, _, err := Parse("v=TLSRPTv1 ;rua=mailto:a@example.com , https://r.example/v1; x=1;")
	require.NoError(t, err)
	assert.Equal(t, "v=TLSRPTv1; rua=mailto:a@example.com,https://r.example/v1; x=1", r.String())
}
