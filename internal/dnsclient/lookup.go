package dnsclient

import (
	"cmp"
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// maxCNAMEHops bounds the queries made to follow a CNAME chain that the
// servers did not follow themselves.
const maxCNAMEHops = 8

// LookupTXT returns the TXT records of name, one string per record, the
// record's character-strings joined without spaces (RFC 7208, Section 3.3;
// RFC 8461, Section 3.1) and its bytes kept as they are. CNAMEs are
// followed. A name without TXT records gives an error for which
// [IsNotFound] is true.
func (r *Resolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	rrs, err := r.lookup(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	txts := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		if txt, ok := rr.(*dns.TXT); ok {
			var b strings.Builder
			for _, s := range txt.Txt {
				b.WriteString(unescapeTXT(s))
			}
			txts = append(txts, b.String())
		}
	}
	return txts, nil
}

// LookupMX returns the MX records of name sorted by preference, with host
// names fully qualified as in the answer (with the trailing dot). A null MX
// (RFC 7505) is returned as it is, with Host ".". CNAMEs are followed. A
// name without MX records gives an error for which [IsNotFound] is true.
func (r *Resolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	rrs, err := r.lookup(ctx, name, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	mxs := make([]*net.MX, 0, len(rrs))
	for _, rr := range rrs {
		if mx, ok := rr.(*dns.MX); ok {
			mxs = append(mxs, &net.MX{Host: mx.Mx, Pref: mx.Preference})
		}
	}
	slices.SortStableFunc(mxs, func(a, b *net.MX) int { return cmp.Compare(a.Pref, b.Pref) })
	return mxs, nil
}

// LookupNetIP returns the addresses of host: for network "ip4" its A
// records, for "ip6" its AAAA records, for "ip" both (A first), which
// succeeds if either query gives addresses. CNAMEs are followed. An IP
// address literal is returned as it is. A host without addresses of the
// network gives an error for which [IsNotFound] is true; for "ip" only when
// both queries say so.
func (r *Resolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	var want4, want6 bool
	switch network {
	case "ip":
		want4, want6 = true, true
	case "ip4":
		want4 = true
	case "ip6":
		want6 = true
	default:
		return nil, net.UnknownNetworkError(network)
	}

	if addr, err := netip.ParseAddr(host); err == nil {
		if addr.Is4() && want4 || !addr.Is4() && want6 {
			return []netip.Addr{addr}, nil
		}
		return nil, &net.AddrError{Err: "no suitable address", Addr: host}
	}

	if !want4 || !want6 {
		qtype := dns.TypeA
		if want6 {
			qtype = dns.TypeAAAA
		}
		rrs, err := r.lookup(ctx, host, qtype)
		if err != nil {
			return nil, err
		}
		return addrs(rrs), nil
	}

	// Both families, queried at the same time.
	type result struct {
		rrs []dns.RR
		err error
	}
	c6 := make(chan result, 1)
	go func() {
		rrs, err := r.lookup(ctx, host, dns.TypeAAAA)
		c6 <- result{rrs, err}
	}()
	rrs4, err4 := r.lookup(ctx, host, dns.TypeA)
	res6 := <-c6
	ips := append(addrs(rrs4), addrs(res6.rrs)...)
	if len(ips) > 0 {
		return ips, nil
	}
	switch {
	case IsNotFound(err4) && IsNotFound(res6.err):
		var server string
		var e4 *net.DNSError
		if errors.As(err4, &e4) {
			server = e4.Server
		}
		nxdomain := isNXDOMAIN(err4) || isNXDOMAIN(res6.err)
		return nil, notFoundError(host, server, "A/AAAA", nxdomain)
	case err4 != nil && !IsNotFound(err4):
		return nil, err4
	default:
		return nil, res6.err
	}
}

// addrs returns the addresses of the A and AAAA records in rrs.
func addrs(rrs []dns.RR) []netip.Addr {
	var ips []netip.Addr
	for _, rr := range rrs {
		var ip net.IP
		switch rr := rr.(type) {
		case *dns.A:
			ip = rr.A.To4()
		case *dns.AAAA:
			ip = rr.AAAA.To16()
		}
		if addr, ok := netip.AddrFromSlice(ip); ok {
			ips = append(ips, addr)
		}
	}
	return ips
}

// lookup returns the records of type qtype at name, following CNAMEs: first
// the chain in each reply's answer section, then, when a reply ends at a
// CNAME whose target has no records in it, by querying the target. It
// returns a not-found error when the final name has no such records.
func (r *Resolver) lookup(ctx context.Context, name string, qtype uint16) ([]dns.RR, error) {
	typ := typeString(qtype)
	if name == "" {
		return nil, notFoundError(name, "", typ, true) // As the net package does.
	}
	qname := dns.Fqdn(name)
	seen := map[string]bool{}
	for range maxCNAMEHops + 1 {
		seen[strings.ToLower(qname)] = true
		reply, server, err := r.query(ctx, name, qname, qtype)
		if err != nil {
			return nil, err
		}
		rrs, last, loop := answerChain(reply.Answer, qname, qtype)
		switch {
		case len(rrs) > 0:
			return rrs, nil
		case loop:
			// A recursive server would answer SERVFAIL.
			return nil, temporaryError(name, server, typ, "CNAME loop at "+last, nil, false)
		case reply.Rcode == dns.RcodeNameError:
			// The rcode is about the last name of the chain (RFC 6604,
			// Section 2.1).
			return nil, notFoundError(name, server, typ, true)
		case strings.EqualFold(last, qname):
			return nil, notFoundError(name, server, typ, false) // NODATA
		case seen[strings.ToLower(last)]:
			return nil, temporaryError(name, server, typ, "CNAME loop at "+last, nil, false)
		}
		qname = last
	}
	return nil, temporaryError(name, "", typ, "too many CNAMEs", nil, false)
}

// answerChain follows the CNAME chain from qname through answer and
// returns the records of type qtype at its end, the last name of the chain,
// and whether the chain loops. Records for other names are ignored; names
// compare case-insensitively.
func answerChain(answer []dns.RR, qname string, qtype uint16) (rrs []dns.RR, last string, loop bool) {
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
			switch {
			case h.Rrtype == qtype:
				rrs = append(rrs, rr)
			case h.Rrtype == dns.TypeCNAME && target == "":
				if cname, ok := rr.(*dns.CNAME); ok {
					target = cname.Target
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

// unescapeTXT turns a character-string as miekg/dns presents it (with \"
// and \\ and \DDD escapes) back into its bytes.
func unescapeTXT(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b = append(b, c)
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			if n := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0'); n <= 255 {
				b = append(b, byte(n))
				i += 3
				continue
			}
		}
		b = append(b, s[i+1])
		i++
	}
	return string(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
