//go:build !js

package spf_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/posturekit/posturekit/posture/spf"
)

// staticResolver answers from maps; names it does not know do not exist.
type staticResolver struct {
	txt  map[string][]string
	mx   map[string][]*net.MX
	addr map[string][]netip.Addr
}

func notFound(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (r staticResolver) LookupTXT(_ context.Context, name string) ([]string, error) {
	if t, ok := r.txt[name]; ok {
		return t, nil
	}
	return nil, notFound(name)
}

func (r staticResolver) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if m, ok := r.mx[name]; ok {
		return m, nil
	}
	return nil, notFound(name)
}

func (r staticResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r.addr[host]; ok {
		return a, nil
	}
	return nil, notFound(host)
}

func ExampleEvaluate() {
	// Real programs pass nil (the system's resolver) or posturekit's DNS
	// client.
	r := staticResolver{
		txt: map[string][]string{
			"example.com":       {"v=spf1 include:_spf.example.net mx a:gone.example.com -all"},
			"_spf.example.net":  {"v=spf1 ip4:198.51.100.0/24 include:_spf2.example.net ~all"},
			"_spf2.example.net": {"v=spf1 ip6:2001:db8::/32 -all"},
		},
		mx:   map[string][]*net.MX{"example.com": {{Host: "mail.example.com.", Pref: 10}}},
		addr: map[string][]netip.Addr{"mail.example.com": {netip.MustParseAddr("192.0.2.25")}},
	}
	ev, err := spf.Evaluate(context.Background(), r, "example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("lookups:", ev.Lookups, "void:", ev.VoidLookups, "valid:", ev.Valid)
	var show func(trs []*spf.TermResult, depth int)
	show = func(trs []*spf.TermResult, depth int) {
		for _, tr := range trs {
			fmt.Printf("%s%s %d %v\n", strings.Repeat("  ", depth), tr.Term, tr.Lookups, tr.Void)
			show(tr.Children, depth+1)
		}
	}
	show(ev.Terms, 0)
	// Output:
	// lookups: 4 void: 1 valid: true
	// include:_spf.example.net 2 false
	//   ip4:198.51.100.0/24 0 false
	//   include:_spf2.example.net 1 false
	//     ip6:2001:db8::/32 0 false
	//     -all 0 false
	//   ~all 0 false
	// mx 1 false
	// a:gone.example.com 1 true
	// -all 0 false
}
