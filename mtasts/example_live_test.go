//go:build !js

package mtasts_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/posturekit/posturekit/mtasts"
)

// staticResolver answers from maps; names it does not know do not exist.
type staticResolver struct {
	txt map[string][]string
	mx  map[string][]*net.MX
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
	return nil, notFound(host)
}

func ExampleCheck() {
	// A domain that publishes the record but has no mta-sts host yet.
	// Real programs leave Resolver nil (the system's) or use their own.
	r := staticResolver{
		txt: map[string][]string{"_mta-sts.example.com": {"v=STSv1; id=1;"}},
		mx:  map[string][]*net.MX{"example.com": {{Host: "mail.example.com.", Pref: 10}}},
	}
	rep, err := mtasts.Check(context.Background(), "example.com", mtasts.CheckOptions{Resolver: r})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("valid:", rep.Valid, "MX:", rep.MX)
	for _, f := range rep.Findings {
		fmt.Println(f.Severity, f.Code)
	}
	// Output:
	// valid: false MX: [mail.example.com]
	// error mtasts.policy_host_missing
	// warning mtasts.tlsrpt_missing
}

func ExampleCache_Get() {
	var cache mtasts.Cache // the system's resolver, an in-memory store
	ctx, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	p, status, err := cache.Get(ctx, "example.com")
	if p == nil {
		// Deliver as if the domain had no MTA-STS; err says why.
		_ = err
		return
	}
	fmt.Println(status, p.Match("mail.example.com"))
}
