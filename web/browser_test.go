//go:build !js

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/internal/command"
	"github.com/posturekit/posturekit/internal/servertest"
	"github.com/posturekit/posturekit/web/internal/pagebuild"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/webp"
)

var (
	distOnce sync.Once
	distDir  string
	distErr  error
)

// builtDist builds the page from the current sources, once per test
// binary, into a temporary directory: the tests never depend on a stale
// web/dist.
func builtDist(t testing.TB) string {
	t.Helper()
	distOnce.Do(func() {
		dir, err := os.MkdirTemp("", "posturekit-web-test-")
		if err != nil {
			distErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		distDir = filepath.Join(dir, "dist")
		_, distErr = pagebuild.Build(ctx, pagebuild.Options{Out: distDir})
	})
	require.NoError(t, distErr)
	return distDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if distDir != "" {
		os.RemoveAll(filepath.Dir(distDir))
	}
	os.Exit(code)
}

// artifacts is where screenshots go: $POSTUREKIT_ARTIFACTS, or
// .artifacts/web at the top of the module.
func artifacts(t testing.TB) string {
	dir := os.Getenv("POSTUREKIT_ARTIFACTS")
	if dir == "" {
		abs, err := filepath.Abs(filepath.Join("..", ".artifacts", "web"))
		require.NoError(t, err)
		dir = abs
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

// pageCase is one input to one tool: the page fills the form's fields from
// the same args, flags and stdin that the command line gets.
type pageCase struct {
	Name     string            `json:"name"`
	Form     string            `json:"form"`
	Prefix   string            `json:"prefix"` // field ids are Prefix + flag name
	Args     []string          `json:"args,omitempty"`
	Flags    map[string]any    `json:"flags,omitempty"`
	Stdin    *string           `json:"stdin,omitempty"`
	Selects  map[string]string `json:"selects,omitempty"` // choices that are no flag: #t-kind, #hb-profile
	Results  []string          `json:"results"`
	Download string            `json:"download,omitempty"` // a download button to click
	Shot     string            `json:"shot,omitempty"`     // a screenshot of the tool after this case
	Copy     string            `json:"copy,omitempty"`     // a copy button to click

	command  string
	errField string // the field a usage error is shown beside
}

func text(s string) *string { return &s }

// markup is user input that would run or fetch if it were ever inserted
// as HTML.
const markup = `<script>window.__pwned = 1</script><img src="https://evil.example/x.png" onerror="window.__pwned = 2">`

func pageCases() []*pageCase {
	cases := []*pageCase{
		{Name: "mtasts build", Form: "mtasts-build", Prefix: "mb-", command: "mtasts build",
			Flags:    map[string]any{"domain": "example.com", "mx": []string{"mail.example.com", "*.mx.example.net"}, "mode": "testing", "max-age": 604800, "id": "20260101T000000"},
			Download: `[data-download="mtasts-build"]`},
		{Name: "mtasts build, an IP as MX", Form: "mtasts-build", Prefix: "mb-", command: "mtasts build",
			Flags: map[string]any{"domain": "example.com", "mx": []string{"192.0.2.1"}, "id": "1"}},
		{Name: "mtasts validate policy", Form: "mtasts-validate", Prefix: "mv-", command: "mtasts validate", Args: []string{"-"},
			Stdin: text("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n"),
			Flags: map[string]any{"mx-host": []string{"mail.example.com", "other.example.net"}}},
		{Name: "mtasts validate record", Form: "mtasts-validate", Prefix: "mv-", command: "mtasts validate", Args: []string{"-"},
			Stdin: text("v=STSv1; id=20260101;"), Flags: map[string]any{"record": true}},
		{Name: "mtasts validate markup", Form: "mtasts-validate", Prefix: "mv-", command: "mtasts validate", Args: []string{"-"},
			Stdin: text("version: STSv1\nmode: " + markup + "\nmx: " + markup + "\n")},
		{Name: "kit zone", Form: "kit-form", Prefix: "k-", command: "kit", Args: []string{"example.com"},
			Flags: map[string]any{"mx": []string{"mail.example.com", "mail2.example.com"}, "spf-ip": []string{"192.0.2.10", "2001:db8::/48"},
				"rua": []string{"mailto:reports@example.com"}, "ca": []string{"letsencrypt.org"}, "contact": []string{"mailto:security@example.com"},
				"mta-sts-id": "20260101", "dmarc-policy": "quarantine", "no-wildcard": true, "ttl": 300, "format": "zone"},
			Download: `[data-download="kit-form"]`, Copy: `[data-copy="kit-form"]`},
		{Name: "kit route53", Form: "kit-form", Prefix: "k-", command: "kit", Args: []string{"example.org"},
			Flags: map[string]any{"mx": []string{"mx.example.net"}, "spf-include": []string{"_spf.example.net"}, "spf-softfail": true,
				"mta-sts-id": "7", "mta-sts-mode": "testing", "mta-sts-max-age": 86400, "mta-sts-host": "sts.example.net", "format": "route53"},
			Download: `[data-download="kit-form"]`},
		{Name: "kit terraform, no mail", Form: "kit-form", Prefix: "k-", command: "kit", Args: []string{"example.net"},
			Flags: map[string]any{"no-mail": true, "format": "terraform"}},
		{Name: "kit json", Form: "kit-form", Prefix: "k-", command: "kit", Args: []string{"example.com"},
			Flags: map[string]any{"mx": []string{"mail.example.com"}, "mta-sts-id": "1", "format": "json"}},
		{Name: "kit contradiction", Form: "kit-form", Prefix: "k-", command: "kit", Args: []string{"example.com"},
			Flags: map[string]any{"no-mail": true, "mx": []string{"mail.example.com"}}, errField: "k-domain"},
		{Name: "kit markup domain", Form: "kit-form", Prefix: "k-", command: "kit", Args: []string{markup + ".example"}, errField: "k-domain"},
		{Name: "record spf", Form: "record-form", Prefix: "r-", command: "record validate", Args: []string{"spf", "-"},
			Stdin: text("v=spf1 ip4:192.0.2.0/24 include:_spf.example.net ~all")},
		{Name: "record dmarc", Form: "record-form", Prefix: "r-", command: "record validate", Args: []string{"dmarc", "-"},
			Stdin: text("v=DMARC1; p=reject; rua=mailto:d@example.com; pct=50")},
		{Name: "record dkim", Form: "record-form", Prefix: "r-", command: "record validate", Args: []string{"dkim", "-"},
			Stdin: text("v=DKIM1; k=rsa; p=")},
		{Name: "record mta-sts", Form: "record-form", Prefix: "r-", command: "record validate", Args: []string{"mta-sts", "-"},
			Stdin: text("v=STSv1; id=abc!;")},
		{Name: "record tlsrpt", Form: "record-form", Prefix: "r-", command: "record validate", Args: []string{"tlsrpt", "-"},
			Stdin: text("v=TLSRPTv1; rua=mailto:tls@example.com")},
		{Name: "record caa", Form: "record-form", Prefix: "r-", command: "record validate", Args: []string{"caa", "-"},
			Stdin: text("0 issue \"letsencrypt.org\"\n0 iodef \"mailto:security@example.com\"")},
		{Name: "record securitytxt", Form: "record-form", Prefix: "r-", command: "record validate", Args: []string{"securitytxt", "-"},
			Stdin: text("Contact: mailto:security@example.com\nExpires: 2030-01-01T00:00:00.000Z\n")},
		{Name: "record spf markup", Form: "record-form", Prefix: "r-", command: "record validate", Args: []string{"spf", "-"},
			Stdin: text("v=spf1 include:" + markup + " -all")},
		{Name: "headers web preset, v4", Form: "headers-build", Prefix: "hb-", command: "headers build",
			Flags: map[string]any{"preset": "web"}, Selects: map[string]string{"#hb-profile": "observatory-v4"}},
		{Name: "headers helmet with CSP, COEP and reports", Form: "headers-build", Prefix: "hb-", command: "headers build",
			Flags: map[string]any{"preset": "helmet", "csp": "default-src 'self'; script-src 'self' 'unsafe-inline'", "coep": "require-corp",
				"report-uri": "https://r.example.com/csp", "format": "caddy"}},
		{Name: "headers helmet raw, warnings as comments", Form: "headers-build", Prefix: "hb-", command: "headers build",
			Flags: map[string]any{"preset": "helmet", "format": "raw"}, Download: `[data-download="headers-build"]`},
		{Name: "headers markup CSP", Form: "headers-build", Prefix: "hb-", command: "headers build",
			Flags: map[string]any{"csp": "default-src 'self' " + markup}},
		{Name: "headers check", Form: "headers-check", Prefix: "hc-", command: "headers validate", Args: []string{"-"},
			Stdin: text("HTTP/2 200\nstrict-transport-security: max-age=300\nX-Frame-Options: DENY\nContent-Security-Policy: script-src 'self' 'unsafe-inline'\nX-Test: " + markup + "\n")},
		{Name: "headers check JSON", Form: "headers-check", Prefix: "hc-", command: "headers validate", Args: []string{"-"},
			Stdin: text(`{"Content-Security-Policy": "default-src 'none'", "Set-Cookie": ["a=1", "b=2; Secure; HttpOnly"]}`)},
		{Name: "csp from html", Form: "csp-form", Prefix: "c-", command: "headers csp", Args: []string{"index.html"},
			Stdin: text(`<!doctype html><title>t</title><style>p{color:red}</style><script>document.title = "x"</script>` +
				`<script src="https://cdn.example.net/lib.js"></script><p onclick="go()" style="margin:0">hi</p><img src="/a.png">` + markup),
			Flags: map[string]any{"origin": "https://example.com", "csp": "connect-src https://api.example.com"}},
		{Name: "csp fallback", Form: "csp-form", Prefix: "c-", command: "headers csp", Args: []string{"index.html"},
			Stdin: text(`<p style="x:y" onmouseover="f()">a</p><script>1</script>`),
			Flags: map[string]any{"fallback": true, "no-style-attributes": true, "frame-ancestors": "'self'"}},
		{Name: "ttl record", Form: "ttl-form", Prefix: "t-", command: "ttl", Selects: map[string]string{"#t-kind": "ttl"},
			Flags:    map[string]any{"ttl": "1h", "at": []string{"5m", "1h"}, "quantile": []string{"0.99", "99.9%"}, "lowered-ttl": "5m", "lead-time": "2d"},
			Download: `[data-download="ttl-form"]`},
		{Name: "ttl delegation", Form: "ttl-form", Prefix: "t-", command: "ttl delegation", Selects: map[string]string{"#t-kind": "ttl delegation"},
			Flags: map[string]any{"child-ns-ttl": "1d", "parent-ns-ttl": "2d", "publish-delay": "10m", "population": "conservative"}},
		{Name: "ttl negative", Form: "ttl-form", Prefix: "t-", command: "ttl negative", Selects: map[string]string{"#t-kind": "ttl negative"},
			Flags: map[string]any{"soa-ttl": "1h", "soa-minimum": "15m", "population": "honouring"}},
		{Name: "ttl delegation bad share", Form: "ttl-form", Prefix: "t-", command: "ttl delegation", Selects: map[string]string{"#t-kind": "ttl delegation"},
			Flags: map[string]any{"child-ns-ttl": "1d", "child-ns-unseen": "2"}, errField: "t-child-ns-unseen"},
		{Name: "ttl negative, lowered above", Form: "ttl-form", Prefix: "t-", command: "ttl negative", Selects: map[string]string{"#t-kind": "ttl negative"},
			Flags: map[string]any{"soa-ttl": "1h", "soa-minimum": "1h", "lowered-ttl": "2h", "lead-time": "1h"}, errField: "t-lowered-ttl"},
		{Name: "ttl bad duration", Form: "ttl-form", Prefix: "t-", command: "ttl", Selects: map[string]string{"#t-kind": "ttl"},
			Flags: map[string]any{"ttl": "1x"}, errField: "t-ttl"},
		{Name: "ttl markup duration", Form: "ttl-form", Prefix: "t-", command: "ttl", Selects: map[string]string{"#t-kind": "ttl"},
			Flags: map[string]any{"ttl": "1h", "lead-time": markup, "lowered-ttl": "5m"}, errField: "t-lead-time"},
		{Name: "plan record", Form: "plan-form", Prefix: "p-", command: "ttl plan",
			Flags: map[string]any{"kind": "record", "ttl": "1d", "lowered-ttl": "5m", "quantile": []string{"0.999"}}},
		{Name: "plan delegation", Form: "plan-form", Prefix: "p-", command: "ttl plan",
			Flags: map[string]any{"kind": "delegation", "child-ns-ttl": "2d", "parent-ns-ttl": "1d"}},
		{Name: "plan negative", Form: "plan-form", Prefix: "p-", command: "ttl plan",
			Flags: map[string]any{"kind": "negative", "soa-ttl": "1h", "soa-minimum": "3h"}},
		{Name: "plan bad ttl", Form: "plan-form", Prefix: "p-", command: "ttl plan",
			Flags: map[string]any{"kind": "record", "ttl": "abc"}, errField: "p-ttl"},
	}
	// Every renderer.
	for _, f := range headers.Formats() {
		cases = append(cases, &pageCase{Name: "headers format " + f.Name, Form: "headers-build", Prefix: "hb-", command: "headers build",
			Flags: map[string]any{"preset": "strict", "format": f.Name}, Download: `[data-download="headers-build"]`})
	}
	shots := map[string]bool{}
	for _, c := range cases {
		// The first case of each form without an error is its screenshot.
		if !shots[c.Form] && c.errField == "" {
			shots[c.Form] = true
			c.Shot = c.Form
		}
		c.Results = []string{c.Form}
		switch c.Form {
		case "headers-build", "headers-check":
			c.Results = append(c.Results, c.Form+"-grade")
		}
	}
	return cases
}

// expected is what the command line prints for a case.
type expected struct {
	texts    map[string]string // result name -> text
	jsons    map[string]any    // result name -> the --json output, parsed
	err      string            // a usage or operational error
	download string
	grade    string
}

// cli runs one command through the table, as cmd/posturekit does, with
// stdin as the text of every named input.
func cli(t *testing.T, name string, args []string, flags map[string]any, stdin string) (*command.Output, error) {
	t.Helper()
	c := command.Lookup(name)
	require.NotNil(t, c, "no command %q", name)
	in, err := command.NewInput(c, args, flags, func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(stdin)), nil
	})
	require.NoError(t, err, "%s: the case's flags do not fit the command", name)
	return c.Run(context.Background(), in)
}

func parsedJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func expect(t *testing.T, c *pageCase) *expected {
	t.Helper()
	e := &expected{texts: map[string]string{}, jsons: map[string]any{}}
	stdin := ""
	if c.Stdin != nil {
		stdin = *c.Stdin
	}
	flags := map[string]any{}
	for k, v := range c.Flags {
		flags[k] = v
	}
	out, err := cli(t, c.command, c.Args, flags, stdin)
	if err != nil {
		e.err = err.Error()
		return e
	}
	e.texts[c.Form], e.jsons[c.Form] = out.Text, parsedJSON(t, out.Value)
	e.download = out.Text
	switch c.Form {
	case "mtasts-build":
		e.download = out.Value.(*command.BuildResult).PolicyText
	case "headers-build":
		res := out.Value.(*command.HeadersBuildResult)
		e.download = res.Output
		set, err := json.Marshal(res.Site.Headers)
		require.NoError(t, err)
		gf := map[string]any{}
		if p := c.Selects["#hb-profile"]; p != "" {
			gf["profile"] = p
		}
		g, err := cli(t, "headers grade", []string{"-"}, gf, string(set))
		require.NoError(t, err)
		e.texts[c.Form+"-grade"], e.jsons[c.Form+"-grade"] = g.Text, parsedJSON(t, g.Value)
		e.grade = g.Value.(*command.HeadersGradeResult).Grade
	case "headers-check":
		g, err := cli(t, "headers grade", []string{"-"}, nil, stdin)
		require.NoError(t, err)
		e.texts[c.Form+"-grade"], e.jsons[c.Form+"-grade"] = g.Text, parsedJSON(t, g.Value)
	case "ttl-form":
		flags["svg"] = "-"
		plot, err := cli(t, c.command, c.Args, flags, stdin)
		require.NoError(t, err)
		e.download = plot.Value.(*command.TTLResult).SVG
	}
	return e
}

// pageResult is what drive.js reports for one page.
type pageResult struct {
	Console     []string              `json:"console"`
	Warnings    []string              `json:"warnings"`
	PageErrors  []string              `json:"pageErrors"`
	Requests    []string              `json:"requests"`
	Violations  []string              `json:"violations"`
	Engine      string                `json:"engine"`
	ColdStartMs float64               `json:"coldStartMs"`
	Commands    []string              `json:"commands"`
	Unlabelled  []string              `json:"unlabelled"`
	Pwned       string                `json:"pwned"`
	Phone       int                   `json:"phoneOverflow"`
	PhoneWide   []string              `json:"phoneWide"`
	Cases       map[string]caseResult `json:"cases"`
	Control     struct {
		Refused    bool     `json:"refused"`
		Violations []string `json:"violations"`
	} `json:"control"`
	ControlRequests []string   `json:"controlRequests"`
	WebP            webpResult `json:"webp"`
	FirstFocus      struct {
		Text    string `json:"text"`
		Outline string `json:"outline"`
		Width   string `json:"width"`
	} `json:"firstFocus"`
	Elements struct {
		Img     int      `json:"img"`
		Scripts []string `json:"scripts"`
		Iframes int      `json:"iframes"`
	} `json:"elements"`
}

type caseResult struct {
	Failure string `json:"failure"`
	Results map[string]struct {
		Text *string `json:"text"`
		JSON *string `json:"json"`
	} `json:"results"`
	Errors []struct {
		Field     string `json:"field"`
		Text      string `json:"text"`
		Described bool   `json:"described"`
	} `json:"errors"`
	Extra struct {
		Grade     string `json:"grade"`
		PlotWidth int    `json:"plotWidth"`
		PlotAlt   string `json:"plotAlt"`
	} `json:"extra"`
	Copied    string `json:"copied"`
	Clipboard string `json:"clipboard"`
	Download  *struct {
		Name    string `json:"name"`
		Content string `json:"content"`
	} `json:"download"`
}

type webpResult struct {
	Failure string `json:"failure"`
	Rows    []struct {
		Name  string   `json:"name"`
		Cells []string `json:"cells"`
		Bytes []int    `json:"bytes"`
		Link  string   `json:"link"`
	} `json:"rows"`
	Status string   `json:"status"`
	Files  []string `json:"files"`
	BadRow string   `json:"badRow"`
}

// testImages writes a PNG and a JPEG (a gradient with detail, as photos
// and graphics have) and a file that is no image.
func testImages(t *testing.T, dir string) (files []string, sizes []image.Point, bad string) {
	t.Helper()
	mk := func(w, h int) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 255})
			}
		}
		return img
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, mk(160, 90)))
	p := filepath.Join(dir, "graphic.png")
	require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
	b.Reset()
	require.NoError(t, jpeg.Encode(&b, mk(120, 200), &jpeg.Options{Quality: 95}))
	j := filepath.Join(dir, "photo.jpg")
	require.NoError(t, os.WriteFile(j, b.Bytes(), 0o644))
	bad = filepath.Join(dir, "notes.png")
	require.NoError(t, os.WriteFile(bad, []byte("this is text, not a PNG "+markup), 0o644))
	return []string{p, j}, []image.Point{{160, 90}, {120, 200}}, bad
}

// drive runs drive.js on the given pages and returns what it saw.
func drive(t *testing.T, modules string, spec map[string]any) map[string]*pageResult {
	t.Helper()
	specPath := filepath.Join(t.TempDir(), "spec.json")
	b, err := json.Marshal(spec)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(specPath, b, 0o644))
	script, err := filepath.Abs("testdata/drive.js")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script, specPath)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node drive.js: %s", stderr.String())
	var res map[string]*pageResult
	require.NoError(t, json.Unmarshal(out, &res), "%s", out)
	return res
}

// TestPageInChromium loads the page in headless Chromium twice, served by
// NewHandler over HTTP and opened from disk (file://), and runs every
// tool: the page must show what the command line prints for the same
// input (text and JSON), errors beside the field that caused them, no
// console error, no CSP violation, no request beyond its own origin, and
// markup in any input must stay text.
func TestPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the page and starts Chromium")
	}
	modules := servertest.Playwright(t)
	dist := builtDist(t)
	srv := httptest.NewServer(NewHandler(os.DirFS(dist)))
	defer srv.Close()
	tmp := t.TempDir()
	images, sizes, bad := testImages(t, tmp)
	downloads := filepath.Join(tmp, "downloads")
	require.NoError(t, os.MkdirAll(downloads, 0o755))
	cases := pageCases()
	want := map[string]*expected{}
	for _, c := range cases {
		want[c.Name] = expect(t, c)
	}
	fileURL := "file://" + filepath.ToSlash(dist) + "/index.html"
	art := artifacts(t)
	res := drive(t, modules, map[string]any{
		"flags": servertest.ChromiumFlags,
		"pages": []map[string]string{
			{"name": "served", "url": srv.URL + "/"},
			{"name": "file", "url": fileURL},
		},
		"cases":     cases,
		"webp":      map[string]any{"files": images, "badFile": bad},
		"artifacts": art,
		"downloads": downloads,
	})
	flagRE := regexp.MustCompile(`--([a-z][a-z0-9-]*)`)
	for _, form := range []string{"served", "file"} {
		r := res[form]
		require.NotNil(t, r, form)
		t.Run(form, func(t *testing.T) {
			require.Contains(t, r.Engine, "Ready", "the engine started")
			t.Logf("%s: cold start (navigation to the first run returning) %.0f ms; %d commands", form, r.ColdStartMs, len(r.Commands))
			assert.Empty(t, r.Console, "console errors")
			assert.Empty(t, r.PageErrors, "uncaught exceptions")
			assert.Empty(t, r.Violations, "CSP violations")
			// So that zero means something: a fetch to another origin is
			// refused by the policy and reported.
			assert.True(t, r.Control.Refused, "the control fetch to another origin was refused")
			// One report per policy in force: the header's and the
			// <meta> tag's when served, the <meta> tag's from disk.
			policies := map[string]int{"served": 2, "file": 1}[form]
			if assert.Len(t, r.Control.Violations, policies, "the control fetch is a violation of each policy") {
				for _, v := range r.Control.Violations {
					assert.Contains(t, v, "connect-src https://evil.example/probe")
				}
			}
			for _, u := range r.ControlRequests {
				assert.NotContains(t, u, "evil.example", "the refused fetch never left")
			}
			for _, w := range r.Warnings {
				t.Logf("console warning: %s", w)
			}
			assert.Equal(t, "undefined", r.Pwned, "markup in the inputs ran")
			assert.Equal(t, 1, r.Elements.Img, "the only image is the plot: no input became an element")
			assert.Zero(t, r.Elements.Iframes)
			for _, s := range r.Elements.Scripts {
				assert.Contains(t, []string{"load.js", "wasm_exec.js", "app.js", pagebuild.WasmJSFile}, s, "a script the page did not ship")
			}
			assert.Empty(t, r.Unlabelled, "form controls without a label")
			assert.Equal(t, "Skip to the tools", r.FirstFocus.Text, "the first Tab reaches the skip link")
			assert.Equal(t, "solid", r.FirstFocus.Outline, "focus is visible")
			assert.LessOrEqual(t, r.Phone, 0, "the page is wider than a 360 px phone screen: %v", r.PhoneWide)
			// Requests: the page's own files, and blob: URLs it made.
			for _, u := range r.Requests {
				switch {
				case form == "served" && strings.HasPrefix(u, srv.URL+"/"):
				case form == "served" && strings.HasPrefix(u, "blob:"+srv.URL+"/"):
				case form == "file" && strings.HasPrefix(u, "file://"+filepath.ToSlash(dist)+"/"):
				case form == "file" && (strings.HasPrefix(u, "blob:null/") || strings.HasPrefix(u, "blob:file:///")):
				default:
					t.Errorf("a request outside the page's origin: %s", u)
				}
			}
			wasmFile := map[string]string{"served": pagebuild.WasmFile, "file": pagebuild.WasmJSFile}[form]
			assert.True(t, containsSuffix(r.Requests, "/"+wasmFile), "the %s form loads %s: %v", form, wasmFile, r.Requests)

			seen := map[string]bool{}
			for _, c := range cases {
				got, ok := r.Cases[c.Name]
				if !assert.True(t, ok, "%s: no result", c.Name) {
					continue
				}
				seen[c.Form] = true
				if !assert.Empty(t, got.Failure, "%s: the driver failed", c.Name) {
					continue
				}
				w := want[c.Name]
				if w.err != "" {
					if assert.Len(t, got.Errors, 1, "%s: one error, for %s", c.Name, w.err) {
						assert.Equal(t, w.err, got.Errors[0].Text, "%s: the message", c.Name)
						assert.Equal(t, c.errField, got.Errors[0].Field, "%s: shown beside the field that caused it", c.Name)
						assert.True(t, got.Errors[0].Described, "%s: the field's aria-describedby names the error", c.Name)
						if m := flagRE.FindStringSubmatch(w.err); m != nil && c.Flags[m[1]] != nil {
							assert.Equal(t, c.Prefix+m[1], c.errField, "%s: the case names the flag's field", c.Name)
						}
					}
					continue
				}
				assert.Empty(t, got.Errors, "%s: unexpected errors", c.Name)
				for name, text := range w.texts {
					g := got.Results[name]
					if assert.NotNil(t, g.Text, "%s: no output in %s", c.Name, name) {
						assert.Equal(t, untimed(text), untimed(*g.Text), "%s: %s: the text the command line prints", c.Name, name)
					}
					if assert.NotNil(t, g.JSON, "%s: no JSON in %s", c.Name, name) {
						var j any
						require.NoError(t, json.Unmarshal([]byte(*g.JSON), &j), "%s", c.Name)
						assert.Equal(t, untimedJSON(t, w.jsons[name]), untimedJSON(t, j), "%s: %s: the JSON the command line prints with --json", c.Name, name)
					}
				}
				if c.Download != "" && assert.NotNil(t, got.Download, "%s: no download", c.Name) {
					assert.Equal(t, untimed(w.download), untimed(got.Download.Content), "%s: the downloaded file %s", c.Name, got.Download.Name)
					assert.NotEmpty(t, got.Download.Name)
				}
				if c.Copy != "" {
					assert.Equal(t, "Copied", got.Copied, "%s: the copy button", c.Name)
					assert.Equal(t, untimed(w.texts[c.Form]), untimed(got.Clipboard), "%s: what was copied", c.Name)
				}
				if w.grade != "" {
					assert.Equal(t, w.grade, got.Extra.Grade, "%s: the grade shown", c.Name)
				}
				if c.Form == "ttl-form" {
					assert.Equal(t, 720, got.Extra.PlotWidth, "%s: the plot is drawn", c.Name)
					assert.Contains(t, got.Extra.PlotAlt, "Plot: ", c.Name)
				}
			}
			for _, f := range []string{"mtasts-build", "mtasts-validate", "kit-form", "record-form", "headers-build", "headers-check", "csp-form", "ttl-form", "plan-form"} {
				assert.True(t, seen[f], "no case for the tool %s", f)
			}

			// Images to WebP.
			wp := r.WebP
			require.Empty(t, wp.Failure)
			require.Len(t, wp.Rows, len(images), "one row per image")
			require.Len(t, wp.Files, len(images), "one download per image")
			for i, row := range wp.Rows {
				st, err := os.Stat(images[i])
				require.NoError(t, err)
				assert.Equal(t, filepath.Base(images[i]), row.Name)
				require.Len(t, row.Bytes, 2, "original and WebP sizes")
				assert.Equal(t, int(st.Size()), row.Bytes[0], "%s: the original's size", row.Name)
				b, err := os.ReadFile(wp.Files[i])
				require.NoError(t, err)
				assert.Equal(t, len(b), row.Bytes[1], "%s: the WebP's size is the download's", row.Name)
				require.True(t, len(b) > 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP", "%s: a WebP file", row.Name)
				cfg, err := webp.DecodeConfig(bytes.NewReader(b))
				require.NoError(t, err, row.Name)
				assert.Equal(t, sizes[i], image.Point{cfg.Width, cfg.Height}, "%s: same dimensions", row.Name)
				assert.Equal(t, fmt.Sprintf("%d × %d", sizes[i].X, sizes[i].Y), row.Cells[0])
				saving := row.Bytes[0] - row.Bytes[1]
				if saving > 0 {
					assert.Contains(t, row.Cells[3], "% smaller", row.Name)
				} else {
					assert.Contains(t, row.Cells[3], "larger", row.Name)
				}
				assert.Equal(t, strings.TrimSuffix(row.Name, filepath.Ext(row.Name))+".webp", row.Link)
				t.Logf("%s: %s -> WebP %d bytes (%s)", row.Name, row.Cells[1], row.Bytes[1], row.Cells[3])
			}
			assert.Contains(t, wp.Status, fmt.Sprintf("Converted %d of %d", len(images), len(images)))
			assert.Contains(t, wp.BadRow, "notes.png: not an image this browser can read")
		})
	}
	for _, form := range []string{"served", "file"} {
		if r := res[form]; r != nil {
			assert.Equal(t, res["served"].Commands, r.Commands, "both forms have the same build")
		}
	}
	t.Logf("screenshots in %s", art)
}

// times are the timestamps some outputs hold (a suggested MTA-STS id, a
// security.txt Expires a year from now): the page and the command line run
// seconds apart.
var times = regexp.MustCompile(`\b\d{8}T?\d{6}Z\b|\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\b`)

func untimed(s string) string { return times.ReplaceAllString(s, "<time>") }

func untimedJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal([]byte(untimed(string(b))), &out))
	return out
}

func containsSuffix(l []string, suffix string) bool {
	for _, s := range l {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}
