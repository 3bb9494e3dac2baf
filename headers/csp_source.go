package headers

import "strings"

// sourceListDirectives are the directives whose values are source lists
// (CSP Level 3, Section 2.3.1; frame-ancestors takes the narrower
// ancestor-source-list of Section 6.4.2, which the same check covers).
var sourceListDirectives = map[string]bool{
	"default-src": true, "script-src": true, "script-src-elem": true, "script-src-attr": true,
	"style-src": true, "style-src-elem": true, "style-src-attr": true, "img-src": true,
	"font-src": true, "connect-src": true, "media-src": true, "object-src": true,
	"frame-src": true, "child-src": true, "worker-src": true, "manifest-src": true,
	"fenced-frame-src": true, "prefetch-src": true, "base-uri": true, "form-action": true,
	"frame-ancestors": true, "navigate-to": true,
}

// isHostSource reports whether v matches host-source (CSP Level 3,
// Section 2.3.1):
//
//	host-source = [ scheme-part "://" ] host-part [ ":" port-part ] [ path-part ]
//	host-part   = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]
//	host-char   = ALPHA / DIGIT / "-"
//	port-part   = 1*DIGIT / "*"
//
// An IPv6 literal in brackets is accepted too: the grammar has none, but
// browsers parse it and the IP-source lint has more to say about it.
func isHostSource(v string) bool {
	rest := v
	if i := strings.Index(rest, "://"); i >= 0 {
		if !isSchemeSource(rest[:i+1]) {
			return false
		}
		rest = rest[i+3:]
	}
	end := strings.IndexAny(rest, ":/")
	if strings.HasPrefix(rest, "[") {
		end = strings.IndexByte(rest, ']') + 1
		if end == 0 {
			return false
		}
	}
	if end < 0 {
		end = len(rest)
	}
	host, rest := rest[:end], rest[end:]
	if !isHostPart(host) {
		return false
	}
	if strings.HasPrefix(rest, ":") {
		port := rest[1:]
		if i := strings.IndexByte(port, '/'); i >= 0 {
			port, rest = port[:i], port[i:]
		} else {
			rest = ""
		}
		if port != "*" && (port == "" || strings.TrimLeft(port, "0123456789") != "") {
			return false
		}
	}
	return isPathPart(rest)
}

// isHostPart checks host-part, or an IPv6 literal in brackets.
func isHostPart(h string) bool {
	if h == "*" {
		return true
	}
	if strings.HasPrefix(h, "[") {
		inner := strings.TrimSuffix(h[1:], "]")
		return len(inner) > 1 && strings.Trim(inner, "0123456789abcdefABCDEF:.") == ""
	}
	h = strings.TrimPrefix(h, "*.")
	h = strings.TrimSuffix(h, ".")
	if h == "" {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !asciiAlpha(c) && !asciiDigit(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// isPathPart checks path-part: empty, or path-absolute of RFC 3986,
// Section 3.3 ("/" not followed by another "/") made of pchar; CSP Level 3
// excludes ";" and ",", which end a directive and a policy.
func isPathPart(p string) bool {
	if p == "" {
		return true
	}
	if p[0] != '/' || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case asciiAlpha(c), asciiDigit(c):
		case strings.IndexByte("/-._~!$&'()*+=:@%", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// cutQuery splits v at its first "?" or "#", which a host-source cannot
// hold, reporting whether there was one.
func cutQuery(v string) (base, rest string, found bool) {
	if i := strings.IndexAny(v, "?#"); i >= 0 {
		return v[:i], v[i:], true
	}
	return v, "", false
}
