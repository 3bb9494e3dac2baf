package headers_test

import (
	"fmt"

	"github.com/posturekit/posturekit/headers"
)

func ExampleGrade() {
	set, err := headers.ParseSet(`Strict-Transport-Security: max-age=31536000
Referrer-Policy: strict-origin-when-cross-origin
X-Content-Type-Options: nosniff
X-Frame-Options: SAMEORIGIN
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := headers.Grade(headers.GradeInput{Headers: set}, headers.ObservatoryV4)
	fmt.Println(r.Grade, r.Score)
	csp := r.Test(headers.TestCSP)
	fmt.Println(csp.Result, csp.Modifier)
	// Output:
	// B 75
	// csp-not-implemented -25
}

func ExamplePresenceGrade() {
	set, _ := headers.ParseSet("X-Frame-Options: DENY\nX-Content-Type-Options: nosniff\n")
	r := headers.PresenceGrade(set)
	fmt.Println(r.Grade, r.Missing)
	// Output: C [Content-Security-Policy Strict-Transport-Security Referrer-Policy Permissions-Policy]
}
