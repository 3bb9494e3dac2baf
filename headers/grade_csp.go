package headers

import (
	"errors"
	"slices"
	"strings"
)

// This file holds the MDN HTTP Observatory's own reading of a
// Content-Security-Policy, kept apart from the package's CSP parser on
// purpose: the grade must come out as the Observatory's does, quirks
// included. What it reproduces:
//
//   - A policy shorter than six characters (after removing CR and LF and
//     trimming) makes the whole list invalid.
//   - Directives are split on ";" and sources on whitespace; directive
//     names are lower-cased, and so are sources.
//   - A directive given twice in one policy makes the list invalid, except
//     report-uri and report-to, which are noted (the later one replaces
//     the earlier in the first policy).
//   - A "-src" directive without sources means 'none'.
//   - Sources are sorted with Intl.Collator; in one policy a source that
//     starts with the one sorted just before it is dropped (so
//     "https://a.example/x" goes when "https://a.example/" is there, but
//     so does "'self'x" after "'self'").
//   - With several policies (header plus <meta>, or on observatory-v6 a
//     header holding several comma-separated policies), a directive that
//     a later policy repeats keeps only the sources that sort just after
//     a matching (path-wise) source of another policy, and 'none' when
//     none does; a directive only a later policy has becomes 'none';
//     one only the first policy has stays as it is.

// obsDupKey is the map key under which the Observatory records directives
// that were allowed to repeat.
const obsDupKey = "_observatory_duplicate_key_warnings"

// obsShortestPolicy: a policy must be at least as long as "img-src" less
// one character.
const obsShortestPolicy = len("img-src") - 1

// obsSrcSet is a directive's sources. A map, so that, as in the Observatory,
// two names that fall back to the same directive share one set.
type obsSrcSet map[string]bool

// obsPolicy is a parsed policy list: directive to sources, plus obsDupKey
// when report-uri or report-to repeated.
type obsPolicy map[string]obsSrcSet

var errObsCSP = errors.New("observatory: invalid policy")

var obsCrlfRemover = strings.NewReplacer("\r", "", "\n", "")

type obsSource struct {
	source string
	index  int
	keep   bool
}

// obsParseCSP parses a list of policies the Observatory's way.
func obsParseCSP(list []string) (obsPolicy, error) {
	clean := make([]string, len(list))
	for i, p := range list {
		clean[i] = obsJsTrim(obsCrlfRemover.Replace(p))
	}
	if len(clean) == 0 {
		return obsPolicy{}, nil
	}
	for _, p := range clean {
		if p == "" || obsUtf16Len(p) < obsShortestPolicy {
			return nil, errObsCSP
		}
	}
	csp := map[string][]*obsSource{}
	var order []string
	dups := obsSrcSet{}
	for index, policy := range clean {
		seen := map[string]bool{}
		for _, entry := range strings.Split(policy, ";") {
			tokens := obsJsFields(entry)
			if len(tokens) == 0 {
				continue
			}
			directive := obsJsLower(tokens[0])
			values := tokens[1:]
			if seen[directive] {
				if directive != "report-uri" && directive != "report-to" {
					return nil, errObsCSP
				}
				dups[directive] = true
			}
			seen[directive] = true

			keep := index == 0
			var fresh []*obsSource
			for _, v := range values {
				fresh = append(fresh, &obsSource{source: obsJsLower(obsJsTrim(v)), index: index, keep: keep})
			}
			if len(values) == 0 && strings.HasSuffix(directive, "-src") {
				fresh = append(fresh, &obsSource{source: "'none'", index: index, keep: keep})
			}
			var combined []*obsSource
			if index > 0 {
				combined = append(combined, csp[directive]...)
			}
			combined = append(combined, fresh...)
			slices.SortStableFunc(combined, func(a, b *obsSource) int { return obsJsCollate(a.source, b.source) })
			for i := 1; i < len(combined); i++ {
				cur, prev := combined[i], combined[i-1]
				if cur.index == prev.index && strings.HasPrefix(cur.source, prev.source) {
					cur.keep = false
				}
				if cur.index != prev.index {
					match, ok := obsPathPartMatch(prev.source, cur.source)
					if !ok {
						return nil, errObsCSP // decodeURIComponent threw
					}
					if match {
						cur.keep = true
					}
				}
			}
			var kept []*obsSource
			for _, s := range combined {
				if s.keep {
					kept = append(kept, s)
				}
			}
			if _, ok := csp[directive]; !ok {
				order = append(order, directive)
			}
			csp[directive] = kept
			if index == 0 && len(list) > 1 {
				for _, s := range kept {
					s.keep = false
				}
			}
		}
	}
	out := obsPolicy{}
	for _, d := range order {
		set := obsSrcSet{}
		for _, s := range csp[d] {
			set[s.source] = true
		}
		if len(set) == 0 {
			set["'none'"] = true
		}
		out[d] = set
	}
	if len(dups) > 0 {
		out[obsDupKey] = dups
	}
	return out, nil
}

// obsParseCSPMeta parses policies from <meta http-equiv>, where
// frame-ancestors, report-uri and sandbox do not apply.
func obsParseCSPMeta(list []string) (obsPolicy, error) {
	p, err := obsParseCSP(list)
	if err != nil {
		return nil, err
	}
	delete(p, "frame-ancestors")
	delete(p, "report-uri")
	delete(p, "sandbox")
	return p, nil
}

// obsPathPartMatch compares two sources from different policies by their
// "/"-separated parts; ok is false when percent-decoding a part fails.
func obsPathPartMatch(a, b string) (match, ok bool) {
	if a == "" {
		return true, true
	}
	if a == "/" && b == "" {
		return true, true
	}
	exact := !strings.HasSuffix(a, "/")
	pa, pb := strings.Split(a, "/"), strings.Split(b, "/")
	if len(pa) > len(pb) {
		return false, true
	}
	if exact && len(pa) != len(pb) {
		return false, true
	}
	if !exact {
		pa = pa[:len(pa)-1]
	}
	for i := range pa {
		x, ok1 := obsJsDecodeURIComponent(pa[i])
		if !ok1 {
			return false, false
		}
		y, ok2 := obsJsDecodeURIComponent(pb[i])
		if !ok2 {
			return false, false
		}
		if x != y {
			return false, true
		}
	}
	return true, true
}

func obsUtf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xffff {
			n++
		}
	}
	return n
}

// The CSP test's vocabulary.
var (
	obsDangerouslyBroad = []string{"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
	obsNoncesHashes     = []string{"'sha256-", "'sha384-", "'sha512-", "'nonce-"}
)

func obsIsBroad(s string) bool { return slices.Contains(obsDangerouslyBroad, s) }

func obsIsBroadOrUnsafeInline(s string) bool {
	return obsIsBroad(s) || s == "'unsafe-inline'" || s == "data:"
}

func obsHasNonceOrHash(set obsSrcSet) bool {
	for s := range set {
		for _, p := range obsNoncesHashes {
			if strings.HasPrefix(s, p) {
				return true
			}
		}
	}
	return false
}

// obsCspOutcome is the CSP test's result, plus the directives of the combined
// policy the X-Frame-Options test looks at (nil when the test stopped
// before it had a policy).
type obsCspOutcome struct {
	result string
	pass   bool
	data   obsPolicy
}

// obsCSPTest is the Observatory's content-security-policy test. header
// holds the policies from the header (one joined value on observatory-v4,
// split on "," on observatory-v6), meta those from <meta http-equiv>,
// reportOnly the Content-Security-Policy-Report-Only value; https says
// whether the page was fetched over HTTPS.
func obsCSPTest(header, meta []string, reportOnly string, https bool) obsCspOutcome {
	all := append(slices.Clone(header), meta...)
	csp, err := obsParseCSP(all)
	if err != nil {
		return obsCspOutcome{result: resCspHeaderInvalid}
	}
	// Without <meta> policies, the header-only reading is the combined one.
	headerOnly, metaOnly := len(csp), 0
	if len(meta) > 0 {
		if p, err := obsParseCSP(header); err == nil {
			headerOnly = len(p)
		} else {
			headerOnly = 0
		}
		if p, err := obsParseCSPMeta(meta); err == nil {
			metaOnly = len(p)
		}
	}
	if headerOnly+metaOnly == 0 {
		if reportOnly != "" {
			return obsCspOutcome{result: resCspNotImplementedButReporting}
		}
		return obsCspOutcome{result: resCspNotImplemented}
	}

	fallback := func(names ...string) obsSrcSet {
		for _, n := range names {
			if s, ok := csp[n]; ok {
				return s
			}
		}
		return obsSrcSet{"*": true}
	}
	objectSrc := fallback("object-src", "default-src")
	scriptSrc := fallback("script-src", "default-src")
	styleSrc := fallback("style-src", "default-src")

	// A nonce or hash makes browsers ignore 'unsafe-inline'.
	for _, set := range []obsSrcSet{scriptSrc, styleSrc} {
		if obsHasNonceOrHash(set) && set["'unsafe-inline'"] {
			delete(set, "'unsafe-inline'")
		}
	}

	result := ""
	// 'strict-dynamic' with a nonce or hash makes browsers ignore hosts,
	// schemes, 'self' and 'unsafe-inline'; without one the Observatory
	// calls the policy invalid.
	if obsHasNonceOrHash(scriptSrc) && scriptSrc["'strict-dynamic'"] {
		for s := range scriptSrc {
			broadPrefix := slices.ContainsFunc(obsDangerouslyBroad, func(b string) bool { return strings.HasPrefix(s, b) })
			if broadPrefix || s == "'self'" || s == "'unsafe-inline'" {
				delete(scriptSrc, s)
			}
		}
	} else if scriptSrc["'strict-dynamic'"] {
		result = resCspHeaderInvalid
	}

	set := func(r string) {
		if result == "" {
			result = r
		}
	}
	insecure := func(s string) bool { return strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "ftp:") }

	if obsAnyOf(scriptSrc, obsIsBroadOrUnsafeInline) || obsAnyOf(objectSrc, obsIsBroad) {
		set(resCspUnsafeInline)
	}
	if https {
		active := obsAnyOf(scriptSrc, insecure)
		for d, s := range csp {
			if d != "img-src" && d != "media-src" && d != "script-src" && obsAnyOf(s, insecure) {
				active = true
			}
		}
		if active {
			set(resCspInsecureScheme)
		}
	}
	if scriptSrc["'unsafe-eval'"] || styleSrc["'unsafe-eval'"] {
		set(resCspUnsafeEval)
	}
	if https {
		passive := false
		for _, d := range []string{"img-src", "media-src"} {
			s, ok := csp[d]
			if !ok {
				s = csp["default-src"]
			}
			if obsAnyOf(s, insecure) {
				passive = true
			}
		}
		if passive {
			set(resCspInsecureSchemePassive)
		}
	}
	if obsAnyOf(styleSrc, obsIsBroadOrUnsafeInline) {
		set(resCspUnsafeInlineStyleOnly)
	}
	if d := csp["default-src"]; d["'none'"] && len(d) == 1 {
		set(resCspDefaultNone)
	} else {
		set(resCspNoUnsafe)
	}

	out := obsCspOutcome{result: result, data: csp}
	switch result {
	case resCspNoUnsafe, resCspDefaultNone, resCspUnsafeInlineStyleOnly, resCspInsecureSchemePassive:
		out.pass = true
		if _, ok := csp[obsDupKey]; ok {
			out.result = resCspDuplicateDirectives
		}
	}
	delete(out.data, obsDupKey)
	return out
}

func obsAnyOf(set obsSrcSet, f func(string) bool) bool {
	for s := range set {
		if f(s) {
			return true
		}
	}
	return false
}
