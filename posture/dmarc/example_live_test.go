//go:build !js

package dmarc_test

import (
	"context"
	"fmt"
	"net"

	"github.com/posturekit/posturekit/posture/dmarc"
)

func ExampleLegacyOrgDomain() {
	for _, d := range []string{"mail.example.co.uk", "foo.blogspot.com"} {
		fmt.Println(d, dmarc.LegacyOrgDomain(d))
	}
	// Output:
	// mail.example.co.uk example.co.uk
	// foo.blogspot.com blogspot.com
}

// Discover asks the DNS as a receiver does (not run: it needs the network).
func ExampleDiscover() {
	d, err := dmarc.Discover(context.Background(), net.DefaultResolver, "mail.example.com")
	if err != nil {
		fmt.Println(err) // a failed lookup: not the same as no record
	}
	if d != nil && d.Applies {
		fmt.Printf("%s: %s (%s of the record at %s)\n", d.Domain, d.Policy, d.PolicyTag, d.PolicyDomain)
		for _, f := range dmarc.CheckExternalReports(context.Background(), net.DefaultResolver, d.PolicyDomain, d.Record) {
			fmt.Println(f)
		}
	}
}
