package headers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ReferrerPolicy is a value of the Referrer-Policy header (W3C Referrer
// Policy, Section 3).
type ReferrerPolicy string

// The referrer policies.
const (
	NoReferrer                  ReferrerPolicy = "no-referrer"
	NoReferrerWhenDowngrade     ReferrerPolicy = "no-referrer-when-downgrade"
	SameOrigin                  ReferrerPolicy = "same-origin"
	Origin                      ReferrerPolicy = "origin"
	StrictOrigin                ReferrerPolicy = "strict-origin"
	OriginWhenCrossOrigin       ReferrerPolicy = "origin-when-cross-origin"
	StrictOriginWhenCrossOrigin ReferrerPolicy = "strict-origin-when-cross-origin"
	UnsafeURL                   ReferrerPolicy = "unsafe-url"
)

// Valid reports whether the value is one of the eight policies.
func (r ReferrerPolicy) Valid() bool { _, ok := referrerPolicyPrivate[r]; return ok }

// Private reports whether the policy keeps the path and query of the page
// from other origins (the MDN Observatory's +5 set).
func (r ReferrerPolicy) Private() bool { return referrerPolicyPrivate[r] }

var referrerPolicyPrivate = map[ReferrerPolicy]bool{
	NoReferrer: true, SameOrigin: true, StrictOrigin: true, StrictOriginWhenCrossOrigin: true,
	NoReferrerWhenDowngrade: false, Origin: false, OriginWhenCrossOrigin: false, UnsafeURL: false,
}

// FrameOptions is a value of X-Frame-Options (RFC 7034; HTML, Section
// 7.1.6): DENY or SAMEORIGIN. ALLOW-FROM is obsolete: browsers ignore it.
type FrameOptions string

// The X-Frame-Options values.
const (
	FrameDeny       FrameOptions = "DENY"
	FrameSameOrigin FrameOptions = "SAMEORIGIN"
)

// COOP is a Cross-Origin-Opener-Policy value (HTML, Section 7.1.3).
type COOP string

// The Cross-Origin-Opener-Policy values.
const (
	COOPSameOrigin            COOP = "same-origin"
	COOPSameOriginAllowPopups COOP = "same-origin-allow-popups"
	COOPNoopenerAllowPopups   COOP = "noopener-allow-popups"
	COOPUnsafeNone            COOP = "unsafe-none"
)

// COEP is a Cross-Origin-Embedder-Policy value (HTML, Section 7.1.4).
// It is opt-in here: require-corp blocks every cross-origin image, font
// and script that does not send CORP or CORS headers.
type COEP string

// The Cross-Origin-Embedder-Policy values.
const (
	COEPRequireCORP    COEP = "require-corp"
	COEPCredentialless COEP = "credentialless"
	COEPUnsafeNone     COEP = "unsafe-none"
)

// CORP is a Cross-Origin-Resource-Policy value (Fetch, Section 3.7).
type CORP string

// The Cross-Origin-Resource-Policy values.
const (
	CORPSameOrigin  CORP = "same-origin"
	CORPSameSite    CORP = "same-site"
	CORPCrossOrigin CORP = "cross-origin"
)

// FrameOptionsFor returns the X-Frame-Options value equal to the policy's
// frame-ancestors: DENY for 'none' (or an empty list), SAMEORIGIN for
// 'self' alone. ok is false when there is no frame-ancestors or when
// X-Frame-Options cannot say the same (a list of hosts: browsers then
// obey frame-ancestors and ignore X-Frame-Options anyway).
func FrameOptionsFor(c *CSP) (FrameOptions, bool) {
	if c == nil {
		return "", false
	}
	d, ok := c.Get("frame-ancestors")
	switch {
	case !ok:
		return "", false
	case len(d.Values) == 0 || len(d.Values) == 1 && d.Values[0] == SourceNone:
		return FrameDeny, true
	case len(d.Values) == 1 && d.Values[0] == SourceSelf:
		return FrameSameOrigin, true
	}
	return "", false
}

// frameAncestorsFor is the frame-ancestors source equal to an
// X-Frame-Options value.
func frameAncestorsFor(f FrameOptions) string {
	if f == FrameDeny {
		return SourceNone
	}
	return SourceSelf
}

// SetCSP puts the policy in the set as Content-Security-Policy and keeps
// X-Frame-Options equal to its frame-ancestors: set to DENY or SAMEORIGIN
// when frame-ancestors says the same, removed when it lists hosts
// (X-Frame-Options cannot, and browsers obey frame-ancestors). A policy
// without frame-ancestors gets the one equal to the set's DENY or
// SAMEORIGIN, if any (the policy passed in is not changed).
func SetCSP(s *Set, c *CSP) {
	if !c.Has("frame-ancestors") {
		if v, ok := s.Get(HeaderXFO); ok {
			switch x := FrameOptions(strings.ToUpper(strings.TrimSpace(v))); x {
			case FrameDeny, FrameSameOrigin:
				c = c.Clone()
				c.Set("frame-ancestors", frameAncestorsFor(x))
			}
		}
	}
	s.Set(HeaderCSP, c.String())
	if xfo, ok := FrameOptionsFor(c); ok {
		s.Set(HeaderXFO, string(xfo))
	} else if c.Has("frame-ancestors") {
		s.Del(HeaderXFO)
	}
}

// Config says what [Config.Site] puts in a header set. The zero value
// builds an empty set; each field adds one header.
type Config struct {
	// CSP is the Content-Security-Policy; nil for none.
	CSP *CSP `json:"csp,omitempty"`
	// CSPReportOnly sends the policy as Content-Security-Policy-Report-Only
	// instead: browsers report violations and block nothing.
	CSPReportOnly bool `json:"csp_report_only,omitempty"`
	// ReportingEndpoint, with ReportingGroup, adds report-uri and report-to
	// to the policy and the Reporting-Endpoints header.
	ReportingEndpoint string `json:"reporting_endpoint,omitempty"`
	ReportingGroup    string `json:"reporting_group,omitempty"`
	// HSTS is the Strict-Transport-Security header; nil for none.
	HSTS *HSTS `json:"hsts,omitempty"`
	// NoSniff sends X-Content-Type-Options: nosniff.
	NoSniff bool `json:"nosniff,omitempty"`
	// FrameOptions is X-Frame-Options. When the CSP has no frame-ancestors
	// the equal one is added to it; when it has one, FrameOptions may be
	// left empty (it is derived) but must not contradict it.
	FrameOptions FrameOptions `json:"frame_options,omitempty"`
	// ReferrerPolicy is Referrer-Policy; "" for none.
	ReferrerPolicy ReferrerPolicy `json:"referrer_policy,omitempty"`
	// Permissions is the Permissions-Policy; nil for none.
	Permissions *PermissionsPolicy `json:"permissions,omitempty"`
	// COOP, COEP and CORP are the cross-origin policies; "" for none.
	COOP COOP `json:"coop,omitempty"`
	COEP COEP `json:"coep,omitempty"`
	CORP CORP `json:"corp,omitempty"`
	// Extra headers are added last, in order.
	Extra []Field `json:"extra,omitempty"`
	// Paths are the rules by path, usually [CacheRules].
	Paths []PathRule `json:"paths,omitempty"`
}

// ErrConfig: a Config that cannot be built; the message says why.
var ErrConfig = errors.New("headers: bad configuration")

// Site builds the header set and path rules. It refuses contradictions
// (X-Frame-Options against frame-ancestors), invalid enumerated values,
// and obsolete headers among Extra (Expect-CT, Feature-Policy,
// Public-Key-Pins, X-XSS-Protection other than 0): a builder never sends
// those.
func (cfg *Config) Site() (*Site, error) {
	s := &Site{}
	h := &s.Headers
	if cfg.FrameOptions != "" && cfg.FrameOptions != FrameDeny && cfg.FrameOptions != FrameSameOrigin {
		return nil, fmt.Errorf("%w: X-Frame-Options %q: want DENY or SAMEORIGIN (ALLOW-FROM is obsolete; use frame-ancestors)", ErrConfig, cfg.FrameOptions)
	}
	xfo := cfg.FrameOptions
	if cfg.CSP != nil {
		c := cfg.CSP.Clone()
		if fa, ok := c.Get("frame-ancestors"); ok {
			derived, ok := FrameOptionsFor(c)
			if cfg.FrameOptions != "" && (!ok || derived != cfg.FrameOptions) {
				return nil, fmt.Errorf("%w: X-Frame-Options %s contradicts frame-ancestors %s", ErrConfig, cfg.FrameOptions, strings.Join(fa.Values, " "))
			}
			xfo = derived
		} else if xfo != "" {
			c.Set("frame-ancestors", frameAncestorsFor(xfo))
		}
		if cfg.ReportingEndpoint != "" {
			c.SetReporting(cfg.ReportingGroup, cfg.ReportingEndpoint)
		}
		name := HeaderCSP
		if cfg.CSPReportOnly {
			name = HeaderCSPReportOnly
		}
		h.Add(name, c.String())
		if cfg.ReportingEndpoint != "" && cfg.ReportingGroup != "" {
			h.Add("Reporting-Endpoints", ReportingEndpoints(cfg.ReportingGroup, cfg.ReportingEndpoint))
		}
	}
	if xfo != "" {
		h.Add(HeaderXFO, string(xfo))
	}
	if cfg.HSTS != nil {
		h.Add(HeaderHSTS, cfg.HSTS.String())
	}
	if cfg.NoSniff {
		h.Add(HeaderXCTO, "nosniff")
	}
	if cfg.ReferrerPolicy != "" {
		if !cfg.ReferrerPolicy.Valid() {
			return nil, fmt.Errorf("%w: Referrer-Policy %q is not a referrer policy", ErrConfig, cfg.ReferrerPolicy)
		}
		h.Add(HeaderReferrerPolicy, string(cfg.ReferrerPolicy))
	}
	if cfg.Permissions != nil && len(cfg.Permissions.Features) > 0 {
		h.Add(HeaderPermissions, cfg.Permissions.String())
	}
	for _, x := range []struct {
		name, v string
		ok      []string
	}{
		{HeaderCOOP, string(cfg.COOP), []string{"same-origin", "same-origin-allow-popups", "noopener-allow-popups", "unsafe-none"}},
		{HeaderCOEP, string(cfg.COEP), []string{"require-corp", "credentialless", "unsafe-none"}},
		{HeaderCORP, string(cfg.CORP), []string{"same-origin", "same-site", "cross-origin"}},
	} {
		if x.v == "" {
			continue
		}
		if !slices.Contains(x.ok, x.v) {
			return nil, fmt.Errorf("%w: %s %q: want one of %s", ErrConfig, x.name, x.v, strings.Join(x.ok, ", "))
		}
		h.Add(x.name, x.v)
	}
	for _, f := range cfg.Extra {
		if err := checkField(f.Name, f.Value); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		if why := obsoleteHeader(f.Name, f.Value); why != "" {
			return nil, fmt.Errorf("%w: %s: %s", ErrConfig, f.Name, why)
		}
		h.Add(f.Name, f.Value)
	}
	for _, r := range cfg.Paths {
		s.Paths = append(s.Paths, PathRule{Pattern: r.Pattern, Headers: Set{Fields: slices.Clone(r.Headers.Fields)}})
	}
	return s, nil
}

// obsoleteHeader says why a header must not be sent, or "".
func obsoleteHeader(name, value string) string {
	switch strings.ToLower(name) {
	case "expect-ct":
		return "Expect-CT is obsolete: browsers enforce Certificate Transparency without it"
	case "feature-policy":
		return "Feature-Policy was replaced by Permissions-Policy (with another syntax)"
	case "public-key-pins", "public-key-pins-report-only":
		return "HTTP public key pinning was removed from browsers"
	case "x-xss-protection":
		if strings.TrimSpace(value) != "0" {
			return "the XSS auditor is gone from every browser, and where it ran, mode=block could be abused to leak data; send 0 or nothing"
		}
	}
	return ""
}

// Cache-Control values of [CacheRules].
const (
	// CacheImmutable is for files whose name changes with their content
	// (the hashed bundles, styles, fonts and images a build tool writes
	// under /assets/): cached for a year, never revalidated.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheImages is for images and fonts kept under the same name: a
	// day, then revalidated, served stale for a week while that happens.
	CacheImages = "public, max-age=86400, stale-while-revalidate=604800"
	// CacheHTML is for pages, and anything else without a rule (scripts
	// and styles whose names do not change included): always revalidated,
	// so a deploy shows at once (an unchanged file costs a 304).
	CacheHTML = "public, max-age=0, must-revalidate"
)

// CacheRules returns the Cache-Control rules of a static site: long-lived
// hashed assets (everything under assetDirs, which must hold only
// content-hashed names; "/assets/" when none is given), shorter images and
// fonts. Send [CacheHTML] as the site's own Cache-Control: HTML, and any
// file whose name does not change with its content, is then revalidated
// on every use. The rules are few (at most 12 with 2 asset directories),
// as a CloudFront distribution's cache behaviors must be.
func CacheRules(assetDirs ...string) []PathRule {
	if len(assetDirs) == 0 {
		assetDirs = []string{"/assets/"}
	}
	rule := func(pattern, value string) PathRule {
		return PathRule{Pattern: pattern, Headers: Set{Fields: []Field{{HeaderCacheControl, value}}}}
	}
	var out []PathRule
	for _, p := range []string{"*.png", "*.jpg", "*.jpeg", "*.gif", "*.webp", "*.avif", "*.svg", "*.ico", "*.woff2"} {
		out = append(out, rule(p, CacheImages))
	}
	for _, d := range assetDirs {
		if !strings.HasSuffix(d, "/") {
			d += "/"
		}
		if !strings.HasPrefix(d, "/") {
			d = "/" + d
		}
		out = append(out, rule(d, CacheImmutable))
	}
	return out
}
