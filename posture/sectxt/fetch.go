//go:build !js

package sectxt

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/posturekit/posturekit/finding"
	"golang.org/x/net/idna"
)

// DefaultTimeout bounds one request of [Fetch] when the client has no
// timeout of its own.
const DefaultTimeout = 30 * time.Second

// maxRedirects is how many redirects [Fetch] follows for one location.
// RFC 9116, Section 3 allows redirects (the legacy location typically
// redirects to the well-known one); a few are enough for that and for a
// move to another host.
const maxRedirects = 3

// Report is what [Fetch] found at a host.
type Report struct {
	// Host is the host name (or address, with its port if one was given).
	Host string `json:"host"`
	// WellKnown is the request for https://<host>/.well-known/security.txt.
	WellKnown *Response `json:"well_known"`
	// Legacy is the request for https://<host>/security.txt.
	Legacy *Response `json:"legacy"`
	// File is the file parsed from WellKnown, or from Legacy when only the
	// legacy location serves one; nil when neither does.
	File *File `json:"file,omitempty"`
	// Findings are all the problems found, worst first.
	Findings finding.List `json:"findings"`
	// Valid is false when a finding has severity error.
	Valid bool `json:"valid"`
}

// Response is one request of [Fetch].
type Response struct {
	// URL is the address requested.
	URL string `json:"url"`
	// Redirects are the addresses the server redirected to, in order; the
	// last one is where the answer came from (RFC 9116, Section 5.2 asks
	// researchers to record them).
	Redirects []string `json:"redirects,omitempty"`
	// StatusCode is the HTTP status of the final answer, 0 when there was
	// none.
	StatusCode int `json:"status_code,omitempty"`
	// ContentType is the Content-Type of the final answer.
	ContentType string `json:"content_type,omitempty"`
	// Text is the body of a 200 answer of type text/plain.
	Text string `json:"text,omitempty"`
	// Error says why the request failed, if it did.
	Error string `json:"error,omitempty"`

	ok   bool // a text/plain 200 answer within the size limit
	code string
	fix  string
}

// FinalURL returns the address the answer came from.
func (r *Response) FinalURL() string {
	if n := len(r.Redirects); n > 0 {
		return r.Redirects[n-1]
	}
	return r.URL
}

// Fetch gets https://<host>/.well-known/security.txt and checks it as RFC
// 9116, Section 3 requires — over HTTPS with a valid certificate, status
// 200, Content-Type text/plain with charset utf-8 when a charset is given,
// at most [MaxFileSize] bytes — then checks its content with [Check]. It
// also requests the legacy location https://<host>/security.txt and reports
// it separately: a redirect to the well-known file is fine, a copy that
// differs is not. At most three redirects are followed for each, only to
// https addresses, and each is reported.
//
// client is used as given except for its redirect policy (and its timeout
// when it has none: [DefaultTimeout]); nil means a client like
// http.DefaultClient. Certificate verification is never turned off here:
// to trust a private CA, configure client's transport. Every problem is a
// finding; the error is only for a host that cannot be used in a URL.
func Fetch(ctx context.Context, client *http.Client, host string) (*Report, error) {
	h, err := checkHost(host)
	if err != nil {
		return nil, err
	}
	c := &http.Client{}
	if client != nil {
		*c = *client
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	now := time.Now()
	rep := &Report{Host: h}
	rep.WellKnown = get(ctx, c, WellKnownURL(h))
	rep.Legacy = get(ctx, c, LegacyURL(h))
	add := func(code string, sev finding.Severity, where, rfc, msg, fix string) {
		rep.Findings = append(rep.Findings, finding.Finding{Code: code, Severity: sev, Where: where, RFC: rfc, Message: msg, Fix: fix})
	}
	wk, lg := rep.WellKnown, rep.Legacy
	redirectFindings(wk, h, add)

	var text, from string
	switch {
	case wk.ok:
		text, from = wk.Text, wk.URL
	case wk.code == "sectxt.not_found" && lg.ok:
		// RFC 9116, Section 3: the file MUST be under /.well-known/; a file
		// at the legacy location only is checked anyway, as researchers
		// would read it.
		add("sectxt.not_found", finding.Error, wk.URL, rfcLocation,
			fmt.Sprintf("no security.txt at %s; one is served only at the legacy location %s", wk.URL, lg.FinalURL()),
			"serve the file at "+wk.URL+" (the legacy location may redirect there)")
		text, from = lg.Text, lg.URL
	default:
		add(wk.code, finding.Error, wk.URL, rfcLocation, wk.Error, wk.fix)
	}
	if wk.ok {
		ct := strings.ToLower(wk.ContentType)
		if _, params, err := mime.ParseMediaType(ct); err == nil && params["charset"] == "" {
			add("sectxt.charset_missing", finding.Info, wk.URL, rfcLocation,
				"the Content-Type has no charset parameter: RFC 9116 asks for text/plain; charset=utf-8 (without it, text/plain is read as US-ASCII)",
				"serve the file with Content-Type: text/plain; charset=utf-8")
		}
	}
	if from != "" {
		var l finding.List
		rep.File, l = Check(text, now)
		for _, f := range l {
			f.Where = from
			rep.Findings = append(rep.Findings, f)
		}
		canonicalFinding(rep.File, from, wk, add)
	}
	legacyFindings(wk, lg, h, add)

	rep.Findings.Sort()
	if rep.Findings == nil {
		rep.Findings = finding.List{}
	}
	rep.Valid = !rep.Findings.HasErrors()
	return rep, nil
}

// checkHost checks that host is a host name or address, with an optional
// port, and returns it in the form used in URLs (lower case, A-labels).
func checkHost(host string) (string, error) {
	h := strings.TrimSpace(host)
	if h == "" || strings.ContainsAny(h, "/?#@ \t\\") {
		return "", fmt.Errorf("sectxt: %q is not a host name", host)
	}
	name, port := h, ""
	if i := strings.LastIndexByte(h, ':'); i >= 0 && (h[0] == '[' && strings.HasSuffix(h[:i], "]") || h[0] != '[' && strings.IndexByte(h[:i], ':') < 0) {
		name, port = h[:i], h[i:]
		if len(port) < 2 {
			return "", fmt.Errorf("sectxt: %q has an empty port", host)
		}
		for k := 1; k < len(port); k++ {
			if !isDigit(port[k]) {
				return "", fmt.Errorf("sectxt: %q has an invalid port", host)
			}
		}
	}
	if name == "" {
		return "", fmt.Errorf("sectxt: %q is not a host name", host)
	}
	if name[0] != '[' {
		if strings.IndexByte(name, ':') >= 0 {
			name = "[" + name + "]" // a bare IPv6 address
		} else {
			a, err := idna.Lookup.ToASCII(strings.TrimSuffix(name, "."))
			if err != nil || a == "" {
				return "", fmt.Errorf("sectxt: %q is not a host name: %v", host, err)
			}
			name = a
		}
	}
	return strings.ToLower(name) + port, nil
}

// Errors that end a redirect chain.
var (
	errInsecureRedirect = errors.New("redirect to a non-https address")
	errTooManyRedirects = fmt.Errorf("more than %d redirects", maxRedirects)
)

// get requests one location and classifies the answer.
func get(ctx context.Context, client *http.Client, url string) *Response {
	r := &Response{URL: url}
	c := *client
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		r.Redirects = append(r.Redirects, req.URL.String())
		if req.URL.Scheme != "https" {
			return errInsecureRedirect
		}
		if len(via) > maxRedirects {
			return errTooManyRedirects
		}
		return nil
	}
	fail := func(code, fix, format string, args ...any) *Response {
		r.code, r.fix, r.Error = code, fix, fmt.Sprintf(format, args...)
		return r
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fail("sectxt.fetch_failed", "", "%s: %v", url, err)
	}
	req.Header.Set("User-Agent", "posturekit-sectxt")
	req.Header.Set("Accept", "text/plain")
	resp, err := c.Do(req)
	if err != nil {
		return transportError(r, fail, err)
	}
	defer resp.Body.Close()
	r.StatusCode = resp.StatusCode
	r.ContentType = resp.Header.Get("Content-Type")
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return fail("sectxt.not_found", "publish the file at "+url, "no security.txt at %s (%s)", r.FinalURL(), resp.Status)
	case resp.StatusCode != http.StatusOK:
		return fail("sectxt.http_status", "serve the file with status 200", "%s answered %s; the file must be served with status 200", r.FinalURL(), resp.Status)
	}
	// RFC 9116, Section 3: Content-Type text/plain, charset utf-8.
	mt, params, err := mime.ParseMediaType(r.ContentType)
	if err != nil || mt != "text/plain" {
		return fail("sectxt.media_type", "serve the file with Content-Type: text/plain; charset=utf-8", "%s is served as %q; it must be text/plain", r.FinalURL(), r.ContentType)
	}
	if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") {
		return fail("sectxt.charset", "serve the file with Content-Type: text/plain; charset=utf-8", "%s is served with charset %q; it must be utf-8", r.FinalURL(), cs)
	}
	// RFC 9116, Section 5.4: tools may refuse files over 32 KB.
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxFileSize+1))
	if err != nil {
		return transportError(r, fail, err)
	}
	if len(body) > MaxFileSize {
		return fail("sectxt.fetch_too_large", "keep the file under 32 KiB", "%s is larger than %d bytes; researchers' tools may refuse it, and this one reads no more", r.FinalURL(), MaxFileSize)
	}
	r.Text = string(body)
	r.ok = true
	return r
}

// transportError classifies an error of the request itself.
func transportError(r *Response, fail func(code, fix, format string, args ...any) *Response, err error) *Response {
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var invErr x509.CertificateInvalidError
	switch {
	case errors.Is(err, errInsecureRedirect):
		return fail("sectxt.redirect_insecure", "redirect only to https:// addresses",
			"%s redirects to %s: the file must be retrieved over https", r.URL, r.FinalURL())
	case errors.Is(err, errTooManyRedirects):
		return fail("sectxt.redirect_too_many", "redirect at most once, to the file itself", "%s: %v", r.URL, err)
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &authErr), errors.As(err, &invErr):
		return fail("sectxt.certificate", "serve a certificate from a public CA that is valid for the host",
			"%s: the server's certificate is not valid: %v", r.FinalURL(), err)
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return fail("sectxt.timeout", "make the host answer HTTPS promptly", "%s: timed out", r.FinalURL())
	}
	return fail("sectxt.fetch_failed", "serve the file over HTTPS on port 443", "%s: %v", r.FinalURL(), err)
}

// hostOf returns the host (and port) of an absolute URL.
func hostOf(u string) string {
	_, rest, _ := strings.Cut(u, "://")
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return strings.ToLower(rest)
}

// redirectFindings reports the redirects of a request (RFC 9116, Section
// 5.2: researchers should record them; one to another host may lead to an
// attacker, and the file applies only to the host it was retrieved from,
// Section 3.1).
func redirectFindings(r *Response, host string, add func(code string, sev finding.Severity, where, rfc, msg, fix string)) {
	for _, to := range r.Redirects {
		if !strings.HasPrefix(to, "https://") {
			continue // reported as sectxt.redirect_insecure
		}
		if h := hostOf(to); h != host {
			add("sectxt.redirect_other_host", finding.Warning, r.URL, rfcRedirects,
				fmt.Sprintf("%s redirects to another host, %s: researchers must check that it belongs to the same organisation", r.URL, to),
				"serve the file from "+host+" itself")
		} else {
			add("sectxt.redirect", finding.Info, r.URL, rfcRedirects, fmt.Sprintf("%s redirects to %s", r.URL, to), "")
		}
	}
}

// canonicalFinding reports a file whose Canonical fields do not list the
// address it was retrieved from (RFC 9116, Section 2.5.2: its content then
// SHOULD NOT be trusted).
func canonicalFinding(f *File, from string, wk *Response, add func(code string, sev finding.Severity, where, rfc, msg, fix string)) {
	if f == nil || len(f.Canonical) == 0 {
		return
	}
	for _, c := range f.Canonical {
		if sameURL(c, from) || from == wk.URL && sameURL(c, wk.FinalURL()) {
			return
		}
	}
	add("sectxt.canonical_mismatch", finding.Warning, from, rfcCanonical,
		fmt.Sprintf("no Canonical field lists %s, the address the file was retrieved from, so researchers should not trust its content", from),
		"Canonical: "+from)
}

// sameURL compares two https URLs, ignoring the case of scheme and host.
func sameURL(a, b string) bool {
	sa, ra, ok1 := strings.Cut(a, "://")
	sb, rb, ok2 := strings.Cut(b, "://")
	if !ok1 || !ok2 || !strings.EqualFold(sa, sb) {
		return false
	}
	ha, pa := ra, ""
	if i := strings.IndexByte(ra, '/'); i >= 0 {
		ha, pa = ra[:i], ra[i:]
	}
	hb, pb := rb, ""
	if i := strings.IndexByte(rb, '/'); i >= 0 {
		hb, pb = rb[:i], rb[i:]
	}
	return strings.EqualFold(ha, hb) && pa == pb
}

// legacyFindings reports the legacy location (RFC 9116, Section 3).
func legacyFindings(wk, lg *Response, host string, add func(code string, sev finding.Severity, where, rfc, msg, fix string)) {
	final := lg.FinalURL()
	switch {
	case lg.ok && sameURL(final, wk.URL):
		add("sectxt.legacy_redirect", finding.Info, lg.URL, rfcLocation,
			fmt.Sprintf("the legacy location %s redirects to %s", lg.URL, wk.URL), "")
	case lg.ok && wk.ok && lg.Text != wk.Text:
		add("sectxt.legacy_differs", finding.Warning, lg.URL, rfcLocation,
			fmt.Sprintf("the legacy location %s serves a different file; researchers must use the one under /.well-known/, and those who do not will read stale content", lg.URL),
			"redirect "+lg.URL+" to "+wk.URL)
	case lg.ok && wk.ok:
		add("sectxt.legacy_copy", finding.Info, lg.URL, rfcLocation,
			fmt.Sprintf("the legacy location %s serves a copy of the file", lg.URL), "redirect "+lg.URL+" to "+wk.URL+", so that the two cannot drift apart")
	}
	if len(lg.Redirects) > 0 && !(lg.ok && sameURL(final, wk.URL)) {
		redirectFindings(lg, host, add)
	}
	if lg.code == "sectxt.redirect_insecure" {
		add(lg.code, finding.Error, lg.URL, rfcLocation, lg.Error, lg.fix)
	}
}

// isTimeout reports whether err is a timeout of the connection, the TLS
// handshake or the wait for the response (net.Error.Timeout), which a
// deadline reached mid-handshake gives without wrapping
// context.DeadlineExceeded.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
