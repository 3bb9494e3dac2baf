package headers

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// SiteCSPOptions tune [NewSiteCSP].
type SiteCSPOptions struct {
	// Origin is the site's own origin ("https://example.com"): absolute
	// URLs on it count as 'self'. Empty: only relative URLs do.
	Origin string `json:"origin,omitempty"`
	// Extra is a policy whose directives and sources are added to what the
	// pages need: what no HTML shows, such as the connect-src of the API a
	// script calls, or upgrade-insecure-requests.
	Extra *CSP `json:"extra,omitempty"`
	// FrameAncestors are the sources of frame-ancestors; nil for 'none'.
	FrameAncestors []string `json:"frame_ancestors,omitempty"`
	// NoStyleAttributes reports style="..." attributes instead of allowing
	// each by its hash with 'unsafe-hashes' in style-src-attr.
	NoStyleAttributes bool `json:"no_style_attributes,omitempty"`
	// Fallback adds 'unsafe-inline' next to the hashes of script-src and
	// style-src, for browsers older than CSP Level 2 (every current browser
	// ignores it when a hash is present).
	Fallback bool `json:"fallback,omitempty"`
}

// SiteCSP computes the tightest Content-Security-Policy a static site
// needs from its built HTML: it reads each page with the x/net/html
// tokenizer, collects the origins each directive needs (scripts, styles,
// images, fonts, media, frames, forms, the manifest and <base>), hashes
// every inline <script> and <style> (sha256 of the exact text the browser
// sees) and every inline event handler and style attribute (allowed with
// 'unsafe-hashes'), and reports what no policy can allow short of
// 'unsafe-inline': javascript: URLs, scripts and plugins from data: URLs.
//
// Scripts are not run: what they fetch, the workers they start and the
// frames they open must be added through [SiteCSPOptions.Extra]. Local
// stylesheets given to [SiteCSP.AddStylesheet] are read for the fonts and
// images they load; remote ones are not fetched.
//
// Only hash what you trust: hashing the built HTML also allows any script
// an author put in a Markdown page.
type SiteCSP struct {
	opts    SiteCSPOptions
	origin  string // lower-cased Options.Origin, without a trailing slash
	pages   int
	bytes   int64
	sources map[string]map[string]bool // directive -> sources
	hashes  map[string]map[[32]byte]bool
	known   map[string]map[string]bool // directive -> inline code already hashed
	counts  struct{ scripts, styles, handlers, styleAttrs int }
	issues  map[string]int // key -> index in notes
	notes   Findings
}

// SiteCSPResult is the computed policy and what it could not cover.
type SiteCSPResult struct {
	// Policy is the header value.
	Policy string `json:"policy"`
	CSP    *CSP   `json:"csp"`
	// Pages is the number of pages read, Bytes their size.
	Pages int   `json:"pages"`
	Bytes int64 `json:"bytes"`
	// The distinct hashes in the policy, by kind.
	InlineScripts   int `json:"inline_scripts"`
	InlineStyles    int `json:"inline_styles"`
	EventHandlers   int `json:"event_handlers"`
	StyleAttributes int `json:"style_attributes"`
	// Findings are what the policy could not cover (one finding per kind
	// of problem, naming the first page and how many pages have it),
	// followed by the lint of the policy itself.
	Findings Findings `json:"findings"`
}

// maxPage bounds one token of a page (a huge inline script); no real page
// comes near it.
const maxPage = 64 << 20

// NewSiteCSP starts a computation.
func NewSiteCSP(opts SiteCSPOptions) *SiteCSP {
	return &SiteCSP{
		opts:    opts,
		origin:  strings.TrimSuffix(strings.ToLower(opts.Origin), "/"),
		sources: map[string]map[string]bool{},
		hashes:  map[string]map[[32]byte]bool{},
		known:   map[string]map[string]bool{},
		issues:  map[string]int{},
	}
}

// AddPageBytes reads one page; name says where it is, for findings.
func (s *SiteCSP) AddPageBytes(name string, page []byte) error {
	return s.AddPage(name, bytes.NewReader(page))
}

// AddPage reads one page from r; name says where it is, for findings.
// Malformed HTML is read as a browser reads it; only a failing reader is
// an error.
func (s *SiteCSP) AddPage(name string, r io.Reader) error {
	s.pages++
	cr := &countingReader{r: r}
	z := html.NewTokenizer(cr)
	z.SetMaxBuf(maxPage)
	defer func() { s.bytes += cr.n }()
	var t tagAttrs
	var attrs [maxRawAttrs]rawAttr
	inline := "" // "script" or "style" when the next text token is inline code
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				if errors.Is(err, html.ErrBufferExceeded) {
					return fmt.Errorf("headers: %s: a token longer than %d bytes", name, maxPage)
				}
				return fmt.Errorf("headers: reading %s: %w", name, err)
			}
			return nil
		case html.TextToken:
			if inline != "" {
				s.addInline(inline, z.Text())
				inline = ""
			}
		case html.EndTagToken:
			inline = ""
		case html.StartTagToken, html.SelfClosingTagToken:
			inline = ""
			tag, ok := needsAttrs(z.Raw())
			if !ok {
				continue // most tags: nothing a policy must allow
			}
			t.reset()
			if n, ok := parseRawAttrs(z.Raw(), &attrs); ok {
				for _, a := range attrs[:n] {
					if s.attr(name, tag, a.k, a.v) {
						t.set(a.k, a.v)
					}
				}
				inline = s.element(name, tag, &t)
				continue
			}
			for {
				k, v, more := z.TagAttr()
				if k == nil {
					break
				}
				if s.attr(name, tag, k, v) {
					t.set(k, v)
				}
				if !more {
					break
				}
			}
			inline = s.element(name, tag, &t)
		}
	}
}

// needsAttrs reports, from a start tag's raw text, whether its attributes
// must be read: the tags that load something or hold inline code, and
// any tag that may carry an event handler, a style attribute or (on <a>
// and <area>) a javascript: URL. Skipping the others keeps the work close
// to the tokenizer's own; a false positive only costs time. It returns
// the tag's name when it is one of those handled by name, else "element".
func needsAttrs(raw []byte) (string, bool) {
	// The tag name, lower-cased: raw is "<name ...>".
	var buf [8]byte
	n := 0
	i := 1
	for ; i < len(raw); i++ {
		c := raw[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>' {
			break
		}
		if n < len(buf) {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
		}
		n++
	}
	tag := "element"
	if n <= len(buf) {
		switch string(buf[:n]) {
		case "script":
			return "script", true
		case "style":
			return "style", true
		case "link":
			return "link", true
		case "img":
			return "img", true
		case "source":
			return "source", true
		case "input":
			return "input", true
		case "button":
			return "button", true
		case "image":
			return "image", true
		case "video":
			return "video", true
		case "audio":
			return "audio", true
		case "track":
			return "track", true
		case "iframe":
			return "iframe", true
		case "frame":
			return "frame", true
		case "object":
			return "object", true
		case "embed":
			return "embed", true
		case "form":
			return "form", true
		case "base":
			return "base", true
		case "meta":
			return "meta", true
		case "a", "area":
			tag = "a"
			if n == 4 {
				tag = "area"
			}
			if mayHoldScriptURL(raw[i:]) {
				return tag, true
			}
		}
	}
	// An attribute named on... or style: a name starts after whitespace,
	// "/" or the quote that closed the previous value.
	for ; i+2 < len(raw); i++ {
		switch raw[i] {
		case ' ', '\t', '\n', '\r', '\f', '/', '"', '\'':
		default:
			continue
		}
		c := raw[i+1] | 0x20
		if c == 'o' && raw[i+2]|0x20 == 'n' ||
			c == 's' && i+6 < len(raw) && strings.EqualFold(string(raw[i+1:i+6]), "style") {
			return tag, true
		}
	}
	return tag, false
}

// mayHoldScriptURL: the text holds "script" in any case, or a character
// reference that could spell it.
func mayHoldScriptURL(b []byte) bool {
	for i, c := range b {
		if c == '&' {
			return true
		}
		if c|0x20 == 's' && i+6 <= len(b) && b[i+1]|0x20 == 'c' && b[i+2]|0x20 == 'r' &&
			b[i+3]|0x20 == 'i' && b[i+4]|0x20 == 'p' && b[i+5]|0x20 == 't' {
			return true
		}
	}
	return false
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// tagAttrs holds the attributes of the current tag that matter, as
// slices into the tokenizer's buffer (valid until the next token).
type tagAttrs struct {
	src, href, rel, as, typ, srcset, action, formaction, data, poster, content, httpEquiv []byte
	// hasSrc: the tag has a src attribute, even an empty one.
	hasSrc bool
}

func (t *tagAttrs) reset() { *t = tagAttrs{} }

func (t *tagAttrs) set(k, v []byte) {
	if v == nil {
		v = []byte{} // present but empty (TagAttr gives nil for "")
	}
	switch string(k) {
	case "src":
		t.src = v
		t.hasSrc = true
	case "href", "xlink:href":
		t.href = v
	case "rel":
		t.rel = v
	case "as":
		t.as = v
	case "type":
		t.typ = v
	case "srcset", "imagesrcset":
		t.srcset = v
	case "action":
		t.action = v
	case "formaction":
		t.formaction = v
	case "data":
		t.data = v
	case "poster":
		t.poster = v
	case "content":
		t.content = v
	case "http-equiv":
		t.httpEquiv = v
	}
}

// attr handles the attributes that stand alone (event handlers and style)
// and reports whether the tag's handling needs the attribute kept.
func (s *SiteCSP) attr(page, tag string, k, v []byte) bool {
	if len(k) > 2 && k[0] == 'o' && k[1] == 'n' {
		s.addHash("script-src-attr", v)
		s.counts.handlers++
		return false
	}
	if string(k) == "style" {
		if s.opts.NoStyleAttributes {
			s.note("headers.cspsite_style_attribute", Warning, page, "<"+tag+" style>",
				"a style attribute is blocked: the policy allows no inline styles",
				"move the styles to a stylesheet or class, or allow them by hash (leave --no-style-attributes off)")
		} else {
			s.addHash("style-src-attr", v)
			s.counts.styleAttrs++
		}
		s.cssURLs(page, v)
		return false
	}
	return true
}

// jsTypes are the JavaScript MIME type essences (HTML, Section 4.12.1.1,
// and MIME Sniffing, Section 4.6), plus the script types that run as
// inline code.
var jsTypes = map[string]bool{
	"": true, "module": true, "importmap": true, "speculationrules": true,
	"application/ecmascript": true, "application/javascript": true, "application/x-ecmascript": true,
	"application/x-javascript": true, "text/ecmascript": true, "text/javascript": true,
	"text/javascript1.0": true, "text/javascript1.1": true, "text/javascript1.2": true,
	"text/javascript1.3": true, "text/javascript1.4": true, "text/javascript1.5": true,
	"text/jscript": true, "text/livescript": true, "text/x-ecmascript": true, "text/x-javascript": true,
}

// element handles a start tag; it returns "script" or "style" when the
// tag's text is inline code to hash.
func (s *SiteCSP) element(page, tag string, t *tagAttrs) string {
	switch tag {
	case "script":
		typ := strings.ToLower(strings.TrimFunc(string(t.typ), isASCIISpace))
		if !jsTypes[typ] {
			return "" // a data block (application/ld+json, text/template): never run
		}
		if t.hasSrc {
			s.load(page, "<script src>", "script-src", t.src)
			return ""
		}
		return "script"
	case "style":
		return "style"
	case "link":
		rel := strings.ToLower(string(t.rel))
		for r := range strings.FieldsFuncSeq(rel, isASCIISpace) {
			switch r {
			case "stylesheet":
				s.load(page, "<link rel=stylesheet>", "style-src", t.href)
				s.remoteStylesheet(page, t.href)
			case "icon", "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon":
				s.load(page, "<link rel=icon>", "img-src", t.href)
			case "manifest":
				s.load(page, "<link rel=manifest>", "manifest-src", t.href)
			case "modulepreload":
				s.load(page, "<link rel=modulepreload>", "script-src", t.href)
			case "preload", "prefetch":
				if d := preloadDirective(strings.ToLower(string(t.as))); d != "" {
					s.load(page, "<link rel="+r+">", d, t.href)
					if d == "img-src" {
						s.srcset(page, "<link imagesrcset>", t.srcset)
					}
				}
			}
		}
	case "img":
		s.load(page, "<img src>", "img-src", t.src)
		s.srcset(page, "<img srcset>", t.srcset)
	case "source":
		// In <picture> a srcset, in <video>/<audio> a src.
		s.srcset(page, "<source srcset>", t.srcset)
		s.load(page, "<source src>", "media-src", t.src)
	case "input":
		if strings.EqualFold(string(t.typ), "image") {
			s.load(page, "<input type=image>", "img-src", t.src)
		}
		s.form(page, "<input formaction>", t.formaction, t.formaction != nil)
	case "button":
		s.form(page, "<button formaction>", t.formaction, t.formaction != nil)
	case "image": // SVG
		s.load(page, "<image href>", "img-src", t.href)
	case "video":
		s.load(page, "<video src>", "media-src", t.src)
		s.load(page, "<video poster>", "img-src", t.poster)
	case "audio":
		s.load(page, "<audio src>", "media-src", t.src)
	case "track":
		s.load(page, "<track src>", "media-src", t.src)
	case "iframe", "frame":
		s.load(page, "<"+tag+" src>", "frame-src", t.src)
	case "object":
		if len(t.data) > 0 {
			s.load(page, "<object data>", "object-src", t.data)
		}
	case "embed":
		if len(t.src) > 0 {
			s.load(page, "<embed src>", "object-src", t.src)
		}
	case "form":
		s.form(page, "<form action>", t.action, true)
	case "base":
		if len(t.href) > 0 {
			s.load(page, "<base href>", "base-uri", t.href)
		}
	case "a", "area":
		if isJavascriptURL(t.href) {
			s.note("headers.cspsite_javascript_url", Warning, page, "<"+tag+" href>",
				"a javascript: URL runs only with 'unsafe-inline' in script-src; no hash can allow it",
				"replace it with a button and an event listener in a script file")
		}
	case "meta":
		if strings.EqualFold(strings.TrimSpace(string(t.httpEquiv)), "content-security-policy") {
			s.note("headers.cspsite_meta_csp", Info, page, "<meta http-equiv>",
				"the page has its own CSP in a <meta> tag: browsers enforce it too, so a load must pass both",
				"keep one policy, in the header")
		}
	}
	return ""
}

// preloadDirective maps a preload's "as" to the directive that governs it.
func preloadDirective(as string) string {
	switch as {
	case "script":
		return "script-src"
	case "style":
		return "style-src"
	case "font":
		return "font-src"
	case "image":
		return "img-src"
	case "fetch":
		return "connect-src"
	case "audio", "video", "track":
		return "media-src"
	case "worker":
		return "worker-src"
	case "document":
		return "frame-src"
	case "manifest":
		return "manifest-src"
	}
	return ""
}

// form records a form target: an absent or empty action submits to the
// page itself.
func (s *SiteCSP) form(page, where string, action []byte, present bool) {
	if !present {
		return
	}
	if len(bytes.TrimSpace(action)) == 0 {
		s.addSource("form-action", SourceSelf)
		return
	}
	s.load(page, where, "form-action", action)
}

// load records the source a URL needs in the directive.
func (s *SiteCSP) load(page, where, directive string, u []byte) {
	if u == nil {
		return
	}
	src, problem := s.sourceOf(u)
	switch problem {
	case "":
	case "javascript":
		s.note("headers.cspsite_javascript_url", Warning, page, where,
			"a javascript: URL runs only with 'unsafe-inline' in script-src; no hash can allow it",
			"replace it with a script file and an event listener")
		return
	}
	if src == "" {
		return
	}
	if src == "data:" || src == "blob:" {
		switch directive {
		case "script-src", "object-src", "base-uri", "frame-src", "style-src", "form-action":
			s.note("headers.cspsite_data_url", Warning, page, where,
				fmt.Sprintf("a %s URL in %s: allowing %s there would let injected content in too, so the policy leaves it out and the load is blocked", src, where, src),
				"serve the content as a file of the site")
			return
		}
	}
	if strings.HasPrefix(src, "http://") {
		s.note("headers.cspsite_insecure_load", Warning, page, where,
			fmt.Sprintf("%s loads from %s over plain HTTP; browsers block or upgrade such mixed content on an HTTPS page", where, src),
			"use https://")
	}
	s.addSource(directive, src)
}

// srcset records every URL of a srcset.
func (s *SiteCSP) srcset(page, where string, v []byte) {
	for cand := range bytes.SplitSeq(v, []byte(",")) {
		cand = bytes.TrimLeftFunc(cand, isASCIISpace)
		if i := bytes.IndexFunc(cand, isASCIISpace); i >= 0 {
			cand = cand[:i]
		}
		if len(cand) > 0 {
			s.load(page, where, "img-src", cand)
		}
	}
}

// sourceOf turns a URL into the source expression that allows it: 'self'
// for a relative URL or one on the site's origin, scheme://host[:port] for
// another origin, "data:" and "blob:" for those schemes. It returns "" for
// URLs that load nothing (an empty URL, a fragment, about:, mailto:).
func (s *SiteCSP) sourceOf(u []byte) (src, problem string) {
	u = bytes.TrimFunc(u, isASCIISpace)
	if len(u) == 0 || u[0] == '#' {
		return "", ""
	}
	if u[0] == '/' && (len(u) == 1 || u[1] != '/') || u[0] == '.' || u[0] == '?' {
		return SourceSelf, ""
	}
	colon := bytes.IndexByte(u, ':')
	slash := bytes.IndexAny(u, "/?#")
	if colon < 0 || slash >= 0 && slash < colon {
		if bytes.HasPrefix(u, []byte("//")) {
			host := u[2:]
			if i := bytes.IndexAny(host, "/?#"); i >= 0 {
				host = host[:i]
			}
			h := strings.ToLower(string(host))
			if s.origin != "" && strings.HasSuffix(s.origin, "://"+h) {
				return SourceSelf, ""
			}
			return h, ""
		}
		return SourceSelf, "" // a relative path
	}
	scheme := strings.ToLower(string(u[:colon]))
	switch scheme {
	case "http", "https", "ws", "wss", "ftp":
		rest := u[colon+1:]
		if !bytes.HasPrefix(rest, []byte("//")) {
			return SourceSelf, "" // "http:foo" is relative
		}
		host := rest[2:]
		if i := bytes.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		if i := bytes.LastIndexByte(host, '@'); i >= 0 {
			host = host[i+1:]
		}
		origin := scheme + "://" + strings.ToLower(string(host))
		origin = strings.TrimSuffix(strings.TrimSuffix(origin, ":443"), ":80")
		if origin == s.origin {
			return SourceSelf, ""
		}
		return origin, ""
	case "data", "blob":
		return scheme + ":", ""
	case "javascript":
		return "", "javascript"
	case "about", "mailto", "tel", "sms":
		return "", ""
	}
	if !isSchemeSource(scheme + ":") {
		return SourceSelf, ""
	}
	return scheme + ":", ""
}

// isJavascriptURL applies the URL parser's cleaning (leading C0 controls
// and spaces, and every tab and newline, removed: URL Standard, basic URL
// parser) before looking at the scheme.
func isJavascriptURL(u []byte) bool {
	const want = "javascript:"
	n := 0
	for _, c := range bytes.TrimLeftFunc(u, func(r rune) bool { return r <= ' ' }) {
		if c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if c|0x20 != want[n] && c != want[n] {
			return false
		}
		if n++; n == len(want) {
			return true
		}
	}
	return false
}

// remoteStylesheet notes what a remote stylesheet may load beyond its own
// origin: the known font services get their font host, others a note.
func (s *SiteCSP) remoteStylesheet(page string, href []byte) {
	src, _ := s.sourceOf(href)
	if src == "" || src == SourceSelf || src == "data:" {
		return
	}
	switch strings.TrimPrefix(strings.TrimPrefix(src, "https://"), "http://") {
	case "fonts.googleapis.com":
		s.addSource("font-src", "https://fonts.gstatic.com")
	case "use.typekit.net", "p.typekit.net":
		s.addSource("font-src", "https://use.typekit.net")
		s.addSource("font-src", "https://p.typekit.net")
	default:
		s.note("headers.cspsite_remote_stylesheet", Info, page, "<link rel=stylesheet>",
			fmt.Sprintf("the stylesheet from %s is not read: fonts and images it loads from other origins are not in the policy", src),
			"add their origins to font-src and img-src (--csp \"font-src https://...\")")
	}
}

// addInline hashes an inline script or style.
func (s *SiteCSP) addInline(kind string, text []byte) {
	if kind == "script" {
		s.addHash("script-src", text)
		s.counts.scripts++
		return
	}
	s.addHash("style-src", text)
	s.counts.styles++
	s.cssURLs("", text)
}

// AddStylesheet reads a stylesheet of the site (a .css file) for the
// fonts and images it loads. Relative URLs in it are the site's own.
func (s *SiteCSP) AddStylesheet(name string, css []byte) {
	s.cssURLs(name, css)
}

// cssURLs records the url(...) and @import targets of CSS: fonts (by
// file extension or data: type) in font-src, stylesheets in style-src,
// anything else in img-src.
func (s *SiteCSP) cssURLs(page string, css []byte) {
	for {
		i := indexFold(css, "url(")
		j := indexFold(css, "@import")
		if i < 0 && j < 0 {
			return
		}
		if j >= 0 && (i < 0 || j < i) {
			rest := bytes.TrimLeft(css[j+len("@import"):], " \t\r\n\f")
			if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
				if end := bytes.IndexByte(rest[1:], rest[0]); end >= 0 {
					s.load(page, "@import", "style-src", rest[1:1+end])
				}
			} else if k := indexFold(rest, "url("); k == 0 {
				if u, ok := cssURL(rest[4:]); ok {
					s.load(page, "@import", "style-src", u)
				}
				css = rest[4:]
				continue
			}
			css = css[j+len("@import"):]
			continue
		}
		u, ok := cssURL(css[i+4:])
		css = css[i+4:]
		if !ok {
			continue
		}
		dir := "img-src"
		if isFontURL(u) {
			dir = "font-src"
		}
		s.load(page, "url()", dir, u)
	}
}

// cssURL reads the argument of url( up to its closing parenthesis.
func cssURL(b []byte) ([]byte, bool) {
	b = bytes.TrimLeft(b, " \t\r\n\f")
	if len(b) > 0 && (b[0] == '"' || b[0] == '\'') {
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 {
			return nil, false
		}
		return b[1 : 1+end], true
	}
	end := bytes.IndexByte(b, ')')
	if end < 0 {
		return nil, false
	}
	return bytes.TrimSpace(b[:end]), true
}

func isFontURL(u []byte) bool {
	l := strings.ToLower(string(u))
	if strings.HasPrefix(l, "data:") {
		return strings.HasPrefix(l, "data:font/") || strings.HasPrefix(l, "data:application/font") ||
			strings.HasPrefix(l, "data:application/x-font") || strings.HasPrefix(l, "data:application/vnd.ms-fontobject")
	}
	if i := strings.IndexAny(l, "?#"); i >= 0 {
		l = l[:i]
	}
	for _, ext := range []string{".woff2", ".woff", ".ttf", ".otf", ".eot"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// indexFold is bytes.Index, ASCII case-insensitive, for a lower-case needle.
func indexFold(b []byte, needle string) int {
	for i := 0; i+len(needle) <= len(b); i++ {
		j := bytes.IndexByte(b[i:], needle[0])
		k := -1
		if up := needle[0] - 'a' + 'A'; needle[0] >= 'a' && needle[0] <= 'z' {
			k = bytes.IndexByte(b[i:], up)
		}
		switch {
		case j < 0 && k < 0:
			return -1
		case j < 0 || k >= 0 && k < j:
			j = k
		}
		i += j
		if i+len(needle) > len(b) {
			return -1
		}
		match := true
		for n := 1; n < len(needle); n++ {
			c := b[i+n]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[n] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

func (s *SiteCSP) addHash(directive string, text []byte) {
	// Most inline code repeats from page to page (the same snippet in
	// every head): a map lookup by text is cheaper than hashing it again.
	known := s.known[directive]
	if known == nil {
		known = map[string]bool{}
		s.known[directive] = known
	}
	if known[string(text)] {
		return
	}
	m := s.hashes[directive]
	if m == nil {
		m = map[[32]byte]bool{}
		s.hashes[directive] = m
	}
	m[sha256.Sum256(text)] = true
	if len(text) <= maxKnownInline {
		known[string(text)] = true
	}
}

// maxKnownInline bounds the inline code remembered by text.
const maxKnownInline = 4 << 10

func (s *SiteCSP) addSource(directive, src string) {
	m := s.sources[directive]
	if m == nil {
		m = map[string]bool{}
		s.sources[directive] = m
	}
	m[src] = true
}

// note records a problem once per code and place kind, counting pages.
func (s *SiteCSP) note(code string, sev Severity, page, where, msg, fix string) {
	key := code + "\x00" + where + "\x00" + msg
	if i, ok := s.issues[key]; ok {
		s.notes[i].Line++ // counts the occurrences until Result
		return
	}
	s.issues[key] = len(s.notes)
	w := where
	if page != "" {
		w = page + ": " + where
	}
	s.notes = append(s.notes, Finding{Code: code, Severity: sev, Header: HeaderCSP, Where: w, Message: msg, Fix: fix, Line: 1})
}

// directiveOrder is the order of the computed policy's directives.
var directiveOrder = []string{
	"default-src", "script-src", "script-src-attr", "style-src", "style-src-attr", "img-src",
	"font-src", "connect-src", "media-src", "frame-src", "worker-src", "manifest-src",
	"object-src", "base-uri", "form-action", "frame-ancestors",
}

// Result returns the policy: default-src 'none', then each directive the
// pages need with its sources ('self' first, then origins and schemes,
// then hashes, sorted), base-uri and form-action ('none' unless the pages
// use them: they do not fall back to default-src), frame-ancestors, and
// the directives of Options.Extra.
func (s *SiteCSP) Result() *SiteCSPResult {
	c := &CSP{}
	for _, d := range directiveOrder {
		var vals []string
		var hosts []string
		for src := range s.sources[d] {
			if src != SourceSelf {
				hosts = append(hosts, src)
			}
		}
		slices.Sort(hosts)
		if s.sources[d][SourceSelf] {
			vals = append(vals, SourceSelf)
		}
		vals = append(vals, hosts...)
		var hashes []string
		for h := range s.hashes[d] {
			hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(h[:])+"'")
		}
		slices.Sort(hashes)
		if len(hashes) > 0 && (d == "script-src-attr" || d == "style-src-attr") {
			vals = append(vals, SourceUnsafeHashes)
		}
		vals = append(vals, hashes...)
		if len(hashes) > 0 && s.opts.Fallback && (d == "script-src" || d == "style-src") {
			vals = append(vals, SourceUnsafeInline)
		}
		switch d {
		case "default-src":
			vals = []string{SourceNone}
		case "base-uri", "form-action":
			if len(vals) == 0 {
				vals = []string{SourceNone}
			}
		case "frame-ancestors":
			vals = s.opts.FrameAncestors
			if len(vals) == 0 {
				vals = []string{SourceNone}
			}
		}
		if len(vals) > 0 {
			c.Set(d, vals...)
		}
	}
	if s.opts.Extra != nil {
		for _, d := range s.opts.Extra.Directives {
			if len(d.Values) == 0 {
				if !c.Has(d.Name) {
					c.Set(d.Name)
				}
				continue
			}
			c.Add(d.Name, d.Values...)
		}
	}
	res := &SiteCSPResult{
		Policy: c.String(), CSP: c, Pages: s.pages, Bytes: s.bytes,
		InlineScripts: len(s.hashes["script-src"]), InlineStyles: len(s.hashes["style-src"]),
		EventHandlers: len(s.hashes["script-src-attr"]), StyleAttributes: len(s.hashes["style-src-attr"]),
	}
	for _, n := range s.notes {
		if n.Line > 1 {
			n.Message += fmt.Sprintf(" (%d times)", n.Line)
		}
		n.Line = 0
		res.Findings = append(res.Findings, n)
	}
	for _, f := range c.Lint() {
		if f.Code == "headers.csp_allowlist_self" || f.Code == "headers.csp_unsafe_hashes" {
			continue // the computed policy's own choices, said in the doc
		}
		res.Findings = append(res.Findings, f)
	}
	if res.Findings == nil {
		res.Findings = Findings{}
	}
	return res
}
