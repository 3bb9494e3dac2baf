package command

import (
	"context"
	"fmt"
	"strings"

	"github.com/posturekit/posturekit/headers"
)

// HeadersGradeResult is the result of "headers grade": the MDN HTTP
// Observatory's report (profile, score, grade, tests) and the
// securityheaders.com-style presence grade.
type HeadersGradeResult struct {
	*headers.Report
	Presence *headers.PresenceReport `json:"presence"`
}

func init() {
	Register(&Command{
		Path:  []string{"headers", "grade"},
		Short: "grade a header set as the MDN HTTP Observatory and securityheaders.com do",
		Long: `Grade a set of response headers, read from FILE ("-" for standard input) as
"Name: value" lines (curl -sD - output works) or as a JSON object of names to
values (a repeated header as an array), with the MDN HTTP Observatory's
algorithm: each test's result, its score modifier, pass or fail, and the fix
(the header to send instead). The presence grade (A+ to F) is that of
securityheaders.com: which of its six headers are there.

Profiles (--profile):
  observatory-v6  the Observatory's current algorithm (the default): COOP and
                  COEP scored, X-Frame-Options DENY/SAMEORIGIN +5
  observatory-v4  the npm release 1.4.8, exactly

The site is taken to be on HTTPS with a valid certificate, its http://
redirecting to https:// on the same host; --no-https and --no-redirect say
otherwise. --html gives the page's body, for Subresource Integrity and <meta>
policies. Set-Cookie fields in the set are the site's cookies.

Exit status: 0 when the set was graded, whatever the grade; 2 when it could
not be read.`,
		Args: Args{Usage: "FILE|-", Min: 1, Max: 1},
		Flags: []Flag{
			{Name: "profile", Kind: String, Default: string(headers.DefaultProfile), Usage: "observatory-v6 or observatory-v4"},
			{Name: "html", Kind: String, Usage: "a file holding the page's HTML"},
			{Name: "host", Kind: String, Usage: "the site's host name (default " + headers.DefaultGradeHost + ")"},
			{Name: "no-https", Kind: Bool, Usage: "the site is on http:// only"},
			{Name: "no-redirect", Kind: Bool, Usage: "http:// serves the page instead of redirecting to https://"},
		},
		Run: runHeadersGrade,
	})
}

func runHeadersGrade(_ context.Context, in *Input) (*Output, error) {
	profile, err := headers.ParseProfile(in.String("profile"))
	if err != nil {
		return nil, Usagef("headers grade: --profile: %v", err)
	}
	b, err := in.ReadAll(in.Args[0], maxInput)
	if err != nil {
		return nil, err
	}
	set, err := headers.ParseSet(string(b))
	if err != nil {
		return nil, Usagef("headers grade: %s: %v", in.Args[0], err)
	}
	gi := headers.GradeInput{
		Headers:    set,
		Host:       strings.TrimSuffix(strings.ToLower(in.String("host")), "."),
		NoHTTPS:    in.Bool("no-https"),
		NoRedirect: in.Bool("no-redirect"),
	}
	if name := in.String("html"); name != "" {
		h, err := in.ReadAll(name, maxInput)
		if err != nil {
			return nil, err
		}
		gi.HTML = string(h)
	}
	res := &HeadersGradeResult{Report: headers.Grade(gi, profile), Presence: headers.PresenceGrade(set)}
	var t strings.Builder
	t.WriteString(res.Report.String())
	p := res.Presence
	fmt.Fprintf(&t, "\npresence grade (securityheaders.com): %s", p.Grade)
	if len(p.Missing) > 0 {
		fmt.Fprintf(&t, ", missing %s", strings.Join(p.Missing, ", "))
	}
	t.WriteString("\n")
	for _, f := range append(p.Warnings, p.Notes...) {
		t.WriteString(f.String())
		t.WriteString("\n")
	}
	return &Output{Value: res, Text: t.String()}, nil
}
