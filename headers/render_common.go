package headers

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrRender: a site cannot be rendered in the asked format; the message
// says which header, value or rule, and why.
var ErrRender = errors.New("headers: cannot render")

// maxCombinedRules bounds the path rules the "one block wins" formats
// (nginx locations, CloudFront cache behaviors) combine: each set of rules
// that can match one path together becomes a block of its own.
const maxCombinedRules = 12

// renderErr wraps ErrRender with the format's name and a reason.
func renderErr(format, msg string, args ...any) error {
	return fmt.Errorf("%w as %s: %s", ErrRender, format, fmt.Sprintf(msg, args...))
}

// checkRenderable applies what every host needs: valid names (RFC 9110,
// Section 5.1), values without control characters (Section 5.5) and not
// empty (nginx, for one, sends no header whose value is empty), and path
// patterns every format can write: "*" followed by a suffix, or a path
// starting with "/", made of letters, digits and "/._-~" only.
func checkRenderable(format string, s *Site) error {
	if s == nil {
		return renderErr(format, "no site")
	}
	check := func(where string, fields []Field) error {
		for _, f := range fields {
			if !isHTTPToken(f.Name) {
				return renderErr(format, "%s: %q is not a valid header name", where, clip(f.Name))
			}
			if !validFieldValue(f.Value) {
				return renderErr(format, "%s: the value of %s holds a control character", where, f.Name)
			}
			if strings.Trim(f.Value, " \t") == "" {
				return renderErr(format, "%s: the value of %s is empty", where, f.Name)
			}
			if strings.Trim(f.Value, " \t") != f.Value {
				return renderErr(format, "%s: the value of %s starts or ends with white space (RFC 9110, Section 5.5)", where, f.Name)
			}
		}
		return nil
	}
	if err := check("site headers", s.Headers.Fields); err != nil {
		return err
	}
	for _, r := range s.Paths {
		if err := checkPattern(r.Pattern); err != nil {
			return renderErr(format, "path rule %q: %v", clip(r.Pattern), err)
		}
		if err := check(fmt.Sprintf("path rule %q", r.Pattern), r.Headers.Fields); err != nil {
			return err
		}
	}
	return nil
}

// checkPattern keeps path patterns to the characters every host's matcher
// takes literally.
func checkPattern(p string) error {
	rest, suffix := strings.CutPrefix(p, "*")
	if !suffix && !strings.HasPrefix(p, "/") {
		return errors.New(`a pattern is "*" followed by a suffix ("*.css"), a prefix ending in "/" ("/assets/") or a path ("/robots.txt")`)
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._-~", c)) {
			return fmt.Errorf("%q: only letters, digits and /._-~ can follow the leading \"*\" or \"/\"", c)
		}
	}
	return nil
}

// patternKind tells how a rule's pattern matches, as PathRule.Match does.
type patternKind int

const (
	kindExact patternKind = iota
	kindPrefix
	kindSuffix
)

func kindOf(p string) (patternKind, string) {
	if rest, ok := strings.CutPrefix(p, "*"); ok {
		return kindSuffix, rest
	}
	if strings.HasSuffix(p, "/") {
		return kindPrefix, p
	}
	return kindExact, p
}

// activeRules returns the rules that carry headers, in order: a rule
// without headers changes nothing.
func activeRules(s *Site) []PathRule {
	var out []PathRule
	for _, r := range s.Paths {
		if len(r.Headers.Fields) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// ruleCase is one set of rules that can match a path together: the paths
// matching every rule of the case and no other rule get Headers, which is
// Site.For of those paths.
type ruleCase struct {
	// Rules indexes the rules of the case (into the slice given to
	// ruleCases), in order.
	Rules []int
	// Exact is the one path the case matches when it holds an exact rule.
	Exact string
	// Prefix is the longest prefix of the case ("/" when none), Suffix
	// its longest suffix ("" when none).
	Prefix, Suffix string
	Headers        Set
}

// ruleCases lists every set of rules that can match one path together,
// the largest sets first, for the hosts where one block wins (an nginx
// location, a CloudFront cache behavior): the first case whose rules all
// match a path is then exactly the set of rules matching it, so its
// headers are Site.For of that path. Sets that no path can match (two
// different exact paths, prefixes that are not prefixes of each other,
// ...) and sets that imply a rule left out (every path under "/assets/img/"
// is under "/assets/" too) are dropped.
func ruleCases(format string, s *Site, rules []PathRule) ([]ruleCase, error) {
	n := len(rules)
	if n > maxCombinedRules {
		return nil, renderErr(format, "%d path rules with headers; at most %d can be combined into %s blocks", n, maxCombinedRules, format)
	}
	var cases []ruleCase
	var masks []int
	for size := n; size >= 1; size-- {
		// Within a size, the cases of later rules first: a path matching
		// a dropped case falls to the first smaller case that it matches,
		// and a later rule is the one whose headers win.
		for mask := 1<<n - 1; mask >= 1; mask-- {
			if popcount(mask) != size {
				continue
			}
			c, ok := makeCase(rules, mask)
			if !ok {
				continue
			}
			c.Headers = Set{Fields: append([]Field(nil), s.Headers.Fields...)}
			for _, i := range c.Rules {
				for _, f := range rules[i].Headers.Fields {
					c.Headers.Set(f.Name, f.Value)
				}
			}
			cases = append(cases, c)
			masks = append(masks, mask)
		}
	}
	// Drop the cases that change nothing: those whose paths, without them,
	// would get the same headers from the first smaller case they match
	// (or from the site's headers). Smaller cases come later, so deciding
	// from the end keeps every decision final. With CacheRules, "/assets/"
	// and "*.png" together need no block of their own.
	keep := make([]bool, len(cases))
	for i := len(cases) - 1; i >= 0; i-- {
		fallback := s.Headers
		for j := i + 1; j < len(cases); j++ {
			if keep[j] && masks[j]&masks[i] == masks[j] {
				fallback = cases[j].Headers
				break
			}
		}
		keep[i] = !sameHeaders(cases[i].Headers, fallback)
	}
	var out []ruleCase
	for i, c := range cases {
		if keep[i] {
			out = append(out, c)
		}
	}
	return out, nil
}

// sameHeaders reports whether two sets send the same fields, in whatever
// order of names.
func sameHeaders(a, b Set) bool {
	key := func(s Set) string {
		var parts []string
		for _, g := range headerGroups(s) {
			parts = append(parts, strings.ToLower(g.Name)+"\x00"+strings.Join(g.Values, "\x00"))
		}
		slices.Sort(parts)
		return strings.Join(parts, "\x01")
	}
	return key(a) == key(b)
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// makeCase checks that some path matches exactly the rules of mask.
func makeCase(rules []PathRule, mask int) (ruleCase, bool) {
	c := ruleCase{Prefix: "/"}
	hasExact := false
	for i, r := range rules {
		if mask&(1<<i) == 0 {
			continue
		}
		c.Rules = append(c.Rules, i)
		kind, p := kindOf(r.Pattern)
		switch kind {
		case kindExact:
			if hasExact && p != c.Exact {
				return c, false
			}
			hasExact, c.Exact = true, p
		case kindPrefix:
			switch {
			case strings.HasPrefix(p, c.Prefix):
				c.Prefix = p
			case !strings.HasPrefix(c.Prefix, p):
				return c, false
			}
		case kindSuffix:
			switch {
			case strings.HasSuffix(p, c.Suffix):
				c.Suffix = p
			case !strings.HasSuffix(c.Suffix, p):
				return c, false
			}
		}
	}
	if hasExact {
		// The case is the one path: it must match every rule of the case
		// and no other.
		for i, r := range rules {
			if r.Match(c.Exact) != (mask&(1<<i) != 0) {
				return c, false
			}
		}
		return c, true
	}
	// A rule left out that every path of the case matches anyway.
	for i, r := range rules {
		if mask&(1<<i) != 0 {
			continue
		}
		kind, p := kindOf(r.Pattern)
		if kind == kindPrefix && strings.HasPrefix(c.Prefix, p) || kind == kindSuffix && strings.HasSuffix(c.Suffix, p) {
			return c, false
		}
	}
	return c, true
}

// headerGroups returns the fields of a set grouped by name (compared
// case-insensitively), in the order of each name's first field, each with
// the values of every field of that name: the form of hosts that set a
// header once with all its values.
func headerGroups(s Set) []headerGroup {
	var out []headerGroup
	at := map[string]int{}
	for _, f := range s.Fields {
		key := strings.ToLower(f.Name)
		if i, ok := at[key]; ok {
			out[i].Values = append(out[i].Values, f.Value)
			continue
		}
		at[key] = len(out)
		out = append(out, headerGroup{Name: f.Name, Values: []string{f.Value}})
	}
	return out
}

type headerGroup struct {
	Name   string
	Values []string
}

// lowerNames returns the lower-cased names of every header the site
// mentions, in its headers or in any rule.
func lowerNames(s *Site) map[string]bool {
	out := map[string]bool{}
	for _, f := range s.Headers.Fields {
		out[strings.ToLower(f.Name)] = true
	}
	for _, r := range s.Paths {
		for _, f := range r.Headers.Fields {
			out[strings.ToLower(f.Name)] = true
		}
	}
	return out
}

// renderHeader is the comment line every rendered configuration opens with.
const renderHeader = "Security headers rendered by posturekit"
