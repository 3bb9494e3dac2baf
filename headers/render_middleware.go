//go:build !js

package headers

import (
	"net/http"
	"net/textproto"
	"strings"
)

// Middleware returns net/http middleware that sends the site's headers:
// each response to a request for path gets Site.For(path), replacing the
// headers of the same names that the next handler set. The headers are
// applied when the response's header is written (or when the handler
// returns without writing), so error responses get them too, even those of
// http.FileServer, which drops Cache-Control from its errors. The site is
// read once, when Middleware is called; a nil site sets nothing.
//
// The ResponseWriter given to next has Unwrap and Flush, so
// http.ResponseController and http.Flusher keep working.
func Middleware(site *Site) func(http.Handler) http.Handler {
	m := compileMiddleware(site)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hw := &headerWriter{ResponseWriter: w, m: m, path: r.URL.Path}
			next.ServeHTTP(hw, r)
			if !hw.wrote {
				m.apply(w.Header(), hw.path)
			}
		})
	}
}

type compiledField struct {
	key    string
	values []string
}

type compiledRule struct {
	rule   PathRule
	fields []compiledField
}

type middleware struct {
	base  []compiledField
	rules []compiledRule
}

func compileFields(s Set) []compiledField {
	var out []compiledField
	for _, g := range headerGroups(s) {
		// A full slice expression, so that a handler appending to a
		// header allocates instead of writing into the shared array.
		vals := append([]string(nil), g.Values...)
		out = append(out, compiledField{textproto.CanonicalMIMEHeaderKey(g.Name), vals[:len(vals):len(vals)]})
	}
	return out
}

func compileMiddleware(site *Site) *middleware {
	m := &middleware{}
	if site == nil {
		return m
	}
	m.base = compileFields(site.Headers)
	for _, r := range site.Paths {
		if len(r.Headers.Fields) == 0 {
			continue
		}
		m.rules = append(m.rules, compiledRule{rule: PathRule{Pattern: r.Pattern}, fields: compileFields(lastByName(r.Headers))})
	}
	return m
}

func (m *middleware) apply(h http.Header, path string) {
	set := func(fields []compiledField) {
		for _, f := range fields {
			for k := range h {
				if k != f.key && strings.EqualFold(k, f.key) {
					delete(h, k)
				}
			}
			h[f.key] = f.values
		}
	}
	set(m.base)
	for _, r := range m.rules {
		if r.rule.Match(path) {
			set(r.fields)
		}
	}
}

// headerWriter applies the headers when the response's header is written.
type headerWriter struct {
	http.ResponseWriter
	m     *middleware
	path  string
	wrote bool
}

// WriteHeader applies the headers before the first final status (1xx
// informational responses pass through as they are).
func (w *headerWriter) WriteHeader(code int) {
	if !w.wrote && code >= 200 {
		w.wrote = true
		w.m.apply(w.Header(), w.path)
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write writes the header first, as net/http does.
func (w *headerWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Flush writes the header first, then flushes when the underlying writer
// can.
func (w *headerWriter) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the underlying writer, for http.ResponseController.
func (w *headerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
