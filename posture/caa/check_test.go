package caa

import (
	"fmt"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/finding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// codes renders findings as "severity code" for comparison.
func codes(l finding.List) []string {
	out := []string{}
	for _, f := range l {
		out = append(out, string(f.Severity)+" "+f.Code)
	}
	return out
}

func TestCheck(t *testing.T) {
	check := func(text string, want ...string) {
		t.Helper()
		_, l := Check(text)
		if want == nil {
			want = []string{}
		}
		assert.Equal(t, want, codes(l), "%q: %v", text, l)
		for _, f := range l {
			assert.NotEmpty(t, f.Message)
			assert.NotEmpty(t, f.RFC, "%s", f.Code)
		}
	}
	// Good records: nothing to say.
	check(`0 issue "letsencrypt.org"`)
	check(`0 issue ";"`)
	check(`0 issue ""`)
	check(`128 issue "letsencrypt.org"`) // every CA knows issue
	check(`0 issuewild "ca.example; validationmethods=dns-01"`)
	check(`0 issue "example.net; accounturi=https://example.net/account/1234"`)
	check(`0 issue "example.net; validationmethods=dns-01,ca-foo"`) // RFC 8657, Appendix A
	check(`0 issuemail "ca.example"`)
	check(`0 issuevmc "digicert.com"`)
	check(`0 iodef "mailto:security@example.com"`)
	check(`0 iodef "mailto:a@example.com,b@example.com?subject=CAA"`)
	check(`0 iodef "https://iodef.example.com/"`)

	// Syntax.
	check(`0 is-sue "x"`, "error caa.syntax")
	check(`300 issue "x"`, "error caa.syntax")

	// Flags (RFC 8659, Section 4.1): Internet.nl accepts only 0 and 128.
	check(`1 issue "letsencrypt.org"`, "error caa.flags_reserved")
	check(`129 issue "letsencrypt.org"`, "error caa.flags_reserved")
	check(`64 issue "letsencrypt.org"`, "error caa.flags_reserved")

	// Tags.
	check(`0 ISSUE "letsencrypt.org"`, "info caa.tag_case")
	check(`0 issues "letsencrypt.org"`, "warning caa.tag_unknown")   // did you mean issue
	check(`0 issuewld "letsencrypt.org"`, "warning caa.tag_unknown") // did you mean issuewild
	check(`0 tbs "Unknown"`, "info caa.tag_unknown")
	check(`128 tbs "Unknown"`, "error caa.critical_unknown") // RFC 8659, Section 4.5
	check(`0 policy "x"`, "warning caa.tag_reserved")
	check(`128 auth "x"`, "error caa.critical_unknown")
	check(`0 abcdefghijklmnop "x"`, "info caa.tag_long", "info caa.tag_unknown")

	// Issuer values (RFC 8659, Section 4.2; Internet.nl parses them too).
	check(`0 issue "letsencrypt.org."`, "error caa.issue_syntax")
	check(`0 issue "%%%%%"`, "error caa.issue_syntax")
	check(`0 issuewild "ca.example; a=b;"`, "error caa.issue_syntax")
	check(`0 issuemail "https://ca.example"`, "error caa.issue_syntax") // RFC 9495, Section 3
	check(`0 issuevmc "a b"`, "error caa.issue_syntax")
	check(`0 issue "; accounturi=https://ca.example/1"`, "info caa.params_ignored")

	// RFC 8657.
	check(`0 issue "ca.example; accounturi=https://ca.example/1; accounturi=https://ca.example/2"`, "error caa.accounturi_multiple")
	check(`0 issue "ca.example; accounturi=12345"`, "error caa.accounturi_invalid")
	check(`0 issue "ca.example; accounturi=urn:x:1"`, "error caa.accounturi_invalid") // no authority
	check(`0 issue "ca.example; accounturi="`, "error caa.accounturi_invalid")
	check(`0 issue "ca.example; AccountURI=https://ca.example/1"`, "warning caa.param_case")
	check(`0 issue "ca.example; account-uri=https://ca.example/1"`, "warning caa.param_misspelled") // draft name
	check(`0 issue "ca.example; acme-methods=dns-01"`, "warning caa.param_misspelled")              // draft name
	check(`0 issue "ca.example; validationmethods=dns-01,,http-01"`, "error caa.validationmethods_invalid")
	check(`0 issue "ca.example; validationmethods=dns-01,"`, "error caa.validationmethods_invalid")
	check(`0 issue "ca.example; validationmethods=dns_01"`, "error caa.validationmethods_invalid")
	check(`0 issue "ca.example; validationmethods="`, "error caa.issue_unsatisfiable")
	check(`0 issue "ca.example; validationmethods=dns-02"`, "error caa.issue_unsatisfiable", "warning caa.validationmethods_unknown")
	check(`0 issue "ca.example; validationmethods=dns-01,xyz-01"`, "warning caa.validationmethods_unknown") // Internet.nl: error
	check(`0 issue "ca.example; validationmethods=DNS-01"`, "error caa.issue_unsatisfiable", "warning caa.validationmethods_unknown")
	check(`0 issue "ca.example; validationmethods=tls-sni-01,dns-01"`, "warning caa.validationmethods_unknown")
	check(`0 issue "ca.example; validationmethods=dns-account-01"`, "info caa.validationmethods_draft")
	check(`0 issue "ca.example; validationmethods=dns-01; validationmethods=http-01"`, "warning caa.param_duplicate")
	check(`0 issuewild "ca.example; validationmethods=http-01,tls-alpn-01"`, "warning caa.wildcard_method")
	check(`0 issue "ca.example; validationmethods=http-01"`) // fine for names that are not wildcards

	// iodef (RFC 8659, Section 4.4; Baseline Requirements, Section 3.2.2.8).
	check(`0 iodef "http://iodef.example.com/"`, "warning caa.iodef_http") // RFC 8659 allows it; Internet.nl too
	check(`0 iodef "ftp://example.com/"`, "error caa.iodef_invalid")
	check(`0 iodef "security@example.com"`, "error caa.iodef_invalid")
	check(`0 iodef "mailto:"`, "error caa.iodef_invalid")
	check(`0 iodef "mailto:security"`, "error caa.iodef_invalid")
	check(`0 iodef "https://"`, "error caa.iodef_invalid")
	check(`0 iodef ""`, "error caa.iodef_invalid")
	check(`0 iodef "tel:+15550100"`, "error caa.iodef_invalid")

	// Contacts (Baseline Requirements, Appendix A).
	check(`0 contactemail "domainowner@example.com"`, "info caa.contact_validation")
	check(`0 contactemail "Owner <domainowner@example.com>"`, "error caa.contactemail_invalid")
	check(`0 contactemail "mailto:domainowner@example.com"`, "error caa.contactemail_invalid")
	check(`0 contactemail "domainowner"`, "error caa.contactemail_invalid")
	check(`0 contactphone "+1.555.123.4567"`, "info caa.contact_validation")
	check(`0 contactphone "+1-(555)-123-4567;ext=12"`, "info caa.contact_validation")
	check(`0 contactphone "+1 (555) 123-4567"`, "warning caa.contactphone_spaces") // the BR's own example; RFC 3966 has no spaces
	check(`0 contactphone "555-123-4567"`, "error caa.contactphone_invalid")
	check(`0 contactphone "tel:+15551234567"`, "error caa.contactphone_invalid")
	check(`0 contactphone "+1-555-CALL"`, "error caa.contactphone_invalid")
	check(`128 contactemail "domainowner@example.com"`, "warning caa.critical_extension", "info caa.contact_validation")
	check(`128 issuemail "ca.example"`, "warning caa.critical_extension")
}

func TestCheckMessages(t *testing.T) {
	msg := func(text, code string) finding.Finding {
		t.Helper()
		_, l := Check(text)
		for _, f := range l {
			if f.Code == code {
				return f
			}
		}
		t.Fatalf("%q: no %s in %v", text, code, l)
		return finding.Finding{}
	}
	f := msg(`1 issue "letsencrypt.org"`, "caa.flags_reserved")
	assert.Contains(t, f.Message, "128")
	assert.Contains(t, f.Fix, `0 issue "letsencrypt.org"`)

	f = msg(`0 issue "letsencrypt.org."`, "caa.issue_syntax")
	assert.Contains(t, f.Message, "final dot")
	assert.Equal(t, `0 issue "letsencrypt.org"`, f.Fix)
	f = msg(`0 issue "https://letsencrypt.org/"`, "caa.issue_syntax")
	assert.Equal(t, `0 issue "letsencrypt.org"`, f.Fix)
	f = msg(`0 issue "\"letsencrypt.org\""`, "caa.issue_syntax")
	assert.Equal(t, `0 issue "letsencrypt.org"`, f.Fix)
	f = msg(`0 issue "%%%"`, "caa.issue_syntax")
	assert.Contains(t, f.Message, "naming no CA")
	assert.Contains(t, f.Fix, "letsencrypt.org")

	f = msg(`0 issues "x"`, "caa.tag_unknown")
	assert.Contains(t, f.Message, `"issue"`)
	f = msg(`0 iodef "security@example.com"`, "caa.iodef_invalid")
	assert.Equal(t, `"mailto:security@example.com"`, f.Fix)
	f = msg(`0 iodef "http://x.example/r"`, "caa.iodef_http")
	assert.Equal(t, `"https://x.example/r"`, f.Fix)
	f = msg(`0 contactphone "+1 (555) 123-4567"`, "caa.contactphone_spaces")
	assert.Equal(t, `"+1-(555)-123-4567"`, f.Fix)
	f = msg(`0 contactemail "mailto:a@example.com"`, "caa.contactemail_invalid")
	assert.Equal(t, `0 contactemail "a@example.com"`, f.Fix)
	f = msg(`0 issue "ca.example; validationmethods=DNS-01"`, "caa.validationmethods_unknown")
	assert.Equal(t, "validationmethods=dns-01", f.Fix)

	// A syntax error says where.
	_, l := Check(`0 issue "x" y`)
	require.Len(t, l, 1)
	assert.Contains(t, l[0].Message, "offset 12")
}

func TestValidate(t *testing.T) {
	// Records built in code may hold what Parse rejects; miekg/dns
	// accepts such tags too.
	assert.Equal(t, []string{"error caa.tag_invalid"}, codes((&Record{Tag: "is-sue", Value: "x"}).Validate()))
	assert.Equal(t, []string{"error caa.tag_invalid"}, codes((&Record{Tag: "", Value: "x"}).Validate()))
	assert.Equal(t, []string{"error caa.tag_invalid"}, codes((&Record{Tag: strings.Repeat("a", 256)}).Validate()))
	assert.Equal(t, []string{"error caa.value_too_long"}, codes((&Record{Tag: "issue", Value: strings.Repeat("a", 65534)}).Validate()))
	assert.Equal(t, []string{"info caa.value_long"}, codes((&Record{Tag: "issue", Value: strings.Repeat("a", 256)}).Validate()))
	assert.Empty(t, (&Record{Tag: "issue", Value: strings.Repeat("a", 255)}).Validate())
	assert.Empty(t, (&Record{Tag: "issue", Value: "letsencrypt.org"}).Validate())
}

func TestCheckSet(t *testing.T) {
	set := func(text string, want ...string) {
		t.Helper()
		recs, err := ParseSet(text)
		require.NoError(t, err, "%q", text)
		l := CheckSet(recs)
		if want == nil {
			want = []string{}
		}
		assert.Equal(t, want, codes(l), "%q: %v", text, l)
	}
	full := `
		0 issue "letsencrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1"
		0 issuewild ";"
		0 issuemail ";"
		0 iodef "mailto:security@example.com"`
	set(full)
	set(``, "warning caa.missing")
	set(`0 issue "letsencrypt.org"`,
		"info caa.binding_suggested", "info caa.iodef_missing", "info caa.issuemail_missing", "info caa.issuewild_missing")
	// Internet.nl's pass condition: at least one issue record.
	set(`0 iodef "mailto:security@example.com"`, "warning caa.issue_missing")
	set("0 issuewild \"letsencrypt.org\"\n0 iodef \"mailto:s@example.com\"", "warning caa.issue_missing", "info caa.binding_suggested")
	set("0 tbs \"x\"\n0 iodef \"mailto:s@example.com\"", "warning caa.issue_missing", "info caa.tag_unknown")
	// Authorizations add up (RFC 8659, Section 4.2).
	set(full+"\n0 issue \";\"", "warning caa.empty_issuer_ignored")
	set(full+"\n0 issuewild \"digicert.com\"", "warning caa.empty_issuer_ignored")
	set(full+"\n0 issue \"letsencrypt.org\"", "warning caa.binding_bypassed")
	set(full + "\n0 issue \"digicert.com\"") // another CA, no binding: its own business
	// A malformed issue record counts as issue ";" and is already an error.
	set(full+"\n0 issue \"letsencrypt.org.\"", "error caa.issue_syntax")
	// Duplicates (RFC 2181, Section 5).
	set(full+"\n0 iodef \"mailto:security@example.com\"", "info caa.duplicate")
	set(full+"\n0 issuewild \" ; \"", "info caa.duplicate")
	set(full+"\n128 issuemail \";\"", "warning caa.critical_extension", "info caa.duplicate")
	set(full+"\n0 ISSUE \"LetsEncrypt.org; accounturi=https://acme-v02.api.letsencrypt.org/acme/acct/1\"", "info caa.duplicate", "info caa.tag_case")
	// Nobody may issue: nothing to bind.
	set("0 issue \";\"\n0 iodef \"mailto:s@example.com\"", "info caa.issuemail_missing")

	// Findings name their record.
	l := CheckSet([]Record{{Flags: 1, Tag: "issue", Value: "letsencrypt.org"}})
	require.True(t, l.Has("caa.flags_reserved"))
	assert.Equal(t, `1 issue "letsencrypt.org"`, l[0].Where)
}

func TestCheckSetText(t *testing.T) {
	recs, l := CheckSetText(`0 issue "letsencrypt.org"
0 issue "digicert.com"
0 bad-tag "x"
0 iodef "mailto:security@example.com"
1 issuewild ";"
0 issuemail ";"
`)
	assert.Len(t, recs, 5)
	got := []string{}
	for _, f := range l {
		got = append(got, fmt.Sprintf("%d %s", f.Line, f.Code))
	}
	assert.Equal(t, []string{"0 caa.binding_suggested", "3 caa.syntax", "5 caa.flags_reserved"}, got)

	recs, l = CheckSetText("")
	assert.Empty(t, recs)
	assert.Equal(t, []string{"error caa.empty"}, codes(l))
	recs, l = CheckSetText("; only a comment\n")
	assert.Empty(t, recs)
	assert.Equal(t, []string{"error caa.empty"}, codes(l))
	recs, l = CheckSetText("junk")
	assert.Empty(t, recs)
	assert.Equal(t, []string{"error caa.syntax"}, codes(l))
}

func TestEmailSyntax(t *testing.T) {
	for _, a := range []string{"a@example.com", "a.b+c@example.co.uk", "\"ab\"@example.com", "j\xc3\xb6rg@b\xc3\xbccher.example", "x@xn--bcher-kva.example"} {
		assert.Empty(t, emailSyntax(a), a)
	}
	for _, a := range []string{"", "a", "@example.com", "a@", "a@example", "a@@example.com", "a b@example.com", ".a@example.com", "a..b@example.com",
		"a@-x.example", "a@x..example", "<a@example.com>", "a(b)@example.com", "a@example.com,b@example.com", "\xff@example.com"} {
		assert.NotEmpty(t, emailSyntax(a), a)
	}
}
