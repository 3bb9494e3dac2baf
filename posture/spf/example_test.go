package spf_test

import (
	"fmt"
	"net/netip"

	"github.com/posturekit/posturekit/posture/spf"
)

func ExampleParse() {
	rec, isSPF, err := spf.Parse("v=spf1 ip4:192.0.2.0/24 include:_spf.example.net mx/24 -all")
	fmt.Println(isSPF, err)
	for _, t := range rec.Terms {
		fmt.Printf("%s %s %q %v\n", t.Qualifier, t.Mechanism, t.Domain, t.Net)
	}
	fmt.Println(rec.Lookups(), "lookups")
	_, isSPF, _ = spf.Parse("v=DMARC1; p=reject")
	fmt.Println(isSPF)
	// Output:
	// true <nil>
	// + ip4 "" 192.0.2.0/24
	// + include "_spf.example.net" invalid Prefix
	// + mx "" invalid Prefix
	// - all "" invalid Prefix
	// 2 lookups
	// false
}

func ExampleCheck() {
	_, findings := spf.Check("v=spf1 a:192.0.2.1 ptr +all")
	for _, f := range findings {
		fmt.Println(f.Severity, f.Code, f.Fix)
	}
	// Output:
	// error spf.domain_invalid ip4:192.0.2.1
	// error spf.pass_all -all (or ~all while you check your senders)
	// warning spf.ptr list the senders with ip4, ip6, a or include
}

func ExampleCheckStrings() {
	// A zone file with the record split in two, and no space where one
	// term ends: "v=spf1" "mx" reads as "v=spf1mx".
	_, findings := spf.CheckStrings([]string{"v=spf1", "mx -all"})
	for _, f := range findings {
		fmt.Println(f.Severity, f.Code)
	}
	// Output:
	// error spf.not_spf
	// info spf.strings_joined
}

func ExampleRecord_String() {
	rec := &spf.Record{Terms: []spf.Term{
		{Mechanism: spf.IP4, Net: netip.MustParsePrefix("192.0.2.0/24")},
		{Mechanism: spf.IP6, Net: netip.MustParsePrefix("2001:db8::/32")},
		{Mechanism: spf.MX},
		{Mechanism: spf.Include, Domain: "_spf.example.net"},
		{Qualifier: spf.Fail, Mechanism: spf.All},
	}}
	fmt.Println("example.com. TXT", fmt.Sprintf("%q", rec.String()))
	fmt.Println(len(rec.Validate()), "findings,", rec.Lookups(), "lookups")
	// Output:
	// example.com. TXT "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 mx include:_spf.example.net -all"
	// 0 findings, 2 lookups
}

func ExampleSelect() {
	rec, err := spf.Select([]string{"google-site-verification=abc", "v=spf1 mx -all"})
	fmt.Println(rec, err)
	_, err = spf.Select([]string{"v=spf1 mx -all", "v=spf1 -all"})
	fmt.Println(err)
	// Output:
	// v=spf1 mx -all <nil>
	// spf: multiple spf records: 2 records begin with v=spf1
}
