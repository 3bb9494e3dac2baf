package dnsclient_test

import (
	"errors"
	"testing"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
)

// TestCheckingDisabled checks that the CD bit goes out when asked for,
// and that a Cache keeps the answers with and without it apart.
func TestCheckingDisabled(t *testing.T) {
	srv := dnstest.Start(t, `example.com. TXT "hello"`)
	cache := new(dnsclient.Cache)
	r := srv.Resolver()
	r.Cache = cache
	cd := srv.Resolver()
	cd.Cache = cache
	cd.CheckingDisabled = true

	if _, err := r.Query(t.Context(), "example.com", dns.TypeTXT); err != nil {
		t.Fatal(err)
	}
	if q := srv.LastQuery(); q == nil || q.CheckingDisabled {
		t.Fatalf("query without CheckingDisabled: %v", q)
	}
	if _, err := cd.Query(t.Context(), "example.com", dns.TypeTXT); err != nil {
		t.Fatal(err)
	}
	if q := srv.LastQuery(); q == nil || !q.CheckingDisabled {
		t.Fatalf("query with CheckingDisabled has no CD bit: %v", q)
	}
	if n := srv.Queries(); n != 2 {
		t.Errorf("server saw %d queries, want 2: the cache answered the CD query with the other", n)
	}
	if _, err := cd.Query(t.Context(), "example.com", dns.TypeTXT); err != nil {
		t.Fatal(err)
	}
	if n := srv.Queries(); n != 2 {
		t.Errorf("server saw %d queries, want 2: the CD reply was not cached", n)
	}
}

// TestReplyError checks that an error rcode comes with the reply, where
// Extended DNS Errors would be found.
func TestReplyError(t *testing.T) {
	srv := dnstest.Start(t, `example.com. TXT "hello"`)
	srv.Fail("example.com", dns.TypeTXT, dnstest.FailServFail)
	srv.Fail("example.com", dns.TypeMX, dnstest.FailRefused)
	r := srv.Resolver()
	for qtype, rcode := range map[uint16]int{dns.TypeTXT: dns.RcodeServerFailure, dns.TypeMX: dns.RcodeRefused} {
		_, err := r.Query(t.Context(), "example.com", qtype)
		var re *dnsclient.ReplyError
		if !errors.As(err, &re) {
			t.Fatalf("%s: error %v has no *ReplyError", dns.TypeToString[qtype], err)
		}
		if re.Reply == nil || re.Reply.Rcode != rcode || re.Reply.Question[0].Qtype != qtype {
			t.Errorf("%s: ReplyError holds %v, want the reply with rcode %s", dns.TypeToString[qtype], re.Reply, dns.RcodeToString[rcode])
		}
		if !errors.Is(err, dnsclient.ErrTemporary) || dnsclient.IsNotFound(err) {
			t.Errorf("%s: error %v is not only temporary", dns.TypeToString[qtype], err)
		}
	}
	// Timeouts and not-found answers carry no reply.
	if _, err := r.LookupTXT(t.Context(), "missing.example.com"); errors.As(err, new(*dnsclient.ReplyError)) {
		t.Errorf("NXDOMAIN: error %v has a *ReplyError", err)
	}
}
