package command

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/mtasts"
)

// maxInput bounds what a command reads from a file or standard input.
const maxInput = 1 << 20

// ValidateResult is the result of "mtasts validate".
type ValidateResult struct {
	Valid    bool           `json:"valid"`
	Policy   *mtasts.Policy `json:"policy,omitempty"`
	Record   *mtasts.Record `json:"record,omitempty"`
	Findings finding.List   `json:"findings"`
}

// BuildResult is the result of "mtasts build".
type BuildResult struct {
	Valid      bool           `json:"valid"`
	Domain     string         `json:"domain,omitempty"`
	PolicyURL  string         `json:"policy_url,omitempty"`
	PolicyText string         `json:"policy_text"`
	Policy     *mtasts.Policy `json:"policy"`
	RecordName string         `json:"record_name,omitempty"`
	RecordText string         `json:"record_text"`
	Record     *mtasts.Record `json:"record"`
	Findings   finding.List   `json:"findings"`
}

func init() {
	Register(&Command{
		Path:  []string{"mtasts", "validate"},
		Short: "validate an MTA-STS policy file or _mta-sts TXT record",
		Long: `Validate an MTA-STS policy (RFC 8461, Section 3.2) read from FILE, or from
standard input when FILE is "-". Every syntax error and everything legal but
unwise is reported with its line. With --record, the argument is the value of
the _mta-sts TXT record instead (RFC 8461, Section 3.1).

Each --mx-host names an MX host of the domain: a host no mx pattern matches
is an error in mode enforce, and a pattern matching no host is a warning.

Exit status: 0 when valid, 1 when a finding has severity error.`,
		Args: Args{Usage: "FILE|-|TEXT", Min: 1, Max: 1},
		Flags: []Flag{
			{Name: "record", Kind: Bool, Usage: "the argument is a _mta-sts TXT record value, not a policy file"},
			{Name: "mx-host", Kind: Strings, Usage: "an MX host of the domain, to check the policy covers it (repeatable)"},
		},
		Run: runValidate,
	})
	Register(&Command{
		Path:  []string{"mtasts", "build"},
		Short: "build an MTA-STS policy and its _mta-sts TXT record",
		Long: `Build an MTA-STS policy (CRLF line endings, as RFC 8461 prescribes) and the
TXT record that announces it, and validate both. Publish the policy at
https://mta-sts.DOMAIN/.well-known/mta-sts.txt and the record at
_mta-sts.DOMAIN; change the id whenever the policy changes.`,
		Args: Args{Usage: "", Min: 0, Max: 0},
		Flags: []Flag{
			{Name: "domain", Kind: String, Usage: "the mail domain, to name where to publish"},
			{Name: "mode", Kind: String, Default: "enforce", Usage: "enforce, testing or none"},
			{Name: "mx", Kind: Strings, Usage: "an MX host pattern: mail.example.com or *.example.com (repeatable)"},
			{Name: "max-age", Kind: Int, Default: mtasts.RecommendedMaxAge, Usage: "how long senders cache the policy, in seconds"},
			{Name: "id", Kind: String, Usage: "the record id (default: the current UTC time, e.g. 20260102150405Z)"},
		},
		Run: runBuild,
	})
}

func runValidate(_ context.Context, in *Input) (*Output, error) {
	res := &ValidateResult{}
	if in.Bool("record") {
		if len(in.Strings("mx-host")) > 0 {
			return nil, Usagef("mtasts validate: --mx-host applies to a policy, not to --record")
		}
		res.Record, res.Findings = mtasts.CheckRecord(in.Args[0])
	} else {
		b, err := in.ReadAll(in.Args[0], maxInput)
		if err != nil {
			return nil, err
		}
		res.Policy, res.Findings = mtasts.CheckPolicy(string(b))
		if hosts := in.Strings("mx-host"); len(hosts) > 0 {
			res.Findings = append(res.Findings, mtasts.CheckMX(res.Policy, hosts)...)
		}
	}
	if res.Findings == nil {
		res.Findings = finding.List{}
	}
	res.Valid = !res.Findings.HasErrors()
	var b strings.Builder
	switch {
	case res.Record != nil:
		fmt.Fprintf(&b, "record: id %s\n", res.Record.ID)
	case res.Policy != nil && res.Valid:
		fmt.Fprintf(&b, "policy: mode %s, %d mx, max_age %d (%s)\n", res.Policy.Mode, len(res.Policy.MX), res.Policy.MaxAge, humanDuration(res.Policy.MaxAge))
	}
	writeFindings(&b, res.Findings, res.Valid)
	return &Output{Value: res, Text: b.String(), Failed: !res.Valid}, nil
}

func runBuild(_ context.Context, in *Input) (*Output, error) {
	mode := mtasts.Mode(in.String("mode"))
	if !mode.Valid() {
		return nil, Usagef("mtasts build: --mode %q: want enforce, testing or none", mode)
	}
	mx := in.Strings("mx")
	if len(mx) == 0 && mode != mtasts.ModeNone {
		return nil, Usagef("mtasts build: give each MX host with --mx (mode %s needs at least one)", mode)
	}
	id := in.String("id")
	if id == "" {
		id = mtasts.NewID(time.Now())
	}
	domain := strings.TrimSuffix(strings.ToLower(in.String("domain")), ".")
	res := &BuildResult{
		Domain: domain,
		Policy: &mtasts.Policy{Version: mtasts.Version, Mode: mode, MX: mx, MaxAge: in.Int("max-age")},
		Record: &mtasts.Record{Version: mtasts.Version, ID: id},
	}
	if res.Policy.MX == nil {
		res.Policy.MX = []string{}
	}
	res.PolicyText = res.Policy.String()
	res.RecordText = res.Record.String()
	if domain != "" {
		res.PolicyURL = mtasts.PolicyURL(domain)
		res.RecordName = mtasts.RecordName(domain)
	}
	// Validate what is published, as a sender would read it.
	_, res.Findings = mtasts.CheckPolicy(res.PolicyText)
	_, rl := mtasts.CheckRecord(res.RecordText)
	res.Findings = append(res.Findings, rl...)
	if res.Findings == nil {
		res.Findings = finding.List{}
	}
	res.Valid = !res.Findings.HasErrors()

	var b strings.Builder
	where := "the policy file"
	if res.PolicyURL != "" {
		where = res.PolicyURL
	}
	// The policy is printed as published, CRLF and all.
	fmt.Fprintf(&b, "# %s (text/plain, CRLF line endings)\n%s\n", where, res.PolicyText)
	name := "_mta-sts.<domain>"
	if res.RecordName != "" {
		name = res.RecordName
	}
	fmt.Fprintf(&b, "# DNS TXT record at %s\n%s\n", name, res.RecordText)
	if len(res.Findings) > 0 {
		b.WriteString("\n")
	}
	writeFindings(&b, res.Findings, res.Valid)
	return &Output{Value: res, Text: b.String(), Failed: !res.Valid}, nil
}

// writeFindings renders findings for people, worst first.
func writeFindings(b *strings.Builder, l finding.List, valid bool) {
	for _, f := range l {
		b.WriteString(f.String())
		b.WriteString("\n")
	}
	if !valid {
		fmt.Fprintf(b, "invalid: %d error(s)\n", countSeverity(l, finding.Error))
	}
}

func countSeverity(l finding.List, s finding.Severity) int {
	n := 0
	for _, f := range l {
		if f.Severity == s {
			n++
		}
	}
	return n
}

func humanDuration(sec int) string {
	d := time.Duration(sec) * time.Second
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		if n := d / (24 * time.Hour); n != 1 {
			return fmt.Sprintf("%d days", n)
		}
		return "1 day"
	case d >= time.Hour:
		return fmt.Sprintf("%.1f hours", d.Hours())
	}
	return d.String()
}
