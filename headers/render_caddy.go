package headers

import (
	"fmt"
	"strings"
)

// caddyEmpty is a placeholder that Caddy replaces with nothing (an unset
// variable): it splits the "{$" that Caddy's Caddyfile reader would
// otherwise take for an environment variable, with no escape for it.
const caddyEmpty = "{http.vars.posturekit_empty}"

func init() {
	RegisterRenderer(Renderer{
		Name:   "caddy",
		Short:  "a Caddyfile route of header directives to import in a site block, path rules as path matchers",
		Render: renderCaddy,
	})
}

// renderCaddy writes Caddyfile lines for a site block: named path matchers
// and a route holding a header directive for the site's headers and one
// for each rule. A route keeps its directives in the written order (Caddy
// otherwise sorts directives of the same name by their matchers), so the
// headers of a later matching rule replace earlier ones, as in Site.For.
//
// The headers are set before the next handler runs, not deferred: Caddy
// keeps them when file_server answers with an error (404), while deferred
// ones are applied only to responses that a handler writes, and would be
// applied in reverse order. A reverse_proxy adds the upstream's headers to
// these instead of replacing them.
//
// Path matchers: "*.css", "/assets/*" and "/robots.txt"; Caddy's path
// matcher compares case-insensitively, so "/ASSETS/APP.CSS" matches too.
func renderCaddy(s *Site) (string, error) {
	const format = "caddy"
	if err := checkRenderable(format, s); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s for Caddy 2 (Caddyfile): import this file in a\n", renderHeader)
	b.WriteString("# site block (import security-headers.caddy), before file_server; escapes are\n")
	b.WriteString("# written for import, which reads them once. Error responses get the headers too.\n")
	rules := activeRules(s)
	for i, r := range rules {
		fmt.Fprintf(&b, "@posturekit_%d path %s\n", i+1, caddyPath(r.Pattern))
	}
	b.WriteString("route {\n")
	if err := writeCaddySet(&b, "", s.Headers); err != nil {
		return "", err
	}
	for i, r := range rules {
		var one Set
		for _, f := range r.Headers.Fields {
			one.Set(f.Name, f.Value)
		}
		if err := writeCaddySet(&b, fmt.Sprintf("@posturekit_%d ", i+1), one); err != nil {
			return "", err
		}
	}
	b.WriteString("}\n")
	return b.String(), nil
}

// writeCaddySet writes one header directive setting the first value of
// each name, then one "header +Name" directive for each further value: in
// one directive Caddy applies additions before replacements, which would
// drop them.
func writeCaddySet(b *strings.Builder, matcher string, s Set) error {
	groups := headerGroups(s)
	if len(groups) == 0 {
		return nil
	}
	fmt.Fprintf(b, "\theader %s{\n", matcher)
	for _, g := range groups {
		if strings.ContainsAny(g.Name[:1], "+-?>") {
			return renderErr("caddy", "header name %q starts with %q, which Caddy reads as an operation", g.Name, g.Name[:1])
		}
		v, err := caddyQuote(g.Values[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "\t\t%s %s\n", g.Name, v)
	}
	b.WriteString("\t}\n")
	for _, g := range groups {
		for _, value := range g.Values[1:] {
			v, err := caddyQuote(value)
			if err != nil {
				return err
			}
			fmt.Fprintf(b, "\theader %s+%s %s\n", matcher, g.Name, v)
		}
	}
	return nil
}

// caddyQuote writes a Caddyfile token for a header value, for a file that
// a site block imports. Braces start placeholders that Caddy replaces when
// it sends the header, so each is escaped with a backslash; import reads
// the imported tokens through the same replacer once (for its {args[n]}),
// which takes one backslash away, so each brace gets two. "{$" starts an
// environment variable that the Caddyfile reader replaces before anything
// else, with no escape at all, so an empty placeholder goes between the
// two. The token is quoted with backticks, inside which nothing else is
// special; a value holding a backtick is double-quoted, where only `\"` is
// an escape.
func caddyQuote(v string) (string, error) {
	const esc = `\\`
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '{':
			b.WriteString(esc + "{")
			if i+1 < len(v) && v[i+1] == '$' {
				b.WriteString(caddyEmpty)
			}
		case '}':
			b.WriteString(esc + "}")
		default:
			b.WriteByte(c)
		}
	}
	t := b.String()
	if !strings.Contains(t, "`") {
		return "`" + t + "`", nil
	}
	if strings.Contains(t, `\"`) || strings.HasSuffix(t, `\`) {
		return "", renderErr("caddy", "a value holds both a backtick and a backslash before a quote or at its end, which a Caddyfile token cannot hold: %q", clip(v))
	}
	return `"` + strings.ReplaceAll(t, `"`, `\"`) + `"`, nil
}

// caddyPath writes a rule's pattern for Caddy's path matcher.
func caddyPath(p string) string {
	switch kind, v := kindOf(p); kind {
	case kindSuffix:
		return "*" + v
	case kindPrefix:
		return v + "*"
	default:
		return v
	}
}
