//go:build !js

package headers

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func headerByName(h http.Header) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	return out
}

// TestMiddlewareFileServer serves the static site with http.FileServer
// behind Middleware: pages, assets and 404s (whose Cache-Control the file
// server drops) carry Site.For(path).
func TestMiddlewareFileServer(t *testing.T) {
	root := staticSite(t)
	for name, site := range serverSites() {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(Middleware(site)(http.FileServer(http.Dir(root))))
			defer srv.Close()
			for _, p := range servedPaths {
				if strings.HasSuffix(p.path, "/index.html") {
					continue // http.FileServer redirects it to "./"
				}
				resp, err := http.Get(srv.URL + p.path)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				assert.Equal(t, p.status, resp.StatusCode, p.path)
				assert.Equal(t, wantByName(site, p.path), pick(site, headerByName(resp.Header)), p.path)
			}
		})
	}
}

func TestMiddlewareReplacesHandlerHeaders(t *testing.T) {
	site := strictSite()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private")
		w.Header()["x-frame-options"] = []string{"SAMEORIGIN"} // not canonical
		w.Header().Set("X-Own", "kept")
		switch r.URL.Path {
		case "/silent.css":
			return // writes nothing: net/http sends 200 with the headers
		case "/hints.html":
			w.Header().Set("Link", "</a.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusOK)
		case "/flush.js":
			w.(http.Flusher).Flush()
		case "/controller.js":
			require.NoError(t, http.NewResponseController(w).Flush())
		}
		_, _ = w.Write([]byte("body"))
	})
	h := Middleware(site)(handler)
	for _, path := range []string{"/index.html", "/silent.css", "/hints.html", "/flush.js", "/controller.js"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		got := headerByName(rec.Header())
		assert.Equal(t, wantByName(site, path), pick(site, got), path)
		assert.Equal(t, "kept", got["x-own"], path)
		assert.Equal(t, []string{"DENY"}, rec.Header().Values("X-Frame-Options"), path)
	}
	// A nil site sets nothing.
	rec := httptest.NewRecorder()
	Middleware(nil)(handler).ServeHTTP(rec, httptest.NewRequest("GET", "/a.css", nil))
	assert.Equal(t, "private", rec.Header().Get("Cache-Control"))
}

// TestMiddlewareSharedValues: the middleware shares its value slices
// between responses, so a handler appending to a header it set must not
// write into them.
func TestMiddlewareSharedValues(t *testing.T) {
	m := compileMiddleware(multiSite())
	h := http.Header{}
	m.apply(h, "/")
	h["Link"] = append(h["Link"], "</c.js>; rel=preload")
	h2 := http.Header{}
	m.apply(h2, "/")
	assert.Equal(t, []string{"</a.css>; rel=preload", "</b.js>; rel=preload"}, h2["Link"])
	assert.Len(t, h["Link"], 3)
}

// TestGoMiddlewareSource checks that the rendered Go source parses, then
// builds and runs it in a module of its own with go test, comparing the
// headers it sets with Site.For.
func TestGoMiddlewareSource(t *testing.T) {
	for name, site := range serverSites() {
		src, err := Render("go-middleware", site)
		require.NoError(t, err, name)
		_, err = parser.ParseFile(token.NewFileSet(), "middleware.go", src, parser.ParseComments)
		require.NoError(t, err, name)
		assert.Contains(t, src, "func Middleware(next http.Handler) http.Handler {")
	}
	if testing.Short() {
		t.Skip("builds a module with go test")
	}
	goTool := servertest.NeedTool(t, "go", "golang")
	dir := t.TempDir()
	for name, site := range serverSites() {
		src, err := Render("go-middleware", site)
		require.NoError(t, err)
		pkg := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(pkg, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(pkg, "middleware.go"), []byte(src), 0o644))
		want := map[string]map[string]string{}
		for _, p := range testPaths {
			want[p] = wantByName(site, p)
		}
		var names []string
		for n := range lowerNames(site) {
			names = append(names, n)
		}
		slices.Sort(names)
		data, err := json.Marshal(map[string]any{"names": names, "paths": want})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(pkg, "want.json"), data, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(pkg, "middleware_test.go"), []byte(generatedTest), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/generated\n\ngo 1.22\n"), 0o644))
	cmd := exec.Command(goTool, "test", "-count=1", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
}

// generatedTest runs in the package of a rendered go-middleware file.
const generatedTest = `package securityheaders

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestRendered(t *testing.T) {
	data, err := os.ReadFile("want.json")
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Names []string
		Paths map[string]map[string]string
	}
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "private")
		if strings.Contains(r.URL.Path, "missing") {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok"))
	}))
	for path, w := range want.Paths {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		for _, name := range want.Names {
			got := strings.Join(rec.Header().Values(name), ", ")
			if got != w[name] {
				t.Errorf("%s: %s = %q, want %q", path, name, got, w[name])
			}
		}
	}
}
`

// BenchmarkMiddleware is one request through Middleware with the strict
// site (nine headers, five rules), against a handler that writes "ok".
func BenchmarkMiddleware(b *testing.B) {
	h := Middleware(strictSite())(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	req := httptest.NewRequest("GET", "/assets/app.css", nil)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}
