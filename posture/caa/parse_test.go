package caa

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseCases are the presentation forms every round-trip and cross-check
// test runs. want is the record they hold.
var parseCases = []struct {
	text string
	want Record
}{
	{`0 issue "letsencrypt.org"`, Record{0, "issue", "letsencrypt.org"}}, // RFC 8659, Section 4.2
	{`0 issue letsencrypt.org`, Record{0, "issue", "letsencrypt.org"}},   // unquoted (Section 4.1.1)
	{`0 issue ";"`, Record{0, "issue", ";"}},                             // nobody may issue
	{`0 issue ""`, Record{0, "issue", ""}},                               // empty value: also nobody
	{`128 tbs "Unknown"`, Record{128, "tbs", "Unknown"}},                 // RFC 8659, Section 4.5
	{`0 iodef "mailto:security@example.com"`, Record{0, "iodef", "mailto:security@example.com"}},
	{`0 issuewild "ca2.example.org"`, Record{0, "issuewild", "ca2.example.org"}},
	{`0 issue "ca1.example.net; account=230123"`, Record{0, "issue", "ca1.example.net; account=230123"}},
	{`0 issue "example.net; accounturi=https://example.net/account/1234; validationmethods=dns-01"`,
		Record{0, "issue", "example.net; accounturi=https://example.net/account/1234; validationmethods=dns-01"}}, // RFC 8657, Appendix A
	{`0 issue "a\"b"`, Record{0, "issue", `a"b`}},                  // \X escape
	{`0 issue "a\\b"`, Record{0, "issue", `a\b`}},                  // escaped backslash
	{`0 issue "a\059b"`, Record{0, "issue", "a;b"}},                // \DDD escape
	{`0 issue "caf\195\169"`, Record{0, "issue", "caf\xc3\xa9"}},   // bytes as \DDD
	{"0 issue \"caf\xc3\xa9\"", Record{0, "issue", "caf\xc3\xa9"}}, // raw UTF-8 inside quotes
	{`0 issue "a	b"`, Record{0, "issue", "a\tb"}},                  // raw tab inside quotes
	{`0 issue a\ b`, Record{0, "issue", "a b"}},                    // escaped space, unquoted
	{`0 issue "a\000b"`, Record{0, "issue", "a\x00b"}},
	{`00128 issue x`, Record{128, "issue", "x"}},                               // leading zeros (miekg agrees)
	{`255 ISSUE "x"`, Record{255, "ISSUE", "x"}},                               // all flags, tag case kept
	{`0 issue "x" ; comment`, Record{0, "issue", "x"}},                         // zone-file comment
	{`0 issue letsencrypt.org;comment`, Record{0, "issue", "letsencrypt.org"}}, // ';' starts a comment outside quotes
	{`  0	issue  "x"  `, Record{0, "issue", "x"}},                              // any white space
	{`0 issue ( "x" )`, Record{0, "issue", "x"}},                               // parentheses group
	{"0 issue (\n \"x\" )", Record{0, "issue", "x"}},                           // ... across lines
	{`CAA 0 issue "x"`, Record{0, "issue", "x"}},                               // the type before the data
	{`IN CAA 0 issue "x"`, Record{0, "issue", "x"}},                            //
	{"0 issue \"x\"\n", Record{0, "issue", "x"}},                               // a final line end
	{`\# 8 0005697373756578`, Record{0, "issue", "x"}},                         // RFC 3597 generic form
	{`\# 7 80 05 69737375 65`, Record{128, "issue", ""}},                       // hex in pieces
	{`0 x1 "v"`, Record{0, "x1", "v"}},                                         // tags may have digits
	{`0 issue ";;;"`, Record{0, "issue", ";;;"}},                               // value syntax is not Parse's business
	{`0 contactphone "+1 (555) 123-4567"`, Record{0, "contactphone", "+1 (555) 123-4567"}},
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		r, err := Parse(c.text)
		if assert.NoError(t, err, "%q", c.text) {
			assert.Equal(t, c.want, *r, "%q", c.text)
		}
	}

	bad := func(text, contains string) {
		t.Helper()
		_, err := Parse(text)
		if assert.Error(t, err, "%q", text) {
			assert.ErrorIs(t, err, ErrSyntax)
			assert.Contains(t, err.Error(), contains, "%q", text)
		}
	}
	bad(``, "no record")
	bad(`   `, "no record")
	bad(`0`, "no tag")
	bad(`0 issue`, "no value")              // miekg agrees: bad CAA Value
	bad(`256 issue "x"`, "0 to 255")        // one octet
	bad(`-1 issue "x"`, "flags")            //
	bad(`0x80 issue "x"`, "flags")          // decimal only
	bad(`issue "letsencrypt.org"`, "flags") // the flags are required
	bad(`example.com. 3600 IN CAA 0 issue "x"`, "after CAA")
	bad(`0 "issue" "x"`, "not quoted")            // miekg agrees: bad CAA Tag
	bad(`0 is-sue "x"`, "only ASCII letters")     // RFC 8659, Section 4.1; miekg accepts it
	bad(`0 issue_wild "x"`, "only ASCII letters") //
	bad(`0 issue"x"`, "put a space")
	bad(`0 0()0`, "put a space")             // miekg/dns rejects it too
	bad(`0()issue x`, "put a space")         // miekg/dns reads the flags "0issue"
	bad(`0 issue x(y)`, "unexpected")        // miekg/dns reads the value "xy"
	bad(`0 issue "a" "b"`, "unexpected")     // one value only (miekg agrees)
	bad(`0 issue a b`, "must be quoted")     // miekg agrees
	bad(`0 issue "x`, "not closed")          // unterminated
	bad(`0 issue "x\"`, "not closed")        // the quote is escaped
	bad(`0 issue "a\300b"`, "at most \\255") // miekg wraps it to ','
	bad(`0 issue "a\25"`, "three digits")    // miekg reads \2 then 5
	bad(`0 issue "a\2b"`, "three digits")    //
	bad(`0 issue x\`, "escapes nothing")     //
	bad("0 issue \"a\x01b\"", "control character")
	bad("0 issue \"a\nb\"", "not closed on its line")
	bad(`0 issue a"b`, "inside an unquoted value")
	bad(`0 issue "x"y`, "after the quoted value")
	bad(`0 issue ( "x"`, "without ')'")
	bad(`0 issue "x" )`, "without '('")
	bad("0 issue \"x\"\n0 issue \"y\"", "more than one record")
	bad(`\# 2 0000`, "tag is empty")       // miekg accepts an empty tag
	bad(`\# 3 0005ab`, "runs past")        //
	bad(`\# 1 00`, "at least 2 bytes")     //
	bad(`\# 4 0005697373`, "says 4 bytes") // length mismatch
	bad(`\# x 00`, "data length")
	bad(`\# 2 0g00`, "not hexadecimal")
	bad("0 "+strings.Repeat("a", 256)+" x", "at most 255")

	// The error says where.
	_, err := Parse(`0 issue "x" junk`)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 12, se.Offset)
	assert.Equal(t, 0, se.Line)
}

func TestRoundTrip(t *testing.T) {
	for _, c := range parseCases {
		r, err := Parse(c.text)
		require.NoError(t, err, "%q", c.text)
		s := r.String()
		r2, err := Parse(s)
		require.NoError(t, err, "%q -> %q", c.text, s)
		assert.Equal(t, r, r2, "%q -> %q", c.text, s)
		assert.Equal(t, s, r2.String())
	}
	// Every byte value survives.
	var all strings.Builder
	for b := range 256 {
		all.WriteByte(byte(b))
	}
	r := Record{Flags: 128, Tag: "x", Value: all.String()}
	r2, err := Parse(r.String())
	require.NoError(t, err)
	assert.Equal(t, r, *r2)
}

func TestString(t *testing.T) {
	assert.Equal(t, `0 issue "letsencrypt.org"`, Record{Tag: "issue", Value: "letsencrypt.org"}.String())
	assert.Equal(t, `128 issue ";"`, Record{Flags: 128, Tag: "issue", Value: ";"}.String())
	assert.Equal(t, `0 x "a\"b\\c\009\127\255 d"`, Record{Tag: "x", Value: "a\"b\\c\t\x7f\xff d"}.String())
	assert.Equal(t, `0 issue ""`, Record{Tag: "issue"}.String())
}

func TestParseSet(t *testing.T) {
	text := `; the CAA records of example.com
0 issue "letsencrypt.org"   ; Let's Encrypt
0 issue "digicert.com"

0 issuewild ";"
0 iodef ( "mailto:security@example.com"
          )
CAA 0 issue "a;b" ; a ';' inside quotes is data
`
	recs, err := ParseSet(text)
	require.NoError(t, err)
	assert.Equal(t, []Record{
		{0, "issue", "letsencrypt.org"},
		{0, "issue", "digicert.com"},
		{0, "issuewild", ";"},
		{0, "iodef", "mailto:security@example.com"},
		{0, "issue", "a;b"},
	}, recs)

	recs, err = ParseSet("")
	require.NoError(t, err)
	assert.Empty(t, recs)
	assert.NotNil(t, recs)

	recs, err = ParseSet("\r\n0 issue \"x\"\r\n0 issue y\r\n")
	require.NoError(t, err)
	assert.Equal(t, []Record{{0, "issue", "x"}, {0, "issue", "y"}}, recs)

	// Errors carry the line.
	_, err = ParseSet("0 issue \"x\"\n\n0 is_sue \"y\"\n")
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 3, se.Line)
	assert.Equal(t, 2, se.Offset)
	assert.Contains(t, err.Error(), "line 3")

	// An unclosed quote does not swallow the next lines.
	_, err = ParseSet("0 issue \"x\n0 issue \"y\"\n")
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 1, se.Line)
}
