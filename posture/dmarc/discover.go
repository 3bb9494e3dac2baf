//go:build !js

package dmarc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"golang.org/x/net/idna"
)

// TXTResolver looks up TXT records. *net.Resolver and posturekit's DNS
// client both satisfy it. A name without TXT records (NXDOMAIN or NODATA)
// must give a *net.DNSError with IsNotFound set; any other error is a
// failed lookup, which is never taken for "no record".
type TXTResolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
}

// maxQueries is the most _dmarc queries of a DNS Tree Walk (RFC 9989,
// Section 4.10).
const maxQueries = 8

// QueryResult is what one query of the DNS Tree Walk found.
type QueryResult string

// The query results.
const (
	// ResultRecord: exactly one DMARC record.
	ResultRecord QueryResult = "record"
	// ResultNone: no DMARC record (no TXT record at all, NXDOMAIN, or
	// only TXT values that are not DMARC records).
	ResultNone QueryResult = "none"
	// ResultMultiple: several DMARC records, which receivers discard
	// (RFC 9989, Section 4.10, step 2): as none at that name.
	ResultMultiple QueryResult = "multiple"
	// ResultFailed: the lookup failed; the walk stops there.
	ResultFailed QueryResult = "failed"
)

// Query is one step of the DNS Tree Walk.
type Query struct {
	// Domain is the domain asked about.
	Domain string `json:"domain"`
	// Name is the name queried, _dmarc.<Domain>.
	Name string `json:"name"`
	// Result is what the query found.
	Result QueryResult `json:"result"`
	// Records are the TXT values that begin with v=DMARC1.
	Records []string `json:"records,omitempty"`
	// Error is the lookup error of a failed query.
	Error string `json:"error,omitempty"`
}

// Discovery is what policy discovery found for a domain, as a receiver
// that implements RFC 9989 sees it.
type Discovery struct {
	// Domain is the author domain asked about, as an A-label in lower
	// case.
	Domain string `json:"domain"`
	// Queries are the _dmarc lookups of the DNS Tree Walk, in order: at
	// most 8 (RFC 9989, Section 4.10).
	Queries []Query `json:"queries"`
	// PolicyDomain is where the record that applies was published; "" when
	// none applies.
	PolicyDomain string `json:"policy_domain,omitempty"`
	// RecordText is the TXT value of that record.
	RecordText string `json:"record_text,omitempty"`
	// Record is that record as receivers read it (see [Check]).
	Record *Record `json:"record,omitempty"`
	// OrganizationalDomain is the organizational domain of Domain by the
	// DNS Tree Walk (RFC 9989, Section 4.10.2): the basis of relaxed
	// alignment. It is Domain itself when the walk found no record, and ""
	// when a failed lookup left it unknown.
	OrganizationalDomain string `json:"organizational_domain,omitempty"`
	// DomainExists says whether Domain exists, when that decided between
	// sp and np; nil when it did not matter or could not be told.
	DomainExists *bool `json:"domain_exists,omitempty"`
	// PolicyTag is the tag the policy came from: "p" for a record of the
	// domain itself, "sp" or "np" for a record of a parent (each with its
	// fallbacks, so an absent sp gives p's value), "" otherwise.
	PolicyTag string `json:"policy_tag,omitempty"`
	// Policy is the Domain Owner Assessment Policy that applies, "" when
	// DMARC does not apply. With Record.Testing (t=y), receivers apply
	// the next lower policy.
	Policy Policy `json:"policy,omitempty"`
	// Applies is false when receivers apply no DMARC to mail from Domain:
	// no record, or a record without a valid p and without a valid rua.
	Applies bool `json:"applies"`
	// Findings explain the outcome: several records at one name, no
	// record at all, a fallback to p=none, failed lookups.
	Findings finding.List `json:"findings"`
}

// DiscoverOptions configures [DiscoverWith].
type DiscoverOptions struct {
	// DomainExists, when set, says whether the author domain exists,
	// which decides between sp and np when the record comes from a parent.
	// When nil, the existence is looked up with a TXT query for the domain
	// itself, but only when sp and np differ: an NXDOMAIN answer (RFC 9989,
	// Section 3.2.13; RFC 8020) means it does not exist, NODATA or an
	// answer that it does. NXDOMAIN is recognised by the "no such host"
	// text of the *net.DNSError, which posturekit's DNS client uses for
	// NXDOMAIN only; the net package's resolver uses it for NODATA too, so
	// with a *net.Resolver the existence is left unknown (DomainExists nil,
	// sp applied, and a finding saying which np would apply).
	DomainExists *bool
}

// Discover finds the DMARC record and policy that apply to mail from
// domain, as RFC 9989, Section 4.10.1 tells receivers to: see
// [DiscoverWith], of which this is the form with default options.
func Discover(ctx context.Context, r TXTResolver, domain string) (*Discovery, error) {
	return DiscoverWith(ctx, r, domain, DiscoverOptions{})
}

// DiscoverWith runs the DNS Tree Walk of RFC 9989, Section 4.10 from
// domain (the author domain) and applies the rules of policy discovery
// (Section 4.10.1) and of the organizational domain (Section 4.10.2):
//
//   - it asks _dmarc.<domain>, then _dmarc.<parent>, one label less per
//     query, down to and including the TLD; a domain of more than eight
//     labels is first cut to seven, so there are at most eight queries;
//   - at each name, TXT values that do not begin with v=DMARC1 are
//     discarded; several DMARC records are discarded too, so the name
//     counts as having none and the walk goes on; a record with psd=y or
//     psd=n stops the walk;
//   - the organizational domain is the name of the first record with
//     psd=n; else the name one label below a record with psd=y (not the
//     domain's own); else the name with the fewest labels that has a
//     record;
//   - the record that applies is the domain's own, else that of its
//     organizational domain, else that of its public suffix domain (the
//     one with psd=y). From the domain's own record the policy is p; from
//     a parent's, sp if the domain exists and np if it does not (see
//     [DiscoverOptions]);
//   - a record without a valid p, or with an invalid sp or np, counts as
//     p=none when its rua holds a valid URI, and otherwise means no DMARC.
//
// NXDOMAIN and NODATA mean "no record". Any other failure stops the walk:
// DiscoverWith then returns what it knows with an error wrapping
// [ErrLookup] (RFC 9989 leaves it to the receiver to deliver, or to
// defer the message until the lookup works), never "no record". An
// invalid domain gives [ErrInvalidDomain].
//
// This differs from "the first record found applies" (which some
// checkers do) when records are published at several levels above the
// domain: RFC 9989 takes the highest one, unless a psd tag stops the walk
// below it (Section 4.7: "sp will be ignored for DMARC Policy Records
// published on subdomains of Organizational Domains").
func DiscoverWith(ctx context.Context, r TXTResolver, domain string, opts DiscoverOptions) (*Discovery, error) {
	d, err := normalizeDomain(domain)
	if err != nil {
		return nil, err
	}
	disc := &Discovery{Domain: d, Queries: []Query{}, Findings: finding.List{}}
	defer disc.Findings.Sort()
	labels := strings.Split(d, ".")

	type found struct {
		domain string
		text   string
		rec    *Record
	}
	var records []found
	var lookupErr error
	for _, name := range walkNames(labels) {
		q := Query{Domain: name, Name: RecordName(name)}
		txts, err := r.LookupTXT(ctx, q.Name)
		if err != nil && !isNotFound(err) {
			q.Result, q.Error = ResultFailed, err.Error()
			disc.Queries = append(disc.Queries, q)
			lookupErr = fmt.Errorf("%w: %s: %w", ErrLookup, q.Name, err)
			disc.add("dmarc.lookup_failed", finding.Error, q.Name, rfcDiscovery,
				fmt.Sprintf("the DMARC lookup failed, so receivers cannot tell which policy applies (they may defer or accept the mail): %v", err),
				"make the name servers of "+name+" answer TXT queries")
			break
		}
		for _, t := range txts {
			if IsRecord(t) {
				q.Records = append(q.Records, t)
			}
		}
		switch len(q.Records) {
		case 0:
			q.Result = ResultNone
		case 1:
			q.Result = ResultRecord
		default:
			q.Result = ResultMultiple
			sev := finding.Warning
			if name == d {
				sev = finding.Error
			}
			disc.add("dmarc.multiple_records", sev, q.Name, rfcTreeWalk,
				fmt.Sprintf("%d DMARC records at %s: receivers discard them all and go on as if there were none", len(q.Records), q.Name),
				"keep exactly one v=DMARC1 record")
		}
		disc.Queries = append(disc.Queries, q)
		if q.Result != ResultRecord {
			continue
		}
		rec, _ := Check(q.Records[0])
		records = append(records, found{domain: name, text: q.Records[0], rec: rec})
		// RFC 9989, Section 4.10, steps 2 and 6: psd=y or psd=n stops
		// the walk.
		if rec.PSD == PSDYes || rec.PSD == PSDNo {
			break
		}
	}

	// The organizational domain (RFC 9989, Section 4.10.2), from the
	// longest name to the shortest.
	var psdRecord *found
	switch {
	case lookupErr != nil:
		// Unknown: a record above the failed query could change it.
	case len(records) == 0:
		disc.OrganizationalDomain = d
	default:
		for i := range records {
			f := &records[i]
			if f.rec.PSD == PSDNo {
				disc.OrganizationalDomain = f.domain
				break
			}
			if f.rec.PSD == PSDYes && f.domain != d {
				disc.OrganizationalDomain = childOf(d, f.domain)
				psdRecord = f
				break
			}
		}
		if disc.OrganizationalDomain == "" {
			disc.OrganizationalDomain = records[len(records)-1].domain
		}
	}

	// The record that applies (RFC 9989, Section 4.10.1): the author
	// domain's, else the organizational domain's, else the public suffix
	// domain's.
	var applied *found
	switch {
	case len(records) > 0 && records[0].domain == d:
		applied = &records[0]
	case lookupErr != nil:
		// A failed query leaves the organizational domain unknown.
	default:
		for i := range records {
			if records[i].domain == disc.OrganizationalDomain {
				applied = &records[i]
			}
		}
		if applied == nil {
			applied = psdRecord
		}
	}
	if applied == nil {
		if lookupErr == nil {
			disc.add("dmarc.no_record", finding.Error, RecordName(d), rfcDiscovery,
				"no DMARC record applies to "+d+": receivers apply no DMARC to mail in its name, so anyone can put it in the From: line",
				fmt.Sprintf("publish %s TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@%s\"", RecordName(LegacyOrgDomain(d)), LegacyOrgDomain(d)))
		}
		return disc, lookupErr
	}
	disc.PolicyDomain, disc.RecordText, disc.Record = applied.domain, applied.text, applied.rec

	// RFC 9989, Section 4.10.1: a record without a valid p, or with an
	// invalid sp or np, counts as p=none if rua holds a valid URI, and
	// means no DMARC otherwise.
	_, l := Check(applied.text)
	broken := applied.rec.Policy == "" || l.Has("dmarc.sp_invalid") || l.Has("dmarc.np_invalid")
	if broken {
		if len(applied.rec.AggregateReports) == 0 {
			disc.add("dmarc.no_processing", finding.Error, RecordName(applied.domain), rfcDiscovery,
				"the record has no valid p (or has an invalid sp or np) and no valid rua: receivers apply no DMARC at all",
				"add p=none (or quarantine or reject) and rua=mailto:<address>")
			return disc, lookupErr
		}
		disc.Applies, disc.Policy = true, PolicyNone
		disc.add("dmarc.policy_fallback", finding.Warning, RecordName(applied.domain), rfcDiscovery,
			"the record has no valid p (or has an invalid sp or np): because rua holds a valid URI, receivers act as if it said p=none",
			"publish a valid p")
		return disc, lookupErr
	}
	disc.Applies = true
	if applied.domain == d {
		disc.PolicyTag, disc.Policy = "p", applied.rec.PolicyFor(false, true)
		return disc, lookupErr
	}
	disc.add("dmarc.policy_from_parent", finding.Info, RecordName(d), rfcDiscovery,
		fmt.Sprintf("%s has no DMARC record of its own: the record of %s applies to it", d, applied.domain), "")
	sp, np := applied.rec.PolicyFor(true, true), applied.rec.PolicyFor(true, false)
	exists := true
	if sp != np {
		known := opts.DomainExists != nil
		if known {
			exists = *opts.DomainExists
		} else {
			var err error
			exists, known, err = domainExists(ctx, r, d)
			if err != nil {
				disc.add("dmarc.existence_lookup_failed", finding.Warning, d, rfcDiscovery,
					fmt.Sprintf("could not tell whether %s exists: %v", d, err), "")
				if lookupErr == nil {
					lookupErr = fmt.Errorf("%w: %s: %w", ErrLookup, d, err)
				}
			}
		}
		if known {
			disc.DomainExists = &exists
		} else {
			disc.add("dmarc.existence_unknown", finding.Info, d, rfcDiscovery,
				fmt.Sprintf("sp=%s applies if %s exists, as assumed here; np=%s applies if it does not", sp, d, np), "")
		}
	}
	if exists {
		disc.PolicyTag, disc.Policy = "sp", sp
	} else {
		disc.PolicyTag, disc.Policy = "np", np
	}
	return disc, lookupErr
}

func (d *Discovery) add(code string, sev finding.Severity, where, rfc, msg, fix string) {
	d.Findings = append(d.Findings, finding.Finding{Code: code, Severity: sev, Where: where, RFC: rfc, Message: msg, Fix: fix})
}

// walkNames returns the domains the DNS Tree Walk asks about (RFC 9989,
// Section 4.10, steps 3 to 7; Section 4.10.1): the domain itself; then, if
// it has more than eight labels, its last seven labels, else its parent;
// then one label less each time, down to the TLD. There are at most eight.
func walkNames(labels []string) []string {
	n := len(labels)
	names := make([]string, 0, min(n, maxQueries))
	names = append(names, strings.Join(labels, "."))
	next := n - 1
	if n > maxQueries {
		next = maxQueries - 1
	}
	for k := next; k >= 1; k-- {
		names = append(names, strings.Join(labels[n-k:], "."))
	}
	return names
}

// childOf returns the domain one label below parent on the way to d.
func childOf(d, parent string) string {
	rest := strings.TrimSuffix(d, "."+parent)
	return rest[strings.LastIndexByte(rest, '.')+1:] + "." + parent
}

// domainExists tells whether d exists (RFC 9989, Section 3.2.13: NXDOMAIN
// means it does not). known is false when the resolver cannot tell
// NXDOMAIN from NODATA (the net package's).
func domainExists(ctx context.Context, r TXTResolver, d string) (exists, known bool, err error) {
	_, err = r.LookupTXT(ctx, d)
	if err == nil {
		return true, true, nil
	}
	if !isNotFound(err) {
		return true, false, err
	}
	if _, std := r.(*net.Resolver); std {
		return true, false, nil
	}
	var de *net.DNSError
	errors.As(err, &de)
	return !strings.HasPrefix(de.Err, "no such host"), true, nil
}

// isNotFound reports whether a resolver error means the name has no such
// record (NXDOMAIN or NODATA) rather than a failed lookup.
func isNotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// lookupProfile converts U-labels to A-labels without rejecting the
// underscore labels that appear in real mail domains.
var lookupProfile = idna.New(idna.MapForLookup(), idna.StrictDomainName(false))

// normalizeDomain returns domain as a lower-case A-label without the final
// dot (RFC 9989, Section 5.3.1), short enough for its _dmarc name and the
// report authorization names.
func normalizeDomain(domain string) (string, error) {
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	a, err := lookupProfile.ToASCII(d)
	if err != nil || a == "" {
		return "", fmt.Errorf("%w: %q", ErrInvalidDomain, domain)
	}
	a = strings.ToLower(a)
	if msg := domainSyntax(a); msg != "" || len(RecordName(a)) > 253 {
		return "", fmt.Errorf("%w: %q", ErrInvalidDomain, domain)
	}
	return a, nil
}

// CheckExternalReports checks that every report destination of rec in
// another organization agreed to receive reports for domain, the domain
// whose _dmarc record rec is (RFC 7489, Section 7.1; RFC 9990, "Verifying
// External Destinations", for rua; RFC 9991 does the same for ruf). For
// each rua and ruf URI whose host has another organizational domain than
// domain, receivers look up <domain>._report._dmarc.<host> and send
// nothing to the URI unless a TXT value there begins with v=DMARC1.
//
// Organizational domains are compared with [LegacyOrgDomain], which needs
// no lookups and agrees with the DNS Tree Walk for ordinary domains.
// Findings: dmarc.external_rua_unauthorized and
// dmarc.external_ruf_unauthorized (error) when the authorization record
// is missing; dmarc.external_report_override (warning) when it redirects
// reports to another host, which receivers refuse;
// dmarc.external_report_lookup_failed (warning) when the lookup failed,
// which is not the same as missing. An invalid domain or a nil record
// gives no findings.
func CheckExternalReports(ctx context.Context, r TXTResolver, domain string, rec *Record) finding.List {
	l := finding.List{}
	d, err := normalizeDomain(domain)
	if err != nil || rec == nil {
		return l
	}
	org := LegacyOrgDomain(d)
	for _, set := range [...]struct {
		tag  string
		uris []ReportURI
	}{{"rua", rec.AggregateReports}, {"ruf", rec.FailureReports}} {
		done := map[string]bool{}
		for _, u := range set.uris {
			host := u.Host()
			if host == "" || done[host] || LegacyOrgDomain(host) == org {
				continue
			}
			done[host] = true
			l = append(l, checkAuthorization(ctx, r, d, set.tag, host)...)
		}
	}
	l.Sort()
	return l
}

// checkAuthorization looks up <d>._report._dmarc.<host>.
func checkAuthorization(ctx context.Context, r TXTResolver, d, tag, host string) finding.List {
	name := d + "._report._dmarc." + host
	where := tag + " " + host
	fix := fmt.Sprintf("ask the operator of %s to publish %s TXT \"v=DMARC1;\"", host, name)
	f := func(code string, sev finding.Severity, msg, fix string) finding.List {
		return finding.List{{Code: code, Severity: sev, Where: where, RFC: rfc7489Ext, Message: msg, Fix: fix}}
	}
	if len(name) > 253 {
		return f("dmarc.external_"+tag+"_unauthorized", finding.Error,
			fmt.Sprintf("%s is too long for DNS, so %s cannot authorize reports for %s", name, host, d), "send the reports to an address in "+d)
	}
	txts, err := r.LookupTXT(ctx, name)
	if err != nil && !isNotFound(err) {
		return f("dmarc.external_report_lookup_failed", finding.Warning,
			fmt.Sprintf("could not look up %s, so it is unknown whether %s accepts reports for %s: %v", name, host, d, err), "")
	}
	var recs []string
	for _, t := range txts {
		if IsRecord(t) {
			recs = append(recs, t)
		}
	}
	if len(recs) == 0 {
		return f("dmarc.external_"+tag+"_unauthorized", finding.Error,
			fmt.Sprintf("%s has not agreed to receive DMARC reports for %s (no v=DMARC1 record at %s): receivers send it none", host, d, name), fix)
	}
	// The authorization record may name other URIs; they must use the same
	// host, or receivers send no report at all (RFC 9990).
	var l finding.List
	for _, t := range recs {
		auth, _ := Check(t)
		if auth == nil {
			continue
		}
		over := auth.AggregateReports
		if tag == "ruf" {
			over = auth.FailureReports
		}
		for _, u := range over {
			if h := u.Host(); h != "" && h != host {
				l = append(l, f("dmarc.external_report_override", finding.Warning,
					fmt.Sprintf("%s redirects the %s reports of %s to %s, another host: receivers then send them nowhere", name, tag, d, h),
					fmt.Sprintf("the %s of %s must use an address at %s", tag, name, host))...)
			}
		}
	}
	return l
}
