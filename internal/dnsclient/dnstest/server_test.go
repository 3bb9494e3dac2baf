package dnstest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient"
)

const zone = `
	$ORIGIN example.com.
	@       SOA   ns1 hostmaster 1 7200 3600 1209600 300
	@       TXT   "apex"
	www     A     192.0.2.1
	        AAAA  2001:db8::1
	alias   CNAME www
	out     CNAME www.example.net.
	gone    CNAME nowhere
	a.b.c   TXT   "deep"
	Upper   TXT   "case"
	$ORIGIN example.net.
	@       SOA   ns1 hostmaster 1 7200 3600 1209600 300
	www     A     192.0.2.2
`

// exchange sends a query for name and qtype over network ("udp" or "tcp"),
// with EDNS0 size edns (none if 0).
func exchange(t *testing.T, s *Server, network, name string, qtype uint16, edns uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	if edns > 0 {
		m.SetEdns0(edns, true)
	}
	c := &dns.Client{Net: network, Timeout: 2 * time.Second, UDPSize: dns.MaxMsgSize}
	reply, _, err := c.Exchange(m, s.Addr)
	if err != nil {
		t.Fatalf("%s %s over %s: %v", name, dns.Type(qtype), network, err)
	}
	return reply
}

func TestAnswers(t *testing.T) {
	s := Start(t, zone)
	for _, tc := range []struct {
		name   string
		qtype  uint16
		rcode  int
		answer []string // Types of the answer records.
		soa    bool     // SOA in the authority section.
	}{
		{"example.com", dns.TypeTXT, dns.RcodeSuccess, []string{"TXT"}, false},
		{"www.example.com", dns.TypeA, dns.RcodeSuccess, []string{"A"}, false},
		{"WWW.Example.COM", dns.TypeAAAA, dns.RcodeSuccess, []string{"AAAA"}, false},
		{"upper.example.com", dns.TypeTXT, dns.RcodeSuccess, []string{"TXT"}, false},
		{"www.example.com", dns.TypeANY, dns.RcodeSuccess, []string{"A", "AAAA"}, false},
		{"www.example.com", dns.TypeMX, dns.RcodeSuccess, nil, true},        // NODATA.
		{"b.c.example.com", dns.TypeTXT, dns.RcodeSuccess, nil, true},       // Empty non-terminal.
		{"missing.example.com", dns.TypeTXT, dns.RcodeNameError, nil, true}, // NXDOMAIN.
		{"x.www.example.com", dns.TypeTXT, dns.RcodeNameError, nil, true},   // Below an existing name.
		{"alias.example.com", dns.TypeA, dns.RcodeSuccess, []string{"CNAME", "A"}, false},
		{"alias.example.com", dns.TypeCNAME, dns.RcodeSuccess, []string{"CNAME"}, false},
		{"alias.example.com", dns.TypeMX, dns.RcodeSuccess, []string{"CNAME"}, true}, // Target NODATA.
		{"out.example.com", dns.TypeA, dns.RcodeSuccess, []string{"CNAME"}, false},   // Other zone: not followed.
		{"gone.example.com", dns.TypeA, dns.RcodeNameError, []string{"CNAME"}, true},
		{"www.example.net", dns.TypeA, dns.RcodeSuccess, []string{"A"}, false},
		{"example.org", dns.TypeA, dns.RcodeNameError, nil, false},
	} {
		for _, network := range []string{"udp", "tcp"} {
			t.Run(fmt.Sprintf("%s/%s/%s", network, tc.name, dns.Type(tc.qtype)), func(t *testing.T) {
				reply := exchange(t, s, network, tc.name, tc.qtype, 1232)
				if reply.Rcode != tc.rcode {
					t.Errorf("rcode %s, want %s", dns.RcodeToString[reply.Rcode], dns.RcodeToString[tc.rcode])
				}
				if !reply.Authoritative {
					t.Errorf("AA not set")
				}
				var types []string
				for _, rr := range reply.Answer {
					types = append(types, dns.Type(rr.Header().Rrtype).String())
				}
				if fmt.Sprint(types) != fmt.Sprint(tc.answer) {
					t.Errorf("answer %v, want %v", types, tc.answer)
				}
				if soa := len(reply.Ns) == 1 && reply.Ns[0].Header().Rrtype == dns.TypeSOA; soa != tc.soa {
					t.Errorf("authority %v, want SOA %v", reply.Ns, tc.soa)
				}
				if opt := reply.IsEdns0(); opt == nil || !opt.Do() {
					t.Errorf("reply without EDNS0 and DO: %v", reply)
				}
			})
		}
	}
}

func TestTruncation(t *testing.T) {
	var b strings.Builder
	for i := range 10 {
		fmt.Fprintf(&b, "big TXT \"%d %s\"\n", i, strings.Repeat("x", 100))
	}
	s := Start(t, b.String()) // About 1.2 kB of answers.
	for _, tc := range []struct {
		network string
		edns    uint16
		wantTC  bool
	}{
		{"udp", 0, true}, // 512 bytes without EDNS0.
		{"udp", 512, true},
		{"udp", 1232, false},
		{"tcp", 0, false},
	} {
		reply := exchange(t, s, tc.network, "big", dns.TypeTXT, tc.edns)
		if reply.Truncated != tc.wantTC {
			t.Errorf("%s, EDNS0 size %d: TC %v, want %v", tc.network, tc.edns, reply.Truncated, tc.wantTC)
		}
		if !tc.wantTC && len(reply.Answer) != 10 {
			t.Errorf("%s, EDNS0 size %d: %d answers, want 10", tc.network, tc.edns, len(reply.Answer))
		}
		if msg, _ := reply.Pack(); tc.network == "udp" && len(msg) > max(512, int(tc.edns)) {
			t.Errorf("%s, EDNS0 size %d: reply of %d bytes", tc.network, tc.edns, len(msg))
		}
	}
}

func TestFail(t *testing.T) {
	s := Start(t, zone)
	r := s.Resolver()
	r.Timeout = 100 * time.Millisecond
	r.Retries = -1

	s.Fail("www.example.com", dns.TypeANY, FailRefused)
	s.Fail("WWW.example.com.", dns.TypeAAAA, FailServFail)
	s.Fail("example.com", dns.TypeTXT, FailDrop)
	for _, tc := range []struct {
		name  string
		qtype uint16
		want  int // Rcode, or -1 for no reply.
	}{
		{"www.example.com", dns.TypeA, dns.RcodeRefused},
		{"www.example.com", dns.TypeAAAA, dns.RcodeServerFailure}, // Exact type wins.
		{"example.com", dns.TypeTXT, -1},
		{"example.com", dns.TypeSOA, dns.RcodeSuccess},
	} {
		reply, err := r.Query(t.Context(), tc.name, tc.qtype)
		got := -1
		if err == nil {
			got = reply.Rcode
		} else if strings.Contains(err.Error(), "REFUSED") {
			got = dns.RcodeRefused
		} else if strings.Contains(err.Error(), "SERVFAIL") {
			got = dns.RcodeServerFailure
		} else if !strings.Contains(err.Error(), "timeout") {
			t.Errorf("%s %s: %v", tc.name, dns.Type(tc.qtype), err)
		}
		if got != tc.want {
			t.Errorf("%s %s: rcode %d (%v), want %d", tc.name, dns.Type(tc.qtype), got, err, tc.want)
		}
	}

	s.Fail("www.example.com", dns.TypeANY, FailNone)
	s.Fail("www.example.com", dns.TypeAAAA, FailNone)
	if _, err := r.LookupNetIP(t.Context(), "ip", "www.example.com"); err != nil {
		t.Errorf("after FailNone: %v", err)
	}
}

func TestQueriesAndLastQuery(t *testing.T) {
	s := Start(t, zone)
	if s.Queries() != 0 || s.LastQuery() != nil {
		t.Fatalf("new server: %d queries, last %v", s.Queries(), s.LastQuery())
	}
	s.Fail("example.com", dns.TypeANY, FailDrop)
	r := s.Resolver()
	r.Timeout = 50 * time.Millisecond
	r.Retries = -1
	_, _ = r.LookupTXT(t.Context(), "example.com")    // Dropped, still counted.
	_, _ = r.LookupMX(t.Context(), "www.example.com") // Answered.
	if n := s.Queries(); n != 2 {
		t.Errorf("%d queries, want 2", n)
	}
	q := s.LastQuery()
	if q == nil || q.Question[0].Name != "www.example.com." || q.Question[0].Qtype != dns.TypeMX {
		t.Errorf("last query %v", q)
	}
	q.Question[0].Name = "changed." // A copy: does not change the server's.
	if s.LastQuery().Question[0].Name != "www.example.com." {
		t.Errorf("LastQuery returned the server's own message")
	}
}

func TestSetZone(t *testing.T) {
	s := Start(t, "a.test. TXT \"old\"")
	r := s.Resolver()
	check := func(want string) {
		t.Helper()
		got, err := r.LookupTXT(t.Context(), "a.test")
		if err != nil || len(got) != 1 || got[0] != want {
			t.Errorf("got %q, %v; want %q", got, err, want)
		}
	}
	check("old")
	if err := s.SetZone("a.test. TXT \"new\""); err != nil {
		t.Fatal(err)
	}
	check("new")
	err := s.SetZone("a.test. TXT \"newer\"\nb.test. A not-an-address\n")
	if err == nil || !strings.Contains(err.Error(), "line: 2") {
		t.Errorf("bad zone: error %v, want one naming line 2", err)
	}
	check("new")
	if err := s.SetZone(""); err != nil {
		t.Fatal(err)
	}
	if _, err := r.LookupTXT(t.Context(), "a.test"); !dnsclient.IsNotFound(err) {
		t.Errorf("empty zone: %v, want not found", err)
	}
}

// fatalTB records the message of Fatalf and ends the goroutine, as
// testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestStartBadZone(t *testing.T) {
	tb := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(tb, "ok.test. TXT \"fine\"\n\nbad.test. MX ten mx.test.\n")
	}()
	<-done
	if !strings.Contains(tb.msg, "line: 3") {
		t.Errorf("Fatalf(%q), want the line of the error", tb.msg)
	}
}

func TestResolver(t *testing.T) {
	s := Start(t, zone)
	r := s.Resolver()
	if len(r.Servers) != 1 || r.Servers[0] != s.Addr || !strings.HasPrefix(s.Addr, "127.0.0.1:") {
		t.Errorf("resolver servers %v, server address %s", r.Servers, s.Addr)
	}
	if r.Timeout <= 0 || r.Timeout > time.Second {
		t.Errorf("resolver timeout %v", r.Timeout)
	}
}

func TestDedent(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a\n b", "a\n b"},
		{"\n\t\ta\n\t\t b\n\n\t\tc\n\t", "\na\n b\n\nc\n"},
		{"  a\n\tb", "  a\n\tb"},
		{"\t\ta\n\tb", "\ta\nb"},
	} {
		if got := dedent(tc.in); got != tc.want {
			t.Errorf("dedent(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
