//go:build !js

package audit

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/posture"
	"github.com/posturekit/posturekit/posture/caa"
	"github.com/posturekit/posturekit/posture/dmarc"
	"github.com/posturekit/posturekit/ttlcalc"
)

// The DNS checks (DNSSEC is in dnssec.go). Their IDs:
//
//	dns.ns               at least two name servers, each with an address
//	dns.ns.networks      their addresses in distinct /24 and /48 networks
//	dns.ns.domains       their names under more than one top-level domain
//	dns.ipv6.apex        AAAA beside A for the domain itself,
//	dns.ipv6.www         for www,
//	dns.ipv6.mx          for each MX host,
//	dns.ipv6.ns          and for each name server
//	dns.caa              the CAA records that apply (RFC 8659)
//	dns.soa              the SOA record could be read
//	dns.soa.rname        its RNAME is a mailbox
//	dns.soa.negative_ttl its MINIMUM, the negative-caching TTL (RFC 2308)
//	dns.soa.timers       REFRESH, RETRY and EXPIRE (RFC 1912)
//	dns.soa.serial       SERIAL (a date serial not in the future)
//	dns.ttl.ns           the TTL of the NS records
//	dns.ttl.web          the TTL of the A/AAAA records of the domain and www
func init() { addGroup("dns", dnsGroup) }

// Bounds of the checks.
const (
	// dnsMinTTL: TTLs under five minutes make every cache ask again and
	// again, and an outage of the name servers shows at once.
	dnsMinTTL = 300
	// dnsMaxWebTTL: a web record kept for more than a day makes moving
	// the site, or recovering from a hijack, slow.
	dnsMaxWebTTL = 86400
	// RFC 2308, Section 5: one to three hours work well for negative
	// caching; below five minutes or above a day is unwise.
	dnsMinNegTTL, dnsMaxNegTTL = 300, 86400
	// RFC 1912, Section 2.2: refresh 20 minutes to 12 hours (a day with
	// NOTIFY is common), retry below refresh, expire two to four weeks
	// (a week to RIPE-203's 1000 hours is accepted here).
	dnsMinRefresh, dnsMaxRefresh = 1200, 86400
	dnsMinRetry                  = 120
	dnsMinExpire, dnsMaxExpire   = 604800, 3600000
)

// dnsName is a host name and its addresses.
type dnsName struct {
	name       string // without the final dot
	v4, v6     []netip.Addr
	err4, err6 error
	ttl4, ttl6 uint32 // of the records at the end of the CNAME chain
	rrs        []string
	alias      string // the CNAME target when the name is an alias (an MX must not name one: RFC 2181, Section 10.3)
}

// failed returns the first lookup error that is not "no such record".
func (n *dnsName) failed() error {
	for _, err := range []error{n.err4, n.err6} {
		if err != nil && !notFound(err) {
			return err
		}
	}
	return nil
}

// dnsLookupName looks up the A and AAAA records of name, both at once.
// The replies come from the audit's cache when other checks asked too.
func dnsLookupName(ctx context.Context, a *auditor, name string) *dnsName {
	n := &dnsName{name: strings.TrimSuffix(name, ".")}
	var rrs4, rrs6 []string
	var wg sync.WaitGroup
	wg.Go(func() {
		n.v4, n.err4 = a.dns.LookupNetIP(ctx, "ip4", n.name)
		n.ttl4, rrs4, n.alias = dnsTTL(ctx, a, n.name, dns.TypeA)
	})
	wg.Go(func() {
		n.v6, n.err6 = a.dns.LookupNetIP(ctx, "ip6", n.name)
		n.ttl6, rrs6, _ = dnsTTL(ctx, a, n.name, dns.TypeAAAA)
	})
	wg.Wait()
	n.rrs = append(rrs4, rrs6...)
	return n
}

// dnsTTL returns the lowest TTL of the records of type qtype in the reply
// for name (the CNAME chain in it included), those records as text, and
// the target of the CNAME at name when it is an alias. The reply is the
// one the address lookup used (the audit's cache shares it).
func dnsTTL(ctx context.Context, a *auditor, name string, qtype uint16) (ttl uint32, out []string, alias string) {
	reply, err := a.dns.Query(ctx, name, qtype)
	if err != nil {
		return 0, nil, ""
	}
	for _, rr := range reply.Answer {
		h := rr.Header()
		if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(h.Name, dns.Fqdn(name)) {
			alias = strings.TrimSuffix(c.Target, ".")
		}
		if h.Rrtype != qtype {
			continue
		}
		if ttl == 0 || h.Ttl < ttl {
			ttl = h.Ttl
		}
		out = append(out, rrLine(rr))
	}
	return ttl, out, alias
}

// dnsState is what the lookups of the DNS group found.
type dnsState struct {
	apex     string // the zone apex: the domain, or the zone it is in
	nxdomain bool   // the domain does not exist
	soa      *dns.SOA
	soaRR    string
	soaErr   error
	nsReply  *dns.Msg
	nsErr    error
	ns       []*dnsName
	web      []*dnsName // the domain and www
	mxHosts  []*dnsName
	mxErr    error
	caa      *caa.Relevant
	caaErr   error
	nsTTL    uint32
	nsRRs    []string
	nsTarget []string
}

// dnsGroup looks everything up concurrently, then judges.
func dnsGroup(ctx context.Context, a *auditor) {
	s := &dnsState{apex: a.domain}
	var wg sync.WaitGroup
	wg.Go(func() { dnsZone(ctx, a, s) })
	wg.Go(func() {
		s.web = make([]*dnsName, 2)
		var inner sync.WaitGroup
		inner.Go(func() { s.web[0] = dnsLookupName(ctx, a, a.domain) })
		inner.Go(func() { s.web[1] = dnsLookupName(ctx, a, "www."+a.domain) })
		inner.Wait()
	})
	wg.Go(func() {
		mxs, err := a.dns.LookupMX(ctx, a.domain)
		s.mxErr = err
		var inner sync.WaitGroup
		var mu sync.Mutex
		for _, mx := range mxs {
			if mx.Host == "." {
				continue
			}
			inner.Go(func() {
				n := dnsLookupName(ctx, a, mx.Host)
				mu.Lock()
				s.mxHosts = append(s.mxHosts, n)
				mu.Unlock()
			})
		}
		inner.Wait()
		slices.SortFunc(s.mxHosts, func(x, y *dnsName) int { return strings.Compare(x.name, y.name) })
	})
	wg.Go(func() { s.caa, s.caaErr = caa.LookupRelevant(ctx, a.dns, a.domain) })
	wg.Wait()

	dnsNSChecks(a, s)
	dnsIPv6(a, s)
	dnsCAA(a, s)
	dnsSOA(a, s)
	dnsTTLs(a, s)
}

// dnsZone finds the zone's SOA and NS records and the addresses of the
// name servers. When the domain is not the apex of a zone, the SOA in the
// authority section names the zone it is in, and that zone is judged.
func dnsZone(ctx context.Context, a *auditor, s *dnsState) {
	var wg sync.WaitGroup
	var nsReply *dns.Msg
	var nsErr error
	wg.Go(func() { nsReply, nsErr = a.dns.Query(ctx, a.domain, dns.TypeNS) })
	reply, err := a.dns.Query(ctx, a.domain, dns.TypeSOA)
	wg.Wait()
	switch {
	case err != nil:
		s.soaErr = err
	case reply.Rcode == dns.RcodeNameError:
		// RFC 8020: nothing exists at or below the name.
		s.nxdomain = true
		return
	default:
		for _, rr := range append(slices.Clone(reply.Answer), reply.Ns...) {
			if soa, ok := rr.(*dns.SOA); ok {
				s.soa, s.soaRR = soa, rrLine(soa)
				s.apex = strings.ToLower(strings.TrimSuffix(soa.Hdr.Name, "."))
				break
			}
		}
	}
	if s.apex != a.domain {
		nsReply, nsErr = a.dns.Query(ctx, s.apex, dns.TypeNS)
	}
	s.nsReply, s.nsErr = nsReply, nsErr
	if nsErr != nil {
		return
	}
	for _, rr := range nsReply.Answer {
		if ns, ok := rr.(*dns.NS); ok && strings.EqualFold(ns.Hdr.Name, dns.Fqdn(s.apex)) {
			s.nsTarget = append(s.nsTarget, strings.ToLower(strings.TrimSuffix(ns.Ns, ".")))
			s.nsRRs = append(s.nsRRs, rrLine(ns))
			if s.nsTTL == 0 || ns.Hdr.Ttl < s.nsTTL {
				s.nsTTL = ns.Hdr.Ttl
			}
		}
	}
	slices.Sort(s.nsTarget)
	s.nsTarget = slices.Compact(s.nsTarget)
	s.ns = make([]*dnsName, len(s.nsTarget))
	for i, t := range s.nsTarget {
		wg.Go(func() { s.ns[i] = dnsLookupName(ctx, a, t) })
	}
	wg.Wait()
}

// --- name servers -------------------------------------------------------

// dnsNSChecks adds dns.ns, dns.ns.networks and dns.ns.domains.
func dnsNSChecks(a *auditor, s *dnsState) {
	const rfc = "RFC 2182, Section 5"
	if s.nxdomain {
		return // dns.soa says the domain does not exist
	}
	if s.nsErr != nil {
		a.add(couldNotRun("dns.ns", AreaDNS, "the NS records of "+s.apex, s.nsErr))
		return
	}
	ev := slices.Clone(s.nsRRs)
	var noAddr, failed []string
	for _, n := range s.ns {
		ev = append(ev, n.rrs...)
		switch {
		case len(n.v4)+len(n.v6) > 0:
		case n.failed() != nil:
			failed = append(failed, n.name)
		default:
			noAddr = append(noAddr, n.name)
		}
	}
	if ev == nil {
		ev = []string{}
	}
	fix := fmt.Sprintf("%s 86400 IN NS <a second name server, at another provider or network>", dns.Fqdn(s.apex))
	c := Check{ID: "dns.ns", Area: AreaDNS, Status: Pass, RFC: rfc, Evidence: ev,
		Message: fmt.Sprintf("%d name servers, each with an address", len(s.ns))}
	switch {
	case len(s.ns) == 0:
		c.Status, c.Message, c.Fix = Fail, "no NS records at "+s.apex, fix
	case len(failed) > 0:
		c = couldNotRun("dns.ns", AreaDNS, "the addresses of name server(s) "+strings.Join(failed, ", "), firstNameErr(s.ns))
		c.Evidence = ev
	case len(s.ns) == 1:
		c.Status, c.Fix = Fail, fix
		c.Message = "a single name server: when it fails the domain vanishes (RFC 1034, Section 4.1 and RFC 2182, Section 5 ask for at least two)"
	case len(noAddr) == len(s.ns):
		c.Status, c.Message = Fail, "no name server has an address"
		c.Fix = "publish A/AAAA records for " + strings.Join(noAddr, ", ")
	case len(noAddr) > 0:
		c.Status, c.Message = Warn, "name server(s) without an address: "+strings.Join(noAddr, ", ")
		c.Fix = "publish A/AAAA records for " + strings.Join(noAddr, ", ") + ", or remove them from the NS set"
	}
	a.add(c)
	if len(s.ns) == 0 {
		return
	}

	// Networks (RFC 2182, Section 3.1): the servers should not share one
	// network, so that one outage or route leak cannot take them all.
	nets4, nets6 := map[netip.Prefix]bool{}, map[netip.Prefix]bool{}
	var nev []string
	for _, n := range s.ns {
		for _, ip := range n.v4 {
			p, _ := ip.Prefix(24)
			nets4[p] = true
			nev = append(nev, fmt.Sprintf("%s %s (%s)", n.name, ip, p))
		}
		for _, ip := range n.v6 {
			p, _ := ip.Prefix(48)
			nets6[p] = true
			nev = append(nev, fmt.Sprintf("%s %s (%s)", n.name, ip, p))
		}
	}
	switch {
	case len(nev) > 0 && firstNameErr(s.ns) != nil:
		c := couldNotRun("dns.ns.networks", AreaDNS, "the networks of the name servers", firstNameErr(s.ns))
		c.Evidence = nev
		a.add(c)
	case len(nev) > 0:
		nc := Check{ID: "dns.ns.networks", Area: AreaDNS, Status: Pass, RFC: "RFC 2182, Section 3.1", Evidence: nev,
			Message: fmt.Sprintf("name servers in %d IPv4 /24 and %d IPv6 /48 networks", len(nets4), len(nets6))}
		var one []string
		if len(nets4) == 1 {
			one = append(one, "every IPv4 address is in one /24")
		}
		if len(nets6) == 1 {
			one = append(one, "every IPv6 address is in one /48")
		}
		if len(one) > 0 {
			nc.Status = Warn
			nc.Message = strings.Join(one, " and ") + ": one network outage takes all name servers down"
			nc.Fix = "add a name server in another network (a secondary DNS provider, or another site): " + fix
		}
		a.add(nc)
	}

	// Names: name servers whose names are all under one top-level domain
	// all depend on that TLD's servers (and, under one registrable
	// domain, on that domain's zone) to be found at all.
	tlds, orgs := map[string]bool{}, map[string]bool{}
	for _, t := range s.nsTarget {
		labels := strings.Split(t, ".")
		tlds[labels[len(labels)-1]] = true
		orgs[dmarc.LegacyOrgDomain(t)] = true
	}
	dc := Check{ID: "dns.ns.domains", Area: AreaDNS, Status: Pass, RFC: "RFC 2182, Section 3.1", Evidence: slices.Clone(s.nsTarget),
		Message: fmt.Sprintf("name server names under %d top-level domains and %d registered domains", len(tlds), len(orgs))}
	if len(tlds) < 2 {
		dc.Status = Warn
		tld := ""
		for t := range tlds {
			tld = t
		}
		dc.Message = fmt.Sprintf("every name server name is under .%s", tld)
		if len(orgs) == 1 {
			dc.Message += " and one registered domain"
		}
		dc.Message += ": a failure there makes every name server unreachable by name"
		dc.Fix = "add a name server whose name is under another top-level domain (a secondary DNS provider): " + fix
	}
	a.add(dc)
}

// firstNameErr returns the first failed lookup of names.
func firstNameErr(names []*dnsName) error {
	for _, n := range names {
		if err := n.failed(); err != nil {
			return err
		}
	}
	return nil
}

// --- IPv6 ---------------------------------------------------------------

// dnsIPv6 adds dns.ipv6.*: each name with an IPv4 address should have an
// IPv6 address too, so that IPv6-only clients and servers reach it.
func dnsIPv6(a *auditor, s *dnsState) {
	groups := []struct {
		id, what string
		names    []*dnsName
		err      error
	}{
		{"dns.ipv6.apex", "the domain", s.web[:1], nil},
		{"dns.ipv6.www", "www", s.web[1:], nil},
		{"dns.ipv6.mx", "the MX hosts", s.mxHosts, dnsLookupErr(s.mxErr)},
		{"dns.ipv6.ns", "the name servers", s.ns, dnsLookupErr(s.nsErr)},
	}
	for _, g := range groups {
		if g.err != nil {
			a.add(couldNotRun(g.id, AreaDNS, "IPv6 of "+g.what, g.err))
			continue
		}
		var ev, missing, with []string
		for _, n := range g.names {
			if err := n.failed(); err != nil {
				g.err = err
				break
			}
			for _, ip := range n.v4 {
				ev = append(ev, fmt.Sprintf("%s A %s", n.name, ip))
			}
			for _, ip := range n.v6 {
				ev = append(ev, fmt.Sprintf("%s AAAA %s", n.name, ip))
			}
			switch {
			case len(n.v6) > 0:
				with = append(with, n.name)
			case len(n.v4) > 0:
				missing = append(missing, n.name)
				ev = append(ev, n.name+" AAAA (none)")
			}
		}
		if g.err != nil {
			a.add(couldNotRun(g.id, AreaDNS, "IPv6 of "+g.what, g.err))
			continue
		}
		if len(with)+len(missing) == 0 {
			continue // no addresses at all: nothing to compare
		}
		c := Check{ID: g.id, Area: AreaDNS, Status: Pass, Evidence: ev, RFC: "RFC 3596, Section 2",
			Message: fmt.Sprintf("%s: AAAA beside every A", g.what)}
		if len(missing) > 0 {
			c.Status = Warn
			if len(with) == 0 {
				c.Status = Fail
			}
			c.Message = fmt.Sprintf("%s: no IPv6 address for %s, so IPv6-only clients cannot reach it", g.what, strings.Join(missing, ", "))
			var lines []string
			for _, m := range missing {
				lines = append(lines, fmt.Sprintf("%s %d IN AAAA <its IPv6 address>", dns.Fqdn(m), posture.DefaultTTL))
			}
			c.Fix = strings.Join(lines, "\n")
		}
		a.add(c)
	}
}

// dnsLookupErr keeps a lookup error that is not "no such record".
func dnsLookupErr(err error) error {
	if err != nil && !notFound(err) {
		return err
	}
	return nil
}

// --- CAA ----------------------------------------------------------------

// dnsCAA adds dns.caa (RFC 8659).
func dnsCAA(a *auditor, s *dnsState) {
	r := s.caa
	if r == nil {
		a.add(couldNotRun("dns.caa", AreaDNS, "CAA", s.caaErr))
		return
	}
	ev := []string{}
	var issuers []string
	for _, rec := range r.Records {
		ev = append(ev, fmt.Sprintf("%s IN CAA %s", dns.Fqdn(r.Name), rec.String()))
		if p := rec.Property(); p == caa.TagIssue {
			if is, err := rec.IssueValue(); err == nil && is.IssuerDomain != "" && !slices.Contains(issuers, is.IssuerDomain) {
				issuers = append(issuers, is.IssuerDomain)
			}
		}
	}
	if s.caaErr != nil {
		c := couldNotRun("dns.caa", AreaDNS, "CAA", s.caaErr)
		c.Evidence = ev
		a.add(c)
		return
	}
	// The fix: the kit's CAA for the CAs in use, or a placeholder CA.
	note := ""
	if len(issuers) == 0 {
		issuers = []string{"letsencrypt.org"}
		note = "; replace letsencrypt.org with the issuer domain of the CA you use\n"
	}
	k := a.kit(posture.Domain{NoMail: true, CAs: issuers, Contact: []string{"mailto:security@" + a.domain}})
	fix := kitLines(k, a.domain, "CAA", nil)
	if fix != "" {
		fix = note + fix
	}
	if len(r.Records) == 0 {
		a.add(Check{ID: "dns.caa", Area: AreaDNS, Status: Warn, RFC: "RFC 8659, Section 3", Evidence: ev, Fix: fix,
			Message: "no CAA records: every certificate authority may issue certificates for the domain"})
		return
	}
	pass := "CAA limits issuance to " + strings.Join(issuers, ", ")
	if r.Name != r.Domain {
		pass += " (the records of " + r.Name + ")"
	}
	l := pick(r.Findings, func(f finding.Finding) bool { return f.Code != "caa.lookup_failed" })
	c := judge("dns.caa", AreaDNS, l, pass, ev, "")
	if c.Status == Fail {
		c.Fix = fix
	}
	c.RFC = cmp.Or(c.RFC, "RFC 8659, Section 4")
	a.add(c)
}

// --- SOA ----------------------------------------------------------------

// dnsSOA adds dns.soa and its aspects.
func dnsSOA(a *auditor, s *dnsState) {
	if s.soaErr != nil {
		a.add(couldNotRun("dns.soa", AreaDNS, "the SOA record", s.soaErr))
		return
	}
	if s.nxdomain {
		a.add(Check{ID: "dns.soa", Area: AreaDNS, Status: Fail, RFC: "RFC 8020, Section 2", Evidence: []string{a.domain + ". SOA: NXDOMAIN"},
			Message: a.domain + " does not exist (NXDOMAIN): register or delegate it, or check the spelling"})
		return
	}
	if s.soa == nil {
		a.add(Check{ID: "dns.soa", Area: AreaDNS, Status: Fail, RFC: "RFC 1035, Section 4.3.4", Evidence: []string{},
			Message: "no SOA record for " + a.domain + " or a zone above it: the name servers do not serve the zone properly"})
		return
	}
	soa := s.soa
	ev := []string{s.soaRR}
	msg := "SOA of " + s.apex
	if s.apex != a.domain {
		msg += " (" + a.domain + " is in that zone)"
	}
	a.add(Check{ID: "dns.soa", Area: AreaDNS, Status: Pass, RFC: "RFC 1035, Section 3.3.13", Evidence: ev, Message: msg})

	// with returns the SOA with some fields changed, as a fix.
	with := func(change func(*dns.SOA)) string {
		c := dns.Copy(soa).(*dns.SOA)
		change(c)
		return "; keep the serial growing: the next edit of the zone sets it\n" + rrLine(c)
	}

	// RNAME (RFC 1035, Section 3.3.13): the mailbox of the person
	// responsible, its first label the local part (RFC 2142: hostmaster).
	rc := Check{ID: "dns.soa.rname", Area: AreaDNS, Status: Pass, RFC: "RFC 1035, Section 3.3.13", Evidence: ev}
	if addr, why := dnsMailbox(soa.Mbox); why != "" {
		rc.Status = Warn
		rc.Message = fmt.Sprintf("RNAME %s is not a mailbox: %s", soa.Mbox, why)
		rc.Fix = with(func(c *dns.SOA) { c.Mbox = "hostmaster." + dns.Fqdn(s.apex) })
	} else {
		rc.Message = "RNAME " + soa.Mbox + " is the mailbox " + addr
	}
	a.add(rc)

	// The TTL of negative answers is the smaller of the SOA record's own
	// TTL and its MINIMUM field (RFC 2308, Section 5). The SOA's TTL comes
	// through a resolver that counts it down, so it is an upper bound.
	neg, by := soa.Minttl, fmt.Sprintf("MINIMUM %d", soa.Minttl)
	if soa.Hdr.Ttl < neg {
		neg, by = soa.Hdr.Ttl, fmt.Sprintf("the SOA record's TTL %d, below MINIMUM %d", soa.Hdr.Ttl, soa.Minttl)
	}
	nc := Check{ID: "dns.soa.negative_ttl", Area: AreaDNS, Status: Pass, RFC: "RFC 2308, Section 5", Evidence: ev,
		Message: fmt.Sprintf("negative answers are cached for at most %s (%s)", dnsDuration(neg), by)}
	switch {
	case neg < dnsMinNegTTL:
		nc.Status = Warn
		nc.Message = fmt.Sprintf("%s: negative answers are cached for only %s, so queries for missing names reach the name servers again and again", by, dnsDuration(neg))
	case neg > dnsMaxNegTTL:
		nc.Status = Warn
		nc.Message = fmt.Sprintf("%s: a name looked up before it was added stays missing for up to %s", by, dnsDuration(neg))
	}
	if nc.Status != Pass {
		nc.Fix = with(func(c *dns.SOA) {
			c.Minttl = 3600
			c.Hdr.Ttl = max(c.Hdr.Ttl, 3600)
		})
	}
	a.add(nc)

	// Timers for secondaries (RFC 1912, Section 2.2).
	var bad []string
	if soa.Refresh < dnsMinRefresh || soa.Refresh > dnsMaxRefresh {
		bad = append(bad, fmt.Sprintf("REFRESH %d is outside %s to %s", soa.Refresh, dnsDuration(dnsMinRefresh), dnsDuration(dnsMaxRefresh)))
	}
	if soa.Retry < dnsMinRetry || soa.Retry >= soa.Refresh {
		bad = append(bad, fmt.Sprintf("RETRY %d should be at least %d and below REFRESH", soa.Retry, dnsMinRetry))
	}
	if soa.Expire < dnsMinExpire || soa.Expire > dnsMaxExpire || soa.Expire <= soa.Refresh+soa.Retry {
		bad = append(bad, fmt.Sprintf("EXPIRE %d is outside %s to %s or not above REFRESH+RETRY", soa.Expire, dnsDuration(dnsMinExpire), dnsDuration(dnsMaxExpire)))
	}
	tc := Check{ID: "dns.soa.timers", Area: AreaDNS, Status: Pass, RFC: "RFC 1912, Section 2.2", Evidence: ev,
		Message: fmt.Sprintf("REFRESH %d, RETRY %d, EXPIRE %d", soa.Refresh, soa.Retry, soa.Expire)}
	if len(bad) > 0 {
		tc.Status, tc.Message = Warn, strings.Join(bad, "; ")
		tc.Fix = with(func(c *dns.SOA) {
			if c.Refresh < dnsMinRefresh || c.Refresh > dnsMaxRefresh {
				c.Refresh = 7200
			}
			if c.Retry < dnsMinRetry || c.Retry >= c.Refresh {
				c.Retry = min(3600, c.Refresh/2)
			}
			if c.Expire < dnsMinExpire || c.Expire > dnsMaxExpire || c.Expire <= c.Refresh+c.Retry {
				c.Expire = 1209600
			}
		})
	}
	a.add(tc)

	// SERIAL: RFC 1912, Section 2.2 suggests YYYYMMDDnn; a date in the
	// future is a typo that every later serial must exceed (RFC 1982).
	sc := Check{ID: "dns.soa.serial", Area: AreaDNS, Status: Pass, RFC: "RFC 1912, Section 2.2", Evidence: ev,
		Message: fmt.Sprintf("serial %d", soa.Serial)}
	if day, ok := dnsSerialDate(soa.Serial); ok {
		sc.Message += " (" + day.Format("2006-01-02") + ")"
		if day.After(a.now().Add(48 * time.Hour)) {
			sc.Status = Warn
			sc.Message = fmt.Sprintf("serial %d is dated %s, in the future: every later serial must exceed it, so the date format is lost", soa.Serial, day.Format("2006-01-02"))
			sc.Fix = "keep incrementing the serial; to return to a date serial, follow RFC 1982's serial arithmetic (add up to 2147483647 at a time, letting secondaries transfer in between) until it wraps below today's date"
		}
	}
	a.add(sc)
}

// dnsMailbox reads an RNAME as a mail address (RFC 1035, Section 8: the
// first label is the local part, and may hold escaped dots). It returns
// the address, or why the name is not one.
func dnsMailbox(rname string) (addr, why string) {
	if rname == "." || rname == "" {
		return "", "it is the root"
	}
	if strings.Contains(rname, "@") {
		return "", "it holds an @, which zone files do not translate: write the first dot in its place"
	}
	labels := dns.SplitDomainName(rname)
	if len(labels) < 3 {
		return "", "a mailbox needs a local part and a domain with at least two labels"
	}
	for _, l := range labels[1:] {
		if !dnsHostLabel(l) {
			return "", fmt.Sprintf("its domain label %q is not a host name label", l)
		}
	}
	local := strings.ReplaceAll(labels[0], `\.`, ".")
	return local + "@" + strings.Join(labels[1:], "."), ""
}

// dnsHostLabel reports whether l is a letter-digit-hyphen label (RFC 1123,
// Section 2.1).
func dnsHostLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// dnsSerialDate reads a YYYYMMDDnn serial; ok is false for other serials.
func dnsSerialDate(serial uint32) (time.Time, bool) {
	s := strconv.FormatUint(uint64(serial), 10)
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102", s[:8])
	if err != nil || t.Year() < 1990 {
		return time.Time{}, false
	}
	return t, true
}

// dnsDuration writes a TTL for people.
func dnsDuration(secs uint32) string {
	return ttlcalc.FormatDuration(time.Duration(secs) * time.Second)
}

// --- TTLs ---------------------------------------------------------------

// dnsTTLs adds dns.ttl.ns and dns.ttl.web. TTLs are those the resolver
// returned: a caching resolver counts them down, so a short one is
// reported as "at most" what the zone says.
func dnsTTLs(a *auditor, s *dnsState) {
	if s.nsErr == nil && len(s.nsRRs) > 0 {
		c := Check{ID: "dns.ttl.ns", Area: AreaDNS, Status: Pass, RFC: "RFC 1035, Section 3.2.1", Evidence: slices.Clone(s.nsRRs),
			Message: fmt.Sprintf("NS records cached for %s", dnsDuration(s.nsTTL))}
		if s.nsTTL < dnsMinTTL {
			c.Status = Warn
			c.Message = fmt.Sprintf("NS TTL %d (%s): resolvers ask for the delegation again and again, and an outage of the name servers shows at once", s.nsTTL, dnsDuration(s.nsTTL))
			var lines []string
			for _, t := range s.nsTarget {
				lines = append(lines, zoneLine(s.apex, 86400, "NS", t))
			}
			c.Fix = strings.Join(lines, "\n")
		}
		a.add(c)
	}

	var ev, short, long []string
	var fix []string
	var ttlMin, ttlMax uint32
	seenTTL := false
	var failed error
	for _, n := range s.web {
		if err := n.failed(); err != nil {
			failed = err
		}
		for _, p := range []struct {
			typ   string
			addrs []netip.Addr
			ttl   uint32
		}{{"A", n.v4, n.ttl4}, {"AAAA", n.v6, n.ttl6}} {
			if len(p.addrs) == 0 {
				continue
			}
			if !seenTTL || p.ttl < ttlMin {
				ttlMin, seenTTL = p.ttl, true
			}
			ttlMax = max(ttlMax, p.ttl)
			label := fmt.Sprintf("%s %s TTL %d", n.name, p.typ, p.ttl)
			switch {
			case p.ttl < dnsMinTTL:
				short = append(short, label)
			case p.ttl > dnsMaxWebTTL:
				long = append(long, label)
			default:
				continue
			}
			for _, ip := range p.addrs {
				fix = append(fix, zoneLine(n.name, posture.DefaultTTL, p.typ, ip.String()))
			}
		}
		ev = append(ev, n.rrs...)
	}
	if failed != nil {
		a.add(couldNotRun("dns.ttl.web", AreaDNS, "the TTLs of the web records", failed))
		return
	}
	if len(ev) == 0 {
		return // neither the domain nor www has an address
	}
	c := Check{ID: "dns.ttl.web", Area: AreaDNS, Status: Pass, RFC: "RFC 1035, Section 3.2.1", Evidence: ev,
		Message: fmt.Sprintf("web records cached for %s to %s", dnsDuration(ttlMin), dnsDuration(ttlMax))}
	var why []string
	if len(short) > 0 {
		why = append(why, fmt.Sprintf("%s: under %s, every visit may wait for a DNS query and the name servers carry the load", strings.Join(short, ", "), dnsDuration(dnsMinTTL)))
	}
	if len(long) > 0 {
		why = append(why, fmt.Sprintf("%s: over a day, so moving the site or recovering from a hijacked record takes days", strings.Join(long, ", ")))
	}
	if len(why) > 0 {
		c.Status, c.Message = Warn, strings.Join(why, "; ")
		c.Fix = strings.Join(fix, "\n")
	}
	a.add(c)
}
