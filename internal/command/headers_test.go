package command_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/internal/command"
)

// runCmd runs a command of the table as the faces do.
func runCmd(t *testing.T, name string, args []string, flags map[string]any, open func(string) (io.ReadCloser, error)) *command.Output {
	t.Helper()
	c := command.Lookup(name)
	if c == nil {
		t.Fatalf("no command %q", name)
	}
	in, err := command.NewInput(c, args, flags, open)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(out.Value); err != nil {
		t.Fatal(err)
	}
	return out
}

func runCmdErr(t *testing.T, name string, args []string, flags map[string]any) error {
	t.Helper()
	c := command.Lookup(name)
	in, err := command.NewInput(c, args, flags, openFile)
	if err != nil {
		return err
	}
	_, err = c.Run(context.Background(), in)
	return err
}

func TestHeadersBuildPresets(t *testing.T) {
	for _, p := range headers.Presets() {
		out := runCmd(t, "headers build", nil, map[string]any{"preset": p.Name}, nil)
		res := out.Value.(*command.HeadersBuildResult)
		if out.Failed || !res.Valid {
			t.Errorf("preset %s: %v", p.Name, res.Findings)
		}
		set, err := headers.ParseSet(res.Site.Headers.String())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.Text, set.String()) {
			t.Errorf("preset %s: raw text does not start with the set:\n%s", p.Name, out.Text)
		}
		for _, obsolete := range []string{"Expect-CT", "Feature-Policy", "Public-Key-Pins"} {
			if _, ok := set.Get(obsolete); ok {
				t.Errorf("preset %s sends %s", p.Name, obsolete)
			}
		}
	}
	out := runCmd(t, "headers build", nil, map[string]any{"preset": "helmet", "format": "json"}, nil)
	var m map[string]string
	if err := json.Unmarshal([]byte(out.Text), &m); err != nil {
		t.Fatalf("--format json is not a JSON object of strings: %v\n%s", err, out.Text)
	}
	if m["X-Frame-Options"] != "SAMEORIGIN" || len(m) != 12 {
		t.Errorf("helmet as JSON: %v", m)
	}
	for _, f := range headers.Formats() {
		out := runCmd(t, "headers build", nil, map[string]any{"format": f.Name}, nil)
		if out.Failed || out.Text == "" {
			t.Errorf("format %s: failed %v, text %q", f.Name, out.Failed, out.Text)
		}
	}
}

func TestHeadersBuildCSP(t *testing.T) {
	out := runCmd(t, "headers build", nil, map[string]any{"csp": "default-src 'self'; frame-ancestors 'self'", "coep": "credentialless", "report-uri": "https://r.example/csp"}, nil)
	res := out.Value.(*command.HeadersBuildResult)
	h := &res.Site.Headers
	if v, _ := h.Get("X-Frame-Options"); v != "SAMEORIGIN" {
		t.Errorf("X-Frame-Options %q does not follow frame-ancestors 'self'", v)
	}
	if v, _ := h.Get("Content-Security-Policy"); v != "default-src 'self'; frame-ancestors 'self'; report-uri https://r.example/csp; report-to csp-endpoint" {
		t.Errorf("CSP %q", v)
	}
	if v, _ := h.Get("Reporting-Endpoints"); v != `csp-endpoint="https://r.example/csp"` {
		t.Errorf("Reporting-Endpoints %q", v)
	}
	if v, _ := h.Get("Cross-Origin-Embedder-Policy"); v != "credentialless" {
		t.Errorf("COEP %q", v)
	}
	// No frame-ancestors: the one equal to the preset's DENY is added.
	out = runCmd(t, "headers build", nil, map[string]any{"csp": "default-src 'self'"}, nil)
	if v, _ := out.Value.(*command.HeadersBuildResult).Site.Headers.Get("Content-Security-Policy"); v != "default-src 'self'; frame-ancestors 'none'" {
		t.Errorf("CSP %q", v)
	}
	// An unquoted keyword is an error, shown after the output.
	out = runCmd(t, "headers build", nil, map[string]any{"csp": "script-src self"}, nil)
	if !out.Failed || !strings.Contains(out.Text, "# error: Content-Security-Policy: self in script-src is not quoted") {
		t.Errorf("failed %v:\n%s", out.Failed, out.Text)
	}
	for _, flags := range []map[string]any{
		{"preset": "lax"},
		{"format": "iis"},
		{"coep": "maybe"},
		{"csp": " ; "},
		{"preset": "helmet", "csp": "", "report-uri": "x", "format": "raw", "from-html": ""},
	} {
		err := runCmdErr(t, "headers build", nil, flags)
		if flags["report-uri"] == "x" {
			if err != nil {
				t.Errorf("%v: %v", flags, err)
			}
			continue
		}
		if !command.IsUsage(err) {
			t.Errorf("%v: err %v, want a usage error", flags, err)
		}
	}
}

func TestHeadersValidateCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.txt", "HTTP/1.1 200 OK\r\nContent-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\nStrict-Transport-Security: max-age=63072000\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\nPermissions-Policy: camera=()\r\n")
	out := runCmd(t, "headers validate", []string{good}, nil, openFile)
	res := out.Value.(*command.HeadersValidateResult)
	if out.Failed || !res.Valid || len(res.Findings) != 0 || !strings.HasSuffix(out.Text, "valid\n") {
		t.Errorf("failed %v: %v\n%s", out.Failed, res.Findings, out.Text)
	}
	bad := write("bad.json", `{"x-frame-options": ["DENY", "SAMEORIGIN"], "X-XSS-Protection": "1; mode=block", "Content-Security-Policy": "script-src self"}`)
	out = runCmd(t, "headers validate", []string{bad}, nil, openFile)
	res = out.Value.(*command.HeadersValidateResult)
	if !out.Failed || res.Valid {
		t.Fatalf("not failed: %v", res.Findings)
	}
	b, _ := json.Marshal(res)
	for _, want := range []string{`"code":"headers.duplicate_header"`, `"code":"headers.obsolete_header"`, `"header":"X-XSS-Protection"`, `"severity":"error"`, `"fix":`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
	if !strings.Contains(out.Text, "invalid: ") {
		t.Errorf("text:\n%s", out.Text)
	}
	unreadable := write("x.txt", "no colon here\n")
	out = runCmd(t, "headers validate", []string{unreadable}, nil, openFile)
	if !out.Failed || !strings.Contains(out.Text, "headers.unreadable") {
		t.Errorf("unreadable input:\n%s", out.Text)
	}
	if err := runCmdErr(t, "headers validate", []string{filepath.Join(dir, "missing")}, nil); err == nil {
		t.Error("a missing file is no error")
	}
}
