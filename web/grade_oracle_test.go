//go:build !js

package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/internal/servertest"
	"github.com/posturekit/posturekit/internal/testpki"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oracleRunSh returns ../shared/oracles/run.sh (the MDN HTTP Observatory
// 1.4.8, installed with npm on its first run), or skips the test (fails it
// when CI is set) when node, npm or the script are missing.
func oracleRunSh(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			servertest.Need(t, tool+" not found: install Debian's nodejs and npm to grade the page with the Observatory")
		}
	}
	p, err := filepath.Abs("../../shared/oracles/run.sh")
	require.NoError(t, err)
	if _, err := os.Stat(p); err != nil {
		servertest.Need(t, "no ../shared/oracles/run.sh beside the module: "+err.Error())
	}
	return p
}

// servePage serves the built page over HTTPS on 127.0.0.1 with a test
// CA's certificate, and http:// redirecting to it, as a static host would.
func servePage(t *testing.T, dist string) (httpURL string, httpsPort int, ca *testpki.CA) {
	t.Helper()
	ca = testpki.New(t)
	srv := httptest.NewUnstartedServer(NewHandler(os.DirFS(dist)))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Issue(t, "127.0.0.1", "localhost")}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	httpsPort = srv.Listener.Addr().(*net.TCPAddr).Port
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	t.Cleanup(redirect.Close)
	return redirect.URL + "/", httpsPort, ca
}

// TestServedPageGrade grades the headers the served page really sends:
// A+ by headers.Grade (both Observatory profiles, and the presence grade),
// and A+ by the MDN HTTP Observatory itself, run live against the page on
// loopback (http:// redirecting to https://, the Observatory's retriever
// following it).
func TestServedPageGrade(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the page")
	}
	dist := builtDist(t)
	httpURL, httpsPort, ca := servePage(t, dist)

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}, Timeout: 30 * time.Second}
	resp, err := client.Get(httpURL)
	require.NoError(t, err)
	page, err := readAll(resp)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "https", resp.Request.URL.Scheme, "http:// redirects to https://")
	set := &headers.Set{}
	for name, values := range resp.Header {
		for _, v := range values {
			set.Add(name, v)
		}
	}
	for _, p := range []headers.Profile{headers.ObservatoryV4, headers.ObservatoryV6} {
		r := headers.Grade(headers.GradeInput{Headers: set, HTML: page, Host: "127.0.0.1"}, p)
		assert.Equal(t, "A+", r.Grade, "%s:\n%s", p, r)
	}
	assert.Equal(t, "A+", headers.PresenceGrade(set).Grade)

	runSh := oracleRunSh(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, ca.PEM(), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, runSh, "observatory", "--url", httpURL, "--https-port", strconv.Itoa(httpsPort), "--ca", caFile, "--json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && strings.Contains(stderr.String(), "npm install failed") && os.Getenv("CI") == "" {
		t.Skip("the Observatory could not be installed (npm needs the registry): ", stderr.String())
	}
	require.NoError(t, err, "%s", stderr.String())
	var o struct {
		Mode string `json:"mode"`
		Scan struct {
			Grade       string `json:"grade"`
			Score       int    `json:"score"`
			TestsPassed int    `json:"testsPassed"`
			TestsQty    int    `json:"testsQuantity"`
		} `json:"scan"`
		Tests map[string]struct {
			Pass   bool   `json:"pass"`
			Result string `json:"result"`
		} `json:"tests"`
	}
	require.NoError(t, json.Unmarshal(out, &o), "%s", out)
	assert.True(t, strings.HasPrefix(o.Mode, "live"), "graded live: %s", o.Mode)
	assert.Equal(t, "A+", o.Scan.Grade, "the Observatory's grade: %s", out)
	assert.Equal(t, o.Scan.TestsQty, o.Scan.TestsPassed, "every test passes: %v", o.Tests)
	var redirection []string
	for name, test := range o.Tests {
		if strings.Contains(strings.ToLower(name), "redirect") {
			redirection = append(redirection, test.Result)
		}
	}
	assert.Equal(t, []string{"redirection-to-https"}, redirection, "the oracle followed http:// to https://: %v", o.Tests)
	t.Logf("MDN HTTP Observatory 1.4.8, live: grade %s, score %d, %d of %d tests passed", o.Scan.Grade, o.Scan.Score, o.Scan.TestsPassed, o.Scan.TestsQty)
}

func readAll(r *http.Response) (string, error) {
	defer r.Body.Close()
	var b bytes.Buffer
	_, err := b.ReadFrom(r.Body)
	return b.String(), err
}
