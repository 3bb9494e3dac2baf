package tlsrpt

import (
	"errors"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/finding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// codes runs CheckDomain and returns each code with its severity, checking
// what every finding must have.
func codes(t *testing.T, domain, txt string) map[string]finding.Severity {
	t.Helper()
	_, l := CheckDomain(domain, txt)
	m := map[string]finding.Severity{}
	for _, f := range l {
		m[f.Code] = f.Severity
		assert.NotEmpty(t, f.Message)
		assert.True(t, strings.HasPrefix(f.Code, "tlsrpt."), f.Code)
		assert.Equal(t, rfcRecord, f.RFC, f.Code)
	}
	return m
}

func TestCheck(t *testing.T) {
	has := func(txt, code string, sev finding.Severity) {
		t.Helper()
		m := codes(t, "example.com", txt)
		if assert.Contains(t, m, code, "%q", txt) {
			assert.Equal(t, sev, m[code], "severity of %s", code)
		}
	}
	clean := func(txt string) {
		t.Helper()
		r, l := CheckDomain("example.com", txt)
		assert.Empty(t, l, "%q", txt)
		assert.NotNil(t, r)
	}
	clean("v=TLSRPTv1; rua=mailto:tlsrpt@example.com")
	clean("v=TLSRPTv1; rua=https://tlsrpt.example.com/v1")
	clean("v=TLSRPTv1; rua=mailto:tls-reports@mail.example.com")      // same organization
	clean("v=TLSRPTv1; rua=MAILTO:tlsrpt@example.com")                // schemes are case-insensitive
	clean("v=TLSRPTv1; rua=mailto:%22a%20b%22@example.com")           // quoted local part
	clean("v=TLSRPTv1; rua=mailto:tlsrpt@example.com?subject=tlsrpt") // hfields are allowed
	clean("v=TLSRPTv1; rua=https://[2001:db8::1]:8443/r")             // an IP literal host
	clean("v=TLSRPTv1; rua=mailto:tls@xn--bcher-kva.example.com.")

	has("v=spf1 -all", "tlsrpt.not_tlsrpt", finding.Error)
	has("v=TLSRPTv1", "tlsrpt.rua_missing", finding.Error)
	has("v=TLSRPTv1; rua=tlsrpt@example.com", "tlsrpt.rua_invalid", finding.Error)
	has("v=TLSRPTv1; rua=http://r.example.com/", "tlsrpt.rua_scheme", finding.Error)
	has("v=TLSRPTv1; rua=ftp://r.example.com/", "tlsrpt.rua_scheme", finding.Error)
	has("v=TLSRPTv1; rua=mailto:", "tlsrpt.rua_mailto_invalid", finding.Error)
	has("v=TLSRPTv1; rua=mailto:tlsrpt", "tlsrpt.rua_mailto_invalid", finding.Error)
	has("v=TLSRPTv1; rua=mailto:tlsrpt@localhost", "tlsrpt.rua_mailto_invalid", finding.Error) // not fully qualified
	has("v=TLSRPTv1; rua=mailto:a..b@example.com", "tlsrpt.rua_mailto_invalid", finding.Error)
	has("v=TLSRPTv1; rua=mailto:a@-example.com", "tlsrpt.rua_mailto_invalid", finding.Error)
	has("v=TLSRPTv1; rua=mailto:a@example..com", "tlsrpt.rua_mailto_invalid", finding.Error)
	has("v=TLSRPTv1; rua=mailto:a@example.com%2Cb", "tlsrpt.rua_mailto_invalid", finding.Error) // two addresses, the second bad
	has("v=TLSRPTv1; rua=mailto:"+strings.Repeat("a", 65)+"@example.com", "tlsrpt.rua_mailto_invalid", finding.Error)
	has("v=TLSRPTv1; rua=https:r.example.com", "tlsrpt.rua_https_invalid", finding.Error)
	has("v=TLSRPTv1; rua=https:///v1", "tlsrpt.rua_https_invalid", finding.Error)
	has("v=TLSRPTv1; rua=https://r_1.example.com/", "tlsrpt.rua_https_invalid", finding.Error)
	has("v=TLSRPTv1; rua=mailto:a@example.com,mailto:b@example.com", "tlsrpt.rua_multiple", finding.Info)
	has("v=TLSRPTv1; rua=mailto:a@example.com,mailto:A@example.com", "tlsrpt.rua_duplicate", finding.Info)
	has("v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.net", "tlsrpt.rua_external", finding.Info)
	has("v=TLSRPTv1; rua=https://collector.example.org/r", "tlsrpt.rua_external", finding.Info)
	has("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", "tlsrpt.duplicate_field", finding.Warning)
	has("v=TLSRPTv1; rua=mailto:a@example.com; x=1", "tlsrpt.unknown_field", finding.Info)
	has("v=TLSRPTv1; RUA=mailto:a@example.com", "tlsrpt.unknown_field", finding.Warning) // a near miss ...
	has("v=TLSRPTv1; RUA=mailto:a@example.com", "tlsrpt.rua_missing", finding.Error)     // ... leaves no rua
	has("v=TLSRPTv1; rua=mailto:a@example.com; ruf=mailto:a@example.com", "tlsrpt.unknown_field", finding.Warning)
	has("v=TLSRPTv1; rue=mailto:a@example.com", "tlsrpt.unknown_field", finding.Warning)

	// Every bad URI is reported, and the good ones are still checked.
	_, l := Check("v=TLSRPTv1; rua=a@example.com,mailto:b@example.com!1,http://x.example/")
	n := 0
	for _, f := range l {
		if f.Code == "tlsrpt.rua_invalid" {
			n++
		}
	}
	assert.Equal(t, 2, n, "%v", l)
	assert.True(t, l.Has("tlsrpt.rua_scheme"))

	// The fix of a bare address.
	_, l = Check("v=TLSRPTv1; rua=tlsrpt@example.com")
	require.NotEmpty(t, l)
	assert.Equal(t, "rua=mailto:tlsrpt@example.com", l[0].Fix)
	// A parent of the domain is not outside it; a sibling is (without the
	// public suffix list, a.example.com and b.example.com are not known to
	// be one organization's).
	_, l = CheckDomain("Mail.Example.com.", "v=TLSRPTv1; rua=mailto:tlsrpt@example.com")
	assert.Empty(t, l)
	_, l = CheckDomain("a.example.com", "v=TLSRPTv1; rua=mailto:tlsrpt@b.example.com")
	assert.True(t, l.Has("tlsrpt.rua_external"))
	_, l = CheckDomain("example.com", "v=TLSRPTv1; rua=mailto:tlsrpt@com")
	assert.False(t, l.Has("tlsrpt.rua_external")) // (rua_mailto_invalid instead)
	// Without a domain there is no external destination to report.
	_, l = Check("v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.net")
	assert.Empty(t, l)
	// A record that does not parse is nil.
	r, l := Check("v=TLSRPTv1; rua=x")
	assert.Nil(t, r)
	assert.True(t, l.HasErrors())
}

func TestValidateAndNew(t *testing.T) {
	r := New("mailto:tlsrpt@example.com")
	assert.Equal(t, "v=TLSRPTv1; rua=mailto:tlsrpt@example.com", r.String())
	assert.Empty(t, r.Validate())

	r = New("mailto:a@example.com", "https://r.example.com/v1")
	assert.Equal(t, "v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/v1", r.String())
	assert.Equal(t, finding.Info, r.Validate().Worst())

	assert.True(t, New().Validate().Has("tlsrpt.rua_missing"))
	assert.Equal(t, "v=TLSRPTv1", New().String())
	assert.True(t, New("tlsrpt@example.com").Validate().Has("tlsrpt.rua_invalid"))
	assert.True(t, New("http://r.example.com/").Validate().Has("tlsrpt.rua_scheme"))
	assert.True(t, (&Record{RUA: []string{"mailto:a@example.com"}}).Validate().Worst() == "")

	// New copies its arguments.
	uris := []string{"mailto:a@example.com"}
	r = New(uris...)
	uris[0] = "x"
	assert.Equal(t, "mailto:a@example.com", r.RUA[0])
}

func TestSelect(t *testing.T) {
	r, err := Select([]string{"v=spf1 -all", "v=TLSRPTv1; rua=mailto:a@example.com", "hello"})
	require.NoError(t, err)
	assert.Equal(t, []string{"mailto:a@example.com"}, r.RUA)

	_, err = Select(nil)
	assert.ErrorIs(t, err, ErrNoRecord)
	_, err = Select([]string{"v=spf1 -all", "V=TLSRPTv1; rua=mailto:a@example.com"})
	assert.ErrorIs(t, err, ErrNoRecord)
	// RFC 8460, Section 3: if the number of records left is not one, the
	// domain does not implement TLS-RPT, even when they are identical.
	_, err = Select([]string{"v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:a@example.com"})
	assert.ErrorIs(t, err, ErrMultipleRecords)
	// The prose says records not beginning with "v=TLSRPTv1;" are
	// discarded; the grammar allows "v=TLSRPTv1 ;", which we count as a
	// record (checkdmarc does too, with a warning).
	_, err = Select([]string{"v=TLSRPTv1 ; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"})
	assert.ErrorIs(t, err, ErrMultipleRecords)
	// A malformed single record means no TLS-RPT either.
	_, err = Select([]string{"v=TLSRPTv1; rua=a@example.com"})
	assert.ErrorIs(t, err, ErrSyntax)
	assert.False(t, errors.Is(err, ErrNoRecord))
}

func TestRecordName(t *testing.T) {
	assert.Equal(t, "_smtp._tls.example.com", RecordName("example.com."))
	assert.Equal(t, "_smtp._tls.example.com", RecordName("example.com"))
}
