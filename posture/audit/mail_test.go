//go:build !js

package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/internal/servertest"
	"github.com/posturekit/posturekit/internal/testpki"
	"github.com/posturekit/posturekit/posture/dkim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mailDomain is the domain the mail and DNS tests audit.
const mailDomainName = "example.test"

// mailZone is a mail domain that does everything right, on documentation
// addresses (the web checks refuse them, since the tests do not allow
// private addresses, so nothing leaves the machine). Tests replace lines
// with mailZoneWith.
const mailZone = `
	$ORIGIN example.test.
	$TTL 3600
	@          SOA   ns1 hostmaster 2024010101 7200 3600 1209600 3600
	@          NS    ns1
	@          NS    ns2.dns-host.example.
	@          MX    10 mx1
	@          A     192.0.2.1
	@          AAAA  2001:db8::1
	@          TXT   "v=spf1 mx -all"
	@          CAA   0 issue "letsencrypt.org"
	www        A     192.0.2.1
	www        AAAA  2001:db8::1
	mx1        A     192.0.2.25
	mx1        AAAA  2001:db8::25
	ns1        A     192.0.2.53
	ns1        AAAA  2001:db8:1::53
	_dmarc     TXT   "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"
	_smtp._tls TXT   "v=TLSRPTv1; rua=mailto:tls@example.test"
	$ORIGIN dns-host.example.
	ns2        A     198.51.100.53
	ns2        AAAA  2001:db8:2::53
`

// mailZoneWith returns mailZone with each line whose first two fields
// (owner and type) match a key of replace replaced by its value ("" drops
// the line), and with the lines of add appended to the example.test
// records.
func mailZoneWith(replace map[string]string, add ...string) string {
	var out []string
	for _, line := range strings.Split(mailZone, "\n") {
		line = strings.TrimSpace(line)
		f := strings.Fields(line)
		if len(f) >= 2 {
			if r, ok := replace[f[0]+" "+f[1]]; ok {
				if r != "" {
					out = append(out, r)
				}
				continue
			}
		}
		out = append(out, line)
		if strings.Contains(line, "_smtp._tls") {
			out = append(out, add...)
		}
	}
	return strings.Join(out, "\n")
}

// auditZone audits example.test against srv, with opts completed as
// auditDomain does.
func auditZone(t *testing.T, srv *dnstest.Server, opts Options) *Report {
	t.Helper()
	return auditDomain(t, srv, mailDomainName, opts)
}

// auditDomain audits domain against srv, with opts completed to reach it
// and to leave the web ports closed; the query timeout is short so that a
// dropped query gives up fast.
func auditDomain(t *testing.T, srv *dnstest.Server, domain string, opts Options) *Report {
	t.Helper()
	opts.Resolvers = []string{srv.Addr}
	if opts.QueryTimeout == 0 {
		opts.QueryTimeout = 2 * time.Second
	}
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.HTTPPort == 0 {
		opts.HTTPPort = servertest.FreePort(t)
	}
	if opts.HTTPSPort == 0 {
		opts.HTTPSPort = servertest.FreePort(t)
	}
	r, err := Run(context.Background(), domain, opts)
	require.NoError(t, err)
	return r
}

// auditDropping audits zone as auditZone does while the server drops
// every query for name and qtype; one attempt of 100 ms each, so that the
// lookup times out fast.
func auditDropping(t *testing.T, zone string, opts Options, name string, qtype uint16) *Report {
	t.Helper()
	srv := dnstest.Start(t, zone)
	srv.Fail(name, qtype, dnstest.FailDrop)
	opts.QueryTimeout, opts.Retries = 100*time.Millisecond, -1
	return auditZone(t, srv, opts)
}

// checks returns the checks of r with the given ID.
func checks(r *Report, id string) []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.ID == id {
			out = append(out, c)
		}
	}
	return out
}

// one returns the only check of r with the given ID.
func one(t *testing.T, r *Report, id string) Check {
	t.Helper()
	cs := checks(r, id)
	require.Len(t, cs, 1, "checks with ID %s in %v", id, ids(r))
	require.NotNil(t, cs[0].Evidence, id)
	return cs[0]
}

// ids lists the IDs and statuses of r, for failure messages.
func ids(r *Report) []string {
	var out []string
	for _, c := range r.Checks {
		out = append(out, c.ID+"="+string(c.Status))
	}
	return out
}

// wantStatus asserts the status of the only check with the given ID and
// returns it.
func wantStatus(t *testing.T, r *Report, id string, want Status) Check {
	t.Helper()
	c := one(t, r, id)
	assert.Equal(t, want, c.Status, "%s: %s (fix %q)", id, c.Message, c.Fix)
	switch want {
	case Pass:
		assert.Empty(t, c.Fix, id)
	case Error:
		assert.Contains(t, c.Message, "could not check", id)
	}
	return c
}

// mailPolicy is an MTA-STS policy server: an HTTPS server on loopback
// with a certificate from a test CA, serving the policy text it holds.
type mailPolicy struct {
	ca     *testpki.CA
	port   int
	policy atomic.Value // string
}

// startPolicy starts a policy server whose certificate is valid for
// names.
func startPolicy(t *testing.T, policy string, names ...string) *mailPolicy {
	t.Helper()
	p := &mailPolicy{ca: testpki.New(t)}
	p.policy.Store(policy)
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/mta-sts.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(p.policy.Load().(string)))
	}))
	s.TLS = &tls.Config{Certificates: []tls.Certificate{p.ca.Issue(t, names...)}}
	// The web checks probe this server too (old TLS versions, other
	// names): their refused handshakes are expected.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	t.Cleanup(s.Close)
	p.port = s.Listener.Addr().(*net.TCPAddr).Port
	return p
}

// opts are the audit options that reach the policy server.
func (p *mailPolicy) opts() Options {
	return Options{RootCAs: p.ca.Pool(), AllowPrivate: true, HTTPSPort: p.port}
}

const goodPolicy = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmax_age: 2419200\r\n"

// mailLoopback moves the web names of the zone to loopback: with private
// addresses allowed, nothing else may be dialled.
var mailLoopback = map[string]string{
	"@ A":      "@ A 127.0.0.1",
	"@ AAAA":   "@ AAAA ::1",
	"www A":    "www A 127.0.0.1",
	"www AAAA": "www AAAA ::1",
}

// mailSTSZone is mailZone on loopback with an MTA-STS record and host.
func mailSTSZone(extra map[string]string) string {
	rep := map[string]string{}
	for k, v := range mailLoopback {
		rep[k] = v
	}
	for k, v := range extra {
		rep[k] = v
	}
	return mailZoneWith(rep, `_mta-sts TXT "v=STSv1; id=20240101T000000;"`, "mta-sts A 127.0.0.1")
}

func TestMailGood(t *testing.T) {
	p := startPolicy(t, goodPolicy, "mta-sts.example.test")
	srv := dnstest.Start(t, mailSTSZone(nil))
	r := auditZone(t, srv, p.opts())
	for _, id := range []string{"mail.mx", "mail.spf", "mail.spf.lookups", "mail.spf.void", "mail.spf.all",
		"mail.dmarc", "mail.dmarc.policy", "mail.dmarc.subdomains", "mail.dmarc.rua",
		"mail.mta-sts", "mail.mta-sts.policy", "mail.mta-sts.mx", "mail.tlsrpt"} {
		wantStatus(t, r, id, Pass)
	}
	assert.Empty(t, checks(r, "mail.nullmx"), "a domain with MX hosts gets no null MX check")
	assert.Empty(t, checks(r, "mail.dmarc.rua.external"), "reports stay in the domain")
	wantStatus(t, r, "mail.dkim", Info)
	assert.Contains(t, one(t, r, "mail.spf").Evidence, `example.test. IN TXT "v=spf1 mx -all"`)
	assert.Contains(t, one(t, r, "mail.spf.lookups").Message, "1 of the 10")
	assert.Contains(t, one(t, r, "mail.mta-sts.policy").Evidence, "mode: enforce")
}

func TestMailSPF(t *testing.T) {
	// An include chain of depth 11, each record one include deeper.
	var chain []string
	for i := 1; i <= 11; i++ {
		next := `"v=spf1 -all"`
		if i < 11 {
			next = `"v=spf1 include:s` + string(rune('a'+i)) + `.example.test -all"`
		}
		chain = append(chain, "s"+string(rune('a'+i-1))+" TXT "+next)
	}
	for _, tc := range []struct {
		name   string
		spf    string // the TXT line at the apex ("" drops it)
		add    []string
		id     string
		want   Status
		fixHas string
	}{
		{"missing", "", nil, "mail.spf", Fail, `example.test. 3600 IN TXT "v=spf1 mx -all"`},
		{"two records", "@ TXT \"v=spf1 mx -all\"\n@ TXT \"v=spf1 -all\"", nil, "mail.spf", Fail, "v=spf1 mx -all"},
		{"syntax", `@ TXT "v=spf1 mx ip4:300.1.1.1 -all"`, nil, "mail.spf", Fail, "v=spf1 mx -all"},
		{"plus all", `@ TXT "v=spf1 mx +all"`, nil, "mail.spf.all", Fail, "v=spf1 mx -all"},
		{"neutral all", `@ TXT "v=spf1 mx ?all"`, nil, "mail.spf.all", Warn, "v=spf1 mx -all"},
		{"softfail all", `@ TXT "v=spf1 mx ~all"`, nil, "mail.spf.all", Pass, ""},
		{"redirect", `@ TXT "v=spf1 redirect=_spf.example.test"`, []string{`_spf TXT "v=spf1 mx -all"`}, "mail.spf.all", Pass, ""},
		{"too many lookups", `@ TXT "v=spf1 include:sa.example.test -all"`, chain, "mail.spf.lookups", Fail, ""},
		{"include without record", `@ TXT "v=spf1 include:none.example.test -all"`, nil, "mail.spf.lookups", Fail, "none.example.test"},
		{"void lookups", `@ TXT "v=spf1 a:v1.example.test a:v2.example.test a:v3.example.test mx -all"`, nil, "mail.spf.void", Fail, "a:v3.example.test"},
		{"two voids", `@ TXT "v=spf1 a:v1.example.test a:v2.example.test mx -all"`, nil, "mail.spf.void", Pass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := dnstest.Start(t, mailZoneWith(map[string]string{"@ TXT": tc.spf}, tc.add...))
			r := auditZone(t, srv, Options{})
			c := wantStatus(t, r, tc.id, tc.want)
			assert.Contains(t, c.Fix, tc.fixHas)
			assert.NotEmpty(t, c.RFC)
		})
	}

	t.Run("lookup count in evidence", func(t *testing.T) {
		srv := dnstest.Start(t, mailZoneWith(map[string]string{"@ TXT": `@ TXT "v=spf1 include:sa.example.test -all"`}, chain...))
		r := auditZone(t, srv, Options{})
		c := one(t, r, "mail.spf.lookups")
		assert.Contains(t, c.Message, "11 DNS-querying terms")
		assert.Contains(t, c.Evidence[0], "include:sa.example.test (11 lookups)")
		assert.Contains(t, c.Evidence[1], "  include:sb.example.test (10 lookups)")
	})
}

func TestMailSPFTimeout(t *testing.T) {
	// A timeout is an error, never "no SPF record".
	r := auditDropping(t, mailZone, Options{}, mailDomainName, dns.TypeTXT)
	wantStatus(t, r, "mail.spf", Error)
	assert.Empty(t, checks(r, "mail.spf.all"))

	// A timeout inside the include tree: the count is unknown.
	zone := mailZoneWith(map[string]string{"@ TXT": `@ TXT "v=spf1 include:_spf.example.test -all"`}, `_spf TXT "v=spf1 mx -all"`)
	r = auditDropping(t, zone, Options{}, "_spf.example.test", dns.TypeTXT)
	wantStatus(t, r, "mail.spf.lookups", Error)
	assert.Empty(t, checks(r, "mail.spf.void"), "void lookups are unknown too")
}

func TestMailDMARC(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dmarc  string // the _dmarc TXT line ("" drops it)
		add    []string
		id     string
		want   Status
		fixHas string
	}{
		{"missing", "", nil, "mail.dmarc", Fail, `_dmarc.example.test. 3600 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.test;"`},
		{"two records", "_dmarc TXT \"v=DMARC1; p=reject\"\n_dmarc TXT \"v=DMARC1; p=none\"", nil, "mail.dmarc", Fail, "v=DMARC1"},
		{"none", `_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.test"`, nil, "mail.dmarc.policy", Warn,
			`_dmarc.example.test. 3600 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.test;"`},
		{"quarantine", `_dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.test"`, nil, "mail.dmarc.policy", Pass, ""},
		{"testing", `_dmarc TXT "v=DMARC1; p=reject; t=y; rua=mailto:dmarc@example.test"`, nil, "mail.dmarc.policy", Warn, "p=reject"},
		{"pct", `_dmarc TXT "v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@example.test"`, nil, "mail.dmarc.policy", Warn, "p=reject"},
		{"no p", `_dmarc TXT "v=DMARC1; rua=mailto:dmarc@example.test"`, nil, "mail.dmarc.policy", Warn, "p=reject"},
		{"sp none", `_dmarc TXT "v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@example.test"`, nil, "mail.dmarc.subdomains", Warn,
			`"v=DMARC1; p=reject; rua=mailto:dmarc@example.test;"`},
		{"no rua", `_dmarc TXT "v=DMARC1; p=reject"`, nil, "mail.dmarc.rua", Warn, "rua=mailto:dmarc-reports@example.test"},
		{"external unauthorized", `_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@reports.example"`, nil, "mail.dmarc.rua.external", Fail,
			`example.test._report._dmarc.reports.example. 3600 IN TXT "v=DMARC1"`},
		{"external authorized", `_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@reports.example"`,
			[]string{`example.test._report._dmarc.reports.example. TXT "v=DMARC1"`}, "mail.dmarc.rua.external", Pass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := dnstest.Start(t, mailZoneWith(map[string]string{"_dmarc TXT": tc.dmarc}, tc.add...))
			r := auditZone(t, srv, Options{})
			c := wantStatus(t, r, tc.id, tc.want)
			assert.Contains(t, c.Fix, tc.fixHas)
		})
	}

	t.Run("policy of the organizational domain", func(t *testing.T) {
		zone := strings.ReplaceAll(mailZoneWith(map[string]string{"_dmarc TXT": ""}), "$ORIGIN example.test.", "$ORIGIN sub.example.test.")
		srv := dnstest.Start(t, zone+"\n_dmarc.example.test. TXT \"v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.test\"")
		r := auditDomain(t, srv, "sub.example.test", Options{})
		wantStatus(t, r, "mail.dmarc", Pass)
		c := wantStatus(t, r, "mail.dmarc.policy", Pass)
		assert.Contains(t, c.Message, "sp=quarantine")
		assert.Empty(t, checks(r, "mail.dmarc.subdomains"), "sp of a parent's record is judged at the parent")
	})

	t.Run("timeout", func(t *testing.T) {
		r := auditDropping(t, mailZone, Options{}, "_dmarc.example.test", dns.TypeTXT)
		wantStatus(t, r, "mail.dmarc", Error)
		assert.Empty(t, checks(r, "mail.dmarc.policy"))
	})

	t.Run("authorization timeout", func(t *testing.T) {
		zone := mailZoneWith(map[string]string{"_dmarc TXT": `_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@reports.example"`})
		r := auditDropping(t, zone, Options{}, "example.test._report._dmarc.reports.example", dns.TypeTXT)
		wantStatus(t, r, "mail.dmarc.rua.external", Error)
	})
}

func TestMailNullMX(t *testing.T) {
	noMail := map[string]string{
		"@ MX":       "@ MX 0 .",
		"@ TXT":      `@ TXT "v=spf1 -all"`,
		"_dmarc TXT": `_dmarc TXT "v=DMARC1; p=reject"`,
		"_smtp._tls": "",
	}
	with := func(changes map[string]string) string {
		m := map[string]string{}
		for k, v := range noMail {
			m[k] = v
		}
		for k, v := range changes {
			m[k] = v
		}
		return mailZoneWith(m)
	}

	t.Run("parked", func(t *testing.T) {
		r := auditZone(t, dnstest.Start(t, with(nil)), Options{})
		wantStatus(t, r, "mail.nullmx", Pass)
		wantStatus(t, r, "mail.spf.all", Pass)
		wantStatus(t, r, "mail.dmarc.policy", Pass)
		wantStatus(t, r, "mail.mta-sts", Info)
		wantStatus(t, r, "mail.tlsrpt", Info)
		assert.Empty(t, checks(r, "mail.mx"))
		assert.Empty(t, checks(r, "mail.mta-sts.policy"))
	})
	for _, tc := range []struct {
		name    string
		changes map[string]string
		id      string
		want    Status
		fixHas  string
	}{
		{"quarantine", map[string]string{"_dmarc TXT": `_dmarc TXT "v=DMARC1; p=quarantine"`}, "mail.dmarc.policy", Warn, `"v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.test;"`},
		{"no spf", map[string]string{"@ TXT": ""}, "mail.spf", Fail, `example.test. 3600 IN TXT "v=spf1 -all"`},
		{"no dmarc", map[string]string{"_dmarc TXT": ""}, "mail.dmarc", Fail, `_dmarc.example.test. 3600 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.test;"`},
		{"senders", map[string]string{"@ TXT": `@ TXT "v=spf1 ip4:192.0.2.0/24 -all"`}, "mail.nullmx", Warn, `"v=spf1 -all"`},
		// A domain that receives no mail but sends some (SPF names its
		// senders): quarantine is a policy for real mail, not a lapse.
		{"senders, quarantine", map[string]string{"@ TXT": `@ TXT "v=spf1 ip4:192.0.2.0/24 -all"`, "_dmarc TXT": `_dmarc TXT "v=DMARC1; p=quarantine"`}, "mail.dmarc.policy", Pass, ""},
		{"softfail", map[string]string{"@ TXT": `@ TXT "v=spf1 ~all"`}, "mail.spf.all", Warn, `example.test. 3600 IN TXT "v=spf1 -all"`},
		{"softfail, no MX", map[string]string{"@ TXT": `@ TXT "v=spf1 ~all"`, "@ MX": ""}, "mail.spf.all", Warn, `"v=spf1 -all"`},
		{"mixed", map[string]string{"@ MX": "@ MX 0 .\n@ MX 10 mx1"}, "mail.nullmx", Fail, "remove"},
		{"preference", map[string]string{"@ MX": "@ MX 10 ."}, "mail.nullmx", Warn, "example.test. 3600 IN MX 0 ."},
		{"no mx, address", map[string]string{"@ MX": ""}, "mail.nullmx", Warn, "example.test. 3600 IN MX 0 ."},
		{"no mx, no address", map[string]string{"@ MX": "", "@ A": "", "@ AAAA": ""}, "mail.nullmx", Info, "MX 0 ."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := auditZone(t, dnstest.Start(t, with(tc.changes)), Options{})
			c := wantStatus(t, r, tc.id, tc.want)
			assert.Contains(t, c.Fix, tc.fixHas)
		})
	}

	t.Run("sending domain without MX", func(t *testing.T) {
		r := auditZone(t, dnstest.Start(t, mailZoneWith(map[string]string{"@ MX": ""})), Options{})
		wantStatus(t, r, "mail.nullmx", Warn)
		// SPF names senders (mx finds nothing, but the record says mail
		// is sent), so the domain is judged as a mail domain.
		assert.NotEqual(t, Info, one(t, r, "mail.tlsrpt").Status)
	})
}

func TestMailMX(t *testing.T) {
	for _, tc := range []struct {
		name string
		mx   string
		add  []string
		want Status
	}{
		{"one host without address", "@ MX 10 mx1\n@ MX 20 mx2", nil, Warn},
		{"no host with address", "@ MX 10 mx2", nil, Fail},
		{"alias", "@ MX 10 mail", []string{"mail CNAME mx1"}, Warn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := auditZone(t, dnstest.Start(t, mailZoneWith(map[string]string{"@ MX": tc.mx}, tc.add...)), Options{})
			wantStatus(t, r, "mail.mx", tc.want)
		})
	}
	t.Run("timeout", func(t *testing.T) {
		r := auditDropping(t, mailZone, Options{}, mailDomainName, dns.TypeMX)
		wantStatus(t, r, "mail.mx", Error)
		assert.Empty(t, checks(r, "mail.nullmx"), "a failed MX lookup is not a missing MX")
	})
}

func TestMailMTASTS(t *testing.T) {
	t.Run("missing", func(t *testing.T) {
		r := auditZone(t, dnstest.Start(t, mailZone), Options{Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }})
		c := wantStatus(t, r, "mail.mta-sts", Warn)
		assert.Contains(t, c.Fix, `_mta-sts.example.test. 3600 IN TXT "v=STSv1; id=20260102030405Z;"`)
		assert.Contains(t, c.Fix, "https://mta-sts.example.test/.well-known/mta-sts.txt")
		assert.Contains(t, c.Fix, "mx: mx1.example.test")
		assert.Empty(t, checks(r, "mail.mta-sts.policy"))
	})
	t.Run("testing", func(t *testing.T) {
		p := startPolicy(t, strings.Replace(goodPolicy, "enforce", "testing", 1), "mta-sts.example.test")
		r := auditZone(t, dnstest.Start(t, mailSTSZone(nil)), p.opts())
		wantStatus(t, r, "mail.mta-sts", Pass)
		c := wantStatus(t, r, "mail.mta-sts.policy", Warn)
		assert.Contains(t, c.Fix, "mode: enforce")
	})
	t.Run("mx not covered", func(t *testing.T) {
		p := startPolicy(t, strings.Replace(goodPolicy, "mx1.example.test", "mail.example.test", 1), "mta-sts.example.test")
		r := auditZone(t, dnstest.Start(t, mailSTSZone(nil)), p.opts())
		c := wantStatus(t, r, "mail.mta-sts.mx", Fail)
		assert.Contains(t, c.Fix, "mx: mx1.example.test")
	})
	t.Run("certificate for another name", func(t *testing.T) {
		p := startPolicy(t, goodPolicy, "www.example.test")
		r := auditZone(t, dnstest.Start(t, mailSTSZone(nil)), p.opts())
		c := wantStatus(t, r, "mail.mta-sts.policy", Fail)
		assert.Contains(t, c.Fix, "certificate")
		assert.Empty(t, checks(r, "mail.mta-sts.mx"))
	})
	t.Run("record malformed", func(t *testing.T) {
		p := startPolicy(t, goodPolicy, "mta-sts.example.test")
		zone := strings.Replace(mailSTSZone(nil), `"v=STSv1; id=20240101T000000;"`, `"v=STSv1; id=2024-01-01;"`, 1)
		r := auditZone(t, dnstest.Start(t, zone), p.opts())
		wantStatus(t, r, "mail.mta-sts", Fail)
	})
	t.Run("record timeout", func(t *testing.T) {
		p := startPolicy(t, goodPolicy, "mta-sts.example.test")
		r := auditDropping(t, mailSTSZone(nil), p.opts(), "_mta-sts.example.test", dns.TypeTXT)
		wantStatus(t, r, "mail.mta-sts", Error)
	})
}

func TestMailTLSRPT(t *testing.T) {
	for _, tc := range []struct {
		name   string
		line   string
		want   Status
		fixHas string
	}{
		{"missing", "", Warn, `_smtp._tls.example.test. 3600 IN TXT "v=TLSRPTv1; rua=mailto:dmarc@example.test"`},
		{"two", "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:a@example.test\"\n_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:b@example.test\"", Fail, "v=TLSRPTv1"},
		{"malformed", `_smtp._tls TXT "v=TLSRPTv1; rua=ftp://example.test/"`, Fail, "v=TLSRPTv1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := auditZone(t, dnstest.Start(t, mailZoneWith(map[string]string{"_smtp._tls TXT": tc.line})), Options{})
			c := wantStatus(t, r, "mail.tlsrpt", tc.want)
			assert.Contains(t, c.Fix, tc.fixHas)
		})
	}
	t.Run("timeout", func(t *testing.T) {
		r := auditDropping(t, mailZone, Options{}, "_smtp._tls.example.test", dns.TypeTXT)
		wantStatus(t, r, "mail.tlsrpt", Error)
	})
}

// mailDKIMRecord returns the zone-file line of the DKIM key pub at owner.
func mailDKIMRecord(t *testing.T, owner string, pub any) string {
	t.Helper()
	rec, err := dkim.FromPublicKey(pub)
	require.NoError(t, err)
	return owner + " TXT " + rec.ZoneValue()
}

func TestMailDKIM(t *testing.T) {
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	zone := mailZoneWith(nil,
		mailDKIMRecord(t, "ed._domainkey", edPub),
		mailDKIMRecord(t, "weak._domainkey", &weak.PublicKey),
		`revoked._domainkey TXT "v=DKIM1; k=rsa; p="`,
		`broken._domainkey TXT "v=DKIM1; k=rsa; p=notbase64!"`,
		`slow._domainkey TXT "v=DKIM1; k=rsa; p="`)
	srv := dnstest.Start(t, zone)
	srv.Fail("slow._domainkey.example.test", dns.TypeTXT, dnstest.FailDrop)
	r := auditZone(t, srv, Options{DKIMSelectors: []string{"ed", "weak", "revoked", "missing", "broken", "slow"},
		QueryTimeout: 200 * time.Millisecond, Retries: -1})
	got := map[string]Check{}
	for _, c := range r.Checks {
		if sel, ok := strings.CutPrefix(c.ID, "mail.dkim."); ok {
			require.Empty(t, got[sel].ID, "two checks for selector %s", sel)
			got[sel] = c
		}
	}
	require.Len(t, got, 6, ids(r))
	for sel, want := range map[string]Status{"ed": Pass, "weak": Warn, "revoked": Warn, "missing": Fail, "broken": Fail, "slow": Error} {
		assert.Equal(t, want, got[sel].Status, "selector %s: %s", sel, got[sel].Message)
	}
	assert.Contains(t, got["ed"].Message, "ed25519 key of 256 bits")
	assert.Contains(t, got["missing"].Fix, "missing._domainkey.example.test. 3600 IN TXT")
	assert.NotEmpty(t, got["ed"].Evidence)
}

// A policy host whose address lookup fails is a check that could not run,
// not a domain that fails to serve its policy.
func TestMailMTASTSPolicyHostLookupFails(t *testing.T) {
	p := startPolicy(t, goodPolicy, "mta-sts.example.test")
	srv := dnstest.Start(t, mailSTSZone(nil))
	srv.Fail("mta-sts.example.test", dns.TypeANY, dnstest.FailServFail)
	r := auditZone(t, srv, p.opts())
	c := wantStatus(t, r, "mail.mta-sts.policy", Error)
	assert.Contains(t, c.Message, "mta-sts.example.test")
	wantStatus(t, r, "mail.mta-sts", Pass)
}
