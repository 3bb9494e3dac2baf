package spf

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/finding"
	"github.com/stretchr/testify/assert"
)

// codes returns the codes of l, sorted, each with its severity.
func codes(l finding.List) []string {
	out := []string{}
	for _, f := range l {
		out = append(out, string(f.Severity)+" "+f.Code)
	}
	slices.Sort(out)
	return out
}

// hosts returns "a:h1.example a:h2.example ..." for n hosts.
func hosts(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, " a:h%d.example", i)
	}
	return strings.TrimPrefix(b.String(), " ")
}

// ips returns "ip4:192.0.2.1 ip4:192.0.2.2 ..." for n addresses.
func ips(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, " ip4:192.0.2.%d", i)
	}
	return strings.TrimPrefix(b.String(), " ")
}

func TestCheck(t *testing.T) {
	check := func(txt string, want ...string) {
		t.Helper()
		_, l := Check(txt)
		if want == nil {
			want = []string{}
		}
		slices.Sort(want)
		assert.Equal(t, want, codes(l), "%q: %v", txt, l)
	}
	check("v=spf1 -all")
	check("v=spf1 mx include:_spf.example.net -all")
	check("v=spf1 redirect=_spf.example.com")                                                        // redirect instead of all
	check("v=spf1 exp=explain.example.com -all")                                                     // exp costs nothing
	check("v=spf1 +all", "error spf.pass_all")                                                       // RFC 7208, Section 5.1: passes everybody
	check("v=spf1 all", "error spf.pass_all")                                                        // "+" is the default
	check("v=spf1 ?all", "warning spf.neutral_all")                                                  // neutral is no policy
	check("v=spf1 ~all", "info spf.softfail_all")                                                    // a policy choice, not a mistake
	check("v=spf1 mx", "warning spf.no_all")                                                         // RFC 7208, Section 4.7: default neutral
	check("v=spf1", "warning spf.no_all")                                                            // the suite's "empty"
	check("v=spf1 ptr -all", "warning spf.ptr")                                                      // RFC 7208, Section 5.5: SHOULD NOT
	check("v=spf1 -all mx a", "warning spf.after_all")                                               // RFC 7208, Section 5.1: never evaluated
	check("v=spf1 -all redirect=a.example", "warning spf.redirect_ignored")                          // RFC 7208, Section 6.1
	check("v=spf1 redirect=a.example ~all", "warning spf.redirect_ignored", "info spf.softfail_all") // redirect-after-mechanisms1
	check("v=spf1 -all x=1 exp=e.example", "info spf.unknown_modifier")                              // modifiers after all are fine
	check("v=spf1 foo=bar -all", "info spf.unknown_modifier")
	check("v=spf1 include=_spf.example.net -all", "warning spf.unknown_modifier")                                                    // a mechanism written as a modifier
	check("v=spf1 a:foo..example -all", "error spf.domain_unusable")                                                                 // invalid-domain-empty-label
	check("v=spf1 a:a123456789012345678901234567890123456789012345678901234567890123.example.com -all", "error spf.domain_unusable") // invalid-domain-long
	check("v=spf1 a:%{H}..example -all")                                                                                             // only literal domains are checked: macros expand later
	check("v=spf1 include:a.example include:a.example -all", "warning spf.duplicate_term")
	check("v=spf1 ip4:192.0.2.1 ip4:192.0.2.1 -all", "info spf.duplicate_term")
	check("v=spf1 ip4:0.0.0.0/0 -all", "error spf.wide_network")
	check("v=spf1 ip6:::/0 -all", "error spf.wide_network")
	check("v=spf1 ip4:10.0.0.0/7 -all", "warning spf.wide_network")
	check("v=spf1 -ip4:0.0.0.0/0 -all")                // failing everybody is no risk
	check("v=spf1 a/0 -all", "error spf.wide_network") // a-cidr4-0: passes every IPv4 client when the name has an address
	check("v=spf1 a//8 -all", "error spf.wide_network")
	// RFC 7208, Section 4.6.4: at most 10 terms that need DNS. Internet.nl
	// (checks/tasks/mail.py) called 12 a terms valid with 10 left.
	check("v=spf1 " + hosts(10) + " -all")
	check("v=spf1 "+hosts(11)+" -all", "error spf.too_many_lookups")
	check("v=spf1 "+hosts(12)+" -all", "error spf.too_many_lookups")
	check("v=spf1 " + hosts(10) + " ip4:192.0.2.0/24 ip6:2001:db8::/32 exp=x.example -all")   // ip4, ip6, all and exp are free
	check("v=spf1 "+hosts(10)+" -all "+hosts(12)[len(hosts(10))+1:], "warning spf.after_all") // never reached, never counted
	// RFC 7208, Section 3.4: keep the answer under 512 octets.
	check("v=spf1 "+ips(32)+" -all", "warning spf.record_too_long")
	check("v=spf1 x="+strings.Repeat("a", 436)+" -all", "info spf.unknown_modifier") // 450 octets: fine
	check("v=spf1 x="+strings.Repeat("a", 437)+" -all", "info spf.unknown_modifier", "warning spf.record_too_long")
	// Syntax errors and lints together; no_all is left out when a term is
	// unreadable (it may have been the all).
	check("v=spf1 +all a:foo-bar", "error spf.pass_all", "error spf.domain_invalid")
	check("v=spf1 a:foo-bar", "error spf.domain_invalid")
	check("v=spf1 -all. ", "error spf.mechanism_unknown")
	// Every syntax error of the record, not only the first.
	check("v=spf1 a:1.2.3.4 foo=%abc redirect:x.example ip4:1.2.3 -all",
		"error spf.domain_invalid", "error spf.macro_invalid", "error spf.mechanism_unknown", "error spf.ip_invalid")
	check("v=spf1 redirect=a.example redirect=b.example redirect=c.example", "error spf.modifier_duplicate", "error spf.modifier_duplicate")
	check(" v=spf1 -all", "error spf.not_spf")
}

func TestCheckFindingText(t *testing.T) {
	_, l := Check("v=spf1 a:192.0.2.1 +all")
	if assert.Len(t, l, 2) {
		assert.Equal(t, finding.Finding{Code: "spf.domain_invalid", Severity: finding.Error, Where: "a:192.0.2.1", RFC: "RFC 7208, Section 7.1",
			Message: `"192.0.2.1" is an IP address, not a domain (at offset 9)`, Fix: "ip4:192.0.2.1"}, l[0])
		assert.Equal(t, "spf.pass_all", l[1].Code)
		assert.Equal(t, "+all", l[1].Where)
		assert.Equal(t, "RFC 7208, Section 5.1", l[1].RFC)
	}
	_, l = Check("v=spf1 " + hosts(12) + " -all")
	if assert.Len(t, l, 1) {
		assert.Contains(t, l[0].Message, "12 terms that need DNS lookups")
		assert.Equal(t, "RFC 7208, Section 4.6.4", l[0].RFC)
	}
}

func TestCheckStrings(t *testing.T) {
	check := func(strs []string, want ...string) {
		t.Helper()
		_, l := CheckStrings(strs)
		if want == nil {
			want = []string{}
		}
		slices.Sort(want)
		assert.Equal(t, want, codes(l), "%q: %v", strs, l)
	}
	// RFC 7208, Section 3.3: strings are joined without spaces.
	check([]string{"v=spf1 ip4:192.0.2.1", " -all"})
	check([]string{"v=spf1 ip4:192.0.2.1 ", "-all"})
	check([]string{"v=spf1 include:_spf.exa", "mple.net -all"}, "info spf.strings_joined")           // split inside a term: legal, worth knowing
	check([]string{"v=spf1", "mx"}, "error spf.not_spf", "info spf.strings_joined")                  // the suite's nospace1
	check([]string{"v=spf1 include:a.example", "include:b.example -all"}, "info spf.strings_joined") // reads include:a.exampleinclude:b.example, a valid domain
	check([]string{"v=spf1 a", "mx -all"}, "error spf.mechanism_unknown", "info spf.strings_joined")
	check([]string{"v=spf1 -all", ""})
	// Each string holds at most 255 octets.
	check([]string{"v=spf1 " + ips(18) + " -all"}, "error spf.string_too_long")
	check([]string{"v=spf1 " + ips(17), " -all"})

	_, l := CheckStrings([]string{"v=spf1 include:a.example", "include:b.example -all"})
	if assert.Len(t, l, 1) {
		assert.Equal(t, `string 1 ends inside a term: the strings are joined without a space, so receivers read "include:a.exampleinclude:b.example" (at offset 7)`, l[0].Message)
	}
	_, l = CheckStrings([]string{"v=spf1", "mx"})
	for _, f := range l {
		if f.Code == "spf.strings_joined" {
			assert.Equal(t, `the strings are joined without a space, so the record reads "v=spf1mx", which is not SPF`, f.Message)
		}
	}
}
