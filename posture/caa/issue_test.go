package caa

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// issueCases are issue values that follow the grammar of RFC 8659, Section
// 4.2, with what they hold.
var issueCases = []struct {
	value string
	want  Issue
}{
	{"ca1.example.net", Issue{IssuerDomain: "ca1.example.net"}}, // RFC 8659, Section 4.2
	{";", Issue{}},  // nocerts.example.com: nobody may issue
	{"", Issue{}},   // the grammar allows an empty value: nobody
	{"  ", Issue{}}, // *WSP
	{" ; ", Issue{}},
	{"ca1.example.net; account=230123", Issue{"ca1.example.net", []Param{{"account", "230123"}}}}, // Section 4.2
	{"ca.example;", Issue{IssuerDomain: "ca.example"}},                                            // a final ';' after the name
	{"ca.example ;", Issue{IssuerDomain: "ca.example"}},
	{"  ca.example  ", Issue{IssuerDomain: "ca.example"}},
	{"ca.example;a=b", Issue{"ca.example", []Param{{"a", "b"}}}},
	{"ca.example; a = b ;\tc=d ", Issue{"ca.example", []Param{{"a", "b"}, {"c", "d"}}}}, // *WSP around '=' and ';'
	{"ca.example; a=", Issue{"ca.example", []Param{{"a", ""}}}},                         // parameter-value = *(...)
	{"ca.example; a=x=y", Issue{"ca.example", []Param{{"a", "x=y"}}}},                   // '=' is a value character
	{"; a=b", Issue{Params: []Param{{"a", "b"}}}},                                       // parameters without a CA
	{"ca-1.ex--ample.net", Issue{IssuerDomain: "ca-1.ex--ample.net"}},                   // inner hyphens, even doubled
	{"LetsEncrypt.ORG", Issue{IssuerDomain: "LetsEncrypt.ORG"}},                         // case kept
	{"com", Issue{IssuerDomain: "com"}},                                                 // one label
	{"ca.example; x-y-1=v", Issue{"ca.example", []Param{{"x-y-1", "v"}}}},               // hyphens in parameter tags (erratum 5934)
	{"example.net; accounturi=https://example.net/account/1234; validationmethods=dns-01,ca-foo",
		Issue{"example.net", []Param{{"accounturi", "https://example.net/account/1234"}, {"validationmethods", "dns-01,ca-foo"}}}}, // RFC 8657, Appendix A
}

func TestParseIssue(t *testing.T) {
	for _, c := range issueCases {
		is, err := ParseIssue(c.value)
		if assert.NoError(t, err, "%q", c.value) {
			assert.Equal(t, c.want, *is, "%q", c.value)
		}
	}

	bad := func(value, contains string) {
		t.Helper()
		_, err := ParseIssue(value)
		if assert.Error(t, err, "%q", value) {
			assert.ErrorIs(t, err, ErrIssueSyntax)
			assert.Contains(t, err.Error(), contains, "%q", value)
		}
	}
	bad("%%%%%", "cannot start a label")                     // RFC 8659, Section 4.2: malformed.example.com
	bad("letsencrypt.org.", "final dot")                     // a common mistake
	bad("letsencrypt.org.; a=b", "final dot")                //
	bad("https://letsencrypt.org", "is a URL")               //
	bad("letsencrypt.org digicert.com", "one record per CA") // two CAs in one value
	bad("letsencrypt.org,digicert.com", "one record per CA") //
	bad(`"letsencrypt.org"`, "quote the value once")         // quoted twice
	bad(".ca.example", "empty label")                        //
	bad("ca-.example", "ends with '-'")                      //
	bad("ca..example", "empty label")                        //
	bad(".ca.example", "empty label")                        //
	bad("ca_1.example", "'_' is not allowed")                //
	bad("ca.example:443", "without port or path")            //
	bad("*.example.com", "issuewild")                        //
	bad("b\xc3\xbccher.example", "A-label")                  // U-labels are not LDH
	bad("ca.example; a=b;", "after the last parameter")      // parameters may not end with ';' (Boulder agrees)
	bad("ca.example;;", "two ';'")                           //
	bad("ca.example; a=b;; c=d", "two ';'")                  //
	bad("ca.example; a", "has no '='")                       //
	bad("ca.example; a b=c", "has no '='")                   //
	bad("ca.example; a_b=c", "only letters, digits")         // Boulder agrees; RFC 8659 allows only '-'
	bad("ca.example; -a=c", "parameter names are")           //
	bad("ca.example; a-=c", "ends with '-'")                 //
	bad("ca.example; a=b c=d", "separated by ';'")           // values have no spaces
	bad("ca.example; a=b\xff", "visible ASCII")              //
	bad("ca.example; a=caf\xc3\xa9", "visible ASCII")        //
	bad("ca.example; =b", "parameter names are")             //
	bad("ca.example\x00", "unexpected")                      //

	_, err := ParseIssue("ca.example; a=b;")
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 15, se.Offset)
}

func TestIssueRoundTrip(t *testing.T) {
	for _, c := range issueCases {
		is, err := ParseIssue(c.value)
		require.NoError(t, err, "%q", c.value)
		s := is.String()
		is2, err := ParseIssue(s)
		require.NoError(t, err, "%q -> %q", c.value, s)
		assert.Equal(t, is, is2, "%q -> %q", c.value, s)
	}
	assert.Equal(t, ";", (&Issue{}).String())
	assert.Equal(t, "ca.example", (&Issue{IssuerDomain: "ca.example"}).String())
	assert.Equal(t, "ca.example; a=b; c=", (&Issue{"ca.example", []Param{{"a", "b"}, {"c", ""}}}).String())
	assert.Equal(t, "; a=b", (&Issue{Params: []Param{{"a", "b"}}}).String())
}

func TestIssueParams(t *testing.T) {
	is, err := ParseIssue("ca.example; accounturi=https://ca.example/a/1; accounturi=https://ca.example/a/2; validationmethods=dns-01,http-01; AccountURI=x")
	require.NoError(t, err)
	assert.Equal(t, []string{"https://ca.example/a/1", "https://ca.example/a/2"}, is.AccountURIs())
	assert.Equal(t, []string{"dns-01", "http-01"}, is.ValidationMethods())
	v, ok := is.Param("AccountURI")
	assert.True(t, ok)
	assert.Equal(t, "x", v)
	_, ok = is.Param("account")
	assert.False(t, ok)

	is, err = ParseIssue("ca.example; validationmethods=")
	require.NoError(t, err)
	assert.Equal(t, []string{}, is.ValidationMethods())
	is, err = ParseIssue("ca.example")
	require.NoError(t, err)
	assert.Nil(t, is.ValidationMethods())
	assert.Nil(t, is.AccountURIs())

	is, err = Record{Tag: "IssueWild", Value: "ca.example"}.IssueValue()
	require.NoError(t, err)
	assert.Equal(t, "ca.example", is.IssuerDomain)
	_, err = Record{Tag: "iodef", Value: "ca.example"}.IssueValue()
	assert.ErrorIs(t, err, ErrIssueSyntax)
}
