//go:build !js

package mtasts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/txtrec"
	"golang.org/x/net/idna"
)

// LookupRecord looks up and selects the _mta-sts TXT record of domain (RFC
// 8461, Section 3.1). It returns the TXT values found as well, for reports.
// When the name has no TXT record the error is [ErrNoRecord]; a failed
// lookup is returned as it came from the resolver, so that callers can tell
// "no MTA-STS" from "could not find out".
func LookupRecord(ctx context.Context, r Resolver, domain string) (*Record, []string, error) {
	txts, err := r.LookupTXT(ctx, RecordName(domain))
	if err != nil {
		if isNotFound(err) {
			return nil, nil, ErrNoRecord
		}
		return nil, nil, fmt.Errorf("mtasts: looking up %s: %w", RecordName(domain), err)
	}
	rec, err := SelectRecord(txts)
	return rec, txts, err
}

// isNotFound reports whether a resolver error means the name has no such
// record (NXDOMAIN or NODATA) rather than a failed lookup.
func isNotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// Report is the result of a live [Check] of a domain.
type Report struct {
	Domain string `json:"domain"`
	// RecordName is _mta-sts.<domain>; RecordTXT all TXT values found there.
	RecordName string   `json:"record_name"`
	RecordTXT  []string `json:"record_txt"`
	Record     *Record  `json:"record,omitempty"`
	// PolicyURL is where the policy was fetched from, PolicyText what was
	// served (when it could be fetched).
	PolicyURL  string  `json:"policy_url"`
	PolicyText string  `json:"policy_text,omitempty"`
	Policy     *Policy `json:"policy,omitempty"`
	// MX are the domain's MX hosts, by preference.
	MX []string `json:"mx"`
	// TLSRPT are the TLS-RPT records at _smtp._tls.<domain> (RFC 8460).
	TLSRPT []string `json:"tlsrpt"`
	// Findings are all problems found, worst first.
	Findings finding.List `json:"findings"`
	// Valid is false when a finding has severity error.
	Valid bool `json:"valid"`
}

// CheckOptions configures [Check].
type CheckOptions struct {
	// Resolver answers the DNS lookups; nil means net.DefaultResolver.
	Resolver Resolver
	// Fetcher fetches the policy; nil means a Fetcher with Resolver.
	// Its Resolver, when nil, is set to the one above.
	Fetcher *Fetcher
}

// Check audits the MTA-STS set-up of a live domain: the _mta-sts record, the
// policy served over HTTPS, the domain's MX hosts against the policy's
// patterns, and the presence of TLS-RPT, which RFC 8461 relies on for
// failure reports. Every problem, DNS and HTTPS failures included, is a
// finding; the error is only for an unusable domain name.
func Check(ctx context.Context, domain string, opts CheckOptions) (*Report, error) {
	d, err := idna.Lookup.ToASCII(strings.TrimSuffix(strings.TrimSpace(domain), "."))
	if err != nil || d == "" || domainSyntax(d) != "" {
		return nil, fmt.Errorf("mtasts: %q is not a domain name", domain)
	}
	d = strings.ToLower(d)
	r := opts.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	f := Fetcher{}
	if opts.Fetcher != nil {
		f = *opts.Fetcher
	}
	if f.Resolver == nil {
		f.Resolver = r
	}
	rep := &Report{Domain: d, RecordName: RecordName(d), PolicyURL: PolicyURL(d), MX: []string{}, TLSRPT: []string{}, RecordTXT: []string{}}
	add := func(code string, sev finding.Severity, where, rfc, msg, fix string) {
		rep.Findings = append(rep.Findings, finding.Finding{Code: code, Severity: sev, Where: where, RFC: rfc, Message: msg, Fix: fix})
	}

	// The record (RFC 8461, Section 3.1).
	rec, txts, recErr := LookupRecord(ctx, r, d)
	rep.Record = rec
	if txts != nil {
		rep.RecordTXT = txts
	}
	switch {
	case recErr == nil:
	case errors.Is(recErr, ErrNoRecord):
		add("mtasts.record_missing", finding.Error, rep.RecordName, rfcRecord,
			"no MTA-STS TXT record: senders do not look for a policy",
			fmt.Sprintf("publish %s TXT \"v=STSv1; id=<id>;\"", rep.RecordName))
	case errors.Is(recErr, ErrMultipleRecords):
		add("mtasts.record_multiple", finding.Error, rep.RecordName, rfcRecord,
			fmt.Sprintf("%d TXT records begin with v=STSv1: senders then ignore MTA-STS for the domain", countRecords(txts)),
			"keep exactly one v=STSv1 record")
	case errors.Is(recErr, ErrRecordSyntax):
		for _, t := range txts {
			if IsRecord(t) {
				_, l := CheckRecord(t)
				for _, f := range l {
					f.Where = rep.RecordName
					rep.Findings = append(rep.Findings, f)
				}
			}
		}
	default:
		add("mtasts.record_lookup_failed", finding.Error, rep.RecordName, rfcRecord,
			fmt.Sprintf("the TXT lookup failed, so senders cannot discover the policy: %v", recErr),
			"make the domain's name servers answer TXT queries for "+rep.RecordName)
	}

	// The policy (RFC 8461, Sections 3.2 and 3.3).
	fd, fetchErr := f.Fetch(ctx, d)
	if fetchErr != nil {
		if recErr == nil || !errors.Is(recErr, ErrNoRecord) || !errors.Is(fetchErr, ErrNoAddress) {
			code, fix := fetchFinding(fetchErr, d)
			add(code, finding.Error, rep.PolicyURL, rfcFetch, fetchErr.Error(), fix)
		}
	} else {
		rep.PolicyText = fd.Text
		var l finding.List
		rep.Policy, l = CheckPolicy(fd.Text)
		for _, f := range l {
			f.Where = rep.PolicyURL
			rep.Findings = append(rep.Findings, f)
		}
		if errors.Is(recErr, ErrNoRecord) {
			add("mtasts.policy_without_record", finding.Error, rep.RecordName, rfcRecord,
				"a policy is served but no TXT record announces it, so senders never fetch it",
				fmt.Sprintf("publish %s TXT \"v=STSv1; id=<id>;\"", rep.RecordName))
		}
	}

	// The MX hosts against the policy (RFC 8461, Section 4.1).
	mxs, err := r.LookupMX(ctx, d)
	switch {
	case err == nil:
		for _, mx := range mxs {
			rep.MX = append(rep.MX, strings.TrimSuffix(mx.Host, "."))
		}
		if len(mxs) == 1 && mxs[0].Host == "." {
			add("mtasts.null_mx", finding.Info, d, "RFC 7505, Section 3", "the domain has a null MX: it accepts no mail, so MTA-STS has nothing to protect", "")
		}
	case isNotFound(err):
		add("mtasts.no_mx", finding.Warning, d, "RFC 8461, Section 4",
			"the domain has no MX records; MTA-STS applies only to MX hosts", "publish MX records for the domain's mail servers")
	default:
		add("mtasts.mx_lookup_failed", finding.Error, d, "RFC 8461, Section 4", fmt.Sprintf("the MX lookup failed: %v", err), "")
	}
	if rep.Policy != nil && len(rep.MX) > 0 {
		rep.Findings = append(rep.Findings, CheckMX(rep.Policy, rep.MX)...)
	}

	// TLS-RPT (RFC 8460): how a domain learns that senders fail TLS.
	if recErr == nil || rep.Policy != nil {
		checkTLSRPT(ctx, r, d, rep, add)
	}

	rep.Findings.Sort()
	if rep.Findings == nil {
		rep.Findings = finding.List{}
	}
	rep.Valid = !rep.Findings.HasErrors()
	return rep, nil
}

func checkTLSRPT(ctx context.Context, r Resolver, d string, rep *Report, add func(code string, sev finding.Severity, where, rfc, msg, fix string)) {
	name := "_smtp._tls." + d
	txts, err := r.LookupTXT(ctx, name)
	if err != nil && !isNotFound(err) {
		add("mtasts.tlsrpt_lookup_failed", finding.Warning, name, rfcTLSRPT, fmt.Sprintf("the TLS-RPT lookup failed: %v", err), "")
		return
	}
	for _, t := range txts {
		// RFC 8460, Section 3: records not beginning with v=TLSRPTv1 are
		// discarded.
		if rest, ok := strings.CutPrefix(t, "v=TLSRPTv1"); ok && (rest == "" || rest[0] == ';' || isWSP(rest[0])) {
			rep.TLSRPT = append(rep.TLSRPT, t)
		}
	}
	switch len(rep.TLSRPT) {
	case 0:
		add("mtasts.tlsrpt_missing", finding.Warning, name, rfcTLSRPT,
			"no TLS-RPT record: senders cannot report TLS failures, so a broken MX or certificate goes unnoticed",
			fmt.Sprintf("publish %s TXT \"v=TLSRPTv1; rua=mailto:tls-reports@%s\"", name, d))
	case 1:
	default:
		add("mtasts.tlsrpt_multiple", finding.Warning, name, rfcTLSRPT,
			fmt.Sprintf("%d TLS-RPT records: senders then send no reports", len(rep.TLSRPT)), "keep exactly one v=TLSRPTv1 record")
	}
}

func countRecords(txts []string) int {
	_, n := txtrec.Only(txts, IsRecord)
	return n
}

// fetchFinding maps a fetch error to a finding code and fix.
func fetchFinding(err error, d string) (code, fix string) {
	host := "mta-sts." + d
	switch {
	case errors.Is(err, ErrNoAddress):
		return "mtasts.policy_host_missing", fmt.Sprintf("publish A/AAAA records for %s pointing at the server of the policy", host)
	case errors.Is(err, ErrPrivateAddress):
		return "mtasts.policy_private_address", fmt.Sprintf("point %s at a public address", host)
	case errors.Is(err, ErrCertificate):
		return "mtasts.policy_certificate", fmt.Sprintf("serve a certificate from a public CA that is valid for %s", host)
	case errors.Is(err, ErrRedirect):
		return "mtasts.policy_redirect", "serve the policy itself at " + PolicyURL(d) + ", without a redirect"
	case errors.Is(err, ErrHTTPStatus):
		return "mtasts.policy_http_status", "serve the policy at " + PolicyURL(d) + " with status 200"
	case errors.Is(err, ErrMediaType):
		return "mtasts.policy_media_type", "serve the policy with Content-Type: text/plain"
	case errors.Is(err, ErrTooLarge):
		return "mtasts.policy_too_large", "serve a policy under 64 KiB"
	case errors.Is(err, ErrTimeout):
		return "mtasts.policy_timeout", fmt.Sprintf("make %s answer HTTPS on port 443 promptly", host)
	case errors.Is(err, ErrLookup):
		return "mtasts.policy_host_lookup_failed", fmt.Sprintf("check again; if it persists, make the name servers of %s answer for it", host)
	}
	return "mtasts.policy_fetch_failed", fmt.Sprintf("make %s serve the policy over HTTPS on port 443", host)
}
