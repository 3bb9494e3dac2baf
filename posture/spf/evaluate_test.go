//go:build !js

package spf

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The zone of the "Processing limits" scenarios of the RFC 7208 test suite
// (rfc7208-tests.yml), with records of our own for the cases it lacks.
const limitsZone = `
$ORIGIN example.com.
mail      A    1.2.3.4
e1        TXT  "v=spf1 ip4:1.1.1.1 redirect=e1.example.com"
          A    1.2.3.6
e2        TXT  "v=spf1 include:e3.example.com"
          A    1.2.3.7
e3        TXT  "v=spf1 include:e2.example.com"
          A    1.2.3.8
e4        TXT  "v=spf1 mx"
          A    1.2.3.5
          MX   0 mail.example.com.
          MX   1 mail.example.com.
          MX   2 mail.example.com.
          MX   3 mail.example.com.
          MX   4 mail.example.com.
          MX   5 mail.example.com.
          MX   6 mail.example.com.
          MX   7 mail.example.com.
          MX   8 mail.example.com.
          MX   9 mail.example.com.
          MX   10 e4.example.com.
e4ten     TXT  "v=spf1 mx -all"
          MX   0 mx0.example.com.
          MX   1 mx1.example.com.
          MX   2 mx2.example.com.
          MX   3 mx3.example.com.
          MX   4 mx4.example.com.
          MX   5 mx5.example.com.
          MX   6 mx6.example.com.
          MX   7 mx7.example.com.
          MX   8 mx8.example.com.
          MX   9 mx9.example.com.
e5        TXT  "v=spf1 ptr"
          A    1.2.3.5
e6        TXT  "v=spf1 a mx a mx a mx a mx a ptr ip4:1.2.3.4 -all"
          A    1.2.3.8
          MX   10 e6.example.com.
e7        TXT  "v=spf1 a mx a mx a mx a mx a ptr a ip4:1.2.3.4 -all"
          A    1.2.3.20
e8        TXT  "v=spf1 a include:inc.example.com ip4:1.2.3.4 mx -all"
          A    1.2.3.4
e9        TXT  "v=spf1 a include:inc.example.com a ip4:1.2.3.4 -all"
          A    1.2.3.21
e10       TXT  "v=spf1 a -all"
          A    1.2.3.1
          A    1.2.3.2
          A    1.2.3.3
          A    1.2.3.4
          A    1.2.3.5
          A    1.2.3.6
          A    1.2.3.7
          A    1.2.3.8
          A    1.2.3.9
          A    1.2.3.10
          A    1.2.3.11
          A    1.2.3.12
e11       TXT  "v=spf1 a:err.example.com a:err1.example.com a:err2.example.com ?all"
e12       TXT  "v=spf1 a:err.example.com a:err1.example.com ?all"
inc       TXT  "v=spf1 a a a a a a a a"
          A    1.2.3.10
`

func start(t *testing.T, zone string) *dnstest.Server {
	t.Helper()
	return dnstest.Start(t, zone)
}

func evaluate(t *testing.T, srv *dnstest.Server, domain string) *Evaluation {
	t.Helper()
	ev, err := Evaluate(context.Background(), srv.Resolver(), domain)
	require.NoError(t, err)
	return ev
}

// errorCodes returns the codes of the findings of severity error.
func errorCodes(l finding.List) []string {
	out := []string{}
	for _, f := range l {
		if f.Severity == finding.Error {
			out = append(out, f.Code)
		}
	}
	return out
}

// TestEvaluateLimits mirrors the "Processing limits" scenarios of the RFC
// 7208 test suite. The suite evaluates for one client address and may stop
// at a matching mechanism; the static count follows every term up to all,
// as for a client that nothing matches.
func TestEvaluateLimits(t *testing.T) {
	srv := start(t, limitsZone)
	check := func(domain string, lookups, voids int, errs ...string) *Evaluation {
		t.Helper()
		ev := evaluate(t, srv, domain)
		assert.Equal(t, lookups, ev.Lookups, "%s: lookups", domain)
		assert.Equal(t, voids, ev.VoidLookups, "%s: void lookups", domain)
		if errs == nil {
			errs = []string{}
		}
		assert.ElementsMatch(t, errs, errorCodes(ev.Findings), "%s: %v", domain, ev.Findings)
		assert.Equal(t, len(errs) == 0, ev.Valid, domain)
		return ev
	}

	// mech-at-limit: 10 counted terms (5 a, 4 mx, 1 ptr) are allowed.
	ev := check("e6.example.com", 10, 0)
	assert.True(t, ev.Findings.Has("spf.ptr_not_evaluated"))
	// mech-over-limit: 11. Its 4 mx find no MX records: 4 void lookups.
	check("e7.example.com", 11, 4, "spf.too_many_lookups", "spf.too_many_void_lookups")
	// include-over-limit: a + include (1 + 8 a) + a = 11.
	ev = check("e9.example.com", 11, 0, "spf.too_many_lookups")
	assert.Equal(t, []int{1, 9, 1, 0, 0}, lookupsOf(ev.Terms))
	assert.Equal(t, "e9.example.com: a", findingOf(ev, "spf.too_many_lookups").Where, "the 11th term")
	// include-at-limit: the suite passes 1.2.3.4 because ip4:1.2.3.4
	// matches before mx, the 11th term; every other client gets permerror,
	// which the static count reports. mx finds no MX: one void lookup.
	check("e8.example.com", 11, 1, "spf.too_many_lookups")
	// false-a-limit: an a term may find any number of addresses.
	check("e10.example.com", 1, 0)
	// mx-limit: 11 MX names for one mx term is a permerror...
	ev = check("e4.example.com", 1, 0, "spf.too_many_mx")
	assert.Equal(t, 11, ev.Terms[0].MXNames)
	// ...10 are allowed, and their address lookups do not count
	// (checkdmarc#197, Internet.nl#1544).
	ev = check("e4ten.example.com", 1, 0)
	assert.Equal(t, 10, ev.Terms[0].MXNames)
	// ptr-limit: ptr counts once; it cannot be evaluated without a client.
	ev = check("e5.example.com", 1, 0)
	assert.True(t, ev.Terms[0].Lookups == 1 && ev.Terms[0].Note != "")
	// void-at-limit and void-over-limit: 2 lookups that find nothing are
	// allowed, 3 are a permerror.
	check("e12.example.com", 2, 2)
	ev = check("e11.example.com", 3, 3, "spf.too_many_void_lookups")
	assert.Equal(t, "e11.example.com: a:err2.example.com", findingOf(ev, "spf.too_many_void_lookups").Where)
	// include-loop and redirect-loop.
	ev = check("e2.example.com", 2, 0, "spf.include_loop")
	assert.Contains(t, findingOf(ev, "spf.include_loop").Message, "e2.example.com > e3.example.com > e2.example.com")
	assert.Equal(t, 2, ev.Terms[0].Lookups)
	check("e1.example.com", 1, 0, "spf.include_loop")
}

func lookupsOf(trs []*TermResult) []int {
	out := []int{}
	for _, tr := range trs {
		out = append(out, tr.Lookups)
	}
	return out
}

func findingOf(ev *Evaluation, code string) finding.Finding {
	for _, f := range ev.Findings {
		if f.Code == code {
			return f
		}
	}
	return finding.Finding{}
}

func TestEvaluateCounts(t *testing.T) {
	srv := start(t, `
		$ORIGIN example.com.
		@          TXT  "v=spf1 include:_spf.example.com include:_spf.example.net ip4:192.0.2.0/24 mx -all"
		           MX   10 mail
		mail       A    192.0.2.25
		_spf       TXT  "v=spf1 include:_a.example.com a:mail.example.com ~all"
		_a         TXT  "v=spf1 a:mail.example.com a:mail.example.com exists:mail.example.com -all"
		h1         A    192.0.2.1
		h2         A    192.0.2.2
		h3         A    192.0.2.3
		h4         A    192.0.2.4
		h5         A    192.0.2.5
		h6         A    192.0.2.6
		h7         A    192.0.2.7
		h8         A    192.0.2.8
		h9         A    192.0.2.9
		h10        A    192.0.2.10
		h11        A    192.0.2.11
		h12        A    192.0.2.12
		twelve     TXT  "v=spf1 a:h1.example.com a:h2.example.com a:h3.example.com a:h4.example.com a:h5.example.com a:h6.example.com a:h7.example.com a:h8.example.com a:h9.example.com a:h10.example.com a:h11.example.com a:h12.example.com -all"
		ten        TXT  "v=spf1 a:h1.example.com a:h2.example.com a:h3.example.com a:h4.example.com a:h5.example.com a:h6.example.com a:h7.example.com a:h8.example.com a:h9.example.com a:h10.example.com -all"
		red        TXT  "v=spf1 redirect=_spf.example.com"
		noneither  TXT  "v=spf1 a mx -all"
		exp        TXT  "v=spf1 a:err.example.com a:err1.example.com exp=nxdomain.example.com -all"
		after      TXT  "v=spf1 -all a:err.example.com mx:err.example.com redirect=err.example.com"
		diamond    TXT  "v=spf1 include:_spf.example.com include:_spf2.example.com -all"
		_spf2      TXT  "v=spf1 include:_a.example.com -all"
		$ORIGIN example.net.
		_spf       TXT  "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 -all"
	`)
	// Nested includes add up: include:_spf.example.com is 1 + (1 + 3) + 1,
	// include:_spf.example.net 1, mx 1.
	ev := evaluate(t, srv, "example.com")
	assert.Equal(t, 8, ev.Lookups)
	assert.Equal(t, 0, ev.VoidLookups)
	assert.True(t, ev.Valid, "%v", ev.Findings)
	assert.Equal(t, []int{6, 1, 0, 1, 0}, lookupsOf(ev.Terms))
	assert.Equal(t, []int{4, 1, 0}, lookupsOf(ev.Terms[0].Children))
	assert.Equal(t, []int{1, 1, 1, 0}, lookupsOf(ev.Terms[0].Children[0].Children))
	assert.Equal(t, "v=spf1 include:_a.example.com a:mail.example.com ~all", ev.Terms[0].Record)
	assert.Equal(t, 1, ev.Terms[3].MXNames)
	assert.Equal(t, "example.com", ev.Terms[3].Target)
	// An included record's lints are not the domain's business...
	assert.False(t, ev.Findings.Has("spf.softfail_all"))
	// ...but its duplicate a would be, were it its own record.
	assert.False(t, ev.Findings.Has("spf.duplicate_term"))

	// 12 a terms are 12 lookups (Internet.nl called this valid), 10 are fine.
	ev = evaluate(t, srv, "twelve.example.com")
	assert.Equal(t, 12, ev.Lookups)
	assert.Equal(t, []string{"spf.too_many_lookups"}, errorCodes(ev.Findings))
	ev = evaluate(t, srv, "ten.example.com")
	assert.Equal(t, 10, ev.Lookups)
	assert.True(t, ev.Valid, "%v", ev.Findings)

	// redirect counts, and so does the record it names.
	ev = evaluate(t, srv, "red.example.com")
	assert.Equal(t, 6, ev.Lookups)
	assert.Equal(t, 6, ev.Terms[0].Lookups)
	assert.True(t, ev.Findings.Has("spf.softfail_all"), "the target of a redirect is the domain's policy: %v", ev.Findings)

	// checkdmarc#94 and #211: "v=spf1 a mx -all" on a name with neither is
	// 2 void lookups, not 3 (a finds neither A nor AAAA: one term, one
	// void).
	ev = evaluate(t, srv, "noneither.example.com")
	assert.Equal(t, 2, ev.VoidLookups)
	assert.Equal(t, 2, ev.Lookups)
	assert.True(t, ev.Valid, "%v", ev.Findings)
	assert.True(t, ev.Terms[0].Void && ev.Terms[1].Void && !ev.Terms[2].Void)

	// exp-void: exp is neither a lookup nor a void lookup, even when its
	// name does not exist; 2 voids stay within the limit.
	ev = evaluate(t, srv, "exp.example.com")
	assert.Equal(t, 2, ev.Lookups)
	assert.Equal(t, 2, ev.VoidLookups)
	assert.True(t, ev.Valid, "%v", ev.Findings)

	// Terms after all, and redirect with all, are never evaluated.
	n := srv.Queries()
	ev = evaluate(t, srv, "after.example.com")
	assert.Equal(t, 0, ev.Lookups)
	assert.Equal(t, 1, srv.Queries()-n, "only the TXT query")
	for _, tr := range ev.Terms[1:] {
		assert.True(t, tr.Ignored, tr.Term)
	}

	// A record included twice counts twice, but is fetched once.
	n = srv.Queries()
	ev = evaluate(t, srv, "diamond.example.com")
	assert.Equal(t, 1+5+1+4, ev.Lookups)
	assert.Equal(t, 11, ev.Lookups)
	assert.True(t, ev.Findings.Has("spf.too_many_lookups"))
	// TXT diamond, _spf, _a, _spf2 (the second _a is cached); a is an A
	// and an AAAA query, exists an A query: 4 + 5*2 + 2*1.
	assert.Equal(t, 16, srv.Queries()-n)
}

func TestEvaluateMacros(t *testing.T) {
	srv := start(t, `
		$ORIGIN example.com.
		@      TXT "v=spf1 include:%{i}._ip.%{h}._ehlo.%{d}._spf.vali.email exists:%{i}.%{d} a:mail.%{d} mx:%{d2} include:_spf.%{d} -all"
		       MX  10 mail
		mail   A   192.0.2.25
		_spf   TXT "v=spf1 a:%{d} -all"
		       A   192.0.2.26
		big    TXT "v=spf1 a:%{dr}.x.%{D} redirect=%{l}.example.com"
		space  TXT "v=spf1 a:%_x.%{d} -all"
	`)
	n := srv.Queries()
	ev := evaluate(t, srv, "example.com")
	// Terms with macros other than %{d} are counted but not looked up
	// (checkdmarc PR #218); %{d} is the domain of the record the term is
	// in, the include's target inside an include (mailauth#125).
	assert.Equal(t, 1+1+1+1+2, ev.Lookups)
	assert.Equal(t, []int{1, 1, 1, 1, 2, 0}, lookupsOf(ev.Terms))
	assert.Equal(t, "", ev.Terms[0].Target)
	assert.Equal(t, "mail.example.com", ev.Terms[2].Target)
	assert.Equal(t, "example.com", ev.Terms[3].Target)
	assert.Equal(t, "_spf.example.com", ev.Terms[4].Children[0].Target)
	assert.Equal(t, 2, countCode(ev.Findings, "spf.macro_not_evaluated"))
	assert.True(t, ev.Valid, "%v", ev.Findings)
	// TXT example.com, A and AAAA mail, MX example.com, TXT _spf, A and
	// AAAA _spf: nothing for the terms with macros.
	assert.Equal(t, 7, srv.Queries()-n)

	// Transformers and upper case (URL escaping) apply to %{d}; redirect
	// with a macro that depends on the sender is counted, not followed.
	ev = evaluate(t, srv, "big.example.com")
	assert.Equal(t, "com.example.big.x.big.example.com", ev.Terms[0].Target)
	assert.Equal(t, 2, ev.Lookups)
	assert.True(t, ev.Terms[1].Lookups == 1 && ev.Terms[1].Children == nil)
	assert.Contains(t, findingOf(ev, "spf.macro_not_evaluated").Message, "lookups of the record it names are not counted")

	// %_ expands to a space: no name to look up, but still a counted term.
	n = srv.Queries()
	ev = evaluate(t, srv, "space.example.com")
	assert.Equal(t, 1, ev.Lookups)
	assert.Equal(t, " x.space.example.com", ev.Terms[0].Target)
	assert.Equal(t, "not looked up: not a usable domain name", ev.Terms[0].Note)
	assert.Equal(t, 1, srv.Queries()-n)
}

func countCode(l finding.List, code string) int {
	n := 0
	for _, f := range l {
		if f.Code == code {
			n++
		}
	}
	return n
}

func TestEvaluateRecords(t *testing.T) {
	srv := start(t, `
		$ORIGIN example.com.
		none      TXT "google-site-verification=abc"
		two       TXT "v=spf1 -all"
		          TXT "v=spf1 +all"
		split     TXT "v=spf1 ip4:192.0.2.1 " "-all"
		joined    TXT "v=spf1" "mx"
		bad       TXT "v=spf1 a:foo-bar -all"
		incnone   TXT "v=spf1 include:erehwon.example.com -all"
		erehwon   TXT "v=spfl am not an SPF record"
		incnx     TXT "v=spf1 include:nx.example.com -all"
		redirnone TXT "v=spf1 redirect=erehwon.example.com"
		incbad    TXT "v=spf1 include:bad.example.com -all"
		incpass   TXT "v=spf1 include:pass.example.com -all"
		pass      TXT "v=spf1 +all"
		inctwo    TXT "v=spf1 include:two.example.com -all"
		h1        A   192.0.2.1
		h2        A   192.0.2.2
		h3        A   192.0.2.3
		h4        A   192.0.2.4
		h5        A   192.0.2.5
		h6        A   192.0.2.6
		h7        A   192.0.2.7
		h8        A   192.0.2.8
		h9        A   192.0.2.9
		h10       A   192.0.2.10
		h11       A   192.0.2.11
		long      TXT "v=spf1 a:h1.example.com a:h2.example.com a:h3.example.com a:h4.example.com a:h5.example.com a:h6.example.com a:h7.example.com a:h8.example.com a:h9.example.com a:h10.example.com a:h11.example.com -all"
	`)
	codes := func(domain string) []string {
		t.Helper()
		return errorCodes(evaluate(t, srv, domain).Findings)
	}
	assert.Equal(t, []string{"spf.no_record"}, codes("none.example.com"))
	assert.Equal(t, []string{"spf.no_record"}, codes("nx.example.com"))
	assert.Equal(t, []string{"spf.multiple_records"}, codes("two.example.com"))
	assert.Equal(t, []string{}, codes("split.example.com"), "strings joined without spaces: RFC 7208, Section 3.3")
	assert.Equal(t, []string{"spf.no_record"}, codes("joined.example.com"), "the suite's nospace1: v=spf1mx is no record")
	assert.Equal(t, []string{"spf.domain_invalid"}, codes("bad.example.com"))
	assert.Equal(t, []string{"spf.include_no_record"}, codes("incnone.example.com"), "the suite's include-none")
	assert.Equal(t, []string{"spf.include_no_record"}, codes("incnx.example.com"))
	assert.Equal(t, []string{"spf.redirect_no_record"}, codes("redirnone.example.com"), "the suite's redirect-none")
	assert.Equal(t, []string{"spf.domain_invalid"}, codes("incbad.example.com"), "the suite's include-permerror")
	assert.Equal(t, []string{"spf.pass_all"}, codes("incpass.example.com"), "an include of +all passes everybody")
	assert.Equal(t, []string{"spf.multiple_records"}, codes("inctwo.example.com"))
	assert.Equal(t, []string{"spf.too_many_lookups"}, codes("long.example.com"), "one finding for the tree, not the record's own too")

	ev := evaluate(t, srv, "incbad.example.com")
	assert.Equal(t, "incbad.example.com: include:bad.example.com: a:foo-bar", ev.Findings[0].Where)
	assert.Equal(t, "v=spf1 a:foo-bar -all", ev.Terms[0].Record)
	assert.Equal(t, 1, ev.Lookups)
	ev = evaluate(t, srv, "split.example.com")
	assert.Equal(t, "v=spf1 ip4:192.0.2.1 -all", ev.Record)

	_, err := Evaluate(context.Background(), srv.Resolver(), "not a domain")
	assert.ErrorContains(t, err, "not a domain name")
	_, err = Evaluate(context.Background(), srv.Resolver(), "a..example")
	assert.Error(t, err)
	ev, err = Evaluate(context.Background(), srv.Resolver(), "Split.Example.COM.")
	require.NoError(t, err)
	assert.Equal(t, "split.example.com", ev.Domain)
}

// TestEvaluateFailures: a lookup that fails is a finding of its own
// (temperror at receivers), never a void lookup (CERT-Polska/Artemis PR
// #232: timeouts reported as "no SPF").
func TestEvaluateFailures(t *testing.T) {
	srv := start(t, `
		$ORIGIN example.com.
		@      TXT "v=spf1 a:err.example.com mx:err.example.com exists:err.example.com include:inc.example.com -all"
		inc    TXT "v=spf1 -all"
		err    TXT "here"
		down   TXT "v=spf1 -all"
	`)
	srv.Fail("err.example.com", dns.TypeA, dnstest.FailServFail)
	srv.Fail("err.example.com", dns.TypeMX, dnstest.FailServFail)
	srv.Fail("inc.example.com", dns.TypeTXT, dnstest.FailServFail)
	srv.Fail("down.example.com", dns.TypeTXT, dnstest.FailRefused)
	ev := evaluate(t, srv, "example.com")
	assert.Equal(t, 4, ev.Lookups)
	assert.Equal(t, 0, ev.VoidLookups)
	assert.Equal(t, 4, countCode(ev.Findings, "spf.lookup_failed"), "%v", ev.Findings)
	assert.False(t, ev.Findings.Has("spf.include_no_record"))
	assert.False(t, ev.Valid)
	for _, tr := range ev.Terms[:4] {
		assert.False(t, tr.Void, tr.Term)
	}

	ev = evaluate(t, srv, "down.example.com")
	assert.Equal(t, []string{"spf.lookup_failed"}, errorCodes(ev.Findings))
	assert.Equal(t, "", ev.Record)
}

// TestEvaluateJSON pins the JSON names: "lookups", "void_lookups" and
// "valid" are a contract of the command line and the web page.
func TestEvaluateJSON(t *testing.T) {
	srv := start(t, `
		$ORIGIN example.com.
		@     TXT "v=spf1 include:_spf.example.net mx -all"
		$ORIGIN example.net.
		_spf  TXT "v=spf1 ip4:192.0.2.0/24 -all"
	`)
	ev := evaluate(t, srv, "example.com")
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"domain", "record", "lookups", "void_lookups", "valid", "terms", "findings"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, float64(2), m["lookups"])
	assert.Equal(t, float64(1), m["void_lookups"])
	assert.Equal(t, true, m["valid"])
	term := m["terms"].([]any)[0].(map[string]any)
	assert.Equal(t, "include:_spf.example.net", term["term"])
	assert.Equal(t, float64(1), term["lookups"])
	assert.Equal(t, false, term["void"])
	assert.Len(t, term["children"], 2)
	mx := m["terms"].([]any)[1].(map[string]any)
	assert.Equal(t, true, mx["void"])
	assert.True(t, strings.HasPrefix(string(b), `{"domain":"example.com","record":"v=spf1 include:_spf.example.net mx -all","lookups":2,"void_lookups":1,"valid":true,`), string(b))
}

// TestEvaluateBounded: a tree built to be expensive stops at maxQueries.
func TestEvaluateBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("$ORIGIN example.com.\n")
	for i := range 30 {
		fmt.Fprintf(&b, "n%d TXT \"v=spf1 include:n%d.example.com include:m%d.example.com a:x%d.example.com a:y%d.example.com -all\"\n", i, i+1, i, i, i)
		fmt.Fprintf(&b, "m%d TXT \"v=spf1 a:z%d.example.com a:w%d.example.com -all\"\n", i, i, i)
	}
	srv := start(t, b.String())
	n := srv.Queries()
	ev := evaluate(t, srv, "n0.example.com")
	assert.LessOrEqual(t, srv.Queries()-n, 2*maxQueries, "an a term is one lookup but two queries (A and AAAA)")
	assert.True(t, ev.Findings.Has("spf.evaluation_stopped"))
	assert.Greater(t, ev.Lookups, maxLookups)
}
