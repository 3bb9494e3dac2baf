//go:build js && wasm

// Command wasm is posturekit's WebAssembly face: the generators and
// validators of the command table (internal/command) for the browser, with
// nothing sent anywhere. It sets one namespace, globalThis.posturekit:
//
//   - ready: a Promise that resolves to the namespace once Go is up;
//   - run(command, input): runs a command synchronously and returns
//     {data, text, failed}, or {error: {code, message}}; it never throws;
//   - commands: the names of the commands of this build, sorted;
//   - version: the module version and VCS revision of the build.
//
// command is a command's name as typed after "posturekit" ("mtasts build",
// "record validate", "ttl plan"). input is an object: each flag under its
// long name with "-" written "_" (--max-age is max_age), its value as on
// the command line (a string; numbers and booleans are accepted too; a
// repeatable flag takes an array or one value; null, undefined and [] leave
// the default); the positional arguments under args; and the text of the
// files the command reads and of standard input ("-") under input, either
// one string for every name or an object of names to texts. An unknown key
// is a usage error.
//
// data is exactly the JSON "posturekit COMMAND --json" prints for the same
// input, parsed; text is what it prints without --json; failed is true when
// it would exit with status 1. The error codes: "usage" (bad input: the
// command line's exit status 2 with a usage message), "unknown_command"
// (commands that need the network or cgo are not in this build), "error"
// (an operational failure) and "panic" (a bug, recovered; the next call
// works). posturekit.d.ts has the types.
//
// Build it as the page does, with wasm_exec.js from the same toolchain
// (build.sh does both):
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o posturekit.wasm ./wasm
//	cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" .
//
// Then, in a page (or Node.js, after require('./wasm_exec.js')):
//
//	const go = new Go();
//	const {instance} = await WebAssembly.instantiateStreaming(fetch('posturekit.wasm'), go.importObject);
//	go.run(instance);
//	const pk = await posturekit.ready;
//	const r = pk.run('mtasts build', {mx: ['mail.example.com'], max_age: 604800, domain: 'example.com'});
//	if (r.error) { show(r.error.message); } else { show(r.text); save(r.data.policy_text); }
//
//	pk.run('record validate', {args: ['dmarc', 'v=DMARC1; p=reject']});
//	pk.run('headers grade', {args: ['set.txt'], html: 'page.html', input: {'set.txt': headerLines, 'page.html': html}});
//	pk.run('headers csp', {args: ['-'], input: pastedHTML});
//	pk.run('ttl', {ttl: 3600, at: ['5m', '1h'], svg: '-'});
//
// The tests (wasm_test.go, on the host) build the wasm and the command line,
// run every command of this build through both under Node.js and compare
// their answers; they also hold the brotli-compressed size to the budget
// and check that no DNS or HTTP client is linked. The tests of this file
// run in Node.js too:
//
//	GOOS=js GOARCH=wasm go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./wasm
package main
