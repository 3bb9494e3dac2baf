package dmarc_test

import (
	"fmt"

	"github.com/posturekit/posturekit/posture/dmarc"
)

func ExampleParse() {
	rec, isDMARC, err := dmarc.Parse("v=DMARC1; p=reject; rua=mailto:dmarc@example.com; adkim=s")
	fmt.Println(isDMARC, err)
	fmt.Println(rec.Policy, rec.AggregateReports[0].Host(), rec.DKIMAlignment)
	_, isDMARC, _ = dmarc.Parse("v=spf1 -all")
	fmt.Println(isDMARC)
	// Output:
	// true <nil>
	// reject example.com s
	// false
}

func ExampleCheck() {
	_, findings := dmarc.Check("v=DMARC1; p=none; rua=dmarc@example.com; pct=50")
	for _, f := range findings {
		fmt.Println(f.Severity, f.Code)
	}
	// Output:
	// error dmarc.uri_missing_mailto
	// warning dmarc.policy_none
	// warning dmarc.tag_removed
}

func ExampleCheckLegacy() {
	_, findings := dmarc.CheckLegacy("v=DMARC1; rua=mailto:dmarc@example.com; p=reject; pct=50")
	for _, f := range findings {
		fmt.Println(f.Severity, f.Code)
	}
	// Output:
	// error dmarc.p_not_first
	// info dmarc.pct_partial
}

func ExampleRecommended() {
	// Start by watching the reports...
	fmt.Println(dmarc.RecordName("example.com"), "TXT", dmarc.Recommended("dmarc-reports@example.com"))
	// ...then enforce.
	fmt.Println(dmarc.New(dmarc.PolicyQuarantine, "dmarc-reports@example.com"))
	// A domain that sends no mail.
	fmt.Println(dmarc.NoMail())
	// Output:
	// _dmarc.example.com TXT v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com;
	// v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@example.com;
	// v=DMARC1; p=reject;
}

func ExampleRecord_String() {
	rec := &dmarc.Record{
		Policy:            dmarc.PolicyReject,
		NonexistentPolicy: dmarc.PolicyReject,
		AggregateReports:  []dmarc.ReportURI{{URI: "mailto:dmarc@example.com"}},
		DKIMAlignment:     dmarc.AlignmentRelaxed, // the default: left out
	}
	fmt.Println(rec)
	fmt.Println(len(rec.Validate()), "findings")
	// Output:
	// v=DMARC1; p=reject; np=reject; rua=mailto:dmarc@example.com;
	// 0 findings
}
