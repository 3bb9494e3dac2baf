package spf

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	// good: the record parses and its canonical String is want.
	good := func(txt, want string) {
		t.Helper()
		rec, isSPF, err := Parse(txt)
		if !assert.NoError(t, err, "%q", txt) || !assert.True(t, isSPF, "%q", txt) {
			return
		}
		assert.Equal(t, want, rec.String(), "%q", txt)
	}
	// bad: the record is SPF but malformed; the error says contains, and
	// Check reports code.
	bad := func(txt, code, contains string) {
		t.Helper()
		_, isSPF, err := Parse(txt)
		assert.True(t, isSPF, "%q is SPF", txt)
		var se *SyntaxError
		if !assert.ErrorAs(t, err, &se, "%q", txt) {
			return
		}
		assert.ErrorIs(t, err, ErrSyntax)
		assert.Contains(t, err.Error(), contains, "%q", txt)
		rec, l := Check(txt)
		assert.Nil(t, rec, "%q", txt)
		assert.True(t, l.Has(code), "%q: want %s, got %v", txt, code, l)
	}

	// RFC 7208, Section 4.6.1: record = version terms *SP.
	good("v=spf1", "v=spf1")                                                       // the test suite's "empty"
	good("v=spf1 -all", "v=spf1 -all")                                             // the RFC's most common record
	good("v=spf1   -all   ", "v=spf1 -all")                                        // 1*SP between terms, *SP at the end
	good("V=SpF1 ~all", "v=spf1 ~all")                                             // the version is case-insensitive (case-insensitive)
	good("v=spf1 +a +mx -all", "v=spf1 a mx -all")                                 // "+" is the default
	good("v=spf1 ?a ~mx -ptr +all", "v=spf1 ?a ~mx -ptr all")                      // every qualifier
	good("v=spf1 all -all", "v=spf1 all -all")                                     // all-double: legal, the second is never reached
	good("v=spf1 A:Mail.Example.COM MX -ALL", "v=spf1 a:Mail.Example.COM mx -all") // names are case-insensitive; domains kept

	// Dual CIDR, RFC 7208, Section 5.6; the defaults /32 and /128 are dropped.
	good("v=spf1 a/24//64 -all", "v=spf1 a/24//64 -all")
	good("v=spf1 a:foo.example.com/24", "v=spf1 a:foo.example.com/24") // a-multi-ip2
	good("v=spf1 mx:example.com//64 -all", "v=spf1 mx:example.com//64 -all")
	good("v=spf1 a/32//128 mx/32 -all", "v=spf1 a mx -all")
	good("v=spf1 a/0 a//0 -all", "v=spf1 a/0 a//0 -all") // a-cidr4-0, a-cidr6-0
	good("v=spf1 a//33 -all", "v=spf1 a//33 -all")       // a-cidr6: 33 is fine for IPv6
	good("v=spf1 mx/0 -all", "v=spf1 mx/0 -all")         // mx-cidr4-0

	// ip4 and ip6, RFC 7208, Section 5.6.
	good("v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.1/32 -all", "v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.1 -all")
	good("v=spf1 ip4:1.1.1.1/0 -all", "v=spf1 ip4:1.1.1.1/0 -all")                                               // cidr4-0
	good("v=spf1 ip6:2001:DB8::/32 ip6:CAFE:BABE:8000::/33", "v=spf1 ip6:2001:db8::/32 ip6:cafe:babe:8000::/33") // cidr6-33
	good("v=spf1 -ip4:1.2.3.4 ip6:::FFFF:1.2.3.4", "v=spf1 -ip4:1.2.3.4 ip6:::ffff:1.2.3.4")                     // ip4-mapped-ip6
	good("v=spf1 ip6:::1.1.1.1/0", "v=spf1 ip6:::101:101/0")                                                     // cidr6-0

	// Domain-specs, RFC 7208, Section 7.1.
	good("v=spf1 a:foo:bar/baz.example.com", "v=spf1 a:foo:bar/baz.example.com")             // a-colon-domain: any visible char but %
	good("v=spf1 a:foo.example.xn--zckzah -all", "v=spf1 a:foo.example.xn--zckzah -all")     // a-dash-in-toplabel
	good("v=spf1 a:foo.example.123-456", "v=spf1 a:foo.example.123-456")                     // a toplabel of digits with a dash
	good("v=spf1 include:o.spf.example.com. ~all", "v=spf1 include:o.spf.example.com. ~all") // trailing dot
	good("v=spf1 exp=msg.example.com. -all", "v=spf1 exp=msg.example.com. -all")             // trailing-dot-exp
	good("v=spf1 a:.example", "v=spf1 a:.example")                                           // "." toplabel is all domain-end needs; Check reports the empty label
	good("v=spf1 ptr ptr:example.com -all", "v=spf1 ptr ptr:example.com -all")

	// Macros, RFC 7208, Section 7.
	good("v=spf1 include:%{i}._ip.%{h}._ehlo.%{d}._spf.vali.email ~all", "v=spf1 include:%{i}._ip.%{h}._ehlo.%{d}._spf.vali.email ~all") // SPF2IP#5
	good("v=spf1 exists:%{i}.%{l2r-}.user.%{d2}", "v=spf1 exists:%{i}.%{l2r-}.user.%{d2}")                                               // macro-reverse-split-on-dash
	good("v=spf1 exists:%{l2r+-}.user.%{d2}", "v=spf1 exists:%{l2r+-}.user.%{d2}")                                                       // macro-multiple-delimiters
	good("v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all", "v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all") // macro-mania-in-domain
	good("v=spf1 a:%{H} -all", "v=spf1 a:%{H} -all")                                                                                     // upper case letters are legal (checkdmarc PR #257)
	good("v=spf1 exists:%{ir}.%{v}._spf.%{d} -all", "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all")                                           // v is a domain-spec letter
	good("v=spf1 -include:_spfh.%{d2} ip4:1.2.3.0/24 -all", "v=spf1 -include:_spfh.%{d2} ip4:1.2.3.0/24 -all")                           // require-valid-helo
	good("v=spf1 redirect=%{d}.d.spf.example.com.", "v=spf1 redirect=%{d}.d.spf.example.com.")
	good("v=spf1 a:%{d}", "v=spf1 a:%{d}")                             // domain-end = macro-expand
	good("v=spf1 a:%{d01}.example.com", "v=spf1 a:%{d01}.example.com") // transformers = *DIGIT: 01 is 1
	good("v=spf1 mx:%{o}/24 -all", "v=spf1 mx:%{o}/24 -all")           // mailauth#100

	// Modifiers, RFC 7208, Section 6.
	good("v=spf1 Redirect=a.example EXP=b.example", "v=spf1 redirect=a.example exp=b.example")
	good("v=spf1 redirect=t5.example.com ~all", "v=spf1 redirect=t5.example.com ~all")                                 // legal; Check warns it is ignored
	good("v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all") // modifier-charset-good
	good("v=spf1 default=pass", "v=spf1 default=pass")                                                                 // default-modifier-obsolete: unknown, ignored
	good("v=spf1 default=+", "v=spf1 default=+")                                                                       // default-modifier-obsolete2
	good("v=spf1 x-note= -all", "v=spf1 x-note= -all")                                                                 // macro-string may be empty
	good("v=spf1 x=%{c}%{r}%{t} -all", "v=spf1 x=%{c}%{r}%{t} -all")                                                   // the ABNF allows every letter in unknown modifiers
	good("v=spf1 include=_spf.example.com -all", "v=spf1 include=_spf.example.com -all")                               // "=" makes it a modifier; Check warns

	// Not SPF at all: isSPF false, and the error says why.
	notSPF := func(txt, contains string) {
		t.Helper()
		rec, isSPF, err := Parse(txt)
		assert.False(t, isSPF, "%q", txt)
		assert.ErrorIs(t, err, ErrNoRecord, "%q", txt)
		assert.ErrorContains(t, err, contains, "%q", txt)
		assert.Nil(t, rec, "%q", txt)
		_, l := Check(txt)
		assert.True(t, l.Has("spf.not_spf"), "%q: %v", txt, l)
	}
	notSPF("", "does not begin with v=spf1")
	notSPF("v=spf", "does not begin with v=spf1")
	notSPF("v=spf10", `version is "v=spf10"`)                // the suite's nospace2
	notSPF("v=spf1mx", "without a space")                    // "v=spf1" "mx" joined: the suite's nospace1
	notSPF(" v=spf1 -all", "no space before it")             // checkdmarc#258
	notSPF("v=spf1\t-all", "not a tab")                      // version = "v=spf1" then SP
	notSPF("spf2.0/pra -all", "does not begin with v=spf1")  // Sender ID (RFC 4406) is not SPF
	notSPF("google-site-verification=abc", "does not begin") // other TXT records
	notSPF("\x96", "does not begin")                         // checkdmarc#231: bytes that are not UTF-8

	// all, RFC 7208, Section 5.1.
	bad("v=spf1 -all.", "spf.mechanism_unknown", `"all."`) // all-dot
	bad("v=spf1 -all:foobar", "spf.syntax", "no argument") // all-arg
	bad("v=spf1 -all/8", "spf.syntax", "no argument")      // all-cidr
	// Terms, RFC 7208, Section 4.6.1.
	bad("v=spf1 ip4:1.2.3.4 -all moo", "spf.mechanism_unknown", `"moo"`)                                 // detect-errors-anywhere
	bad("v=spf1 moo.cow/far_out=man:dog/cat ip4:1.2.3.4 -all", "spf.mechanism_unknown", "moo.cow")       // modifier-charset-bad1
	bad("v=spf1 moo.cow:far_out=man:dog/cat ip4:1.2.3.4 -all", "spf.mechanism_unknown", "moo.cow")       // modifier-charset-bad2
	bad("v=spf1 ip4:1.2.3.4 redirect:t2.example.com", "spf.mechanism_unknown", "redirect is a modifier") // redirect-is-modifier
	bad("v=spf1 ip:1.2.3.4 -all", "spf.mechanism_unknown", `"ip"`)
	bad("v=spf1 + -all", "spf.syntax", "no mechanism name")
	bad("v=spf1 -all\tip4:1.2.3.4", "spf.syntax", "tab")
	bad("v=spf1 a:foo.example.com\x00", "spf.syntax", "control character") // a-null
	// Non-ASCII, RFC 7208, Section 3.1.
	bad("v=spf1 \x80a:example.net -all", "spf.non_ascii", "not ASCII")                 // non-ascii-mech
	bad("v=spf1 a:\xef\xbb\xbfgarbage.example.net -all", "spf.non_ascii", "not ASCII") // non-ascii-policy
	bad("v=spf1 a:example.net \x96all", "spf.non_ascii", "not ASCII")                  // non-ascii-result
	bad("v=spf1 a:bücher.example -all", "spf.non_ascii", "not ASCII")
	// Domain-specs, RFC 7208, Section 7.1.
	bad("v=spf1 a:foo-bar -all", "spf.domain_invalid", "no dot")      // invalid-domain
	bad("v=spf1 a:museum", "spf.domain_invalid", "no dot")            // a-only-toplabel
	bad("v=spf1 a:museum.", "spf.domain_invalid", "no dot")           // a-only-toplabel-trailing-dot
	bad("v=spf1 a:abc.123", "spf.domain_invalid", "all digits")       // a-numeric-toplabel
	bad("v=spf1 mx:abc.123", "spf.domain_invalid", "all digits")      // mx-numeric-top-label
	bad("v=spf1 a:111.222.33.44", "spf.domain_invalid", "IP address") // a-numeric: the common mistake
	bad("v=spf1 a:2001:db8::1 -all", "spf.domain_invalid", "IP address")
	bad("v=spf1 a:example.com:8080", "spf.domain_invalid", "last label")  // a-bad-domain
	bad("v=spf1 mx:example.com:8080", "spf.domain_invalid", "last label") // mx-bad-domain
	bad("v=spf1 a:example.-com", "spf.domain_invalid", "last label")      // a-bad-toplabel
	bad("v=spf1 mx:example.-com", "spf.domain_invalid", "last label")     // mx-bad-toplab
	bad("v=spf1 a:foo.com..", "spf.domain_invalid", "last label")
	bad("v=spf1 a:foo.com//", "spf.domain_invalid", "last label")
	bad("v=spf1 a:%{d}com", "spf.domain_invalid", "no dot")                           // domain-end: "." toplabel or a macro
	bad("v=spf1 a:%{d}.", "spf.domain_invalid", "no dot")                             // nor a bare dot after a macro
	bad("v=spf1 a:", "spf.domain_invalid", "no domain")                               // a-empty-domain
	bad("v=spf1 mx: -all", "spf.domain_invalid", "no domain")                         // mx-empty-domain
	bad("v=spf1 include: -all", "spf.domain_invalid", "needs a domain")               // include-empty-domain
	bad("v=spf1 include +all", "spf.domain_invalid", "needs a domain")                // include-syntax-error
	bad("v=spf1 include:ip5.example.com/24 -all", "spf.domain_invalid", "last label") // include-cidr
	bad("v=spf1 exists", "spf.domain_invalid", "needs a domain")                      // exists-implicit
	bad("v=spf1 exists:", "spf.domain_invalid", "needs a domain")                     // exists-empty-domain
	bad("v=spf1 exists:mail.example.com/24", "spf.domain_invalid", "last label")      // exists-cidr
	bad("v=spf1 ptr:", "spf.domain_invalid", "no domain")                             // ptr-empty-domain
	bad("v=spf1 ptr/0 -all", "spf.syntax", "no prefix length")                        // ptr-cidr
	// Dual CIDR, RFC 7208, Section 5.6.
	bad("v=spf1 a/33 -all", "spf.cidr_invalid", "33 is over 32")          // a-bad-cidr4
	bad("v=spf1 mx/33 -all", "spf.cidr_invalid", "33 is over 32")         // mx-bad-cidr4
	bad("v=spf1 a//129 -all", "spf.cidr_invalid", "129 is over 128")      // a-bad-cidr6
	bad("v=spf1 mx//129 -all", "spf.cidr_invalid", "129 is over 128")     // mx-bad-cidr6
	bad("v=spf1 a/24/64 -all", "spf.cidr_invalid", "not a prefix length") // a-dual-cidr-ip4-err
	bad("v=spf1 a/024 -all", "spf.cidr_invalid", "leading zero")
	bad("v=spf1 mx/24x -all", "spf.cidr_invalid", "not a prefix length")
	bad("v=spf1 a/99999999999 -all", "spf.cidr_invalid", "over 32")
	// ip4 and ip6, RFC 7208, Section 5.6.
	bad("v=spf1 ip4:1.2.3.4/33 -all", "spf.cidr_invalid", "33 is over 32")   // cidr4-33
	bad("v=spf1 ip4:1.2.3.4/032 -all", "spf.cidr_invalid", "leading zero")   // cidr4-032
	bad("v=spf1 ip4:1.2.3.4//32", "spf.cidr_invalid", "not a prefix length") // ip4-dual-cidr
	bad("v=spf1 ip4:1.2.3", "spf.ip_invalid", "all four parts")              // bad-ip4-short
	bad("v=spf1 ip4", "spf.ip_invalid", "needs an IPv4 address")             // bare-ip4
	bad("v=spf1 ip4:1.2.3.4:8080", "spf.ip_invalid", "not an IPv4 address")  // bad-ip4-port
	bad("v=spf1 ip4:01.2.3.4", "spf.ip_invalid", "not an IPv4 address")      // qnum has no leading zeros
	bad("v=spf1 ip4:2001:db8::1", "spf.ip_invalid", "use ip6:")
	bad("v=spf1 ip4:%{i}", "spf.ip_invalid", "not macros")                     // no macros in ip4
	bad("v=spf1 ip6:::1.1.1.1/129", "spf.cidr_invalid", "129 is over 128")     // cidr6-129
	bad("v=spf1 -all ip6", "spf.ip_invalid", "needs an IPv6 address")          // bare-ip6
	bad("v=spf1 ip6:::1.1.1.1//33", "spf.cidr_invalid", "not a prefix length") // cidr6-bad
	bad("v=spf1 ip6::CAFE::BABE", "spf.ip_invalid", "not an IPv6 address")     // ip6-bad1
	bad("v=spf1 ip6:192.0.2.1", "spf.ip_invalid", "use ip4:")
	bad("v=spf1 ip6:fe80::1%25eth0", "spf.ip_invalid", "not macros")
	// Modifiers, RFC 7208, Section 6.
	bad("v=spf1 exp= -all", "spf.domain_invalid", "exp= has no domain")                                     // exp-empty-domain
	bad("v=spf1 ?all redirect=", "spf.domain_invalid", "redirect= has no domain")                           // redirect-empty-domain
	bad("v=spf1 redirect=e12.example.com -all redirect=e12.example.com", "spf.modifier_duplicate", "twice") // redirect-twice
	bad("v=spf1 exp=e13msg.example.com -all exp=e11msg.example.com", "spf.modifier_duplicate", "twice")     // exp-twice
	bad("v=spf1 REDIRECT=a.example redirect=b.example", "spf.modifier_duplicate", "twice")
	bad("v=spf1 exp=-all", "spf.domain_invalid", "no dot")               // exp-syntax-error
	bad("v=spf1 redirect=-all ?all", "spf.domain_invalid", "no dot")     // redirect-syntax-error
	bad("v=spf1 =all", "spf.modifier_invalid", "no name")                // empty-modifier-name
	bad("v=spf1 1up=foo", "spf.modifier_invalid", "begin with a letter") // invalid-modifier
	bad("v=spf1 -redirect=a.example", "spf.modifier_invalid", "no qualifier")
	bad("v=spf1 -all foo=%abc", "spf.macro_invalid", "'%' must be followed") // unknown-modifier-syntax
	// Macros, RFC 7208, Sections 7.1 to 7.3.
	bad("v=spf1 a:%{a}.example.com -all", "spf.macro_invalid", "not a macro letter")        // undef-macro
	bad("v=spf1 -all exp=%{r}.example.com", "spf.macro_invalid", "only in the explanation") // exp-only-macro-char
	bad("v=spf1 exists:%{c}.example.com", "spf.macro_invalid", "only in the explanation")
	bad("v=spf1 exists:%{T}.example.com", "spf.macro_invalid", "only in the explanation")
	bad("v=spf1 -exists:%(ir).sbl.example.com ?all", "spf.macro_invalid", "must be followed")   // invalid-macro-char
	bad("v=spf1 exists:foo%(ir).sbl.example.com ?all", "spf.macro_invalid", "must be followed") // invalid-embedded-macro-char
	bad("v=spf1 exists:foo%.sbl.example.com ?all", "spf.macro_invalid", "must be followed")     // invalid-trailing-macro-char
	bad("v=spf1 a:foo.example.com%", "spf.macro_invalid", "at the end")
	bad("v=spf1 a:%{d0}.example.com", "spf.macro_invalid", "must not be zero")
	bad("v=spf1 a:%{d", "spf.macro_invalid", "unterminated")
	bad("v=spf1 a:%{", "spf.macro_invalid", "unterminated")
	bad("v=spf1 a:%{dx}.example.com", "spf.macro_invalid", "unexpected 'x'")
}

func TestParseTerms(t *testing.T) {
	rec, _, err := Parse("v=spf1 -a:mail.example.com/24//64 ip6:2001:db8::/32 include:_spf.example.net ~all redirect=_spf.example.org x=y")
	require.NoError(t, err)
	n24, n64 := 24, 64
	assert.Equal(t, []Term{
		{Qualifier: Fail, Mechanism: A, Domain: "mail.example.com", CIDR4: &n24, CIDR6: &n64, Raw: "-a:mail.example.com/24//64"},
		{Qualifier: Pass, Mechanism: IP6, Net: netip.MustParsePrefix("2001:db8::/32"), Raw: "ip6:2001:db8::/32"},
		{Qualifier: Pass, Mechanism: Include, Domain: "_spf.example.net", Raw: "include:_spf.example.net"},
		{Qualifier: SoftFail, Mechanism: All, Raw: "~all"},
		{Modifier: Redirect, Domain: "_spf.example.org", Raw: "redirect=_spf.example.org"},
		{Modifier: "x", Value: "y", Raw: "x=y"},
	}, rec.Terms)
}

func TestSyntaxError(t *testing.T) {
	_, _, err := Parse("v=spf1 a:foo-bar -all")
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrSyntax))
	assert.Equal(t, `spf: syntax error: at offset 9: domain "foo-bar" has no dot: a domain needs at least two labels, or a macro at the end`, err.Error())
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 9, se.Offset)
}

func TestIsSPF(t *testing.T) {
	for txt, want := range map[string]bool{
		"v=spf1":         true,
		"v=spf1 -all":    true,
		"V=SPF1 -all":    true,  // case-insensitive (RFC 7208, Section 4.5; the suite's case-insensitive)
		"v=spf1mx":       false, // "v=spf1" "mx" joined: the suite's nospace1
		"v=spf10":        false, // nospace2
		" v=spf1 -all":   false, // checkdmarc#258
		"v=spf1\t-all":   false,
		"v=spf":          false,
		"":               false,
		"v=\u017fpf1 -a": false, // a long s folds to s in Unicode, not in the version
	} {
		assert.Equal(t, want, IsSPF(txt), "%q", txt)
	}
}

func TestSelect(t *testing.T) {
	rec, err := Select([]string{"google-site-verification=abc", "v=spf1 -all", "\x96"}) // non-ascii-non-spf: not our business
	require.NoError(t, err)
	assert.Equal(t, "v=spf1 -all", rec.String())

	rec, err = Select([]string{"v=spf10", "v=spf1 mx"}) // nospace2
	require.NoError(t, err)
	assert.Equal(t, "v=spf1 mx", rec.String())

	_, err = Select([]string{"v=spf1 -all", "V=sPf1 +all"}) // multitxt2
	assert.ErrorIs(t, err, ErrMultipleRecords)
	_, err = Select([]string{"v=spf1 -all", "v=spf1 -all"}) // multispf1: even identical ones
	assert.ErrorIs(t, err, ErrMultipleRecords)
	_, err = Select(nil) // nospf
	assert.ErrorIs(t, err, ErrNoRecord)
	_, err = Select([]string{"v=spf1mx"}) // nospace1: none
	assert.ErrorIs(t, err, ErrNoRecord)
	_, err = Select([]string{" v=spf1 -all"}) // checkdmarc#258: a leading space is no record
	assert.ErrorIs(t, err, ErrNoRecord)
	_, err = Select([]string{"v=spf1 -all.", "v=DMARC1; p=none"})
	assert.ErrorIs(t, err, ErrSyntax)
}

func TestRoundTrip(t *testing.T) {
	for _, txt := range []string{
		"v=spf1",
		"v=spf1 -all",
		"v=spf1 +a/24//64 ?mx:%{d} ~ptr:example.com -exists:%{ir}.%{l1r+-}._spf.%{d} ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.net -all",
		"v=spf1 redirect=_spf.example.com exp=explain.%{d2} x-foo=%{c}bar",
		"V=SPF1   A   MX//64   -ALL  ",
	} {
		rec, _, err := Parse(txt)
		require.NoError(t, err, "%q", txt)
		s := rec.String()
		rec2, _, err := Parse(s)
		require.NoError(t, err, "%q", s)
		assert.Equal(t, s, rec2.String())
		for i := range rec.Terms {
			rec.Terms[i].Raw, rec2.Terms[i].Raw = "", ""
		}
		assert.Equal(t, rec, rec2, "%q", txt)
	}
}

func TestBuild(t *testing.T) {
	rec := &Record{Terms: []Term{
		{Mechanism: IP4, Net: netip.MustParsePrefix("192.0.2.0/24")},
		{Mechanism: IP6, Net: netip.MustParsePrefix("2001:db8::1/128")},
		{Mechanism: MX, CIDR6: new(64)},
		{Mechanism: Include, Domain: "_spf.example.net"},
		{Qualifier: Fail, Mechanism: All},
	}}
	assert.Equal(t, "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::1 mx//64 include:_spf.example.net -all", rec.String())
	assert.Empty(t, rec.Validate())
	assert.Equal(t, 2, rec.Lookups())

	invalid := func(term Term, code, contains string) {
		t.Helper()
		l := (&Record{Terms: []Term{term, {Qualifier: Fail, Mechanism: All}}}).Validate()
		assert.True(t, l.Has(code), "%+v: want %s, got %v", term, code, l)
		found := false
		for _, f := range l {
			found = found || f.Code == code && strings.Contains(f.Message, contains)
		}
		assert.True(t, found, "%+v: no %s finding with %q in %v", term, code, contains, l)
	}
	invalid(Term{}, "spf.term_invalid", "neither")
	invalid(Term{Mechanism: A, Modifier: Redirect}, "spf.term_invalid", "both")
	invalid(Term{Qualifier: "!", Mechanism: A}, "spf.term_invalid", "qualifier")
	invalid(Term{Qualifier: Fail, Modifier: Redirect, Domain: "a.example"}, "spf.term_invalid", "no qualifier")
	invalid(Term{Mechanism: A, Net: netip.MustParsePrefix("192.0.2.0/24")}, "spf.term_invalid", "no network")
	invalid(Term{Mechanism: IP4, Net: netip.MustParsePrefix("2001:db8::/32")}, "spf.term_invalid", "IPv4 network")
	invalid(Term{Mechanism: IP6}, "spf.term_invalid", "IPv6 network")
	invalid(Term{Mechanism: Include}, "spf.term_invalid", "needs a domain")
	invalid(Term{Mechanism: Include, Domain: "a.example", CIDR4: new(24)}, "spf.term_invalid", "no prefix length")
	invalid(Term{Mechanism: "ipv4"}, "spf.mechanism_unknown", "ipv4")
	invalid(Term{Mechanism: A, Domain: "a b.example"}, "spf.domain_invalid", "no dot")
	invalid(Term{Mechanism: A, CIDR4: new(40)}, "spf.cidr_invalid", "40 is over 32")
	invalid(Term{Modifier: "x", Domain: "a.example"}, "spf.term_invalid", "Value")
}

func TestLookups(t *testing.T) {
	for txt, want := range map[string]int{
		"v=spf1 -all": 0,
		"v=spf1 ip4:192.0.2.1 ip6:2001:db8::1 -all":                    0, // ip4, ip6 and all need no DNS
		"v=spf1 a mx ptr exists:%{i}.x.example include:a.example -all": 5,
		"v=spf1 a redirect=b.example":                                  2,
		"v=spf1 a redirect=b.example -all":                             1, // redirect is ignored with all (Section 6.1)
		"v=spf1 a -all mx":                                             1, // mx is never reached (Section 5.1)
		"v=spf1 exp=explain.example -all":                              0, // exp does not count (Section 4.6.4)
	} {
		rec, _, err := Parse(txt)
		require.NoError(t, err, "%q", txt)
		assert.Equal(t, want, rec.Lookups(), "%q", txt)
	}
}
