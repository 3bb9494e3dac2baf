package mtasts

import (
	"testing"
)

// FuzzParsePolicy checks that parsing never panics, that CheckPolicy agrees
// with ParsePolicy, and that what parses round-trips through String.
func FuzzParsePolicy(f *testing.F) {
	for _, s := range policySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParsePolicy(text)
		_, l := CheckPolicy(text)
		if err != nil {
			if !l.HasErrors() {
				t.Fatalf("ParsePolicy error %v but CheckPolicy found no error", err)
			}
			return
		}
		s := p.String()
		p2, err := ParsePolicy(s)
		if err != nil {
			t.Fatalf("String() of a parsed policy does not parse: %v\n%q", err, s)
		}
		if s2 := p2.String(); s2 != s {
			t.Fatalf("round trip changed the policy:\n%q\n%q", s, s2)
		}
	})
}

// FuzzParseRecord checks the TXT record parser the same way.
func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{"v=STSv1; id=20160831085700Z;", "v=STSv1 ; id=a ; x=y", "v=STSv1;id=a;id=b", "v=STSv1", "v=spf1 -all", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, txt string) {
		r, isRec, err := ParseRecord(txt)
		_, l := CheckRecord(txt)
		if (err != nil || !isRec) != l.HasErrors() {
			t.Fatalf("ParseRecord (isRecord %v, err %v) and CheckRecord (%v) disagree", isRec, err, l)
		}
		if err != nil || !isRec {
			return
		}
		s := r.String()
		r2, _, err := ParseRecord(s)
		if err != nil {
			t.Fatalf("String() of a parsed record does not parse: %v\n%q", err, s)
		}
		if r2.String() != s {
			t.Fatalf("round trip changed the record: %q -> %q", s, r2.String())
		}
	})
}

// FuzzMatchPattern checks that matching never panics and that a host always
// matches itself when it is a valid pattern.
func FuzzMatchPattern(f *testing.F) {
	f.Add("*.example.com", "mail.example.com")
	f.Add("mail.bücher.example", "MAIL.xn--bcher-kva.example.")
	f.Fuzz(func(t *testing.T, pattern, host string) {
		MatchPattern(pattern, host)
		if mxSyntax(host) == "" && host != "" && host[0] != '*' && !MatchPattern(host, host) {
			t.Fatalf("valid pattern %q does not match itself", host)
		}
	})
}
