//go:build !js

package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The engine's tests run their own groups of checks (run and runAll take
// them), so they neither depend on nor disturb the real checks.

// txtGroup is a group that looks up the TXT records of name and reports
// them as one check.
func txtGroup(id, name string) group {
	return group{id, func(ctx context.Context, a *auditor) {
		txts, err := a.dns.LookupTXT(ctx, name+"."+a.domain)
		switch {
		case notFound(err):
			a.add(Check{ID: id, Area: AreaMail, Status: Fail, Message: "no record"})
		case err != nil:
			a.add(couldNotRun(id, AreaMail, name, err))
		default:
			a.add(Check{ID: id, Area: AreaMail, Status: Pass, Message: "found", Evidence: txts})
		}
	}}
}

func TestRunNormalizesDomain(t *testing.T) {
	for in, want := range map[string]string{
		"Example.COM.":     "example.com",
		" example.com ":    "example.com",
		"bücher.example":   "xn--bcher-kva.example",
		"sub.Example.org.": "sub.example.org",
	} {
		r, err := run(context.Background(), in, Options{}, nil)
		require.NoError(t, err, in)
		assert.Equal(t, want, r.Domain, in)
	}
	for in, want := range map[string]string{
		"":                                       "empty domain name",
		".":                                      "empty domain name",
		"localhost":                              `domain "localhost": want a registered domain such as example.com`,
		"exa mple.com":                           `domain "exa mple.com"`,
		"a..b":                                   `domain "a..b": label 2 is 0 characters long, want 1 to 63`,
		strings.Repeat("a", 64) + ".example":     "label 1 is 64 characters long",
		strings.Repeat("abcdefghi.", 26) + "com": "longer than 253 characters",
	} {
		r, err := run(context.Background(), in, Options{}, nil)
		assert.Nil(t, r, in)
		if assert.Error(t, err, in) {
			assert.Contains(t, err.Error(), want, in)
			assert.True(t, strings.HasPrefix(err.Error(), "audit: "), err.Error())
		}
	}
}

func TestRunSharesOneCache(t *testing.T) {
	srv := dnstest.Start(t, `
		$ORIGIN example.com.
		_spf  TXT "v=spf1 -all"
	`)
	// Three groups ask the same question; it goes to the server once.
	gs := []group{txtGroup("mail.a", "_spf"), txtGroup("mail.b", "_spf"), txtGroup("mail.c", "_spf")}
	r, err := run(context.Background(), "example.com", Options{Resolvers: []string{srv.Addr}}, gs)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Queries())
	assert.EqualValues(t, 1, r.Stats.Queries)
	assert.EqualValues(t, 2, r.Stats.CacheHits)
	require.Len(t, r.Checks, 3)
	for _, c := range r.Checks {
		assert.Equal(t, Pass, c.Status)
		assert.Equal(t, []string{"v=spf1 -all"}, c.Evidence)
	}
}

func TestRunGroupsConcurrently(t *testing.T) {
	// Each group waits for the other to start: run sequentially, neither
	// would finish.
	a, b := make(chan struct{}), make(chan struct{})
	meet := func(mine, other chan struct{}, id string) group {
		return group{id, func(ctx context.Context, au *auditor) {
			close(mine)
			select {
			case <-other:
				au.add(Check{ID: id, Area: AreaDNS, Status: Pass})
			case <-time.After(5 * time.Second):
				au.add(Check{ID: id, Area: AreaDNS, Status: Fail, Message: "the other group did not run meanwhile"})
			}
		}}
	}
	r, err := run(context.Background(), "example.com", Options{}, []group{meet(a, b, "dns.a"), meet(b, a, "dns.b")})
	require.NoError(t, err)
	for _, c := range r.Checks {
		assert.Equal(t, Pass, c.Status, c.Message)
	}
}

func TestRunDeadlineIsErrorNotMissing(t *testing.T) {
	srv := dnstest.Start(t, `
		$ORIGIN example.com.
		_spf    TXT "v=spf1 -all"
	`)
	srv.Fail("_dmarc.example.com", dns.TypeTXT, dnstest.FailDrop)
	start := time.Now()
	r, err := run(context.Background(), "example.com", Options{
		Resolvers:    []string{srv.Addr},
		QueryTimeout: 5 * time.Second, // longer than the audit
		Timeout:      300 * time.Millisecond,
	}, []group{txtGroup("mail.dmarc", "_dmarc"), txtGroup("mail.spf", "_spf"), txtGroup("mail.nothing", "_nothing")})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 3*time.Second, "the audit's deadline bounds it")
	got := map[string]Check{}
	for _, c := range r.Checks {
		got[c.ID] = c
	}
	assert.Equal(t, Error, got["mail.dmarc"].Status)
	assert.Equal(t, "could not check _dmarc: the audit's time ran out", got["mail.dmarc"].Message)
	assert.Equal(t, Pass, got["mail.spf"].Status)
	assert.Equal(t, Fail, got["mail.nothing"].Status, "NXDOMAIN is a missing record")
	assert.Equal(t, 1, r.Count(Error))
}

func TestRunReportShape(t *testing.T) {
	gs := []group{
		{"web", func(_ context.Context, a *auditor) {
			a.add(Check{ID: "web.b", Area: AreaWeb, Status: Pass}, Check{ID: "web.a", Area: AreaWeb, Status: Warn})
		}},
		{"dns", func(_ context.Context, a *auditor) { a.add(Check{ID: "dns.z", Area: AreaDNS, Status: Info}) }},
		{"mail", func(_ context.Context, a *auditor) { a.add(Check{ID: "mail.y", Area: AreaMail, Status: Fail}) }},
	}
	r, err := run(context.Background(), "example.com", Options{}, gs)
	require.NoError(t, err)
	var ids []string
	for _, c := range r.Checks {
		ids = append(ids, c.ID)
	}
	assert.Equal(t, []string{"mail.y", "dns.z", "web.a", "web.b"}, ids, "by area, then by id")

	b, err := json.Marshal(r)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"domain", "score", "grade", "areas", "checks"} {
		assert.Contains(t, m, k)
	}
	c := m["checks"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{}, c["evidence"], "a nil Evidence is encoded as []")
	for _, k := range []string{"id", "area", "status", "message", "evidence", "fix"} {
		assert.Contains(t, c, k)
	}

	r, err = run(context.Background(), "example.com", Options{}, nil)
	require.NoError(t, err)
	b, err = json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"areas":[],"checks":[]`)
}

// seq yields the strings of list.
func seq(list ...string) iter.Seq[string] { return slices.Values(list) }

func TestRunAllBoundedAndSerial(t *testing.T) {
	var running, most atomic.Int32
	slow := group{"slow", func(_ context.Context, a *auditor) {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		running.Add(-1)
		a.add(Check{ID: "dns.x", Area: AreaDNS, Status: Pass})
	}}
	var domains []string
	for i := range 20 {
		domains = append(domains, fmt.Sprintf("d%d.example", i))
	}
	domains = append(domains, "not a domain", "")

	var inEmit sync.Mutex
	seen := map[int]Result{}
	err := runAll(context.Background(), seq(domains...), Options{}, 3, func(r Result) {
		if !inEmit.TryLock() {
			t.Error("emit called concurrently")
			return
		}
		defer inEmit.Unlock()
		if _, dup := seen[r.Index]; dup {
			t.Errorf("index %d emitted twice", r.Index)
		}
		seen[r.Index] = r
	}, []group{slow})
	require.NoError(t, err)
	assert.LessOrEqual(t, most.Load(), int32(3), "at most 3 audits at once")
	assert.GreaterOrEqual(t, most.Load(), int32(2), "audits overlap")
	require.Len(t, seen, len(domains))
	for i, d := range domains {
		r := seen[i]
		assert.Equal(t, d, r.Domain)
		if i < 20 {
			require.NoError(t, r.Err, d)
			assert.Equal(t, d, r.Report.Domain)
			assert.Equal(t, "A+", r.Report.Grade)
		} else {
			assert.Error(t, r.Err, "%q", d)
			assert.Nil(t, r.Report)
		}
	}

	// The JSON line of each.
	b, err := json.Marshal(seen[20])
	require.NoError(t, err)
	assert.JSONEq(t, `{"domain":"not a domain","error":"audit: domain \"not a domain\": idna: disallowed rune U+0020"}`, string(b))
	b, err = json.Marshal(seen[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"domain":"d0.example","score":100,"grade":"A+"`)
}

func TestRunAllStreams(t *testing.T) {
	// The second domain is yielded only once the first result has been
	// emitted: RunAll must emit as audits end, not all at the end.
	emitted := make(chan struct{})
	domains := func(yield func(string) bool) {
		if !yield("one.example") {
			return
		}
		select {
		case <-emitted:
		case <-time.After(5 * time.Second):
			t.Error("the first result was not emitted before the input ended")
		}
		yield("two.example")
	}
	var got []string
	err := runAll(context.Background(), domains, Options{}, 4, func(r Result) {
		got = append(got, r.Domain)
		if r.Domain == "one.example" {
			close(emitted)
		}
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"one.example", "two.example"}, got)
}

func TestRunAllCancel(t *testing.T) {
	// An input that never ends, as a terminal on standard input.
	ctx, cancel := context.WithCancel(context.Background())
	block := make(chan struct{})
	defer close(block)
	domains := func(yield func(string) bool) {
		if !yield("one.example") {
			return
		}
		<-block
	}
	done := make(chan error, 1)
	var got []Result
	go func() {
		done <- runAll(ctx, domains, Options{}, 2, func(r Result) {
			got = append(got, r)
			cancel()
		}, nil)
	}()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("RunAll did not return after its context ended")
	}
	require.Len(t, got, 1)
	assert.NoError(t, got[0].Err)
}

func TestRunAllOwnCachePerDomain(t *testing.T) {
	srv := dnstest.Start(t, `
		$ORIGIN example.com.
		_spf.a  TXT "v=spf1 -all"
	`)
	// Every domain asks the same absolute name: each audit has its own
	// cache, so the server is asked once per domain.
	shared := group{"shared", func(ctx context.Context, a *auditor) {
		_, err := a.dns.LookupTXT(ctx, "_spf.a.example.com")
		st := Pass
		if err != nil {
			st = Error
		}
		a.add(Check{ID: "mail.shared", Area: AreaMail, Status: st})
	}}
	n := 0
	err := runAll(context.Background(), seq("a.example", "b.example", "c.example"), Options{Resolvers: []string{srv.Addr}}, 2, func(r Result) {
		require.NoError(t, r.Err)
		assert.EqualValues(t, 1, r.Report.Stats.Queries)
		n++
	}, []group{shared, shared})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, 3, srv.Queries())
}

func TestCouldNotRun(t *testing.T) {
	c := couldNotRun("dns.caa", AreaDNS, "CAA records", errors.New("server failure"))
	assert.Equal(t, Check{ID: "dns.caa", Area: AreaDNS, Status: Error, Message: "could not check CAA records: server failure", Evidence: []string{}}, c)
	c = couldNotRun("dns.caa", AreaDNS, "CAA records", fmt.Errorf("lookup: %w", context.DeadlineExceeded))
	assert.Equal(t, "could not check CAA records: the audit's time ran out", c.Message)
}
