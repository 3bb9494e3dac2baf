package tlsrpt_test

import (
	"fmt"

	"github.com/posturekit/posturekit/posture/tlsrpt"
)

func ExampleParse() {
	rec, isTLSRPT, err := tlsrpt.Parse("v=TLSRPTv1; rua=mailto:reports@example.com,https://reporting.example.com/v1")
	fmt.Println(rec.RUA, isTLSRPT, err)
	_, isTLSRPT, _ = tlsrpt.Parse("v=spf1 -all")
	fmt.Println(isTLSRPT)
	// Output:
	// [mailto:reports@example.com https://reporting.example.com/v1] true <nil>
	// false
}

func ExampleNew() {
	rec := tlsrpt.New("mailto:tlsrpt@example.com")
	fmt.Println(tlsrpt.RecordName("example.com"), "TXT", rec)
	fmt.Println(len(rec.Validate()), "findings")
	// Output:
	// _smtp._tls.example.com TXT v=TLSRPTv1; rua=mailto:tlsrpt@example.com
	// 0 findings
}

func ExampleCheckDomain() {
	_, findings := tlsrpt.CheckDomain("example.com", "v=TLSRPTv1; rua=tlsrpt@example.com,http://reports.example.net/tlsrpt")
	for _, f := range findings {
		fmt.Println(f.Severity, f.Code, f.Fix)
	}
	// Output:
	// error tlsrpt.rua_invalid rua=mailto:tlsrpt@example.com
	// error tlsrpt.rua_scheme rua=https://reports.example.net/tlsrpt
}
