package dnsclient_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
)

func TestCacheAsksOnce(t *testing.T) {
	srv := dnstest.Start(t, `
		$ORIGIN example.com.
		@  TXT "v=spf1 -all"
		@  MX  10 mx
		mx A   192.0.2.1
	`)
	srv.SetDelay(50 * time.Millisecond)
	r := srv.Resolver()
	r.Cache = new(dnsclient.Cache)
	ctx := context.Background()

	// Twenty concurrent lookups of one question share one query.
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			txts, err := r.LookupTXT(ctx, "Example.COM")
			if err != nil || len(txts) != 1 || txts[0] != "v=spf1 -all" {
				t.Errorf("LookupTXT = %q, %v", txts, err)
			}
		})
	}
	wg.Wait()
	if got := srv.Queries(); got != 1 {
		t.Errorf("server saw %d queries for 20 concurrent lookups, want 1", got)
	}
	if r.Cache.Queries() != 1 || r.Cache.Hits() != 19 {
		t.Errorf("cache: %d queries, %d hits; want 1 and 19", r.Cache.Queries(), r.Cache.Hits())
	}

	// Another type is another question; not-found answers are kept too.
	if _, err := r.LookupNetIP(ctx, "ip6", "mx.example.com"); !dnsclient.IsNotFound(err) {
		t.Fatalf("AAAA of mx: %v, want not found", err)
	}
	if _, err := r.LookupNetIP(ctx, "ip6", "mx.example.com"); !dnsclient.IsNotFound(err) {
		t.Fatalf("AAAA of mx again: %v, want not found", err)
	}
	if got := srv.Queries(); got != 2 {
		t.Errorf("server saw %d queries, want 2", got)
	}

	// Query hands out a copy: changing it does not change the cache.
	m, err := r.Query(ctx, "example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	m.Answer = nil
	if txts, err := r.LookupTXT(ctx, "example.com"); err != nil || len(txts) != 1 {
		t.Errorf("after changing a reply from Query: %q, %v", txts, err)
	}
}

func TestCacheForgetsFailures(t *testing.T) {
	srv := dnstest.Start(t, `example.com. TXT "hello"`)
	r := srv.Resolver()
	r.Cache = new(dnsclient.Cache)
	ctx := context.Background()
	srv.Fail("example.com", dns.TypeTXT, dnstest.FailServFail)
	if _, err := r.LookupTXT(ctx, "example.com"); err == nil || dnsclient.IsNotFound(err) {
		t.Fatalf("SERVFAIL gave %v, want a temporary error", err)
	}
	srv.Fail("example.com", dns.TypeTXT, dnstest.FailNone)
	if txts, err := r.LookupTXT(ctx, "example.com"); err != nil || len(txts) != 1 {
		t.Fatalf("after the failure ended: %q, %v; the failure was cached", txts, err)
	}
}

func TestCacheSharesAFailureInFlight(t *testing.T) {
	srv := dnstest.Start(t, `example.com. TXT "hello"`)
	srv.SetDelay(100 * time.Millisecond)
	srv.Fail("example.com", dns.TypeTXT, dnstest.FailServFail)
	r := srv.Resolver()
	r.Cache = new(dnsclient.Cache)
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := r.LookupTXT(context.Background(), "example.com"); err == nil || dnsclient.IsNotFound(err) {
				t.Errorf("SERVFAIL gave %v, want a temporary error", err)
			}
		})
	}
	wg.Wait()
	// One query for five concurrent lookups: the waiters take the failure
	// of the query in flight instead of asking again one after another.
	if got := srv.Queries(); got != 1 {
		t.Errorf("server saw %d queries for 5 concurrent lookups of a failing name, want 1", got)
	}
}

func TestCacheWaiterAsksAgainWhenTheSenderGaveUp(t *testing.T) {
	srv := dnstest.Start(t, `example.com. TXT "hello"`)
	srv.SetDelay(200 * time.Millisecond)
	r := srv.Resolver()
	r.Cache = new(dnsclient.Cache)
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	go r.LookupTXT(short, "example.com")
	time.Sleep(10 * time.Millisecond)
	// The first lookup's context ends before the answer: the waiter, whose
	// context is live, must not inherit that and asks itself.
	txts, err := r.LookupTXT(context.Background(), "example.com")
	if err != nil || len(txts) != 1 {
		t.Fatalf("waiter got %q, %v; want the record", txts, err)
	}
}

func TestCacheWaiterHonoursItsContext(t *testing.T) {
	srv := dnstest.Start(t, `example.com. TXT "hello"`)
	srv.SetDelay(300 * time.Millisecond)
	r := srv.Resolver()
	r.Cache = new(dnsclient.Cache)
	go r.LookupTXT(context.Background(), "example.com")
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := r.LookupTXT(ctx, "example.com"); err == nil {
		t.Fatal("a waiter whose context ended got an answer")
	}
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("the waiter waited %v for the query in flight, not for its own context", d)
	}
}
