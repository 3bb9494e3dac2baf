//go:build !js

package command_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/internal/command"
)

const siteDir = "../../headers/testdata/cspsite/site"

func TestHeadersBuildFromHTML(t *testing.T) {
	out := runCmd(t, "headers build", nil, map[string]any{"from-html": siteDir, "csp": "connect-src 'self'"}, nil)
	res := out.Value.(*command.HeadersBuildResult)
	if out.Failed {
		t.Fatalf("%v", res.Findings)
	}
	v, _ := res.Site.Headers.Get("Content-Security-Policy")
	c, err := headers.ParseCSP(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"script-src", "script-src-attr", "style-src", "style-src-attr", "font-src", "connect-src", "upgrade-insecure-requests"} {
		if !c.Has(d) {
			t.Errorf("no %s in %s", d, v)
		}
	}
	if d, _ := c.Get("frame-ancestors"); strings.Join(d.Values, " ") != "'none'" {
		t.Errorf("frame-ancestors %v, want the preset's 'none'", d.Values)
	}
	if res.FromHTML == nil || res.FromHTML.Pages != 3 {
		t.Errorf("from_html: %+v", res.FromHTML)
	}
	if err := runCmdErr(t, "headers build", nil, map[string]any{"from-html": filepath.Join(t.TempDir(), "none")}); err == nil {
		t.Error("a missing directory is no error")
	}
}

func TestHeadersCSPCommand(t *testing.T) {
	out := runCmd(t, "headers csp", nil, map[string]any{"from-html": siteDir, "frame-ancestors": "'self'"}, nil)
	res := out.Value.(*headers.SiteCSPResult)
	if out.Failed || res.Pages != 3 || res.InlineScripts != 4 || res.EventHandlers != 2 {
		t.Fatalf("failed %v: %+v", out.Failed, res)
	}
	if !strings.HasPrefix(out.Text, "Content-Security-Policy: default-src 'none'; script-src 'self' 'sha256-") ||
		!strings.Contains(out.Text, "frame-ancestors 'self'\n# 3 page(s)") {
		t.Errorf("text:\n%s", out.Text)
	}
	if !command.IsUsage(runCmdErr(t, "headers csp", nil, nil)) {
		t.Error("no --from-html is no usage error")
	}
	if !command.IsUsage(runCmdErr(t, "headers csp", nil, map[string]any{"from-html": siteDir, "csp": ";"})) {
		t.Error("a bad --csp is no usage error")
	}
	out = runCmd(t, "headers csp", nil, map[string]any{"from-html": siteDir, "no-style-attributes": true, "fallback": true, "origin": "https://example.com", "csp": "connect-src https://api.example.com"}, nil)
	res = out.Value.(*headers.SiteCSPResult)
	if res.CSP.Has("style-src-attr") || !res.CSP.Has("connect-src") || !strings.Contains(out.Text, "cspsite_style_attribute") {
		t.Errorf("options ignored:\n%s", out.Text)
	}
}
