//go:build !js

package audit

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/internal/dnsclient/dnstest"
	"github.com/posturekit/posturekit/internal/servertest"
	"github.com/posturekit/posturekit/internal/testpki"
	"github.com/posturekit/posturekit/posture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// webZone has the apex and www on loopback, where the test servers run.
const webZone = `
	$ORIGIN example.com.
	@    SOA ns1 hostmaster 1 3600 600 86400 300
	@    A   127.0.0.1
	www  A   127.0.0.1
`

// webNames are the names of webZone's site.
var webNames = []string{"example.com", "www.example.com"}

// webEnv is a site under test: the DNS server, the CA, the HTTPS and HTTP
// servers, and the audit options that reach them.
type webEnv struct {
	t    *testing.T
	ca   *testpki.CA
	dns  *dnstest.Server
	opts Options
}

// newWebEnv starts the DNS server for zone. Both web ports start closed
// (a free port nobody listens on), so that a test never reaches a real
// server on 80 or 443.
func newWebEnv(t *testing.T, zone string) *webEnv {
	t.Helper()
	e := &webEnv{t: t, ca: testpki.New(t), dns: dnstest.Start(t, zone)}
	e.opts = Options{
		Resolvers:    []string{e.dns.Addr},
		RootCAs:      e.ca.Pool(),
		AllowPrivate: true,
		Timeout:      30 * time.Second,
		HTTPSPort:    servertest.FreePort(t),
		HTTPPort:     servertest.FreePort(t),
	}
	return e
}

func webPort(t *testing.T, l net.Listener) int {
	t.Helper()
	return l.Addr().(*net.TCPAddr).Port
}

// goodCert is valid for both names for 90 days.
func (e *webEnv) goodCert() tls.Certificate {
	now := time.Now()
	return e.ca.IssueValid(e.t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "example.com", "www.example.com")
}

// serveTLS serves h over HTTPS with cfg (nil: TLS 1.2 and newer with
// goodCert).
func (e *webEnv) serveTLS(h http.Handler, cfg *tls.Config) {
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if len(cfg.Certificates) == 0 {
		cfg.Certificates = []tls.Certificate{e.goodCert()}
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = cfg
	// The TLS probes' refused handshakes would fill the log.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	e.t.Cleanup(srv.Close)
	e.opts.HTTPSPort = webPort(e.t, srv.Listener)
}

// servePlain serves h over plain HTTP, as on port 80.
func (e *webEnv) servePlain(h http.Handler) {
	srv := httptest.NewServer(h)
	e.t.Cleanup(srv.Close)
	e.opts.HTTPPort = webPort(e.t, srv.Listener)
}

// audit runs the audit and returns its web checks by ID.
func (e *webEnv) audit() map[string]Check {
	e.t.Helper()
	r, err := Run(context.Background(), "example.com", e.opts)
	require.NoError(e.t, err)
	got := map[string]Check{}
	for _, c := range r.Checks {
		if c.Area != AreaWeb {
			continue
		}
		require.NotContains(e.t, got, c.ID, "one check per ID")
		require.NotNil(e.t, c.Evidence, c.ID)
		require.True(e.t, strings.HasPrefix(c.ID, "web."), c.ID)
		got[c.ID] = c
	}
	return got
}

// webSiteHeaders are the good site's headers: the strict preset with HSTS
// preload.
func webSiteHeaders(t *testing.T) *headers.Set {
	site, err := headers.Preset("strict")
	require.NoError(t, err)
	s := site.Headers
	s.Set(headers.HeaderHSTS, headers.NewHSTS(true).String())
	return &s
}

// webSecurityTXT is the kit's security.txt for host, with the contact
// security@host.
func webSecurityTXT(t *testing.T, host string) string {
	t.Helper()
	kit, err := posture.Build(posture.Domain{Name: host, NoMail: true, Contact: []string{"mailto:security@" + host}}, time.Now())
	require.NoError(t, err)
	for _, f := range kit.Files {
		if strings.HasSuffix(f.URL, "/.well-known/security.txt") {
			return f.Content
		}
	}
	t.Fatal("no security.txt in the kit")
	return ""
}

// webHandler serves a home page with the given headers (nil: none) and,
// when sectxt is not "", a security.txt; everything else is 404.
func webHandler(hdrs *headers.Set, sectxt string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hdrs != nil {
			for _, f := range hdrs.Fields {
				w.Header().Add(f.Name, f.Value)
			}
		}
		switch {
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!doctype html><title>Home</title><h1>Home</h1>")
		case r.URL.Path == "/.well-known/security.txt" && sectxt != "":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprint(w, sectxt)
		default:
			http.NotFound(w, r)
		}
	})
}

// webHomeRedirect is the good port-80 server: the home page redirects to
// https on the same host, every other path is 404.
func webHomeRedirect() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, "https://"+r.Host+"/", http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
	})
}

// goodSite serves the good site on both ports, with the given headers.
func (e *webEnv) goodSite(hdrs *headers.Set) {
	e.serveTLS(webHandler(hdrs, webSecurityTXT(e.t, "example.com")), nil)
	e.servePlain(webHomeRedirect())
}

func TestWebGoodSite(t *testing.T) {
	e := newWebEnv(t, webZone)
	e.goodSite(webSiteHeaders(t))
	got := e.audit()
	for _, id := range []string{webIDTLS, webIDCertificate, webIDHSTS, webIDRedirect, webIDHeaders, webIDSecurityTXT} {
		c, ok := got[id]
		if assert.True(t, ok, "missing %s", id) {
			assert.Equal(t, Pass, c.Status, "%s: %s", id, c.Message)
			assert.Empty(t, c.Fix, id)
			assert.NotEmpty(t, c.Evidence, id)
			assert.Equal(t, AreaWeb, c.Area)
		}
	}
	host := got[webIDHost]
	assert.Equal(t, Info, host.Status)
	assert.Contains(t, host.Message, "example.com and www.example.com")
	assert.Contains(t, host.Evidence, "www.example.com. A 127.0.0.1")
	// The per-host checks cover both names.
	assert.Contains(t, got[webIDTLS].Message, "www.example.com serves HTTPS")
	assert.Contains(t, got[webIDHSTS].Evidence, "Strict-Transport-Security: max-age=63072000; includeSubDomains; preload")
	assert.Contains(t, got[webIDHSTS].Message, "meets the HSTS preload list's rules")
	assert.Contains(t, got[webIDHeaders].Evidence[0], "grade A+")
	assert.Contains(t, got[webIDSecurityTXT].Evidence, "Contact: mailto:security@example.com")
	assert.Contains(t, got[webIDRedirect].Evidence, "GET http://example.com/: 301 Moved Permanently, Location: https://example.com/")
	assert.Contains(t, got[webIDRedirect].Evidence, "GET http://example.com/some/deep/path?q=1: 404 Not Found")
	assert.Len(t, got, 7)
}

func TestWebTLSVersions(t *testing.T) {
	var all []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		all = append(all, s.ID)
	}
	for _, tc := range []struct {
		name     string
		min, max uint16
		status   Status
		msg      string
		evidence []string
	}{
		{"tls1.0 accepted", tls.VersionTLS10, 0, Fail, "accepts TLS 1.0 and TLS 1.1", []string{"TLS 1.0 only: accepted, with TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"}},
		{"tls1.1 accepted", tls.VersionTLS11, 0, Fail, "accepts TLS 1.1, which", []string{"TLS 1.1 only: accepted, with TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"}},
		{"tls1.0 only", tls.VersionTLS10, tls.VersionTLS10, Fail, "refuses TLS 1.2 and 1.3: browsers cannot connect; it accepts TLS 1.0", nil},
		{"tls1.2 and up", tls.VersionTLS12, 0, Pass, "refuses TLS 1.0 and 1.1", []string{"TLS 1.2 to TLS 1.3: TLS 1.3 with TLS_"}},
		{"tls1.3 only", tls.VersionTLS13, 0, Pass, "refuses TLS 1.0 and 1.1", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newWebEnv(t, webZone)
			e.serveTLS(webHandler(webSiteHeaders(t), ""), &tls.Config{MinVersion: tc.min, MaxVersion: tc.max, CipherSuites: all})
			e.servePlain(webHomeRedirect())
			c := e.audit()[webIDTLS]
			assert.Equal(t, tc.status, c.Status, c.Message)
			assert.Contains(t, c.Message, tc.msg)
			for _, ev := range tc.evidence {
				assert.Contains(t, strings.Join(c.Evidence, "\n"), ev)
			}
			if tc.status == Fail {
				assert.Contains(t, c.Fix, "ssl_protocols TLSv1.2 TLSv1.3;")
				assert.Contains(t, c.Fix, "SSLProtocol -all +TLSv1.2 +TLSv1.3")
				assert.Equal(t, webRFCTLS, c.RFC)
			} else {
				assert.Empty(t, c.Fix)
			}
		})
	}
}

func TestWebHSTS(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hsts   []string // nil: no header
		status Status
		msg    string
	}{
		{"missing", nil, Fail, "sends no Strict-Transport-Security header"},
		{"short", []string{"max-age=86400; includeSubDomains"}, Fail, "max-age is 86400 seconds, under six months"},
		{"half a year", []string{"max-age=15552000; includeSubDomains"}, Warn, "under a year"},
		{"no subdomains", []string{"max-age=31536000"}, Warn, "includeSubDomains is missing"},
		{"preload too short", []string{"max-age=20000000; includeSubDomains; preload"}, Warn, "does not meet the preload list's rules"},
		{"unreadable", []string{"includeSubDomains"}, Fail, "browsers ignore"},
		{"two fields", []string{"max-age=31536000; includeSubDomains", "max-age=0"}, Warn, "browsers use the first only"},
		{"good, not preload", []string{"max-age=31536000; includeSubDomains"}, Pass, "add preload to be eligible"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newWebEnv(t, webZone)
			h := webSiteHeaders(t)
			h.Del(headers.HeaderHSTS)
			for _, v := range tc.hsts {
				h.Add(headers.HeaderHSTS, v)
			}
			e.goodSite(h)
			c := e.audit()[webIDHSTS]
			assert.Equal(t, tc.status, c.Status, c.Message)
			assert.Contains(t, c.Message, tc.msg)
			assert.Equal(t, webRFCHSTS, c.RFC)
			for _, v := range tc.hsts {
				assert.Contains(t, c.Evidence, "Strict-Transport-Security: "+v)
			}
			if tc.status == Pass {
				assert.Empty(t, c.Fix)
				return
			}
			require.True(t, strings.HasPrefix(c.Fix, "Strict-Transport-Security: max-age=63072000; includeSubDomains"), c.Fix)
			assert.Equal(t, strings.Contains(strings.Join(tc.hsts, ""), "preload"), strings.HasSuffix(c.Fix, "; preload"), c.Fix)

			// The fix, sent instead, passes.
			name, value, ok := strings.Cut(c.Fix, ": ")
			require.True(t, ok)
			h.Set(name, value)
			e.goodSite(h)
			assert.Equal(t, Pass, e.audit()[webIDHSTS].Status)
		})
	}
}

func TestWebHTTPRedirect(t *testing.T) {
	redirect := func(code int, to func(r *http.Request) string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to(r), code) })
	}
	for _, tc := range []struct {
		name   string
		plain  http.Handler // nil: nothing listens
		status Status
		msg    string
	}{
		{"home only", webHomeRedirect(), Pass, "deep links over plain HTTP fail (404 Not Found)"},
		{"every path", redirect(http.StatusMovedPermanently, func(r *http.Request) string { return "https://" + r.Host + r.URL.RequestURI() }),
			Warn, "the deep link http://example.com/some/deep/path?q=1 redirects (301 Moved Permanently) instead of failing"},
		{"every path 308", redirect(http.StatusPermanentRedirect, func(r *http.Request) string { return "https://" + r.Host + r.URL.RequestURI() }),
			Warn, "redirects (308 Permanent Redirect) instead of failing"},
		{"temporary", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" {
				http.NotFound(w, r)
				return
			}
			http.Redirect(w, r, "https://"+r.Host+"/", http.StatusFound)
		}), Warn, "redirects with 302 Found: use 301 or 308"},
		{"other host", redirect(http.StatusMovedPermanently, func(*http.Request) string { return "https://elsewhere.example.net/" }),
			Warn, "redirects to https://elsewhere.example.net/: redirect to https://example.com/ first"},
		{"to plain http", redirect(http.StatusMovedPermanently, func(r *http.Request) string { return "http://" + r.Host + "/home" }),
			Fail, "http://example.com/ redirects to plain HTTP, http://example.com/home"},
		{"serves content", webHandler(&headers.Set{}, ""), Fail, "http://example.com/ serves the page over plain HTTP (200 OK)"},
		{"serves deep links", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				http.Redirect(w, r, "https://"+r.Host+"/", http.StatusMovedPermanently)
				return
			}
			fmt.Fprint(w, "content")
		}), Fail, "the deep link http://example.com/some/deep/path?q=1 is served over plain HTTP (200 OK)"},
		{"home error", http.NotFoundHandler(), Warn, "answers 404 Not Found instead of redirecting"},
		{"no listener", nil, Info, "nothing listens on port 80 of example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newWebEnv(t, webZone)
			e.serveTLS(webHandler(webSiteHeaders(t), webSecurityTXT(t, "example.com")), nil)
			if tc.plain != nil {
				e.servePlain(tc.plain)
			}
			c := e.audit()[webIDRedirect]
			assert.Equal(t, tc.status, c.Status, c.Message)
			assert.Contains(t, c.Message, tc.msg)
			if tc.status == Warn || tc.status == Fail {
				assert.Contains(t, c.Fix, "location = / { return 301 https://example.com/; }")
				assert.Contains(t, c.Fix, "location = / { return 301 https://www.example.com/; }")
				assert.Contains(t, c.Fix, "RedirectMatch 404 ^/.+")
			} else {
				assert.Empty(t, c.Fix)
			}
		})
	}
}

// webRedirectFixServed serves the good site over HTTPS and, as the port-80
// server, the real server that conf configures with the suggested
// redirect fix of each name in webNames on a loopback port; the audit
// must find the redirects right.
func webRedirectFixServed(t *testing.T, conf func(port int) *servertest.Config) {
	t.Helper()
	e := newWebEnv(t, webZone)
	e.serveTLS(webHandler(webSiteHeaders(t), webSecurityTXT(t, "example.com")), nil)
	port := servertest.FreePort(t)
	srv := conf(port)
	out, err := srv.Check()
	require.NoError(t, err, "%s -t:\n%s\n%s", filepath.Base(srv.Bin), out, srv.Text)
	srv.Start(t)
	e.opts.HTTPPort = port

	c := e.audit()[webIDRedirect]
	assert.Equal(t, Pass, c.Status, c.Message)
	for _, host := range webNames {
		assert.Contains(t, c.Evidence, "GET http://"+host+"/: 301 Moved Permanently, Location: https://"+host+"/")
		assert.Contains(t, c.Evidence, "GET http://"+host+"/some/deep/path?q=1: 404 Not Found")
	}
}

// TestWebRedirectFixNginx loads the suggested port-80 configuration into
// nginx and audits the result: it must pass.
func TestWebRedirectFixNginx(t *testing.T) {
	nginx := servertest.NeedTool(t, "nginx", "nginx")
	webRedirectFixServed(t, func(port int) *servertest.Config {
		var servers []string
		for _, host := range webNames {
			fix, _, ok := strings.Cut(webRedirectFix(host), "# Apache")
			require.True(t, ok)
			fix = strings.Replace(fix, "listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", port), 1)
			fix = strings.Replace(fix, "listen [::]:80;\n", "", 1)
			servers = append(servers, fix)
		}
		return servertest.Nginx(t, nginx, servertest.WorldDir(t, "posturekit-audit-nginx-"), port, strings.Join(servers, "\n"))
	})
}

// TestWebRedirectFixApache loads the suggested Apache lines into apache2
// and audits the result: it must pass.
func TestWebRedirectFixApache(t *testing.T) {
	apache := servertest.NeedTool(t, "apache2", "apache2")
	servertest.NeedApacheModules(t, "mod_mpm_event.so", "mod_alias.so", "mod_authz_core.so")
	webRedirectFixServed(t, func(port int) *servertest.Config {
		var hosts []string
		for _, host := range webNames {
			_, fix, ok := strings.Cut(webRedirectFix(host), "# Apache")
			require.True(t, ok)
			hosts = append(hosts, fmt.Sprintf("<VirtualHost 127.0.0.1:%d>\nServerName %s\n# Apache%s\n</VirtualHost>", port, host, fix))
		}
		return servertest.Apache(t, apache, servertest.WorldDir(t, "posturekit-audit-apache-"), port, strings.Join(hosts, "\n"), "alias")
	})
}

func TestWebCertificate(t *testing.T) {
	now := time.Now()
	other := testpki.New(t)
	for _, tc := range []struct {
		name   string
		cert   func(e *webEnv) tls.Certificate
		status Status
		msg    string
	}{
		{"expired", func(e *webEnv) tls.Certificate {
			return e.ca.IssueValid(t, now.Add(-90*24*time.Hour), now.Add(-24*time.Hour), "example.com", "www.example.com")
		}, Fail, "is not valid: it expired on " + now.Add(-24*time.Hour).UTC().Format(time.DateOnly)},
		{"wrong name", func(e *webEnv) tls.Certificate { return e.ca.Issue(t, "other.example") }, Fail, "it is not valid for the name"},
		{"unknown CA", func(*webEnv) tls.Certificate { return other.Issue(t, "example.com", "www.example.com") }, Fail, "not issued by a trusted authority"},
		{"expires soon", func(e *webEnv) tls.Certificate {
			return e.ca.IssueValid(t, now.Add(-80*24*time.Hour), now.Add(5*24*time.Hour+time.Hour), "example.com", "www.example.com")
		}, Warn, "expires in 5 days"},
		{"good", func(e *webEnv) tls.Certificate { return e.goodCert() }, Pass, "valid for the name and for 89 more days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newWebEnv(t, webZone)
			cert := tc.cert(e)
			leaf, err := x509.ParseCertificate(cert.Certificate[0])
			require.NoError(t, err)
			e.serveTLS(webHandler(webSiteHeaders(t), webSecurityTXT(t, "example.com")), &tls.Config{Certificates: []tls.Certificate{cert}})
			e.servePlain(webHomeRedirect())
			got := e.audit()
			c := got[webIDCertificate]
			assert.Equal(t, tc.status, c.Status, c.Message)
			assert.Contains(t, c.Message, tc.msg)
			assert.Contains(t, c.Evidence, "not after: "+leaf.NotAfter.UTC().Format(time.RFC3339))
			if tc.status == Pass {
				assert.Empty(t, c.Fix)
			} else {
				assert.Contains(t, c.Fix, "serve a certificate for example.com")
			}
			if tc.status == Fail {
				// TLS itself worked; the checks that need a valid
				// certificate could not run, and say why.
				assert.Equal(t, Pass, got[webIDTLS].Status, got[webIDTLS].Message)
				assert.Equal(t, Error, got[webIDHSTS].Status)
				assert.Contains(t, got[webIDHSTS].Message, "the certificate is not valid (see web.certificate)")
				assert.Equal(t, Error, got[webIDSecurityTXT].Status)
			}
		})
	}
}

// TestWebClock checks that Options.Now is the clock of certificate
// checks: half a day on, a certificate with 14 days and 6 hours left is
// within the warning window, and one with 6 hours left has expired. (The
// test CA itself is valid for a day.)
func TestWebClock(t *testing.T) {
	now := time.Now()
	later := func() time.Time { return now.Add(12 * time.Hour) }
	for _, tc := range []struct {
		left          time.Duration
		real, shifted Status
		msg           string
	}{
		{14*24*time.Hour + 6*time.Hour, Pass, Warn, "expires in 13 days"},
		{6 * time.Hour, Warn, Fail, "is not valid: it expired on"},
	} {
		e := newWebEnv(t, webZone)
		cert := e.ca.IssueValid(t, now.Add(-time.Hour), now.Add(tc.left), "example.com", "www.example.com")
		e.serveTLS(webHandler(webSiteHeaders(t), ""), &tls.Config{Certificates: []tls.Certificate{cert}})
		c := e.audit()[webIDCertificate]
		assert.Equal(t, tc.real, c.Status, c.Message)
		e.opts.Now = later
		c = e.audit()[webIDCertificate]
		assert.Equal(t, tc.shifted, c.Status, c.Message)
		assert.Contains(t, c.Message, tc.msg)
	}
}

func TestWebHeaders(t *testing.T) {
	t.Run("bare", func(t *testing.T) {
		e := newWebEnv(t, webZone)
		h := &headers.Set{}
		h.Add("X-Content-Type-Options", "nosniff")
		e.goodSite(h)
		c := e.audit()[webIDHeaders]
		assert.Equal(t, Fail, c.Status, c.Message)
		assert.Contains(t, c.Message, "the headers of https://example.com/ grade D")
		assert.Contains(t, c.Message, "content-security-policy")
		assert.Contains(t, c.Evidence, "X-Content-Type-Options: nosniff")
		assert.Contains(t, c.Fix, "Content-Security-Policy: default-src 'none'")
		assert.Contains(t, c.Fix, "Strict-Transport-Security: max-age=63072000; includeSubDomains")
		assert.NotContains(t, c.Fix, "X-Content-Type-Options", "nosniff is there and passes")
		assert.NotContains(t, c.Fix, "Cache-Control")

		// The fix, added, gives an A.
		fix, err := headers.ParseSet(c.Fix)
		require.NoError(t, err)
		for _, f := range fix.Fields {
			h.Add(f.Name, f.Value)
		}
		e.goodSite(h)
		c = e.audit()[webIDHeaders]
		assert.Equal(t, Pass, c.Status, c.Message)
	})
	t.Run("middling", func(t *testing.T) {
		e := newWebEnv(t, webZone)
		h := webSiteHeaders(t)
		h.Del(headers.HeaderCSP)
		e.goodSite(h)
		c := e.audit()[webIDHeaders]
		assert.Equal(t, Warn, c.Status, c.Message)
		assert.Regexp(t, `grade [BC]`, c.Message)
		strict, err := headers.Preset("strict")
		require.NoError(t, err)
		csp, ok := strict.Headers.Get(headers.HeaderCSP)
		require.True(t, ok)
		assert.Equal(t, "Content-Security-Policy: "+csp, c.Fix, "the one header missing")
	})
	t.Run("apex redirects to www", func(t *testing.T) {
		e := newWebEnv(t, webZone)
		good := webHandler(webSiteHeaders(t), webSecurityTXT(t, "example.com"))
		e.serveTLS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Host == "example.com" && r.URL.Path == "/" {
				w.Header().Set(headers.HeaderHSTS, headers.NewHSTS(true).String())
				http.Redirect(w, r, "https://www.example.com/", http.StatusMovedPermanently)
				return
			}
			good.ServeHTTP(w, r)
		}), nil)
		e.servePlain(webHomeRedirect())
		got := e.audit()
		c := got[webIDHeaders]
		assert.Equal(t, Pass, c.Status, c.Message)
		assert.Contains(t, c.Message, "https://www.example.com/ grade A+")
		assert.Contains(t, c.Evidence, "GET https://example.com/: 301 Moved Permanently, Location: https://www.example.com/")
		assert.Equal(t, Pass, got[webIDHSTS].Status, "the redirect carries HSTS: %s", got[webIDHSTS].Message)
	})
	t.Run("no redirect off the domain", func(t *testing.T) {
		e := newWebEnv(t, webZone)
		e.serveTLS(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://tracker.example.net/", http.StatusFound)
		}), nil)
		e.servePlain(webHomeRedirect())
		c := e.audit()[webIDHeaders]
		assert.Contains(t, c.Message, "the headers of https://example.com/ grade")
		assert.NotContains(t, strings.Join(c.Evidence, "\n"), "GET https://tracker.example.net/")
	})
}

func TestWebSecurityTXT(t *testing.T) {
	expired := strings.Replace(webSecurityTXT(t, "example.com"), "Expires: ", "Expires: 2020-01-01T00:00:00Z\r\n#", 1)
	for _, tc := range []struct {
		name   string
		text   string
		status Status
		msg    string
	}{
		{"good", webSecurityTXT(t, "example.com"), Pass, "publishes a valid security.txt"},
		{"missing", "", Warn, "publishes no security.txt"},
		{"expired", expired, Fail, "has expired"},
		{"no contact", "Expires: 2099-01-01T00:00:00Z\n", Fail, "is not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newWebEnv(t, webZone)
			e.serveTLS(webHandler(webSiteHeaders(t), tc.text), nil)
			e.servePlain(webHomeRedirect())
			c := e.audit()[webIDSecurityTXT]
			assert.Equal(t, tc.status, c.Status, c.Message)
			assert.Contains(t, c.Message, tc.msg)
			assert.Equal(t, webRFCSecTXT, c.RFC)
			if tc.status == Pass {
				assert.Empty(t, c.Fix)
				return
			}
			assert.Contains(t, c.Fix, "Contact: mailto:security@example.com\n")
			assert.Contains(t, c.Fix, "# serve at https://example.com/.well-known/security.txt")

			// The fix, served, passes.
			e.serveTLS(webHandler(webSiteHeaders(t), c.Fix+"\n"), nil)
			c = e.audit()[webIDSecurityTXT]
			assert.Equal(t, Pass, c.Status, c.Message)
		})
	}
}

func TestWebHosts(t *testing.T) {
	t.Run("www only", func(t *testing.T) {
		e := newWebEnv(t, `
			$ORIGIN example.com.
			@    SOA ns1 hostmaster 1 3600 600 86400 300
			www  A   127.0.0.1
		`)
		e.goodSite(webSiteHeaders(t))
		got := e.audit()
		assert.Equal(t, "example.com has no A or AAAA record, so the site is checked at www.example.com", got[webIDHost].Message)
		assert.Equal(t, []string{"www.example.com. A 127.0.0.1"}, got[webIDHost].Evidence)
		assert.Equal(t, Pass, got[webIDTLS].Status)
		assert.True(t, strings.HasPrefix(got[webIDTLS].Message, "www.example.com serves"), got[webIDTLS].Message)
		assert.Contains(t, got[webIDSecurityTXT].Message, "www.example.com")
	})
	t.Run("apex only", func(t *testing.T) {
		e := newWebEnv(t, `
			$ORIGIN example.com.
			@    SOA ns1 hostmaster 1 3600 600 86400 300
			@    A   127.0.0.1
		`)
		e.goodSite(webSiteHeaders(t))
		got := e.audit()
		assert.Contains(t, got[webIDHost].Message, "(www.example.com has no address)")
		assert.Equal(t, Pass, got[webIDRedirect].Status)
		assert.NotContains(t, got[webIDRedirect].Message, "www.")
	})
	t.Run("no site", func(t *testing.T) {
		e := newWebEnv(t, `
			$ORIGIN example.com.
			@    SOA ns1 hostmaster 1 3600 600 86400 300
			@    MX  10 mx
		`)
		got := e.audit()
		require.Len(t, got, 1)
		assert.Equal(t, Info, got[webIDHost].Status)
		assert.Contains(t, got[webIDHost].Message, "no web site")
	})
	t.Run("lookup fails", func(t *testing.T) {
		e := newWebEnv(t, webZone)
		e.dns.Fail("example.com", 0xff, dnstest.FailServFail)
		e.dns.Fail("www.example.com", 0xff, dnstest.FailServFail)
		got := e.audit()
		for _, id := range []string{webIDHost, webIDTLS, webIDHSTS, webIDSecurityTXT} {
			assert.Equal(t, Error, got[id].Status, "%s: %s", id, got[id].Message)
		}
		assert.Contains(t, got[webIDTLS].Message, "could not check the addresses of example.com and www.example.com")
	})
	t.Run("www lookup fails", func(t *testing.T) {
		e := newWebEnv(t, webZone)
		e.goodSite(webSiteHeaders(t))
		e.dns.Fail("www.example.com", 0xff, dnstest.FailServFail)
		got := e.audit()
		assert.Equal(t, Error, got[webIDHost].Status)
		assert.Equal(t, "the site is checked at example.com; the addresses of www.example.com could not be looked up", got[webIDHost].Message)
		assert.Equal(t, Pass, got[webIDTLS].Status, got[webIDTLS].Message)
		assert.NotContains(t, got[webIDTLS].Message, "www.")
	})
	t.Run("private refused", func(t *testing.T) {
		e := newWebEnv(t, webZone)
		e.goodSite(webSiteHeaders(t))
		e.opts.AllowPrivate = false
		got := e.audit()
		for _, id := range []string{webIDTLS, webIDCertificate, webIDHSTS, webIDRedirect, webIDHeaders, webIDSecurityTXT} {
			assert.Equal(t, Error, got[id].Status, "%s: %s", id, got[id].Message)
		}
		assert.Contains(t, got[webIDTLS].Message, "resolves only to non-public addresses ([127.0.0.1]); not connecting")
	})
}

// TestWebNoHTTPS: the names have addresses, but nothing listens on port
// 443: web.tls fails (no HTTPS at all), the checks that need HTTPS are
// errors.
func TestWebNoHTTPS(t *testing.T) {
	e := newWebEnv(t, webZone)
	e.servePlain(webHandler(&headers.Set{}, ""))
	got := e.audit()
	c := got[webIDTLS]
	assert.Equal(t, Fail, c.Status, c.Message)
	assert.Contains(t, c.Message, "example.com offers no HTTPS: it has addresses, but nothing listens on port")
	assert.Contains(t, c.Fix, "ssl_protocols")
	for _, id := range []string{webIDCertificate, webIDHSTS, webIDHeaders, webIDSecurityTXT} {
		assert.Equal(t, Error, got[id].Status, "%s: %s", id, got[id].Message)
	}
	assert.Equal(t, Fail, got[webIDRedirect].Status)
}

// TestWebTimeout: a server that accepts connections and never answers
// makes every check an error once the audit's time runs out, never a
// failure or a missing header.
func TestWebTimeout(t *testing.T) {
	e := newWebEnv(t, webZone)
	for _, port := range []*int{&e.opts.HTTPSPort, &e.opts.HTTPPort} {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { l.Close() })
		go func() {
			var held []net.Conn
			defer func() {
				for _, c := range held {
					c.Close()
				}
			}()
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				held = append(held, c) // never answered
			}
		}()
		*port = webPort(t, l)
	}
	e.opts.Timeout = 1500 * time.Millisecond
	start := time.Now()
	got := e.audit()
	assert.Less(t, time.Since(start), 5*time.Second)
	for _, id := range []string{webIDTLS, webIDCertificate, webIDHSTS, webIDRedirect, webIDHeaders, webIDSecurityTXT} {
		c := got[id]
		assert.Equal(t, Error, c.Status, "%s: %s", id, c.Message)
		assert.Empty(t, c.Fix, id)
	}
	assert.Contains(t, got[webIDTLS].Message, "the audit's time ran out")
	assert.Contains(t, got[webIDHSTS].Message, "the audit's time ran out")
}

// TestWebDialRefused checks the refused-connection classification against
// a real closed port.
func TestWebDialRefused(t *testing.T) {
	e := newWebEnv(t, webZone)
	a := &auditor{domain: "example.com", opts: e.opts, dns: e.dns.Resolver()}
	_, err := a.webDial(context.Background(), "tcp", "example.com:443")
	require.Error(t, err)
	assert.True(t, webRefused(err), "%v", err)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	_, err = a.webDial(context.Background(), "tcp", "nothing.example.com:443")
	assert.False(t, webRefused(err))
	assert.Contains(t, err.Error(), "resolving nothing.example.com")
}

// TestWebReason: a request's own timeout is reported as such, not as the
// audit's time running out; once the audit's context has ended, that is
// what is reported.
func TestWebReason(t *testing.T) {
	_, err := (&net.Dialer{Deadline: time.Now()}).Dial("tcp", "127.0.0.1:1")
	require.True(t, webIsTimeout(err), "%v", err)
	c := webCouldNotRun(context.Background(), webIDTLS, "HTTPS of example.com", err)
	assert.Equal(t, Error, c.Status)
	assert.Contains(t, c.Message, "could not check HTTPS of example.com: no answer within 10s")

	ctx, cancel := context.WithDeadline(context.Background(), time.Now())
	defer cancel()
	<-ctx.Done()
	c = webCouldNotRun(ctx, webIDTLS, "HTTPS of example.com", err)
	assert.Equal(t, "could not check HTTPS of example.com: the audit's time ran out", c.Message)
}

func TestWebMerge(t *testing.T) {
	m := webMerge([]Check{
		{ID: "web.x", Area: AreaWeb, Status: Pass, Message: "a ok", Evidence: []string{"a"}},
		{ID: "web.x", Area: AreaWeb, Status: Error, Message: "b unknown", Evidence: []string{}},
		{ID: "web.x", Area: AreaWeb, Status: Warn, Message: "c weak", Evidence: []string{"c"}, Fix: "f", RFC: "RFC 1"},
		{ID: "web.x", Area: AreaWeb, Status: Warn, Message: "d weak", Evidence: []string{"d"}, Fix: "f"},
	}, []string{"a.example", "b.example", "c.example", "d.example"})
	assert.Equal(t, Check{ID: "web.x", Area: AreaWeb, Status: Warn, Message: "a ok; b unknown; c weak; d weak",
		Evidence: []string{"a.example:", "a", "c.example:", "c", "d.example:", "d"}, Fix: "f", RFC: "RFC 1"}, m)
	assert.Equal(t, Fail, webMerge([]Check{{Status: Fail}, {Status: Warn}}, []string{"a", "b"}).Status)
	assert.Equal(t, Error, webMerge([]Check{{Status: Pass}, {Status: Error}}, []string{"a", "b"}).Status)
	one := Check{ID: "web.y", Status: Pass, Evidence: []string{"e"}}
	assert.Equal(t, one, webMerge([]Check{one}, []string{"a"}))
}
