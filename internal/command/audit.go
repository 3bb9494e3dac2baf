//go:build !js

package command

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/posturekit/posturekit/mtasts"
	"github.com/posturekit/posturekit/posture/audit"
)

func init() {
	Register(&Command{
		Path:  []string{"audit"},
		Short: "audit a live domain's mail, DNS and web security, with a grade and the fix for each gap",
		Long: `Audit the security posture of a live domain in one run: its mail (SPF,
DMARC, MTA-STS, TLS-RPT, DKIM for the selectors given, null MX), its DNS
(DNSSEC, name server diversity, IPv6, CAA, SOA, TTLs) and its website
(TLS versions, certificate, HSTS, HTTP redirects, security headers,
security.txt). Each check has a stable id, a status (pass, warn, fail,
info, or error when the check itself could not run: a timeout is never
reported as a missing record), the evidence seen and the exact record or
header that fixes it. Each area gets a score out of 100, the domain an
overall score and a grade from A+ to F (see the README's "Audit" section).

By default the system's resolver is asked. --resolver names the DNS
servers to ask (host:port, repeatable); the DNSSEC checks read the AD bit of
their answers, so give a validating resolver you trust. HTTPS connections
to loopback and private addresses are refused unless --allow-private is
given; --ca-file adds a PEM certificate authority to the system's, and
certificate verification is never turned off.

The report is text for a terminal (coloured when standard output is a
terminal and NO_COLOR is not set), --markdown for a CI job's summary, or
--json: {"domain", "score", "grade", "areas": [{"name", "score"}],
"checks": [{"id", "area", "status", "message", "evidence", "fix", "rfc"}],
"stats"}. --json wins over --markdown.

--from-file FILE audits every domain of FILE ("-" for standard input), one
per line (blank lines and lines starting with # are skipped), --concurrency
at a time, each with its own cache and --timeout, and prints one result per
domain as each audit ends: with --json one JSON object per line (JSON
lines), a line {"domain", "error"} for a domain that could not be audited.

Exit status: 0 when done; 1 when --fail-on is given and a check has that
status or a worse one (warn: warn or fail; fail: fail), a check that could
not run (error) counting as a fail, so that a gate never passes for want of
an answer (and, with --from-file, a domain that could not be audited counts
as such an error); 2 for a usage error. Without --fail-on the exit status
does not depend on what was found: an audit is a report, and nearly every
real domain has something to warn about.`,
		Args: Args{Usage: "DOMAIN", Min: 0, Max: 1},
		Flags: []Flag{
			{Name: "markdown", Kind: Bool, Usage: "print the report as Markdown (for a CI job's summary)"},
			{Name: "resolver", Kind: Strings, Usage: "DNS server to ask, `HOST:PORT`; may be repeated (default: the system's)"},
			{Name: "ca-file", Kind: String, Usage: "PEM `FILE` of an extra certificate authority to trust"},
			{Name: "allow-private", Kind: Bool, Usage: "allow HTTPS connections to loopback and private addresses"},
			{Name: "dkim-selector", Kind: Strings, Usage: "DKIM `SELECTOR` whose key is checked; may be repeated"},
			{Name: "fail-on", Kind: String, Usage: "exit with status 1 when a check has this `STATUS` or worse: warn or fail (default: never)"},
			{Name: "timeout", Kind: String, Default: fmt.Sprintf("%ds", int(audit.DefaultTimeout.Seconds())), Usage: "time limit for the audit of one domain, e.g. 30s"},
			{Name: "from-file", Kind: String, Usage: "audit every domain of `FILE`, one per line (- for standard input)"},
			{Name: "concurrency", Kind: Int, Default: audit.DefaultConcurrency, Usage: "domains audited at once with --from-file"},
		},
		Run: runAudit,
	})
}

// maxCAFile bounds --ca-file.
const maxCAFile = 1 << 20

func runAudit(ctx context.Context, in *Input) (*Output, error) {
	opts, err := auditOptions(in)
	if err != nil {
		return nil, err
	}
	failOn := audit.Status(in.String("fail-on"))
	switch failOn {
	case "", audit.Warn, audit.Fail:
	default:
		return nil, Usagef("audit: --fail-on %q: want warn or fail", in.String("fail-on"))
	}
	failed := func(r *audit.Report) bool { return failOn != "" && r.AtLeast(failOn) }
	markdown := in.Bool("markdown")

	if file := in.String("from-file"); file != "" {
		if len(in.Args) > 0 {
			return nil, Usagef("audit: give a DOMAIN or --from-file, not both")
		}
		if n := in.Int("concurrency"); n < 1 || n > 1000 {
			return nil, Usagef("audit: --concurrency %d: want 1 to 1000", n)
		}
		r, err := in.Open(file)
		if err != nil {
			return nil, err
		}
		return &Output{Stream: func(w io.Writer, asJSON bool) (bool, error) {
			defer r.Close()
			return auditFile(ctx, w, r, file, opts, in.Int("concurrency"), asJSON, markdown, failOn, failed)
		}}, nil
	}
	if len(in.Args) != 1 {
		return nil, Usagef("audit: give the DOMAIN to audit, or --from-file FILE")
	}
	rep, err := audit.Run(ctx, in.Args[0], opts)
	if err != nil {
		return nil, Usagef("%v", err)
	}
	var b strings.Builder
	if markdown {
		err = rep.WriteMarkdown(&b)
	} else {
		err = rep.WriteText(&b, in.Color)
	}
	if err != nil {
		return nil, err
	}
	return &Output{Value: rep, Text: b.String(), Failed: failed(rep)}, nil
}

// auditOptions turns the flags into audit options.
func auditOptions(in *Input) (audit.Options, error) {
	var opts audit.Options
	timeout, err := time.ParseDuration(in.String("timeout"))
	if err != nil || timeout <= 0 {
		return opts, Usagef("audit: --timeout %q: want a duration such as 30s", in.String("timeout"))
	}
	opts.Timeout = timeout
	for _, s := range in.Strings("resolver") {
		if err := checkServer(s); err != nil {
			return opts, Usagef("audit: --resolver %q: %v", s, err)
		}
		opts.Resolvers = append(opts.Resolvers, s)
	}
	opts.AllowPrivate = in.Bool("allow-private")
	for _, s := range in.Strings("dkim-selector") {
		s = strings.TrimSpace(s)
		if s == "" || strings.ContainsAny(s, " \t/") {
			return opts, Usagef("audit: --dkim-selector %q: want a selector such as s1 or google", s)
		}
		opts.DKIMSelectors = append(opts.DKIMSelectors, s)
	}
	if path := in.String("ca-file"); path != "" {
		pem, err := in.ReadAll(path, maxCAFile)
		if err != nil {
			return opts, fmt.Errorf("--ca-file: %w", err)
		}
		if opts.RootCAs, err = mtasts.SystemCertPoolWith(pem); err != nil {
			return opts, fmt.Errorf("--ca-file %s: %w", path, err)
		}
	}
	return opts, nil
}

// checkServer checks a DNS server address: a host, or host:port with a
// port from 1 to 65535.
func checkServer(s string) error {
	host := s
	if h, port, err := net.SplitHostPort(s); err == nil {
		host = h
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("port %q: want 1 to 65535", port)
		}
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" || strings.ContainsAny(host, " /") {
		return fmt.Errorf("want HOST:PORT, such as 127.0.0.1:53")
	}
	return nil
}

// maxLine bounds a line of --from-file.
const maxLine = 4096

// auditFile audits the domains read from r and writes one result per
// domain to w as each ends.
func auditFile(ctx context.Context, w io.Writer, r io.Reader, name string, opts audit.Options, concurrency int, asJSON, markdown bool, failOn audit.Status, failed func(*audit.Report) bool) (bool, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), maxLine)
	var domains iter.Seq[string] = func(yield func(string) bool) {
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if !yield(line) {
				return
			}
		}
	}
	bw := bufio.NewWriter(w)
	anyFailed := false
	var werr error
	first := true
	err := audit.RunAll(ctx, domains, opts, concurrency, func(res audit.Result) {
		if res.Err != nil {
			anyFailed = anyFailed || failOn != ""
		} else if failed(res.Report) {
			anyFailed = true
		}
		if werr != nil {
			return
		}
		switch {
		case asJSON:
			var b []byte
			if b, werr = json.Marshal(res); werr == nil {
				bw.Write(append(b, '\n'))
			}
		case markdown:
			if !first {
				bw.WriteString("\n")
			}
			werr = res.WriteMarkdown(bw)
		default:
			bw.WriteString(res.Line())
		}
		first = false
		// One result per domain as each ends: flush, so that a reader of
		// the stream sees it now.
		if werr == nil {
			werr = bw.Flush()
		}
	})
	if werr != nil {
		return anyFailed, werr
	}
	if err != nil {
		return anyFailed, err
	}
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return anyFailed, fmt.Errorf("%s: a line is longer than %d bytes", name, maxLine)
	} else if err != nil {
		return anyFailed, fmt.Errorf("%s: %v", name, err)
	}
	return anyFailed, nil
}
