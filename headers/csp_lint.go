package headers

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
)

// HeaderCSP and the other canonical names of the headers this package
// builds and checks.
const (
	HeaderCSP            = "Content-Security-Policy"
	HeaderCSPReportOnly  = "Content-Security-Policy-Report-Only"
	HeaderHSTS           = "Strict-Transport-Security"
	HeaderPermissions    = "Permissions-Policy"
	HeaderReferrerPolicy = "Referrer-Policy"
	HeaderXCTO           = "X-Content-Type-Options"
	HeaderXFO            = "X-Frame-Options"
	HeaderCOOP           = "Cross-Origin-Opener-Policy"
	HeaderCOEP           = "Cross-Origin-Embedder-Policy"
	HeaderCORP           = "Cross-Origin-Resource-Policy"
	HeaderCacheControl   = "Cache-Control"
)

// CheckCSP parses a policy and lints it, as a header value: a value that
// cannot be read at all gives one error finding and a nil policy.
func CheckCSP(text string) (*CSP, Findings) {
	c, err := ParseCSP(text)
	if err != nil {
		return nil, Findings{{Code: "headers.csp_invalid", Severity: Error, Header: HeaderCSP,
			Message: strings.TrimPrefix(err.Error(), ErrCSP.Error()+": "), Fix: "write directives as name value value; name value ..."}}
	}
	return c, c.Lint()
}

// Lint checks a policy with the rule set of Google's CSP Evaluator (its
// DEFAULT_CHECKS, on the policy as a CSP Level 3 browser applies it), plus
// what the evaluator does not check: repeated directives, 'none' mixed
// with sources, malformed hashes, 'strict-dynamic' with nothing to trust,
// insecure schemes outside script-src, and the length limits of
// CloudFront response headers policies and _headers files.
//
// Syntax problems (unknown directive, a name ending in ":", a directive
// name among the values, an unquoted or unknown keyword, non-ASCII text)
// are errors: the browser ignores or misreads that part. What the
// evaluator rates HIGH or MEDIUM is a warning; its "maybe" and INFO
// findings are info.
func (c *CSP) Lint() Findings { return c.lint(false) }

// LintStrict is [CSP.Lint] plus the evaluator's STRICTCSP_CHECKS and its
// reporting check: 'strict-dynamic' with nonces or hashes instead of a
// host allowlist, the fallbacks for older browsers, Trusted Types, and a
// reporting destination. These are all info.
func (c *CSP) LintStrict() Findings { return c.lint(true) }

// cspView is a policy as a browser reads it: the first of each directive,
// values without repetition.
type cspView struct {
	dirs map[string][]string
}

func newView(c *CSP) *cspView {
	v := &cspView{dirs: map[string][]string{}}
	for _, d := range c.Directives {
		if _, dup := v.dirs[d.Name]; dup {
			continue
		}
		vals := make([]string, 0, len(d.Values))
		seen := make(map[string]bool, len(d.Values))
		for _, s := range d.Values {
			if !seen[s] {
				seen[s] = true
				vals = append(vals, s)
			}
		}
		v.dirs[d.Name] = vals
	}
	return v
}

func (v *cspView) has(name string) bool { _, ok := v.dirs[name]; return ok }

// effective is the directive a check of name looks at, as the evaluator
// resolves it: the directive, script-src or style-src for their -elem and
// -attr forms, default-src for any other fetch directive.
func (v *cspView) effective(name string) string {
	if v.has(name) {
		return name
	}
	switch name {
	case "script-src-attr", "script-src-elem":
		if v.has("script-src") {
			return "script-src"
		}
	case "style-src-attr", "style-src-elem":
		if v.has("style-src") {
			return "style-src"
		}
	}
	if knownDirectives[name] && name != "fenced-frame-src" && name != "prefetch-src" {
		return "default-src"
	}
	return name
}

func (v *cspView) effectiveAll(names ...string) []string {
	var out []string
	for _, n := range names {
		if e := v.effective(n); !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func (v *cspView) hasNonces(name string) bool {
	return slices.ContainsFunc(v.dirs[v.effective(name)], isNonceSource)
}

func (v *cspView) hasHashes(name string) bool {
	return slices.ContainsFunc(v.dirs[v.effective(name)], isHashSource)
}

func (v *cspView) hasStrictDynamic(name string) bool {
	return slices.Contains(v.dirs[v.effective(name)], SourceStrictDynamic)
}

// enforced returns the view as a CSP Level 3 browser enforces the script
// directives: 'unsafe-inline' dropped where a nonce or hash is present,
// and with 'strict-dynamic', hosts, schemes and 'self' dropped too (CSP
// Level 3, Sections 6.7.3.1 and 8.2).
func (v *cspView) enforced() *cspView {
	out := &cspView{dirs: map[string][]string{}}
	for k, vals := range v.dirs {
		out.dirs[k] = slices.Clone(vals)
	}
	for _, n := range []string{"script-src", "script-src-attr", "script-src-elem", "style-src", "style-src-attr", "style-src-elem"} {
		d := out.effective(n)
		vals, ok := out.dirs[d]
		if !ok {
			continue
		}
		if slices.ContainsFunc(v.dirs[d], isNonceSource) || slices.ContainsFunc(v.dirs[d], isHashSource) {
			vals = slices.DeleteFunc(vals, func(s string) bool { return s == SourceUnsafeInline })
		}
		if strings.HasPrefix(n, "script") && slices.Contains(v.dirs[d], SourceStrictDynamic) {
			vals = slices.DeleteFunc(vals, func(s string) bool {
				return !strings.HasPrefix(s, "'") || s == SourceSelf || s == SourceUnsafeInline
			})
		}
		out.dirs[d] = vals
	}
	return out
}

// scriptDirectives are where a source can run script; base-uri too, by
// rebasing relative script URLs (the evaluator's DIRECTIVES_CAUSING_XSS).
var scriptDirectives = []string{"script-src", "script-src-attr", "script-src-elem", "object-src", "base-uri"}

func (c *CSP) lint(strict bool) Findings {
	var out Findings
	add := func(code string, sev Severity, where, msg, fix string) {
		out = append(out, Finding{Code: code, Severity: sev, Header: HeaderCSP, Where: where, Message: msg, Fix: fix})
	}
	if len(c.Directives) == 0 {
		add("headers.csp_invalid", Error, "", "the policy has no directive", "write directives as name value value; name value ...")
		return out
	}
	all := newView(c)
	eff := all.enforced()

	// Syntax, on the policy as written.
	seen := map[string]bool{}
	for _, d := range c.Directives {
		if seen[d.Name] {
			if d.Name == "report-uri" || d.Name == "report-to" {
				add("headers.csp_duplicate_directive", Warning, d.Name,
					fmt.Sprintf("%s appears more than once; browsers use only the first", d.Name),
					"merge the values into one "+d.Name)
			} else {
				add("headers.csp_duplicate_directive", Error, d.Name,
					fmt.Sprintf("%s appears more than once: browsers ignore all but the first, and the MDN Observatory rates the policy invalid", d.Name),
					"merge the values into one "+d.Name)
			}
			continue
		}
		seen[d.Name] = true
		if nonASCII(d.Name) || slices.ContainsFunc(d.Values, nonASCII) {
			add("headers.csp_non_ascii", Error, d.Name,
				fmt.Sprintf("%s holds non-ASCII text, so browsers skip the whole directive (CSP Level 3, Section 2.2.1)", clip(d.Name)),
				"write hosts in punycode (xn--...) and percent-encode paths")
			continue
		}
		if _, ok := knownDirectives[d.Name]; !ok {
			if strings.HasSuffix(d.Name, ":") {
				add("headers.csp_directive_colon", Error, d.Name,
					fmt.Sprintf("%q: CSP directive names do not end with a colon; browsers ignore this directive", d.Name),
					fmt.Sprintf("write %s without the colon", strings.TrimSuffix(d.Name, ":")))
			} else {
				add("headers.csp_unknown_directive", Error, d.Name,
					fmt.Sprintf("%q is not a known CSP directive; browsers ignore it", clip(d.Name)), "check the spelling, or remove it")
			}
		}
		if why, ok := deprecatedDirectives[d.Name]; ok {
			add("headers.csp_deprecated_directive", Info, d.Name, why, "remove "+d.Name)
		}
		for _, v := range d.Values {
			if _, ok := knownDirectives[v]; ok {
				add("headers.csp_missing_semicolon", Error, d.Name,
					fmt.Sprintf("%q in %s is a directive name, not a source: is a semicolon missing?", v, d.Name),
					fmt.Sprintf("end %s with \";\" before %s", d.Name, v))
			}
		}
		c.lintKeywords(d, add)
		c.lintSources(d, add)
	}

	// Missing directives (on the enforced view, as the evaluator).
	// An empty object-src or default-src means 'none' (CSP Level 3,
	// Section 2.3.1); the evaluator counts it as missing.
	if !eff.has("object-src") && !eff.has("default-src") {
		add("headers.csp_missing_object_src", Warning, "object-src",
			"no object-src (nor default-src): plugins (<object>, <embed>) can be injected and run script",
			"add object-src 'none'")
	}
	if !eff.has("script-src") && !eff.has("default-src") {
		add("headers.csp_missing_script_src", Warning, "script-src",
			"no script-src (nor default-src): the policy does not restrict scripts at all",
			"add script-src 'self' (plus hashes or nonces for inline scripts)")
	}
	if (eff.hasNonces("script-src") || eff.hasHashes("script-src") && eff.hasStrictDynamic("script-src")) && !eff.has("base-uri") {
		add("headers.csp_missing_base_uri", Warning, "base-uri",
			"no base-uri while scripts are allowed by nonce or by hash with 'strict-dynamic': an injected <base> tag can move relative script URLs to another host",
			"add base-uri 'none' (or 'self')")
	}

	// Inline script and eval.
	for _, d := range eff.effectiveAll("script-src", "script-src-attr", "script-src-elem") {
		vals := eff.dirs[d]
		if slices.Contains(vals, SourceUnsafeInline) {
			add("headers.csp_unsafe_inline", Warning, d,
				fmt.Sprintf("'unsafe-inline' in %s lets injected inline scripts and event handlers run", d),
				"remove 'unsafe-inline'; allow each inline script by its hash ('sha256-...') or a nonce")
		}
		if slices.Contains(vals, SourceUnsafeHashes) {
			add("headers.csp_unsafe_hashes", Info, d,
				fmt.Sprintf("'unsafe-hashes' in %s allows the listed inline event handlers; safer than 'unsafe-inline', but better moved to script files", d),
				"replace onclick=... attributes with addEventListener in a script file")
		}
	}
	for _, d := range all.effectiveAll("script-src", "script-src-attr", "script-src-elem") {
		if slices.Contains(eff.dirs[d], SourceUnsafeEval) {
			add("headers.csp_unsafe_eval", Warning, d,
				fmt.Sprintf("'unsafe-eval' in %s lets strings become code through eval(), new Function() and the like", d),
				"remove 'unsafe-eval' (use 'wasm-unsafe-eval' if only WebAssembly needs it)")
		}
	}
	for _, d := range eff.effectiveAll("style-src", "style-src-attr", "style-src-elem") {
		if slices.Contains(eff.dirs[d], SourceUnsafeInline) {
			add("headers.csp_style_unsafe_inline", Info, d,
				fmt.Sprintf("'unsafe-inline' in %s allows injected styles (CSS can leak page content); the MDN Observatory gives 0 instead of +5", d),
				"hash inline <style> elements ('sha256-...') and move style attributes to classes")
		}
	}

	// Schemes and wildcards where they allow script.
	for _, d := range eff.effectiveAll(scriptDirectives...) {
		for _, v := range eff.dirs[d] {
			switch {
			case v == "data:" || v == "http:" || v == "https:":
				add("headers.csp_plain_scheme", Warning, d,
					fmt.Sprintf("%s in %s allows script from any host (or from data: URLs)", v, d),
					fmt.Sprintf("list the hosts %s needs, or use hashes or nonces with 'strict-dynamic'", d))
			case isWildcardSource(v):
				add("headers.csp_wildcard", Warning, d,
					fmt.Sprintf("%s in %s allows any host", v, d),
					fmt.Sprintf("list the hosts %s needs", d))
			}
		}
	}
	scriptEff := eff.effectiveAll(scriptDirectives...)
	for _, d := range c.Directives {
		if slices.Contains(scriptEff, d.Name) || !knownDirectives[d.Name] {
			continue
		}
		for _, v := range d.Values {
			if v == "http:" || v == "ftp:" {
				add("headers.csp_insecure_scheme", Warning, d.Name,
					fmt.Sprintf("%s in %s allows loads over an unencrypted connection", v, d.Name),
					"use https: or list https:// hosts")
			}
		}
	}

	// Host allowlists of script and object-src.
	for _, d := range eff.effectiveAll("script-src", "script-src-elem") {
		vals := eff.dirs[d]
		if slices.Contains(vals, SourceNone) {
			continue
		}
		for _, v := range vals {
			if v == SourceSelf {
				add("headers.csp_allowlist_self", Info, d,
					fmt.Sprintf("'self' in %s is only as safe as every script URL of the site: JSONP endpoints, AngularJS or uploaded files on the origin bypass it", d),
					"use hashes or nonces with 'strict-dynamic' if the origin serves such files")
				continue
			}
			if strings.HasPrefix(v, "'") || isSchemeSource(v) || !strings.Contains(v, ".") {
				continue
			}
			if b, ok := matchBypass(v, func(b bypassHost) bool {
				return b.angular || b.jsonp && (!b.needsEval || slices.Contains(vals, SourceUnsafeEval))
			}); ok {
				what := "JSONP endpoints"
				switch {
				case b.angular && b.jsonp:
					what = "JSONP endpoints and AngularJS"
				case b.angular:
					what = "AngularJS"
				}
				add("headers.csp_allowlist_bypass", Warning, d,
					fmt.Sprintf("%s in %s: %s is known to host %s, which lets an attacker run script despite the policy", v, d, b.host, what),
					"use hashes or nonces with 'strict-dynamic' instead of a host allowlist")
			} else {
				add("headers.csp_allowlist_host", Info, d,
					fmt.Sprintf("%s in %s: no bypass is known, but make sure it serves no JSONP or AngularJS", v, d),
					"use hashes or nonces with 'strict-dynamic' instead of a host allowlist")
			}
		}
	}
	if objDir := eff.effective("object-src"); !slices.Contains(eff.dirs[objDir], SourceNone) {
		pt, hasPT := eff.dirs["plugin-types"]
		if !hasPT || slices.Contains(pt, "application/x-shockwave-flash") {
			for _, v := range eff.dirs[objDir] {
				if b, ok := matchBypass(v, func(b bypassHost) bool { return b.flash }); ok {
					add("headers.csp_object_bypass", Warning, objDir,
						fmt.Sprintf("%s in %s: %s is known to host Flash files that bypass the policy", v, objDir, b.host),
						"set object-src 'none'")
				} else if objDir == "object-src" {
					add("headers.csp_object_allowlist", Info, objDir,
						fmt.Sprintf("%s in object-src: browsers no longer run plugins, so nothing needs more than 'none'", v),
						"set object-src 'none'")
				}
			}
		}
	}

	// Every source of every directive.
	done := map[string]bool{}
	for _, d := range c.Directives {
		if done[d.Name] {
			continue
		}
		done[d.Name] = true
		for _, v := range all.dirs[d.Name] {
			if n, ok := nonceValue(v); ok {
				if len(n) < 8 {
					add("headers.csp_nonce_length", Warning, d.Name,
						fmt.Sprintf("the nonce %s is shorter than 8 characters and can be guessed", v),
						"use 16 random bytes in base64 (128 bits), new for every response")
				}
				if !isBase64Value(n) {
					add("headers.csp_nonce_charset", Info, d.Name,
						fmt.Sprintf("the nonce %s has characters outside base64", clip(v)), "use base64 (A-Z a-z 0-9 + / = or - _)")
				}
			}
			if strings.HasPrefix(strings.ToLower(v), "http://") {
				if d.Name == "report-uri" {
					add("headers.csp_http_source", Warning, d.Name,
						fmt.Sprintf("%s sends violation reports unencrypted", clip(v)), "use an https:// URL")
				} else {
					add("headers.csp_http_source", Warning, d.Name,
						fmt.Sprintf("%s in %s allows loads over an unencrypted connection", clip(v), d.Name), "use https://")
				}
			}
			if strings.HasPrefix(v, "'") || isSchemeSource(v) {
				continue
			}
			host := sourceHost(v)
			switch {
			case host == "127.0.0.1":
				add("headers.csp_ip_source", Info, d.Name,
					fmt.Sprintf("%s in %s allows localhost; remove it in production", v, d.Name), "remove "+v)
			case isIPv4(host) || strings.HasPrefix(host, "["):
				add("headers.csp_ip_source", Info, d.Name,
					fmt.Sprintf("%s in %s is an IP address: browsers match it only when the page loads it by that address", v, d.Name),
					"use the host name")
			}
		}
	}

	// 'strict-dynamic' with nothing to trust (the MDN Observatory rates the
	// policy invalid; browsers then allow no script but hashed ones).
	sd := all.effective("script-src")
	if slices.Contains(all.dirs[sd], SourceStrictDynamic) && !all.hasNonces("script-src") && !all.hasHashes("script-src") {
		add("headers.csp_strict_dynamic_alone", Warning, sd,
			"'strict-dynamic' without a nonce or hash blocks every script (and the MDN Observatory rates the policy invalid)",
			"add the nonce or the hashes of the scripts that load the others")
	}

	// Length limits of the hosts that carry the header.
	text := c.String()
	if n := len(text); n > CloudFrontMaxValue {
		add("headers.csp_too_long_cloudfront", Warning, "",
			fmt.Sprintf("the policy is %d characters: a CloudFront response headers policy takes at most %d without a quota raise", n, CloudFrontMaxValue),
			"serve it from a CloudFront Function or Lambda@Edge, shorten it (fewer hashes: move inline scripts to files), or ask AWS to raise the quota")
	}
	if n := len("  "+HeaderCSP+": ") + len(text); n > HeadersFileMaxLine {
		add("headers.csp_too_long_headers_file", Info, "",
			fmt.Sprintf("as a _headers line the policy is %d characters: Cloudflare Pages reads at most %d", n, HeadersFileMaxLine),
			"shorten the policy, or set it from a Worker")
	}
	if strict {
		out = append(out, c.lintStrict(all)...)
	}
	return out
}

// lintKeywords checks quoted keywords, and keywords that should be
// quoted (the evaluator's checkInvalidKeyword).
func (c *CSP) lintKeywords(d Directive, add func(code string, sev Severity, where, msg, fix string)) {
	for _, v := range d.Values {
		if !strings.HasPrefix(v, "'") && looksLikeKeyword(strings.ToLower(v)) {
			add("headers.csp_unquoted_keyword", Error, d.Name,
				fmt.Sprintf("%s in %s is not quoted, so browsers read it as a host name", clip(v), d.Name),
				fmt.Sprintf("write '%s'", v))
			continue
		}
		if !strings.HasPrefix(v, "'") {
			if sourceListDirectives[d.Name] && !isSchemeSource(v) && !isHostSource(v) {
				if base, _, ok := cutQuery(v); ok && isHostSource(base) {
					// Browsers keep the source and drop the query: CSP
					// Level 3 matches a source's path only.
					add("headers.csp_source_query", Warning, d.Name,
						fmt.Sprintf("%s in %s has a query or fragment, which browsers ignore: it allows %s", clip(v), d.Name, clip(base)),
						"write the source without ?... or #...")
					continue
				}
				add("headers.csp_invalid_source", Error, d.Name,
					fmt.Sprintf("%s in %s is not a source expression (a scheme, a host or a quoted keyword); browsers ignore it", clip(v), d.Name),
					"write a host such as https://cdn.example.com, a scheme such as https:, or a quoted keyword such as 'self'")
			}
			continue
		}
		switch d.Name {
		case "require-trusted-types-for":
			if v == "'script'" {
				continue
			}
		case "trusted-types":
			if v == "'allow-duplicates'" || v == SourceNone {
				continue
			}
		default:
			if knownKeywords[v] || isNonceSource(v) || isHashSource(v) {
				if alg, h, ok := hashValue(v); ok && isHashSource(v) {
					if n, ok := base64Len(h); !ok || n != hashDigestLen[alg] {
						add("headers.csp_malformed_hash", Warning, d.Name,
							fmt.Sprintf("%s is not the base64 of a %s digest (%d bytes), so it matches nothing", clip(v), alg, hashDigestLen[alg]),
							"compute the hash again: base64 of the raw digest, with its = padding")
					}
				}
				continue
			}
		}
		add("headers.csp_invalid_keyword", Error, d.Name,
			fmt.Sprintf("%s in %s is not a CSP keyword; browsers ignore it", clip(v), d.Name),
			"check the spelling, or remove it")
	}
}

// looksLikeKeyword: a lower-cased value that is a keyword, nonce or hash
// without its quotes.
func looksLikeKeyword(lower string) bool {
	return knownKeywords["'"+lower+"'"] || strings.HasPrefix(lower, "nonce-") ||
		strings.HasPrefix(lower, "sha256-") || strings.HasPrefix(lower, "sha384-") || strings.HasPrefix(lower, "sha512-")
}

// lintSources checks 'none' mixed with other sources.
func (c *CSP) lintSources(d Directive, add func(code string, sev Severity, where, msg, fix string)) {
	if len(d.Values) > 1 && slices.Contains(d.Values, SourceNone) {
		add("headers.csp_none_with_sources", Warning, d.Name,
			fmt.Sprintf("'none' in %s is ignored when other sources are listed", d.Name),
			"keep either 'none' alone or the sources")
	}
}

// lintStrict is the evaluator's STRICTCSP_CHECKS and reporting check.
func (c *CSP) lintStrict(all *cspView) Findings {
	var out Findings
	add := func(code, where, msg, fix string) {
		out = append(out, Finding{Code: code, Severity: Info, Header: HeaderCSP, Where: where, Message: msg, Fix: fix})
	}
	d := all.effective("script-src")
	vals := all.dirs[d]
	hasSD := slices.Contains(vals, SourceStrictDynamic)
	nonceOrHash := all.hasNonces("script-src") || all.hasHashes("script-src")
	if !hasSD && slices.ContainsFunc(vals, func(v string) bool { return !strings.HasPrefix(v, "'") }) {
		add("headers.csp_strict_dynamic_missing", d, "host allowlists can often be bypassed",
			"use 'strict-dynamic' with nonces or hashes")
	}
	if hasSD && !nonceOrHash {
		add("headers.csp_strict_dynamic_not_standalone", d, "'strict-dynamic' without a nonce or hash blocks every script",
			"add the nonce or hashes of the scripts that load the others")
	}
	if nonceOrHash && !slices.Contains(vals, SourceUnsafeInline) {
		add("headers.csp_unsafe_inline_fallback", d,
			"no 'unsafe-inline' fallback next to the nonces or hashes: a browser older than CSP Level 2 blocks the inline scripts (every current browser ignores the fallback)",
			"add 'unsafe-inline' if such browsers matter")
	}
	if hasSD && !slices.ContainsFunc(vals, func(v string) bool { return v == "http:" || v == "https:" || v == "*" || strings.Contains(v, ".") }) {
		add("headers.csp_allowlist_fallback", d,
			"no https: fallback next to 'strict-dynamic': a browser older than CSP Level 3 blocks the scripts loaded by trusted ones",
			"add https: (ignored where 'strict-dynamic' is supported)")
	}
	if !slices.Contains(all.dirs["require-trusted-types-for"], "'script'") {
		add("headers.csp_trusted_types_missing", "require-trusted-types-for",
			"Trusted Types are not required for scripts: DOM XSS sinks such as innerHTML accept plain strings",
			"add require-trusted-types-for 'script' once the code uses Trusted Types")
	}
	switch {
	case len(all.dirs["report-uri"]) > 0:
	case len(all.dirs["report-to"]) > 0:
		add("headers.csp_report_to_only", "report-to",
			"violations are reported only through report-to, which not every browser supports",
			"add a report-uri as well")
	default:
		add("headers.csp_reporting_missing", "report-uri",
			"the policy reports violations nowhere, so breakage and attacks go unseen",
			"add report-uri (and report-to with a Reporting-Endpoints header)")
	}
	return out
}

// base64Len returns the number of bytes a base64 value (standard or
// URL-safe alphabet, padded) decodes to.
func base64Len(v string) (int, bool) {
	if len(v)%4 != 0 {
		return 0, false
	}
	b := []byte(v)
	for i, c := range b {
		switch c {
		case '-':
			b[i] = '+'
		case '_':
			b[i] = '/'
		}
	}
	n, err := base64.StdEncoding.Decode(b, b)
	return n, err == nil
}

func nonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}
