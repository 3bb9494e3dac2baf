//go:build !js

package audit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/posturekit/posturekit/internal/dnsclient"
)

// The DNSSEC checks: the status of the domain's zone and of the zones of
// its MX hosts, as the user's validating resolver sees them.
//
// The resolver's AD bit says an answer was validated (RFC 4035, Section
// 3.2.3). A validating resolver answers a bogus name with SERVFAIL, and
// with the CD bit set it answers all the same (RFC 4035, Section 3.2.2):
// that difference, or an Extended DNS Error from 6 to 12 (RFC 8914,
// Section 4), tells bogus from a zone whose servers fail. An answer
// without AD is insecure only if the resolver validates at all: that is
// shown by the AD bit on the parent's DS answer or, failing that, on the
// root zone's DNSKEY set, which every validating resolver can vouch for.
// When nothing carries AD the check reports that the resolver does not
// validate, never that the zone is unsigned.
const (
	idDNSSEC   = "dns.dnssec"
	idDNSSECMX = "dns.dnssec.mx"

	rfcDNSSEC   = "RFC 4035, Section 4.3"
	rfcDNSSECMX = "RFC 7672, Section 2.2"

	// dsTTL is the TTL written in the DS records of a fix; the registrar
	// usually sets its own.
	dsTTL = 3600
)

func init() { addGroup("dnssec", checkDNSSEC) }

// checkDNSSEC runs the domain's and the MX zones' checks concurrently.
func checkDNSSEC(ctx context.Context, a *auditor) {
	var domain, mx Check
	var wg sync.WaitGroup
	wg.Go(func() { domain = dnssecDomainCheck(ctx, a) })
	wg.Go(func() { mx = dnssecMXCheck(ctx, a) })
	wg.Wait()
	a.add(domain, mx)
}

// dnssecState is the DNSSEC status of a zone (RFC 4035, Section 4.3), or
// why it is not known.
type dnssecState int

const (
	dnssecUnknown      dnssecState = iota // The lookups failed.
	dnssecNoValidation                    // The resolver does not validate.
	dnssecSecure
	dnssecInsecure
	dnssecBogus
)

func (s dnssecState) String() string {
	return [...]string{"could not check", "not validated", "secure", "insecure", "bogus"}[s]
}

// dnssecZone is what was learnt about the zone of one name.
type dnssecZone struct {
	name string // the name asked about, fully qualified
	zone string // its zone's apex, fully qualified; name when unknown
	// nxdomain: the name does not exist (the state is that of the
	// denial, from the zone above it).
	nxdomain bool
	state    dnssecState
	// why says in words how the state was reached.
	why      string
	err      error // the failure, for dnssecUnknown
	evidence []string
	ede      []*dns.EDNS0_EDE // the Extended DNS Errors that mean bogus
	ds       []*dns.DS        // at the parent
	keys     []*dns.DNSKEY    // in the zone (read with CD when bogus)
	sigs     []*dns.RRSIG     // over the name's SOA answer or denial
	// parentInsecure: the parent's answers were not validated either,
	// though the resolver validates.
	parentInsecure bool
}

// dnssecAnswer is one reply or the error in its place.
type dnssecAnswer struct {
	reply *dns.Msg
	err   error
}

// dnssecQuery asks the audit's resolver; cd sets the CD bit.
func dnssecQuery(ctx context.Context, a *auditor, name string, qtype uint16, cd bool) dnssecAnswer {
	r := a.dns
	if cd {
		c := *a.dns
		c.CheckingDisabled = true
		r = &c
	}
	reply, err := r.Query(ctx, name, qtype)
	return dnssecAnswer{reply, err}
}

// dnssecStatus finds the DNSSEC status of name's zone. For the audited
// domain, withKeys asks for its DS and DNSKEY sets at once, to show them
// as evidence.
func dnssecStatus(ctx context.Context, a *auditor, name string, withKeys bool) *dnssecZone {
	z := &dnssecZone{name: dns.CanonicalName(name), evidence: []string{}}
	z.zone = z.name
	var soa, ds, keys dnssecAnswer
	var wg sync.WaitGroup
	wg.Go(func() { soa = dnssecQuery(ctx, a, z.name, dns.TypeSOA, false) })
	if withKeys {
		wg.Go(func() { ds = dnssecQuery(ctx, a, z.name, dns.TypeDS, false) })
		wg.Go(func() { keys = dnssecQuery(ctx, a, z.name, dns.TypeDNSKEY, false) })
	}
	wg.Wait()

	if soa.err != nil {
		var re *dnsclient.ReplyError
		if !errors.As(soa.err, &re) || re.Reply.Rcode != dns.RcodeServerFailure {
			z.state, z.err = dnssecUnknown, soa.err
			return z
		}
		// SERVFAIL: bogus, or servers that fail? Ask again with CD set,
		// and read the keys that way too.
		z.noteReply("SOA", z.name, re.Reply)
		z.ede = bogusEDE(re.Reply)
		var cdSOA, cdKeys dnssecAnswer
		wg.Go(func() { cdSOA = dnssecQuery(ctx, a, z.name, dns.TypeSOA, true) })
		wg.Go(func() { cdKeys = dnssecQuery(ctx, a, z.name, dns.TypeDNSKEY, true) })
		wg.Wait()
		if cdSOA.err != nil && len(z.ede) == 0 {
			z.state, z.err = dnssecUnknown, fmt.Errorf("the resolver answers SERVFAIL with and without the CD bit (the zone's servers fail or cannot be reached): %w", soa.err)
			return z
		}
		z.state = dnssecBogus
		if cdSOA.err == nil {
			z.zone = zoneOfReply(cdSOA.reply, z.name)
			z.noteReply("SOA with CD bit", z.name, cdSOA.reply)
			z.sigs = rrsigs(cdSOA.reply, dns.TypeSOA)
			z.why = "the resolver answers SERVFAIL, and answers when told not to validate (CD bit): validation fails"
		} else {
			z.why = "the resolver reports a DNSSEC failure"
		}
		if z.zone == z.name {
			keys = cdKeys
		} else {
			keys = dnssecQuery(ctx, a, z.zone, dns.TypeDNSKEY, true)
		}
		if z.zone != z.name || !withKeys {
			ds = dnssecQuery(ctx, a, z.zone, dns.TypeDS, false)
		}
		z.readKeys(ds, keys, a.now())
		return z
	}

	z.zone = zoneOfReply(soa.reply, z.name)
	z.nxdomain = soa.reply.Rcode == dns.RcodeNameError
	z.noteReply("SOA", z.name, soa.reply)
	z.sigs = rrsigs(soa.reply, dns.TypeSOA)
	if z.ede = bogusEDE(soa.reply); len(z.ede) > 0 {
		z.state, z.why = dnssecBogus, "the resolver answers but reports a DNSSEC failure"
	} else if soa.reply.AuthenticatedData {
		z.state, z.why = dnssecSecure, "the resolver validated the answer (AD bit)"
	}
	if z.state == dnssecSecure && !withKeys {
		return z // An MX host's zone: nothing more to show.
	}
	if z.zone != z.name || !withKeys {
		wg.Go(func() { ds = dnssecQuery(ctx, a, z.zone, dns.TypeDS, false) })
		wg.Go(func() { keys = dnssecQuery(ctx, a, z.zone, dns.TypeDNSKEY, false) })
		wg.Wait()
	}
	z.readKeys(ds, keys, a.now())
	if z.state != dnssecUnknown {
		return z
	}

	// No AD bit. Insecure, or a resolver that does not validate?
	if ds.err == nil && ds.reply.AuthenticatedData {
		z.state = dnssecInsecure
		switch {
		case len(z.ds) > 0:
			z.why = "the parent publishes DS records, but the resolver does not validate the zone with them (an algorithm it does not support?)"
		case len(z.keys) > 0:
			z.why = "the zone is signed, but its parent publishes no DS record, so no resolver can validate it"
		default:
			z.why = "the zone is not signed: its parent's validated answer shows no DS record"
		}
		return z
	}
	validates, probe, err := resolverValidates(ctx, a)
	z.evidence = append(z.evidence, probe...)
	switch {
	case err != nil:
		z.state, z.err = dnssecUnknown, fmt.Errorf("could not tell whether the resolver validates: %w", err)
	case !validates:
		z.state = dnssecNoValidation
		z.why = probe[len(probe)-1]
	default:
		z.state, z.parentInsecure = dnssecInsecure, true
		z.why = "the parent zone's answer is not validated either: the parent is not signed or not delegated securely, so this zone cannot be validated"
	}
	return z
}

// resolverValidates asks for the root zone's DNSKEY set, which a
// validating resolver answers with the AD bit. The last evidence line
// says what was concluded.
func resolverValidates(ctx context.Context, a *auditor) (bool, []string, error) {
	ans := dnssecQuery(ctx, a, ".", dns.TypeDNSKEY, false)
	if ans.err != nil {
		return false, nil, ans.err
	}
	ev := []string{replyLine("DNSKEY", ".", ans.reply)}
	switch {
	case ans.reply.AuthenticatedData:
		return true, ev, nil
	case len(rrsigs(ans.reply, dns.TypeDNSKEY)) > 0:
		return false, append(ev, "the resolver does not validate: it returns signatures but sets no AD bit, not even on the root zone's DNSKEY set"), nil
	default:
		return false, append(ev, "the resolver does not validate: it sets no AD bit and returns no RRSIG records though the queries set the DO bit (it strips DNSSEC)"), nil
	}
}

// noteReply adds a line for a reply to the evidence, and the reply's
// Extended DNS Errors.
func (z *dnssecZone) noteReply(qtype, name string, m *dns.Msg) {
	z.evidence = append(z.evidence, replyLine(qtype, name, m))
	for _, e := range edes(m) {
		z.evidence = append(z.evidence, edeLine(e))
	}
}

// readKeys keeps the DS records of the zone's delegation and its DNSKEY
// records from the answers, and adds them to the evidence.
func (z *dnssecZone) readKeys(ds, keys dnssecAnswer, now time.Time) {
	if ds.reply != nil {
		z.ds = zoneRecords(z, "DS", ds.reply, func(d *dns.DS) string { return rrLine(d) })
	}
	if keys.reply != nil {
		z.keys = zoneRecords(z, "DNSKEY", keys.reply, keyLine)
	}
	for _, s := range z.sigs {
		z.evidence = append(z.evidence, sigLine(s, now))
	}
}

// zoneRecords returns the records of type T (of the type named qtype) that
// the zone's apex owns in the reply's answer, and adds a line for each to
// the evidence, or one saying there is none.
func zoneRecords[T dns.RR](z *dnssecZone, qtype string, reply *dns.Msg, line func(T) string) []T {
	var out []T
	for _, rr := range reply.Answer {
		if r, ok := rr.(T); ok && strings.EqualFold(rr.Header().Name, z.zone) {
			out = append(out, r)
			z.evidence = append(z.evidence, line(r))
		}
	}
	if len(out) == 0 {
		z.evidence = append(z.evidence, replyLine(qtype, z.zone, reply)+", no "+qtype+" record")
	}
	return out
}

// zoneOfReply returns the apex of the zone that answered a SOA query for
// name: the owner of the SOA record in the answer or, for a name that is
// not an apex, in the authority section (RFC 2308, Section 3).
func zoneOfReply(m *dns.Msg, name string) string {
	for _, sec := range [][]dns.RR{m.Answer, m.Ns} {
		for _, rr := range sec {
			if soa, ok := rr.(*dns.SOA); ok {
				return dns.CanonicalName(soa.Hdr.Name)
			}
		}
	}
	return name
}

// rrsigs returns the signatures in the answer and authority sections;
// those over covered first when covered is found among them.
func rrsigs(m *dns.Msg, covered uint16) []*dns.RRSIG {
	var sigs []*dns.RRSIG
	for _, sec := range [][]dns.RR{m.Answer, m.Ns} {
		for _, rr := range sec {
			if s, ok := rr.(*dns.RRSIG); ok {
				sigs = append(sigs, s)
			}
		}
	}
	slices.SortStableFunc(sigs, func(x, y *dns.RRSIG) int {
		return bool2int(y.TypeCovered == covered) - bool2int(x.TypeCovered == covered)
	})
	return sigs
}

func bool2int(b bool) int {
	if b {
		return 1
	}
	return 0
}

// edes returns the Extended DNS Errors in a reply's OPT record (RFC 8914).
func edes(m *dns.Msg) []*dns.EDNS0_EDE {
	opt := m.IsEdns0()
	if opt == nil {
		return nil
	}
	var es []*dns.EDNS0_EDE
	for _, o := range opt.Option {
		if e, ok := o.(*dns.EDNS0_EDE); ok {
			es = append(es, e)
		}
	}
	return es
}

// bogusEDE returns the Extended DNS Errors that say validation failed:
// INFO-CODEs 6 (DNSSEC Bogus) to 12 (NSEC Missing) (RFC 8914, Sections
// 4.7 to 4.13).
func bogusEDE(m *dns.Msg) []*dns.EDNS0_EDE {
	var bogus []*dns.EDNS0_EDE
	for _, e := range edes(m) {
		if e.InfoCode >= dns.ExtendedErrorCodeDNSBogus && e.InfoCode <= dns.ExtendedErrorCodeNSECMissing {
			bogus = append(bogus, e)
		}
	}
	return bogus
}

// The evidence lines.

func replyLine(qtype, name string, m *dns.Msg) string {
	ad := "AD=0"
	if m.AuthenticatedData {
		ad = "AD=1"
	}
	rcode := cmp.Or(dns.RcodeToString[m.Rcode], fmt.Sprintf("RCODE%d", m.Rcode))
	return fmt.Sprintf("%s %s: %s, %s, %d RRSIG", name, qtype, rcode, ad, len(rrsigs(m, 0)))
}

func edeLine(e *dns.EDNS0_EDE) string {
	s := fmt.Sprintf("EDE %d", e.InfoCode)
	if name, ok := dns.ExtendedErrorCodeToString[e.InfoCode]; ok {
		s += " (" + name + ")"
	}
	if e.ExtraText != "" {
		s += ": " + e.ExtraText
	}
	return s
}

// rrLine is a record as a zone-file line, fields separated by spaces.
func rrLine(rr dns.RR) string { return strings.ReplaceAll(rr.String(), "\t", " ") }

// keyLine describes a DNSKEY record without its public key.
func keyLine(k *dns.DNSKEY) string {
	role := "ZSK"
	if k.Flags&dns.SEP != 0 {
		role = "KSK"
	}
	return fmt.Sprintf("%s %d IN DNSKEY %d %d %d (%s, key tag %d, %s)", k.Hdr.Name, k.Hdr.Ttl, k.Flags, k.Protocol, k.Algorithm,
		algName(k.Algorithm), k.KeyTag(), role)
}

func sigLine(s *dns.RRSIG, now time.Time) string {
	return fmt.Sprintf("RRSIG over %s by %s key tag %d (%s), valid %s to %s", dns.TypeToString[s.TypeCovered], s.SignerName, s.KeyTag,
		algName(s.Algorithm), sigTime(s.Inception, now).Format(time.RFC3339), sigTime(s.Expiration, now).Format(time.RFC3339))
}

func algName(alg uint8) string {
	if n, ok := dns.AlgorithmToString[alg]; ok {
		return n
	}
	return fmt.Sprintf("algorithm %d", alg)
}

// sigTime is the time an RRSIG's inception or expiration field means: the
// 32-bit value is read with serial number arithmetic around now (RFC 4034,
// Section 3.1.5).
func sigTime(t uint32, now time.Time) time.Time {
	n := now.Unix()
	return time.Unix(n+int64(int32(t-uint32(n))), 0).UTC()
}

// The checks.

// dnssecDomainCheck is dns.dnssec: the status of the audited domain's
// zone.
func dnssecDomainCheck(ctx context.Context, a *auditor) Check {
	z := dnssecStatus(ctx, a, a.domain, true)
	c := Check{ID: idDNSSEC, Area: AreaDNS, Evidence: z.evidence, RFC: rfcDNSSEC}
	zone := strings.TrimSuffix(z.zone, ".")
	if z.nxdomain && z.state != dnssecBogus {
		z.state, z.err = dnssecUnknown, fmt.Errorf("%s does not exist (NXDOMAIN)", a.domain)
	}
	switch z.state {
	case dnssecUnknown:
		c = couldNotRun(idDNSSEC, AreaDNS, "DNSSEC of "+a.domain, z.err)
		c.Evidence = append(c.Evidence, z.evidence...)
		return c
	case dnssecNoValidation:
		c.Status = Error
		c.Message = fmt.Sprintf("could not check DNSSEC of %s: %s; audit with a validating resolver", a.domain, z.why)
	case dnssecSecure:
		c.Status = Pass
		c.Message = fmt.Sprintf("DNSSEC: %s is secure: %s", zone, z.why)
	case dnssecInsecure:
		c.Status = Warn
		c.Message = fmt.Sprintf("DNSSEC: %s is insecure: %s", zone, z.why)
		c.Fix = insecureFix(z)
	case dnssecBogus:
		c.Status = Fail
		c.Message = fmt.Sprintf("DNSSEC: %s is bogus: %s%s; validating resolvers refuse its records", zone, z.why, edeSummary(z.ede))
		c.Fix = bogusFix(a, z)
	}
	return c
}

// dnssecMXCheck is dns.dnssec.mx: the status of the zones of the
// domain's MX hosts. DANE for SMTP needs them secure (RFC 7672, Section
// 2.2).
func dnssecMXCheck(ctx context.Context, a *auditor) Check {
	c := Check{ID: idDNSSECMX, Area: AreaDNS, Evidence: []string{}, RFC: rfcDNSSECMX}
	mxs, err := a.dns.LookupMX(ctx, a.domain)
	var re *dnsclient.ReplyError
	if errors.As(err, &re) && re.Reply.Rcode == dns.RcodeServerFailure {
		// The domain's own answers may be bogus (dns.dnssec says): read
		// the MX hosts without validation, their zones are judged apart.
		cd := *a.dns
		cd.CheckingDisabled = true
		if cdMXs, cdErr := cd.LookupMX(ctx, a.domain); cdErr == nil || notFound(cdErr) {
			mxs, err = cdMXs, cdErr
			c.Evidence = append(c.Evidence, "the MX records were read with the CD bit set: validating resolvers answer SERVFAIL for them")
		}
	}
	if err != nil && !notFound(err) {
		return couldNotRun(idDNSSECMX, AreaDNS, "the MX hosts of "+a.domain, err)
	}
	var hosts []string
	for _, mx := range mxs {
		h := dns.CanonicalName(mx.Host)
		if h != "." && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	if len(hosts) == 0 {
		c.Status = Info
		c.Message = fmt.Sprintf("%s has no MX host: no mail zone to check", a.domain)
		return c
	}

	zs := make([]*dnssecZone, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() { zs[i] = dnssecStatus(ctx, a, h, false) })
	}
	wg.Wait()

	byState := map[dnssecState][]string{}
	var fixes []string
	for _, z := range zs {
		state := z.state.String()
		if z.state == dnssecUnknown {
			state = "could not check: " + errText(z.err)
		}
		c.Evidence = append(c.Evidence, fmt.Sprintf("MX %s in zone %s: %s", z.name, z.zone, state))
		c.Evidence = append(c.Evidence, z.evidence...)
		if !slices.Contains(byState[z.state], z.zone) {
			byState[z.state] = append(byState[z.state], z.zone)
			switch z.state {
			case dnssecInsecure:
				if ownZone(a.domain, z.zone) {
					fixes = append(fixes, insecureFix(z))
				} else {
					fixes = append(fixes, fmt.Sprintf("; %s is not signed: if it is your mail provider's zone, ask them to sign it (or choose a provider whose MX zones are signed);\n; if you run it: %s", strings.TrimSuffix(z.zone, "."), strings.TrimPrefix(insecureFix(z), "; ")))
				}
			case dnssecBogus:
				fixes = append(fixes, bogusFix(a, z))
			}
		}
	}
	var parts []string
	for _, s := range []dnssecState{dnssecBogus, dnssecInsecure, dnssecSecure, dnssecUnknown, dnssecNoValidation} {
		if zones := byState[s]; len(zones) > 0 {
			parts = append(parts, s.String()+": "+strings.Join(zones, ", "))
		}
	}
	summary := strings.Join(parts, "; ")
	switch {
	case len(byState[dnssecBogus]) > 0:
		c.Status = Fail
		c.Message = "MX zones with failing DNSSEC (mail to them fails at validating senders): " + summary
	case len(byState[dnssecInsecure]) > 0:
		c.Status = Warn
		c.Message = "MX zones not signed, so senders cannot use DANE for them: " + summary
	case len(byState[dnssecNoValidation]) > 0:
		c.Status = Error
		c.Message = "could not check the DNSSEC of the MX zones: the resolver does not validate; audit with a validating resolver"
	case len(byState[dnssecUnknown]) > 0:
		c.Status = Error
		c.Message = "could not check the DNSSEC of every MX zone: " + summary
	default:
		c.Status = Pass
		c.Message = "every MX host is in a secure zone: " + summary
	}
	c.Fix = strings.Join(fixes, "\n")
	return c
}

// ownZone reports whether zone is the domain's or below or above it, so
// most likely run by the domain's owner rather than a mail provider.
func ownZone(domain, zone string) bool {
	d := dns.Fqdn(domain)
	return dns.IsSubDomain(d, zone) || dns.IsSubDomain(zone, d)
}

// errText is err's text, or the audit's deadline in words.
func errText(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "the audit's time ran out"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsTimeout {
		return "timeout: " + err.Error()
	}
	return err.Error()
}

// edeSummary names the Extended DNS Errors, for a message.
func edeSummary(es []*dns.EDNS0_EDE) string {
	if len(es) == 0 {
		return ""
	}
	var names []string
	for _, e := range es {
		n := dns.ExtendedErrorCodeToString[e.InfoCode]
		names = append(names, fmt.Sprintf("%s (EDE %d)", n, e.InfoCode))
	}
	return " (" + strings.Join(names, ", ") + ")"
}

// dsFor returns the SHA-256 DS records (RFC 4509) of the zone's key
// signing keys, as zone-file lines.
func dsFor(z *dnssecZone) []string {
	var lines []string
	for _, k := range z.keys {
		if k.Flags&dns.SEP == 0 || k.Flags&dns.ZONE == 0 {
			continue
		}
		if ds := k.ToDS(dns.SHA256); ds != nil {
			ds.Hdr.Ttl = dsTTL
			lines = append(lines, rrLine(ds))
		}
	}
	return lines
}

// insecureFix says what makes an insecure zone secure. posturekit's kit
// has no DS record: it can only come from the zone's own key.
func insecureFix(z *dnssecZone) string {
	zone := strings.TrimSuffix(z.zone, ".")
	if z.parentInsecure {
		return fmt.Sprintf("; %s cannot be validated until its parent zone is signed and delegates to it securely;\n; sign %s all the same, so its DS can be published as soon as the parent supports it.", zone, zone)
	}
	if ds := dsFor(z); len(ds) > 0 {
		return fmt.Sprintf("; %s is signed: publish its DS at the registrar (in the parent zone), after checking that the key is yours:\n%s", zone, strings.Join(ds, "\n"))
	}
	if len(z.ds) > 0 {
		return fmt.Sprintf("; re-sign %s with algorithm 13 (ECDSAP256SHA256) and publish the new key's SHA-256 DS at the registrar in place of the old DS.", zone)
	}
	return fmt.Sprintf("; sign the zone %s (your DNS host's DNSSEC setting, or dnssec-keygen and dnssec-signzone, or Knot's automatic signing),\n; then publish the DS record of its key signing key at the registrar; audit again to get the DS from the signed zone.", zone)
}

// bogusFix says how to repair a bogus zone, from the errors reported and
// the keys and DS records seen.
func bogusFix(a *auditor, z *dnssecZone) string {
	zone := strings.TrimSuffix(z.zone, ".")
	codes := map[uint16]bool{}
	for _, e := range z.ede {
		codes[e.InfoCode] = true
	}
	var lines []string
	if len(z.ds) > 0 && len(z.keys) == 0 {
		var tags []string
		for _, d := range z.ds {
			tags = append(tags, fmt.Sprint(d.KeyTag))
		}
		lines = append(lines, fmt.Sprintf("; the parent publishes DS records (key tag %s) but %s has no DNSKEY: remove the DS at the registrar, or sign the zone again with that key.", strings.Join(tags, ", "), zone))
	} else if len(z.ds) > 0 && !dsMatchesKey(z) {
		lines = append(lines, fmt.Sprintf("; no DS at the parent matches a key of %s: replace the DS at the registrar with", zone))
		lines = append(lines, dsFor(z)...)
	}
	now := a.now()
	var expired, early bool
	for _, s := range z.sigs {
		if !s.ValidityPeriod(now) {
			if now.Before(sigTime(s.Inception, now)) {
				early = true
			} else {
				expired = true
			}
		}
	}
	switch {
	case codes[dns.ExtendedErrorCodeSignatureExpired] || expired:
		lines = append(lines, fmt.Sprintf("; the signatures of %s have expired: sign the zone again, and make sure re-signing runs automatically.", zone))
	case codes[dns.ExtendedErrorCodeSignatureNotYetValid] || early:
		lines = append(lines, fmt.Sprintf("; the signatures of %s are not valid yet: check the signer's clock, then sign the zone again.", zone))
	case len(lines) == 0:
		lines = append(lines, fmt.Sprintf("; the signatures of %s do not verify: sign the zone again with its current keys, and check that the DS at the registrar matches its key signing key.", zone))
	}
	return strings.Join(lines, "\n")
}

// dsMatchesKey reports whether one of the parent's DS records is the
// digest of one of the zone's keys (RFC 4034, Section 5.1.4).
func dsMatchesKey(z *dnssecZone) bool {
	for _, d := range z.ds {
		for _, k := range z.keys {
			if k.KeyTag() != d.KeyTag || k.Algorithm != d.Algorithm {
				continue
			}
			if want := k.ToDS(d.DigestType); want != nil && strings.EqualFold(want.Digest, d.Digest) {
				return true
			}
		}
	}
	return false
}
