package headers

import (
	"testing"
)

// FuzzParseCSP: no input panics the parser or the linter, and the
// canonical text parses back to the same policy.
func FuzzParseCSP(f *testing.F) {
	for _, s := range []string{
		"default-src 'self'", helmetCSP, StrictCSP().String(), "script-src 'nonce-abc' 'sha256-x' 'strict-dynamic' https: *.example.com:* [::1]:80",
		"a;;b c;", "default-src: 'none' script-src self", "img-src http://10.0.0.1/x", "object-src; plugin-types a/b",
		"script-src www.google-analytics.com 'unsafe-eval' *.googleapis.com/ajax/", ",",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCSP(s)
		if err != nil {
			return
		}
		_ = c.Lint()
		_ = c.LintStrict()
		_, _ = FrameOptionsFor(c)
		again, err := ParseCSP(c.String())
		if err != nil {
			t.Fatalf("%q: canonical %q does not parse: %v", s, c.String(), err)
		}
		if again.String() != c.String() {
			t.Fatalf("%q: %q then %q", s, c.String(), again.String())
		}
		_, _ = ParseCSPList(s)
	})
}

// FuzzSiteCSP: no page panics the collector, and the policy it computes
// parses.
func FuzzSiteCSP(f *testing.F) {
	for _, s := range []string{
		"<script>a()</script><style>b{}</style><p onclick=x() style=y>",
		"<img srcset=',, a 1x, //h/b 2x'><a href=' javascript:1'>",
		"<link rel='preload stylesheet' as=font href=http://x:80/a.woff2><style>@import url(x.css);url('",
		"<form><button formaction>x</button></form><base href=//h/><object data=data:x>",
		"<svg><script>x</script><style>@font-face{src:url(data:font/woff2,A)}</style></svg>",
		"<script type=module src=/m.js>ignored</script><script type=text/plain>x</script>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := NewSiteCSP(SiteCSPOptions{Origin: "https://example.com"})
		if err := s.AddPageBytes("f.html", b); err != nil {
			t.Fatal(err)
		}
		s.AddStylesheet("f.css", b)
		r := s.Result()
		if _, err := ParseCSP(r.Policy); err != nil {
			t.Fatalf("computed policy %q does not parse: %v", r.Policy, err)
		}
	})
}
