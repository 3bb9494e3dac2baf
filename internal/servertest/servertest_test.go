//go:build !js

package servertest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// site writes index.html in a directory every user may read.
func site(t *testing.T) string {
	t.Helper()
	root := WorldDir(t, "servertest-site-")
	if err := os.WriteFile(filepath.Join(root, "index.html"), []byte("hello from the test site\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// get returns the status and body of a GET of url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

func TestNginx(t *testing.T) {
	nginx := NeedTool(t, "nginx", "nginx")
	root, dir, port := site(t), WorldDir(t, "servertest-nginx-"), FreePort(t)

	bad := Nginx(t, nginx, dir, port, "    no_such_directive on;")
	if out, err := bad.Check(); err == nil || !strings.Contains(string(out), "no_such_directive") {
		t.Fatalf("nginx -t of a bad configuration: %v\n%s", err, out)
	}

	conf := Nginx(t, nginx, dir, port, fmt.Sprintf("    server { listen 127.0.0.1:%d; root %s; }", port, root))
	if out, err := conf.Check(); err != nil {
		t.Fatalf("nginx -t: %v\n%s\n%s", err, out, conf.Text)
	}
	srv := conf.Start(t)
	if want := fmt.Sprintf("http://127.0.0.1:%d", port); srv.Base != want {
		t.Errorf("Base %q, want %q", srv.Base, want)
	}
	if status, body := get(t, srv.Base+"/index.html"); status != 200 || body != "hello from the test site\n" {
		t.Errorf("GET /index.html: %d %q", status, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "nginx.pid")); err != nil {
		t.Errorf("the pid file is not in the server's directory: %v", err)
	}
}

func TestApache(t *testing.T) {
	apache := NeedTool(t, "apache2", "apache2")
	NeedApacheModules(t, "mod_mpm_event.so", "mod_authz_core.so", "mod_alias.so")
	root, dir, port := site(t), WorldDir(t, "servertest-apache-"), FreePort(t)

	// Redirect needs mod_alias: without it the configuration is refused.
	redirect := "Redirect 301 /old /index.html"
	if out, err := Apache(t, apache, dir, port, redirect).Check(); err == nil {
		t.Fatalf("apache2 -t accepted Redirect without mod_alias:\n%s", out)
	}

	conf := Apache(t, apache, dir, port, fmt.Sprintf("DocumentRoot %[1]s\n<Directory %[1]s>\n    Require all granted\n</Directory>\n%s", root, redirect), "alias")
	if !strings.Contains(conf.Text, "LoadModule alias_module "+ApacheModules+"/mod_alias.so\n") {
		t.Errorf("mod_alias not loaded:\n%s", conf.Text)
	}
	if out, err := conf.Check(); err != nil {
		t.Fatalf("apache2 -t: %v\n%s\n%s", err, out, conf.Text)
	}
	srv := conf.Start(t)
	if status, body := get(t, srv.Base+"/index.html"); status != 200 || body != "hello from the test site\n" {
		t.Errorf("GET /index.html: %d %q", status, body)
	}
	if status, body := get(t, srv.Base+"/old"); status != 200 || body != "hello from the test site\n" {
		t.Errorf("GET /old (redirected): %d %q", status, body)
	}
}

func TestFreePort(t *testing.T) {
	port := FreePort(t)
	if port <= 0 || port > 65535 {
		t.Fatalf("port %d", port)
	}
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
	if err == nil {
		c.Close()
		t.Fatalf("something listens on the free port %d", port)
	}
}

func TestWorldDir(t *testing.T) {
	dir := WorldDir(t, "servertest-")
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o755 {
		t.Errorf("mode %v, want 0755", st.Mode().Perm())
	}
	if parent := filepath.Dir(dir); parent != filepath.Clean(os.TempDir()) {
		t.Errorf("parent %s, want %s", parent, os.TempDir())
	}
}

// stopper records how a helper stopped a test, in place of the test.
type stopper struct {
	testing.TB
	how, msg string
}

func (s *stopper) Fatalf(format string, args ...any) {
	s.how, s.msg = "fatal", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (s *stopper) Skipf(format string, args ...any) {
	s.how, s.msg = "skip", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// stopped runs f with a stopper on its own goroutine, as the testing
// package runs a test, and returns how it stopped ("" if it returned).
func stopped(t *testing.T, f func(tb testing.TB)) (how, msg string) {
	s := &stopper{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(s)
	}()
	<-done
	return s.how, s.msg
}

func TestStartExits(t *testing.T) {
	sh := NeedTool(t, "sh", "dash")
	dir := WorldDir(t, "servertest-exit-")
	log := filepath.Join(dir, "error.log")
	if err := os.WriteFile(log, []byte("the log says why\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	how, msg := stopped(t, func(tb testing.TB) { Start(tb, FreePort(t), log, sh, "-c", "echo bad config; exit 3") })
	if how != "fatal" || !strings.Contains(msg, "exited: exit status 3") || !strings.Contains(msg, "bad config") || !strings.Contains(msg, "the log says why") {
		t.Errorf("%s: %s", how, msg)
	}
}

func TestNeedToolMissing(t *testing.T) {
	const name = "posturekit-no-such-program"
	t.Setenv("CI", "")
	how, msg := stopped(t, func(tb testing.TB) { NeedTool(tb, name, "nothing") })
	if how != "skip" || !strings.Contains(msg, name+" not found (Debian package nothing)") {
		t.Errorf("without CI: %s: %s", how, msg)
	}
	t.Setenv("CI", "true")
	how, msg = stopped(t, func(tb testing.TB) { NeedTool(tb, name, "nothing") })
	if how != "fatal" || !strings.Contains(msg, "install the Debian package nothing") {
		t.Errorf("with CI: %s: %s", how, msg)
	}
}
