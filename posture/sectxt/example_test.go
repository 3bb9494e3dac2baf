package sectxt_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/posturekit/posturekit/posture/sectxt"
)

func ExampleParse() {
	f, err := sectxt.Parse("Contact: mailto:security@example.com\nContact: tel:+1-201-555-0123\nPreferred-Languages: en, nl\nExpires: 2026-12-31T18:37:07Z\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Contacts, f.PreferredLanguages, f.Expires)

	_, err = sectxt.Parse("Contact: mailto:security@example.com\nExpires: 2026-12-31\n")
	fmt.Println(err)
	// Output:
	// [mailto:security@example.com tel:+1-201-555-0123] [en nl] 2026-12-31 18:37:07 +0000 UTC
	// sectxt: syntax error: line 2: "2026-12-31" is a date alone; Expires needs an RFC 3339 date-time: a date, a time and a time zone
}

func ExampleCheck() {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	_, findings := sectxt.Check("Contact: http://example.com/security\nAcknowledgements: https://example.com/thanks\nExpires: 2028-01-01T00:00:00Z\n", now)
	for _, f := range findings {
		fmt.Println(f.Line, f.Severity, f.Code)
	}
	// Output:
	// 0 info sectxt.unsigned
	// 1 error sectxt.insecure_uri
	// 2 warning sectxt.unknown_field
	// 3 warning sectxt.expires_too_far
}

func ExampleFile_String() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := &sectxt.File{
		Canonical:          []string{"https://example.com/.well-known/security.txt"},
		Contacts:           []string{"mailto:security@example.com"},
		Encryption:         []string{"https://example.com/pgp-key.txt"},
		Policy:             []string{"https://example.com/security-policy.html"},
		PreferredLanguages: []string{"en", "nl"},
		Expires:            sectxt.DefaultExpiry(now),
	}
	fmt.Println(len(f.Validate(now)), "findings")
	for _, line := range strings.SplitAfter(f.String(), "\r\n") {
		if line != "" {
			fmt.Printf("%q\n", line)
		}
	}
	// Output:
	// 0 findings
	// "Canonical: https://example.com/.well-known/security.txt\r\n"
	// "Contact: mailto:security@example.com\r\n"
	// "Encryption: https://example.com/pgp-key.txt\r\n"
	// "Policy: https://example.com/security-policy.html\r\n"
	// "Preferred-Languages: en, nl\r\n"
	// "Expires: 2027-02-28T12:00:00Z\r\n"
}
