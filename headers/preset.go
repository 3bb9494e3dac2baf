package headers

import (
	"fmt"
	"strings"
)

// PresetInfo names a preset and says in one line what it is for.
type PresetInfo struct {
	Name  string `json:"name"`
	Short string `json:"short"`
}

// presets, by name. Each builds a fresh Site.
var presets = []struct {
	PresetInfo
	site func() *Site
}{
	{PresetInfo{"strict", "a static site: everything from its own origin, inline code by hash only, no framing, powerful features off, cache rules"}, presetStrict},
	{PresetInfo{"helmet", "exactly the headers helmet 8.3.0 (Node.js) sends by default"}, presetHelmet},
	{PresetInfo{"seed", "the S3 + CloudFront set of AWS's blog posts, corrected for today's browsers"}, presetSeed},
	{PresetInfo{"web", "posturekit's own offline page: strict, with 'wasm-unsafe-eval' for its WebAssembly and Trusted Types"}, presetWeb},
}

// Presets lists the presets, in the order [Preset] knows them.
func Presets() []PresetInfo {
	out := make([]PresetInfo, len(presets))
	for i, p := range presets {
		out[i] = p.PresetInfo
	}
	return out
}

// Preset returns a fresh copy of the named preset's headers and rules:
//
//   - strict: for a static site. CSP default-src 'none' with 'self' for
//     scripts, styles, images, fonts, fetches and the manifest,
//     base-uri 'none', form-action 'self', frame-ancestors 'none' and the
//     matching X-Frame-Options DENY; HSTS for two years with subdomains;
//     nosniff; Referrer-Policy no-referrer; [StrictPermissionsPolicy];
//     COOP and CORP same-origin; Cache-Control by [CacheRules]. COEP is
//     left out (opt in: it breaks cross-origin embeds).
//   - helmet: what helmet 8.3.0 sends with its default options, byte for
//     byte.
//   - seed: AWS's "Adding HTTP Security Headers Using Lambda@Edge and
//     Amazon CloudFront" set (HSTS two years with preload, CSP
//     default-src 'none' with 'self' for images, scripts and styles,
//     nosniff, X-Frame-Options DENY, X-XSS-Protection "1; mode=block",
//     Referrer-Policy same-origin), corrected: X-XSS-Protection dropped
//     (the auditor is gone and mode=block leaked data), frame-ancestors
//     'none' to match DENY, base-uri, form-action, font-src and
//     connect-src added (they do not fall back to default-src, or the
//     site's own fonts and fetches would break), includeSubDomains
//     spelled as RFC 6797 does, and the headers the posts predate:
//     Permissions-Policy, COOP and CORP, plus [CacheRules].
func Preset(name string) (*Site, error) {
	for _, p := range presets {
		if p.Name == name {
			return p.site(), nil
		}
	}
	return nil, fmt.Errorf("headers: unknown preset %q; want one of %s", name, strings.Join(presetNames(), ", "))
}

// StrictCSP returns the policy of the strict preset.
func StrictCSP() *CSP {
	c := &CSP{}
	c.Set("default-src", SourceNone)
	for _, d := range []string{"script-src", "style-src", "img-src", "font-src", "connect-src", "manifest-src"} {
		c.Set(d, SourceSelf)
	}
	c.Set("base-uri", SourceNone)
	c.Set("form-action", SourceSelf)
	c.Set("frame-ancestors", SourceNone)
	c.Set("upgrade-insecure-requests")
	return c
}

// WebCSP returns the policy of the web preset, for a page that runs a
// WebAssembly module from its own origin and inserts no HTML: default-src
// 'none'; script-src 'self' with 'wasm-unsafe-eval', which lets the page
// compile WebAssembly and nothing else (CSP Level 3, Section 6.1.2; unlike
// 'unsafe-eval' it allows no eval of JavaScript); style-src, connect-src (the
// .wasm fetch) and img-src 'self', images also from blob: URLs (images the
// page makes itself, such as a plot or an encoded file); base-uri,
// form-action and frame-ancestors 'none'; require-trusted-types-for 'script'
// with no policy allowed (trusted-types 'none'), so no string ever reaches an
// HTML or script sink (Trusted Types, Section 3). Unlike the strict preset
// it has no upgrade-insecure-requests: every source is the page's own, and
// the page must also work served over plain HTTP on a LAN address, where
// the upgrade would send its own requests to an https:// that does not
// answer.
func WebCSP() *CSP {
	c := &CSP{}
	c.Set("default-src", SourceNone)
	c.Set("script-src", SourceSelf, "'wasm-unsafe-eval'")
	c.Set("style-src", SourceSelf)
	c.Set("img-src", SourceSelf, "blob:")
	c.Set("connect-src", SourceSelf)
	c.Set("base-uri", SourceNone)
	c.Set("form-action", SourceNone)
	c.Set("frame-ancestors", SourceNone)
	c.Set("require-trusted-types-for", "'script'")
	c.Set("trusted-types", SourceNone)
	return c
}

func presetWeb() *Site { return strictSiteWith(WebCSP()) }

func presetStrict() *Site { return strictSiteWith(StrictCSP()) }

// strictSiteWith is the strict preset's set with the given policy: HSTS,
// nosniff, no referrer, every powerful feature off, same-origin COOP and
// CORP, and the cache rules.
func strictSiteWith(csp *CSP) *Site {
	h := NewHSTS(false)
	cfg := Config{
		CSP:            csp,
		HSTS:           &h,
		NoSniff:        true,
		ReferrerPolicy: NoReferrer,
		Permissions:    StrictPermissionsPolicy(),
		COOP:           COOPSameOrigin,
		CORP:           CORPSameOrigin,
		Extra:          []Field{{HeaderCacheControl, CacheHTML}},
		Paths:          CacheRules(),
	}
	return mustSite(cfg.Site())
}

// helmetCSP is helmet 8.3.0's default policy, as it writes it.
const helmetCSP = "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests"

func presetHelmet() *Site {
	s := &Site{}
	for _, f := range []Field{
		{HeaderCSP, helmetCSP},
		{HeaderCOOP, "same-origin"},
		{HeaderCORP, "same-origin"},
		{"Origin-Agent-Cluster", "?1"},
		{HeaderReferrerPolicy, "no-referrer"},
		{HeaderHSTS, "max-age=31536000; includeSubDomains"},
		{HeaderXCTO, "nosniff"},
		{"X-DNS-Prefetch-Control", "off"},
		{"X-Download-Options", "noopen"},
		{HeaderXFO, "SAMEORIGIN"},
		{"X-Permitted-Cross-Domain-Policies", "none"},
		{"X-XSS-Protection", "0"},
	} {
		s.Headers.Add(f.Name, f.Value)
	}
	return s
}

func presetSeed() *Site {
	c := &CSP{}
	c.Set("default-src", SourceNone)
	c.Set("img-src", SourceSelf)
	c.Set("script-src", SourceSelf)
	c.Set("style-src", SourceSelf)
	c.Set("object-src", SourceNone)
	// The corrections.
	c.Set("font-src", SourceSelf)
	c.Set("connect-src", SourceSelf)
	c.Set("base-uri", SourceSelf)
	c.Set("form-action", SourceSelf)
	h := HSTS{MaxAge: HSTSRecommendedAge, IncludeSubDomains: true, Preload: true}
	cfg := Config{
		CSP:            c,
		HSTS:           &h,
		NoSniff:        true,
		FrameOptions:   FrameDeny,
		ReferrerPolicy: SameOrigin,
		Permissions:    StrictPermissionsPolicy(),
		COOP:           COOPSameOrigin,
		CORP:           CORPSameOrigin,
		Extra:          []Field{{HeaderCacheControl, CacheHTML}},
		Paths:          CacheRules(),
	}
	return mustSite(cfg.Site())
}

// mustSite is for the presets, whose configurations are fixed and tested.
func mustSite(s *Site, err error) *Site {
	if err != nil {
		panic(err)
	}
	return s
}

// presetNames is for messages.
func presetNames() []string {
	var out []string
	for _, p := range presets {
		out = append(out, p.Name)
	}
	return out
}
