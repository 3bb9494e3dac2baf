package caa

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func strs(recs []Record) []string {
	out := []string{}
	for _, r := range recs {
		out = append(out, r.String())
	}
	return out
}

func TestForIssuers(t *testing.T) {
	build := func(issuers []string, opts BuildOptions, want ...string) {
		t.Helper()
		recs, err := ForIssuers(issuers, opts)
		require.NoError(t, err)
		assert.Equal(t, want, strs(recs))
		// What is built parses back and has no error.
		back, err := ParseSet(strings.Join(strs(recs), "\n"))
		require.NoError(t, err)
		assert.Equal(t, recs, back)
		assert.False(t, CheckSet(recs).HasErrors(), "%v", CheckSet(recs))
	}
	build([]string{"letsencrypt.org"}, BuildOptions{},
		`0 issue "letsencrypt.org"`,
		`0 issuewild "letsencrypt.org"`)
	build([]string{"letsencrypt.org", "digicert.com", "LetsEncrypt.org "}, BuildOptions{NoWildcard: true, Contact: []string{"security@example.com", "tel:+1-555-0100", "https://example.com/iodef", "mailto:security@example.com"}},
		`0 issue "letsencrypt.org"`,
		`0 issue "digicert.com"`,
		`0 issuewild ";"`,
		`0 iodef "mailto:security@example.com"`,
		`0 iodef "https://example.com/iodef"`)
	build(nil, BuildOptions{NoWildcard: true, NoMail: true},
		`0 issue ";"`,
		`0 issuewild ";"`,
		`0 issuemail ";"`)
	build([]string{";"}, BuildOptions{},
		`0 issue ";"`)
	build([]string{"letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1", "sectigo.com"}, BuildOptions{ValidationMethods: []string{"dns-01"}, MailIssuers: []string{"sectigo.com"}},
		`0 issue "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1; validationmethods=dns-01"`,
		`0 issue "sectigo.com; validationmethods=dns-01"`,
		`0 issuewild "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1; validationmethods=dns-01"`,
		`0 issuewild "sectigo.com; validationmethods=dns-01"`,
		`0 issuemail "sectigo.com"`)
	build([]string{"ca.example; validationmethods=http-01"}, BuildOptions{ValidationMethods: []string{"dns-01"}, NoWildcard: true},
		`0 issue "ca.example; validationmethods=http-01"`,
		`0 issuewild ";"`)

	bad := func(issuers []string, opts BuildOptions, contains string) {
		t.Helper()
		_, err := ForIssuers(issuers, opts)
		if assert.Error(t, err) {
			assert.Contains(t, err.Error(), contains)
		}
	}
	bad([]string{"letsencrypt.org."}, BuildOptions{}, "final dot")
	bad([]string{"https://letsencrypt.org"}, BuildOptions{}, "URL")
	bad([]string{"; accounturi=x"}, BuildOptions{}, "names no CA")
	bad([]string{"ca.example"}, BuildOptions{MailIssuers: []string{"a b"}}, "mail issuer")
	bad([]string{"ca.example"}, BuildOptions{ValidationMethods: []string{"dns 01"}}, "validation methods")
	bad([]string{"ca.example"}, BuildOptions{Contact: []string{"security"}}, "contact")
	bad([]string{"ca.example"}, BuildOptions{Contact: []string{"https://"}}, "contact")
}
