//go:build !js

package audit

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/posturekit/posturekit/finding"
	"github.com/posturekit/posturekit/headers"
	"github.com/posturekit/posturekit/mtasts"
	"github.com/posturekit/posturekit/posture"
	"github.com/posturekit/posturekit/posture/sectxt"
)

// The web checks look at the site of the domain: the domain itself (the
// apex) and www.<domain>, each when it has an address. HTTPS is dialled
// with the addresses the audit's resolver gives, never a proxy, with
// certificate verification always on.

const (
	// webRequestTimeout bounds one connection, handshake or request (the
	// audit's deadline bounds them all).
	webRequestTimeout = 10 * time.Second
	// webDialTimeout bounds the connection to one address, so that a dead
	// address leaves time for the next.
	webDialTimeout = 5 * time.Second
	// webMaxBody is the most of a page read for the header grade (the
	// grade reads the HTML for meta tags and script integrity).
	webMaxBody = 2 << 20
	// webMaxHeaderBytes bounds a response's header block.
	webMaxHeaderBytes = 64 << 10
	// webMaxRedirects is the most redirects followed to the page whose
	// headers are graded.
	webMaxRedirects = 5
	// webCertWarn is how close to its expiry a certificate gets a warning.
	webCertWarn = 14 * 24 * time.Hour
	// webDeepPath is the deep link requested over plain HTTP: a path and
	// query that no site serves, under no path ACME's http-01 challenge
	// needs (RFC 8555, Section 8.3: /.well-known/acme-challenge/).
	webDeepPath = "/some/deep/path?q=1"
	// webUserAgent is sent with every request.
	webUserAgent = "posturekit-audit"
)

// The IDs of the web checks, in the order they are built.
const (
	webIDHost        = "web.host"
	webIDTLS         = "web.tls"
	webIDCertificate = "web.certificate"
	webIDHSTS        = "web.hsts"
	webIDRedirect    = "web.http_redirect"
	webIDHeaders     = "web.headers"
	webIDSecurityTXT = "web.security_txt"
)

// webPerHostIDs are the checks made for every web host; webPrimaryIDs those
// made for the primary host only (see webHosts).
var (
	webPerHostIDs = []string{webIDTLS, webIDCertificate, webIDHSTS, webIDRedirect}
	webPrimaryIDs = []string{webIDHeaders, webIDSecurityTXT}
)

// The RFC sections the web checks apply.
const (
	webRFCTLS      = "RFC 8996, Sections 4 and 5; RFC 9325, Section 3.1.1"
	webRFCCert     = "RFC 9525, Section 6; RFC 5280, Section 4.1.2.5"
	webRFCHSTS     = "RFC 6797, Section 6.1"
	webRFCRedirect = "RFC 6797, Section 7.2"
	webRFCSecTXT   = "RFC 9116, Section 3"
)

func init() { addGroup("web", runWeb) }

// runWeb finds the web hosts of the domain and checks them concurrently.
func runWeb(ctx context.Context, a *auditor) {
	hosts, hostCheck := webHosts(ctx, a)
	a.add(hostCheck)
	if len(hosts) == 0 {
		if hostCheck.Status == Error {
			// The addresses could not be looked up: every check is
			// unknown, none is missing.
			for _, id := range slices.Concat(webPerHostIDs, webPrimaryIDs) {
				c := hostCheck
				c.ID = id
				a.add(c)
			}
		}
		return
	}
	w := &webAudit{a: a, client: newWebClient(a)}
	results := make([]map[string]Check, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() { results[i] = w.host(ctx, h, i == 0) })
	}
	wg.Wait()
	for _, id := range slices.Concat(webPerHostIDs, webPrimaryIDs) {
		var cs []Check
		var from []string
		for i, r := range results {
			if c, ok := r[id]; ok {
				cs, from = append(cs, c), append(from, hosts[i])
			}
		}
		if len(cs) > 0 {
			a.add(webMerge(cs, from))
		}
	}
}

// webHosts returns the hosts to check, the primary one first, and the
// web.host check that says which they are and why.
//
// The apex is the site's name and is checked whenever it has an address;
// www.<domain> is checked beside it when it has one too. A domain whose
// apex has no address but whose www has is checked at www alone, and the
// check says so. web.host is info, or error when a name's addresses could
// not be looked up (the other name is still checked if it has some).
func webHosts(ctx context.Context, a *auditor) ([]string, Check) {
	names := []string{a.domain, "www." + a.domain}
	addrs := make([][]netip.Addr, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() { addrs[i], errs[i] = a.dns.LookupNetIP(ctx, "ip", n) })
	}
	wg.Wait()

	c := Check{ID: webIDHost, Area: AreaWeb, Status: Info, Evidence: []string{}}
	var hosts []string
	var failed []string
	for i, n := range names {
		switch {
		case errs[i] == nil && len(addrs[i]) > 0:
			hosts = append(hosts, n)
			for _, ip := range addrs[i] {
				typ := "A"
				if !ip.Unmap().Is4() {
					typ = "AAAA"
				}
				c.Evidence = append(c.Evidence, fmt.Sprintf("%s. %s %s", n, typ, ip.Unmap()))
			}
		case errs[i] != nil && !notFound(errs[i]):
			failed = append(failed, n)
		}
	}
	switch {
	case len(hosts) == 0 && len(failed) > 0:
		return nil, couldNotRun(webIDHost, AreaWeb, "the addresses of "+strings.Join(failed, " and "), errs[slices.Index(names, failed[0])])
	case len(hosts) == 0:
		c.Message = fmt.Sprintf("no web site: neither %s nor www.%s has an A or AAAA record", a.domain, a.domain)
	case hosts[0] != a.domain && len(failed) == 0:
		c.Message = fmt.Sprintf("%s has no A or AAAA record, so the site is checked at %s", a.domain, hosts[0])
	case hosts[0] != a.domain:
		c.Status = Error
		c.Message = fmt.Sprintf("the addresses of %s could not be looked up, so the site is checked at %s", a.domain, hosts[0])
	case len(hosts) == 2:
		c.Message = fmt.Sprintf("the site is checked at %s and %s", hosts[0], hosts[1])
	case len(failed) > 0:
		c.Status = Error
		c.Message = fmt.Sprintf("the site is checked at %s; the addresses of %s could not be looked up", hosts[0], failed[0])
	default:
		c.Message = fmt.Sprintf("the site is checked at %s (www.%s has no address)", a.domain, a.domain)
	}
	return hosts, c
}

// webAudit holds what the checks of one audit's hosts share.
type webAudit struct {
	a      *auditor
	client *http.Client
}

// newWebClient returns the HTTP client of the web checks: it dials through
// webDial, verifies certificates against the audit's roots, and follows no
// redirect (the checks inspect them).
func newWebClient(a *auditor) *http.Client {
	tr := &http.Transport{
		Proxy:       nil, // the site itself, never a proxy
		DialContext: a.webDial,
		TLSClientConfig: &tls.Config{
			RootCAs:    a.opts.RootCAs,
			MinVersion: tls.VersionTLS12,
			Time:       a.now,
		},
		TLSHandshakeTimeout:    webRequestTimeout,
		ResponseHeaderTimeout:  webRequestTimeout,
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
		MaxResponseHeaderBytes: webMaxHeaderBytes,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       webRequestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// webDialError is a connection that could not be made.
type webDialError struct {
	host string
	port int
	// refused is set when every address refused the connection: nothing
	// listens there.
	refused bool
	err     error
}

func (e *webDialError) Error() string {
	if e.refused {
		return fmt.Sprintf("nothing listens on port %d of %s: %v", e.port, e.host, e.err)
	}
	return fmt.Sprintf("connecting to %s port %d: %v", e.host, e.port, e.err)
}

func (e *webDialError) Unwrap() error { return e.err }

// webDial connects to addr ("host:port") for the web checks: it resolves
// the host with the audit's resolver, refuses non-public addresses unless
// Options.AllowPrivate, and tries the addresses in turn. Ports 443 and 80
// become Options.HTTPSPort and Options.HTTPPort when those are set.
// Resolving here, rather than letting net.Dial do it, is what makes the
// address check hold.
func (a *auditor) webDial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("audit: bad address %q: %v", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port <= 0 || port > 65535 {
		return nil, fmt.Errorf("audit: bad port in %q", addr)
	}
	switch {
	case port == 443 && a.opts.HTTPSPort != 0:
		port = a.opts.HTTPSPort
	case port == 80 && a.opts.HTTPPort != 0:
		port = a.opts.HTTPPort
	}
	ips, err := a.dns.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, &webDialError{host: host, port: port, err: fmt.Errorf("resolving %s: %w", host, err)}
	}
	var allowed []netip.Addr
	for _, ip := range ips {
		if a.opts.AllowPrivate || mtasts.PublicAddr(ip) {
			allowed = append(allowed, ip.Unmap())
		}
	}
	if len(allowed) == 0 {
		return nil, &webDialError{host: host, port: port, err: fmt.Errorf("%s resolves only to non-public addresses (%v); not connecting", host, ips)}
	}
	d := net.Dialer{Timeout: webDialTimeout}
	var errs []error
	refused := true
	for _, ip := range allowed {
		c, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(ip, uint16(port)).String())
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		refused = refused && errors.Is(err, syscall.ECONNREFUSED)
		if ctx.Err() != nil {
			refused = false
			break
		}
	}
	return nil, &webDialError{host: host, port: port, refused: refused, err: errors.Join(errs...)}
}

// webReason turns the error of a connection or request into the reason a
// check could not run. A per-request timeout says so; when the audit's own
// deadline ended it, the context's error is kept, which couldNotRun
// reports as the audit's time running out.
func webReason(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if webIsTimeout(err) {
		return fmt.Errorf("no answer within %v: %w", webRequestTimeout, webPlain(err))
	}
	var ce *tls.CertificateVerificationError
	if errors.As(err, &ce) {
		return fmt.Errorf("the certificate is not valid (see %s): %v", webIDCertificate, ce.Err)
	}
	return err
}

// webPlain hides a deadline error from errors.Is, so that couldNotRun does
// not take a request's timeout for the audit's.
func webPlain(err error) error { return errors.New(err.Error()) }

// webIsTimeout reports whether err is a timeout.
func webIsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// webRefused reports whether err is a connection every address refused.
func webRefused(err error) bool {
	var de *webDialError
	return errors.As(err, &de) && de.refused
}

// host runs the checks of one host concurrently and returns them by ID.
// The primary host also gets the checks made once per site.
func (w *webAudit) host(ctx context.Context, host string, primary bool) map[string]Check {
	var (
		wg                   sync.WaitGroup
		modern, tls10, tls11 webHandshake
		home                 *webPage
		homeErr              error
		plainHome, deep      webPlainAnswer
		sec                  Check
	)
	wg.Go(func() { modern = w.handshake(ctx, host, tls.VersionTLS12, tls.VersionTLS13) })
	wg.Go(func() { tls10 = w.handshake(ctx, host, tls.VersionTLS10, tls.VersionTLS10) })
	wg.Go(func() { tls11 = w.handshake(ctx, host, tls.VersionTLS11, tls.VersionTLS11) })
	wg.Go(func() { home, homeErr = w.get(ctx, "https://"+host+"/") })
	wg.Go(func() { plainHome = w.plain(ctx, host, "/") })
	wg.Go(func() { deep = w.plain(ctx, host, webDeepPath) })
	if primary {
		wg.Go(func() { sec = w.securityTXT(ctx, host) })
	}
	wg.Wait()

	out := map[string]Check{
		webIDTLS:         w.tlsCheck(ctx, host, modern, tls10, tls11),
		webIDCertificate: w.certCheck(ctx, host, modern),
		webIDHSTS:        w.hstsCheck(ctx, host, home, homeErr),
		webIDRedirect:    w.redirectCheck(ctx, host, plainHome, deep),
	}
	if primary {
		out[webIDHeaders] = w.headersCheck(ctx, host, home, homeErr, plainHome)
		out[webIDSecurityTXT] = sec
	}
	return out
}

// webMerge makes one check of the same check made for several hosts: the
// worst status, every host's message and fix, and the evidence of each
// host after a line naming it. A single check is returned as it is.
func webMerge(cs []Check, hosts []string) Check {
	if len(cs) == 1 {
		return cs[0]
	}
	rank := map[Status]int{Pass: 0, Info: 1, Error: 2, Warn: 3, Fail: 4}
	m := Check{ID: cs[0].ID, Area: cs[0].Area, Status: Pass, Evidence: []string{}}
	var msgs, fixes []string
	for i, c := range cs {
		if rank[c.Status] > rank[m.Status] {
			m.Status = c.Status
		}
		msgs = append(msgs, c.Message)
		if c.Fix != "" && !slices.Contains(fixes, c.Fix) {
			fixes = append(fixes, c.Fix)
		}
		if m.RFC == "" {
			m.RFC = c.RFC
		}
		if len(c.Evidence) > 0 {
			m.Evidence = append(m.Evidence, hosts[i]+":")
			m.Evidence = append(m.Evidence, c.Evidence...)
		}
	}
	m.Message = strings.Join(msgs, "; ")
	m.Fix = strings.Join(fixes, "\n\n")
	return m
}

// webHandshake is the outcome of one TLS handshake.
type webHandshake struct {
	min, max uint16
	// state is set when the server answered the ClientHello: always after
	// a completed handshake, and after one stopped by certificate
	// verification (cert then holds the unverified chain's error).
	state *tls.ConnectionState
	// certErr is the verification error of a handshake stopped there.
	certErr *tls.CertificateVerificationError
	// err is any other error; dial says it came from the connection, not
	// the handshake.
	err  error
	dial bool
}

// webProbeSuites are the cipher suites offered: every suite Go implements
// for the versions probed, the insecure ones included, since TLS 1.0 and
// 1.1 need CBC suites that a modern client no longer offers. A probe sends
// no data, so what it offers cannot hurt.
func webProbeSuites(version uint16) []uint16 {
	var ids []uint16
	for _, s := range slices.Concat(tls.CipherSuites(), tls.InsecureCipherSuites()) {
		if slices.Contains(s.SupportedVersions, version) {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

// handshake connects to host's HTTPS port and runs a TLS handshake limited
// to the versions min to max, verifying the certificate for host.
func (w *webAudit) handshake(ctx context.Context, host string, min, max uint16) webHandshake {
	h := webHandshake{min: min, max: max}
	ctx, cancel := context.WithTimeout(ctx, webRequestTimeout)
	defer cancel()
	conn, err := w.a.webDial(ctx, "tcp", net.JoinHostPort(host, "443"))
	if err != nil {
		h.err, h.dial = err, true
		return h
	}
	cfg := &tls.Config{
		ServerName: host,
		RootCAs:    w.a.opts.RootCAs,
		MinVersion: min,
		MaxVersion: max,
		Time:       w.a.now,
		NextProtos: []string{"h2", "http/1.1"},
	}
	if min < tls.VersionTLS12 {
		cfg.CipherSuites = webProbeSuites(min)
	}
	tc := tls.Client(conn, cfg)
	defer tc.Close()
	err = tc.HandshakeContext(ctx)
	var ce *tls.CertificateVerificationError
	switch {
	case err == nil:
		st := tc.ConnectionState()
		h.state = &st
	case errors.As(err, &ce):
		// The server accepted the version and sent its certificate.
		h.certErr = ce
	default:
		h.err = err
	}
	return h
}

// webRemoteAlert reports whether err is a TLS alert the server sent, such
// as protocol_version: a definite refusal.
func webRemoteAlert(err error) bool {
	var oe *net.OpError
	return errors.As(err, &oe) && oe.Op == "remote error"
}

// webTLSFix is the server configuration that allows TLS 1.2 and 1.3 only.
const webTLSFix = `# nginx, in the http or server block:
ssl_protocols TLSv1.2 TLSv1.3;
# Apache (mod_ssl):
SSLProtocol -all +TLSv1.2 +TLSv1.3`

// tlsCheck is web.tls: the host serves HTTPS with TLS 1.2 or newer and
// refuses TLS 1.0 and 1.1 (RFC 8996 deprecates both; RFC 9325, Section
// 3.1.1: implementations MUST NOT negotiate them).
//
// Whether a version is refused is learnt from a handshake that offers
// only it: a server that answers with its certificate has accepted it
// (verification failing afterwards does not change that); one that sends
// an alert or closes the connection has refused it. A probe that times out
// proves neither, so the check reports an error rather than a refusal.
//
// A host that has addresses but refuses connections on port 443 fails:
// the refusal is an answer, and it says the site offers no HTTPS at all. A
// timeout, by contrast, may be a filter near the auditor, so it is an
// error.
func (w *webAudit) tlsCheck(ctx context.Context, host string, modern, tls10, tls11 webHandshake) Check {
	c := Check{ID: webIDTLS, Area: AreaWeb, Status: Pass, Evidence: []string{}, RFC: webRFCTLS}
	label := func(h webHandshake) string {
		if h.min == h.max {
			return tls.VersionName(h.min)
		}
		return tls.VersionName(h.min) + " to " + tls.VersionName(h.max)
	}
	switch {
	case modern.dial && webRefused(modern.err):
		c.Status, c.Fix = Fail, webTLSFix
		c.Message = fmt.Sprintf("%s offers no HTTPS: it has addresses, but %v", host, modern.err)
		c.Evidence = append(c.Evidence, fmt.Sprintf("%s: %v", host, modern.err))
		return c
	case modern.dial:
		return webCouldNotRun(ctx, webIDTLS, "HTTPS of "+host, modern.err)
	case modern.state != nil:
		c.Evidence = append(c.Evidence, fmt.Sprintf("%s: %s with %s", label(modern), tls.VersionName(modern.state.Version), tls.CipherSuiteName(modern.state.CipherSuite)))
	case modern.certErr != nil:
		c.Evidence = append(c.Evidence, fmt.Sprintf("%s: accepted (the handshake stopped at the certificate, see %s)", label(modern), webIDCertificate))
	case webRemoteAlert(modern.err):
		c.Status, c.Fix = Fail, webTLSFix
		c.Evidence = append(c.Evidence, fmt.Sprintf("%s: refused: %v", label(modern), modern.err))
	default:
		return webCouldNotRun(ctx, webIDTLS, "HTTPS of "+host, modern.err)
	}

	var accepted, unknown []string
	for _, h := range []webHandshake{tls10, tls11} {
		switch {
		case h.state != nil:
			accepted = append(accepted, tls.VersionName(h.min))
			c.Evidence = append(c.Evidence, fmt.Sprintf("%s only: accepted, with %s", label(h), tls.CipherSuiteName(h.state.CipherSuite)))
		case h.certErr != nil:
			accepted = append(accepted, tls.VersionName(h.min))
			c.Evidence = append(c.Evidence, fmt.Sprintf("%s only: accepted (the server sent its certificate)", label(h)))
		case h.dial || webIsTimeout(h.err) || ctx.Err() != nil:
			unknown = append(unknown, tls.VersionName(h.min))
			c.Evidence = append(c.Evidence, fmt.Sprintf("%s only: no answer: %v", label(h), webReason(ctx, h.err)))
		default:
			c.Evidence = append(c.Evidence, fmt.Sprintf("%s only: refused: %v", label(h), h.err))
		}
	}
	switch {
	case c.Status == Fail:
		c.Message = fmt.Sprintf("%s refuses TLS 1.2 and 1.3: browsers cannot connect", host)
		if len(accepted) > 0 {
			c.Message += "; it accepts " + strings.Join(accepted, " and ")
		}
	case len(accepted) > 0:
		c.Status, c.Fix = Fail, webTLSFix
		c.Message = fmt.Sprintf("%s accepts %s, which are deprecated (RFC 8996): allow TLS 1.2 and 1.3 only", host, strings.Join(accepted, " and "))
	case len(unknown) > 0:
		cc := webCouldNotRun(ctx, webIDTLS, fmt.Sprintf("whether %s refuses %s", host, strings.Join(unknown, " and ")), errors.New("the probe got no answer"))
		cc.Evidence = c.Evidence
		cc.RFC = c.RFC
		return cc
	default:
		c.Message = fmt.Sprintf("%s serves HTTPS with TLS 1.2 or newer and refuses TLS 1.0 and 1.1", host)
	}
	return c
}

// webCouldNotRun is couldNotRun for the web area, with the error made
// readable by webReason.
func webCouldNotRun(ctx context.Context, id, what string, err error) Check {
	return couldNotRun(id, AreaWeb, what, webReason(ctx, err))
}

// certCheck is web.certificate: the certificate is valid for the host and
// not expired (RFC 5280, Section 6 path validation; RFC 9525, Section 6
// name matching), with a warning when it expires within 14 days.
func (w *webAudit) certCheck(ctx context.Context, host string, h webHandshake) Check {
	c := Check{ID: webIDCertificate, Area: AreaWeb, Evidence: []string{}, RFC: webRFCCert}
	fix := fmt.Sprintf("serve a certificate for %s (and each name it is reached by) from a publicly trusted CA, with its intermediate certificates, and renew it automatically (ACME, RFC 8555)", host)
	switch {
	case h.certErr != nil:
		c.Status, c.Fix = Fail, fix
		var leaf *x509.Certificate
		if len(h.certErr.UnverifiedCertificates) > 0 {
			leaf = h.certErr.UnverifiedCertificates[0]
			c.Evidence = webCertEvidence(leaf)
		}
		c.Message = fmt.Sprintf("the certificate of %s is not valid: %s", host, webCertProblem(h.certErr.Err, leaf, w.a.now()))
		return c
	case h.state == nil:
		if h.err != nil && webRemoteAlert(h.err) {
			h.err = fmt.Errorf("the server refuses TLS 1.2 and 1.3 (see %s): %v", webIDTLS, h.err)
		}
		return webCouldNotRun(ctx, webIDCertificate, "the certificate of "+host, h.err)
	}
	leaf := h.state.PeerCertificates[0]
	c.Evidence = webCertEvidence(leaf)
	left := leaf.NotAfter.Sub(w.a.now())
	days := int(left.Hours() / 24)
	if left < webCertWarn {
		c.Status, c.Fix = Warn, fix
		c.Message = fmt.Sprintf("the certificate of %s expires in %d days, on %s: renew it now", host, days, leaf.NotAfter.UTC().Format(time.DateOnly))
		return c
	}
	c.Status = Pass
	c.Message = fmt.Sprintf("the certificate of %s is valid for the name and for %d more days", host, days)
	return c
}

// webCertEvidence describes a certificate in a few lines.
func webCertEvidence(cert *x509.Certificate) []string {
	ev := []string{"subject: " + cert.Subject.String()}
	var sans []string
	sans = append(sans, cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		sans = append(sans, ip.String())
	}
	ev = append(ev,
		"subject alternative names: "+strings.Join(sans, ", "),
		"issuer: "+cert.Issuer.String(),
		"not before: "+cert.NotBefore.UTC().Format(time.RFC3339),
		"not after: "+cert.NotAfter.UTC().Format(time.RFC3339))
	return ev
}

// webCertProblem says in words why verification of leaf failed.
func webCertProblem(err error, leaf *x509.Certificate, now time.Time) string {
	var he x509.HostnameError
	var ie x509.CertificateInvalidError
	var ue x509.UnknownAuthorityError
	switch {
	case errors.As(err, &he):
		return "it is not valid for the name: " + he.Error()
	case errors.As(err, &ie) && ie.Reason == x509.Expired && ie.Cert != nil:
		what := "it"
		if leaf == nil || !ie.Cert.Equal(leaf) {
			what = "the certificate of its issuer, " + ie.Cert.Subject.String() + ","
		}
		if now.After(ie.Cert.NotAfter) {
			return what + " expired on " + ie.Cert.NotAfter.UTC().Format(time.DateOnly)
		}
		return what + " is not valid before " + ie.Cert.NotBefore.UTC().Format(time.DateOnly)
	case errors.As(err, &ue):
		return "it is not issued by a trusted authority: " + ue.Error()
	}
	return err.Error()
}

// webPage is a response read for the checks.
type webPage struct {
	url      string
	status   string
	code     int
	header   http.Header
	body     []byte
	location string // of a redirect, resolved against url
}

// get requests url without following redirects and reads up to
// webMaxBody of the body.
func (w *webAudit) get(ctx context.Context, rawURL string) (*webPage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", webUserAgent)
	resp, err := w.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, webMaxBody))
	if err != nil {
		return nil, err
	}
	p := &webPage{url: rawURL, status: resp.Status, code: resp.StatusCode, header: resp.Header, body: body}
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if u, err := req.URL.Parse(loc); err == nil {
			p.location = u.String()
		} else {
			p.location = loc
		}
	}
	return p, nil
}

// webHSTSFix returns the header line of the strict preset, with preload
// when the site asked for it.
func webHSTSFix(preload bool) string {
	value := headers.NewHSTS(preload).String()
	if site, err := headers.Preset("strict"); err == nil {
		if v, ok := site.Headers.Get(headers.HeaderHSTS); ok {
			if h, err := headers.ParseHSTS(v); err == nil {
				h.Preload = h.Preload || preload
				value = h.String()
			}
		}
	}
	return headers.HeaderHSTS + ": " + value
}

// hstsCheck is web.hsts: the HTTPS answer of the home page carries
// Strict-Transport-Security (RFC 6797) with a max-age of a year or more
// and includeSubDomains. The first answer is read, even a redirect: the
// HSTS preload list wants the header there too, and a browser sees it.
//
// Statuses: no header, an unreadable one, or max-age under six months
// (HSTSObservatoryMinAge, where the MDN Observatory starts taking points
// off) fail; a max-age from six months to a year, no includeSubDomains, or
// preload asked for without meeting the list's rules warn.
func (w *webAudit) hstsCheck(ctx context.Context, host string, home *webPage, err error) Check {
	if err != nil {
		return webCouldNotRun(ctx, webIDHSTS, "HSTS of "+host, err)
	}
	c := Check{ID: webIDHSTS, Area: AreaWeb, Evidence: []string{}, RFC: webRFCHSTS}
	values := home.header.Values(headers.HeaderHSTS)
	for _, v := range values {
		c.Evidence = append(c.Evidence, headers.HeaderHSTS+": "+v)
	}
	if len(values) == 0 {
		c.Status, c.Fix = Fail, webHSTSFix(false)
		c.Message = fmt.Sprintf("https://%s/ sends no Strict-Transport-Security header: browsers may be sent to plain HTTP", host)
		return c
	}
	// RFC 6797, Section 8.1: a browser processes only the first field.
	h, err := headers.ParseHSTS(values[0])
	if err != nil {
		c.Status, c.Fix = Fail, webHSTSFix(false)
		c.Message = fmt.Sprintf("browsers ignore the Strict-Transport-Security header of %s: %v", host, err)
		return c
	}
	var problems []string
	c.Status = Pass
	worse := func(s Status) {
		if s == Fail || c.Status == Pass {
			c.Status = s
		}
	}
	switch {
	case h.MaxAge < headers.HSTSObservatoryMinAge:
		worse(Fail)
		problems = append(problems, fmt.Sprintf("max-age is %d seconds, under six months (want at least %d, a year)", h.MaxAge, headers.HSTSPreloadMinAge))
	case h.MaxAge < headers.HSTSPreloadMinAge:
		worse(Warn)
		problems = append(problems, fmt.Sprintf("max-age is %d seconds, under a year (%d)", h.MaxAge, headers.HSTSPreloadMinAge))
	}
	if !h.IncludeSubDomains {
		worse(Warn)
		problems = append(problems, "includeSubDomains is missing, so subdomains are not covered")
	}
	if h.Preload && !h.PreloadEligible() {
		worse(Warn)
		problems = append(problems, "preload is asked for, but the header does not meet the preload list's rules: "+strings.Join(h.PreloadProblems(), "; "))
	}
	if len(values) > 1 {
		problems = append(problems, fmt.Sprintf("%d Strict-Transport-Security fields are sent; browsers use the first only", len(values)))
		worse(Warn)
	}
	if c.Status != Pass {
		c.Fix = webHSTSFix(h.Preload)
		c.Message = fmt.Sprintf("the HSTS header of %s is weak: %s", host, strings.Join(problems, "; "))
		return c
	}
	c.Message = fmt.Sprintf("%s sends HSTS for %d days with includeSubDomains", host, h.MaxAge/86400)
	if h.PreloadEligible() {
		c.Message += "; the header meets the HSTS preload list's rules"
	} else {
		c.Message += "; add preload to be eligible for the HSTS preload list"
	}
	return c
}

// webPlainAnswer is the answer to a plain-HTTP request on port 80.
type webPlainAnswer struct {
	url  string
	page *webPage
	err  error
}

// plain requests http://host/path without following redirects.
func (w *webAudit) plain(ctx context.Context, host, path string) webPlainAnswer {
	u := "http://" + host + path
	p, err := w.get(ctx, u)
	return webPlainAnswer{url: u, page: p, err: err}
}

// evidence describes the answer in one line.
func (r webPlainAnswer) evidence() string {
	switch {
	case r.err != nil:
		return fmt.Sprintf("GET %s: %v", r.url, r.err)
	case r.page.location != "":
		return fmt.Sprintf("GET %s: %s, Location: %s", r.url, r.page.status, r.page.header.Get("Location"))
	}
	return fmt.Sprintf("GET %s: %s", r.url, r.page.status)
}

// webSameHTTPS reports whether u is https:// on host (on any port: tests
// run the servers on others).
func webSameHTTPS(u, host string) bool {
	p, err := url.Parse(u)
	return err == nil && p.Scheme == "https" && strings.EqualFold(p.Hostname(), host)
}

// webRedirectFix is the port-80 configuration that redirects the home page
// of host to HTTPS and answers everything else with 404.
func webRedirectFix(host string) string {
	return fmt.Sprintf(`# nginx: plain HTTP redirects the home page only; deep links fail
server {
    listen 80;
    listen [::]:80;
    server_name %[1]s;
    location = / { return 301 https://%[1]s/; }
    location / { return 404; }
    # an ACME http-01 client needs its location /.well-known/acme-challenge/ here
}
# Apache, in the <VirtualHost *:80> of %[1]s (an ACME http-01 client
# needs /.well-known/acme-challenge/ excepted from the second line):
RedirectMatch 301 ^/$ https://%[1]s/
RedirectMatch 404 ^/.+`, host)
}

// redirectCheck is web.http_redirect: on port 80 the home page redirects to
// https:// on the same host, permanently (301 or 308), and a deep link
// does not redirect but fails.
//
// The home page redirect is what RFC 6797, Section 7.2 asks of an HSTS host
// and what the HSTS preload list requires ("redirect from HTTP to HTTPS on
// the same host, if you are listening on port 80"); it serves people who
// type the bare name. For deep links the audit follows issue 7 ("deep
// links over plain HTTP should fail, not redirect") rather than the wider
// redirect RFC 6797, Section 7.2 suggests: by the time a deep link reaches
// port 80 its path and query, which may hold tokens or personal data, have
// crossed the network in the clear, and an attacker on the path could have
// answered instead of the server; a redirect hides that, so the insecure
// link keeps working and is never fixed, while an error shows it at once.
// Since the RFC still recommends the redirect, a redirecting deep link is a
// warning, not a failure. Content served over plain HTTP, at the home page
// or a deep link, or a redirect to plain HTTP, fails.
//
// Nothing listening on port 80 is reported as info: nothing is served in
// the clear, and the preload list accepts it (its rule applies only to
// hosts that listen on port 80); it costs only visitors whose browser tries
// http:// first an error page. A timeout there is an error, as everywhere.
func (w *webAudit) redirectCheck(ctx context.Context, host string, home, deep webPlainAnswer) Check {
	c := Check{ID: webIDRedirect, Area: AreaWeb, Evidence: []string{}, RFC: webRFCRedirect}
	if webRefused(home.err) && webRefused(deep.err) {
		c.Status = Info
		c.Evidence = append(c.Evidence, home.evidence())
		c.Message = fmt.Sprintf("nothing listens on port 80 of %s: nothing is served over plain HTTP; browsers that try http:// first show an error", host)
		return c
	}
	for _, r := range []webPlainAnswer{home, deep} {
		if r.err != nil {
			return webCouldNotRun(ctx, webIDRedirect, "plain HTTP on "+host, r.err)
		}
	}
	c.Evidence = append(c.Evidence, home.evidence(), deep.evidence())
	c.Status = Pass
	var problems []string
	raise := func(s Status, msg string) {
		if s == Fail || c.Status == Pass {
			c.Status = s
		}
		problems = append(problems, msg)
	}

	hp := home.page
	switch {
	case hp.location == "":
		if hp.code >= 200 && hp.code < 300 {
			raise(Fail, fmt.Sprintf("http://%s/ serves the page over plain HTTP (%s) instead of redirecting to https://%s/", host, hp.status, host))
		} else {
			raise(Warn, fmt.Sprintf("http://%s/ answers %s instead of redirecting to https://%s/", host, hp.status, host))
		}
	case strings.HasPrefix(hp.location, "http://"):
		raise(Fail, fmt.Sprintf("http://%s/ redirects to plain HTTP, %s", host, hp.location))
	case !webSameHTTPS(hp.location, host):
		raise(Warn, fmt.Sprintf("http://%s/ redirects to %s: redirect to https://%s/ first, so that its HSTS header is seen (the HSTS preload list requires it)", host, hp.location, host))
	case hp.code != http.StatusMovedPermanently && hp.code != http.StatusPermanentRedirect:
		raise(Warn, fmt.Sprintf("http://%s/ redirects with %s: use 301 or 308, which browsers and caches remember", host, hp.status))
	}

	dp := deep.page
	switch {
	case dp.location == "" && dp.code >= 200 && dp.code < 300:
		raise(Fail, fmt.Sprintf("the deep link %s is served over plain HTTP (%s)", deep.url, dp.status))
	case dp.location == "":
		// An error: what a deep link over plain HTTP should get.
	case strings.HasPrefix(dp.location, "http://"):
		raise(Fail, fmt.Sprintf("the deep link %s redirects to plain HTTP, %s", deep.url, dp.location))
	default:
		raise(Warn, fmt.Sprintf("the deep link %s redirects (%s) instead of failing: links that use plain HTTP keep working, and their paths and queries cross the network in the clear", deep.url, dp.status))
	}
	if c.Status != Pass {
		c.Fix = webRedirectFix(host)
		c.Message = strings.Join(problems, "; ")
		return c
	}
	c.Message = fmt.Sprintf("http://%s/ redirects to https://%s/ (%s) and deep links over plain HTTP fail (%s)", host, host, hp.status, dp.status)
	return c
}

// webSameSite reports whether host is the audited domain or one of its
// subdomains: the headers check follows redirects only there.
func (a *auditor) webSameSite(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == a.domain || strings.HasSuffix(host, "."+a.domain)
}

// webGradedTests maps the Observatory's tests to the header each grades.
var webGradedTests = map[string]string{
	headers.TestCSP:      headers.HeaderCSP,
	headers.TestHSTS:     headers.HeaderHSTS,
	headers.TestXCTO:     headers.HeaderXCTO,
	headers.TestXFO:      headers.HeaderXFO,
	headers.TestReferrer: headers.HeaderReferrerPolicy,
	headers.TestCORP:     headers.HeaderCORP,
	headers.TestCOOP:     headers.HeaderCOOP,
}

// headersCheck is web.headers: the security headers of the home page,
// graded with headers.Grade (the MDN HTTP Observatory's algorithm, the
// package's default profile). Redirects are followed, at most
// webMaxRedirects, over https and within the audited domain, so the page
// graded is the one visitors see (example.com to www.example.com, say).
//
// Statuses by grade: A+, A and A- pass; B+ to C- warn; D+ and below fail.
// The fix is the strict preset's value of each header the page lacks or
// whose test failed (Cache-Control left out: it is no security header),
// as header lines; the strict preset's CSP suits a static site and is a
// starting point for others.
func (w *webAudit) headersCheck(ctx context.Context, host string, home *webPage, err error, plainHome webPlainAnswer) Check {
	if err != nil {
		return webCouldNotRun(ctx, webIDHeaders, "the headers of https://"+host+"/", err)
	}
	c := Check{ID: webIDHeaders, Area: AreaWeb, Evidence: []string{}}
	page := home
	var chain []string
	for range webMaxRedirects {
		if page.location == "" {
			break
		}
		u, perr := url.Parse(page.location)
		if perr != nil || u.Scheme != "https" || !w.a.webSameSite(u.Hostname()) {
			break
		}
		chain = append(chain, fmt.Sprintf("GET %s: %s, Location: %s", page.url, page.status, page.location))
		next, gerr := w.get(ctx, page.location)
		if gerr != nil {
			return webCouldNotRun(ctx, webIDHeaders, "the headers of "+page.location, gerr)
		}
		page = next
	}
	set := &headers.Set{}
	for _, name := range slices.Sorted(maps.Keys(page.header)) {
		for _, v := range page.header[name] {
			set.Add(name, v)
		}
	}
	in := headers.GradeInput{Headers: set, Host: w.a.domain}
	if u, perr := url.Parse(page.url); perr == nil {
		in.Host = u.Hostname()
	}
	if mt, _, perr := mime.ParseMediaType(page.header.Get("Content-Type")); perr == nil && mt == "text/html" {
		in.HTML = string(page.body)
	}
	// The Observatory's redirection test: http:// serving the page itself.
	if plainHome.err == nil && plainHome.page.location == "" && plainHome.page.code >= 200 && plainHome.page.code < 300 {
		in.NoRedirect = true
	}
	rep := headers.Grade(in, "")
	c.Evidence = append(c.Evidence, fmt.Sprintf("grade %s, score %d (%s)", rep.Grade, rep.Score, rep.Profile))
	c.Evidence = append(c.Evidence, chain...)
	c.Evidence = append(c.Evidence, fmt.Sprintf("GET %s: %s", page.url, page.status))
	for _, f := range set.Fields {
		c.Evidence = append(c.Evidence, f.Name+": "+f.Value)
	}
	switch {
	case strings.HasPrefix(rep.Grade, "A"):
		c.Status = Pass
	case strings.HasPrefix(rep.Grade, "B"), strings.HasPrefix(rep.Grade, "C"):
		c.Status = Warn
	default:
		c.Status = Fail
	}
	var failed []string
	for _, t := range rep.Tests {
		if !t.Pass {
			failed = append(failed, t.Name)
		}
	}
	c.Message = fmt.Sprintf("the headers of %s grade %s (score %d, MDN HTTP Observatory)", page.url, rep.Grade, rep.Score)
	if len(failed) > 0 {
		c.Message += "; failed tests: " + strings.Join(failed, ", ")
	}
	if c.Status != Pass {
		c.Fix = webHeadersFix(set, rep)
	}
	return c
}

// webHeadersFix returns the strict preset's header lines for the headers
// the set lacks or whose Observatory test failed.
func webHeadersFix(set *headers.Set, rep *headers.Report) string {
	site, err := headers.Preset("strict")
	if err != nil {
		return ""
	}
	bad := map[string]bool{}
	for _, t := range rep.Tests {
		if h, ok := webGradedTests[t.Name]; ok && !t.Pass {
			bad[strings.ToLower(h)] = true
		}
	}
	fix := &headers.Set{}
	for _, f := range site.Headers.Fields {
		if strings.EqualFold(f.Name, headers.HeaderCacheControl) {
			continue
		}
		if _, ok := set.Get(f.Name); !ok || bad[strings.ToLower(f.Name)] {
			fix.Add(f.Name, f.Value)
		}
	}
	return strings.TrimSuffix(fix.String(), "\n")
}

// securityTXT is web.security_txt: https://<host>/.well-known/security.txt
// exists, is valid and has not expired (RFC 9116), fetched and checked by
// sectxt.Fetch through the audit's dialer. No file warns (RFC 9116 is a
// recommendation, not a requirement); an invalid or expired one fails,
// since researchers would follow stale or wrong contacts; a file with
// warnings only warns. A fetch that could not be made is an error.
func (w *webAudit) securityTXT(ctx context.Context, host string) Check {
	c := Check{ID: webIDSecurityTXT, Area: AreaWeb, Evidence: []string{}, RFC: webRFCSecTXT}
	rep, err := sectxt.Fetch(ctx, w.client, host)
	if err != nil {
		return webCouldNotRun(ctx, webIDSecurityTXT, "the security.txt of "+host, err)
	}
	wk := rep.WellKnown
	for _, f := range rep.Findings {
		if f.Where != wk.URL {
			continue
		}
		switch f.Code {
		case "sectxt.timeout", "sectxt.fetch_failed", "sectxt.certificate":
			cc := webCouldNotRun(ctx, webIDSecurityTXT, "the security.txt of "+host, errors.New(f.Message))
			cc.RFC = c.RFC
			return cc
		}
	}
	line := fmt.Sprintf("GET %s", wk.URL)
	if wk.StatusCode != 0 {
		line += ": " + strconv.Itoa(wk.StatusCode)
		if wk.ContentType != "" {
			line += ", Content-Type: " + wk.ContentType
		}
	} else if wk.Error != "" {
		line += ": " + wk.Error
	}
	c.Evidence = append(c.Evidence, line)
	if rep.File != nil {
		text := wk.Text
		if text == "" {
			text = rep.Legacy.Text
		}
		for l := range strings.Lines(text) {
			c.Evidence = append(c.Evidence, strings.TrimRight(l, "\r\n"))
		}
	}

	var contacts []string
	if rep.File != nil {
		contacts = rep.File.Contacts
	}
	var errs, warns []string
	for _, f := range rep.Findings {
		switch f.Severity {
		case finding.Error:
			errs = append(errs, f.Message)
		case finding.Warning:
			warns = append(warns, f.Message)
		}
	}
	switch {
	case rep.File == nil && slices.ContainsFunc(rep.Findings, func(f finding.Finding) bool { return f.Code == "sectxt.not_found" }):
		c.Status = Warn
		c.Message = fmt.Sprintf("%s publishes no security.txt: researchers have no way to report a vulnerability", host)
	case !rep.Valid:
		c.Status = Fail
		c.Message = fmt.Sprintf("the security.txt of %s is not valid: %s", host, strings.Join(webFirst(errs, 3), "; "))
		if slices.ContainsFunc(rep.Findings, func(f finding.Finding) bool { return f.Code == "sectxt.expired" }) {
			c.Message = fmt.Sprintf("the security.txt of %s has expired: %s", host, strings.Join(webFirst(errs, 3), "; "))
		}
	case len(warns) > 0:
		c.Status = Warn
		c.Message = fmt.Sprintf("the security.txt of %s is valid, with warnings: %s", host, strings.Join(webFirst(warns, 3), "; "))
	default:
		c.Status = Pass
		c.Message = fmt.Sprintf("%s publishes a valid security.txt", host)
		return c
	}
	c.Fix = w.securityTXTFix(host, contacts)
	return c
}

// webFirst returns at most n of l.
func webFirst(l []string, n int) []string {
	if len(l) > n {
		return append(l[:n:n], fmt.Sprintf("and %d more", len(l)-n))
	}
	return l
}

// securityTXTFix returns the security.txt of the kit for host, with the
// contacts the site's file has or a placeholder address, as the lines to
// serve at the well-known path.
func (w *webAudit) securityTXTFix(host string, contacts []string) string {
	build := func(contacts []string) string {
		// Only the kit's security.txt is used, which does not depend on
		// the domain's mail: NoMail just satisfies Build.
		kit, err := posture.Build(posture.Domain{Name: host, NoMail: true, Contact: contacts}, w.a.now())
		if err != nil {
			return ""
		}
		for _, f := range kit.Files {
			if strings.HasSuffix(f.URL, sectxt.WellKnownPath) {
				return fmt.Sprintf("# serve at %s as %s\n%s", f.URL, f.ContentType, strings.ReplaceAll(f.Content, "\r\n", "\n"))
			}
		}
		return ""
	}
	if len(contacts) > 0 {
		if fix := build(contacts); fix != "" {
			return strings.TrimSuffix(fix, "\n")
		}
	}
	return strings.TrimSuffix(build([]string{"mailto:security@" + w.a.domain}), "\n")
}
