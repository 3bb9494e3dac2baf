package headers

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Cloudflare's limits on a _headers file (Cloudflare Pages and Workers
// static assets documentation).
const (
	maxCloudflareHeaderRules = 100
	maxCloudflareLine        = 2000
)

func init() {
	RegisterRenderer(Renderer{
		Name:   "headers-file",
		Short:  "a _headers file for Netlify and Cloudflare Pages: /* then a block per path rule",
		Render: renderHeadersFile,
	})
	RegisterRenderer(Renderer{
		Name:   "vercel",
		Short:  `the "headers" of a vercel.json: the site's headers for /(.*), then an entry per path rule`,
		Render: renderVercel,
	})
}

// renderHeadersFile writes a _headers file: a "/*" block with the site's
// headers, then one block per rule, in order.
//
// The two hosts combine the blocks that match a request differently.
// Cloudflare applies every matching block in file order and joins the
// values of a header that two blocks set with ", ", unless the later block
// first detaches it with a "! Name" line; Netlify lets the later block's
// value replace the earlier one and ignores the "! Name" line (it has no
// colon, so Netlify's parser skips it). A rule's block therefore detaches
// each header that an earlier block sets before setting it again, and both
// hosts then send Site.For(path). Netlify also matches paths
// case-insensitively, lets a trailing "/" be left out, and writes commas
// in values as ", ".
func renderHeadersFile(s *Site) (string, error) {
	const format = "headers-file"
	if err := checkRenderable(format, s); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s for Netlify and Cloudflare Pages (a _headers\n", renderHeader)
	b.WriteString("# file in the publish directory). A rule's block detaches (\"! Name\") a header\n")
	b.WriteString("# that an earlier block sets before replacing it: Cloudflare would otherwise join\n")
	b.WriteString("# the two values; Netlify skips those lines and lets the later block win.\n")
	rules := activeRules(s)
	if len(rules)+1 > maxCloudflareHeaderRules {
		fmt.Fprintf(&b, "# Warning: %d blocks; Cloudflare takes at most %d.\n", len(rules)+1, maxCloudflareHeaderRules)
	}
	set := map[string]bool{}
	seen := map[string]bool{"/*": true}
	var long []string
	writeLine := func(line string) {
		if len(line) > maxCloudflareLine {
			long = append(long, strings.TrimSpace(strings.SplitN(line, ":", 2)[0]))
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("/*\n")
	for _, f := range s.Headers.Fields {
		writeLine("  " + f.Name + ": " + f.Value)
		set[strings.ToLower(f.Name)] = true
	}
	for _, r := range rules {
		if err := checkSplatSuffix(format, r.Pattern); err != nil {
			return "", err
		}
		path := headersFilePath(r.Pattern)
		if seen[path] {
			return "", renderErr(format, "two blocks for %s: merge the rules whose patterns give that path", path)
		}
		seen[path] = true
		b.WriteString("\n" + path + "\n")
		for _, f := range lastByName(r.Headers).Fields {
			if hasSplat(f.Value) {
				return "", renderErr(format, "the value of %s holds \":splat\", which Cloudflare replaces with the part of the path the \"*\" matched", f.Name)
			}
			if set[strings.ToLower(f.Name)] {
				writeLine("  ! " + f.Name)
			}
			writeLine("  " + f.Name + ": " + f.Value)
			set[strings.ToLower(f.Name)] = true
		}
	}
	for _, f := range s.Headers.Fields {
		if hasSplat(f.Value) {
			return "", renderErr(format, "the value of %s holds \":splat\", which Cloudflare replaces with the part of the path the \"*\" matched", f.Name)
		}
	}
	if len(long) > 0 {
		fmt.Fprintf(&b, "\n# Warning: Cloudflare refuses lines over %d characters (%s).\n", maxCloudflareLine, strings.Join(long, ", "))
	}
	return b.String(), nil
}

// headersFilePath writes a rule's pattern as a _headers path, where "*"
// (a splat) matches any characters, "/" included.
func headersFilePath(p string) string {
	switch kind, v := kindOf(p); kind {
	case kindSuffix:
		return "/*" + v
	case kindPrefix:
		return v + "*"
	default:
		return v
	}
}

// renderVercel writes the "headers" property of a vercel.json. Vercel
// applies every entry whose source matches, and when two set the same
// header the later one wins: the order of Site.For. Sources are
// path-to-regexp patterns, where "(.*)" matches any characters.
func renderVercel(s *Site) (string, error) {
	const format = "vercel"
	if err := checkRenderable(format, s); err != nil {
		return "", err
	}
	type header struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	type entry struct {
		Source  string   `json:"source"`
		Headers []header `json:"headers"`
	}
	var entries []entry
	add := func(source string, set Set) {
		e := entry{Source: source}
		for _, g := range headerGroups(set) {
			// A repeated header is one field with its values joined, as
			// RFC 9110, Section 5.3 allows.
			e.Headers = append(e.Headers, header{g.Name, strings.Join(g.Values, ", ")})
		}
		entries = append(entries, e)
	}
	if len(s.Headers.Fields) > 0 {
		add("/(.*)", s.Headers)
	}
	for _, r := range activeRules(s) {
		if err := checkSplatSuffix(format, r.Pattern); err != nil {
			return "", err
		}
		add(vercelSource(r.Pattern), lastByName(r.Headers))
	}
	if entries == nil {
		entries = []entry{}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct {
		Headers []entry `json:"headers"`
	}{entries}); err != nil {
		return "", err
	}
	return b.String(), nil
}

// vercelSource writes a rule's pattern as a path-to-regexp source.
func vercelSource(p string) string {
	switch kind, v := kindOf(p); kind {
	case kindSuffix:
		return "/(.*)" + v
	case kindPrefix:
		return v + "(.*)"
	default:
		return v
	}
}

// checkSplatSuffix rejects a suffix pattern that starts with "/": written
// after "/*" it would need a second "/" ("/*/index.html" misses
// "/index.html"), which the rule does not.
func checkSplatSuffix(format, p string) error {
	if kind, v := kindOf(p); kind == kindSuffix && strings.HasPrefix(v, "/") {
		return renderErr(format, "pattern %q: a suffix starting with \"/\" cannot be written without also requiring a second \"/\"; use a prefix or exact rule", p)
	}
	return nil
}

// hasSplat reports whether Cloudflare would read ":splat" in a value as
// the placeholder of a rule's "*" (a ":" and a name of word characters).
func hasSplat(v string) bool {
	for i := 0; ; {
		j := strings.Index(v[i:], ":splat")
		if j < 0 {
			return false
		}
		end := i + j + len(":splat")
		if end == len(v) || !isWordByte(v[end]) {
			return true
		}
		i = end
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
