package headers

import (
	"fmt"
	"regexp"
	"strings"
)

// nginxDollar is the variable that stands for a literal "$": nginx has no
// escape for "$" in a string that may hold variables, so a value with one
// needs a variable whose value is "$", which only the http block can make
// (geo or map).
const nginxDollar = "posturekit_dollar"

func init() {
	RegisterRenderer(Renderer{
		Name:   "nginx",
		Short:  `nginx "add_header ... always;" lines to include in a server block, path rules as location blocks that repeat the full set`,
		Render: renderNginx,
	})
}

// renderNginx writes add_header lines for a server block. Every line has
// "always", so error responses (404, 500) carry the headers too.
//
// nginx's inheritance trap: a location with an add_header of its own
// drops every add_header of the server block. Each location written here
// therefore repeats the whole set. Only one location serves a request, so
// a path matching several rules needs a location of its own for that
// combination: the locations are regular expressions, written from the
// most specific combination to the least, and nginx uses the first that
// matches (an exact path is a "location =", which wins over them all).
//
// nginx serves a directory ("/") through an internal redirect to its index
// file, so such a response gets the headers of the index file's path
// ("/index.html"); the same holds for Apache's DirectoryIndex.
func renderNginx(s *Site) (string, error) {
	const format = "nginx"
	if err := checkRenderable(format, s); err != nil {
		return "", err
	}
	cases, err := ruleCases(format, s, activeRules(s))
	if err != nil {
		return "", err
	}
	rules := activeRules(s)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s for nginx: include this file in a server block.\n", renderHeader)
	b.WriteString("# \"always\" sends the headers with error responses too. nginx drops the server\n")
	b.WriteString("# block's add_header lines in any location that has add_header lines of its\n")
	b.WriteString("# own, so each location below repeats the full set; a location of yours with\n")
	b.WriteString("# add_header must repeat them as well. The regex locations take precedence over\n")
	b.WriteString("# your prefix locations for the paths they match.\n")
	if siteHasByte(s, '$') {
		fmt.Fprintf(&b, "# A value holds \"$\", which nginx cannot write in a string: put this line in\n")
		fmt.Fprintf(&b, "# the http block (for example in /etc/nginx/conf.d/posturekit.conf):\n")
		fmt.Fprintf(&b, "#     geo $%s { default \"$\"; }\n", nginxDollar)
	}
	writeNginxSet(&b, "", s.Headers)
	for _, c := range cases {
		var names []string
		for _, i := range c.Rules {
			names = append(names, rules[i].Pattern)
		}
		fmt.Fprintf(&b, "\n# %s\n", strings.Join(names, " + "))
		if c.Exact != "" {
			fmt.Fprintf(&b, "location = %s {\n", nginxQuoteLiteral(c.Exact))
		} else {
			fmt.Fprintf(&b, "location ~ %s {\n", nginxQuoteLiteral(caseRegexp(c)))
		}
		writeNginxSet(&b, "    ", c.Headers)
		b.WriteString("}\n")
	}
	return b.String(), nil
}

func writeNginxSet(b *strings.Builder, indent string, s Set) {
	for _, f := range s.Fields {
		fmt.Fprintf(b, "%sadd_header %s %s always;\n", indent, f.Name, nginxQuote(f.Value))
	}
}

// nginxQuote writes a double-quoted nginx string: nginx's parser turns
// "\\" into "\" and "\"" into `"` (and "\t", "\n", "\r" into controls, so
// every backslash is doubled), and "$" starts a variable, so it becomes
// the variable of the geo line.
func nginxQuote(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range []byte(v) {
		switch c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '$':
			b.WriteString("${" + nginxDollar + "}")
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// nginxQuoteLiteral quotes an argument that nginx reads without variables
// (a location's path or regular expression, where "$" is an anchor).
func nginxQuoteLiteral(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// caseRegexp is a regular expression (PCRE and RE2 alike) that matches the
// paths of a case without an exact path: they start with its longest
// prefix and end with its longest suffix. When the two can overlap
// ("/a/" and "a/b.css" both match "/a/b.css"), each overlap is an
// alternative of its own.
func caseRegexp(c ruleCase) string {
	pre, suf := regexp.QuoteMeta(c.Prefix), regexp.QuoteMeta(c.Suffix)
	switch {
	case c.Prefix == "/":
		return suf + "$"
	case c.Suffix == "":
		return "^" + pre
	}
	alts := []string{pre + ".*" + suf}
	for k := 1; k <= len(c.Prefix) && k <= len(c.Suffix); k++ {
		if c.Prefix[len(c.Prefix)-k:] == c.Suffix[:k] {
			alts = append(alts, regexp.QuoteMeta(c.Prefix+c.Suffix[k:]))
		}
	}
	if len(alts) == 1 {
		return "^" + alts[0] + "$"
	}
	return "^(?:" + strings.Join(alts, "|") + ")$"
}

func siteHasByte(s *Site, c byte) bool {
	for _, f := range s.Headers.Fields {
		if strings.IndexByte(f.Value, c) >= 0 {
			return true
		}
	}
	for _, r := range s.Paths {
		for _, f := range r.Headers.Fields {
			if strings.IndexByte(f.Value, c) >= 0 {
				return true
			}
		}
	}
	return false
}
