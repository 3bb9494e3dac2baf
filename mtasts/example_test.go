package mtasts_test

import (
	"fmt"
	"time"

	"github.com/posturekit/posturekit/mtasts"
)

func ExampleParsePolicy() {
	p, err := mtasts.ParsePolicy("version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Mode, p.MX, p.MaxAgeDuration())
	// Output: enforce [mail.example.com *.example.net] 168h0m0s
}

func ExampleCheckPolicy() {
	_, findings := mtasts.CheckPolicy("version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 86400\r\n")
	for _, f := range findings {
		fmt.Println(f.Line, f.Severity, f.Code)
	}
	// Output:
	// 2 warning mtasts.mode_testing
	// 4 warning mtasts.max_age_short
}

func ExamplePolicy_String() {
	p := &mtasts.Policy{
		Version: mtasts.Version,
		Mode:    mtasts.ModeEnforce,
		MX:      []string{"mail.example.com", "*.mx.example.net"},
		MaxAge:  mtasts.RecommendedMaxAge,
	}
	rec := &mtasts.Record{ID: mtasts.NewID(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))}
	fmt.Printf("%q\n", p.String())
	fmt.Println(mtasts.RecordName("example.com"), "TXT", rec)
	fmt.Println(len(p.Validate()), "findings")
	// Output:
	// "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.mx.example.net\r\nmax_age: 2419200\r\n"
	// _mta-sts.example.com TXT v=STSv1; id=20260301120000Z;
	// 0 findings
}

func ExampleParseRecord() {
	rec, isRecord, err := mtasts.ParseRecord("v=STSv1; id=20160831085700Z;")
	fmt.Println(rec.ID, isRecord, err)
	_, isRecord, _ = mtasts.ParseRecord("v=spf1 -all")
	fmt.Println(isRecord)
	// Output:
	// 20160831085700Z true <nil>
	// false
}

func ExamplePolicy_Match() {
	p := &mtasts.Policy{Mode: mtasts.ModeEnforce, MX: []string{"mail.example.com", "*.example.net"}, MaxAge: 604800}
	for _, host := range []string{"MAIL.example.com.", "mx1.example.net", "a.b.example.net", "example.net"} {
		fmt.Println(host, p.Match(host))
	}
	// Output:
	// MAIL.example.com. true
	// mx1.example.net true
	// a.b.example.net false
	// example.net false
}
