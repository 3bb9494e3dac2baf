//go:build !js

package caa

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// posturekit's resolver is a Querier.
var _ Querier = (*dnsclient.Resolver)(nil)

const lookupZone = `
	$ORIGIN example.com.
	@         SOA    ns1 hostmaster 1 7200 3600 1209600 300
	@         CAA    0 issue "letsencrypt.org"
	          CAA    0 issuewild ";"
	          CAA    0 iodef "mailto:security@example.com"
	www       A      192.0.2.1
	sub       CAA    0 issue "digicert.com"
	a.b.sub   TXT    "deep"
	alias     CNAME  www.example.net.
	alias2    CNAME  nocaa.example.net.
	inzone    CNAME  sub
	loop1     CNAME  loop2
	loop2     CNAME  loop1
	esc       CAA    0 issue "ca.example; x=a\\b"
	bad       CAA    1 issue "letsencrypt.org."
	$ORIGIN example.net.
	@         SOA    ns1 hostmaster 1 7200 3600 1209600 300
	www       CAA    0 issue "sectigo.com"
	nocaa     A      192.0.2.2
	$ORIGIN xn--bcher-kva.example.
	@         SOA    ns1 hostmaster 1 7200 3600 1209600 300
	@         CAA    0 issue "ca.example"
`

func TestLookupRelevant(t *testing.T) {
	srv := dnstest.Start(t, lookupZone)
	ctx := context.Background()
	look := func(domain, wantName, wantTarget string, wantQueried []string, wantValues ...string) *Relevant {
		t.Helper()
		res, err := LookupRelevant(ctx, srv.Resolver(), domain)
		require.NoError(t, err, domain)
		assert.Equal(t, wantName, res.Name, domain)
		assert.Equal(t, wantTarget, res.Target, domain)
		assert.Equal(t, wantQueried, res.Queried, domain)
		values := []string{}
		for _, r := range res.Records {
			values = append(values, r.String())
		}
		if wantValues == nil {
			wantValues = []string{}
		}
		assert.Equal(t, wantValues, values, domain)
		return res
	}
	apex := []string{`0 issue "letsencrypt.org"`, `0 issuewild ";"`, `0 iodef "mailto:security@example.com"`}

	res := look("example.com", "example.com", "", []string{"example.com"}, apex...)
	assert.Equal(t, []string{"info caa.binding_suggested", "info caa.issuemail_missing"}, codes(res.Findings))
	assert.Equal(t, "example.com", res.Findings[0].Where)

	// RFC 8659, Section 3: climb to the parent.
	res = look("www.example.com", "example.com", "", []string{"www.example.com", "example.com"}, apex...)
	assert.True(t, res.Findings.Has("caa.inherited"))
	look("WWW.Example.COM.", "example.com", "", []string{"www.example.com", "example.com"}, apex...)
	look("*.www.example.com", "example.com", "", []string{"www.example.com", "example.com"}, apex...) // a wildcard *.X starts at X
	look("nx.example.com", "example.com", "", []string{"nx.example.com", "example.com"}, apex...)     // NXDOMAIN is empty
	// The nearest RRset shadows the parent's.
	look("a.b.sub.example.com", "sub.example.com", "", []string{"a.b.sub.example.com", "b.sub.example.com", "sub.example.com"}, `0 issue "digicert.com"`)
	// CNAMEs are followed (RFC 1034, Section 4.3.2), out of the zone too.
	res = look("alias.example.com", "alias.example.com", "www.example.net", []string{"alias.example.com"}, `0 issue "sectigo.com"`)
	assert.True(t, res.Findings.Has("caa.alias"))
	look("inzone.example.com", "inzone.example.com", "sub.example.com", []string{"inzone.example.com"}, `0 issue "digicert.com"`)
	// A target without CAA: the search goes on at the parent of the
	// alias, not of the target (RFC 8659 dropped that in RFC 6844).
	look("alias2.example.com", "example.com", "", []string{"alias2.example.com", "example.com"}, apex...)
	// The top-level domain is the last name asked.
	res = look("www.example.org", "", "", []string{"www.example.org", "example.org", "org"})
	assert.Equal(t, []string{"warning caa.missing"}, codes(res.Findings))
	// IDNs are asked in A-label form.
	look("Bücher.example", "xn--bcher-kva.example", "", []string{"xn--bcher-kva.example"}, `0 issue "ca.example"`)
	// Values are read raw off the wire: the backslash is one byte.
	res = look("esc.example.com", "esc.example.com", "", []string{"esc.example.com"}, `0 issue "ca.example; x=a\\b"`)
	assert.Equal(t, `ca.example; x=a\b`, res.Records[0].Value)
	// The findings of the set name the record.
	res = look("bad.example.com", "bad.example.com", "", []string{"bad.example.com"}, `1 issue "letsencrypt.org."`)
	require.True(t, res.Findings.HasErrors())
	assert.Equal(t, "bad.example.com CAA "+`1 issue "letsencrypt.org."`, res.Findings[0].Where)
}

func TestLookupRelevantFailures(t *testing.T) {
	srv := dnstest.Start(t, lookupZone)
	ctx := context.Background()

	// A failed lookup is not "no CAA": the search stops with an error.
	srv.Fail("example.com", dns.TypeCAA, dnstest.FailServFail)
	res, err := LookupRelevant(ctx, srv.Resolver(), "www.example.com")
	require.Error(t, err)
	assert.ErrorIs(t, err, dnsclient.ErrTemporary)
	assert.Equal(t, []string{"www.example.com", "example.com"}, res.Queried)
	assert.Empty(t, res.Records)
	assert.Equal(t, []string{"error caa.lookup_failed"}, codes(res.Findings))
	assert.Equal(t, "example.com", res.Findings[0].Where)
	srv.Fail("example.com", dns.TypeCAA, dnstest.FailNone)

	srv.Fail("www.example.com", dns.TypeCAA, dnstest.FailRefused)
	_, err = LookupRelevant(ctx, srv.Resolver(), "www.example.com")
	assert.ErrorIs(t, err, dnsclient.ErrTemporary)
	srv.Fail("www.example.com", dns.TypeCAA, dnstest.FailNone)

	// A timeout, too.
	srv.Fail("www.example.com", dns.TypeCAA, dnstest.FailDrop)
	r := srv.Resolver()
	r.Timeout, r.Retries = 100*time.Millisecond, -1
	res, err = LookupRelevant(ctx, r, "www.example.com")
	require.Error(t, err)
	assert.True(t, res.Findings.Has("caa.lookup_failed"))
	srv.Fail("www.example.com", dns.TypeCAA, dnstest.FailNone)

	// A CNAME loop cannot be resolved.
	res, err = LookupRelevant(ctx, srv.Resolver(), "loop1.example.com")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "loop")
	assert.True(t, res.Findings.Has("caa.lookup_failed"))

	// A context that ends stops the search.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = LookupRelevant(cctx, srv.Resolver(), "www.example.com")
	assert.ErrorIs(t, err, context.Canceled)

	// Not a domain name: nothing is asked.
	n := srv.Queries()
	for _, d := range []string{"", ".", "*.", "a..b", "-", "a.*.b", "*"} {
		res, err := LookupRelevant(ctx, srv.Resolver(), d)
		assert.ErrorIs(t, err, ErrDomain, "%q", d)
		assert.NotNil(t, res)
	}
	assert.Equal(t, n, srv.Queries())
}

// fakeQuerier answers with canned replies, for what a server in the tests
// above cannot do.
type fakeQuerier func(name string) (*dns.Msg, error)

func (f fakeQuerier) Query(_ context.Context, name string, _ uint16) (*dns.Msg, error) {
	return f(name)
}

func TestLookupRelevantReplies(t *testing.T) {
	// A Querier that returns replies with other rcodes, or none.
	_, err := LookupRelevant(context.Background(), fakeQuerier(func(string) (*dns.Msg, error) {
		m := new(dns.Msg)
		m.Rcode = dns.RcodeServerFailure
		return m, nil
	}), "example.com")
	assert.ErrorContains(t, err, "SERVFAIL")
	_, err = LookupRelevant(context.Background(), fakeQuerier(func(string) (*dns.Msg, error) { return nil, nil }), "example.com")
	assert.ErrorContains(t, err, "no reply")
	_, err = LookupRelevant(context.Background(), fakeQuerier(func(string) (*dns.Msg, error) { return nil, errors.New("boom") }), "example.com")
	assert.ErrorContains(t, err, "boom")
}
