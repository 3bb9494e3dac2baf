package mtasts

import (
	"strconv"
	"strings"
	"time"
)

// Version is the only policy and record version defined (RFC 8461,
// Sections 3.1 and 3.2).
const Version = "STSv1"

// MaxMaxAge is the largest max_age a policy may carry, in seconds: about one
// year (RFC 8461, Section 3.2).
const MaxMaxAge = 31557600

// RecommendedMaxAge is the max_age the builder suggests: RFC 8461, Section
// 3.2 expects "weeks or greater"; this is four weeks.
const RecommendedMaxAge = 4 * 7 * 24 * 3600

// Mode is the policy mode: what a sender does when a host fails validation.
type Mode string

// The modes of RFC 8461, Section 5.
const (
	// ModeEnforce: senders must not deliver to MX hosts that fail MX
	// matching or certificate validation, or that lack STARTTLS.
	ModeEnforce Mode = "enforce"
	// ModeTesting: senders deliver anyway but report failures via TLS-RPT.
	ModeTesting Mode = "testing"
	// ModeNone: the domain has withdrawn its policy.
	ModeNone Mode = "none"
)

// Valid reports whether m is one of the three defined modes (case matters).
func (m Mode) Valid() bool {
	return m == ModeEnforce || m == ModeTesting || m == ModeNone
}

// Extension is a policy line or record field that RFC 8461 does not define.
// Senders keep and ignore extensions (RFC 8461, Sections 3.1 and 3.2).
type Extension struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Policy is an MTA-STS policy, the text served at
// https://mta-sts.<domain>/.well-known/mta-sts.txt (RFC 8461, Section 3.2).
type Policy struct {
	// Version is always "STSv1".
	Version string `json:"version"`
	// Mode is enforce, testing or none.
	Mode Mode `json:"mode"`
	// MX lists the patterns of the permitted MX hosts: a host name, or
	// "*." and a domain to allow exactly one more label on the left.
	MX []string `json:"mx"`
	// MaxAge is how long, in seconds, senders may cache the policy.
	MaxAge int `json:"max_age"`
	// Extensions are the fields RFC 8461 does not define, in order.
	Extensions []Extension `json:"extensions,omitempty"`
}

// MaxAgeDuration returns MaxAge as a time.Duration.
func (p *Policy) MaxAgeDuration() time.Duration {
	return time.Duration(p.MaxAge) * time.Second
}

// String returns the policy text: version, mode, each mx, max_age, then the
// extensions, each line ended with CRLF as RFC 8461, Section 3.2 prescribes.
// ParsePolicy(p.String()) gives back an equal policy when p is valid.
func (p *Policy) String() string {
	var b strings.Builder
	b.Grow(64 + 24*len(p.MX))
	v := p.Version
	if v == "" {
		v = Version
	}
	b.WriteString("version: ")
	b.WriteString(v)
	b.WriteString("\r\nmode: ")
	b.WriteString(string(p.Mode))
	b.WriteString("\r\n")
	for _, mx := range p.MX {
		b.WriteString("mx: ")
		b.WriteString(mx)
		b.WriteString("\r\n")
	}
	b.WriteString("max_age: ")
	b.WriteString(strconv.Itoa(p.MaxAge))
	b.WriteString("\r\n")
	for _, e := range p.Extensions {
		b.WriteString(e.Key)
		b.WriteString(": ")
		b.WriteString(e.Value)
		b.WriteString("\r\n")
	}
	return b.String()
}
