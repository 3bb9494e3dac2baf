package caa_test

import (
	"fmt"

	"github.com/posturekit/posturekit/posture/caa"
)

func ExampleParse() {
	r, err := caa.Parse(`0 issue "letsencrypt.org; validationmethods=dns-01"`)
	if err != nil {
		fmt.Println(err)
		return
	}
	is, _ := r.IssueValue()
	fmt.Println(r.Flags, r.Tag, r.Critical())
	fmt.Println(is.IssuerDomain, is.ValidationMethods())
	fmt.Println(r)
	// Output:
	// 0 issue false
	// letsencrypt.org [dns-01]
	// 0 issue "letsencrypt.org; validationmethods=dns-01"
}

func ExampleForIssuers() {
	recs, err := caa.ForIssuers([]string{"letsencrypt.org", "digicert.com"}, caa.BuildOptions{
		NoWildcard: true,
		Contact:    []string{"security@example.com"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range recs {
		fmt.Println("example.com. CAA", r)
	}
	for _, f := range caa.CheckSet(recs) {
		fmt.Println(f.Severity, f.Code)
	}
	// Output:
	// example.com. CAA 0 issue "letsencrypt.org"
	// example.com. CAA 0 issue "digicert.com"
	// example.com. CAA 0 issuewild ";"
	// example.com. CAA 0 iodef "mailto:security@example.com"
	// info caa.binding_suggested
	// info caa.issuemail_missing
}

func ExampleCheckSetText() {
	_, findings := caa.CheckSetText(`0 issue "letsencrypt.org."
1 issuewild ";"
0 issue ";"
0 iodef "http://example.com/caa-report"
`)
	for _, f := range findings {
		fmt.Println(f.Line, f.Severity, f.Code)
	}
	// Output:
	// 0 info caa.issuemail_missing
	// 1 error caa.issue_syntax
	// 2 error caa.flags_reserved
	// 4 warning caa.iodef_http
}

func ExampleCheck() {
	_, findings := caa.Check(`128 tbs "Unknown"`)
	for _, f := range findings {
		fmt.Println(f.Severity, f.Code, f.RFC)
	}
	// Output:
	// error caa.critical_unknown RFC 8659, Section 4.5
}

func ExampleParseIssue() {
	is, err := caa.ParseIssue("example.net; accounturi=https://example.net/account/1234; validationmethods=dns-01")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(is.IssuerDomain, is.AccountURIs(), is.ValidationMethods())
	_, err = caa.ParseIssue("letsencrypt.org.")
	fmt.Println(err)
	// Output:
	// example.net [https://example.net/account/1234] [dns-01]
	// caa: issue value syntax error: at offset 15: issuer domain name "letsencrypt.org." ends with a dot: write it without the final dot
}
