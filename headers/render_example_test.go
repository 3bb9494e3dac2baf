package headers_test

import (
	"fmt"

	"github.com/posturekit/posturekit/headers"
)

func exampleSite() *headers.Site {
	site := &headers.Site{}
	site.Headers.Add("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload")
	site.Headers.Add("X-Content-Type-Options", "nosniff")
	site.Headers.Add("Cache-Control", "no-cache")
	css := headers.PathRule{Pattern: "*.css"}
	css.Headers.Add("Cache-Control", "public, max-age=31536000, immutable")
	site.Paths = append(site.Paths, css)
	return site
}

func ExampleRender_nginx() {
	out, err := headers.Render("nginx", exampleSite())
	if err != nil {
		fmt.Println(err)
		return
	}
	// The comment lines at the top say how to use the file.
	fmt.Print(out[len("# Security headers rendered by posturekit for nginx: include this file in a server block.\n# \"always\" sends the headers with error responses too. nginx drops the server\n# block's add_header lines in any location that has add_header lines of its\n# own, so each location below repeats the full set; a location of yours with\n# add_header must repeat them as well. The regex locations take precedence over\n# your prefix locations for the paths they match.\n"):])
	// Output:
	// add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;
	// add_header X-Content-Type-Options "nosniff" always;
	// add_header Cache-Control "no-cache" always;
	//
	// # *.css
	// location ~ "\\.css$" {
	//     add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;
	//     add_header X-Content-Type-Options "nosniff" always;
	//     add_header Cache-Control "public, max-age=31536000, immutable" always;
	// }
}

func ExampleRender_headersFile() {
	out, _ := headers.Render("headers-file", exampleSite())
	fmt.Print(out)
	// Output:
	// # Security headers rendered by posturekit for Netlify and Cloudflare Pages (a _headers
	// # file in the publish directory). A rule's block detaches ("! Name") a header
	// # that an earlier block sets before replacing it: Cloudflare would otherwise join
	// # the two values; Netlify skips those lines and lets the later block win.
	// /*
	//   Strict-Transport-Security: max-age=63072000; includeSubDomains; preload
	//   X-Content-Type-Options: nosniff
	//   Cache-Control: no-cache
	//
	// /*.css
	//   ! Cache-Control
	//   Cache-Control: public, max-age=31536000, immutable
}

func ExampleRender_cloudFrontPolicyTooLong() {
	site := &headers.Site{}
	csp := "default-src 'self'; script-src 'self'"
	for len(csp) <= headers.CloudFrontMaxValue {
		csp += " 'sha256-Vt1k4w5u6mRLMQk0aVi7NrsNa6WQ3ut3KzgFr9uM9Xk='"
	}
	site.Headers.Add("Content-Security-Policy", csp)
	_, err := headers.Render("cloudfront-policy-yaml", site)
	fmt.Println(err)
	// Output:
	// headers: cannot render as cloudfront-policy-yaml: site headers: Content-Security-Policy: the policy is 1819 characters; a CloudFront response headers policy takes at most 1783 (ask AWS to raise the quota, or use the cloudfront-function or lambda-edge format)
}
