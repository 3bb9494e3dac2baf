package command

import (
	"context"
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/headers"
)

// HeadersBuildResult is the result of "headers build".
type HeadersBuildResult struct {
	Valid  bool          `json:"valid"`
	Preset string        `json:"preset"`
	Format string        `json:"format"`
	Site   *headers.Site `json:"site"`
	// Output is the set rendered in Format.
	Output string `json:"output"`
	// FromHTML is the policy computed from the pages, with --from-html.
	FromHTML *headers.SiteCSPResult `json:"from_html,omitempty"`
	Findings headers.Findings       `json:"findings"`
}

// HeadersValidateResult is the result of "headers validate".
type HeadersValidateResult struct {
	Valid    bool             `json:"valid"`
	Headers  *headers.Set     `json:"headers"`
	Findings headers.Findings `json:"findings"`
}

// siteCSPFromDir computes a policy from a directory of HTML; it is set
// by headers_live.go in the command-line build only (the browser build
// has no file system).
var siteCSPFromDir func(dir string, opts headers.SiteCSPOptions) (*headers.SiteCSPResult, error)

func init() {
	var formats []string
	for _, r := range headers.Formats() {
		formats = append(formats, r.Name)
	}
	var presets, presetNames []string
	for _, p := range headers.Presets() {
		presets = append(presets, fmt.Sprintf("  %-8s %s", p.Name, p.Short))
		presetNames = append(presetNames, p.Name)
	}
	Register(&Command{
		Path:  []string{"headers", "build"},
		Short: "build a set of HTTP security headers from a preset and print it for a host",
		Long: `Build a set of HTTP security headers and print it in the format a host reads.

Presets (--preset):
` + strings.Join(presets, "\n") + `

--csp replaces the preset's Content-Security-Policy (X-Frame-Options follows
its frame-ancestors). --from-html DIR computes the tightest policy the built
site in DIR needs (origins per directive, hashes of inline scripts, styles
and event handlers); --csp's directives are then added to it, for what no
HTML shows (the connect-src of an API a script calls, for instance).
--coep opts in to Cross-Origin-Embedder-Policy (it blocks cross-origin
images and fonts that send no CORP or CORS headers). --report-uri makes the
policy report violations (report-uri, and report-to with a
Reporting-Endpoints header).

Formats (--format): raw ("Name: value" lines), json, or a host's
configuration (` + strings.Join(formats, ", ") + `).

The built set is validated as "headers validate" does; exit status 1 when a
finding has severity error.`,
		Args: Args{Usage: "", Min: 0, Max: 0},
		Flags: []Flag{
			{Name: "preset", Kind: String, Default: "strict", Usage: "the preset: " + strings.Join(presetNames, ", ")},
			{Name: "csp", Kind: String, Usage: "a Content-Security-Policy to use instead of the preset's (with --from-html: added to the computed one)"},
			{Name: "format", Kind: String, Default: "raw", Usage: "raw, json, or a host's format: " + strings.Join(formats, ", ")},
			{Name: "from-html", Kind: String, Usage: "a directory of built HTML to compute the CSP from"},
			{Name: "origin", Kind: String, Usage: "the site's origin (https://example.com): with --from-html, absolute URLs on it count as 'self'"},
			{Name: "coep", Kind: String, Usage: "add Cross-Origin-Embedder-Policy: require-corp or credentialless"},
			{Name: "report-uri", Kind: String, Usage: "an https:// URL to receive CSP violation reports"},
		},
		Run: runHeadersBuild,
	})
	Register(&Command{
		Path:  []string{"headers", "validate"},
		Short: "lint a set of HTTP response headers",
		Long: `Lint a set of HTTP response headers read from FILE, or from standard input
when FILE is "-": "Name: value" lines (as curl -i prints them; the status
line is skipped) or a JSON object of names to values (a value may be an
array for a repeated header).

Every header posturekit knows is checked: the CSP with the rule set of
Google's CSP Evaluator plus deployment limits (1,783 characters in a
CloudFront response headers policy), HSTS and its preload eligibility,
Permissions-Policy (RFC 8941 syntax, known features), Referrer-Policy,
X-Content-Type-Options, X-Frame-Options and its agreement with
frame-ancestors, COOP, COEP, CORP, Cache-Control, cookies and CORS; then
repeated headers, odd casing, obsolete headers (Expect-CT, Feature-Policy,
Public-Key-Pins, X-XSS-Protection other than 0) and missing protections.

Exit status: 0 when valid, 1 when a finding has severity error.`,
		Args: Args{Usage: "FILE|-", Min: 1, Max: 1},
		Run:  runHeadersValidate,
	})
}

func runHeadersBuild(_ context.Context, in *Input) (*Output, error) {
	site, err := headers.Preset(in.String("preset"))
	if err != nil {
		return nil, Usagef("headers build: --preset: %v", strings.TrimPrefix(err.Error(), "headers: "))
	}
	res := &HeadersBuildResult{Preset: in.String("preset"), Format: in.String("format")}
	var extra *headers.CSP
	if text := in.String("csp"); text != "" {
		c, l := headers.CheckCSP(text)
		if c == nil {
			return nil, Usagef("headers build: --csp: %s", l[0].Message)
		}
		extra = c
	}
	if dir := in.String("from-html"); dir != "" {
		if siteCSPFromDir == nil {
			return nil, Usagef("headers build: --from-html reads a directory, which only the command line can")
		}
		opts := headers.SiteCSPOptions{Origin: in.String("origin"), Extra: extra}
		// Keep the preset's frame-ancestors, so X-Frame-Options stays.
		if v, ok := site.Headers.Get(headers.HeaderCSP); ok {
			if c, err := headers.ParseCSP(v); err == nil {
				if d, ok := c.Get("frame-ancestors"); ok && (extra == nil || !extra.Has("frame-ancestors")) {
					opts.FrameAncestors = d.Values
				}
				if c.Has("upgrade-insecure-requests") {
					if opts.Extra == nil {
						opts.Extra = &headers.CSP{}
					} else {
						opts.Extra = opts.Extra.Clone()
					}
					opts.Extra.Add("upgrade-insecure-requests")
				}
			}
		}
		r, err := siteCSPFromDir(dir, opts)
		if err != nil {
			return nil, err
		}
		res.FromHTML = r
		headers.SetCSP(&site.Headers, r.CSP)
	} else if extra != nil {
		headers.SetCSP(&site.Headers, extra)
	}
	if coep := in.String("coep"); coep != "" {
		if coep != string(headers.COEPRequireCORP) && coep != string(headers.COEPCredentialless) {
			return nil, Usagef("headers build: --coep %q: want require-corp or credentialless", coep)
		}
		site.Headers.Set(headers.HeaderCOEP, coep)
	}
	if uri := in.String("report-uri"); uri != "" {
		v, ok := site.Headers.Get(headers.HeaderCSP)
		if !ok {
			return nil, Usagef("headers build: --report-uri needs a Content-Security-Policy")
		}
		c, err := headers.ParseCSP(v)
		if err != nil {
			return nil, Usagef("headers build: %v", err)
		}
		c.SetReporting("csp-endpoint", uri)
		site.Headers.Set(headers.HeaderCSP, c.String())
		site.Headers.Set("Reporting-Endpoints", headers.ReportingEndpoints("csp-endpoint", uri))
	}
	res.Site = site
	out, err := headers.Render(res.Format, site)
	if err != nil {
		return nil, Usagef("headers build: --format: %v", strings.TrimPrefix(err.Error(), "headers: "))
	}
	res.Output = out
	res.Findings = headers.ValidateSite(site)
	if res.FromHTML != nil {
		res.Findings = append(res.FromHTML.Findings, res.Findings...)
	}
	res.Findings = dedupFindings(res.Findings)
	if res.Findings == nil {
		res.Findings = headers.Findings{}
	}
	res.Valid = !res.Findings.HasErrors()
	var b strings.Builder
	b.WriteString(out)
	if !strings.HasSuffix(out, "\n") {
		b.WriteString("\n")
	}
	// The text is the configuration alone, so that it can be saved and
	// used as is; --json has every finding. Errors (and, in raw format,
	// warnings) follow it as comment lines.
	var shown headers.Findings
	for _, f := range res.Findings {
		if f.Severity == headers.Error || f.Severity == headers.Warning && res.Format == "raw" {
			shown = append(shown, f)
		}
	}
	if len(shown) > 0 || !res.Valid {
		var f strings.Builder
		writeHeaderFindings(&f, shown, res.Valid)
		for line := range strings.SplitSeq(strings.TrimSuffix(f.String(), "\n"), "\n") {
			b.WriteString("# " + line + "\n")
		}
	}
	return &Output{Value: res, Text: b.String(), Failed: !res.Valid}, nil
}

// dedupFindings drops repeated findings (the computed policy's lint and
// the set's validation see the same CSP).
func dedupFindings(l headers.Findings) headers.Findings {
	seen := map[headers.Finding]bool{}
	var out headers.Findings
	for _, f := range l {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

func runHeadersValidate(_ context.Context, in *Input) (*Output, error) {
	b, err := in.ReadAll(in.Args[0], maxInput)
	if err != nil {
		return nil, err
	}
	set, err := headers.ParseSet(string(b))
	if err != nil {
		res := &HeadersValidateResult{Findings: headers.Findings{{Code: "headers.unreadable", Severity: headers.Error,
			Message: strings.TrimPrefix(err.Error(), "headers: "), Fix: `give "Name: value" lines or a JSON object of names to values`}}}
		var t strings.Builder
		writeHeaderFindings(&t, res.Findings, false)
		return &Output{Value: res, Text: t.String(), Failed: true}, nil
	}
	res := &HeadersValidateResult{Headers: set, Findings: headers.Validate(set)}
	if res.Findings == nil {
		res.Findings = headers.Findings{}
	}
	res.Valid = !res.Findings.HasErrors()
	var t strings.Builder
	fmt.Fprintf(&t, "%d header(s)\n", len(set.Fields))
	writeHeaderFindings(&t, res.Findings, res.Valid)
	if res.Valid {
		t.WriteString("valid\n")
	}
	return &Output{Value: res, Text: t.String(), Failed: !res.Valid}, nil
}

// writeHeaderFindings renders findings for people, worst first.
func writeHeaderFindings(b *strings.Builder, l headers.Findings, valid bool) {
	sorted := append(headers.Findings(nil), l...)
	sorted.Sort()
	errs := 0
	for _, f := range sorted {
		b.WriteString(f.String())
		b.WriteString("\n")
		if f.Severity == headers.Error {
			errs++
		}
	}
	if !valid {
		fmt.Fprintf(b, "invalid: %d error(s)\n", errs)
	}
}
