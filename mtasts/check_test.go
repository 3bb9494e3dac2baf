//go:build !js

package mtasts

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/internal/testpki"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const goodPolicy = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.mx.example.test\r\nmax_age: 2419200\r\n"

const goodZone = `
$ORIGIN example.test.
@          SOA  ns hostmaster 1 3600 600 86400 300
@          MX   10 mx1
@          MX   20 a.mx
_mta-sts   TXT  "v=STSv1; id=20260101000000Z;"
_smtp._tls TXT  "v=TLSRPTv1; rua=mailto:tlsrpt@example.test"
mta-sts    A    127.0.0.1
`

// env is a live domain on loopback: an authoritative DNS server and an
// HTTPS policy server with a certificate from a test CA.
type env struct {
	dns     *dnstest.Server
	https   *httptest.Server
	ca      *testpki.CA
	fetcher *Fetcher
}

func newEnv(t *testing.T, zone string, certNames []string, h http.HandlerFunc) *env {
	t.Helper()
	e := &env{dns: dnstest.Start(t, zone), ca: testpki.New(t)}
	e.https = httptest.NewUnstartedServer(h)
	e.https.TLS = &tls.Config{Certificates: []tls.Certificate{e.ca.Issue(t, certNames...)}}
	e.https.StartTLS()
	t.Cleanup(e.https.Close)
	port := e.https.Listener.Addr().(*net.TCPAddr).Port
	e.fetcher = &Fetcher{Resolver: e.dns.Resolver(), RootCAs: e.ca.Pool(), AllowPrivate: true, Port: port, Timeout: 2 * time.Second}
	return e
}

func servePolicy(ctype, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/mta-sts.txt" || r.Host != "mta-sts.example.test" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Write([]byte(body))
	}
}

func (e *env) check(t *testing.T) *Report {
	t.Helper()
	rep, err := Check(context.Background(), "example.test", CheckOptions{Resolver: e.dns.Resolver(), Fetcher: e.fetcher})
	require.NoError(t, err)
	return rep
}

func TestCheckGood(t *testing.T) {
	e := newEnv(t, goodZone, []string{"mta-sts.example.test"}, servePolicy("text/plain; charset=utf-8", goodPolicy))
	rep := e.check(t)
	assert.True(t, rep.Valid, "%v", rep.Findings)
	assert.Empty(t, rep.Findings)
	assert.Equal(t, "20260101000000Z", rep.Record.ID)
	assert.Equal(t, []string{"mx1.example.test", "a.mx.example.test"}, rep.MX)
	assert.Equal(t, goodPolicy, rep.PolicyText)
	assert.Equal(t, ModeEnforce, rep.Policy.Mode)
	assert.Len(t, rep.TLSRPT, 1)
}

func TestCheckFailures(t *testing.T) {
	names := []string{"mta-sts.example.test"}
	for _, c := range []struct {
		name    string
		zone    string
		cert    []string
		handler http.HandlerFunc
		code    string
	}{
		{"redirect", goodZone, names, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://mta-sts.example.test/policy.txt", http.StatusMovedPermanently)
		}, "mtasts.policy_redirect"},
		{"wrong media type", goodZone, names, servePolicy("text/html", goodPolicy), "mtasts.policy_media_type"},
		{"no media type", goodZone, names, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = nil
			w.Write([]byte(goodPolicy))
		}, "mtasts.policy_media_type"},
		{"oversize body", goodZone, names, servePolicy("text/plain", goodPolicy+strings.Repeat("x-pad: 0123456789\r\n", 4000)), "mtasts.policy_too_large"},
		{"status 404", goodZone, names, http.NotFound, "mtasts.policy_http_status"},
		{"bad certificate name", goodZone, []string{"www.example.test"}, servePolicy("text/plain", goodPolicy), "mtasts.policy_certificate"},
		{"certificate for the domain, not mta-sts", goodZone, []string{"example.test"}, servePolicy("text/plain", goodPolicy), "mtasts.policy_certificate"},
		{"two TXT records", goodZone + `_mta-sts TXT "v=STSv1; id=2;"` + "\n", names, servePolicy("text/plain", goodPolicy), "mtasts.record_multiple"},
		{"record malformed", strings.Replace(goodZone, "id=20260101000000Z", "id=2026-01-01", 1), names, servePolicy("text/plain", goodPolicy), "mtasts.record_id_invalid"},
		{"MX not covered", goodZone + "@ MX 30 backup.other.test.\n", names, servePolicy("text/plain", goodPolicy), "mtasts.mx_not_covered"},
		{"policy syntax", goodZone, names, servePolicy("text/plain", strings.Replace(goodPolicy, "enforce", "Enforce", 1)), "mtasts.mode_invalid"},
		{"no mta-sts host", strings.Replace(goodZone, "mta-sts    A    127.0.0.1", "", 1), names, servePolicy("text/plain", goodPolicy), "mtasts.policy_host_missing"},
		{"no record", strings.Replace(goodZone, `_mta-sts   TXT  "v=STSv1; id=20260101000000Z;"`, "", 1), names, servePolicy("text/plain", goodPolicy), "mtasts.policy_without_record"},
		{"timeout", goodZone, names, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		}, "mtasts.policy_timeout"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.zone, c.cert, c.handler)
			e.fetcher.Timeout = 700 * time.Millisecond
			rep := e.check(t)
			assert.False(t, rep.Valid)
			assert.True(t, rep.Findings.Has(c.code), "want %s, got %v", c.code, rep.Findings)
			for _, f := range rep.Findings {
				if f.Code == c.code {
					assert.Equal(t, "error", string(f.Severity))
				}
			}
		})
	}
}

func TestCheckWarnings(t *testing.T) {
	zone := strings.Replace(goodZone, `_smtp._tls TXT  "v=TLSRPTv1; rua=mailto:tlsrpt@example.test"`, "", 1) + "@ MX 5 unused.example.test.\n"
	e := newEnv(t, zone, []string{"mta-sts.example.test"}, servePolicy("text/plain", strings.Replace(goodPolicy, "mx: *.mx.example.test", "mx: *.mx.example.test\r\nmx: old.example.test", 1)))
	rep := e.check(t)
	assert.True(t, rep.Findings.Has("mtasts.tlsrpt_missing"))
	assert.True(t, rep.Findings.Has("mtasts.mx_unused"))
	assert.True(t, rep.Findings.Has("mtasts.mx_not_covered"), "unused.example.test is an MX host")
}

func TestCheckDNSFailures(t *testing.T) {
	e := newEnv(t, goodZone, []string{"mta-sts.example.test"}, servePolicy("text/plain", goodPolicy))
	e.dns.Fail("_mta-sts.example.test.", 16, dnstest.FailDrop)
	e.dns.Fail("example.test.", 15, dnstest.FailServFail)
	start := time.Now()
	rep := e.check(t)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.True(t, rep.Findings.Has("mtasts.record_lookup_failed"), "%v", rep.Findings)
	assert.True(t, rep.Findings.Has("mtasts.mx_lookup_failed"), "%v", rep.Findings)
	assert.False(t, rep.Findings.Has("mtasts.record_missing"), "a timeout is not a missing record")

	// A failed address lookup is not a missing policy host.
	e.dns.Fail("mta-sts.example.test.", 255, dnstest.FailServFail)
	rep = e.check(t)
	assert.True(t, rep.Findings.Has("mtasts.policy_host_lookup_failed"), "%v", rep.Findings)
	assert.False(t, rep.Findings.Has("mtasts.policy_host_missing"))
}

func TestFetchRefusesPrivateAddresses(t *testing.T) {
	e := newEnv(t, goodZone, []string{"mta-sts.example.test"}, servePolicy("text/plain", goodPolicy))
	e.fetcher.AllowPrivate = false
	_, err := e.fetcher.Fetch(context.Background(), "example.test")
	assert.ErrorIs(t, err, ErrPrivateAddress)
	assert.ErrorIs(t, err, ErrFetch)
	rep := e.check(t)
	assert.True(t, rep.Findings.Has("mtasts.policy_private_address"))
}

func TestFetchPolicy(t *testing.T) {
	e := newEnv(t, goodZone, []string{"mta-sts.example.test"}, servePolicy("text/plain", goodPolicy))
	p, err := e.fetcher.FetchPolicy(context.Background(), "example.test.")
	require.NoError(t, err)
	assert.True(t, p.Match("b.mx.example.test"))

	// Without the test CA, the system roots do not trust the server.
	f := *e.fetcher
	f.RootCAs = nil
	_, err = f.Fetch(context.Background(), "example.test")
	assert.ErrorIs(t, err, ErrCertificate)
}

func TestPublicAddr(t *testing.T) {
	for s, want := range map[string]bool{
		"8.8.8.8": true, "2a00:1450:4001:80b::200e": true, "1.1.1.1": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "255.255.255.255": false,
		"::1": false, "fe80::1": false, "fc00::1": false, "::": false, "ff02::1": false,
		"::ffff:127.0.0.1": false, "::ffff:8.8.8.8": true, "64:ff9b::a00:1": false, "64:ff9b::808:808": true,
		"192.0.2.1": false, "2001:db8::1": false, "198.18.0.1": false,
	} {
		assert.Equal(t, want, PublicAddr(netip.MustParseAddr(s)), s)
	}
}

func TestLookupRecordErrors(t *testing.T) {
	srv := dnstest.Start(t, goodZone)
	ctx := context.Background()
	_, _, err := LookupRecord(ctx, srv.Resolver(), "nothing.example.test")
	assert.ErrorIs(t, err, ErrNoRecord)
	srv.Fail("_mta-sts.example.test.", 16, dnstest.FailServFail)
	_, _, err = LookupRecord(ctx, srv.Resolver(), "example.test")
	assert.Error(t, err)
	assert.False(t, errors.Is(err, ErrNoRecord))
}
