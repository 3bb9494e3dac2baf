//go:build !js

package headers

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/posturekit/posturekit/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromiumScript loads each page, lets its scripts run (and hovers the
// elements with mouse handlers), and prints, per page, the CSP violations
// the page saw and a few facts that show the scripts worked.
const chromiumScript = `
const { chromium } = require("playwright-core");
(async () => {
  const [flags, ...urls] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: JSON.parse(flags), headless: true, timeout: 30000 });
  const out = {};
  try {
    for (const url of urls) {
      const page = await browser.newPage();
      const consoleCSP = [];
      page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) consoleCSP.push(m.text()); });
      await page.addInitScript(() => {
        window.__violations = [];
        document.addEventListener("securitypolicyviolation", (e) => {
          window.__violations.push(e.effectiveDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
        });
      });
      await page.goto(url, { waitUntil: "networkidle", timeout: 20000 });
      for (const el of await page.$$("[onmouseover]")) await el.hover();
      await page.evaluate(() => document.fonts.ready);
      await page.waitForTimeout(200);
      const facts = await page.evaluate(() => ({
        violations: window.__violations,
        text: document.body.innerText,
        js: document.documentElement.dataset.js || "",
        seen: Array.from(document.querySelectorAll("[data-seen]")).length,
        marginTop: (document.querySelector("p[style]") || document.body).style.marginTop,
        fonts: Array.from(document.fonts).filter((f) => f.status !== "unloaded").map((f) => f.family + " " + f.status),
      }));
      facts.console = consoleCSP;
      out[new URL(url).pathname] = facts;
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`

type chromiumPage struct {
	Violations []string `json:"violations"`
	Console    []string `json:"console"`
	Text       string   `json:"text"`
	JS         string   `json:"js"`
	Seen       int      `json:"seen"`
	MarginTop  string   `json:"marginTop"`
	Fonts      []string `json:"fonts"`
}

// TestSiteCSPInChromium computes the policy of the test site
// (testdata/cspsite/site: three pages with inline scripts, styles, event
// handlers, style attributes, a module script, local and external fonts),
// serves the site with it on 127.0.0.1 and the fonts from a second
// loopback origin, loads every page in headless Chromium, and wants zero
// CSP violations and the pages' scripts to have run. A control page with
// one inline script the policy does not know must report a violation, so
// that zero means something.
func TestSiteCSPInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	modules := servertest.Playwright(t)

	var fontHits atomic.Int32
	fonts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fontHits.Add(1)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Content-Type", "font/woff2")
		_, _ = w.Write([]byte("wOF2-not-a-real-font"))
	}))
	defer fonts.Close()

	// The site, with the external font origin pointed at the font server.
	dir := t.TempDir()
	src := "testdata/cspsite/site"
	require.NoError(t, filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b = []byte(strings.ReplaceAll(string(b), "https://fonts.example.net", fonts.URL))
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	}))
	res, err := SiteCSPFromDir(dir, SiteCSPOptions{})
	require.NoError(t, err)
	require.False(t, res.Findings.HasErrors(), "%v", res.Findings)
	fontSrc, _ := res.CSP.Get("font-src")
	require.Contains(t, fontSrc.Values, fonts.URL)
	t.Logf("policy (%d characters): %s", len(res.Policy), res.Policy)

	// The control page is written after the policy is computed.
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "control"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "control", "index.html"),
		[]byte(`<!doctype html><title>control</title><script>document.title = "injected"</script>`), 0o644))

	files := http.FileServer(http.Dir(dir))
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(HeaderCSP, res.Policy)
		files.ServeHTTP(w, r)
	}))
	defer site.Close()

	script := filepath.Join(t.TempDir(), "csp_chromium.js")
	require.NoError(t, os.WriteFile(script, []byte(chromiumScript), 0o644))
	flags, _ := json.Marshal(servertest.ChromiumFlags)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pages := []string{"/", "/about/", "/blog/post.html", "/control/"}
	args := []string{script, string(flags)}
	for _, p := range pages {
		args = append(args, site.URL+p)
	}
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node: %s", stderr.String())
	var got map[string]chromiumPage
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)

	for _, p := range pages[:3] {
		pg := got[p]
		assert.Empty(t, pg.Violations, "CSP violations on %s", p)
		assert.Empty(t, pg.Console, "CSP messages on %s", p)
	}
	home := got["/"]
	assert.Equal(t, "on", home.JS, "the inline script in <head> ran")
	assert.Contains(t, home.Text, "clicked", "the onclick handler ran (clicked by an inline script)")
	assert.Contains(t, home.Text, "app.js ran")
	assert.Equal(t, "2em", home.MarginTop, "the style attribute applied")
	assert.Contains(t, got["/about/"].Text, "built by an inline script")
	assert.Equal(t, 1, got["/about/"].Seen, "the onmouseover handler ran")
	assert.Contains(t, got["/blog/post.html"].Text, "greet.mjs ran", "the inline module script ran")
	assert.Positive(t, fontHits.Load(), "the external font was fetched from the second origin")
	assert.NotEmpty(t, got["/control/"].Violations, "the control page's unknown inline script was reported")
}
