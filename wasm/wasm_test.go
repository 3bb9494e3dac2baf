//go:build !js

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/internal/vectors"
)

// The host-side tests build posturekit.wasm as the page ships it, run it
// under Node.js with testdata/driver.mjs, and compare every command's
// answer with the command line's for the same input.

// need skips the test when a program is missing, and fails it in CI.
func need(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// builds holds the wasm and the CLI, built once for all tests.
var builds struct {
	once      sync.Once
	dir       string
	wasm, cli string
	wasmExec  string // wasm_exec.js of the toolchain that built the wasm
	err       error
}

// wasmBuildFlags are the flags the page is built with (see doc.go).
var wasmBuildFlags = []string{"build", "-trimpath", "-ldflags=-s -w"}

func build(t *testing.T) (wasm, cli string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		need(t, "node not found: install Debian's nodejs to run the WebAssembly tests")
	}
	builds.once.Do(func() {
		builds.dir, builds.err = os.MkdirTemp("", "posturekit-wasm-test")
		if builds.err != nil {
			return
		}
		builds.wasm = filepath.Join(builds.dir, "posturekit.wasm")
		builds.cli = filepath.Join(builds.dir, "posturekit")
		goroot, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			builds.err = fmt.Errorf("go env GOROOT: %v", err)
			return
		}
		builds.wasmExec = filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js")
		cmd := exec.Command("go", append(wasmBuildFlags, "-o", builds.wasm, ".")...)
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if out, err := cmd.CombinedOutput(); err != nil {
			builds.err = fmt.Errorf("building the wasm: %v\n%s", err, out)
			return
		}
		// POSTUREKIT_CLI names a posturekit binary built from this tree
		// already (to save the build, or when another package of the
		// command line is being worked on).
		if cli := os.Getenv("POSTUREKIT_CLI"); cli != "" {
			builds.cli = cli
			return
		}
		cmd = exec.Command("go", "build", "-o", builds.cli, "../cmd/posturekit")
		if out, err := cmd.CombinedOutput(); err != nil {
			builds.err = fmt.Errorf("building the command line: %v\n%s", err, out)
		}
	})
	if builds.err != nil {
		t.Fatal(builds.err)
	}
	return builds.wasm, builds.cli
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builds.dir != "" {
		os.RemoveAll(builds.dir)
	}
	os.Exit(code)
}

// request is one call the driver makes: run(command, input), or a
// JavaScript expression for what JSON cannot carry.
type request struct {
	Command string         `json:"command,omitempty"`
	Input   map[string]any `json:"input,omitempty"`
	Expr    string         `json:"expr,omitempty"`
}

// report is what the driver prints.
type report struct {
	Keys                   []string `json:"keys"`
	ReadyIsPromise         bool     `json:"ready_is_promise"`
	ReadyResolvesNamespace bool     `json:"ready_resolves_namespace"`
	Commands               []string `json:"commands"`
	Version                string   `json:"version"`
	ReadyMS                float64  `json:"ready_ms"`
	Results                []struct {
		Result json.RawMessage `json:"result"`
		Threw  string          `json:"threw"`
		MS     float64         `json:"ms"`
	} `json:"results"`
}

// result is the envelope run returns.
type result struct {
	Data   json.RawMessage `json:"data"`
	Text   *string         `json:"text"`
	Failed *bool           `json:"failed"`
	Error  *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// drive runs the requests through the wasm in one Node.js process.
func drive(t *testing.T, reqs []request) *report {
	t.Helper()
	wasm, _ := build(t)
	in, err := json.Marshal(reqs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "testdata/driver.mjs", builds.wasmExec, wasm)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("driver: %v\n%s", err, stderr.Bytes())
	}
	var r report
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("driver output: %v\n%s", err, out)
	}
	if len(r.Results) != len(reqs) {
		t.Fatalf("driver: %d results for %d requests", len(r.Results), len(reqs))
	}
	for i, res := range r.Results {
		if res.Threw != "" {
			t.Errorf("request %d (%+v): run threw: %s", i, reqs[i], res.Threw)
		}
	}
	return &r
}

// decode reads run's envelope and checks it has exactly the keys it
// should: data, text and failed, or error.
func decode(t *testing.T, name string, raw json.RawMessage) result {
	t.Helper()
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatalf("%s: run returned %s, not an object", name, raw)
	}
	var r result
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("%s: %v: %s", name, err, raw)
	}
	var got []string
	for k := range keys {
		got = append(got, k)
	}
	sort.Strings(got)
	want := []string{"data", "failed", "text"}
	if r.Error != nil {
		want = []string{"error"}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: result has keys %v, want %v: %s", name, got, want, raw)
	}
	return r
}

// outcome is what both faces must do with an input.
type outcome int

const (
	ok      outcome = iota // a result; exit status 0
	failed                 // a result with failed set; exit status 1
	usage                  // error code "usage"; exit status 2
	opError                // error code "error"; exit status 2
	unknown                // error code "unknown_command"; exit status 2
)

var outcomeNames = [...]string{"ok", "failed", "usage", "error", "unknown_command"}

func (o outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return "as its vector says"
	}
	return outcomeNames[o]
}

// faceCase is one input for one command, run through both faces.
type faceCase struct {
	name    string
	command string
	// input is posturekit.run's input: flags by key ("-" written "_"),
	// "args", and "input" (a string, or names to texts). The command
	// line gets the same: --flag=value (repeated for an array), the
	// arguments, standard input and files of those names.
	input map[string]any
	want  outcome
	// ownMessage: the error message is each face's own (the command
	// line's flag parsing is cobra's), only the outcome is compared.
	ownMessage bool
	// wasmOnly: the command line does something else with the input (it
	// has files); only the wasm's outcome is checked.
	wasmOnly bool
	// contains: strings the wasm's data or error message must hold as
	// they are (markup stays text, unescaped).
	contains []string
}

const (
	goodPolicy = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n"
	xssPolicy  = "version: STSv1\nmode: enforce\nmx: <script>alert(1)</script>\nmax_age: 86400\n"
	goodSet    = "HTTP/2 200\r\nContent-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nSet-Cookie: __Host-id=1; Path=/; Secure; HttpOnly; SameSite=Lax\r\n"
	xssSet     = "Content-Security-Policy: script-src 'self' <script>alert(1)</script>\nX-Frame-Options: <img src=x onerror=alert(1)>\n"
	jsonSet    = `{"Strict-Transport-Security": "max-age=31536000", "X-Content-Type-Options": "nosniff", "Permissions-Policy": ["camera=()", "geolocation=(self)"]}`
	page       = `<!doctype html><html><head><title>t</title>
<link rel="stylesheet" href="https://cdn.example.net/site.css">
<style>body{color:red}</style>
<script src="/js/app.js"></script>
<script>console.log("</scr" + "ipt><img src=x onerror=alert(1)>")</script>
</head><body><a href="javascript:alert(1)">x</a>
<button onclick="alert('<b>hi</b>')" style="color:blue">b</button>
<img src="https://img.example.com/a.png"><iframe src="https://video.example.org/e"></iframe></body></html>`
	stylesheet = `@font-face{font-family:x;src:url(https://fonts.example.com/x.woff2)} body{background:url(/img/bg.png)}`
	population = `{"name": "two", "assumption": "two made-up classes <b>for a test</b>", "classes": [
  {"name": "honest", "share": 0.9},
  {"name": "floor", "share": 0.1, "floor": "1h"}]}`
	ed25519Key = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
)

func faceCases(t *testing.T) []faceCase {
	cases := []faceCase{
		// mtasts validate
		{name: "policy on stdin with mx hosts", command: "mtasts validate", input: map[string]any{"args": []string{"-"}, "input": goodPolicy, "mx_host": []string{"mail.example.com", "mx2.example.net", "other.example.org"}}, want: failed},
		{name: "record", command: "mtasts validate", input: map[string]any{"args": []string{"v=STSv1; id=20240101T000000;"}, "record": true}},
		{name: "record, bool as string", command: "mtasts validate", input: map[string]any{"args": []string{"v=STSv1; id=;"}, "record": "true"}, want: failed},
		{name: "record, bool as 1", command: "mtasts validate", input: map[string]any{"args": []string{"v=STSv1"}, "record": 1}, want: failed},
		{name: "record and mx host", command: "mtasts validate", input: map[string]any{"args": []string{"v=STSv1; id=1;"}, "record": true, "mx_host": "mx.example.com"}, want: usage},
		{name: "markup in a policy", command: "mtasts validate", input: map[string]any{"args": []string{"-"}, "input": xssPolicy}, want: failed, contains: []string{"<script>alert(1)</script>"}},
		{name: "no argument", command: "mtasts validate", input: map[string]any{}, want: usage},
		{name: "two arguments", command: "mtasts validate", input: map[string]any{"args": []string{"a", "b"}, "input": goodPolicy}, want: usage},
		{name: "bad bool", command: "mtasts validate", input: map[string]any{"args": []string{"v=STSv1; id=1;"}, "record": "yes"}, want: usage, ownMessage: true},
		{name: "file without its text", command: "mtasts validate", input: map[string]any{"args": []string{"policy.txt"}}, want: usage, wasmOnly: true, contains: []string{"policy.txt"}},

		// mtasts build
		{name: "full", command: "mtasts build", input: map[string]any{"mx": []string{"mail.example.com", "*.example.net"}, "max_age": 604800, "id": "20240101T1", "domain": "Example.COM."}},
		{name: "numbers as strings, one mx as a string", command: "mtasts build", input: map[string]any{"mode": "testing", "mx": "mx.example.org", "max_age": "86400", "id": "a1"}},
		{name: "hex number as pflag reads it", command: "mtasts build", input: map[string]any{"mx": []string{"mx.example.org"}, "max_age": "0x93A80", "id": "h1"}},
		{name: "mode none, empty array, null", command: "mtasts build", input: map[string]any{"mode": "none", "mx": []string{}, "id": "n1", "domain": nil}},
		{name: "bad mode", command: "mtasts build", input: map[string]any{"mode": "bogus", "id": "1"}, want: usage},
		{name: "no mx", command: "mtasts build", input: map[string]any{"id": "1"}, want: usage},
		{name: "max_age not a number", command: "mtasts build", input: map[string]any{"mx": "a.example", "max_age": "soon", "id": "1"}, want: usage, ownMessage: true},
		{name: "max_age a fraction", command: "mtasts build", input: map[string]any{"mx": "a.example", "max_age": 1.5, "id": "1"}, want: usage, ownMessage: true},
		{name: "unknown flag", command: "mtasts build", input: map[string]any{"mx": "a.example", "colour": "red", "id": "1"}, want: usage, ownMessage: true},
		{name: "arguments it does not take", command: "mtasts build", input: map[string]any{"mx": "a.example", "id": "1", "args": []string{"example.com"}}, want: usage},
		{name: "markup in mx and id", command: "mtasts build", input: map[string]any{"mx": []string{"<img src=x onerror=alert(1)>"}, "id": "<b>1</b>"}, want: failed, contains: []string{"<img src=x onerror=alert(1)>"}},

		// record validate
		{name: "spf", command: "record validate", input: map[string]any{"args": []string{"spf", "v=spf1 include:_spf.google.com ip4:192.0.2.0/24 ~all"}}},
		{name: "dmarc with markup", command: "record validate", input: map[string]any{"args": []string{"dmarc", "v=DMARC1; p=reject; rua=mailto:<script>@example.com"}}, want: failed, contains: []string{"<script>"}},
		{name: "caa", command: "record validate", input: map[string]any{"args": []string{"caa", `0 issue "letsencrypt.org"`}}},
		{name: "tlsrpt", command: "record validate", input: map[string]any{"args": []string{"tlsrpt", "v=TLSRPTv1; rua=mailto:tls@example.com"}}},
		{name: "dkim", command: "record validate", input: map[string]any{"args": []string{"dkim", ed25519Key}}},
		{name: "mta-sts", command: "record validate", input: map[string]any{"args": []string{"MTA-STS", "v=STSv1; id=1;"}}},
		{name: "security.txt on stdin", command: "record validate", input: map[string]any{"args": []string{"securitytxt", "-"}, "input": "Contact: mailto:security@example.com\r\nExpires: 2099-01-01T00:00:00Z\r\n"}},
		{name: "spf on stdin with a newline", command: "record validate", input: map[string]any{"args": []string{"spf", "-"}, "input": "v=spf1 -all\n"}},
		{name: "unknown kind", command: "record validate", input: map[string]any{"args": []string{"bogus", "x"}}, want: usage},
		{name: "one argument", command: "record validate", input: map[string]any{"args": []string{"spf"}}, want: usage},

		// kit
		{name: "mail domain", command: "kit", input: map[string]any{"args": []string{"example.com"}, "mx": []string{"mail.example.com"}, "rua": "dmarc@example.com", "ca": "letsencrypt.org", "contact": "mailto:security@example.com", "mta_sts_id": "1", "ttl": 300}},
		{name: "no mail, route53", command: "kit", input: map[string]any{"args": []string{"parked.example"}, "no_mail": true, "format": "route53"}},
		{name: "terraform, every flag", command: "kit", input: map[string]any{"args": []string{"example.org"}, "format": "terraform",
			"mx": []string{"mx1.example.org", "mx2.example.org"}, "spf_ip": []string{"192.0.2.0/24", "2001:db8::/32"}, "spf_include": "_spf.google.com", "spf_softfail": true,
			"dkim": []string{"s1=" + ed25519Key}, "mta_sts_mode": "testing", "mta_sts_max_age": "86400", "mta_sts_id": "t1", "mta_sts_host": "mta-sts.provider.example",
			"no_wildcard": "true", "dmarc_policy": "quarantine", "ca": []string{"letsencrypt.org", "pki.goog"}, "contact": []string{"https://example.org/security"}, "rua": []string{"reports@example.org"}}},
		{name: "json", command: "kit", input: map[string]any{"args": []string{"example.net"}, "format": "json", "mx": "mx.example.net", "mta_sts_id": "j1"}},
		{name: "bad format", command: "kit", input: map[string]any{"args": []string{"example.com"}, "format": "bogus"}, want: usage},
		{name: "bad dkim", command: "kit", input: map[string]any{"args": []string{"example.com"}, "dkim": "nonsense", "mta_sts_id": "1"}, want: usage},
		{name: "markup as the domain", command: "kit", input: map[string]any{"args": []string{"<script>alert(1)</script>.example"}, "mta_sts_id": "1"}, want: usage, contains: []string{"<script>alert(1)</script>"}},
		{name: "no domain", command: "kit", input: map[string]any{}, want: usage},

		// headers build
		{name: "defaults", command: "headers build", input: map[string]any{}},
		{name: "csp, coep, report uri", command: "headers build", input: map[string]any{"csp": "default-src 'self'; script-src 'self' https://cdn.example.com; frame-ancestors 'self'", "coep": "require-corp", "report_uri": "https://r.example.com/csp"}},
		{name: "bad preset", command: "headers build", input: map[string]any{"preset": "bogus"}, want: usage},
		{name: "bad coep", command: "headers build", input: map[string]any{"coep": "maybe"}, want: usage},
		{name: "markup in the csp", command: "headers build", input: map[string]any{"csp": "script-src 'self' <script>alert(1)</script>"}, want: failed, contains: []string{"<script>alert(1)</script>", "headers.csp_invalid_source"}},
		{name: "from html in the browser", command: "headers build", input: map[string]any{"from_html": "site"}, want: usage, wasmOnly: true},

		// headers validate
		{name: "lines on stdin", command: "headers validate", input: map[string]any{"args": []string{"-"}, "input": goodSet}},
		{name: "json object from a file", command: "headers validate", input: map[string]any{"args": []string{"headers.json"}, "input": map[string]any{"headers.json": jsonSet}}},
		{name: "markup", command: "headers validate", input: map[string]any{"args": []string{"-"}, "input": xssSet}, want: failed, contains: []string{"<img src=x onerror=alert(1)>"}},
		{name: "unreadable", command: "headers validate", input: map[string]any{"args": []string{"-"}, "input": "{not json"}, want: failed},
		{name: "no stdin", command: "headers validate", input: map[string]any{"args": []string{"-"}}, want: usage, wasmOnly: true},

		// headers grade
		{name: "default profile", command: "headers grade", input: map[string]any{"args": []string{"-"}, "input": goodSet}},
		{name: "v4, no https, no redirect, host", command: "headers grade", input: map[string]any{"args": []string{"-"}, "input": jsonSet, "profile": "observatory-v4", "no_https": true, "no_redirect": "true", "host": "Example.COM."}},
		{name: "with the page's html", command: "headers grade", input: map[string]any{"args": []string{"set.txt"}, "html": "page.html", "input": map[string]any{"set.txt": goodSet, "page.html": page}}},
		{name: "markup", command: "headers grade", input: map[string]any{"args": []string{"-"}, "input": xssSet}, contains: []string{"<script>alert(1)</script>"}},
		{name: "bad profile", command: "headers grade", input: map[string]any{"args": []string{"-"}, "input": goodSet, "profile": "v9"}, want: usage},
		{name: "unreadable", command: "headers grade", input: map[string]any{"args": []string{"-"}, "input": "{"}, want: usage},

		// headers csp
		{name: "page on stdin", command: "headers csp", input: map[string]any{"args": []string{"-"}, "input": page}, contains: []string{"javascript:"}},
		{name: "page and stylesheet, every flag", command: "headers csp", input: map[string]any{"args": []string{"index.html", "site.css"}, "input": map[string]any{"index.html": page, "site.css": stylesheet},
			"origin": "https://example.com", "csp": "connect-src https://api.example.com", "frame_ancestors": "'self'", "no_style_attributes": true, "fallback": true}},
		{name: "clean page", command: "headers csp", input: map[string]any{"args": []string{"-"}, "input": "<!doctype html><title>x</title><script>1</script><p style=\"color:red\">hi</p>"}},
		{name: "no pages", command: "headers csp", input: map[string]any{}, want: usage},
		{name: "bad csp", command: "headers csp", input: map[string]any{"args": []string{"-"}, "input": page, "csp": ";"}, want: usage},
		{name: "directory in the browser", command: "headers csp", input: map[string]any{"from_html": "site"}, want: usage, wasmOnly: true},

		// ttl
		{name: "record", command: "ttl", input: map[string]any{"ttl": "300", "at": []string{"5m", "1h"}, "quantile": []string{"0.99", "99.9%"}}},
		{name: "lowered, number ttl, conservative", command: "ttl", input: map[string]any{"ttl": 3600, "lowered_ttl": "300", "lead_time": "2h", "population": "conservative"}},
		{name: "svg inline", command: "ttl", input: map[string]any{"ttl": "1h", "svg": "-", "population": "halflife"}},
		{name: "population from a file", command: "ttl", input: map[string]any{"ttl": "600", "population": "pop.json", "input": map[string]any{"pop.json": population}, "at": "30m"}, contains: []string{"<b>for a test</b>"}},
		{name: "svg to a file in the browser", command: "ttl", input: map[string]any{"ttl": "300", "svg": "plot.svg"}, want: usage, wasmOnly: true},
		{name: "no ttl", command: "ttl", input: map[string]any{}, want: usage},
		{name: "bad ttl", command: "ttl", input: map[string]any{"ttl": "soon"}, want: usage},
		{name: "lead time without lowered", command: "ttl", input: map[string]any{"ttl": "1h", "lead_time": "1h"}, want: usage},

		// ttl delegation
		{name: "child ttl", command: "ttl delegation", input: map[string]any{"child_ns_ttl": "1h", "at": []string{"1h", "1d"}}},
		{name: "every flag", command: "ttl delegation", input: map[string]any{"child_ns_ttl": "2d", "parent_ns_ttl": "1d", "publish_delay": "10m", "child_ns_unseen": "0.1", "lowered_ttl": "300", "lead_time": "3d", "quantile": "0.5"}},
		{name: "no child ttl", command: "ttl delegation", input: map[string]any{}, want: usage},
		{name: "bad share", command: "ttl delegation", input: map[string]any{"child_ns_ttl": "1h", "child_ns_unseen": "2"}, want: usage},

		// ttl negative
		{name: "soa", command: "ttl negative", input: map[string]any{"soa_ttl": "1h", "soa_minimum": "300"}},
		{name: "lowered, svg", command: "ttl negative", input: map[string]any{"soa_ttl": "1d", "soa_minimum": "3h", "lowered_ttl": "60", "lead_time": "1d", "svg": "-"}},
		{name: "no minimum", command: "ttl negative", input: map[string]any{"soa_ttl": "1h"}, want: usage},

		// ttl plan
		{name: "record", command: "ttl plan", input: map[string]any{"ttl": "1d"}},
		{name: "negative", command: "ttl plan", input: map[string]any{"kind": "negative", "soa_ttl": "1h", "soa_minimum": "1h", "quantile": []string{"0.999"}}},
		{name: "delegation", command: "ttl plan", input: map[string]any{"kind": "delegation", "child_ns_ttl": "2d", "population": "conservative"}},
		{name: "no lowering", command: "ttl plan", input: map[string]any{"ttl": "1h", "lowered_ttl": "0"}},
		{name: "bad kind", command: "ttl plan", input: map[string]any{"kind": "bogus"}, want: usage},
		{name: "flag of another kind", command: "ttl plan", input: map[string]any{"ttl": "1h", "soa_ttl": "1h"}, want: usage},

		// Not in the table: the face says so, as the command line does.
		{name: "unknown command", command: "nope", input: map[string]any{}, want: unknown, ownMessage: true},
		{name: "network command", command: "mtasts check", input: map[string]any{"args": []string{"example.com"}}, want: unknown, wasmOnly: true},
	}
	// Every renderer of headers build.
	for _, f := range append([]string{"raw", "json"}, rendererNames()...) {
		cases = append(cases, faceCase{name: "format " + f, command: "headers build", input: map[string]any{"preset": "helmet", "format": f}})
	}
	// The shared MTA-STS vectors, as files.
	for _, v := range vectors.MTASTS(t) {
		b, err := os.ReadFile(v.Input)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, faceCase{name: "vector " + v.Name, command: "mtasts validate", want: -1,
			input: map[string]any{"args": []string{v.Name}, "input": string(b)}})
	}
	return cases
}

func rendererNames() []string {
	var names []string
	for _, r := range headers.Formats() {
		names = append(names, r.Name)
	}
	return names
}

// timestamp matches what commands compute from the current time, to the
// second (security.txt's Expires, MTA-STS ids in fixes), which two runs
// need not agree on: both faces' outputs are compared with them masked.
var timestamp = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\b|\b\d{14}Z\b`)

// TestFaces runs every case through posturekit.run and the command line
// and compares: the data with the --json output, the text with the plain
// output, failed with exit status 1, an error with exit status 2 and the
// message the command line prints.
func TestFaces(t *testing.T) {
	_, cli := build(t)
	cases := faceCases(t)
	reqs := make([]request, len(cases))
	for i, c := range cases {
		reqs[i] = request{Command: c.command, Input: c.input}
	}
	rep := drive(t, reqs)

	// Every command of the browser build has cases, and the commands
	// that need the network or cgo are not in it.
	perCommand := map[string]int{}
	for _, c := range cases {
		perCommand[c.command]++
	}
	for _, name := range rep.Commands {
		if perCommand[name] < 3 {
			t.Errorf("command %q of the wasm build has %d case(s) here, want several", name, perCommand[name])
		}
	}
	for _, name := range []string{"mtasts validate", "mtasts build", "record validate", "kit", "headers build", "headers grade",
		"headers validate", "headers csp", "ttl", "ttl delegation", "ttl negative", "ttl plan"} {
		if !slices.Contains(rep.Commands, name) {
			t.Errorf("the wasm build has no command %q", name)
		}
	}
	for _, name := range []string{"mtasts check", "spf", "webp"} {
		if slices.Contains(rep.Commands, name) {
			t.Errorf("the wasm build has %q, which needs the network or cgo", name)
		}
	}

	vecs := map[string]vectors.Vector{}
	for _, v := range vectors.MTASTS(t) {
		vecs[v.Name] = v
	}
	for i, c := range cases {
		t.Run(c.command+"/"+c.name, func(t *testing.T) {
			w := decode(t, c.name, rep.Results[i].Result)
			if c.want < 0 { // a vector: its .json says
				v := vecs[c.input["args"].([]string)[0]]
				if w.Error != nil {
					t.Fatalf("error %+v", *w.Error)
				}
				if r := v.Check(t, w.Data, false); r.Valid == *w.Failed {
					t.Errorf("valid %v but failed %v", r.Valid, *w.Failed)
				}
			} else {
				checkOutcome(t, c, w)
			}
			for _, s := range c.contains {
				if got := string(w.Data) + " " + errorMessage(w); !strings.Contains(got, s) && !strings.Contains(jsonText(t, w), s) {
					t.Errorf("%q is not in the result as text:\n%s", s, got)
				}
			}
			if c.wasmOnly {
				return
			}
			compareCLI(t, cli, c, w)
		})
	}
	var total, worst float64
	for _, r := range rep.Results {
		total += r.MS
		worst = max(worst, r.MS)
	}
	t.Logf("wasm: ready after %.0f ms; %d calls, %.2f ms a call on average, %.1f ms the slowest", rep.ReadyMS, len(rep.Results), total/float64(len(rep.Results)), worst)
}

func errorMessage(w result) string {
	if w.Error == nil {
		return ""
	}
	return w.Error.Message
}

// jsonText is the data's strings joined, decoded from JSON (where
// encoding/json would write < as \u003c, JSON.stringify does not).
func jsonText(t *testing.T, w result) string {
	if w.Data == nil {
		return ""
	}
	var v any
	if err := json.Unmarshal(w.Data, &v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			b.WriteString(v)
			b.WriteString("\n")
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

func checkOutcome(t *testing.T, c faceCase, w result) {
	t.Helper()
	var got outcome
	switch {
	case w.Error == nil && w.Failed != nil && *w.Failed:
		got = failed
	case w.Error == nil:
		got = ok
	case w.Error.Code == "usage":
		got = usage
	case w.Error.Code == "error":
		got = opError
	case w.Error.Code == "unknown_command":
		got = unknown
	default:
		t.Fatalf("error code %q: %s", w.Error.Code, w.Error.Message)
	}
	if got != c.want {
		t.Fatalf("wasm: %v, want %v: data %s error %+v", got, c.want, w.Data, w.Error)
	}
	if w.Error == nil && (w.Text == nil || w.Failed == nil || len(w.Data) == 0) {
		t.Fatalf("wasm: incomplete result: data %s text %v failed %v", w.Data, w.Text, w.Failed)
	}
	if w.Error != nil && w.Error.Message == "" {
		t.Fatal("wasm: an error without a message")
	}
}

// cliInvocation turns a case's input into a command line (extra flags
// before the arguments), its standard input and the files it reads.
func cliInvocation(c faceCase, extra ...string) (args []string, stdin string, files map[string]string) {
	args = strings.Fields(c.command)
	files = map[string]string{}
	var pos []string
	keys := make([]string, 0, len(c.input))
	for k := range c.input {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := c.input[k]
		switch k {
		case "args":
			pos = v.([]string)
			continue
		case "input":
			continue
		}
		flag := "--" + strings.ReplaceAll(k, "_", "-")
		switch v := v.(type) {
		case nil:
		case []string:
			for _, s := range v {
				args = append(args, flag+"="+s)
			}
		default:
			args = append(args, fmt.Sprintf("%s=%v", flag, v))
		}
	}
	switch in := c.input["input"].(type) {
	case string:
		stdin = in
		for _, p := range pos {
			if p != "-" {
				files[p] = in
			}
		}
	case map[string]any:
		for name, text := range in {
			if name == "-" {
				stdin = text.(string)
			} else {
				files[name] = text.(string)
			}
		}
	}
	args = append(args, extra...)
	if len(pos) > 0 {
		args = append(append(args, "--"), pos...)
	}
	return args, stdin, files
}

// runCLI runs the command line in a directory holding the case's files.
func runCLI(t *testing.T, cli string, args []string, stdin string, files map[string]string) (stdout, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(cli, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, isExit := err.(*exec.ExitError); isExit {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func compareCLI(t *testing.T, cli string, c faceCase, w result) {
	t.Helper()
	jsonArgs, stdin, files := cliInvocation(c, "--json")
	args, _, _ := cliInvocation(c)
	jsonOut, jsonErr, code := runCLI(t, cli, jsonArgs, stdin, files)
	wantCode := map[outcome]int{ok: 0, failed: 1, usage: 2, opError: 2, unknown: 2}[c.want]
	if c.want < 0 {
		wantCode = 0
		if *w.Failed {
			wantCode = 1
		}
	}
	if code != wantCode {
		t.Fatalf("posturekit %q: exit status %d, want %d (the wasm's %v)\nstdout:\n%s\nstderr:\n%s", args, code, wantCode, c.want, jsonOut, jsonErr)
	}
	if code == 2 {
		if jsonOut != "" {
			t.Errorf("posturekit %q: exit status 2 with output:\n%s", args, jsonOut)
		}
		if !c.ownMessage && jsonErr != "posturekit: "+w.Error.Message+"\n" {
			t.Errorf("messages differ:\nwasm: %s\nCLI:  %s", w.Error.Message, jsonErr)
		}
		return
	}
	mask := func(s string) string { return timestamp.ReplaceAllString(s, "TIME") }
	var fromCLI, fromWasm any
	if err := json.Unmarshal([]byte(mask(jsonOut)), &fromCLI); err != nil {
		t.Fatalf("posturekit %q --json: %v\n%s", args, err, jsonOut)
	}
	if err := json.Unmarshal([]byte(mask(string(w.Data))), &fromWasm); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromCLI, fromWasm) {
		t.Errorf("data differs from posturekit %q --json\nwasm: %s\nCLI:  %s", args, w.Data, jsonOut)
	}
	textOut, _, code := runCLI(t, cli, args, stdin, files)
	if code != wantCode {
		t.Errorf("posturekit %q: exit status %d without --json, %d with", args, code, wantCode)
	}
	if mask(textOut) != mask(*w.Text) {
		t.Errorf("text differs from posturekit %q\nwasm:\n%s\nCLI:\n%s", args, *w.Text, textOut)
	}
}

// TestConventions checks what JSON cannot carry from the Go side: the
// namespace, input that is no object, getters and proxies that throw,
// panics kept inside, and that run still works after all of them.
func TestConventions(t *testing.T) {
	type conv struct {
		expr     string
		code     string // the error code; "" for a result
		contains string // in the message or the data
	}
	convs := []conv{
		{`pk.run()`, "usage", "must be a string"},
		{`pk.run(42, {})`, "usage", "must be a string"},
		{`pk.run("mtasts", {})`, "unknown_command", `"mtasts"`},
		{`pk.run("webp", {args: ["a.png"]})`, "unknown_command", "webp"},
		{`pk.run("kit", "example.com")`, "usage", "must be an object"},
		{`pk.run("kit", ["example.com"])`, "usage", "must be an object"},
		{`pk.run("kit", {args: ["example.com"], get mx() { throw new Error("boom") }})`, "usage", "boom"},
		{`pk.run("kit", new Proxy({}, {ownKeys() { throw new Error("trap") }}))`, "usage", "trap"},
		{`pk.run("kit", {args: ["example.com"], mx: [{}]})`, "usage", "item 0: want a string"},
		{`pk.run("kit", {args: ["example.com"], mx: {host: "a"}})`, "usage", "want an array of strings"},
		{`pk.run("kit", {args: [["example.com"]]})`, "usage", "args: item 0"},
		{`pk.run("kit", {args: ["example.com"], no_mail: {}})`, "usage", "want true or false"},
		{`pk.run("kit", {args: ["example.com"], ttl: 1e30})`, "usage", "want a whole number"},
		{`pk.run("kit", {args: ["example.com"], ttl: true})`, "usage", "want a whole number"},
		{`pk.run("headers grade", {args: ["-"], input: 42})`, "usage", "input must be a string"},
		{`pk.run("headers grade", {args: ["h.txt"], input: {"other.txt": "x"}})`, "usage", `no text named "h.txt"`},
		{`pk.run("headers grade", {args: ["h.txt"], input: {get "h.txt"() { throw new Error("late") }}})`, "usage", "late"},
		{`pk.run("headers grade", {args: ["h.txt"], input: {"h.txt": 7}})`, "usage", "must be a string"},
		{`pk.run("mtasts build", {"max-age": 1, mx: "a.example", id: "1"})`, "usage", "unknown flag max-age"},
		{`pk.run("  mtasts   build ", {mx: "a.example", id: "1"})`, "", "a.example"},
		{`pk.run("mtasts build", {mx: ["a.example", 7, true], id: 20240101})`, "", `"id":"20240101"`},
		{`pk.run("mtasts build", {mx: "a.example", id: "1", mode: undefined})`, "", `"mode":"enforce"`},
		{`pk.run("mtasts build", {mx: "a.example", id: "1"}, "extra")`, "", `"valid":true`},
	}
	reqs := make([]request, len(convs))
	for i, c := range convs {
		reqs[i] = request{Expr: c.expr}
	}
	rep := drive(t, reqs)
	if !rep.ReadyIsPromise || !rep.ReadyResolvesNamespace {
		t.Errorf("ready is a Promise: %v; it resolves to the namespace: %v", rep.ReadyIsPromise, rep.ReadyResolvesNamespace)
	}
	if want := []string{"commands", "ready", "run", "version"}; !slices.Equal(rep.Keys, want) {
		t.Errorf("posturekit has %v, want %v", rep.Keys, want)
	}
	if rep.Version == "" || !slices.IsSorted(rep.Commands) {
		t.Errorf("version %q, commands %v", rep.Version, rep.Commands)
	}
	for i, c := range convs {
		w := decode(t, c.expr, rep.Results[i].Result)
		switch {
		case c.code == "" && w.Error != nil:
			t.Errorf("%s: error %+v", c.expr, *w.Error)
		case c.code == "" && !strings.Contains(string(w.Data), c.contains):
			t.Errorf("%s: %q not in %s", c.expr, c.contains, w.Data)
		case c.code != "" && w.Error == nil:
			t.Errorf("%s: no error: %s", c.expr, w.Data)
		case c.code != "" && (w.Error.Code != c.code || !strings.Contains(w.Error.Message, c.contains)):
			t.Errorf("%s: error %+v, want code %s with %q", c.expr, *w.Error, c.code, c.contains)
		}
	}
}

// brotliBudget holds the compressed wasm (brotli, quality 11) to what it
// measures today plus 2%, so that growth is a decision, not an accident.
//
// Issue 8 asks for at most 0.9 MB (900,000 bytes). The standard Go
// toolchain cannot reach it for these generators: Go's runtime with fmt,
// encoding/json and syscall/js alone is 645 KB, and the engine's own code
// and type data (headers, x/net/html, ttlcalc, the record packages) are
// about 1.07 MB more after the heavy dependencies were cut (net/http,
// crypto/tls and x509 through x/net/publicsuffix, go/format, regexp,
// encoding/asn1: 2,288,249 -> 1,713,156 bytes). wasm-opt -O2 saves 5 KB,
// GOWASM=satconv,signext 2 KB. TinyGo, which would, cannot be installed
// here. See the closing note of issue 8.
const brotliBudget = 1_750_000

// TestSize measures the wasm as the page ships it: raw, gzip (level 9,
// what the file:// form embeds) and brotli (quality 11, what a static
// host serves), and holds brotli to the budget.
func TestSize(t *testing.T) {
	wasm, _ := build(t)
	const script = `
const fs = require('node:fs'), zlib = require('node:zlib');
const b = fs.readFileSync(process.argv[1]);
process.stdout.write(JSON.stringify({
  raw: b.length,
  gzip: zlib.gzipSync(b, {level: 9}).length,
  brotli: zlib.brotliCompressSync(b, {params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length}}).length,
}));`
	out, err := exec.Command("node", "-e", script, wasm).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var size struct{ Raw, Gzip, Brotli int }
	if err := json.Unmarshal(out, &size); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	t.Logf("posturekit.wasm: raw %d bytes, gzip %d, brotli %d (budget %d)", size.Raw, size.Gzip, size.Brotli, brotliBudget)
	if size.Brotli > brotliBudget {
		t.Errorf("the wasm is %d bytes compressed with brotli, over the budget of %d by %d", size.Brotli, brotliBudget, size.Brotli-brotliBudget)
	}
}

// TestDeps checks that the browser build links no DNS client and no HTTP
// client: the network is the command line's.
func TestDeps(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/posturekit/posturekit/internal/command") {
		t.Fatalf("go list -deps lists no command table: %v", deps)
	}
	for _, pkg := range []string{
		"github.com/posturekit/posturekit/internal/dnsclient",
		"github.com/miekg/dns",
		"net/http",
		"crypto/tls",
		"crypto/x509",
		"go/format",
		// It imports net/http/cookiejar: use internal/publicsuffix.
		"golang.org/x/net/publicsuffix",
	} {
		if slices.Contains(deps, pkg) {
			t.Errorf("the wasm build links %s; %s", pkg, whyLinked(t, pkg))
		}
	}
}

// whyLinked gives a chain of imports from a package of this module to
// pkg in the js/wasm build.
func whyLinked(t *testing.T, pkg string) string {
	cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		return err.Error()
	}
	importers := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		for _, imp := range f[1:] {
			importers[imp] = append(importers[imp], f[0])
		}
	}
	// Breadth first, upwards, to the nearest package of ours.
	next := map[string]string{pkg: ""}
	queue := []string{pkg}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if strings.HasPrefix(p, "github.com/posturekit/posturekit/") {
			chain := []string{p}
			for q := next[p]; q != ""; q = next[q] {
				chain = append(chain, q)
			}
			return "through " + strings.Join(chain, " -> ")
		}
		for _, by := range importers[p] {
			if _, seen := next[by]; !seen {
				next[by] = p
				queue = append(queue, by)
			}
		}
	}
	return "imported by " + strings.Join(importers[pkg], ", ")
}
