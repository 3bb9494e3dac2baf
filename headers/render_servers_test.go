//go:build !js

package headers

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/posturekit/posturekit/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// staticSite writes a small static site: pages, assets and robots.txt.
func staticSite(t *testing.T) string {
	t.Helper()
	dir := servertest.WorldDir(t, "posturekit-site-")
	files := map[string]string{
		"index.html":       "<!doctype html><title>Home</title><link rel=stylesheet href=/assets/app.css><h1>Home</h1>",
		"page.html":        "<!doctype html><title>Page</title><p>Page",
		"assets/app.css":   "body{margin:0}",
		"assets/app.js":    "console.log('app')",
		"assets/logo.svg":  `<svg xmlns="http://www.w3.org/2000/svg"/>`,
		"robots.txt":       "User-agent: *\n",
		"docs/index.html":  "<!doctype html><title>Docs</title>",
		"docs/guide.html":  "<!doctype html><title>Guide</title>",
		"assets/sub/x.css": "p{}",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

// servedPaths are requested from each server, with the status they get:
// pages, assets (matching one rule or two) and error pages, for which
// "always" is there.
var servedPaths = []struct {
	path   string
	status int
}{
	{"/index.html", 200},
	{"/page.html", 200},
	{"/docs/guide.html", 200},
	{"/assets/app.css", 200},
	{"/assets/app.js", 200},
	{"/assets/logo.svg", 200},
	{"/assets/sub/x.css", 200},
	{"/robots.txt", 200},
	{"/missing.html", 404},
	{"/assets/missing.css", 404},
	{"/nothing-here", 404},
}

// checkServed requests every served path and compares the headers the
// site mentions with Site.For(path).
func checkServed(t *testing.T, srv *servertest.Server, site *Site) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range servedPaths {
		resp, err := client.Get(srv.Base + p.path)
		require.NoError(t, err, p.path)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		assert.Equal(t, p.status, resp.StatusCode, p.path)
		got := map[string]string{}
		for k, v := range resp.Header {
			got[strings.ToLower(k)] = strings.Join(v, ", ")
		}
		assert.Equal(t, wantByName(site, p.path), pick(site, got), "%s (status %d)", p.path, resp.StatusCode)
	}
}

func TestNginxServes(t *testing.T) {
	nginx := servertest.NeedTool(t, "nginx", "nginx")
	root := staticSite(t)
	for name, site := range serverSites() {
		t.Run(name, func(t *testing.T) {
			rendered, err := Render("nginx", site)
			require.NoError(t, err)
			dir := servertest.WorldDir(t, "posturekit-nginx-")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "headers.conf"), []byte(rendered), 0o644))
			geo := ""
			if strings.Contains(rendered, nginxDollar) {
				// The line the rendered file's comment asks for.
				geo = fmt.Sprintf("geo $%s { default \"$\"; }", nginxDollar)
			}
			port := servertest.FreePort(t)
			conf := servertest.Nginx(t, nginx, dir, port, fmt.Sprintf(`    %[4]s
    server {
        listen 127.0.0.1:%[2]d;
        root %[3]s;
        include %[1]s/headers.conf;
    }`, dir, port, root, geo))
			out, err := conf.Check()
			require.NoError(t, err, "nginx -t:\n%s\n%s", out, rendered)
			checkServed(t, conf.Start(t), site)
		})
	}
}

func TestApacheServes(t *testing.T) {
	apache := servertest.NeedTool(t, "apache2", "apache2")
	servertest.NeedApacheModules(t, "mod_headers.so")
	root := staticSite(t)
	for name, site := range serverSites() {
		t.Run(name, func(t *testing.T) {
			rendered, err := Render("apache", site)
			require.NoError(t, err)
			dir := servertest.WorldDir(t, "posturekit-apache-")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "headers.conf"), []byte(rendered), 0o644))
			conf := servertest.Apache(t, apache, dir, servertest.FreePort(t), fmt.Sprintf(`DocumentRoot %[2]s
<Directory %[2]s>
    Require all granted
</Directory>
Include %[1]s/headers.conf`, dir, root), "headers")
			out, err := conf.Check()
			require.NoError(t, err, "apache2 -t:\n%s\n%s", out, rendered)
			assert.NotContains(t, string(out), "not defined", "a ${...} in a value was read as a variable")
			checkServed(t, conf.Start(t), site)
		})
	}
}

func TestCaddyServes(t *testing.T) {
	caddy := servertest.NeedTool(t, "caddy", "caddy")
	root := staticSite(t)
	for name, site := range serverSites() {
		t.Run(name, func(t *testing.T) {
			rendered, err := Render("caddy", site)
			require.NoError(t, err)
			dir := servertest.WorldDir(t, "posturekit-caddy-")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "headers.caddy"), []byte(rendered), 0o644))
			port := servertest.FreePort(t)
			conf := fmt.Sprintf(`{
	admin off
	auto_https off
}
http://127.0.0.1:%[2]d {
	root * %[3]s
	import %[1]s/headers.caddy
	file_server
}
`, dir, port, root)
			confPath := filepath.Join(dir, "Caddyfile")
			require.NoError(t, os.WriteFile(confPath, []byte(conf), 0o644))
			srv := servertest.Start(t, port, filepath.Join(dir, "caddy.log"), caddy, "run", "--config", confPath, "--adapter", "caddyfile")
			checkServed(t, srv, site)
		})
	}
}
