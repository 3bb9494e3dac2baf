package spf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/msgtext"
	"github.com/posturekit/posturekit/internal/txtrec"
)

// Version is the version section every SPF record begins with (RFC 7208,
// Section 4.5). Receivers match it without regard to case.
const Version = "v=spf1"

// Qualifier is the result a mechanism gives when it matches (RFC 7208,
// Section 4.6.2).
type Qualifier string

// The qualifiers.
const (
	Pass     Qualifier = "+" // the default when none is written
	Fail     Qualifier = "-"
	SoftFail Qualifier = "~"
	Neutral  Qualifier = "?"
)

// Valid reports whether q is one of the four qualifiers or "" (Pass).
func (q Qualifier) Valid() bool {
	switch q {
	case "", Pass, Fail, SoftFail, Neutral:
		return true
	}
	return false
}

// Mechanism is the name of a mechanism (RFC 7208, Section 5), in lower case.
type Mechanism string

// The mechanisms.
const (
	All     Mechanism = "all"     // matches always (Section 5.1)
	Include Mechanism = "include" // matches when another domain's record passes (Section 5.2)
	A       Mechanism = "a"       // the addresses of a host name (Section 5.3)
	MX      Mechanism = "mx"      // the addresses of a domain's MX hosts (Section 5.4)
	PTR     Mechanism = "ptr"     // reverse DNS; do not use (Section 5.5)
	IP4     Mechanism = "ip4"     // an IPv4 network (Section 5.6)
	IP6     Mechanism = "ip6"     // an IPv6 network (Section 5.6)
	Exists  Mechanism = "exists"  // matches when a name has an A record (Section 5.7)
)

// Valid reports whether m is one of the eight mechanisms.
func (m Mechanism) Valid() bool {
	switch m {
	case All, Include, A, MX, PTR, IP4, IP6, Exists:
		return true
	}
	return false
}

// The modifiers RFC 7208 defines (Section 6). Other modifier names are
// legal and ignored by receivers.
const (
	Redirect    = "redirect" // use another domain's record when no mechanism matches (Section 6.1)
	Explanation = "exp"      // where the text for a failing sender is (Section 6.2)
)

// Record is an SPF record: the version, v=spf1, and its terms in order.
type Record struct {
	Terms []Term `json:"terms"`
}

// Term is one mechanism or modifier of a record. A mechanism has Mechanism
// set, a modifier has Modifier set; the other fields hold the arguments
// that apply.
type Term struct {
	// Qualifier of a mechanism. The parser sets Pass when none is written;
	// "" means Pass too. Modifiers have none.
	Qualifier Qualifier `json:"qualifier,omitempty"`
	// Mechanism is the name of a mechanism, in lower case.
	Mechanism Mechanism `json:"mechanism,omitempty"`
	// Modifier is the name of a modifier: Redirect, Explanation, or an
	// unknown name as written.
	Modifier string `json:"modifier,omitempty"`
	// Domain is the domain-spec of include, a, mx, ptr, exists, redirect and
	// exp, as written (it may hold macros, RFC 7208, Section 7). For a, mx
	// and ptr, "" means the domain whose record this is.
	Domain string `json:"domain,omitempty"`
	// CIDR4 and CIDR6 are the prefix lengths of a and mx (the dual-cidr of
	// RFC 7208, Section 5.6); nil means not given, that is /32 and /128.
	CIDR4 *int `json:"cidr4,omitempty"`
	CIDR6 *int `json:"cidr6,omitempty"`
	// Net is the network of ip4 and ip6. An address without a prefix
	// length is a /32 or /128 network.
	Net netip.Prefix `json:"net,omitzero"`
	// Value is the value of an unknown modifier (a macro-string).
	Value string `json:"value,omitempty"`
	// Raw is the term as written in the record the parser read; it is
	// empty in terms built in code and not used by String.
	Raw string `json:"raw,omitempty"`
}

// NeedsLookup reports whether receivers count the term towards the limit
// of 10 terms that cause DNS lookups (RFC 7208, Section 4.6.4): include, a,
// mx, ptr, exists and redirect.
func (t Term) NeedsLookup() bool {
	switch t.Mechanism {
	case Include, A, MX, PTR, Exists:
		return true
	}
	return strings.EqualFold(t.Modifier, Redirect)
}

// String returns the canonical text of the term: mechanism names in lower
// case, and defaults left out (the "+" qualifier, /32 and /128).
func (t Term) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t Term) write(b *strings.Builder) {
	if t.Modifier != "" {
		b.WriteString(t.Modifier)
		b.WriteByte('=')
		if isKnownModifier(t.Modifier) {
			b.WriteString(t.Domain)
		} else {
			b.WriteString(t.Value)
		}
		return
	}
	if t.Qualifier != "" && t.Qualifier != Pass {
		b.WriteString(string(t.Qualifier))
	}
	b.WriteString(string(t.Mechanism))
	switch t.Mechanism {
	case IP4, IP6:
		b.WriteByte(':')
		if t.Net.IsValid() {
			b.WriteString(t.Net.Addr().String())
			if t.Net.Bits() != t.Net.Addr().BitLen() {
				b.WriteByte('/')
				b.WriteString(strconv.Itoa(t.Net.Bits()))
			}
		}
		return
	}
	if t.Domain != "" {
		b.WriteByte(':')
		b.WriteString(t.Domain)
	}
	if t.CIDR4 != nil && *t.CIDR4 != 32 {
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(*t.CIDR4))
	}
	if t.CIDR6 != nil && *t.CIDR6 != 128 {
		b.WriteString("//")
		b.WriteString(strconv.Itoa(*t.CIDR6))
	}
}

func isKnownModifier(name string) bool {
	return strings.EqualFold(name, Redirect) || strings.EqualFold(name, Explanation)
}

// String returns the TXT value: "v=spf1" and the canonical text of each
// term, separated by single spaces.
func (r *Record) String() string {
	var b strings.Builder
	b.WriteString(Version)
	for _, t := range r.Terms {
		b.WriteByte(' ')
		t.write(&b)
	}
	return b.String()
}

// Lookups returns the number of terms of this record alone that receivers
// count towards the limit of 10 (RFC 7208, Section 4.6.4). Terms after all
// are never evaluated and not counted, nor is a redirect when the record
// has all (Section 6.1). Included records add their own terms: [Evaluate]
// counts the whole tree.
func (r *Record) Lookups() int {
	n := 0
	hasAll := false
	for _, t := range r.Terms {
		if t.Mechanism == All {
			hasAll = true
		}
	}
	seenAll := false
	for _, t := range r.Terms {
		switch {
		case t.Mechanism == All:
			seenAll = true
		case t.Mechanism != "" && !seenAll && t.NeedsLookup():
			n++
		case t.Modifier != "" && !hasAll && t.NeedsLookup():
			n++
		}
	}
	return n
}

// IsSPF reports whether a TXT value is an SPF record: it begins with
// "v=spf1", in any case, followed by a space or nothing (RFC 7208, Section
// 4.5). "v=spf10" and " v=spf1" are not; neither is "v=spf1mx", which is
// what the two strings "v=spf1" "mx" of one TXT record read as, since they
// are joined without a space (Section 3.3).
func IsSPF(txt string) bool {
	if len(txt) < len(Version) {
		return false
	}
	for i := 0; i < len(Version); i++ {
		c := txt[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != Version[i] {
			return false
		}
	}
	return len(txt) == len(Version) || txt[len(Version)] == ' '
}

// Select applies the record selection of RFC 7208, Section 4.5 to the TXT
// values of a name (each with its strings joined): values that are not
// SPF records are discarded; if none is left it returns [ErrNoRecord]
// (result "none"), if more than one, [ErrMultipleRecords] (result
// "permerror"); if the one left is malformed, its [*SyntaxError]
// ("permerror").
func Select(txts []string) (*Record, error) {
	found, n := txtrec.Only(txts, IsSPF)
	switch {
	case n == 0:
		return nil, ErrNoRecord
	case n > 1:
		return nil, fmt.Errorf("%w: %d records begin with v=spf1", ErrMultipleRecords, n)
	}
	rec, _, err := Parse(found)
	return rec, err
}

// Validate reports the problems of a record built in code: terms that are
// not well formed (both or neither of Mechanism and Modifier, arguments
// that do not belong to the mechanism), then everything [Check] finds in
// the record's String form.
func (r *Record) Validate() finding.List {
	var l finding.List
	for i, t := range r.Terms {
		if msg := t.shape(); msg != "" {
			l = append(l, finding.Finding{Code: "spf.term_invalid", Severity: finding.Error, RFC: rfcTerms,
				Where:   fmt.Sprintf("term %d (%s)", i+1, msgtext.Clip(t.String())),
				Message: msg})
		}
	}
	_, cl := Check(r.String())
	l = append(l, cl...)
	l.Sort()
	return l
}

// shape returns what is wrong with the fields of a term built in code
// that String cannot show, or "".
func (t Term) shape() string {
	switch {
	case t.Mechanism == "" && t.Modifier == "":
		return "the term has neither a mechanism nor a modifier"
	case t.Mechanism != "" && t.Modifier != "":
		return "the term has both a mechanism and a modifier"
	case !t.Qualifier.Valid():
		return fmt.Sprintf("qualifier %q is not +, -, ~ or ?", t.Qualifier)
	case t.Modifier != "" && t.Qualifier != "":
		return "a modifier takes no qualifier"
	case t.Modifier != "" && (t.CIDR4 != nil || t.CIDR6 != nil || t.Net.IsValid()):
		return "a modifier takes no prefix length or network"
	case t.Modifier != "" && isKnownModifier(t.Modifier) && t.Value != "":
		return t.Modifier + " takes its domain in Domain, not Value"
	case t.Modifier != "" && !isKnownModifier(t.Modifier) && t.Domain != "":
		return "an unknown modifier takes its value in Value, not Domain"
	case t.Modifier != "":
		return ""
	case t.Value != "":
		return "a mechanism takes no Value"
	case (t.Mechanism == IP4 || t.Mechanism == IP6) && (t.Domain != "" || t.CIDR4 != nil || t.CIDR6 != nil):
		return string(t.Mechanism) + " takes a network in Net, not a domain or CIDR4/CIDR6"
	case t.Mechanism == IP4 && (!t.Net.IsValid() || !t.Net.Addr().Is4()):
		return "ip4 needs an IPv4 network in Net"
	case t.Mechanism == IP6 && (!t.Net.IsValid() || !t.Net.Addr().Is6()):
		return "ip6 needs an IPv6 network in Net"
	case t.Mechanism != IP4 && t.Mechanism != IP6 && t.Net.IsValid():
		return string(t.Mechanism) + " takes no network"
	case t.Mechanism != A && t.Mechanism != MX && (t.CIDR4 != nil || t.CIDR6 != nil):
		return string(t.Mechanism) + " takes no prefix length (only a and mx do)"
	case (t.Mechanism == Include || t.Mechanism == Exists) && t.Domain == "":
		return string(t.Mechanism) + " needs a domain"
	case t.Mechanism == All && t.Domain != "":
		return "all takes no domain"
	}
	return ""
}
