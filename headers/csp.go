package headers

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// CSP is a Content-Security-Policy (CSP Level 3): directives in the order
// they were written, each with its source list or other values.
//
// [ParseCSP] keeps a policy as written, repeated directives included (a
// browser obeys the first and ignores the rest; [CSP.Lint] says so), so
// that a policy can be checked before it is fixed. Directive names and
// keyword sources are kept in lower case, hosts and paths as written.
type CSP struct {
	Directives []Directive `json:"directives"`
}

// Directive is one directive of a policy: a name such as "script-src" and
// its values (sources such as "'self'" and "https://cdn.example", or the
// values of a non-fetch directive such as sandbox's flags). No values is
// legal: for a fetch directive it means 'none'.
type Directive struct {
	Name   string   `json:"name"`
	Values []string `json:"values,omitempty"`
}

// ErrCSP: a Content-Security-Policy could not be read at all; the message
// says why. Everything else is a finding of [CSP.Lint].
var ErrCSP = errors.New("headers: bad Content-Security-Policy")

// Limits on a policy's length.
const (
	// CloudFrontMaxValue is the longest header value, the CSP included, a
	// CloudFront response headers policy accepts without a quota raise
	// (CloudFront developer guide, "Quotas": response headers policies).
	CloudFrontMaxValue = 1783
	// HeadersFileMaxLine is the longest line of a Cloudflare Pages
	// _headers file.
	HeadersFileMaxLine = 2000
	// maxCSP bounds what ParseCSP reads; no server sends more.
	maxCSP = 64 << 10
)

// Common source expressions (CSP Level 3, Section 2.3.1).
const (
	SourceSelf           = "'self'"
	SourceNone           = "'none'"
	SourceUnsafeInline   = "'unsafe-inline'"
	SourceUnsafeEval     = "'unsafe-eval'"
	SourceUnsafeHashes   = "'unsafe-hashes'"
	SourceStrictDynamic  = "'strict-dynamic'"
	SourceReportSample   = "'report-sample'"
	SourceWasmUnsafeEval = "'wasm-unsafe-eval'"
)

// ParseCSP reads a serialized policy as a browser does (CSP Level 3,
// Section 2.2.1, "parse a serialized CSP"): directives split on ";", a
// name and values split on ASCII whitespace, names case-insensitive. It
// fails only when there is nothing a browser could use: no directive at
// all, or a control character (a header value cannot hold one). Unknown
// directives, unquoted keywords and the like are findings of [CSP.Lint].
//
// A header value holding several policies joined by "," (two CSP header
// fields folded into one) is one policy here; use [ParseCSPList] to split.
func ParseCSP(text string) (*CSP, error) {
	if len(text) > maxCSP {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrCSP, maxCSP)
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return nil, fmt.Errorf("%w: control character 0x%02x at offset %d", ErrCSP, c, i)
		}
	}
	c := &CSP{}
	for token := range strings.SplitSeq(text, ";") {
		parts := strings.FieldsFunc(token, isASCIISpace)
		if len(parts) == 0 {
			continue
		}
		d := Directive{Name: strings.ToLower(parts[0])}
		for _, v := range parts[1:] {
			d.Values = append(d.Values, normalizeSource(v))
		}
		c.Directives = append(c.Directives, d)
	}
	if len(c.Directives) == 0 {
		return nil, fmt.Errorf("%w: no directive", ErrCSP)
	}
	return c, nil
}

// ParseCSPList reads a header value that may hold several policies joined
// by "," (CSP Level 3, Section 2.2.2: each is enforced on its own, so a
// resource must pass them all).
func ParseCSPList(text string) ([]*CSP, error) {
	var out []*CSP
	for part := range strings.SplitSeq(text, ",") {
		if strings.TrimFunc(part, isASCIISpace) == "" {
			continue
		}
		c, err := ParseCSP(part)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no directive", ErrCSP)
	}
	return out, nil
}

// isASCIISpace is the ASCII whitespace of the Infra standard.
func isASCIISpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r'
}

// normalizeSource lower-cases what is case-insensitive and has one
// spelling: keywords and scheme sources. Hosts, paths, nonces and hashes
// stay as written (nonces and hashes are case-sensitive).
func normalizeSource(v string) string {
	lower := strings.ToLower(v)
	if knownKeywords[lower] || isSchemeSource(v) {
		return lower
	}
	return v
}

// String returns the policy as a header value: directives joined by "; ",
// values by a space, in the order held.
func (c *CSP) String() string {
	var b strings.Builder
	n := 0
	for _, d := range c.Directives {
		n += len(d.Name) + 2
		for _, v := range d.Values {
			n += len(v) + 1
		}
	}
	b.Grow(n)
	for i, d := range c.Directives {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(d.Name)
		for _, v := range d.Values {
			b.WriteByte(' ')
			b.WriteString(v)
		}
	}
	return b.String()
}

// Clone returns a deep copy.
func (c *CSP) Clone() *CSP {
	out := &CSP{Directives: make([]Directive, len(c.Directives))}
	for i, d := range c.Directives {
		out.Directives[i] = Directive{Name: d.Name, Values: slices.Clone(d.Values)}
	}
	return out
}

// Get returns the first directive with the name, as a browser uses it.
func (c *CSP) Get(name string) (Directive, bool) {
	name = strings.ToLower(name)
	for _, d := range c.Directives {
		if d.Name == name {
			return d, true
		}
	}
	return Directive{}, false
}

// Has reports whether the policy has the directive.
func (c *CSP) Has(name string) bool { _, ok := c.Get(name); return ok }

// Set replaces the directive's values, or appends the directive; later
// repetitions of it are removed.
func (c *CSP) Set(name string, values ...string) {
	name = strings.ToLower(name)
	d := Directive{Name: name, Values: slices.Clone(values)}
	for i := range c.Directives {
		if c.Directives[i].Name == name {
			c.Directives[i] = d
			c.Directives = c.deleteAfter(i, name)
			return
		}
	}
	c.Directives = append(c.Directives, d)
}

// deleteAfter drops the repetitions of name after index i.
func (c *CSP) deleteAfter(i int, name string) []Directive {
	out := c.Directives[:i+1]
	for _, d := range c.Directives[i+1:] {
		if d.Name != name {
			out = append(out, d)
		}
	}
	return out
}

// Add appends values to the directive (creating it at the end when
// absent), skipping values it already has. Adding a source to a directive
// holding only 'none' replaces 'none', which cannot be combined.
func (c *CSP) Add(name string, values ...string) {
	name = strings.ToLower(name)
	for i := range c.Directives {
		d := &c.Directives[i]
		if d.Name != name {
			continue
		}
		for _, v := range values {
			if v == SourceNone && len(d.Values) > 0 || slices.Contains(d.Values, v) {
				continue
			}
			if len(d.Values) == 1 && d.Values[0] == SourceNone {
				d.Values = d.Values[:0]
			}
			d.Values = append(d.Values, v)
		}
		return
	}
	c.Directives = append(c.Directives, Directive{Name: name})
	c.Add(name, values...)
}

// Del removes every directive with the name.
func (c *CSP) Del(name string) {
	name = strings.ToLower(name)
	c.Directives = slices.DeleteFunc(c.Directives, func(d Directive) bool { return d.Name == name })
}

// fallback lists, for each fetch directive, the directives a browser
// falls back to when it is absent, nearest first (CSP Level 3, Section
// 6.8.3, "get the effective directive for inline checks" and the fallback
// list of Section 6.8.4).
var fallback = map[string][]string{
	"script-src-elem": {"script-src", "default-src"},
	"script-src-attr": {"script-src", "default-src"},
	"style-src-elem":  {"style-src", "default-src"},
	"style-src-attr":  {"style-src", "default-src"},
	"worker-src":      {"child-src", "script-src", "default-src"},
	"frame-src":       {"child-src", "default-src"},
	"fenced-frame-src": {
		"frame-src", "child-src", "default-src",
	},
	"script-src":   {"default-src"},
	"style-src":    {"default-src"},
	"img-src":      {"default-src"},
	"font-src":     {"default-src"},
	"connect-src":  {"default-src"},
	"media-src":    {"default-src"},
	"object-src":   {"default-src"},
	"manifest-src": {"default-src"},
	"child-src":    {"default-src"},
	"prefetch-src": {"default-src"},
}

// Effective returns the directive a browser applies for the named one:
// the directive itself, or the one it falls back to (script-src-elem to
// script-src to default-src, and so on). ok is false when neither it nor
// a fallback is present: the kind of load is then not restricted.
func (c *CSP) Effective(name string) (Directive, bool) {
	if d, ok := c.Get(name); ok {
		return d, true
	}
	for _, f := range fallback[strings.ToLower(name)] {
		if d, ok := c.Get(f); ok {
			return d, true
		}
	}
	return Directive{}, false
}

// NewNonce returns a fresh nonce for a 'nonce-...' source: 16 random bytes
// in base64 (CSP Level 3, Section 7.1 asks for at least 128 bits, and a
// new value for every response).
func NewNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24 and later).
	return base64.StdEncoding.EncodeToString(b[:])
}

// NonceSource returns the source expression "'nonce-VALUE'".
func NonceSource(nonce string) string { return "'nonce-" + nonce + "'" }

// HashAlgorithm names a hash of a hash source.
type HashAlgorithm string

// The hash algorithms of CSP Level 3, Section 2.3.1 (hash-algorithm).
const (
	SHA256 HashAlgorithm = "sha256"
	SHA384 HashAlgorithm = "sha384"
	SHA512 HashAlgorithm = "sha512"
)

// HashSource returns the source expression "'sha256-BASE64'" (or sha384,
// sha512) that allows an inline script, style or event handler whose text
// is exactly content: the bytes between the tags, whitespace included, as
// the browser hashes them (CSP Level 3, Section 6.7.3.3, UTF-8 encoded).
// An unknown algorithm is taken as sha256.
func HashSource(alg HashAlgorithm, content []byte) string {
	var sum []byte
	switch alg {
	case SHA384:
		s := sha512.Sum384(content)
		sum = s[:]
	case SHA512:
		s := sha512.Sum512(content)
		sum = s[:]
	default:
		alg = SHA256
		s := sha256.Sum256(content)
		sum = s[:]
	}
	return "'" + string(alg) + "-" + base64.StdEncoding.EncodeToString(sum) + "'"
}

// SetReporting makes the policy report violations to uri: report-uri uri
// (every browser) and report-to group (the Reporting API, which needs
// the Reporting-Endpoints header that [ReportingEndpoints] builds). An
// empty group sets report-uri alone; an empty uri removes both.
func (c *CSP) SetReporting(group, uri string) {
	c.Del("report-uri")
	c.Del("report-to")
	if uri == "" {
		return
	}
	c.Set("report-uri", uri)
	if group != "" {
		c.Set("report-to", group)
	}
}

// ReportingEndpoints returns the value of the Reporting-Endpoints header
// (an RFC 8941 dictionary of strings) that names uri as group, e.g.
// csp-endpoint="https://example.com/csp".
func ReportingEndpoints(group, uri string) string {
	return group + "=" + sfxString(uri)
}

// sfxString serializes an RFC 8941 string (Section 4.1.6).
func sfxString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			continue // not representable; RFC 8941 strings are printable ASCII.
		}
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}
