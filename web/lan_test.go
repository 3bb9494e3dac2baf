//go:build !js

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/posturekit/posturekit/internal/servertest"
)

// TestPageOnNetworkAddress loads the page served over plain HTTP on an
// address other than loopback, as "posturekit serve --addr" on a LAN or a
// plain-HTTP static host serves it. Chromium treats loopback as secure and
// other http:// origins not, so a policy that upgrades insecure requests
// (or anything else that needs a secure context) passes on 127.0.0.1 and
// breaks here: the engine never starts.
func TestPageOnNetworkAddress(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the page and starts Chromium")
	}
	ip := networkAddress()
	if ip == nil {
		t.Skip("no IPv4 address other than loopback on this machine")
	}
	modules := servertest.Playwright(t)
	dist := builtDist(t)
	ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), "0"))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(NewHandler(os.DirFS(dist)))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()

	script, err := filepath.Abs("testdata/coldstart.js")
	if err != nil {
		t.Fatal(err)
	}
	flags, _ := json.Marshal(servertest.ChromiumFlags)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := srv.URL + "/"
	cmd := exec.CommandContext(ctx, "node", script, string(flags), "1", url)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the page at %s did not start its engine: %v\n%s", url, err, stderr.Bytes())
	}
	var got map[string][]struct{ Cold float64 }
	if err := json.Unmarshal(out, &got); err != nil || len(got[url]) != 1 || got[url][0].Cold <= 0 {
		t.Fatalf("no cold start measured at %s: %v: %s", url, err, out)
	}
	t.Logf("served on %s: first run returned after %.0f ms", url, got[url][0].Cold)
}

// networkAddress returns an IPv4 address of this machine other than
// loopback, or nil.
func networkAddress() net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP
		}
	}
	return nil
}
