//go:build !js

// Package servertest runs real server programs from Debian's packages
// (nginx, Apache, Caddy, ...) on the loopback interface for tests, each
// in a directory of its own and stopped when the test ends.
//
// For most uses, find the program with [NeedTool], write its
// configuration with [Nginx] or [Apache], check it with [Config.Check]
// and start it with [Config.Start]:
//
//	nginx := servertest.NeedTool(t, "nginx", "nginx")
//	dir, port := servertest.WorldDir(t, "site-"), servertest.FreePort(t)
//	cfg := servertest.Nginx(t, nginx, dir, port, fmt.Sprintf("server { listen 127.0.0.1:%d; }", port))
//	out, err := cfg.Check()
//	require.NoError(t, err, "nginx -t:\n%s", out)
//	srv := cfg.Start(t)
//	resp, err := http.Get(srv.Base + "/")
//
// A program that is not installed skips the test, or fails it when the
// environment variable CI is set (the test script installs the packages
// there).
package servertest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// NeedTool returns the path of the program name from the Debian package
// pkg, looked up in PATH and then in /usr/sbin and /sbin (which a normal
// user's PATH often leaves out). Without it the test is skipped, or fails
// when CI is set.
func NeedTool(t testing.TB, name, pkg string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found: install the Debian package %s", name, pkg)
	}
	t.Skipf("%s not found (Debian package %s); skipping", name, pkg)
	return ""
}

// ApacheModules is where Debian's apache2 package installs its modules.
const ApacheModules = "/usr/lib/apache2/modules"

// NeedApacheModules skips the test unless each module file (such as
// "mod_headers.so") is in [ApacheModules], or fails it when CI is set.
func NeedApacheModules(t testing.TB, files ...string) {
	t.Helper()
	for _, m := range files {
		if _, err := os.Stat(filepath.Join(ApacheModules, m)); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("no %s in %s", m, ApacheModules)
			}
			t.Skipf("no %s in %s", m, ApacheModules)
		}
	}
}

// FreePort returns a loopback TCP port that nothing listened on just now.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("servertest: no free loopback port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// WorldDir makes a temporary directory that every user may read (a server
// that drops root for "nobody" must read its files), removed at the end
// of the test. Unlike t.TempDir, its parent is the system's temporary
// directory, which nobody may enter too.
func WorldDir(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatalf("servertest: %v", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("servertest: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Server is a server process started by a test.
type Server struct {
	// Base is the server's plain-HTTP URL, "http://127.0.0.1:port".
	Base string
	cmd  *exec.Cmd
	logs bytes.Buffer // the program's output, read once it has exited
}

// Start runs the program name with args in the background and waits until
// it accepts TCP connections on the loopback port. HOME and the XDG
// directories point at the directory of logFile, the server's own log,
// which failure messages show with its output. The server is stopped
// (SIGTERM, then SIGKILL after 5 seconds) at the end of the test.
func Start(t testing.TB, port int, logFile string, name string, args ...string) *Server {
	t.Helper()
	s := &Server{Base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	s.cmd = exec.Command(name, args...)
	s.cmd.Stdout, s.cmd.Stderr = &s.logs, &s.logs
	home := filepath.Dir(logFile)
	s.cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home)
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("servertest: start %s: %v", name, err)
	}
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
			exited <- err // for the cleanup
			t.Fatalf("%s exited: %v\n%s\n%s", name, err, s.logs.String(), log)
		default:
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return s
		}
		if time.Now().After(deadline) {
			_ = s.cmd.Process.Kill()
			// Once the program has exited, its output is complete.
			err := <-exited
			exited <- err // for the cleanup
			log, _ := os.ReadFile(logFile)
			t.Fatalf("%s did not listen on %d: %s\n%s", name, port, s.logs.String(), log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Config is a server's configuration, written to a directory that also
// holds its pid file, logs and temporary files.
type Config struct {
	Bin  string // the server program
	Dir  string // the server's directory
	Path string // the configuration file
	Port int    // the loopback port the server listens on
	Text string // the configuration

	log   string   // the error log
	check []string // the arguments that check the configuration
	run   []string // the arguments that run the server in the foreground
}

// Check runs the server's configuration test (nginx -t, apache2 -t) and
// returns its output.
func (c *Config) Check() ([]byte, error) {
	return exec.Command(c.Bin, c.check...).CombinedOutput()
}

// Start starts the server in the foreground, as one process, and waits
// until it listens; see [Start].
func (c *Config) Start(t testing.TB) *Server {
	t.Helper()
	return Start(t, c.Port, c.log, c.Bin, c.run...)
}

// Nginx writes dir/nginx.conf for the nginx program bin: one process in
// the foreground, its pid file, error log and temporary files in dir, no
// access log, and http (server blocks and the like) inside the http
// block. Its server blocks should listen on 127.0.0.1:port.
func Nginx(t testing.TB, bin, dir string, port int, http string) *Config {
	t.Helper()
	c := &Config{Bin: bin, Dir: dir, Path: filepath.Join(dir, "nginx.conf"), Port: port, log: filepath.Join(dir, "error.log")}
	c.Text = fmt.Sprintf(`daemon off;
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
%[2]s
}
`, dir, http)
	// -e: nginx opens its default error log before it reads the file.
	args := []string{"-e", c.log, "-p", dir + "/", "-c", c.Path}
	c.check, c.run = append([]string{"-t"}, args...), args
	c.write(t)
	return c
}

// Apache writes dir/httpd.conf for the apache2 program bin: listening on
// 127.0.0.1:port, its pid file, runtime files and error log in dir, with
// the event MPM, mod_authz_core and the named modules of [ApacheModules]
// loaded ("headers" loads mod_headers.so as headers_module), then body.
// Running as root, the server's child drops to nobody.
func Apache(t testing.TB, bin, dir string, port int, body string, modules ...string) *Config {
	t.Helper()
	c := &Config{Bin: bin, Dir: dir, Path: filepath.Join(dir, "httpd.conf"), Port: port, log: filepath.Join(dir, "error.log")}
	var load strings.Builder
	for _, m := range append([]string{"mpm_event", "authz_core"}, modules...) {
		fmt.Fprintf(&load, "LoadModule %s_module %s/mod_%s.so\n", m, ApacheModules, m)
	}
	user := ""
	if os.Geteuid() == 0 {
		// Apache will not serve as root; its child drops to nobody.
		user = "User nobody\nGroup nogroup"
	}
	c.Text = fmt.Sprintf(`ServerRoot %[1]s
ServerName 127.0.0.1
Listen 127.0.0.1:%[2]d
PidFile %[1]s/httpd.pid
DefaultRuntimeDir %[1]s
Mutex file:%[1]s default
ErrorLog %[1]s/error.log
%[3]s%[4]s
%[5]s
`, dir, port, load.String(), user, body)
	c.check, c.run = []string{"-t", "-f", c.Path}, []string{"-X", "-f", c.Path}
	c.write(t)
	return c
}

// write writes the configuration file.
func (c *Config) write(t testing.TB) {
	t.Helper()
	if err := os.WriteFile(c.Path, []byte(c.Text), 0o644); err != nil {
		t.Fatalf("servertest: %v", err)
	}
}
