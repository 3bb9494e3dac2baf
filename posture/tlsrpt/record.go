package tlsrpt

import (
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/internal/txtrec"
)

// Version is the only version of the record (RFC 8460, Section 3).
const Version = "TLSRPTv1"

// Record is the TXT record at _smtp._tls.<domain> (RFC 8460, Section 3).
type Record struct {
	// Version is always "TLSRPTv1".
	Version string `json:"version"`
	// RUA are the URIs reports are sent to, mailto: or https:, as written
	// (percent-encoded). Senders may deliver to each of them.
	RUA []string `json:"rua"`
	// Extensions are the fields RFC 8460 does not define, in order. Senders
	// ignore them.
	Extensions []Extension `json:"extensions,omitempty"`
}

// Extension is a field of the record that RFC 8460 does not define.
type Extension struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// RecordName returns the name the TXT record is published at (RFC 8460,
// Section 3).
func RecordName(domain string) string {
	return "_smtp._tls." + strings.TrimSuffix(domain, ".")
}

// New returns a record that asks for reports at the given URIs, each
// mailto:<address> or https://<endpoint>. Check it with [Record.Validate].
func New(rua ...string) *Record {
	return &Record{Version: Version, RUA: append([]string(nil), rua...)}
}

// String returns the TXT value: "v=TLSRPTv1; rua=<uri>,<uri>", followed by
// any extensions as "; key=value". The rua field is left out when there is
// no URI (which [Record.Validate] reports).
func (r *Record) String() string {
	var b strings.Builder
	v := r.Version
	if v == "" {
		v = Version
	}
	b.WriteString("v=")
	b.WriteString(v)
	if len(r.RUA) > 0 {
		b.WriteString("; rua=")
		for i, u := range r.RUA {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(u)
		}
	}
	for _, e := range r.Extensions {
		b.WriteString("; ")
		b.WriteString(e.Key)
		b.WriteByte('=')
		b.WriteString(e.Value)
	}
	return b.String()
}

// IsRecord reports whether a TXT value claims to be a TLS-RPT record: it
// begins with "v=TLSRPTv1" followed by the field delimiter or nothing. RFC
// 8460, Section 3 tells senders to discard the others. Its prose says
// "begin with v=TLSRPTv1;", but the grammar allows spaces before the ";"
// (field-delim = *WSP ";" *WSP), so "v=TLSRPTv1 ;" counts.
func IsRecord(txt string) bool {
	rest, ok := strings.CutPrefix(txt, "v="+Version)
	return ok && (rest == "" || rest[0] == ';' || isWSP(rest[0]))
}

// Parse parses the value of a _smtp._tls TXT record (RFC 8460, Section 3).
// isTLSRPT is false when the value is not a TLS-RPT record at all (skip
// it); when it is one but malformed, err is a [*SyntaxError] wrapping
// [ErrSyntax]. A repeated field: the first one counts. Unknown fields are
// kept in Extensions, as RFC 8460 requires them to be accepted.
//
// Parse checks the URIs' syntax (RFC 3986, with ',', '!' and ';'
// percent-encoded); whether they are usable (a mailto: or https: scheme,
// a valid address or host) is for [Check].
func Parse(txt string) (rec *Record, isTLSRPT bool, err error) {
	p := parser{}
	rec, isTLSRPT = p.parse(txt)
	if p.err != nil {
		return nil, isTLSRPT, p.err
	}
	return rec, isTLSRPT, nil
}

// Check parses a TXT value and reports every problem as findings: syntax
// errors, URIs senders cannot use, and what is legal but unwise. The record
// is nil when the value does not parse.
func Check(txt string) (*Record, finding.List) {
	return check("", txt)
}

// CheckDomain is [Check] for the record published at
// _smtp._tls.<domain>: it also reports report destinations outside the
// domain's organization.
func CheckDomain(domain, txt string) (*Record, finding.List) {
	return check(strings.ToLower(strings.TrimSuffix(strings.TrimSpace(domain), ".")), txt)
}

func check(domain, txt string) (*Record, finding.List) {
	p := parser{collect: true}
	rec, isRec := p.parse(txt)
	if isRec && rec != nil {
		p.findings = append(p.findings, lint(rec, domain)...)
	}
	p.findings.Sort()
	if p.failed {
		rec = nil
	}
	return rec, p.findings
}

// Validate reports the problems of a record built in code, as [Check]
// finds them in its String form.
func (r *Record) Validate() finding.List {
	_, l := Check(r.String())
	return l
}

// Select applies the discovery rule of RFC 8460, Section 3 to the TXT
// records found at _smtp._tls.<domain>: values that are not TLS-RPT records
// are discarded; if none is left it returns [ErrNoRecord], if more than
// one, [ErrMultipleRecords]; if the one left is malformed, its syntax error.
// In each error case a sender sends the domain no reports.
func Select(txts []string) (*Record, error) {
	found, n := txtrec.Only(txts, IsRecord)
	switch {
	case n == 0:
		return nil, ErrNoRecord
	case n > 1:
		return nil, fmt.Errorf("%w: %d records begin with v=%s", ErrMultipleRecords, n, Version)
	}
	rec, _, err := Parse(found)
	return rec, err
}
