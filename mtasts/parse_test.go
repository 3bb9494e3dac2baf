package mtasts

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePolicy(t *testing.T) {
	good := func(text string, want Policy) {
		t.Helper()
		p, err := ParsePolicy(text)
		if !assert.NoError(t, err, "%q", text) {
			return
		}
		if want.Version == "" {
			want.Version = Version
		}
		if want.MX == nil {
			want.MX = []string{}
		}
		assert.Equal(t, want, *p, "%q", text)
	}
	bad := func(text string, line int, contains string) {
		t.Helper()
		_, err := ParsePolicy(text)
		var se *SyntaxError
		if !assert.ErrorAs(t, err, &se, "%q", text) {
			return
		}
		assert.ErrorIs(t, err, ErrPolicySyntax)
		assert.Equal(t, line, se.Line, "line of %q: %v", text, err)
		assert.Contains(t, err.Error(), contains)
	}
	enf := func(maxAge int, mx ...string) Policy { return Policy{Mode: ModeEnforce, MaxAge: maxAge, MX: mx} }

	// The example of RFC 8461, Section 3.2, with CRLF.
	good("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n",
		enf(604800, "mail.example.com", "*.example.net", "backupmx.example.com"))
	// LF only, as Gmail serves it; the grammar allows LF (sts-policy-term).
	good("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 86400\n", enf(86400, "a.example"))
	// Mixed endings, no final terminator.
	good("version: STSv1\r\nmode: enforce\nmx: a.example\r\nmax_age: 86400", enf(86400, "a.example"))
	// Any order; WSP after the colon and at the end of the value.
	good("max_age:\t10\nmx:  a.example  \nmode: testing\t\nversion: STSv1\n", Policy{Mode: ModeTesting, MaxAge: 10, MX: []string{"a.example"}})
	// No space after the colon: field-delim = ":" *WSP.
	good("version:STSv1\nmode:enforce\nmx:a.example\nmax_age:0\n", enf(0, "a.example"))
	// The first of duplicate non-mx fields wins (downgrade protection).
	good("version: STSv1\nmode: enforce\nmode: none\nmx: a.example\nmax_age: 100\nmax_age: 5\n", enf(100, "a.example"))
	// Mode none needs no mx.
	good("version: STSv1\nmode: none\nmax_age: 86400\n", Policy{Mode: ModeNone, MaxAge: 86400})
	// Extensions are kept, in order; values may hold inner spaces and UTF-8.
	good("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nx-note: hello wörld\nfoo.bar_1: x\n",
		Policy{Mode: ModeEnforce, MaxAge: 1, MX: []string{"a.example"}, Extensions: []Extension{{"x-note", "hello wörld"}, {"foo.bar_1", "x"}}})
	// Largest max_age; ten digits with leading zeros.
	good("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n", enf(MaxMaxAge, "a.example"))
	good("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 0000000001\n", enf(1, "a.example"))
	// Trailing empty lines are tolerated (CheckPolicy warns; mox rejects).
	good("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n\n", enf(1, "a.example"))
	// An IPv4 address fits RFC 5321's Domain grammar; CheckPolicy rejects it.
	good("version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmax_age: 1\n", enf(1, "192.0.2.1"))
	// A U-label is accepted by the parser; CheckPolicy rejects it.
	good("version: STSv1\nmode: enforce\nmx: mail.bücher.example\nmax_age: 1\n", enf(1, "mail.bücher.example"))

	bad("", 0, "no version")                                                                      // empty
	bad("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", 1, `"STSv2"`)               // unknown version
	bad("version: stsv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", 1, "case matters")          // version is case-sensitive
	bad("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n", 2, "case matters")          // mode is case-sensitive
	bad("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n", 2, `"strict"`)               // unknown mode
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", 4, "over the limit") // RFC 8461 §3.2 limit
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901\n", 4, "1 to 10 digits")
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", 4, "whole number")
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1d\n", 4, "whole number")
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age:\n", 4, "1 to 10 digits")
	bad("version: STSv1\nmode: enforce\nmax_age: 1\n", 0, "no mx")                    // mx required unless none
	bad("version: STSv1\nmode: testing\nmax_age: 1\n", 0, "no mx")                    // also in testing
	bad("version: STSv1\nmx: a.example\nmax_age: 1\n", 0, "no mode")                  // required
	bad("mode: enforce\nmx: a.example\nmax_age: 1\n", 0, "no version")                // required
	bad("version: STSv1\nmode: enforce\nmx: a.example\n", 0, "no max_age")            // required
	bad("version: STSv1\nmode : enforce\nmx: a.example\nmax_age: 1\n", 2, "no space") // WSP before ':'
	bad(" version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", 1, "no space") // leading WSP
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nhello\n", 5, "no ':'")
	bad("version: STSv1\rmode: enforce\rmx: a.example\rmax_age: 1\r", 1, "case matters") // bare CR is no terminator
	bad("version: STSv1\nmode: enforce\nmx: a.example.\nmax_age: 1\n", 3, "final dot")
	bad("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n", 3, "wildcard")
	bad("version: STSv1\nmode: enforce\nmx: mail*.example\nmax_age: 1\n", 3, "wildcard")
	bad("version: STSv1\nmode: enforce\nmx: mail_1.example\nmax_age: 1\n", 3, "letters, digits")
	bad("version: STSv1\nmode: enforce\nmx: -a.example\nmax_age: 1\n", 3, "inner hyphens")
	bad("version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 1\n", 3, "empty label")
	bad("version: STSv1\nmode: enforce\nmx: 2001:db8::25\nmax_age: 1\n", 3, "IP address")
	bad("version: STSv1\nmode: enforce\nmx: [192.0.2.1]\nmax_age: 1\n", 3, "IP address")
	bad("version: STSv1\nmode: enforce\nmx:\nmax_age: 1\n", 3, "no value")
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nx-note:\n", 5, "empty") // ext value 1*vchar
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nx-note: a\x01b\n", 5, "control")
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n_x: y\n", 5, "starting with a letter")
	bad("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n"+strings.Repeat("x", 33)+": y\n", 5, "longer than 32")
	bad("version: STSv1\nmode: enforce\nmx: "+strings.Repeat("a", 64)+".example\nmax_age: 1\n", 3, "longer than 63")
}

func TestParsePolicyErrorIsSentinel(t *testing.T) {
	_, err := ParsePolicy("nonsense")
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrPolicySyntax))
	assert.Equal(t, "mtasts: policy syntax error: line 1: \"nonsense\" is not a field: no ':' after the field name", err.Error())
}

func TestPolicyRoundTrip(t *testing.T) {
	for _, text := range []string{
		"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n",
		"mode: none\nmax_age: 0\nversion: STSv1\n",
		"version: STSv1\nmode: testing\nmx: a.example\nmax_age: 86400\next: v a l\n",
	} {
		p, err := ParsePolicy(text)
		require.NoError(t, err)
		s := p.String()
		assert.True(t, strings.HasSuffix(s, "\r\n"))
		assert.NotContains(t, strings.ReplaceAll(s, "\r\n", ""), "\n", "only CRLF terminators")
		p2, err := ParsePolicy(s)
		require.NoError(t, err)
		assert.Equal(t, p, p2)
		assert.Equal(t, s, p2.String())
	}
}

func codes(t *testing.T, text string) map[string]int {
	t.Helper()
	_, l := CheckPolicy(text)
	m := map[string]int{}
	for _, f := range l {
		m[f.Code] = f.Line
		assert.NotEmpty(t, f.Message)
		assert.Contains(t, []string{"error", "warning", "info"}, string(f.Severity))
		assert.Contains(t, f.RFC, "RFC 8461", f.Code)
	}
	return m
}

func TestCheckPolicy(t *testing.T) {
	has := func(text, code string, line int) {
		t.Helper()
		m := codes(t, text)
		got, ok := m[code]
		if assert.True(t, ok, "want %s in %q, got %v", code, text, m) {
			assert.Equal(t, line, got, "line of %s", code)
		}
	}
	clean := func(text string) {
		t.Helper()
		assert.Empty(t, codes(t, text), "%q", text)
	}
	const head = "version: STSv1\r\nmode: enforce\r\n"
	clean(head + "mx: mail.example.com\r\nmax_age: 2419200\r\n")
	has(head+"mx: mail.example.com\r\nmax_age: 86400\r\n", "mtasts.max_age_short", 4)
	has("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 2419200\r\n", "mtasts.mode_testing", 2)
	has("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n", "mtasts.mode_none", 2)
	has(head+"mx: a.example\r\nmax_age: 2419200\r\n\r\n", "mtasts.trailing_blank_line", 5)
	has(head+"\r\nmx: a.example\r\nmax_age: 2419200\r\n", "mtasts.blank_line", 3)
	has("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 2419200\n", "mtasts.lf_line_endings", 1)
	has(head+"mx: a.example\nmax_age: 2419200\r\n", "mtasts.lf_line_endings", 3)
	has(head+"mx: mail.bücher.example\r\nmax_age: 2419200\r\n", "mtasts.mx_ulabel", 3)
	has(head+"mx: 192.0.2.25\r\nmax_age: 2419200\r\n", "mtasts.mx_ip", 3)
	has(head+"mx: 2001:db8::25\r\nmax_age: 2419200\r\n", "mtasts.mx_invalid", 3)
	has(head+"mx: *.com\r\nmax_age: 2419200\r\n", "mtasts.mx_wildcard_broad", 3)
	has(head+"mx: a.example\r\nmx: A.example\r\nmax_age: 2419200\r\n", "mtasts.mx_duplicate", 4)
	has(head+"mode: none\r\nmx: a.example\r\nmax_age: 2419200\r\n", "mtasts.duplicate_field", 3)
	has(head+"nmx: a.example\r\nmx: b.example\r\nmax_age: 2419200\r\n", "mtasts.unknown_field", 3) // the typo of postfix-tlspol#95
	has(head+"mx: a.example\r\nmax_age: 31557601\r\n", "mtasts.max_age_too_long", 4)
	has(head+"mx: a.example\r\n", "mtasts.max_age_missing", 0)
	has(head+"max_age: 2419200\r\n", "mtasts.mx_missing", 0)
	has(head+"mx: a.example\r\nmax_age: 2419200\r\n"+strings.Repeat("x: y\r\n", 12000), "mtasts.policy_too_large", 0)
	has("", "mtasts.policy_empty", 0)

	// Every error is reported, not just the first.
	m := codes(t, "version: STSv2\nmode: on\nmx: a_b.example\nmax_age: x\n")
	for _, c := range []string{"mtasts.version_invalid", "mtasts.mode_invalid", "mtasts.mx_invalid", "mtasts.max_age_invalid"} {
		assert.Contains(t, m, c)
	}

	// The fix of a U-label is its A-label.
	_, l := CheckPolicy(head + "mx: *.bücher.example\r\nmax_age: 2419200\r\n")
	require.True(t, l.Has("mtasts.mx_ulabel"))
	for _, f := range l {
		if f.Code == "mtasts.mx_ulabel" {
			assert.Equal(t, "mx: *.xn--bcher-kva.example", f.Fix)
		}
	}
}

// CheckPolicy reports an error exactly when ParsePolicy fails or when a
// value can never work (IP or U-label mx).
func TestCheckAgreesWithParse(t *testing.T) {
	for _, text := range policySeeds {
		_, perr := ParsePolicy(text)
		_, l := CheckPolicy(text)
		if perr != nil {
			assert.True(t, l.HasErrors(), "%q: parse error %v but no error finding", text, perr)
		}
	}
}

func TestValidateBuiltPolicy(t *testing.T) {
	p := &Policy{Mode: ModeEnforce, MX: []string{"mail.example.com"}, MaxAge: RecommendedMaxAge}
	assert.Empty(t, p.Validate())
	p = &Policy{Mode: "Enforce", MX: []string{"mail.example.com."}, MaxAge: MaxMaxAge + 1, Extensions: []Extension{{"bad key", "v"}}}
	l := p.Validate()
	for _, c := range []string{"mtasts.mode_invalid", "mtasts.mx_invalid", "mtasts.max_age_too_long", "mtasts.extension_invalid"} {
		assert.True(t, l.Has(c), c)
	}
	assert.True(t, (&Policy{Mode: ModeTesting, MaxAge: 60}).Validate().Has("mtasts.mx_missing"))
	assert.True(t, (&Policy{Mode: ModeEnforce, MX: []string{"a.example"}, MaxAge: 60}).Validate().Has("mtasts.max_age_short"))
}

var policySeeds = []string{
	"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n",
	"version: STSv1\nmode: testing\nmx: a.example\nmax_age: 86400\n\n",
	"version: STSv1\nmode: none\nmax_age: 0",
	"version: STSv1\nmode: enforce\nmx: mail.bücher.example\nmx: 192.0.2.1\nmax_age: 1\next: a b\n",
	"version: STSv2\nmode: on\nmx: a_b.example\nmax_age: x\n",
	"mode : enforce\r\n\r\nfoo",
	"version: STSv1\rmode: enforce\r",
	"",
}

func TestCheckPolicyNoFalseWarnings(t *testing.T) {
	// An invalid max_age is reported once, not also as "too short".
	for _, v := range []string{"31557601", "1d", ""} {
		m := codes(t, "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: "+v+"\r\n")
		assert.NotContains(t, m, "mtasts.max_age_short", v)
	}
	// Empty input is one finding.
	_, l := CheckPolicy(" \r\n")
	assert.Len(t, l, 1)
	assert.Equal(t, "mtasts.policy_empty", l[0].Code)
}
