package dmarc

import (
	"strings"
	"testing"

	"github.com/posturekit/posturekit/finding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ptr[T any](v T) *T { return &v }

func mailto(addrs ...string) []ReportURI {
	var us []ReportURI
	for _, a := range addrs {
		us = append(us, ReportURI{URI: "mailto:" + a})
	}
	return us
}

func TestParse(t *testing.T) {
	good := func(txt string, want Record) {
		t.Helper()
		rec, isDMARC, err := Parse(txt)
		if !assert.NoError(t, err, "%q", txt) {
			return
		}
		assert.True(t, isDMARC, "%q", txt)
		want.Version = Version
		assert.Equal(t, want, *rec, "%q", txt)
		// Round trip through the canonical form.
		again, _, err := Parse(rec.String())
		if assert.NoError(t, err, "String() of %q: %q", txt, rec.String()) {
			assert.Equal(t, rec.String(), again.String(), "%q", txt)
		}
	}
	bad := func(txt string, off int, contains string) {
		t.Helper()
		_, isDMARC, err := Parse(txt)
		var se *SyntaxError
		if !assert.ErrorAs(t, err, &se, "%q", txt) {
			return
		}
		assert.True(t, isDMARC, "%q is a DMARC record, if a bad one", txt)
		assert.ErrorIs(t, err, ErrSyntax)
		assert.Equal(t, off, se.Offset, "offset in %q: %v", txt, err)
		assert.Contains(t, err.Error(), contains, "%q", txt)
	}
	notDMARC := func(txt, contains string) {
		t.Helper()
		rec, isDMARC, err := Parse(txt)
		assert.Nil(t, rec)
		assert.False(t, isDMARC, "%q", txt)
		assert.ErrorIs(t, err, ErrSyntax, "%q", txt)
		if err != nil {
			assert.Contains(t, err.Error(), contains, "%q", txt)
		}
	}

	// The examples of RFC 9989, Appendix B.2 and B.3.
	good("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com",
		Record{Policy: PolicyNone, AggregateReports: mailto("dmarc-feedback@example.com")})
	good("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; ruf=mailto:auth-reports@example.com",
		Record{Policy: PolicyNone, AggregateReports: mailto("dmarc-feedback@example.com"), FailureReports: mailto("auth-reports@example.com")})
	good("v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net; t=y",
		Record{Policy: PolicyQuarantine, AggregateReports: mailto("dmarc-feedback@example.com", "tld-test@thirdparty.example.net"), Testing: true})
	good("v=DMARC1; p=reject; aspf=r; rua=mailto:dmarc-feedback@example.com",
		Record{Policy: PolicyReject, SPFAlignment: AlignmentRelaxed, AggregateReports: mailto("dmarc-feedback@example.com")})
	// The authorization record of a report consumer (RFC 9989, B.2.3).
	good("v=DMARC1;", Record{})
	good("v=DMARC1", Record{})
	// RFC 7489, Appendix B.2.4: a size limit and pct (7489 only).
	good("v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net!10m; pct=25",
		Record{Policy: PolicyQuarantine, AggregateReports: []ReportURI{{URI: "mailto:dmarc-feedback@example.com"}, {URI: "mailto:tld-test@thirdparty.example.net", Size: "10m"}}, Percent: ptr(25)})

	// Tag names and values other than DMARC1 are case-insensitive (ABNF
	// strings); values are stored in lower case.
	good("V=DMARC1;P=REJECT;SP=Quarantine;NP=None;ADKIM=S;ASPF=S;FO=D:S;T=Y;PSD=N",
		Record{Policy: PolicyReject, SubdomainPolicy: PolicyQuarantine, NonexistentPolicy: PolicyNone, DKIMAlignment: AlignmentStrict,
			SPFAlignment: AlignmentStrict, FailureOptions: []FailureOption{FailureDKIM, FailureSPF}, Testing: true, PSD: PSDNo})
	// White space around "=" (equals = *WSP "=" *WSP) and ";", tabs too.
	good("v = DMARC1 ;\tp =\treject ; ", Record{Policy: PolicyReject})
	// RFC 9989 allows any order after v (RFC 7489 wanted p second:
	// checkdmarc 5.16 downgraded that to a warning).
	good("v=DMARC1; rua=mailto:d@example.com; p=reject", Record{Policy: PolicyReject, AggregateReports: mailto("d@example.com")})
	// p may be missing in RFC 9989 (Check reports what that means).
	good("v=DMARC1; rua=mailto:d@example.com", Record{AggregateReports: mailto("d@example.com")})
	// An empty tag is tolerated (Check warns).
	good("v=DMARC1;; p=none;;", Record{Policy: PolicyNone})
	// fo combinations allowed by dmarc-fo.
	good("v=DMARC1; p=none; fo=d:s:1", Record{Policy: PolicyNone, FailureOptions: []FailureOption{FailureDKIM, FailureSPF, FailureAny}})
	good("v=DMARC1; p=none; fo=0:d", Record{Policy: PolicyNone, FailureOptions: []FailureOption{FailureAll, FailureDKIM}})
	good("v=DMARC1; p=none; fo=0", Record{Policy: PolicyNone, FailureOptions: []FailureOption{FailureAll}})
	// URIs: white space around commas, a size, other schemes, escapes,
	// mailto headers, psd=u.
	good("v=DMARC1; p=none; rua=mailto:a@example.com!10M , https://r.example.net/dmarc;psd=u",
		Record{Policy: PolicyNone, AggregateReports: []ReportURI{{URI: "mailto:a@example.com", Size: "10M"}, {URI: "https://r.example.net/dmarc"}}, PSD: PSDUnknown})
	good("v=DMARC1; p=none; rua=mailto:dmarc%2Breports@example.com,MAILTO:x@example.com?subject=dmarc",
		Record{Policy: PolicyNone, AggregateReports: []ReportURI{{URI: "mailto:dmarc%2Breports@example.com"}, {URI: "MAILTO:x@example.com?subject=dmarc"}}})
	// RFC 7489 tags with valid values are typed...
	good("v=DMARC1; p=none; pct=0; ri=3600; rf=afrf:iodef",
		Record{Policy: PolicyNone, Percent: ptr(0), ReportInterval: ptr(uint32(3600)), ReportFormat: []string{"afrf", "iodef"}})
	// ...and with invalid ones kept as unknown: RFC 9989 removed them, so
	// they are no syntax error (checkdmarc 5.16 stopped rejecting them).
	good("v=DMARC1; p=none; pct=150; ri=-1; rf=a b", Record{Policy: PolicyNone, Unknown: []Tag{{"pct", "150"}, {"ri", "-1"}, {"rf", "a b"}}})
	// Unknown tags are ignored by receivers (RFC 9989, Section 4.7) and
	// kept; values may hold inner spaces.
	good("v=DMARC1; p=none; foo=bar baz; X=1", Record{Policy: PolicyNone, Unknown: []Tag{{"foo", "bar baz"}, {"x", "1"}}})

	bad("v=DMARC1; p=rejct", 12, "not none, quarantine or reject")
	bad("v=DMARC1; p=none rua=mailto:d@example.com", 12, "missing between tags") // a forgotten ";"
	bad("v=DMARC1; sp=all", 13, "sp=all")
	bad("v=DMARC1; np=block", 13, "np=block")
	bad("v=DMARC1; p=", 12, "has no value")
	bad("v=DMARC1; p", 10, "no \"=\"")
	bad("v=DMARC1; =none", 10, "no name")
	bad("v=DMARC1; x-y=1", 11, "only letters")           // 1*ALPHA
	bad("v=DMARC1; p=nöne", 13, "printable ASCII")       // dmarc-value
	bad("v=DMARC1; p=no\tne", 14, "printable ASCII")     // no tab inside
	bad("v=DMARC1; adkim=x", 16, "not r (relaxed) or s") // dmarc-rors
	bad("v=DMARC1; aspf=relaxed", 15, "aspf=relaxed")
	bad("v=DMARC1; t=yes", 12, "not y or n")
	bad("v=DMARC1; psd=x", 14, "not y, n or u")
	bad("v=DMARC1; fo=0:1", 13, "mutually exclusive") // RFC 9989; RFC 7489 allowed it
	bad("v=DMARC1; fo=d:d", 13, "twice")
	bad("v=DMARC1; fo=2", 13, "not 0, 1, d or s")
	// Duplicate tags: mox and checkdmarc reject the record; go-msgauth
	// keeps the last value. RFC 9989 says nothing, so it is an error.
	bad("v=DMARC1; p=none; p=reject", 18, "appears twice")
	bad("v=DMARC1; P=none; p=reject", 18, "appears twice")
	bad("v=DMARC1; p=none; v=DMARC1", 18, "tag v appears twice")
	// Report URIs.
	bad("v=DMARC1; p=none; rua=dmarc@example.com", 22, "mailto:") // Internet.nl's most common error
	bad("v=DMARC1; p=none; rua=mailto:d@example.com, dmarc@example.net", 44, "mailto:")
	bad("v=DMARC1; p=none; rua=mailto:a!b@example.com", 30, "%21") // "!" must be encoded
	bad("v=DMARC1; p=none; rua=mailto:a@example.com!", 42, "%21")
	bad("v=DMARC1; p=none; rua=mailto:a@example.com,", 43, "empty URI")
	bad("v=DMARC1; p=none; rua=mailto:a@example.com,,mailto:b@example.com", 43, "empty URI")
	bad("v=DMARC1; p=none; ruf=mailto:", 22, "no \"@\"")
	bad("v=DMARC1; p=none; rua=mailto:@example.com", 22, "no local part")
	bad("v=DMARC1; p=none; rua=mailto:a@-x.example", 22, "may not start or end")
	bad("v=DMARC1; p=none; rua=mailto:a@exa mple.com", 34, "not allowed in a URI")
	bad("v=DMARC1; p=none; rua=mailto:a@example.com%2", 42, "%XX")
	bad("v=DMARC1; p=none; rua=reports", 22, "not a URI")
	bad("v=DMARC1; p=none; rua=//x.example/", 22, "not a URI")

	notDMARC("", "does not begin with v=DMARC1")
	notDMARC("v=spf1 -all", "SPF record")
	notDMARC("v=dmarc1; p=none", "case-sensitive") // %s"DMARC1"
	notDMARC("v=Dmarc1; p=none", "case-sensitive")
	notDMARC(" v=DMARC1; p=none", "nothing before it") // cf. checkdmarc#258 for SPF
	notDMARC("v=DMARC1 p=none", "followed by \";\"")
	notDMARC("v=DMARC1p=none", "followed by \";\"")
	notDMARC("v=DMARC10; p=none", "followed by \";\"")
	notDMARC("v=DMARC2; p=none", "does not begin")
	notDMARC("p=none; v=DMARC1", "does not begin") // v must be first
	notDMARC("v=;", "does not begin")
}

func TestIsRecord(t *testing.T) {
	for txt, want := range map[string]bool{
		"v=DMARC1":        true,
		"v=DMARC1;":       true,
		"V=DMARC1; p=x":   true,
		"v =\tDMARC1 ;":   true,
		"v=DMARC1 ":       true,
		"v=DMARC1 x":      false,
		"v=dmarc1":        false,
		"v=DMARC":         false,
		"v":               false,
		"vv=DMARC1":       false,
		"v=DMARC1\x00":    false,
		"v=spf1 -all":     false,
		"":                false,
		"\"v=DMARC1\"":    false,
		"v=DMARC1\r\n":    false,
		"v=DMARC1;p=none": true,
	} {
		assert.Equal(t, want, IsRecord(txt), "%q", txt)
	}
}

// sevCodes lists "severity code" for each finding, in order.
func sevCodes(l finding.List) []string {
	out := []string{}
	for _, f := range l {
		out = append(out, string(f.Severity)+" "+f.Code)
	}
	return out
}

func TestCheck(t *testing.T) {
	is := func(txt string, want ...string) {
		t.Helper()
		_, l := Check(txt)
		if want == nil {
			want = []string{}
		}
		assert.Equal(t, want, sevCodes(l), "%q", txt)
		for _, f := range l {
			assert.NotEmpty(t, f.Message)
			assert.True(t, strings.HasPrefix(f.RFC, "RFC "), "%s: %q", f.Code, f.RFC)
		}
	}

	// A careful record: nothing to say.
	is("v=DMARC1; p=reject; rua=mailto:d@example.com")
	is("v=DMARC1; p=quarantine; sp=reject; np=reject; rua=mailto:d@example.com")
	// Monitoring only.
	is("v=DMARC1; p=none; rua=mailto:d@example.com", "warning dmarc.policy_none")
	// No reports: a warning while monitoring, worth knowing under
	// enforcement.
	is("v=DMARC1; p=none", "warning dmarc.policy_none", "warning dmarc.rua_missing")
	is("v=DMARC1; p=reject", "info dmarc.rua_missing")
	// The two readings of a missing p (RFC 9989, Sections 4.7 and 4.10.1).
	is("v=DMARC1; rua=mailto:d@example.com", "warning dmarc.p_missing")
	is("v=DMARC1", "error dmarc.p_missing")
	is("v=DMARC1; sp=reject; adkim=s", "error dmarc.p_missing", "info dmarc.strict_alignment")
	// p not right after v: fine for RFC 9989, not for RFC 7489 receivers.
	is("v=DMARC1; rua=mailto:d@example.com; p=reject", "warning dmarc.p_not_first")
	// Weaker subdomain policies.
	is("v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com", "warning dmarc.sp_weaker")
	is("v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com", "info dmarc.sp_weaker")
	is("v=DMARC1; p=reject; np=quarantine; rua=mailto:d@example.com", "warning dmarc.np_weaker")
	is("v=DMARC1; p=reject; sp=quarantine; np=quarantine; rua=mailto:d@example.com", "info dmarc.sp_weaker")
	is("v=DMARC1; p=quarantine; sp=reject; np=quarantine; rua=mailto:d@example.com", "warning dmarc.np_weaker")
	// Failure reports, fo, alignment, testing, psd.
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; ruf=mailto:f@example.com; fo=1", "info dmarc.ruf_present")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; fo=1", "info dmarc.fo_without_ruf")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; adkim=s; aspf=s", "info dmarc.strict_alignment", "info dmarc.strict_alignment")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; t=y", "warning dmarc.testing")
	is("v=DMARC1; p=none; rua=mailto:d@example.com; t=y", "warning dmarc.policy_none", "info dmarc.testing")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; psd=y", "warning dmarc.psd_yes")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; psd=n")
	// Removed tags (RFC 9989, Appendix C.5.2), valid or not.
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; pct=50", "warning dmarc.tag_removed")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; pct=100; ri=86400; rf=afrf",
		"warning dmarc.tag_removed", "warning dmarc.tag_removed", "warning dmarc.tag_removed")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; pct=x", "warning dmarc.tag_removed")
	// Obsolete size, other schemes, unknown tags and near misses.
	is("v=DMARC1; p=reject; rua=mailto:d@example.com!10m", "info dmarc.uri_size_obsolete")
	is("v=DMARC1; p=reject; rua=https://r.example/x", "warning dmarc.uri_scheme_unsupported")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; x=1", "info dmarc.unknown_tag")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; adkm=s", "warning dmarc.unknown_tag")
	is("v=DMARC1; p=reject; rau=mailto:d@example.com", "warning dmarc.unknown_tag", "info dmarc.rua_missing")
	is("v=DMARC1; p=reject;; rua=mailto:d@example.com", "warning dmarc.empty_tag")
	// Every syntax error is reported, not only the first.
	is("v=DMARC1; p=rejct; rua=d@example.com; fo=0:1; adkim=x",
		"error dmarc.adkim_invalid", "error dmarc.fo_invalid", "error dmarc.p_invalid", "error dmarc.uri_missing_mailto")
	is("v=DMARC1; p=none; p=reject; rua=mailto:d@example.com", "error dmarc.duplicate_tag", "warning dmarc.policy_none")
	is("v=dmarc1; p=reject", "error dmarc.not_dmarc")
	is("", "error dmarc.not_dmarc")

	// The record returned is the one receivers see: bad tags dropped.
	rec, _ := Check("v=DMARC1; p=rejct; sp=reject; rua=d@example.com,mailto:ok@example.com")
	require.NotNil(t, rec)
	assert.Equal(t, "v=DMARC1; sp=reject; rua=mailto:ok@example.com;", rec.String())
	rec, _ = Check("v=spf1 -all")
	assert.Nil(t, rec)

	// The fix of a bare address.
	_, l := Check("v=DMARC1; p=reject; rua=dmarc@example.com")
	require.Len(t, l, 1)
	assert.Equal(t, "rua=mailto:dmarc@example.com", l[0].Fix)
}

func TestCheckLegacy(t *testing.T) {
	is := func(txt string, want ...string) {
		t.Helper()
		_, l := CheckLegacy(txt)
		if want == nil {
			want = []string{}
		}
		assert.Equal(t, want, sevCodes(l), "%q", txt)
	}
	is("v=DMARC1; p=reject; rua=mailto:d@example.com")
	// RFC 7489, Section 6.3: p is required, right after v.
	is("v=DMARC1; rua=mailto:d@example.com", "error dmarc.p_missing")
	is("v=DMARC1; rua=mailto:d@example.com; p=reject", "error dmarc.p_not_first")
	// pct, ri and rf are RFC 7489 tags: checked, not "removed".
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; pct=50", "info dmarc.pct_partial")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; pct=100; ri=3600; rf=afrf")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; pct=150", "error dmarc.pct_invalid")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; ri=1h", "error dmarc.ri_invalid")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; rf=iodef", "warning dmarc.rf_unknown")
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; rf=a_b", "error dmarc.rf_invalid")
	// fo=0:1 and "!size" were fine in RFC 7489.
	is("v=DMARC1; p=reject; rua=mailto:d@example.com!10m; ruf=mailto:f@example.com; fo=0:1", "info dmarc.ruf_present")
	// RFC 9989 tags are unknown to RFC 7489 receivers.
	is("v=DMARC1; p=reject; rua=mailto:d@example.com; np=reject; t=y; psd=n",
		"info dmarc.tag_not_in_rfc7489", "info dmarc.tag_not_in_rfc7489", "info dmarc.tag_not_in_rfc7489")
}

func TestValidate(t *testing.T) {
	assert.Empty(t, New(PolicyReject, "dmarc@example.com").Validate())
	l := (&Record{Policy: "rejct"}).Validate()
	assert.True(t, l.Has("dmarc.p_invalid"), "%v", l)
	l = (&Record{Policy: PolicyReject, AggregateReports: []ReportURI{{URI: "d@example.com"}}}).Validate()
	assert.True(t, l.Has("dmarc.uri_missing_mailto"), "%v", l)
}

func TestSelectRecord(t *testing.T) {
	rec, txt, err := SelectRecord([]string{"v=spf1 -all", "v=DMARC1; p=reject", "google-site-verification=x"})
	require.NoError(t, err)
	assert.Equal(t, PolicyReject, rec.Policy)
	assert.Equal(t, "v=DMARC1; p=reject", txt)
	_, _, err = SelectRecord([]string{"v=DMARC1; p=reject", "v=DMARC1; p=none"})
	assert.ErrorIs(t, err, ErrMultipleRecords)
	_, _, err = SelectRecord([]string{"v=dmarc1; p=reject"})
	assert.ErrorIs(t, err, ErrNoRecord)
	_, _, err = SelectRecord(nil)
	assert.ErrorIs(t, err, ErrNoRecord)
	// A malformed record is still the record: receivers ignore its bad
	// tags (RFC 9989, Section 4.8).
	rec, _, err = SelectRecord([]string{"v=DMARC1; p=rejct; rua=mailto:d@example.com"})
	require.NoError(t, err)
	assert.Equal(t, Policy(""), rec.Policy)
}

func TestReportURIHost(t *testing.T) {
	for uri, want := range map[string]string{
		"mailto:d@Example.COM":               "example.com",
		"mailto:d%40x@example.net?subject=a": "example.net",
		"MAILTO:d@example.org.":              "example.org",
		"https://r.example.net:8443/x":       "r.example.net",
		"mailto:nobody":                      "",
	} {
		assert.Equal(t, want, ReportURI{URI: uri}.Host(), "%q", uri)
	}
}
