package dmarc

import (
	"net/url"
	"strconv"
	"strings"
)

// Version is the only value of the v tag (RFC 9989, Section 4.7).
const Version = "DMARC1"

// Defaults of the optional tags (RFC 9989, Section 4.7; RFC 7489, Section
// 6.3 for the tags RFC 9989 removed).
const (
	// DefaultPercent is the default of pct (RFC 7489 only).
	DefaultPercent = 100
	// DefaultReportInterval is the default of ri, in seconds (RFC 7489
	// only): a day.
	DefaultReportInterval = 86400
	// DefaultReportFormat is the default (and only registered) value of rf
	// (RFC 7489 only).
	DefaultReportFormat = "afrf"
)

// Policy is a Domain Owner Assessment Policy: the value of p, sp and np.
type Policy string

// The policies, from weakest to strongest (RFC 9989, Section 4.7).
const (
	// PolicyNone asks for no action: monitoring (and reports) only.
	PolicyNone Policy = "none"
	// PolicyQuarantine asks receivers to treat failing mail as suspicious
	// (usually: deliver it to the spam folder).
	PolicyQuarantine Policy = "quarantine"
	// PolicyReject asks receivers to reject failing mail.
	PolicyReject Policy = "reject"
)

// Valid reports whether p is none, quarantine or reject (in lower case, as
// [Parse] stores it).
func (p Policy) Valid() bool { return p.rank() > 0 }

// rank orders the policies: 1 for none, 2 for quarantine, 3 for reject, 0
// for anything else.
func (p Policy) rank() int {
	switch p {
	case PolicyNone:
		return 1
	case PolicyQuarantine:
		return 2
	case PolicyReject:
		return 3
	}
	return 0
}

// Alignment is an identifier alignment mode: the value of adkim and aspf
// (RFC 9989, Section 4.4).
type Alignment string

// The alignment modes.
const (
	// AlignmentRelaxed (the default) accepts an authenticated domain with
	// the same organizational domain as the From: domain.
	AlignmentRelaxed Alignment = "r"
	// AlignmentStrict accepts only the From: domain itself.
	AlignmentStrict Alignment = "s"
)

// FailureOption is one value of the fo tag: when failure reports are
// wanted (RFC 9989, Section 4.7).
type FailureOption string

// The failure reporting options.
const (
	// FailureAll (the default, "0"): report when all mechanisms fail to
	// give an aligned pass.
	FailureAll FailureOption = "0"
	// FailureAny ("1"): report when any mechanism fails to give an aligned
	// pass. RFC 9989 makes 0 and 1 mutually exclusive.
	FailureAny FailureOption = "1"
	// FailureDKIM ("d"): report DKIM signatures that fail to verify.
	FailureDKIM FailureOption = "d"
	// FailureSPF ("s"): report SPF failures.
	FailureSPF FailureOption = "s"
)

// PSD is the value of the psd tag (RFC 9989, Section 4.7).
type PSD string

// The psd values.
const (
	// PSDYes: the domain is a public suffix domain (only public suffix
	// operators publish this).
	PSDYes PSD = "y"
	// PSDNo: the domain is an organizational domain, for itself and its
	// subdomains.
	PSDNo PSD = "n"
	// PSDUnknown (the default): the DNS Tree Walk decides.
	PSDUnknown PSD = "u"
)

// ReportURI is one destination of rua or ruf (RFC 9989, Section 4.6).
type ReportURI struct {
	// URI is the URI as written, usually mailto:address.
	URI string `json:"uri"`
	// Size is the obsolete size limit after a "!" (as "10m"), or "".
	// RFC 9989 tells reporters to ignore it.
	Size string `json:"size,omitempty"`
}

// String returns the URI as it appears in the record.
func (u ReportURI) String() string {
	if u.Size == "" {
		return u.URI
	}
	return u.URI + "!" + u.Size
}

// IsMailto reports whether the URI has the mailto scheme, the only one
// receivers must support (RFC 9989, Section 4.7).
func (u ReportURI) IsMailto() bool {
	return len(u.URI) >= 7 && strings.EqualFold(u.URI[:7], "mailto:")
}

// Host returns the lower-case domain that receives the reports: the domain
// of a mailto address, or the host of another URI; "" when there is none.
func (u ReportURI) Host() string {
	if u.IsMailto() {
		addr := u.URI[7:]
		if i := strings.IndexByte(addr, '?'); i >= 0 {
			addr = addr[:i]
		}
		if a, err := url.PathUnescape(addr); err == nil {
			addr = a
		}
		i := strings.LastIndexByte(addr, '@')
		if i < 0 {
			return ""
		}
		return strings.TrimSuffix(strings.ToLower(addr[i+1:]), ".")
	}
	pu, err := url.Parse(u.URI)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(pu.Hostname()), ".")
}

// Tag is a tag the package does not know, kept as written (RFC 9989,
// Section 4.7: receivers ignore unknown tags).
type Tag struct {
	// Name is the tag name in lower case.
	Name string `json:"name"`
	// Value is the value, without the surrounding white space.
	Value string `json:"value"`
}

// Record is a DMARC policy record (RFC 9989, Section 4.7). An empty field
// means the tag is absent, so that its default applies; the JSON names are
// the tag names.
type Record struct {
	// Version is always "DMARC1".
	Version string `json:"v"`
	// Policy (p) applies to the domain itself and, without sp and np, to
	// its subdomains. RFC 9989 makes it RECOMMENDED and reads its absence
	// as none; RFC 7489 requires it.
	Policy Policy `json:"p,omitempty"`
	// SubdomainPolicy (sp) applies to existing subdomains of an
	// organizational domain.
	SubdomainPolicy Policy `json:"sp,omitempty"`
	// NonexistentPolicy (np) applies to subdomains that do not exist.
	NonexistentPolicy Policy `json:"np,omitempty"`
	// AggregateReports (rua) receive the daily aggregate reports.
	AggregateReports []ReportURI `json:"rua,omitempty"`
	// FailureReports (ruf) receive per-message failure reports.
	FailureReports []ReportURI `json:"ruf,omitempty"`
	// FailureOptions (fo) say when failure reports are wanted.
	FailureOptions []FailureOption `json:"fo,omitempty"`
	// DKIMAlignment (adkim) is the DKIM alignment mode; relaxed by
	// default.
	DKIMAlignment Alignment `json:"adkim,omitempty"`
	// SPFAlignment (aspf) is the SPF alignment mode; relaxed by default.
	SPFAlignment Alignment `json:"aspf,omitempty"`
	// Testing (t=y) asks receivers to apply the policy one level lower.
	Testing bool `json:"t,omitempty"`
	// PSD (psd) says whether the domain is a public suffix domain.
	PSD PSD `json:"psd,omitempty"`
	// Percent (pct) is the share of failing mail the policy applies to.
	// It is one of the three RFC 7489 tags that RFC 9989 removed (with
	// ri and rf); receivers that implement RFC 7489 still read them. nil
	// when absent.
	Percent *int `json:"pct,omitempty"`
	// ReportInterval (ri) is the requested interval between aggregate
	// reports, in seconds (RFC 7489 only); nil when absent.
	ReportInterval *uint32 `json:"ri,omitempty"`
	// ReportFormat (rf) lists the failure report formats (RFC 7489 only);
	// empty when absent.
	ReportFormat []string `json:"rf,omitempty"`
	// Unknown holds the tags the package does not know, in order.
	Unknown []Tag `json:"unknown,omitempty"`
}

// RecordName returns the name the record of domain is published at.
func RecordName(domain string) string {
	return "_dmarc." + strings.TrimSuffix(domain, ".")
}

// String returns the canonical TXT value: v=DMARC1 first, then p, then the
// other tags, each followed by ";". Tags that hold their default value are
// left out (adkim=r, aspf=r, fo=0, t=n, psd=u, pct=100, rf=afrf,
// ri=86400); p is never added when absent, since a missing p is not quite
// the same as p=none (see [Check]).
func (r *Record) String() string {
	var b strings.Builder
	b.Grow(64)
	v := r.Version
	if v == "" {
		v = Version
	}
	b.WriteString("v=")
	b.WriteString(v)
	b.WriteString(";")
	tag := func(name, value string) {
		b.WriteString(" ")
		b.WriteString(name)
		b.WriteString("=")
		b.WriteString(value)
		b.WriteString(";")
	}
	if r.Policy != "" {
		tag("p", string(r.Policy))
	}
	if r.SubdomainPolicy != "" {
		tag("sp", string(r.SubdomainPolicy))
	}
	if r.NonexistentPolicy != "" {
		tag("np", string(r.NonexistentPolicy))
	}
	if len(r.AggregateReports) > 0 {
		tag("rua", joinURIs(r.AggregateReports))
	}
	if len(r.FailureReports) > 0 {
		tag("ruf", joinURIs(r.FailureReports))
	}
	if len(r.FailureOptions) > 0 && !(len(r.FailureOptions) == 1 && r.FailureOptions[0] == FailureAll) {
		var fo strings.Builder
		for i, o := range r.FailureOptions {
			if i > 0 {
				fo.WriteByte(':')
			}
			fo.WriteString(string(o))
		}
		tag("fo", fo.String())
	}
	if r.DKIMAlignment != "" && r.DKIMAlignment != AlignmentRelaxed {
		tag("adkim", string(r.DKIMAlignment))
	}
	if r.SPFAlignment != "" && r.SPFAlignment != AlignmentRelaxed {
		tag("aspf", string(r.SPFAlignment))
	}
	if r.Testing {
		tag("t", "y")
	}
	if r.PSD != "" && r.PSD != PSDUnknown {
		tag("psd", string(r.PSD))
	}
	if r.Percent != nil && *r.Percent != DefaultPercent {
		tag("pct", strconv.Itoa(*r.Percent))
	}
	if len(r.ReportFormat) > 0 && !(len(r.ReportFormat) == 1 && r.ReportFormat[0] == DefaultReportFormat) {
		tag("rf", strings.Join(r.ReportFormat, ":"))
	}
	if r.ReportInterval != nil && *r.ReportInterval != DefaultReportInterval {
		tag("ri", strconv.FormatUint(uint64(*r.ReportInterval), 10))
	}
	for _, t := range r.Unknown {
		tag(t.Name, t.Value)
	}
	return b.String()
}

func joinURIs(us []ReportURI) string {
	var b strings.Builder
	for i, u := range us {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(u.String())
	}
	return b.String()
}

// PolicyFor returns the policy a receiver applies when this record was
// found by policy discovery (RFC 9989, Section 4.10.1): p for the domain
// that published it (subdomain false); for a subdomain of it, sp if the
// subdomain exists, np if it does not, each falling back as RFC 9989,
// Section 4.7 says (np to sp to p). An absent p reads as none. The result
// is "" when a value is not valid.
func (r *Record) PolicyFor(subdomain, exists bool) Policy {
	p := r.Policy
	if p == "" {
		p = PolicyNone
	}
	if !subdomain {
		return valid(p)
	}
	sp := r.SubdomainPolicy
	if sp == "" {
		sp = p
	}
	if exists {
		return valid(sp)
	}
	if r.NonexistentPolicy != "" {
		return valid(r.NonexistentPolicy)
	}
	return valid(sp)
}

func valid(p Policy) Policy {
	if p.Valid() {
		return p
	}
	return ""
}

// New returns a record with policy p and aggregate reports sent to each
// of rua, which are mailto: URIs or plain e-mail addresses (mailto: is
// added to the latter). Other tags keep their defaults.
func New(p Policy, rua ...string) *Record {
	r := &Record{Version: Version, Policy: p}
	for _, a := range rua {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if !hasScheme(a) {
			a = "mailto:" + a
		}
		r.AggregateReports = append(r.AggregateReports, ReportURI{URI: a})
	}
	return r
}

// Recommended returns the record a careful domain owner publishes first:
// p=none with aggregate reports to rua, "v=DMARC1; p=none;
// rua=mailto:<rua>;". RFC 9989, Section 5.1.4 starts every deployment
// there: the reports show each server that sends mail in the domain's name
// (and the ones that forge it) without putting any legitimate mail at
// risk. Once the reports show that all legitimate mail passes with
// alignment (Section 5.1.6), move to [New]([PolicyQuarantine], rua), and
// then, for a domain whose users do not post to mailing lists, to
// [PolicyReject]: RFC 9989, Section 7.4 advises against p=reject for
// general-purpose mail domains, whose list mail it would bounce. A domain
// that sends no mail at all skips the steps: see [NoMail].
func Recommended(rua string) *Record {
	return New(PolicyNone, rua)
}

// NoMail returns the record for a domain that sends no mail,
// "v=DMARC1; p=reject;": every message in its name is forged, so
// receivers may reject them all; sp and np default to p, so the
// subdomains are covered too. Add rua (with [New]) to see who tries.
func NoMail() *Record {
	return &Record{Version: Version, Policy: PolicyReject}
}

// hasScheme reports whether s starts with a URI scheme (RFC 3986, Section
// 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )) and a colon.
func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}
