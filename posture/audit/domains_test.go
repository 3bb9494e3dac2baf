//go:build !js

package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/internal/testpki"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A good domain and a bad one, each audited whole: its DNS on an
// in-process authoritative server, its web site, port-80 server and
// MTA-STS policy on loopback with certificates from a test CA. Only the
// web names and mta-sts point at 127.0.0.1 (and ::1); name servers and MX
// hosts are never dialled and keep documentation addresses.

// goodDomain does everything right.
const goodDomain = `
	$ORIGIN good.test.
	$TTL 3600
	@              SOA   ns1 hostmaster 2024010101 7200 3600 1209600 3600
	@              NS    ns1
	@              NS    ns2.dns-host.example.
	@              MX    10 mx1
	@              A     127.0.0.1
	@              AAAA  ::1
	@              TXT   "v=spf1 mx -all"
	@              CAA   0 issue "letsencrypt.org"
	@              CAA   0 issuewild ";"
	@              CAA   0 iodef "mailto:security@good.test"
	www            A     127.0.0.1
	www            AAAA  ::1
	mx1            A     192.0.2.25
	mx1            AAAA  2001:db8::25
	ns1            A     192.0.2.53
	ns1            AAAA  2001:db8:1::53
	mta-sts        A     127.0.0.1
	_mta-sts       TXT   "v=STSv1; id=20240101000000Z;"
	_smtp._tls     TXT   "v=TLSRPTv1; rua=mailto:tls-reports@good.test"
	_dmarc         TXT   "v=DMARC1; p=reject; rua=mailto:dmarc-reports@good.test"
	$ORIGIN dns-host.example.
	ns2            A     198.51.100.53
	ns2            AAAA  2001:db8:2::53
`

// badDomain has the faults of badFaults; the SPF include chain and the
// DKIM key are added by the test.
const badDomain = `
	$ORIGIN bad.test.
	$TTL 3600
	@       172800 SOA   ns1 nobody. 2099010101 3600 7200 86400 172800
	@         60   NS    ns1
	@              MX    10 mx1
	@              MX    20 mx2
	@         60   A     127.0.0.1
	@              TXT   "v=spf1 a:v1.bad.test a:v2.bad.test a:v3.bad.test include:s1.bad.test +all"
	www            A     127.0.0.1
	mx1            A     192.0.2.25
	ns1            A     192.0.2.53
	mta-sts        A     127.0.0.1
	_mta-sts       TXT   "v=STSv1; id=1;"
	_dmarc         TXT   "v=DMARC1; p=quarantine; sp=none; pct=50; rua=mailto:reports@dmarc-service.example"
`

// badFaults are the faults of badDomain and its site, each with the check
// that must find it.
var badFaults = []struct {
	fault string
	id    string
	want  Status
}{
	{"SPF ends with +all: anyone may send", "mail.spf.all", Fail},
	{"SPF include chain needs 11 lookups", "mail.spf.lookups", Fail},
	{"SPF names 3 hosts that do not exist", "mail.spf.void", Fail},
	{"DMARC pct=50 applies quarantine to half the mail", "mail.dmarc.policy", Warn},
	{"DMARC sp=none leaves subdomains open", "mail.dmarc.subdomains", Warn},
	{"DMARC reports go to a domain that did not agree", "mail.dmarc.rua.external", Fail},
	{"MTA-STS policy does not cover the MX hosts", "mail.mta-sts.mx", Fail},
	{"no TLS-RPT record", "mail.tlsrpt", Warn},
	{"DKIM key of 1024 bits", "mail.dkim.weak", Warn},
	{"MX host mx2 has no address", "mail.mx", Warn},
	{"a single name server", "dns.ns", Fail},
	{"name servers in one /24", "dns.ns.networks", Warn},
	{"name server names under one TLD", "dns.ns.domains", Warn},
	{"no AAAA for the domain", "dns.ipv6.apex", Fail},
	{"no AAAA for www", "dns.ipv6.www", Fail},
	{"no AAAA for the MX hosts", "dns.ipv6.mx", Fail},
	{"no AAAA for the name servers", "dns.ipv6.ns", Fail},
	{"no CAA: any CA may issue", "dns.caa", Warn},
	{"SOA RNAME is not a mailbox", "dns.soa.rname", Warn},
	{"negative answers cached for two days", "dns.soa.negative_ttl", Warn},
	{"SOA retry above refresh, expire one day", "dns.soa.timers", Warn},
	{"SOA serial dated 2099", "dns.soa.serial", Warn},
	{"NS TTL of 60 seconds", "dns.ttl.ns", Warn},
	{"apex A TTL of 60 seconds", "dns.ttl.web", Warn},
	{"HTTPS accepts TLS 1.0", "web.tls", Fail},
	{"no HSTS", "web.hsts", Fail},
	{"no security.txt", "web.security_txt", Warn},
	{"no security headers (CSP, nosniff, frame options)", "web.headers", Fail},
}

// site serves a domain over HTTPS (the web site, security.txt and the
// MTA-STS policy, by Host) and plain HTTP.
type site struct {
	ca                  *testpki.CA
	httpsPort, httpPort int
}

// startSite starts the servers of domain. The HTTPS server uses tlsConf
// (its certificate is added) and serves the MTA-STS policy to mta-sts.
// and, to the other names, webHandler's pages with hdrs and sectxt; the
// HTTP server runs plain.
func startSite(t *testing.T, domain string, tlsConf *tls.Config, hdrs *headers.Set, sectxt, policy string, plain http.Handler) *site {
	t.Helper()
	s := &site{ca: testpki.New(t)}
	pages := webHandler(hdrs, sectxt)
	https := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "mta-sts."+domain {
			if r.URL.Path != "/.well-known/mta-sts.txt" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, policy)
			return
		}
		pages.ServeHTTP(w, r)
	}))
	tlsConf.Certificates = []tls.Certificate{s.ca.IssueValid(t, time.Now().Add(-time.Hour), time.Now().Add(90*24*time.Hour),
		domain, "www."+domain, "mta-sts."+domain)}
	https.TLS = tlsConf
	https.Config.ErrorLog = log.New(io.Discard, "", 0) // the TLS probes fail on purpose
	https.StartTLS()
	t.Cleanup(https.Close)
	s.httpsPort = webPort(t, https.Listener)
	h := httptest.NewServer(plain)
	t.Cleanup(h.Close)
	s.httpPort = webPort(t, h.Listener)
	return s
}

// audit audits domain on srv and s.
func (s *site) audit(t *testing.T, srv *dnstest.Server, domain string, selectors ...string) *Report {
	t.Helper()
	r, err := Run(context.Background(), domain, Options{Resolvers: []string{srv.Addr}, QueryTimeout: 2 * time.Second, Timeout: time.Minute,
		RootCAs: s.ca.Pool(), AllowPrivate: true, HTTPSPort: s.httpsPort, HTTPPort: s.httpPort, DKIMSelectors: selectors})
	require.NoError(t, err)
	for _, c := range r.Checks {
		t.Logf("%-24s %-5s %s", c.ID, c.Status, c.Message)
		assert.NotNil(t, c.Evidence, c.ID)
		assert.True(t, strings.HasPrefix(c.ID, c.Area+"."), "%s is in area %s", c.ID, c.Area)
		assert.Equal(t, strings.ToLower(c.ID), c.ID)
		if c.Status == Fail || c.Status == Warn {
			assert.NotEmpty(t, c.Fix, "%s (%s) says what to do", c.ID, c.Status)
		}
	}
	t.Logf("score %d, grade %s, %d queries, %d cache hits", r.Score, r.Grade, r.Stats.Queries, r.Stats.CacheHits)
	return r
}

// zoneText joins zone-file fragments, each line without its indentation
// (dnstest removes only the indentation common to all lines).
func zoneText(parts ...string) string {
	var lines []string
	for _, p := range parts {
		for _, l := range strings.Split(p, "\n") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	return strings.Join(lines, "\n")
}

func TestGoodDomain(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	srv := dnstest.Start(t, zoneText(goodDomain, mailDKIMRecord(t, "sel._domainkey.good.test.", pub)))

	policy := "version: STSv1\r\nmode: enforce\r\nmx: mx1.good.test\r\nmax_age: 2419200\r\n"
	// Port 80 redirects the home page only (webHomeRedirect); deep links
	// over plain HTTP are not found.
	s := startSite(t, "good.test", &tls.Config{MinVersion: tls.VersionTLS12}, webSiteHeaders(t), webSecurityTXT(t, "good.test"), policy, webHomeRedirect())
	r := s.audit(t, srv, "good.test", "sel")

	for _, c := range r.Checks {
		assert.NotEqual(t, Fail, c.Status, "%s: %s", c.ID, c.Message)
		if strings.HasPrefix(c.ID, "dns.dnssec") {
			// dnstest sets no AD bit and serves no signatures: the DNSSEC
			// checks see an unsigned zone, or a resolver that strips
			// DNSSEC; neither is a fail.
			assert.Contains(t, []Status{Warn, Error}, c.Status, c.ID)
			continue
		}
		assert.NotEqual(t, Error, c.Status, "%s: %s", c.ID, c.Message)
	}
	for _, id := range append([]string{"mail.mx", "mail.spf", "mail.spf.lookups", "mail.spf.void", "mail.spf.all",
		"mail.dmarc", "mail.dmarc.policy", "mail.dmarc.subdomains", "mail.dmarc.rua",
		"mail.mta-sts", "mail.mta-sts.policy", "mail.mta-sts.mx", "mail.tlsrpt", "mail.dkim.sel"}, dnsIDs...) {
		wantStatus(t, r, id, Pass)
	}
	var web int
	for _, c := range r.Checks {
		if c.Area == AreaWeb {
			web++
		}
	}
	assert.NotZero(t, web, "the web checks ran")
}

func TestBadDomain(t *testing.T) {
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	zone := badDomain
	// An include chain: s1 includes s2 ... s8, so 3 a terms and 8
	// includes make 11 lookups.
	for i := 1; i <= 8; i++ {
		next := "-all"
		if i < 8 {
			next = fmt.Sprintf("include:s%d.bad.test -all", i+1)
		}
		zone += fmt.Sprintf("\ns%d.bad.test. TXT \"v=spf1 %s\"", i, next)
	}
	zone += "\n" + mailDKIMRecord(t, "weak._domainkey.bad.test.", &weak.PublicKey)
	srv := dnstest.Start(t, zoneText(zone))

	var suites []uint16
	for _, cs := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		suites = append(suites, cs.ID)
	}
	policy := "version: STSv1\r\nmode: enforce\r\nmx: mail.bad.test\r\nmax_age: 2419200\r\n"
	// Port 80 redirects everything, deep links included.
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://"+r.Host+r.URL.RequestURI(), http.StatusFound)
	})
	s := startSite(t, "bad.test", &tls.Config{MinVersion: tls.VersionTLS10, CipherSuites: suites}, nil, "", policy, plain)
	r := s.audit(t, srv, "bad.test", "weak")

	require.GreaterOrEqual(t, len(badFaults), 15)
	for _, f := range badFaults {
		cs := checks(r, f.id)
		if assert.Len(t, cs, 1, "%s: want one %s check", f.fault, f.id) {
			assert.Equal(t, f.want, cs[0].Status, "%s: %s says %q", f.fault, f.id, cs[0].Message)
			if f.want == Fail || f.want == Warn {
				assert.NotEmpty(t, cs[0].Message, f.id)
			}
		}
	}
	assert.Contains(t, one(t, r, "mail.spf.all").Fix, `bad.test. 3600 IN TXT "v=spf1 mx include:s1.bad.test -all"`)
	assert.Contains(t, one(t, r, "mail.dmarc.rua.external").Fix,
		`bad.test._report._dmarc.dmarc-service.example. 3600 IN TXT "v=DMARC1"`)
	assert.Less(t, r.Score, 60, "a domain this bad scores low")
}
