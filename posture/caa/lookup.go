//go:build !js

package caa

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/finding"
	"golang.org/x/net/idna"
)

// Querier asks DNS questions and returns the whole reply. A reply is
// returned for NOERROR and NXDOMAIN; other failures are errors. Both
// *dnsclient.Resolver (posturekit's stub resolver) and test doubles
// satisfy it.
type Querier interface {
	Query(ctx context.Context, name string, qtype uint16) (*dns.Msg, error)
}

// maxCNAMEHops bounds the queries made to follow a CNAME chain the server
// did not follow itself.
const maxCNAMEHops = 8

// Relevant is the CAA RRset that applies to a domain name, as a CA finds
// it (RFC 8659, Section 3), and what is wrong with it.
type Relevant struct {
	// Domain is the name asked about, in lower-case A-label form without
	// the final dot (for a wildcard *.X, X).
	Domain string `json:"domain"`
	// Name is where the RRset was found: Domain or one of its parents.
	// Empty when no CAA record applies.
	Name string `json:"name,omitempty"`
	// Target is the end of the CNAME chain at Name, when Name is an alias
	// and the records came from its target.
	Target string `json:"target,omitempty"`
	// Records is the RRset; empty when every CA may issue.
	Records []Record `json:"records"`
	// Queried lists the names asked for CAA, in order.
	Queried []string `json:"queried"`
	// Findings are the problems of the RRset ([CheckSet]) and of the
	// lookup, worst first.
	Findings finding.List `json:"findings"`
}

// LookupRelevant finds the relevant CAA RRset of domain (RFC 8659, Section
// 3): it asks for the CAA records of the name, following CNAMEs, and if
// there are none, of its parent, and so on up to and including the
// top-level domain, until a name has some. For a wildcard name *.X the
// search starts at X. The records are checked with [CheckSet].
//
// A failed lookup (a timeout, SERVFAIL, ...) is not the absence of
// records: it ends the search with an error wrapping the resolver's, and
// the result, never nil, holds what was learned and a caa.lookup_failed
// finding. CAs that meet the same failure may refuse to issue (RFC 8659,
// Section 6). An unusable name gives [ErrDomain].
func LookupRelevant(ctx context.Context, q Querier, domain string) (*Relevant, error) {
	d, err := normalizeDomain(domain)
	res := &Relevant{Domain: d, Records: []Record{}, Queried: []string{}, Findings: finding.List{}}
	if err != nil {
		return res, err
	}
	for name := d; ; {
		res.Queried = append(res.Queried, name)
		recs, target, err := queryCAA(ctx, q, name)
		if err != nil {
			res.Findings = append(res.Findings, finding.Finding{Code: "caa.lookup_failed", Severity: finding.Error, Where: name, RFC: rfcDeployment,
				Message: fmt.Sprintf("the CAA lookup failed, so the relevant records are unknown; CAs that meet the same failure may refuse to issue: %v", err),
				Fix:     "make the domain's name servers answer CAA queries (an empty answer is fine)"})
			res.Findings.Sort()
			return res, fmt.Errorf("caa: looking up CAA at %s: %w", name, err)
		}
		if len(recs) > 0 {
			res.Name, res.Records = name, recs
			if !strings.EqualFold(target, name) {
				res.Target = target
			}
			break
		}
		i := strings.IndexByte(name, '.')
		if i < 0 {
			break // the top-level domain had none
		}
		name = name[i+1:]
	}

	switch {
	case len(res.Records) == 0:
		res.Findings = append(res.Findings, finding.Finding{Code: "caa.missing", Severity: finding.Warning, Where: d, RFC: rfcRelevant,
			Message: fmt.Sprintf("no CAA records at %s or any parent: every CA may issue certificates for it", d),
			Fix:     fmt.Sprintf(`publish at %s one issue record per CA you use, such as CAA 0 issue "letsencrypt.org"`, d)})
	default:
		if res.Name != d {
			res.Findings = append(res.Findings, finding.Finding{Code: "caa.inherited", Severity: finding.Info, Where: d, RFC: rfcRelevant,
				Message: fmt.Sprintf("%s has no CAA records of its own; those of %s apply", d, res.Name)})
		}
		if res.Target != "" {
			res.Findings = append(res.Findings, finding.Finding{Code: "caa.alias", Severity: finding.Info, Where: res.Name, RFC: rfcRelevant,
				Message: fmt.Sprintf("%s is an alias of %s, whose CAA records apply to it", res.Name, res.Target)})
		}
		for _, f := range CheckSet(res.Records) {
			if f.Where != "" {
				f.Where = res.Name + " CAA " + f.Where
			} else {
				f.Where = res.Name
			}
			res.Findings = append(res.Findings, f)
		}
	}
	res.Findings.Sort()
	return res, nil
}

// normalizeDomain returns the A-label form of domain in lower case, without
// the final dot and a leading "*.".
func normalizeDomain(domain string) (string, error) {
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	d = strings.TrimPrefix(d, "*.")
	if d == "" || strings.Contains(d, "*") {
		return "", fmt.Errorf("%w: %q", ErrDomain, domain)
	}
	a, err := idna.New(idna.MapForLookup(), idna.StrictDomainName(false)).ToASCII(d)
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrDomain, domain, err)
	}
	a = strings.ToLower(a)
	if _, ok := dns.IsDomainName(a); !ok || strings.Contains(a, "..") || strings.HasPrefix(a, ".") {
		return "", fmt.Errorf("%w: %q", ErrDomain, domain)
	}
	return a, nil
}

// queryCAA returns CAA(name) in the sense of RFC 8659, Section 3: the CAA
// records at name, CNAMEs followed (RFC 1034, Section 4.3.2), and the last
// name of the chain. A name that does not exist has none. Values are read
// raw, as they came off the wire.
func queryCAA(ctx context.Context, q Querier, name string) ([]Record, string, error) {
	qname := dns.Fqdn(name)
	seen := map[string]bool{}
	for range maxCNAMEHops + 1 {
		seen[strings.ToLower(qname)] = true
		reply, err := q.Query(ctx, qname, dns.TypeCAA)
		if err != nil {
			if isNotFound(err) {
				return nil, trimDot(qname), nil
			}
			return nil, "", err
		}
		if reply == nil {
			return nil, "", errors.New("no reply")
		}
		if reply.Rcode != dns.RcodeSuccess && reply.Rcode != dns.RcodeNameError {
			return nil, "", fmt.Errorf("server answered %s", dns.RcodeToString[reply.Rcode])
		}
		rrs, last, loop := answerChain(reply.Answer, qname)
		switch {
		case len(rrs) > 0:
			recs := make([]Record, len(rrs))
			for k, rr := range rrs {
				recs[k] = Record{Flags: rr.Flag, Tag: rr.Tag, Value: rr.Value}
			}
			return recs, trimDot(last), nil
		case loop || seen[strings.ToLower(last)] && !strings.EqualFold(last, qname):
			return nil, "", fmt.Errorf("CNAME loop at %s", trimDot(last))
		case reply.Rcode == dns.RcodeNameError || strings.EqualFold(last, qname):
			// NXDOMAIN (about the end of the chain, RFC 6604, Section
			// 2.1) or NODATA: no records.
			return nil, trimDot(last), nil
		}
		qname = last // the reply stopped at a CNAME; ask its target
	}
	return nil, "", fmt.Errorf("more than %d CNAMEs", maxCNAMEHops)
}

// answerChain follows the CNAME chain from qname through answer and
// returns the CAA records at its end, the last name of the chain, and
// whether the chain loops.
func answerChain(answer []dns.RR, qname string) (rrs []*dns.CAA, last string, loop bool) {
	owner := qname
	visited := map[string]bool{}
	for {
		visited[strings.ToLower(owner)] = true
		var target string
		for _, rr := range answer {
			h := rr.Header()
			if h.Class != dns.ClassINET || !strings.EqualFold(h.Name, owner) {
				continue
			}
			switch v := rr.(type) {
			case *dns.CAA:
				rrs = append(rrs, v)
			case *dns.CNAME:
				if target == "" {
					target = v.Target
				}
			}
		}
		if len(rrs) > 0 || target == "" {
			return rrs, owner, false
		}
		if visited[strings.ToLower(target)] {
			return nil, target, true
		}
		owner = target
	}
}

// isNotFound reports whether a resolver error means the name has no such
// record rather than a failed lookup.
func isNotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

func trimDot(s string) string { return strings.TrimSuffix(s, ".") }
