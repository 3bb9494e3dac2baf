//go:build !js

package audit

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/zonetext"
	"github.com/posturekit/posturekit/mtasts"
	"github.com/posturekit/posturekit/posture"
	"github.com/posturekit/posturekit/posture/dkim"
	"github.com/posturekit/posturekit/posture/dmarc"
	"github.com/posturekit/posturekit/posture/spf"
	"github.com/posturekit/posturekit/posture/tlsrpt"
)

// The mail checks. Their IDs:
//
//	mail.mx                 the MX hosts and their addresses
//	mail.nullmx             a domain that receives no mail (RFC 7505)
//	mail.spf                the SPF record: present, one, well formed
//	mail.spf.lookups        DNS-querying terms of the whole tree (<= 10)
//	mail.spf.void           lookups that find nothing (<= 2)
//	mail.spf.all            what the record says of everybody else
//	mail.dmarc              a DMARC record applies (RFC 9989 discovery)
//	mail.dmarc.policy       its strength (p, t, pct)
//	mail.dmarc.subdomains   sp and np
//	mail.dmarc.rua          aggregate reports are asked for
//	mail.dmarc.rua.external report destinations elsewhere agreed to them
//	mail.mta-sts            the _mta-sts record
//	mail.mta-sts.policy     the policy served over HTTPS
//	mail.mta-sts.mx         the policy covers the MX hosts
//	mail.tlsrpt             the TLS-RPT record
//	mail.dkim               one per DKIM selector given (info without any)
func init() { addGroup("mail", mailGroup) }

// mailFetchTimeout bounds the fetch of the MTA-STS policy; the audit's
// deadline bounds it too.
const mailFetchTimeout = 10 * time.Second

// mailDKIM is what the lookup of one DKIM selector found.
type mailDKIM struct {
	selector string
	rec      *dkim.Record
	txts     []string
	err      error
}

// mailState is what the lookups of the mail group found.
type mailState struct {
	mx    []*net.MX
	mxErr error
	hosts []*dnsName

	apexAddrs []netip.Addr
	apexErr   error

	txts   []string // TXT values at the domain
	txtErr error
	ev     *spf.Evaluation
	evErr  error
	spfRec *spf.Record // ev.Record parsed; nil when there is none or it is malformed

	disc    *dmarc.Discovery
	discErr error
	ext     finding.List // external report authorization

	sts    *mtasts.Report
	stsErr error

	tr     *tlsrpt.Record
	trTXT  []string
	trErr  error
	dkimRs []mailDKIM

	observed posture.Domain          // the domain as observed, for the kit (see mailObserved)
	kits     map[string]*posture.Kit // the kits built, by their description
}

// mailGroup looks everything up concurrently, then judges.
func mailGroup(ctx context.Context, a *auditor) {
	s := &mailState{}
	var wg sync.WaitGroup
	wg.Go(func() {
		s.mx, s.mxErr = a.dns.LookupMX(ctx, a.domain)
		s.hosts = mailHostAddrs(ctx, a, s.mx)
	})
	wg.Go(func() { s.apexAddrs, s.apexErr = a.dns.LookupNetIP(ctx, "ip", a.domain) })
	wg.Go(func() { s.txts, s.txtErr = a.dns.LookupTXT(ctx, a.domain) })
	wg.Go(func() { s.ev, s.evErr = spf.Evaluate(ctx, a.dns, a.domain) })
	wg.Go(func() {
		s.disc, s.discErr = dmarc.Discover(ctx, a.dns, a.domain)
		if s.disc != nil && s.disc.Record != nil {
			s.ext = dmarc.CheckExternalReports(ctx, a.dns, s.disc.PolicyDomain, s.disc.Record)
		}
	})
	// MTA-STS and TLS-RPT matter only for a domain that receives mail,
	// which the MX lookup tells; they start at once all the same, so
	// that the slowest chain (record, HTTPS fetch) is not delayed by it.
	wg.Go(func() {
		f := &mtasts.Fetcher{Resolver: a.dns, RootCAs: a.opts.RootCAs, AllowPrivate: a.opts.AllowPrivate,
			Port: a.opts.HTTPSPort, Timeout: mailFetchTimeout}
		s.sts, s.stsErr = mtasts.Check(ctx, a.domain, mtasts.CheckOptions{Resolver: a.dns, Fetcher: f})
	})
	wg.Go(func() { s.tr, s.trTXT, s.trErr = tlsrpt.Lookup(ctx, a.dns, a.domain) })
	s.dkimRs = make([]mailDKIM, len(a.opts.DKIMSelectors))
	for i, sel := range a.opts.DKIMSelectors {
		wg.Go(func() {
			r := mailDKIM{selector: strings.TrimSpace(sel)}
			r.rec, r.txts, r.err = dkim.Lookup(ctx, a.dns, r.selector, a.domain)
			s.dkimRs[i] = r
		})
	}
	wg.Wait()
	if s.ev != nil && s.ev.Record != "" {
		if rec, _, err := spf.Parse(s.ev.Record); err == nil {
			s.spfRec = rec
		}
	}
	s.observed = a.mailObserved(s)

	receives := mailMX(a, s)
	mailSPF(a, s, receives)
	mailDMARC(a, s, receives)
	if receives {
		mailMTASTS(a, s)
		mailTLSRPT(a, s)
	} else {
		why := "the domain receives no mail (see mail.nullmx), so there is no SMTP transport to protect"
		a.add(mailInfo("mail.mta-sts", why), mailInfo("mail.tlsrpt", why))
	}
	mailDKIMChecks(a, s)
}

// mailHostAddrs looks up the addresses of the MX hosts, all at once, in
// the order of the MX records.
func mailHostAddrs(ctx context.Context, a *auditor, mxs []*net.MX) []*dnsName {
	var hosts []*dnsName
	for _, mx := range mxs {
		if mx.Host != "." {
			hosts = append(hosts, nil)
		}
	}
	var wg sync.WaitGroup
	i := 0
	for _, mx := range mxs {
		if mx.Host == "." {
			continue
		}
		h := &hosts[i]
		i++
		wg.Go(func() { *h = dnsLookupName(ctx, a, mx.Host) })
	}
	wg.Wait()
	return hosts
}

// mailInfo is an info check: nothing to judge.
func mailInfo(id, msg string) Check {
	return Check{ID: id, Area: AreaMail, Status: Info, Message: msg, Evidence: []string{}}
}

// mailHasNullMX reports whether the MX records hold a null MX (RFC 7505).
func mailHasNullMX(mxs []*net.MX) bool {
	return slices.ContainsFunc(mxs, func(mx *net.MX) bool { return mx.Host == "." })
}

// mailMX adds mail.mx and mail.nullmx and reports whether the domain
// receives mail (has MX hosts other than a null MX, or might: a failed
// lookup counts as receiving, so that its checks still run).
func mailMX(a *auditor, s *mailState) bool {
	const rfcNull = "RFC 7505, Section 3"
	ev := []string{}
	for _, mx := range s.mx {
		ev = append(ev, fmt.Sprintf("%s. MX %d %s", a.domain, mx.Pref, mx.Host))
	}
	switch {
	case s.mxErr != nil && !notFound(s.mxErr):
		a.add(couldNotRun("mail.mx", AreaMail, "the MX records", s.mxErr))
		return true
	case s.mxErr != nil || len(s.mx) == 0:
		// No MX at all: RFC 5321, Section 5.1 makes the domain's own
		// address the mail server (the implicit MX).
		switch {
		case s.apexErr != nil && !notFound(s.apexErr):
			a.add(couldNotRun("mail.nullmx", AreaMail, "whether the domain has an address (implicit MX)", s.apexErr))
		case len(s.apexAddrs) > 0:
			c := Check{ID: "mail.nullmx", Area: AreaMail, Status: Warn, RFC: "RFC 7505, Section 1",
				Message:  "no MX records, so senders deliver to the domain's own address (the implicit MX of RFC 5321, Section 5.1); publish a null MX if the domain receives no mail, or MX records for its mail servers",
				Evidence: []string{fmt.Sprintf("%s. MX (none)", a.domain), fmt.Sprintf("%s. A/AAAA %s", a.domain, joinAddrs(s.apexAddrs))},
				Fix:      a.mailNoMailFix(s, "MX")}
			a.add(c)
		default:
			a.add(Check{ID: "mail.nullmx", Area: AreaMail, Status: Info, RFC: "RFC 5321, Section 5.1",
				Message:  "no MX records and no address: the domain receives no mail (senders give up at once); a null MX would say so explicitly",
				Evidence: []string{fmt.Sprintf("%s. MX (none)", a.domain), fmt.Sprintf("%s. A/AAAA (none)", a.domain)},
				Fix:      a.mailNoMailFix(s, "MX")})
		}
		// A domain with no MX whose SPF names senders sends mail: judge
		// it as a mail domain.
		return mailSPFSenders(s)
	case mailHasNullMX(s.mx) && len(s.mx) > 1:
		a.add(Check{ID: "mail.nullmx", Area: AreaMail, Status: Fail, RFC: rfcNull,
			Message:  "a null MX (\".\") beside other MX records: RFC 7505 forbids the mix, and senders may treat the domain either way",
			Evidence: ev, Fix: "remove the null MX record (" + a.domain + ". MX 0 .) if the domain receives mail, or every other MX record if it does not"})
	case mailHasNullMX(s.mx):
		c := Check{ID: "mail.nullmx", Area: AreaMail, Status: Pass, RFC: rfcNull, Evidence: ev,
			Message: "null MX: the domain receives no mail, and says so"}
		if s.mx[0].Pref != 0 {
			c.Status, c.Message = Warn, fmt.Sprintf("null MX with preference %d: RFC 7505 defines it with preference 0", s.mx[0].Pref)
			c.Fix = a.mailNoMailFix(s, "MX")
		}
		if mailSPFSenders(s) {
			// RFC 7505, Section 4.2: mail from a null-MX domain may be
			// rejected, since nothing can answer it.
			c.Status, c.RFC = Warn, "RFC 7505, Section 4.2"
			c.Message = "null MX, yet SPF authorizes senders: receivers may reject mail from a domain that cannot receive replies"
			c.Fix = a.mailNoMailFix(s, "TXT")
		}
		a.add(c)
		return false
	}

	// Ordinary MX hosts: each must have an address and not be an alias.
	var without, failed, aliases []string
	for _, h := range s.hosts {
		for _, v := range h.v4 {
			ev = append(ev, fmt.Sprintf("%s. A %s", h.name, v))
		}
		for _, v := range h.v6 {
			ev = append(ev, fmt.Sprintf("%s. AAAA %s", h.name, v))
		}
		if h.alias != "" {
			ev = append(ev, fmt.Sprintf("%s. CNAME %s.", h.name, h.alias))
			aliases = append(aliases, h.name)
		}
		switch {
		case len(h.v4)+len(h.v6) > 0:
		case h.failed() != nil:
			failed = append(failed, h.name)
		default:
			without = append(without, h.name)
			ev = append(ev, fmt.Sprintf("%s. A/AAAA (none)", h.name))
		}
	}
	c := Check{ID: "mail.mx", Area: AreaMail, Status: Pass, Evidence: ev, RFC: "RFC 5321, Section 5.1",
		Message: fmt.Sprintf("%d MX host(s), each with an address", len(s.hosts))}
	switch {
	case len(failed) > 0:
		c = couldNotRun("mail.mx", AreaMail, "the addresses of MX host(s) "+strings.Join(failed, ", "), firstNameErr(s.hosts))
		c.Evidence = ev
	case len(without) == len(s.hosts):
		c.Status, c.Message = Fail, "no MX host has an address: mail to the domain cannot be delivered"
		c.Fix = "publish A/AAAA records for " + strings.Join(without, ", ")
	case len(without) > 0:
		c.Status, c.Message = Warn, fmt.Sprintf("MX host(s) without an address: %s; senders waste time on them", strings.Join(without, ", "))
		c.Fix = "publish A/AAAA records for " + strings.Join(without, ", ") + ", or remove their MX records"
	case len(aliases) > 0:
		c.Status, c.RFC = Warn, "RFC 2181, Section 10.3"
		c.Message = fmt.Sprintf("MX host(s) %s are aliases (CNAME); an MX must name the host itself", strings.Join(aliases, ", "))
		c.Fix = "point the MX records at the canonical names of the hosts"
	}
	a.add(c)
	return true
}

// joinAddrs writes addresses for evidence.
func joinAddrs(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.String()
	}
	return strings.Join(s, " ")
}

// mailSPFSenders reports whether the domain's SPF record authorizes any
// sender: a mechanism that passes (+all included), or a redirect.
func mailSPFSenders(s *mailState) bool {
	if s.spfRec == nil {
		return false
	}
	for _, t := range s.spfRec.Terms {
		switch {
		case t.Modifier == spf.Redirect:
			return true
		case t.Mechanism == spf.All:
			return t.Qualifier == spf.Pass || t.Qualifier == ""
		case t.Mechanism != "" && (t.Qualifier == spf.Pass || t.Qualifier == ""):
			return true
		}
	}
	return false
}

// spfIsNull reports whether rec (nil when malformed) is the record of a
// domain that sends no mail: "v=spf1 -all", with nothing else that matches
// (RFC 7208, Section 10.1.2).
func spfIsNull(rec *spf.Record) bool {
	if rec == nil {
		return false
	}
	for _, t := range rec.Terms {
		switch {
		case t.Mechanism == spf.All:
			return t.Qualifier == spf.Fail
		case t.Mechanism != "", t.Modifier == spf.Redirect:
			return false
		}
	}
	return false
}

// --- fixes from the kit -------------------------------------------------

// zoneLine renders one record as a fully qualified zone-file line, as
// the kit does ([posture.RR.Line]).
func zoneLine(name string, ttl int, typ, value string) string {
	return posture.RR{Name: name, TTL: ttl, Type: typ}.Line(value)
}

// txtEvidence writes a TXT record seen, as in a zone file but without the
// TTL (a resolver's cache counts it down).
func txtEvidence(name, value string) string {
	return fmt.Sprintf("%s IN TXT %s", dns.Fqdn(name), zonetext.Quote(value))
}

// kit builds the record kit of the domain described by d (its Name is
// set here); nil when the description cannot give one.
func (a *auditor) kit(d posture.Domain) *posture.Kit {
	d.Name = a.domain
	k, err := posture.Build(d, a.now())
	if err != nil {
		return nil
	}
	return k
}

// kit is [auditor.kit] for the mail checks, which ask for the same kits
// more than once: each distinct description is built once.
func (s *mailState) kit(a *auditor, d posture.Domain) *posture.Kit {
	key, err := json.Marshal(d)
	if err != nil {
		return a.kit(d)
	}
	if k, ok := s.kits[string(key)]; ok {
		return k
	}
	k := a.kit(d)
	if s.kits == nil {
		s.kits = map[string]*posture.Kit{}
	}
	s.kits[string(key)] = k
	return k
}

// kitLines returns the zone-file lines of the kit's record sets at name
// with type typ, the values filtered by keep when it is not nil.
func kitLines(k *posture.Kit, name, typ string, keep func(string) bool) string {
	if k == nil {
		return ""
	}
	var lines []string
	for _, rr := range k.Records {
		if rr.Name != name || rr.Type != typ {
			continue
		}
		for _, v := range rr.Values {
			if keep == nil || keep(v) {
				lines = append(lines, rr.Line(v))
			}
		}
	}
	return strings.Join(lines, "\n")
}

// mailNoMailFix is the record of type typ ("MX", "TXT" for SPF, or
// "DMARC") that the kit of a domain without mail holds.
func (a *auditor) mailNoMailFix(s *mailState, typ string) string {
	k := s.kit(a, posture.Domain{NoMail: true})
	switch typ {
	case "DMARC":
		return kitLines(k, dmarc.RecordName(a.domain), "TXT", nil)
	case "TXT":
		return kitLines(k, a.domain, "TXT", spf.IsSPF)
	}
	return kitLines(k, a.domain, typ, nil)
}

// mailObserved describes the domain as observed, for the kit: its MX
// hosts, the SPF senders it names, and the DMARC report addresses it uses
// (or a placeholder).
func (a *auditor) mailObserved(s *mailState) posture.Domain {
	d := posture.Domain{}
	for _, h := range s.hosts {
		d.MX = append(d.MX, h.name)
	}
	if s.spfRec != nil {
		for _, t := range s.spfRec.Terms {
			switch t.Mechanism {
			case spf.Include:
				if !strings.Contains(t.Domain, "%") {
					d.SPFInclude = append(d.SPFInclude, t.Domain)
				}
			case spf.IP4, spf.IP6:
				d.SPFIP = append(d.SPFIP, t.Net.String())
			}
		}
	}
	d.Reports = a.mailReports(s)
	return d
}

// mailDomain returns a copy of the domain as observed (see mailObserved),
// for the caller to change.
func mailDomain(s *mailState) posture.Domain {
	d := s.observed
	d.MX = slices.Clone(d.MX)
	d.SPFInclude = slices.Clone(d.SPFInclude)
	d.SPFIP = slices.Clone(d.SPFIP)
	d.Reports = slices.Clone(d.Reports)
	return d
}

// mailReports returns the mailto: report addresses of the DMARC record
// seen, or a placeholder in the domain.
func (a *auditor) mailReports(s *mailState) []string {
	var out []string
	if s.disc != nil && s.disc.Record != nil {
		for _, u := range s.disc.Record.AggregateReports {
			if u.IsMailto() {
				out = append(out, u.URI)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"mailto:dmarc-reports@" + a.domain}
	}
	return out
}

// mailKit is the kit of the domain as observed, for a domain that
// receives mail (with dmarcPolicy), or of a domain without mail.
func (a *auditor) mailKit(s *mailState, receives bool, dmarcPolicy dmarc.Policy) *posture.Kit {
	if !receives && !mailSPFSenders(s) {
		return s.kit(a, posture.Domain{NoMail: true, Reports: a.mailReports(s)})
	}
	d := mailDomain(s)
	d.DMARCPolicy = string(dmarcPolicy)
	if len(d.MX) == 0 && len(d.SPFInclude) == 0 && len(d.SPFIP) == 0 {
		return nil
	}
	return s.kit(a, d)
}

// --- findings to checks -------------------------------------------------

// statusOf maps the worst severity of l to a status: error fails, a
// warning warns, info and nothing pass.
func statusOf(l finding.List) Status {
	switch l.Worst() {
	case finding.Error:
		return Fail
	case finding.Warning:
		return Warn
	}
	return Pass
}

// judge makes a check from findings: its status is that of the worst, its
// message the messages of the worst ones (passMsg when none is worse than
// info), its RFC and, when fix is "", its fix those of the first of them.
func judge(id, area string, l finding.List, passMsg string, evidence []string, fix string) Check {
	c := Check{ID: id, Area: area, Status: statusOf(l), Message: passMsg, Evidence: evidence}
	if c.Evidence == nil {
		c.Evidence = []string{}
	}
	if c.Status == Pass {
		return c
	}
	worst := l.Worst()
	var msgs []string
	for _, f := range l {
		if f.Severity != worst {
			continue
		}
		if len(msgs) == 0 {
			c.RFC = f.RFC
			if fix == "" {
				fix = f.Fix
			}
		}
		m := f.Message
		if f.Where != "" && !strings.Contains(m, f.Where) {
			m = f.Where + ": " + m
		}
		if !slices.Contains(msgs, m) {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) > 3 {
		msgs = append(msgs[:3], fmt.Sprintf("and %d more", len(msgs)-3))
	}
	c.Message = strings.Join(msgs, "; ")
	c.Fix = fix
	return c
}

// pick returns the findings of l accepted by keep.
func pick(l finding.List, keep func(f finding.Finding) bool) finding.List {
	var out finding.List
	for _, f := range l {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// codeIn accepts the findings with one of the codes.
func codeIn(codes ...string) func(finding.Finding) bool {
	return func(f finding.Finding) bool { return slices.Contains(codes, f.Code) }
}

// --- SPF ----------------------------------------------------------------

// The SPF findings that belong to mail.spf.lookups, mail.spf.void and
// mail.spf.all; the others are about the record itself (mail.spf).
var (
	spfLookupCodes = []string{"spf.too_many_lookups", "spf.include_no_record", "spf.redirect_no_record", "spf.include_loop",
		"spf.too_many_mx", "spf.evaluation_stopped", "spf.macro_not_evaluated", "spf.ptr_not_evaluated"}
	spfVoidCodes = []string{"spf.too_many_void_lookups"}
	spfAllCodes  = []string{"spf.pass_all", "spf.neutral_all", "spf.softfail_all", "spf.no_all", "spf.after_all", "spf.redirect_ignored"}
)

// mailSPF adds the SPF checks (RFC 7208).
func mailSPF(a *auditor, s *mailState, receives bool) {
	if s.evErr != nil {
		a.add(couldNotRun("mail.spf", AreaMail, "SPF", s.evErr))
		return
	}
	ev := s.ev
	// Evidence: the SPF records at the domain, or all its TXT values when
	// none is one (a typo such as "v=spf 1" shows there).
	var seen []string
	for _, t := range s.txts {
		if spf.IsSPF(t) {
			seen = append(seen, txtEvidence(a.domain, t))
		}
	}
	if len(seen) == 0 {
		for _, t := range s.txts {
			seen = append(seen, txtEvidence(a.domain, t))
		}
	}
	k := a.mailKit(s, receives, "")
	fix := kitLines(k, a.domain, "TXT", spf.IsSPF)

	// A failed lookup of the domain's own record: nothing can be said.
	for _, f := range ev.Findings {
		if f.Code == "spf.lookup_failed" && f.Where == ev.Domain {
			a.add(couldNotRun("mail.spf", AreaMail, "SPF", errors.New(f.Message)))
			return
		}
	}
	own := pick(ev.Findings, func(f finding.Finding) bool {
		c := f.Code
		return !slices.Contains(spfLookupCodes, c) && !slices.Contains(spfVoidCodes, c) && !slices.Contains(spfAllCodes, c) && c != "spf.lookup_failed"
	})
	recordFix := ""
	if own.HasErrors() {
		recordFix = fix
	}
	c := judge("mail.spf", AreaMail, own, "one SPF record, well formed", seen, recordFix)
	c.RFC = cmp.Or(c.RFC, "RFC 7208, Section 4.5")
	a.add(c)
	if ev.Record == "" {
		return // no record, several, or unreadable: mail.spf says so
	}

	// The lookup limits across the tree (RFC 7208, Section 4.6.4).
	tree := spfTree(ev.Terms, "")
	lookups := pick(ev.Findings, codeIn(spfLookupCodes...))
	var failedIn []string
	for _, f := range ev.Findings {
		if f.Code == "spf.lookup_failed" {
			failedIn = append(failedIn, f.Message)
		}
	}
	if len(failedIn) > 0 {
		c := couldNotRun("mail.spf.lookups", AreaMail, "the SPF include tree", errors.New(failedIn[0]))
		c.Evidence = tree
		a.add(c)
	} else {
		c := judge("mail.spf.lookups", AreaMail, lookups,
			fmt.Sprintf("%d of the 10 DNS-querying terms receivers allow", ev.Lookups), tree, "")
		c.RFC = "RFC 7208, Section 4.6.4"
		if c.Status != Pass {
			c.Message = fmt.Sprintf("%d DNS-querying terms (receivers allow 10): %s", ev.Lookups, c.Message)
		}
		a.add(c)
		var voids []string
		spfVoids(ev.Terms, &voids)
		vc := judge("mail.spf.void", AreaMail, pick(ev.Findings, codeIn(spfVoidCodes...)),
			fmt.Sprintf("%d of the 2 lookups that find nothing receivers allow", ev.VoidLookups), voids, "remove the terms that name hosts or domains without records: "+strings.Join(voids, ", "))
		vc.RFC = "RFC 7208, Section 4.6.4"
		if vc.Status == Pass {
			vc.Fix = ""
		}
		a.add(vc)
	}

	// What the record says of everybody else (RFC 7208, Section 5.1).
	all := pick(ev.Findings, codeIn(spfAllCodes...))
	ac := judge("mail.spf.all", AreaMail, all, spfAllMessage(s.spfRec), []string{ev.Record}, "")
	if ac.Status == Fail || ac.Status == Warn {
		if allFix := fix; allFix != "" && !slices.ContainsFunc(all, func(f finding.Finding) bool { return f.Code == "spf.after_all" }) {
			ac.Fix = allFix
		}
	}
	if !receives && ac.Status == Pass && !spfIsNull(s.spfRec) && !mailSPFSenders(s) {
		// RFC 7208, Section 10.1.2: a domain that sends no mail says so
		// with "v=spf1 -all". (A null-MX domain whose SPF names senders
		// is judged by mail.nullmx.)
		ac.Status, ac.RFC = Warn, "RFC 7208, Section 10.1.2"
		ac.Message = "the domain sends no mail: say so with v=spf1 -all, so that receivers fail every message in its name"
		ac.Fix = a.mailNoMailFix(s, "TXT")
	}
	ac.RFC = cmp.Or(ac.RFC, "RFC 7208, Section 5.1")
	a.add(ac)
}

// spfAllMessage says how the record rec (nil when malformed) ends.
func spfAllMessage(rec *spf.Record) string {
	if rec == nil {
		return "SPF record ends as it should"
	}
	for _, t := range rec.Terms {
		if t.Mechanism == spf.All {
			switch t.Qualifier {
			case spf.Fail:
				return "-all: mail from other servers fails SPF"
			case spf.SoftFail:
				return "~all: mail from other servers soft-fails SPF (DMARC decides what happens to it)"
			}
			return string(t.Qualifier) + "all"
		}
		if t.Modifier == spf.Redirect {
			return "redirect=" + t.Domain + ": that record decides"
		}
	}
	return "SPF record ends as it should"
}

// spfTree flattens the evaluated terms that cost lookups into evidence
// lines, children indented.
func spfTree(terms []*spf.TermResult, indent string) []string {
	var out []string
	for _, t := range terms {
		if t.Lookups == 0 {
			continue
		}
		line := fmt.Sprintf("%s%s (%d lookup", indent, t.Term, t.Lookups)
		if t.Lookups != 1 {
			line += "s"
		}
		line += ")"
		if t.Void {
			line += " finds nothing"
		}
		if t.Record != "" {
			line += ": " + t.Record
		}
		out = append(out, line)
		out = append(out, spfTree(t.Children, indent+"  ")...)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// spfVoids collects the terms whose lookup found nothing.
func spfVoids(terms []*spf.TermResult, out *[]string) {
	for _, t := range terms {
		if t.Void {
			*out = append(*out, t.Term)
		}
		spfVoids(t.Children, out)
	}
}

// --- DMARC --------------------------------------------------------------

// The DMARC findings judged by mail.dmarc.policy, .subdomains and .rua;
// the others are about the record itself (mail.dmarc).
var (
	dmarcPolicyCodes    = []string{"dmarc.policy_none", "dmarc.testing", "dmarc.pct_partial", "dmarc.policy_fallback"}
	dmarcSubdomainCodes = []string{"dmarc.sp_weaker", "dmarc.np_weaker"}
	dmarcRUACodes       = []string{"dmarc.rua_missing", "dmarc.ruf_present", "dmarc.fo_without_ruf"}
)

// mailDMARC adds the DMARC checks (RFC 9989).
func mailDMARC(a *auditor, s *mailState, receives bool) {
	d := s.disc
	if d == nil {
		a.add(couldNotRun("mail.dmarc", AreaMail, "DMARC", s.discErr))
		return
	}
	var seen []string
	for _, q := range d.Queries {
		for _, r := range q.Records {
			seen = append(seen, txtEvidence(q.Name, r))
		}
	}
	if seen == nil {
		seen = []string{}
	}
	if s.discErr != nil {
		c := couldNotRun("mail.dmarc", AreaMail, "DMARC", s.discErr)
		c.Evidence = seen
		a.add(c)
		return
	}
	// The fixes: reject for a domain without mail (RFC 7505's companion),
	// and reject as the goal otherwise; the record to start with, when
	// there is none, is the kit's p=none with reports, to watch first.
	goal := a.mailKit(s, receives, dmarc.PolicyReject)
	goalFix := kitLines(goal, dmarc.RecordName(a.domain), "TXT", nil)
	if !d.Applies {
		start := a.mailKit(s, receives, dmarc.PolicyNone)
		c := judge("mail.dmarc", AreaMail, d.Findings, "", seen, kitLines(start, dmarc.RecordName(a.domain), "TXT", nil))
		if c.Status == Pass { // no finding said why: still no DMARC
			c.Status, c.Message = Fail, "no DMARC policy applies to the domain"
		}
		c.RFC = "RFC 9989, Section 4.10.1"
		a.add(c)
		return
	}
	_, l := dmarc.Check(d.RecordText)
	l = append(l, d.Findings...)
	own := pick(l, func(f finding.Finding) bool {
		c := f.Code
		return !slices.Contains(dmarcPolicyCodes, c) && !slices.Contains(dmarcSubdomainCodes, c) && !slices.Contains(dmarcRUACodes, c) &&
			!strings.HasPrefix(c, "dmarc.external_") && !(c == "dmarc.tag_removed" && strings.HasPrefix(f.Where, "pct"))
	})
	pass := "DMARC record at " + dmarc.RecordName(d.PolicyDomain)
	if d.PolicyDomain != a.domain {
		pass += " (the organizational domain's) applies"
	}
	c := judge("mail.dmarc", AreaMail, own, pass, seen, "")
	c.RFC = cmp.Or(c.RFC, "RFC 9989, Section 4.10.1")
	a.add(c)

	rec := d.Record
	// Policy strength (RFC 9989, Section 4.7): t=y makes receivers apply
	// the next lower policy; pct below 100 makes RFC 7489 receivers apply
	// it to that share of the mail only (RFC 7489, Section 6.3).
	eff := d.Policy
	if rec.Testing {
		switch eff {
		case dmarc.PolicyReject:
			eff = dmarc.PolicyQuarantine
		case dmarc.PolicyQuarantine:
			eff = dmarc.PolicyNone
		}
	}
	pc := Check{ID: "mail.dmarc.policy", Area: AreaMail, Evidence: seen, RFC: "RFC 9989, Section 4.7"}
	from := "p"
	if d.PolicyTag != "" {
		from = d.PolicyTag
	}
	switch {
	case eff == dmarc.PolicyReject:
		pc.Status, pc.Message = Pass, fmt.Sprintf("%s=reject: receivers reject mail that fails DMARC", from)
	case eff == dmarc.PolicyQuarantine && (receives || mailSPFSenders(s)):
		pc.Status, pc.Message = Pass, fmt.Sprintf("%s=quarantine: receivers treat mail that fails DMARC as suspicious", from)
	case eff == dmarc.PolicyQuarantine:
		pc.Status, pc.Message = Warn, "quarantine for a domain that sends no mail: every message in its name is forged, so reject them"
	default:
		pc.Status, pc.Message = Warn, fmt.Sprintf("%s=none: receivers only report mail that fails DMARC, and deliver it", from)
	}
	if rec.Testing {
		pc.Status = Warn
		pc.Message = fmt.Sprintf("t=y: receivers apply %s instead of %s (testing)", eff, d.Policy)
	}
	if rec.Percent != nil && *rec.Percent < 100 && eff != dmarc.PolicyNone {
		pc.Status, pc.RFC = Warn, "RFC 7489, Section 6.3"
		pc.Message = fmt.Sprintf("pct=%d: receivers that implement RFC 7489 apply %s to %d%% of failing mail only", *rec.Percent, eff, *rec.Percent)
	}
	if slices.ContainsFunc(d.Findings, func(f finding.Finding) bool { return f.Code == "dmarc.policy_fallback" }) {
		pc.Status, pc.RFC = Warn, "RFC 9989, Section 4.10.1"
		pc.Message = "the record has no valid p: receivers act as if it said p=none"
	}
	if pc.Status != Pass {
		pc.Fix = goalFix
	}
	a.add(pc)

	// Subdomains (sp, np) of the domain's own record.
	if d.PolicyTag == "p" {
		sub := pick(l, codeIn(dmarcSubdomainCodes...))
		fixed := *rec
		fixed.SubdomainPolicy, fixed.NonexistentPolicy = "", ""
		sc := judge("mail.dmarc.subdomains", AreaMail, sub,
			fmt.Sprintf("subdomains get %s, names that do not exist %s", orNone(rec.PolicyFor(true, true)), orNone(rec.PolicyFor(true, false))),
			seen, zoneLine(dmarc.RecordName(a.domain), posture.DefaultTTL, "TXT", fixed.String()))
		if sc.Status == Pass {
			sc.Fix = ""
		}
		sc.RFC = cmp.Or(sc.RFC, "RFC 9989, Section 4.7")
		a.add(sc)
	}

	// Aggregate reports (rua) and their authorization elsewhere.
	var uris []string
	for _, u := range rec.AggregateReports {
		uris = append(uris, "rua "+u.String())
	}
	for _, u := range rec.FailureReports {
		uris = append(uris, "ruf "+u.String())
	}
	if uris == nil {
		uris = []string{}
	}
	rc := Check{ID: "mail.dmarc.rua", Area: AreaMail, Status: Pass, Evidence: uris, RFC: "RFC 9989, Section 4.7",
		Message: fmt.Sprintf("aggregate reports go to %d address(es)", len(rec.AggregateReports))}
	if len(rec.AggregateReports) == 0 {
		withRUA := *rec
		withRUA.AggregateReports = []dmarc.ReportURI{{URI: "mailto:dmarc-reports@" + d.PolicyDomain}}
		rc.Status = Warn
		rc.Message = "no rua: nobody receives the aggregate reports that show who sends mail in the domain's name"
		rc.Fix = zoneLine(dmarc.RecordName(d.PolicyDomain), posture.DefaultTTL, "TXT", withRUA.String())
	}
	a.add(rc)
	if len(s.ext) > 0 || mailHasExternal(a.domain, rec) {
		a.add(mailExternal(a, s, uris))
	}
}

func orNone(p dmarc.Policy) string {
	if p == "" {
		return "none"
	}
	return string(p)
}

// mailHasExternal reports whether rec sends reports to another
// organizational domain.
func mailHasExternal(domain string, rec *dmarc.Record) bool {
	org := dmarc.LegacyOrgDomain(domain)
	for _, u := range append(slices.Clone(rec.AggregateReports), rec.FailureReports...) {
		if h := u.Host(); h != "" && dmarc.LegacyOrgDomain(h) != org {
			return true
		}
	}
	return false
}

// mailExternal is mail.dmarc.rua.external: report destinations in other
// organizations must agree (RFC 7489, Section 7.1; RFC 9990).
func mailExternal(a *auditor, s *mailState, uris []string) Check {
	var failed finding.List
	for _, f := range s.ext {
		if f.Code == "dmarc.external_report_lookup_failed" {
			failed = append(failed, f)
		}
	}
	if len(failed) > 0 {
		c := couldNotRun("mail.dmarc.rua.external", AreaMail, "the authorization of external report destinations", errors.New(failed[0].Message))
		c.Evidence = uris
		return c
	}
	// The fix: the kit's authorization records (RFC 7489, Section 7.1),
	// for the hosts that have not agreed.
	var lines []string
	k, err := posture.Build(posture.Domain{Name: s.disc.PolicyDomain, NoMail: true, Reports: mailURIs(s.disc.Record)}, a.now())
	if err == nil {
		prefix := k.Domain + "._report._dmarc."
		for _, rr := range k.External {
			host := strings.TrimPrefix(rr.Name, prefix)
			if slices.ContainsFunc(s.ext, func(f finding.Finding) bool {
				return f.Severity == finding.Error && strings.HasSuffix(f.Where, " "+host)
			}) {
				lines = append(lines, "; in the zone of "+host, rr.Line(rr.Values[0]))
			}
		}
	}
	c := judge("mail.dmarc.rua.external", AreaMail, s.ext, "the report destinations in other domains agreed to receive the reports", uris, strings.Join(lines, "\n"))
	c.RFC = "RFC 7489, Section 7.1"
	return c
}

// mailURIs returns the report URIs of rec, rua then ruf.
func mailURIs(rec *dmarc.Record) []string {
	var out []string
	for _, u := range append(slices.Clone(rec.AggregateReports), rec.FailureReports...) {
		out = append(out, u.URI)
	}
	return out
}

// --- MTA-STS and TLS-RPT ---------------------------------------------------

// mtastsFetchCodes are the findings of a policy fetch that failed.
var mtastsFetchCodes = []string{"mtasts.policy_host_missing", "mtasts.policy_private_address", "mtasts.policy_certificate",
	"mtasts.policy_redirect", "mtasts.policy_http_status", "mtasts.policy_media_type", "mtasts.policy_too_large", "mtasts.policy_fetch_failed"}

// mailMTASTS adds the MTA-STS checks (RFC 8461).
func mailMTASTS(a *auditor, s *mailState) {
	if s.sts == nil {
		a.add(couldNotRun("mail.mta-sts", AreaMail, "MTA-STS", s.stsErr))
		return
	}
	r := s.sts
	k := s.kit(a, mailDomain(s))
	recordFix := kitLines(k, mtasts.RecordName(a.domain), "TXT", nil)
	policyFix := ""
	if k != nil {
		for _, f := range k.Files {
			if f.URL == mtasts.PolicyURL(a.domain) {
				policyFix = "serve at " + f.URL + " (Content-Type: text/plain):\n" + strings.TrimRight(strings.ReplaceAll(f.Content, "\r\n", "\n"), "\n")
			}
		}
	}
	var recEv []string
	for _, t := range r.RecordTXT {
		recEv = append(recEv, txtEvidence(r.RecordName, t))
	}
	if recEv == nil {
		recEv = []string{}
	}
	var recF, polF, mxF finding.List
	for _, f := range r.Findings {
		switch {
		case f.Code == "mtasts.record_lookup_failed":
			c := couldNotRun("mail.mta-sts", AreaMail, "the MTA-STS record", errors.New(f.Message))
			c.Evidence = recEv
			a.add(c)
			return
		case strings.HasPrefix(f.Code, "mtasts.tlsrpt_"), f.Code == "mtasts.no_mx", f.Code == "mtasts.null_mx", f.Code == "mtasts.mx_lookup_failed":
			// mail.tlsrpt and mail.mx judge these.
		case f.Code == "mtasts.mx_not_covered", f.Code == "mtasts.mx_unused":
			mxF = append(mxF, f)
		case f.Where == r.PolicyURL:
			polF = append(polF, f)
		default:
			recF = append(recF, f)
		}
	}
	missing := recF.Has("mtasts.record_missing")
	if missing && r.Policy == nil {
		c := Check{ID: "mail.mta-sts", Area: AreaMail, Status: Warn, RFC: "RFC 8461, Section 3.1", Evidence: recEv,
			Message: "no MTA-STS: senders fall back to plain text when an attacker strips STARTTLS or presents a false certificate"}
		c.Fix = strings.TrimSpace(recordFix + "\n" + policyFix)
		a.add(c)
		return
	}
	fix := ""
	if recF.HasErrors() {
		fix = recordFix
	}
	c := judge("mail.mta-sts", AreaMail, recF, "MTA-STS record "+strings.Join(r.RecordTXT, " "), recEv, fix)
	c.RFC = cmp.Or(c.RFC, "RFC 8461, Section 3.1")
	a.add(c)

	// The policy. A fetch that timed out could not be judged.
	polEv := []string{"GET " + r.PolicyURL}
	if r.PolicyText != "" {
		polEv = append(polEv, strings.Split(strings.TrimRight(strings.ReplaceAll(r.PolicyText, "\r\n", "\n"), "\n"), "\n")...)
	}
	if polF.Has("mtasts.policy_timeout") || polF.Has("mtasts.policy_host_lookup_failed") {
		why := errors.New("fetching " + r.PolicyURL + " timed out")
		for _, f := range polF {
			if f.Code == "mtasts.policy_host_lookup_failed" {
				why = errors.New(f.Message)
			}
		}
		c := couldNotRun("mail.mta-sts.policy", AreaMail, "the MTA-STS policy", why)
		c.Evidence = polEv
		a.add(c)
		return
	}
	pass := "policy served"
	if r.Policy != nil {
		pass = fmt.Sprintf("policy served: mode %s, max_age %d", r.Policy.Mode, r.Policy.MaxAge)
	}
	// A failed fetch has the fix of its finding (a certificate, a status);
	// a policy that was read and is wrong or weak, the kit's policy.
	pf := policyFix
	if slices.ContainsFunc(polF, func(f finding.Finding) bool { return slices.Contains(mtastsFetchCodes, f.Code) }) {
		pf = ""
	}
	pc := judge("mail.mta-sts.policy", AreaMail, polF, pass, polEv, pf)
	if pc.Status != Pass && pc.Fix == "" {
		pc.Fix = policyFix
	}
	pc.RFC = cmp.Or(pc.RFC, "RFC 8461, Section 3.2")
	a.add(pc)

	if r.Policy == nil || len(r.MX) == 0 {
		return
	}
	mxEv := []string{}
	for _, p := range r.Policy.MX {
		mxEv = append(mxEv, "mx: "+p)
	}
	for _, h := range r.MX {
		mxEv = append(mxEv, "MX "+h)
	}
	mc := judge("mail.mta-sts.mx", AreaMail, mxF, "the policy covers every MX host", mxEv, policyFix)
	if mc.Status == Pass {
		mc.Fix = ""
	}
	mc.RFC = "RFC 8461, Section 4.1"
	a.add(mc)
}

// mailTLSRPT adds mail.tlsrpt (RFC 8460).
func mailTLSRPT(a *auditor, s *mailState) {
	ev := []string{}
	for _, t := range s.trTXT {
		ev = append(ev, txtEvidence(tlsrpt.RecordName(a.domain), t))
	}
	d := mailDomain(s)
	if s.disc == nil || s.disc.Record == nil || len(s.disc.Record.AggregateReports) == 0 {
		d.Reports = []string{"mailto:tls-reports@" + a.domain}
	}
	fix := kitLines(s.kit(a, d), tlsrpt.RecordName(a.domain), "TXT", nil)
	c := Check{ID: "mail.tlsrpt", Area: AreaMail, Evidence: ev, RFC: "RFC 8460, Section 3"}
	switch {
	case errors.Is(s.trErr, tlsrpt.ErrNoRecord):
		c.Status, c.Fix = Warn, fix
		c.Message = "no TLS-RPT record: senders cannot report failed TLS to the MX hosts, so a broken certificate goes unnoticed"
	case errors.Is(s.trErr, tlsrpt.ErrMultipleRecords):
		c.Status, c.Fix = Fail, fix
		c.Message = "several TLS-RPT records: senders then send no reports"
	case errors.Is(s.trErr, tlsrpt.ErrSyntax):
		c.Status, c.Fix = Fail, fix
		c.Message = "the TLS-RPT record is malformed, so senders ignore it: " + s.trErr.Error()
	case s.trErr != nil:
		c = couldNotRun("mail.tlsrpt", AreaMail, "TLS-RPT", s.trErr)
		c.Evidence = ev
	default:
		_, l := tlsrpt.CheckDomain(a.domain, s.tr.String())
		c = judge("mail.tlsrpt", AreaMail, l, "TLS failure reports go to "+strings.Join(s.tr.RUA, ", "), ev, "")
		if c.Status == Fail {
			c.Fix = fix
		}
		c.RFC = cmp.Or(c.RFC, "RFC 8460, Section 3")
	}
	a.add(c)
}

// --- DKIM ---------------------------------------------------------------

// mailDKIMChecks adds one mail.dkim.<selector> check per selector given,
// or one mail.dkim check that says selectors are needed.
func mailDKIMChecks(a *auditor, s *mailState) {
	if len(s.dkimRs) == 0 {
		a.add(Check{ID: "mail.dkim", Area: AreaMail, Status: Info, RFC: "RFC 6376, Section 3.6.2.1", Evidence: []string{},
			Message: "DKIM keys cannot be discovered: give the selectors the domain signs with (the s= of its DKIM-Signature headers) to check them"})
		return
	}
	for _, r := range s.dkimRs {
		// One check per selector, each with its own id (mail.dkim.<selector>).
		id := "mail.dkim." + strings.ToLower(r.selector)
		if r.selector == "" {
			id = "mail.dkim"
		}
		name := dkim.RecordName(r.selector, a.domain)
		ev := []string{}
		for _, t := range r.txts {
			ev = append(ev, txtEvidence(name, t))
		}
		placeholder := zoneLine(name, posture.DefaultTTL, "TXT", "v=DKIM1; k=rsa; p=<the base64 public key of selector "+r.selector+">")
		c := Check{ID: id, Area: AreaMail, Evidence: ev, RFC: "RFC 6376, Section 3.6.2"}
		switch {
		case r.selector == "":
			c.Status, c.Message = Fail, "an empty DKIM selector was given"
		case errors.Is(r.err, dkim.ErrNoRecord):
			c.Status, c.Fix = Fail, placeholder
			c.Message = fmt.Sprintf("selector %s: no key at %s, so every signature made with it fails", r.selector, name)
		case errors.Is(r.err, dkim.ErrMultipleRecords):
			c.Status, c.Fix = Fail, "keep exactly one TXT record at "+name
			c.Message = fmt.Sprintf("selector %s: %d TXT records at %s; verifiers may fail the signatures", r.selector, len(r.txts), name)
		case errors.Is(r.err, dkim.ErrSyntax):
			_, l := dkim.Check(strings.Join(r.txts, ""))
			c = judge(id, AreaMail, l, "", ev, "")
			c.Status = Fail
			c.Message = fmt.Sprintf("selector %s: %s", r.selector, c.Message)
		case r.err != nil:
			c = couldNotRun(id, AreaMail, "DKIM selector "+r.selector, r.err)
			c.Evidence = ev
		default:
			txt := r.rec.String()
			if len(r.txts) == 1 {
				txt = r.txts[0]
			}
			_, l := dkim.Check(txt)
			pass := fmt.Sprintf("selector %s: key published", r.selector)
			if r.rec.Key != nil {
				pass = fmt.Sprintf("selector %s: %s key of %d bits", r.selector, r.rec.Key.Type, r.rec.Key.Bits)
			}
			c = judge(id, AreaMail, l, pass, ev, "")
			if c.Status != Pass {
				c.Message = fmt.Sprintf("selector %s: %s", r.selector, c.Message)
			}
			c.RFC = cmp.Or(c.RFC, "RFC 6376, Section 3.6.1")
		}
		a.add(c)
	}
}
