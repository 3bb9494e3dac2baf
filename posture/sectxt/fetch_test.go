//go:build !js

package sectxt

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goodFile returns a file that checks clean today but for the signature.
func goodFile() string {
	return "Contact: https://example.com/security\nExpires: " + formatTime(DefaultExpiry(time.Now())) + "\n"
}

// site is an HTTPS test server (httptest's TLS server and its test CA)
// serving the given paths.
type site struct {
	*httptest.Server
	host string
}

type page struct {
	status      int
	contentType string
	body        string
	location    string
	delay       time.Duration
}

func serve(t *testing.T, pages map[string]page) *site {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if p.delay > 0 {
			select {
			case <-time.After(p.delay):
			case <-r.Context().Done():
				return
			}
		}
		if p.location != "" {
			w.Header().Set("Location", p.location)
		}
		if p.contentType != "" {
			w.Header().Set("Content-Type", p.contentType)
		}
		status := p.status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(p.body))
	}))
	t.Cleanup(srv.Close)
	return &site{srv, strings.TrimPrefix(srv.URL, "https://")}
}

func text(body string) page {
	return page{contentType: "text/plain; charset=utf-8", body: body}
}

func fetch(t *testing.T, s *site, client *http.Client) *Report {
	t.Helper()
	if client == nil {
		client = s.Client()
	}
	rep, err := Fetch(context.Background(), client, s.host)
	require.NoError(t, err)
	require.NotNil(t, rep.WellKnown)
	require.NotNil(t, rep.Legacy)
	assert.Equal(t, !rep.Findings.HasErrors(), rep.Valid)
	return rep
}

func findingCodes(l finding.List) map[string]finding.Severity {
	m := map[string]finding.Severity{}
	for _, f := range l {
		m[f.Code] = f.Severity
		if f.Where == "" {
			panic("finding without Where: " + f.String())
		}
	}
	return m
}

func TestFetch(t *testing.T) {
	// The well-known file, and the legacy location redirecting to it
	// (RFC 9116, Section 3).
	s := serve(t, map[string]page{
		WellKnownPath: text(goodFile()),
		LegacyPath:    {status: http.StatusMovedPermanently, location: WellKnownPath},
	})
	rep := fetch(t, s, nil)
	assert.True(t, rep.Valid, "%v", rep.Findings)
	require.NotNil(t, rep.File)
	assert.Equal(t, []string{"https://example.com/security"}, rep.File.Contacts)
	assert.Equal(t, "https://"+s.host+WellKnownPath, rep.WellKnown.URL)
	assert.Equal(t, 200, rep.WellKnown.StatusCode)
	assert.Equal(t, []string{"https://" + s.host + WellKnownPath}, rep.Legacy.Redirects)
	m := findingCodes(rep.Findings)
	assert.Equal(t, finding.Info, m["sectxt.legacy_redirect"])
	assert.Equal(t, finding.Info, m["sectxt.unsigned"])
	assert.NotContains(t, m, "sectxt.redirect")
	for _, f := range rep.Findings {
		if f.Code == "sectxt.unsigned" {
			assert.Equal(t, rep.WellKnown.URL, f.Where, "findings of the content say where the file came from")
		}
	}
}

func TestFetchProblems(t *testing.T) {
	has := func(pages map[string]page, code string, sev finding.Severity) *Report {
		t.Helper()
		rep := fetch(t, serve(t, pages), nil)
		m := findingCodes(rep.Findings)
		if assert.Contains(t, m, code, "%v", rep.Findings) {
			assert.Equal(t, sev, m[code], code)
		}
		return rep
	}
	good := goodFile()

	rep := has(nil, "sectxt.not_found", finding.Error)
	assert.Nil(t, rep.File)
	assert.False(t, rep.Valid)
	assert.Equal(t, 404, rep.WellKnown.StatusCode)
	has(map[string]page{WellKnownPath: {status: 500, contentType: "text/plain", body: good}}, "sectxt.http_status", finding.Error)
	// RFC 9116, Section 3: text/plain; charset utf-8 when a charset is given.
	has(map[string]page{WellKnownPath: {contentType: "text/html; charset=utf-8", body: good}}, "sectxt.media_type", finding.Error)
	has(map[string]page{WellKnownPath: {contentType: "text/plain; charset=iso-8859-1", body: good}}, "sectxt.charset", finding.Error)
	rep = has(map[string]page{WellKnownPath: {contentType: "text/plain", body: good}}, "sectxt.charset_missing", finding.Info)
	assert.True(t, rep.Valid)
	has(map[string]page{WellKnownPath: {contentType: "Text/Plain; Charset=\"UTF-8\"", body: "Contact: https://example.com/\nExpires: 2000-01-01T00:00:00Z\n"}}, "sectxt.expired", finding.Error)
	// RFC 9116, Section 5.4: at most 32 KiB is read.
	has(map[string]page{WellKnownPath: text(good + strings.Repeat("#\n", MaxFileSize/2))}, "sectxt.fetch_too_large", finding.Error)
	// Only the legacy location: the well-known one is required, but the
	// legacy file is still read and checked.
	rep = has(map[string]page{LegacyPath: text("Contact: https://example.com/security\n")}, "sectxt.not_found", finding.Error)
	require.NotNil(t, rep.File)
	assert.Equal(t, []string{"https://example.com/security"}, rep.File.Contacts)
	assert.Contains(t, findingCodes(rep.Findings), "sectxt.expires_missing")
	// A legacy copy that differs from the well-known file.
	has(map[string]page{WellKnownPath: text(good), LegacyPath: text("Contact: mailto:old@example.com\n")}, "sectxt.legacy_differs", finding.Warning)
	has(map[string]page{WellKnownPath: text(good), LegacyPath: text(good)}, "sectxt.legacy_copy", finding.Info)
	// A legacy path answering HTML (a catch-all page) is not a file.
	rep = fetch(t, serve(t, map[string]page{WellKnownPath: text(good), LegacyPath: {contentType: "text/html", body: "<html>"}}), nil)
	assert.True(t, rep.Valid)
	assert.NotContains(t, findingCodes(rep.Findings), "sectxt.legacy_differs")
	// Canonical must list the address the file came from (Section 2.5.2).
	has(map[string]page{WellKnownPath: text("Canonical: https://other.example/.well-known/security.txt\n" + good)}, "sectxt.canonical_mismatch", finding.Warning)
}

func TestFetchCanonical(t *testing.T) {
	// A server whose file names its own address (the host in another case).
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Canonical: https://" + strings.ToUpper(r.Host) + WellKnownPath + "\n" + goodFile()))
	}))
	defer srv.Close()
	rep := fetch(t, &site{srv, strings.TrimPrefix(srv.URL, "https://")}, nil)
	assert.NotContains(t, findingCodes(rep.Findings), "sectxt.canonical_mismatch")
	assert.True(t, rep.Valid, "%v", rep.Findings)
}

func TestFetchRedirects(t *testing.T) {
	other := serve(t, map[string]page{"/sec.txt": text(goodFile())})
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(goodFile()))
	}))
	defer plain.Close()

	// To another host (RFC 9116, Section 5.2): followed, recorded, and a
	// warning, since that host may not belong to the same organisation.
	s := serve(t, map[string]page{WellKnownPath: {status: http.StatusFound, location: other.URL + "/sec.txt"}})
	rep := fetch(t, s, nil)
	m := findingCodes(rep.Findings)
	assert.Equal(t, finding.Warning, m["sectxt.redirect_other_host"])
	assert.Equal(t, []string{other.URL + "/sec.txt"}, rep.WellKnown.Redirects)
	assert.Equal(t, other.URL+"/sec.txt", rep.WellKnown.FinalURL())
	require.NotNil(t, rep.File)
	assert.True(t, rep.Valid, "%v", rep.Findings)

	// Within the host: information.
	s = serve(t, map[string]page{WellKnownPath: {status: http.StatusMovedPermanently, location: "/files/security.txt"}, "/files/security.txt": text(goodFile())})
	assert.Equal(t, finding.Info, findingCodes(fetch(t, s, nil).Findings)["sectxt.redirect"])

	// To plain http: refused (Section 3: the file MUST be retrieved over
	// https).
	s = serve(t, map[string]page{WellKnownPath: {status: http.StatusFound, location: plain.URL + WellKnownPath}})
	rep = fetch(t, s, nil)
	assert.Equal(t, finding.Error, findingCodes(rep.Findings)["sectxt.redirect_insecure"])
	assert.Nil(t, rep.File)
	assert.Zero(t, rep.WellKnown.StatusCode)

	// The legacy location redirecting to http is an error too.
	s = serve(t, map[string]page{WellKnownPath: text(goodFile()), LegacyPath: {status: http.StatusFound, location: plain.URL + LegacyPath}})
	assert.Equal(t, finding.Error, findingCodes(fetch(t, s, nil).Findings)["sectxt.redirect_insecure"])

	// A loop: at most three redirects.
	s = serve(t, map[string]page{WellKnownPath: {status: http.StatusFound, location: "/a"}, "/a": {status: http.StatusFound, location: "/b"}, "/b": {status: http.StatusFound, location: "/c"}, "/c": {status: http.StatusFound, location: WellKnownPath}})
	rep = fetch(t, s, nil)
	assert.Equal(t, finding.Error, findingCodes(rep.Findings)["sectxt.redirect_too_many"])
	assert.Len(t, rep.WellKnown.Redirects, 4)

	// Three are fine.
	s = serve(t, map[string]page{WellKnownPath: {status: http.StatusFound, location: "/a"}, "/a": {status: http.StatusFound, location: "/b"}, "/b": {status: http.StatusFound, location: "/c"}, "/c": text(goodFile())})
	assert.True(t, fetch(t, s, nil).Valid)
}

func TestFetchTransport(t *testing.T) {
	s := serve(t, map[string]page{WellKnownPath: text(goodFile())})
	// A client that does not trust the test CA: the certificate is checked.
	rep := fetch(t, s, &http.Client{Transport: &http.Transport{}})
	assert.Equal(t, finding.Error, findingCodes(rep.Findings)["sectxt.certificate"])

	// A server that does not answer in time.
	s = serve(t, map[string]page{WellKnownPath: {delay: 5 * time.Second, contentType: "text/plain", body: goodFile()}})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	rep, err := Fetch(ctx, s.Client(), s.host)
	require.NoError(t, err)
	assert.Equal(t, finding.Error, findingCodes(rep.Findings)["sectxt.timeout"], "%v", rep.Findings)

	// The client's own timeout applies too, and the caller's client is not
	// changed.
	c := s.Client()
	c.Timeout = 200 * time.Millisecond
	rep = fetch(t, s, c)
	assert.Contains(t, findingCodes(rep.Findings), "sectxt.timeout")
	assert.Nil(t, c.CheckRedirect)

	// Nothing listening.
	s = serve(t, nil)
	host := s.host
	s.Close()
	rep, err = Fetch(context.Background(), nil, host)
	require.NoError(t, err)
	assert.Equal(t, finding.Error, findingCodes(rep.Findings)["sectxt.fetch_failed"])
}

func TestCheckHost(t *testing.T) {
	for in, want := range map[string]string{
		"Example.COM":       "example.com",
		"example.com.":      "example.com",
		"bücher.example":    "xn--bcher-kva.example",
		"127.0.0.1:8443":    "127.0.0.1:8443",
		"[2001:db8::1]:443": "[2001:db8::1]:443",
		"2001:db8::1":       "[2001:db8::1]",
		"[2001:db8::1]":     "[2001:db8::1]",
	} {
		got, err := checkHost(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	for _, in := range []string{"", "https://example.com", "example.com/x", "a b", "user@example.com", "example.com:", "example.com:x", "-bad-.example"} {
		_, err := checkHost(in)
		assert.Error(t, err, in)
		_, err = Fetch(context.Background(), nil, in)
		assert.Error(t, err, in)
	}
}
