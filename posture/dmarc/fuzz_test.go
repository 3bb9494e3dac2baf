package dmarc

import (
	"testing"
)

// parseSeeds are the seeds of FuzzParse: the RFC examples and the shapes
// of the peers' known mistakes.
var parseSeeds = []string{
	"v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com",
	"v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net!10m; pct=25",
	"V = DMARC1 ; P = Reject ; sp=none; np=quarantine; adkim=s; aspf=r; fo=0:d:s; t=y; psd=n; ruf=mailto:f@example.com",
	"v=DMARC1; rua=mailto:d@example.com; p=reject; pct=50; ri=3600; rf=afrf:iodef",
	"v=DMARC1; p=none; pct=150; ri=-1; rf=a b; foo=bar baz",
	"v=DMARC1;; p=none;;",
	"v=DMARC1; p=none; p=reject",
	"v=DMARC1; p=none; rua=dmarc@example.com",
	"v=DMARC1; p=none; rua=mailto:a!b@example.com, https://r.example/%41",
	"v=dmarc1; p=none",
	"v=DMARC1 p=none",
	"v=DMARC1",
	"",
}

// FuzzParse checks that parsing never panics, that Check reports an error
// whenever Parse fails and nothing but dmarc.p_missing beyond what Parse
// finds, that CheckLegacy never panics, and that what parses round-trips
// through String.
func FuzzParse(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, txt string) {
		rec, isDMARC, err := Parse(txt)
		crec, l := Check(txt)
		CheckLegacy(txt)
		if isDMARC != IsRecord(txt) {
			t.Fatalf("Parse isDMARC %v, IsRecord %v", isDMARC, IsRecord(txt))
		}
		if (crec != nil) != isDMARC {
			t.Fatalf("Check record %v but isDMARC %v", crec, isDMARC)
		}
		if err != nil || !isDMARC {
			if !l.HasErrors() {
				t.Fatalf("Parse error %v but Check found no error: %v", err, l)
			}
			return
		}
		for _, f := range l {
			if f.Severity == "error" && f.Code != "dmarc.p_missing" {
				t.Fatalf("Parse accepted %q but Check found %v", txt, f)
			}
		}
		if crec.String() != rec.String() {
			t.Fatalf("Check and Parse read different records: %q, %q", crec.String(), rec.String())
		}
		s := rec.String()
		rec2, _, err := Parse(s)
		if err != nil {
			t.Fatalf("String() of a parsed record does not parse: %v\n%q", err, s)
		}
		if s2 := rec2.String(); s2 != s {
			t.Fatalf("round trip changed the record:\n%q\n%q", s, s2)
		}
	})
}
