//go:build !js

package headers

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// needTool finds a program of a Debian package; the test skips without it,
// unless CI is set (scripts/test installs it there), when it fails.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		for _, dir := range []string{"/usr/sbin", "/sbin"} {
			if p := filepath.Join(dir, name); fileExists(p) {
				return p
			}
		}
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: install the Debian package %s", name, pkg)
		}
		t.Skipf("%s not found (Debian package %s); skipping", name, pkg)
	}
	return path
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// worldDir makes a directory readable by every user (a server that drops
// root for "nobody" must read the site), removed at the end of the test.
func worldDir(t *testing.T, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(dir, 0o755))
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// staticSite writes a small static site: pages, assets and robots.txt.
func staticSite(t *testing.T) string {
	t.Helper()
	dir := worldDir(t, "posturekit-site-")
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

// server is a host process started by a test.
type server struct {
	cmd  *exec.Cmd
	logs *bytes.Buffer
	base string
}

// startServer starts a server in the background and waits until it
// answers; it is stopped (SIGTERM, then SIGKILL) at the end of the test.
func startServer(t *testing.T, port int, logFile string, name string, args ...string) *server {
	t.Helper()
	s := &server{logs: &bytes.Buffer{}, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	s.cmd = exec.Command(name, args...)
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	s.cmd.Env = append(os.Environ(), "HOME="+filepath.Dir(logFile), "XDG_CONFIG_HOME="+filepath.Dir(logFile), "XDG_DATA_HOME="+filepath.Dir(logFile))
	require.NoError(t, s.cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logFile)
			exited <- err
			t.Fatalf("%s exited: %v\n%s\n%s", name, err, s.logs, log)
		default:
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logFile)
			t.Fatalf("%s did not listen on %d: %s\n%s", name, port, s.logs, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkServed requests every served path and compares the headers the
// site mentions with Site.For(path).
func checkServed(t *testing.T, srv *server, site *Site) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range servedPaths {
		resp, err := client.Get(srv.base + p.path)
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
	nginx := needTool(t, "nginx", "nginx")
	root := staticSite(t)
	for name, site := range serverSites() {
		t.Run(name, func(t *testing.T) {
			rendered, err := Render("nginx", site)
			require.NoError(t, err)
			dir := worldDir(t, "posturekit-nginx-")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "headers.conf"), []byte(rendered), 0o644))
			geo := ""
			if strings.Contains(rendered, nginxDollar) {
				// The line the rendered file's comment asks for.
				geo = fmt.Sprintf("geo $%s { default \"$\"; }", nginxDollar)
			}
			port := freePort(t)
			conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events {}
http {
    access_log off;
    client_body_temp_path %[1]s/tmp;
    proxy_temp_path %[1]s/tmp;
    fastcgi_temp_path %[1]s/tmp;
    uwsgi_temp_path %[1]s/tmp;
    scgi_temp_path %[1]s/tmp;
    %[4]s
    server {
        listen 127.0.0.1:%[2]d;
        root %[3]s;
        include %[1]s/headers.conf;
    }
}
`, dir, port, root, geo)
			confPath := filepath.Join(dir, "nginx.conf")
			require.NoError(t, os.WriteFile(confPath, []byte(conf), 0o644))
			out, err := exec.Command(nginx, "-t", "-e", filepath.Join(dir, "error.log"), "-p", dir+"/", "-c", confPath).CombinedOutput()
			require.NoError(t, err, "nginx -t:\n%s\n%s", out, rendered)
			srv := startServer(t, port, filepath.Join(dir, "error.log"), nginx, "-e", filepath.Join(dir, "error.log"), "-p", dir+"/", "-c", confPath)
			checkServed(t, srv, site)
		})
	}
}

func TestApacheServes(t *testing.T) {
	apache := needTool(t, "apache2", "apache2")
	modules := "/usr/lib/apache2/modules"
	if !fileExists(filepath.Join(modules, "mod_headers.so")) {
		if os.Getenv("CI") != "" {
			t.Fatalf("no mod_headers.so in %s", modules)
		}
		t.Skipf("no mod_headers.so in %s", modules)
	}
	root := staticSite(t)
	for name, site := range serverSites() {
		t.Run(name, func(t *testing.T) {
			rendered, err := Render("apache", site)
			require.NoError(t, err)
			dir := worldDir(t, "posturekit-apache-")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "headers.conf"), []byte(rendered), 0o644))
			port := freePort(t)
			user := ""
			if os.Geteuid() == 0 {
				// Apache will not serve as root; its child drops to nobody.
				user = "User nobody\nGroup nogroup"
			}
			conf := fmt.Sprintf(`ServerRoot %[1]s
ServerName 127.0.0.1
Listen 127.0.0.1:%[2]d
PidFile %[1]s/httpd.pid
DefaultRuntimeDir %[1]s
Mutex file:%[1]s default
ErrorLog %[1]s/error.log
LoadModule mpm_event_module %[4]s/mod_mpm_event.so
LoadModule authz_core_module %[4]s/mod_authz_core.so
LoadModule headers_module %[4]s/mod_headers.so
%[5]s
DocumentRoot %[3]s
<Directory %[3]s>
    Require all granted
</Directory>
Include %[1]s/headers.conf
`, dir, port, root, modules, user)
			confPath := filepath.Join(dir, "httpd.conf")
			require.NoError(t, os.WriteFile(confPath, []byte(conf), 0o644))
			out, err := exec.Command(apache, "-t", "-f", confPath).CombinedOutput()
			require.NoError(t, err, "apache2 -t:\n%s\n%s", out, rendered)
			assert.NotContains(t, string(out), "not defined", "a ${...} in a value was read as a variable")
			srv := startServer(t, port, filepath.Join(dir, "error.log"), apache, "-X", "-f", confPath)
			checkServed(t, srv, site)
		})
	}
}

func TestCaddyServes(t *testing.T) {
	caddy := needTool(t, "caddy", "caddy")
	root := staticSite(t)
	for name, site := range serverSites() {
		t.Run(name, func(t *testing.T) {
			rendered, err := Render("caddy", site)
			require.NoError(t, err)
			dir := worldDir(t, "posturekit-caddy-")
			require.NoError(t, os.WriteFile(filepath.Join(dir, "headers.caddy"), []byte(rendered), 0o644))
			port := freePort(t)
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
			srv := startServer(t, port, filepath.Join(dir, "caddy.log"), caddy, "run", "--config", confPath, "--adapter", "caddyfile")
			checkServed(t, srv, site)
		})
	}
}
