// Package web is posturekit's offline page: every generator and validator
// of the command line, run in the browser by the WebAssembly build
// (../wasm), with nothing sent anywhere.
//
// The page is built into dist/ by "make web" (or "go generate ./web/...",
// which runs ./internal/gen): the wasm, the Go toolchain's wasm_exec.js, the
// page from src/, and posturekit.wasm.js, the same wasm as base64 of its
// gzip for the page opened from disk (file:// forbids fetch, so the page
// loads that script instead and unpacks it with DecompressionStream). One
// build, two forms: serve dist/ from any static host, or open
// dist/index.html from disk. src/load.js, the first script of the page,
// starts downloading and compiling the module before the rest of the page
// is parsed; src/app.js turns form fields into posturekit.run input and
// shows the results, as text only (the page never inserts HTML, and its
// policy enforces Trusted Types when served). The page also carries the
// preset's policy in a <meta> tag, so that it holds from disk too.
//
// For most uses, call [Handler]: it serves the page embedded in the binary
// with the headers of the "web" preset of package headers (a strict CSP
// with 'wasm-unsafe-eval' only in script-src, HSTS, and the rest), as
// "posturekit serve" does. [NewHandler] serves another copy of dist, such as
// a directory on disk.
package web
