package dnsclient_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
)

// lookuper is what posturekit's packages need from a resolver: both the
// standard library's and ours provide it.
type lookuper interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

var (
	_ lookuper = (*net.Resolver)(nil)
	_ lookuper = (*dnsclient.Resolver)(nil)
)

var (
	long255 = strings.Repeat("a", 255)
	bigTXT  = strings.Repeat("x", 200)
)

// testZone holds two zones; example.com's records cover the cases below.
var testZone = `
	$ORIGIN example.com.
	$TTL 300
	@         SOA   ns1 hostmaster 1 7200 3600 1209600 300
	@         NS    ns1
	@         A     192.0.2.1
	@         AAAA  2001:db8::1
	@         MX    20 mx2
	@         MX    10 mx1
	@         MX    30 mx3.example.net.
	@         TXT   "v=spf1 " "include:_spf.example.net" " -all"
	joined    TXT   "abc" "def"
	long      TXT   "` + long255 + `" "bbb"
	multi     TXT   "one"
	multi     TXT   "two"
	_mta-sts  TXT   "v=STSv1; id=20240101"
	escaped   TXT   "q\"b\\s\255e"
	alias     CNAME alias2
	alias2    CNAME target
	target    TXT   "target text"
	target    MX    5 mx.target.example.com.
	target    A     192.0.2.9
	out       CNAME target.example.net.
	xloop     CNAME xloop.example.net.
	dangling  CNAME missing
	loop1     CNAME loop2
	loop2     CNAME loop1
	v4only    A     192.0.2.2
	v4only    A     192.0.2.3
	v6only    AAAA  2001:db8::2
	nullmx    MX    0 .
	a.ent     TXT   "below an empty non-terminal"
	servfail  TXT   "never seen"
` + bigZone() + `
	$ORIGIN example.net.
	@         SOA   ns1 hostmaster 1 7200 3600 1209600 300
	target    TXT   "in another zone"
	xloop     CNAME xloop.example.com.
`

// bigZone gives big.example.com. TXT records that do not fit in 1232 bytes.
func bigZone() string {
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "\tbig TXT \"%02d%s\"\n", i, bigTXT)
	}
	return b.String()
}

func bigWant() []string {
	var want []string
	for i := range 20 {
		want = append(want, fmt.Sprintf("%02d%s", i, bigTXT))
	}
	return want
}

// errKind is what a test expects of an error.
type errKind int

const (
	noErr     errKind = iota
	notFound          // IsNotFound, wraps ErrNotFound
	nxdomain          // notFound, "no such host"
	temporary         // wraps ErrTemporary, not IsNotFound
	timeout           // temporary and IsTimeout
)

func (k errKind) String() string {
	return [...]string{"no error", "not found", "nxdomain", "temporary", "timeout"}[k]
}

// checkErr checks err against want and that it names the name and type.
func checkErr(t *testing.T, err error, want errKind, name, typ string) {
	t.Helper()
	if want == noErr {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got no error, want %v", want)
	}
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		t.Fatalf("error %v is a %T, want *net.DNSError", err, err)
	}
	if dnsErr.Name != name {
		t.Errorf("error Name %q, want %q", dnsErr.Name, name)
	}
	if !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), typ) {
		t.Errorf("error %q does not name %q and %s", err, name, typ)
	}
	switch want {
	case notFound, nxdomain:
		if !dnsclient.IsNotFound(err) || !dnsErr.IsNotFound || !errors.Is(err, dnsclient.ErrNotFound) {
			t.Errorf("error %v: not a not-found error", err)
		}
		if dnsErr.IsTemporary || dnsErr.IsTimeout || errors.Is(err, dnsclient.ErrTemporary) {
			t.Errorf("error %v: not-found error says temporary", err)
		}
		wantErr := "no such record"
		if want == nxdomain {
			wantErr = "no such host"
		}
		if !strings.HasPrefix(dnsErr.Err, wantErr) {
			t.Errorf("error Err %q, want it to start with %q", dnsErr.Err, wantErr)
		}
	case temporary, timeout:
		if dnsclient.IsNotFound(err) || dnsErr.IsNotFound || errors.Is(err, dnsclient.ErrNotFound) {
			t.Errorf("error %v: failure says not found", err)
		}
		if !dnsErr.IsTemporary || !errors.Is(err, dnsclient.ErrTemporary) {
			t.Errorf("error %v: not temporary", err)
		}
		if dnsErr.IsTimeout != (want == timeout) {
			t.Errorf("error %v: IsTimeout %v, want %v", err, dnsErr.IsTimeout, want == timeout)
		}
	}
}

func TestLookupTXT(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	srv.Fail("servfail.example.com", dns.TypeTXT, dnstest.FailServFail)
	srv.Fail("refused.example.com", dns.TypeANY, dnstest.FailRefused)
	r := srv.Resolver()

	for _, tc := range []struct {
		name    string
		want    []string
		wantErr errKind
	}{
		{"example.com", []string{"v=spf1 include:_spf.example.net -all"}, noErr},
		{"example.com.", []string{"v=spf1 include:_spf.example.net -all"}, noErr},
		{"EXAMPLE.com", []string{"v=spf1 include:_spf.example.net -all"}, noErr},
		{"joined.example.com", []string{"abcdef"}, noErr},                 // No spaces added.
		{"long.example.com", []string{long255 + "bbb"}, noErr},            // Over 255 bytes.
		{"multi.example.com", []string{"one", "two"}, noErr},              // One string per record.
		{"_mta-sts.example.com", []string{"v=STSv1; id=20240101"}, noErr}, // Underscore label.
		{"escaped.example.com", []string{"q\"b\\s\xffe"}, noErr},          // Bytes as they are.
		{"alias.example.com", []string{"target text"}, noErr},             // CNAME chain.
		{"out.example.com", []string{"in another zone"}, noErr},           // CNAME target queried.
		{"big.example.com", bigWant(), noErr},                             // Truncated over UDP.
		{"missing.example.com", nil, nxdomain},
		{"dangling.example.com", nil, nxdomain}, // CNAME to a missing name.
		{"v4only.example.com", nil, notFound},   // NODATA.
		{"ent.example.com", nil, notFound},      // Empty non-terminal: NODATA.
		{"example.org", nil, nxdomain},
		{strings.Repeat("x", 64) + ".example.com", nil, nxdomain}, // Invalid name.
		{"", nil, nxdomain},
		{"loop1.example.com", nil, temporary},
		{"xloop.example.com", nil, temporary}, // Loop across zones.
		{"servfail.example.com", nil, temporary},
		{"refused.example.com", nil, temporary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.LookupTXT(t.Context(), tc.name)
			checkErr(t, err, tc.wantErr, tc.name, "TXT")
			slices.Sort(got)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestServerFailureErrors(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	srv.Fail("servfail.example.com", dns.TypeTXT, dnstest.FailServFail)
	srv.Fail("refused.example.com", dns.TypeANY, dnstest.FailRefused)
	r := srv.Resolver()
	for name, rcode := range map[string]string{"servfail.example.com": "SERVFAIL", "refused.example.com": "REFUSED"} {
		_, err := r.LookupTXT(t.Context(), name)
		checkErr(t, err, temporary, name, "TXT")
		if err == nil || !strings.Contains(err.Error(), rcode) {
			t.Errorf("error %v does not mention %s", err, rcode)
		}
		// Query fails the same way.
		if _, err := r.Query(t.Context(), name, dns.TypeTXT); !errors.Is(err, dnsclient.ErrTemporary) {
			t.Errorf("Query: error %v, want ErrTemporary", err)
		}
	}
}

func TestLookupMX(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	r := srv.Resolver()
	for _, tc := range []struct {
		name    string
		want    []*net.MX
		wantErr errKind
	}{
		{"example.com", []*net.MX{
			{Host: "mx1.example.com.", Pref: 10},
			{Host: "mx2.example.com.", Pref: 20},
			{Host: "mx3.example.net.", Pref: 30},
		}, noErr},
		{"nullmx.example.com", []*net.MX{{Host: ".", Pref: 0}}, noErr}, // RFC 7505.
		{"alias.example.com", []*net.MX{{Host: "mx.target.example.com.", Pref: 5}}, noErr},
		{"multi.example.com", nil, notFound},
		{"missing.example.com", nil, nxdomain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.LookupMX(t.Context(), tc.name)
			checkErr(t, err, tc.wantErr, tc.name, "MX")
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLookupNetIP(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	srv.Fail("servfail.example.com", dns.TypeAAAA, dnstest.FailServFail)
	r := srv.Resolver()
	addrs := func(s ...string) []netip.Addr {
		var a []netip.Addr
		for _, s := range s {
			a = append(a, netip.MustParseAddr(s))
		}
		return a
	}
	for _, tc := range []struct {
		network, host string
		want          []netip.Addr
		wantErr       errKind
	}{
		{"ip", "example.com", addrs("192.0.2.1", "2001:db8::1"), noErr},
		{"ip4", "example.com", addrs("192.0.2.1"), noErr},
		{"ip6", "example.com", addrs("2001:db8::1"), noErr},
		{"ip", "v4only.example.com", addrs("192.0.2.2", "192.0.2.3"), noErr},
		{"ip4", "v4only.example.com", addrs("192.0.2.2", "192.0.2.3"), noErr},
		{"ip6", "v4only.example.com", nil, notFound},
		{"ip", "v6only.example.com", addrs("2001:db8::2"), noErr},
		{"ip4", "v6only.example.com", nil, notFound},
		{"ip", "alias.example.com", addrs("192.0.2.9"), noErr},
		{"ip", "multi.example.com", nil, notFound},
		{"ip", "missing.example.com", nil, nxdomain},
		{"ip6", "missing.example.com", nil, nxdomain},
		{"ip", "servfail.example.com", nil, temporary}, // AAAA fails, A is NODATA.
		{"ip", "192.0.2.7", addrs("192.0.2.7"), noErr},
		{"ip6", "2001:db8::7", addrs("2001:db8::7"), noErr},
	} {
		t.Run(tc.network+"/"+tc.host, func(t *testing.T) {
			got, err := r.LookupNetIP(t.Context(), tc.network, tc.host)
			typ := map[string]string{"ip": "A", "ip4": "A", "ip6": "AAAA"}[tc.network]
			checkErr(t, err, tc.wantErr, tc.host, typ)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}

	if _, err := r.LookupNetIP(t.Context(), "tcp", "example.com"); err == nil {
		t.Errorf("network tcp: no error")
	}
	if _, err := r.LookupNetIP(t.Context(), "ip4", "2001:db8::7"); err == nil {
		t.Errorf("IPv6 literal for ip4: no error")
	}
}

// TestQueryMessage checks the query on the wire, and that Query returns
// NXDOMAIN replies.
func TestQueryMessage(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	r := srv.Resolver()

	reply, err := r.Query(t.Context(), "_mta-sts.Example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if reply.Rcode != dns.RcodeSuccess || !reply.Authoritative || len(reply.Answer) != 1 {
		t.Errorf("reply %v, want one authoritative answer", reply)
	}
	q := srv.LastQuery()
	if q == nil {
		t.Fatal("no query recorded")
	}
	if !q.RecursionDesired {
		t.Errorf("query without RD")
	}
	if len(q.Question) != 1 || q.Question[0].Name != "_mta-sts.Example.com." || q.Question[0].Qtype != dns.TypeTXT {
		t.Errorf("question %v", q.Question)
	}
	opt := q.IsEdns0()
	if opt == nil {
		t.Fatalf("query without EDNS0")
	}
	if !opt.Do() || opt.UDPSize() != 1232 || opt.Version() != 0 {
		t.Errorf("OPT %v: want DO, UDP size 1232, version 0", opt)
	}

	reply, err = r.Query(t.Context(), "missing.example.com", dns.TypeA)
	if err != nil {
		t.Fatalf("NXDOMAIN: %v", err)
	}
	if reply.Rcode != dns.RcodeNameError || len(reply.Ns) != 1 {
		t.Errorf("reply %v, want NXDOMAIN with SOA", reply)
	}
}

func TestTruncationFallsBackToTCP(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	r := srv.Resolver()
	reply, err := r.Query(t.Context(), "big.example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if reply.Truncated || len(reply.Answer) != 20 {
		t.Errorf("reply has TC %v and %d answers, want full answer of 20", reply.Truncated, len(reply.Answer))
	}
	if n := srv.Queries(); n != 2 {
		t.Errorf("server got %d queries, want 2 (UDP, then TCP)", n)
	}
}

func TestTimeout(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	srv.Fail("example.com", dns.TypeANY, dnstest.FailDrop)
	for _, tc := range []struct {
		retries, wantQueries int
	}{
		{-1, 1},
		{0, 2}, // Default: one retry.
		{2, 3},
	} {
		t.Run(fmt.Sprint(tc.retries), func(t *testing.T) {
			before := srv.Queries()
			r := srv.Resolver()
			r.Timeout = 100 * time.Millisecond
			r.Retries = tc.retries
			start := time.Now()
			_, err := r.LookupTXT(t.Context(), "example.com")
			elapsed := time.Since(start)
			checkErr(t, err, timeout, "example.com", "TXT")
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Errorf("error %v does not wrap the cause", err)
			}
			min := time.Duration(tc.wantQueries) * r.Timeout
			if elapsed < min || elapsed > min+time.Second {
				t.Errorf("took %v, want about %v", elapsed, min)
			}
			if n := srv.Queries() - before; n != tc.wantQueries {
				t.Errorf("server got %d queries, want %d", n, tc.wantQueries)
			}
		})
	}
}

func TestContext(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	srv.Fail("example.com", dns.TypeANY, dnstest.FailDrop)
	r := srv.Resolver()
	r.Timeout = 10 * time.Second

	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := r.LookupTXT(ctx, "example.com")
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Errorf("took %v after cancel", elapsed)
		}
		if !errors.Is(err, context.Canceled) || dnsclient.IsNotFound(err) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := r.LookupMX(ctx, "example.com")
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Errorf("took %v after deadline", elapsed)
		}
		checkErr(t, err, timeout, "example.com", "MX")
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("canceled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		before := srv.Queries()
		_, err := r.LookupNetIP(ctx, "ip", "example.com")
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if n := srv.Queries() - before; n != 0 {
			t.Errorf("server got %d queries", n)
		}
	})
}

func TestNextServer(t *testing.T) {
	good := dnstest.Start(t, testZone)
	bad := dnstest.Start(t, testZone)

	// A port with nothing listening: UDP gets "connection refused".
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := pc.LocalAddr().String()
	pc.Close()

	for _, tc := range []struct {
		name        string
		mode        dnstest.FailMode
		wantQueries int // At the bad server.
	}{
		{"drop", dnstest.FailDrop, 2}, // Timed out, retried once, then the next server.
		{"servfail", dnstest.FailServFail, 1},
		{"refused", dnstest.FailRefused, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad.Fail("example.com", dns.TypeANY, tc.mode)
			badBefore, goodBefore := bad.Queries(), good.Queries()
			r := &dnsclient.Resolver{
				Servers: []string{bad.Addr, good.Addr},
				Timeout: 200 * time.Millisecond,
				Retries: 1,
			}
			got, err := r.LookupTXT(t.Context(), "example.com")
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"v=spf1 include:_spf.example.net -all"}; !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			if n := bad.Queries() - badBefore; n != tc.wantQueries {
				t.Errorf("first server got %d queries, want %d", n, tc.wantQueries)
			}
			if n := good.Queries() - goodBefore; n != 1 {
				t.Errorf("second server got %d queries, want 1", n)
			}
		})
	}

	t.Run("connection refused", func(t *testing.T) {
		r := &dnsclient.Resolver{Servers: []string{closed, good.Addr}, Timeout: 5 * time.Second}
		start := time.Now()
		if _, err := r.LookupTXT(t.Context(), "example.com"); err != nil {
			t.Fatal(err)
		}
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Errorf("took %v: refused server not skipped at once", elapsed)
		}
	})

	t.Run("all fail", func(t *testing.T) {
		bad.Fail("example.com", dns.TypeANY, dnstest.FailServFail)
		r := &dnsclient.Resolver{Servers: []string{closed, bad.Addr}}
		_, err := r.LookupTXT(t.Context(), "example.com")
		checkErr(t, err, temporary, "example.com", "TXT")
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.Server != bad.Addr {
			t.Errorf("error from server %q, want the last one, %q", dnsErr.Server, bad.Addr)
		}
	})
}

func TestIsNotFound(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("other"), false},
		{dnsclient.ErrNotFound, true},
		{dnsclient.ErrTemporary, false},
		{&net.DNSError{Err: "no such host", Name: "example.com", IsNotFound: true}, true},
		{fmt.Errorf("wrapped: %w", &net.DNSError{Err: "no such host", IsNotFound: true}), true},
		{&net.DNSError{Err: "server misbehaving", IsTemporary: true}, false},
	} {
		if got := dnsclient.IsNotFound(tc.err); got != tc.want {
			t.Errorf("IsNotFound(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

// TestCNAMEQueries checks that CNAME targets the server did not follow are
// queried, and that the number of such queries is bounded.
func TestCNAMEQueries(t *testing.T) {
	// Zone i has a CNAME to zone i+1; the last has the TXT record. Each
	// zone has its own SOA, so the server answers with one CNAME at a time.
	zones := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "z%d.test. SOA ns hostmaster 1 2 3 4 5\n", i)
			if i < n-1 {
				fmt.Fprintf(&b, "c.z%d.test. CNAME c.z%d.test.\n", i, i+1)
			} else {
				fmt.Fprintf(&b, "c.z%d.test. TXT \"end\"\n", i)
			}
		}
		return b.String()
	}
	for _, tc := range []struct {
		zones       int
		wantErr     errKind
		wantQueries int
	}{
		{2, noErr, 2},
		{9, noErr, 9},      // 8 CNAMEs followed by queries.
		{10, temporary, 9}, // One too many.
	} {
		t.Run(fmt.Sprint(tc.zones), func(t *testing.T) {
			srv := dnstest.Start(t, zones(tc.zones))
			got, err := srv.Resolver().LookupTXT(t.Context(), "c.z0.test")
			checkErr(t, err, tc.wantErr, "c.z0.test", "TXT")
			if tc.wantErr == noErr && !reflect.DeepEqual(got, []string{"end"}) {
				t.Errorf("got %q, want [end]", got)
			}
			if n := srv.Queries(); n != tc.wantQueries {
				t.Errorf("server got %d queries, want %d", n, tc.wantQueries)
			}
		})
	}
}

// TestConcurrent runs lookups in parallel, for the race detector.
func TestConcurrent(t *testing.T) {
	srv := dnstest.Start(t, testZone)
	r := srv.Resolver()
	errs := make(chan error, 20)
	for i := range cap(errs) {
		go func() {
			var err error
			switch i % 4 {
			case 0:
				_, err = r.LookupTXT(t.Context(), "big.example.com")
			case 1:
				_, err = r.LookupMX(t.Context(), "example.com")
			case 2:
				_, err = r.LookupNetIP(t.Context(), "ip", "alias.example.com")
			case 3:
				err = srv.SetZone(testZone)
			}
			errs <- err
		}()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
