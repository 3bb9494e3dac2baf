package posture

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/posturekit/posturekit/mtasts"
	"github.com/posturekit/posturekit/posture/dkim"
	"github.com/posturekit/posturekit/posture/dmarc"
	"github.com/posturekit/posturekit/posture/spf"
	"github.com/posturekit/posturekit/posture/tlsrpt"
)

// mail adds the records that protect the domain's mail, or, for a domain
// without mail, those that stop anyone sending in its name.
func (k *Kit) mail(d Domain, now time.Time) error {
	if d.NoMail {
		return k.noMail(d)
	}
	if len(d.MX) == 0 && len(d.SPFInclude) == 0 && len(d.SPFIP) == 0 {
		return descErr("give the MX hosts, the SPF senders, or say the domain has no mail")
	}
	// MX (RFC 5321, Section 5.1), in the order given.
	if len(d.MX) > 0 {
		var vals []string
		for i, h := range d.MX {
			host, err := normalizeName(h)
			if err != nil {
				return descErr("MX host %q is not a host name", h)
			}
			vals = append(vals, fmt.Sprintf("%d %s", 10*(i+1), host))
		}
		k.add(k.Domain, "MX", "the mail servers, in order of preference", vals...)
	}
	if err := k.spf(d); err != nil {
		return err
	}
	if err := k.dmarc(d); err != nil {
		return err
	}
	for _, key := range d.DKIM {
		if err := k.dkimKey(key); err != nil {
			return err
		}
	}
	if len(d.MX) > 0 {
		if err := k.mtasts(d, now); err != nil {
			return err
		}
	}
	return nil
}

// noMail publishes RFC 7505's null MX, an SPF record that permits no one,
// DMARC p=reject and a revoked wildcard DKIM key (the M3AAWG advice for
// parked domains).
func (k *Kit) noMail(d Domain) error {
	k.add(k.Domain, "MX", "null MX (RFC 7505): the domain accepts no mail", "0 .")
	k.addSPF(&spf.Record{Terms: []spf.Term{{Qualifier: spf.Fail, Mechanism: spf.All}}}, "SPF: no server may send mail as the domain")
	rec := dmarc.NoMail()
	if len(d.Reports) > 0 {
		rec = dmarc.New(dmarc.PolicyReject, d.Reports...)
	}
	if err := k.addDMARC(rec, "DMARC: reject all mail in the domain's name, and of its subdomains"); err != nil {
		return err
	}
	revoked := &dkim.Record{Version: dkim.Version}
	k.add("*._domainkey."+k.Domain, "TXT", "DKIM: every selector's key is revoked, so no signature can pass", revoked.String())
	k.check("*._domainkey."+k.Domain, withoutCode(revoked.Validate(), "dkim.key_revoked"))
	return nil
}

// spf builds the SPF record (RFC 7208): the MX hosts when the domain
// receives mail, the given includes and networks, then -all (or ~all).
func (k *Kit) spf(d Domain) error {
	var terms []spf.Term
	if len(d.MX) > 0 {
		terms = append(terms, spf.Term{Mechanism: spf.MX})
	}
	for _, inc := range d.SPFInclude {
		terms = append(terms, spf.Term{Mechanism: spf.Include, Domain: strings.TrimSuffix(strings.TrimSpace(inc), ".")})
	}
	for _, ip := range d.SPFIP {
		p, err := parsePrefix(ip)
		if err != nil {
			return descErr("SPF network %q: %v", ip, err)
		}
		m := spf.IP4
		if p.Addr().Is6() {
			m = spf.IP6
		}
		terms = append(terms, spf.Term{Mechanism: m, Net: p})
	}
	all := spf.Fail
	if d.SPFSoftFail {
		all = spf.SoftFail
	}
	terms = append(terms, spf.Term{Qualifier: all, Mechanism: spf.All})
	k.addSPF(&spf.Record{Terms: terms}, "SPF: the servers that may send mail as the domain")
	return nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func (k *Kit) addSPF(r *spf.Record, purpose string) {
	txt := r.String()
	k.add(k.Domain, "TXT", purpose, txt)
	_, l := spf.Check(txt)
	k.check(k.Domain+" SPF", l)
}

// dmarc builds the DMARC record: p as asked (none by default, to watch
// the reports first; see dmarc.Recommended), reports to d.Reports.
func (k *Kit) dmarc(d Domain) error {
	p := dmarc.Policy(d.DMARCPolicy)
	if p == "" {
		p = dmarc.PolicyNone
	}
	if !p.Valid() {
		return descErr("DMARC policy %q: want none, quarantine or reject", d.DMARCPolicy)
	}
	return k.addDMARC(dmarc.New(p, d.Reports...), "DMARC: what receivers do with mail that fails SPF and DKIM alignment, and where reports go")
}

func (k *Kit) addDMARC(r *dmarc.Record, purpose string) error {
	txt := r.String()
	name := dmarc.RecordName(k.Domain)
	k.add(name, "TXT", purpose, txt)
	_, l := dmarc.Check(txt)
	k.check(name, l)
	// Reports to another organizational domain need its consent
	// (RFC 7489, Section 7.1): <domain>._report._dmarc.<host> "v=DMARC1".
	seen := map[string]bool{}
	for _, u := range append(append([]dmarc.ReportURI{}, r.AggregateReports...), r.FailureReports...) {
		host := strings.ToLower(u.Host())
		if host == "" || seen[host] || sameOrg(host, k.Domain) {
			continue
		}
		seen[host] = true
		k.External = append(k.External, RR{Name: k.Domain + "._report._dmarc." + host, Type: "TXT", TTL: k.TTL, Values: []string{"v=DMARC1"},
			Purpose: fmt.Sprintf("in the zone of %s: lets %s send DMARC reports there", host, k.Domain)})
	}
	return nil
}

// sameOrg reports whether host is the domain or one of its subdomains;
// the kit asks for an authorization record otherwise, which is harmless
// when the two share an organizational domain another way.
func sameOrg(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

func (k *Kit) dkimKey(key DKIMKey) error {
	sel := strings.TrimSpace(key.Selector)
	rec, l := dkim.Check(key.Record)
	if rec == nil || l.HasErrors() {
		return descErr("DKIM key of selector %q: %v", sel, firstError(l))
	}
	name := dkim.RecordName(sel, k.Domain)
	k.add(name, "TXT", "DKIM: the public key of selector "+sel, rec.String())
	k.check(name, l)
	return nil
}

// mtasts adds the MTA-STS record and policy (RFC 8461) and the TLS-RPT
// record (RFC 8460) that tells senders where to report TLS failures.
func (k *Kit) mtasts(d Domain, now time.Time) error {
	mode := d.MTASTSMode
	if mode == "" {
		mode = mtasts.ModeEnforce
	}
	maxAge := d.MTASTSMaxAge
	if maxAge == 0 {
		maxAge = mtasts.RecommendedMaxAge
	}
	id := d.MTASTSID
	if id == "" {
		id = mtasts.NewID(now)
	}
	mx := make([]string, 0, len(d.MX))
	for _, h := range d.MX {
		host, _ := normalizeName(h) // checked in mail
		mx = append(mx, host)
	}
	pol := &mtasts.Policy{Version: mtasts.Version, Mode: mode, MX: mx, MaxAge: maxAge}
	rec := &mtasts.Record{Version: mtasts.Version, ID: id}
	policyText := pol.String()
	_, pl := mtasts.CheckPolicy(policyText)
	k.check(mtasts.PolicyURL(k.Domain), pl)
	k.check(mtasts.RecordName(k.Domain), rec.Validate())
	if pl.HasErrors() || rec.Validate().HasErrors() {
		return descErr("MTA-STS: %v", firstError(append(pl, rec.Validate()...)))
	}
	k.add(mtasts.RecordName(k.Domain), "TXT", "MTA-STS: announces the policy; change the id whenever the policy changes", rec.String())
	k.Files = append(k.Files, File{URL: mtasts.PolicyURL(k.Domain), ContentType: "text/plain; charset=utf-8", Content: policyText,
		Purpose: "MTA-STS policy: senders must use TLS with a valid certificate for these MX hosts"})
	host := "mta-sts." + k.Domain
	if d.MTASTSHost != "" {
		target, err := normalizeName(d.MTASTSHost)
		if err != nil {
			return descErr("MTA-STS host %q is not a host name", d.MTASTSHost)
		}
		k.add(host, "CNAME", "MTA-STS: the HTTPS server of the policy", target)
	} else {
		k.Notes = append(k.Notes, fmt.Sprintf("Serve the MTA-STS policy at %s over HTTPS with a certificate valid for %s (A/AAAA or a CNAME for %s are not in the kit).", mtasts.PolicyURL(k.Domain), host, host))
	}
	if len(d.Reports) == 0 {
		k.Notes = append(k.Notes, "Give a report address to publish TLS-RPT (RFC 8460): without it, senders cannot tell you when TLS to your MX hosts fails.")
		return nil
	}
	tr := tlsrpt.New(d.Reports...)
	txt := tr.String()
	_, tl := tlsrpt.CheckDomain(k.Domain, txt)
	k.check(tlsrpt.RecordName(k.Domain), tl)
	if tl.HasErrors() {
		return descErr("TLS-RPT: %v", firstError(tl))
	}
	k.add(tlsrpt.RecordName(k.Domain), "TXT", "TLS-RPT: where senders report TLS failures", txt)
	return nil
}
