//go:build !js

package command

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/posturekit/posturekit/internal/dnsclient"
	"github.com/posturekit/posturekit/mtasts"
)

func init() {
	Register(&Command{
		Path:  []string{"mtasts", "check"},
		Short: "check a domain's live MTA-STS set-up: record, policy, MX hosts, TLS-RPT",
		Long: `Check the MTA-STS set-up of a live domain: the _mta-sts TXT record, the
policy served at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (fetched as
senders do: valid certificate, no redirects, status 200, text/plain, at most
64 KiB), whether the policy covers every MX host of the domain, and whether
TLS-RPT is published.

By default the system's resolver is used; --resolver names a DNS server
(host:port) that answers every lookup, including the address of
mta-sts.DOMAIN. Addresses that are not public are refused unless
--allow-private is given. --ca-file adds a PEM certificate authority to the
system's; certificate verification is never turned off.

Exit status: 0 when valid, 1 when a finding has severity error, 2 when the
check could not run.`,
		Args: Args{Usage: "DOMAIN", Min: 1, Max: 1},
		Flags: []Flag{
			{Name: "resolver", Kind: String, Usage: "DNS server to ask, host:port (default: the system's)"},
			{Name: "ca-file", Kind: String, Usage: "PEM file of an extra certificate authority to trust"},
			{Name: "allow-private", Kind: Bool, Usage: "allow loopback and private addresses for mta-sts.DOMAIN"},
			{Name: "timeout", Kind: String, Default: "30s", Usage: "time limit for the policy fetch, e.g. 10s"},
		},
		Run: runCheck,
	})
}

func runCheck(ctx context.Context, in *Input) (*Output, error) {
	timeout, err := time.ParseDuration(in.String("timeout"))
	if err != nil || timeout <= 0 {
		return nil, Usagef("mtasts check: --timeout %q: want a duration such as 10s", in.String("timeout"))
	}
	res := &dnsclient.Resolver{}
	if s := in.String("resolver"); s != "" {
		res.Servers = []string{s}
	}
	f := &mtasts.Fetcher{Resolver: res, AllowPrivate: in.Bool("allow-private"), Timeout: timeout}
	if path := in.String("ca-file"); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--ca-file: %w", err)
		}
		if f.RootCAs, err = mtasts.SystemCertPoolWith(pem); err != nil {
			return nil, fmt.Errorf("--ca-file %s: %w", path, err)
		}
	}
	rep, err := mtasts.Check(ctx, in.Args[0], mtasts.CheckOptions{Resolver: res, Fetcher: f})
	if err != nil {
		return nil, Usagef("mtasts check: %v", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "domain: %s\n", rep.Domain)
	if rep.Record != nil {
		fmt.Fprintf(&b, "record: %s TXT %q\n", rep.RecordName, rep.Record.String())
	}
	if rep.Policy != nil {
		fmt.Fprintf(&b, "policy: %s: mode %s, mx %s, max_age %d\n", rep.PolicyURL, rep.Policy.Mode, strings.Join(rep.Policy.MX, " "), rep.Policy.MaxAge)
	}
	if len(rep.MX) > 0 {
		fmt.Fprintf(&b, "MX: %s\n", strings.Join(rep.MX, " "))
	}
	if len(rep.TLSRPT) > 0 {
		fmt.Fprintf(&b, "TLS-RPT: %s\n", strings.Join(rep.TLSRPT, " | "))
	}
	writeFindings(&b, rep.Findings, rep.Valid)
	if rep.Valid {
		b.WriteString("valid\n")
	}
	return &Output{Value: rep, Text: b.String(), Failed: !rep.Valid}, nil
}
