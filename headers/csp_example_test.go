package headers_test

import (
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/headers"
)

func ExampleParseCSP() {
	c, err := headers.ParseCSP("Default-Src 'SELF';; img-src 'self' data:")
	if err != nil {
		panic(err)
	}
	c.Add("script-src", headers.HashSource(headers.SHA256, []byte("alert('Hello, world.');")))
	fmt.Println(c)
	// Output: default-src 'self'; img-src 'self' data:; script-src 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='
}

func ExampleCSP_Lint() {
	c, _ := headers.ParseCSP("script-src self 'unsafe-inline' https:")
	for _, f := range c.Lint() {
		fmt.Println(f.Severity, f.Code)
	}
	// Output:
	// error headers.csp_unquoted_keyword
	// warning headers.csp_missing_object_src
	// warning headers.csp_unsafe_inline
	// warning headers.csp_plain_scheme
}

func ExampleNewSiteCSP() {
	s := headers.NewSiteCSP(headers.SiteCSPOptions{Origin: "https://example.com"})
	_ = s.AddPageBytes("index.html", []byte(`<!doctype html>
<link rel="stylesheet" href="https://example.com/site.css">
<script>document.documentElement.className = "js"</script>
<img src="https://images.example.net/logo.png" alt="">
<a href="javascript:history.back()">back</a>`))
	r := s.Result()
	fmt.Println(r.Policy)
	for _, f := range r.Findings {
		fmt.Println(f.Code, "at", f.Where)
	}
	// Output:
	// default-src 'none'; script-src 'sha256-9ClOcGpyhOimDLczblPY+AvLwSOFF5K4j99oNVN6MXk='; style-src 'self'; img-src https://images.example.net; base-uri 'none'; form-action 'none'; frame-ancestors 'none'
	// headers.cspsite_javascript_url at index.html: <a href>
}

func ExamplePreset() {
	site, _ := headers.Preset("helmet")
	v, _ := site.Headers.Get("X-Frame-Options")
	fmt.Println(len(site.Headers.Fields), "headers; X-Frame-Options:", v)
	// Output: 12 headers; X-Frame-Options: SAMEORIGIN
}

func ExampleValidate() {
	set, _ := headers.ParseSet(`Strict-Transport-Security: max-age=300
X-XSS-Protection: 1; mode=block
X-Frame-Options: DENY
Content-Security-Policy: default-src 'self'; frame-ancestors 'self'`)
	for _, f := range headers.Validate(set) {
		if f.Severity != headers.Info {
			fmt.Println(f.Severity, f.Header, f.Code)
		}
	}
	// Output:
	// warning X-XSS-Protection headers.obsolete_header
	// warning Strict-Transport-Security headers.hsts_max_age_short
	// warning X-Frame-Options headers.xfo_mismatch
	// warning X-Content-Type-Options headers.missing_header
}

func ExampleParseHSTS() {
	h, _ := headers.ParseHSTS("max-age=31536000; includeSubDomains")
	fmt.Println(h.PreloadEligible(), strings.Join(h.PreloadProblems(), "; "))
	h.Preload = true
	fmt.Println(h.PreloadEligible(), h)
	// Output:
	// false the preload directive is missing; the preload list needs it
	// true max-age=31536000; includeSubDomains; preload
}

func ExampleParsePermissionsPolicy() {
	p, _ := headers.ParsePermissionsPolicy(`camera=(), geolocation=(self "https://maps.example.com"), fullscreen=*`)
	allow, _ := p.Get("geolocation")
	fmt.Println(allow)
	p.Disable("microphone")
	fmt.Println(p)
	// Output:
	// [self https://maps.example.com]
	// camera=(), geolocation=(self "https://maps.example.com"), fullscreen=*, microphone=()
}

func ExampleConfig_Site() {
	csp, _ := headers.ParseCSP("default-src 'self'")
	hsts := headers.NewHSTS(false)
	cfg := headers.Config{
		CSP:            csp,
		FrameOptions:   headers.FrameDeny, // frame-ancestors 'none' is added to match
		HSTS:           &hsts,
		NoSniff:        true,
		ReferrerPolicy: headers.StrictOriginWhenCrossOrigin,
		COOP:           headers.COOPSameOrigin,
	}
	site, err := cfg.Site()
	if err != nil {
		panic(err)
	}
	fmt.Print(site.Headers.String())
	// Output:
	// Content-Security-Policy: default-src 'self'; frame-ancestors 'none'
	// X-Frame-Options: DENY
	// Strict-Transport-Security: max-age=63072000; includeSubDomains
	// X-Content-Type-Options: nosniff
	// Referrer-Policy: strict-origin-when-cross-origin
	// Cross-Origin-Opener-Policy: same-origin
}
