package headers

import "strings"

// knownDirectives are the directive names browsers know or knew (CSP
// Level 3 and the drafts it replaced), with whether each is a fetch
// directive whose values are a source list.
var knownDirectives = map[string]bool{
	"default-src":               true,
	"child-src":                 true,
	"connect-src":               true,
	"font-src":                  true,
	"frame-src":                 true,
	"fenced-frame-src":          true,
	"img-src":                   true,
	"manifest-src":              true,
	"media-src":                 true,
	"object-src":                true,
	"prefetch-src":              true,
	"script-src":                true,
	"script-src-elem":           true,
	"script-src-attr":           true,
	"style-src":                 true,
	"style-src-elem":            true,
	"style-src-attr":            true,
	"worker-src":                true,
	"base-uri":                  false,
	"form-action":               false,
	"frame-ancestors":           false,
	"navigate-to":               false,
	"sandbox":                   false,
	"plugin-types":              false,
	"report-uri":                false,
	"report-to":                 false,
	"upgrade-insecure-requests": false,
	"block-all-mixed-content":   false,
	"require-sri-for":           false,
	"require-trusted-types-for": false,
	"trusted-types":             false,
	"webrtc":                    false,
	"reflected-xss":             false,
	"referrer":                  false,
	"disown-opener":             false,
}

// deprecatedDirectives says why each deprecated or removed directive
// should go, and what replaces it.
var deprecatedDirectives = map[string]string{
	"reflected-xss":           "reflected-xss was dropped in CSP Level 2 and does nothing",
	"referrer":                "referrer was dropped in CSP Level 2; send a Referrer-Policy header instead",
	"disown-opener":           "disown-opener was dropped in CSP Level 3; send Cross-Origin-Opener-Policy instead",
	"prefetch-src":            "prefetch-src was removed from CSP Level 3 and browsers ignore it",
	"plugin-types":            "plugin-types was removed: browsers no longer run plugins; keep object-src 'none'",
	"block-all-mixed-content": "block-all-mixed-content is obsolete: browsers block or upgrade mixed content already; use upgrade-insecure-requests",
	"navigate-to":             "navigate-to was removed from CSP Level 3 and no browser enforces it",
	"require-sri-for":         "require-sri-for never shipped in a stable browser",
}

// knownKeywords are the quoted keyword sources (CSP Level 3, Section
// 2.3.1, and the keywords of Trusted Types, speculation rules and
// WebAssembly).
var knownKeywords = map[string]bool{
	"'self'":                     true,
	"'none'":                     true,
	"'unsafe-inline'":            true,
	"'unsafe-eval'":              true,
	"'wasm-eval'":                true,
	"'wasm-unsafe-eval'":         true,
	"'strict-dynamic'":           true,
	"'unsafe-hashed-attributes'": true,
	"'unsafe-hashes'":            true,
	"'report-sample'":            true,
	"'block'":                    true,
	"'allow'":                    true,
	"'inline-speculation-rules'": true,
	"'report-sha256'":            true,
	"'report-sha384'":            true,
	"'report-sha512'":            true,
	"'trusted-types-eval'":       true,
	"'unsafe-allow-redirects'":   true,
}

// isSchemeSource: scheme-source = scheme ":" (CSP Level 3, Section 2.3.1;
// RFC 3986, Section 3.1).
func isSchemeSource(v string) bool {
	if len(v) < 2 || v[len(v)-1] != ':' || !asciiAlpha(v[0]) {
		return false
	}
	for i := 1; i < len(v)-1; i++ {
		c := v[i]
		if !asciiAlpha(c) && !asciiDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func asciiAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func asciiDigit(c byte) bool { return c >= '0' && c <= '9' }

// isBase64Value: base64-value = 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" )*2( "=" )
// (CSP Level 3, Section 2.3.1).
func isBase64Value(v string) bool {
	body := strings.TrimRight(v, "=")
	if body == "" || len(v)-len(body) > 2 {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !asciiAlpha(c) && !asciiDigit(c) && c != '+' && c != '/' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// nonceValue returns the value of a 'nonce-...' source.
func nonceValue(v string) (string, bool) {
	if len(v) > len("'nonce-'") && strings.HasPrefix(v, "'nonce-") && strings.HasSuffix(v, "'") {
		return v[len("'nonce-") : len(v)-1], true
	}
	return "", false
}

// isNonceSource: a well-formed nonce-source.
func isNonceSource(v string) bool {
	n, ok := nonceValue(v)
	return ok && isBase64Value(n)
}

// hashValue splits a 'sha256-...' source into algorithm and value.
func hashValue(v string) (alg, value string, ok bool) {
	if len(v) < 3 || v[0] != '\'' || v[len(v)-1] != '\'' {
		return "", "", false
	}
	alg, value, ok = strings.Cut(v[1:len(v)-1], "-")
	if !ok {
		return "", "", false
	}
	switch strings.ToLower(alg) {
	case "sha256", "sha384", "sha512":
		return strings.ToLower(alg), value, value != ""
	}
	return "", "", false
}

// isHashSource: a well-formed hash-source.
func isHashSource(v string) bool {
	_, h, ok := hashValue(v)
	return ok && isBase64Value(h)
}

// hashDigestLen is the length in bytes of each algorithm's digest.
var hashDigestLen = map[string]int{"sha256": 32, "sha384": 48, "sha512": 64}

// broadSources are sources that allow any host (with any scheme of the
// page's own kind).
func isWildcardSource(v string) bool {
	return schemeFree(v) == "*"
}

// schemeFree drops a leading "scheme://" or "//".
func schemeFree(v string) string {
	if i := strings.Index(v, "://"); i > 0 && isSchemeSource(v[:i+1]) {
		return v[i+3:]
	}
	return strings.TrimPrefix(v, "//")
}

// sourceHost returns the host of a host-source ("https://*.example.com:443/x"
// gives "*.example.com"; "[::1]:8080" gives "[::1]").
func sourceHost(v string) string {
	h := schemeFree(v)
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i > 0 {
			return h[:i+1]
		}
		return h
	}
	if i := strings.IndexAny(h, ":/?#"); i >= 0 {
		h = h[:i]
	}
	return strings.ToLower(h)
}

// isIPv4 reports whether s is four dot-separated groups of 1-3 digits.
func isIPv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) == 0 || len(p) > 3 {
			return false
		}
		for i := 0; i < len(p); i++ {
			if !asciiDigit(p[i]) {
				return false
			}
		}
	}
	return true
}

// bypassHost is a host known to serve JSONP endpoints or old AngularJS
// builds (either lets an attacker run script under a host allowlist), or
// Flash files that bypass object-src. The list is a selection of the
// hosts in Google's CSP Evaluator (allowlist_bypasses/*.ts, Apache 2.0),
// those a site is likely to allow; a host-source without a path matches
// when its host is the listed host (or a "*." wildcard covers it).
type bypassHost struct {
	host      string
	path      string // a path on the host known to bypass, "" for any
	jsonp     bool
	angular   bool
	flash     bool
	needsEval bool // the JSONP endpoint needs 'unsafe-eval' to be useful
}

var bypassHosts = []bypassHost{
	{host: "ajax.googleapis.com", path: "/ajax/libs/angularjs/1.2.0rc1/angular-route.min.js", angular: true},
	{host: "ajax.googleapis.com", path: "/ajax/services/search/news", jsonp: true},
	{host: "ajax.googleapis.com", path: "/ajax/libs/yui/2.8.0r4/build/charts/assets/charts.swf", flash: true},
	{host: "cdnjs.cloudflare.com", path: "/ajax/libs/angular.js/", angular: true},
	{host: "cdn.jsdelivr.net", jsonp: true, angular: true},
	{host: "www.gstatic.com", path: "/fsn/angular_js-bundle1.js", angular: true},
	{host: "gstatic.com", path: "/fsn/angular_js-bundle1.js", angular: true},
	{host: "storage.googleapis.com", angular: true},
	{host: "raw.githubusercontent.com", angular: true},
	{host: "cdn.shopify.com", angular: true},
	{host: "oss.maxcdn.com", angular: true},
	{host: "cdn.bootcss.com", angular: true},
	{host: "yastatic.net", angular: true},
	{host: "www.google.com", jsonp: true},
	{host: "accounts.google.com", jsonp: true},
	{host: "translate.google.com", jsonp: true},
	{host: "translate.googleapis.com", jsonp: true},
	{host: "maps.googleapis.com", jsonp: true},
	{host: "www.googleapis.com", jsonp: true},
	{host: "clients1.google.com", jsonp: true},
	{host: "books.google.com", jsonp: true},
	{host: "cse.google.com", jsonp: true},
	{host: "maps.google.com", jsonp: true},
	{host: "www.googletagmanager.com", jsonp: true, needsEval: true},
	{host: "googletagmanager.com", jsonp: true, needsEval: true},
	{host: "www.google-analytics.com", jsonp: true, needsEval: true},
	{host: "ssl.google-analytics.com", jsonp: true, needsEval: true},
	{host: "www.googleadservices.com", jsonp: true, angular: true, needsEval: true},
	{host: "googleads.g.doubleclick.net", jsonp: true},
	{host: "securepubads.g.doubleclick.net", jsonp: true},
	{host: "pagead2.googlesyndication.com", jsonp: true},
	{host: "www.youtube.com", jsonp: true},
	{host: "vimeo.com", jsonp: true},
	{host: "graph.facebook.com", jsonp: true},
	{host: "www.facebook.com", jsonp: true},
	{host: "api.facebook.com", jsonp: true},
	{host: "publish.twitter.com", jsonp: true},
	{host: "syndication.twitter.com", jsonp: true},
	{host: "cdn.syndication.twimg.com", jsonp: true},
	{host: "api.vk.com", jsonp: true},
	{host: "vk.com", path: "/swf/video.swf", flash: true},
	{host: "api.mixpanel.com", jsonp: true},
	{host: "mc.yandex.ru", jsonp: true},
	{host: "api.instagram.com", jsonp: true},
	{host: "api.flickr.com", jsonp: true},
	{host: "www.blogger.com", jsonp: true},
	{host: "se.wikipedia.org", jsonp: true},
}

// matchBypass returns the listed bypass entries a host-source allows:
// same host (or a wildcard covering it), and, when the source has a path,
// a listed path under it.
func matchBypass(source string, want func(bypassHost) bool) (bypassHost, bool) {
	rest := schemeFree(source)
	host := sourceHost(source)
	path := ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		path = rest[i:]
	}
	for _, b := range bypassHosts {
		if !want(b) {
			continue
		}
		if wild, ok := strings.CutPrefix(host, "*"); ok && strings.HasPrefix(wild, ".") {
			if !strings.HasSuffix(b.host, wild) {
				continue
			}
		} else if host != b.host {
			continue
		}
		if path != "" && path != "/" {
			if b.path == "" {
				continue // only some paths on this host are known; be sure.
			}
			if strings.HasSuffix(path, "/") && !strings.HasPrefix(b.path, path) ||
				!strings.HasSuffix(path, "/") && b.path != path {
				continue
			}
		}
		return b, true
	}
	return bypassHost{}, false
}
