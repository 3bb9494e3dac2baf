//go:build !js

package audit

import (
	"context"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/posturekit/posturekit/internal/dnsclient"
	"golang.org/x/net/idna"
)

// Status is the outcome of a check.
type Status string

// The statuses of a check. Error means the check itself could not run (a
// timeout, a failing server): it says nothing about the domain.
const (
	Pass  Status = "pass"
	Warn  Status = "warn"
	Fail  Status = "fail"
	Info  Status = "info"
	Error Status = "error"
)

// The areas checks belong to.
const (
	AreaMail = "mail"
	AreaDNS  = "dns"
	AreaWeb  = "web"
)

// Check is the result of one check.
type Check struct {
	// ID is stable, e.g. "mail.dmarc.policy"; it starts with the area.
	ID string `json:"id"`
	// Area is mail, dns or web.
	Area   string `json:"area"`
	Status Status `json:"status"`
	// Message says what was found, in one line.
	Message string `json:"message"`
	// Evidence are the records, headers or answers seen, as they were.
	Evidence []string `json:"evidence"`
	// Fix is what to publish or configure instead, ready to paste; "" when
	// nothing needs to change.
	Fix string `json:"fix"`
	// RFC is the section the rule comes from, e.g. "RFC 7208, Section
	// 4.6.4", when there is one.
	RFC string `json:"rfc,omitempty"`
}

// AreaScore is the score of one area, 0 to 100.
type AreaScore struct {
	Name  string `json:"name"`
	Score int    `json:"score"`
}

// Report is the result of an audit.
type Report struct {
	Domain string      `json:"domain"`
	Score  int         `json:"score"`
	Grade  string      `json:"grade"`
	Areas  []AreaScore `json:"areas"`
	Checks []Check     `json:"checks"`
	// Stats are about the audit itself.
	Stats Stats `json:"stats"`
}

// Stats describe how an audit ran.
type Stats struct {
	// Queries is the number of DNS questions sent; CacheHits the number
	// answered from the audit's cache instead.
	Queries   int64 `json:"queries"`
	CacheHits int64 `json:"cache_hits"`
	// DurationMS is the wall time of the audit in milliseconds.
	DurationMS int64 `json:"duration_ms"`
}

// Options configure an audit. The zero value audits with the system's
// resolver and trust store.
type Options struct {
	// Resolvers are the recursive resolvers to ask, "host:port" (port 53
	// when left out), in order; empty means those of /etc/resolv.conf.
	// The DNSSEC checks read the AD bit of their answers, so they should
	// be validating resolvers the user trusts.
	Resolvers []string
	// QueryTimeout bounds one DNS attempt (0: 2s); Retries is the number
	// of extra attempts after a timeout (0: 1, negative: none).
	QueryTimeout time.Duration
	Retries      int
	// Timeout bounds the whole audit; 0 means DefaultTimeout.
	Timeout time.Duration
	// RootCAs are the authorities trusted for HTTPS; nil means the
	// system's (see mtasts.SystemCertPoolWith to add one).
	RootCAs *x509.CertPool
	// AllowPrivate permits HTTPS connections to loopback and private
	// addresses. Leave it false when the domain comes from a user.
	AllowPrivate bool
	// DKIMSelectors are the selectors whose keys are checked; DKIM cannot
	// be discovered without them.
	DKIMSelectors []string
	// HTTPSPort and HTTPPort are the ports dialled for https:// and
	// http:// (0: 443 and 80). Only tests change them.
	HTTPSPort, HTTPPort int
	// Now is the clock for certificate and record dates; nil means
	// time.Now.
	Now func() time.Time
}

// DefaultTimeout bounds an audit when Options.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// auditor is the state of one audit, shared by its check groups.
type auditor struct {
	domain string // ASCII, lower case, no trailing dot
	opts   Options
	dns    *dnsclient.Resolver // with the audit's cache

	mu     sync.Mutex
	checks []Check
}

// group is a set of checks run concurrently with the other groups.
type group struct {
	name string
	run  func(ctx context.Context, a *auditor)
}

var groups []group

// addGroup registers a group of checks; the files of this package call it
// from init.
func addGroup(name string, run func(ctx context.Context, a *auditor)) {
	groups = append(groups, group{name, run})
}

// add records checks; it is safe for concurrent use.
func (a *auditor) add(cs ...Check) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.checks = append(a.checks, cs...)
}

// now returns the audit's clock.
func (a *auditor) now() time.Time {
	if a.opts.Now != nil {
		return a.opts.Now()
	}
	return time.Now()
}

// Run audits domain. The error is only for a domain name that cannot be
// audited; everything found, failures to look things up included, is in
// the report's checks.
func Run(ctx context.Context, domain string, opts Options) (*Report, error) {
	return run(ctx, domain, opts, groups)
}

// run is Run with the given groups of checks, for tests.
func run(ctx context.Context, domain string, opts Options, groups []group) (*Report, error) {
	name, err := normalize(domain)
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	start := time.Now()
	a := &auditor{
		domain: name,
		opts:   opts,
		dns: &dnsclient.Resolver{
			Servers: opts.Resolvers,
			Timeout: opts.QueryTimeout,
			Retries: opts.Retries,
			Cache:   new(dnsclient.Cache),
		},
	}
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Go(func() { g.run(ctx, a) })
	}
	wg.Wait()

	r := &Report{Domain: name, Checks: a.checks}
	if r.Checks == nil {
		r.Checks = []Check{}
	}
	for i := range r.Checks {
		if r.Checks[i].Evidence == nil { // the JSON contract has an array
			r.Checks[i].Evidence = []string{}
		}
	}
	sortChecks(r.Checks)
	score(r)
	r.Stats = Stats{
		Queries:    a.dns.Cache.Queries(),
		CacheHits:  a.dns.Cache.Hits(),
		DurationMS: time.Since(start).Milliseconds(),
	}
	return r, nil
}

// normalize returns domain as lower-case ASCII without a trailing dot, or
// an error naming what is wrong with it.
func normalize(domain string) (string, error) {
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	if d == "" {
		return "", fmt.Errorf("audit: empty domain name")
	}
	ascii, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", fmt.Errorf("audit: domain %q: %v", domain, err)
	}
	if !strings.Contains(ascii, ".") {
		return "", fmt.Errorf("audit: domain %q: want a registered domain such as example.com", domain)
	}
	// RFC 1035, Section 2.3.4: labels of 1 to 63 octets, names of at
	// most 255 octets on the wire (253 written without the root's dot).
	if len(ascii) > 253 {
		return "", fmt.Errorf("audit: domain %q: longer than 253 characters", domain)
	}
	for i, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 {
			return "", fmt.Errorf("audit: domain %q: label %d is %d characters long, want 1 to 63", domain, i+1, len(label))
		}
	}
	return strings.ToLower(ascii), nil
}

// sortChecks orders checks by area (mail, dns, web) and then by ID.
func sortChecks(cs []Check) {
	order := map[string]int{AreaMail: 0, AreaDNS: 1, AreaWeb: 2}
	slices.SortStableFunc(cs, func(x, y Check) int {
		if c := order[x.Area] - order[y.Area]; c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
}
