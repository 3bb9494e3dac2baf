package headers

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// PathRule adds or overrides headers for the requests whose path matches
// Pattern: a path prefix ending in "/" ("/assets/"), or a "*" suffix
// pattern on the file name ("*.css", "*.woff2"). The usual use is
// Cache-Control by kind of file, as a static site needs.
type PathRule struct {
	Pattern string `json:"pattern"`
	Headers Set    `json:"headers"`
}

// Match reports whether a request path matches the rule.
func (r PathRule) Match(path string) bool {
	if suffix, ok := strings.CutPrefix(r.Pattern, "*"); ok {
		return strings.HasSuffix(path, suffix)
	}
	if strings.HasSuffix(r.Pattern, "/") {
		return strings.HasPrefix(path, r.Pattern)
	}
	return path == r.Pattern
}

// Site is what a renderer renders: the headers every response carries and
// the rules by path.
type Site struct {
	Headers Set        `json:"headers"`
	Paths   []PathRule `json:"paths,omitempty"`
}

// For returns the headers of a response to path: the site's, with those of
// each matching rule added (a rule's field replaces the site's field of
// the same name), as every renderer must produce them.
func (s *Site) For(path string) Set {
	out := Set{Fields: slices.Clone(s.Headers.Fields)}
	for _, r := range s.Paths {
		if r.Match(path) {
			for _, f := range r.Headers.Fields {
				out.Set(f.Name, f.Value)
			}
		}
	}
	return out
}

// Renderer turns a site's headers into the configuration of one host.
type Renderer struct {
	// Name is the --format value, e.g. "nginx".
	Name string
	// Short says in one line what the output is and where it goes.
	Short  string
	Render func(s *Site) (string, error)
}

var (
	renderMu  sync.Mutex
	renderers = map[string]Renderer{}
)

// RegisterRenderer adds a renderer; each renderer registers itself from
// its own file. It panics on a duplicate name (a programming error).
func RegisterRenderer(r Renderer) {
	renderMu.Lock()
	defer renderMu.Unlock()
	if _, dup := renderers[r.Name]; dup {
		panic("headers: duplicate renderer " + r.Name)
	}
	renderers[r.Name] = r
}

// Formats returns the renderers' names, sorted.
func Formats() []Renderer {
	renderMu.Lock()
	defer renderMu.Unlock()
	var out []Renderer
	for _, r := range renderers {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Renderer) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Render renders the site in the named format.
func Render(format string, s *Site) (string, error) {
	renderMu.Lock()
	r, ok := renderers[format]
	renderMu.Unlock()
	if !ok {
		var names []string
		for _, r := range Formats() {
			names = append(names, r.Name)
		}
		return "", fmt.Errorf("headers: unknown format %q; want one of %s", format, strings.Join(names, ", "))
	}
	return r.Render(s)
}

func init() {
	RegisterRenderer(Renderer{Name: "raw", Short: `"Name: value" lines of the headers every response carries; path rules follow as comments`, Render: func(s *Site) (string, error) {
		// Path rules are comments, so that the output stays a header set
		// that ParseSet (and "headers grade") reads back.
		var b strings.Builder
		b.WriteString(s.Headers.String())
		if len(s.Paths) > 0 {
			b.WriteString("# By path, replacing the fields above of the same name:\n")
		}
		for _, r := range s.Paths {
			for _, f := range r.Headers.Fields {
				fmt.Fprintf(&b, "#   %s  %s: %s\n", r.Pattern, f.Name, f.Value)
			}
		}
		return b.String(), nil
	}})
	RegisterRenderer(Renderer{Name: "json", Short: "a JSON object of the headers (and paths, when there are rules)", Render: func(s *Site) (string, error) {
		var v any = s.Headers
		if len(s.Paths) > 0 {
			type rule struct {
				Pattern string `json:"pattern"`
				Headers Set    `json:"headers"`
			}
			paths := make([]rule, len(s.Paths))
			for i, r := range s.Paths {
				paths[i] = rule(r)
			}
			v = struct {
				Headers Set    `json:"headers"`
				Paths   []rule `json:"paths"`
			}{s.Headers, paths}
		}
		b, err := json.MarshalIndent(v, "", "  ")
		return string(b) + "\n", err
	}})
}
