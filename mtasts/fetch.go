//go:build !js

package mtasts

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
	"net/netip"
	"strings"
	"time"
)

// Errors of fetching a policy (RFC 8461, Section 3.3). Each fetch error
// wraps [ErrFetch] and, where one applies, one of the more specific errors
// below. In every case a sender treats the domain as having no new policy
// (keeping a cached one; see [Cache]).
var (
	// ErrFetch: the policy could not be fetched.
	ErrFetch = errors.New("mtasts: policy fetch failed")
	// ErrRedirect: the server answered with a redirect, which senders must
	// not follow. Serve the policy itself at the well-known address.
	ErrRedirect = errors.New("mtasts: policy server redirects")
	// ErrHTTPStatus: the server answered with a status other than 200.
	ErrHTTPStatus = errors.New("mtasts: policy server status is not 200")
	// ErrMediaType: the response is not text/plain.
	ErrMediaType = errors.New("mtasts: policy media type is not text/plain")
	// ErrTooLarge: the policy is larger than 64 KiB.
	ErrTooLarge = errors.New("mtasts: policy too large")
	// ErrNoAddress: mta-sts.<domain> has no address.
	ErrNoAddress = errors.New("mtasts: policy host has no address")
	// ErrPrivateAddress: mta-sts.<domain> resolves only to loopback,
	// private or otherwise non-public addresses, which the fetcher refuses
	// unless [Fetcher.AllowPrivate] is set (a guard against server-side
	// request forgery when the domain comes from a user).
	ErrPrivateAddress = errors.New("mtasts: policy host address is not public")
	// ErrCertificate: the server's certificate is not valid for
	// mta-sts.<domain>, expired, or not from a trusted authority.
	ErrCertificate = errors.New("mtasts: policy server certificate is invalid")
	// ErrTimeout: the fetch took longer than the timeout.
	ErrTimeout = errors.New("mtasts: policy fetch timed out")
	// ErrLookup: the addresses of mta-sts.<domain> could not be looked
	// up (a DNS failure or timeout, not a name without addresses): the
	// policy's host says nothing about the domain yet.
	ErrLookup = errors.New("mtasts: policy host lookup failed")
)

// Resolver is what mtasts needs of DNS. *net.Resolver satisfies it, and so
// does posturekit's own client, which keeps "no such record" apart from "the
// lookup failed" and can be pointed at a given server.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// DefaultFetchTimeout is the time a fetch may take, as RFC 8461, Section 3.3
// suggests ("a timeout of one minute").
const DefaultFetchTimeout = time.Minute

// Fetcher fetches policies over HTTPS as RFC 8461, Section 3.3 requires:
// the certificate must be valid for mta-sts.<domain>, redirects are refused,
// only status 200 with media type text/plain is accepted, and at most 64 KiB
// is read. Certificate verification cannot be turned off; RootCAs can name
// the authorities to trust instead of the system's.
//
// The zero Fetcher is ready to use.
type Fetcher struct {
	// Resolver resolves mta-sts.<domain>; nil means net.DefaultResolver.
	Resolver Resolver
	// RootCAs are the authorities trusted for the server's certificate; nil
	// means the system's. See [SystemCertPoolWith] to add one.
	RootCAs *x509.CertPool
	// Timeout bounds one fetch, connection included; 0 means
	// [DefaultFetchTimeout].
	Timeout time.Duration
	// AllowPrivate permits loopback, private and other non-public
	// addresses. Leave it false when the domain comes from a user.
	AllowPrivate bool
	// Port is the HTTPS port to dial; 0 means 443. Only tests and unusual
	// deployments change it: senders always use 443.
	Port int
	// UserAgent is sent with the request; "" means "posturekit-mtasts".
	UserAgent string
}

// Fetched is a fetched policy before parsing.
type Fetched struct {
	URL         string     `json:"url"`
	Addr        netip.Addr `json:"addr"` // the address the policy came from
	ContentType string     `json:"content_type"`
	Text        string     `json:"-"`
}

// SystemCertPoolWith returns the system's trusted authorities plus those in
// pemCerts, for a private CA. It fails when pemCerts holds no certificate.
func SystemCertPoolWith(pemCerts []byte) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemCerts) {
		return nil, errors.New("mtasts: no PEM certificate found in the CA file")
	}
	return pool, nil
}

// FetchPolicy fetches and parses the policy of domain.
func (f *Fetcher) FetchPolicy(ctx context.Context, domain string) (*Policy, error) {
	fd, err := f.Fetch(ctx, domain)
	if err != nil {
		return nil, err
	}
	return ParsePolicy(fd.Text)
}

// Fetch fetches the policy text of domain from
// https://mta-sts.<domain>/.well-known/mta-sts.txt without parsing it.
func (f *Fetcher) Fetch(ctx context.Context, domain string) (*Fetched, error) {
	domain = strings.TrimSuffix(domain, ".")
	host := "mta-sts." + domain
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	fd := &Fetched{URL: PolicyURL(domain)}
	port := f.Port
	if port == 0 {
		port = 443
	}
	tr := &http.Transport{
		Proxy:                  nil, // dial the policy host itself, never a proxy
		DialContext:            f.dialer(host, port, &fd.Addr),
		TLSClientConfig:        &tls.Config{RootCAs: f.RootCAs, ServerName: host, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    timeout,
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
		MaxResponseHeaderBytes: 64 << 10,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport: tr,
		// RFC 8461, Section 3.3: "HTTP 3xx redirects MUST NOT be followed".
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fd.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFetch, err)
	}
	ua := f.UserAgent
	if ua == "" {
		ua = "posturekit-mtasts"
	}
	req.Header.Set("User-Agent", ua)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchError(ctx, fd.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, fmt.Errorf("%w: %w: %s answered %s to %s", ErrFetch, ErrRedirect, host, resp.Status, resp.Header.Get("Location"))
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %w: %s answered %s", ErrFetch, ErrHTTPStatus, fd.URL, resp.Status)
	}
	// RFC 8461, Section 3.3: the media type is "text/plain". The RFC says
	// SHOULD, but several large senders reject anything else.
	fd.ContentType = resp.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(fd.ContentType)
	if err != nil || mt != "text/plain" {
		return nil, fmt.Errorf("%w: %w: Content-Type is %q", ErrFetch, ErrMediaType, fd.ContentType)
	}
	// RFC 8461, Section 3.3: a 64 KiB cap on the body.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPolicySize+1))
	if err != nil {
		return nil, fetchError(ctx, fd.URL, err)
	}
	if len(body) > maxPolicySize {
		return nil, fmt.Errorf("%w: %w: more than %d bytes", ErrFetch, ErrTooLarge, maxPolicySize)
	}
	fd.Text = string(body)
	return fd, nil
}

// fetchError classifies a transport error.
func fetchError(ctx context.Context, url string, err error) error {
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var invErr x509.CertificateInvalidError
	var ae *addrError
	switch {
	case errors.As(err, &ae):
		return ae.err
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &authErr), errors.As(err, &invErr):
		return fmt.Errorf("%w: %w: %v", ErrFetch, ErrCertificate, err)
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w: %s", ErrFetch, ErrTimeout, url)
	}
	return fmt.Errorf("%w: %v", ErrFetch, err)
}

// dialer resolves the policy host itself, refuses non-public addresses
// unless allowed, and dials the addresses in turn. Resolving here, rather
// than letting net.Dial do it, is what makes the address check hold.
func (f *Fetcher) dialer(host string, port int, used *netip.Addr) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if h, _, err := net.SplitHostPort(addr); err != nil || !strings.EqualFold(h, host) {
			return nil, fmt.Errorf("mtasts: refusing to dial %s", addr)
		}
		var r Resolver = net.DefaultResolver
		if f.Resolver != nil {
			r = f.Resolver
		}
		ips, err := r.LookupNetIP(ctx, "ip", host)
		if err != nil && !isNotFound(err) {
			return nil, &addrError{fmt.Errorf("%w: %w: resolving %s: %w", ErrFetch, ErrLookup, host, err)}
		}
		if len(ips) == 0 {
			return nil, &addrError{fmt.Errorf("%w: %w: %s has no A or AAAA record", ErrFetch, ErrNoAddress, host)}
		}
		var allowed []netip.Addr
		for _, ip := range ips {
			if f.AllowPrivate || PublicAddr(ip) {
				allowed = append(allowed, ip.Unmap())
			}
		}
		if len(allowed) == 0 {
			return nil, &addrError{fmt.Errorf("%w: %w: %s resolves to %v", ErrFetch, ErrPrivateAddress, host, ips)}
		}
		var d net.Dialer
		var errs []error
		for _, ip := range allowed {
			c, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(ip, uint16(port)).String())
			if err == nil {
				*used = ip
				return c, nil
			}
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
		return nil, errors.Join(errs...)
	}
}

// nonPublic lists the special-purpose ranges (RFC 6890 and its updates)
// that the standard library's predicates do not cover.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (CGNAT), RFC 6598
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64, RFC 8215
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2001::/23"),       // IETF protocol assignments
}

// nat64 is the well-known NAT64 prefix (RFC 6052): its addresses embed an
// IPv4 address, which is what is really reached.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// PublicAddr reports whether a is a globally reachable unicast address: not
// loopback, private, link-local, multicast, unspecified, shared (CGNAT),
// documentation, benchmarking or reserved space, including those ranges
// reached through IPv4-mapped or NAT64 addresses.
func PublicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is6() && nat64.Contains(a) {
		b := a.As16()
		return PublicAddr(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	}
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() || a.IsMulticast() ||
		a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// addrError carries an address refusal through net/http unchanged.
type addrError struct{ err error }

func (e *addrError) Error() string { return e.err.Error() }
func (e *addrError) Unwrap() error { return e.err }
