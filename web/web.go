//go:build !js

package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/posturekit/posturekit/headers"
)

// page is the built page as the binary carries it: every file of dist/
// but two of the module's three forms. The module is embedded once, as its
// gzip (posturekit.wasm.gz, about a quarter of the module's size): clients
// that accept gzip (every browser) get it as it is, the rare other one the
// module unpacked on first need (see [NewHandler]). posturekit.wasm.js, the
// base64 form for the page opened from disk, is for file:// alone: served
// pages never load it. dist/ on disk keeps all three forms, for static
// hosts and file://.
//
// The first pattern is every file whose name does not start with "p" (the
// module's forms all start with "posturekit."; a test checks that nothing
// else of dist/ is left out); the second is the .gz, and README.md, so that
// it matches on a fresh clone too, where dist/ holds only that placeholder
// (a pattern that matches no file does not compile).
//
//go:embed dist/[^p]* dist/*.[gm][zd]
var page embed.FS

// WasmFile is the name of the WebAssembly module in a built dist; a dist
// without it (or its gzip, WasmFile+".gz") is not built.
const WasmFile = "posturekit.wasm"

// ErrNotBuilt says the page was not built into dist/: run "make web" (or
// "go generate ./web/..."), then build the binary again.
var ErrNotBuilt = errors.New("web: the page is not built: run make web")

// Dist returns the dist directory embedded in the binary, or
// [ErrNotBuilt]. It holds the module only as its gzip (WasmFile+".gz"),
// and not the base64 form for file://, which the embedded page never
// serves.
func Dist() (fs.FS, error) {
	sub, err := fs.Sub(page, "dist")
	if err != nil {
		return nil, err
	}
	if err := Built(sub); err != nil {
		return nil, err
	}
	return sub, nil
}

// Built returns nil when fsys holds a built page, else [ErrNotBuilt]: it
// needs index.html, wasm_exec.js and the module, as WasmFile or only as its
// gzip, WasmFile+".gz".
func Built(fsys fs.FS) error {
	for _, names := range [][]string{{"index.html"}, {"wasm_exec.js"}, {WasmFile, WasmFile + ".gz"}} {
		if !slices.ContainsFunc(names, func(name string) bool {
			st, err := fs.Stat(fsys, name)
			return err == nil && st.Mode().IsRegular()
		}) {
			return ErrNotBuilt
		}
	}
	return nil
}

// Handler serves the page embedded in the binary, as [NewHandler] does, or
// returns [ErrNotBuilt] when the binary was built before the page.
func Handler() (http.Handler, error) {
	dist, err := Dist()
	if err != nil {
		return nil, err
	}
	return newServer(dist), nil
}

// NewHandler serves a built dist directory (index.html for "/"). Every
// response carries the headers of the "web" preset of package headers;
// files have their own content type (application/wasm for the module), an
// ETag for revalidation, and are sent gzipped to clients that accept it
// (from the .gz file beside them when dist has one and it is the gzip of
// that file). A text or wasm file that dist holds only as NAME.gz, as the
// embedded dist holds the module, is served as NAME too: the .gz as it is
// to clients that accept gzip, else unpacked once, on first need, and
// kept. Only GET and HEAD are allowed. When fsys is not a built page, every
// request gets status 503 and the message of [ErrNotBuilt].
func NewHandler(fsys fs.FS) http.Handler {
	if Built(fsys) != nil {
		return notBuilt()
	}
	return newServer(fsys)
}

// newServer serves fsys, a built page.
func newServer(fsys fs.FS) http.Handler {
	s := &server{fsys: fsys, files: map[string]*file{}}
	// The names are listed once: a request for any other name is a 404
	// that costs nothing to remember.
	_ = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			s.files[name] = &file{}
		}
		return nil
	})
	var gzOnly []string
	for name := range s.files {
		plain, ok := strings.CutSuffix(name, ".gz")
		if _, both := s.files[plain]; ok && !both && compressible[path.Ext(plain)] {
			gzOnly = append(gzOnly, plain)
		}
	}
	for _, name := range gzOnly {
		s.files[name] = &file{gzOnly: true}
	}
	return withHeaders(s)
}

// withHeaders adds the web preset's headers to every response, error
// responses included (dogfood: the page is served as the preset says).
func withHeaders(h http.Handler) http.Handler {
	site, err := headers.Preset("web")
	if err != nil {
		panic(err) // the preset is fixed and tested
	}
	return headers.Middleware(site)(h)
}

func notBuilt() http.Handler {
	return withHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, ErrNotBuilt.Error()+", then build posturekit again", http.StatusServiceUnavailable)
	}))
}

// contentTypes are the types of the files a dist holds; others are served
// as application/octet-stream (and X-Content-Type-Options: nosniff keeps
// browsers from guessing).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".json": "application/json",
	".txt":  "text/plain; charset=utf-8",
	".md":   "text/plain; charset=utf-8",
	".ts":   "text/plain; charset=utf-8",
	".png":  "image/png",
	".webp": "image/webp",
	".ico":  "image/x-icon",
	".gz":   "application/gzip",
}

// compressible are the types worth gzipping.
var compressible = map[string]bool{
	".html": true, ".js": true, ".mjs": true, ".css": true, ".wasm": true, ".svg": true,
	".json": true, ".txt": true, ".md": true, ".ts": true,
}

type server struct {
	fsys  fs.FS
	files map[string]*file // read only after NewHandler
}

// file is one file of dist, read once.
type file struct {
	once             sync.Once
	err              error
	body, gz         []byte
	etag, gzETag     string
	ctype            string
	modTime          time.Time
	compressibleType bool

	// gzOnly says dist holds the file only as its .gz: body is unpacked
	// from gz by plain, once, when a client that does not accept gzip
	// asks for it.
	gzOnly    bool
	plainOnce sync.Once
	plainErr  error
}

func (s *server) load(name string) (*file, error) {
	f, ok := s.files[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	f.once.Do(func() {
		ext := path.Ext(name)
		f.ctype = contentTypes[ext]
		if f.ctype == "" {
			f.ctype = "application/octet-stream"
		}
		f.compressibleType = compressible[ext]
		if f.gzOnly {
			f.err = f.loadGzip(s.fsys, name+".gz")
			return
		}
		st, err := fs.Stat(s.fsys, name)
		if err != nil {
			f.err = err
			return
		}
		if f.body, f.err = fs.ReadFile(s.fsys, name); f.err != nil {
			return
		}
		f.modTime = st.ModTime()
		tag := etag(f.body)
		f.etag = `"` + tag + `"`
		if !f.compressibleType || len(f.body) < 256 {
			return
		}
		f.gzETag = `"` + tag + `-gz"`
		if gz, err := fs.ReadFile(s.fsys, name+".gz"); err == nil && gunzipEqual(gz, f.body) {
			f.gz = gz
			return
		}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(f.body)
		zw.Close()
		if b.Len() < len(f.body) {
			f.gz = b.Bytes()
		}
	})
	return f, f.err
}

// loadGzip reads the .gz of a file dist holds only so. Its ETags come from
// the gzip's bytes, which fix the unpacked ones too.
func (f *file) loadGzip(fsys fs.FS, name string) error {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return err
	}
	if f.gz, err = fs.ReadFile(fsys, name); err != nil {
		return err
	}
	if len(f.gz) < 18 || f.gz[0] != 0x1f || f.gz[1] != 0x8b {
		return fmt.Errorf("web: %s is not gzip (RFC 1952)", name)
	}
	f.modTime = st.ModTime()
	tag := etag(f.gz)
	f.etag = `"` + tag + `"`
	f.gzETag = `"` + tag + `-gz"`
	return nil
}

// plain returns the file's bytes, unpacking them from its .gz the first
// time when dist holds only that.
func (f *file) plain(name string) ([]byte, error) {
	if !f.gzOnly {
		return f.body, nil
	}
	f.plainOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(f.gz))
		if err != nil {
			f.plainErr = fmt.Errorf("web: %s.gz: %v", name, err)
			return
		}
		var b bytes.Buffer
		// The trailer records the length (modulo 2^32, RFC 1952, Section
		// 2.3.1): one allocation for any module this page has.
		b.Grow(int(binary.LittleEndian.Uint32(f.gz[len(f.gz)-4:])))
		// Reading to the end checks the trailer's CRC-32 and length.
		if _, err := b.ReadFrom(zr); err != nil {
			f.plainErr = fmt.Errorf("web: %s.gz: %v", name, err)
			return
		}
		f.body = b.Bytes()
	})
	return f.body, f.plainErr
}

// etag is the opaque part of an ETag for data: 144 bits of its SHA-256.
func etag(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.RawURLEncoding.EncodeToString(sum[:18])
}

// gunzipEqual reports whether gz is the gzip of body, by the CRC-32 and
// length its trailer records (RFC 1952, Section 2.3.1): a stale .gz beside
// a rebuilt file is not served.
func gunzipEqual(gz, body []byte) bool {
	if len(gz) < 18 || gz[0] != 0x1f || gz[1] != 0x8b {
		return false
	}
	t := gz[len(gz)-8:]
	return binary.LittleEndian.Uint32(t) == crc32.ChecksumIEEE(body) &&
		binary.LittleEndian.Uint32(t[4:]) == uint32(len(body))
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	name = strings.TrimPrefix(name, "/")
	if strings.HasSuffix(r.URL.Path, "/index.html") {
		// As http.FileServer does: one URL for the page.
		http.Redirect(w, r, "./", http.StatusMovedPermanently)
		return
	}
	f, err := s.load(name)
	if errors.Is(err, fs.ErrNotExist) {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	if name == "index.html" {
		// Start the module's download while the page is parsed, not once
		// load.js runs (RFC 8288 link; the preload matches load.js's
		// same-origin fetch, credentials included, so it is reused).
		h.Set("Link", "<"+WasmFile+">; rel=preload; as=fetch; crossorigin")
	}
	var body []byte
	if f.compressibleType {
		h.Add("Vary", "Accept-Encoding")
	}
	if f.compressibleType && f.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body = f.gz
		h.Set("Content-Encoding", "gzip")
		h.Set("ETag", f.gzETag)
	} else {
		if body, err = f.plain(name); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		h.Set("ETag", f.etag)
	}
	http.ServeContent(w, r, name, f.modTime, bytes.NewReader(body))
}

// acceptsGzip reads an Accept-Encoding header (RFC 9110, Section 12.5.3):
// gzip (or x-gzip, or *) with a quality above 0.
func acceptsGzip(v string) bool {
	star := false
	for part := range strings.SplitSeq(v, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				q = parseQ(strings.TrimSpace(val))
			}
		}
		switch coding {
		case "gzip", "x-gzip":
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// parseQ reads a qvalue (RFC 9110, Section 12.4.2): 0 to 1 with at most
// three decimals; anything else counts as 0.
func parseQ(s string) float64 {
	if s == "" || len(s) > 5 {
		return 0
	}
	switch s[0] {
	case '1':
		if strings.Trim(s[1:], ".0") != "" {
			return 0
		}
		return 1
	case '0':
		rest := strings.TrimPrefix(s[1:], ".")
		if rest == "" {
			return 0
		}
		n := 0.0
		scale := 0.1
		for _, c := range rest {
			if c < '0' || c > '9' {
				return 0
			}
			n += float64(c-'0') * scale
			scale /= 10
		}
		return n
	}
	return 0
}
