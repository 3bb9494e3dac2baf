package command

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/posturekit/posturekit/headers"
)

// "headers csp" is in both builds: the command line reads a directory
// (--from-html) or pages named as arguments; the browser, the pages' text.

func init() {
	Register(&Command{
		Path:  []string{"headers", "csp"},
		Short: "compute the Content-Security-Policy a built static site needs",
		Long: `Compute the tightest Content-Security-Policy that keeps a built static site
working: the site in --from-html DIR (every .html and .htm page, and every
.css file for the fonts and images it loads), or the pages named as
arguments ("-" is standard input; a name ending in .css is a stylesheet).
Each page is read with an HTML5 tokenizer. Each directive gets the origins
the pages load from ('self' for the site's own files), every inline
<script> and <style> is allowed by the sha256 of its exact text, and inline
event handlers and style attributes by their hashes with 'unsafe-hashes'
(in script-src-attr and style-src-attr).

Printed after the policy: what no policy can allow without 'unsafe-inline'
(javascript: URLs, scripts from data: URLs), what the pages do not show
(stylesheets on other origins are not fetched), and the lint of the policy,
including the 1,783-character limit of CloudFront response headers policies.
Scripts are not run: add the origins they fetch from with --csp, e.g.
--csp "connect-src https://api.example.com".

Exit status: 0 when the policy is valid, 1 when a finding has severity
error, 2 when the pages cannot be read.`,
		Args: Args{Usage: "[PAGE|-]...", Min: 0, Max: -1},
		Flags: []Flag{
			{Name: "from-html", Kind: String, Usage: "the directory of built HTML (instead of PAGE arguments)"},
			{Name: "origin", Kind: String, Usage: "the site's origin (https://example.com): absolute URLs on it count as 'self'"},
			{Name: "csp", Kind: String, Usage: "directives and sources to add to the computed policy"},
			{Name: "frame-ancestors", Kind: String, Default: "'none'", Usage: "the sources of frame-ancestors"},
			{Name: "no-style-attributes", Kind: Bool, Usage: "report style attributes instead of allowing them by hash"},
			{Name: "fallback", Kind: Bool, Usage: "add 'unsafe-inline' next to the hashes for browsers older than CSP Level 2"},
		},
		Run: runHeadersCSP,
	})
}

func runHeadersCSP(_ context.Context, in *Input) (*Output, error) {
	dir := in.String("from-html")
	switch {
	case dir == "" && len(in.Args) == 0:
		return nil, Usagef("headers csp: give the site's directory with --from-html DIR, or its pages as arguments")
	case dir != "" && len(in.Args) > 0:
		return nil, Usagef("headers csp: give --from-html DIR or pages as arguments, not both")
	case dir != "" && siteCSPFromDir == nil:
		return nil, Usagef("headers csp: --from-html reads a directory, which only the command line can; give the pages' text")
	}
	opts := headers.SiteCSPOptions{
		Origin:            in.String("origin"),
		FrameAncestors:    strings.Fields(in.String("frame-ancestors")),
		NoStyleAttributes: in.Bool("no-style-attributes"),
		Fallback:          in.Bool("fallback"),
	}
	if text := in.String("csp"); text != "" {
		c, l := headers.CheckCSP(text)
		if c == nil {
			return nil, Usagef("headers csp: --csp: %s", l[0].Message)
		}
		opts.Extra = c
	}
	var res *headers.SiteCSPResult
	if dir != "" {
		var err error
		if res, err = siteCSPFromDir(dir, opts); err != nil {
			return nil, err
		}
	} else {
		s := headers.NewSiteCSP(opts)
		for _, name := range in.Args {
			b, err := in.ReadAll(name, maxInput)
			if err != nil {
				return nil, err
			}
			if strings.EqualFold(path.Ext(name), ".css") {
				s.AddStylesheet(name, b)
				continue
			}
			if err := s.AddPageBytes(name, b); err != nil {
				return nil, err
			}
		}
		res = s.Result()
	}
	valid := !res.Findings.HasErrors()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", headers.HeaderCSP, res.Policy)
	fmt.Fprintf(&b, "# %d page(s), %d bytes; %d inline script(s), %d inline style(s), %d event handler(s), %d style attribute(s) allowed by hash; %d characters\n",
		res.Pages, res.Bytes, res.InlineScripts, res.InlineStyles, res.EventHandlers, res.StyleAttributes, len(res.Policy))
	writeHeaderFindings(&b, res.Findings, valid)
	return &Output{Value: res, Text: b.String(), Failed: !valid}, nil
}
