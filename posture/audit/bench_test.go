//go:build !js

package audit

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
)

// The benchmarks audit generated domains served by one in-process
// authoritative server: every check runs for real (the web checks dial a
// closed loopback port and end at once), so the numbers are those of the
// audit's own work and of its DNS traffic.

// benchProviders are the mail providers the generated domains include in
// their SPF records, as real domains include their providers'.
const benchProviders = 10

// benchZone returns the zone text of n generated domains, d0000.example
// to d<n-1>.example, with a realistic mix: SPF records whose include chains
// are 2 or 3 deep, DMARC with p=reject, quarantine or none, MX hosts with
// A and AAAA, MTA-STS and TLS-RPT on most, CAA on half, two name servers,
// addresses for the apex and www. Every address is loopback.
func benchZone(n int) string {
	var b strings.Builder
	b.WriteString("$TTL 3600\n")
	for p := range benchProviders {
		// _spf.pN.example -> _spf2.pN.example [-> _spf3.pN.example]
		fmt.Fprintf(&b, "$ORIGIN p%d.example.\n", p)
		if p%2 == 0 {
			fmt.Fprintf(&b, "_spf  TXT \"v=spf1 ip4:192.0.2.0/24 include:_spf2.p%d.example ~all\"\n", p)
			fmt.Fprintf(&b, "_spf2 TXT \"v=spf1 ip4:198.51.100.0/24 include:_spf3.p%d.example ~all\"\n", p)
			b.WriteString("_spf3 TXT \"v=spf1 ip6:2001:db8::/32 ~all\"\n")
		} else {
			fmt.Fprintf(&b, "_spf  TXT \"v=spf1 ip4:192.0.2.0/24 include:_spf2.p%d.example ~all\"\n", p)
			b.WriteString("_spf2 TXT \"v=spf1 ip6:2001:db8::/32 ~all\"\n")
		}
	}
	for i := range n {
		d := fmt.Sprintf("d%04d.example", i)
		fmt.Fprintf(&b, "$ORIGIN %s.\n", d)
		fmt.Fprintf(&b, "@ SOA ns1 hostmaster %d 7200 3600 1209600 300\n", 2024010100+i)
		b.WriteString("@ NS ns1\n@ NS ns2\n")
		b.WriteString("ns1 A 127.0.0.1\nns1 AAAA ::1\nns2 A 127.0.0.2\nns2 AAAA ::1\n")
		b.WriteString("@ MX 10 mx1\n@ MX 20 mx2\n")
		b.WriteString("mx1 A 127.0.0.1\nmx1 AAAA ::1\nmx2 A 127.0.0.1\n")
		b.WriteString("@ A 127.0.0.1\n@ AAAA ::1\nwww A 127.0.0.1\nwww AAAA ::1\n")
		fmt.Fprintf(&b, "@ TXT \"v=spf1 mx include:_spf.p%d.example -all\"\n", i%benchProviders)
		policy := []string{"reject", "quarantine", "none"}[i%3]
		fmt.Fprintf(&b, "_dmarc TXT \"v=DMARC1; p=%s; rua=mailto:dmarc@%s\"\n", policy, d)
		if i%4 != 3 {
			b.WriteString("_mta-sts TXT \"v=STSv1; id=20240101\"\nmta-sts A 127.0.0.1\n")
			fmt.Fprintf(&b, "_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@%s\"\n", d)
		}
		if i%2 == 0 {
			b.WriteString("@ CAA 0 issue \"letsencrypt.org\"\n")
		}
	}
	return b.String()
}

// closedPort returns a loopback TCP port that nothing listens on, so that
// the web checks' connections are refused at once.
func closedPort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// benchMayFail reports whether the check with the given ID may be unable
// to run in the benchmarks: the web checks and the MTA-STS policy fetch
// meet a closed port, and the DNSSEC checks a server that does not
// validate. Any other check that could not run means the server or the
// audit was overloaded.
func benchMayFail(id string) bool {
	for _, p := range []string{"web.", "mail.mta-sts", "dns.dnssec"} {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// benchOptions audit through srv, web checks against a closed port.
func benchOptions(tb testing.TB, srv *dnstest.Server) Options {
	port := closedPort(tb)
	return Options{
		Resolvers:    []string{srv.Addr},
		AllowPrivate: true,
		HTTPSPort:    port,
		HTTPPort:     port,
		Timeout:      60 * time.Second,
	}
}

// BenchmarkAudit1000 audits 1,000 generated domains, 16 at a time, and
// reports the DNS queries per domain and the wall time per domain.
func BenchmarkAudit1000(b *testing.B) {
	const n = 1000
	srv := dnstest.Start(b, benchZone(n))
	opts := benchOptions(b, srv)
	domains := func(yield func(string) bool) {
		for i := range n {
			if !yield(fmt.Sprintf("d%04d.example", i)) {
				return
			}
		}
	}
	var audits, queries, errs atomic.Int64
	start := time.Now()
	for b.Loop() {
		err := RunAll(context.Background(), domains, opts, 16, func(r Result) {
			if r.Err != nil {
				b.Errorf("%s: %v", r.Domain, r.Err)
				return
			}
			audits.Add(1)
			queries.Add(r.Report.Stats.Queries)
			for _, c := range r.Report.Checks {
				if c.Status == Error && !benchMayFail(c.ID) {
					errs.Add(1)
				}
			}
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	wall := time.Since(start)
	if errs.Load() > 0 {
		b.Errorf("%d DNS checks could not run: the server or the audit is overloaded", errs.Load())
	}
	b.ReportMetric(float64(queries.Load())/float64(audits.Load()), "queries/domain")
	b.ReportMetric(float64(srv.Queries())/float64(audits.Load()), "server-queries/domain")
	b.ReportMetric(float64(wall.Microseconds())/1000/float64(audits.Load()), "ms/domain")
	b.ReportMetric(0, "ns/op") // one op is the whole run; ms/domain says it
}

// criticalPath audits one generated domain with the server answering each
// query after delay, and returns the round trips on the critical path
// (wall time over delay) and the queries sent.
func criticalPath(tb testing.TB, delay time.Duration) (roundTrips float64, queries int64) {
	srv := dnstest.Start(tb, benchZone(4))
	srv.SetDelay(delay)
	opts := benchOptions(tb, srv)
	opts.QueryTimeout = 10 * delay // no attempt times out
	start := time.Now()
	r, err := Run(context.Background(), "d0000.example", opts)
	wall := time.Since(start)
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range r.Checks {
		if c.Status == Error && !benchMayFail(c.ID) {
			tb.Errorf("%s could not run: %s", c.ID, c.Message)
		}
	}
	return wall.Seconds() / delay.Seconds(), r.Stats.Queries
}

// BenchmarkCriticalPath measures the DNS round trips on the critical path
// of one audit with a server 20ms away, against the queries it sends.
func BenchmarkCriticalPath(b *testing.B) {
	var trips float64
	var queries int64
	runs := 0
	for b.Loop() {
		t, q := criticalPath(b, 20*time.Millisecond)
		trips += t
		queries += q
		runs++
	}
	b.ReportMetric(trips/float64(runs), "round-trips")
	b.ReportMetric(float64(queries)/float64(runs), "queries")
}

// spfDepth is the depth of d0000.example's SPF: its own record, then the
// include chain _spf, _spf2, _spf3 of provider p0.
const spfDepth = 4

// TestCriticalPathNearDepth keeps an audit's critical path near its
// dependency depth: with every lookup that does not need another's answer
// sent at once, the round trips are the longest chain (the SPF record and
// its includes, one after another), plus a few for chains such as MX ->
// MX host address, not the sum of all lookups. Measured by wall time with
// a 100ms server: each round trip is 100ms, far above the audit's own
// work, so the count is robust; the margin allows for scheduling.
func TestCriticalPathNearDepth(t *testing.T) {
	if testing.Short() {
		t.Skip("about a second of waiting for the delayed server")
	}
	trips, queries := criticalPath(t, 100*time.Millisecond)
	t.Logf("critical path: %.2f round trips, %d queries", trips, queries)
	if limit := float64(spfDepth + 3); trips > limit {
		t.Errorf("the audit took %.2f round trips, want at most %.0f (SPF depth %d + 3): lookups that could run at once run one after another", trips, limit, spfDepth)
	}
	if trips < spfDepth-0.5 {
		t.Errorf("the audit took %.2f round trips, less than the SPF chain's %d: the delay did not apply", trips, spfDepth)
	}
	if float64(queries) < 3*trips {
		t.Errorf("%d queries in %.2f round trips: the test domain is too small to show concurrency", queries, trips)
	}
}
