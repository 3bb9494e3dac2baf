//go:build !js

package caa

import (
	"strings"

	"github.com/miekg/dns"
)

// FromRR converts a *dns.CAA as github.com/miekg/dns holds it after parsing
// zone text (dns.NewRR): the value still in presentation form, with its
// \X and \DDD escapes, which miekg/dns undoes when it packs the record.
//
// A *dns.CAA unpacked from a DNS message holds the raw bytes of the value
// instead, and miekg/dns does not escape them; the two agree unless the
// value has a backslash. [LookupRelevant] reads answers raw.
func FromRR(rr *dns.CAA) Record {
	return Record{Flags: rr.Flag, Tag: rr.Tag, Value: unescapeMiekg(rr.Value)}
}

// RR returns the record as a *dns.CAA owned by name (made fully qualified)
// with the given TTL, its value escaped the way miekg/dns expects, so that
// packing the RR puts exactly r.Value on the wire and its String method
// prints the presentation form.
//
// miekg/dns v1 packs at most 1025 bytes of (escaped) CAA value and its zone
// parser refuses values over 255 bytes; RFC 8659 limits neither, and
// [Check] reports such values as caa.value_long.
func (r Record) RR(name string, ttl uint32) *dns.CAA {
	return &dns.CAA{
		Hdr:   dns.RR_Header{Name: dns.Fqdn(name), Rrtype: dns.TypeCAA, Class: dns.ClassINET, Ttl: ttl},
		Flag:  r.Flags,
		Tag:   r.Tag,
		Value: strings.ReplaceAll(r.Value, `\`, `\\`),
	}
}

// unescapeMiekg undoes the escapes of a miekg/dns CAA value as its packer
// does: \DDD (three digits) is a byte, \X is X, and a final lone backslash
// is dropped.
func unescapeMiekg(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		if i == len(s) {
			break
		}
		if i+2 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) {
			// As miekg/dns packs it: a value over 255 wraps around.
			b = append(b, byte(int(s[i]-'0')*100+int(s[i+1]-'0')*10+int(s[i+2]-'0')))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}
