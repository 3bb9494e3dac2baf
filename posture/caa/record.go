package caa

import (
	"strconv"
	"strings"
)

// Record is one CAA resource record: a flags octet and a property, a
// tag-value pair (RFC 8659, Section 4.1). A domain publishes one record per
// property; the records at one name form its CAA RRset.
type Record struct {
	// Flags holds the issuer critical flag ([FlagCritical], 128); the other
	// bits are reserved and must be 0.
	Flags uint8 `json:"flags"`
	// Tag names the property: issue, issuewild, iodef, ... ASCII letters
	// and digits, matched case-insensitively.
	Tag string `json:"tag"`
	// Value is the property value, its bytes as they are on the wire (the
	// presentation escapes undone).
	Value string `json:"value"`
}

// FlagCritical is the issuer critical flag (RFC 8659, Section 4.1): a CA
// that does not understand the property must not issue. It is bit 0, the
// most significant bit of the octet, so its value is 128, not 1.
const FlagCritical uint8 = 128

// The property tags posturekit knows, in lower case as registered with IANA.
const (
	// TagIssue authorizes a CA to issue certificates for the name and its
	// subdomains (RFC 8659, Section 4.2).
	TagIssue = "issue"
	// TagIssueWild authorizes a CA to issue wildcard certificates; when
	// present, it alone counts for them (RFC 8659, Section 4.3).
	TagIssueWild = "issuewild"
	// TagIODEF is where CAs report refused requests: a mailto: or https:
	// URL (RFC 8659, Section 4.4).
	TagIODEF = "iodef"
	// TagIssueMail authorizes a CA to issue S/MIME certificates for email
	// addresses at the domain (RFC 9495).
	TagIssueMail = "issuemail"
	// TagIssueVMC authorizes a CA to issue Verified Mark Certificates (the
	// logos of BIMI).
	TagIssueVMC = "issuevmc"
	// TagContactEmail is an address CAs may email to validate control of
	// the domain (CA/Browser Forum Baseline Requirements, Appendix A.1.1).
	TagContactEmail = "contactemail"
	// TagContactPhone is a phone number CAs may call to validate control
	// of the domain (Baseline Requirements, Appendix A.1.2).
	TagContactPhone = "contactphone"
)

// Critical reports whether the issuer critical flag is set.
func (r Record) Critical() bool { return r.Flags&FlagCritical != 0 }

// Property returns the tag in lower case: tags are matched
// case-insensitively (RFC 8659, Section 4.1).
func (r Record) Property() string { return strings.ToLower(r.Tag) }

// IssueValue parses the value of an issue, issuewild, issuemail or issuevmc
// record (see [ParseIssue]). For other tags it returns an error wrapping
// [ErrIssueSyntax].
func (r Record) IssueValue() (*Issue, error) {
	if !isIssuerTag(r.Property()) {
		return nil, &SyntaxError{Offset: -1, Msg: "tag " + strconv.Quote(r.Tag) + " does not hold an issuer value", Err: ErrIssueSyntax}
	}
	return ParseIssue(r.Value)
}

// isIssuerTag reports whether a lower-case tag has the issue-value grammar.
func isIssuerTag(tag string) bool {
	switch tag {
	case TagIssue, TagIssueWild, TagIssueMail, TagIssueVMC:
		return true
	}
	return false
}

// String returns the record data in the canonical presentation form of
// RFC 8659, Section 4.1.1: the flags in decimal, the tag, and the value as
// a quoted string, with '"' and '\' escaped and bytes outside printable
// ASCII written as \DDD (RFC 1035, Section 5.1). [Parse] reads it back.
func (r Record) String() string {
	var b strings.Builder
	b.Grow(len(r.Tag) + len(r.Value) + 8)
	b.WriteString(strconv.Itoa(int(r.Flags)))
	b.WriteByte(' ')
	b.WriteString(r.Tag)
	b.WriteByte(' ')
	writeQuoted(&b, r.Value)
	return b.String()
}

// Quote returns v as a quoted presentation string, as [Record.String]
// writes values.
func Quote(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 2)
	writeQuoted(&b, v)
	return b.String()
}

func writeQuoted(b *strings.Builder, v string) {
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			b.WriteByte('\\')
			b.WriteByte('0' + c/100)
			b.WriteByte('0' + c/10%10)
			b.WriteByte('0' + c%10)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
