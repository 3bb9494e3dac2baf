package tlsrpt

import "testing"

// FuzzParse checks that parsing never panics, that Check agrees with Parse,
// and that what parses round-trips through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"v=TLSRPTv1; rua=mailto:reports@example.com",
		"v=TLSRPTv1 ; rua=mailto:a@example.com , https://r.example/v1 ; x=y;",
		"v=TLSRPTv1; rua=mailto:a%2Cb@example.com; rua=mailto:c@d.example",
		"v=TLSRPTv1; rua=tlsrpt@example.com",
		"v=TLSRPTv1; rua=mailto:a@example.com!10m",
		"v=TLSRPTv1; RUA=mailto:a@example.com",
		"v=TLSRPTv1", "v=spf1 -all", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, txt string) {
		r, isRec, err := Parse(txt)
		cr, l := Check(txt)
		failed := err != nil || !isRec
		if failed && !l.HasErrors() {
			t.Fatalf("Parse (isTLSRPT %v, err %v) but Check found no error: %v", isRec, err, l)
		}
		if (cr == nil) != failed {
			t.Fatalf("Check returned record %v, Parse error %v", cr, err)
		}
		if failed {
			return
		}
		if cr.String() != r.String() {
			t.Fatalf("Check and Parse read different records: %q, %q", cr, r)
		}
		s := r.String()
		r2, _, err := Parse(s)
		if err != nil {
			t.Fatalf("String() of a parsed record does not parse: %v\n%q", err, s)
		}
		if s2 := r2.String(); s2 != s {
			t.Fatalf("round trip changed the record: %q -> %q", s, s2)
		}
	})
}
