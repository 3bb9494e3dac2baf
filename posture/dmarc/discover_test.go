//go:build !js

package dmarc

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// queried lists the names of a discovery's queries.
func queried(d *Discovery) []string {
	var names []string
	for _, q := range d.Queries {
		names = append(names, q.Name)
	}
	return names
}

func TestDiscoverAuthorDomain(t *testing.T) {
	srv := dnstest.Start(t, `
		_dmarc.example.com.  TXT  "v=DMARC1; p=reject; rua=mailto:d@example.com"
		_dmarc.example.com.  TXT  "v=spf1 -all"
		example.com.         TXT  "v=spf1 -all"
	`)
	d, err := Discover(t.Context(), srv.Resolver(), "Example.COM.")
	require.NoError(t, err)
	assert.Equal(t, "example.com", d.Domain)
	assert.True(t, d.Applies)
	assert.Equal(t, "example.com", d.PolicyDomain)
	assert.Equal(t, "p", d.PolicyTag)
	assert.Equal(t, PolicyReject, d.Policy)
	assert.Equal(t, "v=DMARC1; p=reject; rua=mailto:d@example.com", d.RecordText)
	assert.Equal(t, "example.com", d.OrganizationalDomain)
	assert.Nil(t, d.DomainExists)
	assert.Empty(t, d.Findings)
	// The walk goes on to the TLD for the organizational domain.
	assert.Equal(t, []string{"_dmarc.example.com", "_dmarc.com"}, queried(d))
	assert.Equal(t, []QueryResult{ResultRecord, ResultNone}, []QueryResult{d.Queries[0].Result, d.Queries[1].Result})
	assert.Equal(t, 2, srv.Queries())
}

func TestDiscoverOrganizationalDomain(t *testing.T) {
	srv := dnstest.Start(t, `
		_dmarc.example.com.  TXT  "v=DMARC1; p=reject; sp=quarantine; np=none; rua=mailto:d@example.com"
		mail.example.com.    A    192.0.2.1
		deep.mail.example.com. MX 10 mx.example.com.
	`)
	r := srv.Resolver()

	// An existing subdomain: sp (RFC 9989, Section 4.10.1). sp and np
	// differ, so the existence is looked up: one more query.
	d, err := Discover(t.Context(), r, "mail.example.com")
	require.NoError(t, err)
	assert.Equal(t, "example.com", d.PolicyDomain)
	assert.Equal(t, "example.com", d.OrganizationalDomain)
	assert.Equal(t, "sp", d.PolicyTag)
	assert.Equal(t, PolicyQuarantine, d.Policy)
	require.NotNil(t, d.DomainExists)
	assert.True(t, *d.DomainExists)
	assert.True(t, d.Findings.Has("dmarc.policy_from_parent"))
	assert.Equal(t, []string{"_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com"}, queried(d))

	// A name that exists without TXT records (NODATA) exists too.
	d, err = Discover(t.Context(), r, "deep.mail.example.com")
	require.NoError(t, err)
	assert.Equal(t, PolicyQuarantine, d.Policy)

	// A non-existent subdomain (NXDOMAIN): np.
	d, err = Discover(t.Context(), r, "ghost.example.com")
	require.NoError(t, err)
	assert.Equal(t, "np", d.PolicyTag)
	assert.Equal(t, PolicyNone, d.Policy)
	require.NotNil(t, d.DomainExists)
	assert.False(t, *d.DomainExists)

	// The caller may say whether the domain exists: no lookup then.
	before := srv.Queries()
	no := false
	d, err = DiscoverWith(t.Context(), r, "mail.example.com", DiscoverOptions{DomainExists: &no})
	require.NoError(t, err)
	assert.Equal(t, "np", d.PolicyTag)
	assert.Equal(t, 3, srv.Queries()-before)

	// The net package's resolver cannot tell NXDOMAIN from NODATA: the
	// existence is left unknown and sp applies, with a finding for np.
	std := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var dl net.Dialer
		return dl.DialContext(ctx, network, srv.Addr)
	}}
	d, err = Discover(t.Context(), std, "ghost.example.com")
	require.NoError(t, err)
	assert.Equal(t, "sp", d.PolicyTag)
	assert.Equal(t, PolicyQuarantine, d.Policy)
	assert.Nil(t, d.DomainExists)
	assert.True(t, d.Findings.Has("dmarc.existence_unknown"))
}

func TestDiscoverSeveralLevels(t *testing.T) {
	srv := dnstest.Start(t, `
		_dmarc.example.com.    TXT  "v=DMARC1; p=reject; rua=mailto:d@example.com"
		_dmarc.b.example.com.  TXT  "v=DMARC1; p=none; rua=mailto:b@example.com"
		_dmarc.n.example.com.  TXT  "v=DMARC1; p=quarantine; psd=n; rua=mailto:n@example.com"
	`)
	r := srv.Resolver()

	// Records at b.example.com and example.com, no psd: the
	// organizational domain is the one with the fewest labels (RFC 9989,
	// Section 4.10.2, rule 3) and its record applies (Section 4.10.1;
	// Section 4.7: "sp will be ignored for DMARC Policy Records published
	// on subdomains of Organizational Domains"). A walk that stopped at
	// the first record found would take b.example.com's p=none.
	d, err := Discover(t.Context(), r, "a.b.example.com")
	require.NoError(t, err)
	assert.Equal(t, "example.com", d.OrganizationalDomain)
	assert.Equal(t, "example.com", d.PolicyDomain)
	assert.Equal(t, PolicyReject, d.Policy)
	assert.Equal(t, []string{"_dmarc.a.b.example.com", "_dmarc.b.example.com", "_dmarc.example.com", "_dmarc.com"}, queried(d))

	// b.example.com's own record applies to b.example.com.
	d, err = Discover(t.Context(), r, "b.example.com")
	require.NoError(t, err)
	assert.Equal(t, "b.example.com", d.PolicyDomain)
	assert.Equal(t, "example.com", d.OrganizationalDomain)
	assert.Equal(t, PolicyNone, d.Policy)

	// psd=n makes n.example.com an organizational domain and stops the
	// walk (RFC 9989, Section 4.10, step 6).
	d, err = Discover(t.Context(), r, "x.n.example.com")
	require.NoError(t, err)
	assert.Equal(t, "n.example.com", d.OrganizationalDomain)
	assert.Equal(t, "n.example.com", d.PolicyDomain)
	assert.Equal(t, PolicyQuarantine, d.Policy)
	assert.Equal(t, []string{"_dmarc.x.n.example.com", "_dmarc.n.example.com"}, queried(d))
}

func TestDiscoverPublicSuffixDomain(t *testing.T) {
	// RFC 9989, Appendix B.4.3, and a PSD record at a TLD.
	srv := dnstest.Start(t, `
		_dmarc.bank.example.        TXT  "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y; rua=mailto:d@bank.example"
		_dmarc.giant.bank.example.  TXT  "v=DMARC1; p=none; rua=mailto:d@giant.bank.example"
		mega.bank.example.          A    192.0.2.1
		_dmarc.test.                TXT  "v=DMARC1; p=reject; psd=y"
		shop.test.                  A    192.0.2.2
	`)
	r := srv.Resolver()

	d, err := Discover(t.Context(), r, "mail.giant.bank.example")
	require.NoError(t, err)
	assert.Equal(t, "giant.bank.example", d.OrganizationalDomain)
	assert.Equal(t, "giant.bank.example", d.PolicyDomain)
	assert.Equal(t, PolicyNone, d.Policy)
	// psd=y stops the walk: _dmarc.example is never asked.
	assert.Equal(t, []string{"_dmarc.mail.giant.bank.example", "_dmarc.giant.bank.example", "_dmarc.bank.example"}, queried(d))

	// mega.bank.example has no record: its organizational domain is
	// itself (one label below the PSD), and the PSD's record applies.
	d, err = Discover(t.Context(), r, "mega.bank.example")
	require.NoError(t, err)
	assert.Equal(t, "mega.bank.example", d.OrganizationalDomain)
	assert.Equal(t, "bank.example", d.PolicyDomain)
	assert.Equal(t, "sp", d.PolicyTag)
	assert.Equal(t, PolicyQuarantine, d.Policy)
	d, err = Discover(t.Context(), r, "x.mail.mega.bank.example")
	require.NoError(t, err)
	assert.Equal(t, "mega.bank.example", d.OrganizationalDomain)
	assert.Equal(t, "np", d.PolicyTag)
	assert.Equal(t, PolicyReject, d.Policy)

	// The walk goes down to and including the TLD (checkdmarc 5.16 fixed
	// a walk that stopped before it).
	d, err = Discover(t.Context(), r, "shop.test")
	require.NoError(t, err)
	assert.Equal(t, "test", d.PolicyDomain)
	assert.Equal(t, "shop.test", d.OrganizationalDomain)
	assert.Equal(t, PolicyReject, d.Policy)
	assert.Equal(t, []string{"_dmarc.shop.test", "_dmarc.test"}, queried(d))
}

func TestDiscoverDeepName(t *testing.T) {
	// RFC 9989, Section 4.10: a name of more than eight labels is cut to
	// seven after the first query, so there are eight queries at most. The
	// record at e.f.g.h.i.j.mail.example.com (nine labels) is skipped, as
	// Section 5.1.8 warns.
	srv := dnstest.Start(t, `
		_dmarc.example.com.                   TXT  "v=DMARC1; p=reject; rua=mailto:d@example.com"
		_dmarc.e.f.g.h.i.j.mail.example.com.  TXT  "v=DMARC1; p=none; psd=n; rua=mailto:d@example.com"
	`)
	d, err := Discover(t.Context(), srv.Resolver(), "a.b.c.d.e.f.g.h.i.j.mail.example.com")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com",
		"_dmarc.g.h.i.j.mail.example.com",
		"_dmarc.h.i.j.mail.example.com",
		"_dmarc.i.j.mail.example.com",
		"_dmarc.j.mail.example.com",
		"_dmarc.mail.example.com",
		"_dmarc.example.com",
		"_dmarc.com",
	}, queried(d)) // the list of RFC 9989, Section 4.10
	assert.Equal(t, maxQueries, srv.Queries())
	assert.Equal(t, "example.com", d.PolicyDomain)
	assert.Equal(t, PolicyReject, d.Policy)

	// Eight labels: the parent is next, eight queries.
	before := srv.Queries()
	d, err = Discover(t.Context(), srv.Resolver(), "c.d.e.f.g.h.example.com")
	require.NoError(t, err)
	assert.Len(t, d.Queries, 8)
	assert.Equal(t, "_dmarc.d.e.f.g.h.example.com", d.Queries[1].Name)
	assert.Equal(t, 8, srv.Queries()-before)
}

func TestWalkNames(t *testing.T) {
	for domain, want := range map[string][]string{
		"com":               {"com"},
		"a.b.c":             {"a.b.c", "b.c", "c"},
		"1.2.3.4.5.6.7.8":   {"1.2.3.4.5.6.7.8", "2.3.4.5.6.7.8", "3.4.5.6.7.8", "4.5.6.7.8", "5.6.7.8", "6.7.8", "7.8", "8"},
		"0.1.2.3.4.5.6.7.8": {"0.1.2.3.4.5.6.7.8", "2.3.4.5.6.7.8", "3.4.5.6.7.8", "4.5.6.7.8", "5.6.7.8", "6.7.8", "7.8", "8"},
	} {
		d, err := normalizeDomain(domain)
		require.NoError(t, err)
		assert.Equal(t, want, walkNames(strings.Split(d, ".")), domain)
	}
}

func TestDiscoverMultipleRecords(t *testing.T) {
	srv := dnstest.Start(t, `
		_dmarc.example.com.    TXT  "v=DMARC1; p=reject"
		_dmarc.example.com.    TXT  "v=DMARC1; p=none"
		_dmarc.a.example.net.  TXT  "v=DMARC1; p=none"
		_dmarc.a.example.net.  TXT  "v=DMARC1; p=quarantine"
		_dmarc.example.net.    TXT  "v=DMARC1; p=reject; rua=mailto:d@example.net"
		a.example.net.         A    192.0.2.1
	`)
	r := srv.Resolver()

	// Several records at a name: all are discarded, and the walk goes on
	// (RFC 9989, Section 4.10, step 2). Nothing above: no DMARC.
	d, err := Discover(t.Context(), r, "example.com")
	require.NoError(t, err)
	assert.False(t, d.Applies)
	assert.Nil(t, d.Record)
	assert.Equal(t, ResultMultiple, d.Queries[0].Result)
	assert.Len(t, d.Queries[0].Records, 2)
	assert.Equal(t, []string{"error dmarc.multiple_records", "error dmarc.no_record"}, sevCodes(d.Findings))

	// ...so a parent's record applies instead.
	d, err = Discover(t.Context(), r, "a.example.net")
	require.NoError(t, err)
	assert.True(t, d.Applies)
	assert.Equal(t, "example.net", d.PolicyDomain)
	assert.Equal(t, "sp", d.PolicyTag)
	assert.Equal(t, PolicyReject, d.Policy)
	assert.True(t, d.Findings.Has("dmarc.multiple_records"))
}

func TestDiscoverLookupFailure(t *testing.T) {
	srv := dnstest.Start(t, `
		_dmarc.example.com.    TXT  "v=DMARC1; p=reject; rua=mailto:d@example.com"
		_dmarc.a.example.org.  TXT  "v=DMARC1; p=quarantine; rua=mailto:d@example.org"
	`)
	r := srv.Resolver()
	r.Retries = -1

	// SERVFAIL in the middle of the walk is not "no record": the walk
	// stops, nothing applies yet, and the error says why.
	srv.Fail("_dmarc.b.example.com", dns.TypeTXT, dnstest.FailServFail)
	d, err := Discover(t.Context(), r, "a.b.example.com")
	require.ErrorIs(t, err, ErrLookup)
	assert.Contains(t, err.Error(), "_dmarc.b.example.com")
	require.NotNil(t, d)
	assert.False(t, d.Applies)
	assert.Nil(t, d.Record)
	assert.Empty(t, d.OrganizationalDomain)
	assert.Equal(t, []string{"_dmarc.a.b.example.com", "_dmarc.b.example.com"}, queried(d))
	assert.Equal(t, ResultFailed, d.Queries[1].Result)
	assert.Equal(t, []string{"error dmarc.lookup_failed"}, sevCodes(d.Findings))

	// A failure above the domain's own record: its policy is known, its
	// organizational domain is not.
	srv.Fail("_dmarc.org", dns.TypeTXT, dnstest.FailRefused)
	d, err = Discover(t.Context(), r, "a.example.org")
	require.ErrorIs(t, err, ErrLookup)
	assert.True(t, d.Applies)
	assert.Equal(t, PolicyQuarantine, d.Policy)
	assert.Empty(t, d.OrganizationalDomain)
}

func TestDiscoverPolicyFallback(t *testing.T) {
	srv := dnstest.Start(t, `
		_dmarc.rua.example.    TXT  "v=DMARC1; rua=mailto:d@rua.example"
		_dmarc.bad.example.    TXT  "v=DMARC1; p=rejct; sp=reject; rua=mailto:d@bad.example"
		_dmarc.norua.example.  TXT  "v=DMARC1; sp=reject; np=reject"
		_dmarc.badsp.example.  TXT  "v=DMARC1; p=reject; sp=nope"
	`)
	r := srv.Resolver()
	// No valid p, a valid rua: as if p=none (RFC 9989, Section 4.10.1),
	// the whole record, sp included (mail-auth reads it so too).
	for _, domain := range []string{"rua.example", "bad.example", "sub.bad.example"} {
		d, err := Discover(t.Context(), r, domain)
		require.NoError(t, err)
		assert.True(t, d.Applies, domain)
		assert.Equal(t, PolicyNone, d.Policy, domain)
		assert.True(t, d.Findings.Has("dmarc.policy_fallback"), domain)
	}
	// No valid p (or a bad sp) and no valid rua: no DMARC at all.
	for _, domain := range []string{"norua.example", "x.norua.example", "badsp.example"} {
		d, err := Discover(t.Context(), r, domain)
		require.NoError(t, err)
		assert.False(t, d.Applies, domain)
		assert.Empty(t, d.Policy, domain)
		assert.True(t, d.Findings.Has("dmarc.no_processing"), domain)
	}
}

func TestDiscoverDomainNames(t *testing.T) {
	srv := dnstest.Start(t, `
		_dmarc.xn--bcher-kva.example.  TXT  "v=DMARC1; p=reject; rua=mailto:d@xn--bcher-kva.example"
	`)
	d, err := Discover(t.Context(), srv.Resolver(), "Bücher.example")
	require.NoError(t, err)
	assert.Equal(t, "xn--bcher-kva.example", d.Domain)
	assert.Equal(t, PolicyReject, d.Policy)

	for _, bad := range []string{"", ".", "a..b", "-a.example", "a b.example", string(make([]byte, 300))} {
		_, err := Discover(t.Context(), srv.Resolver(), bad)
		assert.ErrorIs(t, err, ErrInvalidDomain, "%q", bad)
	}
}

func TestCheckExternalReports(t *testing.T) {
	srv := dnstest.Start(t, `
		example.com._report._dmarc.reports.example.net.  TXT  "v=DMARC1;"
		example.com._report._dmarc.reports.example.net.  TXT  "not dmarc"
		example.com._report._dmarc.redirect.example.     TXT  "v=DMARC1; rua=mailto:x@elsewhere.example"
		example.com._report._dmarc.dmarc1.example.       TXT  "v=dmarc1;"
	`)
	r := srv.Resolver()
	r.Retries = -1
	check := func(rua, ruf string) []string {
		t.Helper()
		txt := "v=DMARC1; p=reject; rua=" + rua
		if ruf != "" {
			txt += "; ruf=" + ruf
		}
		rec, _, err := Parse(txt)
		require.NoError(t, err, txt)
		return sevCodes(CheckExternalReports(t.Context(), r, "example.com", rec))
	}

	// The same organization needs no authorization; no lookup.
	before := srv.Queries()
	assert.Equal(t, []string{}, check("mailto:d@example.com,mailto:d@reports.example.com", "mailto:f@EXAMPLE.com"))
	assert.Equal(t, before, srv.Queries())
	// Authorized (one TXT value beginning with v=DMARC1 is enough).
	assert.Equal(t, []string{}, check("mailto:d@reports.example.net,mailto:e@reports.example.net", ""))
	// Not authorized: receivers send nothing there.
	assert.Equal(t, []string{"error dmarc.external_rua_unauthorized"}, check("mailto:d@other.example.org", ""))
	assert.Equal(t, []string{"error dmarc.external_ruf_unauthorized"}, check("mailto:d@example.com", "mailto:f@other.example.org"))
	assert.Equal(t, []string{"error dmarc.external_rua_unauthorized"}, check("mailto:d@dmarc1.example", "")) // v=dmarc1 does not count
	// Authorized, but redirected to another host: receivers refuse.
	assert.Equal(t, []string{"warning dmarc.external_report_override"}, check("mailto:d@redirect.example", ""))
	// A failed lookup is not a missing record.
	srv.Fail("example.com._report._dmarc.broken.example", dns.TypeTXT, dnstest.FailServFail)
	assert.Equal(t, []string{"warning dmarc.external_report_lookup_failed"}, check("mailto:d@broken.example", ""))

	// The fix names the record to publish.
	rec, _, _ := Parse("v=DMARC1; p=reject; rua=mailto:d@other.example.org")
	l := CheckExternalReports(t.Context(), r, "example.com", rec)
	require.Len(t, l, 1)
	assert.Equal(t, `ask the operator of other.example.org to publish example.com._report._dmarc.other.example.org TXT "v=DMARC1;"`, l[0].Fix)
}
