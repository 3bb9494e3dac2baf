package headers

import (
	"strings"

	"github.com/posturekit/posturekit/internal/publicsuffix"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The page body matters to three tests: <meta http-equiv=
// "Content-Security-Policy"> adds policies, <meta name="referrer"> adds a
// referrer policy, and <script src> elements are checked for Subresource
// Integrity. The Observatory reads the body with jsdom (an HTML5 parser);
// golang.org/x/net/html is one too.

// obsParseMetaTags returns the CSP policies of <meta http-equiv> tags and the
// content of the last <meta name="referrer">, reading the body as a
// fragment (inside a <template>), as the Observatory does.
func obsParseMetaTags(body string) (csp, referrer []string) {
	ctx := &html.Node{Type: html.ElementNode, Data: "template", DataAtom: atom.Template}
	// jsdom parses a fragment with scripting on (<noscript> holds text)
	// but a document with scripting off.
	nodes, err := html.ParseFragmentWithOptions(strings.NewReader(body), ctx, html.ParseOptionEnableScripting(true))
	if err != nil {
		return nil, nil
	}
	for _, n := range nodes {
		obsWalkElements(n, func(e *html.Node) {
			if e.Data != "meta" {
				return
			}
			equiv, hasEquiv := obsAttr(e, "http-equiv")
			content, hasContent := obsAttr(e, "content")
			if hasEquiv && hasContent {
				if content != "" && obsJsTrim(obsJsLower(equiv)) == "content-security-policy" {
					csp = append(csp, content)
				}
				return
			}
			if name, _ := obsAttr(e, "name"); obsJsTrim(obsJsLower(name)) == "referrer" && content != "" {
				referrer = []string{content}
			}
		})
	}
	return csp, referrer
}

// obsWalkElements calls f on n and its element descendants in tree order,
// leaving out the contents of <template>, which are not part of the tree
// selectors search.
func obsWalkElements(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
		if n.Data == "template" && n.Namespace == "" {
			return
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		obsWalkElements(c, f)
	}
}

// obsAttr returns the first attribute of the name (names are lower case after
// parsing).
func obsAttr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// obsProtocolRelative reports whether src is a protocol-relative URL as
// the Observatory tells it (the regular expression ^//[^/]).
func obsProtocolRelative(src string) bool {
	return len(src) > 2 && src[:2] == "//" && src[2] != '/'
}

// obsFullURL reports whether src starts with http:// or https:// (the
// Observatory's ^https?://, case-sensitive).
func obsFullURL(src string) bool {
	return strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://")
}

// resSriOrder ranks the SRI results as the Observatory does when several
// scripts disagree: the later in the list wins.
var resSriOrder = []string{resSriAllSecure, resSriExternalSecure, resSriSRIExternalHTTP, resSriNoSRIExternalHTTPS, resSriNoSRIExternalHTTP, resSriNotHTML}

func resSriWorse(next, cur string) string {
	if cur == "" || obsIndexOf(resSriOrder, next) > obsIndexOf(resSriOrder, cur) {
		return next
	}
	return cur
}

func obsIndexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// obsSriScript is a <script> of the page as the SRI test sees it.
type obsSriScript struct {
	src       string // as HTMLScriptElement.src reflects it; "" for none
	url       *obsWebURL
	integrity string
}

// obsPageScripts returns the page's <script> elements in tree order (every
// namespace, as a selector finds them; only HTML ones have a src).
func obsPageScripts(body string) []obsSriScript {
	if body == "" {
		return nil
	}
	doc, err := html.ParseWithOptions(strings.NewReader(body), html.ParseOptionEnableScripting(false))
	if err != nil {
		return nil
	}
	var base *obsWebURL
	var scripts []*html.Node
	obsWalkElements(doc, func(e *html.Node) {
		if e.Namespace == "" && e.Data == "base" && base == nil {
			if href, ok := obsAttr(e, "href"); ok {
				if u, ok := obsParseWebURL(href, nil); ok && u.special && u.host != "" {
					base = u
				} else {
					base = &obsWebURL{} // about:blank: relative URLs stay unresolved
				}
			}
		}
		if e.Data == "script" {
			scripts = append(scripts, e)
		}
	})
	if base != nil && base.scheme == "" {
		base = nil
	}
	out := make([]obsSriScript, len(scripts))
	for i, e := range scripts {
		if e.Namespace != "" {
			continue
		}
		raw, ok := obsAttr(e, "src")
		if !ok {
			continue
		}
		out[i].integrity, _ = obsAttr(e, "integrity")
		if u, ok := obsParseWebURL(raw, base); ok {
			out[i].src, out[i].url = u.String(), u
		} else {
			out[i].src = raw
		}
	}
	return out
}

// sriTest checks the page's scripts for Subresource Integrity.
func (g *obsGradeContext) sriTest() TestResult {
	ct, _ := g.main.first("content-type")
	mime, _, _ := strings.Cut(ct, ";")
	result := ""
	var scripts []obsSriScript
	if mime != "text/html" && mime != "application/xhtml+xml" {
		result = resSriNotHTML
	} else {
		scripts = obsPageScripts(g.html)
		hostDomain := obsRegistrableDomain(g.host)
		foreign := false
		for _, s := range scripts {
			if s.src == "" {
				continue
			}
			relOrigin, relProto, sameSite := false, false, false
			switch {
			case obsProtocolRelative(s.src):
				relProto, sameSite = true, true
			case obsFullURL(s.src):
				host := ""
				if s.url != nil {
					host = s.url.host
				}
				sameSite = obsRegistrableDomain(host) == hostDomain
			default:
				relOrigin, sameSite = true, true
			}
			secureOrigin := relOrigin || sameSite && !relProto
			if !secureOrigin {
				foreign = true
			}
			secureScheme := relOrigin && g.https
			if !relProto && !relOrigin && s.url != nil && s.url.scheme == "https" {
				secureScheme = true
			}
			switch {
			case secureOrigin:
				if s.integrity != "" && secureScheme && result == "" {
					result = resSriAllSecure
				}
			case s.integrity != "" && !secureScheme:
				result = resSriWorse(resSriSRIExternalHTTP, result)
			case s.integrity == "" && secureScheme:
				result = resSriWorse(resSriNoSRIExternalHTTPS, result)
			case s.integrity == "":
				result = resSriWorse(resSriNoSRIExternalHTTP, result)
			}
		}
		switch {
		case len(scripts) == 0:
			result = resSriNoScripts
		case result == "" && foreign:
			result = resSriExternalSecure
		case result == "":
			result = resSriSameOrigin
		}
	}
	pass := false
	switch result {
	case resSriAllSecure, resSriExternalSecure, resSriNotHTML, resSriSameOrigin, resSriNoScripts:
		pass = true
	}
	return g.result(TestSRI, result, pass, g.sriFix(result))
}

// obsRegistrableDomain is the host's registrable domain by the ICANN section
// of the Public Suffix List (as tldts computes it by default), or "" for
// an IP address, a public suffix or an empty host.
func obsRegistrableDomain(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || isIPLiteral(strings.Trim(host, "[]")) || strings.Contains(host, "..") {
		return ""
	}
	ps, icann := publicsuffix.PublicSuffix(host)
	for !icann && strings.Contains(ps, ".") {
		ps, icann = publicsuffix.PublicSuffix(ps[strings.IndexByte(ps, '.')+1:])
	}
	if len(host) <= len(ps) || !strings.HasSuffix(host, "."+ps) {
		return ""
	}
	rest := host[:len(host)-len(ps)-1]
	return rest[strings.LastIndexByte(rest, '.')+1:] + "." + ps
}

// obsWebURL is the little of a WHATWG URL the SRI test needs.
type obsWebURL struct {
	scheme  string // lower case, without ":"
	special bool   // http, https, ws, wss, ftp, file
	host    string // lower case, without port
	port    string
	rest    string // path, query and fragment
}

func (u *obsWebURL) String() string {
	if !u.special {
		return u.scheme + ":" + u.rest
	}
	s := u.scheme + "://" + u.host
	if u.port != "" {
		s += ":" + u.port
	}
	return s + u.rest
}

var obsSpecialSchemes = map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21", "file": ""}

// obsSchemePrefix returns the scheme that starts s with its ":" (the
// WHATWG URL Standard's scheme state: an ASCII letter, then letters,
// digits, "+", "-" and "."), or "" when s starts with none.
func obsSchemePrefix(s string) string {
	if s == "" || !('a' <= s[0]|0x20 && s[0]|0x20 <= 'z') {
		return ""
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			return s[:i+1]
		case 'a' <= c|0x20 && c|0x20 <= 'z', '0' <= c && c <= '9', c == '+', c == '-', c == '.':
		default:
			return ""
		}
	}
	return ""
}

// obsParseWebURL parses s as a URL against base (nil: about:blank, against
// which only absolute URLs parse), in the spirit of the WHATWG URL
// Standard: enough to tell the scheme and the host.
func obsParseWebURL(s string, base *obsWebURL) (*obsWebURL, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	if m := obsSchemePrefix(s); m != "" {
		scheme := strings.ToLower(m[:len(m)-1])
		rest := s[len(m):]
		if _, ok := obsSpecialSchemes[scheme]; !ok {
			return &obsWebURL{scheme: scheme, rest: rest}, true
		}
		if base != nil && base.scheme == scheme && !strings.HasPrefix(rest, "/") && !strings.HasPrefix(rest, `\`) {
			return obsRelativeURL(rest, base), true
		}
		return obsAuthorityURL(scheme, strings.TrimLeft(rest, `/\`))
	}
	if base == nil {
		return nil, false
	}
	if strings.HasPrefix(s, "//") || strings.HasPrefix(s, `\\`) || strings.HasPrefix(s, `/\`) || strings.HasPrefix(s, `\/`) {
		return obsAuthorityURL(base.scheme, strings.TrimLeft(s, `/\`))
	}
	return obsRelativeURL(s, base), true
}

func obsRelativeURL(s string, base *obsWebURL) *obsWebURL {
	u := *base
	switch {
	case strings.HasPrefix(s, "/") || strings.HasPrefix(s, `\`):
		u.rest = s
	case s == "":
	default:
		u.rest = "/" + s
	}
	return &u
}

// obsAuthorityURL parses "host[:port][/path...]" for a special scheme.
func obsAuthorityURL(scheme, s string) (*obsWebURL, bool) {
	end := strings.IndexAny(s, `/\?#`)
	if end < 0 {
		end = len(s)
	}
	auth, rest := s[:end], s[end:]
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		auth = auth[i+1:]
	}
	host, port := auth, ""
	if strings.HasPrefix(auth, "[") {
		i := strings.IndexByte(auth, ']')
		if i < 0 {
			return nil, false
		}
		host, port = auth[:i+1], strings.TrimPrefix(auth[i+1:], ":")
	} else if i := strings.LastIndexByte(auth, ':'); i >= 0 {
		host, port = auth[:i], auth[i+1:]
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return nil, false
		}
	}
	port = strings.TrimLeft(port, "0")
	if port == obsSpecialSchemes[scheme] {
		port = ""
	}
	host = strings.ToLower(host)
	if (host == "" && scheme != "file") || strings.ContainsAny(host, " #%/<>?@\\^|") {
		return nil, false
	}
	if !strings.HasPrefix(rest, "/") && !strings.HasPrefix(rest, `\`) {
		rest = "/" + rest
	}
	return &obsWebURL{scheme: scheme, special: true, host: host, port: port, rest: strings.ReplaceAll(rest, `\`, "/")}, true
}
