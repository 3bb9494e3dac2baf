package posture

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/mtasts"
	"golang.org/x/net/idna"
)

// DefaultTTL is the TTL of the kit's records: an hour, RFC 9199's
// "at least an hour" for records that rarely change.
const DefaultTTL = 3600

// Domain describes a domain for [Build]: what it does with mail and who
// may issue its certificates. The zero value of each optional field gives
// the safe choice.
type Domain struct {
	// Name is the domain, e.g. "example.com" (U-labels are converted).
	Name string `json:"name"`
	// NoMail declares that the domain neither sends nor receives mail: the
	// kit then publishes a null MX (RFC 7505), "v=spf1 -all", DMARC
	// p=reject and a revoked wildcard DKIM key, so nobody can send as it.
	NoMail bool `json:"no_mail,omitempty"`
	// MX lists the mail servers in order of preference (10, 20, ...).
	MX []string `json:"mx,omitempty"`
	// SPFInclude and SPFIP are the senders SPF allows besides the MX
	// hosts: include: domains (a mail provider's) and ip4/ip6 networks.
	SPFInclude []string `json:"spf_include,omitempty"`
	SPFIP      []string `json:"spf_ip,omitempty"`
	// SPFSoftFail ends SPF with ~all instead of -all.
	SPFSoftFail bool `json:"spf_softfail,omitempty"`
	// Reports are the addresses (mailto: URIs or plain addresses) that
	// receive DMARC aggregate and TLS-RPT reports.
	Reports []string `json:"reports,omitempty"`
	// DMARCPolicy is none, quarantine or reject; "" means reject for a
	// domain without mail and none otherwise (start by watching reports).
	DMARCPolicy string `json:"dmarc_policy,omitempty"`
	// MTASTSMode is enforce (the default), testing or none.
	MTASTSMode mtasts.Mode `json:"mta_sts_mode,omitempty"`
	// MTASTSMaxAge is the policy's max_age in seconds; 0 means
	// mtasts.RecommendedMaxAge.
	MTASTSMaxAge int `json:"mta_sts_max_age,omitempty"`
	// MTASTSID is the record id; "" means one made from the build time.
	MTASTSID string `json:"mta_sts_id,omitempty"`
	// MTASTSHost, when set, is the host name that serves the policy:
	// mta-sts.<domain> becomes a CNAME to it.
	MTASTSHost string `json:"mta_sts_host,omitempty"`
	// CAs are the issuer domains of the certificate authorities allowed to
	// issue for the domain (e.g. "letsencrypt.org"). Empty: no CAA.
	CAs []string `json:"cas,omitempty"`
	// NoWildcard forbids wildcard certificates (issuewild ";").
	NoWildcard bool `json:"no_wildcard,omitempty"`
	// Contact is the security contact: mailto:, tel: or https: URIs, for
	// security.txt and the CAA iodef.
	Contact []string `json:"contact,omitempty"`
	// DKIM are the domain's DKIM selectors and their key records.
	DKIM []DKIMKey `json:"dkim,omitempty"`
	// TTL of the records; 0 means DefaultTTL.
	TTL int `json:"ttl,omitempty"`
}

// DKIMKey is one DKIM selector and its key record value ("v=DKIM1;
// k=rsa; p=...").
type DKIMKey struct {
	Selector string `json:"selector"`
	Record   string `json:"record"`
}

// File is a file the domain must serve over HTTPS.
type File struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Content     string `json:"content"`
	Purpose     string `json:"purpose"`
}

// Kit is everything a domain should publish.
type Kit struct {
	Domain string `json:"domain"`
	TTL    int    `json:"ttl"`
	// Records are the record sets of the domain's own zone.
	Records []RR `json:"records"`
	// External are records that belong in other zones (DMARC report
	// authorization at the report receiver's domain).
	External []RR `json:"external,omitempty"`
	// Files are served over HTTPS (the MTA-STS policy, security.txt).
	Files []File `json:"files,omitempty"`
	// Notes say what the kit cannot do itself (a host to set up, a next
	// step to take).
	Notes []string `json:"notes,omitempty"`
	// Findings are what the records' own validators say of them.
	Findings finding.List `json:"findings"`
}

// ErrDomain: the description cannot give a kit; the message says why.
var ErrDomain = errors.New("posture: bad domain description")

func descErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrDomain, fmt.Sprintf(format, args...))
}

// normalizeName returns the A-label, lower-case form of a domain name.
func normalizeName(name string) (string, error) {
	n := strings.TrimSuffix(strings.TrimSpace(name), ".")
	a, err := idna.Lookup.ToASCII(n)
	if err != nil || a == "" || !strings.Contains(a, ".") {
		return "", descErr("%q is not a registrable domain name", name)
	}
	return strings.ToLower(a), nil
}

// add appends a record set.
func (k *Kit) add(name, typ, purpose string, values ...string) {
	k.Records = append(k.Records, RR{Name: name, Type: typ, TTL: k.TTL, Values: values, Purpose: purpose})
}

// check appends the findings of one record's validator, naming where.
func (k *Kit) check(where string, l finding.List) {
	for _, f := range l {
		if f.Where == "" {
			f.Where = where
		} else {
			f.Where = where + ": " + f.Where
		}
		k.Findings = append(k.Findings, f)
	}
}

// Build makes the kit of a domain. now dates the MTA-STS id and the
// security.txt expiry. The error is for a description that cannot give a
// kit (no name, MX hosts together with NoMail, ...); problems of the
// records themselves are in Kit.Findings.
func Build(d Domain, now time.Time) (*Kit, error) {
	name, err := normalizeName(d.Name)
	if err != nil {
		return nil, err
	}
	k := &Kit{Domain: name, TTL: d.TTL, Findings: finding.List{}}
	if k.TTL <= 0 {
		k.TTL = DefaultTTL
	}
	if d.NoMail && (len(d.MX) > 0 || len(d.SPFInclude) > 0 || len(d.SPFIP) > 0 || len(d.DKIM) > 0) {
		return nil, descErr("a domain without mail has no MX hosts, SPF senders or DKIM keys")
	}
	// Plain addresses are mail addresses (DMARC and TLS-RPT want URIs).
	reports := make([]string, 0, len(d.Reports))
	for _, r := range d.Reports {
		r = strings.TrimSpace(r)
		if r != "" && !strings.Contains(r, ":") {
			r = "mailto:" + r
		}
		// An internationalized domain in a mail address goes in A-labels.
		if addr, ok := strings.CutPrefix(r, "mailto:"); ok {
			if local, host, ok := strings.Cut(addr, "@"); ok && !isASCII(host) {
				if a, err := idna.Lookup.ToASCII(host); err == nil {
					r = "mailto:" + local + "@" + a
				}
			}
		}
		if r != "" {
			reports = append(reports, r)
		}
	}
	d.Reports = reports
	if err := k.mail(d, now); err != nil {
		return nil, err
	}
	if err := k.web(d, now); err != nil {
		return nil, err
	}
	sortRecords(k.Records, k.Domain)
	k.Findings.Sort()
	return k, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
