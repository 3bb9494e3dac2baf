//go:build !js

package web

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/ttlcalc"
	"github.com/posturekit/posturekit/web/internal/pagebuild"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuiltDist checks what the generator writes: one build, two forms of
// the same module (the .wasm for the served page, base64 of its gzip for
// file://), the toolchain's own wasm_exec.js, and an index.html whose
// lists come from the engine.
func TestBuiltDist(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the page")
	}
	dist := builtDist(t)
	require.NoError(t, Built(os.DirFS(dist)))
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dist, name))
		require.NoError(t, err)
		return b
	}
	wasm := read(pagebuild.WasmFile)
	require.Equal(t, []byte("\x00asm"), wasm[:4], "a WebAssembly module")

	zr, err := gzip.NewReader(bytes.NewReader(read(pagebuild.WasmGzipFile)))
	require.NoError(t, err)
	unzipped, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(wasm, unzipped), "the .gz is the module's gzip")

	js := string(read(pagebuild.WasmJSFile))
	prefix := "globalThis." + pagebuild.WasmJSGlobal + ` = "`
	i := strings.Index(js, prefix)
	require.GreaterOrEqual(t, i, 0, "posturekit.wasm.js sets %s", pagebuild.WasmJSGlobal)
	b64, _, ok := strings.Cut(js[i+len(prefix):], `";`)
	require.True(t, ok)
	gz, err := base64.StdEncoding.DecodeString(b64)
	require.NoError(t, err)
	assert.Equal(t, read(pagebuild.WasmGzipFile), gz, "the file:// form holds the same gzip")

	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	require.NoError(t, err)
	glue, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
	require.NoError(t, err)
	assert.Equal(t, glue, read("wasm_exec.js"), "wasm_exec.js of the same toolchain")

	page := string(read("index.html"))
	assert.NotContains(t, page, "{{", "the template was executed")
	assert.Contains(t, page, `<meta http-equiv="Content-Security-Policy" content="`+html.EscapeString(pagebuild.MetaCSP())+`">`)
	meta, err := headers.ParseCSP(pagebuild.MetaCSP())
	require.NoError(t, err)
	for _, d := range headers.WebCSP().Directives {
		switch d.Name {
		case "frame-ancestors", "require-trusted-types-for", "trusted-types":
			assert.False(t, meta.Has(d.Name), "%s is the header's alone", d.Name)
		default:
			got, _ := meta.Get(d.Name)
			assert.Equal(t, d.Values, got.Values, "the <meta> policy's %s is the preset's", d.Name)
		}
	}
	for _, p := range headers.Presets() {
		assert.Contains(t, page, `<option value="`+p.Name+`"`, "preset %s", p.Name)
	}
	for _, f := range headers.Formats() {
		assert.Contains(t, page, `<option value="`+f.Name+`"`, "format %s", f.Name)
	}
	for _, p := range ttlcalc.PresetNames() {
		assert.Contains(t, page, `<option value="`+p+`"`, "population %s", p)
	}
	assert.Contains(t, page, `<option value="raw" title=`, "raw is offered")
	assert.Contains(t, page, `selected>raw</option>`, "raw, the command line's default format, is selected")
	for _, name := range []string{"load.js", "app.js", "style.css", "favicon.svg"} {
		assert.Equal(t, read(name), mustRead(t, filepath.Join("src", name)), name)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return b
}
