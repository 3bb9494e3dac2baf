package headers

import (
	"fmt"
	"regexp"
	"strings"
)

// apacheDollar is the Define that stands for a literal "$" where "${"
// would otherwise name a variable: Apache replaces "${NAME}" in every
// configuration line with a Define or an environment variable of that
// name, and has no escape for it.
const apacheDollar = "POSTUREKIT_DOLLAR"

func init() {
	RegisterRenderer(Renderer{
		Name:   "apache",
		Short:  `Apache httpd "Header always set" lines (mod_headers) for the server config or a virtual host, path rules as <LocationMatch> sections`,
		Render: renderApache,
	})
}

// renderApache writes mod_headers directives. "always" puts the headers in
// the table Apache sends with every response, error responses included.
//
// Path rules are <LocationMatch> sections, not <FilesMatch>: the rules are
// about URL paths ("/assets/" is a prefix of the path, which <FilesMatch>,
// matched against the file's base name, cannot see), and a location
// section applies to responses that map to no file (a 404, a proxied
// path) as well. Apache merges every section that matches, in the order
// of the file, after the lines outside them, and a later "Header set"
// replaces an earlier one: that is the order of Site.For, so each rule is
// one section with only its own headers. <LocationMatch> is not allowed
// in .htaccess files.
func renderApache(s *Site) (string, error) {
	const format = "apache"
	if err := checkRenderable(format, s); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s for Apache httpd 2.4 with mod_headers\n", renderHeader)
	b.WriteString("# (a2enmod headers): put these lines in the server configuration or in a\n")
	b.WriteString("# <VirtualHost>. \"always\" sends the headers with error responses too.\n")
	if siteHasDollarBrace(s) {
		b.WriteString("# Apache reads \"${NAME}\" as a variable; this Define writes a literal \"$\".\n")
		fmt.Fprintf(&b, "Define %s $\n", apacheDollar)
	}
	writeApacheSet(&b, "", s.Headers)
	for _, r := range activeRules(s) {
		fmt.Fprintf(&b, "\n# %s\n<LocationMatch %s>\n", r.Pattern, apacheQuote(patternRegexp(r.Pattern), false))
		// A rule's field replaces the site's field of that name: "set".
		var one Set
		for _, f := range r.Headers.Fields {
			one.Set(f.Name, f.Value)
		}
		writeApacheSet(&b, "    ", one)
		b.WriteString("</LocationMatch>\n")
	}
	return b.String(), nil
}

func writeApacheSet(b *strings.Builder, indent string, s Set) {
	seen := map[string]bool{}
	for _, f := range s.Fields {
		verb := "set"
		if seen[strings.ToLower(f.Name)] {
			verb = "add"
		}
		seen[strings.ToLower(f.Name)] = true
		fmt.Fprintf(b, "%sHeader always %s %s %s\n", indent, verb, f.Name, apacheQuote(f.Value, true))
	}
}

// apacheQuote writes a double-quoted argument. mod_headers reads a value
// as a format string, where "%" starts a format ("%%" is a "%") and "\"
// an escape ("\\" is a "\"); the configuration parser then wants "\\"
// for "\" and "\"" for `"` inside quotes. "${" becomes the Define of
// apacheDollar followed by "{".
func apacheQuote(v string, format bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && format:
			b.WriteString(`\\\\`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '"':
			b.WriteString(`\"`)
		case c == '%' && format:
			b.WriteString("%%")
		case c == '$' && i+1 < len(v) && v[i+1] == '{':
			b.WriteString("${" + apacheDollar + "}")
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// patternRegexp is a regular expression (PCRE, RE2, ECMAScript alike) that
// matches the paths PathRule.Match matches.
func patternRegexp(p string) string {
	switch kind, v := kindOf(p); kind {
	case kindSuffix:
		return regexp.QuoteMeta(v) + "$"
	case kindPrefix:
		return "^" + regexp.QuoteMeta(v)
	default:
		return "^" + regexp.QuoteMeta(v) + "$"
	}
}

func siteHasDollarBrace(s *Site) bool {
	for _, f := range s.Headers.Fields {
		if strings.Contains(f.Value, "${") {
			return true
		}
	}
	for _, r := range s.Paths {
		for _, f := range r.Headers.Fields {
			if strings.Contains(f.Value, "${") {
				return true
			}
		}
	}
	return false
}
