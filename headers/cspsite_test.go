package headers

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

func siteCSP(t *testing.T, opts SiteCSPOptions, pages ...string) *SiteCSPResult {
	t.Helper()
	s := NewSiteCSP(opts)
	for i, p := range pages {
		require.NoError(t, s.AddPageBytes("p"+string(rune('0'+i))+".html", []byte(p)))
	}
	return s.Result()
}

func TestSiteCSPTightest(t *testing.T) {
	r := siteCSP(t, SiteCSPOptions{}, `<!doctype html><p>Hello</p>`)
	assert.Equal(t, "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", r.Policy)
	assert.Empty(t, r.Findings)
	assert.Equal(t, 1, r.Pages)
	assert.EqualValues(t, 27, r.Bytes)
}

func TestSiteCSPInline(t *testing.T) {
	script := "\n  console.log(\"a < b && c\");\n"
	style := "body { color: red }"
	page := "<html><head><script>" + script + "</script>" +
		"<script type=\"application/ld+json\">{\"@type\": \"x\"}</script>" +
		"<script type=module>import './m.js'</script>" +
		"<script src=/app.js></script><script src=\"/x.js\">ignored()</script>" +
		"<script></script>" +
		"<STYLE>" + style + "</STYLE>" +
		"</head><body><button onclick=\"go(&quot;x&quot;)\">Go</button>" +
		"<p style=\"color: blue\">x</p></body></html>"
	// CRLF is read as LF, as browsers do before hashing.
	r := siteCSP(t, SiteCSPOptions{}, page, strings.ReplaceAll(page, "\n", "\r\n"))
	c := r.CSP
	sd, _ := c.Get("script-src")
	// An empty inline script never runs (HTML, "prepare the script
	// element"), so it needs no hash.
	assert.ElementsMatch(t, []string{SourceSelf, sha(script), sha("import './m.js'")}, sd.Values)
	assert.Equal(t, SourceSelf, sd.Values[0])
	attr, _ := c.Get("script-src-attr")
	assert.Equal(t, []string{SourceUnsafeHashes, sha(`go("x")`)}, attr.Values)
	st, _ := c.Get("style-src")
	assert.Equal(t, []string{sha(style)}, st.Values)
	sta, _ := c.Get("style-src-attr")
	assert.Equal(t, []string{SourceUnsafeHashes, sha("color: blue")}, sta.Values)
	assert.Equal(t, 2, r.InlineScripts)
	assert.Equal(t, 1, r.InlineStyles)
	assert.Equal(t, 1, r.EventHandlers)
	assert.Equal(t, 1, r.StyleAttributes)
	assert.False(t, r.Findings.HasErrors(), "%v", r.Findings)

	r = siteCSP(t, SiteCSPOptions{NoStyleAttributes: true, Fallback: true}, page)
	assert.False(t, r.CSP.Has("style-src-attr"))
	assert.Contains(t, codes(r.Findings), "cspsite_style_attribute")
	sd, _ = r.CSP.Get("script-src")
	assert.Equal(t, SourceUnsafeInline, sd.Values[len(sd.Values)-1])
}

func TestSiteCSPOrigins(t *testing.T) {
	page := `<!doctype html><html><head>
<base href="/">
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">
<link rel="stylesheet" href="https://cdn.example.net/site.css">
<link rel="preload" as="font" href="https://fonts.example.org/a.woff2" crossorigin>
<link rel="icon" href="data:image/png;base64,AAAA">
<link rel="manifest" href="/site.webmanifest">
<link rel="modulepreload" href="https://EXAMPLE.com:443/m.js">
<script src="//cdn.example.com/lib.js"></script>
<script src="https://example.com/own.js"></script>
<style>@font-face { src: url("/f/inter.woff2") format("woff2"), url(data:font/woff2;base64,AA) }
@import "https://css.example.com/x.css"; .hero { background: URL( '/img/hero.jpg' ) }</style>
</head><body>
<img src="/a.png" srcset="/a-2x.png 2x, https://img.example.com/a-3x.png 3x">
<picture><source srcset="https://img.example.com/b.webp" type="image/webp"></picture>
<video src="https://media.example.com/v.mp4" poster="/poster.jpg"><track src="/subs.vtt"></video>
<audio><source src="/a.mp3"></audio>
<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>
<form method="post"><input type="image" src="/go.png"><button formaction="https://api.example.com/send">Send</button></form>
<form action="/search"></form>
<a href="javascript:void(0)">x</a>
<a href="https://elsewhere.example/">links load nothing</a>
<object data="/doc.pdf"></object>
<img src="http://insecure.example.com/x.png">
<script src="data:text/javascript,alert(1)"></script>
<svg><image href="/s.svg"></image></svg>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
</body></html>`
	r := siteCSP(t, SiteCSPOptions{Origin: "https://example.com/", FrameAncestors: []string{SourceSelf},
		Extra: mustCSP(t, "connect-src https://api.example.com; upgrade-insecure-requests; frame-ancestors 'self'")}, page)
	want := map[string][]string{
		"default-src":     {SourceNone},
		"script-src":      {SourceSelf, "cdn.example.com"},
		"style-src":       {"https://cdn.example.net", "https://css.example.com", "https://fonts.googleapis.com", sha("@font-face { src: url(\"/f/inter.woff2\") format(\"woff2\"), url(data:font/woff2;base64,AA) }\n@import \"https://css.example.com/x.css\"; .hero { background: URL( '/img/hero.jpg' ) }")},
		"img-src":         {SourceSelf, "data:", "http://insecure.example.com", "https://img.example.com"},
		"font-src":        {SourceSelf, "data:", "https://fonts.example.org", "https://fonts.gstatic.com"},
		"connect-src":     {"https://api.example.com"},
		"media-src":       {SourceSelf, "https://media.example.com"},
		"frame-src":       {"https://www.youtube-nocookie.com"},
		"manifest-src":    {SourceSelf},
		"object-src":      {SourceSelf},
		"base-uri":        {SourceSelf},
		"form-action":     {SourceSelf, "https://api.example.com"},
		"frame-ancestors": {SourceSelf},
	}
	for d, v := range want {
		got, ok := r.CSP.Get(d)
		assert.True(t, ok, d)
		assert.Equal(t, v, got.Values, d)
	}
	assert.True(t, r.CSP.Has("upgrade-insecure-requests"))
	assert.Len(t, r.CSP.Directives, len(want)+1)
	got := codes(r.Findings)
	for _, c := range []string{"cspsite_javascript_url", "cspsite_data_url", "cspsite_insecure_load", "cspsite_remote_stylesheet", "cspsite_meta_csp", "object_allowlist", "http_source"} {
		assert.Contains(t, got, c)
	}
}

func TestSiteCSPFindingsCounted(t *testing.T) {
	page := `<a href="javascript:go()">x</a><a href=" JavaScript:go()">y</a>`
	r := siteCSP(t, SiteCSPOptions{}, page, page)
	require.Len(t, r.Findings, 1)
	assert.Equal(t, "p0.html: <a href>", r.Findings[0].Where)
	assert.Contains(t, r.Findings[0].Message, "(4 times)")
	assert.Zero(t, r.Findings[0].Line)
}

func TestSiteCSPStylesheet(t *testing.T) {
	s := NewSiteCSP(SiteCSPOptions{})
	require.NoError(t, s.AddPageBytes("i.html", []byte(`<link rel=stylesheet href=/s.css>`)))
	s.AddStylesheet("s.css", []byte(`@import url("https://x.example/y.css"); @font-face{src:url(/a.ttf?v=1#x)} a{background:url(b.gif)} @IMPORT 'c.css'; url(`))
	r := s.Result()
	d, _ := r.CSP.Get("font-src")
	assert.Equal(t, []string{SourceSelf}, d.Values)
	d, _ = r.CSP.Get("style-src")
	assert.Equal(t, []string{SourceSelf, "https://x.example"}, d.Values)
	d, _ = r.CSP.Get("img-src")
	assert.Equal(t, []string{SourceSelf}, d.Values)
}

func TestSiteCSPReadError(t *testing.T) {
	s := NewSiteCSP(SiteCSPOptions{})
	err := s.AddPage("bad.html", iotest.ErrReader(errors.New("disk on fire")))
	assert.ErrorContains(t, err, "disk on fire")
}

func TestSourceOf(t *testing.T) {
	s := NewSiteCSP(SiteCSPOptions{Origin: "https://example.com"})
	for in, want := range map[string]string{
		"":                           "",
		"#top":                       "",
		"/a":                         SourceSelf,
		"a/b":                        SourceSelf,
		"./a":                        SourceSelf,
		"?q=1":                       SourceSelf,
		"a:b/c":                      "a:",
		"https://Example.com/x":      SourceSelf,
		"https://example.com:443/":   SourceSelf,
		"https://user@cdn.example/":  "https://cdn.example",
		"https://cdn.example:8443/x": "https://cdn.example:8443",
		"http://cdn.example:80/x":    "http://cdn.example",
		"//example.com/a":            SourceSelf,
		"//cdn.example/a":            "cdn.example",
		"wss://ws.example/":          "wss://ws.example",
		"data:image/png;base64,AA":   "data:",
		"blob:https://example.com/1": "blob:",
		"mailto:a@example.com":       "",
		"about:blank":                "",
		"https:relative":             SourceSelf,
		"weird scheme:x":             SourceSelf,
		"  /padded  ":                SourceSelf,
	} {
		got, _ := s.sourceOf([]byte(in))
		assert.Equal(t, want, got, in)
	}
	_, p := s.sourceOf([]byte("javascript:alert(1)"))
	assert.Equal(t, "javascript", p)
}

func TestIndexFold(t *testing.T) {
	assert.Equal(t, 2, indexFold([]byte("a URL("), "url("))
	assert.Equal(t, -1, indexFold([]byte("ur"), "url("))
	assert.Equal(t, 4, indexFold([]byte("uuu Url("), "url("))
	assert.Equal(t, -1, indexFold([]byte("UR"), "url("))
}

func TestSiteCSPEmptyFormaction(t *testing.T) {
	// The raw attribute reader and TagAttr (used when a tag holds "&")
	// agree on an empty formaction: the form submits to the page itself.
	for _, page := range []string{`<button formaction="">x</button>`, `<button formaction="" title="a&amp;b">x</button>`} {
		r := siteCSP(t, SiteCSPOptions{}, page)
		d, _ := r.CSP.Get("form-action")
		assert.Equal(t, []string{SourceSelf}, d.Values, page)
	}
}
