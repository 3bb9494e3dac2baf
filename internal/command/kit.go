package command

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/posturekit/posturekit/mtasts"
	"github.com/posturekit/posturekit/posture"
)

func init() {
	Register(&Command{
		Path:  []string{"kit"},
		Short: "every DNS record and file a domain should publish, ready to paste",
		Long: `Build the complete kit of records and files that protect DOMAIN: SPF,
DMARC (and the authorization record when reports go to another domain),
DKIM, MTA-STS (TXT record and policy file), TLS-RPT, CAA and security.txt;
for a domain that sends and receives no mail (--no-mail), a null MX
(RFC 7505), "v=spf1 -all", DMARC p=reject and a revoked wildcard DKIM key.
Every record is checked by its own validator before it is printed.

--format picks the output: zone (a BIND zone-file fragment; the files to
serve follow as comments), route53 (a change batch for "aws route53
change-resource-record-sets --change-batch file://kit.json"), terraform
(aws_route53_record resources) or json (everything, as with --json).

Exit status: 0 when every record passes its validator without error, 1
when one does not, 2 when the description is unusable.`,
		Args: Args{Usage: "DOMAIN", Min: 1, Max: 1},
		Flags: []Flag{
			{Name: "format", Kind: String, Default: "zone", Usage: "zone, route53, terraform or json"},
			{Name: "mx", Kind: Strings, Usage: "a mail server of the domain, most preferred first (repeatable)"},
			{Name: "no-mail", Kind: Bool, Usage: "the domain sends and receives no mail"},
			{Name: "rua", Kind: Strings, Usage: "an address for DMARC aggregate and TLS-RPT reports (repeatable)"},
			{Name: "spf-include", Kind: Strings, Usage: "a domain whose SPF senders may send for the domain, e.g. _spf.google.com (repeatable)"},
			{Name: "spf-ip", Kind: Strings, Usage: "an IPv4 or IPv6 address or network that may send for the domain (repeatable)"},
			{Name: "spf-softfail", Kind: Bool, Usage: "end SPF with ~all instead of -all"},
			{Name: "dmarc-policy", Kind: String, Usage: "none, quarantine or reject (default: none, or reject with --no-mail)"},
			{Name: "dkim", Kind: Strings, Usage: `a DKIM key as SELECTOR=RECORD, e.g. 's1=v=DKIM1; k=ed25519; p=...' (repeatable)`},
			{Name: "mta-sts-mode", Kind: String, Default: "enforce", Usage: "MTA-STS mode: enforce, testing or none"},
			{Name: "mta-sts-max-age", Kind: Int, Default: mtasts.RecommendedMaxAge, Usage: "MTA-STS max_age in seconds"},
			{Name: "mta-sts-id", Kind: String, Usage: "MTA-STS record id (default: the current UTC time)"},
			{Name: "mta-sts-host", Kind: String, Usage: "host that serves the MTA-STS policy: mta-sts.DOMAIN becomes a CNAME to it"},
			{Name: "ca", Kind: Strings, Usage: "the issuer domain of a CA allowed to issue certificates, e.g. letsencrypt.org (repeatable)"},
			{Name: "no-wildcard", Kind: Bool, Usage: "forbid wildcard certificates (CAA issuewild \";\")"},
			{Name: "contact", Kind: Strings, Usage: "security contact, mailto: or https: URI, for security.txt and CAA iodef (repeatable)"},
			{Name: "ttl", Kind: Int, Default: posture.DefaultTTL, Usage: "TTL of the records, in seconds"},
		},
		Run: runKit,
	})
}

func runKit(_ context.Context, in *Input) (*Output, error) {
	format := in.String("format")
	switch format {
	case "zone", "route53", "terraform", "json":
	default:
		return nil, Usagef("kit: --format %q: want zone, route53, terraform or json", format)
	}
	d := posture.Domain{
		Name:         in.Args[0],
		NoMail:       in.Bool("no-mail"),
		MX:           in.Strings("mx"),
		SPFInclude:   in.Strings("spf-include"),
		SPFIP:        in.Strings("spf-ip"),
		SPFSoftFail:  in.Bool("spf-softfail"),
		Reports:      in.Strings("rua"),
		DMARCPolicy:  in.String("dmarc-policy"),
		MTASTSMode:   mtasts.Mode(in.String("mta-sts-mode")),
		MTASTSMaxAge: in.Int("mta-sts-max-age"),
		MTASTSID:     in.String("mta-sts-id"),
		MTASTSHost:   in.String("mta-sts-host"),
		CAs:          in.Strings("ca"),
		NoWildcard:   in.Bool("no-wildcard"),
		Contact:      in.Strings("contact"),
		TTL:          in.Int("ttl"),
	}
	if !d.MTASTSMode.Valid() {
		return nil, Usagef("kit: --mta-sts-mode %q: want enforce, testing or none", d.MTASTSMode)
	}
	for _, s := range in.Strings("dkim") {
		sel, rec, ok := strings.Cut(s, "=")
		if !ok || sel == "" {
			return nil, Usagef("kit: --dkim %q: want SELECTOR=RECORD", s)
		}
		d.DKIM = append(d.DKIM, posture.DKIMKey{Selector: sel, Record: rec})
	}
	k, err := posture.Build(d, time.Now())
	if err != nil {
		return nil, Usagef("kit: %v", err)
	}
	out := &Output{Value: k, Failed: k.Findings.HasErrors()}
	switch format {
	case "zone":
		out.Text = k.Zone() + commented(k, ";")
	case "terraform":
		out.Text = k.Terraform() + commented(k, "#")
	case "route53":
		b, err := k.Route53()
		if err != nil {
			return nil, err
		}
		out.Text = string(b)
	case "json":
		b, err := jsonIndent(k)
		if err != nil {
			return nil, err
		}
		out.Text = b
	}
	return out, nil
}

// commented renders the kit's files, notes and findings as comments, to
// follow a zone file or Terraform code.
func commented(k *posture.Kit, c string) string {
	var b strings.Builder
	for _, f := range k.Files {
		fmt.Fprintf(&b, "\n%s %s\n%s Serve at %s (Content-Type: %s):\n", c, f.Purpose, c, f.URL, f.ContentType)
		for _, line := range strings.SplitAfter(strings.TrimSuffix(f.Content, "\n"), "\n") {
			fmt.Fprintf(&b, "%s   %s\n", c, strings.TrimRight(line, "\r\n"))
		}
	}
	if len(k.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range k.Notes {
			fmt.Fprintf(&b, "%s Note: %s\n", c, n)
		}
	}
	if len(k.Findings) > 0 {
		fmt.Fprintf(&b, "\n%s What the validators say of these records:\n", c)
		for _, f := range k.Findings {
			for _, line := range strings.Split(f.String(), "\n") {
				fmt.Fprintf(&b, "%s %s\n", c, line)
			}
		}
	}
	return b.String()
}

// jsonIndent marshals v as the command line's --json does.
func jsonIndent(v any) (string, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "", err
	}
	return string(b) + "\n", nil
}
