//go:build !js

package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/web/internal/pagebuild"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smallDist is a built page in miniature: the three files a dist needs,
// a stylesheet, and a stale .gz beside app.js.
func smallDist() fstest.MapFS {
	page := "<!doctype html><title>t</title>" + strings.Repeat("<p>posturekit</p>", 100)
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte{0, 1, 2, 3}, 500)...)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(wasm)
	zw.Close()
	var stale bytes.Buffer
	zw = gzip.NewWriter(&stale)
	zw.Write([]byte("an older app.js"))
	zw.Close()
	return fstest.MapFS{
		"index.html":         {Data: []byte(page)},
		"wasm_exec.js":       {Data: []byte(strings.Repeat("// glue\n", 80))},
		"app.js":             {Data: []byte(strings.Repeat("console.log(1);\n", 40))},
		"app.js.gz":          {Data: stale.Bytes()},
		"style.css":          {Data: []byte("body{margin:0}")},
		WasmFile:             {Data: wasm},
		WasmFile + ".gz":     {Data: gz.Bytes()},
		"README.md":          {Data: []byte("generated")},
		"sub/nested.txt":     {Data: []byte("nested")},
		"favicon.svg":        {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		"unknown.bin":        {Data: []byte{1, 2, 3}},
		"posturekit.wasm.js": {Data: []byte("globalThis.x = 1;")},
	}
}

func get(t *testing.T, h http.Handler, method, target string, hdr ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, r *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return b
}

// wantPreset checks that a response carries the web preset's headers.
func wantPreset(t *testing.T, r *http.Response, path string) {
	t.Helper()
	site, err := headers.Preset("web")
	require.NoError(t, err)
	want := site.For(path)
	for _, f := range want.Fields {
		assert.Equal(t, f.Value, r.Header.Get(f.Name), "%s: %s", path, f.Name)
	}
}

func TestHandlerFiles(t *testing.T) {
	fsys := smallDist()
	h := NewHandler(fsys)
	for _, tc := range []struct {
		path, ctype string
		want        []byte
	}{
		{"/", "text/html; charset=utf-8", fsys["index.html"].Data},
		{"/app.js", "text/javascript; charset=utf-8", fsys["app.js"].Data},
		{"/style.css", "text/css; charset=utf-8", fsys["style.css"].Data},
		{"/posturekit.wasm", "application/wasm", fsys[WasmFile].Data},
		{"/favicon.svg", "image/svg+xml", fsys["favicon.svg"].Data},
		{"/sub/nested.txt", "text/plain; charset=utf-8", []byte("nested")},
		{"/unknown.bin", "application/octet-stream", []byte{1, 2, 3}},
		{"/sub/../style.css", "text/css; charset=utf-8", fsys["style.css"].Data},
	} {
		r := get(t, h, "GET", tc.path)
		assert.Equal(t, http.StatusOK, r.StatusCode, tc.path)
		assert.Equal(t, tc.ctype, r.Header.Get("Content-Type"), tc.path)
		assert.Empty(t, r.Header.Get("Content-Encoding"), "%s: no gzip unless asked", tc.path)
		assert.Equal(t, tc.want, body(t, r), tc.path)
		assert.NotEmpty(t, r.Header.Get("ETag"), tc.path)
		wantPreset(t, r, tc.path)
		if tc.path == "/" {
			assert.Equal(t, "<posturekit.wasm>; rel=preload; as=fetch; crossorigin", r.Header.Get("Link"), "the page preloads the module")
		} else {
			assert.Empty(t, r.Header.Get("Link"), tc.path)
		}
	}
	// The preset's path rules apply: images are cached longer.
	r := get(t, h, "GET", "/favicon.svg")
	assert.Equal(t, headers.CacheImages, r.Header.Get("Cache-Control"))
	r = get(t, h, "GET", "/app.js")
	assert.Equal(t, headers.CacheHTML, r.Header.Get("Cache-Control"))
}

func TestHandlerGzip(t *testing.T) {
	fsys := smallDist()
	h := NewHandler(fsys)
	for _, tc := range []struct {
		path string
		want []byte
	}{
		{"/posturekit.wasm", fsys[WasmFile].Data},
		{"/", fsys["index.html"].Data},
		// The stale app.js.gz is not the gzip of app.js: compressed afresh.
		{"/app.js", fsys["app.js"].Data},
	} {
		r := get(t, h, "GET", tc.path, "Accept-Encoding", "br;q=1, gzip;q=0.8")
		require.Equal(t, "gzip", r.Header.Get("Content-Encoding"), tc.path)
		assert.Contains(t, r.Header.Values("Vary"), "Accept-Encoding", tc.path)
		zr, err := gzip.NewReader(r.Body)
		require.NoError(t, err, tc.path)
		got, err := io.ReadAll(zr)
		require.NoError(t, err, tc.path)
		assert.Equal(t, tc.want, got, tc.path)
		plain := get(t, h, "GET", tc.path)
		assert.NotEqual(t, plain.Header.Get("ETag"), r.Header.Get("ETag"), "%s: each encoding has its own ETag", tc.path)
	}
	// The .gz of the wasm is served as it is.
	r := get(t, h, "GET", "/posturekit.wasm", "Accept-Encoding", "gzip")
	assert.Equal(t, fsys[WasmFile+".gz"].Data, body(t, r))
	// Refused or absent gzip: the plain file.
	for _, ae := range []string{"", "identity", "gzip;q=0", "br", "gzip;q=0.000, *;q=1", "x-gzip;q=0"} {
		r := get(t, h, "GET", "/posturekit.wasm", "Accept-Encoding", ae)
		assert.Empty(t, r.Header.Get("Content-Encoding"), "Accept-Encoding %q", ae)
		assert.Equal(t, fsys[WasmFile].Data, body(t, r), "Accept-Encoding %q", ae)
	}
	for _, ae := range []string{"gzip", "GZIP", "deflate, gzip", "*", "x-gzip", "gzip;q=0.001", "gzip; q=1.0"} {
		r := get(t, h, "GET", "/posturekit.wasm", "Accept-Encoding", ae)
		assert.Equal(t, "gzip", r.Header.Get("Content-Encoding"), "Accept-Encoding %q", ae)
	}
	// Tiny and binary files are not compressed.
	r = get(t, h, "GET", "/style.css", "Accept-Encoding", "gzip")
	assert.Empty(t, r.Header.Get("Content-Encoding"))
}

func TestHandlerRevalidation(t *testing.T) {
	h := NewHandler(smallDist())
	r := get(t, h, "GET", "/posturekit.wasm")
	etag := r.Header.Get("ETag")
	require.NotEmpty(t, etag)
	r = get(t, h, "GET", "/posturekit.wasm", "If-None-Match", etag)
	assert.Equal(t, http.StatusNotModified, r.StatusCode)
	assert.Empty(t, body(t, r))
	r = get(t, h, "GET", "/posturekit.wasm", "If-None-Match", `"other"`)
	assert.Equal(t, http.StatusOK, r.StatusCode)
	r = get(t, h, "HEAD", "/")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Empty(t, body(t, r))
}

func TestHandlerRefusals(t *testing.T) {
	h := NewHandler(smallDist())
	for _, p := range []string{"/nope", "/sub/", "/sub", "/../index.html.x", "/index.htm"} {
		r := get(t, h, "GET", p)
		assert.Equal(t, http.StatusNotFound, r.StatusCode, p)
		wantPreset(t, r, p)
	}
	r := get(t, h, "GET", "/index.html")
	assert.Equal(t, http.StatusMovedPermanently, r.StatusCode)
	assert.Equal(t, "/", r.Header.Get("Location"))
	for _, m := range []string{"POST", "PUT", "DELETE", "OPTIONS"} {
		r := get(t, h, m, "/")
		assert.Equal(t, http.StatusMethodNotAllowed, r.StatusCode, m)
		assert.Equal(t, "GET, HEAD", r.Header.Get("Allow"), m)
		wantPreset(t, r, "/")
	}
}

func TestHandlerNotBuilt(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"placeholder only": {"README.md": {Data: []byte("generated")}},
		"no wasm": func() fstest.MapFS {
			m := smallDist()
			delete(m, WasmFile)
			delete(m, WasmFile+".gz")
			return m
		}(),
		"wasm a directory": func() fstest.MapFS {
			m := smallDist()
			delete(m, WasmFile)
			delete(m, WasmFile+".gz")
			m[WasmFile+"/x"] = &fstest.MapFile{Data: []byte("x")}
			return m
		}(),
	} {
		require.ErrorIs(t, Built(fsys), ErrNotBuilt, name)
		r := get(t, NewHandler(fsys), "GET", "/")
		assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode, name)
		assert.Contains(t, string(body(t, r)), "the page is not built: run make web", name)
		wantPreset(t, r, "/")
	}
	require.NoError(t, Built(smallDist()))
}

// TestHandlerGzipOnly serves a dist that holds the module only as its
// gzip, as the embedded one does: gzip as it is to clients that accept it,
// else unpacked (once), each form with its own ETag.
func TestHandlerGzipOnly(t *testing.T) {
	fsys := smallDist()
	wasm := fsys[WasmFile].Data
	delete(fsys, WasmFile)
	delete(fsys, "app.js") // app.js.gz stays: served as app.js
	require.NoError(t, Built(fsys), "the module's gzip is enough")
	h := NewHandler(fsys)

	zipped := get(t, h, "GET", "/posturekit.wasm", "Accept-Encoding", "gzip")
	assert.Equal(t, http.StatusOK, zipped.StatusCode)
	assert.Equal(t, "gzip", zipped.Header.Get("Content-Encoding"))
	assert.Equal(t, "application/wasm", zipped.Header.Get("Content-Type"))
	assert.Contains(t, zipped.Header.Values("Vary"), "Accept-Encoding")
	assert.Equal(t, fsys[WasmFile+".gz"].Data, body(t, zipped), "the .gz as it is")
	wantPreset(t, zipped, "/posturekit.wasm")

	for range 2 { // unpacked once, then kept
		plain := get(t, h, "GET", "/posturekit.wasm", "Accept-Encoding", "br")
		assert.Equal(t, http.StatusOK, plain.StatusCode)
		assert.Empty(t, plain.Header.Get("Content-Encoding"))
		assert.Equal(t, "application/wasm", plain.Header.Get("Content-Type"))
		assert.Contains(t, plain.Header.Values("Vary"), "Accept-Encoding")
		assert.Equal(t, wasm, body(t, plain), "the module unpacked")
		assert.Equal(t, strconv.Itoa(len(wasm)), plain.Header.Get("Content-Length"))
		assert.NotEqual(t, zipped.Header.Get("ETag"), plain.Header.Get("ETag"), "each encoding has its own ETag")
	}
	for _, ae := range []string{"", "gzip"} {
		r := get(t, h, "GET", "/posturekit.wasm", "Accept-Encoding", ae)
		etag := r.Header.Get("ETag")
		require.NotEmpty(t, etag, "Accept-Encoding %q", ae)
		r = get(t, h, "GET", "/posturekit.wasm", "Accept-Encoding", ae, "If-None-Match", etag)
		assert.Equal(t, http.StatusNotModified, r.StatusCode, "Accept-Encoding %q", ae)
		r = get(t, h, "HEAD", "/posturekit.wasm", "Accept-Encoding", ae)
		assert.Equal(t, http.StatusOK, r.StatusCode, "Accept-Encoding %q", ae)
		assert.Empty(t, body(t, r), "Accept-Encoding %q", ae)
	}
	r := get(t, h, "GET", "/app.js")
	assert.Equal(t, "text/javascript; charset=utf-8", r.Header.Get("Content-Type"))
	assert.Equal(t, "an older app.js", string(body(t, r)), "app.js.gz, the only app.js now, unpacked")
	r = get(t, h, "GET", "/app.js.gz")
	assert.Equal(t, "application/gzip", r.Header.Get("Content-Type"), "the .gz itself stays served")
	assert.Equal(t, fsys["app.js.gz"].Data, body(t, r))

	// Only text and wasm are unpacked: a .tar.gz is no .tar.
	fsys["data.tar.gz"] = &fstest.MapFile{Data: fsys[WasmFile+".gz"].Data}
	r = get(t, NewHandler(fsys), "GET", "/data.tar")
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
}

// TestHandlerBadGzip: a .gz that does not unpack is a server error that
// names it, for the clients that need it unpacked; never a panic.
func TestHandlerBadGzip(t *testing.T) {
	fsys := smallDist()
	delete(fsys, WasmFile)
	gz := bytes.Clone(fsys[WasmFile+".gz"].Data)
	gz[len(gz)-8] ^= 1 // the trailer's CRC-32
	fsys[WasmFile+".gz"] = &fstest.MapFile{Data: gz}
	fsys["app.js.gz"] = &fstest.MapFile{Data: []byte("not gzip at all, but long enough")}
	delete(fsys, "app.js")
	h := NewHandler(fsys)
	r := get(t, h, "GET", "/posturekit.wasm")
	assert.Equal(t, http.StatusInternalServerError, r.StatusCode)
	assert.Contains(t, string(body(t, r)), "posturekit.wasm.gz: gzip: invalid checksum")
	assert.Empty(t, r.Header.Get("ETag"))
	wantPreset(t, r, "/posturekit.wasm")
	for _, ae := range []string{"", "gzip"} {
		r = get(t, h, "GET", "/app.js", "Accept-Encoding", ae)
		assert.Equal(t, http.StatusInternalServerError, r.StatusCode, "Accept-Encoding %q", ae)
		assert.Contains(t, string(body(t, r)), "app.js.gz is not gzip", "Accept-Encoding %q", ae)
	}
}

// TestEmbedded: the binary's own copy is either a built page or says
// clearly that it is not; built, it holds the module once, as its gzip,
// and every other file of dist/.
func TestEmbedded(t *testing.T) {
	h, err := Handler()
	if _, derr := Dist(); derr != nil {
		require.ErrorIs(t, err, ErrNotBuilt)
		require.ErrorIs(t, derr, ErrNotBuilt)
		assert.Nil(t, h)
		r := get(t, NewHandler(page), "GET", "/")
		assert.Equal(t, http.StatusServiceUnavailable, r.StatusCode)
		assert.Contains(t, string(body(t, r)), "run make web")
		t.Log("web/dist is not built: the embedded page says so")
		return
	}
	require.NoError(t, err)
	r := get(t, h, "GET", "/")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, string(body(t, r)), "posturekit")
	r = get(t, h, "GET", "/posturekit.wasm", "Accept-Encoding", "gzip")
	assert.Equal(t, "application/wasm", r.Header.Get("Content-Type"))
	assert.Equal(t, "gzip", r.Header.Get("Content-Encoding"))
	zipped := body(t, r)
	r = get(t, h, "GET", "/posturekit.wasm")
	assert.Equal(t, "application/wasm", r.Header.Get("Content-Type"))
	assert.Empty(t, r.Header.Get("Content-Encoding"))
	wasm := body(t, r)
	assert.Equal(t, []byte("\x00asm"), wasm[:4])
	assert.Less(t, len(zipped), len(wasm)/2)

	// What the binary carries: dist/ on disk (the same build, as the
	// test binary embeds it) but for the module and its file:// form.
	dist, _ := Dist()
	disk := os.DirFS("dist")
	var onDisk []string
	require.NoError(t, fs.WalkDir(disk, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			onDisk = append(onDisk, name)
		}
		return err
	}))
	for _, name := range onDisk {
		_, err := fs.Stat(dist, name)
		switch name {
		case pagebuild.WasmFile, pagebuild.WasmJSFile:
			assert.ErrorIs(t, err, fs.ErrNotExist, "%s is not embedded", name)
		default:
			assert.NoError(t, err, "%s is embedded", name)
		}
	}
	assert.Contains(t, onDisk, pagebuild.WasmFile)
	onDiskWasm, err := os.ReadFile(filepath.Join("dist", WasmFile))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(onDiskWasm, wasm), "the embedded .gz unpacks to dist/%s: not stale", WasmFile)
}

func TestAcceptsGzip(t *testing.T) {
	for v, want := range map[string]bool{
		"gzip": true, "gzip, deflate, br": true, "br;q=1.0, gzip;q=0.5": true, "*;q=0.1": true,
		"": false, "br": false, "gzip;q=0": false, "gzip;q=0.0": false, "gzip;q=1.5": false,
		"gzip;q=abc": false, "*;q=0": false, "gzip;q=0, *": false, "identity;q=1, *;q=0": false,
	} {
		assert.Equal(t, want, acceptsGzip(v), "%q", v)
	}
}
